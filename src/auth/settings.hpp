// The authentication floor's settings: who the client is (token, IAM password or access key
// pair), which project and region, and the service endpoint (configured here because, left
// unset, it comes from the token's catalog or the region). Defaults are written here only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/log.hpp"

namespace sdrs::auth {

struct AuthSettings {
  std::string endpoint;  // SDRS endpoint as given; parsed by the authenticator
  std::string project_id;
  Secret token;
  std::string auth_url;  // IAM, e.g. https://iam.eu-de.otc.t-systems.com/v3
  std::string username;
  std::string user_id;
  Secret password;
  std::string user_domain_name;
  std::string user_domain_id;
  std::string project_name;
  std::string region;
  std::string access_key;
  Secret secret_key;
  Secret security_token;
  int64_t token_refresh_margin_s = 300;
  // Where a field's value came from (ConfigSource, auth/sources.hpp); fields not listed count
  // as explicit.
  std::map<std::string, int> sources;
};

enum class Mode { kToken, kPassword, kAkSk };

// Which credential the settings select, after the precedence rules (explicit > environment >
// clouds.yaml). Throws Failure(kValidation) naming the fields for conflicting or incomplete
// settings.
Mode select_mode(const AuthSettings &c);

// Region from the settings: region, else the project-name prefix before '_' ("eu-de_x").
std::string effective_region(const AuthSettings &c);

// The setters' rules: each checks the value, stores it and records it as explicitly set.
// Throws Failure(kValidation) naming the field, never echoing a secret.
void set_endpoint(AuthSettings &s, const std::string &url, bool allow_http);
void set_auth_url(AuthSettings &s, const std::string &url);
void set_project_id(AuthSettings &s, const std::string &project_id);
void set_token(AuthSettings &s, const Secret &token);
void set_password(AuthSettings &s, const Secret &password);
void set_region(AuthSettings &s, const std::string &region);
// A plain identifier setting (username, user_id, user_domain_name, user_domain_id,
// project_name): non-empty clean UTF-8.
void set_identifier(AuthSettings &s, std::string AuthSettings::*member, const char *field,
                    const std::string &value);
// security_token NULL: none.
void set_access_key(AuthSettings &s, const std::string &access_key, const Secret &secret_key,
                    const char *security_token);
void set_token_refresh_margin_s(AuthSettings &s, int64_t seconds);

}  // namespace sdrs::auth
