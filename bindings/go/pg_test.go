package sdrs_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// runJob waits for a job started by an action and checks it succeeded.
func runJob(t *testing.T, c *sdrs.Client, ctx context.Context, what string, jobID string, err error) *sdrs.Job {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	job, err := c.WaitJob(ctx, jobID, fastWait)
	if err != nil {
		t.Fatalf("%s: wait: %v", what, err)
	}
	return job
}

func getPG(t *testing.T, c *sdrs.Client, ctx context.Context, id string) *sdrs.ProtectionGroup {
	t.Helper()
	pg, err := c.GetProtectionGroup(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return pg
}

func TestLifecycle(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 120*time.Second)
	start := time.Now().Add(-2 * time.Second)

	pg, err := c.CreateProtectionGroupAndWait(ctx, spec("life-1"), fastWait)
	if err != nil {
		t.Fatal(err)
	}
	if pg.Name != "life-1" || pg.Description != "go binding test" || pg.Status != sdrs.PGAvailable ||
		pg.StatusString != "available" || pg.SourceAZ != azA1 || pg.TargetAZ != azA2 || pg.DomainID != domainA ||
		pg.DomainName != "dr-domain-a" || pg.PriorityStation != sdrs.StationSource || pg.SourceVPCID != testVPC ||
		pg.DRType != "migration" || pg.ServerType != "ECS" || pg.ReplicationNum != 0 ||
		pg.ProtectedInstanceNum != 0 || pg.DisasterRecoveryDrillNum != 0 || pg.Progress < 0 ||
		pg.CreatedAtRaw == "" || pg.UpdatedAtRaw == "" || !strings.Contains(pg.JSON, pg.ID) {
		t.Fatalf("created group: %+v", pg)
	}
	if pg.CreatedAt.Before(start) || pg.CreatedAt.After(time.Now().Add(2*time.Second)) || pg.UpdatedAt.IsZero() {
		t.Fatalf("created_at %v (%q) is not now", pg.CreatedAt, pg.CreatedAtRaw)
	}
	id := pg.ID

	// Disabling an unprotected group is a state error.
	if _, err := c.DisableProtection(ctx, id); !errors.Is(err, sdrs.ErrConflict) {
		t.Fatalf("disable while available: want ErrConflict, got %v", err)
	}
	// Enabling needs a replication pair.
	if _, err := c.EnableProtection(ctx, id); !errors.Is(err, sdrs.ErrConflict) {
		t.Fatalf("enable without pairs: want ErrConflict, got %v", err)
	}

	renamed, err := c.RenameProtectionGroup(ctx, id, "life-1-renamed")
	if err != nil {
		t.Fatal(err)
	}
	if renamed.Name != "life-1-renamed" || renamed.ID != id {
		t.Fatalf("rename: %+v", renamed)
	}

	// A replication pair of a standalone data disk (no admin override: the counter follows the
	// real pairs).
	pair, err := c.CreateReplicationPairAndWait(ctx, sdrs.CreateReplicationPairOpts{ServerGroupID: id,
		VolumeID: fixtureVolumeNamed(t, "data-1").ID, Name: "life-1-data"}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	if n := getPG(t, c, ctx, id).ReplicationNum; n != 1 {
		t.Fatalf("replication_num %d", n)
	}

	jid, err := c.EnableProtection(ctx, id)
	job := runJob(t, c, ctx, "enable", jid, err)
	if job.Type != "startProtectionGroupNoCG" || job.ServerGroupID() != id {
		t.Fatalf("enable job %+v", job)
	}
	if g := getPG(t, c, ctx, id); g.Status != sdrs.PGProtected {
		t.Fatalf("after enable: %s", g.StatusString)
	}

	jid, err = c.PlannedFailover(ctx, id, sdrs.StationTarget)
	runJob(t, c, ctx, "planned failover", jid, err)
	if g := getPG(t, c, ctx, id); g.Status != sdrs.PGProtected || g.PriorityStation != sdrs.StationTarget {
		t.Fatalf("after planned failover: %s %s", g.StatusString, g.PriorityStation)
	}
	jid, err = c.PlannedFailover(ctx, id, sdrs.StationSource)
	runJob(t, c, ctx, "failback", jid, err)
	if g := getPG(t, c, ctx, id); g.PriorityStation != sdrs.StationSource {
		t.Fatalf("after failback: %s", g.PriorityStation)
	}

	jid, err = c.Failover(ctx, id)
	runJob(t, c, ctx, "failover", jid, err)
	if g := getPG(t, c, ctx, id); g.Status != sdrs.PGFailedOver {
		t.Fatalf("after failover: %s", g.StatusString)
	}

	jid, err = c.EnableProtection(ctx, id) // re-enable after a failover
	job = runJob(t, c, ctx, "reprotect", jid, err)
	if job.Type != "reprotectProtectionGroupNoCG" {
		t.Fatalf("reprotect job type %q", job.Type)
	}
	if g := getPG(t, c, ctx, id); g.Status != sdrs.PGProtected {
		t.Fatalf("after reprotect: %s", g.StatusString)
	}

	jid, err = c.DisableProtection(ctx, id)
	runJob(t, c, ctx, "disable", jid, err)
	if g := getPG(t, c, ctx, id); g.Status != sdrs.PGAvailable {
		t.Fatalf("after disable: %s", g.StatusString)
	}

	// A group with a replication pair cannot be deleted.
	if _, err := c.DeleteProtectionGroup(ctx, id); !errors.Is(err, sdrs.ErrConflict) {
		t.Fatalf("delete with pairs: want ErrConflict, got %v", err)
	}
	// The sites are switched (failover), so the DR-site disk stays (SDRS.1809 otherwise).
	jid, err = c.DeleteReplicationPair(ctx, pair.ID, sdrs.DeleteReplicationPairOpts{})
	runJob(t, c, ctx, "delete pair", jid, err)
	if n := getPG(t, c, ctx, id).ReplicationNum; n != 0 {
		t.Fatalf("replication_num %d after deleting the pair", n)
	}
	jid, err = c.DeleteProtectionGroup(ctx, id)
	job = runJob(t, c, ctx, "delete", jid, err)
	if job.Type != "deleteProtectionGroupNoCG" {
		t.Fatalf("delete job %+v", job)
	}
	if _, err := c.GetProtectionGroup(ctx, id); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("after delete: want ErrNotFound, got %v", err)
	}
}

