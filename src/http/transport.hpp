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
#include "http/options.hpp"

namespace sdrs {

struct TransferEnd;

struct HttpRequest {
  std::string method;                                        // GET, POST, PUT, DELETE
  std::string url;                                           // absolute
  std::string_view path;                                     // for log lines; caller-owned
  std::vector<std::pair<std::string, std::string>> headers;  // secrets allowed: masked in logs
  std::string_view body;     // caller-owned (and wiped by its owner when secret)
  bool secret_body = false;  // the body holds a password: never logged
  // A POST whose repetition does no harm (the IAM token request): a lost answer to it does
  // not make the outcome unknown. The retry rule still follows the method.
  bool repeat_safe = false;
  // A POST that only reads (the tag query): retried, re-sent and classified like a GET, so a
  // lost answer to it is never an unknown outcome.
  bool read_only = false;
  // The method the retry and outcome rules apply to.
  std::string_view rules_method() const { return read_only ? std::string_view("GET") : method; }

  // Adds a header; returns its value to fill in. On a request used again, the storage of the
  // values it had before reset_headers() is reused (a thread calling in a loop then allocates
  // nothing for its token or project id).
  std::string &add_header(std::string_view name) {
    std::string value;
    if (!spare_values_.empty()) {
      value = std::move(spare_values_.back());
      spare_values_.pop_back();
      value.clear();
    }
    headers.emplace_back(std::string(name), std::move(value));
    return headers.back().second;
  }
  // Removes every header, keeping their values' storage for add_header. Secret values must be
  // wiped first (wipe_secret_headers).
  void reset_headers() {
    for (auto &h : headers) spare_values_.push_back(std::move(h.second));
    headers.clear();
  }

 private:
  std::vector<std::string> spare_values_;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string request_id;
  std::string subject_token;       // IAM's X-Subject-Token (a secret: the caller wipes it)
  std::string retry_after;         // raw Retry-After header, empty when absent
  int32_t attempts = 1;            // exchanges made to get this response (retries included)
  int64_t sent_at_ms = INT64_MIN;  // Unix ms at which this response's request was sent
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
  // number of attempts made. A failure after a non-idempotent request was sent says the
  // outcome is unknown (ErrorInfo::outcome_unknown, sent_at_ms) and is never retryable.
  HttpResponse perform(const HttpRequest &request, const CallContext &ctx);
  // The same into `out`, whose body and request id keep their storage: a caller that passes
  // the same response object call after call (one per thread) makes no allocation for them.
  void perform(const HttpRequest &request, const CallContext &ctx, HttpResponse &out);

  // perform() without blocking, for many requests at once on one thread (http/multi.hpp).
  class Multi;

 private:
  struct Handle;
  struct Share;
  struct Attempt;
  std::unique_ptr<Handle> acquire();
  void configure(Handle &handle) const;
  void release(std::unique_ptr<Handle> handle);
  // One attempt: setup (per-request options, log lines), transfer, classify a failure.
  // storage: a response whose body and request id storage the attempt's response takes over
  // (may be null).
  Attempt exchange(const HttpRequest &request, const CallContext &ctx, int32_t attempt,
                   HttpResponse *storage);
  void setup(Handle &handle, const HttpRequest &request, const CallContext &ctx,
             int32_t attempt) const;
  Attempt conclude(Handle &handle, const HttpRequest &request, const CallContext &ctx,
                   int32_t attempt, Clock::time_point started, const TransferEnd &end) const;
  // Before attempt `attempt`: throws the cancel or deadline that ends the call first.
  static void check_sendable(const HttpRequest &request, const CallContext &ctx, int32_t attempt,
                             int32_t resends);
  // After attempt `attempt`: the delay before the next one, or -1 when `a` ends the call (its
  // response, attempts set, is the answer; a failure is thrown with its attempts).
  int64_t judge(const HttpRequest &request, const CallContext &ctx, Attempt &a, int32_t attempt,
                int32_t resends) const;
  void classify_failure(Attempt &out, const Handle &handle, const HttpRequest &request,
                        const CallContext &ctx, long status, int64_t elapsed_ms,
                        const TransferEnd &end) const;

  TransportOptions options_;
  ProxyChoice proxy_;  // read once: see choose_proxy
  std::string user_agent_;
  Logger logger_;
  std::unique_ptr<Share> share_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

}  // namespace sdrs
