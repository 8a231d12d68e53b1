//! Jobs: `Job` (result handle), `JobStatus`, `WaitOptions` and the job waiter.

use std::any::Any;
use std::ffi::{c_int, c_void};
use std::fmt;
use std::marker::PhantomData;
use std::ops::{ControlFlow, Deref};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::client::{with_call_opts, CallOptions, CancelToken, Client};
use crate::error::{Error, ErrorKind};
use crate::util::{c_string, check, millis, new_handle, opt_str, time_ms};

/// Status of a job (`enum sdrs_job_status`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// A status this library does not know; see [`Job::status_str`].
    Unknown,
    /// `INIT`
    Init,
    /// `RUNNING`
    Running,
    /// `SUCCESS`
    Success,
    /// `FAIL`
    Fail,
}

impl JobStatus {
    pub(crate) fn from_raw(v: i32) -> JobStatus {
        match v {
            sdrs_sys::SDRS_JOB_INIT => JobStatus::Init,
            sdrs_sys::SDRS_JOB_RUNNING => JobStatus::Running,
            sdrs_sys::SDRS_JOB_SUCCESS => JobStatus::Success,
            sdrs_sys::SDRS_JOB_FAIL => JobStatus::Fail,
            _ => JobStatus::Unknown,
        }
    }
    fn to_raw(self) -> i32 {
        match self {
            JobStatus::Unknown => sdrs_sys::SDRS_JOB_UNKNOWN,
            JobStatus::Init => sdrs_sys::SDRS_JOB_INIT,
            JobStatus::Running => sdrs_sys::SDRS_JOB_RUNNING,
            JobStatus::Success => sdrs_sys::SDRS_JOB_SUCCESS,
            JobStatus::Fail => sdrs_sys::SDRS_JOB_FAIL,
        }
    }
    /// The service's name of the status (`"SUCCESS"`...), `"UNKNOWN"` for [`JobStatus::Unknown`].
    pub fn name(self) -> &'static str {
        // SAFETY: static, never-NULL string.
        unsafe { crate::util::static_str(sdrs_sys::sdrs_job_status_name(self.to_raw())) }
    }
    /// Whether the job has ended (`SUCCESS` or `FAIL`).
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Success | JobStatus::Fail)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An asynchronous job as read from the service (an immutable `sdrs_job` handle).
///
/// Owned jobs come from [`Client::poll_job`] and [`Client::wait_job`]; sub-jobs
/// ([`Job::sub_jobs`]) and the job passed to a progress closure are borrowed views that cannot
/// outlive their parent or the callback.
pub struct Job {
    ptr: NonNull<sdrs_sys::sdrs_job>,
    owned: bool,
}

// SAFETY: job.h: "sdrs_job handles are immutable and safe to read from any thread". Borrowed
// views are only reachable through references or `SubJob<'a>`, which cannot outlive the owner.
unsafe impl Send for Job {}
unsafe impl Sync for Job {}

impl Drop for Job {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: we own the handle.
            unsafe { sdrs_sys::sdrs_job_free(self.ptr.as_ptr()) }
        }
    }
}

/// A sub-job borrowed from its parent [`Job`]; dereferences to `Job`.
pub struct SubJob<'a> {
    job: Job,
    _parent: PhantomData<&'a Job>,
}

impl Deref for SubJob<'_> {
    type Target = Job;
    fn deref(&self) -> &Job {
        &self.job
    }
}

impl fmt::Debug for SubJob<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.job.fmt(f)
    }
}

fn to_system_time(ms: Option<i64>) -> Option<SystemTime> {
    let ms = ms?;
    if ms >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_millis(ms as u64))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_millis(ms.unsigned_abs()))
    }
}

impl Job {
    /// # Safety
    /// `ptr` must be a job handle owned by the caller.
    pub(crate) unsafe fn from_owned(ptr: *mut sdrs_sys::sdrs_job) -> Option<Job> {
        NonNull::new(ptr).map(|ptr| Job { ptr, owned: true })
    }

    fn raw(&self) -> *const sdrs_sys::sdrs_job {
        self.ptr.as_ptr()
    }

