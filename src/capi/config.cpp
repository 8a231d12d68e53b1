// sdrs/config.h: the config builder. Each setter checks its arguments and hands the value to
// the floor that owns the setting (auth/settings.hpp, http/options.hpp), which applies its rules.
#include "auth/settings.hpp"
#include "auth/sources.hpp"
#include "capi/handles.hpp"
#include "core/validate.hpp"
#include "http/options.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;

namespace {

template <typename Fn>
int set(sdrs_config *cfg, sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] { fn(need(cfg, "cfg")->config); });
}

int set_identifier(sdrs_config *cfg, const char *value, const char *field,
                   std::string sdrs::auth::AuthSettings::*member, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_identifier(c.auth, member, field, need_str(value, field));
  });
}

}  // namespace

extern "C" {

SDRS_API int sdrs_config_new(sdrs_config **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}

SDRS_API void sdrs_config_free(sdrs_config *cfg) {
  delete cfg;
}

SDRS_API int sdrs_config_set_endpoint(sdrs_config *cfg, const char *url, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_endpoint(c.auth, need_str(url, "url"), c.transport.allow_http);
  });
}

SDRS_API int sdrs_config_set_allow_http(sdrs_config *cfg, int allow, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) { c.transport.allow_http = allow != 0; });
}

SDRS_API int sdrs_config_set_project_id(sdrs_config *cfg, const char *project_id,
                                        sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_project_id(c.auth, need_str(project_id, "project_id"));
  });
}

SDRS_API int sdrs_config_set_token(sdrs_config *cfg, const char *token, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_token(c.auth, sdrs::Secret(need_str(token, "token")));
  });
}

SDRS_API int sdrs_config_set_auth_url(sdrs_config *cfg, const char *url, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_auth_url(c.auth, need_str(url, "url"));
  });
}

SDRS_API int sdrs_config_set_username(sdrs_config *cfg, const char *name, sdrs_error **err) {
  return set_identifier(cfg, name, "username", &sdrs::auth::AuthSettings::username, err);
}

SDRS_API int sdrs_config_set_user_id(sdrs_config *cfg, const char *user_id, sdrs_error **err) {
  return set_identifier(cfg, user_id, "user_id", &sdrs::auth::AuthSettings::user_id, err);
}

SDRS_API int sdrs_config_set_password(sdrs_config *cfg, const char *password, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_password(c.auth, sdrs::Secret(need_str(password, "password")));
  });
}

SDRS_API int sdrs_config_set_user_domain_name(sdrs_config *cfg, const char *name,
                                              sdrs_error **err) {
  return set_identifier(cfg, name, "user_domain_name", &sdrs::auth::AuthSettings::user_domain_name,
                        err);
}

SDRS_API int sdrs_config_set_user_domain_id(sdrs_config *cfg, const char *domain_id,
                                            sdrs_error **err) {
  return set_identifier(cfg, domain_id, "user_domain_id", &sdrs::auth::AuthSettings::user_domain_id,
                        err);
}

SDRS_API int sdrs_config_set_project_name(sdrs_config *cfg, const char *name, sdrs_error **err) {
  return set_identifier(cfg, name, "project_name", &sdrs::auth::AuthSettings::project_name, err);
}

SDRS_API int sdrs_config_set_region(sdrs_config *cfg, const char *region, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_region(c.auth, need_str(region, "region"));
  });
}

SDRS_API int sdrs_config_set_access_key(sdrs_config *cfg, const char *access_key,
                                        const char *secret_key, const char *security_token,
                                        sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    const std::string ak = need_str(access_key, "access_key");
    sdrs::auth::set_access_key(c.auth, ak, sdrs::Secret(need_str(secret_key, "secret_key")),
                               security_token);
  });
}

SDRS_API int sdrs_config_set_token_refresh_margin_s(sdrs_config *cfg, int64_t seconds,
                                                    sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::set_token_refresh_margin_s(c.auth, seconds);
  });
}

