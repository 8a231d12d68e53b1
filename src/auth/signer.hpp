// AK/SK request signing, SDK-HMAC-SHA256 (spec auth.md section 1): canonical request, string to
// sign, HMAC-SHA256 signature and the Authorization header, in the "Access=" form the Huawei
// SDKs emit and in the scoped "Credential=" form of gophertelekomcloud (section 1.10).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
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

// The "Access=" form at the cost of the hashing itself, for the request hot path. The key of this
// form is the SK itself (1.4: no date-derived key), so the SHA-256 states after its HMAC pads are
// computed once here (no algorithm fetch per call, as OpenSSL 3's one-shot functions do), and the
// canonical request is built in a per-thread buffer. Produces the same bytes as sign_access with
// every header of `headers` signed (checked in the unit tests). Thread-safe: immutable after
// construction.
class AccessSigner {
 public:
  AccessSigner(std::string access_key, std::string_view secret_key);
  ~AccessSigner();  // wipes the key pads
  AccessSigner(const AccessSigner &) = delete;
  AccessSigner &operator=(const AccessSigner &) = delete;

  // Replaces `authorization` with the Authorization header value. `headers`: as sent, all of
  // them signed (names any case; the first of equal names counts, as in sign_access).
  void sign(std::string &authorization, std::string_view method, std::string_view wire_path,
            std::string_view wire_query,
            const std::vector<std::pair<std::string, std::string>> &headers, std::string_view body,
            std::string_view sdk_date) const;

 private:
  std::string access_key_;
  // SHA-256 states (SHA256_CTX, kept opaque here) after the HMAC key pads: SK (hashed when
  // longer than a block) xor 0x36 / 0x5c.
  unsigned char inner_[112] = {};
  unsigned char outer_[112] = {};
};

// sdk_date into a caller buffer: writes exactly 16 characters (no terminator).
void format_sdk_date(int64_t unix_seconds, char (&out)[16]);

}  // namespace sdrs::auth
