#include "core/codec.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/allocators.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

using rapidjson::Value;

// Iterative parsing keeps deeply nested hostile input from exhausting the stack. Encoding is
// checked before parsing (is_utf8_without_nul), which rejects invalid UTF-8 instead of passing
// it on to callers; RapidJSON's own per-character validation cost more than the parse itself.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;

[[noreturn]] void bad(const std::string &what) {
  fail(Code::kProtocol, "unexpected response: " + what);
}

// RapidJSON allocates from buffers inside these objects first, so a typical response or
// request needs no heap memory in the codec (a large one, such as a 1000-group list, spills into
// 64 KiB chunks). Before this, every parse took a fresh 64 KiB chunk and freed it again.
using Pool = rapidjson::MemoryPoolAllocator<>;
using PooledDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;

class Parsed {
 public:
  // Throws kProtocol for a body that is not JSON.
  explicit Parsed(const std::string &body) : Parsed() {
    if (!parse(body)) bad(message());
  }
  Parsed()
      : values_(values_buf_.data(), values_buf_.size()),
        stack_(stack_buf_.data(), stack_buf_.size()),
        doc_(&values_, kStackCapacity, &stack_) {}
  Parsed(const Parsed &) = delete;
  Parsed &operator=(const Parsed &) = delete;
  ~Parsed() = default;

  // false for a body that is not JSON (message() says why).
  bool parse(const std::string &body) {
    if (!is_utf8_without_nul(body)) {
      not_utf8_ = true;
      return false;
    }
    // Parsed in place in a copy held by the pool, so strings point into it instead of being
    // copied a character at a time (most of a parse's cost). NUL-terminated parsing is exact:
    // the body has no NUL byte.
    auto *text = static_cast<char *>(values_.Malloc(body.size() + 1));
    if (text == nullptr) throw std::bad_alloc();
    std::memcpy(text, body.data(), body.size());
    text[body.size()] = '\0';
    doc_.ParseInsitu<kParseFlags>(text);
    return !doc_.HasParseError();
  }
  std::string message() const {
    if (not_utf8_) return "invalid JSON (not UTF-8, or a NUL byte)";
    return std::string("invalid JSON (") + rapidjson::GetParseError_En(doc_.GetParseError()) +
           " at offset " + std::to_string(doc_.GetErrorOffset()) + ")";
  }
  const Value &root() const { return doc_; }

 private:
  static constexpr size_t kStackCapacity = 512;
  // Scratch memory for the pools, deliberately not zeroed (that cost more than the parse).
  alignas(std::max_align_t) std::array<char, 4096> values_buf_;  // NOLINT(*-member-init)
  alignas(std::max_align_t) std::array<char, 2048> stack_buf_;   // NOLINT(*-member-init)
  Pool values_;
  Pool stack_;
  PooledDocument doc_;
  bool not_utf8_ = false;
};

std::string to_json(const Value &v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

const Value &member_object(const Value &obj, const char *key, const char *context) {
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsObject()) {
    bad(std::string(context) + ": '" + key + "' is missing or not an object");
  }
  return it->value;
}

const Value &member_array(const Value &obj, const char *key, const char *context) {
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsArray()) {
    bad(std::string(context) + ": '" + key + "' is missing or not an array");
  }
  return it->value;
}

// A string field: absent/null -> nullopt; wrong type -> protocol error.
OptString opt_string(const Value &obj, const char *key, const char *context) {
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) bad(std::string(context) + ": '" + key + "' is not a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string req_string(const Value &obj, const char *key, const char *context) {
  OptString s = opt_string(obj, key, context);
  if (!s) bad(std::string(context) + ": '" + key + "' is missing");
  return std::move(*s);
}

void require_object(const Value &v, const char *context) {
  if (!v.IsObject()) bad(std::string(context) + " is not a JSON object");
}

