#include "core/time.hpp"

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

// The digit at s[i], or -1 (decoders parse two times per record: no locale, no bounds loop).
int digit(std::string_view s, size_t i) {
  const auto d = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
  return d <= 9 ? static_cast<int>(d) : -1;
}

// Two digits at s[i], or -1.
int64_t two_digits(std::string_view s, size_t i) {
  const int hi = digit(s, i);
  const int lo = digit(s, i + 1);
  return hi < 0 || lo < 0 ? -1 : hi * 10 + lo;
}

}  // namespace

int64_t parse_time_ms(std::string_view text) {
  // "YYYY-MM-DD?HH:MM:SS" at fixed positions, then an optional fraction and zone.
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return kTimeNone;
  }
  const int64_t century = two_digits(text, 0);
  const int64_t year_in = two_digits(text, 2);
  const int64_t month = two_digits(text, 5);
  const int64_t day = two_digits(text, 8);
  const int64_t hour = two_digits(text, 11);
  const int64_t minute = two_digits(text, 14);
  const int64_t second = two_digits(text, 17);
  if (century < 0 || year_in < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return kTimeNone;
  }
  const int64_t year = century * 100 + year_in;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return kTimeNone;
  const int64_t max_day = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > max_day || hour > 23 || minute > 59 || second > 60) return kTimeNone;
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100;
    size_t digits = 0;
    for (int d = 0; pos < text.size() && (d = digit(text, pos)) >= 0; ++pos, ++digits) {
      millis += d * scale;
      scale /= 10;
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
      const int64_t oh = pos + 2 <= text.size() ? two_digits(text, pos) : -1;
      if (oh < 0) return kTimeNone;
      pos += 2;
      if (pos < text.size() && text[pos] == ':') ++pos;
      const int64_t om = pos + 2 <= text.size() ? two_digits(text, pos) : -1;
      if (om < 0 || oh > 23 || om > 59) return kTimeNone;
      pos += 2;
      offset_s = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
    }
  }
  if (pos != text.size()) return kTimeNone;
  const int64_t secs =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return secs * 1000 + millis;
}

}  // namespace sdrs
