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

// PGStatus is an sdrs_pg_status, the status of a protection group.
type PGStatus int32

// String returns the wire name of the status ("failed-over"...), "unknown" otherwise.
func (s PGStatus) String() string {
	return C.GoString(C.sdrs_pg_status_name(C.int32_t(s)))
}

// CreateProtectionGroupOpts is the create request (spec 4.1). Name, SourceAZ, TargetAZ,
// DomainID and SourceVPCID are required; libsdrs validates every field before sending.
type CreateProtectionGroupOpts struct {
	Name        string // 1..64 bytes of A-Z a-z 0-9 . _ -
	Description string // optional, at most 64 bytes, no '<' or '>'
	SourceAZ    string // production-site AZ
	TargetAZ    string // DR-site AZ (must differ from SourceAZ)
	DomainID    string // active-active domain id (see Client.Domains)
	SourceVPCID string // production-site VPC id
	DRType      string // optional, "migration"
	ServerType  string // optional, "ECS"
}

// spec builds the sdrs_pg_spec (free with C.sdrs_pg_spec_free). Empty optional fields are
// not set; empty required fields are left for sdrs_pg_create to report by name.
func (o *CreateProtectionGroupOpts) spec() (*C.sdrs_pg_spec, error) {
	var sp *C.sdrs_pg_spec
	var cerr *C.sdrs_error
	if rc := C.sdrs_pg_spec_new(&sp, &cerr); rc != 0 {
		return nil, takeError("sdrs_pg_spec_new", rc, cerr)
	}
	set := func(op, v string, f func(*C.char) C.int) error {
		if v == "" {
			return nil
		}
		p := cString(v)
		defer cFree(p)
		if rc := f(p); rc != 0 {
			return takeError(op, rc, cerr)
		}
		return nil
	}
	steps := []struct {
		op string
		v  string
		f  func(*C.char) C.int
	}{
		{"sdrs_pg_spec_set_name", o.Name, func(p *C.char) C.int { return C.sdrs_pg_spec_set_name(sp, p, &cerr) }},
		{"sdrs_pg_spec_set_description", o.Description, func(p *C.char) C.int { return C.sdrs_pg_spec_set_description(sp, p, &cerr) }},
		{"sdrs_pg_spec_set_source_az", o.SourceAZ, func(p *C.char) C.int { return C.sdrs_pg_spec_set_source_az(sp, p, &cerr) }},
		{"sdrs_pg_spec_set_target_az", o.TargetAZ, func(p *C.char) C.int { return C.sdrs_pg_spec_set_target_az(sp, p, &cerr) }},
		{"sdrs_pg_spec_set_domain_id", o.DomainID, func(p *C.char) C.int { return C.sdrs_pg_spec_set_domain_id(sp, p, &cerr) }},
		{"sdrs_pg_spec_set_source_vpc_id", o.SourceVPCID, func(p *C.char) C.int { return C.sdrs_pg_spec_set_source_vpc_id(sp, p, &cerr) }},
		{"sdrs_pg_spec_set_dr_type", o.DRType, func(p *C.char) C.int { return C.sdrs_pg_spec_set_dr_type(sp, p, &cerr) }},
		{"sdrs_pg_spec_set_server_type", o.ServerType, func(p *C.char) C.int { return C.sdrs_pg_spec_set_server_type(sp, p, &cerr) }},
	}
	for _, st := range steps {
		if err := set(st.op, st.v, st.f); err != nil {
			C.sdrs_pg_spec_free(sp)
			return nil, err
		}
	}
	return sp, nil
}

