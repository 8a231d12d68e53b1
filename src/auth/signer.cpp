#include "auth/signer.hpp"

// SHA256_Init/Update/Final (see class Sha256 below).
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>  // explicit_bzero (glibc, global namespace)
#include <ctime>
#include <vector>

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

// SHA-256 through the low-level functions: in OpenSSL 3.0 every EVP_DigestInit allocates and
// frees a provider context (4 allocations and ~2,200 instructions per signature), and only a
// plain SHA256_CTX can be copied to resume from the HMAC key pads prepared once per signer.
// They are deprecated in 3.0 but computed by the same assembly as the EVP path.
class Sha256 {
 public:
  Sha256() { SHA256_Init(&ctx_); }
  explicit Sha256(const SHA256_CTX &state) : ctx_(state) {}
  // explicit_bzero: OPENSSL_cleanse writes a byte at a time (a tenth of a signature's overhead).
  ~Sha256() { explicit_bzero(&ctx_, sizeof ctx_); }
  Sha256(const Sha256 &) = delete;
  Sha256 &operator=(const Sha256 &) = delete;

  void update(const void *data, size_t n) { SHA256_Update(&ctx_, data, n); }
  void update(std::string_view s) { update(s.data(), s.size()); }
  void final(unsigned char (&md)[SHA256_DIGEST_LENGTH]) { SHA256_Final(md, &ctx_); }
  const SHA256_CTX &state() const { return ctx_; }

 private:
  SHA256_CTX ctx_;
};

void hex_into(const unsigned char *bytes, size_t n, char *out) {
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
}

// sign_decode into a reused buffer.
void decode_into(std::string &out, std::string_view encoded) {
  out.clear();
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
}

// The unreserved set of 1.7 as a table: one load per byte of a path segment.
struct UnreservedTable {
  bool is[256] = {};
  constexpr UnreservedTable() {
    for (int c = 0; c < 256; ++c) {
      is[c] = text::is_ascii_alnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
              c == '_' || c == '~';
    }
  }
};
constexpr UnreservedTable kUnreserved;

bool unreserved(char ch) {
  return kUnreserved.is[static_cast<unsigned char>(ch)];
}

// Appends an ASCII header name lower-cased.
void append_lower(std::string &out, std::string_view name) {
  const size_t at = out.size();
  out.append(name);
  for (size_t i = at; i < out.size(); ++i) out[i] = text::ascii_lower(out[i]);
}

// The signer's per-thread scratch: the capacity stays, so a request allocates nothing here after
// the first. Reached through a function that is not inlined: an inlined thread_local reference is
// recomputed by GCC at each use, and in a shared library each computation is a call to
// __tls_get_addr (49 calls in sign(), 1,500 instructions per signature).
struct SignScratch {
  std::string canonical;
  std::string segment;
  std::vector<size_t> order;
};

__attribute__((noinline)) SignScratch &sign_scratch() {
  thread_local SignScratch scratch;
  return scratch;
}

// append_percent_encoded (1.7), with runs of unreserved bytes appended at once.
void append_encoded_runs(std::string &out, std::string_view raw) {
  size_t i = 0;
  while (i < raw.size()) {
    size_t run = i;
    while (run < raw.size() && unreserved(raw[run])) ++run;
    out.append(raw.data() + i, run - i);
    if (run == raw.size()) break;
    append_percent_encoded(out, raw.substr(run, 1));
    i = run + 1;
  }
}

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Byte order of the lower-cased ASCII names (what sorting the lower-cased copies gives).
bool less_lower(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto ca = static_cast<unsigned char>(text::ascii_lower(a[i]));
    const auto cb = static_cast<unsigned char>(text::ascii_lower(b[i]));
    if (ca != cb) return ca < cb;
  }
  return a.size() < b.size();
}

