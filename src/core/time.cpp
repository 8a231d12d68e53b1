#include "core/time.hpp"

#include "core/bytes.hpp"
#include "core/models.hpp"

namespace sdrs {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// The value of the digit at s[i]: above 9 when it is not a digit (no locale, no branch).
unsigned digit(std::string_view s, size_t i) {
  return static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
}

// The fields of "YYYY-MM-DD?HH:MM:SS" (text has at least 19 bytes): century, year in the century,
// month, day, hour, minute, second; false when one of the 14 digits is not a digit. Decoders
// read two times per record, so eight bytes at a time.
bool date_fields(std::string_view text, int64_t (&f)[7]) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr uint64_t kZeros = bytes::kOnes * '0';
  // The bytes of w under `digits` must be digits; returns, at each byte, ten times its digit
  // plus the next one (at most 99: no carry), the separators counting as 0.
  const auto pairs = [](uint64_t w, uint64_t digits, uint64_t *out) {
    const uint64_t v = (w & digits) | (kZeros & ~digits);
    if ((((v - kZeros) | (v + bytes::kOnes * 0x46)) & bytes::kHighs) != 0) return false;
    const uint64_t x = v - kZeros;
    *out = x * 10 + (x >> 8);
    return true;
  };
  const unsigned char *s = bytes::of(text);
  uint64_t date = 0;  // "YYYY-MM-"
  uint64_t day = 0;   // "DD"
  uint64_t time = 0;  // "HH:MM:SS" (bytes 11..18)
  if (!pairs(bytes::load8(s), 0x00ffff00ffffffffULL, &date) ||
      !pairs(bytes::load8(s + 8), 0xffffULL, &day) ||
      !pairs(bytes::load8(s + 11), 0xffff00ffff00ffffULL, &time)) {
    return false;
  }
  const auto at = [](uint64_t w, int byte) {
    return static_cast<int64_t>((w >> (8 * byte)) & 0xff);
  };
  f[0] = at(date, 0);
  f[1] = at(date, 2);
  f[2] = at(date, 5);
  f[3] = at(day, 0);
  f[4] = at(time, 0);
  f[5] = at(time, 3);
  f[6] = at(time, 6);
  return true;
#else
  static const size_t kFirst[7] = {0, 2, 5, 8, 11, 14, 17};
  for (size_t i = 0; i < 7; ++i) {
    const unsigned hi = digit(text, kFirst[i]);
    const unsigned lo = digit(text, kFirst[i] + 1);
    if (hi > 9 || lo > 9) return false;
    f[i] = hi * 10 + lo;
  }
  return true;
#endif
}

}  // namespace

int64_t parse_time_ms(std::string_view text) {
  // "YYYY-MM-DD?HH:MM:SS" at fixed positions, then an optional fraction and zone.
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return kTimeNone;
  }
  int64_t f[7];
  if (!date_fields(text, f)) return kTimeNone;
  const int64_t year = f[0] * 100 + f[1];
  const int64_t month = f[2];
  const int64_t day = f[3];
  const int64_t hour = f[4];
  const int64_t minute = f[5];
  const int64_t second = f[6];
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return kTimeNone;
  const int64_t max_day = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > max_day || hour > 23 || minute > 59 || second > 60) return kTimeNone;
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    // Any number of digits; the first three are the milliseconds.
    const size_t first = ++pos;
    while (pos < text.size() && digit(text, pos) <= 9) ++pos;
    const size_t digits = pos - first;
    if (digits == 0) return kTimeNone;
    millis = int64_t{digit(text, first)} * 100;
    if (digits > 1) millis += int64_t{digit(text, first + 1)} * 10;
    if (digits > 2) millis += digit(text, first + 2);
  }
  int64_t offset_s = 0;
  if (pos < text.size()) {
    const char z = text[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      if (pos + 2 > text.size() || digit(text, pos) > 9 || digit(text, pos + 1) > 9) {
        return kTimeNone;
      }
      const int64_t oh = digit(text, pos) * 10 + digit(text, pos + 1);
      pos += 2;
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (pos + 2 > text.size() || digit(text, pos) > 9 || digit(text, pos + 1) > 9) {
        return kTimeNone;
      }
      const int64_t om = digit(text, pos) * 10 + digit(text, pos + 1);
      pos += 2;
      if (oh > 23 || om > 59) return kTimeNone;
      offset_s = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
    }
  }
  if (pos != text.size()) return kTimeNone;
  const int64_t secs =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return secs * 1000 + millis;
}

}  // namespace sdrs