// ProtectionGroup is a snapshot of a protection group (spec 4.7). Absent string fields are "";
// absent counters are -1; absent times are the zero Time.
type ProtectionGroup struct {
	ID                       string
	Name                     string
	Description              string
	Status                   PGStatus
	StatusString             string // the raw status, e.g. "failed-over"
	SourceAZ                 string // AZ configured as production at creation
	TargetAZ                 string // AZ configured as DR site at creation
	DomainID                 string
	DomainName               string
	PriorityStation          string // "source" or "target": the current production site
	ProtectedStatus          string // "started" / "stopped"
	ReplicationStatus        string
	HealthStatus             string
	SourceVPCID              string
	TargetVPCID              string
	TestVPCID                string
	DRType                   string
	ServerType               string
	ProtectionType           string
	ReplicationModel         string
	CreatedAt                time.Time
	UpdatedAt                time.Time
	CreatedAtRaw             string // the raw created_at text
	UpdatedAtRaw             string
	Progress                 int64
	ProtectedInstanceNum     int64
	ReplicationNum           int64
	DisasterRecoveryDrillNum int64
	JSON                     string // the group object as JSON
}

// pgFromC copies a borrowed group handle.
func pgFromC(p *C.sdrs_pg) *ProtectionGroup {
	return &ProtectionGroup{
		ID:                       goString(C.sdrs_pg_id(p)),
		Name:                     goString(C.sdrs_pg_name(p)),
		Description:              goString(C.sdrs_pg_description(p)),
		Status:                   PGStatus(C.sdrs_pg_status(p)),
		StatusString:             goString(C.sdrs_pg_status_str(p)),
		SourceAZ:                 goString(C.sdrs_pg_source_az(p)),
		TargetAZ:                 goString(C.sdrs_pg_target_az(p)),
		DomainID:                 goString(C.sdrs_pg_domain_id(p)),
		DomainName:               goString(C.sdrs_pg_domain_name(p)),
		PriorityStation:          goString(C.sdrs_pg_priority_station(p)),
		ProtectedStatus:          goString(C.sdrs_pg_protected_status(p)),
		ReplicationStatus:        goString(C.sdrs_pg_replication_status(p)),
		HealthStatus:             goString(C.sdrs_pg_health_status(p)),
		SourceVPCID:              goString(C.sdrs_pg_source_vpc_id(p)),
		TargetVPCID:              goString(C.sdrs_pg_target_vpc_id(p)),
		TestVPCID:                goString(C.sdrs_pg_test_vpc_id(p)),
		DRType:                   goString(C.sdrs_pg_dr_type(p)),
		ServerType:               goString(C.sdrs_pg_server_type(p)),
		ProtectionType:           goString(C.sdrs_pg_protection_type(p)),
		ReplicationModel:         goString(C.sdrs_pg_replication_model(p)),
		CreatedAt:                msTime(C.sdrs_pg_created_at_ms(p)),
		UpdatedAt:                msTime(C.sdrs_pg_updated_at_ms(p)),
		CreatedAtRaw:             goString(C.sdrs_pg_created_at(p)),
		UpdatedAtRaw:             goString(C.sdrs_pg_updated_at(p)),
		Progress:                 int64(C.sdrs_pg_progress(p)),
		ProtectedInstanceNum:     int64(C.sdrs_pg_protected_instance_num(p)),
		ReplicationNum:           int64(C.sdrs_pg_replication_num(p)),
		DisasterRecoveryDrillNum: int64(C.sdrs_pg_disaster_recovery_drill_num(p)),
		JSON:                     goString(C.sdrs_pg_json(p)),
	}
}

// takePG copies and frees an owned group handle.
func takePG(p *C.sdrs_pg) *ProtectionGroup {
	defer C.sdrs_pg_free(p)
	return pgFromC(p)
}

// CreateProtectionGroup sends the create request and returns the job id; see WaitJob.
func (c *Client) CreateProtectionGroup(ctx context.Context, opts CreateProtectionGroupOpts) (string, error) {
	sp, err := opts.spec()
	if err != nil {
		return "", err
	}
	defer C.sdrs_pg_spec_free(sp)
	var jid *C.char
	err = c.do(ctx, "sdrs_pg_create", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pg_create(&jid, cl, sp, o, cerr)
	})
	return takeString(jid), err
}

