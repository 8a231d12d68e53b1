// Poll schedule of the job waiter: exponential growth from an initial interval up to a cap, each
// delay spread by +/- jitter percent so many waiters do not poll in lock-step.
#pragma once

#include <cstdint>
#include <random>

namespace sdrs {

// SplitMix64: eight bytes of state where std::mt19937_64 takes 2.5 KB, which matters for a
// job watcher holding a schedule per pending job; plenty for spreading poll delays.
class SplitMix64 {
 public:
  using result_type = uint64_t;
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return UINT64_MAX; }
  result_type operator()() {
    uint64_t z = (state_ += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

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
  SplitMix64 rng_;
  int64_t base_ = -1;
};

}  // namespace sdrs
