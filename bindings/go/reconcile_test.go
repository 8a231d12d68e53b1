package sdrs_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// injectCreateFault makes the next create POST fail with the emulator fault kind, and removes
// every fault rule when the test ends.
func injectCreateFault(t *testing.T, kind string) {
	t.Helper()
	admin(t, "POST", "/_emulator/faults", map[string]interface{}{"route": "POST /server-groups", "kind": kind, "count": 1})
	t.Cleanup(func() { admin(t, "DELETE", "/_emulator/faults", nil) })
}

func faultHits(t *testing.T) float64 {
	t.Helper()
	faults := admin(t, "GET", "/_emulator/faults", nil)["faults"].([]interface{})
	var hits float64
	for _, f := range faults {
		hits += f.(map[string]interface{})["hits"].(float64)
	}
	return hits
}

// groupsNamed counts the groups whose name is exactly name.
func groupsNamed(t *testing.T, c *sdrs.Client, name string) int {
	t.Helper()
	page, err := c.ListProtectionGroups(testCtx(t, 20*time.Second), sdrs.ListOpts{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range page.Groups {
		if g.Name == name {
			n++
		}
	}
	return n
}

// lostCreate sends a create whose connection the emulator closes (kind close_after: after
// making the group; close_before: without) and checks the error reports an unknown outcome.
func lostCreate(t *testing.T, c *sdrs.Client, sp sdrs.CreateProtectionGroupOpts, kind string) *sdrs.Error {
	t.Helper()
	injectCreateFault(t, kind)
	before := time.Now().Add(-time.Second)
	_, err := c.CreateProtectionGroup(testCtx(t, 30*time.Second), sp)
	after := time.Now().Add(time.Second)
	if !errors.Is(err, sdrs.ErrTransport) {
		t.Fatalf("%s: want ErrTransport, got %v", kind, err)
	}
	e := asError(t, err)
	if !e.OutcomeUnknown || e.Retryable || e.Attempts != 1 {
		t.Fatalf("%s: want outcome unknown, not retryable, 1 attempt; got %+v", kind, e)
	}
	if e.SentAt.Before(before) || e.SentAt.After(after) {
		t.Fatalf("%s: SentAt %v is not between %v and %v", kind, e.SentAt, before, after)
	}
	if !sdrs.IsOutcomeUnknown(err) || !sdrs.IsOutcomeUnknown(fmt.Errorf("wrapped: %w", err)) {
		t.Fatalf("%s: IsOutcomeUnknown is false for %v", kind, err)
	}
	wantContains(t, err.Error(), "outcome unknown")
	wantContains(t, e.Message, "may have")
	if h := faultHits(t); h != 1 {
		t.Fatalf("%s: the fault hit %v times, want 1 (the create must not be sent again)", kind, h)
	}
	return e
}

// TestReconcileLostCreateThatWasMade: the service made the group but the answer was lost;
// FindCreatedProtectionGroup returns that group and no second one exists.
func TestReconcileLostCreateThatWasMade(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	name := uniq("lost-made-")
	sp := spec(name)
	e := lostCreate(t, c, sp, "close_after")

	pg, err := c.FindCreatedProtectionGroup(ctx, sp, e.SentAt)
	if err != nil {
		t.Fatalf("FindCreatedProtectionGroup: %v", err)
	}
	if pg.Name != name || pg.DomainID != domainA || pg.SourceAZ != azA1 || pg.TargetAZ != azA2 ||
		pg.SourceVPCID != testVPC || pg.ID == "" {
		t.Fatalf("found group: %+v", pg)
	}
	if n := groupsNamed(t, c, name); n != 1 {
		t.Fatalf("%d groups named %q, want exactly 1", n, name)
	}
	// A group made long before since (beyond the clock-skew allowance) is not the lost one's.
	if _, err := c.FindCreatedProtectionGroup(ctx, sp, e.SentAt.Add(time.Hour)); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("since an hour later: want ErrNotFound, got %v", err)
	}
	// A spec that differs in a field the group has does not match.
	other := sp
	other.SourceVPCID = "b0000000-0000-4000-8000-00000000000b"
	if _, err := c.FindCreatedProtectionGroup(ctx, other, e.SentAt); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("other VPC: want ErrNotFound, got %v", err)
	}
}

// TestReconcileLostCreateThatWasNot: the connection closed before the service processed the
// create; FindCreatedProtectionGroup says none exists, and creating again makes exactly one.
func TestReconcileLostCreateThatWasNot(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	name := uniq("lost-not-")
	sp := spec(name)
	e := lostCreate(t, c, sp, "close_before")

	if _, err := c.FindCreatedProtectionGroup(ctx, sp, e.SentAt); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	} else if ne := asError(t, err); ne.OutcomeUnknown || !ne.SentAt.IsZero() {
		t.Fatalf("a not-found answer is a known outcome: %+v", ne)
	}
	pg, err := c.CreateProtectionGroupAndWait(ctx, sp, fastWait)
	if err != nil {
		t.Fatalf("creating again: %v", err)
	}
	found, err := c.FindCreatedProtectionGroup(ctx, sp, e.SentAt)
	if err != nil || found.ID != pg.ID {
		t.Fatalf("after the second create: want group %s, got %+v, %v", pg.ID, found, err)
	}
	if n := groupsNamed(t, c, name); n != 1 {
		t.Fatalf("%d groups named %q, want exactly 1", n, name)
	}
}

// TestFindCreatedNeverSent: a spec that was never sent has no group; bad input is refused.
func TestFindCreatedNeverSent(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 30*time.Second)
	sp := spec(uniq("never-sent-"))
	_, err := c.FindCreatedProtectionGroup(ctx, sp, time.Now())
	if !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	if sdrs.IsOutcomeUnknown(err) {
		t.Fatalf("not found is a known outcome: %v", err)
	}
	if _, err := c.FindCreatedProtectionGroup(ctx, sp, time.Time{}); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("zero since: want ErrValidation, got %v", err)
	} else {
		wantContains(t, err.Error(), "since")
	}
	noName := sp
	noName.Name = ""
	if _, err := c.FindCreatedProtectionGroup(ctx, noName, time.Now()); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("spec without a name: want ErrValidation, got %v", err)
	} else {
		wantContains(t, err.Error(), "name")
	}
	// An ordinary failure says nothing about an unknown outcome.
	_, err = c.GetProtectionGroup(ctx, unknownGroup)
	if e := asError(t, err); e.OutcomeUnknown || !e.SentAt.IsZero() || sdrs.IsOutcomeUnknown(err) {
		t.Fatalf("not found: %+v", e)
	}
}
