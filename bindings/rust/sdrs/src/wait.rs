//! Waiting for jobs: `WaitOptions`, the progress callback and `Client::poll_job`/`wait_job`.

use std::any::Any;
use std::ffi::{c_int, c_void};
use std::ops::ControlFlow;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::time::Duration;

use crate::client::{with_call_opts, CallOptions, CancelToken, Client};
use crate::error::{ErrOwner, Error, ErrorKind};
use crate::job::Job;
use crate::util::{c_string, check, millis, new_handle};

/// Options of [`Client::wait_job`]: poll backoff, overall deadline and cancel token.
///
/// ```
/// use std::time::Duration;
/// let opts = sdrs::WaitOptions::new()
///     .initial_interval(Duration::from_millis(50))
///     .max_interval(Duration::from_secs(2))
///     .multiplier_pct(200)
///     .jitter_pct(10)
///     .timeout(Duration::from_secs(60));
/// # drop(opts);
/// ```
#[derive(Clone, Debug, Default)]
pub struct WaitOptions {
    initial_interval: Option<Duration>,
    max_interval: Option<Duration>,
    multiplier_pct: Option<i32>,
    jitter_pct: Option<i32>,
    timeout_ms: Option<i64>,
    cancel: Option<CancelToken>,
}

impl WaitOptions {
    /// The library defaults (1 s first delay, x1.5 up to 10 s, 20 % jitter, 30 min deadline).
    pub fn new() -> WaitOptions {
        WaitOptions::default()
    }
    /// First delay between polls (10 ms ..= 10 min).
    pub fn initial_interval(mut self, d: Duration) -> WaitOptions {
        self.initial_interval = Some(d);
        self
    }
    /// Largest delay between polls (>= the initial one).
    pub fn max_interval(mut self, d: Duration) -> WaitOptions {
        self.max_interval = Some(d);
        self
    }
    /// Growth factor of the delay in percent (100..=1000).
    pub fn multiplier_pct(mut self, pct: i32) -> WaitOptions {
        self.multiplier_pct = Some(pct);
        self
    }
    /// Jitter in percent of each delay (0..=100).
    pub fn jitter_pct(mut self, pct: i32) -> WaitOptions {
        self.jitter_pct = Some(pct);
        self
    }
    /// Overall deadline; on expiry the wait fails with [`ErrorKind::Timeout`].
    pub fn timeout(mut self, d: Duration) -> WaitOptions {
        self.timeout_ms = Some(millis(d).max(1));
        self
    }
    /// No overall deadline.
    pub fn no_timeout(mut self) -> WaitOptions {
        self.timeout_ms = Some(0);
        self
    }
    /// Cancel token observed by the wait.
    pub fn cancel(mut self, token: &CancelToken) -> WaitOptions {
        self.cancel = Some(token.clone());
        self
    }

    /// The cancel token, which a watcher keeps alive until the job's wait has completed.
    pub(crate) fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }
}

/// The progress closure as libsdrs's callback sees it.
pub(crate) type ProgressFn<'f> = &'f mut dyn FnMut(&Job) -> ControlFlow<()>;

/// State shared with the progress trampoline during one wait.
struct Progress<'f> {
    f: ProgressFn<'f>,
    panic: Option<Box<dyn Any + Send + 'static>>,
}

