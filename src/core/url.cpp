#include "core/url.hpp"

#include <charconv>
#include <string>

#include "core/error.hpp"
#include "core/text.hpp"

namespace sdrs {
namespace {

[[noreturn]] void reject(const char *field, const std::string &rule) {
  fail(Code::kValidation, std::string(field) + ": " + rule);
}

}  // namespace

std::string Endpoint::origin() const {
  std::string s;
  append_origin(s);
  return s;
}

void Endpoint::append_origin(std::string &out) const {
  out.append(scheme).append("://").append(host);
  if (port != 0) {
    // Every request's URL starts with this: digits without a std::to_string temporary.
    char digits[8];
    const char *const end = std::to_chars(digits, digits + sizeof digits, port).ptr;
    out.push_back(':');
    out.append(digits, static_cast<size_t>(end - digits));
  }
}

Endpoint parse_endpoint(const std::string &url, bool allow_http, const char *field) {
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
    for (auto &c : ep.scheme) c = text::ascii_lower(c);
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
    if (!text::is_ascii_alnum(c) && c != '.' && c != '-' && c != '[' && c != ']' && c != ':') {
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
  ep.append_origin(ep.url_prefix);
  ep.url_prefix += ep.base_path;
  return ep;
}

void append_percent_encoded(std::string &out, std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (text::is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
}

std::string percent_encode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  append_percent_encoded(out, raw);
  return out;
}

}  // namespace sdrs
