#include "faults.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace emu {
namespace {

struct KindName {
  const char *name;
  FaultKind kind;
};
const KindName kKinds[] = {
    {"status", FaultKind::kStatus},
    {"delay", FaultKind::kDelay},
    {"stall_mid_body", FaultKind::kStallMidBody},
    {"close_before", FaultKind::kCloseBefore},
    {"close_after", FaultKind::kCloseAfter},
    {"truncated_json", FaultKind::kTruncatedJson},
    {"malformed_json", FaultKind::kMalformedJson},
    {"oversized_body", FaultKind::kOversizedBody},
    {"wrong_content_type", FaultKind::kWrongContentType},
    {"slow_body", FaultKind::kSlowBody},
    // The names of issue 19's fault matrix, for the same kinds.
    {"truncated_body", FaultKind::kTruncatedJson},
    {"garbage_200", FaultKind::kMalformedJson},
    {"oversized_200", FaultKind::kOversizedBody},
    {"stalled_transfer", FaultKind::kStallMidBody},
    {"slow_response", FaultKind::kDelay},
};

std::vector<std::string> split_path(const std::string &path) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= path.size() && path.size() > 1) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    if (next > pos) out.emplace_back(path, pos, next - pos);
    pos = next + 1;
  }
  return out;
}

// "POST /server-groups", "GET /jobs/*", "/replications/**"; false when malformed.
bool parse_route(const std::string &route, FaultRule *r) {
  size_t slash = route.find('/');
  if (slash == std::string::npos) return false;
  std::string method = route.substr(0, slash);
  while (!method.empty() && method.back() == ' ') method.pop_back();
  if (method == "*") method.clear();
  for (char c : method) {
    if (c < 'A' || c > 'Z') return false;
  }
  r->route_method = method;
  r->route_segments = split_path(route.substr(slash));
  for (size_t i = 0; i < r->route_segments.size(); i++) {
    if (r->route_segments[i] == "**" && i + 1 != r->route_segments.size()) return false;
  }
  return true;
}

bool route_matches(const FaultRule &r, const std::string &method, const std::string &path) {
  if (!r.route_method.empty() && r.route_method != method) return false;
  std::vector<std::string> segs = split_path(path);
  const bool absolute =
      !r.route_segments.empty() && (r.route_segments[0] == "v1" || r.route_segments[0] == "v3");
  if (!absolute) {
    // Relative to /v1/{project_id}.
    if (segs.size() < 2 || segs[0] != "v1") return false;
    segs.erase(segs.begin(), segs.begin() + 2);
  }
  const std::vector<std::string> &pat = r.route_segments;
  for (size_t i = 0; i < pat.size(); i++) {
    if (pat[i] == "**") return true;
    if (i >= segs.size()) return false;
    if (pat[i] != "*" && pat[i] != segs[i]) return false;
  }
  return segs.size() == pat.size();
}

void write_json_string(rapidjson::Writer<rapidjson::StringBuffer> &w, const std::string &s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

bool get_int(const rapidjson::Value &obj, const char *key, int64_t lo, int64_t hi, int64_t *out,
             std::string *error) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return true;
  if (!it->value.IsInt64() || it->value.GetInt64() < lo || it->value.GetInt64() > hi) {
    *error = std::string(key) + ": must be an integer in " + std::to_string(lo) + ".." +
             std::to_string(hi);
    return false;
  }
  *out = it->value.GetInt64();
  return true;
}

bool get_str(const rapidjson::Value &obj, const char *key, std::string *out, bool *present,
             std::string *error) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return true;
  if (!it->value.IsString()) {
    *error = std::string(key) + ": must be a string";
    return false;
  }
  out->assign(it->value.GetString(), it->value.GetStringLength());
  if (present != nullptr) *present = true;
  return true;
}

}  // namespace

