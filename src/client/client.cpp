#include "client/client.hpp"

#include <chrono>

#include "auth/authenticator.hpp"
#include "core/codec.hpp"
#include "core/error.hpp"
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

[[noreturn]] void throw_http_error(const char *method, const std::string &path,
                                   const HttpResponse &resp) {
  ErrorInfo info;
  info.http_status = static_cast<int32_t>(resp.status);
  info.request_id = resp.request_id;
  info.body = resp.body.substr(0, kMaxErrorBody);
  info.attempts = resp.attempts;
  ErrorBody eb;
  const bool parsed = decode_error_body(resp.body, &eb);
  info.api_code = eb.api_code;
  info.code = map_http_error(info.http_status, eb.api_code, &info.retryable);
  std::string detail;
  if (parsed) {
    detail = eb.message.empty() ? "(no message)" : eb.message;
    if (!eb.api_code.empty()) detail = eb.api_code + ": " + detail;
  } else {
    detail = resp.body.empty() ? "empty body" : "non-JSON body: " + preview(resp.body);
  }
  info.message =
      std::string(method) + " " + path + ": HTTP " + std::to_string(resp.status) + ": " + detail;
  if (resp.attempts > 1) info.message += " (after " + std::to_string(resp.attempts) + " attempts)";
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
                                     const HttpResponse &resp) {
  ErrorInfo &info = f.info();
  info.http_status = static_cast<int32_t>(resp.status);
  info.request_id = resp.request_id;
  info.body = resp.body.substr(0, kMaxErrorBody);
  info.attempts = resp.attempts;
  info.message =
      std::string(method) + " " + path + ": " + info.message + "; body: " + preview(resp.body);
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

HttpResponse Client::call(const char *method, const std::string &path, std::string_view body,
                          const CallContext &ctx) {
  Endpoint scratch;
  const Endpoint &ep = auth_->endpoint(ctx, scratch);
  for (int attempt = 1;; ++attempt) {
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.url.reserve(ep.scheme.size() + 3 + ep.host.size() + 6 + ep.base_path.size() + path.size());
    ep.append_origin(req.url);
    req.url.append(ep.base_path).append(path);
    req.body = body;
    req.headers.reserve(2);
    req.headers.emplace_back("X-Project-Id", std::string());
    auth_->append_project_id(req.headers.back().second, ctx);
    auth::HeaderWiper wipe(req);
    const uint64_t credential = auth_->apply(req, ep, ctx);
    HttpResponse resp = transport_->perform(req, ctx);
    // One fresh IAM token and one retry when the service rejects ours (expired or revoked).
    if (resp.status == 401 && attempt == 1 && auth_->reject(credential)) {
      logger_.log(LogLevel::kInfo, std::string(method) + " " + path +
                                       ": token rejected (401), retrying with a new one");
      continue;
    }
    if (resp.status < 200 || resp.status > 299) throw_http_error(method, path, resp);
    return resp;
  }
}

}  // namespace sdrs
