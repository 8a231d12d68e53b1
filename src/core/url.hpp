// URL pieces: the service endpoint a client talks to and the one percent-encoder used by the
// request path/query builder and by the AK/SK signer's canonical forms.
#pragma once

#include <string>
#include <string_view>

namespace sdrs {

// A parsed service endpoint ("https://host[:port][/base]").
struct Endpoint {
  std::string scheme;     // "https" or "http"
  std::string host;       // may be "[v6]"
  int port = 0;           // 0 = scheme default
  std::string base_path;  // without trailing '/', may be empty
  // origin() + base_path, kept by parse_endpoint: every request URL starts with it, and
  // building it from the pieces for each request cost about 300 instructions.
  std::string url_prefix;
  std::string origin() const;  // scheme://host[:port]
  void append_origin(std::string &out) const;
};

// Parses and checks an endpoint URL; a URL without scheme gets https. http needs allow_http.
// Throws Failure(kValidation) naming `field` (the setting the URL came from).
Endpoint parse_endpoint(const std::string &url, bool allow_http, const char *field = "endpoint");

// Percent-encoding (RFC 3986): the unreserved characters A-Z a-z 0-9 - . _ ~ are kept, every
// other byte becomes %XY with upper-case hex. Query values and the signer (auth.md 1.7) use
// the same set.
std::string percent_encode(std::string_view raw);
void append_percent_encoded(std::string &out, std::string_view raw);

}  // namespace sdrs