func TestListAndIterate(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	prefix := uniq("seed")
	admin(t, "POST", "/_emulator/seed-groups", map[string]interface{}{"count": 25, "name_prefix": prefix,
		"status": "available"})

	page, err := c.ListProtectionGroups(ctx, sdrs.ListOpts{Name: prefix, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Groups) != 10 || page.Count != 25 {
		t.Fatalf("first page: %d groups, count %d", len(page.Groups), page.Count)
	}
	page, err = c.ListProtectionGroups(ctx, sdrs.ListOpts{Name: prefix, Limit: 10, Offset: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Groups) != 5 {
		t.Fatalf("last page: %d groups", len(page.Groups))
	}
	page, err = c.ListProtectionGroups(ctx, sdrs.ListOpts{Name: prefix, Status: "protected"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Groups) != 0 {
		t.Fatalf("status filter: %d groups", len(page.Groups))
	}

	// Page size 7 over 25 groups: 4 pages.
	it := c.ProtectionGroups(sdrs.ListOpts{Name: prefix, Limit: 7})
	var names []string
	for it.Next(ctx) {
		pg := it.Value()
		if pg.Status != sdrs.PGAvailable || pg.ID == "" {
			t.Fatalf("iterated group %+v", pg)
		}
		names = append(names, pg.Name)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if it.Next(ctx) {
		t.Fatal("Next after the end")
	}
	sort.Strings(names)
	if len(names) != 25 || names[0] != prefix+"00000" || names[24] != prefix+"00024" {
		t.Fatalf("iterated names %v", names)
	}

	// Stopping early.
	it = c.ProtectionGroups(sdrs.ListOpts{Name: prefix, Limit: 5})
	if !it.Next(ctx) {
		t.Fatal(it.Err())
	}
	it.Close()
	it.Close()
	if it.Next(ctx) || it.Err() != nil {
		t.Fatalf("Next after Close: %v", it.Err())
	}

	// A canceled context ends the iteration with ErrCanceled.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	it = c.ProtectionGroups(sdrs.ListOpts{Name: prefix})
	if it.Next(cctx) || !errors.Is(it.Err(), sdrs.ErrCanceled) || !errors.Is(it.Err(), context.Canceled) {
		t.Fatalf("canceled iteration: %v", it.Err())
	}
	// A bad option is reported through Err.
	it = c.ProtectionGroups(sdrs.ListOpts{Limit: -3})
	if it.Next(ctx) || it.Err() == nil {
		t.Fatal("limit -3 accepted")
	}
}

// 64 goroutines share one client and create 640 groups.
func TestConcurrentCreates(t *testing.T) {
	const workers, each = 64, 10
	c := newClient(t)
	ctx := testCtx(t, 240*time.Second)
	prefix := uniq("conc")
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	ids := make(chan string, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				pg, err := c.CreateProtectionGroupAndWait(ctx, spec(fmt.Sprintf("%s%02d-%02d", prefix, w, i)), fastWait)
				if err != nil {
					errs <- err
					continue
				}
				if pg.Status != sdrs.PGAvailable {
					errs <- fmt.Errorf("group %s is %s", pg.Name, pg.StatusString)
				}
				ids <- pg.ID
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	close(ids)
	for err := range errs {
		t.Error(err)
	}
	unique := map[string]bool{}
	for id := range ids {
		unique[id] = true
	}
	if len(unique) != workers*each {
		t.Fatalf("%d distinct groups, want %d", len(unique), workers*each)
	}
	n := 0
	it := c.ProtectionGroups(sdrs.ListOpts{Name: prefix, Limit: 200})
	for it.Next(ctx) {
		if !unique[it.Value().ID] {
			t.Fatalf("unexpected group %s", it.Value().Name)
		}
		n++
	}
	if it.Err() != nil || n != workers*each {
		t.Fatalf("listed %d groups (err %v)", n, it.Err())
	}
}
