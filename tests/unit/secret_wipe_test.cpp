// Wiping secrets from memory once a request is done: the one part of a wipe a test can see
// is that the value is gone and other headers are left alone.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/log.hpp"
#include "http/redact.hpp"

namespace sdrs {
namespace {

TEST(SecretWipe, SecretHeaderValuesAreClearedOthersKept) {
  const std::string token(300, 'T');  // longer than any small-string buffer
  std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Auth-Token", token},
      {"Accept", "application/json"},
      {"Authorization", "SDK-HMAC-SHA256 Access=AK, Signature=abc"},
      {"X-Security-Token", "st"},
      {"X-Project-Id", "p1"}};
  wipe_secret_headers(headers);
  EXPECT_TRUE(headers[0].second.empty());
  EXPECT_EQ(headers[1].second, "application/json");
  EXPECT_TRUE(headers[2].second.empty());
  EXPECT_TRUE(headers[3].second.empty());
  EXPECT_EQ(headers[4].second, "p1");
  EXPECT_EQ(headers[0].first, "X-Auth-Token");  // names stay for the log's "***"
}

TEST(SecretWipe, SecureWipeClearsAndSecretForgets) {
  std::string s(100, 'x');
  secure_wipe(s);
  EXPECT_TRUE(s.empty());
  std::string empty;
  secure_wipe(empty);  // no buffer: nothing to do, no crash
  EXPECT_TRUE(empty.empty());
  Secret a(std::string(50, 'a'));
  a = Secret(std::string("b"));
  EXPECT_EQ(a.get(), "b");
}

}  // namespace
}  // namespace sdrs
