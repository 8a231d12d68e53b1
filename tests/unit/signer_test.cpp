// AK/SK signer: every vector of auth.md reproduced byte for byte (section 2 and appendix).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "auth/signer.hpp"
#include "auth_vectors.hpp"
#include "core/url.hpp"

namespace {

using sdrs::auth::SignRequest;

const Vector kVectors[] = {
#include "auth_vectors.inc"
};

SignRequest request_of(const Vector &v) {
  SignRequest r;
  r.method = v.method;
  r.wire_path = v.wire_path;
  r.wire_query = v.wire_query;
  r.headers = v.headers;
  r.signed_headers = v.signed_headers;
  r.body = v.body;
  return r;
}

class AppendixVector : public ::testing::TestWithParam<Vector> {};

TEST_P(AppendixVector, ReproducedByteForByte) {
  const Vector &v = GetParam();
  const SignRequest r = request_of(v);
  const bool scoped = std::string(v.variant) == "credential-scope";
  const sdrs::auth::Signature s =
      scoped ? sdrs::auth::sign_scoped(r, v.date, v.ak, v.sk, v.scope_region, v.scope_service)
             : sdrs::auth::sign_access(r, v.date, v.ak, v.sk);
  EXPECT_EQ(s.canonical_uri, v.canonical_uri);
  EXPECT_EQ(s.canonical_query, v.canonical_query);
  EXPECT_EQ(s.canonical_headers, v.canonical_headers);
  EXPECT_EQ(s.signed_headers, v.signed_headers_str);
  EXPECT_EQ(s.body_sha256, v.body_sha256);
  EXPECT_EQ(s.canonical_request, v.canonical_request);
  EXPECT_EQ(s.canonical_request_sha256, v.canonical_request_sha256);
  EXPECT_EQ(s.string_to_sign, v.string_to_sign);
  EXPECT_EQ(s.signature, v.signature);
  EXPECT_EQ(s.authorization, v.authorization);
  if (scoped) {
    EXPECT_EQ(s.scope, v.scope);
    const std::string day = std::string(v.date).substr(0, 8);
    const sdrs::auth::ScopedKeys k =
        sdrs::auth::scoped_keys(v.sk, day, v.scope_region, v.scope_service);
    EXPECT_EQ(sdrs::auth::to_hex(k.k_date), v.k_date);
    EXPECT_EQ(sdrs::auth::to_hex(k.k_region), v.k_region);
    EXPECT_EQ(sdrs::auth::to_hex(k.k_service), v.k_service);
    EXPECT_EQ(sdrs::auth::to_hex(k.k_signing), v.k_signing);
  }
}

INSTANTIATE_TEST_SUITE_P(AuthMd, AppendixVector, ::testing::ValuesIn(kVectors),
                         [](const ::testing::TestParamInfo<Vector> &p) {
                           std::string n = p.param.name;
                           for (auto &c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

// P1's canonical request hash and signature as published in the Huawei signing guide.
TEST(Signer, P1PublishedValues) {
  SignRequest r;
  r.method = "GET";
  r.wire_path = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs";
  r.wire_query = "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0";
  r.headers = {{"Content-Type", "application/json"},
               {"Host", "service.region.example.com"},
               {"X-Sdk-Date", "20191115T033655Z"}};
  r.signed_headers = {"content-type", "host", "x-sdk-date"};
  const auto s = sdrs::auth::sign_access(r, "20191115T033655Z", "QTWAOYTTINDUT2QVKYUC",
                                         "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
  EXPECT_EQ(s.canonical_request_sha256,
            "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
  EXPECT_EQ(s.signature, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
  EXPECT_EQ(s.authorization,
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, "
            "SignedHeaders=content-type;host;x-sdk-date, "
            "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
}

// P2/P3: huaweicloud-sdk-go-v3 signer_test.go (only x-sdk-date signed).
TEST(Signer, P2P3GoSdkVectors) {
  SignRequest r;
  r.method = "GET";
  r.wire_path = "/path";
  r.wire_query = "limit=1";
  r.headers = {{"X-Sdk-Date", "20060102T150405Z"}};
  r.signed_headers = {"x-sdk-date"};
  EXPECT_EQ(sdrs::auth::sign_access(r, "20060102T150405Z", "AccessKey", "SecretKey").signature,
            "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624");
  r.method = "POST";
  r.wire_query = "key=value";
  r.body = "{\"Name\":\"test\",\"Id\":1}\n";
  EXPECT_EQ(sdrs::auth::sign_access(r, "20060102T150405Z", "AccessKey", "SecretKey").signature,
            "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59");
}

// P4/P5: huaweicloud-sdk-python-v3 test_signer.py (host;x-sdk-date signed).
TEST(Signer, P4P5PythonSdkVectors) {
  SignRequest r;
  r.method = "GET";
  r.wire_path = "/resources";
  r.wire_query = "size=1";
  r.headers = {{"Host", "service.endpoint.myhuaweicloud.com"}, {"X-Sdk-Date", "20200608T023900Z"}};
  r.signed_headers = {"host", "x-sdk-date"};
  EXPECT_EQ(sdrs::auth::sign_access(r, "20200608T023900Z", "AccessKey", "SecretKey").signature,
            "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842");
  r.method = "POST";
  r.body = "{\"name\":\"test\",\"id\":1}";
  EXPECT_EQ(sdrs::auth::sign_access(r, "20200608T023900Z", "AccessKey", "SecretKey").signature,
            "436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f");
}

// P6: the canonical query of the Go/Python SDK tests, from an unsorted wire form.
TEST(Signer, P6CanonicalQuery) {
  using sdrs::percent_encode;
  const std::string wire = "limit=1&enable=true&test=" + percent_encode("\xE4\xB8\x80 (&=?!#%.*)") +
                           "&path=" + percent_encode("/tmp/123") + "&multi=3&multi=1&multi=2";
  EXPECT_EQ(sdrs::auth::canonical_query(wire),
            "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%"
            "26%3D%3F%21%23%25.%2A%29");
}

TEST(Signer, EncodingPitfalls) {
  // '+' on the wire is a literal plus (strict %XY decoding), signed as %2B.
  EXPECT_EQ(sdrs::auth::canonical_query("a=1+2"), "a=1%2B2");
  // Lower-case escapes are accepted and re-encoded upper-case; keys without '=' get "=".
  EXPECT_EQ(sdrs::auth::canonical_query("b=%5b1%5d&a"), "a=&b=%5B1%5D");
  EXPECT_EQ(sdrs::auth::canonical_uri(""), "/");
  EXPECT_EQ(sdrs::auth::canonical_uri("/"), "/");
  EXPECT_EQ(sdrs::auth::canonical_uri("/v1/p/server-groups"), "/v1/p/server-groups/");
  // Already encoded paths are not double-encoded.
  EXPECT_EQ(sdrs::auth::canonical_uri("/a%20b/c"), "/a%20b/c/");
  EXPECT_EQ(sdrs::auth::sdk_date(1713261221), "20240416T095341Z");
}

TEST(Signer, SecurityTokenIsSignedLikeAnyHeader) {
  SignRequest r;
  r.method = "GET";
  r.wire_path = "/v1/p/jobs/1";
  r.headers = {{"Host", "h"}, {"X-Sdk-Date", "20240416T095341Z"}, {"X-Security-Token", "st"}};
  r.signed_headers = {"Host", "X-Sdk-Date", "X-Security-Token"};
  const auto s = sdrs::auth::sign_access(r, "20240416T095341Z", "ak", "sk");
  EXPECT_EQ(s.signed_headers, "host;x-sdk-date;x-security-token");
  EXPECT_NE(s.canonical_headers.find("x-security-token:st\n"), std::string::npos);
  r.headers[2].second = "other";
  EXPECT_NE(sdrs::auth::sign_access(r, "20240416T095341Z", "ak", "sk").signature, s.signature);
}

}  // namespace
