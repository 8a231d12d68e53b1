// Error handles, code names, owned strings and the version functions.
#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>

#include "capi/handles.hpp"

namespace sdrs::capi {

void store_error(sdrs_error **err, ErrorInfo info) noexcept {
  if (err == nullptr) return;
  try {
    *err = new sdrs_error{std::move(info)};
  } catch (...) {
    *err = nullptr;  // no memory even for the error: the return code still says what happened
  }
}

char *dup_string(const std::string &s) {
  auto *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

CallContext call_context(const sdrs_call_opts *opts) {
  if (opts == nullptr) return CallContext{};
  return CallContext::with_timeout(opts->timeout_ms,
                                   opts->cancel != nullptr ? &opts->cancel->token : nullptr);
}

sdrs_job make_job(Job job) {
  sdrs_job out;
  out.subs.reserve(job.sub_jobs.size());
  for (auto &sub : job.sub_jobs) out.subs.push_back(make_job(sub));
  out.job = std::move(job);
  return out;
}

}  // namespace sdrs::capi

using sdrs::capi::str_or_null;

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

SDRS_API const char *sdrs_version(void) {
  return SDRS_VERSION_STRING;
}
SDRS_API int32_t sdrs_version_number(void) {
  return SDRS_VERSION_NUMBER;
}

}  // extern "C"
