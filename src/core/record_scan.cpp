// The fast record decoder: one pass of the scanner (core/json_scan.hpp) over the body, straight
// into one store (core/record.hpp). It takes what services send (compact or spaced JSON,
// strings without escapes, plain integers, fields in a steady order) and declines anything
// else by returning false; decode_record_member/decode_record_array then run the complete DOM
// decoder (core/codec.cpp), which also words every error. So it never decides an error itself:
// on any doubt it declines, and what it accepts must decode exactly as the DOM decoder would
// (tests/unit/record_decoder_test.cpp compares the two, and the former decoder, on the corpora).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec.hpp"
#include "core/json_scan.hpp"
#include "core/record.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"

namespace sdrs::detail {
namespace {

using scan::Scanner;

// Records with more fields than bits in the seen mask are left to the DOM decoder.
constexpr size_t kMaxFields = 64;
// Nested tables per decode (a record and its children's children).
constexpr size_t kMaxTables = 8;

// Which field of a table a key names. A guess first: the field that followed the previous one
// the last time (a service sends its fields in one order), else a small hash table.
class FieldIndex {
 public:
  void build(const RecordDef &def) {
    def_ = &def;
    table_.fill(0);
    next_.fill(kNone);
    for (size_t i = 0; i < def.count; ++i) {
      wires_[i] = def.fields[i].wire;
      if (def.fields[i].required) required_ |= uint64_t{1} << i;
      size_t h = hash(wires_[i]);
      while (table_[h] != 0) h = (h + 1) % kTableSize;
      table_[h] = static_cast<uint8_t>(i + 1);
    }
  }
  const RecordDef *def() const { return def_; }
  uint64_t required() const { return required_; }

  // The field named key, or -1. previous: the field of the previous key, or -1.
  int find(std::string_view key, int previous) {
    uint8_t &guess = next_[static_cast<size_t>(previous) + 1];  // previous >= -1
    if (guess != kNone && wires_[guess] == key) return guess;
    for (size_t h = hash(key);; h = (h + 1) % kTableSize) {
      const uint8_t entry = table_[h];
      if (entry == 0) return -1;
      if (wires_[entry - 1U] == key) {
        guess = static_cast<uint8_t>(entry - 1U);
        return guess;
      }
    }
  }

 private:
  static constexpr size_t kTableSize = 128;  // at most 64 fields: half full at most
  static constexpr uint8_t kNone = 0xff;

  static size_t hash(std::string_view key) {
    if (key.empty()) return 0;
    return (key.size() * 31 + size_t{static_cast<unsigned char>(key.front())} * 7 +
            static_cast<unsigned char>(key.back())) %
           kTableSize;
  }

  const RecordDef *def_ = nullptr;
  uint64_t required_ = 0;
  std::array<std::string_view, kMaxFields> wires_{};
  std::array<uint8_t, kTableSize> table_{};
  std::array<uint8_t, kMaxFields + 1> next_{};
};

class Decoder {
 public:
  explicit Decoder(const std::string &body) : body_(body), in_(body), b_(body.size() * 2) {
    // About one slot per 24 bytes of a typical list; more only costs a reallocation.
    b_.store().slots.reserve(body.size() / 24 + 16);
  }

  // {"<member>": {...}, ...}
  bool member(std::string_view member, const RecordDef &def, Record *out) {
    bool found = false;
    const bool ok = document([&](std::string_view key) {
      if (found || key != member) return in_.skip_value();
      found = true;
      uint32_t base = 0;
      RecordStore::Span json{};
      if (!object(def, &base, &json)) return false;
      *out = b_.top(def, base, json);
      return true;
    });
    return ok && found;
  }

  // {"<member>": [{...}, ...], "count": N, ...}
  bool array(std::string_view member, const RecordDef &def, int64_t *count,
             std::vector<Record> *out) {
    bool found = false;
    bool counted = false;
    const bool ok = document([&](std::string_view key) {
      if (!found && key == member) {
        found = true;
        return records(def, out);
      }
      if (count != nullptr && !counted && scan::equals(key, "count")) {
        counted = true;
        if (in_.peek() == 'n') return in_.literal("null");
        std::string_view text;
        return in_.integer(count, &text);
      }
      return in_.skip_value();
    });
    return ok && found;
  }

  // The whole body without its whitespace (the document's JSON text).
  std::string compact_body() const {
    std::string out(body_.size(), '\0');
    out.resize(static_cast<size_t>(scan::write_compact(out.data(), body_) - out.data()));
    return out;
  }

