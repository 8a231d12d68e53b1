//! `Error` and `ErrorKind`: the detail of a failed libsdrs call, copied out of `sdrs_error`.

use std::ffi::c_int;
use std::fmt;
use std::time::SystemTime;

use crate::job::Job;
use crate::util::{opt_string, static_str, time_ms, to_system_time};

/// What went wrong, one variant per `SDRS_E*` code of `sdrs/common.h`.
///
/// New codes may be added by newer libsdrs versions, hence `#[non_exhaustive]`; a code this
/// binding does not know arrives as [`ErrorKind::Unknown`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `SDRS_EINVAL`: a bad argument (NULL handle, interior NUL byte in a string, ...).
    InvalidArgument,
    /// `SDRS_EVALIDATION`: input rejected before sending; the message names the field.
    Validation,
    /// `SDRS_EAUTH`: not authenticated (HTTP 401, SDRS token errors).
    Auth,
    /// `SDRS_EFORBIDDEN`: authenticated but not allowed (HTTP 403).
    Forbidden,
    /// `SDRS_ENOTFOUND`: the resource does not exist (HTTP 404, SDRS.1013, ...).
    NotFound,
    /// `SDRS_ECONFLICT`: the resource is in the wrong state for this call.
    Conflict,
    /// `SDRS_ERATELIMIT`: too many requests (HTTP 429).
    RateLimit,
    /// `SDRS_ESERVER`: the service failed (HTTP 5xx).
    Server,
    /// `SDRS_ETIMEOUT`: a timeout or the per-call deadline expired.
    Timeout,
    /// `SDRS_ECANCELED`: canceled through a [`CancelToken`](crate::CancelToken) or a progress
    /// callback.
    Canceled,
    /// `SDRS_ETRANSPORT`: network failure (connect, DNS, reset, ...).
    Transport,
    /// `SDRS_ETLS`: TLS handshake or certificate verification failed.
    Tls,
    /// `SDRS_EPROTOCOL`: the response could not be understood.
    Protocol,
    /// `SDRS_EJOBFAILED`: an asynchronous job ended in `FAIL` (see [`Error::job`]).
    JobFailed,
    /// `SDRS_ENOMEM`: out of memory.
    NoMemory,
    /// `SDRS_EINTERNAL`: a bug in libsdrs; the message has the detail.
    Internal,
    /// `SDRS_EREQUEST`: the service rejected the request parameters (HTTP 400).
    Request,
    /// `SDRS_EQUOTA`: a quota is exhausted.
    Quota,
    /// A negative code this binding does not know (from a newer libsdrs).
    Unknown(i32),
}

impl ErrorKind {
    /// Maps an `SDRS_E*` code to its kind.
    pub fn from_code(code: i32) -> ErrorKind {
        use sdrs_sys::*;
        match code {
            SDRS_EINVAL => ErrorKind::InvalidArgument,
            SDRS_EVALIDATION => ErrorKind::Validation,
            SDRS_EAUTH => ErrorKind::Auth,
            SDRS_EFORBIDDEN => ErrorKind::Forbidden,
            SDRS_ENOTFOUND => ErrorKind::NotFound,
            SDRS_ECONFLICT => ErrorKind::Conflict,
            SDRS_ERATELIMIT => ErrorKind::RateLimit,
            SDRS_ESERVER => ErrorKind::Server,
            SDRS_ETIMEOUT => ErrorKind::Timeout,
            SDRS_ECANCELED => ErrorKind::Canceled,
            SDRS_ETRANSPORT => ErrorKind::Transport,
            SDRS_ETLS => ErrorKind::Tls,
            SDRS_EPROTOCOL => ErrorKind::Protocol,
            SDRS_EJOBFAILED => ErrorKind::JobFailed,
            SDRS_ENOMEM => ErrorKind::NoMemory,
            SDRS_EINTERNAL => ErrorKind::Internal,
            SDRS_EREQUEST => ErrorKind::Request,
            SDRS_EQUOTA => ErrorKind::Quota,
            other => ErrorKind::Unknown(other),
        }
    }