// CreateProtectionGroupAndWait creates a group, waits for its job and returns the group. A
// failed job gives ErrJobFailed. opts may be nil.
//
// It waits as WaitJob does: the goroutine is parked while the client's watcher polls the job
// (WaitOpts.Blocking: one sdrs_pg_create_and_wait call holding the OS thread instead).
// One deadline, WaitOpts.Timeout (default 30 min) or ctx's if earlier, covers the create,
// the wait and the get; canceling ctx stops any of them.
func (c *Client) CreateProtectionGroupAndWait(ctx context.Context, spec CreateProtectionGroupOpts, opts *WaitOpts) (*ProtectionGroup, error) {
	return createAndWait(ctx, c, opts, createWait[*ProtectionGroup]{
		prefix:    "sdrs_pg",
		entityKey: "server_group_id",
		create:    func(ctx context.Context) (string, error) { return c.CreateProtectionGroup(ctx, spec) },
		get:       c.GetProtectionGroup,
		blocking: func(ctx context.Context, opts *WaitOpts) (*ProtectionGroup, error) {
			sp, err := spec.spec()
			if err != nil {
				return nil, err
			}
			defer C.sdrs_pg_spec_free(sp)
			var out *C.sdrs_pg
			err = c.doWait(ctx, "sdrs_pg_create_and_wait", opts, func(cl *C.sdrs_client, w *C.sdrs_wait_opts, cerr **C.sdrs_error) C.int {
				return C.sdrs_pg_create_and_wait(&out, cl, sp, w, cerr)
			})
			if out != nil {
				created := takePG(out)
				if err == nil {
					return created, nil
				}
			}
			return nil, err
		},
	})
}

// FindCreatedProtectionGroup reconciles a create whose outcome is unknown
// (IsOutcomeUnknown(err) after CreateProtectionGroup or CreateProtectionGroupAndWait): it
// returns the group that a create of spec sent at since (the error's SentAt) made, without
// sending a create. It matches name, AZs, domain and source VPC exactly and a created_at no
// earlier than since minus 5 minutes (clock-skew allowance); the newest wins when several
// match. ErrNotFound means the lost create made nothing and creating again is safe; any other
// error means "unknown still": try again later, do not create. The group may still be
// creating, or in error when its job failed: check Status. A zero since gives ErrValidation.
func (c *Client) FindCreatedProtectionGroup(ctx context.Context, spec CreateProtectionGroupOpts, since time.Time) (*ProtectionGroup, error) {
	sp, err := spec.spec()
	if err != nil {
		return nil, err
	}
	defer C.sdrs_pg_spec_free(sp)
	sinceMs := int64(timeNone) // libsdrs rejects it, naming since_ms
	if !since.IsZero() {
		sinceMs = since.UnixMilli()
	}
	var out *C.sdrs_pg
	err = c.do(ctx, "sdrs_pg_find_created", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pg_find_created(&out, cl, sp, C.int64_t(sinceMs), o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takePG(out), nil
}

// GetProtectionGroup reads one group; an unknown id gives ErrNotFound.
func (c *Client) GetProtectionGroup(ctx context.Context, groupID string) (*ProtectionGroup, error) {
	id := cString(groupID)
	defer cFree(id)
	var out *C.sdrs_pg
	err := c.do(ctx, "sdrs_pg_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pg_get(&out, cl, id, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takePG(out), nil
}

// RenameProtectionGroup renames a group (synchronously) and returns the updated group.
func (c *Client) RenameProtectionGroup(ctx context.Context, groupID, newName string) (*ProtectionGroup, error) {
	id := cString(groupID)
	defer cFree(id)
	name := cString(newName)
	defer cFree(name)
	var out *C.sdrs_pg
	err := c.do(ctx, "sdrs_pg_rename", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pg_rename(&out, cl, id, name, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takePG(out), nil
}

// groupAction runs one of the asynchronous calls on a group and returns its job id.
func (c *Client) groupAction(ctx context.Context, op, groupID string,
	f func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int) (string, error) {
	id := cString(groupID)
	defer cFree(id)
	var jid *C.char
	err := c.do(ctx, op, func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return f(&jid, cl, id, o, cerr)
	})
	return takeString(jid), err
}

// DeleteProtectionGroup starts deleting a group (it must hold no protected instances,
// replication pairs or drills) and returns the job id.
func (c *Client) DeleteProtectionGroup(ctx context.Context, groupID string) (string, error) {
	return c.groupAction(ctx, "sdrs_pg_delete", groupID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pg_delete(jid, cl, id, o, cerr)
		})
}

// EnableProtection enables protection of a group, or re-enables it after a failover
// (start-server-group), and returns the job id.
func (c *Client) EnableProtection(ctx context.Context, groupID string) (string, error) {
	return c.groupAction(ctx, "sdrs_pg_enable", groupID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pg_enable(jid, cl, id, o, cerr)
		})
}

// DisableProtection disables protection of a group (stop-server-group) and returns the job id.
func (c *Client) DisableProtection(ctx context.Context, groupID string) (string, error) {
	return c.groupAction(ctx, "sdrs_pg_disable", groupID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pg_disable(jid, cl, id, o, cerr)
		})
}

// Failover starts an unplanned failover to the DR site (failover-server-group) and returns
// the job id.
func (c *Client) Failover(ctx context.Context, groupID string) (string, error) {
	return c.groupAction(ctx, "sdrs_pg_failover", groupID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pg_failover(jid, cl, id, o, cerr)
		})
}

