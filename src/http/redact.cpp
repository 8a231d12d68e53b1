#include "http/redact.hpp"

#include <algorithm>
#include <cctype>

#include "core/log.hpp"
#include "core/text.hpp"

namespace sdrs {
namespace {

bool secret_name(std::string name) {
  name = text::lower(std::move(name));
  for (const char *word : {"password", "secret", "token", "credential", "private", "passwd"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return name == "sk" || name == "key" || name == "access_key_secret";
}

}  // namespace

std::string mask_body_secrets(const std::string &body) {
  // A small scanner over JSON text: "name" <ws> : <ws> "value" -> "name": "***" when the
  // name looks secret. Strings are skipped with their escapes, so no value is misread as a
  // name; a body that is not JSON passes through with the same rule applied where it fits.
  std::string out;
  out.reserve(body.size());
  size_t i = 0;
  auto read_string = [&body](size_t from) {  // returns the index after the closing quote
    size_t j = from + 1;
    while (j < body.size() && body[j] != '"') j += body[j] == '\\' ? 2 : 1;
    return std::min(j + 1, body.size());
  };
  while (i < body.size()) {
    if (body[i] != '"') {
      out += body[i++];
      continue;
    }
    const size_t name_end = read_string(i);
    const std::string name =
        body.substr(i + 1, name_end - i - 2 < body.size() ? name_end - i - 2 : 0);
    out.append(body, i, name_end - i);
    i = name_end;
    size_t j = i;
    while (j < body.size() && std::isspace(static_cast<unsigned char>(body[j]))) ++j;
    if (j >= body.size() || body[j] != ':' || !secret_name(name)) continue;
    ++j;
    while (j < body.size() && std::isspace(static_cast<unsigned char>(body[j]))) ++j;
    if (j < body.size() && body[j] == '"') {
      out += ": \"***\"";
      i = read_string(j);
    }
  }
  return out;
}

bool is_secret_header(std::string_view name) {
  // By length first: each request's headers are checked after it (wipe_secret_headers), and the
  // names have six different lengths, so at most one comparison is made.
  switch (name.size()) {
    case 12:
      return text::equals_lower(name, "x-auth-token");
    case 13:
      return text::equals_lower(name, "authorization");
    case 16:
      return text::equals_lower(name, "x-security-token");
    case 15:
      return text::equals_lower(name, "x-subject-token");
    case 19:
      return text::equals_lower(name, "proxy-authorization");
    case 6:
      return text::equals_lower(name, "cookie");
    default:
      return false;
  }
}

void wipe_secret_headers(std::vector<std::pair<std::string, std::string>> &headers) {
  for (auto &h : headers) {
    if (is_secret_header(h.first)) secure_wipe(h.second);
  }
}

}  // namespace sdrs