    /// The `SDRS_E*` code of this kind.
    pub fn code(self) -> i32 {
        use sdrs_sys::*;
        match self {
            ErrorKind::InvalidArgument => SDRS_EINVAL,
            ErrorKind::Validation => SDRS_EVALIDATION,
            ErrorKind::Auth => SDRS_EAUTH,
            ErrorKind::Forbidden => SDRS_EFORBIDDEN,
            ErrorKind::NotFound => SDRS_ENOTFOUND,
            ErrorKind::Conflict => SDRS_ECONFLICT,
            ErrorKind::RateLimit => SDRS_ERATELIMIT,
            ErrorKind::Server => SDRS_ESERVER,
            ErrorKind::Timeout => SDRS_ETIMEOUT,
            ErrorKind::Canceled => SDRS_ECANCELED,
            ErrorKind::Transport => SDRS_ETRANSPORT,
            ErrorKind::Tls => SDRS_ETLS,
            ErrorKind::Protocol => SDRS_EPROTOCOL,
            ErrorKind::JobFailed => SDRS_EJOBFAILED,
            ErrorKind::NoMemory => SDRS_ENOMEM,
            ErrorKind::Internal => SDRS_EINTERNAL,
            ErrorKind::Request => SDRS_EREQUEST,
            ErrorKind::Quota => SDRS_EQUOTA,
            ErrorKind::Unknown(code) => code,
        }
    }

    /// Symbolic name from libsdrs, e.g. `"SDRS_ENOTFOUND"` (`"SDRS_UNKNOWN"` for unknown codes).
    pub fn name(self) -> &'static str {
        error_name(self.code())
    }

    /// English description from libsdrs (`sdrs_strerror`).
    pub fn description(self) -> &'static str {
        strerror(self.code())
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Static English description of any code (`sdrs_strerror`).
pub fn strerror(code: i32) -> &'static str {
    // SAFETY: sdrs_strerror returns a static, never-NULL string for any int.
    unsafe { static_str(sdrs_sys::sdrs_strerror(code as c_int)) }
}

/// Static symbolic name of any code (`sdrs_error_name`), `"SDRS_UNKNOWN"` for unknown codes.
pub fn error_name(code: i32) -> &'static str {
    // SAFETY: sdrs_error_name returns a static, never-NULL string for any int.
    unsafe { static_str(sdrs_sys::sdrs_error_name(code as c_int)) }
}

/// The detail of a failed call: every field of the C `sdrs_error`, owned.
///
/// For [`ErrorKind::JobFailed`] it also carries the final job ([`Error::job`]), the job id and
/// the job's `fail_reason`.
// Boxed so that `Result<T, Error>` stays one pointer wide on the error side.
pub struct Error(Box<ErrorInner>);

struct ErrorInner {
    kind: ErrorKind,
    message: String,
    http_status: u16,
    api_code: Option<String>,
    request_id: Option<String>,
    body: Option<String>,
    job_id: Option<String>,
    fail_reason: Option<String>,
    retryable: bool,
    attempts: u32,
    outcome_unknown: bool,
    sent_at_ms: Option<i64>,
    job: Option<Box<Job>>,
}

