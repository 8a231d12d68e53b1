package sdrs

/*
#include <stdint.h>
#include <sdrs.h>

// Implemented in Go (callbacks.go). A runtime/cgo.Handle crosses into C as an integer and
// becomes the void *userdata only in C (never an unsafe.Pointer in Go: see client.go).
extern void sdrsGoWatchDone(uint64_t ticket, char *job_id, int rc, sdrs_job *job, sdrs_error *err,
                            uintptr_t userdata);
extern int sdrsGoWatchProgress(sdrs_job *job, uintptr_t userdata);

static void sdrs_go_watch_done_tramp(uint64_t ticket, const char *job_id, int rc, sdrs_job *job,
                                     sdrs_error *err, void *userdata) {
  sdrsGoWatchDone(ticket, (char *)job_id, rc, job, err, (uintptr_t)userdata);
}
static int sdrs_go_watch_progress_tramp(const sdrs_job *job, void *userdata) {
  return sdrsGoWatchProgress((sdrs_job *)job, (uintptr_t)userdata);
}
static inline int sdrs_go_set_watch_progress(sdrs_wait_opts *w, uintptr_t h, sdrs_error **err) {
  return sdrs_wait_opts_set_progress(w, sdrs_go_watch_progress_tramp, (void *)h, err);
}
static inline int sdrs_go_watcher_add(sdrs_watcher *w, const char *job_id,
                                      const sdrs_wait_opts *opts, uintptr_t h,
                                      uint64_t *ticket, sdrs_error **err) {
  return sdrs_watcher_add(w, job_id, opts, sdrs_go_watch_done_tramp, (void *)h, ticket, err);
}
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
	"runtime/cgo"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Design. A Watcher wraps one sdrs_watcher: one library thread that polls every job added to
// it over one curl multi handle and reports each job's end through a C callback. Watchers are
// per client (sdrs_watcher_new takes the client whose connections, retries and credentials
// the polls use), so there is no library-wide watcher: every Client starts its own on its
// first WaitJob (lazily, so clients that never wait start no thread) and frees it with the C
// client. Code that wants other caps, manual dispatch or per-job cancel creates its own with
// NewWatcher.
//
// A wait in Go is a watchState. Its cgo.Handle is the C userdata of the completion (and
// progress) callback, so C never holds a Go pointer; the completion callback (sdrsGoWatchDone,
// on the watcher's thread) deletes the handle and either closes the state's done channel
// (WaitJob: the goroutine parks in a select on it and ctx.Done()) or calls the AddFunc
// function. A goroutine in WaitJob therefore holds no OS thread, and no helper goroutine
// exists per wait: the waiting goroutine itself selects on ctx.Done() and asks the watcher to
// cancel the job (sdrs_watcher_cancel), and it always waits for the callback before it
// returns, so every handle is deleted and every C job and error freed exactly once.

// Ticket identifies a job added to a Watcher (unique within that watcher).
type Ticket uint64

// Watcher follows many jobs of one client at once from one library thread (sdrs_watcher,
// include/sdrs/watcher.h), so that a waiting goroutine holds no OS thread: 10,000 goroutines
// in WaitJob cost a few KiB each and one thread. Client.WaitJob uses a watcher of its own that
// it starts on first use; create one with NewWatcher for other caps on polls per second and
// requests in flight, for per-job cancel (AddFunc and Cancel), or for manual dispatch.
//
// A Watcher is safe for concurrent use. It keeps its client alive: the client's C handle is
// freed after both Client.Close and Watcher.Close. Close it when done; a finalizer closes a
// Watcher that becomes unreachable with no job pending.
type Watcher struct {
	mu     sync.Mutex
	ptr    *C.sdrs_watcher
	refs   int // C calls in progress on ptr
	closed bool
	client *Client // pinned (acquired) until the C watcher is freed; nil for a client's own watcher
	manual bool
	// dispatching serializes Dispatch: libsdrs allows one dispatching thread at a time.
	dispatching sync.Mutex
}

// WatcherOption configures NewWatcher.
type WatcherOption func(*watcherConfig)

type watcherConfig struct {
	maxPollsPerSec *int
	maxInFlight    *int
	dispatch       *WatcherDispatch
}

// WithMaxPollsPerSec caps the polls the watcher starts per second, all jobs together (default
// 100, range 1..100000). Polls beyond it are delayed, never dropped; deadlines still apply.
func WithMaxPollsPerSec(n int) WatcherOption {
	return func(c *watcherConfig) { c.maxPollsPerSec = &n }
}

// WithMaxInFlight caps the HTTP requests the watcher has in flight at once, which also bounds
// its connections (default 8, range 1..256).
func WithMaxInFlight(n int) WatcherOption {
	return func(c *watcherConfig) { c.maxInFlight = &n }
}

// WithDispatch chooses where callbacks run: WatcherDispatchThread (default) on the watcher's
// own thread, WatcherDispatchManual on the goroutine that calls Dispatch (see FD).
func WithDispatch(d WatcherDispatch) WatcherOption {
	return func(c *watcherConfig) { c.dispatch = &d }
}

// NewWatcher starts a watcher (and its thread) for c's jobs. Options are checked by libsdrs
// (ErrValidation naming the option).
func NewWatcher(c *Client, opts ...WatcherOption) (*Watcher, error) {
	var cfg watcherConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	cl, err := c.acquire("sdrs_watcher_new")
	if err != nil {
		return nil, err
	}
	w, err := newWatcher(cl, cfg)
	if err != nil {
		c.release()
		return nil, err
	}
	w.client = c
	runtime.SetFinalizer(w, (*Watcher).Close)
	return w, nil
}

// newWatcher creates the C watcher; the caller pins cl for the watcher's life.
func newWatcher(cl *C.sdrs_client, cfg watcherConfig) (*Watcher, error) {
	var o *C.sdrs_watcher_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_watcher_opts_new(&o, &cerr); rc != 0 {
		return nil, takeError("sdrs_watcher_opts_new", rc, cerr)
	}
	defer C.sdrs_watcher_opts_free(o)
	if cfg.maxPollsPerSec != nil {
		if rc := C.sdrs_watcher_opts_set_max_polls_per_sec(o, clampInt32(*cfg.maxPollsPerSec), &cerr); rc != 0 {
			return nil, takeError("sdrs_watcher_opts_set_max_polls_per_sec", rc, cerr)
		}
	}
	if cfg.maxInFlight != nil {
		if rc := C.sdrs_watcher_opts_set_max_in_flight(o, clampInt32(*cfg.maxInFlight), &cerr); rc != 0 {
			return nil, takeError("sdrs_watcher_opts_set_max_in_flight", rc, cerr)
		}
	}
	w := &Watcher{}
	if cfg.dispatch != nil {
		if rc := C.sdrs_watcher_opts_set_dispatch(o, C.int32_t(*cfg.dispatch), &cerr); rc != 0 {
			return nil, takeError("sdrs_watcher_opts_set_dispatch", rc, cerr)
		}
		w.manual = *cfg.dispatch == WatcherDispatchManual
	}
	if rc := C.sdrs_watcher_new(&w.ptr, cl, o, &cerr); rc != 0 {
		return nil, takeError("sdrs_watcher_new", rc, cerr)
	}
	atomic.AddInt64(&liveWatchers, 1)
	return w, nil
}

// clampInt32 keeps an out-of-range int out of range in int32 (so libsdrs rejects it rather
// than a truncated value being accepted).
func clampInt32(n int) C.int32_t {
	switch {
	case n > 1<<31-1:
		return C.int32_t(1<<31 - 1)
	case n < -1<<31:
		return C.int32_t(-1 << 31)
	}
	return C.int32_t(n)
}

// liveWatchers counts C watchers not yet freed (read by the tests through export_test.go).
var liveWatchers int64

// acquire pins the C watcher for one non-blocking C call; release must follow.
func (w *Watcher) acquire(op string) (*C.sdrs_watcher, error) {
	if w == nil {
		return nil, errInvalidf(op, "watcher: must not be nil")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, &Error{Op: op, Code: CodeCanceled, Message: "watcher: closed"}
	}
	w.refs++
	return w.ptr, nil
}

func (w *Watcher) release() {
	w.mu.Lock()
	w.refs--
	free := w.closed && w.refs == 0
	w.mu.Unlock()
	if free {
		w.free()
	}
	runtime.KeepAlive(w)
}

// free releases the C watcher (its shutdown completes every pending job with ErrCanceled
// first, and runs callbacks still queued in the manual mode on this goroutine) and unpins
// the client. Called once, when closed and no C call is in progress.
func (w *Watcher) free() {
	C.sdrs_watcher_free(w.ptr)
	w.ptr = nil
	atomic.AddInt64(&liveWatchers, -1)
	if w.client != nil {
		w.client.release()
	}
}

// Close shuts the watcher down: it refuses further jobs, stops polling, and completes every
// pending job with ErrCanceled (each AddFunc function runs once, each WaitJob returns), then
// frees it. With WatcherDispatchThread the callbacks have all run when Close returns; with
// WatcherDispatchManual Close runs the queued ones on its goroutine. Called from one of the
// watcher's own callbacks, the shutdown happens when that callback returns. Idempotent; it
// always returns nil.
func (w *Watcher) Close() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	runtime.SetFinalizer(w, nil)
	now := w.refs == 0
	if !now {
		// A call such as Dispatch is in progress: the last one frees the watcher. Shut it down
		// already (safe concurrently with those calls), so that in the thread mode every
		// callback has run when Close returns.
		var cerr *C.sdrs_error
		if rc := C.sdrs_watcher_shutdown(w.ptr, &cerr); rc != 0 {
			C.sdrs_error_free(cerr) // SDRS_EINVAL: called from a callback; the free defers it
		}
	}
	w.mu.Unlock()
	if now {
		w.free()
	}
	return nil
}

// Pending reports how many added jobs have not completed yet (0 after Close).
func (w *Watcher) Pending() int {
	p, err := w.acquire("sdrs_watcher_pending")
	if err != nil {
		return 0
	}
	defer w.release()
	return int(C.sdrs_watcher_pending(p))
}

// Cancel stops following one job added with AddFunc: its function runs with ErrCanceled
// (soon, where callbacks run) unless it already ran or is about to run with another result.
// ErrNotFound when the ticket is unknown or its function already ran.
func (w *Watcher) Cancel(t Ticket) error {
	p, err := w.acquire("sdrs_watcher_cancel")
	if err != nil {
		return err
	}
	defer w.release()
	var cerr *C.sdrs_error
	if rc := C.sdrs_watcher_cancel(p, C.uint64_t(t), &cerr); rc != 0 {
		return takeError("sdrs_watcher_cancel", rc, cerr)
	}
	return nil
}

// FD returns, with WatcherDispatchManual, a descriptor that polls readable (epoll, poll,
// select) while callbacks are queued; run them with Dispatch. It belongs to the watcher: do
// not read or close it, and stop using it before Close. ErrInvalid in the thread mode.
func (w *Watcher) FD() (int, error) {
	p, err := w.acquire("sdrs_watcher_fd")
	if err != nil {
		return -1, err
	}
	defer w.release()
	var fd C.int
	var cerr *C.sdrs_error
	if rc := C.sdrs_watcher_fd(p, &fd, &cerr); rc != 0 {
		return -1, takeError("sdrs_watcher_fd", rc, cerr)
	}
	return int(fd), nil
}

// Dispatch runs, with WatcherDispatchManual, up to max queued callbacks (0: all queued now) on
// the calling goroutine and returns how many ran; it never waits for work. One goroutine at a
// time: a second concurrent call, or one from inside a callback, fails with ErrInvalid.
// ErrInvalid in the thread mode.
func (w *Watcher) Dispatch(max int) (int, error) {
	if max < 0 {
		return 0, errInvalidf("sdrs_watcher_dispatch", "max: must be >= 0, got %d", max)
	}
	p, err := w.acquire("sdrs_watcher_dispatch")
	if err != nil {
		return 0, err
	}
	defer w.release()
	if !w.dispatching.TryLock() {
		return 0, errInvalidf("sdrs_watcher_dispatch", "watcher: Dispatch is already running (on another goroutine, or this is one of its callbacks)")
	}
	defer w.dispatching.Unlock()
	var n C.size_t
	var cerr *C.sdrs_error
	if rc := C.sdrs_watcher_dispatch(p, C.size_t(max), &n, &cerr); rc != 0 {
		return int(n), takeError("sdrs_watcher_dispatch", rc, cerr)
	}
	return int(n), nil
}

// watchState is the Go side of one added job; the C userdata of its callbacks is its handle.
type watchState struct {
	h     cgo.Handle
	jobID string
	// w keeps the watcher reachable (through the handle) while the job is pending, so that
	// its finalizer never cancels jobs whose functions still wait to run.
	w *Watcher

	// AddFunc: fn runs in the completion callback, progress in the progress callback.
	fn       func(*Job, error)
	progress func(*Job) bool

	// WaitJob: the callback stores the C result and closes done; the waiting goroutine
	// converts and frees it. Progress reports are queued for the waiting goroutine, which
	// runs the Progress function; stopped makes the next report stop the C wait.
	done    chan struct{}
	rc      C.int
	job     *C.sdrs_job
	cerr    *C.sdrs_error
	mu      sync.Mutex
	reports []*Job
	notify  chan struct{} // capacity 1: "reports is not empty"
	stopped atomic.Bool
}

// add registers st with the watcher; on success the completion callback will run exactly
// once. wo is copied by libsdrs.
func (w *Watcher) add(op string, st *watchState, wo *C.sdrs_wait_opts, withProgress bool) (Ticket, error) {
	p, err := w.acquire(op)
	if err != nil {
		return 0, err
	}
	defer w.release()
	id := cString(st.jobID)
	defer cFree(id)
	st.w = w
	st.h = cgo.NewHandle(st)
	ud := C.uintptr_t(st.h)
	var cerr *C.sdrs_error
	if withProgress {
		if rc := C.sdrs_go_set_watch_progress(wo, ud, &cerr); rc != 0 {
			st.h.Delete()
			return 0, takeError("sdrs_wait_opts_set_progress", rc, cerr)
		}
	}
	var ticket C.uint64_t
	if rc := C.sdrs_go_watcher_add(p, id, wo, ud, &ticket, &cerr); rc != 0 {
		st.h.Delete() // the callback never runs
		return 0, takeError(op, rc, cerr)
	}
	return Ticket(ticket), nil
}

// AddFunc follows a job and calls fn exactly once with what WaitJob would return: the final
// job and nil on SUCCESS; the final job and an ErrJobFailed error on FAIL; ErrTimeout at the
// deadline (opts.Timeout, default 30 min); ErrCanceled on Cancel, a Progress function
// returning false, or Close. opts may be nil.
//
// fn and opts.Progress run where the watcher runs callbacks: on its own thread
// (WatcherDispatchThread), or in Dispatch. On the watcher's thread they hold up the polls of
// every job of this watcher while they run, so they must return quickly; they may call AddFunc,
// Cancel and Pending of any watcher and any non-blocking code, but must not wait (no WaitJob on
// this watcher, no channel sends that can block). A panic in them cannot be returned to
// anyone: it ends the program, as a panic in a goroutine of its own would.
//
// On failure (a bad option or job id: ErrValidation; a closed watcher: ErrCanceled) fn never runs.
func (w *Watcher) AddFunc(jobID string, opts *WaitOpts, fn func(job *Job, err error)) (Ticket, error) {
	const op = "sdrs_watcher_add"
	if fn == nil {
		return 0, errInvalidf(op, "fn: must not be nil")
	}
	s := &scope{ctx: context.Background()}
	wo, err := s.waitOptsNoProgress(opts)
	if err != nil {
		return 0, err
	}
	defer C.sdrs_wait_opts_free(wo)
	st := &watchState{jobID: jobID, fn: fn}
	if opts != nil {
		st.progress = opts.Progress
	}
	return w.add(op, st, wo, st.progress != nil)
}

// WaitJob waits for a job through this watcher: Client.WaitJob's semantics (the result, the
// context's cancel and deadline, Progress on the calling goroutine) with this watcher's caps.
// The goroutine is parked while it waits; it holds no OS thread. Close ends the wait with
// ErrCanceled. With WatcherDispatchManual the result arrives only through Dispatch.
func (w *Watcher) WaitJob(ctx context.Context, jobID string, opts *WaitOpts) (*Job, error) {
	return w.wait(ctx, jobID, opts)
}

// wait is WaitJob: add the job, then park on its completion, ctx and progress reports.
func (w *Watcher) wait(ctx context.Context, jobID string, opts *WaitOpts) (*Job, error) {
	const op = "sdrs_watcher_add"
	if ctx == nil {
		return nil, errInvalidf(op, "ctx: must not be nil")
	}
	s := &scope{ctx: ctx}
	if ctx.Err() != nil {
		return nil, s.ctxError(op)
	}
	wo, err := s.waitOptsNoProgress(opts)
	if err != nil {
		return nil, err
	}
	st := &watchState{jobID: jobID, done: make(chan struct{})}
	var progress func(*Job) bool
	if opts != nil && opts.Progress != nil {
		progress = opts.Progress
		st.notify = make(chan struct{}, 1)
	}
	ticket, err := w.add(op, st, wo, progress != nil)
	C.sdrs_wait_opts_free(wo)
	if err != nil {
		return nil, err
	}

	// From here on the callback runs exactly once; every path waits for it.
	var panicked bool
	var panicVal interface{}
	stop := func() {
		if !st.stopped.Swap(true) {
			_ = w.Cancel(ticket) // ErrNotFound: it completed already; closed: Close completes it
		}
	}
	// report runs Progress on this goroutine; false or a panic stops the wait.
	report := func(j *Job) {
		defer func() {
			if r := recover(); r != nil {
				panicked, panicVal = true, r
				stop()
			}
		}()
		if !progress(j) {
			stop()
		}
	}
	drain := func() {
		st.mu.Lock()
		reports := st.reports
		st.reports = nil
		st.mu.Unlock()
		for _, j := range reports {
			if st.stopped.Load() {
				return // the sync wait would not have called Progress again
			}
			report(j)
		}
	}
	ctxDone := ctx.Done()
	for finished := false; !finished; {
		select {
		case <-st.done:
			finished = true
		case <-st.notify:
			drain()
		case <-ctxDone:
			ctxDone = nil
			s.canceled = true
			stop()
		}
	}
	// Reports made before the completion are all queued now (same thread, in order).
	if progress != nil {
		drain()
	}
	var job *Job
	var ferr error
	switch {
	case st.stopped.Load() && !s.canceled:
		// Stopped by Progress: sdrs_job_wait would have returned SDRS_ECANCELED before looking
		// at any later poll, whatever the job did meanwhile.
		if st.cerr != nil {
			C.sdrs_error_free(st.cerr)
		}
		if st.job != nil {
			C.sdrs_job_free(st.job)
		}
		ferr = &Error{Op: op, Code: CodeCanceled, Message: "waiting for job " + jobID + ": stopped by the progress callback"}
	case st.rc != 0:
		ferr = s.fail(op, st.rc, st.cerr)
		job = takeJob(st.job)
	default:
		job = takeJob(st.job)
	}
	if panicked {
		panic(panicVal)
	}
	return job, ferr
}

// watchDone is the completion callback's work (see sdrsGoWatchDone).
func watchDone(h cgo.Handle, rc C.int, job *C.sdrs_job, cerr *C.sdrs_error) {
	st := h.Value().(*watchState)
	h.Delete()
	if st.fn == nil {
		st.rc, st.job, st.cerr = rc, job, cerr
		close(st.done) // publishes the fields to the waiting goroutine
		return
	}
	var err error
	if rc != 0 {
		err = takeError("sdrs_watcher_add", rc, cerr)
	} else if cerr != nil {
		C.sdrs_error_free(cerr)
	}
	j := takeJob(job)
	callUser(func() { st.fn(j, err) })
}

// watchProgress is the progress callback's work (see sdrsGoWatchProgress); nonzero stops.
func watchProgress(h cgo.Handle, job *C.sdrs_job) C.int {
	st := h.Value().(*watchState)
	if st.fn != nil {
		keep := true
		callUser(func() { keep = st.progress(jobFromC(job)) })
		if keep {
			return 0
		}
		return 1
	}
	if st.stopped.Load() {
		return 1
	}
	j := jobFromC(job)
	st.mu.Lock()
	st.reports = append(st.reports, j)
	st.mu.Unlock()
	select {
	case st.notify <- struct{}{}:
	default: // a notification is pending already; the goroutine drains every report
	}
	return 0
}

// callUser runs a user function from a C callback. A panic must not unwind through libsdrs,
// and there is no caller to hand it to: it is raised again on a goroutine of its own, which
// ends the program as an unrecovered panic in any goroutine does.
func callUser(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("sdrs: panic in a function run by a watcher callback: %v\n\n%s", r, debug.Stack())
			go func() { panic(msg) }()
		}
	}()
	fn()
}

// Client-side: the client's own watcher behind WaitJob.

// clientWatcher returns c's watcher, starting it on first use, and counts one wait on it;
// endWait must follow. c is acquired by the caller.
func (c *Client) clientWatcher() (*Watcher, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watcher == nil {
		w, err := newWatcher(c.ptr, watcherConfig{})
		if err != nil {
			return nil, err
		}
		c.watcher = w
	}
	c.waits++
	return c.watcher, nil
}

// endWait ends a wait counted by clientWatcher. The last one after Close frees the watcher,
// even while a Watcher of the user still keeps the C client.
func (c *Client) endWait() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits--
	if c.closed && c.waits == 0 {
		c.closeOwnWatcher()
	}
}

// closeOwnWatcher frees the client's watcher; c.mu is held and no wait uses it.
func (c *Client) closeOwnWatcher() {
	if c.watcher != nil {
		c.watcher.Close()
		c.watcher = nil
	}
}
