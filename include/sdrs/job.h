/**
 * @file
 * sdrs/job.h: asynchronous jobs (GET /v1/{project_id}/jobs/{job_id}) and the job waiter.
 *
 * Mutating calls (create, delete, protection actions) return a job id. sdrs_job_poll reads the
 * job once; sdrs_job_wait polls with exponential backoff and jitter until the job is SUCCESS
 * or FAIL, the deadline passes or the cancel token fires.
 *
 * Threading: sdrs_job handles are immutable and safe to read from any thread. sdrs_wait_opts
 * is a single-threaded builder. The progress callback runs on the thread that called
 * sdrs_job_wait, inside that call. sdrs_job_wait holds its thread for the whole wait: to wait
 * for many jobs at once, or without blocking (an event loop), use a job watcher
 * (sdrs/watcher.h, docs/watcher.md), which waits with the same rules and sdrs_wait_opts from
 * one library thread and reports each end through a callback.
 */
#ifndef SDRS_JOB_H
#define SDRS_JOB_H

#include "sdrs/cancel.h"
#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_job sdrs_job;
typedef struct sdrs_wait_opts sdrs_wait_opts;

/** Job states as sdrs_job_status() reports them. */
enum sdrs_job_status {
  SDRS_JOB_UNKNOWN = 0, /**< a status this library does not know; see sdrs_job_status_str */
  SDRS_JOB_INIT = 1,
  SDRS_JOB_RUNNING = 2,
  SDRS_JOB_SUCCESS = 3,
  SDRS_JOB_FAIL = 4
};

/** Reads the job once. job_id is checked as a path segment before sending. */
SDRS_API int sdrs_job_poll(sdrs_job **out, sdrs_client *client, const char *job_id,
                           const sdrs_call_opts *opts, sdrs_error **err);

/** Frees a job from sdrs_job_poll or sdrs_job_wait, and its sub-jobs. NULL is fine. */
SDRS_API void sdrs_job_free(sdrs_job *job);

/** @{ */
/** Getters. Strings are borrowed (valid until sdrs_job_free), NULL when absent or null. */
SDRS_API const char *sdrs_job_id(const sdrs_job *job);
SDRS_API const char *sdrs_job_type(const sdrs_job *job);
SDRS_API int32_t sdrs_job_status(const sdrs_job *job); /**< an sdrs_job_status */
SDRS_API const char *sdrs_job_status_str(const sdrs_job *job);
SDRS_API const char *sdrs_job_begin_time(const sdrs_job *job);
SDRS_API const char *sdrs_job_end_time(const sdrs_job *job);
/** @} */
/** @{ */
/** Begin/end time as Unix milliseconds (UTC), SDRS_TIME_NONE when absent or unparseable. */
SDRS_API int64_t sdrs_job_begin_time_ms(const sdrs_job *job);
SDRS_API int64_t sdrs_job_end_time_ms(const sdrs_job *job);
/** @} */
SDRS_API const char *sdrs_job_error_code(const sdrs_job *job);
SDRS_API const char *sdrs_job_fail_reason(const sdrs_job *job);
/** A string-valued entry of "entities" such as "server_group_id"; NULL when absent or not a
 * string. Numbers and booleans are returned in their JSON text form. */
SDRS_API const char *sdrs_job_entity(const sdrs_job *job, const char *key);
/** @{ */
/** Number of entries of entities.sub_jobs and the borrowed sub-job at index (NULL when out of
 * range). A sub-job lives as long as its parent. */
SDRS_API size_t sdrs_job_sub_job_count(const sdrs_job *job);
SDRS_API const sdrs_job *sdrs_job_sub_job(const sdrs_job *job, size_t index);
/** @} */
/** The job object as JSON text, for fields a newer service adds. */
SDRS_API const char *sdrs_job_json(const sdrs_job *job);

/** Name of a job status value ("SUCCESS"...), "UNKNOWN" otherwise. Static. */
SDRS_API const char *sdrs_job_status_name(int32_t status);

/** Called on every status read during sdrs_job_wait; return nonzero to stop waiting
 * (sdrs_job_wait then returns SDRS_ECANCELED). The job handle is only valid during the call. */
typedef int (*sdrs_progress_cb)(const sdrs_job *job, void *userdata);

/** New wait options with the defaults below (free with sdrs_wait_opts_free). */
SDRS_API int sdrs_wait_opts_new(sdrs_wait_opts **out, sdrs_error **err);
SDRS_API void sdrs_wait_opts_free(sdrs_wait_opts *opts);
/** Delay before the first status read and between the first polls (default 1000 ms, range
 * 10..600000). The first read is not immediate: a freshly submitted job is still INIT. */
SDRS_API int sdrs_wait_opts_set_initial_interval_ms(sdrs_wait_opts *opts, int64_t ms,
                                                    sdrs_error **err);
/** Largest delay between polls (default 10000 ms, range 10..3600000, >= initial). */
SDRS_API int sdrs_wait_opts_set_max_interval_ms(sdrs_wait_opts *opts, int64_t ms,
                                                sdrs_error **err);
/** Growth factor of the delay, in percent (default 150 = x1.5, range 100..1000). */
SDRS_API int sdrs_wait_opts_set_multiplier_pct(sdrs_wait_opts *opts, int32_t pct,
                                               sdrs_error **err);
/** Jitter in percent of each delay (default 20: the delay is drawn from [d*0.8, d*1.2]),
 * range 0..100. */
SDRS_API int sdrs_wait_opts_set_jitter_pct(sdrs_wait_opts *opts, int32_t pct, sdrs_error **err);
/** Overall deadline in milliseconds (default 1800000 = 30 min; 0 = no deadline). On expiry
 * sdrs_job_wait returns SDRS_ETIMEOUT. */
SDRS_API int sdrs_wait_opts_set_timeout_ms(sdrs_wait_opts *opts, int64_t ms, sdrs_error **err);
/** Cancel token observed while waiting (borrowed: keep it alive while a wait uses it). */
SDRS_API int sdrs_wait_opts_set_cancel(sdrs_wait_opts *opts, sdrs_cancel *cancel,
                                       sdrs_error **err);
/** Progress callback and its userdata (cb NULL removes it). Both are stored as given and
 * used only inside the sdrs_job_wait / sdrs_pg_create_and_wait calls that receive these
 * options: userdata must stay valid while such a call runs. */
SDRS_API int sdrs_wait_opts_set_progress(sdrs_wait_opts *opts, sdrs_progress_cb cb,
                                         void *userdata, sdrs_error **err);

/** Polls the job until SUCCESS (returns 0 and the final job in *out) or FAIL (returns
 * SDRS_EJOBFAILED; *out still receives the final job, and the error carries the job's
 * error_code as its api code and fail_reason in the message, the polls made as its attempts
 * and the last poll's HTTP status). Transient poll failures (HTTP 429, any 5xx whatever SDRS
 * code it carries, connection failures: see sdrs_error_retryable) are retried until the
 * deadline. opts may be NULL (defaults).
 * On other failures *out is set to NULL. */
SDRS_API int sdrs_job_wait(sdrs_job **out, sdrs_client *client, const char *job_id,
                           const sdrs_wait_opts *opts, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_JOB_H */
