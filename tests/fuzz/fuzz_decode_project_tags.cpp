// libFuzzer target: sdrs::decode_project_tags on arbitrary bytes.
#include "core/resources/tag.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_decoder(data, size, [](const std::string &body) { (void)sdrs::decode_project_tags(body); });
  return 0;
}
