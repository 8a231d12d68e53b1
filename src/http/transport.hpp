// HTTP over libcurl: the only code that knows curl. One Transport per client holds a pool of
// curl handles shared by all threads (connections and TLS sessions are reused per handle).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cancel.hpp"
#include "core/log.hpp"

namespace sdrs {

struct HttpRequest {
  std::string method;                                        // GET, POST, PUT, DELETE
  std::string url;                                           // absolute
  std::string_view path;                                     // for log lines; caller-owned
  std::vector<std::pair<std::string, std::string>> headers;  // secrets allowed: masked in logs
  std::string_view body;     // caller-owned (and wiped by its owner when secret)
  bool secret_body = false;  // the body holds a password: never logged
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string request_id;
  std::string subject_token;  // IAM's X-Subject-Token (a secret: the caller wipes it)
  std::string retry_after;    // raw Retry-After header, empty when absent
  int32_t attempts = 1;       // exchanges made to get this response (retries included)
};

// Per-call retry budget with exponential backoff and full jitter: before attempt n+1 the
// call sleeps a uniform random time in [0, min(cap_ms, base_ms * 2^(n-1))], or what the
// server's Retry-After asks for. The call deadline bounds all of it.
struct RetryPolicy {
  int32_t max_attempts = 4;
  int64_t base_ms = 100;
  int64_t cap_ms = 5000;
  int64_t max_retry_after_ms = 60000;  // a longer Retry-After ends the call instead
};

enum class HttpVersion : int32_t { kAuto = 0, kHttp1_1 = 1, kHttp2 = 2 };

struct TransportOptions {
  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 60000;
  std::string ca_file;
  std::string ca_dir;
  std::string client_cert;  // PEM file; with client_key enables mutual TLS
  std::string client_key;
  Secret client_key_password;
  bool insecure_skip_tls_verify = false;
  Secret proxy;          // may carry credentials; unset: the environment (HTTPS_PROXY)
  std::string no_proxy;  // empty: environment
  bool proxy_set = false;
  bool no_proxy_set = false;
  int64_t low_speed_limit = 1;  // bytes/s; 0 disables the low-speed abort
  int64_t low_speed_time_s = 30;
  HttpVersion http_version = HttpVersion::kAuto;
  std::string user_agent;
  int64_t max_response_bytes = INT64_C(8) * 1024 * 1024;
  bool allow_http = false;
  RetryPolicy retry;
};

class Transport {
 public:
  Transport(TransportOptions options, Logger logger);
  ~Transport();
  Transport(const Transport &) = delete;
  Transport &operator=(const Transport &) = delete;

  // Performs the request, retrying within the per-call budget (see RetryPolicy and
  // retry_decision). The last HTTP response is returned whatever its status; transport
  // failures (connect, TLS, timeout, cancel, oversized body) throw Failure. Both carry the
  // number of attempts made.
  HttpResponse perform(const HttpRequest &request, const CallContext &ctx);

 private:
  struct Handle;
  struct Share;
  struct Attempt;
  std::unique_ptr<Handle> acquire();
  void configure(Handle &handle) const;
  void release(std::unique_ptr<Handle> handle);
  Attempt exchange(const HttpRequest &request, const CallContext &ctx, int32_t attempt);

  TransportOptions options_;
  Logger logger_;
  std::unique_ptr<Share> share_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

// Header names whose values are never logged.
bool is_secret_header(std::string_view name);
// Wipes the values of the secret headers of a header list (see is_secret_header).
void wipe_secret_headers(std::vector<std::pair<std::string, std::string>> &headers);

// A body for a log line: values of JSON members whose name mentions a password, secret,
// token, credential or key material are replaced by "***".
std::string mask_body_secrets(const std::string &body);

// Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP-date, as milliseconds from `now`
// (0 for a date in the past); -1 when absent or unparsable.
int64_t parse_retry_after(const std::string &value, int64_t now_unix_s);

// Whether a request may be sent again. GET, PUT and DELETE are idempotent: retried on
// connection errors, exchange timeouts, 429, 500, 502, 503, 504. Anything else (POST create
// and the actions) only on 429, 503 (the server refused without acting) and when the request
// provably never reached the server (connection refused, DNS).
enum class FailureKind { kNone, kNeverSent, kConnection, kOther };
bool retry_decision(const std::string &method, long status, FailureKind failure);

// Full-jitter backoff delay before attempt `next_attempt` (2, 3, ...), from a uniform draw
// u in [0, 1).
int64_t backoff_delay_ms(const RetryPolicy &policy, int32_t next_attempt, double u);

}  // namespace sdrs
