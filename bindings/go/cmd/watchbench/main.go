// Command watchbench measures what waiting for many SDRS jobs at once costs a Go program: it
// seeds jobs of varying duration in a local sdrs-emulator, runs one goroutine per job in
// WaitJob, and prints the most OS threads the process had (from /proc/self/status), its peak
// RSS, the RSS per pending wait, the wall time and how the waits ended. Mode "watcher" parks the goroutines
// (Watcher.WaitJob, one library thread for all polls); mode "blocking" is the former
// WaitJob, one sdrs_job_wait per goroutine (WaitOpts.Blocking), which holds an OS thread for
// each wait.
//
//	watchbench -mode watcher -jobs 10000 -min 5s -max 60s
//	watchbench -mode blocking -jobs 2000
//
// It starts $SDRS_EMULATOR (or -emulator) on a free 127.0.0.1 port, or uses -endpoint. The
// figures are printed as one "key=value" line per mode. Nothing is asserted.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
	"github.com/libsdrs/libsdrs/bindings/go/internal/emulator"
)

const (
	project = "0123456789abcdef0123456789abcdef"
	token   = "emulator-token"
)

// stopEmulator stops the emulator this program started (a no-op otherwise); fatalf calls it,
// since os.Exit skips deferred calls.
var stopEmulator = func() {}

func fatalf(format string, args ...interface{}) {
	stopEmulator()
	log.Fatalf(format, args...)
}

func main() {
	mode := flag.String("mode", "watcher", "watcher (parked goroutines) or blocking (one sdrs_job_wait per goroutine)")
	jobs := flag.Int("jobs", 10000, "jobs seeded and goroutines waiting (one per job)")
	minRun := flag.Duration("min", 5*time.Second, "shortest job run time")
	maxRun := flag.Duration("max", 60*time.Second, "longest job run time")
	initT := flag.Duration("init", time.Second, "time each job stays INIT")
	polls := flag.Int("polls", 0, "watcher mode: Watcher max polls per second (0: use Client.WaitJob's own watcher with its defaults)")
	inFlight := flag.Int("inflight", 0, "watcher mode: Watcher max requests in flight (0: the default; only with -polls)")
	emulator := flag.String("emulator", os.Getenv("SDRS_EMULATOR"), "sdrs-emulator binary to start")
	failEvery := flag.Int("fail-every", 10, "every K-th seeded job ends FAIL (0: none)")
	emuThreads := flag.Int("emulator-threads", 20000, "the started emulator's most worker threads (one per open connection)")
	endpoint := flag.String("endpoint", "", "use this running emulator instead of starting one")
	timeout := flag.Duration("timeout", 15*time.Minute, "overall limit of the waits")
	flag.Parse()
	if *mode != "watcher" && *mode != "blocking" {
		log.Fatalf("-mode: watcher or blocking, not %q", *mode)
	}
	if *jobs < 1 || *minRun <= 0 || *maxRun < *minRun {
		log.Fatal("-jobs must be >= 1 and 0 < -min <= -max")
	}
	if *mode == "blocking" && *jobs > 9000 {
		// The Go runtime aborts at 10,000 OS threads by default; one blocking wait is one thread.
		debug.SetMaxThreads(*jobs + 1000)
	}

	ep := *endpoint
	if ep == "" {
		if *emulator == "" {
			log.Fatal("set SDRS_EMULATOR or -emulator (or -endpoint)")
		}
		ep, stopEmulator = startEmulator(*emulator, *emuThreads)
		defer stopEmulator()
	}

	c, err := sdrs.NewClient(sdrs.Config{Endpoint: ep, AllowHTTP: true, ProjectID: project, Token: token,
		Timeout: 60 * time.Second})
	if err != nil {
		fatalf("%v", err)
	}
	defer c.Close()
	wait := c.WaitJob
	label := "Client.WaitJob (its own watcher, default caps)"
	if *mode == "watcher" && *polls > 0 {
		opts := []sdrs.WatcherOption{sdrs.WithMaxPollsPerSec(*polls)}
		if *inFlight > 0 {
			opts = append(opts, sdrs.WithMaxInFlight(*inFlight))
		}
		w, err := sdrs.NewWatcher(c, opts...)
		if err != nil {
			fatalf("%v", err)
		}
		defer w.Close()
		wait = w.WaitJob
		label = fmt.Sprintf("Watcher.WaitJob (max %d polls/s, %d in flight; 0: the default 8)", *polls, *inFlight)
	}
	if *mode == "blocking" {
		label = "WaitJob with WaitOpts.Blocking (sdrs_job_wait per goroutine)"
	}

	ids := seedJobs(ep, *jobs, *initT, *minRun, *maxRun, *failEvery)
	fmt.Printf("# %s: %d jobs of %v + %v..%v, one goroutine each, %s\n", *mode, len(ids), *initT, *minRun, *maxRun, label)

	threadsBefore, _ := procStatus("Threads")
	rssBefore, _ := procStatus("VmRSS") // kB
	var maxThreads, maxRSS int64
	sampleDone := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // samples threads and RSS every 20 ms until the waits end
		defer close(sampled)
		tk := time.NewTicker(20 * time.Millisecond)
		defer tk.Stop()
		for {
			if n, err := procStatus("Threads"); err == nil && n > atomic.LoadInt64(&maxThreads) {
				atomic.StoreInt64(&maxThreads, n)
			}
			if n, err := procStatus("VmRSS"); err == nil && n > atomic.LoadInt64(&maxRSS) {
				atomic.StoreInt64(&maxRSS, n)
			}
			select {
			case <-sampleDone:
				return
			case <-tk.C:
			}
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	opts := &sdrs.WaitOpts{Timeout: *timeout, Blocking: *mode == "blocking"}
	var ok, jobFailed, otherErr, returned int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			j, err := wait(ctx, id, opts)
			atomic.AddInt64(&returned, 1)
			switch {
			case err == nil && j.Status == sdrs.JobSuccess:
				atomic.AddInt64(&ok, 1)
			case errors.Is(err, sdrs.ErrJobFailed) && j != nil && j.Status == sdrs.JobFail:
				atomic.AddInt64(&jobFailed, 1)
			default:
				atomic.AddInt64(&otherErr, 1)
				if err == nil {
					err = fmt.Errorf("job %s ended %s", id, j.StatusString)
				}
				firstErr.CompareAndSwap(nil, err)
			}
		}(id)
	}
	// Memory per pending wait: RSS 2 s after the start (every goroutine waits, no job has
	// ended: the shortest runs -init + -min), minus RSS before.
	time.Sleep(2 * time.Second)
	rssPending, _ := procStatus("VmRSS")
	pendingNow := int64(len(ids)) - atomic.LoadInt64(&returned)
	wg.Wait()
	wall := time.Since(start)
	close(sampleDone)
	<-sampled
	stats := adminJSON(ep, "GET", "/_emulator/stats", nil)
	perJob := int64(0)
	if pendingNow > 0 {
		perJob = (rssPending - rssBefore) * 1024 / pendingNow
	}
	fmt.Printf("mode=%s jobs=%d success=%d job_failed=%d other_errors=%d wall_s=%.1f max_threads=%d threads_before=%d "+
		"rss_per_pending_wait_B=%d (%d pending at +2s) peak_rss_mib=%d emulator_api_requests=%v emulator_connections=%v go=%s gomaxprocs=%d\n",
		*mode, len(ids), ok, jobFailed, otherErr, wall.Seconds(), atomic.LoadInt64(&maxThreads), threadsBefore,
		perJob, pendingNow, atomic.LoadInt64(&maxRSS)/1024, stats["api_requests"], stats["connections"],
		runtime.Version(), runtime.GOMAXPROCS(0))
	if e, _ := firstErr.Load().(error); e != nil {
		fatalf("first unexpected result: %v", e)
	}
}

