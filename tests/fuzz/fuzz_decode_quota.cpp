// libFuzzer target: sdrs::decode_quota on arbitrary bytes.
#include "core/resources/quota.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_decoder(data, size, [](const std::string &body) { (void)sdrs::decode_quota(body); });
  return 0;
}
