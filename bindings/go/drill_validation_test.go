package sdrs_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// Bad drill, tag, task-center and tag-query input is refused by libsdrs before sending:
// *sdrs.Error with CodeValidation, a message naming the wire field, and no request at the
// emulator.
func TestDrillTagTaskValidation(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	const gid = "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3"
	const pid = "b71e0c54-2d9a-4f3e-8c61-0e5a9d7f2b18"
	var many []sdrs.Tag
	var manyConds []sdrs.TagCondition
	var manyValues []string
	for i := 0; i < 21; i++ {
		many = append(many, sdrs.Tag{Key: fmt.Sprintf("k%d", i), Value: "v"})
		manyConds = append(manyConds, sdrs.TagCondition{Key: fmt.Sprintf("k%d", i)})
		manyValues = append(manyValues, fmt.Sprintf("v%d", i))
	}
	filter := func(q sdrs.TagQuery) func() error {
		return func() error { _, err := c.QueryInstancesByTag(ctx, q); return err }
	}
	count := func(q sdrs.TagQuery) func() error {
		return func() error { _, err := c.CountInstancesByTag(ctx, q); return err }
	}
	listTasks := func(o sdrs.FailedTaskListOpts) func() error {
		return func() error { _, err := c.ListFailedTasks(ctx, o); return err }
	}
	cases := []struct {
		name  string
		field string
		call  func() error
	}{
		// drills
		{"drill no name", "name", func() error {
			_, err := c.CreateDrill(ctx, sdrs.CreateDrillOpts{ServerGroupID: gid})
			return err
		}},
		{"drill bad name", "name", func() error {
			_, err := c.CreateDrillAndWait(ctx, sdrs.CreateDrillOpts{ServerGroupID: gid, Name: "drill 1!"}, fastWait)
			return err
		}},
		{"drill long name", "name", func() error {
			_, err := c.CreateDrill(ctx, sdrs.CreateDrillOpts{ServerGroupID: gid, Name: strings.Repeat("d", 65)})
			return err
		}},
		{"drill no group", "server_group_id", func() error {
			_, err := c.CreateDrill(ctx, sdrs.CreateDrillOpts{Name: "d"})
			return err
		}},
		{"drill get empty", "disaster_recovery_drill_id", func() error { _, err := c.GetDrill(ctx, ""); return err }},
		{"drill get slash", "disaster_recovery_drill_id", func() error { _, err := c.GetDrill(ctx, "a/b"); return err }},
		{"drill rename", "name", func() error { _, err := c.RenameDrill(ctx, gid, "no spaces"); return err }},
		{"drill delete", "disaster_recovery_drill_id", func() error { _, err := c.DeleteDrill(ctx, ""); return err }},
		{"drill list limit", "limit", func() error { _, err := c.ListDrills(ctx, sdrs.DrillListOpts{Limit: 1001}); return err }},
		{"drill list offset", "offset", func() error { _, err := c.ListDrills(ctx, sdrs.DrillListOpts{Offset: -1}); return err }},
		{"drill iterator", "limit", func() error { _, err := c.AllDrills(ctx, sdrs.DrillListOpts{Limit: -5}); return err }},
		// tags
		{"tag empty key", "key", func() error { return c.AddTag(ctx, pid, "", "v") }},
		{"tag long key", "key", func() error { return c.AddTag(ctx, pid, strings.Repeat("k", 128), "v") }},
		{"tag control key", "key", func() error { return c.AddTag(ctx, pid, "a\x01b", "v") }},
		{"tag long value", "value", func() error { return c.AddTag(ctx, pid, "k", strings.Repeat("v", 256)) }},
		{"tag bad utf-8 value", "value", func() error { return c.AddTag(ctx, pid, "k", "\xff\xfe") }},
		{"tag instance slash", "protected_instance_id", func() error { return c.AddTag(ctx, "a/b", "k", "v") }},
		{"tag delete empty key", "key", func() error { return c.DeleteTag(ctx, pid, "") }},
		{"tag delete instance", "protected_instance_id", func() error { return c.DeleteTag(ctx, "", "k") }},
		{"tags add empty", "tags", func() error { return c.AddTags(ctx, pid, nil) }},
		{"tags add 21", "tags", func() error { return c.AddTags(ctx, pid, many) }},
		{"tags add duplicate", "key", func() error {
			return c.AddTags(ctx, pid, []sdrs.Tag{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}})
		}},
		{"tags delete empty", "tags", func() error { return c.DeleteTags(ctx, pid, []sdrs.TagRef{}) }},
		{"tags delete empty key", "key", func() error { return c.DeleteTags(ctx, pid, []sdrs.TagRef{sdrs.TagKey("")}) }},
		{"tags list instance", "protected_instance_id", func() error { _, err := c.InstanceTags(ctx, "a/b"); return err }},
		// the tag query
		{"query limit", "limit", filter(sdrs.TagQuery{Limit: 1001})},
		{"query offset", "offset", filter(sdrs.TagQuery{Offset: -1})},
		{"query lone star", "*", filter(sdrs.TagQuery{All: []sdrs.TagCondition{{Key: "app", Values: []string{"*"}}}})},
		{"query empty key", "key", filter(sdrs.TagQuery{Any: []sdrs.TagCondition{{Key: ""}}})},
		{"query 21 keys", "tags_any", filter(sdrs.TagQuery{Any: manyConds})},
		{"query 21 not keys", "not_tags", filter(sdrs.TagQuery{NotAll: manyConds})},
		{"query 21 values", "values", filter(sdrs.TagQuery{NotAny: []sdrs.TagCondition{{Key: "k", Values: manyValues}}})},
		{"query duplicate value", "values", filter(sdrs.TagQuery{All: []sdrs.TagCondition{{Key: "k", Values: []string{"a", "a"}}}})},
		{"query long name", "matches", filter(sdrs.TagQuery{Name: strPtr(strings.Repeat("n", 256))})},
		{"count with limit", "limit", count(sdrs.TagQuery{Limit: 10})},
		{"count with offset", "offset", count(sdrs.TagQuery{Offset: 3})},
		{"query iterator", "limit", func() error { _, err := c.AllInstancesByTag(ctx, sdrs.TagQuery{Limit: 5000}); return err }},
		// the task center
		{"task delete batch", "failure_job_id", func() error { return c.DeleteFailedTask(ctx, "batch") }},
		{"task delete empty", "failure_job_id", func() error { return c.DeleteFailedTask(ctx, "") }},
		{"task delete group", "server_group_id", func() error { return c.DeleteGroupFailedTasks(ctx, "a/b") }},
		{"task list status", "failure_status", listTasks(sdrs.FailedTaskListOpts{FailureStatus: "brokenFail"})},
		{"task list type", "resource_type", listTasks(sdrs.FailedTaskListOpts{ResourceType: "servers"})},
		{"task list limit", "limit", listTasks(sdrs.FailedTaskListOpts{Limit: 1001})},
		{"task iterator", "offset", func() error {
			it := c.FailedTasks(sdrs.FailedTaskListOpts{Offset: -3})
			if it.Next(ctx) {
				return nil
			}
			return it.Err()
		}},
	}
	for _, tc := range cases {
		before := apiRequests(t)
		err := tc.call()
		e := asError(t, err)
		if e.Code != sdrs.CodeValidation || !errors.Is(err, sdrs.ErrValidation) {
			t.Errorf("%s: want CodeValidation, got %v", tc.name, err)
		}
		if !strings.Contains(e.Message, tc.field) {
			t.Errorf("%s: message %q does not name %s", tc.name, e.Message, tc.field)
		}
		if e.Attempts != 0 || e.HTTPStatus != 0 {
			t.Errorf("%s: %d attempts, HTTP %d", tc.name, e.Attempts, e.HTTPStatus)
		}
		if after := apiRequests(t); after != before {
			t.Errorf("%s: %v requests reached the emulator", tc.name, after-before)
		}
	}
}

