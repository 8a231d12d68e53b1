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

// PairStatus is an sdrs_pair_status, the status of a replication pair.
type PairStatus int32

// String returns the wire name of the status ("error-attaching"...), "unknown" otherwise.
func (s PairStatus) String() string {
	return C.GoString(C.sdrs_pair_status_name(C.int32_t(s)))
}

// CreateReplicationPairOpts is the create request (spec part 2, 4.1). ServerGroupID, VolumeID
// and Name are required; libsdrs validates every field before sending.
type CreateReplicationPairOpts struct {
	ServerGroupID string // the owning protection group
	VolumeID      string // the production-site EVS disk (available, not encrypted, not paired)
	Name          string // 1..64 bytes of A-Z a-z 0-9 . _ -
	Description   string // optional, at most 64 bytes, no '<' or '>'
	ClusterID     string // optional dedicated storage pool (documented for some regions only)
}

// spec builds the sdrs_pair_spec (free with C.sdrs_pair_spec_free).
func (o *CreateReplicationPairOpts) spec() (*C.sdrs_pair_spec, error) {
	var sp *C.sdrs_pair_spec
	var cerr *C.sdrs_error
	if rc := C.sdrs_pair_spec_new(&sp, &cerr); rc != 0 {
		return nil, takeError("sdrs_pair_spec_new", rc, cerr)
	}
	err := applyStrSetters([]strSetter{
		{"sdrs_pair_spec_set_server_group_id", o.ServerGroupID, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pair_spec_set_server_group_id(sp, p, e)
		}},
		{"sdrs_pair_spec_set_volume_id", o.VolumeID, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pair_spec_set_volume_id(sp, p, e) }},
		{"sdrs_pair_spec_set_name", o.Name, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pair_spec_set_name(sp, p, e) }},
		{"sdrs_pair_spec_set_description", o.Description, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pair_spec_set_description(sp, p, e)
		}},
		{"sdrs_pair_spec_set_cluster_id", o.ClusterID, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pair_spec_set_cluster_id(sp, p, e) }},
	})
	if err != nil {
		C.sdrs_pair_spec_free(sp)
		return nil, err
	}
	return sp, nil
}

// PairAttachment is a protected instance using a replication pair.
type PairAttachment struct {
	InstanceID string // the protected instance's id
	Device     string // e.g. "/dev/vdb"
}

// PairRecordMetadata holds the disk facts of a pair (record_metadata).
type PairRecordMetadata struct {
	VolumeSizeGB int64    // disk size in GB (a number sent as text is read), -1 when absent
	VolumeType   string   // "SSD", "SAS", "SATA", ...
	Multiattach  Tristate // a shared disk
	Bootable     Tristate // a system disk
}

// ReplicationPair is a snapshot of a replication pair (spec part 2, 4.7). Absent string fields
// are ""; absent times are the zero Time; an absent progress is -1.
type ReplicationPair struct {
	ID                string
	Name              string
	Description       string
	ServerGroupID     string
	Status            PairStatus
	StatusString      string // the raw status, e.g. "error-attaching"
	ReplicationModel  string // "hypermetro"
	ReplicationStatus string // "active", "inactive", "copying" or "active-stopped"
	PriorityStation   string // "source" or "target"
	// FaultLevel: "0" none, "2" production disk lost access (failover advised), "5" link broken.
	FaultLevel    string
	FailureDetail string // an SDRS code, set when Status is PairError
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CreatedAtRaw  string // the raw created_at text
	UpdatedAtRaw  string
	Progress      int64 // synchronisation progress in percent, -1 when absent
	// VolumeIDsRaw is volume_ids as received: the two disk ids joined by ','.
	VolumeIDsRaw string
	// VolumeIDs is VolumeIDsRaw split at ','. By the convention every client follows (the
	// service does not document the order) the first is the production disk, the second the
	// DR disk: ProductionVolumeID and DRVolumeID.
	VolumeIDs          []string
	ProductionVolumeID string
	DRVolumeID         string
	Attachments        []PairAttachment // several for a shared disk
	RecordMetadata     PairRecordMetadata
	JSON               string // the pair object as JSON
}

