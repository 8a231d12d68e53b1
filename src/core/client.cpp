#include "core/client.hpp"

#include <chrono>

#include "auth/authenticator.hpp"
#include "core/codec.hpp"
#include "core/error.hpp"
#include "http/transport.hpp"

#ifndef SDRS_VERSION_TEXT
#define SDRS_VERSION_TEXT "unknown"
#endif

namespace sdrs {
namespace {

constexpr size_t kMaxErrorBody = size_t{64} * 1024;
constexpr size_t kBodyPreview = 200;

const char *action_key(PgAction a) {
  switch (a) {
    case PgAction::kStart:
      return "start-server-group";
    case PgAction::kStop:
      return "stop-server-group";
    case PgAction::kFailover:
      return "failover-server-group";
    case PgAction::kReverse:
      return "reverse-server-group";
  }
  return "";
}

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

// Decoding failures of a 2xx body carry the status and the body too.
template <typename Fn>
auto decode_or_fail(const char *method, const std::string &path, const HttpResponse &resp, Fn fn)
    -> decltype(fn(resp.body)) {
  try {
    return fn(resp.body);
  } catch (Failure &f) {
    ErrorInfo &info = f.info();
    info.http_status = static_cast<int32_t>(resp.status);
    info.request_id = resp.request_id;
    info.body = resp.body.substr(0, kMaxErrorBody);
    info.attempts = resp.attempts;
    info.message =
        std::string(method) + " " + path + ": " + info.message + "; body: " + preview(resp.body);
    throw;
  }
}

}  // namespace

template <typename Decode>
auto Client::exchange(const char *method, const std::string &path, const std::string &body,
                      const CallContext &ctx, Decode decode) -> decltype(decode(std::string())) {
  const HttpResponse resp = call(method, path, body, ctx);
  return decode_or_fail(method, path, resp, decode);
}

void validate_spec(const PgSpec &spec) {
  if (!spec.name) fail(Code::kValidation, "name: required");
  validate_name("name", *spec.name);
  if (spec.description) validate_description(*spec.description);
  const std::pair<const char *, const OptString *> required[] = {
      {"source_availability_zone", &spec.source_az},
      {"target_availability_zone", &spec.target_az},
      {"domain_id", &spec.domain_id},
      {"source_vpc_id", &spec.source_vpc_id}};
  for (const auto &r : required) {
    if (!*r.second) fail(Code::kValidation, std::string(r.first) + ": required");
    validate_required_text(r.first, **r.second);
  }
  if (*spec.source_az == *spec.target_az) {
    fail(Code::kValidation,
         "target_availability_zone: must differ from source_availability_zone (both '" +
             *spec.source_az + "')");
  }
}

std::string list_query_string(const ListQuery &q) {
  std::string s;
  auto add = [&s](const char *key, const std::string &value) {
    s += s.empty() ? "?" : "&";
    s += key;
    s += "=";
    s += url_encode(value);
  };
  if (q.limit) {
    validate_range("limit", *q.limit, 1, 1000);
    add("limit", std::to_string(*q.limit));
  }
  if (q.offset) {
    validate_range("offset", *q.offset, 0, INT32_MAX);
    add("offset", std::to_string(*q.offset));
  }
  if (q.status) add("status", *q.status);
  if (q.name) add("name", *q.name);
  if (q.query_type) add("query_type", *q.query_type);
  if (q.availability_zone) add("availability_zone", *q.availability_zone);
  return s;
}

Client::Client(const ClientConfig &config) : logger_(config.logger) {
  auth::select_mode(config);  // settings errors before anything else
  TransportOptions t;
  t.connect_timeout_ms = config.connect_timeout_ms;
  t.timeout_ms = config.timeout_ms;
  t.ca_file = config.ca_file;
  t.ca_dir = config.ca_dir;
  t.client_cert = config.client_cert;
  t.client_key = config.client_key;
  t.client_key_password = config.client_key_password;
  t.insecure_skip_tls_verify = config.insecure_skip_tls_verify;
  t.proxy = config.proxy;
  t.proxy_set = config.proxy_set;
  t.no_proxy = config.no_proxy;
  t.no_proxy_set = config.no_proxy_set;
  t.low_speed_limit = config.low_speed_limit;
  t.low_speed_time_s = config.low_speed_time_s;
  t.http_version = static_cast<HttpVersion>(config.http_version);
  t.retry.max_attempts = config.max_attempts;
  t.max_response_bytes = config.max_response_bytes;
  t.allow_http = config.allow_http;
  t.user_agent = std::string("libsdrs/") + SDRS_VERSION_TEXT;
  if (!config.user_agent_suffix.empty()) t.user_agent += " " + config.user_agent_suffix;
  transport_ = std::make_unique<Transport>(t, logger_);
  auth_ = std::make_unique<auth::Authenticator>(config, *transport_, logger_);
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

HttpResponse Client::call(const char *method, const std::string &path, const std::string &body,
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

std::string Client::create_pg(const PgSpec &spec, const CallContext &ctx) {
  validate_spec(spec);
  const std::string path = project_path(ctx, "/server-groups");
  return exchange("POST", path, encode_create(spec), ctx, decode_job_id);
}

Group Client::get_pg(const std::string &group_id, const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  const std::string path = project_path(ctx, "/server-groups/", group_id);
  return exchange("GET", path, "", ctx, decode_group_envelope);
}

Group Client::rename_pg(const std::string &group_id, const std::string &name,
                        const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  validate_name("name", name);
  const std::string path = project_path(ctx, "/server-groups/", group_id);
  return exchange("PUT", path, encode_rename(name), ctx, decode_group_envelope);
}

std::string Client::delete_pg(const std::string &group_id, const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  const std::string path = project_path(ctx, "/server-groups/", group_id);
  return exchange("DELETE", path, "", ctx, decode_job_id);
}

std::string Client::act_pg(const std::string &group_id, PgAction action,
                           const std::string &priority_station, const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  if (action == PgAction::kReverse) {
    static const char *const kStations[] = {"source", "target", nullptr};
    validate_one_of("priority_station", priority_station, kStations);
  }
  const std::string path = project_path(ctx, "/server-groups/", group_id, "/action");
  return exchange(
      "POST", path,
      encode_action(action_key(action), action == PgAction::kReverse ? priority_station : ""), ctx,
      decode_job_id);
}

GroupList Client::list_pg(const ListQuery &query, const CallContext &ctx) {
  const std::string path = project_path(ctx, "/server-groups") + list_query_string(query);
  return exchange("GET", path, "", ctx, decode_group_list);
}

DomainList Client::domains(const CallContext &ctx) {
  const std::string path = project_path(ctx, "/active-domains");
  return exchange("GET", path, "", ctx, decode_domains);
}

std::vector<ApiVersion> Client::api_versions(const CallContext &ctx) {
  return exchange("GET", "/", "", ctx, decode_versions);
}

ApiVersion Client::api_version(const std::string &version_id, const CallContext &ctx) {
  validate_path_segment("version_id", version_id);
  const std::string path = "/" + version_id;
  return exchange("GET", path, "", ctx, decode_version);
}

Job Client::poll_job(const std::string &job_id, const CallContext &ctx) {
  validate_path_segment("job_id", job_id);
  const std::string path = project_path(ctx, "/jobs/", job_id);
  return exchange("GET", path, "", ctx, decode_job);
}

}  // namespace sdrs
