//! The job watcher: `Watcher::wait` futures polled by a minimal executor written here (no
//! crates), against the emulator. Jobs are group creates (a `fail-` name ends in FAIL).
mod common;

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread, ThreadId};
use std::time::{Duration, Instant};

use common::executor::Tasks;
use common::{fast_wait, spec, Emulator, PROJECT_ID};
use sdrs::{CancelToken, Client, Config, ErrorKind, Job, JobFuture, JobStatus, WaitOptions, Watcher, WatcherDispatch, WatcherOptions};

// ---------------------------------------------------------------------------------------------
// A minimal executor: a thread-parking block_on and a join whose wakers queue their index.
// ---------------------------------------------------------------------------------------------

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        thread::park();
    }
}

/// Polls every future once, then only those whose waker fired, until all are ready.
fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    let mut tasks = Tasks::new(futures);
    loop {
        tasks.poll_woken(|index, out| outputs[index] = Some(out));
        if tasks.left() == 0 {
            break;
        }
        while !tasks.woken() {
            thread::park();
        }
    }
    outputs.into_iter().map(|o| o.expect("every task completed")).collect()
}

/// Counts its wakes; used to check that each future is completed exactly once.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn poll_once(future: &mut JobFuture, waker: &Waker) -> Poll<Result<Job, sdrs::Error>> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn start_jobs(client: &Client, prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| client.create_group(&spec(&format!("{prefix}-{i}")), None).expect("create group")).collect()
}

fn watcher(client: &Client) -> Watcher {
    Watcher::new(client, WatcherOptions::new()).expect("watcher")
}

/// Polls `cond` every 10 ms until it holds or `limit` passes.
fn eventually(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if cond() {
            return true;
        }
        thread::sleep(Duration::from_millis(10));
    }
    cond()
}

/// Every future resolved: the watcher's count follows within moments (it may drop once the
/// callback that completed the future has returned).
fn assert_none_pending(w: &Watcher) {
    assert!(eventually(Duration::from_secs(5), || w.pending() == 0), "{} jobs still pending", w.pending());
}

fn long_wait() -> WaitOptions {
    WaitOptions::new().initial_interval(Duration::from_millis(50)).max_interval(Duration::from_millis(200)).timeout(Duration::from_secs(120))
}

#[test]
fn watcher_and_future_are_send_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn unpin<T: Unpin>() {}
    send_sync::<Watcher>();
    send_sync::<JobFuture>();
    unpin::<JobFuture>();
}

#[test]
fn success_with_many_futures_and_blocking_wait() {
    let emu = Emulator::start();
    let client = emu.client();
    let ids = start_jobs(&client, "watch-ok", 12);
    let w = watcher(&client);
    let outputs = join_all(ids.iter().map(|id| w.wait(id, &fast_wait())).collect());
    for (id, out) in ids.iter().zip(outputs) {
        let job = out.unwrap_or_else(|e| panic!("job {id}: {e:?}"));
        assert_eq!(job.id(), Some(id.as_str()));
        assert_eq!(job.status(), JobStatus::Success);
        assert!(job.entity("server_group_id").is_some(), "{job:?}");
    }
    assert_none_pending(&w);

    // block_on, wait_blocking and Client::wait_job agree on the same job.
    let id = client.create_group(&spec("watch-ok-blocking"), None).unwrap();
    let by_future = block_on(w.wait(&id, &fast_wait())).unwrap();
    let by_blocking = w.wait(&id, &fast_wait()).wait_blocking().unwrap();
    let by_client = client.wait_job(&id, Some(&fast_wait())).unwrap();
    for job in [&by_future, &by_blocking] {
        assert_eq!(job.status(), by_client.status());
        assert_eq!(job.end_time(), by_client.end_time());
        assert_eq!(job.entity("server_group_id"), by_client.entity("server_group_id"));
    }
    assert_none_pending(&w);
}

#[test]
fn concurrent_adds_from_eight_threads() {
    let emu = Emulator::start();
    let client = emu.client();
    let ids = start_jobs(&client, "watch-threads", 64);
    let w = watcher(&client);
    thread::scope(|s| {
        for chunk in ids.chunks(8) {
            let w = &w;
            s.spawn(move || {
                let outputs = join_all(chunk.iter().map(|id| w.wait(id, &fast_wait())).collect());
                for (id, out) in chunk.iter().zip(outputs) {
                    assert_eq!(out.unwrap().id(), Some(id.as_str()));
                }
            });
        }
    });
    assert_none_pending(&w);
}

