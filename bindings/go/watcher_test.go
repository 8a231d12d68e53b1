package sdrs_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

func newWatcher(t *testing.T, c *sdrs.Client, opts ...sdrs.WatcherOption) *sdrs.Watcher {
	t.Helper()
	w, err := sdrs.NewWatcher(c, opts...)
	if err != nil {
		t.Fatalf("NewWatcher: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// createJobs starts n protection-group creates and returns their job ids.
func createJobs(t *testing.T, c *sdrs.Client, prefix string, n int) []string {
	t.Helper()
	ctx := testCtx(t, 60*time.Second)
	ids := make([]string, n)
	for i := range ids {
		id, err := c.CreateProtectionGroup(ctx, spec(uniq(prefix)))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

// osThreads reads the process's thread count from /proc/self/status.
func osThreads(t testing.TB) int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v := strings.TrimPrefix(line, "Threads:"); v != line {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("Threads line %q", line)
			}
			return n
		}
	}
	t.Fatal("no Threads: line in /proc/self/status")
	return 0
}

// waitFor polls cond every 10 ms until it holds or d passed.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// result is one completion reported to an AddFunc function.
type result struct {
	job *sdrs.Job
	err error
}

func TestWatcherSuccessAndFail(t *testing.T) {
	c := newClient(t)
	w := newWatcher(t, c, sdrs.WithMaxPollsPerSec(500), sdrs.WithMaxInFlight(4))
	ctx := testCtx(t, 60*time.Second)

	ok, err := c.CreateProtectionGroup(ctx, spec(uniq("watch-ok")))
	if err != nil {
		t.Fatal(err)
	}
	caller := goid()
	var reads []sdrs.JobStatus
	opts := *fastWait
	opts.Progress = func(j *sdrs.Job) bool {
		if goid() != caller {
			t.Error("WaitJob's progress callback ran on another goroutine")
		}
		reads = append(reads, j.Status)
		return true
	}
	job, err := w.WaitJob(ctx, ok, &opts)
	if err != nil {
		t.Fatal(err)
	}
	if job.ID != ok || job.Status != sdrs.JobSuccess || job.ServerGroupID() == "" || job.JSON == "" {
		t.Fatalf("final job %+v", job)
	}
	if len(reads) == 0 || reads[len(reads)-1] != sdrs.JobSuccess {
		t.Fatalf("progress statuses %v", reads)
	}

	// FAIL through AddFunc: the final job and an ErrJobFailed with the job's code, once.
	failed, err := c.CreateProtectionGroup(ctx, spec("fail-"+uniq("watch")))
	if err != nil {
		t.Fatal(err)
	}
	admin(t, "POST", "/_emulator/fail-next-jobs", map[string]interface{}{"count": 1, "error_code": "SDRS.1030",
		"fail_reason": "injected for the watcher"})
	injected, err := c.CreateProtectionGroup(ctx, spec(uniq("watch-injected")))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan result, 4)
	for _, id := range []string{failed, injected} {
		if _, err := w.AddFunc(id, fastWait, func(j *sdrs.Job, err error) { got <- result{j, err} }); err != nil {
			t.Fatal(err)
		}
	}
	byID := map[string]result{}
	for i := 0; i < 2; i++ {
		select {
		case r := <-got:
			e := asError(t, r.err)
			byID[e.JobID] = r
		case <-time.After(30 * time.Second):
			t.Fatal("AddFunc function did not run")
		}
	}
	for id, code := range map[string]string{failed: "SDRS.1014", injected: "SDRS.1030"} {
		r, ok := byID[id]
		if !ok {
			t.Fatalf("no completion for job %s (got %v)", id, byID)
		}
		e := asError(t, r.err)
		if !errors.Is(r.err, sdrs.ErrJobFailed) || e.APICode != code || e.FailReason == "" ||
			r.job == nil || r.job.ID != id || r.job.Status != sdrs.JobFail || r.job.ErrorCode != code {
			t.Fatalf("job %s: %+v, %+v", id, r.job, e)
		}
	}
	if e := asError(t, byID[injected].err); e.FailReason != "injected for the watcher" {
		t.Fatalf("fail reason %q", e.FailReason)
	}
	// The watcher counts a job as pending until its function returned.
	if !waitFor(2*time.Second, func() bool { return w.Pending() == 0 }) {
		t.Fatalf("%d pending after all completed", w.Pending())
	}
}

func TestWatcherDeadlineAndTimeout(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	w := newWatcher(t, c)
	jobID := createJobs(t, c, "watch-deadline", 1)[0]

	// Through Watcher.WaitJob (Client.WaitJob has the same checks in TestWaitJobDeadline), then
	// WaitOpts.Timeout through AddFunc.
	checkWaitDeadlines(t, jobID, w.WaitJob)
	got := make(chan result, 1)
	start := time.Now()
	if _, err := w.AddFunc(jobID, &sdrs.WaitOpts{InitialInterval: 50 * time.Millisecond, Timeout: 250 * time.Millisecond},
		func(j *sdrs.Job, err error) { got <- result{j, err} }); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if !errors.Is(r.err, sdrs.ErrTimeout) || r.job != nil {
			t.Fatalf("AddFunc timeout: %v (job %v)", r.err, r.job)
		}
		if el := time.Since(start); el < 200*time.Millisecond || el > 2*time.Second {
			t.Fatalf("a 250 ms timeout completed after %v", el)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("AddFunc timeout never completed")
	}
}

// Canceling the context of a Watcher.WaitJob: ErrCanceled + context.Canceled, promptly, and
// the job leaves the watcher.
func TestWatcherContextCancel(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	w := newWatcher(t, c)
	jobID := createJobs(t, c, "watch-cancel", 1)[0]
	ctx, cancel := context.WithCancel(context.Background())
	polled := make(chan struct{}, 1)
	type res struct {
		err error
		at  time.Time
	}
	done := make(chan res, 1)
	go func() {
		_, err := w.WaitJob(ctx, jobID, &sdrs.WaitOpts{InitialInterval: 30 * time.Millisecond, Progress: func(*sdrs.Job) bool {
			select {
			case polled <- struct{}{}:
			default:
			}
			return true
		}})
		done <- res{err, time.Now()}
	}()
	select {
	case <-polled:
	case <-time.After(10 * time.Second):
		t.Fatal("no poll")
	}
	if n := w.Pending(); n != 1 {
		t.Fatalf("Pending = %d during the wait", n)
	}
	at := time.Now()
	cancel()
	select {
	case r := <-done:
		if !errors.Is(r.err, sdrs.ErrCanceled) || !errors.Is(r.err, context.Canceled) {
			t.Fatalf("want ErrCanceled+context.Canceled, got %v", r.err)
		}
		if el := r.at.Sub(at); el > 500*time.Millisecond {
			t.Fatalf("returned %v after the cancel", el)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WaitJob did not return after the cancel")
	}
	if !waitFor(2*time.Second, func() bool { return w.Pending() == 0 }) {
		t.Fatalf("Pending = %d after the cancel", w.Pending())
	}
	// A context that is done already: no add, no request.
	before := apiRequests(t)
	if _, err := w.WaitJob(ctx, jobID, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("done context: %v", err)
	}
	if after := apiRequests(t); after != before {
		t.Fatalf("a done context sent %v requests", after-before)
	}
}

// Per-job cancel: the function runs once with ErrCanceled; the ticket is then unknown.
func TestWatcherCancelTicket(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	w := newWatcher(t, c)
	ids := createJobs(t, c, "watch-ticket", 2)
	var calls [2]int32
	got := make(chan int, 4)
	var tickets [2]sdrs.Ticket
	for i, id := range ids {
		i := i
		tk, err := w.AddFunc(id, &sdrs.WaitOpts{InitialInterval: 30 * time.Millisecond}, func(j *sdrs.Job, err error) {
			atomic.AddInt32(&calls[i], 1)
			if !errors.Is(err, sdrs.ErrCanceled) || errors.Is(err, context.Canceled) || j != nil {
				t.Errorf("job %d: want ErrCanceled, got %v (job %v)", i, err, j)
			}
			got <- i
		})
		if err != nil {
			t.Fatal(err)
		}
		tickets[i] = tk
	}
	if tickets[0] == tickets[1] {
		t.Fatalf("two jobs got ticket %d", tickets[0])
	}
	time.Sleep(100 * time.Millisecond)
	if err := w.Cancel(tickets[1]); err != nil {
		t.Fatal(err)
	}
	select {
	case i := <-got:
		if i != 1 {
			t.Fatalf("job %d completed, want the canceled job 1", i)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the canceled job's function did not run")
	}
	// Once its function started, the ticket is unknown (as it no longer counts as pending).
	if !waitFor(2*time.Second, func() bool { return w.Pending() == 1 }) {
		t.Fatalf("Pending = %d, want 1 (the other job)", w.Pending())
	}
	if err := w.Cancel(tickets[1]); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("second cancel: %v", err)
	}
	if err := w.Cancel(tickets[1] + 1000); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("unknown ticket: %v", err)
	}
	if err := w.Cancel(tickets[0]); err != nil {
		t.Fatal(err)
	}
	<-got
	time.Sleep(100 * time.Millisecond)
	if calls[0] != 1 || calls[1] != 1 {
		t.Fatalf("functions ran %v times", calls)
	}
}

// Close with jobs pending: every AddFunc function ran exactly once with ErrCanceled when Close
// returns, every WaitJob returns ErrCanceled, later adds are refused.
func TestWatcherCloseWithPending(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	liveW := sdrs.LiveWatchers()
	w, err := sdrs.NewWatcher(c)
	if err != nil {
		t.Fatal(err)
	}
	ids := createJobs(t, c, "watch-close", 12)
	var mu sync.Mutex
	calls := map[string]int{}
	for _, id := range ids[:8] {
		id := id
		if _, err := w.AddFunc(id, &sdrs.WaitOpts{InitialInterval: 50 * time.Millisecond}, func(j *sdrs.Job, err error) {
			mu.Lock()
			calls[id]++
			mu.Unlock()
			if !errors.Is(err, sdrs.ErrCanceled) || j != nil {
				t.Errorf("job %s: want ErrCanceled, got %v", id, err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitErrs := make(chan error, 4)
	for _, id := range ids[8:] {
		go func(id string) {
			_, err := w.WaitJob(context.Background(), id, &sdrs.WaitOpts{InitialInterval: 50 * time.Millisecond})
			waitErrs <- err
		}(id)
	}
	if !waitFor(5*time.Second, func() bool { return w.Pending() == 12 }) {
		t.Fatalf("Pending = %d, want 12", w.Pending())
	}
	time.Sleep(120 * time.Millisecond) // some polls are in flight or done
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		mu.Lock()
		defer mu.Unlock()
		if len(calls) != 8 {
			t.Fatalf("%s: %d of 8 functions ran", when, len(calls))
		}
		for id, n := range calls {
			if n != 1 {
				t.Fatalf("%s: the function of %s ran %d times", when, id, n)
			}
		}
	}
	check("when Close returned")
	for i := 0; i < 4; i++ {
		select {
		case err := <-waitErrs:
			if !errors.Is(err, sdrs.ErrCanceled) || errors.Is(err, context.Canceled) {
				t.Fatalf("WaitJob ended by Close: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a WaitJob did not return after Close")
		}
	}
	time.Sleep(200 * time.Millisecond)
	check("200 ms later")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddFunc(ids[0], nil, func(*sdrs.Job, error) { t.Error("ran after Close") }); !errors.Is(err, sdrs.ErrCanceled) {
		t.Fatalf("AddFunc after Close: %v", err)
	}
	if _, err := w.WaitJob(context.Background(), ids[0], nil); !errors.Is(err, sdrs.ErrCanceled) {
		t.Fatalf("WaitJob after Close: %v", err)
	}
	if n := w.Pending(); n != 0 {
		t.Fatalf("Pending after Close = %d", n)
	}
	if n := sdrs.LiveWatchers(); n != liveW {
		t.Fatalf("%d live watchers after Close, want %d", n, liveW)
	}
}

// A completion function adds the next job from the watcher's thread, and another starts a
// WaitJob on a goroutine of its own.
func TestWatcherCallbackAdds(t *testing.T) {
	c := newClient(t)
	w := newWatcher(t, c)
	ids := createJobs(t, c, "watch-chain", 4)
	chain := make(chan string, 8)
	var step func(i int) func(*sdrs.Job, error)
	step = func(i int) func(*sdrs.Job, error) {
		return func(j *sdrs.Job, err error) {
			if err != nil {
				t.Errorf("job %d: %v", i, err)
				chain <- "error"
				return
			}
			chain <- j.ID
			if i+1 < 3 {
				// On the watcher's own thread: AddFunc does not block.
				if _, err := w.AddFunc(ids[i+1], fastWait, step(i+1)); err != nil {
					t.Errorf("add from the callback: %v", err)
					chain <- "error"
				}
				return
			}
			go func() {
				j, err := c.WaitJob(context.Background(), ids[3], fastWait)
				if err != nil {
					chain <- "error: " + err.Error()
					return
				}
				chain <- j.ID
			}()
		}
	}
	if _, err := w.AddFunc(ids[0], fastWait, step(0)); err != nil {
		t.Fatal(err)
	}
	for i, want := range ids {
		select {
		case got := <-chain:
			if got != want {
				t.Fatalf("completion %d: %s, want %s", i, got, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("completion %d did not arrive", i)
		}
	}
}

// The progress function of AddFunc runs on the watcher's thread and can stop the wait.
func TestWatcherAddFuncProgress(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	w := newWatcher(t, c)
	id := createJobs(t, c, "watch-progress", 1)[0]
	reads := int32(0)
	got := make(chan error, 1)
	_, err := w.AddFunc(id, &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond, Progress: func(j *sdrs.Job) bool {
		if j.ID != id || j.Status.Done() {
			t.Errorf("progress job %+v", j)
		}
		return atomic.AddInt32(&reads, 1) < 3
	}}, func(_ *sdrs.Job, err error) { got <- err })
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if !errors.Is(err, sdrs.ErrCanceled) || atomic.LoadInt32(&reads) != 3 {
			t.Fatalf("stopped by progress: %v after %d reads", err, atomic.LoadInt32(&reads))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no completion")
	}
}

// A password client's token expires (and is revoked) during a long watch: the watcher's
// thread fetches new ones and the job completes.
func TestWatcherTokenExpiry(t *testing.T) {
	admin(t, "POST", "/_emulator/config", map[string]int{"token_lifetime_ms": 1200})
	t.Cleanup(func() { admin(t, "POST", "/_emulator/config", map[string]int{"token_lifetime_ms": 86400000}) })
	setJobDurations(t, 500, 4500)
	t.Cleanup(func() { setJobDurations(t, 20, 80) })
	cfg := passwordConfig(testPassword)
	zero := time.Duration(0)
	cfg.TokenRefreshMargin = &zero
	c, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testCtx(t, 60*time.Second)
	id, err := c.CreateProtectionGroup(ctx, spec(uniq("watch-token")))
	if err != nil {
		t.Fatal(err)
	}
	stats := func() (float64, float64) {
		s := admin(t, "GET", "/_emulator/stats", nil)
		return s["iam_token_requests"].(float64), s["auth_failures"].(float64)
	}
	tokens0, _ := stats()
	revoked := false
	polls := 0
	job, err := c.WaitJob(ctx, id, &sdrs.WaitOpts{InitialInterval: 200 * time.Millisecond, MaxInterval: 300 * time.Millisecond,
		Progress: func(*sdrs.Job) bool {
			polls++
			if polls == 4 && !revoked {
				revoked = true
				admin(t, "POST", "/_emulator/revoke-tokens", map[string]int{})
			}
			return true
		}})
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != sdrs.JobSuccess || !revoked {
		t.Fatalf("job %v, revoked %v", job.Status, revoked)
	}
	tokens1, _ := stats()
	// 5 s with 1.2 s tokens: at least three expiries plus the revoke.
	if tokens1-tokens0 < 3 {
		t.Fatalf("%v new tokens during a 5 s watch with 1.2 s tokens", tokens1-tokens0)
	}
	t.Logf("%d polls, %v tokens fetched", polls, tokens1-tokens0)
}

// 5xx and 429 answers to polls are retried until the job ends.
func TestWatcherTransientFaults(t *testing.T) {
	setJobDurations(t, 100, 400)
	t.Cleanup(func() { setJobDurations(t, 20, 80) })
	c := newClient(t)
	w := newWatcher(t, c)
	id := createJobs(t, c, "watch-faults", 1)[0]
	t.Cleanup(func() { admin(t, "DELETE", "/_emulator/faults", nil) })
	rules := []map[string]interface{}{
		{"kind": "status", "status": 503, "route": "GET /jobs/*", "count": 2},
		{"kind": "status", "status": 429, "route": "GET /jobs/*", "count": 1},
		{"kind": "status", "status": 500, "code": "SDRS.0013", "route": "GET /jobs/*", "count": 2},
		{"kind": "status", "status": 502, "route": "GET /jobs/*", "count": 1},
	}
	for _, r := range rules {
		admin(t, "POST", "/_emulator/faults", r)
	}
	job, err := w.WaitJob(testCtx(t, 60*time.Second), id, &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond,
		MaxInterval: 50 * time.Millisecond})
	if err != nil || job.Status != sdrs.JobSuccess {
		t.Fatalf("wait through faults: %v (job %v)", err, job)
	}
	faults := admin(t, "GET", "/_emulator/faults", nil)["faults"].([]interface{})
	hits := 0.0
	for _, f := range faults {
		hits += f.(map[string]interface{})["hits"].(float64)
	}
	if hits != 6 {
		t.Fatalf("%v faults applied, want 6: %v", hits, faults)
	}
}

// Many goroutines wait at once through the client's watcher and a Watcher, and 8 add jobs
// concurrently (run with -race by run-tests.sh); no goroutine is left behind.
func TestWatcherConcurrent(t *testing.T) {
	setJobDurations(t, 50, 250)
	t.Cleanup(func() { setJobDurations(t, 20, 80) })
	c := newClient(t)
	w := newWatcher(t, c, sdrs.WithMaxPollsPerSec(2000))
	ids := createJobs(t, c, "watch-conc", 64)
	baseline := runtime.NumGoroutine()
	ctx := testCtx(t, 120*time.Second)
	var wg sync.WaitGroup
	var okWaits, okFuncs int64
	funcsDone := make(chan struct{}, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			// 8 adders: each adds 8 jobs to w at once ...
			for i := g * 8; i < g*8+8; i++ {
				if _, err := w.AddFunc(ids[i], fastWait, func(j *sdrs.Job, err error) {
					if err == nil && j.Status == sdrs.JobSuccess {
						atomic.AddInt64(&okFuncs, 1)
					}
					funcsDone <- struct{}{}
				}); err != nil {
					t.Error(err)
					funcsDone <- struct{}{}
				}
			}
		}(g)
	}
	// ... while 128 goroutines wait for the same jobs (two per job) through both watchers.
	for i := 0; i < 128; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var j *sdrs.Job
			var err error
			if i%2 == 0 {
				j, err = c.WaitJob(ctx, ids[i/2], fastWait)
			} else {
				j, err = w.WaitJob(ctx, ids[i/2], fastWait)
			}
			if err != nil {
				t.Errorf("wait %d: %v", i, err)
				return
			}
			if j.ID == ids[i/2] && j.Status == sdrs.JobSuccess {
				atomic.AddInt64(&okWaits, 1)
			}
		}(i)
	}
	wg.Wait()
	for i := 0; i < 64; i++ {
		select {
		case <-funcsDone:
		case <-time.After(60 * time.Second):
			t.Fatalf("%d of 64 functions ran", i)
		}
	}
	if okWaits != 128 || okFuncs != 64 {
		t.Fatalf("%d of 128 waits and %d of 64 functions succeeded", okWaits, okFuncs)
	}
	if !waitFor(2*time.Second, func() bool { return runtime.NumGoroutine() <= baseline }) {
		t.Fatalf("%d goroutines after the waits, %d before", runtime.NumGoroutine(), baseline)
	}
}

// 1,000 goroutines in WaitJob hold no OS thread each: the process stays far below one thread
// per wait.
func TestWaitJobThreads(t *testing.T) {
	longJobs(t)
	c := newClient(t)
	ids := createJobs(t, c, "watch-threads", 20)
	const waiters = 1000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	baseline := runtime.NumGoroutine()
	var started int64
	errs := make(chan error, waiters)
	for i := 0; i < waiters; i++ {
		go func(i int) {
			atomic.AddInt64(&started, 1)
			_, err := c.WaitJob(ctx, ids[i%len(ids)], &sdrs.WaitOpts{InitialInterval: 500 * time.Millisecond})
			errs <- err
		}(i)
	}
	// Sample while all goroutines are in WaitJob and the watcher polls (2 s).
	maxThreads := parkedThreadsMax(t)
	if atomic.LoadInt64(&started) != waiters {
		t.Fatalf("%d of %d goroutines started", started, waiters)
	}
	cancelParked(t, "WaitJob", waiters, errs, cancel, maxThreads)
	if !waitFor(2*time.Second, func() bool { return runtime.NumGoroutine() <= baseline }) {
		t.Fatalf("%d goroutines after the waits, %d before", runtime.NumGoroutine(), baseline)
	}
}

// parkedThreadsMax samples the process's OS threads for 2 s while calls are parked and returns
// the most seen.
func parkedThreadsMax(t *testing.T) int {
	maxThreads := 0
	end := time.Now().Add(2 * time.Second)
	for time.Now().Before(end) {
		if n := osThreads(t); n > maxThreads {
			maxThreads = n
		}
		time.Sleep(20 * time.Millisecond)
	}
	return maxThreads
}

// cancelParked checks that none of the waiters parked calls (named what) has returned, cancels
// them and requires each to return context.Canceled; then fails when they held 100 or more OS
// threads (maxThreads, from parkedThreadsMax).
func cancelParked(t *testing.T, what string, waiters int, errs <-chan error, cancel context.CancelFunc, maxThreads int) {
	t.Helper()
	select {
	case err := <-errs:
		t.Fatalf("a %s returned early: %v", what, err)
	default:
	}
	cancel()
	for i := 0; i < waiters; i++ {
		select {
		case err := <-errs:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("want context.Canceled, got %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%d of %d %s calls returned after the cancel", i, waiters, what)
		}
	}
	t.Logf("%d goroutines in %s: at most %d OS threads", waiters, what, maxThreads)
	if maxThreads >= 100 {
		t.Fatalf("%d OS threads with %d goroutines in %s (bound 100)", maxThreads, waiters, what)
	}
}

// pollReadable waits up to d for fd to become readable (poll(2)); safe on any goroutine.
func pollReadable(t *testing.T, fd int, d time.Duration) bool {
	type pollFd struct {
		fd      int32
		events  int16
		revents int16
	}
	p := pollFd{fd: int32(fd), events: 0x1} // POLLIN
	n, _, e := syscall.Syscall(syscall.SYS_POLL, uintptr(unsafe.Pointer(&p)), 1, uintptr(d/time.Millisecond))
	if e != 0 && e != syscall.EINTR {
		t.Errorf("poll: %v", e) // not Fatal: the dispatch loop below runs on its own goroutine
		return false
	}
	return n == 1 && p.revents&0x1 != 0
}

// WatcherDispatchManual: the fd becomes readable and Dispatch runs the callbacks on the calling
// goroutine (an event loop's); the thread mode refuses FD and Dispatch.
func TestWatcherManualDispatch(t *testing.T) {
	c := newClient(t)
	if _, err := newWatcher(t, c).FD(); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("FD in the thread mode: %v", err)
	}
	if _, err := newWatcher(t, c).Dispatch(0); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("Dispatch in the thread mode: %v", err)
	}
	w := newWatcher(t, c, sdrs.WithDispatch(sdrs.WatcherDispatchManual))
	fd, err := w.FD()
	if err != nil || fd < 0 {
		t.Fatalf("FD: %d, %v", fd, err)
	}
	if _, err := w.Dispatch(-1); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("Dispatch(-1): %v", err)
	}
	ids := createJobs(t, c, "watch-manual", 2)
	loop := goid()
	var ran []string
	for _, id := range ids {
		if _, err := w.AddFunc(id, fastWait, func(j *sdrs.Job, err error) {
			if goid() != loop {
				t.Error("a manual-dispatch callback ran on another goroutine")
			}
			if err != nil {
				t.Error(err)
				return
			}
			// Dispatch from inside a callback is refused, not a deadlock.
			if _, err := w.Dispatch(0); !errors.Is(err, sdrs.ErrInvalid) {
				t.Errorf("Dispatch from a callback: %v", err)
			}
			ran = append(ran, j.ID)
		}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(500 * time.Millisecond) // both jobs end (~100 ms); nothing runs without Dispatch
	if len(ran) != 0 {
		t.Fatalf("callbacks ran without Dispatch: %v", ran)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(ran) < 2 && time.Now().Before(deadline) {
		if !pollReadable(t, fd, time.Second) {
			continue
		}
		if _, err := w.Dispatch(1); err != nil {
			t.Fatal(err)
		}
	}
	if len(ran) != 2 {
		t.Fatalf("dispatched %v", ran)
	}
	if pollReadable(t, fd, 0) {
		t.Fatal("fd readable with nothing queued")
	}

	// WaitJob on a manual watcher: the result arrives through a dispatch loop.
	id := createJobs(t, c, "watch-manual-wait", 1)[0]
	stop := make(chan struct{})
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if pollReadable(t, fd, 50*time.Millisecond) {
				if _, err := w.Dispatch(0); err != nil {
					t.Error(err)
				}
			}
		}
	}()
	j, err := w.WaitJob(testCtx(t, 30*time.Second), id, fastWait)
	close(stop)
	<-loopDone
	if err != nil || j.Status != sdrs.JobSuccess {
		t.Fatalf("WaitJob on a manual watcher: %v", err)
	}

	// Close runs the completions still queued on its own goroutine.
	longJobs(t)
	long := createJobs(t, c, "watch-manual-close", 1)[0]
	var closed []error
	if _, err := w.AddFunc(long, nil, func(_ *sdrs.Job, err error) {
		if goid() != loop {
			t.Error("the shutdown completion ran on another goroutine")
		}
		closed = append(closed, err)
	}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if len(closed) != 1 || !errors.Is(closed[0], sdrs.ErrCanceled) {
		t.Fatalf("completions of Close: %v", closed)
	}
}

func TestWatcherValidation(t *testing.T) {
	c := newClient(t)
	before := apiRequests(t)
	for _, bad := range []struct {
		opt   sdrs.WatcherOption
		field string
	}{
		{sdrs.WithMaxPollsPerSec(0), "polls"},
		{sdrs.WithMaxPollsPerSec(100001), "polls"},
		{sdrs.WithMaxInFlight(0), "in_flight"},
		{sdrs.WithMaxInFlight(257), "in_flight"},
		{sdrs.WithMaxInFlight(1 << 40), "in_flight"},
		{sdrs.WithDispatch(7), "dispatch"},
	} {
		_, err := sdrs.NewWatcher(c, bad.opt)
		if !errors.Is(err, sdrs.ErrValidation) && !errors.Is(err, sdrs.ErrInvalid) {
			t.Fatalf("%s: want a validation error, got %v", bad.field, err)
		}
		wantContains(t, asError(t, err).Message, bad.field)
	}
	if _, err := sdrs.NewWatcher(nil); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("nil client: %v", err)
	}
	w := newWatcher(t, c)
	never := func(*sdrs.Job, error) { t.Error("the function of a refused add ran") }
	if _, err := w.AddFunc("a/b", nil, never); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("bad job id: %v", err)
	}
	if _, err := w.AddFunc("", nil, never); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("empty job id: %v", err)
	}
	if _, err := w.AddFunc(unknownGroup, &sdrs.WaitOpts{InitialInterval: time.Millisecond}, never); !errors.Is(err, sdrs.ErrValidation) &&
		!errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("1 ms interval: %v", err)
	}
	if _, err := w.AddFunc(unknownGroup, nil, nil); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("nil function: %v", err)
	}
	if _, err := w.WaitJob(nil, unknownGroup, nil); !errors.Is(err, sdrs.ErrInvalid) { //nolint:staticcheck
		t.Fatalf("nil ctx: %v", err)
	}
	if _, err := w.WaitJob(context.Background(), "a/b", nil); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("WaitJob bad id: %v", err)
	}
	// An unknown job: the poll's 404 is not transient and ends the wait at once.
	if _, err := w.WaitJob(testCtx(t, 10*time.Second), "0123456789abcdef0123456789abcdef", fastWait); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("unknown job: %v", err)
	}
	if after := apiRequests(t); after != before+1 {
		t.Fatalf("%v requests, want 1 (the unknown job's poll)", after-before)
	}
	if !waitFor(2*time.Second, func() bool { return w.Pending() == 0 }) {
		t.Fatalf("Pending = %d", w.Pending())
	}
}

