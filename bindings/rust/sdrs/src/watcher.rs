//! The job watcher (`sdrs/watcher.h`): many job waits on one library thread, each one a
//! `std::future::Future` that costs a few hundred bytes and no thread.

use std::ffi::{c_char, c_int, c_void};
use std::fmt;
use std::future::Future;
use std::os::fd::RawFd;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use crate::client::{CancelToken, Client, LogSink};
use crate::error::{Error, ErrorKind};
use crate::job::Job;
use crate::util::{c_string, check, new_handle};
use crate::wait::{finish_wait, with_wait_opts, WaitOptions};

/// Where a watcher delivers completions (`enum sdrs_watcher_dispatch`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WatcherDispatch {
    /// On the watcher's own thread (the default): futures are woken from there, nothing else
    /// is needed.
    #[default]
    Thread,
    /// Only when the program calls [`Watcher::dispatch`], typically when [`Watcher::fd`]
    /// polls readable in its own event loop. Until then no future is woken.
    Manual,
}

impl WatcherDispatch {
    fn to_raw(self) -> i32 {
        match self {
            WatcherDispatch::Thread => sdrs_sys::SDRS_WATCHER_DISPATCH_THREAD,
            WatcherDispatch::Manual => sdrs_sys::SDRS_WATCHER_DISPATCH_MANUAL,
        }
    }
}

/// Options of [`Watcher::new`]; libsdrs checks the values when the watcher is created and
/// fails with [`ErrorKind::Validation`] naming the setting.
///
/// ```
/// let opts = sdrs::WatcherOptions::new()
///     .max_polls_per_sec(200)
///     .max_in_flight(8)
///     .dispatch(sdrs::WatcherDispatch::Thread);
/// # drop(opts);
/// ```
#[derive(Clone, Debug, Default)]
pub struct WatcherOptions {
    max_polls_per_sec: Option<i32>,
    max_in_flight: Option<i32>,
    dispatch: Option<WatcherDispatch>,
}

impl WatcherOptions {
    /// The library defaults (100 polls per second, 8 requests in flight, thread dispatch).
    pub fn new() -> WatcherOptions {
        WatcherOptions::default()
    }
    /// Most job polls per second, all jobs together (1..=100000). Polls over the limit are
    /// delayed, never dropped; each job's deadline still applies.
    pub fn max_polls_per_sec(mut self, polls: i32) -> WatcherOptions {
        self.max_polls_per_sec = Some(polls);
        self
    }
    /// Most HTTP requests in flight at once (1..=256); also bounds the connections opened.
    pub fn max_in_flight(mut self, requests: i32) -> WatcherOptions {
        self.max_in_flight = Some(requests);
        self
    }
    /// Where completions are delivered.
    pub fn dispatch(mut self, dispatch: WatcherDispatch) -> WatcherOptions {
        self.dispatch = Some(dispatch);
        self
    }
}

struct RawWatcherOpts(NonNull<sdrs_sys::sdrs_watcher_opts>);

impl Drop for RawWatcherOpts {
    fn drop(&mut self) {
        // SAFETY: owned handle.
        unsafe { sdrs_sys::sdrs_watcher_opts_free(self.0.as_ptr()) }
    }
}

/// A lock that a panicking waker elsewhere cannot poison for good: the data stays consistent
/// because every critical section only moves values in or out.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The C watcher, shared by the [`Watcher`] and every [`JobFuture`] so a future can still
/// cancel its job (a no-op after shutdown) when the `Watcher` is gone.
struct Handle {
    ptr: NonNull<sdrs_sys::sdrs_watcher>,
    manual: bool,
    /// watcher.h: sdrs_watcher_dispatch "may be called from one thread at a time".
    dispatching: Mutex<()>,
    /// The C watcher keeps its C client alive, and the client calls this sink.
    _sink: Option<Arc<LogSink>>,
}

// SAFETY: watcher.h: add, cancel, pending and shutdown are safe from any thread at once;
// dispatch is serialized by `dispatching`; free runs once, from the last owner's Drop.
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

impl Handle {
    fn raw(&self) -> *mut sdrs_sys::sdrs_watcher {
        self.ptr.as_ptr()
    }

    fn cancel(&self, ticket: u64) -> Result<(), Error> {
        let mut err = ptr::null_mut();
        // SAFETY: valid watcher; cancel is safe from any thread, callbacks included.
        unsafe { check(sdrs_sys::sdrs_watcher_cancel(self.raw(), ticket, &mut err), err) }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the last owner; shuts down, runs the callbacks still queued, frees.
        unsafe { sdrs_sys::sdrs_watcher_free(self.ptr.as_ptr()) }
    }
}

