// Error mapping cases a one-line change could break unseen (scripts/mutate): every
// "authenticated but not allowed" code maps to SDRS_EFORBIDDEN, and a 503 stays retryable
// whatever SDRS code rides along (the service refused without acting).
#include <gtest/gtest.h>

#include "core/error.hpp"

namespace sdrs {
namespace {

TEST(ErrorGuards, EveryPermissionCodeIsForbidden) {
  for (const char *code : {"SDRS.0003", "SDRS.0004", "SDRS.0005", "SDRS.0009"}) {
    bool retry = true;
    EXPECT_EQ(map_http_error(403, code, &retry), Code::kForbidden) << code;
    EXPECT_FALSE(retry) << code;
    EXPECT_EQ(map_http_error(400, code, &retry), Code::kForbidden) << code;
  }
  bool retry = true;
  EXPECT_EQ(map_http_error(401, "SDRS.0002", &retry), Code::kAuth);
}

TEST(ErrorGuards, A503IsRetryableWhateverTheCode) {
  for (const char *code : {"", "SDRS.0013", "SDRS.0008", "SDRS.0202", "APIGW.0101"}) {
    bool retry = false;
    map_http_error(503, code, &retry);
    EXPECT_TRUE(retry) << code;
  }
}

}  // namespace
}  // namespace sdrs
