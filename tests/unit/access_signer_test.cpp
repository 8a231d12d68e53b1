// The hot-path signer (AccessSigner) against the reference sign_access: the appendix vectors of
// auth.md in the "Access=" form, and edge cases the vectors do not cover (key lengths around the
// HMAC block, duplicate and mixed-case header names, the payload-hash override, queries).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "auth/signer.hpp"
#include "auth_vectors.hpp"

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;
using sdrs::auth::AccessSigner;
using sdrs::auth::SignRequest;

const Vector kVectors[] = {
#include "auth_vectors.inc"
};

std::string fast_sign(const SignRequest &r, const std::string &date, const std::string &ak,
                      const std::string &sk) {
  const AccessSigner signer(ak, sk);
  std::string authorization = "stale value to be replaced";
  signer.sign(authorization, r.method, r.wire_path, r.wire_query, r.headers, r.body, date);
  return authorization;
}

// The reference with every header signed, as AccessSigner signs them.
std::string reference_sign(SignRequest r, const std::string &date, const std::string &ak,
                           const std::string &sk) {
  r.signed_headers.clear();
  for (const auto &h : r.headers) r.signed_headers.push_back(h.first);
  return sdrs::auth::sign_access(r, date, ak, sk).authorization;
}

TEST(AccessSigner, AppendixVectorsByteForByte) {
  int compared = 0;
  for (const Vector &v : kVectors) {
    if (std::string(v.variant) == "credential-scope") continue;
    SignRequest r;
    r.method = v.method;
    r.wire_path = v.wire_path;
    r.wire_query = v.wire_query;
    r.body = v.body;
    // Only the headers the vector signs, in their order as sent.
    for (const auto &h : v.headers) {
      for (const auto &n : v.signed_headers) {
        if (std::equal(n.begin(), n.end(), h.first.begin(), h.first.end(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a)) ==
                     std::tolower(static_cast<unsigned char>(b));
            })) {
          r.headers.push_back(h);
          break;
        }
      }
    }
    EXPECT_EQ(fast_sign(r, v.date, v.ak, v.sk), v.authorization) << v.name;
    ++compared;
  }
  EXPECT_GT(compared, 3);
}

SignRequest create_request() {
  SignRequest r;
  r.method = "POST";
  r.wire_path = "/v1/0123456789abcdef0123456789abcdef/server-groups";
  r.body = R"({"server_group":{"name":"g","domain_id":"d"}})";
  r.headers = {{"Host", "127.0.0.1:8443"},
               {"Content-Type", "application/json"},
               {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
               {"X-Sdk-Date", "20261128T074500Z"}};
  return r;
}

TEST(AccessSigner, KeyLengthsAroundTheHmacBlock) {
  const SignRequest r = create_request();
  for (const size_t n : {0, 1, 32, 63, 64, 65, 100, 200}) {
    const std::string sk(n, 'k');
    EXPECT_EQ(fast_sign(r, "20261128T074500Z", "AK", sk),
              reference_sign(r, "20261128T074500Z", "AK", sk))
        << n;
  }
}

TEST(AccessSigner, HeaderNamesAndValues) {
  SignRequest r = create_request();
  // Mixed case, surrounding whitespace, a repeated name (the first one counts), a name that
  // sorts between others only when lower-cased.
  r.headers = {{"X-Sdk-Date", " 20261128T074500Z\t"},
               {"host", "h"},
               {"HOST", "ignored"},
               {"x-B", "2"},
               {"X-a", "1"},
               {"Zeta", "z"},
               {"X-Security-Token", "secret"},
               {"x-b", "second"},
               {"_u", "u"}};
  EXPECT_EQ(fast_sign(r, "20261128T074500Z", "AK", "SK"),
            reference_sign(r, "20261128T074500Z", "AK", "SK"));
  r.headers.clear();
  EXPECT_EQ(fast_sign(r, "20261128T074500Z", "AK", "SK"),
            reference_sign(r, "20261128T074500Z", "AK", "SK"));
}

TEST(AccessSigner, PayloadHashOverride) {
  SignRequest r = create_request();
  r.headers.push_back({"X-Sdk-Content-Sha256", " UNSIGNED-PAYLOAD "});
  const std::string with = fast_sign(r, "20261128T074500Z", "AK", "SK");
  EXPECT_EQ(with, reference_sign(r, "20261128T074500Z", "AK", "SK"));
  r.body = "another body";
  EXPECT_EQ(fast_sign(r, "20261128T074500Z", "AK", "SK"), with);  // the body is not hashed
}

TEST(AccessSigner, PathsAndQueries) {
  SignRequest r = create_request();
  r.method = "GET";
  r.body.clear();
  for (const char *path : {"", "/", "/a%20b/c", "/a//b/", "/x%2", "/%zz/%41", "/v1/p/jobs/1"}) {
    for (const char *query : {"", "limit=1&enable=true&multi=3&multi=1", "b=%5b1%5d&a", "a=1+2"}) {
      r.wire_path = path;
      r.wire_query = query;
      EXPECT_EQ(fast_sign(r, "20261128T074500Z", "AK", "SK"),
                reference_sign(r, "20261128T074500Z", "AK", "SK"))
          << path << "?" << query;
    }
  }
}

TEST(AccessSigner, SharedAcrossThreads) {
  const SignRequest r = create_request();
  const std::string expected = reference_sign(r, "20261128T074500Z", "AK", "SK");
  const AccessSigner signer("AK", "SK");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      std::string a;
      for (int i = 0; i < 200; ++i) {
        signer.sign(a, r.method, r.wire_path, r.wire_query, r.headers, r.body, "20261128T074500Z");
        if (a != expected) ++mismatches[t];
      }
    });
  }
  for (auto &th : threads) th.join();
  for (const int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(AccessSigner, SdkDateIntoBuffer) {
  // Leap days and the century rules, the ends of years, before 1970, years 1000 and 9999.
  for (const int64_t t :
       {int64_t{0}, int64_t{-1}, int64_t{1713261221}, int64_t{4102444799}, int64_t{951782400},
        int64_t{951868799}, int64_t{4107542399}, int64_t{4107542400}, int64_t{-2203891200},
        int64_t{-2208988801}, int64_t{-30610224000}, int64_t{253402300799}}) {
    char buf[16];
    sdrs::auth::format_sdk_date(t, buf);
    EXPECT_EQ(std::string(buf, sizeof buf), sdrs::auth::sdk_date(t)) << t;
  }
  // The arithmetic date against gmtime_r + strftime from year 1000 (strftime does not pad
  // shorter years) to year 9999, every ~36 days at a different time of day each time.
  int mismatches = 0;
  for (int64_t t = -30610224000; t <= 253402300799; t += 3155767) {
    char buf[16];
    sdrs::auth::format_sdk_date(t, buf);
    if (std::string(buf, sizeof buf) != sdrs::auth::sdk_date(t) && ++mismatches < 5) {
      ADD_FAILURE() << t << ": " << std::string(buf, sizeof buf)
                    << " != " << sdrs::auth::sdk_date(t);
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
