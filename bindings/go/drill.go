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

// DrillStatus is an sdrs_drill_status, the status of a DR drill.
type DrillStatus int32

// String returns the wire name of the status ("error-deleting"...), "unknown" otherwise.
func (s DrillStatus) String() string {
	return C.GoString(C.sdrs_drill_status_name(C.int32_t(s)))
}

// CreateDrillOpts is the create request of a DR drill (spec part 2, 5.1). ServerGroupID and
// Name are required; libsdrs validates every field before sending.
type CreateDrillOpts struct {
	ServerGroupID string // the protection group to rehearse
	Name          string // 1..64 bytes of A-Z a-z 0-9 . _ -
	// DrillVPCID is an existing drill VPC (not the group's VPC, with the same subnets, not used
	// by another drill); optional: when empty the service creates one.
	DrillVPCID string
}

// spec builds the sdrs_drill_spec (free with C.sdrs_drill_spec_free).
func (o *CreateDrillOpts) spec() (*C.sdrs_drill_spec, error) {
	var sp *C.sdrs_drill_spec
	var cerr *C.sdrs_error
	if rc := C.sdrs_drill_spec_new(&sp, &cerr); rc != 0 {
		return nil, takeError("sdrs_drill_spec_new", rc, cerr)
	}
	err := applyStrSetters([]strSetter{
		{"sdrs_drill_spec_set_server_group_id", o.ServerGroupID, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_drill_spec_set_server_group_id(sp, p, e)
		}},
		{"sdrs_drill_spec_set_name", o.Name, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_drill_spec_set_name(sp, p, e) }},
		{"sdrs_drill_spec_set_drill_vpc_id", o.DrillVPCID, func(p *C.char, e **C.sdrs_error) C.int {
			return C.sdrs_drill_spec_set_drill_vpc_id(sp, p, e)
		}},
	})
	if err != nil {
		C.sdrs_drill_spec_free(sp)
		return nil, err
	}
	return sp, nil
}

// DrillServer is one drill server: the ECS server a drill built from a protected instance.
type DrillServer struct {
	InstanceID string // the protected instance the drill server copies
	ServerID   string // the drill server's ECS id
}

// Drill is a snapshot of a DR drill (spec part 2, 5.5). Absent string fields are ""; absent
// times are the zero Time.
type Drill struct {
	ID            string
	Name          string
	Status        DrillStatus
	StatusString  string // the raw status, e.g. "error-deleting"
	DrillVPCID    string
	ServerGroupID string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CreatedAtRaw  string // the raw created_at text
	UpdatedAtRaw  string
	Servers       []DrillServer // one per protected instance of the group
	JSON          string        // the drill object as JSON
}

// drillFromC copies a borrowed drill handle.
func drillFromC(d *C.sdrs_drill) *Drill {
	dr := &Drill{
		ID:            goString(C.sdrs_drill_id(d)),
		Name:          goString(C.sdrs_drill_name(d)),
		Status:        DrillStatus(C.sdrs_drill_status(d)),
		StatusString:  goString(C.sdrs_drill_status_str(d)),
		DrillVPCID:    goString(C.sdrs_drill_drill_vpc_id(d)),
		ServerGroupID: goString(C.sdrs_drill_server_group_id(d)),
		CreatedAt:     msTime(C.sdrs_drill_created_at_ms(d)),
		UpdatedAt:     msTime(C.sdrs_drill_updated_at_ms(d)),
		CreatedAtRaw:  goString(C.sdrs_drill_created_at(d)),
		UpdatedAtRaw:  goString(C.sdrs_drill_updated_at(d)),
		JSON:          goString(C.sdrs_drill_json(d)),
	}
	n := C.sdrs_drill_server_count(d)
	dr.Servers = make([]DrillServer, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		dr.Servers = append(dr.Servers, DrillServer{
			InstanceID: goString(C.sdrs_drill_server_instance_id(d, i)),
			ServerID:   goString(C.sdrs_drill_server_id(d, i)),
		})
	}
	return dr
}

// takeDrill copies and frees an owned drill handle.
func takeDrill(d *C.sdrs_drill) *Drill {
	defer C.sdrs_drill_free(d)
	return drillFromC(d)
}

