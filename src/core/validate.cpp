#include "core/validate.hpp"

#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace sdrs {
namespace {

[[noreturn]] void reject(std::string_view field, const std::string &rule) {
  fail(Code::kValidation, std::string(field) + ": " + rule);
}

// ASCII only, whatever the process locale says (isalnum would ask the locale, per byte); one
// table load per byte (every create checks a name).
struct NameCharTable {
  bool ok[256] = {};
  constexpr NameCharTable() {
    for (int c = 0; c < 256; ++c) {
      ok[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    }
  }
};
constexpr NameCharTable kNameChar;

bool is_name_char(unsigned char c) {
  return kNameChar.ok[c];
}

}  // namespace

namespace {

// Decodes the multi-byte UTF-8 sequence starting at bytes[i] (a lead byte >= 0x80). Returns its
// length, or 0 when it is malformed: a bad lead or continuation byte, truncated, overlong, a
// surrogate or past U+10FFFF. The code point goes to *cp.
size_t utf8_sequence(const unsigned char *bytes, size_t n, size_t i, uint32_t *cp) {
  const unsigned char c = bytes[i];
  size_t len = 0;
  uint32_t v = 0;
  if ((c & 0xe0) == 0xc0) {
    len = 2;
    v = c & 0x1fU;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    v = c & 0x0fU;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    v = c & 0x07U;
  } else {
    return 0;
  }
  if (i + len > n) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = bytes[i + k];
    if ((cc & 0xc0) != 0x80) return 0;
    v = (v << 6) | (cc & 0x3fU);
  }
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
      (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) {
    return 0;
  }
  *cp = v;
  return len;
}

// Walks UTF-8 text: ASCII that `word_ok` (eight bytes at a time) and `byte_ok` accept is
// skipped, any other ASCII byte is refused, and multi-byte sequences must be well-formed with a
// code point `code_point_ok` accepts.
template <typename WordOk, typename ByteOk, typename CodePointOk>
bool scan_utf8(std::string_view text, WordOk word_ok, ByteOk byte_ok, CodePointOk code_point_ok) {
  const unsigned char *p = bytes::of(text);
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n && word_ok(bytes::load8(p + i))) i += 8;
    // The last 0-7 bytes as one word overlapping bytes already accepted: most values are short
    // ASCII, and the byte loop over their tails cost more than the words before.
    if (i < n && i + 8 > n && n >= 8 && word_ok(bytes::load8(p + n - 8))) break;
    while (i < n && p[i] < 0x80 && byte_ok(p[i])) ++i;
    if (i == n) break;
    if (p[i] < 0x80) return false;
    uint32_t cp = 0;
    const size_t len = utf8_sequence(p, n, i, &cp);
    if (len == 0 || !code_point_ok(cp)) return false;
    i += len;
  }
  return true;
}

}  // namespace

bool is_clean_utf8(std::string_view value) {
  return scan_utf8(
      value, [](uint64_t w) { return (bytes::has_less(w, 0x20) | bytes::has_del_or_high(w)) == 0; },
      [](unsigned char c) { return (c >= 0x20 && c != 0x7f) || c == '\t'; },
      [](uint32_t cp) { return cp < 0x80 || cp >= 0xa0; });  // no C1 controls
}

bool is_utf8_without_nul(std::string_view text) {
  return scan_utf8(
      text, [](uint64_t w) { return (w & bytes::kHighs) == 0 && bytes::has_less(w, 1) == 0; },
      [](unsigned char c) { return c != 0; }, [](uint32_t) { return true; });
}

void validate_name(std::string_view field, const std::string &value) {
  if (value.empty()) reject(field, "required (must be 1..64 bytes of A-Z a-z 0-9 . _ -)");
  if (value.size() > 64) {
    reject(field, "must be at most 64 bytes (got " + std::to_string(value.size()) + ")");
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (!is_name_char(c)) {
      std::string shown = (c >= 0x21 && c < 0x7f) ? std::string("'") + static_cast<char>(c) + "'"
                          : c == ' '              ? std::string("a space")
                                                  : "byte " + std::to_string(c);
      reject(field, "may contain only A-Z a-z 0-9 . _ - (found " + shown + " at offset " +
                        std::to_string(i) + ")");
    }
  }
}

