/**
 * @file
 * sdrs/watcher.h: the job watcher. Follows many jobs of one client at once, from one library
 * thread, and reports each job's end through a callback.
 *
 * sdrs_job_wait holds the calling thread for the whole wait. A watcher holds none: every poll
 * of every added job runs on the watcher's own thread, over one curl multi handle, with the
 * client's connection reuse, retry rules and authentication (token refresh and AK/SK signing
 * happen on that thread too). A pending job costs a few hundred bytes and no thread.
 *
 * Each job added with sdrs_watcher_add is waited for exactly as sdrs_job_wait would (the
 * same backoff, jitter, deadline, cancel token and progress callback from its sdrs_wait_opts)
 * and its completion callback runs exactly once with what sdrs_job_wait would have returned:
 * 0 and the final job on SUCCESS; SDRS_EJOBFAILED with the final job and an error carrying
 * the job's error code on FAIL; SDRS_ETIMEOUT at the deadline; SDRS_ECANCELED on a cancel
 * token, sdrs_watcher_cancel, a progress callback returning nonzero, or watcher shutdown;
 * any other code for a failure that is not transient. Transient poll failures (429, any 5xx,
 * connection failures) are retried until the deadline, as sdrs_job_wait does.
 *
 * Two ways to receive callbacks (sdrs_watcher_opts_set_dispatch):
 * - SDRS_WATCHER_DISPATCH_THREAD (default): callbacks run on the watcher's thread. Polling of
 *   every job of this watcher pauses while a callback runs, so a callback must return
 *   quickly; hand long work to another thread. A callback that blocks for good stops the
 *   watcher (sdrs_watcher_free then blocks too).
 * - SDRS_WATCHER_DISPATCH_MANUAL: for programs with their own event loop (epoll, libuv...).
 *   Completions (and progress reports) are queued; sdrs_watcher_fd gives a file descriptor
 *   that becomes readable when the queue is not empty, and sdrs_watcher_dispatch runs the
 *   queued callbacks on the caller's thread. The program needs no thread of its own.
 *
 * What a callback may call: sdrs_watcher_add and sdrs_watcher_cancel on any watcher
 * (including its own: they do not block), sdrs_job_* getters, sdrs_job_free, sdrs_error_*,
 * and any other library function (a blocking one such as sdrs_job_poll blocks the watcher
 * in the DISPATCH_THREAD mode while it runs). sdrs_watcher_shutdown and sdrs_watcher_free on
 * the callback's own watcher are refused with SDRS_EINVAL / deferred, never a deadlock (see
 * each function).
 *
 * Threading: sdrs_watcher_add, sdrs_watcher_cancel, sdrs_watcher_pending and
 * sdrs_watcher_shutdown are safe from any thread at once. sdrs_watcher_dispatch may be
 * called from one thread at a time. sdrs_watcher_opts is a single-threaded builder. The
 * watcher keeps its client alive: sdrs_client_free may be called before sdrs_watcher_free.
 */
#ifndef SDRS_WATCHER_H
#define SDRS_WATCHER_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"
#include "sdrs/job.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_watcher sdrs_watcher;
typedef struct sdrs_watcher_opts sdrs_watcher_opts;

/** Where completion and progress callbacks run. */
enum sdrs_watcher_dispatch {
  SDRS_WATCHER_DISPATCH_THREAD = 0, /**< on the watcher's own thread (default) */
  SDRS_WATCHER_DISPATCH_MANUAL = 1  /**< on the thread calling sdrs_watcher_dispatch */
};

/**
 * Called exactly once per job added with sdrs_watcher_add. rc is 0 or a negative SDRS_E*
 * code, as sdrs_job_wait would have returned. The callback owns job and err: free them
 * with sdrs_job_free and sdrs_error_free (either may be NULL: job is the final job on 0 and
 * on SDRS_EJOBFAILED, NULL otherwise; err is NULL exactly when rc is 0). job_id is borrowed
 * for the duration of the call. ticket is the value sdrs_watcher_add stored.
 */
typedef void (*sdrs_watch_cb)(uint64_t ticket, const char *job_id, int rc, sdrs_job *job,
                              sdrs_error *err, void *userdata);

/** New watcher options with the defaults below (free with sdrs_watcher_opts_free). */
SDRS_API int sdrs_watcher_opts_new(sdrs_watcher_opts **out, sdrs_error **err);
SDRS_API void sdrs_watcher_opts_free(sdrs_watcher_opts *opts);
/** Most job polls the watcher starts per second, all jobs together (default 100, range
 * 1..100000). Polls that would exceed it are delayed, never dropped; a job's deadline still
 * applies. */
