#include <gtest/gtest.h>

#include "core/client.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

// The message of the validation failure fn throws ("" when it does not throw one).
std::string rejection(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, Code::kValidation);
    return f.info().message;
  }
  return "";
}

PgSpec valid_spec() {
  PgSpec s;
  s.name = "pg-1";
  s.source_az = "eu-de-01";
  s.target_az = "eu-de-02";
  s.domain_id = "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11";
  s.source_vpc_id = "9a0e6c2f-1b4d-4e8a-b3c7-5f2d8e1a0b96";
  return s;
}

TEST(Validate, NameRule) {
  EXPECT_EQ(rejection([] { validate_name("name", std::string(64, 'a')); }), "");
  EXPECT_EQ(rejection([] { validate_name("name", "A-z_0.9"); }), "");
  EXPECT_EQ(rejection([] { validate_name("name", std::string(65, 'a')); }),
            "name: must be at most 64 bytes (got 65)");
  EXPECT_EQ(rejection([] { validate_name("name", "has space"); }),
            "name: may contain only A-Z a-z 0-9 . _ - (found a space at offset 3)");
  EXPECT_NE(rejection([] { validate_name("name", ""); }).find("name: required"), std::string::npos);
  EXPECT_NE(rejection([] { validate_name("name", "caf\xc3\xa9"); }).find("byte 195"),
            std::string::npos);
}

TEST(Validate, DescriptionRule) {
  EXPECT_EQ(rejection([] { validate_description(""); }), "");
  EXPECT_EQ(rejection([] { validate_description("Grüße, AZ1 -> AZ2"); }),
            "description: must not contain '<' or '>'");
  EXPECT_EQ(rejection([] { validate_description("a<b"); }),
            "description: must not contain '<' or '>'");
  EXPECT_EQ(rejection([] { validate_description(std::string(65, 'x')); }),
            "description: must be at most 64 bytes (got 65)");
  EXPECT_NE(rejection([] { validate_description("line\nbreak"); }), "");
  EXPECT_NE(rejection([] { validate_description("\xc3("); }), "");
}

TEST(Validate, PathSegments) {
  EXPECT_EQ(rejection([] { validate_path_segment("project_id", "0123abc"); }), "");
  for (const char *bad : {"../etc", "a/b", "a b", "a\r\nX: y", "a%2f", "a?b", "", "..", "a\\b"}) {
    EXPECT_NE(
        rejection([bad] { validate_path_segment("project_id", bad); }).rfind("project_id: ", 0),
        std::string::npos)
        << bad;
  }
}

TEST(Validate, SpecRequiresEveryField) {
  EXPECT_EQ(rejection([] { validate_spec(valid_spec()); }), "");
  PgSpec s = valid_spec();
  s.source_az = "";
  EXPECT_EQ(rejection([&] { validate_spec(s); }),
            "source_availability_zone: required (must not be empty)");
  s = valid_spec();
  s.domain_id.reset();
  EXPECT_EQ(rejection([&] { validate_spec(s); }), "domain_id: required");
  s = valid_spec();
  s.target_az = s.source_az;
  EXPECT_NE(rejection([&] { validate_spec(s); }).find("must differ"), std::string::npos);
  s = valid_spec();
  s.name.reset();
  EXPECT_EQ(rejection([&] { validate_spec(s); }), "name: required");
}

TEST(Validate, Endpoints) {
  Endpoint ep = parse_endpoint("https://sdrs.eu-de.otc.t-systems.com", false);
  EXPECT_EQ(ep.origin(), "https://sdrs.eu-de.otc.t-systems.com");
  EXPECT_EQ(ep.base_path, "");
  ep = parse_endpoint("sdrs.example:8443/base/", false);
  EXPECT_EQ(ep.origin(), "https://sdrs.example:8443");
  EXPECT_EQ(ep.base_path, "/base");
  ep = parse_endpoint("http://127.0.0.1:1234", true);
  EXPECT_EQ(ep.origin(), "http://127.0.0.1:1234");
  EXPECT_NE(rejection([] { parse_endpoint("http://127.0.0.1:1234", false); }).find("plain http"),
            std::string::npos);
  EXPECT_NE(rejection([] { parse_endpoint("ftp://x", false); }), "");
  EXPECT_NE(rejection([] { parse_endpoint("https://x:99999", false); }), "");
  EXPECT_NE(rejection([] { parse_endpoint("https://user@x", false); }), "");
  EXPECT_NE(rejection([] { parse_endpoint("https://x/a?b", false); }), "");
  EXPECT_NE(rejection([] { parse_endpoint("https://x y", false); }), "");
  EXPECT_NE(rejection([] { parse_endpoint("", false); }), "");
}

TEST(Validate, ListQueryString) {
  ListQuery q;
  EXPECT_EQ(list_query_string(q), "");
  q.limit = 1000;
  q.offset = 2000;
  q.name = "a b&c";
  q.availability_zone = "eu-de-01";
  EXPECT_EQ(list_query_string(q),
            "?limit=1000&offset=2000&name=a%20b%26c&availability_zone=eu-de-01");
  q.limit = 1001;
  EXPECT_EQ(rejection([&] { list_query_string(q); }), "limit: must be in 1..1000 (got 1001)");
}

}  // namespace
}  // namespace sdrs
