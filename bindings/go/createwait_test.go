package sdrs_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// The Create*AndWait methods wait through the client's watcher (create, parked wait, get);
// WaitOpts.Blocking keeps the one-call sdrs_*_create_and_wait. These tests run both paths and
// require the same results and errors.

// withBlocking returns a copy of o (fastWait when nil) with Blocking set as given.
func withBlocking(o *sdrs.WaitOpts, blocking bool) *sdrs.WaitOpts {
	if o == nil {
		o = fastWait
	}
	cp := *o
	cp.Blocking = blocking
	return &cp
}

// errShape is an error's text with the ids that differ from one run to the next replaced.
func errShape(t *testing.T, err error) string {
	t.Helper()
	e := asError(t, err)
	s := err.Error()
	if e.JobID != "" {
		s = strings.ReplaceAll(s, e.JobID, "JOB")
	}
	if e.RequestID != "" {
		s = strings.ReplaceAll(s, e.RequestID, "REQ")
	}
	return s
}

// Both paths return the same group, and the default path uses the watcher (no thread per
// wait) while Blocking does not start it.
func TestCreateAndWaitPaths(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	live := sdrs.LiveWatchers()
	name := uniq("cw-blocking-")
	pg, err := c.CreateProtectionGroupAndWait(ctx, spec(name), withBlocking(nil, true))
	if err != nil || pg.Name != name || pg.ID == "" {
		t.Fatalf("blocking: %+v, %v", pg, err)
	}
	if sdrs.LiveWatchers() != live {
		t.Fatal("a blocking create-and-wait started the client's watcher")
	}
	name = uniq("cw-watched-")
	caller := goid()
	reads := 0
	opts := withBlocking(nil, false)
	opts.Progress = func(j *sdrs.Job) bool {
		if goid() != caller {
			t.Error("progress on another goroutine")
		}
		reads++
		return true
	}
	pg, err = c.CreateProtectionGroupAndWait(ctx, spec(name), opts)
	if err != nil || pg.Name != name || pg.ID == "" || reads == 0 {
		t.Fatalf("watched: %+v, %v, %d progress reads", pg, err, reads)
	}
	if sdrs.LiveWatchers() != live+1 {
		t.Fatalf("the watched create-and-wait did not use the client's watcher (%d live, %d before)", sdrs.LiveWatchers(), live)
	}
	got, err := c.GetProtectionGroup(ctx, pg.ID)
	if err != nil || got.Name != name {
		t.Fatalf("the returned group is not the created one: %+v, %v", got, err)
	}
}

// A FAIL job gives ErrJobFailed with the job's id, code and reason, in the same words on both
// paths.
func TestCreateAndWaitJobFailed(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	var shapes [2]string
	for i, blocking := range []bool{true, false} {
		admin(t, "POST", "/_emulator/fail-next-jobs", map[string]interface{}{"count": 1, "error_code": "SDRS.1030",
			"fail_reason": "injected by the create-and-wait test"})
		pg, err := c.CreateProtectionGroupAndWait(ctx, spec(uniq("cw-fail-")), withBlocking(nil, blocking))
		if pg != nil || !errors.Is(err, sdrs.ErrJobFailed) {
			t.Fatalf("blocking=%v: want ErrJobFailed, got %+v, %v", blocking, pg, err)
		}
		e := asError(t, err)
		if e.Op != "sdrs_pg_create_and_wait" || e.APICode != "SDRS.1030" || e.JobID == "" ||
			e.FailReason != "injected by the create-and-wait test" || !strings.Contains(e.Body, e.JobID) {
			t.Fatalf("blocking=%v: error fields %+v", blocking, e)
		}
		shapes[i] = errShape(t, err)
	}
	if shapes[0] != shapes[1] {
		t.Fatalf("the error differs between the paths:\nblocking: %s\nwatched:  %s", shapes[0], shapes[1])
	}
	wantContains(t, shapes[1], "job JOB (createProtectionGroupNoCG) failed: SDRS.1030: injected by the create-and-wait test")
}