// Priority stations for PlannedFailover.
const (
	StationSource = "source"
	StationTarget = "target"
)

// PlannedFailover starts a planned failover (reverse-server-group); priorityStation
// (StationSource or StationTarget) is the site that becomes production. Returns the job id.
func (c *Client) PlannedFailover(ctx context.Context, groupID, priorityStation string) (string, error) {
	st := cString(priorityStation)
	defer cFree(st)
	return c.groupAction(ctx, "sdrs_pg_planned_failover", groupID,
		func(jid **C.char, cl *C.sdrs_client, id *C.char, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pg_planned_failover(jid, cl, id, st, o, cerr)
		})
}

// ListOpts filter and page a group listing (spec 4.2). Zero values mean "not set".
type ListOpts struct {
	Limit            int64  // page size 1..1000 (service default 1000)
	Offset           int64  // records to skip
	Status           string // a group status value, e.g. "protected"
	Name             string // substring of the name
	QueryType        string // "general", "status_abnormal", "stop_protected", "period_no_dr_drill"
	AvailabilityZone string // current production-site AZ
}

// listOpts builds the sdrs_pg_list_opts (free with C.sdrs_pg_list_opts_free).
func (o *ListOpts) listOpts() (*C.sdrs_pg_list_opts, error) {
	var lo *C.sdrs_pg_list_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_pg_list_opts_new(&lo, &cerr); rc != 0 {
		return nil, takeError("sdrs_pg_list_opts_new", rc, cerr)
	}
	fail := func(op string, rc C.int) (*C.sdrs_pg_list_opts, error) {
		C.sdrs_pg_list_opts_free(lo)
		return nil, takeError(op, rc, cerr)
	}
	if o.Limit != 0 {
		if rc := C.sdrs_pg_list_opts_set_limit(lo, C.int64_t(o.Limit), &cerr); rc != 0 {
			return fail("sdrs_pg_list_opts_set_limit", rc)
		}
	}
	if o.Offset != 0 {
		if rc := C.sdrs_pg_list_opts_set_offset(lo, C.int64_t(o.Offset), &cerr); rc != 0 {
			return fail("sdrs_pg_list_opts_set_offset", rc)
		}
	}
	strs := []struct {
		op string
		v  string
		f  func(*C.char) C.int
	}{
		{"sdrs_pg_list_opts_set_status", o.Status, func(p *C.char) C.int { return C.sdrs_pg_list_opts_set_status(lo, p, &cerr) }},
		{"sdrs_pg_list_opts_set_name", o.Name, func(p *C.char) C.int { return C.sdrs_pg_list_opts_set_name(lo, p, &cerr) }},
		{"sdrs_pg_list_opts_set_query_type", o.QueryType, func(p *C.char) C.int { return C.sdrs_pg_list_opts_set_query_type(lo, p, &cerr) }},
		{"sdrs_pg_list_opts_set_availability_zone", o.AvailabilityZone, func(p *C.char) C.int {
			return C.sdrs_pg_list_opts_set_availability_zone(lo, p, &cerr)
		}},
	}
	for _, st := range strs {
		if st.v == "" {
			continue
		}
		p := cString(st.v)
		rc := st.f(p)
		cFree(p)
		if rc != 0 {
			return fail(st.op, rc)
		}
	}
	return lo, nil
}

