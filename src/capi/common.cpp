// sdrs/common.h: result code names and texts, owned strings.
#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>

#include "capi/handles.hpp"

extern "C" {

SDRS_API const char *sdrs_strerror(int code) {
  return sdrs::code_description(code);
}
SDRS_API const char *sdrs_error_name(int code) {
  return sdrs::code_name(code);
}
SDRS_API void sdrs_string_free(char *s) {
  // Strings handed out may be tokens (sdrs_client_token): wipe before release.
  if (s != nullptr) OPENSSL_cleanse(s, std::strlen(s));
  std::free(s);
}

}  // extern "C"
