// libFuzzer target: sdrs::decode_pair_list on arbitrary bytes.
#include "core/resources/pair.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_decoder(data, size, [](const std::string &body) { (void)sdrs::decode_pair_list(body); });
  return 0;
}