// `raw`: the JSON text v was parsed from, kept as the job's json instead of writing v again.
Job job_from(const Value &v, int depth, const std::string *raw = nullptr) {
  require_object(v, "job");
  if (depth > 8) bad("job: sub_jobs nested too deeply");
  Job job;
  job.json = raw != nullptr ? *raw : to_json(v);
  job.id = opt_string(v, "job_id", "job");
  job.type = opt_string(v, "job_type", "job");
  job.status = req_string(v, "status", "job");
  job.begin_time = opt_string(v, "begin_time", "job");
  job.end_time = opt_string(v, "end_time", "job");
  job.error_code = opt_string(v, "error_code", "job");
  job.fail_reason = opt_string(v, "fail_reason", "job");
  if (job.begin_time) job.begin_ms = parse_time_ms(*job.begin_time);
  if (job.end_time) job.end_ms = parse_time_ms(*job.end_time);
  const auto ent = v.FindMember("entities");
  if (ent != v.MemberEnd() && !ent->value.IsNull()) {
    if (!ent->value.IsObject()) bad("job: 'entities' is not an object");
    for (const auto &m : ent->value.GetObject()) {
      const std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key == "sub_jobs") {
        if (m.value.IsNull()) continue;
        if (!m.value.IsArray()) bad("job: 'entities.sub_jobs' is not an array");
        for (const auto &sub : m.value.GetArray()) job.sub_jobs.push_back(job_from(sub, depth + 1));
      } else if (m.value.IsString()) {
        job.entities[key] = std::string(m.value.GetString(), m.value.GetStringLength());
      } else if (m.value.IsNumber() || m.value.IsBool()) {
        job.entities[key] = to_json(m.value);
      }
      // Objects/arrays other than sub_jobs are left to sdrs_job_json (forward compatible).
    }
  }
  return job;
}

constexpr const char *kGroupStrings[] = {"id",
                                         "name",
                                         "description",
                                         "status",
                                         "source_availability_zone",
                                         "target_availability_zone",
                                         "domain_id",
                                         "domain_name",
                                         "priority_station",
                                         "protected_status",
                                         "replication_status",
                                         "health_status",
                                         "source_vpc_id",
                                         "target_vpc_id",
                                         "test_vpc_id",
                                         "dr_type",
                                         "server_type",
                                         "created_at",
                                         "updated_at",
                                         "protection_type",
                                         "replication_model"};
constexpr const char *kGroupInts[] = {"progress", "protected_instance_num", "replication_num",
                                      "disaster_recovery_drill_num"};

Group group_from(const Value &v) {
  require_object(v, "server_group");
  Group g;
  g.json = to_json(v);
  for (const char *key : kGroupStrings) {
    OptString s = opt_string(v, key, "server_group");
    if (s) g.strings.emplace(key, std::move(*s));
  }
  if (g.strings.count("id") == 0) bad("server_group: 'id' is missing");
  for (const char *key : kGroupInts) {
    const auto it = v.FindMember(key);
    if (it == v.MemberEnd() || it->value.IsNull()) continue;
    if (!it->value.IsInt64()) bad(std::string("server_group: '") + key + "' is not an integer");
    g.ints.emplace(key, it->value.GetInt64());
  }
  if (const char *c = g.str("created_at")) g.created_ms = parse_time_ms(c);
  if (const char *u = g.str("updated_at")) g.updated_ms = parse_time_ms(u);
  return g;
}

ApiVersion version_from(const Value &v) {
  require_object(v, "version");
  ApiVersion ver;
  ver.json = to_json(v);
  ver.id = opt_string(v, "id", "version");
  ver.status = opt_string(v, "status", "version");
  ver.version = opt_string(v, "version", "version");
  ver.min_version = opt_string(v, "min_version", "version");
  ver.updated = opt_string(v, "updated", "version");
  const auto links = v.FindMember("links");
  if (links != v.MemberEnd() && links->value.IsArray()) {
    for (const auto &l : links->value.GetArray()) {
      if (l.IsObject() && opt_string(l, "rel", "link") == std::string("self")) {
        ver.self_link = opt_string(l, "href", "link");
        break;
      }
    }
  }
  return ver;
}

