// The former record decoder (see record_dom_reference.hpp).
#include "record_dom_reference.hpp"

#include <cctype>
#include <cstring>
#include <exception>
#include <string_view>

#include "core/codec.hpp"
#include "core/codec_json.hpp"
#include "core/error.hpp"
#include "core/resources/pi.hpp"
#include "core/resources/tag.hpp"
#include "core/text.hpp"

namespace sdrs::test {
namespace {

// ---- the former core/time.cpp ----

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool read_digits(const std::string &s, size_t &pos, size_t count, int64_t &out) {
  out = 0;
  for (size_t i = 0; i < count; ++i, ++pos) {
    if (pos >= s.size() || std::isdigit(static_cast<unsigned char>(s[pos])) == 0) return false;
    out = out * 10 + (s[pos] - '0');
  }
  return true;
}

bool expect(const std::string &s, size_t &pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

bool is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

int64_t parse_time_ms_reference(const std::string &text) {
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day)) {
    return kTimeNone;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != ' ')) return kTimeNone;
  ++pos;
  if (!read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second)) {
    return kTimeNone;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return kTimeNone;
  const int64_t max_day = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > max_day || hour > 23 || minute > 59 || second > 60) return kTimeNone;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100;
    size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return kTimeNone;
  }
  int64_t offset_s = 0;
  if (pos < text.size()) {
    const char z = text[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      int64_t oh = 0, om = 0;
      if (!read_digits(text, pos, 2, oh)) return kTimeNone;
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (!read_digits(text, pos, 2, om) || oh > 23 || om > 59) return kTimeNone;
      offset_s = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
    }
  }
  if (pos != text.size()) return kTimeNone;
  const int64_t secs =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return secs * 1000 + millis;
}

// ---- the former core/record.cpp ----

OldRecord::OldRecord(const RecordDef &def) : def_(&def), slots_(def.count) {}

const char *OldRecord::str(size_t field) const {
  const Slot &s = slots_[field];
  return s.present ? s.text.c_str() : nullptr;
}

int64_t OldRecord::integer(size_t field, int64_t absent) const {
  const Slot &s = slots_[field];
  return s.present ? s.number : absent;
}

int OldRecord::boolean(size_t field) const {
  const Slot &s = slots_[field];
  return s.present ? static_cast<int>(s.number) : -1;
}

int64_t OldRecord::time_ms(size_t field) const {
  const Slot &s = slots_[field];
  return s.present ? s.number : kTimeNone;
}

const OldRecord *OldRecord::child(size_t field) const {
  const Slot &s = slots_[field];
  if (!s.present) return nullptr;
  const auto &list = lists_[static_cast<size_t>(s.number)];
  return list.empty() ? nullptr : &list.front();
}

const std::vector<OldRecord> &OldRecord::children(size_t field) const {
  static const std::vector<OldRecord> kNone;
  const Slot &s = slots_[field];
  return s.present ? lists_[static_cast<size_t>(s.number)] : kNone;
}

const std::vector<std::pair<std::string, std::string>> &OldRecord::map(size_t field) const {
  static const std::vector<std::pair<std::string, std::string>> kNone;
  const Slot &s = slots_[field];
  return s.present ? maps_[static_cast<size_t>(s.number)] : kNone;
}

const char *OldRecord::map_value(size_t field, const std::string &key) const {
  for (const auto &entry : map(field)) {
    if (entry.first == key) return entry.second.c_str();
  }
  return nullptr;
}

const std::vector<std::string> &OldRecord::items(size_t field) const {
  static const std::vector<std::string> kNone;
  const Slot &s = slots_[field];
  return s.present ? items_[static_cast<size_t>(s.number)] : kNone;
}

std::vector<OldRecord> &OldRecord::add_list(size_t field) {
  slots_[field].number = static_cast<int64_t>(lists_.size());
  slots_[field].present = true;
  return lists_.emplace_back();
}

std::vector<std::pair<std::string, std::string>> &OldRecord::add_map(size_t field) {
  slots_[field].number = static_cast<int64_t>(maps_.size());
  slots_[field].present = true;
  return maps_.emplace_back();
}

std::vector<std::string> &OldRecord::add_items(size_t field) {
  slots_[field].number = static_cast<int64_t>(items_.size());
  slots_[field].present = true;
  return items_.emplace_back();
}

// ---- the former core/codec.cpp record decoder ----

