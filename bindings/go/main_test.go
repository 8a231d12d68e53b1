package sdrs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
	"github.com/libsdrs/libsdrs/bindings/go/internal/emulator"
)

// The emulator's defaults (see tools/sdrs-emulator/README.md).
const (
	testProject  = "0123456789abcdef0123456789abcdef"
	testToken    = "emulator-token"
	domainA      = "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11"
	azA1         = "eu-de-01"
	azA2         = "eu-de-02"
	testVPC      = "0ad6bc2e-3a7c-4b9e-8d1f-5e6a7b8c9d0e"
	unknownGroup = "00000000-0000-4000-8000-000000000000"
)

// uniq returns prefix plus a name part unique to this test run and call, so that repeated
// runs (-count=N) against one emulator do not see each other's groups.
func uniq(prefix string) string {
	return fmt.Sprintf("%s%s-%d-", prefix, runID, atomic.AddInt64(&uniqN, 1))
}

var (
	runID = strconv.FormatInt(time.Now().UnixNano()%1e12, 36)
	uniqN int64
)

// endpoint is the emulator's base URL; TestMain also exports it as SDRS_TEST_ENDPOINT for the
// examples.
var endpoint string

// fastWait polls quickly: emulator jobs take about 100 ms.
var fastWait = &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond, MaxInterval: 100 * time.Millisecond,
	Timeout: 60 * time.Second}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// A child process of a test (a re-run of this binary that is meant to crash) uses its
	// parent's emulator: one of its own would outlive the crash.
	if ep := os.Getenv("SDRS_GO_TEST_PARENT_ENDPOINT"); ep != "" {
		endpoint = ep
		os.Setenv("SDRS_TEST_ENDPOINT", endpoint)
		return m.Run()
	}
	bin := os.Getenv("SDRS_EMULATOR")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "SDRS_EMULATOR must name the sdrs-emulator binary (see run-tests.sh)")
		return 2
	}
	// The emulator dies with this process, even when a test crashes it: Pdeathsig follows the
	// starting OS thread, so TestMain's goroutine keeps its thread until the process exits.
	runtime.LockOSThread()
	ep, stop, err := emulator.Start(bin, []string{"--job-init-ms", "20", "--job-run-ms", "80", "--quiet",
		"--user", testUser + ":" + testPassword + ":" + testDomain, "--aksk", testAK + ":" + testSK}, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer stop()
	endpoint = ep
	os.Setenv("SDRS_TEST_ENDPOINT", endpoint)
	return m.Run()
}

func testConfig() sdrs.Config {
	return sdrs.Config{Endpoint: endpoint, AllowHTTP: true, ProjectID: testProject, Token: testToken,
		Timeout: 20 * time.Second}
}

func newClient(t testing.TB) *sdrs.Client {
	t.Helper()
	c, err := sdrs.NewClient(testConfig())
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func testCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func spec(name string) sdrs.CreateProtectionGroupOpts {
	return sdrs.CreateProtectionGroupOpts{Name: name, Description: "go binding test", SourceAZ: azA1,
		TargetAZ: azA2, DomainID: domainA, SourceVPCID: testVPC}
}

// admin calls an emulator admin endpoint and decodes its JSON answer (if any).
func admin(t testing.TB, method, path string, body interface{}) map[string]interface{} {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, endpoint+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("admin %s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	res := map[string]interface{}{}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &res); err != nil {
			t.Fatalf("admin %s %s: bad JSON %q", method, path, data)
		}
	}
	return res
}

func setJobDurations(t testing.TB, initMs, runMs int) {
	admin(t, "POST", "/_emulator/config", map[string]int{"job_init_ms": initMs, "job_run_ms": runMs})
}

// longJobs makes jobs created from now on take minutes, until the test ends.
func longJobs(t testing.TB) {
	setJobDurations(t, 120000, 120000)
	t.Cleanup(func() { setJobDurations(t, 20, 80) })
}

func apiRequests(t testing.TB) float64 {
	return admin(t, "GET", "/_emulator/stats", nil)["api_requests"].(float64)
}

// asError extracts the *sdrs.Error or fails the test.
func asError(t testing.TB, err error) *sdrs.Error {
	t.Helper()
	var e *sdrs.Error
	if err == nil || !errors.As(err, &e) {
		t.Fatalf("want *sdrs.Error, got %T %v", err, err)
	}
	return e
}

func wantContains(t testing.TB, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Fatalf("%q does not contain %q", s, sub)
	}
}
