package sdrs

/*
#include <stdint.h>
#include <sdrs.h>

// Implemented in Go (callbacks.go). A runtime/cgo.Handle crosses into C as an integer and
// becomes the void *userdata only in C (never an unsafe.Pointer in Go: see client.go).
extern int sdrsGoProgress(sdrs_job *job, uintptr_t userdata);
static int sdrs_go_progress_tramp(const sdrs_job *job, void *userdata) {
  return sdrsGoProgress((sdrs_job *)job, (uintptr_t)userdata);
}
static inline int sdrs_go_set_progress(sdrs_wait_opts *w, uintptr_t h, sdrs_error **err) {
  return sdrs_wait_opts_set_progress(w, sdrs_go_progress_tramp, (void *)h, err);
}
*/
import "C"

import (
	"context"
	"errors"
	"runtime/cgo"
	"time"
)

// Cancel tokens are recycled through a small free list: a call that observes a context needs
// one, and a busy client makes many calls.
var tokenFree = make(chan *C.sdrs_cancel, 64)

func getToken() (*C.sdrs_cancel, error) {
	select {
	case t := <-tokenFree:
		return t, nil
	default:
	}
	var t *C.sdrs_cancel
	var cerr *C.sdrs_error
	if rc := C.sdrs_cancel_new(&t, &cerr); rc != 0 {
		return nil, takeError("sdrs_cancel_new", rc, cerr)
	}
	return t, nil
}

func putToken(t *C.sdrs_cancel) {
	C.sdrs_cancel_reset(t)
	select {
	case tokenFree <- t:
	default:
		C.sdrs_cancel_free(t)
	}
}

// scope ties one blocking C call to a context: a cancel token that a watcher goroutine
// triggers when ctx is done, and the deadline of ctx. end() stops the watcher before the
// token is recycled, so no goroutine outlives the call.
type scope struct {
	ctx    context.Context
	token  *C.sdrs_cancel // nil when ctx can never be done
	stop   chan struct{}
	exited chan struct{}
	// canceled is set by a wait that stopped its watcher job because ctx was done (watcher
	// waits have no token: they select on ctx.Done() themselves).
	canceled bool
}

// begin starts a scope; it fails at once (without calling C) when ctx is already done.
func begin(ctx context.Context, op string) (*scope, error) {
	if ctx == nil {
		return nil, errInvalidf(op, "ctx: must not be nil")
	}
	s := &scope{ctx: ctx}
	if err := ctx.Err(); err != nil {
		return nil, s.ctxError(op)
	}
	done := ctx.Done()
	if done == nil {
		return s, nil
	}
	t, err := getToken()
	if err != nil {
		return nil, err
	}
	s.token = t
	s.stop = make(chan struct{})
	s.exited = make(chan struct{})
	go func() {
		defer close(s.exited)
		select {
		case <-done:
			C.sdrs_cancel_trigger(t)
		case <-s.stop:
		}
	}()
	return s, nil
}

func (s *scope) end() {
	if s.token == nil {
		return
	}
	close(s.stop)
	<-s.exited
	putToken(s.token)
	s.token = nil
}

// remaining is the time left until ctx's deadline, or the earlier limit set by withLimit, in
// ms (at least 1), 0 when there is none.
func (s *scope) remaining() int64 {
	d, ok := s.ctx.Deadline()
	if l, limited := ctxLimit(s.ctx); limited && (!ok || l.Before(d)) {
		d, ok = l, true
	}
	if !ok {
		return 0
	}
	ms := durationMs(time.Until(d))
	if ms < 1 {
		ms = 1
	}
	return ms
}

