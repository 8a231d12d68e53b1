/**
 * @file
 * sdrs/client.h: the client and per-call options.
 *
 * Threading: an sdrs_client is safe to use from many threads at once. Its configuration is
 * immutable after creation and its connection pool is internally synchronised. Free it only
 * after every call using it has returned.
 *
 * sdrs_call_opts is a single-threaded builder; once built it may be passed to calls on many
 * threads at once as long as nobody modifies it meanwhile. Every call that takes one accepts
 * NULL (no deadline beyond the configured timeouts, no cancel token).
 */
#ifndef SDRS_CLIENT_H
#define SDRS_CLIENT_H

#include "sdrs/cancel.h"
#include "sdrs/common.h"
#include "sdrs/config.h"
#include "sdrs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_client sdrs_client;
typedef struct sdrs_call_opts sdrs_call_opts;

/** Creates a client from cfg (copied). Fails with SDRS_EVALIDATION when a required setting is
 * missing or the credentials conflict (see sdrs/config.h); the message names the fields. No
 * network I/O happens here: an IAM token is requested by the first call that needs one. */
SDRS_API int sdrs_client_new(sdrs_client **out, const sdrs_config *cfg, sdrs_error **err);
/** Frees the client handle. NULL is fine. An sdrs_pg_iter made from it keeps the client
 * (and its log sink and userdata in use) until that iterator is freed. */
SDRS_API void sdrs_client_free(sdrs_client *client);

/** New per-call options: no deadline, no cancel token (free with sdrs_call_opts_free). */
SDRS_API int sdrs_call_opts_new(sdrs_call_opts **out, sdrs_error **err);
SDRS_API void sdrs_call_opts_free(sdrs_call_opts *opts);

/** Deadline for the whole call, in milliseconds from its start (0 = none, the default). When it
 * expires the call returns SDRS_ETIMEOUT. */
SDRS_API int sdrs_call_opts_set_timeout_ms(sdrs_call_opts *opts, int64_t ms, sdrs_error **err);

/** Cancel token observed by the call (borrowed: keep it alive while calls use it). NULL clears. */
SDRS_API int sdrs_call_opts_set_cancel(sdrs_call_opts *opts, sdrs_cancel *cancel, sdrs_error **err);

/** A valid IAM token of the client in *out (free with sdrs_string_free; it is a secret: wipe
 * it after use). With password authentication this is the cached token, or a new one when it
 * is due for refresh; with a fixed token, that token. SDRS_EINVAL for a client that signs
 * with an access key. Thread-safe. */
SDRS_API int sdrs_client_token(char **out, sdrs_client *client, const sdrs_call_opts *opts,
                               sdrs_error **err);

/** The project id the client works in (*out, free with sdrs_string_free): the configured one,
 * or the one IAM's token names when only a project name was given (may request a token). */
SDRS_API int sdrs_client_project_id(char **out, sdrs_client *client, const sdrs_call_opts *opts,
                                    sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_CLIENT_H */
