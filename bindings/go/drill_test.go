package sdrs_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// The emulator's drill VPCs (GET /_emulator/vpcs).
const (
	drillVPC      = "c0000000-0000-4000-8000-00000000000c" // same CIDR as the default VPC
	emptyVPC      = "e0000000-0000-4000-8000-00000000000e" // no subnet: SDRS.1908
	otherCIDRVPC  = "f0000000-0000-4000-8000-00000000000f" // other CIDR: SDRS.1909
	unknownDrill  = "00000000-0000-4000-8000-0000000000dd"
	keyNeedsQuote = "cost center 50%?#&+" // space, %, ?, #, &, + must be percent-encoded in a path
)

func quotaOf(t *testing.T, c *sdrs.Client, ctx context.Context, typ string) sdrs.QuotaResource {
	t.Helper()
	q, err := c.Quotas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := q.Get(typ)
	if !ok || r.Type != typ {
		t.Fatalf("no %s quota in %s", typ, q.JSON)
	}
	return r
}

func wantUsed(t *testing.T, c *sdrs.Client, ctx context.Context, step string, groups, pairs int64) {
	t.Helper()
	if g := quotaOf(t, c, ctx, sdrs.QuotaServerGroups); g.Used != groups {
		t.Fatalf("%s: server_groups used %d, want %d", step, g.Used, groups)
	}
	if r := quotaOf(t, c, ctx, sdrs.QuotaReplications); r.Used != pairs {
		t.Fatalf("%s: replications used %d, want %d", step, r.Used, pairs)
	}
}

func sortedTags(tags []sdrs.Tag) []sdrs.Tag {
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	return tags
}

