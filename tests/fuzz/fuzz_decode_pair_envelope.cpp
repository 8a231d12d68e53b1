// libFuzzer target: sdrs::decode_pair_envelope on arbitrary bytes.
// Where its scanner takes the body, the complete decoder must read the same
// (fuzz_differential.hpp).
#include "core/resources/pair.hpp"
#include "fuzz_common.hpp"
#include "fuzz_differential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_decoder(data, size, [](const std::string &body) {
    (void)sdrs::decode_pair_envelope(body);
    fuzz::compare_member(body, "replication", sdrs::kPairRecord);
  });
  return 0;
}
