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

// FailedTask is a record of the task center: one failed asynchronous job (spec part 2, 7.1).
// Absent string fields are ""; an absent begin time is the zero Time.
type FailedTask struct {
	JobID         string // the failed job; DeleteFailedTask takes it
	JobType       string // e.g. "createProtectedInstanceNoCG"
	JobStatus     string // "FAIL"
	ResourceID    string // the affected resource
	ResourceName  string
	ResourceType  string // server_groups, protected_instances, replications or disaster_recovery_drills
	FailureStatus string // createFail, deleteFail, attachFail, ... (see FailedTaskListOpts)
	BeginTime     time.Time
	BeginTimeRaw  string // the raw begin_time text
	ErrorCode     string // may be another service's code, e.g. "EVS.2024"
	FailReason    string
	JSON          string // the record as JSON
}

// taskFromC copies a borrowed task handle.
func taskFromC(t *C.sdrs_task) *FailedTask {
	return &FailedTask{
		JobID:         goString(C.sdrs_task_job_id(t)),
		JobType:       goString(C.sdrs_task_job_type(t)),
		JobStatus:     goString(C.sdrs_task_job_status(t)),
		ResourceID:    goString(C.sdrs_task_resource_id(t)),
		ResourceName:  goString(C.sdrs_task_resource_name(t)),
		ResourceType:  goString(C.sdrs_task_resource_type(t)),
		FailureStatus: goString(C.sdrs_task_failure_status(t)),
		BeginTime:     msTime(C.sdrs_task_begin_time_ms(t)),
		BeginTimeRaw:  goString(C.sdrs_task_begin_time(t)),
		ErrorCode:     goString(C.sdrs_task_error_code(t)),
		FailReason:    goString(C.sdrs_task_fail_reason(t)),
		JSON:          goString(C.sdrs_task_json(t)),
	}
}

// FailedTaskListOpts filter and page the task center (spec part 2, 7.1). Zero values mean
// "not set".
type FailedTaskListOpts struct {
	Limit  int64 // page size 1..1000 (service default 1000)
	Offset int64 // records to skip
	// ServerGroupID selects the failures inside one group (instances, pairs, drills); when
	// empty, only group-level failures (failed group creates and deletes) are listed.
	ServerGroupID string
	// FailureStatus: createFail, deleteFail, attachFail, detachFail, expandFail, resizeFail,
	// startFail, stopFail, reverseFail, failoverFail or reprotectFail.
	FailureStatus string
	ResourceName  string // the failed resource's name
	// ResourceType: server_groups, protected_instances, replications or
	// disaster_recovery_drills.
	ResourceType string
}

// listOpts builds the sdrs_task_list_opts (free with C.sdrs_task_list_opts_free).
func (o *FailedTaskListOpts) listOpts() (*C.sdrs_task_list_opts, error) {
	var lo *C.sdrs_task_list_opts
	var cerr *C.sdrs_error
	if rc := C.sdrs_task_list_opts_new(&lo, &cerr); rc != 0 {
		return nil, takeError("sdrs_task_list_opts_new", rc, cerr)
	}
	err := func() error {
		if o.Limit != 0 {
			if rc := C.sdrs_task_list_opts_set_limit(lo, C.int64_t(o.Limit), &cerr); rc != 0 {
				return takeError("sdrs_task_list_opts_set_limit", rc, cerr)
			}
		}
		if o.Offset != 0 {
			if rc := C.sdrs_task_list_opts_set_offset(lo, C.int64_t(o.Offset), &cerr); rc != 0 {
				return takeError("sdrs_task_list_opts_set_offset", rc, cerr)
			}
		}
		return applyStrSetters([]strSetter{
			{"sdrs_task_list_opts_set_server_group_id", o.ServerGroupID, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_task_list_opts_set_server_group_id(lo, p, e)
			}},
			{"sdrs_task_list_opts_set_failure_status", o.FailureStatus, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_task_list_opts_set_failure_status(lo, p, e)
			}},
			{"sdrs_task_list_opts_set_resource_name", o.ResourceName, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_task_list_opts_set_resource_name(lo, p, e)
			}},
			{"sdrs_task_list_opts_set_resource_type", o.ResourceType, func(p *C.char, e **C.sdrs_error) C.int {
				return C.sdrs_task_list_opts_set_resource_type(lo, p, e)
			}},
		})
	}()
	if err != nil {
		C.sdrs_task_list_opts_free(lo)
		return nil, err
	}
	return lo, nil
}

