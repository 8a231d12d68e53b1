// JSON of IAM's POST /v3/auth/tokens (auth.md section 3): the password request body and the
// token response body. A codec file: the only auth code that includes RapidJSON.
#pragma once

#include <cstdint>
#include <string>

namespace sdrs::auth {

struct PasswordAuth {
  std::string user_name;  // or user_id
  std::string user_id;
  const std::string *password = nullptr;  // borrowed: the body is the only copy we make
  std::string user_domain_name;           // or user_domain_id (needed with user_name)
  std::string user_domain_id;
  std::string project_id;  // scope: by id, or by name
  std::string project_name;
};

// The request body (contains the password: wipe it after use, never log it).
std::string encode_password_auth(const PasswordAuth &a);

struct TokenInfo {
  int64_t expires_at_ms = 0;  // Unix ms
  int64_t issued_at_ms = 0;   // Unix ms, kTimeNone when absent
  std::string project_id;
  std::string project_name;
  std::string sdrs_url;  // public sdrs endpoint from the catalog ("" when absent)
};

// Decodes {"token": {...}}; region selects the catalog endpoint (any region when empty).
// Throws Failure(kProtocol) when expires_at is missing or malformed.
TokenInfo decode_token(const std::string &body, const std::string &region);

}  // namespace sdrs::auth
