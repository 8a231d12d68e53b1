// Header test (C++17): the umbrella header compiles under -std=c++17 -pedantic -Werror, the
// declarations have C linkage, and the compile-time version matches the run-time one.
#include <sdrs.h>

#include <cstdio>
#include <cstring>
#include <type_traits>

// C linkage: a pointer to an exported function converts to a plain C function pointer type.
extern "C" typedef const char *c_version_fn(void);
static_assert(std::is_same<decltype(&sdrs_version), const char *(*)()>::value,
              "sdrs_version has the declared signature");
static_assert(SDRS_EINVAL == -1 && SDRS_EQUOTA == -18, "result codes are ABI");
static_assert(sizeof(SDRS_VERSION_STRING) > 1, "version string");

int main() {
  c_version_fn *fn = sdrs_version;
  if (std::strcmp(fn(), SDRS_VERSION_STRING) != 0 || sdrs_version_number() != SDRS_VERSION_NUMBER) {
    std::fprintf(stderr, "header version %s != library version %s\n", SDRS_VERSION_STRING, fn());
    return 1;
  }
  std::printf("C++17 headers OK, libsdrs %s\n", fn());
  return 0;
}