void validate_description(const std::string &value) {
  if (value.size() > 64) {
    reject("description", "must be at most 64 bytes (got " + std::to_string(value.size()) + ")");
  }
  // Two memchr scans: find_first_of calls memchr once per byte of the value.
  if (value.find('<') != std::string::npos || value.find('>') != std::string::npos) {
    reject("description", "must not contain '<' or '>'");
  }
  if (!is_clean_utf8(value)) {
    reject("description", "must be valid UTF-8 without control characters");
  }
}

void validate_required_text(std::string_view field, const std::string &value) {
  if (value.empty()) reject(field, "required (must not be empty)");
  if (value.size() > 255) {
    reject(field, "must be at most 255 bytes (got " + std::to_string(value.size()) + ")");
  }
  if (!is_clean_utf8(value)) reject(field, "must be valid UTF-8 without control characters");
}

namespace {

// What a byte is to validate_path_segment.
struct SegmentByteTable {
  enum Kind : unsigned char { kOk, kHigh, kSlash, kControl, kUrlSyntax };
  Kind kind[256] = {};
  constexpr SegmentByteTable() {
    for (int c = 0; c < 256; ++c) {
      if (c >= 0x80) {
        kind[c] = kHigh;
      } else if (c == '/' || c == '\\') {
        kind[c] = kSlash;
      } else if (c <= 0x20 || c == 0x7f) {
        kind[c] = kControl;
      } else if (c == '?' || c == '#' || c == '%') {
        kind[c] = kUrlSyntax;
      }
    }
  }
};
constexpr SegmentByteTable kSegmentByte;

}  // namespace

void validate_path_segment(std::string_view field, std::string_view value) {
  if (value.empty()) reject(field, "required (must not be empty)");
  if (value.size() > 128) {
    reject(field, "must be at most 128 bytes (got " + std::to_string(value.size()) + ")");
  }
  if (value.find("..") != std::string_view::npos) reject(field, "must not contain '..'");
  // Every request path has ids in it: one table load per byte, and the UTF-8 check only when
  // there is a non-ASCII byte (printable ASCII is clean UTF-8).
  bool non_ascii = false;
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    switch (kSegmentByte.kind[c]) {
      case SegmentByteTable::kOk:
        break;
      case SegmentByteTable::kHigh:
        non_ascii = true;
        break;
      case SegmentByteTable::kSlash:
        reject(field, "must not contain '/' or '\\'");
      case SegmentByteTable::kControl:
        reject(field, "must not contain whitespace, CR/LF or control characters");
      case SegmentByteTable::kUrlSyntax:
        reject(field, "must not contain '?', '#' or '%'");
    }
  }
  if (non_ascii && !is_clean_utf8(value)) reject(field, "must be valid UTF-8");
}

void validate_ipv4(std::string_view field, const std::string &value) {
  const std::string rule = "must be a dotted-quad IPv4 address (four numbers 0..255)";
  if (value.empty()) reject(field, "required (" + rule.substr(8) + ")");
  size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= value.size() || value[pos] != '.') reject(field, rule);
      ++pos;
    }
    const size_t start = pos;
    int number = 0;
    while (pos < value.size() && pos - start < 4 && value[pos] >= '0' && value[pos] <= '9') {
      number = number * 10 + (value[pos] - '0');
      ++pos;
    }
    const size_t digits = pos - start;
    if (digits == 0 || digits > 3 || number > 255) reject(field, rule);
    if (digits > 1 && value[start] == '0') {
      reject(field, rule + ", without leading zeros");
    }
  }
  if (pos != value.size()) reject(field, rule);
}

void validate_list_id(std::string_view field, const std::string &value) {
  validate_path_segment(field, value);
  if (value.find_first_of("\"',[]") != std::string::npos) {
    reject(field, "an id must not contain quotes, ',', '[' or ']'");
  }
}

void validate_header_value(std::string_view field, const std::string &value, size_t max_len) {
  if (value.empty()) reject(field, "must not be empty");
  if (value.size() > max_len) {
    reject(field, "must be at most " + std::to_string(max_len) + " bytes (got " +
                      std::to_string(value.size()) + ")");
  }
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f) {
      reject(field, "must be printable ASCII (no CR/LF or control characters)");
    }
  }
}

void validate_one_of(std::string_view field, const std::string &value, const char *const *allowed) {
  std::string list;
  for (const char *const *a = allowed; *a != nullptr; ++a) {
    if (value == *a) return;
    list += list.empty() ? "" : ", ";
    list += *a;
  }
  reject(field, "must be one of " + list);
}

void validate_range(std::string_view field, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi) {
    reject(field, "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + " (got " +
                      std::to_string(value) + ")");
  }
}

}  // namespace sdrs
