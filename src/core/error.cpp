#include "core/error.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace sdrs {
namespace {

struct CodeText {
  int code;
  const char *name;
  const char *description;
};

constexpr CodeText kCodeTexts[] = {
#define SDRS_RESULT(id, c_name, value, description) {value, #c_name, description},
#include "core/result_codes.def"
#undef SDRS_RESULT
};

const CodeText *find_text(int code) noexcept {
  for (const auto &t : kCodeTexts) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

enum class ApiClass { auth, internal, notfound, param, quota, retry, state };

struct ApiCodeRow {
  const char *code;
  int32_t http;
  ApiClass cls;
  const char *meaning;
};

#define SDRS_CODE(code, http, cls, meaning) {code, http, ApiClass::cls, meaning},
constexpr ApiCodeRow kApiCodes[] = {
#include "core/error_codes.inc"
};
#undef SDRS_CODE

// Auth-class codes that mean "authenticated but not allowed" rather than "not authenticated".
bool is_permission_code(const char *code) {
  static const char *const kPermission[] = {"SDRS.0003", "SDRS.0004", "SDRS.0005", "SDRS.0009"};
  return std::any_of(std::begin(kPermission), std::end(kPermission),
                     [code](const char *p) { return std::strcmp(p, code) == 0; });
}

}  // namespace

const char *code_description(int code) noexcept {
  const CodeText *t = find_text(code);
  return t != nullptr ? t->description : "unknown error code";
}

const char *code_name(int code) noexcept {
  const CodeText *t = find_text(code);
  return t != nullptr ? t->name : "SDRS_UNKNOWN";
}

bool lookup_api_code(const std::string &api_code, ApiCodeInfo *out) noexcept {
  // The table is sorted by code, so a binary search is enough.
  const auto *begin = std::begin(kApiCodes);
  const auto *end = std::end(kApiCodes);
  const auto *it =
      std::lower_bound(begin, end, api_code, [](const ApiCodeRow &row, const std::string &c) {
        return std::strcmp(row.code, c.c_str()) < 0;
      });
  if (it == end || api_code != it->code) return false;
  Code code = Code::kServer;
  switch (it->cls) {
    case ApiClass::auth:
      code = is_permission_code(it->code) ? Code::kForbidden : Code::kAuth;
      break;
    case ApiClass::param:
      code = Code::kRequest;
      break;
    case ApiClass::state:
      code = Code::kConflict;
      break;
    case ApiClass::quota:
      code = Code::kQuota;
      break;
    case ApiClass::notfound:
      code = Code::kNotFound;
      break;
    case ApiClass::retry:
    case ApiClass::internal:
      code = Code::kServer;
      break;
  }
  out->code = code;
  out->http_status = it->http;
  out->retryable = it->cls == ApiClass::retry;
  out->meaning = it->meaning;
  return true;
}

Code map_http_error(int32_t http_status, const std::string &api_code, bool *retryable) {
  // A 404 is unambiguous whatever code rides along (the table has no "job not found" code, so
  // a service may send an internal-class one such as SDRS.0408 "job object is null").
  if (http_status == 404) {
    *retryable = false;
    return Code::kNotFound;
  }
  ApiCodeInfo info{};
  if (!api_code.empty() && lookup_api_code(api_code, &info)) {
    *retryable = info.retryable || http_status == 429 || http_status == 503;
    return info.code;
  }
  *retryable = http_status == 429 || http_status == 500 || http_status == 502 ||
               http_status == 503 || http_status == 504;
  switch (http_status) {
    case 401:
      return Code::kAuth;
    case 403:
      return Code::kForbidden;
    case 404:
      return Code::kNotFound;
    case 408:
      return Code::kTimeout;
    case 409:
      return Code::kConflict;
    case 429:
      return Code::kRateLimit;
    default:
      break;
  }
  if (http_status >= 500) return Code::kServer;
  if (http_status >= 400) return Code::kRequest;
  return Code::kProtocol;  // an unexpected non-error status (1xx/3xx)
}

}  // namespace sdrs
