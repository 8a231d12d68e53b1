/**
 * @file
 * sdrs/config.h: client configuration builder.
 *
 * Build a config with the setters, then create any number of clients from it with
 * sdrs_client_new(); the client copies what it needs, so the config may be freed or changed
 * afterwards without affecting existing clients.
 *
 * Setters validate their argument at once and return SDRS_EVALIDATION for a bad value, with
 * a message that starts with the setting's name ("ca_file: ..."), leaving the previous value
 * in place. Rules between settings (plain http needs allow_http, complete credentials) are
 * checked by sdrs_client_new, so the setters may be called in any order.
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

/** A new config with every setting at its default (*out; free with sdrs_config_free). */
SDRS_API int sdrs_config_new(sdrs_config **out, sdrs_error **err);
/** Frees the config (secrets wiped); clients made from it are unaffected. NULL is fine. */
SDRS_API void sdrs_config_free(sdrs_config *cfg);

/** Service endpoint: "https://host[:port][/base-path]". A URL without a scheme gets "https://".
 * The form is checked here (message "endpoint: ..."); a plain "http://" URL is judged when the
 * client is built: sdrs_client_new accepts it only when sdrs_config_set_allow_http(cfg, 1) was
 * called, before or after this setter (meant for tests against a local emulator), and
 * otherwise fails with SDRS_EVALIDATION "endpoint: plain http is refused ...". Required. */
SDRS_API int sdrs_config_set_endpoint(sdrs_config *cfg, const char *url, sdrs_error **err);

/** Allows http:// endpoints and IAM URLs when allow != 0. Default 0: plain HTTP is refused by
 * sdrs_client_new. The order of this call and the URL setters does not matter. */
SDRS_API int sdrs_config_set_allow_http(sdrs_config *cfg, int allow, sdrs_error **err);

/** IAM project id used in every /v1/{project_id}/ path. Required. Checked as a path segment:
 * no '/', no "..", no control characters, at most 128 bytes. */
SDRS_API int sdrs_config_set_project_id(sdrs_config *cfg, const char *project_id, sdrs_error **err);

/* ---- Authentication ----
 *
 * A client authenticates in exactly one of three ways, chosen by the credential given:
 *   - a fixed IAM token (sdrs_config_set_token), sent as X-Auth-Token;
 *   - an IAM password (sdrs_config_set_password with a user name + user domain, or a user id,
 *     and a project id or name): the client asks IAM (POST <auth_url>/auth/tokens) for a
 *     token, caches it, refreshes it before it expires and once after a 401, with one IAM
 *     request in flight however many threads need a token;
 *   - an access key pair (sdrs_config_set_access_key): every request is signed
 *     (SDK-HMAC-SHA256 with X-Sdk-Date).
 * Settings come from the setters (strongest), the environment (sdrs_config_load_env) and
 * clouds.yaml (sdrs_config_load_clouds_yaml, weakest), whatever the order of the calls. When
 * credentials of two kinds are present, the one from the strongest source is used; two kinds
 * from the same source, or an incomplete set, fail sdrs_client_new with SDRS_EVALIDATION
 * naming the fields.
 *
 * The SDRS endpoint, when not set: the "sdrs" entry of the token's catalog (password auth),
 * else https://sdrs.<region>.otc.t-systems.com. The project id, when not set: learned from
 * the token's scope (password auth with a project name).
 *
 * Secrets (password, secret key, security token, token) are never logged nor put in error
 * messages, and are wiped from memory when the config or client is freed. */

/** IAM token sent as X-Auth-Token. Never logged; wiped when freed. */
SDRS_API int sdrs_config_set_token(sdrs_config *cfg, const char *token, sdrs_error **err);

/** IAM endpoint, e.g. "https://iam.eu-de.otc.t-systems.com/v3" ("/v3" is appended when
 * missing). Default: `https://iam.<region>.otc.t-systems.com/v3`. http:// only with
 * sdrs_config_set_allow_http (checked by sdrs_client_new, so the order does not matter).
 * Errors name auth_url ("auth_url: ..."), here and from sdrs_client_new. */
SDRS_API int sdrs_config_set_auth_url(sdrs_config *cfg, const char *url, sdrs_error **err);

/** @{ */
/** IAM user name (needs a user domain) or user id, for password authentication. */
SDRS_API int sdrs_config_set_username(sdrs_config *cfg, const char *name, sdrs_error **err);
SDRS_API int sdrs_config_set_user_id(sdrs_config *cfg, const char *user_id, sdrs_error **err);
/** @} */

