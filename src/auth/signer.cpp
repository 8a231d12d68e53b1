#include "auth/signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <ctime>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

namespace sdrs::auth {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The body hash: X-Sdk-Content-Sha256 when sent (1.1), else SHA-256 of the body bytes.
std::string payload_hash(const SignRequest &req) {
  for (const auto &h : req.headers) {
    if (text::equals_lower(h.first, "x-sdk-content-sha256")) return text::trim(h.second);
  }
  return sha256_hex(req.body);
}

// Everything up to and including the canonical request and its hash.
Signature canonicalize(const SignRequest &req) {
  Signature s;
  s.canonical_uri = canonical_uri(req.wire_path);
  s.canonical_query = canonical_query(req.wire_query);
  std::vector<std::string> names;
  for (const auto &n : req.signed_headers) names.push_back(text::lower(n));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const auto &n : names) {
    const auto it = std::find_if(req.headers.begin(), req.headers.end(),
                                 [&n](const auto &h) { return text::equals_lower(h.first, n); });
    if (it == req.headers.end()) fail(Code::kInternal, "signer: header '" + n + "' not sent");
    s.canonical_headers += n + ":" + text::trim(it->second) + "\n";
    if (!s.signed_headers.empty()) s.signed_headers += ";";
    s.signed_headers += n;
  }
  s.body_sha256 = payload_hash(req);
  s.canonical_request = req.method + "\n" + s.canonical_uri + "\n" + s.canonical_query + "\n" +
                        s.canonical_headers + "\n" + s.signed_headers + "\n" + s.body_sha256;
  s.canonical_request_sha256 = sha256_hex(s.canonical_request);
  return s;
}

}  // namespace

std::string to_hex(const std::string &bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string sha256_hex(const std::string &data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(data.data()), data.size(), md);
  return to_hex(std::string(reinterpret_cast<const char *>(md), sizeof md));
}

std::string hmac_sha256(const std::string &key, const std::string &message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char *>(message.data()), message.size(), md,
           &len) == nullptr) {
    fail(Code::kInternal, "HMAC-SHA256 failed");
  }
  std::string out(reinterpret_cast<const char *>(md), len);
  OPENSSL_cleanse(md, sizeof md);
  return out;
}

std::string sign_decode(const std::string &encoded) {
  std::string out;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      const int hi = hex_value(encoded[i + 1]);
      const int lo = hex_value(encoded[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += encoded[i];
  }
  return out;
}

std::string canonical_uri(const std::string &wire_path) {
  std::string out;
  size_t pos = 0;
  while (pos <= wire_path.size()) {
    size_t next = wire_path.find('/', pos);
    if (next == std::string::npos) next = wire_path.size();
    out += percent_encode(sign_decode(wire_path.substr(pos, next - pos)));
    if (next < wire_path.size()) out += '/';
    pos = next + 1;
  }
  if (out.empty() || out.back() != '/') out += '/';
  return out;
}

std::string canonical_query(const std::string &wire_query) {
  if (wire_query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t pos = 0;
  while (pos <= wire_query.size()) {
    size_t next = wire_query.find('&', pos);
    if (next == std::string::npos) next = wire_query.size();
    const std::string part = wire_query.substr(pos, next - pos);
    if (!part.empty()) {
      const size_t eq = part.find('=');
      if (eq == std::string::npos) {
        pairs.emplace_back(sign_decode(part), "");
      } else {
        pairs.emplace_back(sign_decode(part.substr(0, eq)), sign_decode(part.substr(eq + 1)));
      }
    }
    pos = next + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto &p : pairs) {
    if (!out.empty()) out += '&';
    out += percent_encode(p.first) + "=" + percent_encode(p.second);
  }
  return out;
}

std::string sdk_date(int64_t unix_seconds) {
  const auto t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Signature sign_access(const SignRequest &req, const std::string &date, const std::string &ak,
                      const std::string &sk) {
  Signature s = canonicalize(req);
  s.string_to_sign = "SDK-HMAC-SHA256\n" + date + "\n" + s.canonical_request_sha256;
  s.signature = to_hex(hmac_sha256(sk, s.string_to_sign));
  s.authorization = "SDK-HMAC-SHA256 Access=" + ak + ", SignedHeaders=" + s.signed_headers +
                    ", Signature=" + s.signature;
  return s;
}

ScopedKeys scoped_keys(const std::string &sk, const std::string &day, const std::string &region,
                       const std::string &service) {
  ScopedKeys k;
  k.k_date = hmac_sha256("SDK" + sk, day);
  k.k_region = hmac_sha256(k.k_date, region);
  k.k_service = hmac_sha256(k.k_region, service);
  k.k_signing = hmac_sha256(k.k_service, "sdk_request");
  return k;
}

ScopedKeys::~ScopedKeys() {
  secure_wipe(k_date);
  secure_wipe(k_region);
  secure_wipe(k_service);
  secure_wipe(k_signing);
}

Signature sign_scoped(const SignRequest &req, const std::string &date, const std::string &ak,
                      const std::string &sk, const std::string &region,
                      const std::string &service) {
  Signature s = canonicalize(req);
  const std::string day = date.substr(0, 8);
  s.scope = day + "/" + region + "/" + service + "/sdk_request";
  s.string_to_sign =
      "SDK-HMAC-SHA256\n" + date + "\n" + s.scope + "\n" + s.canonical_request_sha256;
  ScopedKeys keys = scoped_keys(sk, day, region, service);
  s.signature = to_hex(hmac_sha256(keys.k_signing, s.string_to_sign));
  s.authorization = "SDK-HMAC-SHA256 Credential=" + ak + "/" + s.scope +
                    ", SignedHeaders=" + s.signed_headers + ", Signature=" + s.signature;
  return s;
}

}  // namespace sdrs::auth
