#include <gtest/gtest.h>

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/resources/apiversion.hpp"
#include "core/resources/domain.hpp"
#include "core/resources/job.hpp"
#include "core/resources/pg.hpp"

namespace sdrs {
namespace {

Code protocol_code(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Failure &f) {
    return f.info().code;
  }
  return Code::kOk;
}

TEST(Codec, EncodesCreateWithDefaultDrTypeAndEscaping) {
  PgSpec spec;
  spec.name = "erp-prod-pg";
  spec.description = "ERP \"servers\" \\ AZ1";
  spec.source_az = "eu-de-01";
  spec.target_az = "eu-de-02";
  spec.domain_id = "d";
  spec.source_vpc_id = "v";
  EXPECT_EQ(
      encode_create(spec),
      "{\"server_group\":{\"name\":\"erp-prod-pg\",\"description\":\"ERP \\\"servers\\\" \\\\ "
      "AZ1\",\"source_availability_zone\":\"eu-de-01\",\"target_availability_zone\":\"eu-de-"
      "02\",\"domain_id\":\"d\",\"source_vpc_id\":\"v\",\"dr_type\":\"migration\"}}");
  spec.server_type = "ECS";
  spec.description.reset();
  EXPECT_NE(encode_create(spec).find("\"server_type\":\"ECS\""), std::string::npos);
  EXPECT_EQ(encode_create(spec).find("description"), std::string::npos);
}

// The request encoder writes JSON strings itself: it must escape exactly as RapidJSON does.
std::string rapidjson_quote(const std::string &s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return {buf.GetString(), buf.GetSize()};
}

TEST(Codec, QuotesEveryByteAsRapidJsonDoes) {
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(json_quote(one), rapidjson_quote(one)) << "byte " << c;
    const std::string framed = "a" + one + "bc" + one + one;
    EXPECT_EQ(json_quote(framed), rapidjson_quote(framed)) << "byte " << c;
  }
  // Every byte at every position of a longer string (the scan goes eight bytes at a time).
  for (int c = 0; c < 256; ++c) {
    for (size_t at = 0; at < 20; ++at) {
      std::string text(20, 'a');
      text[at] = static_cast<char>(c);
      ASSERT_EQ(json_quote(text), rapidjson_quote(text)) << "byte " << c << " at " << at;
    }
  }
  const std::string mixed = "Zo\xc3\xab \"q\" \\ \n\t\x01 \xe2\x82\xac end";
  EXPECT_EQ(json_quote(mixed), rapidjson_quote(mixed));
  EXPECT_EQ(json_quote(""), "\"\"");
}

// The one-pass writer of encode_create: a value that needs no escape is written as json_quote
// writes it, and one that needs an escape is refused (nullptr), at every position and length.
TEST(Codec, PlainJsonStringWriterAgreesWithTheEscaper) {
  for (size_t n = 0; n <= 24; ++n) {
    for (size_t at = 0; at < std::max<size_t>(n, 1); ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string text(n, 'a');
        if (n > 0) text[at] = static_cast<char>(c);
        const std::string quoted = json_quote(text);
        std::string out(text.size() + 2, '\0');
        const char *end = write_plain_json_string(out.data(), text);
        if (quoted.size() == text.size() + 2) {
          ASSERT_EQ(end, out.data() + out.size()) << "byte " << c << " at " << at << " of " << n;
          ASSERT_EQ(out, quoted) << "byte " << c << " at " << at << " of " << n;
        } else {
          ASSERT_EQ(end, nullptr) << "byte " << c << " at " << at << " of " << n;
        }
      }
    }
  }
  // The escaping writer is used for the whole body when any value needs it.
  PgSpec spec;
  spec.name = "pg";
  spec.source_az = "az1";
  spec.target_az = "az2";
  spec.domain_id = "d";
  spec.source_vpc_id = "vpc\twith tab";
  EXPECT_EQ(encode_create(spec),
            R"({"server_group":{"name":"pg","source_availability_zone":"az1",)"
            R"("target_availability_zone":"az2","domain_id":"d","source_vpc_id":"vpc\twith tab",)"
            R"("dr_type":"migration"}})");
}

