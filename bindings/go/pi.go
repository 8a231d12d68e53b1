package sdrs

/*
#include <stdlib.h>
#include <sdrs.h>
*/
import "C"

import (
	"context"
	"time"
)

// PIStatus is an sdrs_pi_status, the status of a protected instance.
type PIStatus int32

// String returns the wire name of the status ("nic-creating"...), "unknown" otherwise.
func (s PIStatus) String() string {
	return C.GoString(C.sdrs_pi_status_name(C.int32_t(s)))
}

// Tag is one key/value tag of a protected instance.
type Tag struct {
	Key   string // 1..127 characters
	Value string // 0..255 characters
}

// strSetter sets one string field of a C builder; see applyStrSetters.
type strSetter struct {
	op string
	v  string
	f  func(p *C.char, cerr **C.sdrs_error) C.int
}

// applyStrSetters runs the setters whose value is not empty. An empty value means "not set":
// an empty required field is left for the create call to report by name.
func applyStrSetters(steps []strSetter) error {
	for _, st := range steps {
		if st.v == "" {
			continue
		}
		p := cString(st.v)
		var cerr *C.sdrs_error
		rc := st.f(p, &cerr)
		cFree(p)
		if rc != 0 {
			return takeError(st.op, rc, cerr)
		}
	}
	return nil
}

// addStrings calls an "add one" setter for every value, empty ones included: libsdrs rejects
// an empty id by name instead of it silently vanishing.
func addStrings(op string, values []string, f func(p *C.char, cerr **C.sdrs_error) C.int) error {
	for _, v := range values {
		p := cString(v)
		var cerr *C.sdrs_error
		rc := f(p, &cerr)
		cFree(p)
		if rc != 0 {
			return takeError(op, rc, cerr)
		}
	}
	return nil
}

// CreateProtectedInstanceOpts is the create request (spec part 2, 3.1). ServerGroupID,
// ServerID and Name are required; libsdrs validates every field before sending.
type CreateProtectedInstanceOpts struct {
	ServerGroupID string // the protection group that receives the instance
	ServerID      string // the production-site ECS server (group's VPC and production AZ)
	Name          string // 1..64 bytes of A-Z a-z 0-9 . _ -
	Description   string // optional, at most 64 bytes, no '<' or '>'
	// PrimarySubnetID is the network id (neutron_network_id) of the subnet of the DR server's
	// primary NIC; optional.
	PrimarySubnetID string
	// PrimaryIPAddress is the dotted-quad IPv4 address of that NIC; only with PrimarySubnetID.
	PrimaryIPAddress string
	FlavorRef        string // ECS flavor of the DR server; default: the production server's
	Tags             []Tag  // initial tags, at most 20, keys unique
}

// spec builds the sdrs_pi_spec (free with C.sdrs_pi_spec_free).
func (o *CreateProtectedInstanceOpts) spec() (*C.sdrs_pi_spec, error) {
	var sp *C.sdrs_pi_spec
	var cerr *C.sdrs_error
	if rc := C.sdrs_pi_spec_new(&sp, &cerr); rc != 0 {
		return nil, takeError("sdrs_pi_spec_new", rc, cerr)
	}
	err := applyStrSetters([]strSetter{
		{"sdrs_pi_spec_set_server_group_id", o.ServerGroupID, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_spec_set_server_group_id(sp, p, e)
		}},
		{"sdrs_pi_spec_set_server_id", o.ServerID, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pi_spec_set_server_id(sp, p, e) }},
		{"sdrs_pi_spec_set_name", o.Name, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pi_spec_set_name(sp, p, e) }},
		{"sdrs_pi_spec_set_description", o.Description, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_spec_set_description(sp, p, e)
		}},
		{"sdrs_pi_spec_set_primary_subnet_id", o.PrimarySubnetID, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_spec_set_primary_subnet_id(sp, p, e)
		}},
		{"sdrs_pi_spec_set_primary_ip_address", o.PrimaryIPAddress, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_spec_set_primary_ip_address(sp, p, e)
		}},
		{"sdrs_pi_spec_set_flavor_ref", o.FlavorRef, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pi_spec_set_flavor_ref(sp, p, e) }},
	})
	if err == nil {
		err = setPITags(sp, o.Tags)
	}
	if err != nil {
		C.sdrs_pi_spec_free(sp)
		return nil, err
	}
	return sp, nil
}

