package sdrs_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

func TestVersionAndNames(t *testing.T) {
	v := sdrs.Version()
	if !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(v) {
		t.Fatalf("Version() = %q", v)
	}
	if sdrs.VersionNumber() != sdrs.HeaderVersionNumber {
		t.Fatalf("VersionNumber %d != header %d", sdrs.VersionNumber(), sdrs.HeaderVersionNumber)
	}
	if want := fmt.Sprintf("%d.", sdrs.VersionNumber()/10000); !strings.HasPrefix(v, want) {
		t.Fatalf("Version %q does not start with %q", v, want)
	}
	if got := sdrs.CodeNotFound.String(); got != "SDRS_ENOTFOUND" {
		t.Fatalf("CodeNotFound.String() = %q", got)
	}
	if got := sdrs.ErrorName(12345); got != "SDRS_UNKNOWN" {
		t.Fatalf("ErrorName(12345) = %q", got)
	}
	if sdrs.StrError(int(sdrs.CodeTimeout)) == "" || sdrs.CodeQuota.Description() == "" {
		t.Fatal("empty sdrs_strerror")
	}
	if got := sdrs.JobSuccess.String(); got != "SUCCESS" {
		t.Fatalf("JobSuccess = %q", got)
	}
	if got := sdrs.JobStatus(77).String(); got != "UNKNOWN" {
		t.Fatalf("JobStatus(77) = %q", got)
	}
	if got := sdrs.PGFailedOver.String(); got != "failed-over" {
		t.Fatalf("PGFailedOver = %q", got)
	}
	if got := sdrs.PGStatus(999).String(); got != "unknown" {
		t.Fatalf("PGStatus(999) = %q", got)
	}
	// Sentinels match by code only.
	if !errors.Is(sdrs.ErrNotFound, sdrs.ErrNotFound) || errors.Is(sdrs.ErrNotFound, sdrs.ErrConflict) {
		t.Fatal("sentinel identity")
	}
}

func TestAPIVersionsAndDomains(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 30*time.Second)
	vs, err := c.APIVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 || vs[0].ID != "v1" || vs[0].Status != "CURRENT" || !strings.HasSuffix(vs[0].SelfLink, "/v1") {
		t.Fatalf("APIVersions = %+v", vs)
	}
	if vs[0].Updated == "" || !strings.Contains(vs[0].JSON, `"v1"`) {
		t.Fatalf("APIVersions fields = %+v", vs[0])
	}
	v, err := c.APIVersion(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "v1" || v.Status != "CURRENT" {
		t.Fatalf("APIVersion(v1) = %+v", v)
	}

	ds, err := c.Domains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Domains) != 2 || !strings.Contains(ds.JSON, "dr-domain-b") {
		t.Fatalf("Domains = %+v", ds)
	}
	a, b := ds.Domains[0], ds.Domains[1]
	if a.ID != domainA || a.Name != "dr-domain-a" || a.LocalAZ != azA1 || a.RemoteAZ != azA2 || a.SoldOut != 0 ||
		a.Description == "" || !strings.Contains(a.JSON, domainA) {
		t.Fatalf("domain a = %+v", a)
	}
	if b.Name != "dr-domain-b" || b.SoldOut != 1 {
		t.Fatalf("domain b = %+v", b)
	}
}

func TestServiceErrors(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 30*time.Second)
	_, err := c.GetProtectionGroup(ctx, unknownGroup)
	if !errors.Is(err, sdrs.ErrNotFound) || errors.Is(err, sdrs.ErrConflict) || errors.Is(err, context.Canceled) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	e := asError(t, err)
	if e.Code != sdrs.CodeNotFound || e.HTTPStatus == 0 || e.APICode != "SDRS.1013" || e.RequestID == "" ||
		e.Attempts < 1 || e.Retryable || e.Op != "sdrs_pg_get" || !strings.Contains(e.Body, "SDRS.1013") {
		t.Fatalf("error fields: %+v", e)
	}
	wantContains(t, e.Error(), "SDRS_ENOTFOUND")
	wantContains(t, e.Error(), "SDRS.1013")

	// A wrong token: 401 -> ErrAuth.
	cfg := testConfig()
	cfg.Token = "not-the-token"
	bad, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := bad.Domains(ctx); !errors.Is(err, sdrs.ErrAuth) {
		t.Fatalf("want ErrAuth, got %v", err)
	}
}