// callOpts builds the sdrs_call_opts of this scope; free with C.sdrs_call_opts_free.
// NULL (no options) is returned when ctx has neither deadline nor cancellation.
func (s *scope) callOpts() (*C.sdrs_call_opts, error) {
	ms := s.remaining()
	if s.token == nil && ms == 0 {
		return nil, nil
	}
	var o *C.sdrs_call_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_call_opts_new(&o, &cerr); rc != 0 {
		return nil, takeError("sdrs_call_opts_new", rc, cerr)
	}
	if ms > 0 {
		if rc := C.sdrs_call_opts_set_timeout_ms(o, C.int64_t(ms), &cerr); rc != 0 {
			C.sdrs_call_opts_free(o)
			return nil, takeError("sdrs_call_opts_set_timeout_ms", rc, cerr)
		}
	}
	if s.token != nil {
		if rc := C.sdrs_call_opts_set_cancel(o, s.token, &cerr); rc != 0 {
			C.sdrs_call_opts_free(o)
			return nil, takeError("sdrs_call_opts_set_cancel", rc, cerr)
		}
	}
	return o, nil
}

// ctxError is the error of a call ended by its context.
func (s *scope) ctxError(op string) *Error {
	e := &Error{Op: op, cause: s.ctx.Err()}
	if errors.Is(e.cause, context.DeadlineExceeded) {
		e.Code = CodeTimeout
		e.Message = "context deadline exceeded"
	} else {
		e.Code = CodeCanceled
		e.Message = "context canceled"
	}
	return e
}

// fail converts a C failure. When the context ended the call (its token fired, or its deadline
// passed and the call timed out), the error wraps the context's error and its Code says so.
func (s *scope) fail(op string, rc C.int, cerr *C.sdrs_error) *Error {
	e := takeError(op, rc, cerr)
	triggered := s.canceled || (s.token != nil && C.sdrs_cancel_is_triggered(s.token) != 0)
	// A transfer aborted by the token may surface as a transport failure.
	if e.Code != CodeCanceled && e.Code != CodeTimeout && !(triggered && e.Code == CodeTransport) {
		return e
	}
	ctxErr := s.ctx.Err()
	if ctxErr == nil && e.Code == CodeTimeout {
		// libsdrs' clock may expire the deadline we derived from ctx a moment before ctx's own
		// timer fires; wait for it briefly so that the error says DeadlineExceeded.
		if d, ok := s.ctx.Deadline(); ok && time.Until(d) < 50*time.Millisecond {
			t := time.NewTimer(time.Until(d) + 50*time.Millisecond)
			select {
			case <-s.ctx.Done():
			case <-t.C:
			}
			t.Stop()
			ctxErr = s.ctx.Err()
		}
	}
	if ctxErr == nil {
		return e
	}
	if !triggered && !(e.Code == CodeTimeout && errors.Is(ctxErr, context.DeadlineExceeded)) {
		return e // e.g. a progress callback stopped the wait, or an option's own timeout
	}
	e.cause = ctxErr
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		e.Code = CodeTimeout
	} else {
		e.Code = CodeCanceled
	}
	return e
}

// WaitOpts tune WaitJob and the Create*AndWait methods. Zero fields keep libsdrs' defaults.
// The context's deadline, when earlier than Timeout, also bounds the wait.
type WaitOpts struct {
	InitialInterval time.Duration // first delay between polls (default 1 s, 10 ms..10 min)
	MaxInterval     time.Duration // largest delay between polls (default 10 s, >= InitialInterval)
	MultiplierPct   int           // growth of the delay in percent (default 150, 100..1000)
	JitterPct       int           // jitter in percent of each delay (default 20, 0..100); see NoJitter
	NoJitter        bool          // sets the jitter to 0 (JitterPct 0 means "default")
	Timeout         time.Duration // overall deadline (default 30 min)

	// Progress, when set, is called with the job on every status read, on the goroutine that
	// called WaitJob (with Watcher.AddFunc: where the watcher runs its callbacks). Return true
	// to keep waiting, false to stop: the wait then fails with ErrCanceled.
	Progress func(job *Job) bool

	// Blocking makes WaitJob hold its goroutine's OS thread in one sdrs_job_wait call for the
	// whole wait, as before the watcher existed: the progress callback then runs between two
	// polls (a stop takes effect before the next poll) and no watcher caps apply. By default
	// WaitJob parks the goroutine and the client's watcher polls (see Watcher). The same for
	// the Create*AndWait methods: Blocking makes them one sdrs_*_create_and_wait call. Ignored
	// by Watcher.WaitJob and Watcher.AddFunc.
	Blocking bool
}