// CreateDrill sends the create request and returns the job id; see WaitJob. The job's
// entities.disaster_recovery_drill_id names the new drill.
func (c *Client) CreateDrill(ctx context.Context, opts CreateDrillOpts) (string, error) {
	sp, err := opts.spec()
	if err != nil {
		return "", err
	}
	defer C.sdrs_drill_spec_free(sp)
	var jid *C.char
	err = c.do(ctx, "sdrs_drill_create", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_drill_create(&jid, cl, sp, o, cerr)
	})
	return takeString(jid), err
}

// CreateDrillAndWait creates a drill (one drill server per protected instance of the group),
// waits for the job and returns the drill. A failed job gives ErrJobFailed. opts may be nil.
//
// It waits as WaitJob does: the goroutine is parked while the client's watcher polls the job
// (WaitOpts.Blocking: one sdrs_drill_create_and_wait call holding the OS thread instead).
// One deadline, WaitOpts.Timeout (default 30 min) or ctx's if earlier, covers the create,
// the wait and the get; canceling ctx stops any of them.
func (c *Client) CreateDrillAndWait(ctx context.Context, spec CreateDrillOpts, opts *WaitOpts) (*Drill, error) {
	return createAndWait(ctx, c, opts, createWait[*Drill]{
		prefix:    "sdrs_drill",
		entityKey: "disaster_recovery_drill_id",
		create:    func(ctx context.Context) (string, error) { return c.CreateDrill(ctx, spec) },
		get:       c.GetDrill,
		blocking: func(ctx context.Context, opts *WaitOpts) (*Drill, error) {
			sp, err := spec.spec()
			if err != nil {
				return nil, err
			}
			defer C.sdrs_drill_spec_free(sp)
			var out *C.sdrs_drill
			err = c.doWait(ctx, "sdrs_drill_create_and_wait", opts, func(cl *C.sdrs_client, w *C.sdrs_wait_opts, cerr **C.sdrs_error) C.int {
				return C.sdrs_drill_create_and_wait(&out, cl, sp, w, cerr)
			})
			if out != nil {
				created := takeDrill(out)
				if err == nil {
					return created, nil
				}
			}
			return nil, err
		},
	})
}

// GetDrill reads one drill; an unknown id gives ErrNotFound or ErrRequest with the service's
// not-found code (APICode "SDRS.1902").
func (c *Client) GetDrill(ctx context.Context, drillID string) (*Drill, error) {
	id := cString(drillID)
	defer cFree(id)
	var out *C.sdrs_drill
	err := c.do(ctx, "sdrs_drill_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_drill_get(&out, cl, id, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takeDrill(out), nil
}

// RenameDrill renames a drill (synchronously) and returns the updated drill.
func (c *Client) RenameDrill(ctx context.Context, drillID, newName string) (*Drill, error) {
	id := cString(drillID)
	defer cFree(id)
	name := cString(newName)
	defer cFree(name)
	var out *C.sdrs_drill
	err := c.do(ctx, "sdrs_drill_rename", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_drill_rename(&out, cl, id, name, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return takeDrill(out), nil
}

// DeleteDrill starts deleting a drill and its drill servers (the drill VPC stays) and returns
// the job id. The drill must be available, error or error-deleting.
func (c *Client) DeleteDrill(ctx context.Context, drillID string) (string, error) {
	id := cString(drillID)
	defer cFree(id)
	var jid *C.char
	err := c.do(ctx, "sdrs_drill_delete", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_drill_delete(&jid, cl, id, o, cerr)
	})
	return takeString(jid), err
}

// DrillListOpts filter and page a drill listing (spec part 2, 5.2). Zero values mean "not
// set".
type DrillListOpts struct {
	Limit         int64  // page size 1..1000 (service default 1000)
	Offset        int64  // records to skip
	ServerGroupID string // drills of one group
	Name          string // substring of the name
	Status        string // a drill status value, e.g. "available"
	DrillVPCID    string // drills using this VPC
}

// listOpts builds the sdrs_drill_list_opts (free with C.sdrs_drill_list_opts_free).
func (o *DrillListOpts) listOpts() (*C.sdrs_drill_list_opts, error) {
	var lo *C.sdrs_drill_list_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_drill_list_opts_new(&lo, &cerr); rc != 0 {
		return nil, takeError("sdrs_drill_list_opts_new", rc, cerr)
	}
	err := func() error {
		if o.Limit != 0 {
			if rc := C.sdrs_drill_list_opts_set_limit(lo, C.int64_t(o.Limit), &cerr); rc != 0 {
				return takeError("sdrs_drill_list_opts_set_limit", rc, cerr)
			}
		}
		if o.Offset != 0 {
			if rc := C.sdrs_drill_list_opts_set_offset(lo, C.int64_t(o.Offset), &cerr); rc != 0 {
				return takeError("sdrs_drill_list_opts_set_offset", rc, cerr)
			}
		}
		return applyStrSetters([]strSetter{
			{"sdrs_drill_list_opts_set_server_group_id", o.ServerGroupID, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_drill_list_opts_set_server_group_id(lo, p, e)
			}},
			{"sdrs_drill_list_opts_set_name", o.Name, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_drill_list_opts_set_name(lo, p, e) }},
			{"sdrs_drill_list_opts_set_status", o.Status, func(p *C.char, e **C.sdrs_error) C.int { return C.sdrs_drill_list_opts_set_status(lo, p, e) }},
			{"sdrs_drill_list_opts_set_drill_vpc_id", o.DrillVPCID, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_drill_list_opts_set_drill_vpc_id(lo, p, e)
			}},
		})
	}()
	if err != nil {
		C.sdrs_drill_list_opts_free(lo)
		return nil, err
	}
	return lo, nil
}

