// The UTF-8 check on responses, at the codec boundary: every decoder of a service answer
// refuses a body that is not UTF-8 (or holds a NUL byte) with a protocol error, so no invalid
// text reaches a caller through a getter. A second line of defence beside codec_test's job
// cases: RapidJSON parses without validating the encoding, so dropping the check makes each
// of these accept the body.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "auth/iam_codec.hpp"
#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/resources/apiversion.hpp"
#include "core/resources/domain.hpp"
#include "core/resources/job.hpp"
#include "core/resources/pg.hpp"

namespace sdrs {
namespace {

Code code_of(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Failure &f) {
    return f.info().code;
  }
  return Code::kOk;
}

// Byte sequences RapidJSON takes inside a string when it does not validate: a stray 0xff, an
// overlong '/', a UTF-16 surrogate, a lone continuation byte and a NUL in the middle.
const std::string kBadText[] = {std::string("\xff"), std::string("\xc0\xaf"),
                                std::string("\xed\xa0\x80"), std::string("\x80"),
                                std::string("a\0b", 3)};

// `tmpl` with its one "@" replaced by `text`.
std::string with(const std::string &tmpl, const std::string &text) {
  std::string out = tmpl;
  out.replace(out.find('@'), 1, text);
  return out;
}

// The template decodes with plain text and fails with each bad sequence.
void expect_refused(const char *what, const std::string &tmpl,
                    const std::function<void(const std::string &)> &decode) {
  EXPECT_EQ(code_of([&] { decode(with(tmpl, "plain")); }), Code::kOk) << what;
  EXPECT_EQ(code_of([&] { decode(with(tmpl, "caf\xc3\xa9 \xe2\x82\xac")); }), Code::kOk) << what;
  for (const std::string &bad : kBadText) {
    EXPECT_EQ(code_of([&] { decode(with(tmpl, bad)); }), Code::kProtocol)
        << what << " accepted bytes of length " << bad.size();
  }
}

TEST(ResponseUtf8, GroupEnvelope) {
  expect_refused("group", R"({"server_group": {"id": "g1", "name": "@", "status": "available"}})",
                 [](const std::string &b) { decode_group_envelope(b); });
}

TEST(ResponseUtf8, GroupList) {
  expect_refused("group list",
                 R"({"count": 1, "server_groups": [{"id": "g1", "description": "@"}]})",
                 [](const std::string &b) { decode_group_list(b); });
}

TEST(ResponseUtf8, Domains) {
  expect_refused("domains", R"({"domains": [{"id": "d1", "name": "@", "sold_out": false}]})",
                 [](const std::string &b) { decode_domains(b); });
}

TEST(ResponseUtf8, ApiVersions) {
  expect_refused("versions", R"({"versions": [{"id": "v1", "status": "@"}]})",
                 [](const std::string &b) { decode_versions(b); });
  expect_refused("version", R"({"version": {"id": "v1", "updated": "@"}})",
                 [](const std::string &b) { decode_version(b); });
}

TEST(ResponseUtf8, JobIdAndUnknownMembers) {
  // A bad byte in a member the decoder does not even read still refuses the body: the check
  // covers the whole text, before parsing.
  expect_refused("job id", R"({"job_id": "0123456789abcdef0123456789abcdef", "x": "@"})",
                 [](const std::string &b) { decode_job_id(b); });
  expect_refused("job", R"({"status": "RUNNING", "entities": {"server_group_id": "@"}})",
                 [](const std::string &b) { decode_job(b); });
}

TEST(ResponseUtf8, ErrorBodyIsNotTaken) {
  ErrorBody ok;
  ASSERT_TRUE(decode_error_body(
      with(R"({"badrequest": {"code": "SDRS.0202", "message": "@"}})", "caf\xc3\xa9"), &ok));
  EXPECT_EQ(ok.message, "caf\xc3\xa9");
  for (const std::string &bad : kBadText) {
    ErrorBody eb;
    EXPECT_FALSE(decode_error_body(
        with(R"({"badrequest": {"code": "SDRS.0202", "message": "@"}})", bad), &eb));
    EXPECT_TRUE(eb.message.empty());
  }
}

TEST(ResponseUtf8, IamToken) {
  // The token's project name and id reach callers (sdrs_client_project_id) too.
  expect_refused("token",
                 R"({"token": {"expires_at": "2030-01-01T00:00:00.000000Z",
                     "issued_at": "2029-12-31T00:00:00.000000Z",
                     "project": {"id": "p1", "name": "@"}}})",
                 [](const std::string &b) { auth::decode_token(b, "eu-de"); });
}

}  // namespace
}  // namespace sdrs