// progressState is the userdata of the progress trampoline.
type progressState struct {
	fn       func(*Job) bool
	panicked bool
	panicVal interface{}
}

// waitOpts builds the sdrs_wait_opts of this scope (free with C.sdrs_wait_opts_free). When
// the options carry a progress callback, the returned handle must be deleted after the call.
func (s *scope) waitOpts(o *WaitOpts) (*C.sdrs_wait_opts, *progressState, cgo.Handle, error) {
	w, err := s.waitOptsNoProgress(o)
	if err != nil || o == nil || o.Progress == nil {
		return w, nil, 0, err
	}
	ps := &progressState{fn: o.Progress}
	h := cgo.NewHandle(ps)
	var cerr *C.sdrs_error
	if rc := C.sdrs_go_set_progress(w, C.uintptr_t(h), &cerr); rc != 0 {
		h.Delete()
		C.sdrs_wait_opts_free(w)
		return nil, nil, 0, takeError("sdrs_wait_opts_set_progress", rc, cerr)
	}
	return w, ps, h, nil
}

// waitOptsNoProgress builds the sdrs_wait_opts of this scope without the progress callback
// (free with C.sdrs_wait_opts_free): backoff, the deadline (the earlier of o.Timeout and
// ctx's) and the scope's cancel token, if any.
func (s *scope) waitOptsNoProgress(o *WaitOpts) (*C.sdrs_wait_opts, error) {
	var w *C.sdrs_wait_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_wait_opts_new(&w, &cerr); rc != 0 {
		return nil, takeError("sdrs_wait_opts_new", rc, cerr)
	}
	fail := func(op string, rc C.int) (*C.sdrs_wait_opts, error) {
		C.sdrs_wait_opts_free(w)
		return nil, takeError(op, rc, cerr)
	}
	if o == nil {
		o = &WaitOpts{}
	}
	if o.InitialInterval > 0 {
		if rc := C.sdrs_wait_opts_set_initial_interval_ms(w, C.int64_t(durationMs(o.InitialInterval)), &cerr); rc != 0 {
			return fail("sdrs_wait_opts_set_initial_interval_ms", rc)
		}
	}
	if o.MaxInterval > 0 {
		if rc := C.sdrs_wait_opts_set_max_interval_ms(w, C.int64_t(durationMs(o.MaxInterval)), &cerr); rc != 0 {
			return fail("sdrs_wait_opts_set_max_interval_ms", rc)
		}
	}
	if o.MultiplierPct != 0 {
		if rc := C.sdrs_wait_opts_set_multiplier_pct(w, C.int32_t(o.MultiplierPct), &cerr); rc != 0 {
			return fail("sdrs_wait_opts_set_multiplier_pct", rc)
		}
	}
	if o.JitterPct != 0 || o.NoJitter {
		j := o.JitterPct
		if o.NoJitter {
			j = 0
		}
		if rc := C.sdrs_wait_opts_set_jitter_pct(w, C.int32_t(j), &cerr); rc != 0 {
			return fail("sdrs_wait_opts_set_jitter_pct", rc)
		}
	}
	timeout := durationMs(o.Timeout)
	if rem := s.remaining(); rem > 0 && (timeout == 0 || rem < timeout) {
		timeout = rem
	}
	if timeout > 0 {
		if rc := C.sdrs_wait_opts_set_timeout_ms(w, C.int64_t(timeout), &cerr); rc != 0 {
			return fail("sdrs_wait_opts_set_timeout_ms", rc)
		}
	}
	if s.token != nil {
		if rc := C.sdrs_wait_opts_set_cancel(w, s.token, &cerr); rc != 0 {
			return fail("sdrs_wait_opts_set_cancel", rc)
		}
	}
	return w, nil
}

// finishProgress releases the callback handle and re-raises a panic of the callback on the
// calling goroutine (the trampoline stopped it at the C boundary).
func finishProgress(ps *progressState, h cgo.Handle) {
	if ps == nil {
		return
	}
	h.Delete()
	if ps.panicked {
		panic(ps.panicVal)
	}
}
