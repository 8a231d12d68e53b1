#include "core/backoff.hpp"

#include <algorithm>

namespace sdrs {

int64_t Backoff::next_ms() {
  if (base_ < 0) {
    base_ = policy_.initial_ms;
  } else {
    // Integer arithmetic; saturate at the cap so the multiplication cannot overflow.
    base_ = base_ >= policy_.max_ms
                ? policy_.max_ms
                : std::min(policy_.max_ms, base_ * policy_.multiplier_pct / 100);
  }
  if (policy_.jitter_pct <= 0) return base_;
  const int64_t spread = base_ * policy_.jitter_pct / 100;
  std::uniform_int_distribution<int64_t> dist(base_ - spread, base_ + spread);
  return std::max<int64_t>(1, dist(rng_));
}

}  // namespace sdrs