// WaitOpts.Timeout is one deadline for create, wait and get: ErrTimeout without
// context.DeadlineExceeded (the context did not expire). A context deadline gives ErrTimeout
// that matches context.DeadlineExceeded. Same on both paths.
func TestCreateAndWaitDeadline(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	for _, blocking := range []bool{true, false} {
		opts := withBlocking(nil, blocking)
		opts.Timeout = 400 * time.Millisecond
		start := time.Now()
		_, err := c.CreateProtectionGroupAndWait(testCtx(t, 30*time.Second), spec(uniq("cw-timeout-")), opts)
		took := time.Since(start)
		if !errors.Is(err, sdrs.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("blocking=%v: want ErrTimeout without context.DeadlineExceeded, got %v", blocking, err)
		}
		if e := asError(t, err); e.Op != "sdrs_pg_create_and_wait" {
			t.Fatalf("blocking=%v: op %q", blocking, e.Op)
		}
		if took < 350*time.Millisecond || took > 3*time.Second {
			t.Fatalf("blocking=%v: the 400 ms deadline ended the call after %v", blocking, took)
		}

		// A create answered after 1 s leaves the wait 0.5 s of a 1.5 s deadline, not 1.5 s more.
		admin(t, "POST", "/_emulator/faults", map[string]interface{}{"route": "POST /server-groups", "kind": "delay",
			"delay_ms": 1000, "count": 1})
		opts.Timeout = 1500 * time.Millisecond
		start = time.Now()
		_, err = c.CreateProtectionGroupAndWait(testCtx(t, 30*time.Second), spec(uniq("cw-slow-create-")), opts)
		took = time.Since(start)
		admin(t, "DELETE", "/_emulator/faults", nil)
		if !errors.Is(err, sdrs.ErrTimeout) || took < 1400*time.Millisecond || took > 2300*time.Millisecond {
			t.Fatalf("blocking=%v: slow create, 1.5 s deadline: %v after %v", blocking, err, took)
		}

		ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
		_, err = c.CreateProtectionGroupAndWait(ctx, spec(uniq("cw-ctx-timeout-")), withBlocking(nil, blocking))
		cancel()
		if !errors.Is(err, sdrs.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("blocking=%v: want ErrTimeout and context.DeadlineExceeded, got %v", blocking, err)
		}
	}
}

// Canceling the context mid-wait ends the call within 200 ms with ErrCanceled and
// context.Canceled; a context canceled before the call sends nothing.
func TestCreateAndWaitCancel(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	for _, blocking := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		opts := withBlocking(nil, blocking)
		var canceledAt atomic.Value
		opts.Progress = func(*sdrs.Job) bool {
			if canceledAt.Load() == nil {
				canceledAt.Store(time.Now())
				cancel()
			}
			return true
		}
		_, err := c.CreateProtectionGroupAndWait(ctx, spec(uniq("cw-cancel-")), opts)
		cancel()
		if !errors.Is(err, sdrs.ErrCanceled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("blocking=%v: want ErrCanceled and context.Canceled, got %v", blocking, err)
		}
		if e := asError(t, err); e.Op != "sdrs_pg_create_and_wait" {
			t.Fatalf("blocking=%v: op %q", blocking, e.Op)
		}
		at, ok := canceledAt.Load().(time.Time)
		if !ok {
			t.Fatalf("blocking=%v: canceled before the first poll", blocking)
		}
		if d := time.Since(at); d > 200*time.Millisecond {
			t.Fatalf("blocking=%v: returned %v after the cancel", blocking, d)
		}

		before := apiRequests(t)
		_, err = c.CreateProtectionGroupAndWait(ctx, spec(uniq("cw-precanceled-")), withBlocking(nil, blocking))
		if !errors.Is(err, context.Canceled) || apiRequests(t) != before {
			t.Fatalf("blocking=%v: canceled context: %v, %v requests sent", blocking, err, apiRequests(t)-before)
		}
	}
}