/// Follows many jobs of one client from one library thread (`sdrs_watcher`).
///
/// [`Watcher::wait`] adds a job and returns a [`JobFuture`]: a
/// `Future<Output = Result<Job, Error>>` with exactly the outcome of
/// [`Client::wait_job`](crate::Client::wait_job) (the same backoff, deadline, cancel token,
/// [`ErrorKind::JobFailed`] carrying the final job and its error code). Waiting costs no
/// thread: every poll of every job runs on the watcher's thread, over at most
/// [`max_in_flight`](WatcherOptions::max_in_flight) connections, with the client's retries and
/// authentication. Any executor can poll the futures; none is needed besides `std`.
///
/// `Send + Sync`: share `&Watcher` or `Arc<Watcher>` between threads. The watcher keeps the
/// C client alive, so the [`Client`] may be dropped first. Dropping the watcher shuts it down:
/// every pending future resolves to [`ErrorKind::Canceled`].
///
/// ```no_run
/// # fn demo(client: &sdrs::Client, job_ids: &[String]) -> Result<(), sdrs::Error> {
/// let watcher = sdrs::Watcher::new(client, sdrs::WatcherOptions::new())?;
/// let opts = sdrs::WaitOptions::new().timeout(std::time::Duration::from_secs(1800));
/// let futures: Vec<sdrs::JobFuture> = job_ids.iter().map(|id| watcher.wait(id, &opts)).collect();
/// // Hand the futures to any executor; or, in plain threads:
/// for f in futures {
///     let job = f.wait_blocking()?;
///     println!("{} {}", job.id().unwrap_or("?"), job.status());
/// }
/// # Ok(()) }
/// ```
pub struct Watcher {
    handle: Arc<Handle>,
}

impl Watcher {
    /// Starts a watcher (and its one thread) for `client`'s jobs.
    pub fn new(client: &Client, options: WatcherOptions) -> Result<Watcher, Error> {
        // SAFETY: sdrs_watcher_opts_new is an sdrs_X_new function.
        let opts = RawWatcherOpts(unsafe { new_handle(sdrs_sys::sdrs_watcher_opts_new)? });
        let p = opts.0.as_ptr();
        let mut err = ptr::null_mut();
        // SAFETY (all setters and sdrs_watcher_new): valid handles; the options are copied.
        unsafe {
            if let Some(v) = options.max_polls_per_sec {
                check(sdrs_sys::sdrs_watcher_opts_set_max_polls_per_sec(p, v, &mut err), err)?;
            }
            if let Some(v) = options.max_in_flight {
                check(sdrs_sys::sdrs_watcher_opts_set_max_in_flight(p, v, &mut err), err)?;
            }
            if let Some(d) = options.dispatch {
                check(sdrs_sys::sdrs_watcher_opts_set_dispatch(p, d.to_raw(), &mut err), err)?;
            }
            let mut out = ptr::null_mut();
            check(sdrs_sys::sdrs_watcher_new(&mut out, client.raw(), p, &mut err), err)?;
            let ptr = NonNull::new(out).ok_or_else(|| Error::new(ErrorKind::Internal, "sdrs_watcher_new returned NULL"))?;
            Ok(Watcher {
                handle: Arc::new(Handle {
                    ptr,
                    manual: options.dispatch == Some(WatcherDispatch::Manual),
                    dispatching: Mutex::new(()),
                    _sink: client.log_sink(),
                }),
            })
        }
    }

    /// Starts following `job_id` with `opts` (deadline counted from now; a cancel token in
    /// `opts` is observed). The future resolves once: to the final job on `SUCCESS`; to
    /// [`ErrorKind::JobFailed`] with [`Error::job`] and [`Error::api_code`] on `FAIL`; to
    /// [`ErrorKind::Timeout`] at the deadline; to [`ErrorKind::Canceled`] on the cancel token,
    /// [`JobFuture::cancel`], or watcher shutdown. A job that cannot be added (an id with a NUL
    /// byte, invalid options, a watcher shut down) gives a future that is ready at once with
    /// that error. Dropping the future before it is ready stops following the job.
    pub fn wait(&self, job_id: &str, opts: &WaitOptions) -> JobFuture {
        match self.add(job_id, opts) {
            Ok(state) => JobFuture { state },
            Err(e) => JobFuture { state: State::Refused(e) },
        }
    }

