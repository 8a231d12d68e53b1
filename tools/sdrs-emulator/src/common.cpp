#include "common.hpp"

#include <algorithm>
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

namespace emu {

bool one_of(const std::string &s, std::initializer_list<const char *> values) {
  return std::any_of(values.begin(), values.end(), [&s](const char *v) { return s == v; });
}

bool contains(const std::vector<std::string> &list, const std::string &s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool valid_ipv4(const std::string &s) {
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('.', i);
    if (j == std::string::npos) j = s.size();
    std::string part = s.substr(i, j - i);
    int64_t v = 0;
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0') || part[0] == '-' ||
        !parse_int(part, v) || v > 255) {
      return false;
    }
    parts++;
    i = j + 1;
  }
  return parts == 4;
}

bool valid_device(const std::string &s) {
  return s.size() == 8 && (s.compare(0, 7, "/dev/vd") == 0 || s.compare(0, 7, "/dev/sd") == 0) &&
         s[7] >= 'a' && s[7] <= 'z';
}

bool parse_paging(const Request &req, int64_t *limit, int64_t *offset, Response *err) {
  *limit = 1000;
  *offset = 0;
  if (const std::string *p = param(req, "limit")) {
    if (!parse_int(*p, *limit) || *limit < 1 || *limit > 1000) {
      *err = bad_request("SDRS.0221", "limit must be an integer from 1 to 1000");
      return false;
    }
  }
  if (const std::string *p = param(req, "offset")) {
    if (!parse_int(*p, *offset) || *offset < 0) {
      *err = bad_request("SDRS.0222", "offset must be a non-negative integer");
      return false;
    }
  }
  return true;
}

bool parse_list_query(const Request &req, ListQuery *q, Response *err) {
  if (!parse_paging(req, &q->limit, &q->offset, err) ||
      !parse_id_list(req, "server_group_ids", &q->group_ids, &q->has_groups, err) ||
      !parse_id_list(req, "protected_instance_ids", &q->instance_ids, &q->has_instances, err)) {
    return false;
  }
  q->abnormal = false;
  if (const std::string *qt = filter_param(req, "query_type")) {
    if (*qt == "status_abnormal") {
      q->abnormal = true;
    } else if (*qt != "general") {
      *err = bad_request("SDRS.0201", "query_type must be general or status_abnormal");
      return false;
    }
  }
  return true;
}

bool abnormal_status(const std::string &status) {
  return status.compare(0, 5, "error") == 0 || status == "invalid" || status == "fault";
}

const rapidjson::Value *wrapped(const rapidjson::Document &d, const char *key, Response *err) {
  const rapidjson::Value *w = member(d, key);
  if (w == nullptr || !w->IsObject()) {
    *err = bad_request("SDRS.0201", std::string(key) + " is missing or not an object");
    return nullptr;
  }
  return w;
}

bool parse_rename(const Request &req, const char *wrapper, std::string *name, Response *err) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) {
    *err = bad_request("SDRS.0201", "body is not a JSON object");
    return false;
  }
  const rapidjson::Value *obj = wrapped(d, wrapper, err);
  if (obj == nullptr) return false;
  const rapidjson::Value *v = member(*obj, "name");
  if (!valid_name(v)) {
    *err = bad_request("SDRS.0202", "name must be 1-64 characters of A-Z a-z 0-9 . _ -");
    return false;
  }
  name->assign(v->GetString(), v->GetStringLength());
  return true;
}

namespace {

// One value of an id-list parameter into *ids; false when malformed.
bool split_id_list(const std::string &raw, std::vector<std::string> *ids) {
  std::string v = raw;
  if (v.empty()) return true;
  if (v.front() != '[') {
    ids->push_back(v);
    return true;
  }
  if (v.back() != ']') return false;
  v = v.substr(1, v.size() - 2);
  size_t pos = 0;
  while (pos < v.size()) {
    size_t comma = v.find(',', pos);
    if (comma == std::string::npos) comma = v.size();
    std::string item = v.substr(pos, comma - pos);
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'')) {
      if (item.back() != item.front()) return false;
      item = item.substr(1, item.size() - 2);
    }
    if (item.empty() || item.find_first_of("\"'[]") != std::string::npos) return false;
    ids->push_back(item);
    pos = comma + 1;
  }
  return true;
}