// A create whose answer is lost keeps its error: ErrTransport, outcome unknown, one attempt,
// the time it was sent, and the same text on both paths.
func TestCreateAndWaitLostCreate(t *testing.T) {
	c := newClient(t)
	var shapes [2]string
	name := uniq("cw-lost-") // the error names it; the fault closes the connection before a group is made
	for i, blocking := range []bool{true, false} {
		injectCreateFault(t, "close_before")
		_, err := c.CreateProtectionGroupAndWait(testCtx(t, 30*time.Second), spec(name), withBlocking(nil, blocking))
		if !errors.Is(err, sdrs.ErrTransport) || !sdrs.IsOutcomeUnknown(err) {
			t.Fatalf("blocking=%v: want ErrTransport with outcome unknown, got %v", blocking, err)
		}
		e := asError(t, err)
		if e.Retryable || e.Attempts != 1 || e.SentAt.IsZero() || e.Op != "sdrs_pg_create_and_wait" {
			t.Fatalf("blocking=%v: error fields %+v", blocking, e)
		}
		shapes[i] = errShape(t, err)
	}
	if shapes[0] != shapes[1] {
		t.Fatalf("the error differs between the paths:\nblocking: %s\nwatched:  %s", shapes[0], shapes[1])
	}
}

// 300 goroutines in CreateProtectionGroupAndWait hold no OS thread each while their jobs run
// (the blocking path would hold 300): the process stays far below one thread per wait.
func TestCreateAndWaitThreads(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	const waiters = 300
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var polled int64
	errs := make(chan error, waiters)
	for i := 0; i < waiters; i++ {
		go func() {
			opts := withBlocking(&sdrs.WaitOpts{InitialInterval: 500 * time.Millisecond, Timeout: time.Minute}, false)
			first := true
			opts.Progress = func(*sdrs.Job) bool {
				if first {
					first = false
					atomic.AddInt64(&polled, 1)
				}
				return true
			}
			_, err := c.CreateProtectionGroupAndWait(ctx, spec(uniq("cw-threads-")), opts)
			errs <- err
		}()
	}
	// Every create is sent and every wait has seen its job running: all are parked.
	if !waitFor(60*time.Second, func() bool { return atomic.LoadInt64(&polled) == waiters }) {
		t.Fatalf("%d of %d waits reached their first poll", atomic.LoadInt64(&polled), waiters)
	}
	cancelParked(t, "CreateProtectionGroupAndWait", waiters, errs, cancel, parkedThreadsMax(t))
}

// Close during the create lets the call finish (as it did the one blocking C call): the wait
// and the get still run, then the C client is freed; a call after Close is refused.
func TestCreateAndWaitCloseDuringCreate(t *testing.T) {
	c, err := sdrs.NewClient(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	live := sdrs.LiveClients()
	admin(t, "POST", "/_emulator/faults", map[string]interface{}{"route": "POST /server-groups", "kind": "delay",
		"delay_ms": 500, "count": 1})
	t.Cleanup(func() { admin(t, "DELETE", "/_emulator/faults", nil) })
	name := uniq("cw-close-")
	type outcome struct {
		pg  *sdrs.ProtectionGroup
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		pg, err := c.CreateProtectionGroupAndWait(testCtx(t, 30*time.Second), spec(name), fastWait)
		done <- outcome{pg, err}
	}()
	time.Sleep(200 * time.Millisecond)
	c.Close()
	select {
	case o := <-done:
		if o.err != nil || o.pg.Name != name {
			t.Fatalf("after Close during the create: %+v, %v", o.pg, o.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the create-and-wait did not return")
	}
	if !waitFor(2*time.Second, func() bool { return sdrs.LiveClients() == live-1 }) {
		t.Fatalf("the C client was not freed after the call (%d live, %d before)", sdrs.LiveClients(), live)
	}
	if _, err := c.CreateProtectionGroupAndWait(testCtx(t, 5*time.Second), spec(name), fastWait); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("after Close: want ErrInvalid, got %v", err)
	}
}
