#include "core/codec.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string_view>
#include <utility>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/bytes.hpp"
#include "core/codec_json.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace sdrs {
namespace json {

void bad(const std::string &what) {
  fail(Code::kProtocol, "unexpected response: " + what);
}

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

namespace {

[[noreturn]] void wrong_type(const char *context, const FieldDef &f, const char *what) {
  bad(std::string(context) + ": '" + f.wire + "' is not " + what);
}

// A kIntText string: the whole text a base-10 integer (std::stoll's reading, so leading
// whitespace other than space and tab passes), without space, tab or '+'.
bool int_from_text(const std::string &t, int64_t *out) {
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(t, &used, 10);
  } catch (const std::exception &) {
    used = 0;
  }
  if (t.empty() || used != t.size() || t.find_first_of(" \t+") != std::string::npos) return false;
  *out = n;
  return true;
}

uint32_t decode_object(const Value &v, const RecordDef &def, const char *context, RecordBuilder &b,
                       RecordStore::Span *json);

// One field into the record's slot (by index: the slot vector may grow in a nested record).
// Absent/null leaves the slot empty, a wrong type fails.
void decode_field(const Value &v, const FieldDef &f, size_t index, uint32_t base, RecordBuilder &b,
                  const char *context) {
  const auto it = v.FindMember(f.wire);
  if (it == v.MemberEnd() || it->value.IsNull()) {
    if (f.required) bad(std::string(context) + ": '" + f.wire + "' is missing");
    return;
  }
  const Value &m = it->value;
  switch (f.kind) {
    case FieldKind::kString:
    case FieldKind::kTime: {
      if (!m.IsString()) wrong_type(context, f, "a string");
      const std::string_view text(m.GetString(), m.GetStringLength());
      b.set_text(base, index, text);
      if (f.kind == FieldKind::kTime) b.slot(base, index).number = parse_time_ms(text);
      return;
    }
    case FieldKind::kInt:
    case FieldKind::kIntText: {
      int64_t n = 0;
      if (m.IsInt64()) {
        n = m.GetInt64();
      } else if (f.kind != FieldKind::kIntText || !m.IsString() ||
                 !int_from_text(std::string(m.GetString(), m.GetStringLength()), &n)) {
        wrong_type(context, f, "an integer");
      }
      b.slot(base, index) = {n, 0, 1};
      return;
    }
    case FieldKind::kBool:
    case FieldKind::kBoolText: {
      int64_t n = 0;
      if (m.IsBool()) {
        n = m.GetBool() ? 1 : 0;
      } else if (f.kind == FieldKind::kBoolText && m.IsString() &&
                 (std::strcmp(m.GetString(), "true") == 0 ||
                  std::strcmp(m.GetString(), "false") == 0)) {
        // strcmp: a text with a NUL byte after "true" reads as "true" (as it always did).
        n = m.GetString()[0] == 't' ? 1 : 0;
      } else {
        wrong_type(context, f, "a boolean");
      }
      b.slot(base, index) = {n, 0, 1};
      return;
    }
    case FieldKind::kObject: {
      if (!m.IsObject()) wrong_type(context, f, "an object");
      RecordStore::Span json{};
      const uint32_t child = decode_object(m, *f.child, f.child->name, b, &json);
      b.add_child(*f.child, child, json);
      b.place_children(base, index, 1);
      return;
    }
    case FieldKind::kObjectList: {
      if (!m.IsArray()) wrong_type(context, f, "an array");
      for (const auto &e : m.GetArray()) {
        RecordStore::Span json{};
        const uint32_t child = decode_object(e, *f.child, f.child->name, b, &json);
        b.add_child(*f.child, child, json);
      }
      b.place_children(base, index, m.Size());
      return;
    }
    case FieldKind::kStringMap: {
      if (!m.IsObject()) wrong_type(context, f, "an object");
      const size_t first = b.store().entries.size();
      for (const auto &e : m.GetObject()) {
        const std::string_view key(e.name.GetString(), e.name.GetStringLength());
        if (e.value.IsString()) {
          b.add_entry(key, std::string_view(e.value.GetString(), e.value.GetStringLength()));
        } else if (e.value.IsNumber() || e.value.IsBool()) {
          b.add_entry(key, to_json(e.value));
        }
        // Nested objects/arrays stay in the record's JSON (forward compatible).
      }
      const size_t count = b.store().entries.size() - first;
      b.slot(base, index) = {static_cast<int64_t>(first), 0, static_cast<uint32_t>(count) + 1};
      return;
    }
    case FieldKind::kTextList:
      if (!m.IsString()) wrong_type(context, f, "a string");
      b.set_text_list(base, index, std::string_view(m.GetString(), m.GetStringLength()));
      return;
  }
}

// v's slots and JSON text in b's store; returns the index of its first slot.
uint32_t decode_object(const Value &v, const RecordDef &def, const char *context, RecordBuilder &b,
                       RecordStore::Span *json) {
  require_object(v, context);
  const uint32_t base = b.open(def);
  *json = b.add_span(to_json(v));
  for (size_t i = 0; i < def.count; ++i) decode_field(v, def.fields[i], i, base, b, context);
  return base;
}

}  // namespace