 private:
  // The root object: member(key) reads each member's value; then only whitespace may follow,
  // and the body must be UTF-8 without NUL bytes (checked only when a string held non-ASCII).
  template <typename Member>
  bool document(Member member) {
    if (!in_.eat('{')) return false;
    if (!members(member)) return false;
    in_.peek();
    if (!in_.at_end()) return false;
    return !in_.non_ascii() || is_utf8_without_nul(body_);
  }

  // After an object's '{': its members up to and with the '}'.
  template <typename Member>
  bool members(Member member) {
    if (in_.eat('}')) return true;
    for (;;) {
      std::string_view key;
      if (!in_.key(&key) || !member(key)) return false;
      if (in_.eat(',')) continue;
      return in_.eat('}');
    }
  }

  FieldIndex *index_for(const RecordDef &def) {
    for (size_t i = 0; i < tables_; ++i) {
      if (indexes_[i].def() == &def) return &indexes_[i];
    }
    if (tables_ == kMaxTables || def.count > kMaxFields) return nullptr;
    indexes_[tables_].build(def);
    return &indexes_[tables_++];
  }

  // An array of records of def (at its '['), each a top-level record in *out.
  bool records(const RecordDef &def, std::vector<Record> *out) {
    if (!in_.eat('[')) return false;
    if (in_.eat(']')) return true;
    for (;;) {
      uint32_t base = 0;
      RecordStore::Span json{};
      if (!object(def, &base, &json)) return false;
      out->push_back(b_.top(def, base, json));
      if (in_.eat(',')) continue;
      return in_.eat(']');
    }
  }

  // A record of def (at its '{'): its slots from *base on, its JSON text in *json.
  bool object(const RecordDef &def, uint32_t *base, RecordStore::Span *json) {
    FieldIndex *index = index_for(def);
    if (index == nullptr || in_.peek() != '{') return false;
    const char *const begin = in_.pos();
    const size_t spaces = in_.spaces();
    in_.advance();
    const uint32_t slots = b_.open(def);
    uint64_t seen = 0;
    int previous = -1;
    const bool ok = members([&](std::string_view key) {
      const int f = index->find(key, previous);
      // Unknown keys, and a field's later duplicates (the DOM decoder reads the first), only
      // need to be valid JSON.
      if (f < 0 || ((seen >> f) & 1) != 0) return in_.skip_value();
      seen |= uint64_t{1} << f;
      previous = f;
      return field(def.fields[f], static_cast<size_t>(f), slots);
    });
    if (!ok) return false;
    // Required fields: present and not null.
    for (uint64_t required = index->required(); required != 0; required &= required - 1) {
      if (b_.slot(slots, static_cast<size_t>(__builtin_ctzll(required))).info == 0) return false;
    }
    *base = slots;
    const std::string_view text(begin, static_cast<size_t>(in_.pos() - begin));
    if (in_.spaces() == spaces) {
      *json = b_.add_span(text);
    } else {
      uint32_t offset = 0;
      char *out = b_.add_text_space(text.size(), &offset);
      const auto size = static_cast<size_t>(scan::write_compact(out, text) - out);
      out[size] = '\0';
      b_.shrink_text(offset, size);
      *json = {offset, static_cast<uint32_t>(size)};
    }
    return true;
  }

  // A known field's value (the first of its key) into its slot: null leaves it absent (the
  // caller checks required fields), a type the DOM decoder would refuse declines.
  bool field(const FieldDef &f, size_t index, uint32_t base) {
    const char c = in_.peek();
    if (c == 'n') return in_.literal("null");
    std::string_view text;
    switch (f.kind) {
      case FieldKind::kString:
      case FieldKind::kTime:
      case FieldKind::kTextList:
        if (!string(&text)) return false;
        if (f.kind == FieldKind::kTextList) {
          b_.set_text_list(base, index, text);
        } else {
          b_.set_text(base, index, text);
          if (f.kind == FieldKind::kTime) b_.slot(base, index).number = parse_time_ms(text);
        }
        return true;
      case FieldKind::kInt:
      case FieldKind::kIntText: {
        int64_t n = 0;
        if (c == '"') {
          if (f.kind != FieldKind::kIntText || !string(&text) || !plain_integer(text, &n)) {
            return false;
          }
        } else if (!in_.integer(&n, &text)) {
          return false;
        }
        b_.slot(base, index) = {n, 0, 1};
        return true;
      }
      case FieldKind::kBool:
      case FieldKind::kBoolText: {
        bool value = false;
        if (c == '"') {
          if (f.kind != FieldKind::kBoolText || !string(&text) ||
              (!scan::equals(text, "true") && !scan::equals(text, "false"))) {
            return false;
          }
          value = text.size() == 4;
        } else if (!boolean(c, &value)) {
          return false;
        }
        b_.slot(base, index) = {value ? 1 : 0, 0, 1};
        return true;
      }
      case FieldKind::kObject: {
        uint32_t child = 0;
        RecordStore::Span json{};
        if (!object(*f.child, &child, &json)) return false;
        b_.add_child(*f.child, child, json);
        b_.place_children(base, index, 1);
        return true;
      }
      case FieldKind::kObjectList:
        return children(*f.child, index, base);
      case FieldKind::kStringMap:
        return map(index, base);
    }
    return false;
  }

