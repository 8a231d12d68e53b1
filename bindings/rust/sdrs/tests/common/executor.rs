//! A minimal executor for many futures on one thread, shared by tests/watcher.rs and
//! examples/watch_bench.rs: one waker per task; a wake records the task's index and unparks
//! the thread that polls, which then polls only the tasks woken.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// Indexes of the tasks woken since the executor last looked, and the thread to unpark.
struct WakeQueue {
    woken: Mutex<Vec<usize>>,
    thread: Thread,
}

struct TaskWaker {
    index: usize,
    queue: Arc<WakeQueue>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.queue.woken.lock().unwrap().push(self.index);
        self.queue.thread.unpark();
    }
}

/// Futures polled on the thread that made this (their wakers unpark it).
pub struct Tasks<F: Future> {
    tasks: Vec<Option<Pin<Box<F>>>>,
    wakers: Vec<Waker>,
    queue: Arc<WakeQueue>,
    to_poll: Vec<usize>,
    left: usize,
}

impl<F: Future> Tasks<F> {
    pub fn new(futures: impl IntoIterator<Item = F>) -> Tasks<F> {
        let tasks: Vec<Option<Pin<Box<F>>>> = futures.into_iter().map(|f| Some(Box::pin(f))).collect();
        let queue = Arc::new(WakeQueue { woken: Mutex::new(Vec::new()), thread: thread::current() });
        let wakers = (0..tasks.len()).map(|index| Waker::from(Arc::new(TaskWaker { index, queue: Arc::clone(&queue) }))).collect();
        let (to_poll, left) = ((0..tasks.len()).collect(), tasks.len());
        Tasks { tasks, wakers, queue, to_poll, left }
    }

    /// Tasks not yet ready.
    pub fn left(&self) -> usize {
        self.left
    }

    /// Polls every task the first time, then those woken since; hands each ready output, with
    /// its task's index, to `ready`.
    pub fn poll_woken(&mut self, mut ready: impl FnMut(usize, F::Output)) {
        for index in std::mem::take(&mut self.to_poll) {
            let Some(task) = self.tasks[index].as_mut() else { continue };
            if let Poll::Ready(out) = task.as_mut().poll(&mut Context::from_waker(&self.wakers[index])) {
                ready(index, out);
                self.tasks[index] = None;
                self.left -= 1;
            }
        }
        self.to_poll = std::mem::take(&mut *self.queue.woken.lock().unwrap());
    }

    /// Whether a task was woken since the last `poll_woken` (if not, park until one is).
    pub fn woken(&mut self) -> bool {
        if self.to_poll.is_empty() {
            self.to_poll = std::mem::take(&mut *self.queue.woken.lock().unwrap());
        }
        !self.to_poll.is_empty()
    }
}