// DrillPage is one page of a drill listing.
type DrillPage struct {
	Drills []*Drill
	Count  int64 // the service's "count", -1 when absent
}

// ListDrills fetches one page. See Drills and AllDrills for all pages.
func (c *Client) ListDrills(ctx context.Context, opts DrillListOpts) (*DrillPage, error) {
	lo, err := opts.listOpts()
	if err != nil {
		return nil, err
	}
	defer C.sdrs_drill_list_opts_free(lo)
	var out *C.sdrs_drill_list
	err = c.do(ctx, "sdrs_drill_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_drill_list_get(&out, cl, lo, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_drill_list_free(out)
	n := C.sdrs_drill_list_size(out)
	page := &DrillPage{Drills: make([]*Drill, 0, int(n)), Count: int64(C.sdrs_drill_list_count(out))}
	for i := C.size_t(0); i < n; i++ {
		if d := C.sdrs_drill_list_at(out, i); d != nil {
			page.Drills = append(page.Drills, drillFromC(d))
		}
	}
	return page, nil
}

// DrillIterator walks every drill matching a DrillListOpts, page by page (sdrs_drill_iter), as
// GroupIterator does for groups. It is for one goroutine at a time.
type DrillIterator struct{ p *pager[*Drill] }

// Drills returns an iterator over every drill matching opts (opts.Limit is the page size,
// opts.Offset the starting point). Close it when stopping early; it closes itself at the end
// or on an error.
func (c *Client) Drills(opts DrillListOpts) *DrillIterator {
	return &DrillIterator{newPager(c, cPaging[C.sdrs_drill_iter, C.sdrs_drill_list_opts, C.sdrs_drill, *Drill]{
		opNew: "sdrs_drill_iter_new", opNext: "sdrs_drill_iter_next",
		query:     opts.listOpts,
		freeQuery: func(q *C.sdrs_drill_list_opts) { C.sdrs_drill_list_opts_free(q) },
		newIter: func(it **C.sdrs_drill_iter, cl *C.sdrs_client, q *C.sdrs_drill_list_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_drill_iter_new(it, cl, q, cerr)
		},
		next: func(item **C.sdrs_drill, it *C.sdrs_drill_iter, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_drill_iter_next(item, it, o, cerr)
		},
		freeIter: func(it *C.sdrs_drill_iter) { C.sdrs_drill_iter_free(it) },
		fromC:    drillFromC,
	})}
}

// Next fetches the next drill (fetching a page when needed) and reports whether there is one.
func (it *DrillIterator) Next(ctx context.Context) bool { return it.p.advance(ctx) }

// Value returns the drill Next moved to.
func (it *DrillIterator) Value() *Drill { return it.p.value() }

// Err returns the error that ended the iteration, nil at a normal end.
func (it *DrillIterator) Err() error { return it.p.err() }

// Close releases the iterator; Next then returns false. Idempotent.
func (it *DrillIterator) Close() error { return it.p.close() }

// AllDrills reads every page and returns all matching drills.
func (c *Client) AllDrills(ctx context.Context, opts DrillListOpts) ([]*Drill, error) {
	return c.Drills(opts).p.all(ctx)
}