  // A kObjectList field's array of records.
  bool children(const RecordDef &def, size_t index, uint32_t base) {
    if (!in_.eat('[')) return false;
    size_t count = 0;
    if (!in_.eat(']')) {
      for (;;) {
        uint32_t child = 0;
        RecordStore::Span json{};
        if (!object(def, &child, &json)) return false;
        b_.add_child(def, child, json);
        ++count;
        if (in_.eat(',')) continue;
        if (!in_.eat(']')) return false;
        break;
      }
    }
    b_.place_children(base, index, count);
    return true;
  }

  // A kStringMap field: strings as they are, integers and booleans as their JSON text; null,
  // objects and arrays are left out (they stay in the record's JSON).
  bool map(size_t index, uint32_t base) {
    if (in_.peek() != '{') return false;
    in_.advance();
    const size_t first = b_.store().entries.size();
    const bool ok = members([&](std::string_view key) {
      std::string_view text;
      int64_t n = 0;
      bool value = false;
      const char c = in_.peek();
      switch (c) {
        case '"':
          if (!string(&text)) return false;
          break;
        case 't':
        case 'f':
          if (!boolean(c, &value)) return false;
          text = value ? "true" : "false";
          break;
        case 'n':
        case '{':
        case '[':
          return in_.skip_value();
        default:
          if (!in_.integer(&n, &text)) return false;
      }
      b_.add_entry(key, text);
      return true;
    });
    if (!ok) return false;
    const size_t count = b_.store().entries.size() - first;
    b_.slot(base, index) = {static_cast<int64_t>(first), 0, static_cast<uint32_t>(count) + 1};
    return true;
  }

  bool string(std::string_view *text) { return in_.eat('"') && in_.string(text); }

  bool boolean(char c, bool *value) {
    *value = c == 't';
    return c == 't' ? in_.literal("true") : c == 'f' && in_.literal("false");
  }

  // A kIntText string the DOM decoder's std::stoll reads whole: -?[0-9]{1,18} (anything else,
  // even what stoll would take, is left to it).
  static bool plain_integer(std::string_view text, int64_t *out) {
    const bool negative = !text.empty() && text.front() == '-';
    const std::string_view digits = text.substr(negative ? 1 : 0);
    if (digits.empty() || digits.size() > 18) return false;
    int64_t v = 0;
    for (const char c : digits) {
      if (!scan::is_digit(c)) return false;
      v = v * 10 + (c - '0');
    }
    *out = negative ? -v : v;
    return true;
  }

  const std::string &body_;
  Scanner in_;
  RecordBuilder b_;
  std::array<FieldIndex, kMaxTables> indexes_;
  size_t tables_ = 0;
};

}  // namespace

bool scan_record_member(const std::string &body, const char *member, const RecordDef &def,
                        Record *out) {
  Decoder decoder(body);
  Record record;
  if (!decoder.member(member, def, &record)) return false;
  *out = std::move(record);
  return true;
}

bool scan_record_array(const std::string &body, const char *member, const RecordDef &def,
                       int64_t *count, std::string *document_json, std::vector<Record> *out) {
  Decoder decoder(body);
  std::vector<Record> records;
  int64_t counted = count != nullptr ? *count : -1;  // changed only by a "count" member
  if (!decoder.array(member, def, count != nullptr ? &counted : nullptr, &records)) return false;
  if (count != nullptr) *count = counted;
  if (document_json != nullptr) *document_json = decoder.compact_body();
  *out = std::move(records);
  return true;
}

}  // namespace sdrs::detail
