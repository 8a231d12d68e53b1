package sdrs_test

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strconv"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// goid returns the current goroutine's id (from its stack header), to check on which
// goroutine a callback runs.
func goid() uint64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	buf = bytes.TrimPrefix(buf, []byte("goroutine "))
	id, _ := strconv.ParseUint(string(buf[:bytes.IndexByte(buf, ' ')]), 10, 64)
	return id
}

func TestPollAndWaitJob(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	jobID, err := c.CreateProtectionGroup(ctx, spec("poll-wait"))
	if err != nil {
		t.Fatal(err)
	}
	if len(jobID) != 32 {
		t.Fatalf("job id %q", jobID)
	}
	j, err := c.PollJob(ctx, jobID)
	if err != nil {
		t.Fatal(err)
	}
	if j.ID != jobID || j.Type != "createProtectionGroupNoCG" || j.Status.Done() || j.StatusString == "" {
		t.Fatalf("first poll: %+v", j)
	}
	caller := goid()
	var seen []sdrs.JobStatus
	var wrongGoroutine bool
	opts := *fastWait
	opts.Progress = func(job *sdrs.Job) bool {
		if goid() != caller {
			wrongGoroutine = true
		}
		if job.ID != jobID {
			t.Errorf("progress job id %q", job.ID)
		}
		seen = append(seen, job.Status)
		return true
	}
	j, err = c.WaitJob(ctx, jobID, &opts)
	if err != nil {
		t.Fatal(err)
	}
	if wrongGoroutine {
		t.Fatal("the progress callback ran on another goroutine")
	}
	if len(seen) == 0 || seen[len(seen)-1] != sdrs.JobSuccess {
		t.Fatalf("progress statuses %v", seen)
	}
	if j.Status != sdrs.JobSuccess || j.StatusString != "SUCCESS" || j.ServerGroupID() == "" ||
		j.BeginTime.IsZero() || j.EndTime.IsZero() || j.EndTime.Before(j.BeginTime) || j.BeginTimeRaw == "" ||
		j.ErrorCode != "" || j.FailReason != "" || j.JSON == "" {
		t.Fatalf("final job: %+v", j)
	}
	if d := time.Since(j.BeginTime); d < 0 || d > time.Minute {
		t.Fatalf("begin time %v is not recent", j.BeginTime)
	}
	pg, err := c.GetProtectionGroup(ctx, j.ServerGroupID())
	if err != nil {
		t.Fatal(err)
	}
	if pg.Status != sdrs.PGAvailable {
		t.Fatalf("group after create: %+v", pg)
	}
}

func TestJobFailed(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	jobID, err := c.CreateProtectionGroup(ctx, spec("fail-go-1"))
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.WaitJob(ctx, jobID, fastWait)
	if !errors.Is(err, sdrs.ErrJobFailed) {
		t.Fatalf("want ErrJobFailed, got %v", err)
	}
	e := asError(t, err)
	if e.APICode != "SDRS.1014" || e.JobID != jobID || e.FailReason == "" {
		t.Fatalf("error fields %+v", e)
	}
	if job == nil || job.Status != sdrs.JobFail || job.ErrorCode != "SDRS.1014" || job.FailReason != e.FailReason {
		t.Fatalf("failed job %+v", job)
	}
	pg, err := c.GetProtectionGroup(ctx, job.ServerGroupID())
	if err != nil {
		t.Fatal(err)
	}
	if pg.Status != sdrs.PGError {
		t.Fatalf("group of a failed create: %v", pg.StatusString)
	}

	// The same through create-and-wait, and through an admin-injected failure.
	if _, err := c.CreateProtectionGroupAndWait(ctx, spec("fail-go-2"), fastWait); !errors.Is(err, sdrs.ErrJobFailed) {
		t.Fatalf("create-and-wait: want ErrJobFailed, got %v", err)
	}
	admin(t, "POST", "/_emulator/fail-next-jobs", map[string]interface{}{"count": 1, "error_code": "SDRS.1030",
		"fail_reason": "injected by the go test"})
	_, err = c.CreateProtectionGroupAndWait(ctx, spec("injected-failure"), fastWait)
	if e := asError(t, err); e.Code != sdrs.CodeJobFailed || e.APICode != "SDRS.1030" ||
		e.FailReason != "injected by the go test" {
		t.Fatalf("injected failure: %+v", e)
	}
}

