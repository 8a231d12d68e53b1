// ASCII text helpers shared by the signer and the transport. ASCII only on purpose: header
// names, JSON keys and HTTP tokens are ASCII, and <cctype> asks the process locale per byte.
#pragma once

#include <string>
#include <string_view>

namespace sdrs::text {

// The one whitespace set trimmed anywhere in the library: HTTP optional whitespace (space,
// tab) plus the line ends a raw header line still carries.
constexpr std::string_view kWhitespace = " \t\r\n";

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

inline std::string lower(std::string s) {
  for (auto &c : s) c = ascii_lower(c);
  return s;
}

constexpr bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';  // kWhitespace
}

// Without find_first_not_of, which searches kWhitespace for every byte (every response header
// line is trimmed).
inline std::string_view trim_view(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && is_whitespace(s[b])) ++b;
  while (e > b && is_whitespace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

inline std::string trim(std::string_view s) {
  return std::string(trim_view(s));
}

// Case-insensitive equality of an ASCII name with a lower-case one.
inline bool equals_lower(std::string_view name, std::string_view lower_case) {
  if (name.size() != lower_case.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (ascii_lower(name[i]) != lower_case[i]) return false;
  }
  return true;
}

// Case-insensitive: does `s` start with the lower-case ASCII `prefix`?
inline bool starts_with_lower(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equals_lower(s.substr(0, prefix.size()), prefix);
}

}  // namespace sdrs::text
