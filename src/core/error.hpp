// Error model shared by every layer: a failure carries a stable code plus all the detail the C
// API exposes. Internals throw sdrs::Failure; the C boundary turns it into an sdrs_error.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace sdrs {

// The values of enum sdrs_result in include/sdrs/common.h (core must not include the C
// headers); both come from core/result_codes.def, checked by tests/unit/result_codes_test.cpp.
enum class Code : int {
#define SDRS_RESULT(id, c_name, value, description) id = (value),
#include "core/result_codes.def"
#undef SDRS_RESULT
};

struct ErrorInfo {
  ErrorInfo() = default;
  ErrorInfo(Code c, std::string msg) : code(c), message(std::move(msg)) {}

  Code code = Code::kInternal;
  std::string message;
  int32_t http_status = 0;
  std::string api_code;  // "SDRS.1013"; empty when absent
  std::string request_id;
  std::string body;  // raw response body (capped)
  std::string job_id;
  std::string fail_reason;
  bool retryable = false;
  int32_t attempts = 0;
};

class Failure : public std::runtime_error {
 public:
  explicit Failure(ErrorInfo info) : std::runtime_error(info.message), info_(std::move(info)) {}
  Failure(Code code, const std::string &message) : Failure(ErrorInfo{code, message}) {}
  const ErrorInfo &info() const noexcept { return info_; }
  ErrorInfo &info() noexcept { return info_; }

 private:
  ErrorInfo info_;
};

[[noreturn]] inline void fail(Code code, const std::string &message) {
  throw Failure(code, message);
}

// Static strings for any int code (sdrs_strerror / sdrs_error_name).
const char *code_description(int code) noexcept;
const char *code_name(int code) noexcept;

// Classification of a service error body code ("SDRS.0202") per the spec's error table.
// Returns false when the code is not in the table.
struct ApiCodeInfo {
  Code code;
  int32_t http_status;
  bool retryable;
  const char *meaning;
};
bool lookup_api_code(const std::string &api_code, ApiCodeInfo *out) noexcept;

// Maps an HTTP error status (and the SDRS code found in its body, if any) to a Code.
Code map_http_error(int32_t http_status, const std::string &api_code, bool *retryable);

}  // namespace sdrs
