// Package sdrs is the Go binding of libsdrs, the C client library for the Open Telekom Cloud
// Storage Disaster Recovery Service (SDRS v1).
//
// The binding is a thin, idiomatic layer over the stable C API (include/sdrs.h): a *Client is
// safe for concurrent use by many goroutines, every blocking call takes a context.Context whose
// cancellation and deadline are handed to the C call (cancel token and per-call deadline), and
// failures are *Error values that work with errors.Is (ErrNotFound, ErrCanceled, ...).
//
// Build requirements: cgo and the sdrs pkg-config module (libsdrs headers and libsdrs.so.1).
package sdrs

/*
#cgo pkg-config: sdrs
#include <stdlib.h>
#include <sdrs.h>

static const char *sdrs_go_header_version(void) { return SDRS_VERSION_STRING; }
*/
import "C"

import (
	"time"
	"unsafe"
)

// Version returns the run-time product version of the loaded libsdrs, e.g. "1.0.0".
func Version() string {
	return C.GoString(C.sdrs_version())
}

// VersionNumber returns the run-time SDRS_VERSION_NUMBER of the loaded libsdrs.
func VersionNumber() int {
	return int(C.sdrs_version_number())
}

// checkRuntimeVersion refuses a loaded library of another major version than the headers,
// or an older one than the headers (it could lack functions this package calls).
func checkRuntimeVersion() error {
	rt := VersionNumber()
	if rt/10000 != HeaderVersionNumber/10000 || rt < HeaderVersionNumber {
		return &Error{Op: "sdrs.NewClient", Code: CodeInvalid,
			Message: "libsdrs " + Version() + " is incompatible with the headers this binding was built with (" +
				C.GoString(C.sdrs_go_header_version()) + ")"}
	}
	return nil
}

// cString converts s to a C string the caller frees with C.free.
func cString(s string) *C.char {
	return C.CString(s)
}

// cStringOpt is cString, but NULL for "" (the C setters treat NULL as "clear / unset").
func cStringOpt(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func cFree(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// goString copies a borrowed C string; NULL (absent) becomes "".
func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// msTime converts Unix milliseconds from a C time getter; SDRS_TIME_NONE becomes the zero Time.
func msTime(ms C.int64_t) time.Time {
	if int64(ms) == timeNone {
		return time.Time{}
	}
	return time.UnixMilli(int64(ms)).UTC()
}

// durationMs converts a positive duration to whole milliseconds, rounding up so that a
// sub-millisecond remainder never becomes 0 (which the C API reads as "no deadline").
func durationMs(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++
	}
	return ms
}