#[test]
fn refused_adds_and_bad_options() {
    let emu = Emulator::start();
    let client = emu.client();
    let err = Watcher::new(&client, WatcherOptions::new().max_in_flight(0)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("max_in_flight"), "{err}");
    let err = Watcher::new(&client, WatcherOptions::new().max_polls_per_sec(0)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("max_polls_per_sec"), "{err}");

    let w = watcher(&client);
    // The future of a job that cannot be added is ready at once with the reason.
    let f = w.wait("a\0b", &fast_wait());
    assert_eq!(f.ticket(), None);
    let err = block_on(f).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("job_id"), "{err}");
    let err = block_on(w.wait("../etc", &fast_wait())).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidArgument | ErrorKind::Validation), "{err:?}");
    assert!(err.message().contains("job_id"), "{err}");
    let err = block_on(w.wait("0123", &WaitOptions::new().jitter_pct(500))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("jitter"), "{err}");
    // An unknown job is not transient: the wait ends with NotFound, as sdrs_job_wait does.
    let err = block_on(w.wait("0123456789abcdef0123456789abcdef", &fast_wait())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err:?}");
    assert_none_pending(&w);
}

#[test]
fn failed_job_carries_its_error_code() {
    let emu = Emulator::start();
    let client = emu.client();
    let w = watcher(&client);
    // A `fail-` name fails with SDRS.1014; fail-next-jobs with the code given.
    let by_name = client.create_group(&spec("fail-watched"), None).unwrap();
    emu.admin_ok("POST", "/_emulator/fail-next-jobs", r#"{"count":1,"error_code":"SDRS.1030","fail_reason":"disk on fire"}"#);
    let by_admin = client.create_group(&spec("fails-by-admin"), None).unwrap();
    let outputs = join_all(vec![w.wait(&by_name, &fast_wait()), w.wait(&by_admin, &fast_wait())]);
    for ((id, code), out) in [(&by_name, "SDRS.1014"), (&by_admin, "SDRS.1030")].into_iter().zip(outputs) {
        let err = out.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::JobFailed, "{err:?}");
        assert_eq!(err.api_code(), Some(code));
        assert_eq!(err.job_id(), Some(id.as_str()));
        let job = err.job().expect("the final job");
        assert_eq!(job.status(), JobStatus::Fail);
        assert_eq!(job.error_code(), Some(code));
        // The blocking wait reports the same.
        let blocking = client.wait_job(id, Some(&fast_wait())).unwrap_err();
        assert_eq!((blocking.kind(), blocking.api_code(), blocking.fail_reason()), (err.kind(), err.api_code(), err.fail_reason()));
    }
}

#[test]
fn deadline_ends_the_wait_with_timeout() {
    let emu = Emulator::start_with(20, 30_000);
    let client = emu.client();
    let id = client.create_group(&spec("watch-deadline"), None).unwrap();
    let w = watcher(&client);
    let started = Instant::now();
    let err = block_on(w.wait(&id, &fast_wait().timeout(Duration::from_millis(300)))).unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert!(took >= Duration::from_millis(290) && took < Duration::from_secs(5), "took {took:?}");
    assert_none_pending(&w);
}

#[test]
fn per_job_cancel_explicit_by_token_and_by_drop() {
    let emu = Emulator::start_with(20, 60_000);
    let client = emu.client();
    let ids = start_jobs(&client, "watch-cancel", 4);
    let w = watcher(&client);
    let token = CancelToken::new();
    let explicit = w.wait(&ids[0], &long_wait());
    let by_token = w.wait(&ids[1], &long_wait().cancel(&token));
    let dropped = w.wait(&ids[2], &long_wait());
    let mut survivor = w.wait(&ids[3], &long_wait());
    assert_eq!(w.pending(), 4);
    let tickets: Vec<_> = [&explicit, &by_token, &dropped, &survivor].iter().map(|f| f.ticket().unwrap()).collect();
    assert!(tickets.windows(2).all(|t| t[0] != t[1]), "{tickets:?}");

    let started = Instant::now();
    explicit.cancel().unwrap();
    token.cancel();
    let outputs = join_all(vec![explicit, by_token]);
    assert!(started.elapsed() < Duration::from_secs(5), "cancel took {:?}", started.elapsed());
    for out in outputs {
        assert_eq!(out.unwrap_err().kind(), ErrorKind::Canceled);
    }

    // Dropping a pending future stops following its job.
    drop(dropped);
    assert!(eventually(Duration::from_secs(5), || w.pending() == 1), "pending {}", w.pending());
    let counter = Arc::new(CountingWaker::default());
    assert!(poll_once(&mut survivor, &Waker::from(Arc::clone(&counter))).is_pending());
    survivor.cancel().unwrap();
    assert!(eventually(Duration::from_secs(5), || counter.0.load(Ordering::SeqCst) == 1));
    assert_eq!(block_on(&mut survivor).unwrap_err().kind(), ErrorKind::Canceled);
    assert_none_pending(&w);
}

