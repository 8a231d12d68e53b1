#include "auth/settings.hpp"

#include <algorithm>
#include <vector>

#include "auth/sources.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "core/validate.hpp"

namespace sdrs::auth {
namespace {

int rank(const AuthSettings &c, const char *field) {
  const auto it = c.sources.find(field);
  return it == c.sources.end() ? kSourceExplicit : it->second;
}

std::string join(const std::vector<std::string> &v) {
  std::string out;
  for (const auto &s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::string effective_region(const AuthSettings &c) {
  if (!c.region.empty()) return c.region;
  const auto us = c.project_name.find('_');
  return us == std::string::npos ? "" : c.project_name.substr(0, us);
}

Mode select_mode(const AuthSettings &c) {
  // The credential given by the strongest source wins; two at the same level conflict.
  const bool has_token = !c.token.empty();
  const bool has_password = !c.password.empty();
  const bool has_aksk = !c.access_key.empty() || !c.secret_key.empty();
  if (!has_token && !has_password && !has_aksk) {
    fail(Code::kValidation,
         "credentials: required (token, password with username/user_id, or access_key with "
         "secret_key)");
  }
  const int r_token = has_token ? rank(c, "token") : 0;
  const int r_password = has_password ? rank(c, "password") : 0;
  const int r_aksk = has_aksk ? std::max(c.access_key.empty() ? 0 : rank(c, "access_key"),
                                         c.secret_key.empty() ? 0 : rank(c, "secret_key"))
                              : 0;
  const int top = std::max({r_token, r_password, r_aksk});
  std::vector<std::string> at_top;
  if (r_token == top) at_top.emplace_back("token");
  if (r_password == top) at_top.emplace_back("password");
  if (r_aksk == top) at_top.emplace_back("access_key/secret_key");
  if (at_top.size() > 1) {
    fail(Code::kValidation, join(at_top) +
                                ": conflicting credentials from the same source; set only one "
                                "of token, password or access_key/secret_key");
  }
  const bool have_endpoint = !c.endpoint.empty() || !effective_region(c).empty();
  if (r_token == top) {
    if (c.project_id.empty()) fail(Code::kValidation, "project_id: required with token");
    if (!have_endpoint) fail(Code::kValidation, "endpoint: required (or region) with token");
    return Mode::kToken;
  }
  if (r_aksk == top) {
    if (c.access_key.empty()) fail(Code::kValidation, "access_key: required with secret_key");
    if (c.secret_key.empty()) fail(Code::kValidation, "secret_key: required with access_key");
    if (c.project_id.empty()) {
      fail(Code::kValidation, "project_id: required with access_key/secret_key");
    }
    if (!have_endpoint) {
      fail(Code::kValidation, "endpoint: required (or region) with access_key/secret_key");
    }
    return Mode::kAkSk;
  }
  if (c.username.empty() && c.user_id.empty()) {
    fail(Code::kValidation, "username or user_id: required with password");
  }
  if (c.user_id.empty() && c.user_domain_name.empty() && c.user_domain_id.empty()) {
    fail(Code::kValidation, "user_domain_name or user_domain_id: required with username");
  }
  if (c.project_id.empty() && c.project_name.empty()) {
    fail(Code::kValidation, "project_id or project_name: required with password");
  }
  if (c.auth_url.empty() && effective_region(c).empty()) {
    fail(Code::kValidation, "auth_url: required (or region) with password");
  }
  return Mode::kPassword;
}

void set_endpoint(AuthSettings &s, const std::string &url, bool allow_http) {
  parse_endpoint(url, allow_http);  // validates now; the authenticator parses again
  s.endpoint = url;
  mark_explicit(s, "endpoint");
}

void set_auth_url(AuthSettings &s, const std::string &url) {
  parse_endpoint(url, true);  // form only: http:// is judged when the client is made
  s.auth_url = url;
  mark_explicit(s, "auth_url");
}

void set_project_id(AuthSettings &s, const std::string &project_id) {
  validate_path_segment("project_id", project_id);
  s.project_id = project_id;
  mark_explicit(s, "project_id");
}

void set_token(AuthSettings &s, const Secret &token) {
  // Never echo the value: only its size may appear in the message.
  validate_header_value("token", token.get(), 65536);
  s.token = token;
  mark_explicit(s, "token");
}

void set_password(AuthSettings &s, const Secret &password) {
  if (password.empty()) fail(Code::kValidation, "password: must not be empty");
  if (password.get().size() > 4096 || !is_clean_utf8(password.get())) {
    fail(Code::kValidation,
         "password: must be valid UTF-8 without control characters, at "
         "most 4096 bytes");
  }
  s.password = password;
  mark_explicit(s, "password");
}

void set_region(AuthSettings &s, const std::string &region) {
  // It becomes part of host names.
  if (region.empty() || region.size() > 64 ||
      region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    fail(Code::kValidation, "region: must be 1..64 characters of a-z, 0-9 and '-' (got '" +
                                region.substr(0, 64) + "')");
  }
  s.region = region;
  mark_explicit(s, "region");
}

void set_identifier(AuthSettings &s, std::string AuthSettings::*member, const char *field,
                    const std::string &value) {
  validate_required_text(field, value);
  s.*member = value;
  mark_explicit(s, field);
}

void set_access_key(AuthSettings &s, const std::string &access_key, const Secret &secret_key,
                    const char *security_token) {
  const Secret st(security_token != nullptr ? security_token : "");
  validate_header_value("access_key", access_key, 256);
  validate_header_value("secret_key", secret_key.get(), 256);
  if (security_token != nullptr) validate_header_value("security_token", st.get(), 65536);
  s.access_key = access_key;
  s.secret_key = secret_key;
  s.security_token = st;
  mark_explicit(s, "access_key");
  mark_explicit(s, "secret_key");
  mark_explicit(s, "security_token");
}

void set_token_refresh_margin_s(AuthSettings &s, int64_t seconds) {
  validate_range("token_refresh_margin_s", seconds, 0, 86400);
  s.token_refresh_margin_s = seconds;
}

}  // namespace sdrs::auth