// How RapidJSON's writer escapes each byte in a string: 0 copies it, 'u' writes \u00XX, any
// other letter is the short escape after a backslash. A table keeps the per-byte work to one
// load (the request body is mostly plain bytes).
struct JsonEscapes {
  std::array<char, 256> code{};
  std::array<uint8_t, 256> size{};
  constexpr JsonEscapes() {
    for (int c = 0; c < 256; ++c) {
      code[c] = c < 0x20 ? 'u' : 0;
      size[c] = 1;
    }
    code['"'] = '"';
    code['\\'] = '\\';
    code['\b'] = 'b';
    code['\f'] = 'f';
    code['\n'] = 'n';
    code['\r'] = 'r';
    code['\t'] = 't';
    for (int c = 0; c < 256; ++c) {
      if (code[c] != 0) size[c] = code[c] == 'u' ? 6 : 2;
    }
  }
};
constexpr JsonEscapes kJson;

// Nonzero when one of the eight bytes needs an escape.
uint64_t needs_escape(uint64_t w) {
  return bytes::has_less(w, 0x20) | bytes::has_byte(w, '"') | bytes::has_byte(w, '\\');
}

// Length of the plain (unescaped) prefix of s from `from`, eight bytes at a time.
size_t plain_run(const unsigned char *p, size_t from, size_t n) {
  size_t i = from;
  while (i + 8 <= n && needs_escape(bytes::load8(p + i)) == 0) i += 8;
  while (i < n && kJson.code[p[i]] == 0) ++i;
  return i - from;
}

// Length of the quoted, escaped form of s.
size_t json_string_size(std::string_view s) {
  const unsigned char *p = bytes::of(s);
  size_t n = 2;
  size_t i = 0;
  while (i < s.size()) {
    const size_t plain = plain_run(p, i, s.size());
    n += plain;
    i += plain;
    if (i < s.size()) n += kJson.size[p[i++]];
  }
  return n;
}

// Writes the quoted, escaped form of s (json_string_size(s) bytes) at out; returns the end.
char *write_json_string(char *out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const unsigned char *p = bytes::of(s);
  *out++ = '"';
  size_t i = 0;
  while (i < s.size()) {
    const size_t plain = plain_run(p, i, s.size());
    out = std::copy_n(s.data() + i, plain, out);
    i += plain;
    if (i == s.size()) break;
    const unsigned char c = p[i++];
    const char e = kJson.code[c];
    *out++ = '\\';
    *out++ = e;
    if (e == 'u') {
      out = std::copy_n("00", 2, out);
      *out++ = kHex[c >> 4];
      *out++ = kHex[c & 0xf];
    }
  }
  *out++ = '"';
  return out;
}

char *write_text(char *out, std::string_view s) {
  return std::copy(s.begin(), s.end(), out);
}

}  // namespace

void append_json_string(std::string &out, std::string_view s) {
  const size_t at = out.size();
  out.resize(at + json_string_size(s));
  write_json_string(out.data() + at, s);
}

