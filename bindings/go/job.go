package sdrs

/*
#include <stdlib.h>
#include <sdrs.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"sort"
	"time"
)

// JobStatus is an sdrs_job_status.
type JobStatus int32

// String returns the status name ("SUCCESS"...), "UNKNOWN" otherwise.
func (s JobStatus) String() string {
	return C.GoString(C.sdrs_job_status_name(C.int32_t(s)))
}

// Done reports whether the status is final (SUCCESS or FAIL).
func (s JobStatus) Done() bool { return s == JobSuccess || s == JobFail }

// Job is a snapshot of an asynchronous SDRS job (GET /v1/{project_id}/jobs/{job_id}).
type Job struct {
	ID           string
	Type         string    // e.g. "createProtectionGroupNoCG"
	Status       JobStatus // JobUnknown for a status this library does not know
	StatusString string    // the raw status
	BeginTime    time.Time // zero when absent
	EndTime      time.Time // zero when absent (e.g. while running)
	BeginTimeRaw string    // the raw begin_time text
	EndTimeRaw   string
	ErrorCode    string // SDRS error code of a failed job
	FailReason   string
	// Entities holds the scalar entries of "entities" (e.g. "server_group_id"); numbers and
	// booleans in their JSON text form. Sub-jobs are in SubJobs.
	Entities map[string]string
	SubJobs  []*Job
	JSON     string // the job object as JSON, for fields a newer service adds
}

// ServerGroupID returns entities.server_group_id, "" when absent.
func (j *Job) ServerGroupID() string { return j.Entities["server_group_id"] }

// jobFromC copies a borrowed job handle.
func jobFromC(j *C.sdrs_job) *Job {
	job := &Job{
		ID:           goString(C.sdrs_job_id(j)),
		Type:         goString(C.sdrs_job_type(j)),
		Status:       JobStatus(C.sdrs_job_status(j)),
		StatusString: goString(C.sdrs_job_status_str(j)),
		BeginTime:    msTime(C.sdrs_job_begin_time_ms(j)),
		EndTime:      msTime(C.sdrs_job_end_time_ms(j)),
		BeginTimeRaw: goString(C.sdrs_job_begin_time(j)),
		EndTimeRaw:   goString(C.sdrs_job_end_time(j)),
		ErrorCode:    goString(C.sdrs_job_error_code(j)),
		FailReason:   goString(C.sdrs_job_fail_reason(j)),
		Entities:     map[string]string{},
		JSON:         goString(C.sdrs_job_json(j)),
	}
	// The C API reads entities by key; the keys come from the job's JSON.
	var raw struct {
		Entities map[string]json.RawMessage `json:"entities"`
	}
	if json.Unmarshal([]byte(job.JSON), &raw) == nil {
		keys := make([]string, 0, len(raw.Entities))
		for k := range raw.Entities {
			if k != "sub_jobs" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			ck := cString(k)
			if v := C.sdrs_job_entity(j, ck); v != nil {
				job.Entities[k] = C.GoString(v)
			}
			cFree(ck)
		}
	}
	n := C.sdrs_job_sub_job_count(j)
	for i := C.size_t(0); i < n; i++ {
		if sj := C.sdrs_job_sub_job(j, i); sj != nil {
			job.SubJobs = append(job.SubJobs, jobFromC(sj))
		}
	}
	return job
}

// takeJob copies and frees an owned job handle (nil for NULL).
func takeJob(j *C.sdrs_job) *Job {
	if j == nil {
		return nil
	}
	defer C.sdrs_job_free(j)
	return jobFromC(j)
}

// PollJob reads a job once.
func (c *Client) PollJob(ctx context.Context, jobID string) (*Job, error) {
	id := cString(jobID)
	defer cFree(id)
	var out *C.sdrs_job
	defer func() {
		if out != nil {
			C.sdrs_job_free(out)
		}
	}()
	err := c.do(ctx, "sdrs_job_poll", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_job_poll(&out, cl, id, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	return jobFromC(out), nil
}

// WaitJob waits until a job ends, polling it with exponential backoff. On SUCCESS it returns
// the final job. On FAIL it returns the final job too, with an error that matches ErrJobFailed
// (APICode is the job's error_code, FailReason its fail_reason). Canceling ctx stops the wait
// promptly with ErrCanceled (and context.Canceled); ctx's deadline gives ErrTimeout (and
// context.DeadlineExceeded). Transient poll failures (429, 5xx, connection failures) are
// retried until the deadline. opts may be nil.
//
// The goroutine is parked while it waits: the client's watcher (started by the first WaitJob,
// see Watcher) polls all of the client's waits from one thread, at most 100 polls per second
// and 8 requests in flight together; for other caps use NewWatcher and Watcher.WaitJob, and
// for the former one-OS-thread-per-wait behaviour WaitOpts.Blocking.
func (c *Client) WaitJob(ctx context.Context, jobID string, opts *WaitOpts) (*Job, error) {
	if opts != nil && opts.Blocking {
		return c.waitJobBlocking(ctx, jobID, opts)
	}
	if _, err := c.acquire("sdrs_watcher_add"); err != nil {
		return nil, err
	}
	defer c.release()
	w, err := c.clientWatcher()
	if err != nil {
		return nil, err
	}
	defer c.endWait()
	return w.wait(ctx, jobID, opts)
}

// waitJobBlocking is WaitJob in one sdrs_job_wait call (WaitOpts.Blocking).
func (c *Client) waitJobBlocking(ctx context.Context, jobID string, opts *WaitOpts) (*Job, error) {
	id := cString(jobID)
	defer cFree(id)
	var out *C.sdrs_job
	defer func() {
		if out != nil {
			C.sdrs_job_free(out)
		}
	}()
	err := c.doWait(ctx, "sdrs_job_wait", opts, func(cl *C.sdrs_client, w *C.sdrs_wait_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_job_wait(&out, cl, id, w, cerr)
	})
	var job *Job
	if out != nil {
		job = jobFromC(out)
	}
	return job, err
}