/// Shutdown with futures pending: each completes exactly once (one wake, one output) with
/// Canceled, whether the watcher delivers on its thread or in manual dispatch.
fn drop_with_pending(dispatch: WatcherDispatch) {
    let emu = Emulator::start_with(20, 60_000);
    let client = emu.client();
    let ids = start_jobs(&client, "watch-drop", 16);
    let w = Watcher::new(&client, WatcherOptions::new().dispatch(dispatch)).unwrap();
    let mut futures: Vec<JobFuture> = ids.iter().map(|id| w.wait(id, &long_wait())).collect();
    let counters: Vec<Arc<CountingWaker>> = ids.iter().map(|_| Arc::default()).collect();
    for (f, c) in futures.iter_mut().zip(&counters) {
        assert!(poll_once(f, &Waker::from(Arc::clone(c))).is_pending());
    }
    // Futures not yet polled by anyone are completed too (they were never given a waker).
    let unpolled: Vec<JobFuture> = ids.iter().take(4).map(|id| w.wait(id, &long_wait())).collect();
    assert_eq!(w.pending(), 20);
    drop(client); // the watcher keeps the C client alive
    drop(w);
    for (i, (f, c)) in futures.iter_mut().zip(&counters).enumerate() {
        assert_eq!(c.0.load(Ordering::SeqCst), 1, "future {i} woken once");
        match poll_once(f, &Waker::from(Arc::clone(c))) {
            Poll::Ready(Err(e)) => assert_eq!(e.kind(), ErrorKind::Canceled, "future {i}: {e:?}"),
            other => panic!("future {i}: {other:?}"),
        }
        assert_eq!(c.0.load(Ordering::SeqCst), 1, "future {i} not woken again");
    }
    for out in join_all(unpolled) {
        assert_eq!(out.unwrap_err().kind(), ErrorKind::Canceled);
    }
}

#[test]
fn watcher_drop_completes_pending_futures_thread_dispatch() {
    drop_with_pending(WatcherDispatch::Thread);
}

#[test]
fn watcher_drop_completes_pending_futures_manual_dispatch() {
    drop_with_pending(WatcherDispatch::Manual);
}

#[test]
fn shutdown_refuses_new_jobs() {
    let emu = Emulator::start_with(20, 60_000);
    let client = emu.client();
    let id = client.create_group(&spec("watch-shutdown"), None).unwrap();
    let w = watcher(&client);
    let pending = w.wait(&id, &long_wait());
    w.shutdown().unwrap();
    w.shutdown().unwrap(); // idempotent
    assert_eq!(w.pending(), 0, "every callback ran before shutdown returned");
    assert_eq!(block_on(pending).unwrap_err().kind(), ErrorKind::Canceled);
    let refused = w.wait(&id, &long_wait());
    assert_eq!(refused.ticket(), None);
    assert_eq!(block_on(refused).unwrap_err().kind(), ErrorKind::Canceled);
}

#[test]
fn next_job_added_after_one_completes() {
    let emu = Emulator::start();
    let client = emu.client();
    let w = watcher(&client);

    // On the executor: the create job, then the delete job it makes possible, in one task.
    let create = client.create_group(&spec("watch-chain"), None).unwrap();
    let deleted = block_on(async {
        let created = w.wait(&create, &fast_wait()).await?;
        let group = created.entity("server_group_id").expect("group id").to_string();
        let delete = client.delete_group(&group, None)?;
        w.wait(&delete, &fast_wait()).await.map(|job| (group, job))
    });
    let (group, job) = deleted.unwrap();
    assert_eq!(job.status(), JobStatus::Success);
    assert_eq!(client.get_group(&group, None).unwrap_err().kind(), ErrorKind::NotFound);

    // From the completion callback itself: a waker that adds the next job runs on the
    // watcher's thread, where adding must not block.
    struct AddingWaker {
        watcher: Arc<Watcher>,
        next_id: String,
        next: Mutex<Option<(JobFuture, ThreadId)>>,
        main: Thread,
    }
    impl Wake for AddingWaker {
        fn wake(self: Arc<Self>) {
            let next = self.watcher.wait(&self.next_id, &fast_wait());
            *self.next.lock().unwrap() = Some((next, thread::current().id()));
            self.main.unpark();
        }
    }
    let w = Arc::new(w);
    let first = client.create_group(&spec("watch-first"), None).unwrap();
    let second = client.create_group(&spec("watch-second"), None).unwrap();
    let adding = Arc::new(AddingWaker { watcher: Arc::clone(&w), next_id: second.clone(), next: Mutex::new(None), main: thread::current() });
    let mut f = w.wait(&first, &fast_wait());
    assert!(poll_once(&mut f, &Waker::from(Arc::clone(&adding))).is_pending());
    let (next, added_on) = loop {
        if let Some(next) = adding.next.lock().unwrap().take() {
            break next;
        }
        thread::park_timeout(Duration::from_secs(1));
    };
    assert_ne!(added_on, thread::current().id(), "the waker ran on the watcher's thread");
    assert!(next.ticket().is_some(), "added from the callback");
    assert_eq!(block_on(f).unwrap().id(), Some(first.as_str()));
    assert_eq!(block_on(next).unwrap().id(), Some(second.as_str()));
    assert_none_pending(&w);
}

