// Retry policy, Retry-After parsing, backoff and log masking of the transport.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "http/options.hpp"
#include "http/redact.hpp"
#include "http/retry_policy.hpp"

namespace sdrs {
namespace {

// A fake environment for choose_proxy (a plain function pointer, so a static map).
std::map<std::string, std::string> g_env;
const char *fake_env(const char *name) {
  auto it = g_env.find(name);
  return it == g_env.end() ? nullptr : it->second.c_str();
}

ProxyChoice choose_with_env(std::map<std::string, std::string> env,
                            const TransportOptions &o = TransportOptions{}) {
  g_env = std::move(env);
  return choose_proxy(o, fake_env);
}

// The http and https proxies and the no-proxy list of a choice.
void expect_choice(const ProxyChoice &c, const char *http, const char *https,
                   const char *no_proxy) {
  EXPECT_EQ(c.http.get(), http);
  EXPECT_EQ(c.https.get(), https);
  EXPECT_EQ(c.no_proxy, no_proxy);
}

TEST(ChooseProxy, EnvironmentByLibcurlsRules) {
  // Nothing set: direct, no exceptions.
  ProxyChoice c = choose_with_env({});
  expect_choice(c, "", "", "");
  // Per scheme; the lower-case name first.
  c = choose_with_env({{"http_proxy", "http://h:1"},
                       {"https_proxy", "http://s:2"},
                       {"HTTPS_PROXY", "http://S:3"},
                       {"no_proxy", "a.example"},
                       {"NO_PROXY", "b.example"}});
  expect_choice(c, "http://h:1", "http://s:2", "a.example");
  // Upper case when the lower case is missing, except HTTP_PROXY (libcurl ignores it: a CGI
  // request's "Proxy:" header sets it); all_proxy, then ALL_PROXY, for a scheme without one.
  c = choose_with_env({{"HTTP_PROXY", "http://ignored:1"},
                       {"HTTPS_PROXY", "http://S:3"},
                       {"ALL_PROXY", "socks5h://all:4"},
                       {"NO_PROXY", "b.example"}});
  expect_choice(c, "socks5h://all:4", "http://S:3", "b.example");
  c = choose_with_env({{"all_proxy", "http://lower:5"}, {"ALL_PROXY", "http://upper:6"}});
  EXPECT_EQ(c.http.get(), "http://lower:5");
  EXPECT_EQ(c.https.get(), "http://lower:5");
  // An empty variable counts as unset (libcurl's curl_getenv).
  c = choose_with_env(
      {{"https_proxy", ""}, {"HTTPS_PROXY", "http://S:3"}, {"no_proxy", ""}, {"NO_PROXY", "*"}});
  EXPECT_EQ(c.https.get(), "http://S:3");
  EXPECT_EQ(c.no_proxy, "*");
}

TEST(ChooseProxy, ExplicitSettingsWinOverTheEnvironment) {
  const std::map<std::string, std::string> env = {
      {"http_proxy", "http://h:1"}, {"https_proxy", "http://s:2"}, {"no_proxy", "a.example"}};
  TransportOptions o;
  set_proxy(o, "http://explicit:8", nullptr);  // no_proxy still from the environment
  ProxyChoice c = choose_with_env(env, o);
  expect_choice(c, "http://explicit:8", "http://explicit:8", "a.example");
  set_proxy(o, "", "");  // direct, whatever the environment says
  c = choose_with_env(env, o);
  expect_choice(c, "", "", "");
  set_proxy(o, nullptr, "only.example");  // proxies from the environment, exceptions explicit
  c = choose_with_env(env, o);
  expect_choice(c, "http://h:1", "http://s:2", "only.example");
}

TEST(RetryDecision, IdempotentMethodsRetryConnectionErrorsAndEvery5xx) {
  for (const char *m : {"GET", "DELETE", "PUT"}) {
    // Any 5xx (issue 19: 501 and 505 too), whatever SDRS code the body carries.
    for (long s : {429L, 500L, 501L, 502L, 503L, 504L, 505L, 599L})
      EXPECT_TRUE(retry_decision(m, s, FailureKind::kNone)) << m << s;
    for (long s : {200L, 400L, 401L, 403L, 404L, 409L, 499L, 600L}) {
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

TEST(OutcomeUnknown, OnlyNonIdempotentRequestsAnsweredByAGatewayOrWithoutAServiceCode) {
  for (const char *m : {"GET", "DELETE", "PUT"}) {
    for (long s : {500L, 502L, 504L}) {
      EXPECT_FALSE(answer_leaves_outcome_unknown(m, s, false)) << m << s;
    }
  }
  // A gateway's 502/504: the service behind it may have acted, whatever the body says.
  EXPECT_TRUE(answer_leaves_outcome_unknown("POST", 502, false));
  EXPECT_TRUE(answer_leaves_outcome_unknown("POST", 502, true));
  EXPECT_TRUE(answer_leaves_outcome_unknown("POST", 504, true));
  // Another 5xx: unknown unless the service itself says it failed (an SDRS code).
  EXPECT_TRUE(answer_leaves_outcome_unknown("POST", 500, false));
  EXPECT_FALSE(answer_leaves_outcome_unknown("POST", 500, true));
  // 503 is a refusal (retried); 4xx and 2xx are answers.
  for (long s : {503L, 429L, 400L, 409L, 200L}) {
    EXPECT_FALSE(answer_leaves_outcome_unknown("POST", s, false)) << s;
  }
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
