package sdrs_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// A canned SDRS server for the lenient decoding the emulator does not produce: metadata with
// a frozen flag and a key sent twice, numbers and booleans sent as strings, the three time
// formats, and absent fields.
func cannedServer(t *testing.T, bodies map[string]string) *sdrs.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := bodies[r.URL.Path]
		if !ok {
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error":{"code":"SDRS.1320","message":"not found"}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig()
	cfg.Endpoint = srv.URL
	c, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestLenientDecoding(t *testing.T) {
	const base = "/v1/" + testProject
	c := cannedServer(t, map[string]string{
		base + "/protected-instances/i1": `{"protected_instance":{"id":"i1","name":"web","status":"nic-creating",
			"progress":"42","source_server":"s1","target_server":"s2","priority_station":"target",
			"created_at":"2024-03-11 09:15:02","updated_at":"2024-03-11T09:15:02.5Z",
			"attachment":[{"replication":"r1","device":"/dev/vda"},{"replication":"r2","device":"/dev/vdb"}],
			"tags":[{"key":"env","value":"prod"}],
			"metadata":{"__system__frozen":true,"owner":"ops","owner":"dba"}}}`,
		base + "/protected-instances/i2": `{"protected_instance":{"id":"i2","status":"brand-new-status"}}`,
		base + "/replications/r1": `{"replication":{"id":"r1","name":"data","status":"error-attaching",
			"replication_status":"copying","fault_level":"2","failure_detail":"SDRS.1601",
			"volume_ids":"v-prod,v-dr","attachment":[{"protected_instance":"i1","device":"/dev/vdb"},
			{"protected_instance":"i3","device":"/dev/vdc"}],
			"created_at":"2024-03-11T09:15:02.123456","progress":7,
			"record_metadata":{"volume_size":"10","volume_type":"SAS","multiattach":"true","bootable":false}}}`,
		base + "/replications/r2": `{"replication":{"id":"r2","status":"available","record_metadata":{}}}`,
	})
	ctx := testCtx(t, 30*time.Second)

	pi, err := c.GetProtectedInstance(ctx, "i1")
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != sdrs.PINICCreating || pi.Status.String() != "nic-creating" || pi.Progress != 42 ||
		pi.PriorityStation != "target" || !pi.Frozen || pi.Metadata["__system__frozen"] != "true" ||
		len(pi.Metadata) != 2 || len(pi.Attachments) != 2 || pi.Attachments[1] != (sdrs.PIAttachment{ReplicationID: "r2", Device: "/dev/vdb"}) ||
		len(pi.Tags) != 1 || pi.Tags[0] != (sdrs.Tag{Key: "env", Value: "prod"}) || pi.Description != "" {
		t.Fatalf("instance: %+v", pi)
	}
	// The value libsdrs' lookup gives for the key sent twice.
	if v := pi.Metadata["owner"]; v != "ops" && v != "dba" {
		t.Fatalf("metadata owner %q", v)
	}
	if !pi.CreatedAt.Equal(time.Date(2024, 3, 11, 9, 15, 2, 0, time.UTC)) ||
		!pi.UpdatedAt.Equal(time.Date(2024, 3, 11, 9, 15, 2, 500e6, time.UTC)) || pi.CreatedAtRaw != "2024-03-11 09:15:02" {
		t.Fatalf("instance times %v %v", pi.CreatedAt, pi.UpdatedAt)
	}

	pi, err = c.GetProtectedInstance(ctx, "i2")
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != sdrs.PIUnknown || pi.StatusString != "brand-new-status" || pi.Status.String() != "unknown" ||
		pi.Progress != -1 || !pi.CreatedAt.IsZero() || pi.Frozen || len(pi.Metadata) != 0 || len(pi.Attachments) != 0 {
		t.Fatalf("sparse instance: %+v", pi)
	}

	p, err := c.GetReplicationPair(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != sdrs.PairErrorAttaching || p.Status.String() != "error-attaching" || p.ReplicationStatus != "copying" ||
		p.FaultLevel != "2" || p.FailureDetail != "SDRS.1601" || p.VolumeIDsRaw != "v-prod,v-dr" ||
		strings.Join(p.VolumeIDs, "|") != "v-prod|v-dr" || p.ProductionVolumeID != "v-prod" || p.DRVolumeID != "v-dr" ||
		len(p.Attachments) != 2 || p.Attachments[1] != (sdrs.PairAttachment{InstanceID: "i3", Device: "/dev/vdc"}) ||
		p.RecordMetadata != (sdrs.PairRecordMetadata{VolumeSizeGB: 10, VolumeType: "SAS", Multiattach: sdrs.TristateTrue,
			Bootable: sdrs.TristateFalse}) || p.Progress != 7 ||
		!p.CreatedAt.Equal(time.Date(2024, 3, 11, 9, 15, 2, 123e6, time.UTC)) {
		t.Fatalf("pair: %+v", p)
	}
	p, err = c.GetReplicationPair(ctx, "r2")
	if err != nil {
		t.Fatal(err)
	}
	if p.RecordMetadata != (sdrs.PairRecordMetadata{VolumeSizeGB: -1, Multiattach: sdrs.TristateUnknown, Bootable: sdrs.TristateUnknown}) ||
		len(p.VolumeIDs) != 0 || p.ProductionVolumeID != "" || p.Progress != -1 {
		t.Fatalf("sparse pair: %+v", p)
	}
}

func TestTristate(t *testing.T) {
	for _, tc := range []struct {
		v            sdrs.Tristate
		value, known bool
		s            string
	}{{sdrs.TristateTrue, true, true, "true"}, {sdrs.TristateFalse, false, true, "false"}, {sdrs.TristateUnknown, false, false, "unknown"}} {
		v, k := tc.v.Bool()
		if v != tc.value || k != tc.known || tc.v.String() != tc.s || tc.v.IsTrue() != (tc.v == 1) || tc.v.IsFalse() != (tc.v == 0) {
			t.Fatalf("%d: Bool() = %v, %v; String() = %q", int(tc.v), v, k, tc.v.String())
		}
	}
}