// procStatus reads one numeric field ("Threads", "VmHWM") of /proc/self/status.
func procStatus(field string) (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v := strings.TrimPrefix(line, field+":"); v != line {
			return strconv.ParseInt(strings.Fields(v)[0], 10, 64)
		}
	}
	return 0, errors.New("no " + field + " in /proc/self/status")
}

// seedJobs asks the emulator for n running jobs whose run times spread over [minRun, maxRun].
func seedJobs(ep string, n int, initT, minRun, maxRun time.Duration, failEvery int) []string {
	res := adminJSON(ep, "POST", "/_emulator/seed-jobs", map[string]interface{}{
		"count": n, "init_ms": initT.Milliseconds(), "run_ms_min": minRun.Milliseconds(), "run_ms_max": maxRun.Milliseconds(),
		"fail_every": failEvery,
	})
	raw, _ := res["job_ids"].([]interface{})
	ids := make([]string, 0, len(raw))
	for _, v := range raw {
		if s, ok := v.(string); ok {
			ids = append(ids, s)
		}
	}
	if len(ids) != n {
		fatalf("seed-jobs returned %d job ids for %d", len(ids), n)
	}
	return ids
}

func adminJSON(ep, method, path string, body interface{}) map[string]interface{} {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, ep+path, rd)
	if err != nil {
		fatalf("%v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		fatalf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	out := map[string]interface{}{}
	if err := json.Unmarshal(data, &out); err != nil {
		fatalf("%s %s: %v", method, path, err)
	}
	return out
}

// startEmulator runs the emulator on a free port and returns its URL and a stop function.
func startEmulator(bin string, threads int) (string, func()) {
	// The emulator ends with this program even if it is killed.
	url, stop, err := emulator.Start(bin, []string{"--quiet", "--threads", strconv.Itoa(threads)}, true)
	if err != nil {
		fatalf("%v", err)
	}
	return url, stop
}