Record decode_record(const Value &v, const RecordDef &def, const char *context, RecordBuilder &b) {
  RecordStore::Span json{};
  const uint32_t base = decode_object(v, def, context, b, &json);
  return b.top(def, base, json);
}

}  // namespace json

namespace {

using json::bad;
using json::Parsed;
using json::Value;

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
  // The last 0-7 bytes as one word overlapping the plain ones before them: request values are
  // short, and the byte loop over their tails was most of this function's cost.
  if (i < n && i + 8 > n && n - from >= 8 && needs_escape(bytes::load8(p + n - 8)) == 0) {
    return n - from;
  }
  while (i < n && kJson.code[p[i]] == 0) ++i;
  return i - from;
}

}  // namespace

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

char *write_plain_json_string(char *out, std::string_view s) {
  const unsigned char *p = bytes::of(s);
  const size_t n = s.size();
  *out++ = '"';
  // Checked and copied in one pass, a word at a time (the last word overlaps the one before).
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t w = bytes::load8(p + i);
    if (needs_escape(w) != 0) return nullptr;
    std::memcpy(out + i, &w, sizeof w);
  }
  if (i < n && n >= 8) {
    const uint64_t w = bytes::load8(p + n - 8);
    if (needs_escape(w) != 0) return nullptr;
    std::memcpy(out + n - 8, &w, sizeof w);
  } else {
    for (; i < n; ++i) {
      if (kJson.code[p[i]] != 0) return nullptr;
      out[i] = s[i];
    }
  }
  out[n] = '"';
  return out + n + 1;
}

void append_json_string(std::string &out, std::string_view s) {
  const size_t at = out.size();
  out.resize(at + json_string_size(s));
  write_json_string(out.data() + at, s);
}

void append_string_members(
    std::string &out,
    std::initializer_list<std::pair<std::string_view, const OptString *>> fields) {
  for (const auto &f : fields) {
    if (!*f.second) continue;
    if (out.empty() || out.back() != '{') out += ',';
    out += '"';
    out.append(f.first);
    out += "\":";
    append_json_string(out, **f.second);
  }
}

std::string json_quote(const std::string &s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

namespace detail {

Record dom_record_member(const std::string &body, const char *member, const RecordDef &def) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  json::require_object(doc, "response");
  const Value &v = json::member_object(doc, member, "response");
  RecordBuilder b(body.size());
  return json::decode_record(v, def, def.name, b);
}

std::vector<Record> dom_record_array(const std::string &body, const char *member,
                                     const RecordDef &def, int64_t *count,
                                     std::string *document_json) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  json::require_object(doc, "response");
  if (document_json != nullptr) *document_json = json::to_json(doc);
  const Value &arr = json::member_array(doc, member, "response");
  RecordBuilder b(body.size() * 2);
  std::vector<Record> out;
  out.reserve(arr.Size());
  for (const auto &v : arr.GetArray()) out.push_back(json::decode_record(v, def, def.name, b));
  if (count != nullptr) {
    const auto c = doc.FindMember("count");
    if (c != doc.MemberEnd() && !c->value.IsNull()) {
      if (!c->value.IsInt64()) bad("response: 'count' is not an integer");
      *count = c->value.GetInt64();
    }
  }
  return out;
}

}  // namespace detail

Record decode_record_member(const std::string &body, const char *member, const RecordDef &def) {
  Record r;
  if (detail::scan_record_member(body, member, def, &r)) return r;
  return detail::dom_record_member(body, member, def);
}

std::vector<Record> decode_record_array(const std::string &body, const char *member,
                                        const RecordDef &def, int64_t *count,
                                        std::string *document_json) {
  std::vector<Record> out;
  if (detail::scan_record_array(body, member, def, count, document_json, &out)) return out;
  return detail::dom_record_array(body, member, def, count, document_json);
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

namespace sdrs {

void decode_no_content(const std::string &body) {
  if (text::trim(body).empty()) return;
  const Parsed parsed(body);  // throws kProtocol naming what is wrong
}

}  // namespace sdrs