// setPITags makes the spec's tag list exactly tags. The spec is new, so the clear only states
// that the list is replaced, never merged (the C builder also serves reused specs).
func setPITags(sp *C.sdrs_pi_spec, tags []Tag) error {
	var cerr *C.sdrs_error
	if rc := C.sdrs_pi_spec_clear_tags(sp, &cerr); rc != 0 {
		return takeError("sdrs_pi_spec_clear_tags", rc, cerr)
	}
	for _, t := range tags {
		k, v := cString(t.Key), cString(t.Value)
		rc := C.sdrs_pi_spec_add_tag(sp, k, v, &cerr)
		cFree(k)
		cFree(v)
		if rc != 0 {
			return takeError("sdrs_pi_spec_add_tag", rc, cerr)
		}
	}
	return nil
}

// PIAttachment is a replication pair attached to a protected instance.
type PIAttachment struct {
	ReplicationID string // the pair's id
	Device        string // e.g. "/dev/vdb"
}

// ProtectedInstance is a snapshot of a protected instance (spec part 2, 3.11). Absent string
// fields are ""; absent times are the zero Time; an absent progress is -1.
type ProtectedInstance struct {
	ID              string
	Name            string
	Description     string
	ServerGroupID   string
	Status          PIStatus
	StatusString    string // the raw status, e.g. "failed-over"
	SourceServer    string // production-site server id (as created)
	TargetServer    string // DR-site server id
	PriorityStation string // "source" or "target": the site currently in production
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CreatedAtRaw    string // the raw created_at text
	UpdatedAtRaw    string
	Progress        int64 // synchronisation progress in percent, -1 when absent
	Attachments     []PIAttachment
	Tags            []Tag
	// Metadata holds the metadata map; scalar values as text (a JSON true reads "true").
	Metadata map[string]string
	// Frozen is metadata.__system__frozen read as a boolean (absent: false).
	Frozen bool
	JSON   string // the instance object as JSON
}

// piFromC copies a borrowed instance handle.
func piFromC(p *C.sdrs_pi) *ProtectedInstance {
	pi := &ProtectedInstance{
		ID:              goString(C.sdrs_pi_id(p)),
		Name:            goString(C.sdrs_pi_name(p)),
		Description:     goString(C.sdrs_pi_description(p)),
		ServerGroupID:   goString(C.sdrs_pi_server_group_id(p)),
		Status:          PIStatus(C.sdrs_pi_status(p)),
		StatusString:    goString(C.sdrs_pi_status_str(p)),
		SourceServer:    goString(C.sdrs_pi_source_server(p)),
		TargetServer:    goString(C.sdrs_pi_target_server(p)),
		PriorityStation: goString(C.sdrs_pi_priority_station(p)),
		CreatedAt:       msTime(C.sdrs_pi_created_at_ms(p)),
		UpdatedAt:       msTime(C.sdrs_pi_updated_at_ms(p)),
		CreatedAtRaw:    goString(C.sdrs_pi_created_at(p)),
		UpdatedAtRaw:    goString(C.sdrs_pi_updated_at(p)),
		Progress:        int64(C.sdrs_pi_progress(p)),
		Frozen:          C.sdrs_pi_frozen(p) != 0,
		JSON:            goString(C.sdrs_pi_json(p)),
	}
	n := C.sdrs_pi_attachment_count(p)
	pi.Attachments = make([]PIAttachment, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		pi.Attachments = append(pi.Attachments, PIAttachment{
			ReplicationID: goString(C.sdrs_pi_attachment_replication_id(p, i)),
			Device:        goString(C.sdrs_pi_attachment_device(p, i)),
		})
	}
	n = C.sdrs_pi_tag_count(p)
	pi.Tags = make([]Tag, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		pi.Tags = append(pi.Tags, Tag{Key: goString(C.sdrs_pi_tag_key(p, i)), Value: goString(C.sdrs_pi_tag_value(p, i))})
	}
	n = C.sdrs_pi_metadata_count(p)
	pi.Metadata = make(map[string]string, int(n))
	for i := C.size_t(0); i < n; i++ {
		k := goString(C.sdrs_pi_metadata_key(p, i))
		if _, dup := pi.Metadata[k]; dup {
			// A key the service sent twice: take the value libsdrs' lookup gives, so that Go
			// and C programs see the same.
			ck := cString(k)
			pi.Metadata[k] = goString(C.sdrs_pi_metadata_get(p, ck))
			cFree(ck)
			continue
		}
		pi.Metadata[k] = goString(C.sdrs_pi_metadata_value(p, i))
	}
	return pi
}