    fn add(&self, job_id: &str, opts: &WaitOptions) -> Result<State, Error> {
        let id = c_string("job_id", job_id)?;
        let slot = Arc::new(Slot { inner: Mutex::new(SlotInner::default()), _cancel: opts.cancel_token().cloned() });
        let mut ticket = 0u64;
        let mut err = ptr::null_mut();
        let rc = with_wait_opts(Some(opts), None, |w| {
            // The callback's own reference, taken back by `watch_done` (exactly once) or below.
            let userdata = Arc::into_raw(Arc::clone(&slot)) as *mut c_void;
            // SAFETY: valid watcher; id and options are copied by the call.
            let rc = unsafe {
                sdrs_sys::sdrs_watcher_add(self.handle.raw(), id.as_ptr(), w, Some(watch_done), userdata, &mut ticket, &mut err)
            };
            if rc != 0 {
                // SAFETY: on failure the callback never runs, so this reference is still ours.
                drop(unsafe { Arc::from_raw(userdata as *const Slot) });
            }
            rc
        })?;
        // SAFETY: outputs of the call just made.
        unsafe { check(rc, err)? };
        Ok(State::Watching { slot, handle: Arc::clone(&self.handle), ticket })
    }

    /// Jobs added whose future has not been completed yet (`sdrs_watcher_pending`).
    pub fn pending(&self) -> usize {
        // SAFETY: valid watcher; safe from any thread.
        unsafe { sdrs_sys::sdrs_watcher_pending(self.handle.raw()) }
    }

    /// [`WatcherDispatch::Manual`] only: a descriptor that polls readable while completions
    /// are queued; call [`Watcher::dispatch`] then. Do not read or close it; it lives as long
    /// as the watcher. [`ErrorKind::InvalidArgument`] in thread dispatch.
    pub fn fd(&self) -> Result<RawFd, Error> {
        let mut fd: c_int = -1;
        let mut err = ptr::null_mut();
        // SAFETY: valid watcher.
        unsafe { check(sdrs_sys::sdrs_watcher_fd(self.handle.raw(), &mut fd, &mut err), err)? };
        Ok(fd)
    }

    /// [`WatcherDispatch::Manual`] only: completes up to `max` queued futures (0 = all queued
    /// now) on this thread, waking their tasks here, and returns how many. Never waits for
    /// work. [`ErrorKind::InvalidArgument`] in thread dispatch, while another thread is
    /// dispatching this watcher, or from a waker that this dispatch is running.
    pub fn dispatch(&self, max: usize) -> Result<usize, Error> {
        let Ok(_one_at_a_time) = self.handle.dispatching.try_lock() else {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "dispatch: already running for this watcher (on another thread, or this call comes from one of its wakers)",
            ));
        };
        let mut count = 0usize;
        let mut err = ptr::null_mut();
        // SAFETY: valid watcher; `dispatching` makes this the only dispatching thread.
        unsafe { check(sdrs_sys::sdrs_watcher_dispatch(self.handle.raw(), max, &mut count, &mut err), err)? };
        Ok(count)
    }

    /// Graceful shutdown: refuses further jobs, stops polling and resolves every pending
    /// future to [`ErrorKind::Canceled`] (in manual dispatch, at the next
    /// [`Watcher::dispatch`] or when the watcher is dropped). Idempotent. Dropping the watcher
    /// does this too.
    pub fn shutdown(&self) -> Result<(), Error> {
        let mut err = ptr::null_mut();
        // SAFETY: valid watcher; safe from any thread.
        unsafe { check(sdrs_sys::sdrs_watcher_shutdown(self.handle.raw(), &mut err), err) }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Futures may outlive the watcher (they hold the C handle to cancel): they must not
        // wait forever, so complete them all now. The C watcher is freed with the last owner.
        // An error here means a shutdown from the watcher's own thread (a waker dropping it),
        // where sdrs_watcher_free's deferred release takes over.
        let _ = self.shutdown();
        if self.handle.manual {
            let _ = self.dispatch(0);
        }
    }
}

impl fmt::Debug for Watcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watcher").field("manual_dispatch", &self.handle.manual).field("pending", &self.pending()).finish()
    }
}

/// What one job's completion callback and its future share.
struct Slot {
    inner: Mutex<SlotInner>,
    /// watcher.h: the cancel token is borrowed until the completion callback ran.
    _cancel: Option<CancelToken>,
}

#[derive(Default)]
struct SlotInner {
    result: Option<Result<Job, Error>>,
    completed: bool,
    waker: Option<Waker>,
}

