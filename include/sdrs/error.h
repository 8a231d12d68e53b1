/*
 * sdrs/error.h: error detail handles.
 *
 * Every fallible call takes `sdrs_error **err` as its last parameter. Pass NULL when the
 * return code is enough. Otherwise, on failure *err receives a new handle that the caller
 * frees with sdrs_error_free(); on success *err is left untouched.
 *
 * Threading: an sdrs_error is immutable; its getters may be called from any thread.
 * Secrets (tokens, passwords, keys) never appear in any field of an error.
 */
#ifndef SDRS_ERROR_H
#define SDRS_ERROR_H

#include "sdrs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_error sdrs_error;

/* The SDRS_E* code (negative). 0 for a NULL handle. */
SDRS_API int sdrs_error_code(const sdrs_error *err);

/* Human-readable message; for validation errors it names the field and the rule. Never NULL
 * for a non-NULL handle. */
SDRS_API const char *sdrs_error_message(const sdrs_error *err);

/* HTTP status of the response that caused the error, 0 when there was none. */
SDRS_API int32_t sdrs_error_http_status(const sdrs_error *err);

/* The service's error code, e.g. "SDRS.1013" (for a failed job: the job's error_code),
 * NULL when absent. */
SDRS_API const char *sdrs_error_api_code(const sdrs_error *err);

/* Request id from the response headers (X-Request-Id / X-Openstack-Request-Id), NULL when absent.
 */
SDRS_API const char *sdrs_error_request_id(const sdrs_error *err);

/* Raw response body (possibly truncated to 64 KiB), NULL when there was none. For a failed
 * job this is the job's JSON. */
SDRS_API const char *sdrs_error_body(const sdrs_error *err);

/* For SDRS_EJOBFAILED: the job id and the job's fail_reason. NULL otherwise. */
SDRS_API const char *sdrs_error_job_id(const sdrs_error *err);
SDRS_API const char *sdrs_error_fail_reason(const sdrs_error *err);

/* 1 when repeating the same call later may succeed (rate limit, 5xx, transport), else 0. */
SDRS_API int sdrs_error_retryable(const sdrs_error *err);

/* Number of HTTP attempts made by the call that failed (0 when it failed before sending). */
SDRS_API int32_t sdrs_error_attempts(const sdrs_error *err);

/* 1 when the call sent a non-idempotent request (POST: create, actions) that the service may
 * have acted on, but no complete answer came back, so the library cannot tell whether it did
 * (see sdrs_error_retryable for the cases). Such an error is never retryable: sending the
 * request again could create a second resource or repeat an action. Find out first: for a
 * protection-group create, sdrs_pg_find_created(spec, sdrs_error_sent_at_ms(err)) returns the
 * group the request made, or SDRS_ENOTFOUND, after which creating again is safe; for an
 * action, read the resource (and its jobs) and check its status. docs/reliability.md has the
 * recipe. 0 otherwise (and for NULL). */
SDRS_API int sdrs_error_outcome_unknown(const sdrs_error *err);

/* When sdrs_error_outcome_unknown is 1: the time (Unix milliseconds, the local clock) at which
 * the request that may have been acted on was sent, to look for what it made. SDRS_TIME_NONE
 * otherwise. */
SDRS_API int64_t sdrs_error_sent_at_ms(const sdrs_error *err);

SDRS_API void sdrs_error_free(sdrs_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_ERROR_H */