// takePI copies and frees an owned instance handle.
func takePI(p *C.sdrs_pi) *ProtectedInstance {
	defer C.sdrs_pi_free(p)
	return piFromC(p)
}

// CreateProtectedInstance sends the create request and returns the job id; see WaitJob. The
// job's entities.protected_instance_id names the new instance.
func (c *Client) CreateProtectedInstance(ctx context.Context, opts CreateProtectedInstanceOpts) (string, error) {
	sp, err := opts.spec()
	if err != nil {
		return "", err
	}
	defer C.sdrs_pi_spec_free(sp)
	var jid *C.char
	err = c.do(ctx, "sdrs_pi_create", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pi_create(&jid, cl, sp, o, cerr)
	})
	return takeString(jid), err
}

// CreateProtectedInstanceAndWait creates an instance (with its DR server, DR disks and one
// attached pair per disk), waits for the job and returns the instance. A failed job gives
// ErrJobFailed. opts may be nil.
//
// It waits as WaitJob does: the goroutine is parked while the client's watcher polls the job
// (WaitOpts.Blocking: one sdrs_pi_create_and_wait call holding the OS thread instead).
// One deadline, WaitOpts.Timeout (default 30 min) or ctx's if earlier, covers the create,
// the wait and the get; canceling ctx stops any of them.
func (c *Client) CreateProtectedInstanceAndWait(ctx context.Context, spec CreateProtectedInstanceOpts, opts *WaitOpts) (*ProtectedInstance, error) {
	return createAndWait(ctx, c, opts, createWait[*ProtectedInstance]{
		prefix:    "sdrs_pi",
		entityKey: "protected_instance_id",
		create:    func(ctx context.Context) (string, error) { return c.CreateProtectedInstance(ctx, spec) },
		get:       c.GetProtectedInstance,
		blocking: func(ctx context.Context, opts *WaitOpts) (*ProtectedInstance, error) {
			sp, err := spec.spec()
			if err != nil {
				return nil, err
			}
			defer C.sdrs_pi_spec_free(sp)
			var out *C.sdrs_pi
			err = c.doWait(ctx, "sdrs_pi_create_and_wait", opts, func(cl *C.sdrs_client, w *C.sdrs_wait_opts, cerr **C.sdrs_error) C.int {
				return C.sdrs_pi_create_and_wait(&out, cl, sp, w, cerr)
			})
			if out != nil {
				created := takePI(out)
				if err == nil {
					return created, nil
				}
			}
			return nil, err
		},
	})
}