impl Error {
    /// An error raised by the binding itself (e.g. a string with an interior NUL byte).
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(ErrorInner {
            kind,
            message: message.into(),
            http_status: 0,
            api_code: None,
            request_id: None,
            body: None,
            job_id: None,
            fail_reason: None,
            retryable: false,
            attempts: 0,
            outcome_unknown: false,
            sent_at_ms: None,
            job: None,
        }))
    }

    /// Builds an `Error` from a failed call's return code and error handle, taking ownership
    /// of (and freeing) the handle.
    ///
    /// # Safety
    /// `err` must be NULL or a handle returned by libsdrs that nobody else frees.
    pub(crate) unsafe fn from_raw(code: c_int, err: *mut sdrs_sys::sdrs_error) -> Error {
        if err.is_null() {
            return Error::new(ErrorKind::from_code(code), strerror(code));
        }
        let e = err as *const sdrs_sys::sdrs_error;
        let handle_code = sdrs_sys::sdrs_error_code(e);
        let code = if handle_code != 0 { handle_code } else { code };
        let out = Error(Box::new(ErrorInner {
            kind: ErrorKind::from_code(code),
            message: opt_string(sdrs_sys::sdrs_error_message(e))
                .unwrap_or_else(|| strerror(code).to_string()),
            http_status: u16::try_from(sdrs_sys::sdrs_error_http_status(e)).unwrap_or(0),
            api_code: opt_string(sdrs_sys::sdrs_error_api_code(e)),
            request_id: opt_string(sdrs_sys::sdrs_error_request_id(e)),
            body: opt_string(sdrs_sys::sdrs_error_body(e)),
            job_id: opt_string(sdrs_sys::sdrs_error_job_id(e)),
            fail_reason: opt_string(sdrs_sys::sdrs_error_fail_reason(e)),
            retryable: sdrs_sys::sdrs_error_retryable(e) != 0,
            attempts: u32::try_from(sdrs_sys::sdrs_error_attempts(e)).unwrap_or(0),
            outcome_unknown: sdrs_sys::sdrs_error_outcome_unknown(e) != 0,
            sent_at_ms: time_ms(sdrs_sys::sdrs_error_sent_at_ms(e)),
            job: None,
        }));
        sdrs_sys::sdrs_error_free(err);
        out
    }

    pub(crate) fn with_job(mut self, job: Option<Job>) -> Error {
        self.0.job = job.map(Box::new);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The numeric `SDRS_E*` code.
    pub fn code(&self) -> i32 {
        self.0.kind.code()
    }
    /// Human-readable message; for validation errors it names the field and the rule.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// HTTP status of the response that caused the error, `None` when there was none.
    pub fn http_status(&self) -> Option<u16> {
        (self.0.http_status != 0).then_some(self.0.http_status)
    }
    /// The service's error code, e.g. `"SDRS.1013"` (for a failed job: the job's error_code).
    pub fn api_code(&self) -> Option<&str> {
        self.0.api_code.as_deref()
    }
    /// Request id from the response headers.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// Raw response body (possibly truncated); for a failed job the job's JSON.
    pub fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
    /// For [`ErrorKind::JobFailed`]: the id of the failed job.
    pub fn job_id(&self) -> Option<&str> {
        self.0.job_id.as_deref()
    }
    /// For [`ErrorKind::JobFailed`]: the job's `fail_reason`.
    pub fn fail_reason(&self) -> Option<&str> {
        self.0.fail_reason.as_deref()
    }
    /// Whether repeating the same call later may succeed: the failure was transient and the
    /// library itself retried it until its attempt budget or deadline ran out. Never true when
    /// [`Error::outcome_unknown`] is.
    pub fn is_retryable(&self) -> bool {
        self.0.retryable
    }
    /// Whether a non-idempotent request (a create or an action) was sent but no answer says
    /// whether the service acted on it (connection closed or reset after sending, truncated
    /// answer, timeout after sending, 502/504, ...). Do not repeat the request: it could create
    /// a second resource. Find out first; for a group create,
    /// [`Client::find_created_group`](crate::Client::find_created_group) with
    /// [`Error::sent_at`] returns the group it made or [`ErrorKind::NotFound`].
    pub fn outcome_unknown(&self) -> bool {
        self.0.outcome_unknown
    }
    /// When [`Error::outcome_unknown`]: when the request was sent (local clock), to look for
    /// what it made. `None` otherwise.
    pub fn sent_at(&self) -> Option<SystemTime> {
        to_system_time(self.0.sent_at_ms)
    }
    /// [`Error::sent_at`] as Unix milliseconds.
    pub fn sent_at_ms(&self) -> Option<i64> {
        self.0.sent_at_ms
    }
    /// Number of HTTP attempts made by the failed call (0 when it failed before sending).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
    /// For [`ErrorKind::JobFailed`] from a wait: the final job.
    pub fn job(&self) -> Option<&Job> {
        self.0.job.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}", self.0.message, self.0.kind.name())?;
        if self.0.outcome_unknown {
            f.write_str(", outcome unknown")?;
        }
        if let Some(status) = self.http_status() {
            write!(f, ", HTTP {status}")?;
        }
        if let Some(code) = &self.0.api_code {
            write!(f, ", {code}")?;
        }
        if let Some(job) = &self.0.job_id {
            write!(f, ", job {job}")?;
        }
        if let Some(id) = &self.0.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// Reads like the error, with only the fields that are set, e.g.
/// `Error { code: SDRS_ENOTFOUND, message: "...", http_status: 404, api_code: "SDRS.1013" }`
/// (what `fn main() -> Result<(), sdrs::Error>` prints). The response body is left out: see
/// [`Error::body`].
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        let mut d = f.debug_struct("Error");
        d.field("code", &format_args!("{}", e.kind.name()));
        if let ErrorKind::Unknown(code) = e.kind {
            d.field("raw_code", &code);
        }
        d.field("message", &e.message);
        if let Some(status) = self.http_status() {
            d.field("http_status", &status);
        }
        let optional = [("api_code", &e.api_code), ("request_id", &e.request_id), ("job_id", &e.job_id), ("fail_reason", &e.fail_reason)];
        for (name, value) in optional {
            if let Some(v) = value {
                d.field(name, v);
            }
        }
        if e.retryable {
            d.field("retryable", &true);
        }
        if e.attempts > 0 {
            d.field("attempts", &e.attempts);
        }
        if e.outcome_unknown {
            d.field("outcome_unknown", &true);
        }
        if let Some(ms) = e.sent_at_ms {
            d.field("sent_at_ms", &ms);
        }
        d.finish()
    }
}

impl std::error::Error for Error {}

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