SDRS_API int sdrs_watcher_opts_set_max_polls_per_sec(sdrs_watcher_opts *opts, int32_t polls,
                                                     sdrs_error **err);
/** Most HTTP requests in flight at once (default 8, range 1..256). Also bounds the number
 * of connections the watcher opens. */
SDRS_API int sdrs_watcher_opts_set_max_in_flight(sdrs_watcher_opts *opts, int32_t requests,
                                                 sdrs_error **err);
/** An sdrs_watcher_dispatch value (default SDRS_WATCHER_DISPATCH_THREAD). */
SDRS_API int sdrs_watcher_opts_set_dispatch(sdrs_watcher_opts *opts, int32_t dispatch,
                                            sdrs_error **err);

/** Starts a watcher for client's jobs (its one thread starts here). opts may be NULL
 * (defaults); it is copied. */
SDRS_API int sdrs_watcher_new(sdrs_watcher **out, sdrs_client *client,
                              const sdrs_watcher_opts *opts, sdrs_error **err);

/**
 * Adds a job to follow. job_id is checked as a path segment; opts (NULL for defaults) is
 * copied, its deadline counts from this call, its cancel token is borrowed (keep it alive
 * until the completion callback ran) and its progress callback runs where completion
 * callbacks run, with a job valid only during that call (in DISPATCH_MANUAL mode the report
 * is queued: a nonzero return ends the wait with SDRS_ECANCELED unless the job ended
 * meanwhile). cb is required. On success
 * *out_ticket (may be NULL) receives a number unique within this watcher, and cb will run
 * exactly once. On failure (bad argument, watcher shut down: SDRS_ECANCELED) cb never runs.
 */
SDRS_API int sdrs_watcher_add(sdrs_watcher *watcher, const char *job_id,
                              const sdrs_wait_opts *opts, sdrs_watch_cb cb, void *userdata,
                              uint64_t *out_ticket, sdrs_error **err);

/** Stops following one job: its callback runs with SDRS_ECANCELED (soon, on its usual
 * thread) unless it already ran or is about to run with another result. Returns 0, or
 * SDRS_ENOTFOUND when the ticket is unknown or its callback has started (as
 * sdrs_watcher_pending stops counting the job then; inside its own callback too). In
 * DISPATCH_MANUAL mode a completion still queued can be canceled: a no-op returning 0. */
SDRS_API int sdrs_watcher_cancel(sdrs_watcher *watcher, uint64_t ticket, sdrs_error **err);

/** Jobs added whose completion callback has not started yet (inside its own callback a job
 * no longer counts). 0 for NULL. */
SDRS_API size_t sdrs_watcher_pending(const sdrs_watcher *watcher);

/** DISPATCH_MANUAL only: *out_fd receives a descriptor that polls readable while callbacks
 * are queued (do not read or close it; it lives as long as the watcher). SDRS_EINVAL in
 * DISPATCH_THREAD mode. */
SDRS_API int sdrs_watcher_fd(sdrs_watcher *watcher, int *out_fd, sdrs_error **err);

/** DISPATCH_MANUAL only: runs up to max queued callbacks (0 = all queued now) on this
 * thread; *out_count (may be NULL) receives how many ran. Never blocks waiting for work.
 * SDRS_EINVAL in DISPATCH_THREAD mode or when called from inside one of its callbacks. */
SDRS_API int sdrs_watcher_dispatch(sdrs_watcher *watcher, size_t max, size_t *out_count,
                                   sdrs_error **err);

/**
 * Graceful shutdown: refuses further adds, stops polling, aborts requests in flight and
 * completes every pending job with SDRS_ECANCELED, then stops the watcher's thread. In
 * DISPATCH_THREAD mode the callbacks have all run when it returns; in DISPATCH_MANUAL mode
 * they are queued and run by the next sdrs_watcher_dispatch calls (or by sdrs_watcher_free).
 * Idempotent. From a callback of this watcher's own thread it returns SDRS_EINVAL (it would
 * wait for itself).
 */
SDRS_API int sdrs_watcher_shutdown(sdrs_watcher *watcher, sdrs_error **err);

/** Shuts down (as sdrs_watcher_shutdown), runs any callbacks still queued on this thread,
 * and frees the watcher. NULL is fine. Called from one of this watcher's callbacks, the
 * shutdown and release are deferred until that callback returns. */
SDRS_API void sdrs_watcher_free(sdrs_watcher *watcher);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_WATCHER_H */