func instanceTags(t *testing.T, c *sdrs.Client, ctx context.Context, id string) []sdrs.Tag {
	t.Helper()
	tags, err := c.InstanceTags(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return sortedTags(tags)
}

// queryIDs runs the filter form of q and checks it against the count form (same query
// without paging); it returns the sorted instance ids.
func queryIDs(t *testing.T, c *sdrs.Client, ctx context.Context, what string, q sdrs.TagQuery) []string {
	t.Helper()
	page, err := c.QueryInstancesByTag(ctx, q)
	if err != nil {
		t.Fatalf("%s: filter: %v", what, err)
	}
	var ids []string
	for _, m := range page.Matches {
		if m.Instance == nil || m.Instance.ID != m.ResourceID || m.Instance.Name != m.ResourceName || m.ResourceID == "" {
			t.Fatalf("%s: match %+v (instance %+v)", what, m, m.Instance)
		}
		ids = append(ids, m.ResourceID)
	}
	sort.Strings(ids)
	n, err := c.CountInstancesByTag(ctx, q)
	if err != nil {
		t.Fatalf("%s: count: %v", what, err)
	}
	if n != int64(len(ids)) || page.TotalCount != n {
		t.Fatalf("%s: filter gave %d (total_count %d), count %d", what, len(ids), page.TotalCount, n)
	}
	return ids
}

func sortedIDs(ids ...string) string {
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

func drillServers(t *testing.T) map[string]fixtureServer {
	t.Helper()
	var list struct {
		Servers []fixtureServer `json:"servers"`
	}
	adminGet(t, "/_emulator/servers", &list)
	m := map[string]fixtureServer{}
	for _, s := range list.Servers {
		if s.Role == "drill" {
			m[s.ID] = s
		}
	}
	return m
}

// The rehearsal workflow of the README, public API only: protect two servers -> tag them ->
// query by tag (filter and count, every match kind, paging, iterator) -> drill create-and-wait
// (inspect the drill servers) -> rename -> delete the drill -> make one job fail -> list it in
// the task center -> delete it there -> the quota follows every step.
func TestDrillTagScenario(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 180*time.Second)
	app1 := productionServer(t, "app-1")
	app2 := productionServer(t, "app-2")
	g0 := quotaOf(t, c, ctx, sdrs.QuotaServerGroups).Used
	r0 := quotaOf(t, c, ctx, sdrs.QuotaReplications).Used

	pg := drGroup(t, c, ctx, app1.VPCID)
	gid := pg.ID
	wantUsed(t, c, ctx, "after the group", g0+1, r0)
	pi1, err := c.CreateProtectedInstanceAndWait(ctx, sdrs.CreateProtectedInstanceOpts{ServerGroupID: gid,
		ServerID: app1.ID, Name: "app-1-dr"}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	pi2, err := c.CreateProtectedInstanceAndWait(ctx, sdrs.CreateProtectedInstanceOpts{ServerGroupID: gid,
		ServerID: app2.ID, Name: "app-2-dr"}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	pairs := int64(len(app1.Volumes) + len(app2.Volumes))
	wantUsed(t, c, ctx, "after two instances", g0+1, r0+pairs)

	// Tags: one, a batch, the project view, deletes (one with a key that needs encoding).
	app := strings.TrimSuffix(uniq("erp"), "-") // unique per run: the queries see only these two
	if err := c.AddTag(ctx, pi1.ID, "app", app); err != nil {
		t.Fatal(err)
	}
	if err := c.AddTags(ctx, pi1.ID, []sdrs.Tag{{Key: "env", Value: "prod"}, {Key: "tier", Value: "web"},
		{Key: keyNeedsQuote, Value: "x"}, {Key: "empty", Value: ""}}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddTags(ctx, pi2.ID, []sdrs.Tag{{Key: "app", Value: app}, {Key: "env", Value: "test"}}); err != nil {
		t.Fatal(err)
	}
	got := instanceTags(t, c, ctx, pi1.ID)
	want := sortedTags([]sdrs.Tag{{Key: "app", Value: app}, {Key: "empty"}, {Key: "env", Value: "prod"},
		{Key: "tier", Value: "web"}, {Key: keyNeedsQuote, Value: "x"}})
	if len(got) != len(want) {
		t.Fatalf("tags of instance 1: %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("tags of instance 1: %+v, want %+v", got, want)
		}
	}
	// Adding an existing key sets its value.
	if err := c.AddTag(ctx, pi1.ID, "tier", "app"); err != nil {
		t.Fatal(err)
	}
	if tags := getPI(t, c, ctx, pi1.ID).Tags; len(tags) != 5 {
		t.Fatalf("instance 1 tags after overwrite: %+v", tags)
	}
	project, err := c.ProjectTags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string][]string{}
	for _, pt := range project {
		values[pt.Key] = append([]string(nil), pt.Values...)
		sort.Strings(values[pt.Key])
	}
	if strings.Join(values["app"], ",") != app || strings.Join(values["env"], ",") != "prod,test" ||
		strings.Join(values["tier"], ",") != "app" || strings.Join(values[keyNeedsQuote], ",") != "x" {
		t.Fatalf("project tags %+v", project)
	}

	if err := c.DeleteTag(ctx, pi1.ID, keyNeedsQuote); err != nil {
		t.Fatalf("delete the tag %q: %v", keyNeedsQuote, err)
	}
	for _, tg := range instanceTags(t, c, ctx, pi1.ID) {
		if tg.Key == keyNeedsQuote {
			t.Fatalf("%q survived its delete", keyNeedsQuote)
		}
	}
	err = c.DeleteTag(ctx, pi1.ID, keyNeedsQuote)
	if e := asError(t, err); !errors.Is(err, sdrs.ErrNotFound) || e.HTTPStatus != 404 || e.APICode != "SDRS.2206" {
		t.Fatalf("delete a missing tag: %v", err)
	}
	// Batch delete: by key whatever the value, and by key and value (a wrong value keeps it).
	if err := c.DeleteTags(ctx, pi1.ID, []sdrs.TagRef{sdrs.TagKey("empty"), sdrs.TagKeyValue("env", "wrong"),
		sdrs.TagKey("never-there")}); err != nil {
		t.Fatal(err)
	}
	got = instanceTags(t, c, ctx, pi1.ID)
	if len(got) != 3 || got[0] != (sdrs.Tag{Key: "app", Value: app}) || got[1] != (sdrs.Tag{Key: "env", Value: "prod"}) ||
		got[2] != (sdrs.Tag{Key: "tier", Value: "app"}) {
		t.Fatalf("tags after the batch delete: %+v", got)
	}

	// Query by tag, each match kind in both forms.
	ofApp := []sdrs.TagCondition{{Key: "app", Values: []string{app}}}
	both := sortedIDs(pi1.ID, pi2.ID)
	for _, tc := range []struct {
		what string
		q    sdrs.TagQuery
		want string
	}{
		{"all", sdrs.TagQuery{All: ofApp}, both},
		{"all, two keys", sdrs.TagQuery{All: append(ofApp, sdrs.TagCondition{Key: "env", Values: []string{"prod"}})}, pi1.ID},
		{"all, any value", sdrs.TagQuery{All: append(ofApp, sdrs.TagCondition{Key: "tier"})}, pi1.ID},
		{"all, either value", sdrs.TagQuery{All: append(ofApp, sdrs.TagCondition{Key: "env", Values: []string{"prod", "test"}})}, both},
		{"any", sdrs.TagQuery{All: ofApp, Any: []sdrs.TagCondition{{Key: "env", Values: []string{"test"}}, {Key: "nope"}}}, pi2.ID},
		{"not all", sdrs.TagQuery{All: ofApp, NotAll: []sdrs.TagCondition{{Key: "env", Values: []string{"prod"}}, {Key: "tier"}}}, pi2.ID},
		{"not all, one key misses", sdrs.TagQuery{All: ofApp, NotAll: []sdrs.TagCondition{{Key: "env", Values: []string{"prod"}},
			{Key: "tier", Values: []string{"nope"}}}}, both},
		{"not any, one key hits", sdrs.TagQuery{All: ofApp, NotAny: []sdrs.TagCondition{{Key: "env", Values: []string{"prod"}},
			{Key: "tier", Values: []string{"nope"}}}}, pi2.ID},
		{"not any, fuzzy", sdrs.TagQuery{All: ofApp, NotAny: []sdrs.TagCondition{{Key: "env", Values: []string{"*es"}}}}, pi1.ID},
		{"not any, any value", sdrs.TagQuery{All: ofApp, NotAny: []sdrs.TagCondition{{Key: "env"}}}, ""},
		{"name, case-insensitive", sdrs.TagQuery{All: ofApp, Name: strPtr("APP-2")}, pi2.ID},
		{"name, exact empty", sdrs.TagQuery{All: ofApp, Name: strPtr("")}, ""},
	} {
		if ids := strings.Join(queryIDs(t, c, ctx, tc.what, tc.q), ","); ids != tc.want {
			t.Errorf("query %s: %q, want %q", tc.what, ids, tc.want)
		}
	}
	// Paging: limit/offset pages, the iterator and AllInstancesByTag walk every page.
	p1, err := c.QueryInstancesByTag(ctx, sdrs.TagQuery{All: ofApp, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := c.QueryInstancesByTag(ctx, sdrs.TagQuery{All: ofApp, Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(p1.Matches) != 1 || len(p2.Matches) != 1 || p1.TotalCount != 2 || p2.TotalCount != 2 ||
		sortedIDs(p1.Matches[0].ResourceID, p2.Matches[0].ResourceID) != both || !strings.Contains(p1.JSON, p1.Matches[0].ResourceID) {
		t.Fatalf("pages %+v / %+v", p1, p2)
	}
	var walked []string
	it := c.InstancesByTag(sdrs.TagQuery{All: ofApp, Limit: 1})
	for it.Next(ctx) {
		walked = append(walked, it.Value().ID)
		if len(it.Value().Tags) == 0 {
			t.Fatalf("iterated instance without its tags: %+v", it.Value())
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if sortedIDs(walked...) != both {
		t.Fatalf("iterated %v", walked)
	}
	all, err := c.AllInstancesByTag(ctx, sdrs.TagQuery{All: ofApp, Offset: 1})
	if err != nil || len(all) != 1 {
		t.Fatalf("AllInstancesByTag from offset 1: %d, %v", len(all), err)
	}

	// A drill: create and wait, inspect the drill servers, list, rename.
	before := drillServers(t)
	drill, err := c.CreateDrillAndWait(ctx, sdrs.CreateDrillOpts{ServerGroupID: gid, Name: "rehearsal-1", DrillVPCID: drillVPC}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	if drill.ID == "" || drill.Name != "rehearsal-1" || drill.Status != sdrs.DrillAvailable || drill.StatusString != "available" ||
		drill.Status.String() != "available" || drill.ServerGroupID != gid || drill.DrillVPCID != drillVPC ||
		drill.CreatedAt.IsZero() || drill.CreatedAtRaw == "" || !strings.Contains(drill.JSON, drill.ID) {
		t.Fatalf("drill %+v", drill)
	}
	if len(drill.Servers) != 2 {
		t.Fatalf("drill servers %+v", drill.Servers)
	}
	after := drillServers(t)
	var copied []string
	for _, ds := range drill.Servers {
		srv, ok := after[ds.ServerID]
		if _, old := before[ds.ServerID]; !ok || old || srv.VPCID != drillVPC || srv.Status != "ACTIVE" {
			t.Fatalf("drill server %+v: admin view %+v (found %v)", ds, srv, ok)
		}
		copied = append(copied, ds.InstanceID)
	}
	if sortedIDs(copied...) != both {
		t.Fatalf("drill servers copy %v, want the two instances", copied)
	}
	if g := getPG(t, c, ctx, gid); g.DisasterRecoveryDrillNum != 1 {
		t.Fatalf("disaster_recovery_drill_num %d", g.DisasterRecoveryDrillNum)
	}
	got1, err := c.GetDrill(ctx, drill.ID)
	if err != nil || got1.ID != drill.ID || len(got1.Servers) != 2 {
		t.Fatalf("GetDrill: %+v, %v", got1, err)
	}
	dpage, err := c.ListDrills(ctx, sdrs.DrillListOpts{ServerGroupID: gid, Status: "available", Name: "rehearsal"})
	if err != nil || len(dpage.Drills) != 1 || dpage.Count != 1 || dpage.Drills[0].ID != drill.ID {
		t.Fatalf("ListDrills: %+v, %v", dpage, err)
	}
	drills, err := c.AllDrills(ctx, sdrs.DrillListOpts{DrillVPCID: drillVPC, Limit: 1})
	if err != nil || len(drills) != 1 || drills[0].ID != drill.ID {
		t.Fatalf("AllDrills: %+v, %v", drills, err)
	}
	renamed, err := c.RenameDrill(ctx, drill.ID, "rehearsal-renamed")
	if err != nil || renamed.Name != "rehearsal-renamed" || renamed.ID != drill.ID {
		t.Fatalf("RenameDrill: %+v, %v", renamed, err)
	}
	// Preconditions the service checks, each with its code.
	for _, tc := range []struct{ vpc, code string }{
		{drillVPC, "SDRS.1921"}, {app1.VPCID, "SDRS.1907"}, {emptyVPC, "SDRS.1908"}, {otherCIDRVPC, "SDRS.1909"},
	} {
		_, err := c.CreateDrill(ctx, sdrs.CreateDrillOpts{ServerGroupID: gid, Name: "second", DrillVPCID: tc.vpc})
		if e := asError(t, err); e.APICode != tc.code || e.HTTPStatus != 400 {
			t.Errorf("drill in VPC %s: want %s, got %v", tc.vpc, tc.code, err)
		}
	}

	jid, err := c.DeleteDrill(ctx, drill.ID)
	runJob(t, c, ctx, "delete drill", jid, err)
	if _, err := c.GetDrill(ctx, drill.ID); asError(t, err).APICode != "SDRS.1902" {
		t.Fatalf("drill after delete: %v", err)
	}
	for _, ds := range drill.Servers {
		if _, ok := drillServers(t)[ds.ServerID]; ok {
			t.Fatalf("drill server %s survived the drill", ds.ServerID)
		}
	}

	// Make one job fail: a drill create. The task center lists it inside the group.
	admin(t, "POST", "/_emulator/fail-next-jobs", map[string]interface{}{"count": 1,
		"job_type": "createDisasterRecoveryDrill", "error_code": "SDRS.1922", "fail_reason": "injected by the go drill test"})
	failStart := time.Now().Add(-2 * time.Second)
	_, err = c.CreateDrillAndWait(ctx, sdrs.CreateDrillOpts{ServerGroupID: gid, Name: "doomed"}, fastWait)
	if e := asError(t, err); !errors.Is(err, sdrs.ErrJobFailed) || e.APICode != "SDRS.1922" {
		t.Fatalf("injected drill failure: %v", err)
	}
	failedJob := asError(t, err).JobID
	tasks, err := c.AllFailedTasks(ctx, sdrs.FailedTaskListOpts{ServerGroupID: gid})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 {
		t.Fatalf("failed tasks of the group: %+v", tasks)
	}
	ft := tasks[0]
	if ft.JobID != failedJob || ft.JobType != "createDisasterRecoveryDrill" || ft.JobStatus != "FAIL" ||
		ft.ResourceType != "disaster_recovery_drills" || ft.ResourceName != "doomed" || ft.ResourceID == "" ||
		ft.FailureStatus != "createFail" || ft.ErrorCode != "SDRS.1922" || ft.FailReason != "injected by the go drill test" ||
		ft.BeginTime.Before(failStart) || ft.BeginTime.After(time.Now().Add(2*time.Second)) || ft.BeginTimeRaw == "" ||
		!strings.Contains(ft.JSON, ft.JobID) {
		t.Fatalf("failed task %+v", ft)
	}
	tpage, err := c.ListFailedTasks(ctx, sdrs.FailedTaskListOpts{ServerGroupID: gid, FailureStatus: "createFail",
		ResourceType: "disaster_recovery_drills", ResourceName: "doom", Limit: 10})
	if err != nil || len(tpage.Tasks) != 1 || tpage.Count != 1 || tpage.Tasks[0].JobID != failedJob {
		t.Fatalf("filtered task page %+v, %v", tpage, err)
	}
	if tp, err := c.ListFailedTasks(ctx, sdrs.FailedTaskListOpts{ServerGroupID: gid, FailureStatus: "deleteFail"}); err != nil ||
		len(tp.Tasks) != 0 || tp.Count != 0 {
		t.Fatalf("deleteFail page %+v, %v", tp, err)
	}
	if err := c.DeleteFailedTask(ctx, ft.JobID); err != nil {
		t.Fatal(err)
	}
	if tp, err := c.ListFailedTasks(ctx, sdrs.FailedTaskListOpts{ServerGroupID: gid}); err != nil || len(tp.Tasks) != 0 {
		t.Fatalf("after DeleteFailedTask: %+v, %v", tp, err)
	}
	// The failed drill stays (status error) until deleted; see the teardown.
	failed, err := c.AllDrills(ctx, sdrs.DrillListOpts{ServerGroupID: gid})
	if err != nil || len(failed) != 1 || failed[0].Status != sdrs.DrillError || failed[0].Name != "doomed" {
		t.Fatalf("failed drill: %+v, %v", failed, err)
	}

	// Group-scope delete: a failed instance delete inside the group.
	admin(t, "POST", "/_emulator/fail-next-jobs", map[string]interface{}{"count": 1, "job_type": "deleteProtectedInstanceNoCG"})
	jid, err = c.DeleteProtectedInstance(ctx, pi2.ID, sdrs.DeleteProtectedInstanceOpts{DeleteTargetServer: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitJob(ctx, jid, fastWait); !errors.Is(err, sdrs.ErrJobFailed) {
		t.Fatalf("injected delete failure: %v", err)
	}
	var inGroup []*sdrs.FailedTask
	fit := c.FailedTasks(sdrs.FailedTaskListOpts{ServerGroupID: gid, Limit: 1})
	for fit.Next(ctx) {
		inGroup = append(inGroup, fit.Value())
	}
	if fit.Err() != nil || len(inGroup) != 1 || inGroup[0].FailureStatus != "deleteFail" ||
		inGroup[0].ResourceType != "protected_instances" || inGroup[0].ResourceID != pi2.ID {
		t.Fatalf("failed delete in the task center: %+v, %v", inGroup, fit.Err())
	}
	if err := c.DeleteGroupFailedTasks(ctx, gid); err != nil {
		t.Fatal(err)
	}
	if tp, err := c.ListFailedTasks(ctx, sdrs.FailedTaskListOpts{ServerGroupID: gid}); err != nil || len(tp.Tasks) != 0 {
		t.Fatalf("after DeleteGroupFailedTasks: %+v, %v", tp, err)
	}

	// Group level: a failed group create is listed without a group filter; the group-level
	// delete removes it.
	failName := uniq("fail-drilltest")
	if _, err := c.CreateProtectionGroupAndWait(ctx, spec(failName), fastWait); !errors.Is(err, sdrs.ErrJobFailed) {
		t.Fatalf("failing group create: %v", err)
	}
	level, err := c.AllFailedTasks(ctx, sdrs.FailedTaskListOpts{ResourceType: "server_groups", ResourceName: failName})
	if err != nil || len(level) == 0 || level[0].ResourceType != "server_groups" || level[0].FailureStatus != "createFail" {
		t.Fatalf("group-level failures: %+v, %v", level, err)
	}
	if err := c.DeleteGroupLevelFailedTasks(ctx); err != nil {
		t.Fatal(err)
	}
	if rest, err := c.AllFailedTasks(ctx, sdrs.FailedTaskListOpts{}); err != nil || len(rest) != 0 {
		t.Fatalf("group-level failures after the delete: %+v, %v", rest, err)
	}
	// The failed create left a group in error: it counts, and deleting it frees the quota.
	gpage, err := c.ListProtectionGroups(ctx, sdrs.ListOpts{Name: failName})
	if err != nil || len(gpage.Groups) != 1 || gpage.Groups[0].Status != sdrs.PGError {
		t.Fatalf("failed group: %+v, %v", gpage, err)
	}
	wantUsed(t, c, ctx, "with the failed group", g0+2, r0+pairs)
	jid, err = c.DeleteProtectionGroup(ctx, gpage.Groups[0].ID)
	runJob(t, c, ctx, "delete the failed group", jid, err)

	// Teardown: the quota counts go back down.
	for _, id := range []string{pi1.ID, pi2.ID} {
		jid, err = c.DeleteProtectedInstance(ctx, id, sdrs.DeleteProtectedInstanceOpts{DeleteTargetServer: true})
		runJob(t, c, ctx, "delete instance", jid, err)
	}
	wantUsed(t, c, ctx, "after deleting the instances", g0+1, r0)
	// A drill, even a failed one, keeps the group.
	if _, err := c.DeleteProtectionGroup(ctx, gid); asError(t, err).APICode != "SDRS.1003" {
		t.Fatalf("delete a group with a drill: %v", err)
	}
	jid, err = c.DeleteDrill(ctx, failed[0].ID)
	runJob(t, c, ctx, "delete the failed drill", jid, err)
	jid, err = c.DeleteProtectionGroup(ctx, gid)
	runJob(t, c, ctx, "delete group", jid, err)
	wantUsed(t, c, ctx, "after deleting the group", g0, r0)
}

func strPtr(s string) *string { return &s }

// Quota limits: a number, unlimited (-1 on the wire, never a number here), and the service's
// refusal when a create would exceed one.
func TestQuotaLimits(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	q, err := c.Quotas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Resources) != 2 || !strings.Contains(q.JSON, "server_groups") {
		t.Fatalf("quotas %+v", q)
	}
	if _, ok := q.Get("protected_instances"); ok {
		t.Fatal("a quota type the service does not send was found")
	}
	groups, _ := q.Get(sdrs.QuotaServerGroups)
	if groups.Used < 0 || groups.Limit.Kind() != sdrs.QuotaLimited || groups.Min.String() != "0" ||
		!groups.Max.IsUnlimited() || groups.Max.String() != "unlimited" {
		t.Fatalf("server_groups %+v", groups)
	}
	if v, ok := groups.Max.Value(); ok || v != 0 {
		t.Fatalf("an unlimited max reads as the number %d", v)
	}
	origGroups, _ := groups.Limit.Value()
	origReps, ok := quotaOf(t, c, ctx, sdrs.QuotaReplications).Limit.Value()
	if !ok {
		t.Fatal("replications: no numeric limit")
	}
	t.Cleanup(func() {
		admin(t, "POST", "/_emulator/config", map[string]int64{"quota_server_groups": origGroups, "quota_replications": origReps})
	})

	admin(t, "POST", "/_emulator/config", map[string]int64{"quota_server_groups": -1, "quota_replications": 7})
	groups = quotaOf(t, c, ctx, sdrs.QuotaServerGroups)
	if !groups.Limit.IsUnlimited() || groups.Limit.Kind() != sdrs.QuotaUnlimited || groups.Limit.String() != "unlimited" ||
		!groups.Allows(1<<40) {
		t.Fatalf("unlimited server_groups %+v", groups)
	}
	if v, ok := groups.Limit.Value(); ok || v != 0 {
		t.Fatalf("an unlimited limit reads as the number %d", v)
	}
	reps := quotaOf(t, c, ctx, sdrs.QuotaReplications)
	if v, ok := reps.Limit.Value(); !ok || v != 7 || reps.Limit.String() != "7" || reps.Allows(8-reps.Used) || !reps.Allows(7-reps.Used) {
		t.Fatalf("replications %+v", reps)
	}
	if (sdrs.QuotaLimit{}).Kind() != sdrs.QuotaAbsent || (sdrs.QuotaResource{Used: 0}).Allows(0) {
		t.Fatal("the zero QuotaLimit must be absent and allow nothing")
	}

	// Exactly full: the next group create is refused with SDRS.0305.
	admin(t, "POST", "/_emulator/config", map[string]int64{"quota_server_groups": groups.Used})
	if g := quotaOf(t, c, ctx, sdrs.QuotaServerGroups); g.Allows(1) || !g.Allows(0) {
		t.Fatalf("full quota %+v", g)
	}
	_, err = c.CreateProtectionGroup(ctx, spec(uniq("over-quota")))
	if e := asError(t, err); !errors.Is(err, sdrs.ErrQuota) || e.APICode != "SDRS.0305" {
		t.Fatalf("create over the quota: %v", err)
	}
}

// The service's not-found answers for drills.
func TestDrillNotFound(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 30*time.Second)
	_, err := c.GetDrill(ctx, unknownDrill)
	if e := asError(t, err); e.APICode != "SDRS.1902" {
		t.Fatalf("unknown drill: %v", err)
	}
	_, err = c.RenameDrill(ctx, unknownDrill, "x")
	if e := asError(t, err); e.APICode != "SDRS.1902" {
		t.Fatalf("rename an unknown drill: %v", err)
	}
	_, err = c.CreateDrill(ctx, sdrs.CreateDrillOpts{ServerGroupID: unknownGroup, Name: "x"})
	if e := asError(t, err); e.APICode != "SDRS.1013" {
		t.Fatalf("drill of an unknown group: %v", err)
	}
}
