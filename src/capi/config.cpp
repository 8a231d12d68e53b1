// Config builder, client, call options and cancel tokens.
#include <sys/stat.h>
#include <unistd.h>

#include "auth/sources.hpp"
#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::Code;
using sdrs::fail;
using sdrs::secure_wipe;
using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;

namespace {

// Header values must not be able to inject a second header line.
void check_header_value(const char *field, const std::string &value, size_t max_len) {
  if (value.empty()) fail(Code::kValidation, std::string(field) + ": must not be empty");
  if (value.size() > max_len) {
    fail(Code::kValidation, std::string(field) + ": must be at most " + std::to_string(max_len) +
                                " bytes (got " + std::to_string(value.size()) + ")");
  }
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f) {
      fail(Code::kValidation,
           std::string(field) + ": must be printable ASCII (no CR/LF or control characters)");
    }
  }
}

template <typename Fn>
int set(sdrs_config *cfg, sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] { fn(need(cfg, "cfg")->config); });
}

// A plain identifier setting (user name, domain, region...): non-empty clean UTF-8.
int set_text(sdrs_config *cfg, const char *value, const char *field,
             std::string sdrs::ClientConfig::*member, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    const std::string v = need_str(value, field);
    sdrs::validate_required_text(field, v);
    c.*member = v;
    sdrs::auth::mark_explicit(c, field);
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
    const std::string u = need_str(url, "url");
    sdrs::parse_endpoint(u, c.allow_http);  // validates now; the client parses again
    c.endpoint = u;
    sdrs::auth::mark_explicit(c, "endpoint");
  });
}

SDRS_API int sdrs_config_set_allow_http(sdrs_config *cfg, int allow, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) { c.allow_http = allow != 0; });
}

SDRS_API int sdrs_config_set_project_id(sdrs_config *cfg, const char *project_id,
                                        sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    const std::string p = need_str(project_id, "project_id");
    sdrs::validate_path_segment("project_id", p);
    c.project_id = p;
    sdrs::auth::mark_explicit(c, "project_id");
  });
}

SDRS_API int sdrs_config_set_token(sdrs_config *cfg, const char *token, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::Secret t(need_str(token, "token"));
    // Never echo the value: only its size may appear in the message.
    check_header_value("token", t.get(), 65536);
    c.token = t;
    sdrs::auth::mark_explicit(c, "token");
  });
}

SDRS_API int sdrs_config_set_auth_url(sdrs_config *cfg, const char *url, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    const std::string u = need_str(url, "url");
    sdrs::parse_endpoint(u, true);  // form only: http:// is judged by sdrs_client_new
    c.auth_url = u;
    sdrs::auth::mark_explicit(c, "auth_url");
  });
}

SDRS_API int sdrs_config_set_username(sdrs_config *cfg, const char *name, sdrs_error **err) {
  return set_text(cfg, name, "username", &sdrs::ClientConfig::username, err);
}

SDRS_API int sdrs_config_set_user_id(sdrs_config *cfg, const char *user_id, sdrs_error **err) {
  return set_text(cfg, user_id, "user_id", &sdrs::ClientConfig::user_id, err);
}

SDRS_API int sdrs_config_set_password(sdrs_config *cfg, const char *password, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::Secret p(need_str(password, "password"));
    if (p.empty()) fail(Code::kValidation, "password: must not be empty");
    if (p.get().size() > 4096 || !sdrs::is_clean_utf8(p.get())) {
      fail(Code::kValidation,
           "password: must be valid UTF-8 without control characters, at "
           "most 4096 bytes");
    }
    c.password = p;
    sdrs::auth::mark_explicit(c, "password");
  });
}

SDRS_API int sdrs_config_set_user_domain_name(sdrs_config *cfg, const char *name,
                                              sdrs_error **err) {
  return set_text(cfg, name, "user_domain_name", &sdrs::ClientConfig::user_domain_name, err);
}

SDRS_API int sdrs_config_set_user_domain_id(sdrs_config *cfg, const char *domain_id,
                                            sdrs_error **err) {
  return set_text(cfg, domain_id, "user_domain_id", &sdrs::ClientConfig::user_domain_id, err);
}

SDRS_API int sdrs_config_set_project_name(sdrs_config *cfg, const char *name, sdrs_error **err) {
  return set_text(cfg, name, "project_name", &sdrs::ClientConfig::project_name, err);
}

SDRS_API int sdrs_config_set_region(sdrs_config *cfg, const char *region, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    const std::string r = need_str(region, "region");
    // It becomes part of host names.
    if (r.empty() || r.size() > 64 ||
        r.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
      fail(Code::kValidation,
           "region: must be 1..64 characters of a-z, 0-9 and '-' (got '" + r.substr(0, 64) + "')");
    }
    c.region = r;
    sdrs::auth::mark_explicit(c, "region");
  });
}