// The Go-side names of the enums: statuses and match lists print their wire names.
func TestDrillAndTagNames(t *testing.T) {
	for s, want := range map[sdrs.DrillStatus]string{sdrs.DrillCreating: "creating", sdrs.DrillAvailable: "available",
		sdrs.DrillDeleting: "deleting", sdrs.DrillErrorDeleting: "error-deleting", sdrs.DrillError: "error",
		sdrs.DrillUnknown: "unknown", sdrs.DrillStatus(99): "unknown"} {
		if s.String() != want {
			t.Errorf("DrillStatus(%d) = %q, want %q", s, s.String(), want)
		}
	}
	for m, want := range map[sdrs.TagMatch]string{sdrs.TagMatchAll: "tags", sdrs.TagMatchAny: "tags_any",
		sdrs.TagMatchNotAll: "not_tags", sdrs.TagMatchNotAny: "not_tags_any", sdrs.TagMatch(7): "TagMatch(7)"} {
		if m.String() != want {
			t.Errorf("TagMatch(%d) = %q, want %q", m, m.String(), want)
		}
	}
	for k, want := range map[sdrs.QuotaKind]string{sdrs.QuotaAbsent: "absent", sdrs.QuotaLimited: "limited",
		sdrs.QuotaUnlimited: "unlimited"} {
		if k.String() != want {
			t.Errorf("QuotaKind(%d) = %q, want %q", k, k.String(), want)
		}
	}
	if (sdrs.QuotaLimit{}).String() != "absent" {
		t.Error("the zero QuotaLimit does not print as absent")
	}
}