// GetProtectedInstance reads one instance; an unknown id gives ErrNotFound or ErrRequest with
// the service's not-found code (APICode "SDRS.1320" or "SDRS.0208").
func (c *Client) GetProtectedInstance(ctx context.Context, instanceID string) (*ProtectedInstance, error) {
	id := cString(instanceID)
	defer cFree(id)
	var out *C.sdrs_pi
	err := c.do(ctx, "sdrs_pi_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pi_get(&out, cl, id, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takePI(out), nil
}

// RenameProtectedInstance renames an instance (synchronously) and returns the updated one.
func (c *Client) RenameProtectedInstance(ctx context.Context, instanceID, newName string) (*ProtectedInstance, error) {
	id := cString(instanceID)
	defer cFree(id)
	name := cString(newName)
	defer cFree(name)
	var out *C.sdrs_pi
	err := c.do(ctx, "sdrs_pi_rename", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pi_rename(&out, cl, id, name, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takePI(out), nil
}

// instanceAction runs one of the asynchronous calls on an instance and returns its job id.
func (c *Client) instanceAction(ctx context.Context, op, instanceID string,
	f func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int) (string, error) {
	id := cString(instanceID)
	defer cFree(id)
	var jid *C.char
	err := c.do(ctx, op, func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return f(&jid, cl, id, o, cerr)
	})
	return takeString(jid), err
}

// cBool converts a Go bool to the C API's 0/1.
func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// DeleteProtectedInstanceOpts are the options of DeleteProtectedInstance. The production
// server is never deleted.
type DeleteProtectedInstanceOpts struct {
	DeleteTargetServer bool // also delete the DR-site server and its disks
	DeleteTargetEIP    bool // also release the DR server's EIP
}

// DeleteProtectedInstance starts deleting an instance and returns the job id.
func (c *Client) DeleteProtectedInstance(ctx context.Context, instanceID string, opts DeleteProtectedInstanceOpts) (string, error) {
	return c.instanceAction(ctx, "sdrs_pi_delete", instanceID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_delete(jid, cl, id, cBool(opts.DeleteTargetServer), cBool(opts.DeleteTargetEIP), o, cerr)
		})
}

// AttachReplicationPair attaches a pair of the same group to an instance under a device name
// ("/dev/vdb", "/dev/sdc": /dev/ + sd, vd or xvd + lowercase letters) and returns the job id.
func (c *Client) AttachReplicationPair(ctx context.Context, instanceID, replicationID, device string) (string, error) {
	rid := cString(replicationID)
	defer cFree(rid)
	dev := cString(device)
	defer cFree(dev)
	return c.instanceAction(ctx, "sdrs_pi_attach", instanceID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_attach(jid, cl, id, rid, dev, o, cerr)
		})
}

// DetachReplicationPair detaches a pair from an instance and returns the job id.
func (c *Client) DetachReplicationPair(ctx context.Context, instanceID, replicationID string) (string, error) {
	rid := cString(replicationID)
	defer cFree(rid)
	return c.instanceAction(ctx, "sdrs_pi_detach", instanceID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_detach(jid, cl, id, rid, o, cerr)
		})
}

// AddNICOpts describe a NIC for AddNIC.
type AddNICOpts struct {
	SubnetID         string   // required: the subnet's network id, in the group's VPC
	IPAddress        string   // optional: a free IPv4 address in the subnet
	SecurityGroupIDs []string // optional: the service's default group when empty
}

// nicSpec builds the sdrs_pi_nic_spec (free with C.sdrs_pi_nic_spec_free).
func (o *AddNICOpts) nicSpec() (*C.sdrs_pi_nic_spec, error) {
	var ns *C.sdrs_pi_nic_spec
	var cerr *C.sdrs_error
	if rc := C.sdrs_pi_nic_spec_new(&ns, &cerr); rc != 0 {
		return nil, takeError("sdrs_pi_nic_spec_new", rc, cerr)
	}
	err := applyStrSetters([]strSetter{
		{"sdrs_pi_nic_spec_set_subnet_id", o.SubnetID, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pi_nic_spec_set_subnet_id(ns, p, e) }},
		{"sdrs_pi_nic_spec_set_ip_address", o.IPAddress, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_nic_spec_set_ip_address(ns, p, e)
		}},
	})
	if err == nil {
		err = addStrings("sdrs_pi_nic_spec_add_security_group", o.SecurityGroupIDs, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_nic_spec_add_security_group(ns, p, e)
		})
	}
	if err != nil {
		C.sdrs_pi_nic_spec_free(ns)
		return nil, err
	}
	return ns, nil
}

// AddNIC adds a NIC to the instance's DR server and returns the job id; the job's entity
// "nic_id" is the new NIC's port id.
func (c *Client) AddNIC(ctx context.Context, instanceID string, nic AddNICOpts) (string, error) {
	ns, err := nic.nicSpec()
	if err != nil {
		return "", err
	}
	defer C.sdrs_pi_nic_spec_free(ns)
	return c.instanceAction(ctx, "sdrs_pi_add_nic", instanceID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_add_nic(jid, cl, id, ns, o, cerr)
		})
}

