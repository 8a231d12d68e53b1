/*
 * sdrs/config.h: client configuration builder.
 *
 * Build a config with the setters, then create any number of clients from it with
 * sdrs_client_new(); the client copies what it needs, so the config may be freed or changed
 * afterwards without affecting existing clients.
 *
 * Setters validate their argument at once and return SDRS_EVALIDATION (message naming the
 * setting) for a bad value, leaving the previous value in place.
 *
 * Threading: a config is a single-threaded builder; do not share one between threads while
 * it is being modified.
 */
#ifndef SDRS_CONFIG_H
#define SDRS_CONFIG_H

#include "sdrs/common.h"
#include "sdrs/error.h"
#include "sdrs/log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_config sdrs_config;

SDRS_API int sdrs_config_new(sdrs_config **out, sdrs_error **err);
SDRS_API void sdrs_config_free(sdrs_config *cfg);

/* Service endpoint: "https://host[:port][/base-path]". A plain "http://" URL is accepted only
 * after sdrs_config_set_allow_http(cfg, 1) (meant for tests against a local emulator). A URL
 * without a scheme gets "https://". Required. */
SDRS_API int sdrs_config_set_endpoint(sdrs_config *cfg, const char *url, sdrs_error **err);

/* Allows http:// endpoints when allow != 0. Default 0: plain HTTP is refused. */
SDRS_API int sdrs_config_set_allow_http(sdrs_config *cfg, int allow, sdrs_error **err);

/* IAM project id used in every /v1/{project_id}/ path. Required. Checked as a path segment:
 * no '/', no "..", no control characters, at most 128 bytes. */
SDRS_API int sdrs_config_set_project_id(sdrs_config *cfg, const char *project_id,
                                        sdrs_error **err);

/* IAM token sent as X-Auth-Token. Required. Never logged; wiped when freed. */
SDRS_API int sdrs_config_set_token(sdrs_config *cfg, const char *token, sdrs_error **err);

/* Connect timeout in milliseconds (default 10000, range 1..600000). */
SDRS_API int sdrs_config_set_connect_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err);

/* Total timeout of one HTTP exchange in milliseconds (default 60000, range 1..3600000). A
 * per-call deadline (sdrs_call_opts_set_timeout_ms) shortens it further. */
SDRS_API int sdrs_config_set_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err);

/* PEM file with the CA certificates used to verify the server (default: the system store).
 * The file must exist and be readable. NULL restores the default. */
SDRS_API int sdrs_config_set_ca_file(sdrs_config *cfg, const char *path, sdrs_error **err);

/* Text appended to the User-Agent ("libsdrs/1.0.0 <suffix>"), printable ASCII, at most
 * 128 bytes. NULL clears it. */
SDRS_API int sdrs_config_set_user_agent_suffix(sdrs_config *cfg, const char *suffix,
                                               sdrs_error **err);

/* Largest response body accepted, in bytes (default 8 MiB, range 1024..1 GiB). A larger body
 * fails the call with SDRS_EPROTOCOL. */
SDRS_API int sdrs_config_set_max_response_bytes(sdrs_config *cfg, int64_t bytes,
                                                sdrs_error **err);

/* Log sink and the most verbose level passed to it (an sdrs_log_level). sink NULL disables
 * logging (the default). */
SDRS_API int sdrs_config_set_log_sink(sdrs_config *cfg, sdrs_log_sink sink, int32_t level,
                                      void *userdata, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_CONFIG_H */
