// Retry policy, Retry-After parsing, backoff and log masking of the transport.
#include <gtest/gtest.h>

#include "http/redact.hpp"
#include "http/retry_policy.hpp"

namespace sdrs {
namespace {

TEST(RetryDecision, IdempotentMethodsRetryConnectionErrorsAndGatewayStatuses) {
  for (const char *m : {"GET", "DELETE", "PUT"}) {
    for (long s : {429L, 500L, 502L, 503L, 504L})
      EXPECT_TRUE(retry_decision(m, s, FailureKind::kNone)) << m << s;
    for (long s : {200L, 400L, 401L, 403L, 404L, 409L, 501L}) {
      EXPECT_FALSE(retry_decision(m, s, FailureKind::kNone)) << m << s;
    }
    EXPECT_TRUE(retry_decision(m, 0, FailureKind::kConnection));
    EXPECT_TRUE(retry_decision(m, 0, FailureKind::kNeverSent));
    EXPECT_FALSE(retry_decision(m, 0, FailureKind::kOther));
  }
}

TEST(RetryDecision, PostOnlyWhenTheServerDidNotAct) {
  EXPECT_TRUE(retry_decision("POST", 429, FailureKind::kNone));
  EXPECT_TRUE(retry_decision("POST", 503, FailureKind::kNone));
  EXPECT_TRUE(retry_decision("POST", 0, FailureKind::kNeverSent));
  for (long s : {500L, 502L, 504L, 400L, 200L}) {
    EXPECT_FALSE(retry_decision("POST", s, FailureKind::kNone)) << s;
  }
  // The request may have reached the server: never resent.
  EXPECT_FALSE(retry_decision("POST", 0, FailureKind::kConnection));
  EXPECT_FALSE(retry_decision("POST", 0, FailureKind::kOther));
}

TEST(RetryAfter, DeltaSecondsAndHttpDate) {
  const int64_t now = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("0", now), 0);
  EXPECT_EQ(parse_retry_after("3", now), 3000);
  EXPECT_EQ(parse_retry_after(" 120 ", now), 120000);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), 10000);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 0);
  EXPECT_EQ(parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", now), 0);  // past
  EXPECT_EQ(parse_retry_after("", now), -1);
  EXPECT_EQ(parse_retry_after("-1", now), -1);
  EXPECT_EQ(parse_retry_after("1.5", now), -1);
  EXPECT_EQ(parse_retry_after("soon", now), -1);
  EXPECT_EQ(parse_retry_after("99999999999999999999", now), -1);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT trailing", now), -1);
}

TEST(Backoff, FullJitterWithinExponentialCeiling) {
  RetryPolicy p;
  p.base_ms = 100;
  p.cap_ms = 1000;
  EXPECT_EQ(backoff_delay_ms(p, 2, 0.0), 0);
  EXPECT_EQ(backoff_delay_ms(p, 2, 0.999999), 100);
  EXPECT_EQ(backoff_delay_ms(p, 3, 0.999999), 200);
  EXPECT_EQ(backoff_delay_ms(p, 4, 0.999999), 400);
  EXPECT_EQ(backoff_delay_ms(p, 5, 0.999999), 800);
  EXPECT_EQ(backoff_delay_ms(p, 6, 0.999999), 1000);  // capped
  EXPECT_EQ(backoff_delay_ms(p, 60, 0.999999), 1000);
  EXPECT_EQ(backoff_delay_ms(p, 4, 0.5), 200);
}

TEST(LogMasking, SecretHeaders) {
  for (const char *h : {"X-Auth-Token", "authorization", "X-Security-Token", "x-subject-token",
                        "Proxy-Authorization", "Cookie"}) {
    EXPECT_TRUE(is_secret_header(h)) << h;
  }
  EXPECT_FALSE(is_secret_header("X-Project-Id"));
  EXPECT_FALSE(is_secret_header("Content-Type"));
}

TEST(LogMasking, SecretBodyMembers) {
  const std::string iam =
      R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"bob",)"
      R"("password":"hunter2","domain":{"name":"d"}}}}}})";
  const std::string masked = mask_body_secrets(iam);
  EXPECT_EQ(masked.find("hunter2"), std::string::npos);
  EXPECT_NE(masked.find(R"("password": "***")"), std::string::npos);
  EXPECT_NE(masked.find(R"("name":"bob")"), std::string::npos);
  EXPECT_NE(masked.find(R"(["password"])"), std::string::npos);  // a value, not a member

  const std::string aksk = R"({"access":"AK1","secret" : "s3\"q\\z9","securitytoken":"tok"})";
  const std::string m2 = mask_body_secrets(aksk);
  EXPECT_EQ(m2.find("s3"), std::string::npos);
  EXPECT_EQ(m2.find("z9"), std::string::npos);
  EXPECT_EQ(m2.find("tok\""), std::string::npos);
  EXPECT_NE(m2.find("AK1"), std::string::npos);

  // Non-secret bodies pass through unchanged; broken JSON does not crash.
  const std::string plain = R"({"server_group":{"name":"pg-1","description":"x"}})";
  EXPECT_EQ(mask_body_secrets(plain), plain);
  EXPECT_NO_THROW(mask_body_secrets(R"({"password":)"));
  EXPECT_NO_THROW(mask_body_secrets(R"({"password":"unterminated)"));
  EXPECT_NO_THROW(mask_body_secrets("\"\\"));
}

}  // namespace
}  // namespace sdrs