// A watcher keeps its client alive past Client.Close; dropped watchers are freed by their
// finalizers, and Client.Close frees the client's own watcher.
func TestWatcherLifetime(t *testing.T) {
	liveC, liveW := sdrs.LiveClients(), sdrs.LiveWatchers()
	c, err := sdrs.NewClient(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	w, err := sdrs.NewWatcher(c)
	if err != nil {
		t.Fatal(err)
	}
	id := createJobs(t, c, "watch-life", 1)[0]
	// The client's own watcher starts with its first WaitJob.
	if _, err := c.WaitJob(testCtx(t, 30*time.Second), id, fastWait); err != nil {
		t.Fatal(err)
	}
	if n := sdrs.LiveWatchers(); n != liveW+2 {
		t.Fatalf("%d live watchers, want %d", n, liveW+2)
	}
	c.Close()
	if n := sdrs.LiveClients(); n != liveC+1 {
		t.Fatalf("the client was freed under its watcher (%d live, want %d)", n, liveC+1)
	}
	if n := sdrs.LiveWatchers(); n != liveW+1 {
		t.Fatalf("Client.Close left its own watcher (%d live, want %d)", n, liveW+1)
	}
	if _, err := w.WaitJob(testCtx(t, 30*time.Second), id, fastWait); err != nil {
		t.Fatalf("watcher after Client.Close: %v", err)
	}
	w.Close()
	if sdrs.LiveClients() != liveC || sdrs.LiveWatchers() != liveW {
		t.Fatalf("after Watcher.Close: %d clients, %d watchers live (want %d, %d)", sdrs.LiveClients(),
			sdrs.LiveWatchers(), liveC, liveW)
	}
	if _, err := sdrs.NewWatcher(c); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("NewWatcher on a closed client: %v", err)
	}

	c2 := newClient(t)
	// A dropped watcher with a job pending lives until the job's function ran with the job's
	// own result (no cancel by a finalizer); then its finalizer frees it.
	pendingID := createJobs(t, c2, "watch-dropped", 1)[0]
	got := make(chan error, 1)
	func() {
		w3, err := sdrs.NewWatcher(c2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w3.AddFunc(pendingID, fastWait, func(_ *sdrs.Job, err error) { got <- err }); err != nil {
			t.Fatal(err)
		}
	}()
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("the dropped watcher's job: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the dropped watcher's job never completed")
	}
	func() {
		for i := 0; i < 5; i++ {
			if _, err := sdrs.NewWatcher(c2); err != nil {
				t.Fatal(err)
			}
		}
	}()
	if !waitFor(5*time.Second, func() bool { runtime.GC(); return sdrs.LiveWatchers() == liveW }) {
		t.Fatalf("%d live watchers after GC, want %d", sdrs.LiveWatchers(), liveW)
	}
}

