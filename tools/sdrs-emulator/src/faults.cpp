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
};

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
      !get_int(d, "count", -1, 1000000000, &r.count, error) ||
      !get_int(d, "status", 100, 599, &status, error) ||
      !get_int(d, "delay_ms", 0, 3600000, &r.delay_ms, error) ||
      !get_int(d, "size", 0, int64_t{256} << 20, &r.size, error)) {
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
        "truncated_json, malformed_json, oversized_body, wrong_content_type";
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
  if ((r.kind == FaultKind::kDelay || r.kind == FaultKind::kStallMidBody) &&
      d.FindMember("delay_ms") == d.MemberEnd()) {
    r.delay_ms = r.kind == FaultKind::kDelay ? 1000 : 30000;
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
    if (r.count > 0) --r.count;
    ++r.hits;
    *out = r;
    return true;
  }
  return false;
}

}  // namespace emu
