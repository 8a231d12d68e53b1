#include "core/validate.hpp"

#include <cctype>
#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace sdrs {
namespace {

[[noreturn]] void reject(std::string_view field, const std::string &rule) {
  fail(Code::kValidation, std::string(field) + ": " + rule);
}

// ASCII only, whatever the process locale says (isalnum would ask the locale, per byte).
bool is_name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
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

bool is_clean_utf8(const std::string &value) {
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
  if (value.find_first_of("<>") != std::string::npos) {
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

void validate_path_segment(std::string_view field, const std::string &value) {
  if (value.empty()) reject(field, "required (must not be empty)");
  if (value.size() > 128) {
    reject(field, "must be at most 128 bytes (got " + std::to_string(value.size()) + ")");
  }
  if (value.find("..") != std::string::npos) reject(field, "must not contain '..'");
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '/' || c == '\\') reject(field, "must not contain '/' or '\\'");
    if (c <= 0x20 || c == 0x7f) {
      reject(field, "must not contain whitespace, CR/LF or control characters");
    }
    if (c == '?' || c == '#' || c == '%') reject(field, "must not contain '?', '#' or '%'");
  }
  if (!is_clean_utf8(value)) reject(field, "must be valid UTF-8");
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

std::string Endpoint::origin() const {
  std::string s;
  append_origin(s);
  return s;
}

void Endpoint::append_origin(std::string &out) const {
  out.append(scheme).append("://").append(host);
  if (port != 0) out.append(":").append(std::to_string(port));
}

Endpoint parse_endpoint(const std::string &url, bool allow_http) {
  const std::string field = "endpoint";
  if (url.empty()) reject(field, "required (must not be empty)");
  if (url.size() > 2048) reject(field, "must be at most 2048 bytes");
  for (const char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f)
      reject(field, "must not contain spaces, control or non-ASCII characters");
  }
  Endpoint ep;
  std::string rest = url;
  const auto sep = url.find("://");
  if (sep == std::string::npos) {
    ep.scheme = "https";
  } else {
    ep.scheme = url.substr(0, sep);
    for (auto &c : ep.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    rest = url.substr(sep + 3);
  }
  if (ep.scheme == "http") {
    if (!allow_http) {
      reject(field,
             "plain http is refused; use https, or opt in with sdrs_config_set_allow_http "
             "(for local tests only)");
    }
  } else if (ep.scheme != "https") {
    reject(field, "scheme must be https (got '" + ep.scheme + "')");
  }
  if (rest.find_first_of("?#") != std::string::npos) {
    reject(field, "must not contain a query or fragment");
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  ep.base_path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!ep.base_path.empty() && ep.base_path.back() == '/') ep.base_path.pop_back();
  if (ep.base_path.find("..") != std::string::npos) reject(field, "path must not contain '..'");
  if (authority.find('@') != std::string::npos) reject(field, "must not contain user information");
  if (authority.empty()) reject(field, "host is missing");
  std::string port_text;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) reject(field, "unterminated IPv6 address");
    ep.host = authority.substr(0, close + 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') reject(field, "malformed host");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    ep.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (ep.host.empty() || ep.host == "[]") reject(field, "host is missing");
  for (const char ch : ep.host) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) == 0 && c != '.' && c != '-' && c != '[' && c != ']' && c != ':') {
      reject(field, "host contains an invalid character");
    }
  }
  if (!port_text.empty() || (authority.back() == ':')) {
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string::npos) {
      reject(field, "port must be a number 1..65535");
    }
    const long port = std::stol(port_text);
    if (port < 1 || port > 65535) reject(field, "port must be a number 1..65535");
    ep.port = static_cast<int>(port);
  }
  return ep;
}

std::string url_encode(const std::string &value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  return out;
}

}  // namespace sdrs