SDRS_API int sdrs_config_load_env(sdrs_config *cfg, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::AuthSettings copy = c.auth;  // all or nothing
    sdrs::auth::load_env(copy);
    c.auth = copy;
  });
}

SDRS_API int sdrs_config_load_clouds_yaml(sdrs_config *cfg, const char *path, const char *cloud,
                                          sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::auth::AuthSettings copy = c.auth;
    sdrs::auth::load_clouds_yaml(copy, path, cloud);
    c.auth = copy;
  });
}

SDRS_API int sdrs_config_set_connect_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("connect_timeout_ms", ms, 1, 600000);
    c.transport.connect_timeout_ms = ms;
  });
}

SDRS_API int sdrs_config_set_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("timeout_ms", ms, 1, 3600000);
    c.transport.timeout_ms = ms;
  });
}

SDRS_API int sdrs_config_set_ca_file(sdrs_config *cfg, const char *path, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) { sdrs::set_ca_file(c.transport, path); });
}

SDRS_API int sdrs_config_set_ca_dir(sdrs_config *cfg, const char *path, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) { sdrs::set_ca_dir(c.transport, path); });
}

SDRS_API int sdrs_config_set_client_cert(sdrs_config *cfg, const char *cert_file,
                                         const char *key_file, const char *key_password,
                                         sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::set_client_cert(c.transport, cert_file, key_file, key_password);
  });
}

SDRS_API int sdrs_config_set_insecure_skip_tls_verify(sdrs_config *cfg, int skip,
                                                      sdrs_error **err) {
  return set(cfg, err,
             [&](sdrs::ClientConfig &c) { c.transport.insecure_skip_tls_verify = skip != 0; });
}

SDRS_API int sdrs_config_set_proxy(sdrs_config *cfg, const char *proxy_url, const char *no_proxy,
                                   sdrs_error **err) {
  return set(cfg, err,
             [&](sdrs::ClientConfig &c) { sdrs::set_proxy(c.transport, proxy_url, no_proxy); });
}

SDRS_API int sdrs_config_set_low_speed(sdrs_config *cfg, int64_t bytes_per_second, int64_t seconds,
                                       sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("low_speed_bytes_per_second", bytes_per_second, 0, int64_t{1} << 30);
    sdrs::validate_range("low_speed_seconds", seconds, 1, 3600);
    c.transport.low_speed_limit = bytes_per_second;
    c.transport.low_speed_time_s = seconds;
  });
}

SDRS_API int sdrs_config_set_max_attempts(sdrs_config *cfg, int32_t attempts, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("max_attempts", attempts, 1, 10);
    c.transport.retry.max_attempts = attempts;
  });
}

SDRS_API int sdrs_config_set_http_version(sdrs_config *cfg, int32_t version, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("http_version", version, SDRS_HTTP_VERSION_AUTO, SDRS_HTTP_VERSION_2);
    c.transport.http_version = static_cast<sdrs::HttpVersion>(version);
  });
}

SDRS_API int sdrs_config_set_user_agent_suffix(sdrs_config *cfg, const char *suffix,
                                               sdrs_error **err) {
  return set(cfg, err,
             [&](sdrs::ClientConfig &c) { sdrs::set_user_agent_suffix(c.transport, suffix); });
}

SDRS_API int sdrs_config_set_max_response_bytes(sdrs_config *cfg, int64_t bytes, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("max_response_bytes", bytes, 1024, int64_t{1} << 30);
    c.transport.max_response_bytes = bytes;
  });
}

SDRS_API int sdrs_config_set_log_sink(sdrs_config *cfg, sdrs_log_sink sink, int32_t level,
                                      void *userdata, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    if (sink != nullptr) sdrs::validate_range("log level", level, SDRS_LOG_ERROR, SDRS_LOG_DEBUG);
    c.logger.sink = sink;
    c.logger.max_level = sink != nullptr ? level : 0;
    c.logger.userdata = userdata;
  });
}

}  // extern "C"
