package sdrs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// The emulator's fixture servers and disks (GET /_emulator/servers and /_emulator/volumes).
// The tests read ids from these listings only; every state change goes through the public API.
type fixtureServer struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	Status              string `json:"status"`
	AvailabilityZone    string `json:"availability_zone"`
	VPCID               string `json:"vpc_id"`
	Role                string `json:"role"`
	ProtectedInstanceID string `json:"protected_instance_id"`
	Volumes             []struct {
		VolumeID string `json:"volume_id"`
		Device   string `json:"device"`
	} `json:"volumes"`
}

type fixtureVolume struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Size          int64  `json:"size"`
	VolumeType    string `json:"volume_type"`
	Status        string `json:"status"`
	Multiattach   bool   `json:"multiattach"`
	Bootable      bool   `json:"bootable"`
	Role          string `json:"role"`
	ReplicationID string `json:"replication_id"`
}

// adminGet decodes the JSON answer of an admin GET into out.
func adminGet(t testing.TB, path string, out interface{}) {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Get(endpoint + path)
	if err != nil {
		t.Fatalf("admin GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("admin GET %s: HTTP %d: %s", path, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("admin GET %s: %v in %q", path, err, data)
	}
}

// productionServer returns the fixture server of that name; it must be free (unprotected).
func productionServer(t testing.TB, name string) fixtureServer {
	t.Helper()
	var list struct {
		Servers []fixtureServer `json:"servers"`
	}
	adminGet(t, "/_emulator/servers", &list)
	for _, s := range list.Servers {
		if s.Name == name && s.Role == "production" {
			if s.ProtectedInstanceID != "" {
				t.Fatalf("fixture server %s is already protected by %s", name, s.ProtectedInstanceID)
			}
			return s
		}
	}
	t.Fatalf("no fixture server %q", name)
	return fixtureServer{}
}

func serverByID(t testing.TB, id string) (fixtureServer, bool) {
	t.Helper()
	var list struct {
		Servers []fixtureServer `json:"servers"`
	}
	adminGet(t, "/_emulator/servers", &list)
	for _, s := range list.Servers {
		if s.ID == id {
			return s, true
		}
	}
	return fixtureServer{}, false
}

func fixtureVolumeNamed(t testing.TB, name string) fixtureVolume {
	t.Helper()
	var list struct {
		Volumes []fixtureVolume `json:"volumes"`
	}
	adminGet(t, "/_emulator/volumes", &list)
	for _, v := range list.Volumes {
		if v.Name == name && v.Role == "production" {
			return v
		}
	}
	t.Fatalf("no fixture volume %q", name)
	return fixtureVolume{}
}

// drGroup creates a group in dr-domain-a inside the fixture servers' VPC.
func drGroup(t *testing.T, c *sdrs.Client, ctx context.Context, vpcID string) *sdrs.ProtectionGroup {
	t.Helper()
	domains, err := c.Domains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var dom *sdrs.Domain
	for i := range domains.Domains {
		if domains.Domains[i].SoldOut.IsFalse() {
			dom = &domains.Domains[i]
			break
		}
	}
	if dom == nil || dom.ID != domainA {
		t.Fatalf("no domain with capacity: %+v", domains.Domains)
	}
	pg, err := c.CreateProtectionGroupAndWait(ctx, sdrs.CreateProtectionGroupOpts{Name: uniq("dr"),
		SourceAZ: dom.LocalAZ, TargetAZ: dom.RemoteAZ, DomainID: dom.ID, SourceVPCID: vpcID}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	return pg
}

func getPI(t *testing.T, c *sdrs.Client, ctx context.Context, id string) *sdrs.ProtectedInstance {
	t.Helper()
	pi, err := c.GetProtectedInstance(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return pi
}

func getPair(t *testing.T, c *sdrs.Client, ctx context.Context, id string) *sdrs.ReplicationPair {
	t.Helper()
	p, err := c.GetReplicationPair(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// wantStates checks the group, both instances and every pair of the group.
func wantStates(t *testing.T, c *sdrs.Client, ctx context.Context, step, groupID string, pis []string,
	pg sdrs.PGStatus, pi sdrs.PIStatus, pair sdrs.PairStatus, station string) {
	t.Helper()
	g := getPG(t, c, ctx, groupID)
	if g.Status != pg || g.PriorityStation != station {
		t.Fatalf("%s: group %s/%s, want %s/%s", step, g.StatusString, g.PriorityStation, pg, station)
	}
	for _, id := range pis {
		p := getPI(t, c, ctx, id)
		if p.Status != pi || p.PriorityStation != station {
			t.Fatalf("%s: instance %s %s/%s, want %s/%s", step, p.Name, p.StatusString, p.PriorityStation, pi, station)
		}
	}
	pairs, err := c.AllReplicationPairs(ctx, sdrs.ReplicationPairListOpts{ServerGroupID: groupID})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(pairs)) != g.ReplicationNum {
		t.Fatalf("%s: %d pairs listed, replication_num %d", step, len(pairs), g.ReplicationNum)
	}
	for _, p := range pairs {
		if p.Status != pair {
			t.Fatalf("%s: pair %s is %s, want %s", step, p.Name, p.StatusString, pair)
		}
	}
}

func wantCounters(t *testing.T, c *sdrs.Client, ctx context.Context, step, groupID string, instances, pairs int64) {
	t.Helper()
	g := getPG(t, c, ctx, groupID)
	if g.ProtectedInstanceNum != instances || g.ReplicationNum != pairs {
		t.Fatalf("%s: protected_instance_num %d, replication_num %d; want %d, %d", step,
			g.ProtectedInstanceNum, g.ReplicationNum, instances, pairs)
	}
}

func attachmentsOf(pi *sdrs.ProtectedInstance) map[string]string {
	m := map[string]string{}
	for _, a := range pi.Attachments {
		m[a.ReplicationID] = a.Device
	}
	return m
}

// The disaster-recovery workflow of the README, with public API calls only: domain -> group
// -> protect two servers -> a shared-disk pair attached to both -> enable -> failover ->
// re-protect -> planned failover -> disable -> delete the instances (with their DR servers)
// -> detach and delete the remaining pair -> delete the group.
func TestDRScenario(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 180*time.Second)
	start := time.Now().Add(-2 * time.Second)
	app1 := productionServer(t, "app-1")
	app2 := productionServer(t, "app-2")
	shared := fixtureVolumeNamed(t, "shared-1")
	if !shared.Multiattach || shared.ReplicationID != "" {
		t.Fatalf("fixture shared-1: %+v", shared)
	}

	pg := drGroup(t, c, ctx, app1.VPCID)
	gid := pg.ID

	// Instance 1 with CreateProtectedInstanceAndWait, every optional field set.
	pi1, err := c.CreateProtectedInstanceAndWait(ctx, sdrs.CreateProtectedInstanceOpts{
		ServerGroupID: gid, ServerID: app1.ID, Name: "app-1-dr", Description: "go scenario",
		FlavorRef: "s3.xlarge.2", Tags: []sdrs.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: ""}},
	}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	if pi1.Name != "app-1-dr" || pi1.Description != "go scenario" || pi1.ServerGroupID != gid ||
		pi1.Status != sdrs.PIAvailable || pi1.StatusString != "available" || pi1.SourceServer != app1.ID ||
		pi1.TargetServer == "" || pi1.TargetServer == app1.ID || pi1.PriorityStation != sdrs.StationSource ||
		pi1.CreatedAtRaw == "" || pi1.Frozen || !strings.Contains(pi1.JSON, pi1.ID) {
		t.Fatalf("instance 1: %+v", pi1)
	}
	if pi1.CreatedAt.Before(start) || pi1.CreatedAt.After(time.Now().Add(2*time.Second)) || pi1.UpdatedAt.IsZero() {
		t.Fatalf("instance 1 created_at %v (%q)", pi1.CreatedAt, pi1.CreatedAtRaw)
	}
	sort.Slice(pi1.Tags, func(i, j int) bool { return pi1.Tags[i].Key < pi1.Tags[j].Key })
	if len(pi1.Tags) != 2 || pi1.Tags[0] != (sdrs.Tag{Key: "env", Value: "prod"}) || pi1.Tags[1] != (sdrs.Tag{Key: "team"}) {
		t.Fatalf("instance 1 tags %+v", pi1.Tags)
	}
	if pi1.Metadata == nil {
		t.Fatal("instance 1: Metadata is nil")
	}
	// One attached pair per disk of the server, on the same devices.
	if len(pi1.Attachments) != len(app1.Volumes) {
		t.Fatalf("instance 1 attachments %+v, server disks %+v", pi1.Attachments, app1.Volumes)
	}
	dr, ok := serverByID(t, pi1.TargetServer)
	if !ok || dr.Role != "dr" || dr.ProtectedInstanceID != pi1.ID {
		t.Fatalf("DR server of instance 1: %+v (found %v)", dr, ok)
	}
	for _, a := range pi1.Attachments {
		p := getPair(t, c, ctx, a.ReplicationID)
		if p.ServerGroupID != gid || p.Status != sdrs.PairAvailable || len(p.Attachments) != 1 ||
			p.Attachments[0] != (sdrs.PairAttachment{InstanceID: pi1.ID, Device: a.Device}) ||
			len(p.VolumeIDs) != 2 || p.VolumeIDs[0] != p.ProductionVolumeID || p.VolumeIDs[1] != p.DRVolumeID ||
			p.VolumeIDsRaw != p.ProductionVolumeID+","+p.DRVolumeID || p.RecordMetadata.Multiattach != sdrs.TristateFalse ||
			p.RecordMetadata.VolumeSizeGB <= 0 || p.RecordMetadata.VolumeType == "" {
			t.Fatalf("auto pair of instance 1 on %s: %+v", a.Device, p)
		}
		found := false
		for _, v := range app1.Volumes {
			found = found || (v.VolumeID == p.ProductionVolumeID && v.Device == a.Device)
		}
		if !found {
			t.Fatalf("pair %s: production disk %s on %s is not a disk of app-1", p.Name, p.ProductionVolumeID, a.Device)
		}
		if (a.Device == "/dev/vda") != p.RecordMetadata.Bootable.IsTrue() {
			t.Fatalf("pair on %s: bootable %s", a.Device, p.RecordMetadata.Bootable)
		}
	}
	wantCounters(t, c, ctx, "after instance 1", gid, 1, int64(len(app1.Volumes)))

	// Instance 2 through CreateProtectedInstance + WaitJob; the job names the instance.
	jid, err := c.CreateProtectedInstance(ctx, sdrs.CreateProtectedInstanceOpts{ServerGroupID: gid,
		ServerID: app2.ID, Name: "app-2-dr"})
	job := runJob(t, c, ctx, "create instance 2", jid, err)
	pi2ID := job.Entities["protected_instance_id"]
	if pi2ID == "" || job.ServerGroupID() != gid {
		t.Fatalf("create job %+v", job)
	}
	pi2 := getPI(t, c, ctx, pi2ID)
	if pi2.Name != "app-2-dr" || pi2.SourceServer != app2.ID || len(pi2.Attachments) != len(app2.Volumes) ||
		pi2.Description != "" || len(pi2.Tags) != 0 {
		t.Fatalf("instance 2: %+v", pi2)
	}
	autoPairs := int64(len(app1.Volumes) + len(app2.Volumes))
	wantCounters(t, c, ctx, "after instance 2", gid, 2, autoPairs)
	pis := []string{pi1.ID, pi2.ID}

	// The shared disk: an explicit pair, attached to both instances.
	pair, err := c.CreateReplicationPairAndWait(ctx, sdrs.CreateReplicationPairOpts{ServerGroupID: gid,
		VolumeID: shared.ID, Name: "shared-1-pair", Description: "cluster disk"}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	if pair.Name != "shared-1-pair" || pair.Description != "cluster disk" || pair.ServerGroupID != gid ||
		pair.Status != sdrs.PairAvailable || pair.StatusString != "available" || pair.ProductionVolumeID != shared.ID ||
		pair.DRVolumeID == "" || pair.DRVolumeID == shared.ID || len(pair.Attachments) != 0 ||
		pair.RecordMetadata.Multiattach != sdrs.TristateTrue || pair.RecordMetadata.Bootable != sdrs.TristateFalse ||
		pair.RecordMetadata.VolumeSizeGB != shared.Size || pair.RecordMetadata.VolumeType != shared.VolumeType ||
		pair.ReplicationModel != "hypermetro" || pair.PriorityStation != sdrs.StationSource ||
		pair.CreatedAt.Before(start) || pair.FailureDetail != "" || !strings.Contains(pair.JSON, pair.ID) {
		t.Fatalf("shared pair: %+v", pair)
	}
	wantCounters(t, c, ctx, "after the shared pair", gid, 2, autoPairs+1)

	jid, err = c.AttachReplicationPair(ctx, pi1.ID, pair.ID, "/dev/vdc")
	runJob(t, c, ctx, "attach to instance 1", jid, err)
	jid, err = c.AttachReplicationPair(ctx, pi2.ID, pair.ID, "/dev/vdd")
	runJob(t, c, ctx, "attach to instance 2", jid, err)
	pair = getPair(t, c, ctx, pair.ID)
	got := map[string]string{}
	for _, a := range pair.Attachments {
		got[a.InstanceID] = a.Device
	}
	if len(got) != 2 || got[pi1.ID] != "/dev/vdc" || got[pi2.ID] != "/dev/vdd" || pair.Status != sdrs.PairAvailable {
		t.Fatalf("shared pair after attaching: %+v", pair)
	}
	if d := attachmentsOf(getPI(t, c, ctx, pi1.ID))[pair.ID]; d != "/dev/vdc" {
		t.Fatalf("instance 1 does not list the shared pair on /dev/vdc (%q)", d)
	}

	// Listings: the pairs of one instance, the instances of the group, page by page.
	page, err := c.ListReplicationPairs(ctx, sdrs.ReplicationPairListOpts{InstanceID: pi2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Pairs) != len(app2.Volumes)+1 {
		t.Fatalf("pairs of instance 2: %d", len(page.Pairs))
	}
	ipage, err := c.ListProtectedInstances(ctx, sdrs.ProtectedInstanceListOpts{ServerGroupID: gid, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ipage.Instances) != 1 || ipage.Count != 2 {
		t.Fatalf("instance page: %d instances, count %d", len(ipage.Instances), ipage.Count)
	}
	var names []string
	it := c.ProtectedInstances(sdrs.ProtectedInstanceListOpts{ServerGroupIDs: []string{gid}, Limit: 1})
	for it.Next(ctx) {
		names = append(names, it.Value().Name)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "app-1-dr,app-2-dr" {
		t.Fatalf("iterated instances %v", names)
	}

	// Protection: enable -> failover -> re-protect -> planned failover -> disable.
	jid, err = c.EnableProtection(ctx, gid)
	runJob(t, c, ctx, "enable", jid, err)
	wantStates(t, c, ctx, "enable", gid, pis, sdrs.PGProtected, sdrs.PIProtected, sdrs.PairProtected, sdrs.StationSource)

	jid, err = c.Failover(ctx, gid)
	runJob(t, c, ctx, "failover", jid, err)
	wantStates(t, c, ctx, "failover", gid, pis, sdrs.PGFailedOver, sdrs.PIFailedOver, sdrs.PairFailedOver, sdrs.StationTarget)

	jid, err = c.EnableProtection(ctx, gid)
	runJob(t, c, ctx, "re-protect", jid, err)
	wantStates(t, c, ctx, "re-protect", gid, pis, sdrs.PGProtected, sdrs.PIProtected, sdrs.PairProtected, sdrs.StationTarget)

	jid, err = c.PlannedFailover(ctx, gid, sdrs.StationSource)
	runJob(t, c, ctx, "planned failover", jid, err)
	wantStates(t, c, ctx, "planned failover", gid, pis, sdrs.PGProtected, sdrs.PIProtected, sdrs.PairProtected, sdrs.StationSource)

	jid, err = c.DisableProtection(ctx, gid)
	runJob(t, c, ctx, "disable", jid, err)
	wantStates(t, c, ctx, "disable", gid, pis, sdrs.PGAvailable, sdrs.PIAvailable, sdrs.PairAvailable, sdrs.StationSource)

	// Teardown. The group still holds instances and pairs.
	if _, err := c.DeleteProtectionGroup(ctx, gid); !errors.Is(err, sdrs.ErrConflict) {
		t.Fatalf("delete a group with instances: want ErrConflict, got %v", err)
	}
	// An attached pair cannot be deleted.
	_, err = c.DeleteReplicationPair(ctx, pair.ID, sdrs.DeleteReplicationPairOpts{ServerGroupID: gid})
	if e := asError(t, err); e.APICode != "SDRS.1603" && e.APICode != "SDRS.1605" {
		t.Fatalf("delete an attached pair: %v", err)
	}

	jid, err = c.DeleteProtectedInstance(ctx, pi1.ID, sdrs.DeleteProtectedInstanceOpts{DeleteTargetServer: true})
	job = runJob(t, c, ctx, "delete instance 1", jid, err)
	if job.Type != "deleteProtectedInstanceNoCG" {
		t.Fatalf("delete job type %q", job.Type)
	}
	if _, err := c.GetProtectedInstance(ctx, pi1.ID); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("instance 1 after delete: want ErrNotFound, got %v", err)
	}
	if _, ok := serverByID(t, pi1.TargetServer); ok {
		t.Fatal("the DR server of instance 1 survived delete_target_server")
	}
	if s, _ := serverByID(t, app1.ID); s.ProtectedInstanceID != "" {
		t.Fatalf("app-1 still protected by %s", s.ProtectedInstanceID)
	}
	// Instance 1's own pairs went with it; the shared pair stays, attached to instance 2 only.
	wantCounters(t, c, ctx, "after deleting instance 1", gid, 1, int64(len(app2.Volumes))+1)
	pair = getPair(t, c, ctx, pair.ID)
	if len(pair.Attachments) != 1 || pair.Attachments[0].InstanceID != pi2.ID {
		t.Fatalf("shared pair after deleting instance 1: %+v", pair.Attachments)
	}

	jid, err = c.DetachReplicationPair(ctx, pi2.ID, pair.ID)
	runJob(t, c, ctx, "detach", jid, err)
	if p := getPair(t, c, ctx, pair.ID); len(p.Attachments) != 0 || p.Status != sdrs.PairAvailable {
		t.Fatalf("shared pair after detach: %+v", p)
	}
	if _, ok := attachmentsOf(getPI(t, c, ctx, pi2.ID))[pair.ID]; ok {
		t.Fatal("instance 2 still lists the detached pair")
	}

	jid, err = c.DeleteProtectedInstance(ctx, pi2.ID, sdrs.DeleteProtectedInstanceOpts{DeleteTargetServer: true, DeleteTargetEIP: true})
	runJob(t, c, ctx, "delete instance 2", jid, err)
	wantCounters(t, c, ctx, "after deleting instance 2", gid, 0, 1)

	jid, err = c.DeleteReplicationPair(ctx, pair.ID, sdrs.DeleteReplicationPairOpts{ServerGroupID: gid, DeleteTargetVolume: true})
	job = runJob(t, c, ctx, "delete pair", jid, err)
	if job.Type != "deleteReplicationPairNoCG" {
		t.Fatalf("pair delete job type %q", job.Type)
	}
	if _, err := c.GetReplicationPair(ctx, pair.ID); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("pair after delete: want ErrNotFound, got %v", err)
	}
	if v := fixtureVolumeNamed(t, "shared-1"); v.ReplicationID != "" {
		t.Fatalf("shared-1 still paired: %+v", v)
	}
	wantCounters(t, c, ctx, "after deleting the pair", gid, 0, 0)

	jid, err = c.DeleteProtectionGroup(ctx, gid)
	runJob(t, c, ctx, "delete group", jid, err)
	if _, err := c.GetProtectionGroup(ctx, gid); !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("group after delete: want ErrNotFound, got %v", err)
	}
}

// Renames, expand, NICs, resize and the all-pages helpers on one instance.
func TestInstanceAndPairCalls(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 120*time.Second)
	srv := productionServer(t, "app-3")
	pg := drGroup(t, c, ctx, srv.VPCID)
	pi, err := c.CreateProtectedInstanceAndWait(ctx, sdrs.CreateProtectedInstanceOpts{ServerGroupID: pg.ID,
		ServerID: srv.ID, Name: "app-3-dr"}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	renamed, err := c.RenameProtectedInstance(ctx, pi.ID, "app-3-renamed")
	if err != nil {
		t.Fatal(err)
	}
	if renamed.Name != "app-3-renamed" || renamed.ID != pi.ID {
		t.Fatalf("renamed instance %+v", renamed)
	}

	pairs, err := c.AllReplicationPairs(ctx, sdrs.ReplicationPairListOpts{InstanceIDs: []string{pi.ID}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != len(srv.Volumes) {
		t.Fatalf("%d pairs of the instance, want %d", len(pairs), len(srv.Volumes))
	}
	var data *sdrs.ReplicationPair
	for _, p := range pairs {
		if p.RecordMetadata.Bootable.IsFalse() {
			data = p
		}
	}
	if data == nil {
		t.Fatal("no data-disk pair")
	}
	rp, err := c.RenameReplicationPair(ctx, data.ID, "app-3-data-pair")
	if err != nil {
		t.Fatal(err)
	}
	if rp.Name != "app-3-data-pair" || rp.ID != data.ID {
		t.Fatalf("renamed pair %+v", rp)
	}
	jid, err := c.ExpandReplicationPair(ctx, data.ID, data.RecordMetadata.VolumeSizeGB+10)
	runJob(t, c, ctx, "expand", jid, err)
	if p := getPair(t, c, ctx, data.ID); p.RecordMetadata.VolumeSizeGB != data.RecordMetadata.VolumeSizeGB+10 {
		t.Fatalf("expanded size %d", p.RecordMetadata.VolumeSizeGB)
	}
	// Shrinking is refused by the service.
	if _, err := c.ExpandReplicationPair(ctx, data.ID, 1); err == nil {
		t.Fatal("shrinking a pair was accepted")
	}

	jid, err = c.AddNIC(ctx, pi.ID, sdrs.AddNICOpts{SubnetID: "e2c4a8f1-6b3d-4d0e-9f27-81a5c6d3e940",
		IPAddress: "10.20.1.15", SecurityGroupIDs: []string{"f1e2d3c4-b5a6-4798-8a9b-0c1d2e3f4a5b"}})
	job := runJob(t, c, ctx, "add NIC", jid, err)
	nicID := job.Entities["nic_id"]
	if nicID == "" {
		t.Fatalf("add NIC job without nic_id: %+v", job)
	}
	jid, err = c.DeleteNIC(ctx, pi.ID, nicID)
	runJob(t, c, ctx, "delete NIC", jid, err)

	jid, err = c.ResizeProtectedInstance(ctx, pi.ID, sdrs.ResizeOpts{DRFlavorRef: "s3.xlarge.4"})
	runJob(t, c, ctx, "resize", jid, err)
	if p := getPI(t, c, ctx, pi.ID); p.Status != sdrs.PIAvailable {
		t.Fatalf("after resize: %s", p.StatusString)
	}

	all, err := c.AllProtectedInstances(ctx, sdrs.ProtectedInstanceListOpts{InstanceIDs: []string{pi.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].ID != pi.ID || all[0].Name != "app-3-renamed" {
		t.Fatalf("AllProtectedInstances: %+v", all)
	}

	jid, err = c.DeleteProtectedInstance(ctx, pi.ID, sdrs.DeleteProtectedInstanceOpts{DeleteTargetServer: true})
	runJob(t, c, ctx, "delete instance", jid, err)
	wantCounters(t, c, ctx, "after delete", pg.ID, 0, 0)
	jid, err = c.DeleteProtectionGroup(ctx, pg.ID)
	runJob(t, c, ctx, "delete group", jid, err)
}

// Bad input is refused by libsdrs before sending: *sdrs.Error with CodeValidation, a message
// naming the wire field, and no request at the emulator.
func TestPIAndPairValidation(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 60*time.Second)
	const gid = "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3"
	const sid = "b71e0c54-2d9a-4f3e-8c61-0e5a9d7f2b18"
	const rid = "2f6a9c0e-7d41-4b58-a3e2-d90c1b7f5e63"
	ok := sdrs.CreateProtectedInstanceOpts{ServerGroupID: gid, ServerID: sid, Name: "ok"}
	with := func(f func(o *sdrs.CreateProtectedInstanceOpts)) sdrs.CreateProtectedInstanceOpts {
		o := ok
		f(&o)
		return o
	}
	var manyTags []sdrs.Tag
	for i := 0; i < 21; i++ {
		manyTags = append(manyTags, sdrs.Tag{Key: fmt.Sprintf("k%d", i), Value: "v"})
	}
	var manyIDs []string
	for i := 0; i < 31; i++ {
		manyIDs = append(manyIDs, fmt.Sprintf("%08d-0000-4000-8000-000000000000", i))
	}
	createPI := func(o sdrs.CreateProtectedInstanceOpts) func() error {
		return func() error { _, err := c.CreateProtectedInstance(ctx, o); return err }
	}
	cases := []struct {
		name  string
		field string
		call  func() error
	}{
		{"pi no name", "name", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.Name = "" }))},
		{"pi bad name", "name", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.Name = "app 1!" }))},
		{"pi long name", "name", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.Name = strings.Repeat("a", 65) }))},
		{"pi no group", "server_group_id", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.ServerGroupID = "" }))},
		{"pi no server", "server_id", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.ServerID = "" }))},
		{"pi description", "description", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.Description = "<b>" }))},
		{"pi ip", "primary_ip_address", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) {
			o.PrimarySubnetID = gid
			o.PrimaryIPAddress = "10.0.0.256"
		}))},
		{"pi ip without subnet", "primary_ip_address", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.PrimaryIPAddress = "10.0.0.5" }))},
		{"pi duplicate tag", "tags", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) {
			o.Tags = []sdrs.Tag{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}}
		}))},
		{"pi empty tag key", "key", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.Tags = []sdrs.Tag{{Key: "", Value: "1"}} }))},
		{"pi 21 tags", "tags", createPI(with(func(o *sdrs.CreateProtectedInstanceOpts) { o.Tags = manyTags }))},
		{"pi create and wait", "name", func() error {
			_, err := c.CreateProtectedInstanceAndWait(ctx, with(func(o *sdrs.CreateProtectedInstanceOpts) { o.Name = "" }), fastWait)
			return err
		}},
		{"pi get literal segment", "protected_instance_id", func() error { _, err := c.GetProtectedInstance(ctx, "tags"); return err }},
		{"pi get slash", "protected_instance_id", func() error { _, err := c.GetProtectedInstance(ctx, "a/b"); return err }},
		{"pi get empty", "protected_instance_id", func() error { _, err := c.GetProtectedInstance(ctx, ""); return err }},
		{"pi rename", "name", func() error { _, err := c.RenameProtectedInstance(ctx, sid, "no spaces"); return err }},
		{"pi delete literal", "protected_instance_id", func() error {
			_, err := c.DeleteProtectedInstance(ctx, "batch", sdrs.DeleteProtectedInstanceOpts{})
			return err
		}},
		{"pi attach device", "device", func() error { _, err := c.AttachReplicationPair(ctx, sid, rid, "/dev/hda"); return err }},
		{"pi attach pair id", "replication_id", func() error { _, err := c.AttachReplicationPair(ctx, sid, "", "/dev/vdb"); return err }},
		{"pi detach", "replication_id", func() error { _, err := c.DetachReplicationPair(ctx, sid, "x/y"); return err }},
		{"nic subnet", "subnet_id", func() error { _, err := c.AddNIC(ctx, sid, sdrs.AddNICOpts{}); return err }},
		{"nic ip", "ip_address", func() error {
			_, err := c.AddNIC(ctx, sid, sdrs.AddNICOpts{SubnetID: gid, IPAddress: "1.2.3"})
			return err
		}},
		{"nic delete", "nic_id", func() error { _, err := c.DeleteNIC(ctx, sid, ""); return err }},
		{"resize nothing", "flavorRef", func() error { _, err := c.ResizeProtectedInstance(ctx, sid, sdrs.ResizeOpts{}); return err }},
		{"resize both", "flavorRef", func() error {
			_, err := c.ResizeProtectedInstance(ctx, sid, sdrs.ResizeOpts{FlavorRef: "s3.large.2", DRFlavorRef: "s3.large.4"})
			return err
		}},
		{"pi list limit", "limit", func() error {
			_, err := c.ListProtectedInstances(ctx, sdrs.ProtectedInstanceListOpts{Limit: 1001})
			return err
		}},
		{"pi list offset", "offset", func() error {
			_, err := c.ListProtectedInstances(ctx, sdrs.ProtectedInstanceListOpts{Offset: -1})
			return err
		}},
		{"pi list 31 groups", "server_group_ids", func() error {
			_, err := c.ListProtectedInstances(ctx, sdrs.ProtectedInstanceListOpts{ServerGroupIDs: manyIDs})
			return err
		}},
		{"pi list query type", "query_type", func() error {
			_, err := c.ListProtectedInstances(ctx, sdrs.ProtectedInstanceListOpts{QueryType: "stop_protected"})
			return err
		}},
		{"pi iterator", "limit", func() error {
			_, err := c.AllProtectedInstances(ctx, sdrs.ProtectedInstanceListOpts{Limit: -5})
			return err
		}},
		{"pair no volume", "volume_id", func() error {
			_, err := c.CreateReplicationPair(ctx, sdrs.CreateReplicationPairOpts{ServerGroupID: gid, Name: "p"})
			return err
		}},
		{"pair bad name", "name", func() error {
			_, err := c.CreateReplicationPairAndWait(ctx, sdrs.CreateReplicationPairOpts{ServerGroupID: gid, VolumeID: rid, Name: "a b"}, fastWait)
			return err
		}},
		{"pair description", "description", func() error {
			_, err := c.CreateReplicationPair(ctx, sdrs.CreateReplicationPairOpts{ServerGroupID: gid, VolumeID: rid, Name: "p",
				Description: strings.Repeat("d", 65)})
			return err
		}},
		{"pair get literal", "replication_id", func() error { _, err := c.GetReplicationPair(ctx, "a/b"); return err }},
		{"pair rename", "name", func() error { _, err := c.RenameReplicationPair(ctx, rid, ""); return err }},
		{"pair delete", "replication_id", func() error {
			_, err := c.DeleteReplicationPair(ctx, "", sdrs.DeleteReplicationPairOpts{})
			return err
		}},
		{"pair expand zero", "new_size", func() error { _, err := c.ExpandReplicationPair(ctx, rid, 0); return err }},
		{"pair expand huge", "new_size", func() error { _, err := c.ExpandReplicationPair(ctx, rid, 32769); return err }},
		{"pair list limit", "limit", func() error {
			_, err := c.ListReplicationPairs(ctx, sdrs.ReplicationPairListOpts{Limit: 5000})
			return err
		}},
		{"pair list 31 instances", "protected_instance_ids", func() error {
			_, err := c.ListReplicationPairs(ctx, sdrs.ReplicationPairListOpts{InstanceIDs: manyIDs})
			return err
		}},
		{"pair iterator", "offset", func() error {
			it := c.ReplicationPairs(sdrs.ReplicationPairListOpts{Offset: -2})
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

// The service's refusals arrive as *sdrs.Error with the SDRS code.
func TestPIAndPairConflicts(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t, 120*time.Second)
	const unknown = "00000000-0000-4000-8000-0000000000ff"

	_, err := c.GetProtectedInstance(ctx, unknown)
	if e := asError(t, err); !errors.Is(err, sdrs.ErrNotFound) || (e.APICode != "SDRS.1320" && e.APICode != "SDRS.0208") {
		t.Fatalf("unknown instance: %v", err)
	}
	_, err = c.GetReplicationPair(ctx, unknown)
	if e := asError(t, err); !errors.Is(err, sdrs.ErrNotFound) || e.APICode != "SDRS.1608" {
		t.Fatalf("unknown pair: %v", err)
	}
	_, err = c.DeleteProtectedInstance(ctx, unknown, sdrs.DeleteProtectedInstanceOpts{})
	if !errors.Is(err, sdrs.ErrNotFound) {
		t.Fatalf("delete an unknown instance: %v", err)
	}

	db := productionServer(t, "db-1")
	pg := drGroup(t, c, ctx, db.VPCID)
	// Servers the group cannot take, each with its code.
	for _, tc := range []struct{ server, code string }{
		{"wrong-az", "SDRS.1303"}, {"other-vpc", "SDRS.1304"}, {"broken", "SDRS.1333"},
	} {
		s := productionServer(t, tc.server)
		_, err := c.CreateProtectedInstance(ctx, sdrs.CreateProtectedInstanceOpts{ServerGroupID: pg.ID, ServerID: s.ID, Name: "x"})
		if e := asError(t, err); e.APICode != tc.code || e.HTTPStatus == 0 || e.RequestID == "" {
			t.Fatalf("protect %s: want %s, got %v", tc.server, tc.code, err)
		}
	}

	pi, err := c.CreateProtectedInstanceAndWait(ctx, sdrs.CreateProtectedInstanceOpts{ServerGroupID: pg.ID,
		ServerID: db.ID, Name: "db-1-dr"}, fastWait)
	if err != nil {
		t.Fatal(err)
	}
	// One server, one protected instance.
	_, err = c.CreateProtectedInstance(ctx, sdrs.CreateProtectedInstanceOpts{ServerGroupID: pg.ID, ServerID: db.ID, Name: "again"})
	if e := asError(t, err); e.APICode != "SDRS.1305" || !errors.Is(err, sdrs.ErrConflict) {
		t.Fatalf("protect db-1 twice: %v", err)
	}
	// A pair that is already attached to this instance.
	if len(pi.Attachments) == 0 {
		t.Fatal("instance without pairs")
	}
	_, err = c.AttachReplicationPair(ctx, pi.ID, pi.Attachments[0].ReplicationID, "/dev/vdz")
	if e := asError(t, err); e.APICode != "SDRS.1605" || !errors.Is(err, sdrs.ErrConflict) {
		t.Fatalf("attach twice: %v", err)
	}
	// The group holds an instance.
	_, err = c.DeleteProtectionGroup(ctx, pg.ID)
	if !errors.Is(err, sdrs.ErrConflict) {
		t.Fatalf("delete a group with an instance: %v", err)
	}

	jid, err := c.DeleteProtectedInstance(ctx, pi.ID, sdrs.DeleteProtectedInstanceOpts{DeleteTargetServer: true})
	runJob(t, c, ctx, "delete instance", jid, err)
	jid, err = c.DeleteProtectionGroup(ctx, pg.ID)
	runJob(t, c, ctx, "delete group", jid, err)
}