// pairFromC copies a borrowed pair handle.
func pairFromC(p *C.sdrs_pair) *ReplicationPair {
	rp := &ReplicationPair{
		ID:                 goString(C.sdrs_pair_id(p)),
		Name:               goString(C.sdrs_pair_name(p)),
		Description:        goString(C.sdrs_pair_description(p)),
		ServerGroupID:      goString(C.sdrs_pair_server_group_id(p)),
		Status:             PairStatus(C.sdrs_pair_status(p)),
		StatusString:       goString(C.sdrs_pair_status_str(p)),
		ReplicationModel:   goString(C.sdrs_pair_replication_model(p)),
		ReplicationStatus:  goString(C.sdrs_pair_replication_status(p)),
		PriorityStation:    goString(C.sdrs_pair_priority_station(p)),
		FaultLevel:         goString(C.sdrs_pair_fault_level(p)),
		FailureDetail:      goString(C.sdrs_pair_failure_detail(p)),
		CreatedAt:          msTime(C.sdrs_pair_created_at_ms(p)),
		UpdatedAt:          msTime(C.sdrs_pair_updated_at_ms(p)),
		CreatedAtRaw:       goString(C.sdrs_pair_created_at(p)),
		UpdatedAtRaw:       goString(C.sdrs_pair_updated_at(p)),
		Progress:           int64(C.sdrs_pair_progress(p)),
		VolumeIDsRaw:       goString(C.sdrs_pair_volume_ids(p)),
		ProductionVolumeID: goString(C.sdrs_pair_production_volume_id(p)),
		DRVolumeID:         goString(C.sdrs_pair_dr_volume_id(p)),
		RecordMetadata: PairRecordMetadata{
			VolumeSizeGB: int64(C.sdrs_pair_volume_size_gb(p)),
			VolumeType:   goString(C.sdrs_pair_volume_type(p)),
			Multiattach:  Tristate(C.sdrs_pair_multiattach(p)),
			Bootable:     Tristate(C.sdrs_pair_bootable(p)),
		},
		JSON: goString(C.sdrs_pair_json(p)),
	}
	n := C.sdrs_pair_volume_id_count(p)
	rp.VolumeIDs = make([]string, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		rp.VolumeIDs = append(rp.VolumeIDs, goString(C.sdrs_pair_volume_id(p, i)))
	}
	n = C.sdrs_pair_attachment_count(p)
	rp.Attachments = make([]PairAttachment, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		rp.Attachments = append(rp.Attachments, PairAttachment{
			InstanceID: goString(C.sdrs_pair_attachment_instance_id(p, i)),
			Device:     goString(C.sdrs_pair_attachment_device(p, i)),
		})
	}
	return rp
}

// takePair copies and frees an owned pair handle.
func takePair(p *C.sdrs_pair) *ReplicationPair {
	defer C.sdrs_pair_free(p)
	return pairFromC(p)
}

// CreateReplicationPair sends the create request and returns the job id; see WaitJob. The
// job's entities.replication_pair_id names the new pair.
func (c *Client) CreateReplicationPair(ctx context.Context, opts CreateReplicationPairOpts) (string, error) {
	sp, err := opts.spec()
	if err != nil {
		return "", err
	}
	defer C.sdrs_pair_spec_free(sp)
	var jid *C.char
	err = c.do(ctx, "sdrs_pair_create", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pair_create(&jid, cl, sp, o, cerr)
	})
	return takeString(jid), err
}

// CreateReplicationPairAndWait creates a pair, waits for the job and returns the pair (not yet
// attached; see AttachReplicationPair). A failed job gives ErrJobFailed. opts may be nil.
//
// It waits as WaitJob does: the goroutine is parked while the client's watcher polls the job
// (WaitOpts.Blocking: one sdrs_pair_create_and_wait call holding the OS thread instead).
// One deadline, WaitOpts.Timeout (default 30 min) or ctx's if earlier, covers the create,
// the wait and the get; canceling ctx stops any of them.
func (c *Client) CreateReplicationPairAndWait(ctx context.Context, spec CreateReplicationPairOpts, opts *WaitOpts) (*ReplicationPair, error) {
	return createAndWait(ctx, c, opts, createWait[*ReplicationPair]{
		prefix:    "sdrs_pair",
		entityKey: "replication_pair_id",
		create:    func(ctx context.Context) (string, error) { return c.CreateReplicationPair(ctx, spec) },
		get:       c.GetReplicationPair,
		blocking: func(ctx context.Context, opts *WaitOpts) (*ReplicationPair, error) {
			sp, err := spec.spec()
			if err != nil {
				return nil, err
			}
			defer C.sdrs_pair_spec_free(sp)
			var out *C.sdrs_pair
			err = c.doWait(ctx, "sdrs_pair_create_and_wait", opts, func(cl *C.sdrs_client, w *C.sdrs_wait_opts, cerr **C.sdrs_error) C.int {
				return C.sdrs_pair_create_and_wait(&out, cl, sp, w, cerr)
			})
			if out != nil {
				created := takePair(out)
				if err == nil {
					return created, nil
				}
			}
			return nil, err
		},
	})
}

