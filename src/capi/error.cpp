// sdrs/error.h: the error handle's getters.
#include "capi/handles.hpp"

using sdrs::capi::str_or_null;

extern "C" {

SDRS_API int sdrs_error_code(const sdrs_error *err) {
  return err == nullptr ? 0 : static_cast<int>(err->info.code);
}
SDRS_API const char *sdrs_error_message(const sdrs_error *err) {
  return err == nullptr ? nullptr : err->info.message.c_str();
}
SDRS_API int32_t sdrs_error_http_status(const sdrs_error *err) {
  return err == nullptr ? 0 : err->info.http_status;
}
SDRS_API const char *sdrs_error_api_code(const sdrs_error *err) {
  return err == nullptr ? nullptr : str_or_null(err->info.api_code);
}
SDRS_API const char *sdrs_error_request_id(const sdrs_error *err) {
  return err == nullptr ? nullptr : str_or_null(err->info.request_id);
}
SDRS_API const char *sdrs_error_body(const sdrs_error *err) {
  return err == nullptr ? nullptr : str_or_null(err->info.body);
}
SDRS_API const char *sdrs_error_job_id(const sdrs_error *err) {
  return err == nullptr ? nullptr : str_or_null(err->info.job_id);
}
SDRS_API const char *sdrs_error_fail_reason(const sdrs_error *err) {
  return err == nullptr ? nullptr : str_or_null(err->info.fail_reason);
}
SDRS_API int sdrs_error_retryable(const sdrs_error *err) {
  return err != nullptr && err->info.retryable ? 1 : 0;
}
SDRS_API int32_t sdrs_error_attempts(const sdrs_error *err) {
  return err == nullptr ? 0 : err->info.attempts;
}
SDRS_API void sdrs_error_free(sdrs_error *err) {
  delete err;
}

}  // extern "C"
