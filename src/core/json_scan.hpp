// The JSON reader of the fast decoders (core/record_scan.cpp, the job's in job_codec.cpp): the
// grammar RapidJSON reads (whitespace is " \t\n\r"), but only the common shapes: strings
// without escapes, integers of at most 18 digits (not "-0"). Anything else, and any syntax
// error, is "not handled" (false), upon which the caller falls back to its complete decoder,
// which also words the errors. What it hands out needs no rewriting: a handled value's text is
// what RapidJSON's writer would write for it, up to whitespace.
//
// Strings are scanned sixteen bytes at a time (SSE2, else eight). Bytes of 0x80 and above in
// strings are only noted (non_ascii()): the caller then checks the UTF-8 of the whole body, once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/bytes.hpp"

namespace sdrs::scan {

constexpr bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// text is the literal's bytes (a compare the compiler inlines).
template <size_t N>
bool equals(std::string_view text, const char (&literal)[N]) {
  return text.size() == N - 1 && std::memcmp(text.data(), literal, N - 1) == 0;
}

// Up to 16 bytes to compare at once with the text (a key with its quotes and colon).
struct Pattern {
  alignas(16) char bytes[16];
  size_t size;
  unsigned mask;  // a bit per byte of the pattern
};
template <size_t N>
constexpr Pattern pattern(const char (&text)[N]) {
  static_assert(N - 1 <= 16, "a pattern holds at most 16 bytes");
  Pattern p{{}, N - 1, (1U << (N - 1)) - 1};
  for (size_t i = 0; i + 1 < N; ++i) p.bytes[i] = text[i];
  return p;
}

class Scanner {
 public:
  // Over a std::string: its terminating NUL (data()[size()]) stops every loop, so no step
  // checks the end; a NUL byte inside the text stops them alike, and is refused.
  explicit Scanner(const std::string &text)
      : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()) {}

  const char *pos() const { return p_; }
  bool at_end() const { return p_ == end_; }
  // A byte of 0x80 or above was seen in a string.
  bool non_ascii() const { return non_ascii_; }
  // How many runs of whitespace were skipped so far: unchanged over a value means its text is
  // compact.
  size_t spaces() const { return spaces_; }

  // The next byte after whitespace ('\0' at the end, which no caller accepts).
  char peek() {
    if (static_cast<unsigned char>(*p_) <= ' ') skip_spaces();
    return *p_;
  }
  void advance() { ++p_; }
  // Whitespace, then c (not '\0'). Compact text (no whitespace) takes the first test.
  bool eat(char c) {
    if (*p_ != c) {
      if (static_cast<unsigned char>(*p_) > ' ') return false;
      skip_spaces();
      if (*p_ != c) return false;
    }
    ++p_;
    return true;
  }

  // After the opening quote: the string's bytes up to the closing quote, which is consumed.
  bool string(std::string_view *out) {
    const char *const begin = p_;
    for (;;) {
      p_ += plain_run();
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *out = std::string_view(begin, static_cast<size_t>(p_ - begin));
        ++p_;
        return true;
      }
      if (c < 0x80) return false;  // a backslash, a control character, or the end
      non_ascii_ = true;
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
    const bool negative = *q == '-';
    if (negative) ++q;
    if (!is_digit(*q)) return false;
    const char *const digits = q;
    uint64_t v = 0;
    if (*q == '0') {
      ++q;
    } else {
      while (is_digit(*q)) v = v * 10 + static_cast<unsigned>(*q++ - '0');
      if (q - digits > 18) return false;
    }
    if (*q == '.' || *q == 'e' || *q == 'E' || is_digit(*q)) return false;
    if (negative && v == 0) return false;  // RapidJSON reads -0 as 0: its text changes
    *value = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    *text = std::string_view(p_, static_cast<size_t>(q - p_));
    p_ = q;
    return true;
  }

  // Exactly the pattern's bytes next (no whitespace before them): consumed.
  bool match(const Pattern &p) {
#if defined(__SSE2__)
    if (end_ - p_ >= 16) {
      const __m128i text = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p_));       // NOLINT
      const __m128i bytes = _mm_load_si128(reinterpret_cast<const __m128i *>(p.bytes));  // NOLINT
      const auto equal = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(text, bytes)));
      if ((equal & p.mask) != p.mask) return false;
      p_ += p.size;
      return true;
    }
#endif
    if (static_cast<size_t>(end_ - p_) < p.size || std::memcmp(p_, p.bytes, p.size) != 0) {
      return false;
    }
    p_ += p.size;
    return true;
  }

  // At its first byte: exactly `word` (true, false, null). Compared a byte at a time, so the
  // end's NUL stops it.
  bool literal(std::string_view word) {
    for (size_t i = 0; i < word.size(); ++i) {
      if (p_[i] != word[i]) return false;
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
    const char *q = p_;
    while (is_space(*q)) ++q;
    if (q != p_) {
      ++spaces_;
      p_ = q;
    }
  }

  static constexpr bool plain(unsigned char c) {
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  }

#if defined(__SSE2__)
  // A bit per byte of the sixteen at `at` that is '"', '\\', a control character or 0x80 and
  // above (a signed comparison catches the last two at once).
  static unsigned special16(const char *at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(at));  // NOLINT
    const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    const __m128i low_or_high = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low_or_high)));
  }
#endif

  // How many bytes from p_ on are plain string bytes (not '"', '\\', a control character or
  // 0x80 and above).
  size_t plain_run() const {
    const char *q = p_;
#if defined(__SSE2__)
    for (; end_ - q >= 16; q += 16) {
      const unsigned mask = special16(q);
      if (mask != 0)
        return static_cast<size_t>(q - p_) + static_cast<unsigned>(__builtin_ctz(mask));
    }
    if (q < end_ && end_ - begin_ >= 16) {
      // The rest: the text's last sixteen bytes, those before q left out.
      const char *last = end_ - 16;
      const unsigned mask = special16(last) >> (q - last);
      if (mask != 0)
        return static_cast<size_t>(q - p_) + static_cast<unsigned>(__builtin_ctz(mask));
      return static_cast<size_t>(end_ - p_);
    }
#endif
    for (; end_ - q >= 8; q += 8) {
      const uint64_t w = bytes::load8(reinterpret_cast<const unsigned char *>(q));  // NOLINT
      const uint64_t special = bytes::has_byte(w, '"') | bytes::has_byte(w, '\\') |
                               bytes::has_less(w, 0x20) | (w & bytes::kHighs);
      // The lowest flagged byte is a true one (the tests' false positives sit above one).
      if (special != 0) {
        return static_cast<size_t>(q - p_) + static_cast<unsigned>(__builtin_ctzll(special)) / 8;
      }
    }
    while (plain(static_cast<unsigned char>(*q))) ++q;
    return static_cast<size_t>(q - p_);
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
  const char *begin_;
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
