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
void validate_path_segment(std::string_view field, std::string_view value);
// A dotted-quad IPv4 address: four decimal octets 0..255 of 1..3 digits, no leading zero (an
// "010" octet is octal to some parsers and decimal to others), nothing else.
void validate_ipv4(std::string_view field, const std::string &value);
// One id of an id-list query value (sent as one ["a","b"] array): a path segment's rules, and
// none of the characters that would end or split the array item (quotes, ',', '[', ']').
void validate_list_id(std::string_view field, const std::string &value);
// One of a fixed set of values; `allowed` is a NULL-terminated list used in the message too.
void validate_one_of(std::string_view field, const std::string &value, const char *const *allowed);
// An integer inside [lo, hi].
void validate_range(std::string_view field, int64_t value, int64_t lo, int64_t hi);
// A value sent as an HTTP header or handed to libcurl as one (token, access key, proxy URL):
// 1..max_len bytes of printable ASCII, so it cannot inject a second header line. The message
// names the field and the size, never the value (it may be a secret).
void validate_header_value(std::string_view field, const std::string &value, size_t max_len);
// Well-formed UTF-8 without NUL or control characters other than tab.
bool is_clean_utf8(std::string_view value);
// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) and no NUL
// byte; any other ASCII is allowed. What a JSON response body must be before parsing.
bool is_utf8_without_nul(std::string_view text);

}  // namespace sdrs
