// How a client proves its identity (auth.md): a fixed IAM token, an IAM password exchanged for
// tokens that are cached and refreshed, or AK/SK request signing. Thread-safe: one instance per
// client, shared by all threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>

#include "core/cancel.hpp"
#include "core/log.hpp"
#include "auth/settings.hpp"
#include "core/url.hpp"

namespace sdrs {

struct HttpRequest;
class Transport;

namespace auth {

// Wipes the values of secret headers of a request when it goes out of scope.
class HeaderWiper {
 public:
  explicit HeaderWiper(HttpRequest &req) : req_(req) {}
  ~HeaderWiper();
  HeaderWiper(const HeaderWiper &) = delete;
  HeaderWiper &operator=(const HeaderWiper &) = delete;

 private:
  HttpRequest &req_;
};

class AccessSigner;

class Authenticator {
 public:
  // Validates the settings (select_mode); performs no I/O. allow_http: whether endpoints
  // (configured, IAM, catalog) may be plain http (the transport's setting).
  Authenticator(const AuthSettings &c, bool allow_http, Transport &transport, Logger logger);
  ~Authenticator();
  Authenticator(const Authenticator &) = delete;
  Authenticator &operator=(const Authenticator &) = delete;

  Mode mode() const { return mode_; }

  // The SDRS endpoint: configured, else the token catalog's sdrs entry (password mode; may
  // authenticate first), else derived from the region. Returns the configured endpoint itself
  // (no copy per request), else `scratch` filled in.
  const Endpoint &endpoint(const CallContext &ctx, Endpoint &scratch);
  // The project id: configured, else learned from the token's scope (may authenticate).
  std::string project_id(const CallContext &ctx);
  // Appends the project id to `out` (what every request path and X-Project-Id need).
  void append_project_id(std::string &out, const CallContext &ctx);

  // Adds the authentication headers to a request whose url, path and body are final. Returns
  // the generation of the token used (0 for static credentials), for reject().
  uint64_t apply(HttpRequest &req, const Endpoint &ep, const CallContext &ctx);
  // The service answered 401 to a request authenticated with `generation`. Returns true when
  // retrying with a fresh token may help (password mode); the token is refreshed on next use,
  // once, however many threads report the same rejected token.
  bool reject(uint64_t generation);

  // A valid token (token and password modes); kInval for AK/SK.
  Secret token(const CallContext &ctx);

 private:
  Secret current_token(const CallContext &ctx, uint64_t *generation);
  void refresh(const CallContext &ctx, std::unique_lock<std::mutex> &lock);
  void fetch_token(const CallContext &ctx, std::unique_lock<std::mutex> &lock);

  // Ordered by size to avoid padding.
  Transport &transport_;
  Endpoint configured_endpoint_;
  std::string configured_host_;  // its Host header value (AK/SK signs it on every request)
  std::string region_;
  // Written once, under mu_, while empty; never changed after project_known_ is set, so readers
  // that see project_known_ read it without the lock (two lock round trips per request less).
  std::string project_id_;
  std::string project_name_;
  std::string tokens_url_;
  std::string user_name_, user_id_, user_domain_name_, user_domain_id_;
  Secret password_;
  Secret static_token_;
  std::string access_key_;
  Secret secret_key_;
  Secret security_token_;
  std::unique_ptr<AccessSigner> signer_;  // AK/SK mode: keyed once
  Logger logger_;
  int64_t margin_ms_;

  std::mutex mu_;
  std::condition_variable cv_;
  Secret token_;
  std::string catalog_url_;
  std::exception_ptr last_error_;  // of the latest refresh, when it failed
  Clock::time_point refresh_at_{};
  uint64_t generation_ = 0;  // 0: no token yet
  uint64_t attempts_ = 0;    // refreshes started
  Mode mode_;
  bool allow_http_;
  bool has_endpoint_ = false;
  bool refreshing_ = false;
  bool stale_ = false;
  std::atomic<bool> project_known_{false};
};

}  // namespace auth
}  // namespace sdrs