SDRS_API int sdrs_config_set_access_key(sdrs_config *cfg, const char *access_key,
                                        const char *secret_key, const char *security_token,
                                        sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    const std::string ak = need_str(access_key, "access_key");
    sdrs::Secret sk(need_str(secret_key, "secret_key"));
    sdrs::Secret st(security_token != nullptr ? security_token : "");
    check_header_value("access_key", ak, 256);
    check_header_value("secret_key", sk.get(), 256);
    if (security_token != nullptr) check_header_value("security_token", st.get(), 65536);
    c.access_key = ak;
    c.secret_key = sk;
    c.security_token = st;
    sdrs::auth::mark_explicit(c, "access_key");
    sdrs::auth::mark_explicit(c, "secret_key");
    sdrs::auth::mark_explicit(c, "security_token");
  });
}

SDRS_API int sdrs_config_set_token_refresh_margin_s(sdrs_config *cfg, int64_t seconds,
                                                    sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("token_refresh_margin_s", seconds, 0, 86400);
    c.token_refresh_margin_s = seconds;
  });
}

SDRS_API int sdrs_config_load_env(sdrs_config *cfg, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::ClientConfig copy = c;  // all or nothing
    sdrs::auth::load_env(copy);
    c = copy;
  });
}

SDRS_API int sdrs_config_load_clouds_yaml(sdrs_config *cfg, const char *path, const char *cloud,
                                          sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::ClientConfig copy = c;
    sdrs::auth::load_clouds_yaml(copy, path, cloud);
    c = copy;
  });
}

SDRS_API int sdrs_config_set_connect_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("connect_timeout_ms", ms, 1, 600000);
    c.connect_timeout_ms = ms;
  });
}

SDRS_API int sdrs_config_set_timeout_ms(sdrs_config *cfg, int64_t ms, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("timeout_ms", ms, 1, 3600000);
    c.timeout_ms = ms;
  });
}

SDRS_API int sdrs_config_set_ca_file(sdrs_config *cfg, const char *path, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    if (path == nullptr) {
      c.ca_file.clear();
      return;
    }
    const std::string p(path);
    if (p.empty() || access(p.c_str(), R_OK) != 0) {
      fail(Code::kValidation, "ca_file: '" + p + "' does not exist or is not readable");
    }
    c.ca_file = p;
  });
}

SDRS_API int sdrs_config_set_ca_dir(sdrs_config *cfg, const char *path, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    if (path == nullptr) {
      c.ca_dir.clear();
      return;
    }
    const std::string p(path);
    struct stat st {};
    if (p.empty() || stat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
        access(p.c_str(), R_OK | X_OK) != 0) {
      fail(Code::kValidation, "ca_dir: '" + p + "' is not a readable directory");
    }
    c.ca_dir = p;
  });
}

SDRS_API int sdrs_config_set_client_cert(sdrs_config *cfg, const char *cert_file,
                                         const char *key_file, const char *key_password,
                                         sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    if (cert_file == nullptr && key_file == nullptr) {
      c.client_cert.clear();
      c.client_key.clear();
      c.client_key_password = sdrs::Secret();
      return;
    }
    if (cert_file == nullptr) fail(Code::kValidation, "cert_file: required with key_file");
    if (key_file == nullptr) fail(Code::kValidation, "key_file: required with cert_file");
    const std::pair<const char *, const char *> files[] = {{"cert_file", cert_file},
                                                           {"key_file", key_file}};
    for (const auto &f : files) {
      if (f.second[0] == '\0' || access(f.second, R_OK) != 0) {
        fail(Code::kValidation,
             std::string(f.first) + ": '" + f.second + "' does not exist or is not readable");
      }
    }
    c.client_cert = cert_file;
    c.client_key = key_file;
    c.client_key_password = sdrs::Secret(key_password != nullptr ? key_password : "");
  });
}

SDRS_API int sdrs_config_set_insecure_skip_tls_verify(sdrs_config *cfg, int skip,
                                                      sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) { c.insecure_skip_tls_verify = skip != 0; });
}