// WaitOpts.Blocking keeps the former one-call wait (sdrs_job_wait on the goroutine's thread).
func TestWaitJobBlocking(t *testing.T) {
	c := newClient(t)
	id := createJobs(t, c, "watch-blocking", 1)[0]
	caller := goid()
	reads := 0
	opts := *fastWait
	opts.Blocking = true
	opts.Progress = func(*sdrs.Job) bool {
		if goid() != caller {
			t.Error("progress on another goroutine")
		}
		reads++
		return true
	}
	live := sdrs.LiveWatchers()
	j, err := c.WaitJob(testCtx(t, 30*time.Second), id, &opts)
	if err != nil || j.Status != sdrs.JobSuccess || reads == 0 {
		t.Fatalf("blocking wait: %v, %d reads", err, reads)
	}
	if sdrs.LiveWatchers() != live {
		t.Fatal("a blocking wait started the client's watcher")
	}
}

// A panic in an AddFunc function (on the watcher's thread, no caller to return it to) ends the
// program with the panic's value and the stack where it happened, as an unrecovered panic in
// a goroutine does; it never unwinds into libsdrs. Checked in a child process.
func TestWatcherCallbackPanicEndsProgram(t *testing.T) {
	if os.Getenv("SDRS_GO_WATCHER_PANIC_CHILD") == "1" {
		c := newClient(t)
		w := newWatcher(t, c)
		// An unknown job: the first poll's 404 completes it at once.
		if _, err := w.AddFunc("0123456789abcdef0123456789abcdef", fastWait, func(*sdrs.Job, error) {
			panic("boom in a watcher callback")
		}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Second)
		t.Fatal("the process survived a panic in a watcher callback")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run", "^TestWatcherCallbackPanicEndsProgram$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SDRS_GO_WATCHER_PANIC_CHILD=1", "SDRS_GO_TEST_PARENT_ENDPOINT="+endpoint)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("child: want exit code 2 (a Go panic), got %v:\n%s", err, out)
	}
	for _, want := range []string{"panic: sdrs: panic in a function run by a watcher callback: boom in a watcher callback",
		"TestWatcherCallbackPanicEndsProgram.func"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("child output lacks %q:\n%s", want, out)
		}
	}
}
