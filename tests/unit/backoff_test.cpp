#include <gtest/gtest.h>

#include "core/backoff.hpp"

namespace sdrs {
namespace {

TEST(Backoff, GrowsGeometricallyToTheCapWithoutJitter) {
  BackoffPolicy p;
  p.initial_ms = 1000;
  p.max_ms = 10000;
  p.multiplier_pct = 150;
  p.jitter_pct = 0;
  Backoff b(p, 1);
  const int64_t expected[] = {1000, 1500, 2250, 3375, 5062, 7593, 10000, 10000};
  for (const int64_t e : expected) EXPECT_EQ(b.next_ms(), e);
}

TEST(Backoff, JitterStaysWithinBoundsAndVaries) {
  BackoffPolicy p;
  p.initial_ms = 1000;
  p.max_ms = 1000;
  p.jitter_pct = 20;
  Backoff b(p, 42);
  int64_t lo = INT64_MAX, hi = 0;
  for (int i = 0; i < 1000; ++i) {
    const int64_t d = b.next_ms();
    ASSERT_GE(d, 800);
    ASSERT_LE(d, 1200);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_LT(lo, 850);
  EXPECT_GT(hi, 1150);
}

TEST(Backoff, SameSeedSameSchedule) {
  BackoffPolicy p;
  Backoff a(p, 7), b(p, 7);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.next_ms(), b.next_ms());
}

TEST(Backoff, MultiplierOfOneKeepsTheInterval) {
  BackoffPolicy p;
  p.initial_ms = 250;
  p.multiplier_pct = 100;
  p.jitter_pct = 0;
  Backoff b(p, 3);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.next_ms(), 250);
}

}  // namespace
}  // namespace sdrs
