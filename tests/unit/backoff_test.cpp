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

// A second multiplier than the default's 150 %: a schedule that ignored the configured factor
// (or applied it once) passes the test above by chance only for 150.
TEST(Backoff, ConfiguredMultiplierExactSchedule) {
  BackoffPolicy p;
  p.initial_ms = 40;
  p.max_ms = 100000;
  p.multiplier_pct = 250;
  p.jitter_pct = 0;
  Backoff b(p, 99);
  const int64_t expected[] = {40, 100, 250, 625, 1562, 3905, 9762, 24405, 61012, 100000, 100000};
  for (const int64_t e : expected) {
    EXPECT_EQ(b.next_ms(), e);
    EXPECT_EQ(b.base_ms(), e);
  }
}

// With jitter and a fixed seed, the un-jittered base still follows the exact geometric
// schedule and every drawn delay stays within its +/- jitter band.
TEST(Backoff, JitteredScheduleFollowsTheMultiplier) {
  BackoffPolicy p;
  p.initial_ms = 100;
  p.max_ms = 5000;
  p.multiplier_pct = 300;
  p.jitter_pct = 10;
  Backoff b(p, 2024);
  const int64_t bases[] = {100, 300, 900, 2700, 5000, 5000};
  int64_t total = 0;
  for (const int64_t base : bases) {
    const int64_t d = b.next_ms();
    EXPECT_EQ(b.base_ms(), base);
    EXPECT_GE(d, base - base / 10);
    EXPECT_LE(d, base + base / 10);
    total += d;
  }
  // 14000 ms of un-jittered schedule; 150 % would give 100+150+225+337+505+757 = 2074.
  EXPECT_GE(total, 14000 - 1400);
  EXPECT_LE(total, 14000 + 1400);
}

}  // namespace
}  // namespace sdrs
