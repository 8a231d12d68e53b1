// Error mapping cases a one-line change could break unseen (scripts/mutate): every
// "authenticated but not allowed" code maps to SDRS_EFORBIDDEN and is never retried, and a 503
// stays retryable whatever SDRS code rides along (the service refused without acting).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "http/retry_policy.hpp"

namespace sdrs {
namespace {

TEST(ErrorGuards, EveryPermissionCodeIsForbidden) {
  for (const char *code : {"SDRS.0003", "SDRS.0004", "SDRS.0005", "SDRS.0009"}) {
    EXPECT_EQ(map_http_error(403, code), Code::kForbidden) << code;
    EXPECT_EQ(map_http_error(400, code), Code::kForbidden) << code;
    for (const char *method : {"GET", "POST"}) {
      EXPECT_FALSE(retry_decision(method, 403, FailureKind::kNone)) << method << " " << code;
      EXPECT_FALSE(retry_decision(method, 400, FailureKind::kNone)) << method << " " << code;
    }
  }
  EXPECT_EQ(map_http_error(401, "SDRS.0002"), Code::kAuth);
}

TEST(ErrorGuards, A503IsRetryableWhateverTheCode) {
  // The retry decision does not look at the body's code at all; the mapping keeps the code's
  // class (SDRS.0202 is a parameter error) and a bare 503 is a server error.
  for (const char *method : {"GET", "PUT", "DELETE", "POST"}) {
    EXPECT_TRUE(retry_decision(method, 503, FailureKind::kNone)) << method;
  }
  EXPECT_EQ(map_http_error(503, ""), Code::kServer);
  EXPECT_EQ(map_http_error(503, "SDRS.0013"), Code::kServer);
  EXPECT_EQ(map_http_error(503, "APIGW.0101"), Code::kServer);
}

}  // namespace
}  // namespace sdrs
