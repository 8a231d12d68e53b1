// Client-side validation of everything we send, per the spec's documented constraints. Each
// check throws Failure(Code::kValidation) with a message "<wire field name>: <rule> (<what>)".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sdrs {

// Group name: 1..64 bytes of [A-Za-z0-9._-] (spec 4.1).
void validate_name(std::string_view field, const std::string &value);
// Description: at most 64 bytes, no '<' or '>' (spec 4.1), valid UTF-8.
void validate_description(const std::string &value);
// A required free-form value (AZ, VPC id, domain id...): non-empty, at most 255 bytes, no
// control characters, valid UTF-8.
void validate_required_text(std::string_view field, const std::string &value);
// A value that becomes one URL path segment: 1..128 bytes, no '/', '\\', "..", '?', '#', '%',
// whitespace or control characters.
void validate_path_segment(std::string_view field, const std::string &value);
// One of a fixed set of values; `allowed` is a NULL-terminated list used in the message too.
void validate_one_of(std::string_view field, const std::string &value, const char *const *allowed);
// An integer inside [lo, hi].
void validate_range(std::string_view field, int64_t value, int64_t lo, int64_t hi);
// Well-formed UTF-8 without NUL or control characters other than tab.
bool is_clean_utf8(const std::string &value);
// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) and no NUL
// byte; any other ASCII is allowed. What a JSON response body must be before parsing.
bool is_utf8_without_nul(std::string_view text);

// A parsed service endpoint ("https://host[:port][/base]").
struct Endpoint {
  std::string scheme;          // "https" or "http"
  std::string host;            // may be "[v6]"
  int port = 0;                // 0 = scheme default
  std::string base_path;       // without trailing '/', may be empty
  std::string origin() const;  // scheme://host[:port]
  void append_origin(std::string &out) const;
};
// Parses and checks an endpoint URL; a URL without scheme gets https. http needs allow_http.
Endpoint parse_endpoint(const std::string &url, bool allow_http);

// Percent-encodes a query value (RFC 3986 unreserved characters kept).
std::string url_encode(const std::string &value);

}  // namespace sdrs