// ProtectionGroupPage is one page of a listing.
type ProtectionGroupPage struct {
	Groups []*ProtectionGroup
	Count  int64 // the service's number of matching groups, -1 when absent
}

// ListProtectionGroups fetches one page. See ProtectionGroups for iterating over all pages.
func (c *Client) ListProtectionGroups(ctx context.Context, opts ListOpts) (*ProtectionGroupPage, error) {
	lo, err := opts.listOpts()
	if err != nil {
		return nil, err
	}
	defer C.sdrs_pg_list_opts_free(lo)
	var out *C.sdrs_pg_list
	err = c.do(ctx, "sdrs_pg_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_pg_list_get(&out, cl, lo, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_pg_list_free(out)
	n := C.sdrs_pg_list_size(out)
	page := &ProtectionGroupPage{Groups: make([]*ProtectionGroup, 0, int(n)), Count: int64(C.sdrs_pg_list_count(out))}
	for i := C.size_t(0); i < n; i++ {
		if p := C.sdrs_pg_list_at(out, i); p != nil {
			page.Groups = append(page.Groups, pgFromC(p))
		}
	}
	return page, nil
}

// GroupIterator walks every group matching a ListOpts, page by page (sdrs_pg_iter):
//
//	it := c.ProtectionGroups(sdrs.ListOpts{Limit: 100})
//	defer it.Close()
//	for it.Next(ctx) {
//		pg := it.Value()
//	}
//	if err := it.Err(); err != nil { ... }
//
// An iterator is for one goroutine at a time.
type GroupIterator struct{ p *pager[*ProtectionGroup] }

// ProtectionGroups returns an iterator over every group matching opts (opts.Limit is the page
// size, opts.Offset the starting point). Close it when stopping early; it closes itself at
// the end or on an error.
func (c *Client) ProtectionGroups(opts ListOpts) *GroupIterator {
	return &GroupIterator{newPager(c, cPaging[C.sdrs_pg_iter, C.sdrs_pg_list_opts, C.sdrs_pg, *ProtectionGroup]{
		opNew: "sdrs_pg_iter_new", opNext: "sdrs_pg_iter_next",
		query:     opts.listOpts,
		freeQuery: func(q *C.sdrs_pg_list_opts) { C.sdrs_pg_list_opts_free(q) },
		newIter: func(it **C.sdrs_pg_iter, cl *C.sdrs_client, q *C.sdrs_pg_list_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pg_iter_new(it, cl, q, cerr)
		},
		next: func(item **C.sdrs_pg, it *C.sdrs_pg_iter, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_pg_iter_next(item, it, o, cerr)
		},
		freeIter: func(it *C.sdrs_pg_iter) { C.sdrs_pg_iter_free(it) },
		fromC:    pgFromC,
	})}
}

// Next fetches the next group (fetching a page when needed) and reports whether there is one.
func (it *GroupIterator) Next(ctx context.Context) bool { return it.p.advance(ctx) }

// Value returns the group Next moved to.
func (it *GroupIterator) Value() *ProtectionGroup { return it.p.value() }

// Err returns the error that ended the iteration, nil at a normal end.
func (it *GroupIterator) Err() error { return it.p.err() }

// Close releases the iterator; Next then returns false. Idempotent.
func (it *GroupIterator) Close() error { return it.p.close() }
