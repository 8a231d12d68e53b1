#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/resources/pg.hpp"
#include "core/url.hpp"
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

TEST(Validate, CleanUtf8AtEveryPosition) {
  EXPECT_TRUE(is_clean_utf8(std::string(40, 'a') + "\t" + std::string(9, '~')));
  EXPECT_TRUE(
      is_clean_utf8("0123456789abcdef\xc3\xa9\xe2\x82\xac"
                    "0123456789"));
  for (size_t at = 0; at < 20; ++at) {
    for (const char bad : {'\0', '\x01', '\x1f', '\x7f', '\xff', '\x80'}) {
      std::string text(20, 'a');
      text[at] = bad;
      EXPECT_FALSE(is_clean_utf8(text))
          << "byte " << int(static_cast<unsigned char>(bad)) << " at " << at;
    }
    std::string c1(20, 'a');
    c1.replace(at, 2, "\xc2\x85");  // NEL, a C1 control
    EXPECT_FALSE(is_clean_utf8(c1.substr(0, 20))) << "C1 at " << at;
  }
}

// Every byte at every position of every length up to 24: the last 0-7 bytes are checked as one
// word overlapping the bytes before them, which must not hide a bad byte in either part.
TEST(Validate, CleanUtf8EveryByteEveryLength) {
  for (size_t n = 1; n <= 24; ++n) {
    for (size_t at = 0; at < n; ++at) {
      for (int c = 0; c < 128; ++c) {
        std::string text(n, 'a');
        text[at] = static_cast<char>(c);
        const bool clean = (c >= 0x20 && c != 0x7f) || c == '\t';
        ASSERT_EQ(is_clean_utf8(text), clean) << "byte " << c << " at " << at << " of " << n;
        ASSERT_EQ(is_utf8_without_nul(text), c != 0) << "byte " << c << " at " << at << " of " << n;
      }
      std::string high(n, 'a');
      high[at] = '\xe9';  // a lone lead byte: not UTF-8
      ASSERT_FALSE(is_clean_utf8(high)) << "at " << at << " of " << n;
      ASSERT_FALSE(is_utf8_without_nul(high)) << "at " << at << " of " << n;
    }
  }
}

TEST(Validate, Utf8WithoutNul) {
  EXPECT_TRUE(is_utf8_without_nul(""));
  EXPECT_TRUE(is_utf8_without_nul("plain ascii with \t\r\n and \x01 controls, longer than 8"));
  EXPECT_TRUE(is_utf8_without_nul("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"));
  EXPECT_TRUE(is_utf8_without_nul("\x7f\xc2\x80"));  // DEL and C1 are valid UTF-8
  // Every position relative to the eight-byte fast path.
  for (size_t at = 0; at < 20; ++at) {
    std::string text(20, 'a');
    text[at] = '\0';
    EXPECT_FALSE(is_utf8_without_nul(text)) << "NUL at " << at;
    text[at] = '\xff';
    EXPECT_FALSE(is_utf8_without_nul(text)) << "0xff at " << at;
    text[at] = '\xc3';  // a lead byte with no continuation
    EXPECT_FALSE(is_utf8_without_nul(text)) << "lone lead at " << at;
  }
  for (const char *bad : {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80",
                          "\xe2\x82", "\xf8\x88\x80\x80\x80"}) {
    EXPECT_FALSE(is_utf8_without_nul(bad)) << bad;
  }
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

// The message names the first rule a segment breaks, in the order: size, "..", then per byte
// ('/' or '\\', control, URL syntax), then UTF-8 (checked only past ASCII, C1 controls included).
TEST(Validate, PathSegmentMessages) {
  auto message = [](std::string_view v) {
    return rejection([v] { validate_path_segment("job_id", v); });
  };
  EXPECT_EQ(message(""), "job_id: required (must not be empty)");
  EXPECT_EQ(message(std::string(129, 'a')), "job_id: must be at most 128 bytes (got 129)");
  EXPECT_EQ(message("a/..?"), "job_id: must not contain '..'");
  EXPECT_EQ(message("a?b/c"), "job_id: must not contain '?', '#' or '%'");
  EXPECT_EQ(message("a\\b?c"), "job_id: must not contain '/' or '\\'");
  EXPECT_EQ(message("a\tb/c"), "job_id: must not contain whitespace, CR/LF or control characters");
  EXPECT_EQ(message("a\x7f"), "job_id: must not contain whitespace, CR/LF or control characters");
  EXPECT_EQ(message("a#"), "job_id: must not contain '?', '#' or '%'");
  EXPECT_EQ(message("gr\xc3\xbcppe"), "");
  EXPECT_EQ(message("a\xff"), "job_id: must be valid UTF-8");
  EXPECT_EQ(message("a\xc2\x85"), "job_id: must be valid UTF-8");           // C1 control NEL
  EXPECT_EQ(message("\xc3\xbc/"), "job_id: must not contain '/' or '\\'");  // bytes first
  EXPECT_EQ(message("0123456789abcdef0123456789abcdef"), "");
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

// The C API's create checks only what needs the whole spec (its setters checked each field):
// for a spec of checked fields it fails exactly as validate_spec does.
TEST(Validate, SpecCompleteFailsAsValidateSpecForCheckedFields) {
  auto both = [](const PgSpec &s) {
    const std::string whole = rejection([&] { validate_spec_complete(s); });
    EXPECT_EQ(whole, rejection([&] { validate_spec(s); }));
    return whole;
  };
  EXPECT_EQ(both(valid_spec()), "");
  PgSpec s = valid_spec();
  s.domain_id.reset();
  EXPECT_EQ(both(s), "domain_id: required");
  s = valid_spec();
  s.target_az = s.source_az;
  EXPECT_NE(both(s).find("must differ"), std::string::npos);
  s = valid_spec();
  s.name.reset();
  EXPECT_EQ(both(s), "name: required");
  s = valid_spec();
  s.source_vpc_id.reset();
  s.target_az.reset();
  EXPECT_EQ(both(s), "target_availability_zone: required");
  // A field's own rules are the setters' part: not checked again.
  s = valid_spec();
  s.name = "has space";
  EXPECT_EQ(rejection([&] { validate_spec_complete(s); }), "");
  EXPECT_NE(rejection([&] { validate_spec(s); }), "");
}

TEST(Validate, Endpoints) {
  Endpoint ep = parse_endpoint("https://sdrs.eu-de.otc.t-systems.com", false);
  EXPECT_EQ(ep.origin(), "https://sdrs.eu-de.otc.t-systems.com");
  EXPECT_EQ(ep.base_path, "");
  ep = parse_endpoint("sdrs.example:8443/base/", false);
  EXPECT_EQ(ep.origin(), "https://sdrs.example:8443");
  EXPECT_EQ(ep.base_path, "/base");
  EXPECT_EQ(ep.url_prefix, "https://sdrs.example:8443/base");
  ep = parse_endpoint("http://127.0.0.1:1234", true);
  EXPECT_EQ(ep.origin(), "http://127.0.0.1:1234");
  EXPECT_EQ(ep.url_prefix, "http://127.0.0.1:1234");
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