namespace {

using json::bad;
using json::Parsed;
using json::to_json;
using json::Value;

OldRecord decode_record(const Value &v, const RecordDef &def, const char *context);

void decode_field(const Value &v, const FieldDef &f, size_t index, OldRecord &r,
                  const char *context) {
  const auto it = v.FindMember(f.wire);
  if (it == v.MemberEnd() || it->value.IsNull()) {
    if (f.required) bad(std::string(context) + ": '" + f.wire + "' is missing");
    return;
  }
  const Value &m = it->value;
  auto wrong = [&](const char *what) {
    bad(std::string(context) + ": '" + f.wire + "' is not " + what);
  };
  OldRecord::Slot &slot = r.slot(index);
  switch (f.kind) {
    case FieldKind::kString:
    case FieldKind::kTime:
      if (!m.IsString()) wrong("a string");
      slot.text.assign(m.GetString(), m.GetStringLength());
      if (f.kind == FieldKind::kTime) slot.number = parse_time_ms_reference(slot.text);
      break;
    case FieldKind::kInt:
    case FieldKind::kIntText:
      if (m.IsInt64()) {
        slot.number = m.GetInt64();
      } else if (f.kind == FieldKind::kIntText && m.IsString()) {
        const std::string t(m.GetString(), m.GetStringLength());
        size_t used = 0;
        long long n = 0;
        try {
          n = std::stoll(t, &used, 10);
        } catch (const std::exception &) {
          used = 0;
        }
        if (t.empty() || used != t.size() || t.find_first_of(" \t+") != std::string::npos) {
          wrong("an integer");
        }
        slot.number = n;
      } else {
        wrong("an integer");
      }
      break;
    case FieldKind::kBool:
    case FieldKind::kBoolText:
      if (m.IsBool()) {
        slot.number = m.GetBool() ? 1 : 0;
      } else if (f.kind == FieldKind::kBoolText && m.IsString() &&
                 (std::strcmp(m.GetString(), "true") == 0 ||
                  std::strcmp(m.GetString(), "false") == 0)) {
        slot.number = m.GetString()[0] == 't' ? 1 : 0;
      } else {
        wrong("a boolean");
      }
      break;
    case FieldKind::kObject:
      if (!m.IsObject()) wrong("an object");
      r.add_list(index).push_back(decode_record(m, *f.child, f.child->name));
      return;
    case FieldKind::kObjectList: {
      if (!m.IsArray()) wrong("an array");
      auto &list = r.add_list(index);
      list.reserve(m.Size());
      for (const auto &e : m.GetArray()) list.push_back(decode_record(e, *f.child, f.child->name));
      return;
    }
    case FieldKind::kStringMap: {
      if (!m.IsObject()) wrong("an object");
      auto &map = r.add_map(index);
      for (const auto &e : m.GetObject()) {
        std::string key(e.name.GetString(), e.name.GetStringLength());
        if (e.value.IsString()) {
          map.emplace_back(std::move(key),
                           std::string(e.value.GetString(), e.value.GetStringLength()));
        } else if (e.value.IsNumber() || e.value.IsBool()) {
          map.emplace_back(std::move(key), to_json(e.value));
        }
      }
      return;
    }
    case FieldKind::kTextList: {
      if (!m.IsString()) wrong("a string");
      const std::string_view all(m.GetString(), m.GetStringLength());
      auto &items = r.add_items(index);
      if (!text::trim_view(all).empty()) {
        size_t from = 0;
        for (;;) {
          const size_t comma = all.find(',', from);
          items.emplace_back(text::trim_view(all.substr(from, comma - from)));
          if (comma == std::string_view::npos) break;
          from = comma + 1;
        }
      }
      slot.text.assign(all.data(), all.size());
      return;
    }
  }
  slot.present = true;
}

OldRecord decode_record(const Value &v, const RecordDef &def, const char *context) {
  json::require_object(v, context);
  OldRecord r(def);
  r.json() = to_json(v);
  for (size_t i = 0; i < def.count; ++i) decode_field(v, def.fields[i], i, r, context);
  return r;
}

int64_t total_count(const Value &doc, bool required) {
  const auto it = doc.FindMember("total_count");
  if (it == doc.MemberEnd() || it->value.IsNull()) {
    if (required) bad("response: 'total_count' is missing");
    return -1;
  }
  if (!it->value.IsInt64() || it->value.GetInt64() < 0) {
    bad("response: 'total_count' is not a non-negative integer");
  }
  return it->value.GetInt64();
}

}  // namespace

OldRecord old_decode_record_member(const std::string &body, const char *member,
                                   const RecordDef &def) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  json::require_object(doc, "response");
  return decode_record(json::member_object(doc, member, "response"), def, def.name);
}

std::vector<OldRecord> old_decode_record_array(const std::string &body, const char *member,
                                               const RecordDef &def, int64_t *count,
                                               std::string *document_json) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  json::require_object(doc, "response");
  if (document_json != nullptr) *document_json = json::to_json(doc);
  const Value &arr = json::member_array(doc, member, "response");
  std::vector<OldRecord> out;
  out.reserve(arr.Size());
  for (const auto &v : arr.GetArray()) out.push_back(decode_record(v, def, def.name));
  if (count != nullptr) {
    const auto c = doc.FindMember("count");
    if (c != doc.MemberEnd() && !c->value.IsNull()) {
      if (!c->value.IsInt64()) bad("response: 'count' is not an integer");
      *count = c->value.GetInt64();
    }
  }
  return out;
}

// ---- the former tag decoders ----

OldTagQueryResult old_decode_tag_query_result(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  json::require_object(doc, "response");
  OldTagQueryResult result;
  result.json = body;
  const Value &arr = json::member_array(doc, "resources", "response");
  result.resources.reserve(arr.Size());
  for (const auto &v : arr.GetArray()) {
    result.resources.push_back(decode_record(v, kTagResourceRecord, kTagResourceRecord.name));
  }
  result.count = total_count(doc, false);
  return result;
}

OldRecord old_tag_resource_instance(const OldRecord &resource) {
  if (const OldRecord *detail = resource.child(kTagResourceDetail)) return *detail;
  OldRecord instance(kPiRecord);
  std::string json = "{";
  auto copy = [&](size_t from, size_t to, const char *wire) {
    const char *text = resource.str(from);
    if (text == nullptr) return;
    OldRecord::Slot &slot = instance.slot(to);
    slot.text = text;
    slot.present = true;
    if (json.size() > 1) json += ',';
    json += '"';
    json += wire;
    json += "\":";
    append_json_string(json, text);
  };
  copy(kTagResourceId, kPiId, "id");
  copy(kTagResourceName, kPiName, "name");
  instance.json() = json + "}";
  return instance;
}

}  // namespace sdrs::test