// GetReplicationPair reads one pair; an unknown id gives ErrNotFound or ErrRequest with the
// service's not-found code (APICode "SDRS.1608").
func (c *Client) GetReplicationPair(ctx context.Context, replicationID string) (*ReplicationPair, error) {
	id := cString(replicationID)
	defer cFree(id)
	var out *C.sdrs_pair
	err := c.do(ctx, "sdrs_pair_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pair_get(&out, cl, id, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takePair(out), nil
}

// RenameReplicationPair renames a pair (synchronously; the disks keep their names) and
// returns the updated pair.
func (c *Client) RenameReplicationPair(ctx context.Context, replicationID, newName string) (*ReplicationPair, error) {
	id := cString(replicationID)
	defer cFree(id)
	name := cString(newName)
	defer cFree(name)
	var out *C.sdrs_pair
	err := c.do(ctx, "sdrs_pair_rename", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pair_rename(&out, cl, id, name, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takePair(out), nil
}

// DeleteReplicationPairOpts are the options of DeleteReplicationPair. The production disk is
// never deleted.
type DeleteReplicationPairOpts struct {
	ServerGroupID      string // optional: the owning group, sent in the body when set
	DeleteTargetVolume bool   // also delete the DR-site disk
}

// DeleteReplicationPair starts deleting a pair (it must not be attached) and returns the job id.
func (c *Client) DeleteReplicationPair(ctx context.Context, replicationID string, opts DeleteReplicationPairOpts) (string, error) {
	id := cString(replicationID)
	defer cFree(id)
	gid := cStringOpt(opts.ServerGroupID)
	defer cFree(gid)
	var jid *C.char
	err := c.do(ctx, "sdrs_pair_delete", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pair_delete(&jid, cl, id, gid, cBool(opts.DeleteTargetVolume), o, cerr)
	})
	return takeString(jid), err
}

// ExpandReplicationPair grows both disks of a pair to newSizeGB, the new total size in GB
// (1..32768; the service requires more than the current size), and returns the job id.
func (c *Client) ExpandReplicationPair(ctx context.Context, replicationID string, newSizeGB int64) (string, error) {
	id := cString(replicationID)
	defer cFree(id)
	var jid *C.char
	err := c.do(ctx, "sdrs_pair_expand", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pair_expand(&jid, cl, id, C.int64_t(newSizeGB), o, cerr)
	})
	return takeString(jid), err
}

// ReplicationPairListOpts filter and page a pair listing (spec part 2, 4.2). Zero values mean
// "not set".
type ReplicationPairListOpts struct {
	Limit          int64    // page size 1..1000 (service default 1000)
	Offset         int64    // records to skip
	ServerGroupID  string   // pairs of one group
	ServerGroupIDs []string // pairs of any of these groups (at most 30; overrides ServerGroupID)
	InstanceID     string   // pairs attached to one instance
	InstanceIDs    []string // pairs attached to any of these (at most 30; overrides InstanceID)
	Name           string   // substring of the name
	Status         string   // a pair status value, e.g. "protected"
	QueryType      string   // "general" or "status_abnormal"
	// AvailabilityZone: the group's current production-site AZ.
	AvailabilityZone string
	VolumeID         string // pairs made from this production disk (some regions only)
}

// listOpts builds the sdrs_pair_list_opts (free with C.sdrs_pair_list_opts_free).
func (o *ReplicationPairListOpts) listOpts() (*C.sdrs_pair_list_opts, error) {
	var lo *C.sdrs_pair_list_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_pair_list_opts_new(&lo, &cerr); rc != 0 {
		return nil, takeError("sdrs_pair_list_opts_new", rc, cerr)
	}
	err := func() error {
		if o.Limit != 0 {
			if rc := C.sdrs_pair_list_opts_set_limit(lo, C.int64_t(o.Limit), &cerr); rc != 0 {
				return takeError("sdrs_pair_list_opts_set_limit", rc, cerr)
			}
		}
		if o.Offset != 0 {
			if rc := C.sdrs_pair_list_opts_set_offset(lo, C.int64_t(o.Offset), &cerr); rc != 0 {
				return takeError("sdrs_pair_list_opts_set_offset", rc, cerr)
			}
		}
		if err := applyStrSetters([]strSetter{
			{"sdrs_pair_list_opts_set_server_group_id", o.ServerGroupID, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pair_list_opts_set_server_group_id(lo, p, e)
			}},
			{"sdrs_pair_list_opts_set_instance_id", o.InstanceID, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pair_list_opts_set_instance_id(lo, p, e)
			}},
			{"sdrs_pair_list_opts_set_name", o.Name, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pair_list_opts_set_name(lo, p, e) }},
			{"sdrs_pair_list_opts_set_status", o.Status, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_pair_list_opts_set_status(lo, p, e) }},
			{"sdrs_pair_list_opts_set_query_type", o.QueryType, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pair_list_opts_set_query_type(lo, p, e)
			}},
			{"sdrs_pair_list_opts_set_availability_zone", o.AvailabilityZone, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pair_list_opts_set_availability_zone(lo, p, e)
			}},
			{"sdrs_pair_list_opts_set_volume_id", o.VolumeID, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_pair_list_opts_set_volume_id(lo, p, e)
			}},
		}); err != nil {
			return err
		}
		if err := addStrings("sdrs_pair_list_opts_add_server_group_id", o.ServerGroupIDs, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pair_list_opts_add_server_group_id(lo, p, e)
		}); err != nil {
			return err
		}
		return addStrings("sdrs_pair_list_opts_add_instance_id", o.InstanceIDs, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_pair_list_opts_add_instance_id(lo, p, e)
		})
	}()
	if err != nil {
		C.sdrs_pair_list_opts_free(lo)
		return nil, err
	}
	return lo, nil
}

