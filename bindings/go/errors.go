package sdrs

/*
#include <sdrs.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Code is a libsdrs result code (the negative SDRS_E* numbers of sdrs/common.h). The numbers
// are stable; an unknown negative number is a generic failure.
type Code int

// String returns the symbolic name ("SDRS_ENOTFOUND"), "SDRS_UNKNOWN" for unknown codes.
func (c Code) String() string {
	return C.GoString(C.sdrs_error_name(C.int(c)))
}

// Description returns libsdrs' English description of the code (sdrs_strerror).
func (c Code) Description() string {
	return StrError(int(c))
}

// StrError returns libsdrs' description of any result code (sdrs_strerror).
func StrError(code int) string {
	return C.GoString(C.sdrs_strerror(C.int(code)))
}

// ErrorName returns the symbolic name of any result code (sdrs_error_name).
func ErrorName(code int) string {
	return C.GoString(C.sdrs_error_name(C.int(code)))
}

// Error is the error returned by every failing call of this package. Compare it with the
// sentinel values (errors.Is(err, sdrs.ErrNotFound)) or read its fields with errors.As.
//
// When a call failed because its context was canceled or its deadline passed, the error also
// satisfies errors.Is(err, context.Canceled) or errors.Is(err, context.DeadlineExceeded).
type Error struct {
	Op         string // the C function or Go method that failed, e.g. "sdrs_pg_get"
	Code       Code   // the SDRS_E* code
	Message    string // human-readable detail; validation errors name the field
	HTTPStatus int    // HTTP status of the response that caused the error, 0 when none
	APICode    string // the service's error code, e.g. "SDRS.1013" (failed job: its error_code)
	RequestID  string // X-Request-Id of the failing response, "" when absent
	Body       string // raw response body (failed job: the job's JSON), "" when none
	Retryable  bool   // repeating the same call later may succeed
	Attempts   int    // HTTP attempts made (0 when the call failed before sending)
	JobID      string // for ErrJobFailed: the job id
	FailReason string // for ErrJobFailed: the job's fail_reason

	// OutcomeUnknown is true when a non-idempotent request (a create or an action) was sent
	// but no answer says whether the service acted on it. Such an error is never Retryable:
	// sending the request again could create a second resource. Reconcile first, e.g. with
	// FindCreatedProtectionGroup(ctx, spec, e.SentAt) after a lost create.
	OutcomeUnknown bool
	// SentAt is when the request that may have been acted on was sent (local clock); the
	// zero Time unless OutcomeUnknown.
	SentAt time.Time

	cause    error // the context error when the context ended the call
	sentinel bool
}

// Sentinel errors: errors.Is(err, ErrX) is true when err is an *Error with that Code.
var (
	ErrInvalid    = sentinel(CodeInvalid)
	ErrValidation = sentinel(CodeValidation)
	ErrAuth       = sentinel(CodeAuth)
	ErrForbidden  = sentinel(CodeForbidden)
	ErrNotFound   = sentinel(CodeNotFound)
	ErrConflict   = sentinel(CodeConflict)
	ErrRateLimit  = sentinel(CodeRateLimit)
	ErrServer     = sentinel(CodeServer)
	ErrTimeout    = sentinel(CodeTimeout)
	ErrCanceled   = sentinel(CodeCanceled)
	ErrTransport  = sentinel(CodeTransport)
	ErrTLS        = sentinel(CodeTLS)
	ErrProtocol   = sentinel(CodeProtocol)
	ErrJobFailed  = sentinel(CodeJobFailed)
	ErrNoMem      = sentinel(CodeNoMem)
	ErrInternal   = sentinel(CodeInternal)
	ErrRequest    = sentinel(CodeRequest)
	ErrQuota      = sentinel(CodeQuota)
)

func sentinel(c Code) *Error {
	return &Error{Code: c, Message: StrError(int(c)), sentinel: true}
}

// IsOutcomeUnknown reports whether err (or an error it wraps) is an *Error whose request may
// have been acted on by the service (Error.OutcomeUnknown): do not repeat the request before
// finding out what it did.
func IsOutcomeUnknown(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.OutcomeUnknown
}

// Error formats the failure: "sdrs: op: message (SDRS_ENOTFOUND, HTTP 404, SDRS.1013, request X)",
// with ", outcome unknown" after the code when the service may have acted on the request.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("sdrs: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	b.WriteString(" (")
	b.WriteString(e.Code.String())
	if e.OutcomeUnknown {
		b.WriteString(", outcome unknown")
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ", HTTP %d", e.HTTPStatus)
	}
	if e.APICode != "" {
		b.WriteString(", ")
		b.WriteString(e.APICode)
	}
	if e.JobID != "" {
		b.WriteString(", job ")
		b.WriteString(e.JobID)
	}
	if e.RequestID != "" {
		b.WriteString(", request ")
		b.WriteString(e.RequestID)
	}
	b.WriteString(")")
	return b.String()
}

// Is reports whether target is the sentinel of e's Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Code == e.Code
}

// Unwrap returns the context error (context.Canceled / context.DeadlineExceeded) when the
// context ended the call, nil otherwise.
func (e *Error) Unwrap() error {
	return e.cause
}

// takeError converts (and frees) a C error handle. rc is the call's return code, used when the
// handle is missing.
func takeError(op string, rc C.int, cerr *C.sdrs_error) *Error {
	e := &Error{Op: op, Code: Code(rc)}
	if cerr != nil {
		if c := C.sdrs_error_code(cerr); c != 0 {
			e.Code = Code(c)
		}
		e.Message = goString(C.sdrs_error_message(cerr))
		e.HTTPStatus = int(C.sdrs_error_http_status(cerr))
		e.APICode = goString(C.sdrs_error_api_code(cerr))
		e.RequestID = goString(C.sdrs_error_request_id(cerr))
		e.Body = goString(C.sdrs_error_body(cerr))
		e.JobID = goString(C.sdrs_error_job_id(cerr))
		e.FailReason = goString(C.sdrs_error_fail_reason(cerr))
		e.Retryable = C.sdrs_error_retryable(cerr) != 0
		e.Attempts = int(C.sdrs_error_attempts(cerr))
		e.OutcomeUnknown = C.sdrs_error_outcome_unknown(cerr) != 0
		e.SentAt = msTime(C.sdrs_error_sent_at_ms(cerr))
		C.sdrs_error_free(cerr)
	}
	if e.Message == "" {
		e.Message = StrError(int(e.Code))
	}
	return e
}

// errInvalidf builds an SDRS_EINVAL error raised by the binding itself.
func errInvalidf(op, format string, args ...interface{}) *Error {
	return &Error{Op: op, Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}
