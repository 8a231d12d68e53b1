// libFuzzer target: the URL and path builders (endpoint parser, path segment check, list query
// string). The input is split at the first two NUL bytes into endpoint / segment / filter.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "core/resources/pg.hpp"
#include "core/url.hpp"
#include "core/validate.hpp"

namespace {

void expect_validation(const sdrs::Failure &f) {
  if (f.info().code != sdrs::Code::kValidation || f.info().message.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string in(reinterpret_cast<const char *>(data), size);
  const size_t a = in.find('\0');
  const size_t b = a == std::string::npos ? std::string::npos : in.find('\0', a + 1);
  const std::string url = in.substr(0, a);
  const std::string seg = a == std::string::npos ? in : in.substr(a + 1, b - a - 1);
  const std::string filter = b == std::string::npos ? in : in.substr(b + 1);
  for (const bool allow_http : {false, true}) {
    try {
      const sdrs::Endpoint ep = sdrs::parse_endpoint(url, allow_http);
      const std::string origin = ep.origin();
      // An accepted endpoint is always scheme://host with nothing that breaks the URL.
      if (origin.rfind(ep.scheme + "://", 0) != 0) __builtin_trap();
      if (origin.find_first_of(" \r\n\t") != std::string::npos) __builtin_trap();
      if (!allow_http && ep.scheme != "https") __builtin_trap();
    } catch (const sdrs::Failure &f) {
      expect_validation(f);
    }
  }
  try {
    sdrs::validate_path_segment("server_group_id", seg);
    // An accepted segment never leaves its place in the path or starts a query.
    if (seg.find_first_of("/?#%\\") != std::string::npos || seg.find("..") != std::string::npos)
      __builtin_trap();
  } catch (const sdrs::Failure &f) {
    expect_validation(f);
  }
  try {
    sdrs::ListQuery q;
    q.name = filter;
    q.status = seg;
    if (size > 0) q.limit = static_cast<int64_t>(data[0]) * 5 - 20;
    const std::string qs = sdrs::list_query_string(q);
    // Encoded values never contain characters that would split the query.
    for (const char c : qs.substr(qs.empty() ? 0 : 1)) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7f || c == '#' || c == '?') __builtin_trap();
    }
  } catch (const sdrs::Failure &f) {
    expect_validation(f);
  }
  return 0;
}
