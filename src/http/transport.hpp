// HTTP over libcurl: the only code that knows curl. One Transport per client holds a pool of
// curl handles shared by all threads (connections and TLS sessions are reused per handle).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/cancel.hpp"
#include "core/log.hpp"

namespace sdrs {

struct HttpRequest {
  std::string method;                                        // GET, POST, PUT, DELETE
  std::string url;                                           // absolute
  std::string path;                                          // for log lines
  std::vector<std::pair<std::string, std::string>> headers;  // secrets allowed: masked in logs
  std::string body;
  bool secret_body = false;  // the body holds a password: never logged
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string request_id;
  std::string content_type;
  std::string subject_token;  // IAM's X-Subject-Token (a secret: the caller wipes it)
};

struct TransportOptions {
  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 60000;
  std::string ca_file;
  std::string user_agent;
  int64_t max_response_bytes = INT64_C(8) * 1024 * 1024;
  bool allow_http = false;
};

class Transport {
 public:
  Transport(TransportOptions options, Logger logger);
  ~Transport();
  Transport(const Transport &) = delete;
  Transport &operator=(const Transport &) = delete;

  // Performs one exchange. Any HTTP status is returned as a response; transport failures
  // (connect, TLS, timeout, cancel, oversized body) throw Failure.
  HttpResponse perform(const HttpRequest &request, const CallContext &ctx);

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  TransportOptions options_;
  Logger logger_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

// Header names whose values are never logged.
bool is_secret_header(const std::string &name);

}  // namespace sdrs