// ReplicationPairPage is one page of a pair listing.
type ReplicationPairPage struct {
	Pairs []*ReplicationPair
	Count int64 // the service's "count", -1 when absent
}

// ListReplicationPairs fetches one page. See ReplicationPairs and AllReplicationPairs for all
// pages.
func (c *Client) ListReplicationPairs(ctx context.Context, opts ReplicationPairListOpts) (*ReplicationPairPage, error) {
	lo, err := opts.listOpts()
	if err != nil {
		return nil, err
	}
	defer C.sdrs_pair_list_opts_free(lo)
	var out *C.sdrs_pair_list
	err = c.do(ctx, "sdrs_pair_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pair_list_get(&out, cl, lo, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_pair_list_free(out)
	n := C.sdrs_pair_list_size(out)
	page := &ReplicationPairPage{Pairs: make([]*ReplicationPair, 0, int(n)), Count: int64(C.sdrs_pair_list_count(out))}
	for i := C.size_t(0); i < n; i++ {
		if p := C.sdrs_pair_list_at(out, i); p != nil {
			page.Pairs = append(page.Pairs, pairFromC(p))
		}
	}
	return page, nil
}

// ReplicationPairIterator walks every pair matching a ReplicationPairListOpts, page by page
// (sdrs_pair_iter), as GroupIterator does for groups. It is for one goroutine at a time.
type ReplicationPairIterator struct{ p *pager[*ReplicationPair] }

// ReplicationPairs returns an iterator over every pair matching opts (opts.Limit is the page
// size, opts.Offset the starting point). Close it when stopping early; it closes itself at
// the end or on an error.
func (c *Client) ReplicationPairs(opts ReplicationPairListOpts) *ReplicationPairIterator {
	return &ReplicationPairIterator{newPager(c, cPaging[C.sdrs_pair_iter, C.sdrs_pair_list_opts, C.sdrs_pair, *ReplicationPair]{
		opNew: "sdrs_pair_iter_new", opNext: "sdrs_pair_iter_next",
		query:     opts.listOpts,
		freeQuery: func(q *C.sdrs_pair_list_opts) { C.sdrs_pair_list_opts_free(q) },
		newIter: func(it **C.sdrs_pair_iter, cl *C.sdrs_client, q *C.sdrs_pair_list_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pair_iter_new(it, cl, q, cerr)
		},
		next: func(item **C.sdrs_pair, it *C.sdrs_pair_iter, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pair_iter_next(item, it, o, cerr)
		},
		freeIter: func(it *C.sdrs_pair_iter) { C.sdrs_pair_iter_free(it) },
		fromC:    pairFromC,
	})}
}

// Next fetches the next pair (fetching a page when needed) and reports whether there is one.
func (it *ReplicationPairIterator) Next(ctx context.Context) bool { return it.p.advance(ctx) }

// Value returns the pair Next moved to.
func (it *ReplicationPairIterator) Value() *ReplicationPair { return it.p.value() }

// Err returns the error that ended the iteration, nil at a normal end.
func (it *ReplicationPairIterator) Err() error { return it.p.err() }

// Close releases the iterator; Next then returns false. Idempotent.
func (it *ReplicationPairIterator) Close() error { return it.p.close() }

// AllReplicationPairs reads every page and returns all matching pairs.
func (c *Client) AllReplicationPairs(ctx context.Context, opts ReplicationPairListOpts) ([]*ReplicationPair, error) {
	return c.ReplicationPairs(opts).p.all(ctx)
}
