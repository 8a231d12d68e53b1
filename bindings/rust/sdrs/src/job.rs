//! The job object: `Job` (result handle), `SubJob` and `JobStatus`. Polling and waiting live in
//! `wait.rs`; this module needs nothing above `util`, so `error` can hold a `Job`.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::time::SystemTime;

use crate::util::{c_string, opt_str, time_ms, to_system_time};

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
/// Owned jobs come from [`Client::poll_job`](crate::Client::poll_job) and
/// [`Client::wait_job`](crate::Client::wait_job); sub-jobs
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

impl Job {
    /// # Safety
    /// `ptr` must be a job handle owned by the caller.
    pub(crate) unsafe fn from_owned(ptr: *mut sdrs_sys::sdrs_job) -> Option<Job> {
        NonNull::new(ptr).map(|ptr| Job { ptr, owned: true })
    }

    /// A view of a job someone else owns (a sub-job, the job a progress callback sees); callers
    /// make sure it cannot outlive the owner.
    pub(crate) fn borrowed(ptr: NonNull<sdrs_sys::sdrs_job>) -> Job {
        Job { ptr, owned: false }
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
        NonNull::new(p as *mut sdrs_sys::sdrs_job).map(|ptr| SubJob { job: Job::borrowed(ptr), _parent: PhantomData })
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

impl Job {
    pub(crate) fn into_raw(self) -> *mut sdrs_sys::sdrs_job {
        let p = self.ptr.as_ptr();
        std::mem::forget(self);
        p
    }
}
