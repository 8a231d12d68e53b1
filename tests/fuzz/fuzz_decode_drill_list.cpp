// libFuzzer target: sdrs::decode_drill_list on arbitrary bytes.
#include "core/resources/drill.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_decoder(data, size, [](const std::string &body) { (void)sdrs::decode_drill_list(body); });
  return 0;
}
