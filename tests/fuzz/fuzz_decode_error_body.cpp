// libFuzzer target: sdrs::decode_error_body on arbitrary bytes (never throws).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string body(reinterpret_cast<const char *>(data), size);
  sdrs::ErrorBody eb;
  if (sdrs::decode_error_body(body, &eb)) {
    // Whatever code was found must classify without crashing.
    (void)sdrs::map_http_error(400, eb.api_code);
  }
  return 0;
}
