// What never reaches a log line or outlives its use: secret header values and the secret
// members of JSON bodies.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sdrs {

// Header names whose values are never logged.
bool is_secret_header(std::string_view name);
// Wipes the values of the secret headers of a header list (see is_secret_header).
void wipe_secret_headers(std::vector<std::pair<std::string, std::string>> &headers);

// A body for a log line: values of JSON members whose name mentions a password, secret,
// token, credential or key material are replaced by "***".
std::string mask_body_secrets(const std::string &body);

}  // namespace sdrs
