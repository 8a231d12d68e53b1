// Poll schedule of the job waiter: exponential growth from an initial interval up to a cap, each
// delay spread by +/- jitter percent so many waiters do not poll in lock-step.
#pragma once

#include <cstdint>
#include <random>

namespace sdrs {

struct BackoffPolicy {
  int64_t initial_ms = 1000;
  int64_t max_ms = 10000;
  int32_t multiplier_pct = 150;
  int32_t jitter_pct = 20;
};

class Backoff {
 public:
  Backoff(const BackoffPolicy &policy, uint64_t seed) : policy_(policy), rng_(seed) {}
  // The un-jittered delay of the current step.
  int64_t base_ms() const { return base_; }
  // The next delay (jittered) and advance the schedule.
  int64_t next_ms();

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  int64_t base_ = -1;
};

}  // namespace sdrs