#[test]
fn token_expiry_and_revocation_during_a_long_watch() {
    let emu = Emulator::start_with(20, 5_000);
    // Tokens issued from now on live 1.5 s; the jobs run 5 s.
    emu.admin_ok("POST", "/_emulator/config", r#"{"token_lifetime_ms":1500}"#);
    let client = Config::new()
        .and_then(|c| c.allow_http(true))
        .and_then(|c| c.auth_url(&emu.endpoint()))
        .and_then(|c| c.username("alice"))
        .and_then(|c| c.password("alice-Pa55word-x"))
        .and_then(|c| c.user_domain_name("emulator-domain"))
        .and_then(|c| c.project_id(PROJECT_ID))
        .and_then(|c| c.token_refresh_margin(Duration::ZERO))
        .and_then(|c| c.build())
        .expect("password client");
    let ids = start_jobs(&client, "watch-token", 4);
    let w = watcher(&client);
    let iam0 = emu.stat("iam_token_requests");
    let auth_failures0 = emu.stat("auth_failures");
    let opts = WaitOptions::new().initial_interval(Duration::from_millis(100)).max_interval(Duration::from_millis(100)).timeout(Duration::from_secs(60));
    let outputs = thread::scope(|s| {
        let revoker = s.spawn(|| {
            thread::sleep(Duration::from_millis(2_000));
            emu.admin_ok("POST", "/_emulator/revoke-tokens", "{}")
        });
        let outputs = join_all(ids.iter().map(|id| w.wait(id, &opts)).collect());
        assert!(revoker.join().unwrap().contains("\"revoked\""));
        outputs
    });
    for (id, out) in ids.iter().zip(outputs) {
        assert_eq!(out.unwrap_or_else(|e| panic!("{id}: {e:?}")).status(), JobStatus::Success);
    }
    // 5 s of polling with 1.5 s tokens: refreshed on expiry (twice at least) and once after
    // the revocation's 401.
    let refreshes = emu.stat("iam_token_requests") - iam0;
    assert!(refreshes >= 3, "{refreshes} token requests during the watch");
    assert!(emu.stat("auth_failures") > auth_failures0, "the revoked token was used once");
}

#[test]
fn transient_faults_during_polling_are_retried() {
    let emu = Emulator::start_with(20, 1_000);
    let client = emu.client();
    let ids = start_jobs(&client, "watch-faults", 4);
    // The polls after the first two get 500 (SDRS.0013) x3, then 429 (Retry-After) x2, then
    // 503 with an empty body x2.
    let rules = [
        r#"{"kind":"status","status":500,"code":"SDRS.0013","route":"GET /jobs/*","after":2,"count":3}"#,
        r#"{"kind":"status","status":429,"retry_after":"1","route":"GET /jobs/*","count":2}"#,
        r#"{"kind":"status","status":503,"body":"","route":"GET /jobs/*","count":2}"#,
    ];
    for rule in rules {
        emu.admin_ok("POST", "/_emulator/faults", rule);
    }
    let w = watcher(&client);
    let outputs = join_all(ids.iter().map(|id| w.wait(id, &fast_wait())).collect());
    for out in outputs {
        assert_eq!(out.unwrap().status(), JobStatus::Success);
    }
    let listing = emu.admin_ok("GET", "/_emulator/faults", "");
    let hits: Vec<i64> = listing
        .match_indices("\"hits\":")
        .map(|(i, m)| listing[i + m.len()..].trim_start().chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap())
        .collect();
    assert_eq!(hits, vec![3, 2, 2], "{listing}");
}

// ---------------------------------------------------------------------------------------------
// Manual dispatch: the program's own loop waits on the watcher's fd and runs the completions.
// ---------------------------------------------------------------------------------------------

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}
const POLLIN: i16 = 1;
extern "C" {
    fn poll(fds: *mut PollFd, nfds: u64, timeout_ms: i32) -> i32;
}

