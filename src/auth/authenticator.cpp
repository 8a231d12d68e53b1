#include "auth/authenticator.hpp"

#include <algorithm>
#include <chrono>

#include "auth/iam_codec.hpp"
#include "auth/signer.hpp"
#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"
#include "http/redact.hpp"
#include "http/retry_policy.hpp"
#include "http/transport.hpp"

namespace sdrs::auth {
namespace {

// "host[:port]" exactly as the Host header names it (curl omits default ports).
std::string host_header(const Endpoint &ep) {
  return ep.port == 0 ? ep.host : ep.host + ":" + std::to_string(ep.port);
}

// Catalog URLs carry "/v1/<project>" (auth.md 3.5); our paths add it themselves.
std::string strip_version_project(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  const auto v1 = url.rfind("/v1");
  if (v1 != std::string::npos && url.find("://") != std::string::npos && v1 > url.find("://") + 2 &&
      (v1 + 3 == url.size() || url[v1 + 3] == '/')) {
    url.erase(v1);
  }
  return url;
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

HeaderWiper::~HeaderWiper() {
  wipe_secret_headers(req_.headers);
}

Authenticator::Authenticator(const AuthSettings &c, bool allow_http, Transport &transport,
                             Logger logger)
    : transport_(transport),
      region_(effective_region(c)),
      project_id_(c.project_id),
      project_name_(c.project_name),
      logger_(logger),
      margin_ms_(c.token_refresh_margin_s * 1000),
      mode_(select_mode(c)),
      allow_http_(allow_http) {
  if (!c.endpoint.empty()) {
    configured_endpoint_ = parse_endpoint(c.endpoint, allow_http);
    configured_host_ = host_header(configured_endpoint_);
    has_endpoint_ = true;
  }
  if (!project_id_.empty()) {
    validate_path_segment("project_id", project_id_);
    project_known_.store(true, std::memory_order_release);
  }
  switch (mode_) {
    case Mode::kToken:
      static_token_ = c.token;
      break;
    case Mode::kAkSk:
      access_key_ = c.access_key;
      secret_key_ = c.secret_key;
      security_token_ = c.security_token;
      signer_ = std::make_unique<AccessSigner>(access_key_, secret_key_.get());
      break;
    case Mode::kPassword: {
      const std::string url =
          c.auth_url.empty() ? "https://iam." + region_ + ".otc.t-systems.com/v3" : c.auth_url;
      const Endpoint iam = parse_endpoint(url, allow_http, "auth_url");
      std::string base = iam.base_path;
      if (base.size() < 3 || base.compare(base.size() - 3, 3, "/v3") != 0) base += "/v3";
      tokens_url_ = iam.origin() + base + "/auth/tokens";
      user_name_ = c.username;
      user_id_ = c.user_id;
      user_domain_name_ = c.user_domain_name;
      user_domain_id_ = c.user_domain_id;
      password_ = c.password;
      break;
    }
  }
}

Authenticator::~Authenticator() = default;

const Endpoint &Authenticator::endpoint(const CallContext &ctx, Endpoint &scratch) {
  if (has_endpoint_) return configured_endpoint_;
  std::string url;
  if (mode_ == Mode::kPassword) {
    uint64_t g = 0;
    current_token(ctx, &g);
    std::lock_guard<std::mutex> lock(mu_);
    url = catalog_url_;
  }
  if (url.empty()) {
    if (region_.empty()) {
      fail(Code::kValidation,
           "endpoint: not configured, no region and no sdrs entry in the token's catalog");
    }
    url = "https://sdrs." + region_ + ".otc.t-systems.com";
  }
  scratch = parse_endpoint(strip_version_project(url), allow_http_);
  return scratch;
}

std::string Authenticator::project_id(const CallContext &ctx) {
  std::string id;
  append_project_id(id, ctx);
  return id;
}

void Authenticator::append_project_id(std::string &out, const CallContext &ctx) {
  if (project_known_.load(std::memory_order_acquire)) {
    out += project_id_;
    return;
  }
  uint64_t g = 0;
  current_token(ctx, &g);
  std::lock_guard<std::mutex> lock(mu_);
  if (project_id_.empty()) {
    fail(Code::kProtocol, "IAM token for project '" + project_name_ + "' names no project id");
  }
  out += project_id_;
}

Secret Authenticator::token(const CallContext &ctx) {
  if (mode_ == Mode::kAkSk) {
    fail(Code::kInval, "token: the client signs requests with an access key; it has no token");
  }
  uint64_t g = 0;
  return current_token(ctx, &g);
}

Secret Authenticator::current_token(const CallContext &ctx, uint64_t *generation) {
  if (mode_ == Mode::kToken) {
    *generation = 0;
    return static_token_;
  }
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t waited_for = 0;  // the refresh attempt this thread waited on, 0: none
  for (;;) {
    const bool fresh = generation_ != 0 && !stale_ && Clock::now() < refresh_at_;
    if (fresh) {
      *generation = generation_;
      return token_;
    }
    if (!refreshing_) {
      // The refresh we waited for failed: share its error rather than asking IAM again.
      if (waited_for != 0 && waited_for == attempts_ && last_error_) {
        std::rethrow_exception(last_error_);
      }
      refresh(ctx, lock);
      // The token just obtained serves this call even when it is already due (a lifetime
      // of 0): asking IAM again at once would loop for as long as IAM answers that way.
      *generation = generation_;
      return token_;
    }
    waited_for = attempts_;
    // Another thread is asking IAM: wait for its answer instead of asking again.
    if (ctx.canceled()) fail(Code::kCanceled, "canceled while waiting for an IAM token");
    if (ctx.has_deadline() && Clock::now() >= ctx.deadline) {
      fail(Code::kTimeout, "deadline expired while waiting for an IAM token");
    }
    cv_.wait_for(lock, std::chrono::milliseconds(20));
  }
}

// Called with the lock held and refreshing_ false; the IAM exchange runs unlocked.
void Authenticator::refresh(const CallContext &ctx, std::unique_lock<std::mutex> &lock) {
  refreshing_ = true;
  ++attempts_;
  last_error_ = nullptr;
  lock.unlock();
  struct Done {
    std::unique_lock<std::mutex> &lock;
    Authenticator &self;
    ~Done() {
      if (!lock.owns_lock()) lock.lock();
      self.refreshing_ = false;
      self.cv_.notify_all();
    }
  } done{lock, *this};
  try {
    fetch_token(ctx, lock);
  } catch (...) {
    lock.lock();
    // The refreshing call's own cancel or deadline says nothing about IAM: the threads that
    // waited for this refresh try again themselves instead of inheriting that error (a
    // watcher shutting down must not cancel another thread's call).
    const bool own_end = ctx.canceled() || (ctx.has_deadline() && Clock::now() >= ctx.deadline);
    if (!own_end) last_error_ = std::current_exception();
    throw;
  }
}

void Authenticator::fetch_token(const CallContext &ctx, std::unique_lock<std::mutex> &lock) {
  PasswordAuth a;
  a.user_name = user_name_;
  a.user_id = user_id_;
  a.user_domain_name = user_domain_name_;
  a.user_domain_id = user_domain_id_;
  a.password = &password_.get();
  a.project_name = project_name_;
  {
    std::lock_guard<std::mutex> g(mu_);
    a.project_id = project_id_;
  }
  HttpRequest req;
  req.method = "POST";
  req.url = tokens_url_;
  req.path = "/v3/auth/tokens";
  const Secret body(encode_password_auth(a));  // holds the password: wiped on every way out
  req.body = body.get();
  req.secret_body = true;
  req.repeat_safe = true;  // a second token request only makes a second token
  HeaderWiper wipe(req);
  logger_.log(LogLevel::kInfo, "requesting an IAM token for user '" +
                                   (user_id_.empty() ? user_name_ : user_id_) + "'");
  const auto sent = Clock::now();
  const int64_t sent_wall = wall_ms();
  HttpResponse resp = transport_.perform(req, ctx);
  Secret subject(std::move(resp.subject_token));
  if (resp.status != 201 && resp.status != 200) {
    ErrorInfo info;
    info.http_status = static_cast<int32_t>(resp.status);
    info.request_id = resp.request_id;
    ErrorBody eb;
    decode_error_body(resp.body, &eb);
    info.api_code = eb.api_code;
    info.code = map_http_error(info.http_status, eb.api_code);
    info.retryable = retry_decision(req.method, resp.status, FailureKind::kNone);
    if (resp.status == 401 || resp.status == 400 || resp.status == 403) info.code = Code::kAuth;
    info.message = "IAM token request for user '" + (user_id_.empty() ? user_name_ : user_id_) +
                   "' failed: HTTP " + std::to_string(resp.status) +
                   (eb.message.empty() ? "" : ": " + eb.message);
    info.attempts = 1;
    throw Failure(std::move(info));
  }
  if (subject.empty()) fail(Code::kProtocol, "IAM answered without an X-Subject-Token header");
  const TokenInfo ti = decode_token(resp.body, region_);
  // The lifetime comes from the server's own issued_at/expires_at pair, so a skewed local
  // clock does not shorten or stretch it.
  int64_t lifetime_ms = ti.issued_at_ms != kTimeNone && ti.expires_at_ms > ti.issued_at_ms
                            ? ti.expires_at_ms - ti.issued_at_ms
                            : ti.expires_at_ms - sent_wall;
  if (lifetime_ms < 0) lifetime_ms = 0;
  // A margin larger than half the lifetime would make every call refresh a short-lived token.
  const int64_t margin = std::min(margin_ms_, lifetime_ms / 2);

  lock.lock();
  token_ = subject;
  ++generation_;
  stale_ = false;
  refresh_at_ = sent + std::chrono::milliseconds(lifetime_ms - margin);
  if (!project_known_.load(std::memory_order_relaxed) && !ti.project_id.empty()) {
    project_id_ = ti.project_id;
    project_known_.store(true, std::memory_order_release);
  }
  if (!ti.sdrs_url.empty()) catalog_url_ = ti.sdrs_url;
  logger_.log(LogLevel::kInfo, "IAM token obtained, valid for " +
                                   std::to_string(lifetime_ms / 1000) + " s, refresh in " +
                                   std::to_string((lifetime_ms - margin) / 1000) + " s");
}

bool Authenticator::reject(uint64_t generation) {
  if (mode_ != Mode::kPassword) return false;
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) stale_ = true;
  return true;
}

uint64_t Authenticator::apply(HttpRequest &req, const Endpoint &ep, const CallContext &ctx) {
  if (mode_ == Mode::kToken) {  // no copy of the fixed token in between
    req.add_header("X-Auth-Token").assign(static_token_.get());
    return 0;
  }
  if (mode_ != Mode::kAkSk) {
    uint64_t g = 0;
    Secret t = current_token(ctx, &g);
    req.add_header("X-Auth-Token").assign(t.get());
    return g;
  }
  // Host is sent explicitly so the signed value is exactly the one on the wire (V5).
  std::string derived_host;
  const std::string &host =
      &ep == &configured_endpoint_ ? configured_host_ : (derived_host = host_header(ep));
  // The URL is origin ("scheme://" + the Host value) + wire path + query.
  const std::string_view rel = std::string_view(req.url).substr(ep.scheme.size() + 3 + host.size());
  const auto q = rel.find('?');
  char date[16];
  format_sdk_date(std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count(),
                  date);
  req.add_header("Host").assign(host);
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT") {
    req.add_header("Content-Type").assign("application/json");
  }
  req.add_header("X-Sdk-Date").assign(date, sizeof date);
  if (!security_token_.empty()) req.add_header("X-Security-Token").assign(security_token_.get());
  // Every header sent so far is signed. The Authorization header is taken out while the
  // signature is written into it, so its value's storage is reused too.
  req.add_header("Authorization");
  std::pair<std::string, std::string> authorization = std::move(req.headers.back());
  req.headers.pop_back();
  signer_->sign(authorization.second, req.method, rel.substr(0, q),
                q == std::string_view::npos ? std::string_view() : rel.substr(q + 1), req.headers,
                req.body, std::string_view(date, sizeof date));
  req.headers.push_back(std::move(authorization));
  return 0;
}

}  // namespace sdrs::auth
