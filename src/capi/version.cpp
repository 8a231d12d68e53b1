// sdrs/version.h: the library's version.
#include "capi/handles.hpp"

extern "C" {

SDRS_API const char *sdrs_version(void) {
  return SDRS_VERSION_STRING;
}
SDRS_API int32_t sdrs_version_number(void) {
  return SDRS_VERSION_NUMBER;
}

}  // extern "C"
