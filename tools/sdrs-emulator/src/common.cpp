#include "common.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>

namespace emu {

std::string error_body(const char *cls, const char *code, const std::string &msg) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key(cls);
  w.StartObject();
  w.Key("code");
  w.String(code);
  w.Key("message");
  write_str(w, msg);
  w.EndObject();
  w.EndObject();
  return buffer_text(sb);
}

Response error_response(int status, const char *cls, const char *code, const std::string &msg) {
  return Response{status, error_body(cls, code, msg)};
}

Response bad_request(const char *code, const std::string &msg) {
  return error_response(400, "badrequest", code, msg);
}

Response state_error(const char *code, const std::string &msg) {
  return error_response(400, "error", code, msg);
}

Response not_found(const char *code, const std::string &msg) {
  return error_response(400, "itemNotFound", code, msg);
}

Response group_not_found(const std::string &id) {
  return not_found("SDRS.1013", "server group " + id + " not found");
}

Response no_route() {
  return error_response(404, "error", "APIGW.0101",
                        "The API does not exist or has not been published in the environment");
}

Response bad_method() {
  return error_response(405, "error", "SDRS.0201", "method not allowed on this path");
}

std::string job_id_body(const std::string &id) {
  return R"({"job_id":")" + id + "\"}";
}

std::string buffer_text(const rapidjson::StringBuffer &sb) {
  return {sb.GetString(), sb.GetSize()};
}

std::string format_time(int64_t ms, bool iso) {
  auto secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf,
                iso ? "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" : "%04d-%02d-%02d %02d:%02d:%02d.%03d",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void write_str(Writer &w, const std::string &s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

bool valid_name(const rapidjson::Value *v) {
  if (v == nullptr || !v->IsString()) return false;
  size_t n = v->GetStringLength();
  if (n < 1 || n > 64) return false;
  const char *s = v->GetString();
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool valid_name(const std::string &s) {
  rapidjson::Value v(rapidjson::StringRef(s.c_str(), static_cast<rapidjson::SizeType>(s.size())));
  return valid_name(&v);
}

bool valid_description(const rapidjson::Value *v) {
  if (v == nullptr || v->IsNull()) return true;
  return v->IsString() && v->GetStringLength() <= 64 &&
         std::strpbrk(v->GetString(), "<>") == nullptr &&
         std::strlen(v->GetString()) == v->GetStringLength();
}

const rapidjson::Value *member(const rapidjson::Value &obj, const char *key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

bool parse_object(const std::string &body, rapidjson::Document &d) {
  d.Parse(body.c_str(), body.size());
  return !d.HasParseError() && d.IsObject();
}

bool parse_int(const std::string &s, int64_t &out) {
  if (s.empty() || s.size() > 18) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  int64_t v = 0;
  for (; i < s.size(); i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = s[0] == '-' ? -v : v;
  return true;
}

const std::string *param(const Request &req, const char *key) {
  auto it = req.params.find(key);
  return it == req.params.end() ? nullptr : &it->second;
}

bool opt_count(const rapidjson::Value &obj, const char *key, bool &present, int64_t &out) {
  const rapidjson::Value *v = member(obj, key);
  present = v != nullptr;
  if (!present) return true;
  if (!v->IsInt64() || v->GetInt64() < 0) return false;
  out = v->GetInt64();
  return true;
}

std::string uuid_v4() {
  std::string h = random_hex(32);
  h[12] = '4';
  static const char kVariant[] = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

std::string random_hex(size_t n) {
  // Per-thread generator: no lock on the hot path.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string out(n, '0');
  uint64_t bits = 0;
  for (size_t i = 0; i < n; i++) {
    if (i % 16 == 0) bits = rng();
    out[i] = kHex[bits & 15];
    bits >>= 4;
  }
  return out;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace emu