/** IAM password. Never logged; wiped when freed. */
SDRS_API int sdrs_config_set_password(sdrs_config *cfg, const char *password, sdrs_error **err);

/** @{ */
/** The user's domain (account), by name or by id. */
SDRS_API int sdrs_config_set_user_domain_name(sdrs_config *cfg, const char *name, sdrs_error **err);
SDRS_API int sdrs_config_set_user_domain_id(sdrs_config *cfg, const char *domain_id,
                                            sdrs_error **err);
/** @} */

/** Project scope by name (e.g. "eu-de_myproject") when the project id is not known. */
SDRS_API int sdrs_config_set_project_name(sdrs_config *cfg, const char *name, sdrs_error **err);

/** Region, e.g. "eu-de": derives the SDRS and IAM endpoints when those are not set and selects
 * the catalog entry. Default: the project name's prefix before '_'. */
SDRS_API int sdrs_config_set_region(sdrs_config *cfg, const char *region, sdrs_error **err);

/** Access key pair for request signing; security_token (may be NULL) is the one that comes
 * with temporary credentials, sent as X-Security-Token. The secret key and security token are
 * never logged and wiped when freed. */
SDRS_API int sdrs_config_set_access_key(sdrs_config *cfg, const char *access_key,
                                        const char *secret_key, const char *security_token,
                                        sdrs_error **err);

/** How long before its expiry an IAM token is replaced, in seconds (default 300, range
 * 0..86400). Capped at half the token's lifetime so short-lived tokens are still reused. */
SDRS_API int sdrs_config_set_token_refresh_margin_s(sdrs_config *cfg, int64_t seconds,
                                                    sdrs_error **err);

/** Reads the environment: OS_AUTH_URL, OS_USERNAME, OS_USER_ID, OS_PASSWORD,
 * OS_USER_DOMAIN_NAME (or OS_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME), OS_USER_DOMAIN_ID (or
 * OS_DOMAIN_ID), OS_PROJECT_ID (OS_TENANT_ID), OS_PROJECT_NAME (OS_TENANT_NAME),
 * OS_REGION_NAME, OS_ACCESS_KEY (OS_AK), OS_SECRET_KEY (OS_SK), OS_SECURITY_TOKEN, OS_TOKEN,
 * OS_SDRS_ENDPOINT_OVERRIDE. Values never override setters; they override clouds.yaml.
 * A malformed value fails with SDRS_EVALIDATION naming the variable (never the value); then
 * nothing is changed. Reads the environment with getenv: do not call it while another thread
 * modifies the environment. */
SDRS_API int sdrs_config_load_env(sdrs_config *cfg, sdrs_error **err);

/** Reads one cloud of a clouds.yaml: auth.{auth_url, username, user_id, password,
 * user_domain_name, user_domain_id, project_id, project_name, token, ak, sk, security_token},
 * region_name, ak/sk at cloud level, sdrs_endpoint_override. path NULL searches
 * $OS_CLIENT_CONFIG_FILE, ./clouds.yaml, $XDG_CONFIG_HOME/openstack/clouds.yaml (default
 * ~/.config/openstack), /etc/openstack/clouds.yaml; cloud NULL means $OS_CLOUD, else the only
 * cloud in the file. With path and cloud both NULL, no OS_CLOUD and no file found, nothing is
 * read and 0 is returned. Values never override setters or the environment. */
SDRS_API int sdrs_config_load_clouds_yaml(sdrs_config *cfg, const char *path, const char *cloud,
                                          sdrs_error **err);

/** Connect timeout in milliseconds (default 10000, range 1..600000). */
SDRS_API int sdrs_config_set_connect_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err);

/** Total timeout of one HTTP exchange in milliseconds (default 60000, range 1..3600000). A
 * per-call deadline (sdrs_call_opts_set_timeout_ms) shortens it further. */
SDRS_API int sdrs_config_set_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err);

/** PEM file with the CA certificates used to verify the server (default: the system store).
 * Checked now: it must be an existing, readable regular file (a directory is refused with
 * SDRS_EVALIDATION naming ca_file and the path). NULL restores the default. */
SDRS_API int sdrs_config_set_ca_file(sdrs_config *cfg, const char *path, sdrs_error **err);

/** Directory of CA certificates in OpenSSL's hashed format (c_rehash), used in addition to
 * the CA file. Must be an existing directory. NULL restores the default (none). */
SDRS_API int sdrs_config_set_ca_dir(sdrs_config *cfg, const char *path, sdrs_error **err);