TEST(Codec, EncodedCreateParsesBackToTheSameValues) {
  std::string every;  // all ASCII bytes, control characters included, and some UTF-8
  for (int c = 1; c < 128; ++c) every += static_cast<char>(c);
  every += "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  PgSpec spec;
  spec.name = every;
  spec.description = every + "d";
  spec.source_az = std::string(255, '\x01');  // each byte grows to six
  spec.target_az = std::string(255, '"');
  spec.domain_id = std::string(255, '\\');
  spec.source_vpc_id = "";
  spec.dr_type = "migration";
  spec.server_type = every + every;
  const std::string body = encode_create(spec);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  ASSERT_FALSE(doc.HasParseError()) << body;
  const rapidjson::Value &g = doc["server_group"];
  ASSERT_EQ(g.MemberCount(), 8U);
  auto text = [&g](const char *key) {
    return std::string(g[key].GetString(), g[key].GetStringLength());
  };
  EXPECT_EQ(text("name"), every);
  EXPECT_EQ(text("description"), every + "d");
  EXPECT_EQ(text("source_availability_zone"), *spec.source_az);
  EXPECT_EQ(text("target_availability_zone"), *spec.target_az);
  EXPECT_EQ(text("domain_id"), *spec.domain_id);
  EXPECT_EQ(text("source_vpc_id"), "");
  EXPECT_EQ(text("dr_type"), "migration");
  EXPECT_EQ(text("server_type"), every + every);
}

TEST(Codec, EncodesActionsAndRename) {
  EXPECT_EQ(encode_action("start-server-group", ""), "{\"start-server-group\":{}}");
  EXPECT_EQ(encode_action("reverse-server-group", "target"),
            "{\"reverse-server-group\":{\"priority_station\":\"target\"}}");
  EXPECT_EQ(encode_rename("new.name"), "{\"server_group\":{\"name\":\"new.name\"}}");
}

TEST(Codec, DecodesSuccessJobWithTimesAndEntities) {
  const Job job = decode_job(R"({
    "job_id": "4e6f2a91c0d84b7fa13e58d2b7c9a045", "job_type": "createProtectionGroupNoCG",
    "status": "SUCCESS", "begin_time": "2024-03-11T09:15:02.118Z",
    "end_time": "2024-03-11T09:15:19.460Z", "error_code": null, "fail_reason": null,
    "entities": {"server_group_id": "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3", "n": 3},
    "new_field": [1, 2]})");
  EXPECT_EQ(job.id(), "4e6f2a91c0d84b7fa13e58d2b7c9a045");
  EXPECT_EQ(job.status(), "SUCCESS");
  EXPECT_TRUE(job.finished());
  EXPECT_FALSE(job.error_code().has_value());
  EXPECT_STREQ(job.entity("server_group_id"), "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3");
  EXPECT_STREQ(job.entity("n"), "3");
  EXPECT_EQ(job.entity("missing"), nullptr);
  EXPECT_EQ(job.begin_ms(), 1710148502118);
  EXPECT_EQ(job.end_ms() - job.begin_ms(), 17342);
  EXPECT_NE(job.json().find("new_field"), std::string::npos);
}

TEST(Codec, DecodesFailedJobWithSubJobs) {
  const Job job = decode_job(R"({"job_id": "p", "job_type": "failoverProtectionGroupNoCG",
    "status": "FAIL", "error_code": "SDRS.1030", "fail_reason": "failover failed",
    "entities": {"sub_jobs": [{"job_id": "c", "status": "FAIL",
       "entities": {"server_group_id": "g"}}]}})");
  EXPECT_EQ(job.error_code(), "SDRS.1030");
  ASSERT_EQ(job.sub_jobs.size(), 1U);
  EXPECT_STREQ(job.sub_jobs[0].entity("server_group_id"), "g");
  EXPECT_EQ(job.entity("server_group_id"), nullptr);
}

TEST(Codec, RejectsMalformedJobs) {
  EXPECT_EQ(protocol_code([] { decode_job("<html>502 Bad Gateway</html>"); }), Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_job("{\"job_id\": \"x\"}"); }), Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_job("{\"status\": 5}"); }), Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_job("[]"); }), Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_job("{\"status\": \"INIT\"} trailing"); }), Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_job("{\"status\": \"INIT\", \"entities\": 1}"); }),
            Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_job(std::string("{\"status\": \"\xff\"}")); }),
            Code::kProtocol);
  // Encoding is checked before parsing: bad UTF-8 anywhere, and NUL bytes (which would end the
  // NUL-terminated parse early and hide what follows), are rejected.
  for (const std::string &bad :
       {std::string("{\"status\": \"\xc0\xaf\"}"),          // overlong '/'
        std::string("{\"status\": \"\xed\xa0\x80\"}"),      // surrogate
        std::string("{\"status\": \"\xf4\x90\x80\x80\"}"),  // past U+10FFFF
        std::string("{\"status\": \"\xe2\x82\"}"),          // truncated
        std::string("{\"status\": \"INIT\"}\0garbage", 25),
        std::string("{\"status\": \"IN\0IT\"}", 20)}) {
    EXPECT_EQ(protocol_code([&] { decode_job(bad); }), Code::kProtocol) << bad;
  }
  EXPECT_EQ(decode_job("{\"status\": \"\xe2\x82\xac \xf0\x9f\x98\x80 ok\"}").status(),
            "\xe2\x82\xac \xf0\x9f\x98\x80 ok");
  // The job's JSON is the body as received.
  const std::string body = "{ \"status\" : \"INIT\", \"new_field\": [1, 2] }";
  EXPECT_EQ(decode_job(body).json(), body);
  // Deep nesting must neither crash nor recurse without bound.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(protocol_code([&] { decode_job(deep); }), Code::kProtocol);
}

