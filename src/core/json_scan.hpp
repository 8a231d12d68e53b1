// The JSON reader of the fast decoders (core/record_scan.cpp, the job's in job_codec.cpp): the
// grammar RapidJSON reads (whitespace is " \t\n\r"), but only the common shapes: strings
// without escapes, integers of at most 18 digits (not "-0"). Anything else, and any syntax
// error, is "not handled" (false), upon which the caller falls back to its complete decoder,
// which also words the errors. What it hands out needs no rewriting: a handled value's text is
// what RapidJSON's writer would write for it, up to whitespace.
//
// Strings are scanned eight bytes at a time. Bytes of 0x80 and above in strings are only noted
// (non_ascii()): the caller then checks the UTF-8 of the whole body, once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/bytes.hpp"

namespace sdrs::scan {

constexpr bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

class Scanner {
 public:
  Scanner(const char *begin, const char *end) : p_(begin), end_(end) {}

  const char *pos() const { return p_; }
  bool at_end() const { return p_ == end_; }
  // A byte of 0x80 or above was seen in a string.
  bool non_ascii() const { return non_ascii_; }
  // How many runs of whitespace were skipped so far: unchanged over a value means its text is
  // compact.
  size_t spaces() const { return spaces_; }

  // The next byte after whitespace ('\0' at the end, which no caller accepts).
  char peek() {
    if (p_ < end_ && is_space(*p_)) skip_spaces();
    return p_ < end_ ? *p_ : '\0';
  }
  void advance() { ++p_; }
  // Whitespace, then c (not '\0').
  bool eat(char c) {
    if (peek() != c) return false;
    ++p_;
    return true;
  }

  // After the opening quote: the string's bytes up to the closing quote, which is consumed.
  bool string(std::string_view *out) {
    const char *const begin = p_;
    for (;;) {
      if (end_ - p_ >= 8) {
        const uint64_t w = bytes::load8(reinterpret_cast<const unsigned char *>(p_));  // NOLINT
        const uint64_t special = bytes::has_byte(w, '"') | bytes::has_byte(w, '\\') |
                                 bytes::has_less(w, 0x20) | (w & bytes::kHighs);
        if (special == 0) {
          p_ += 8;
          continue;
        }
        // The lowest flagged byte is a true one (the tests' false positives sit above one).
        p_ += static_cast<unsigned>(__builtin_ctzll(special)) / 8;
      } else if (p_ == end_) {
        return false;
      }
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *out = std::string_view(begin, static_cast<size_t>(p_ - begin));
        ++p_;
        return true;
      }
      if (c >= 0x80) {
        non_ascii_ = true;
      } else if (c == '\\' || c < 0x20) {
        return false;
      }
      ++p_;
    }
  }

  // Whitespace, a string, whitespace and ':'.
  bool key(std::string_view *out) {
    if (!eat('"') || !string(out)) return false;
    return eat(':');
  }

  // At its first byte: -?(0|[1-9][0-9]*) with at most 18 digits, not "-0", not followed by a
  // fraction or exponent. *text gets its text.
  bool integer(int64_t *value, std::string_view *text) {
    const char *q = p_;
    const bool negative = q < end_ && *q == '-';
    if (negative) ++q;
    if (q == end_ || !is_digit(*q)) return false;
    const char *const digits = q;
    uint64_t v = 0;
    if (*q == '0') {
      ++q;
    } else {
      while (q < end_ && is_digit(*q)) v = v * 10 + static_cast<unsigned>(*q++ - '0');
      if (q - digits > 18) return false;
    }
    if (q < end_ && (*q == '.' || *q == 'e' || *q == 'E' || is_digit(*q))) return false;
    if (negative && v == 0) return false;  // RapidJSON reads -0 as 0: its text changes
    *value = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    *text = std::string_view(p_, static_cast<size_t>(q - p_));
    p_ = q;
    return true;
  }

  // At its first byte: exactly `word` (true, false, null).
  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // Whitespace and one value of any shape the scanner handles, nested up to 64 deep.
  bool skip_value() {
    uint64_t objects = 0;  // bit d: the container at depth d + 1 is an object
    int depth = 0;
    for (;;) {
      // A value.
      const char c = peek();
      if (c == '{' || c == '[') {
        ++p_;
        if (depth == 64) return false;
        const bool object = c == '{';
        objects = (objects << 1) | (object ? 1 : 0);
        ++depth;
        if (peek() != (object ? '}' : ']')) {
          std::string_view key_text;
          if (object && !key(&key_text)) return false;
          continue;  // its first value
        }
        ++p_;
        objects >>= 1;
        --depth;
      } else if (!scalar(c)) {
        return false;
      }
      // After a value: close containers, or go on to the next value.
      for (;;) {
        if (depth == 0) return true;
        const bool object = (objects & 1) != 0;
        const char next = peek();
        if (next == ',') {
          ++p_;
          std::string_view key_text;
          if (object && !key(&key_text)) return false;
          break;
        }
        if (next != (object ? '}' : ']')) return false;
        ++p_;
        objects >>= 1;
        --depth;
      }
    }
  }

 private:
  void skip_spaces() {
    ++spaces_;
    while (p_ < end_ && is_space(*p_)) ++p_;
  }

  // A string, number or literal starting with c (at p_).
  bool scalar(char c) {
    std::string_view text;
    int64_t value = 0;
    switch (c) {
      case '"':
        ++p_;
        return string(&text);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return (c == '-' || is_digit(c)) && integer(&value, &text);
    }
  }

  const char *p_;
  const char *end_;
  size_t spaces_ = 0;
  bool non_ascii_ = false;
};

// The text of a value without its whitespace: what RapidJSON's writer writes for a value the
// scanner handled (its strings hold no escapes, so every '"' opens or closes one). Writes at
// out, which has room for text.size() bytes; returns the end.
inline char *write_compact(char *out, std::string_view text) {
  bool in_string = false;
  for (const char c : text) {
    if (c == '"') in_string = !in_string;
    if (in_string || !is_space(c)) *out++ = c;
  }
  return out;
}

}  // namespace sdrs::scan
