#include "client/client.hpp"

#include <chrono>

#include "auth/authenticator.hpp"
#include "core/codec.hpp"
#include "core/error.hpp"
#include "http/retry_policy.hpp"
#include "http/transport.hpp"

namespace sdrs {
namespace {

constexpr size_t kMaxErrorBody = size_t{64} * 1024;
constexpr size_t kBodyPreview = 200;

// The start of a body for a message: printable ASCII only, so HTML or binary junk cannot
// garble a log line.
std::string preview(const std::string &body) {
  std::string out;
  for (const char ch : body.substr(0, kBodyPreview)) {
    const auto c = static_cast<unsigned char>(ch);
    out += (c >= 0x20 && c < 0x7f) ? ch : ' ';
  }
  if (body.size() > kBodyPreview) out += "...";
  return out;
}

// An SDRS.* code in an error body: the service itself answered (not a gateway in front).
bool service_code(const std::string &api_code) {
  return api_code.rfind("SDRS.", 0) == 0;
}

// rules: the method the retry and outcome rules apply to ("GET" for a read-only POST).
[[noreturn]] void throw_http_error(const char *method, const char *rules, const std::string &path,
                                   const HttpResponse &resp, int32_t attempts) {
  ErrorInfo info;
  info.http_status = static_cast<int32_t>(resp.status);
  info.request_id = resp.request_id;
  info.body = resp.body.substr(0, kMaxErrorBody);
  info.attempts = attempts;
  ErrorBody eb;
  const bool parsed = decode_error_body(resp.body, &eb);
  info.api_code = eb.api_code;
  info.code = map_http_error(info.http_status, eb.api_code);
  // Decided by the method and the wire event alone, as the transport decided its retries.
  info.retryable = retry_decision(rules, resp.status, FailureKind::kNone);
  info.outcome_unknown =
      answer_leaves_outcome_unknown(rules, resp.status, parsed && service_code(eb.api_code));
  std::string detail;
  if (parsed) {
    detail = eb.message.empty() ? "(no message)" : eb.message;
    if (!eb.api_code.empty()) detail = eb.api_code + ": " + detail;
  } else {
    detail = resp.body.empty() ? "empty body" : "non-JSON body: " + preview(resp.body);
  }
  info.message =
      std::string(method) + " " + path + ": HTTP " + std::to_string(resp.status) + ": " + detail;
  if (info.outcome_unknown) {
    info.sent_at_ms = resp.sent_at_ms;
    info.message +=
        "; the answer came from a gateway or without a service error code: the service may "
        "have acted on the request (not sent again; check what it did before repeating it: see "
        "sdrs_error_outcome_unknown)";
  }
  if (attempts > 1) info.message += " (after " + std::to_string(attempts) + " attempts)";
  throw Failure(std::move(info));
}

}  // namespace

Client::Client(const ClientConfig &config) : logger_(config.logger) {
  auth::select_mode(config.auth);  // settings errors before anything else
  transport_ = std::make_unique<Transport>(config.transport, logger_);
  auth_ = std::make_unique<auth::Authenticator>(config.auth, config.transport.allow_http,
                                                *transport_, logger_);
}

void Client::annotate_decode_failure(Failure &f, const char *method, const std::string &path,
                                     const HttpResponse &resp, bool read_only) {
  ErrorInfo &info = f.info();
  info.http_status = static_cast<int32_t>(resp.status);
  info.request_id = resp.request_id;
  info.body = resp.body.substr(0, kMaxErrorBody);
  info.attempts = resp.attempts;
  info.message =
      std::string(method) + " " + path + ": " + info.message + "; body: " + preview(resp.body);
  // A 2xx to a POST is the service saying it acted; what it made is in the lost answer.
  if (!idempotent(method) && !read_only) {
    info.outcome_unknown = true;
    info.retryable = false;
    info.sent_at_ms = resp.sent_at_ms;
    info.message +=
        "; the service accepted the request, but its answer could not be read: it may have "
        "acted on it (check what it did before repeating it: see sdrs_error_outcome_unknown)";
  }
}

Client::~Client() = default;

std::string Client::project_path(const CallContext &ctx, std::string_view a, std::string_view b,
                                 std::string_view c) {
  constexpr size_t kIdSize = 36;  // a UUID, dashed or not: one allocation in the usual case
  std::string path;
  path.reserve(4 + kIdSize + a.size() + b.size() + c.size());
  path += "/v1/";
  auth_->append_project_id(path, ctx);
  path.append(a).append(b).append(c);
  return path;
}

Secret Client::token(const CallContext &ctx) {
  return auth_->token(ctx);
}

std::string Client::project_id(const CallContext &ctx) {
  return auth_->project_id(ctx);
}

uint64_t Client::prepare_request(HttpRequest &req, const char *method, const std::string &path,
                                 std::string_view body, const CallContext &ctx) {
  Endpoint scratch;
  const Endpoint &ep = auth_->endpoint(ctx, scratch);
  // Everything is set anew: the request may be one used before (Client::call's per-thread
  // one), whose strings keep their storage.
  req.method = method;
  req.path = path;
  req.url.reserve(ep.url_prefix.size() + path.size());
  req.url.assign(ep.url_prefix).append(path);
  req.body = body;
  req.secret_body = false;
  req.repeat_safe = false;
  req.read_only = false;
  req.reset_headers();
  auth_->append_project_id(req.add_header("X-Project-Id"), ctx);
  return auth_->apply(req, ep, ctx);
}

bool Client::renew_after_401(const char *method, const std::string &path, const HttpResponse &resp,
                             uint64_t credential, int round) {
  // One fresh IAM token and one retry when the service rejects ours (expired or revoked).
  if (resp.status != 401 || round != 1 || !auth_->reject(credential)) return false;
  logger_.log(LogLevel::kInfo,
              std::string(method) + " " + path + ": token rejected (401), retrying with a new one");
  return true;
}

void Client::check_answer(const char *method, const std::string &path, const HttpResponse &resp,
                          bool read_only) {
  if (resp.status < 200 || resp.status > 299) {
    throw_http_error(method, read_only ? "GET" : method, path, resp, resp.attempts);
  }
}

void Client::no_content(const std::string &body) {
  decode_no_content(body);
}

struct CallSlot {
  HttpRequest request;
  HttpResponse response;
  bool busy = false;
};

namespace {

// Not inlined: GCC recomputes an inlined thread_local's address at every use, and in a shared
// library each computation is a call to __tls_get_addr.
__attribute__((noinline)) CallSlot &thread_slot() {
  thread_local CallSlot slot;
  return slot;
}

// A response body larger than this is not kept for the next call (lists can be megabytes).
constexpr size_t kKeptBodyCapacity = size_t{64} * 1024;

}  // namespace

Client::CallBuffers::CallBuffers() : slot_(&thread_slot()) {
  if (slot_->busy) {
    own_ = std::make_unique<CallSlot>();
    slot_ = own_.get();
  }
  slot_->busy = true;
}

Client::CallBuffers::~CallBuffers() {
  HttpResponse &resp = slot_->response;
  secure_wipe(resp.subject_token);
  if (resp.body.capacity() > kKeptBodyCapacity) std::string().swap(resp.body);
  slot_->busy = false;
}

HttpRequest &Client::CallBuffers::request() {
  return slot_->request;
}

HttpResponse &Client::CallBuffers::response() {
  return slot_->response;
}

const HttpResponse &Client::call(const char *method, const std::string &path, std::string_view body,
                                 const CallContext &ctx, CallBuffers &buffers, bool read_only) {
  // Every SDRS request this call sends counts in its attempts, the one after a token refresh
  // included; IAM token requests do not (error.h).
  int32_t earlier = 0;
  auto count_earlier = [&earlier](Failure &f, bool from_iam) {
    ErrorInfo &info = f.info();
    if (from_iam) {
      // The SDRS request itself was not sent (again): nothing of it can have been acted on.
      info.attempts = earlier;
      info.outcome_unknown = false;
      info.sent_at_ms = kTimeNone;
    } else {
      info.attempts += earlier;
    }
  };
  HttpRequest &req = buffers.request();
  HttpResponse &resp = buffers.response();
  for (int round = 1;; ++round) {
    const auth::HeaderWiper wipe(req);  // secret headers wiped on every way out
    uint64_t credential = 0;
    try {
      credential = prepare_request(req, method, path, body, ctx);
      req.read_only = read_only;
    } catch (Failure &f) {
      count_earlier(f, true);
      throw;
    }
    try {
      transport_->perform(req, ctx, resp);
    } catch (Failure &f) {
      count_earlier(f, false);
      throw;
    }
    if (renew_after_401(method, path, resp, credential, round)) {
      earlier += resp.attempts;
      continue;
    }
    resp.attempts += earlier;
    check_answer(method, path, resp, read_only);
    return resp;
  }
}

}  // namespace sdrs
