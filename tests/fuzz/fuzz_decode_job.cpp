// libFuzzer target: sdrs::decode_job on arbitrary bytes.
#include "core/resources/job.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_decoder(data, size, [](const std::string &body) { (void)sdrs::decode_job(body); });
  return 0;
}