/** Client certificate and private key (PEM files) for mutual TLS. Both or neither: NULL for
 * both removes them. Each must be an existing, readable regular file (checked now; the
 * message names cert_file or key_file and the path). key_password (may be NULL) decrypts an encrypted key; it is never logged
 * and is wiped when the config and the clients made from it are freed. */
SDRS_API int sdrs_config_set_client_cert(sdrs_config *cfg, const char *cert_file,
                                         const char *key_file, const char *key_password,
                                         sdrs_error **err);

/** DANGEROUS: skip != 0 turns off the check of the server's certificate chain AND host name,
 * so anyone on the network path can impersonate the service and read the token. For
 * throw-away test setups only. A client created with it logs a WARN line at creation and on
 * every request (when a log sink is set). Default 0: always verify. */
SDRS_API int sdrs_config_set_insecure_skip_tls_verify(sdrs_config *cfg, int skip,
                                                      sdrs_error **err);

/** Proxy for all requests ("http://host:port", "https://...", "socks5://...", "socks5h://...";
 * credentials in the URL are allowed and never logged). NULL (the default) means the
 * environment, read once when the client is made, by libcurl's rules: http_proxy for http,
 * https_proxy / HTTPS_PROXY for https, else all_proxy / ALL_PROXY (HTTP_PROXY is ignored, as
 * libcurl does). An empty string means no proxy at all, whatever the environment says.
 * no_proxy: comma-separated hosts or domains reached directly ("*" for all); NULL means the
 * environment's no_proxy / NO_PROXY, read when the client is made. */
SDRS_API int sdrs_config_set_proxy(sdrs_config *cfg, const char *proxy_url, const char *no_proxy,
                                   sdrs_error **err);

/** Low-speed abort: an exchange that transfers fewer than bytes_per_second bytes per second
 * for `seconds` seconds fails with SDRS_ETIMEOUT (and is retried where allowed). Default 1
 * byte/s for 30 s; bytes_per_second 0 disables it. Ranges: 0..1073741824 and 1..3600. */
SDRS_API int sdrs_config_set_low_speed(sdrs_config *cfg, int64_t bytes_per_second,
                                       int64_t seconds, sdrs_error **err);

/** Attempts per call (the first try included), range 1..10, default 4. Retries wait with
 * exponential backoff and full jitter (or as the server's Retry-After asks, up to 60 s) and
 * never go past the call deadline. GET, PUT and DELETE are retried on connection errors
 * (before or after sending), timeouts of one exchange, HTTP 429 and any 5xx, whatever SDRS
 * code the body carries; POST (create, actions) only on 429, 503 and when the request never
 * left (connection refused, DNS failure, connect timeout), so a create is never sent twice.
 * sdrs_error_retryable() and sdrs_error_outcome_unknown() state the rule per method;
 * sdrs_error_attempts() reports the count. */
SDRS_API int sdrs_config_set_max_attempts(sdrs_config *cfg, int32_t attempts, sdrs_error **err);

/** HTTP version preference (an sdrs_http_version). */
typedef enum sdrs_http_version {
  SDRS_HTTP_VERSION_AUTO = 0, /**< HTTP/2 when the server offers it over TLS, else HTTP/1.1 */
  SDRS_HTTP_VERSION_1_1 = 1,  /**< HTTP/1.1 only */
  SDRS_HTTP_VERSION_2 = 2     /**< prefer HTTP/2 (TLS ALPN), falling back to HTTP/1.1 */
} sdrs_http_version;

/** Selects an sdrs_http_version (default SDRS_HTTP_VERSION_AUTO). */
SDRS_API int sdrs_config_set_http_version(sdrs_config *cfg, int32_t version, sdrs_error **err);

/** Text appended to the User-Agent ("libsdrs/1.0.0 <suffix>"), printable ASCII, at most
 * 128 bytes. NULL clears it. */
SDRS_API int sdrs_config_set_user_agent_suffix(sdrs_config *cfg, const char *suffix,
                                               sdrs_error **err);

/** Largest response body accepted, in bytes (default 8 MiB, range 1024..1 GiB). A larger body
 * fails the call with SDRS_EPROTOCOL. */
SDRS_API int sdrs_config_set_max_response_bytes(sdrs_config *cfg, int64_t bytes, sdrs_error **err);

/** Log sink and the most verbose level passed to it (an sdrs_log_level). sink NULL disables
 * logging (the default). */
SDRS_API int sdrs_config_set_log_sink(sdrs_config *cfg, sdrs_log_sink sink, int32_t level,
                                      void *userdata, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_CONFIG_H */