bool equal_lower(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (text::ascii_lower(a[i]) != text::ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace

AccessSigner::AccessSigner(std::string access_key, std::string_view secret_key)
    : access_key_(std::move(access_key)) {
  // RFC 2104: a key longer than the block is replaced by its hash, a shorter one zero-padded.
  unsigned char key[64] = {};
  if (secret_key.size() > sizeof key) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    Sha256 sha;
    sha.update(secret_key);
    sha.final(md);
    std::memcpy(key, md, sizeof md);
    OPENSSL_cleanse(md, sizeof md);
  } else if (!secret_key.empty()) {
    std::memcpy(key, secret_key.data(), secret_key.size());
  }
  unsigned char pad[sizeof key];
  for (size_t i = 0; i < sizeof key; ++i) pad[i] = static_cast<unsigned char>(key[i] ^ 0x36);
  Sha256 inner;
  inner.update(pad, sizeof pad);
  for (size_t i = 0; i < sizeof key; ++i) pad[i] = static_cast<unsigned char>(key[i] ^ 0x5c);
  Sha256 outer;
  outer.update(pad, sizeof pad);
  static_assert(sizeof inner_ == sizeof(SHA256_CTX), "SHA-256 state size");
  std::memcpy(inner_, &inner.state(), sizeof inner_);
  std::memcpy(outer_, &outer.state(), sizeof outer_);
  OPENSSL_cleanse(pad, sizeof pad);
  OPENSSL_cleanse(key, sizeof key);
}

AccessSigner::~AccessSigner() {
  OPENSSL_cleanse(inner_, sizeof inner_);
  OPENSSL_cleanse(outer_, sizeof outer_);
}

void AccessSigner::sign(std::string &authorization, std::string_view method,
                        std::string_view wire_path, std::string_view wire_query,
                        const std::vector<std::pair<std::string, std::string>> &headers,
                        std::string_view body, std::string_view date) const {
  SignScratch &scratch = sign_scratch();
  std::string &canonical = scratch.canonical;
  std::string &segment = scratch.segment;
  std::vector<size_t> &order = scratch.order;
  canonical.clear();
  canonical.append(method).push_back('\n');

  // Canonical URI (1.2), as canonical_uri().
  const size_t uri_start = canonical.size();
  for (size_t pos = 0; pos <= wire_path.size();) {
    size_t next = wire_path.find('/', pos);
    if (next == std::string_view::npos) next = wire_path.size();
    const std::string_view raw = wire_path.substr(pos, next - pos);
    if (raw.find('%') == std::string_view::npos) {
      append_encoded_runs(canonical, raw);  // nothing to decode: the usual case
    } else {
      decode_into(segment, raw);
      append_encoded_runs(canonical, segment);
    }
    if (next < wire_path.size()) canonical.push_back('/');
    pos = next + 1;
  }
  if (canonical.size() == uri_start || canonical.back() != '/') canonical.push_back('/');
  canonical.push_back('\n');
  if (!wire_query.empty()) canonical += canonical_query(std::string(wire_query));
  canonical.push_back('\n');

  // Header names in lower-case byte order; a stable insertion sort keeps the first of equal
  // names first, which is the one sign_access signs (find_if).
  order.clear();
  for (size_t i = 0; i < headers.size(); ++i) {
    size_t j = order.size();
    order.push_back(i);
    while (j > 0 && less_lower(headers[i].first, headers[order[j - 1]].first)) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = i;
  }
  std::string_view content_sha256;
  bool has_content_sha256 = false;
  const std::string *previous = nullptr;
  for (const size_t i : order) {
    const auto &h = headers[i];
    if (previous != nullptr && equal_lower(*previous, h.first)) continue;
    previous = &h.first;
    append_lower(canonical, h.first);
    canonical.push_back(':');
    const std::string_view value = text::trim_view(h.second);
    canonical.append(value).push_back('\n');
    if (!has_content_sha256 && text::equals_lower(h.first, "x-sdk-content-sha256")) {
      content_sha256 = value;
      has_content_sha256 = true;
    }
  }
  canonical.push_back('\n');
  const size_t signed_start = canonical.size();
  previous = nullptr;
  for (const size_t i : order) {
    const auto &h = headers[i];
    if (previous != nullptr && equal_lower(*previous, h.first)) continue;
    if (previous != nullptr) canonical.push_back(';');
    previous = &h.first;
    append_lower(canonical, h.first);
  }
  const size_t signed_size = canonical.size() - signed_start;
  canonical.push_back('\n');

  unsigned char md[SHA256_DIGEST_LENGTH];
  char hex[2 * SHA256_DIGEST_LENGTH];
  if (has_content_sha256) {
    canonical.append(content_sha256);
  } else if (body.empty()) {
    canonical.append(kEmptySha256);
  } else {
    Sha256 sha;
    sha.update(body);
    sha.final(md);
    hex_into(md, sizeof md, hex);
    canonical.append(hex, sizeof hex);
  }
  {
    Sha256 sha;
    sha.update(canonical);
    sha.final(md);
    hex_into(md, sizeof md, hex);
  }

  // HMAC-SHA256(SK, string to sign) resumed from the key pads (1.3, 1.4).
  static constexpr std::string_view kAlgorithmLine = "SDK-HMAC-SHA256\n";
  SHA256_CTX state;
  std::memcpy(&state, inner_, sizeof state);
  Sha256 inner(state);
  inner.update(kAlgorithmLine);
  inner.update(date);
  inner.update("\n", 1);
  inner.update(hex, sizeof hex);
  inner.final(md);
  std::memcpy(&state, outer_, sizeof state);
  Sha256 outer(state);
  explicit_bzero(&state, sizeof state);
  outer.update(md, sizeof md);
  outer.final(md);
  hex_into(md, sizeof md, hex);

  static constexpr std::string_view kAccess = "SDK-HMAC-SHA256 Access=";
  static constexpr std::string_view kSignedHeaders = ", SignedHeaders=";
  static constexpr std::string_view kSignature = ", Signature=";
  authorization.clear();
  authorization.reserve(kAccess.size() + access_key_.size() + kSignedHeaders.size() + signed_size +
                        kSignature.size() + sizeof hex);
  authorization.append(kAccess).append(access_key_).append(kSignedHeaders);
  authorization.append(canonical, signed_start, signed_size);
  authorization.append(kSignature).append(hex, sizeof hex);
  // The canonical headers may hold a security token.
  secure_wipe(canonical);
}

namespace {

// Two decimal digits of v (0..99).
void put2(char *out, int64_t v) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

void format_sdk_date(int64_t unix_seconds, char (&out)[16]) {
  // The proleptic Gregorian date of a day count (H. Hinnant's civil_from_days), so a signature
  // needs neither gmtime_r's time-zone machinery nor strftime: sdk_date() is the reference.
  int64_t days = unix_seconds / 86400;
  int64_t secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;                                    // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;                           // [1, 31]
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;                            // [1, 12]
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {
    // Outside what 16 characters can hold: the reference formatting decides (and is cut).
    const std::string text = sdk_date(unix_seconds);
    std::memcpy(out, text.data(), std::min(text.size(), sizeof out));
    return;
  }
  put2(out, year / 100);
  put2(out + 2, year % 100);
  put2(out + 4, month);
  put2(out + 6, day);
  out[8] = 'T';
  put2(out + 9, secs / 3600);
  put2(out + 11, secs / 60 % 60);
  put2(out + 13, secs % 60);
  out[15] = 'Z';
}

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
