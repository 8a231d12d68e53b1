#include <gtest/gtest.h>

#include "core/error.hpp"

namespace sdrs {
namespace {

TEST(ErrorMapping, SdrsCodesWinOverHttpStatus) {
  EXPECT_EQ(map_http_error(400, "SDRS.1013"), Code::kNotFound);
  EXPECT_EQ(map_http_error(400, "SDRS.0202"), Code::kRequest);
  EXPECT_EQ(map_http_error(400, "SDRS.1010"), Code::kConflict);
  EXPECT_EQ(map_http_error(400, "SDRS.0305"), Code::kQuota);
  EXPECT_EQ(map_http_error(400, "SDRS.0002"), Code::kAuth);
  EXPECT_EQ(map_http_error(400, "SDRS.0004"), Code::kForbidden);
  EXPECT_EQ(map_http_error(500, "SDRS.0008"), Code::kServer);
  EXPECT_EQ(map_http_error(500, "SDRS.0013"), Code::kServer);
  // Whether a failure is transient is the retry policy's call (method and wire event), not
  // the code's class: tests/unit/transport_test.cpp.
}

TEST(ErrorMapping, NotFoundAndRateLimitWinOverAnyCode) {
  EXPECT_EQ(map_http_error(404, "SDRS.0408"), Code::kNotFound);
  EXPECT_EQ(map_http_error(429, "SDRS.0013"), Code::kRateLimit);
  EXPECT_EQ(map_http_error(429, "SDRS.0202"), Code::kRateLimit);
  EXPECT_EQ(map_http_error(429, "SDRS.0429"), Code::kRateLimit);
}

TEST(ErrorMapping, HttpStatusWithoutKnownCode) {
  EXPECT_EQ(map_http_error(401, ""), Code::kAuth);
  EXPECT_EQ(map_http_error(403, ""), Code::kForbidden);
  EXPECT_EQ(map_http_error(404, ""), Code::kNotFound);
  EXPECT_EQ(map_http_error(409, ""), Code::kConflict);
  EXPECT_EQ(map_http_error(429, ""), Code::kRateLimit);
  EXPECT_EQ(map_http_error(502, "APIGW.0101"), Code::kServer);
  EXPECT_EQ(map_http_error(501, ""), Code::kServer);
  EXPECT_EQ(map_http_error(400, ""), Code::kRequest);
  EXPECT_EQ(map_http_error(418, ""), Code::kRequest);
}

TEST(ErrorMapping, TableIsCompleteAndSorted) {
  ApiCodeInfo info{};
  EXPECT_TRUE(lookup_api_code("SDRS.0001", &info));
  EXPECT_TRUE(lookup_api_code("SDRS.2206", &info));
  EXPECT_EQ(info.http_status, 404);
  EXPECT_EQ(info.code, Code::kNotFound);
  EXPECT_FALSE(lookup_api_code("SDRS.1903", &info));  // removed per the change history
  EXPECT_FALSE(lookup_api_code("", &info));
}

TEST(ErrorNames, EveryCodeHasANameAndUnknownIsSafe) {
  for (int c = 0; c >= -18; --c) {
    EXPECT_STRNE(code_name(c), "SDRS_UNKNOWN") << c;
    EXPECT_STRNE(code_description(c), "unknown error code") << c;
  }
  EXPECT_STREQ(code_name(-5), "SDRS_ENOTFOUND");
  EXPECT_STREQ(code_name(12345), "SDRS_UNKNOWN");
  EXPECT_STREQ(code_name(-19), "SDRS_UNKNOWN");
}

}  // namespace
}  // namespace sdrs