/// `sdrs_watch_cb`: stores the outcome and wakes the future's task. Runs exactly once per
/// added job, on the watcher's thread or in `dispatch`.
unsafe extern "C" fn watch_done(
    _ticket: u64,
    _job_id: *const c_char,
    rc: c_int,
    job: *mut sdrs_sys::sdrs_job,
    err: *mut sdrs_sys::sdrs_error,
    userdata: *mut c_void,
) {
    // SAFETY: userdata is the reference `Watcher::add` leaked for this job; the callback runs
    // exactly once, so it is taken back (and released at the end of this call) exactly once.
    let slot = Arc::from_raw(userdata as *const Slot);
    // SAFETY: the callback owns job and err (watcher.h).
    let result = finish_wait(rc, job, err);
    let waker = {
        let mut s = lock(&slot.inner);
        s.result = Some(result);
        s.completed = true;
        s.waker.take()
    };
    if let Some(waker) = waker {
        // A panicking waker must not unwind into C; the result is stored either way.
        let _ = catch_unwind(AssertUnwindSafe(|| waker.wake()));
    }
}

enum State {
    /// The job could not be added; the future is ready with this error.
    Refused(Error),
    Watching { slot: Arc<Slot>, handle: Arc<Handle>, ticket: u64 },
    /// The output was handed out.
    Done,
}

/// One job followed by a [`Watcher`]: a `Future<Output = Result<Job, Error>>`.
///
/// `Send + Sync + Unpin`. It is woken from the watcher's thread (or from
/// [`Watcher::dispatch`]), never polls anything itself, and may be polled by any executor.
/// Dropping it before it is ready stops following the job (`sdrs_watcher_cancel`).
#[must_use = "a JobFuture does nothing unless polled; dropping it stops following the job"]
pub struct JobFuture {
    state: State,
}

impl JobFuture {
    /// The watcher's number for this job (`None` when the job could not be added or the
    /// future already returned its output).
    pub fn ticket(&self) -> Option<u64> {
        match &self.state {
            State::Watching { ticket, .. } => Some(*ticket),
            _ => None,
        }
    }

    /// Stops following the job: the future resolves to [`ErrorKind::Canceled`] soon, unless
    /// its outcome is already decided. [`ErrorKind::NotFound`] when it is (the future then
    /// resolves to that outcome).
    pub fn cancel(&self) -> Result<(), Error> {
        match &self.state {
            State::Watching { slot, handle, ticket } => {
                if lock(&slot.inner).completed {
                    return Err(Error::new(ErrorKind::NotFound, "cancel: the job's wait has already completed"));
                }
                handle.cancel(*ticket)
            }
            _ => Err(Error::new(ErrorKind::NotFound, "cancel: the job's wait has already completed")),
        }
    }

    /// Blocks this thread (parked, no polling) until the outcome is known. With
    /// [`WatcherDispatch::Manual`] another thread must call [`Watcher::dispatch`].
    pub fn wait_blocking(mut self) -> Result<Job, Error> {
        struct Unpark(Thread);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(r) = Pin::new(&mut self).poll(&mut cx) {
                return r;
            }
            thread::park();
        }
    }
}

impl Future for JobFuture {
    type Output = Result<Job, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let output = match &mut this.state {
            State::Refused(_) => match std::mem::replace(&mut this.state, State::Done) {
                State::Refused(e) => Err(e),
                _ => unreachable!("matched Refused above"),
            },
            State::Watching { slot, .. } => {
                let mut s = lock(&slot.inner);
                match s.result.take() {
                    Some(r) => r,
                    None => {
                        if !s.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                            s.waker = Some(cx.waker().clone());
                        }
                        return Poll::Pending;
                    }
                }
            }
            State::Done => panic!("JobFuture polled after it returned its output"),
        };
        this.state = State::Done;
        Poll::Ready(output)
    }
}

impl Drop for JobFuture {
    fn drop(&mut self) {
        if let State::Watching { slot, handle, ticket } = &self.state {
            let completed = {
                let mut s = lock(&slot.inner);
                s.waker = None;
                s.completed
            };
            if !completed {
                // NotFound when the outcome was decided meanwhile: nothing left to stop.
                let _ = handle.cancel(*ticket);
            }
        }
    }
}

impl fmt::Debug for JobFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Refused(_) => "refused",
            State::Watching { slot, .. } if lock(&slot.inner).completed => "ready",
            State::Watching { .. } => "pending",
            State::Done => "done",
        };
        f.debug_struct("JobFuture").field("ticket", &self.ticket()).field("state", &state).finish()
    }
}
