// The transport's settings and the rules a value must follow before it is kept (files that
// must be readable, proxy URLs, header-bound text). Each rule throws Failure(kValidation)
// naming the field; values that may carry credentials never appear in a message.
#pragma once

#include <cstdint>
#include <string>

#include "core/log.hpp"
#include "http/retry_policy.hpp"

namespace sdrs {

enum class HttpVersion : int32_t { kAuto = 0, kHttp1_1 = 1, kHttp2 = 2 };

// The transport's settings, with their defaults (the only place they are written).
struct TransportOptions {
  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 60000;
  std::string ca_file;
  std::string ca_dir;
  std::string client_cert;  // PEM file; with client_key enables mutual TLS
  std::string client_key;
  Secret client_key_password;
  bool insecure_skip_tls_verify = false;
  Secret proxy;          // may carry credentials; unset: the environment (choose_proxy)
  std::string no_proxy;  // unset: the environment
  bool proxy_set = false;
  bool no_proxy_set = false;
  int64_t low_speed_limit = 1;  // bytes/s; 0 disables the low-speed abort
  int64_t low_speed_time_s = 30;
  HttpVersion http_version = HttpVersion::kAuto;
  std::string user_agent_suffix;  // appended to "libsdrs/<version>"
  int64_t max_response_bytes = INT64_C(8) * 1024 * 1024;
  bool allow_http = false;
  RetryPolicy retry;
};

// The setting rules. A NULL value clears the setting where the C API says so.
void set_ca_file(TransportOptions &o, const char *path);
void set_ca_dir(TransportOptions &o, const char *path);
void set_client_cert(TransportOptions &o, const char *cert_file, const char *key_file,
                     const char *key_password);
void set_proxy(TransportOptions &o, const char *proxy_url, const char *no_proxy);
void set_user_agent_suffix(TransportOptions &o, const char *suffix);

// The proxy of each scheme's requests ("": direct) and the hosts reached directly, fixed when
// a transport is made: the explicit settings, else the environment by libcurl's own rules
// (http_proxy; https_proxy, HTTPS_PROXY; then all_proxy, ALL_PROXY; no_proxy, NO_PROXY; an
// empty variable counts as unset; HTTP_PROXY is ignored, as libcurl does). libcurl would read
// those five variables again on every transfer (about 1.7k instructions per call); handing it
// the result explicitly skips that, the way Go's net/http reads them once per process.
struct ProxyChoice {
  Secret http;   // may carry credentials
  Secret https;  // may carry credentials
  std::string no_proxy;
};
using EnvLookup = const char *(*)(const char *name);
ProxyChoice choose_proxy(const TransportOptions &o, EnvLookup lookup);

// "libsdrs/<version>[ <suffix>]".
std::string user_agent(const TransportOptions &o);

}  // namespace sdrs
