#include <gtest/gtest.h>

#include "core/error.hpp"

namespace sdrs {
namespace {

TEST(ErrorMapping, SdrsCodesWinOverHttpStatus) {
  bool retry = true;
  EXPECT_EQ(map_http_error(400, "SDRS.1013", &retry), Code::kNotFound);
  EXPECT_FALSE(retry);
  EXPECT_EQ(map_http_error(400, "SDRS.0202", &retry), Code::kRequest);
  EXPECT_EQ(map_http_error(400, "SDRS.1010", &retry), Code::kConflict);
  EXPECT_EQ(map_http_error(400, "SDRS.0305", &retry), Code::kQuota);
  EXPECT_EQ(map_http_error(400, "SDRS.0002", &retry), Code::kAuth);
  EXPECT_EQ(map_http_error(400, "SDRS.0004", &retry), Code::kForbidden);
  EXPECT_EQ(map_http_error(500, "SDRS.0008", &retry), Code::kServer);
  EXPECT_TRUE(retry);
  EXPECT_EQ(map_http_error(500, "SDRS.0013", &retry), Code::kServer);
  EXPECT_FALSE(retry);
  EXPECT_EQ(map_http_error(404, "SDRS.0408", &retry), Code::kNotFound);
  EXPECT_FALSE(retry);
}

TEST(ErrorMapping, HttpStatusWithoutKnownCode) {
  bool retry = false;
  EXPECT_EQ(map_http_error(401, "", &retry), Code::kAuth);
  EXPECT_EQ(map_http_error(403, "", &retry), Code::kForbidden);
  EXPECT_EQ(map_http_error(404, "", &retry), Code::kNotFound);
  EXPECT_EQ(map_http_error(409, "", &retry), Code::kConflict);
  EXPECT_EQ(map_http_error(429, "", &retry), Code::kRateLimit);
  EXPECT_TRUE(retry);
  EXPECT_EQ(map_http_error(502, "APIGW.0101", &retry), Code::kServer);
  EXPECT_TRUE(retry);
  EXPECT_EQ(map_http_error(501, "", &retry), Code::kServer);
  EXPECT_FALSE(retry);
  EXPECT_EQ(map_http_error(400, "", &retry), Code::kRequest);
  EXPECT_EQ(map_http_error(418, "", &retry), Code::kRequest);
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
