package sdrs

import (
	"context"
	"time"
)

// defaultWaitTimeout is libsdrs' default deadline of a wait (sdrs_wait_opts_set_timeout_ms).
const defaultWaitTimeout = 30 * time.Minute

// limitKey is the context key of a deadline that bounds the calls made with a context without
// being the context's own deadline (see withLimit).
type limitKey struct{}

// withLimit returns ctx carrying the extra deadline d: every call and wait made with it gets
// at most the time left until d (scope.remaining). Its expiry is libsdrs' ErrTimeout, without
// context.DeadlineExceeded, as when the deadline of sdrs_*_create_and_wait's wait options
// passes; ctx's own deadline and cancel keep their meaning.
func withLimit(ctx context.Context, d time.Time) context.Context {
	return context.WithValue(ctx, limitKey{}, d)
}

// ctxLimit returns the deadline set by withLimit, if any.
func ctxLimit(ctx context.Context) (time.Time, bool) {
	d, ok := ctx.Value(limitKey{}).(time.Time)
	return d, ok
}

// createWait describes one resource's create-and-wait for createAndWait.
type createWait[T any] struct {
	// prefix of the C functions ("sdrs_pg"): prefix_create, prefix_get and
	// prefix_create_and_wait, whose name the errors carry as their Op.
	prefix string
	// entityKey is the job entity that names the created resource ("server_group_id").
	entityKey string
	create    func(ctx context.Context) (string, error)
	get       func(ctx context.Context, id string) (T, error)
	// blocking is the one-call form (sdrs_*_create_and_wait), for WaitOpts.Blocking.
	blocking func(ctx context.Context, opts *WaitOpts) (T, error)
}

// createAndWait is the sequence of libsdrs' create_and_wait functions with a parked wait in
// the middle: the create call, the wait through the client's watcher (as WaitJob: the goroutine
// holds no OS thread for the job's minutes), then the get of the resource the job names in
// its entities (or a sub-job's). One deadline, WaitOpts.Timeout (default 30 min) or ctx's if
// earlier, covers all three steps; ctx cancels each of them. Errors carry the Op of the C
// create-and-wait function, so they read as before: a FAIL job is ErrJobFailed with the job's
// id, code and reason, a job without the entity ErrProtocol, a lost create's error (outcome
// unknown) is the create's.
func createAndWait[T any](ctx context.Context, c *Client, opts *WaitOpts, cw createWait[T]) (T, error) {
	op := cw.prefix + "_create_and_wait"
	var zero T
	if opts != nil && opts.Blocking {
		return cw.blocking(ctx, opts)
	}
	if ctx == nil {
		return zero, errInvalidf(op, "ctx: must not be nil")
	}
	timeout := defaultWaitTimeout
	if opts != nil && opts.Timeout > 0 {
		timeout = opts.Timeout
	}
	// Held from here to the end, as the one C call held it: a Close meanwhile lets the three
	// steps finish, and the client's watcher stays for the wait.
	if _, err := c.acquire(op); err != nil {
		return zero, err
	}
	defer c.release()
	w, err := c.clientWatcher()
	if err != nil {
		return zero, err
	}
	defer c.endWait()
	ctx = context.WithValue(withLimit(ctx, time.Now().Add(timeout)), heldKey{}, c)
	rename := func(err error) error {
		if e, ok := err.(*Error); ok {
			switch e.Op {
			case cw.prefix + "_create", "sdrs_watcher_add", cw.prefix + "_get":
				e.Op = op
			}
		}
		return err
	}

	jobID, err := cw.create(ctx)
	if err != nil {
		return zero, rename(err)
	}
	job, err := w.wait(ctx, jobID, opts)
	if err != nil {
		return zero, rename(err)
	}
	id, ok := createdEntityID(job, cw.entityKey)
	if !ok {
		name := job.ID
		if name == "" {
			name = "?"
		}
		return zero, &Error{Op: op, Code: CodeProtocol,
			Message: "job " + name + " succeeded without entities." + cw.entityKey}
	}
	res, err := cw.get(ctx, id)
	if err != nil {
		return zero, rename(err)
	}
	return res, nil
}

// createdEntityID reads key from the job's entities, else from its first sub-job that has it
// (libsdrs' created_entity_id).
func createdEntityID(job *Job, key string) (string, bool) {
	if id, ok := job.Entities[key]; ok {
		return id, true
	}
	for _, sub := range job.SubJobs {
		if id, ok := sub.Entities[key]; ok {
			return id, true
		}
	}
	return "", false
}
