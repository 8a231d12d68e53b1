/**
 * @file
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

/** The SDRS_E* code (negative). 0 for a NULL handle. */
SDRS_API int sdrs_error_code(const sdrs_error *err);

/** Human-readable message; for validation errors it names the field and the rule. Never NULL
 * for a non-NULL handle. */
SDRS_API const char *sdrs_error_message(const sdrs_error *err);

/** HTTP status of the response that caused the error, 0 when there was none. */
SDRS_API int32_t sdrs_error_http_status(const sdrs_error *err);

/** The service's error code, e.g. "SDRS.1013" (for a failed job: the job's error_code),
 * NULL when absent. */
SDRS_API const char *sdrs_error_api_code(const sdrs_error *err);

/** Request id from the response headers (X-Request-Id / X-Openstack-Request-Id), NULL when absent.
 */
SDRS_API const char *sdrs_error_request_id(const sdrs_error *err);

/** Raw response body (possibly truncated to 64 KiB), NULL when there was none. For a failed
 * job this is the job's JSON. */
SDRS_API const char *sdrs_error_body(const sdrs_error *err);

/** @{ */
/** For SDRS_EJOBFAILED: the job id and the job's fail_reason. NULL otherwise. */
SDRS_API const char *sdrs_error_job_id(const sdrs_error *err);
SDRS_API const char *sdrs_error_fail_reason(const sdrs_error *err);
/** @} */

/** 1 when the failure is transient: one the library itself retries (it did, until the attempt
 * budget, a too-long Retry-After or the deadline stopped it), so repeating the call later may
 * succeed; else 0. Decided by the method and what happened on the wire, never by the class of
 * the SDRS code in the body (that code is still in sdrs_error_api_code):
 *   - GET, PUT, DELETE (reads, rename, delete) and the polls of sdrs_job_wait: HTTP 429, any
 *     HTTP 5xx, and connection failures before or after the request was sent (refused, DNS,
 *     reset, closed without answer, truncated answer, one exchange timing out);
 *   - POST (create, protection actions): HTTP 429, HTTP 503, and connection failures before
 *     the request was sent (refused, DNS, connect timeout).
 * Never retryable: other 4xx, TLS failures, answers that cannot be read (SDRS_EPROTOCOL),
 * cancels, an expired call deadline, and every error with sdrs_error_outcome_unknown 1.
 * sdrs_job_wait and sdrs_pg_create_and_wait ride out every retryable poll failure until
 * their deadline. docs/reliability.md has the table. */
SDRS_API int sdrs_error_retryable(const sdrs_error *err);

/** Number of HTTP requests to the SDRS service the failed call made: retries, and the request
 * sent again with a fresh token after a 401, included (0 when it failed before sending). IAM
 * token requests are not counted (sdrs_client_token, which only talks to IAM, counts its own).
 * For sdrs_job_wait: every poll request; sdrs_pg_create_and_wait adds the create and the
 * final read. An SDRS_EJOBFAILED error reports the polls made and the last poll's HTTP
 * status in sdrs_error_http_status. */
SDRS_API int32_t sdrs_error_attempts(const sdrs_error *err);

/** 1 when the call sent a non-idempotent request (POST: create, actions) that the service may
 * have acted on, but no answer says whether it did: the connection was reset or closed after
 * the request was sent, the answer was truncated, the exchange timed out or the call's
 * deadline or cancel cut it after sending, a gateway answered 502 or 504, another 5xx (not 503)
 * came without an SDRS error code, or a 2xx answer could not be read (SDRS_EPROTOCOL). The
 * message says the service may have acted on it. Such an error is never retryable: sending the
 * request again could create a second resource or repeat an action. Find out first: for a
 * protection-group create, sdrs_pg_find_created(spec, sdrs_error_sent_at_ms(err)) returns the
 * group the request made, or SDRS_ENOTFOUND, after which creating again is safe; for an
 * action, read the resource (and its jobs) and check its status. docs/reliability.md has the
 * recipe. 0 otherwise (and for NULL). */
SDRS_API int sdrs_error_outcome_unknown(const sdrs_error *err);

/** When sdrs_error_outcome_unknown is 1: the time (Unix milliseconds, the local clock) at which
 * the request that may have been acted on was sent, to look for what it made. SDRS_TIME_NONE
 * otherwise. */
SDRS_API int64_t sdrs_error_sent_at_ms(const sdrs_error *err);

SDRS_API void sdrs_error_free(sdrs_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_ERROR_H */
