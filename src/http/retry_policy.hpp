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

// How an attempt failed below HTTP (kNone: an HTTP response arrived). kNeverSent: the request
// never left (refused, DNS, a connect timeout: libcurl never started to send it); kConnection:
// it was sent, then the exchange broke (reset, closed, truncated, timed out).
enum class FailureKind { kNone, kNeverSent, kConnection, kOther };

// GET, PUT, DELETE and HEAD: sending them twice has the effect of sending them once.
bool idempotent(std::string_view method);

// The one retry classification (docs/reliability.md): whether the outcome of an attempt is
// transient for the method, so the request is sent again while the budget and the deadline
// allow, and the error says retryable when they do not. Idempotent methods (and so job polls):
// HTTP 429, any 5xx, and connection failures (before or after sending), whatever SDRS code the
// body carries. POST (create and the actions): HTTP 429, 503 (the service refused without
// acting) and failures before the request was sent (connection refused, DNS, connect
// timeout), so a create is never sent twice.
bool retry_decision(std::string_view method, long status, FailureKind failure);

// Whether an HTTP answer leaves the effect of a non-idempotent request unknown: 502 and 504
// (a gateway's answer: the service behind it may have acted before it failed or timed out)
// and any other 5xx except 503 that is not the service's own answer (`service_answered`: the
// body carries an SDRS.* error code; the service saying it failed is a known outcome). Always
// false for idempotent methods, whose outcome a repetition settles.
bool answer_leaves_outcome_unknown(std::string_view method, long status, bool service_answered);

// Full-jitter backoff delay before attempt `next_attempt` (2, 3, ...), from a uniform draw
// u in [0, 1).
int64_t backoff_delay_ms(const RetryPolicy &policy, int32_t next_attempt, double u);

// Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP-date, as milliseconds from `now`
// (0 for a date in the past); -1 when absent or unparsable.
int64_t parse_retry_after(const std::string &value, int64_t now_unix_s);

// A uniform draw in [0, 1) for the jitter (a per-thread generator, seeded once).
double jitter_unit();

}  // namespace sdrs
