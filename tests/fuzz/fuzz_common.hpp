// Shared helper of the fuzz targets: runs a decoder and accepts only the documented outcome
// for bad input (a Failure with a code); anything else escapes and crashes the fuzzer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"

template <typename Fn>
void fuzz_decoder(const uint8_t *data, size_t size, Fn fn) {
  const std::string body(reinterpret_cast<const char *>(data), size);
  try {
    fn(body);
  } catch (const sdrs::Failure &f) {
    // Decoders only ever report malformed bodies as protocol errors.
    if (f.info().code != sdrs::Code::kProtocol) __builtin_trap();
    if (f.info().message.empty()) __builtin_trap();
  }
}