SDRS_API int sdrs_config_set_proxy(sdrs_config *cfg, const char *proxy_url, const char *no_proxy,
                                   sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    std::string url;
    if (proxy_url != nullptr && proxy_url[0] != '\0') {
      url = proxy_url;
      // The message never echoes the URL: it may carry credentials.
      check_header_value("proxy_url", url, 2048);
      static const char *const kSchemes[] = {"http://",    "https://",  "socks4://",
                                             "socks4a://", "socks5://", "socks5h://"};
      bool known = false;
      for (const char *scheme : kSchemes) known = known || url.rfind(scheme, 0) == 0;
      if (!known || url.find(' ') != std::string::npos) {
        fail(Code::kValidation,
             "proxy_url: must start with http://, https://, socks4://, socks4a://, socks5:// "
             "or socks5h://");
      }
    }
    std::string np;
    if (no_proxy != nullptr) {
      np = no_proxy;
      if (!np.empty()) check_header_value("no_proxy", np, 4096);
      if (np.find(' ') != std::string::npos && np.find(',') == std::string::npos) {
        fail(Code::kValidation, "no_proxy: separate hosts with commas");
      }
    }
    c.proxy_set = proxy_url != nullptr;
    c.proxy = sdrs::Secret(url);
    secure_wipe(url);
    c.no_proxy_set = no_proxy != nullptr;
    c.no_proxy = np;
  });
}

SDRS_API int sdrs_config_set_low_speed(sdrs_config *cfg, int64_t bytes_per_second, int64_t seconds,
                                       sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("low_speed_bytes_per_second", bytes_per_second, 0, int64_t{1} << 30);
    sdrs::validate_range("low_speed_seconds", seconds, 1, 3600);
    c.low_speed_limit = bytes_per_second;
    c.low_speed_time_s = seconds;
  });
}

SDRS_API int sdrs_config_set_max_attempts(sdrs_config *cfg, int32_t attempts, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("max_attempts", attempts, 1, 10);
    c.max_attempts = attempts;
  });
}

SDRS_API int sdrs_config_set_http_version(sdrs_config *cfg, int32_t version, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("http_version", version, SDRS_HTTP_VERSION_AUTO, SDRS_HTTP_VERSION_2);
    c.http_version = version;
  });
}

SDRS_API int sdrs_config_set_user_agent_suffix(sdrs_config *cfg, const char *suffix,
                                               sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    if (suffix == nullptr) {
      c.user_agent_suffix.clear();
      return;
    }
    check_header_value("user_agent_suffix", suffix, 128);
    c.user_agent_suffix = suffix;
  });
}

SDRS_API int sdrs_config_set_max_response_bytes(sdrs_config *cfg, int64_t bytes, sdrs_error **err) {
  return set(cfg, err, [&](sdrs::ClientConfig &c) {
    sdrs::validate_range("max_response_bytes", bytes, 1024, int64_t{1} << 30);
    c.max_response_bytes = bytes;
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

SDRS_API int sdrs_client_new(sdrs_client **out, const sdrs_config *cfg, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::ClientConfig &c = need(cfg, "cfg")->config;
    *out = new sdrs_client{std::make_shared<sdrs::Client>(c)};
  });
}

SDRS_API void sdrs_client_free(sdrs_client *client) {
  delete client;
}

SDRS_API int sdrs_client_token(char **out, sdrs_client *client, const sdrs_call_opts *opts,
                               sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::Secret t = need(client, "client")->impl->token(sdrs::capi::call_context(opts));
    *out = sdrs::capi::dup_string(t.get());
  });
}

SDRS_API int sdrs_client_project_id(char **out, sdrs_client *client, const sdrs_call_opts *opts,
                                    sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    *out = sdrs::capi::dup_string(
        need(client, "client")->impl->project_id(sdrs::capi::call_context(opts)));
  });
}

SDRS_API int sdrs_call_opts_new(sdrs_call_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}

SDRS_API void sdrs_call_opts_free(sdrs_call_opts *opts) {
  delete opts;
}

SDRS_API int sdrs_call_opts_set_timeout_ms(sdrs_call_opts *opts, int64_t ms, sdrs_error **err) {
  return guarded(err, [&] {
    need(opts, "opts");
    sdrs::validate_range("timeout_ms", ms, 0, INT64_C(86400000) * 365);
    opts->timeout_ms = ms;
  });
}

SDRS_API int sdrs_call_opts_set_cancel(sdrs_call_opts *opts, sdrs_cancel *cancel,
                                       sdrs_error **err) {
  return guarded(err, [&] { need(opts, "opts")->cancel = cancel; });
}

SDRS_API int sdrs_cancel_new(sdrs_cancel **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}

SDRS_API void sdrs_cancel_free(sdrs_cancel *cancel) {
  delete cancel;
}

SDRS_API void sdrs_cancel_trigger(sdrs_cancel *cancel) {
  if (cancel != nullptr) cancel->token.trigger();
}

SDRS_API int sdrs_cancel_is_triggered(const sdrs_cancel *cancel) {
  return cancel != nullptr && cancel->token.triggered() ? 1 : 0;
}

SDRS_API void sdrs_cancel_reset(sdrs_cancel *cancel) {
  if (cancel != nullptr) cancel->token.reset();
}

}  // extern "C"
