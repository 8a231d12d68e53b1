// Byte scans eight bytes at a time (SWAR), for the checks that run over every request and
// response: UTF-8 validation and JSON escaping. Each test answers "is there such a byte in
// this word"; the callers then find it a byte at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace sdrs::bytes {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// The bytes of a text as unsigned values (what the table lookups and comparisons need).
inline const unsigned char *of(std::string_view s) {
  return reinterpret_cast<const unsigned char *>(s.data());  // NOLINT(*-reinterpret-cast)
}

inline uint64_t load8(const unsigned char *p) {
  uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Nonzero when some byte of w is below n (n <= 128).
constexpr uint64_t has_less(uint64_t w, uint8_t n) {
  return (w - kOnes * n) & ~w & kHighs;
}

// Nonzero when some byte of w equals b.
constexpr uint64_t has_byte(uint64_t w, uint8_t b) {
  return has_less(w ^ (kOnes * b), 1);
}

// Nonzero when some byte of w is 0x7f or above (DEL, or not ASCII).
constexpr uint64_t has_del_or_high(uint64_t w) {
  return ((w + kOnes) | w) & kHighs;
}

}  // namespace sdrs::bytes