std::string json_quote(const std::string &s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string encode_create(const PgSpec &spec) {
  const std::string_view dr_type = spec.dr_type ? std::string_view(*spec.dr_type) : "migration";
  const std::pair<std::string_view, const OptString *> fields[] = {
      {"name", &spec.name},
      {"description", &spec.description},
      {"source_availability_zone", &spec.source_az},
      {"target_availability_zone", &spec.target_az},
      {"domain_id", &spec.domain_id},
      {"source_vpc_id", &spec.source_vpc_id},
      {"dr_type", nullptr},  // always sent: the default when unset
      {"server_type", &spec.server_type}};
  auto value = [&dr_type](const OptString *v) -> std::optional<std::string_view> {
    if (v == nullptr) return dr_type;
    if (!*v) return std::nullopt;
    return std::string_view(**v);
  };
  // One exact-size allocation: measure, then write (appending piece by piece cost more than
  // the rest of the request's library work together).
  constexpr std::string_view kOpen = R"({"server_group":{)";
  constexpr std::string_view kClose = "}}";
  size_t size = kOpen.size() + kClose.size();
  for (const auto &f : fields) {
    if (const auto v = value(f.second)) size += 1 + f.first.size() + 3 + json_string_size(*v);
  }
  std::string out(size, '\0');
  char *p = write_text(out.data(), kOpen);
  bool first = true;
  for (const auto &f : fields) {
    const auto v = value(f.second);
    if (!v) continue;
    if (!first) *p++ = ',';
    first = false;
    *p++ = '"';
    p = write_text(p, f.first);
    p = write_text(p, "\":");
    p = write_json_string(p, *v);
  }
  p = write_text(p, kClose);
  // The size counted one comma too many (none before the first member).
  out.resize(static_cast<size_t>(p - out.data()));
  return out;
}

std::string encode_rename(const std::string &name) {
  return R"({"server_group":{"name":)" + json_quote(name) + "}}";
}

std::string encode_action(const std::string &action, const std::string &priority_station) {
  std::string inner = "{}";
  if (!priority_station.empty())
    inner = "{\"priority_station\":" + json_quote(priority_station) + "}";
  return "{" + json_quote(action) + ":" + inner + "}";
}

std::string decode_job_id(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  std::string id = req_string(doc, "job_id", "response");
  if (id.empty()) bad("response: 'job_id' is empty");
  return id;
}

Job decode_job(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  return job_from(doc, 0, &body);
}

Group decode_group_envelope(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  return group_from(member_object(doc, "server_group", "response"));
}

GroupList decode_group_list(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  GroupList list;
  const Value &arr = member_array(doc, "server_groups", "response");
  list.groups.reserve(arr.Size());
  for (const auto &g : arr.GetArray()) list.groups.push_back(group_from(g));
  const auto count = doc.FindMember("count");
  if (count != doc.MemberEnd() && !count->value.IsNull()) {
    if (!count->value.IsInt64()) bad("response: 'count' is not an integer");
    list.count = count->value.GetInt64();
  }
  return list;
}

DomainList decode_domains(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  DomainList list;
  list.json = to_json(doc);
  const Value &arr = member_array(doc, "domains", "response");
  for (const auto &v : arr.GetArray()) {
    require_object(v, "domain");
    Domain d;
    d.json = to_json(v);
    d.id = opt_string(v, "id", "domain");
    d.name = opt_string(v, "name", "domain");
    d.description = opt_string(v, "description", "domain");
    const auto so = v.FindMember("sold_out");
    if (so != v.MemberEnd() && !so->value.IsNull()) {
      if (!so->value.IsBool()) bad("domain: 'sold_out' is not a boolean");
      d.sold_out = so->value.GetBool() ? 1 : 0;
    }
    for (const char *side : {"local_replication_cluster", "remote_replication_cluster"}) {
      const auto c = v.FindMember(side);
      if (c == v.MemberEnd() || c->value.IsNull()) continue;
      if (!c->value.IsObject()) bad(std::string("domain: '") + side + "' is not an object");
      OptString az = opt_string(c->value, "availability_zone", side);
      (side[0] == 'l' ? d.local_az : d.remote_az) = az;
    }
    list.domains.push_back(std::move(d));
  }
  return list;
}

std::vector<ApiVersion> decode_versions(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  const Value &arr = member_array(doc, "versions", "response");
  std::vector<ApiVersion> out;
  for (const auto &v : arr.GetArray()) out.push_back(version_from(v));
  return out;
}

ApiVersion decode_version(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  return version_from(member_object(doc, "version", "response"));
}

bool decode_error_body(const std::string &body, ErrorBody *out) {
  Parsed parsed;
  const Value &doc = parsed.root();
  if (!parsed.parse(body) || !doc.IsObject()) return false;
  auto take = [out](const Value &obj, const char *code_key, const char *msg_key) {
    const auto c = obj.FindMember(code_key);
    const auto m = obj.FindMember(msg_key);
    const bool has_code = c != obj.MemberEnd() && c->value.IsString();
    const bool has_msg = m != obj.MemberEnd() && m->value.IsString();
    if (!has_code && !has_msg) return false;
    if (has_code) out->api_code.assign(c->value.GetString(), c->value.GetStringLength());
    if (has_msg) out->message.assign(m->value.GetString(), m->value.GetStringLength());
    return true;
  };
  // (1) {"<class>": {"code", "message"}} with a single top-level key.
  if (doc.MemberCount() == 1) {
    const Value &inner = doc.MemberBegin()->value;
    if (inner.IsObject() && take(inner, "code", "message")) return true;
  }
  // (2) flat {"error_code", "error_msg"}; (3) flat {"code", "message"}.
  if (take(doc, "error_code", "error_msg")) return true;
  return take(doc, "code", "message");
}

}  // namespace sdrs