func TestValidation(t *testing.T) {
	ctx := testCtx(t, 30*time.Second)
	if _, err := sdrs.NewClient(sdrs.Config{}); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("empty config: %v", err)
	}
	cfg := testConfig()
	cfg.AllowHTTP = false
	if _, err := sdrs.NewClient(cfg); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("http without AllowHTTP: %v", err)
	}
	cfg = testConfig()
	cfg.ProjectID = "a/../b"
	_, err := sdrs.NewClient(cfg)
	if !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("bad project id: %v", err)
	}
	wantContains(t, asError(t, err).Message, "project_id")

	c := newClient(t)
	before := apiRequests(t)
	s := spec(strings.Repeat("n", 65))
	_, err = c.CreateProtectionGroup(ctx, s)
	if !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("long name: %v", err)
	}
	e := asError(t, err)
	wantContains(t, e.Message, "name")
	if e.Attempts != 0 || e.HTTPStatus != 0 {
		t.Fatalf("validation error sent something: %+v", e)
	}
	s = spec("missing-az")
	s.SourceAZ = ""
	_, err = c.CreateProtectionGroup(ctx, s)
	if !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("missing AZ: %v", err)
	}
	wantContains(t, err.Error(), "source_availability_zone")
	s = spec("bad-desc")
	s.Description = "<b>"
	if _, err = c.CreateProtectionGroup(ctx, s); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("bad description: %v", err)
	}
	if _, err = c.GetProtectionGroup(ctx, "a/b"); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("bad group id: %v", err)
	}
	wantContains(t, err.Error(), "server_group_id")
	if _, err = c.WaitJob(ctx, "", fastWait); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("empty job id: %v", err)
	}
	if _, err = c.RenameProtectionGroup(ctx, unknownGroup, "bad name!"); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("bad new name: %v", err)
	}
	if _, err = c.ListProtectionGroups(ctx, sdrs.ListOpts{Limit: 5000}); err == nil {
		t.Fatal("limit 5000 accepted")
	}
	_, err = c.WaitJob(ctx, "0123456789abcdef0123456789abcdef", &sdrs.WaitOpts{InitialInterval: time.Millisecond})
	if e := asError(t, err); e.Op != "sdrs_wait_opts_set_initial_interval_ms" ||
		(e.Code != sdrs.CodeValidation && e.Code != sdrs.CodeInvalid) {
		t.Fatalf("initial interval 1 ms: %+v", e)
	}
	if after := apiRequests(t); after != before {
		t.Fatalf("validation failures sent %v requests", after-before)
	}
}

func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	c, err := sdrs.NewClient(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	live := sdrs.LiveClients()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n := sdrs.LiveClients(); n != live-1 {
		t.Fatalf("%d live clients after Close twice, want %d", n, live-1)
	}
	_, err = c.GetProtectionGroup(context.Background(), unknownGroup)
	if !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("use after Close: %v", err)
	}
	it := c.ProtectionGroups(sdrs.ListOpts{})
	if it.Next(context.Background()) || !errors.Is(it.Err(), sdrs.ErrInvalid) {
		t.Fatalf("iterator after Close: %v", it.Err())
	}
}

// Close while a wait is in flight: the C client lives until the call returns.
func TestCloseDuringCall(t *testing.T) {
	longJobs(t)
	c, err := sdrs.NewClient(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	jobID, err := c.CreateProtectionGroup(ctx, spec("close-during-call"))
	if err != nil {
		t.Fatal(err)
	}
	polled := make(chan struct{}, 1)
	done := make(chan error, 1)
	wctx, wcancel := context.WithCancel(ctx)
	go func() {
		_, err := c.WaitJob(wctx, jobID, &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond,
			Progress: func(*sdrs.Job) bool {
				select {
				case polled <- struct{}{}:
				default:
				}
				return true
			}})
		done <- err
	}()
	select {
	case <-polled:
	case <-time.After(10 * time.Second):
		t.Fatal("no progress callback")
	}
	live := sdrs.LiveClients()
	c.Close()
	c.Close()
	time.Sleep(100 * time.Millisecond) // the wait keeps polling with the closed-but-pinned client
	if n := sdrs.LiveClients(); n != live {
		t.Fatalf("the client was freed during a call (%d live, want %d)", n, live)
	}
	wcancel()
	select {
	case err := <-done:
		if !errors.Is(err, sdrs.ErrCanceled) {
			t.Fatalf("want ErrCanceled, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WaitJob did not return after cancel")
	}
	if n := sdrs.LiveClients(); n != live-1 {
		t.Fatalf("the closed client was not freed when its last call returned (%d live, want %d)", n, live-1)
	}
}

func TestFinalizerFreesUnclosedClient(t *testing.T) {
	before := sdrs.LiveClients()
	func() {
		for i := 0; i < 20; i++ {
			c, err := sdrs.NewClient(testConfig())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.APIVersion(testCtx(t, 10*time.Second), "v1"); err != nil {
				t.Fatal(err)
			}
		}
	}()
	if n := sdrs.LiveClients(); n != before+20 {
		t.Fatalf("%d live clients, want %d", n, before+20)
	}
	// The dropped clients are freed by their finalizers.
	deadline := time.Now().Add(5 * time.Second)
	for sdrs.LiveClients() > before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	if n := sdrs.LiveClients(); n != before {
		t.Fatalf("%d live clients after GC, want %d", n, before)
	}
}

func TestLogger(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	cfg := testConfig()
	cfg.LogLevel = sdrs.LogDebug
	cfg.Logger = func(level sdrs.LogLevel, line string) {
		mu.Lock()
		lines = append(lines, strconv.Itoa(int(level))+" "+line)
		mu.Unlock()
	}
	c, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Domains(testCtx(t, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(lines, "\n")
	if len(lines) == 0 || !strings.Contains(all, "active-domains") {
		t.Fatalf("log lines: %q", lines)
	}
	if strings.Contains(all, testToken) {
		t.Fatalf("the token leaked into the log: %q", all)
	}
}

func TestCanceledBeforeCall(t *testing.T) {
	c := newClient(t)
	before := apiRequests(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetProtectionGroup(ctx, unknownGroup)
	if !errors.Is(err, sdrs.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("want ErrCanceled+context.Canceled, got %v", err)
	}
	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	_, err = c.Domains(dctx)
	if !errors.Is(err, sdrs.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want ErrTimeout+DeadlineExceeded, got %v", err)
	}
	if after := apiRequests(t); after != before {
		t.Fatalf("a done context still sent %v requests", after-before)
	}
}
