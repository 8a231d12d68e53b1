// When the transport sends a request again, and after how long: pure functions of the method,
// the outcome of an attempt and the policy, so they are tested without a network.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sdrs {

// Per-call retry budget with exponential backoff and full jitter: before attempt n+1 the
// call sleeps a uniform random time in [0, min(cap_ms, base_ms * 2^(n-1))], or what the
// server's Retry-After asks for. The call deadline bounds all of it.
struct RetryPolicy {
  int32_t max_attempts = 4;
  int64_t base_ms = 100;
  int64_t cap_ms = 5000;
  int64_t max_retry_after_ms = 60000;  // a longer Retry-After ends the call instead
};

// How an attempt failed below HTTP (kNone: an HTTP response arrived).
enum class FailureKind { kNone, kNeverSent, kConnection, kOther };

// GET, PUT, DELETE and HEAD: sending them twice has the effect of sending them once.
bool idempotent(std::string_view method);

// Whether a request may be sent again. Idempotent methods are retried on connection errors,
// exchange timeouts, 429, 500, 502, 503, 504. Anything else (POST create and the actions) only
// on 429, 503 (the server refused without acting) and when the request provably never reached
// the server (connection refused, DNS).
bool retry_decision(const std::string &method, long status, FailureKind failure);

// Full-jitter backoff delay before attempt `next_attempt` (2, 3, ...), from a uniform draw
// u in [0, 1).
int64_t backoff_delay_ms(const RetryPolicy &policy, int32_t next_attempt, double u);

// Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP-date, as milliseconds from `now`
// (0 for a date in the past); -1 when absent or unparsable.
int64_t parse_retry_after(const std::string &value, int64_t now_unix_s);

// A uniform draw in [0, 1) for the jitter (a per-thread generator, seeded once).
double jitter_unit();

}  // namespace sdrs
