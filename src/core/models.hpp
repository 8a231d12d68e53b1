// What every resource's model shares. Results keep their JSON text so the C API can offer it
// (design rule 5); absent and JSON-null fields are simply not stored. The resources themselves
// live in core/resources/ (one header per resource).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sdrs {

using OptString = std::optional<std::string>;

constexpr int64_t kTimeNone = INT64_MIN;

// Error body of any documented shape (spec 1.4).
struct ErrorBody {
  std::string api_code;
  std::string message;
};

inline const char *c_str_or_null(const OptString &s) {
  return s ? s->c_str() : nullptr;
}

}  // namespace sdrs