fn readable(fd: i32, timeout_ms: i32) -> bool {
    let mut p = PollFd { fd, events: POLLIN, revents: 0 };
    // SAFETY: one valid pollfd.
    let n = unsafe { poll(&mut p, 1, timeout_ms) };
    assert!(n >= 0, "poll failed");
    n == 1 && p.revents & POLLIN != 0
}

/// Calls `dispatch` from inside a completion that `dispatch` is running.
struct ReentrantWaker {
    watcher: Arc<Watcher>,
    inner: Mutex<Option<ErrorKind>>,
}

impl Wake for ReentrantWaker {
    fn wake(self: Arc<Self>) {
        let kind = self.watcher.dispatch(0).map(|_| ()).unwrap_err().kind();
        *self.inner.lock().unwrap() = Some(kind);
    }
}

#[test]
fn manual_dispatch_through_the_fd() {
    let emu = Emulator::start();
    let client = emu.client();
    let threaded = watcher(&client);
    assert_eq!(threaded.fd().unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(threaded.dispatch(0).unwrap_err().kind(), ErrorKind::InvalidArgument);

    let ids = start_jobs(&client, "watch-manual", 6);
    let w = Arc::new(Watcher::new(&client, WatcherOptions::new().dispatch(WatcherDispatch::Manual)).unwrap());
    let fd = w.fd().unwrap();
    assert!(fd >= 0);
    assert_eq!(w.dispatch(0).unwrap(), 0, "nothing queued yet");
    let mut futures: Vec<Option<JobFuture>> = ids.iter().map(|id| Some(w.wait(id, &fast_wait()))).collect();
    let counters: Vec<Arc<CountingWaker>> = ids.iter().map(|_| Arc::default()).collect();
    let reentrant = Arc::new(ReentrantWaker { watcher: Arc::clone(&w), inner: Mutex::new(None) });
    let mut probe = w.wait(&ids[0], &fast_wait());
    assert!(poll_once(&mut probe, &Waker::from(Arc::clone(&reentrant))).is_pending());
    for (f, c) in futures.iter_mut().zip(&counters) {
        assert!(poll_once(f.as_mut().unwrap(), &Waker::from(Arc::clone(c))).is_pending());
    }

    // Completions wait in the queue until this thread dispatches them.
    assert!(readable(fd, 20_000), "the fd never became readable");
    thread::sleep(Duration::from_millis(300));
    assert!(counters.iter().all(|c| c.0.load(Ordering::SeqCst) == 0), "woken without dispatch");
    assert!(w.pending() > 0);

    let mut done = 0;
    let mut dispatched = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while done < ids.len() {
        assert!(Instant::now() < deadline, "{done} of {} jobs done", ids.len());
        if !readable(fd, 1_000) {
            continue;
        }
        dispatched += w.dispatch(0).unwrap();
        for (f, c) in futures.iter_mut().zip(&counters) {
            if f.is_some() && c.0.load(Ordering::SeqCst) > 0 {
                match poll_once(f.as_mut().unwrap(), &Waker::from(Arc::clone(c))) {
                    Poll::Ready(out) => assert_eq!(out.unwrap().status(), JobStatus::Success),
                    Poll::Pending => panic!("woken but not ready"),
                }
                *f = None;
                done += 1;
            }
        }
    }
    // The probe's completion ran inside a dispatch; its waker's nested dispatch was refused.
    assert!(eventually(Duration::from_secs(10), || {
        if readable(fd, 0) {
            dispatched += w.dispatch(0).unwrap();
        }
        reentrant.inner.lock().unwrap().is_some()
    }));
    assert_eq!(*reentrant.inner.lock().unwrap(), Some(ErrorKind::InvalidArgument));
    assert_eq!(block_on(probe).unwrap().status(), JobStatus::Success);
    assert_eq!(dispatched, ids.len() + 1);
    assert!(counters.iter().all(|c| c.0.load(Ordering::SeqCst) == 1));
    assert_none_pending(&w);
    assert!(!readable(fd, 0), "the fd stays readable with an empty queue");
}