    /// Job id.
    pub fn id(&self) -> Option<&str> {
        // SAFETY: borrowed strings live as long as the handle, hence as long as &self.
        unsafe { opt_str(sdrs_sys::sdrs_job_id(self.raw())) }
    }
    /// Job type, e.g. `"createServerGroup"`.
    pub fn job_type(&self) -> Option<&str> {
        // SAFETY: as in `id`.
        unsafe { opt_str(sdrs_sys::sdrs_job_type(self.raw())) }
    }
    /// Status as an enum.
    pub fn status(&self) -> JobStatus {
        // SAFETY: valid handle.
        JobStatus::from_raw(unsafe { sdrs_sys::sdrs_job_status(self.raw()) })
    }
    /// Status as the service sent it.
    pub fn status_str(&self) -> Option<&str> {
        // SAFETY: as in `id`.
        unsafe { opt_str(sdrs_sys::sdrs_job_status_str(self.raw())) }
    }
    /// Begin time as the service sent it.
    pub fn begin_time(&self) -> Option<&str> {
        // SAFETY: as in `id`.
        unsafe { opt_str(sdrs_sys::sdrs_job_begin_time(self.raw())) }
    }
    /// End time as the service sent it.
    pub fn end_time(&self) -> Option<&str> {
        // SAFETY: as in `id`.
        unsafe { opt_str(sdrs_sys::sdrs_job_end_time(self.raw())) }
    }
    /// Begin time as Unix milliseconds (UTC), `None` when absent or unparseable.
    pub fn begin_time_ms(&self) -> Option<i64> {
        // SAFETY: valid handle.
        time_ms(unsafe { sdrs_sys::sdrs_job_begin_time_ms(self.raw()) })
    }
    /// End time as Unix milliseconds (UTC), `None` when absent or unparseable.
    pub fn end_time_ms(&self) -> Option<i64> {
        // SAFETY: valid handle.
        time_ms(unsafe { sdrs_sys::sdrs_job_end_time_ms(self.raw()) })
    }
    /// Begin time as a `SystemTime`.
    pub fn begin_system_time(&self) -> Option<SystemTime> {
        to_system_time(self.begin_time_ms())
    }
    /// End time as a `SystemTime`.
    pub fn end_system_time(&self) -> Option<SystemTime> {
        to_system_time(self.end_time_ms())
    }
    /// Error code of a failed job, e.g. `"SDRS.1014"`.
    pub fn error_code(&self) -> Option<&str> {
        // SAFETY: as in `id`.
        unsafe { opt_str(sdrs_sys::sdrs_job_error_code(self.raw())) }
    }
    /// Failure reason of a failed job.
    pub fn fail_reason(&self) -> Option<&str> {
        // SAFETY: as in `id`.
        unsafe { opt_str(sdrs_sys::sdrs_job_fail_reason(self.raw())) }
    }
    /// A scalar entry of `entities`, e.g. `entity("server_group_id")`; numbers and booleans
    /// come in their JSON text form. `None` when absent (or `key` contains a NUL byte).
    pub fn entity(&self, key: &str) -> Option<&str> {
        let key = c_string("key", key).ok()?;
        // SAFETY: the key outlives the call; the result lives as long as the handle.
        unsafe { opt_str(sdrs_sys::sdrs_job_entity(self.raw(), key.as_ptr())) }
    }
    /// Number of `entities.sub_jobs`.
    pub fn sub_job_count(&self) -> usize {
        // SAFETY: valid handle.
        unsafe { sdrs_sys::sdrs_job_sub_job_count(self.raw()) }
    }
    /// The sub-job at `index`, borrowed from this job.
    pub fn sub_job(&self, index: usize) -> Option<SubJob<'_>> {
        // SAFETY: the sub-job lives as long as its parent, which the SubJob borrows.
        let p = unsafe { sdrs_sys::sdrs_job_sub_job(self.raw(), index) };
        NonNull::new(p as *mut sdrs_sys::sdrs_job).map(|ptr| SubJob { job: Job { ptr, owned: false }, _parent: PhantomData })
    }
    /// All sub-jobs (`entities.sub_jobs`), borrowed from this job.
    pub fn sub_jobs(&self) -> Vec<SubJob<'_>> {
        (0..self.sub_job_count()).filter_map(|i| self.sub_job(i)).collect()
    }
    /// The job object as JSON text, for fields a newer service adds.
    pub fn json(&self) -> &str {
        // SAFETY: as in `id`.
        unsafe { opt_str(sdrs_sys::sdrs_job_json(self.raw())).unwrap_or("") }
    }
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job")
            .field("id", &self.id())
            .field("job_type", &self.job_type())
            .field("status", &self.status_str())
            .field("error_code", &self.error_code())
            .field("fail_reason", &self.fail_reason())
            .field("sub_jobs", &self.sub_job_count())
            .finish()
    }
}

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
    let view = Job { ptr, owned: false };
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
unsafe fn finish_wait(rc: c_int, out: *mut sdrs_sys::sdrs_job, err: *mut sdrs_sys::sdrs_error) -> Result<Job, Error> {
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

impl Job {
    fn into_raw(self) -> *mut sdrs_sys::sdrs_job {
        let p = self.ptr.as_ptr();
        std::mem::forget(self);
        p
    }
}

/// Owns an error handle until released (frees it if dropped during an unwind).
pub(crate) struct ErrOwner(pub(crate) *mut sdrs_sys::sdrs_error);

impl ErrOwner {
    pub(crate) fn release(self) -> *mut sdrs_sys::sdrs_error {
        let p = self.0;
        std::mem::forget(self);
        p
    }
}

impl Drop for ErrOwner {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: owned handle.
            unsafe { sdrs_sys::sdrs_error_free(self.0) }
        }
    }
}