// A context canceled during WaitJob must end the wait within 200 ms of the cancel, with
// ErrCanceled that also matches context.Canceled, and leave no goroutine behind.
func TestWaitJobCancelPrompt(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	baseline := runtime.NumGoroutine()
	// Different delays so that the cancel lands mid-sleep and mid-poll.
	for i, delay := range []time.Duration{0, 75 * time.Millisecond, 160 * time.Millisecond, 333 * time.Millisecond} {
		jobID, err := c.CreateProtectionGroup(ctx, spec("cancel-"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithCancel(ctx)
		first := make(chan struct{})
		polls := 0
		type result struct {
			err error
			at  time.Time
		}
		done := make(chan result, 1)
		go func() {
			_, err := c.WaitJob(wctx, jobID, &sdrs.WaitOpts{InitialInterval: 50 * time.Millisecond,
				MaxInterval: 200 * time.Millisecond, Progress: func(*sdrs.Job) bool {
					polls++
					if polls == 1 {
						close(first)
					}
					return true
				}})
			done <- result{err, time.Now()}
		}()
		select {
		case <-first:
		case <-time.After(10 * time.Second):
			t.Fatal("WaitJob never polled")
		}
		time.Sleep(delay)
		canceledAt := time.Now()
		cancel()
		var r result
		select {
		case r = <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("WaitJob did not return within 5 s of the cancel")
		}
		if el := r.at.Sub(canceledAt); el > 200*time.Millisecond {
			t.Fatalf("delay %v: WaitJob returned %v after the cancel (limit 200 ms)", delay, el)
		} else {
			t.Logf("delay %v: returned %v after the cancel", delay, el)
		}
		if !errors.Is(r.err, sdrs.ErrCanceled) || !errors.Is(r.err, context.Canceled) {
			t.Fatalf("want ErrCanceled and context.Canceled, got %v", r.err)
		}
	}
	// The per-call watcher goroutines are gone.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline {
		t.Fatalf("%d goroutines after the waits, %d before", n, baseline)
	}
}

func TestWaitJobDeadline(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	jobID, err := c.CreateProtectionGroup(testCtx(t, 10*time.Second), spec("deadline"))
	if err != nil {
		t.Fatal(err)
	}
	checkWaitDeadlines(t, jobID, c.WaitJob)
}

// checkWaitDeadlines: a context deadline ends wait (Client.WaitJob or Watcher.WaitJob) with
// ErrTimeout wrapping context.DeadlineExceeded, in time; WaitOpts.Timeout alone with
// ErrTimeout, but not a context error. jobID must outlast both.
func checkWaitDeadlines(t *testing.T, jobID string,
	wait func(context.Context, string, *sdrs.WaitOpts) (*sdrs.Job, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	job, err := wait(ctx, jobID, &sdrs.WaitOpts{InitialInterval: 50 * time.Millisecond})
	el := time.Since(start)
	if !errors.Is(err, sdrs.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) || job != nil {
		t.Fatalf("ctx deadline: want ErrTimeout+DeadlineExceeded, got %v (job %v)", err, job)
	}
	if el < 250*time.Millisecond || el > 1500*time.Millisecond {
		t.Fatalf("the 300 ms deadline ended the wait after %v", el)
	}
	_, err = wait(testCtx(t, 10*time.Second), jobID, &sdrs.WaitOpts{InitialInterval: 50 * time.Millisecond,
		Timeout: 200 * time.Millisecond})
	if !errors.Is(err, sdrs.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitOpts.Timeout: %v", err)
	}
}

func TestProgressStopsAndPanics(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	ctx := testCtx(t, 30*time.Second)
	jobID, err := c.CreateProtectionGroup(ctx, spec("progress-stop"))
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	_, err = c.WaitJob(ctx, jobID, &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond, Progress: func(j *sdrs.Job) bool {
		calls++
		return calls < 3
	}})
	if !errors.Is(err, sdrs.ErrCanceled) || errors.Is(err, context.Canceled) || calls != 3 {
		t.Fatalf("stop from the callback: %v after %d calls", err, calls)
	}

	// A panic in the callback stops the wait and resurfaces on the calling goroutine.
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v, want boom", r)
			}
		}()
		_, _ = c.WaitJob(ctx, jobID, &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond,
			Progress: func(*sdrs.Job) bool { panic("boom") }})
		t.Fatal("WaitJob returned instead of panicking")
	}()
	// The client is still usable.
	if _, err := c.PollJob(ctx, jobID); err != nil {
		t.Fatal(err)
	}
}
