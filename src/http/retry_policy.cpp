#include "http/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <random>

#include "core/cancel.hpp"
#include "core/text.hpp"

namespace sdrs {

bool idempotent(std::string_view method) {
  return method == "GET" || method == "PUT" || method == "DELETE" || method == "HEAD";
}

bool retry_decision(const std::string &method, long status, FailureKind failure) {
  if (failure == FailureKind::kNeverSent) return true;
  if (idempotent(method)) {
    if (failure == FailureKind::kConnection) return true;
    if (failure != FailureKind::kNone) return false;
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }
  return failure == FailureKind::kNone && (status == 429 || status == 503);
}

int64_t backoff_delay_ms(const RetryPolicy &policy, int32_t next_attempt, double u) {
  int64_t ceiling = policy.base_ms;
  for (int32_t i = 2; i < next_attempt && ceiling < policy.cap_ms; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, policy.cap_ms);
  return static_cast<int64_t>(std::floor(u * static_cast<double>(ceiling + 1)));
}

int64_t parse_retry_after(const std::string &value, int64_t now_unix_s) {
  const std::string v = text::trim(value);
  if (v.empty()) return -1;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return -1;  // more than 31 years: treat as garbage
    return std::stoll(v) * 1000;
  }
  // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (the only form senders may use).
  std::tm tm{};
  const char *end = strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return -1;
  const auto when = static_cast<int64_t>(timegm(&tm));
  return when <= now_unix_s ? 0 : (when - now_unix_s) * 1000;
}

// Retry jitter needs no strong randomness: one generator per thread, seeded once, keeps the
// random_device read (a system call with some libstdc++ back ends) off every request.
double jitter_unit() {
  thread_local std::minstd_rand rng(static_cast<uint32_t>(
      std::random_device{}() ^ static_cast<uint32_t>(Clock::now().time_since_epoch().count())));
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace sdrs