// DeleteNIC removes a non-primary NIC by its port id and returns the job id.
func (c *Client) DeleteNIC(ctx context.Context, instanceID, nicID string) (string, error) {
	nid := cString(nicID)
	defer cFree(nid)
	return c.instanceAction(ctx, "sdrs_pi_delete_nic", instanceID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_delete_nic(jid, cl, id, nid, o, cerr)
		})
}

// ResizeOpts choose the new flavors for ResizeProtectedInstance: FlavorRef for both servers,
// or ProductionFlavorRef and/or DRFlavorRef for one each. At least one is required, and
// FlavorRef excludes the other two.
type ResizeOpts struct {
	FlavorRef           string
	ProductionFlavorRef string
	DRFlavorRef         string
}

// ResizeProtectedInstance changes the flavor of the instance's servers and returns the job id.
func (c *Client) ResizeProtectedInstance(ctx context.Context, instanceID string, opts ResizeOpts) (string, error) {
	both := cStringOpt(opts.FlavorRef)
	defer cFree(both)
	prod := cStringOpt(opts.ProductionFlavorRef)
	defer cFree(prod)
	dr := cStringOpt(opts.DRFlavorRef)
	defer cFree(dr)
	return c.instanceAction(ctx, "sdrs_pi_resize", instanceID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_resize(jid, cl, id, both, prod, dr, o, cerr)
		})
}

// ProtectedInstanceListOpts filter and page an instance listing (spec part 2, 3.2). Zero
// values mean "not set".
type ProtectedInstanceListOpts struct {
	Limit          int64    // page size 1..1000 (service default 1000)
	Offset         int64    // records to skip
	ServerGroupID  string   // instances of one group
	ServerGroupIDs []string // instances of any of these groups (at most 30; overrides ServerGroupID)
	// InstanceIDs: only these instances (at most 30; the service ignores it with a group filter).
	InstanceIDs      []string
	Status           string // an instance status value, e.g. "protected"
	Name             string // substring of the name
	QueryType        string // "general" or "status_abnormal"
	AvailabilityZone string // the group's current production-site AZ
}

// listOpts builds the sdrs_pi_list_opts (free with C.sdrs_pi_list_opts_free).
func (o *ProtectedInstanceListOpts) listOpts() (*C.sdrs_pi_list_opts, error) {
	var lo *C.sdrs_pi_list_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_pi_list_opts_new(&lo, &cerr); rc != 0 {
		return nil, takeError("sdrs_pi_list_opts_new", rc, cerr)
	}
	err := func() error {
		if o.Limit != 0 {
			if rc := C.sdrs_pi_list_opts_set_limit(lo, C.int64_t(o.Limit), &cerr); rc != 0 {
				return takeError("sdrs_pi_list_opts_set_limit", rc, cerr)
			}
		}
		if o.Offset != 0 {
			if rc := C.sdrs_pi_list_opts_set_offset(lo, C.int64_t(o.Offset), &cerr); rc != 0 {
				return takeError("sdrs_pi_list_opts_set_offset", rc, cerr)
			}
		}
		if err := applyStrSetters([]strSetter{
			{"sdrs_pi_list_opts_set_server_group_id", o.ServerGroupID, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pi_list_opts_set_server_group_id(lo, p, e)
			}},
			{"sdrs_pi_list_opts_set_status", o.Status, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pi_list_opts_set_status(lo, p, e) }},
			{"sdrs_pi_list_opts_set_name", o.Name, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pi_list_opts_set_name(lo, p, e) }},
			{"sdrs_pi_list_opts_set_query_type", o.QueryType, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pi_list_opts_set_query_type(lo, p, e)
			}},
			{"sdrs_pi_list_opts_set_availability_zone", o.AvailabilityZone, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pi_list_opts_set_availability_zone(lo, p, e)
			}},
		}); err != nil {
			return err
		}
		if err := addStrings("sdrs_pi_list_opts_add_server_group_id", o.ServerGroupIDs, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_list_opts_add_server_group_id(lo, p, e)
		}); err != nil {
			return err
		}
		return addStrings("sdrs_pi_list_opts_add_instance_id", o.InstanceIDs, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pi_list_opts_add_instance_id(lo, p, e)
		})
	}()
	if err != nil {
		C.sdrs_pi_list_opts_free(lo)
		return nil, err
	}
	return lo, nil
}

