//! Conversions at the C boundary: strings, durations, return codes.

use std::ffi::{c_char, c_int, CStr, CString};
use std::ptr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Error, ErrorKind};

/// Turns a return code plus error handle into a `Result`, taking ownership of the handle.
///
/// # Safety
/// `err` must be NULL or an error handle produced by the call that returned `rc`.
pub(crate) unsafe fn check(rc: c_int, err: *mut sdrs_sys::sdrs_error) -> Result<(), Error> {
    if rc == 0 {
        // The contract leaves *err untouched on success; free defensively anyway.
        if !err.is_null() {
            sdrs_sys::sdrs_error_free(err);
        }
        Ok(())
    } else {
        Err(Error::from_raw(rc, err))
    }
}

/// A Rust string as a C string; an interior NUL byte is an `InvalidArgument` naming the field.
pub(crate) fn c_string(field: &str, value: &str) -> Result<CString, Error> {
    CString::new(value).map_err(|_| {
        Error::new(ErrorKind::InvalidArgument, format!("{field}: must not contain a NUL byte"))
    })
}

pub(crate) fn opt_c_string(field: &str, value: Option<&str>) -> Result<Option<CString>, Error> {
    value.map(|v| c_string(field, v)).transpose()
}

pub(crate) fn opt_ptr(value: &Option<CString>) -> *const c_char {
    value.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

/// Copies a borrowed C string (NULL -> None). Invalid UTF-8 is replaced, never rejected.
///
/// # Safety
/// `p` must be NULL or a valid NUL-terminated string.
pub(crate) unsafe fn opt_string(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
}

/// Borrows a C string for `'a` (NULL or invalid UTF-8 -> None).
///
/// # Safety
/// `p` must be NULL or a valid NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn opt_str<'a>(p: *const c_char) -> Option<&'a str> {
    if p.is_null() {
        None
    } else {
        CStr::from_ptr(p).to_str().ok()
    }
}

/// # Safety
/// `p` must be a static NUL-terminated string (or NULL).
pub(crate) unsafe fn static_str(p: *const c_char) -> &'static str {
    opt_str(p).unwrap_or("")
}

/// Takes ownership of a string libsdrs handed out, copying it and freeing the original.
///
/// # Safety
/// `p` must be NULL or a string allocated by libsdrs for the caller.
pub(crate) unsafe fn take_string(p: *mut c_char) -> String {
    let s = opt_string(p).unwrap_or_default();
    sdrs_sys::sdrs_string_free(p);
    s
}

/// A duration as whole milliseconds for the C API; a non-zero duration below 1 ms becomes 1
/// (0 means "none" in several setters), huge values saturate.
pub(crate) fn millis(d: Duration) -> i64 {
    if d.is_zero() {
        return 0;
    }
    let ms = d.as_nanos().div_ceil(1_000_000);
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// Converts the -1 "absent" convention of integer getters.
pub(crate) fn non_negative(v: i64) -> Option<i64> {
    (v >= 0).then_some(v)
}

/// Converts the SDRS_TIME_NONE convention of time getters.
pub(crate) fn time_ms(v: i64) -> Option<i64> {
    (v != sdrs_sys::SDRS_TIME_NONE).then_some(v)
}

/// Unix milliseconds as a `SystemTime` (`None` stays `None`, as does an unrepresentable time).
pub(crate) fn to_system_time(ms: Option<i64>) -> Option<SystemTime> {
    let ms = ms?;
    if ms >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_millis(ms as u64))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_millis(ms.unsigned_abs()))
    }
}

/// A `SystemTime` as Unix milliseconds (negative before 1970, saturating far out of range).
pub(crate) fn to_unix_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN + 1, |ms| -ms),
    }
}

/// Allocates a builder handle through its `_new` function.
///
/// # Safety
/// `new` must be an `sdrs_X_new(out, err)` function.
pub(crate) unsafe fn new_handle<T>(
    new: unsafe extern "C" fn(*mut *mut T, *mut *mut sdrs_sys::sdrs_error) -> c_int,
) -> Result<ptr::NonNull<T>, Error> {
    let mut out = ptr::null_mut();
    let mut err = ptr::null_mut();
    let rc = new(&mut out, &mut err);
    check(rc, err)?;
    ptr::NonNull::new(out)
        .ok_or_else(|| Error::new(ErrorKind::Internal, "libsdrs returned a NULL handle"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_rounds_up_and_saturates() {
        assert_eq!(millis(Duration::ZERO), 0);
        assert_eq!(millis(Duration::from_micros(1)), 1);
        assert_eq!(millis(Duration::from_micros(1500)), 2);
        assert_eq!(millis(Duration::from_secs(3)), 3000);
        assert_eq!(millis(Duration::MAX), i64::MAX);
    }

    #[test]
    fn absent_value_conventions() {
        assert_eq!(non_negative(-1), None);
        assert_eq!(non_negative(0), Some(0));
        assert_eq!(time_ms(sdrs_sys::SDRS_TIME_NONE), None);
        assert_eq!(time_ms(-5), Some(-5));
    }

    #[test]
    fn unix_ms_round_trips() {
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(to_unix_ms(t), 1_700_000_000_123);
        assert_eq!(to_system_time(Some(1_700_000_000_123)), Some(t));
        assert_eq!(to_unix_ms(UNIX_EPOCH - Duration::from_millis(5)), -5);
        assert_eq!(to_system_time(Some(-5)), Some(UNIX_EPOCH - Duration::from_millis(5)));
        assert_eq!(to_system_time(None), None);
    }

    #[test]
    fn nul_bytes_are_invalid_arguments() {
        let e = c_string("name", "a\0b").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert_eq!(e.message(), "name: must not contain a NUL byte");
        assert_eq!(e.to_string(), "name: must not contain a NUL byte (SDRS_EINVAL)");
        assert!(opt_c_string("x", None).unwrap().is_none());
        // Debug reads like the error: the code's name, not an internal struct.
        assert_eq!(format!("{e:?}"), r#"Error { code: SDRS_EINVAL, message: "name: must not contain a NUL byte" }"#);
    }
}