// FailedTaskPage is one page of the task center.
type FailedTaskPage struct {
	Tasks []*FailedTask
	Count int64 // the service's "count", -1 when absent
}

// ListFailedTasks fetches one page of failed tasks. See FailedTasks and AllFailedTasks for all
// pages.
func (c *Client) ListFailedTasks(ctx context.Context, opts FailedTaskListOpts) (*FailedTaskPage, error) {
	lo, err := opts.listOpts()
	if err != nil {
		return nil, err
	}
	defer C.sdrs_task_list_opts_free(lo)
	var out *C.sdrs_task_list
	err = c.do(ctx, "sdrs_task_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_task_list_get(&out, cl, lo, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_task_list_free(out)
	n := C.sdrs_task_list_size(out)
	page := &FailedTaskPage{Tasks: make([]*FailedTask, 0, int(n)), Count: int64(C.sdrs_task_list_count(out))}
	for i := C.size_t(0); i < n; i++ {
		if t := C.sdrs_task_list_at(out, i); t != nil {
			page.Tasks = append(page.Tasks, taskFromC(t))
		}
	}
	return page, nil
}

// FailedTaskIterator walks every failed task matching a FailedTaskListOpts, page by page
// (sdrs_task_iter). It is for one goroutine at a time.
type FailedTaskIterator struct{ p *pager[*FailedTask] }

// FailedTasks returns an iterator over every failed task matching opts (opts.Limit is the
// page size, opts.Offset the starting point). Close it when stopping early; it closes itself
// at the end or on an error.
func (c *Client) FailedTasks(opts FailedTaskListOpts) *FailedTaskIterator {
	return &FailedTaskIterator{newPager(c, cPaging[C.sdrs_task_iter, C.sdrs_task_list_opts, C.sdrs_task, *FailedTask]{
		opNew: "sdrs_task_iter_new", opNext: "sdrs_task_iter_next",
		query:     opts.listOpts,
		freeQuery: func(q *C.sdrs_task_list_opts) { C.sdrs_task_list_opts_free(q) },
		newIter: func(it **C.sdrs_task_iter, cl *C.sdrs_client, q *C.sdrs_task_list_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_task_iter_new(it, cl, q, cerr)
		},
		next: func(item **C.sdrs_task, it *C.sdrs_task_iter, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_task_iter_next(item, it, o, cerr)
		},
		freeIter: func(it *C.sdrs_task_iter) { C.sdrs_task_iter_free(it) },
		fromC:    taskFromC,
	})}
}

// Next fetches the next failed task (fetching a page when needed) and reports whether there is
// one.
func (it *FailedTaskIterator) Next(ctx context.Context) bool { return it.p.advance(ctx) }

// Value returns the failed task Next moved to.
func (it *FailedTaskIterator) Value() *FailedTask { return it.p.value() }

// Err returns the error that ended the iteration, nil at a normal end.
func (it *FailedTaskIterator) Err() error { return it.p.err() }

// Close releases the iterator; Next then returns false. Idempotent.
func (it *FailedTaskIterator) Close() error { return it.p.close() }

// AllFailedTasks reads every page and returns all matching failed tasks.
func (c *Client) AllFailedTasks(ctx context.Context, opts FailedTaskListOpts) ([]*FailedTask, error) {
	return c.FailedTasks(opts).p.all(ctx)
}

// DeleteFailedTask deletes one task-center record by its job id (FailedTask.JobID). The
// failed resource itself is not repaired or deleted.
func (c *Client) DeleteFailedTask(ctx context.Context, jobID string) error {
	id := cString(jobID)
	defer cFree(id)
	return c.do(ctx, "sdrs_task_delete", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_task_delete(cl, id, o, cerr)
	})
}

// DeleteGroupFailedTasks deletes the failure records inside one group (instances, pairs,
// drills).
func (c *Client) DeleteGroupFailedTasks(ctx context.Context, serverGroupID string) error {
	id := cString(serverGroupID)
	defer cFree(id)
	return c.do(ctx, "sdrs_task_delete_group", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_task_delete_group(cl, id, o, cerr)
	})
}

// DeleteGroupLevelFailedTasks deletes the group-level failure records (failed group creates
// and deletes). Failures inside groups stay, whatever the service documentation's title says:
// use DeleteGroupFailedTasks for those.
func (c *Client) DeleteGroupLevelFailedTasks(ctx context.Context) error {
	return c.do(ctx, "sdrs_task_delete_group_level", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_task_delete_group_level(cl, o, cerr)
	})
}