// ProtectedInstancePage is one page of an instance listing.
type ProtectedInstancePage struct {
	Instances []*ProtectedInstance
	Count     int64 // the service's "count", -1 when absent
}

// ListProtectedInstances fetches one page. See ProtectedInstances and AllProtectedInstances
// for all pages.
func (c *Client) ListProtectedInstances(ctx context.Context, opts ProtectedInstanceListOpts) (*ProtectedInstancePage, error) {
	lo, err := opts.listOpts()
	if err != nil {
		return nil, err
	}
	defer C.sdrs_pi_list_opts_free(lo)
	var out *C.sdrs_pi_list
	err = c.do(ctx, "sdrs_pi_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pi_list_get(&out, cl, lo, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_pi_list_free(out)
	n := C.sdrs_pi_list_size(out)
	page := &ProtectedInstancePage{Instances: make([]*ProtectedInstance, 0, int(n)), Count: int64(C.sdrs_pi_list_count(out))}
	for i := C.size_t(0); i < n; i++ {
		if p := C.sdrs_pi_list_at(out, i); p != nil {
			page.Instances = append(page.Instances, piFromC(p))
		}
	}
	return page, nil
}

// ProtectedInstanceIterator walks every instance matching a ProtectedInstanceListOpts, page by
// page (sdrs_pi_iter), as GroupIterator does for groups. It is for one goroutine at a time.
type ProtectedInstanceIterator struct{ p *pager[*ProtectedInstance] }

// ProtectedInstances returns an iterator over every instance matching opts (opts.Limit is the
// page size, opts.Offset the starting point). Close it when stopping early; it closes itself
// at the end or on an error.
func (c *Client) ProtectedInstances(opts ProtectedInstanceListOpts) *ProtectedInstanceIterator {
	return &ProtectedInstanceIterator{newPager(c, cPaging[C.sdrs_pi_iter, C.sdrs_pi_list_opts, C.sdrs_pi, *ProtectedInstance]{
		opNew: "sdrs_pi_iter_new", opNext: "sdrs_pi_iter_next",
		query:     opts.listOpts,
		freeQuery: func(q *C.sdrs_pi_list_opts) { C.sdrs_pi_list_opts_free(q) },
		newIter: func(it **C.sdrs_pi_iter, cl *C.sdrs_client, q *C.sdrs_pi_list_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_iter_new(it, cl, q, cerr)
		},
		next: func(item **C.sdrs_pi, it *C.sdrs_pi_iter, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pi_iter_next(item, it, o, cerr)
		},
		freeIter: func(it *C.sdrs_pi_iter) { C.sdrs_pi_iter_free(it) },
		fromC:    piFromC,
	})}
}

// Next fetches the next instance (fetching a page when needed) and reports whether there is one.
func (it *ProtectedInstanceIterator) Next(ctx context.Context) bool { return it.p.advance(ctx) }

// Value returns the instance Next moved to.
func (it *ProtectedInstanceIterator) Value() *ProtectedInstance { return it.p.value() }

// Err returns the error that ended the iteration, nil at a normal end.
func (it *ProtectedInstanceIterator) Err() error { return it.p.err() }

// Close releases the iterator; Next then returns false. Idempotent.
func (it *ProtectedInstanceIterator) Close() error { return it.p.close() }

// AllProtectedInstances reads every page and returns all matching instances.
func (c *Client) AllProtectedInstances(ctx context.Context, opts ProtectedInstanceListOpts) ([]*ProtectedInstance, error) {
	return c.ProtectedInstances(opts).p.all(ctx)
}
