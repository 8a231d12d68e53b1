// AK/SK request signing, SDK-HMAC-SHA256 (spec auth.md section 1): canonical request, string to
// sign, HMAC-SHA256 signature and the Authorization header, in the "Access=" form the Huawei
// SDKs emit and in the scoped "Credential=" form of gophertelekomcloud (section 1.10).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sdrs::auth {

// Lower-case hex of SHA-256 / of raw bytes; raw HMAC-SHA256 (OpenSSL libcrypto).
std::string sha256_hex(const std::string &data);
std::string to_hex(const std::string &bytes);
std::string hmac_sha256(const std::string &key, const std::string &message);

// Percent-encoding (1.7) is sdrs::percent_encode (core/url.hpp): the same unreserved set.
// Strict %XY decoding ('+' stays '+'); a malformed escape is kept literally.
std::string sign_decode(const std::string &encoded);

// Wire path -> canonical URI: each segment decoded then re-encoded, trailing '/' (1.2).
std::string canonical_uri(const std::string &wire_path);
// Raw wire query (without '?') -> sorted, re-encoded canonical query string (1.2).
std::string canonical_query(const std::string &wire_query);

// "YYYYMMDDTHHMMSSZ" of a Unix time (UTC).
std::string sdk_date(int64_t unix_seconds);

struct SignRequest {
  std::string method;      // upper case
  std::string wire_path;   // as sent, percent-encoded, no query
  std::string wire_query;  // as sent, without '?'
  // Headers as sent (any case). The ones named in signed_headers must be present.
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> signed_headers;  // names, any case; sorted and lower-cased here
  std::string body;
};

struct Signature {
  std::string canonical_uri;
  std::string canonical_query;
  std::string canonical_headers;
  std::string signed_headers;
  std::string body_sha256;
  std::string canonical_request;
  std::string canonical_request_sha256;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;
  std::string scope;  // scoped form only
};

// The "Access=" form. sdk_date must equal the X-Sdk-Date header value.
Signature sign_access(const SignRequest &req, const std::string &sdk_date, const std::string &ak,
                      const std::string &sk);
// The derived keys of the scoped form (raw bytes), wiped on destruction.
struct ScopedKeys {
  ScopedKeys() = default;
  ScopedKeys(ScopedKeys &&) = default;
  ScopedKeys(const ScopedKeys &) = delete;
  ScopedKeys &operator=(const ScopedKeys &) = delete;
  ~ScopedKeys();
  std::string k_date, k_region, k_service, k_signing;
};
ScopedKeys scoped_keys(const std::string &sk, const std::string &day, const std::string &region,
                       const std::string &service);

// The scoped "Credential=" form (region/service may be empty).
Signature sign_scoped(const SignRequest &req, const std::string &sdk_date, const std::string &ak,
                      const std::string &sk, const std::string &region, const std::string &service);

}  // namespace sdrs::auth