unsafe extern "C" fn progress_trampoline(job: *const sdrs_sys::sdrs_job, userdata: *mut c_void) -> c_int {
    if userdata.is_null() {
        return 0;
    }
    // SAFETY: userdata is the Progress living on the stack of `with_wait_opts` for this call.
    let state = &mut *(userdata as *mut Progress<'_>);
    if state.panic.is_some() {
        return 1;
    }
    let Some(ptr) = NonNull::new(job as *mut sdrs_sys::sdrs_job) else { return 0 };
    // A borrowed view: the closure only ever sees `&Job`, so it cannot keep it.
    let view = Job::borrowed(ptr);
    // Panics must never unwind into C: catch, abort the wait, re-raise after it returned.
    match catch_unwind(AssertUnwindSafe(|| (state.f)(&view))) {
        Ok(ControlFlow::Continue(())) => 0,
        Ok(ControlFlow::Break(())) => 1,
        Err(payload) => {
            state.panic = Some(payload);
            1
        }
    }
}

/// An `sdrs_wait_opts` built for one call.
struct RawWaitOpts(NonNull<sdrs_sys::sdrs_wait_opts>);

impl Drop for RawWaitOpts {
    fn drop(&mut self) {
        // SAFETY: owned handle.
        unsafe { sdrs_sys::sdrs_wait_opts_free(self.0.as_ptr()) }
    }
}

/// Builds the C wait options (with the progress trampoline when `progress` is given), runs `f`
/// with them, and re-raises a panic of the progress closure after the C call returned.
pub(crate) fn with_wait_opts<R>(
    opts: Option<&WaitOptions>,
    progress: Option<ProgressFn<'_>>,
    f: impl FnOnce(*const sdrs_sys::sdrs_wait_opts) -> R,
) -> Result<R, Error> {
    if opts.is_none() && progress.is_none() {
        return Ok(f(ptr::null()));
    }
    let default = WaitOptions::default();
    let o = opts.unwrap_or(&default);
    // SAFETY: sdrs_wait_opts_new is an sdrs_X_new function.
    let raw = RawWaitOpts(unsafe { new_handle(sdrs_sys::sdrs_wait_opts_new)? });
    let p = raw.0.as_ptr();
    let mut err = ptr::null_mut();
    // SAFETY (all setters): valid owned builder; the cancel token is kept alive by `o`.
    unsafe {
        if let Some(d) = o.initial_interval {
            check(sdrs_sys::sdrs_wait_opts_set_initial_interval_ms(p, millis(d), &mut err), err)?;
        }
        if let Some(d) = o.max_interval {
            check(sdrs_sys::sdrs_wait_opts_set_max_interval_ms(p, millis(d), &mut err), err)?;
        }
        if let Some(v) = o.multiplier_pct {
            check(sdrs_sys::sdrs_wait_opts_set_multiplier_pct(p, v, &mut err), err)?;
        }
        if let Some(v) = o.jitter_pct {
            check(sdrs_sys::sdrs_wait_opts_set_jitter_pct(p, v, &mut err), err)?;
        }
        if let Some(ms) = o.timeout_ms {
            check(sdrs_sys::sdrs_wait_opts_set_timeout_ms(p, ms, &mut err), err)?;
        }
        if let Some(token) = &o.cancel {
            check(sdrs_sys::sdrs_wait_opts_set_cancel(p, token.raw(), &mut err), err)?;
        }
    }
    let Some(cb) = progress else { return Ok(f(p)) };
    let mut state = Progress { f: cb, panic: None };
    // SAFETY: `state` outlives the call `f` makes; the callback runs only inside that call.
    unsafe {
        check(
            sdrs_sys::sdrs_wait_opts_set_progress(p, Some(progress_trampoline), &mut state as *mut Progress<'_> as *mut c_void, &mut err),
            err,
        )?;
    }
    let result = f(p);
    if let Some(payload) = state.panic.take() {
        drop(result);
        drop(raw);
        resume_unwind(payload);
    }
    Ok(result)
}

/// Turns the outcome of a job-producing wait (sdrs_job_wait) into a `Result`.
///
/// # Safety
/// `out`/`err` come from the call that returned `rc`.
pub(crate) unsafe fn finish_wait(rc: c_int, out: *mut sdrs_sys::sdrs_job, err: *mut sdrs_sys::sdrs_error) -> Result<Job, Error> {
    let job = Job::from_owned(out);
    match check(rc, err) {
        Ok(()) => job.ok_or_else(|| Error::new(ErrorKind::Internal, "sdrs_job_wait returned no job")),
        Err(e) => Err(e.with_job(job)),
    }
}

impl Client {
    /// Reads a job once (`GET /v1/{project_id}/jobs/{job_id}`).
    pub fn poll_job(&self, job_id: &str, opts: Option<&CallOptions>) -> Result<Job, Error> {
        let id = c_string("job_id", job_id)?;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client; id outlives the call.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_job_poll(&mut out, self.raw(), id.as_ptr(), o, &mut err) })?;
        // SAFETY: outputs of the call just made.
        unsafe {
            check(rc, err)?;
            Job::from_owned(out).ok_or_else(|| Error::new(ErrorKind::Internal, "sdrs_job_poll returned no job"))
        }
    }

    /// Polls a job with backoff until it ends. `SUCCESS` gives the final job; `FAIL` gives an
    /// [`ErrorKind::JobFailed`] error carrying the final job ([`Error::job`]), its error code
    /// ([`Error::api_code`]) and fail reason.
    pub fn wait_job(&self, job_id: &str, opts: Option<&WaitOptions>) -> Result<Job, Error> {
        self.wait_job_impl(job_id, opts, None)
    }

    /// [`wait_job`](Client::wait_job) that calls `progress` on this thread after every status
    /// read. Returning `ControlFlow::Break(())` stops the wait with [`ErrorKind::Canceled`]. A
    /// panic in `progress` stops the wait and is re-raised here after libsdrs has returned.
    pub fn wait_job_with_progress<F>(&self, job_id: &str, opts: Option<&WaitOptions>, mut progress: F) -> Result<Job, Error>
    where
        F: FnMut(&Job) -> ControlFlow<()>,
    {
        self.wait_job_impl(job_id, opts, Some(&mut progress))
    }

    fn wait_job_impl(
        &self,
        job_id: &str,
        opts: Option<&WaitOptions>,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<Job, Error> {
        let id = c_string("job_id", job_id)?;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = with_wait_opts(opts, progress, |w| {
            // SAFETY: valid client; id and options outlive the call.
            let rc = unsafe { sdrs_sys::sdrs_job_wait(&mut out, self.raw(), id.as_ptr(), w, &mut err) };
            // Own the outputs at once so a re-raised callback panic still frees them.
            // SAFETY: outputs of the call just made.
            unsafe { (rc, Job::from_owned(out), ErrOwner(err)) }
        })?;
        let (rc, job, err) = rc;
        // SAFETY: the job was taken over above; the error handle is released to finish_wait.
        unsafe { finish_wait(rc, job.map_or(ptr::null_mut(), Job::into_raw), err.release()) }
    }
}