// Characters of a UTF-8 string (bytes that do not continue a sequence).
size_t utf8_length(const std::string &s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) n++;
  }
  return n;
}

bool tag_text_ok(const std::string &s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 32 && std::strchr("*<>\\=,|/", c) == nullptr;
  });
}

}  // namespace

bool parse_id_list(const Request &req, const char *key, std::vector<std::string> *ids,
                   bool *present, Response *err) {
  ids->clear();
  auto range = req.params.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    if (!split_id_list(it->second, ids)) {
      *err = bad_request("SDRS.0201", std::string(key) +
                                          " must be a URL-encoded list such as "
                                          "[id1,id2] with the ids quoted or not");
      return false;
    }
  }
  if (ids->size() > 30) {
    *err = bad_request("SDRS.0226", std::string(key) + " holds more than 30 ids");
    return false;
  }
  *present = !ids->empty();
  return true;
}

const std::string *filter_param(const Request &req, const char *key) {
  const std::string *p = param(req, key);
  return p == nullptr || p->empty() ? nullptr : p;
}

bool valid_tag_key(const std::string &key, Response *err) {
  if (key.find_first_not_of(" \t") == std::string::npos) {
    *err = bad_request("SDRS.2205", "tag key must not be empty or blank");
    return false;
  }
  if (utf8_length(key) > 36 || !tag_text_ok(key)) {
    *err = bad_request("SDRS.2204",
                       "tag key must be at most 36 characters without control characters "
                       "or * < > \\ = , | /");
    return false;
  }
  return true;
}

bool valid_tag_value(const std::string &value, Response *err) {
  if (utf8_length(value) > 43 || !tag_text_ok(value)) {
    *err = bad_request("SDRS.2207",
                       "tag value must be at most 43 characters without control characters "
                       "or * < > \\ = , | /");
    return false;
  }
  return true;
}

bool parse_tags(const rapidjson::Value &tags, size_t max_count,
                std::vector<std::pair<std::string, std::string>> *out, Response *err) {
  if (!tags.IsArray()) {
    *err = bad_request("SDRS.0201", "tags must be an array of {key, value}");
    return false;
  }
  if (tags.Size() > max_count) {
    *err = bad_request("SDRS.2203", "at most " + std::to_string(max_count) + " tags");
    return false;
  }
  out->clear();
  for (const rapidjson::Value &t : tags.GetArray()) {
    const rapidjson::Value *k = t.IsObject() ? member(t, "key") : nullptr;
    const rapidjson::Value *v = t.IsObject() ? member(t, "value") : nullptr;
    if (k == nullptr || !k->IsString()) {
      *err = bad_request("SDRS.2205", "every tag needs a key string");
      return false;
    }
    std::string key(k->GetString(), k->GetStringLength());
    if (!valid_tag_key(key, err)) return false;
    if (v == nullptr || v->IsNull()) {
      *err = bad_request("SDRS.2208", "tag " + key + " has no value");
      return false;
    }
    if (!v->IsString()) {
      *err = bad_request("SDRS.2207", "tag " + key + ": value must be a string");
      return false;
    }
    std::string value(v->GetString(), v->GetStringLength());
    if (!valid_tag_value(value, err)) return false;
    for (const auto &seen : *out) {
      if (seen.first == key) {
        *err = bad_request("SDRS.2209", "tag key " + key + " given twice");
        return false;
      }
    }
    out->emplace_back(key, value);
  }
  return true;
}

}  // namespace emu