bool Faults::add(const std::string &json, int64_t *id, std::string *error) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError() || !d.IsObject()) {
    *error = "rule: must be a JSON object";
    return false;
  }
  FaultRule r;
  std::string kind;
  int64_t status = r.status;
  if (!get_str(d, "kind", &kind, nullptr, error) ||
      !get_str(d, "method", &r.method, nullptr, error) ||
      !get_str(d, "path", &r.path_prefix, nullptr, error) ||
      !get_str(d, "path_regex", &r.path_regex, nullptr, error) ||
      !get_str(d, "body", &r.body, &r.has_body, error) ||
      !get_str(d, "retry_after", &r.retry_after, nullptr, error) ||
      !get_str(d, "content_type", &r.content_type, nullptr, error) ||
      !get_str(d, "route", &r.route, nullptr, error) ||
      !get_str(d, "code", &r.code, nullptr, error) ||
      !get_str(d, "message", &r.message, nullptr, error) ||
      !get_str(d, "error_class", &r.error_class, nullptr, error) ||
      !get_int(d, "after", 0, 1000000000, &r.after, error) ||
      !get_int(d, "chunk", 1, 1 << 20, &r.chunk, error) ||
      !get_int(d, "count", -1, 1000000000, &r.count, error) ||
      !get_int(d, "status", 100, 599, &status, error) ||
      !get_int(d, "delay_ms", 0, 3600000, &r.delay_ms, error) ||
      !get_int(d, "size", 0, int64_t{256} << 20, &r.size, error)) {
    return false;
  }
  std::string shape = "nested";
  if (!get_str(d, "error_shape", &shape, nullptr, error)) return false;
  if (shape != "nested" && shape != "flat") {
    *error = "error_shape: must be nested or flat";
    return false;
  }
  r.flat = shape == "flat";
  if (!r.route.empty() && !parse_route(r.route, &r)) {
    *error = "route: must be [METHOD] /path with * for one segment and ** for the rest";
    return false;
  }
  if (r.error_class.empty()) {
    *error = "error_class: must not be empty";
    return false;
  }
  bool known = false;
  for (const auto &k : kKinds) {
    if (kind == k.name) {
      r.kind = k.kind;
      known = true;
    }
  }
  if (!known) {
    *error =
        "kind: must be one of status, delay, stall_mid_body, close_before, close_after, "
        "truncated_json, malformed_json, oversized_body, wrong_content_type, slow_body (or "
        "truncated_body, garbage_200, oversized_200, stalled_transfer, slow_response)";
    return false;
  }
  r.kind_name = kind;
  r.status = static_cast<int>(status);
  if (!r.path_regex.empty()) {
    try {
      r.re = std::regex(r.path_regex, std::regex::ECMAScript);
    } catch (const std::regex_error &) {
      *error = "path_regex: not a valid ECMAScript regular expression";
      return false;
    }
  }
  if (d.FindMember("delay_ms") == d.MemberEnd()) {
    if (r.kind == FaultKind::kDelay) r.delay_ms = 1000;
    if (r.kind == FaultKind::kStallMidBody) r.delay_ms = 30000;
    if (r.kind == FaultKind::kSlowBody) r.delay_ms = 200;
  }
  std::lock_guard<std::mutex> lock(mu_);
  r.id = next_id_++;
  *id = r.id;
  rules_.push_back(std::move(r));
  return true;
}

void Faults::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

std::string Faults::json() {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  std::lock_guard<std::mutex> lock(mu_);
  w.StartObject();
  w.Key("faults");
  w.StartArray();
  for (const auto &r : rules_) {
    w.StartObject();
    w.Key("id");
    w.Int64(r.id);
    w.Key("kind");
    w.String(r.kind_name.c_str());
    w.Key("method");
    w.String(r.method.c_str());
    w.Key("path");
    w.String(r.path_prefix.c_str());
    w.Key("path_regex");
    w.String(r.path_regex.c_str());
    w.Key("remaining");
    w.Int64(r.count);
    w.Key("hits");
    w.Uint64(r.hits);
    w.Key("route");
    write_json_string(w, r.route);
    w.Key("after");
    w.Int64(r.after);
    w.Key("passed");
    w.Uint64(r.passed);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return sb.GetString();
}

bool Faults::take(const std::string &method, const std::string &path, FaultRule *out) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto &r : rules_) {
    if (r.count == 0) continue;
    if (!r.method.empty() && r.method != method) continue;
    if (path.compare(0, r.path_prefix.size(), r.path_prefix) != 0) continue;
    if (!r.path_regex.empty() && !std::regex_search(path, r.re)) continue;
    if (!r.route.empty() && !route_matches(r, method, path)) continue;
    if (static_cast<int64_t>(r.passed) < r.after) {
      // Let this one through; later rules do not see it either (one rule per request).
      ++r.passed;
      return false;
    }
    if (r.count > 0) --r.count;
    ++r.hits;
    *out = r;
    return true;
  }
  return false;
}

std::string fault_body(const FaultRule &rule) {
  if (rule.has_body) return rule.body;
  const int status = rule.status;
  if (rule.code.empty()) {
    if (status == 502) {
      return "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
             "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    }
    if (status == 429) return R"({"error":{"code":"SDRS.0429","message":"too many requests"}})";
    return R"({"error":{"code":"SDRS.0013","message":"injected fault: HTTP )" +
           std::to_string(status) + "\"}}";
  }
  const std::string msg =
      rule.message.empty() ? "injected fault: HTTP " + std::to_string(status) : rule.message;
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  if (rule.flat) {  // the shape the Huawei Terraform provider expects (spec-more 11 #12)
    w.Key("error_code");
    write_json_string(w, rule.code);
    w.Key("error_msg");
    write_json_string(w, msg);
  } else {
    w.Key(rule.error_class.c_str());
    w.StartObject();
    w.Key("code");
    write_json_string(w, rule.code);
    w.Key("message");
    write_json_string(w, msg);
    w.EndObject();
  }
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

}  // namespace emu
