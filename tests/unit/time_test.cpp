#include <gtest/gtest.h>

#include "core/models.hpp"
#include "core/time.hpp"

namespace sdrs {
namespace {

TEST(Time, BothDocumentedFormats) {
  EXPECT_EQ(parse_time_ms("2024-03-11T09:15:02.118Z"), 1710148502118);
  EXPECT_EQ(parse_time_ms("2024-03-11 09:15:02.118"), 1710148502118);
  EXPECT_EQ(parse_time_ms("2024-03-11 09:15:02.1"), 1710148502100);
  EXPECT_EQ(parse_time_ms("2024-03-11 09:15:02"), 1710148502000);
  EXPECT_EQ(parse_time_ms("2024-03-11T09:15:02.118456Z"), 1710148502118);
  EXPECT_EQ(parse_time_ms("2018-05-30T15:00:00Z"), 1527692400000);
  EXPECT_EQ(parse_time_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_time_ms("2024-03-11T10:15:02.118+01:00"), 1710148502118);
  EXPECT_EQ(parse_time_ms("2024-02-29 00:00:00"), 1709164800000);
}

// The formats of spec part 2 section 0, with the docs' own examples: protected instances
// (space, 3 digits; the rename page's 1 digit), pairs ('T', 6 digits, no zone), task center
// ('T', 3 digits, Z), and the tag query's 2-digit fraction.
TEST(Time, ProtectedInstanceAndPairFormats) {
  EXPECT_EQ(parse_time_ms("2018-11-06 09:27:52.258"), 1541496472258);
  EXPECT_EQ(parse_time_ms("2018-05-02 22:43:03.0"), 1525300983000);
  EXPECT_EQ(parse_time_ms("2018-05-04T03:43:24.108526"), 1525405404108);
  EXPECT_EQ(parse_time_ms("2019-01-21T12:56:35.754Z"), 1548075395754);
  EXPECT_EQ(parse_time_ms("2024-03-11 01:40:00.74"), 1710121200740);
  EXPECT_EQ(parse_time_ms("2024-03-11T01:40:00.74Z"), 1710121200740);
  EXPECT_EQ(parse_time_ms("2024-03-11T01:40:00"), 1710121200000);
}

TEST(Time, RejectsGarbage) {
  for (const char *bad : {"", "2024-03-11", "2024-13-01 00:00:00", "2023-02-29 00:00:00",
                          "2024-03-11X09:15:02", "2024-03-11 25:00:00", "2024-03-11 09:15:02.",
                          "2024-03-11 09:15:02Zjunk", "yyyy-MM-dd HH:mm:ss.SSS"}) {
    EXPECT_EQ(parse_time_ms(bad), kTimeNone) << bad;
  }
}

}  // namespace
}  // namespace sdrs
