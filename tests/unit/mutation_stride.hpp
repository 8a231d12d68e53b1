// How many byte positions the mutation tests step over: 1 (every position) unless
// SDRS_TEST_MUTATION_STRIDE says otherwise. scripts/test sets 7 for the ASan+UBSan pass, where
// every position costs minutes; the plain ctest run still mutates every byte.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace sdrs_test {

inline size_t mutation_stride() {
  const char *v = std::getenv("SDRS_TEST_MUTATION_STRIDE");
  if (v == nullptr || *v == '\0') return 1;
  const long n = std::strtol(v, nullptr, 10);
  return n >= 1 && n <= 1000 ? static_cast<size_t>(n) : 1;
}

}  // namespace sdrs_test
