// libFuzzer target: sdrs::decode_instance_list on arbitrary bytes.
// Where its scanner takes the body, the complete decoder must read the same
// (fuzz_differential.hpp).
#include "core/resources/pi.hpp"
#include "fuzz_common.hpp"
#include "fuzz_differential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_decoder(data, size, [](const std::string &body) {
    (void)sdrs::decode_instance_list(body);
    fuzz::compare_array(body, "protected_instances", sdrs::kPiRecord, true);
  });
  return 0;
}