TEST(Codec, DecodesGroupListWithNullsAndCount) {
  const GroupList list = decode_group_list(R"({"count": 2, "server_groups": [
    {"id": "a", "name": "g1", "description": null, "status": "available", "progress": 0,
     "protected_instance_num": 1, "created_at": "2024-03-11 09:15:02.118",
     "updated_at": "2024-03-11 09:15:09.7", "protected_status": null},
    {"id": "b", "name": "g2", "status": "failed-over"}]})");
  EXPECT_EQ(list.count, 2);
  ASSERT_EQ(list.groups.size(), 2U);
  EXPECT_STREQ(list.groups[0].str("name"), "g1");
  EXPECT_EQ(list.groups[0].str("description"), nullptr);
  EXPECT_EQ(list.groups[0].integer("protected_instance_num"), 1);
  EXPECT_EQ(list.groups[1].integer("progress"), -1);
  EXPECT_EQ(list.groups[0].time_ms("created_at"), 1710148502118);
  EXPECT_EQ(list.groups[0].time_ms("updated_at"), 1710148509700);
}

TEST(Codec, RejectsGroupsWithWrongTypes) {
  EXPECT_EQ(protocol_code([] { decode_group_list(R"({"server_groups": {}})"); }), Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_group_list(R"({"server_groups": [{"name": "x"}]})"); }),
            Code::kProtocol);
  EXPECT_EQ(protocol_code([] {
              decode_group_envelope(R"({"server_group": {"id": "x", "progress": "10"}})");
            }),
            Code::kProtocol);
  EXPECT_EQ(protocol_code([] { decode_job_id(R"({"job_id": ""})"); }), Code::kProtocol);
}

TEST(Codec, DecodesDomainsAndVersions) {
  const DomainList d = decode_domains(R"({"domains": [{"id": "5d2c", "name": "dr-domain-a",
    "description": "", "sold_out": false,
    "local_replication_cluster": {"availability_zone": "eu-de-01"},
    "remote_replication_cluster": {"availability_zone": "eu-de-02"}}]})");
  ASSERT_EQ(d.domains.size(), 1U);
  EXPECT_EQ(d.domains[0].boolean(kDomainSoldOut), 0);
  EXPECT_STREQ(local_az(d.domains[0]), "eu-de-01");
  EXPECT_STREQ(remote_az(d.domains[0]), "eu-de-02");
  const auto versions = decode_versions(R"({"versions": [{"id": "v1", "links": [{"href":
    "https://x/v1", "rel": "self"}], "version": "", "min_version": "", "status": "CURRENT",
    "updated": "2018-05-30T15:00:00Z"}]})");
  ASSERT_EQ(versions.size(), 1U);
  EXPECT_EQ(versions[0].self_link, "https://x/v1");
  EXPECT_EQ(versions[0].status, "CURRENT");
  const ApiVersion v = decode_version(R"({"version": {"id": "v1", "status": "CURRENT"}})");
  EXPECT_EQ(v.id, "v1");
}

TEST(Codec, DecodesEveryDocumentedErrorShape) {
  ErrorBody eb;
  ASSERT_TRUE(decode_error_body(R"({"badrequest": {"code": "SDRS.0202", "message": "bad"}})", &eb));
  EXPECT_EQ(eb.api_code, "SDRS.0202");
  EXPECT_EQ(eb.message, "bad");
  eb = {};
  ASSERT_TRUE(decode_error_body(R"({"itemNotFound": {"code": "SDRS.1013", "message": "x"}})", &eb));
  EXPECT_EQ(eb.api_code, "SDRS.1013");
  eb = {};
  ASSERT_TRUE(decode_error_body(R"({"error_code": "IMG.0001", "error_msg": "flat"})", &eb));
  EXPECT_EQ(eb.api_code, "IMG.0001");
  EXPECT_EQ(eb.message, "flat");
  eb = {};
  ASSERT_TRUE(decode_error_body(R"({"code": "SDRS.0001", "message": "top"})", &eb));
  EXPECT_EQ(eb.api_code, "SDRS.0001");
  eb = {};
  EXPECT_FALSE(decode_error_body("<html><body>502 Bad Gateway</body></html>", &eb));
  EXPECT_FALSE(decode_error_body(R"({"unrelated": 1})", &eb));
}

}  // namespace
}  // namespace sdrs
