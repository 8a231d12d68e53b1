// DR drills (core/resources/drill): request bodies byte for byte, the list query, the decoder
// (lenient times, drill servers, type errors) and every validation rule.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/resources/drill.hpp"

namespace sdrs {
namespace {

std::string failure(const std::function<void()> &fn, Code code = Code::kValidation) {
  try {
    fn();
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, code) << f.info().message;
    return f.info().message;
  }
  ADD_FAILURE() << "no failure";
  return "";
}

TEST(DrillEncode, Bodies) {
  DrillSpec s;
  s.server_group_id = "c3f1";
  s.name = "drill-2024-q1";
  EXPECT_EQ(encode_create(s),
            R"({"disaster_recovery_drill":{"server_group_id":"c3f1","name":"drill-2024-q1"}})");
  s.drill_vpc_id = "4b8e";
  EXPECT_EQ(encode_create(s), R"({"disaster_recovery_drill":{"server_group_id":"c3f1",)"
                              R"("name":"drill-2024-q1","drill_vpc_id":"4b8e"}})");
  EXPECT_EQ(encode_drill_rename("d2"), R"({"disaster_recovery_drill":{"name":"d2"}})");
}

TEST(DrillRules, Spec) {
  DrillSpec s;
  EXPECT_NE(failure([&] { validate_spec(s); }).find("server_group_id: required"),
            std::string::npos);
  s.server_group_id = "g";
  EXPECT_NE(failure([&] { validate_spec(s); }).find("name: required"), std::string::npos);
  s.name = "bad name";
  EXPECT_NE(failure([&] { validate_spec(s); }).find("name"), std::string::npos);
  s.name = std::string(65, 'a');
  EXPECT_NE(failure([&] { validate_spec(s); }).find("name"), std::string::npos);
  s.name = std::string(64, 'a');
  validate_spec(s);
  s.drill_vpc_id = "";
  EXPECT_NE(failure([&] { validate_spec(s); }).find("drill_vpc_id"), std::string::npos);
  s.drill_vpc_id = "v\n1";
  EXPECT_NE(failure([&] { validate_spec(s); }).find("drill_vpc_id"), std::string::npos);
  s.drill_vpc_id = "v1";
  validate_spec(s);
}

TEST(DrillQuery, EveryFilter) {
  DrillListQuery q;
  EXPECT_EQ(list_query_string(q), "");
  q.limit = 5;
  q.offset = 10;
  q.server_group_id = "g 1";
  q.name = "dr";
  q.status = "available";
  q.drill_vpc_id = "v1";
  EXPECT_EQ(list_query_string(q),
            "?limit=5&offset=10&server_group_id=g%201&name=dr&status=available&drill_vpc_id=v1");
  q.limit = 0;
  EXPECT_NE(failure([&] { list_query_string(q); }).find("limit"), std::string::npos);
  q.limit = 1001;
  EXPECT_NE(failure([&] { list_query_string(q); }).find("limit"), std::string::npos);
  q.limit.reset();
  q.offset = -1;
  EXPECT_NE(failure([&] { list_query_string(q); }).find("offset"), std::string::npos);
  q.offset.reset();
  q.status = "bad status";
  EXPECT_NE(failure([&] { list_query_string(q); }).find("status"), std::string::npos);
  q.status.reset();
  q.drill_vpc_id = "";
  EXPECT_NE(failure([&] { list_query_string(q); }).find("drill_vpc_id"), std::string::npos);
}

constexpr const char *kDrillJson =
    R"({"id":"d1","name":"drill-1","status":"available","drill_vpc_id":"v1",)"
    R"("created_at":"2018-07-18 06:41:58.681","updated_at":"2018-07-18 00:41:58.681",)"
    R"("server_group_id":"g1","drill_servers":[{"protected_instance":"i1","drill_server_id":"s1"},)"
    R"({"protected_instance":"i2","drill_server_id":"s2"}],"future":1})";

TEST(DrillDecode, Envelope) {
  const Drill d =
      decode_drill_envelope(std::string(R"({"disaster_recovery_drill":)") + kDrillJson + "}");
  EXPECT_STREQ(d.str(kDrillId), "d1");
  EXPECT_STREQ(d.str(kDrillName), "drill-1");
  EXPECT_STREQ(d.str(kDrillStatus), "available");
  EXPECT_STREQ(d.str(kDrillVpcId), "v1");
  EXPECT_STREQ(d.str(kDrillServerGroupId), "g1");
  EXPECT_STREQ(d.str(kDrillCreatedAt), "2018-07-18 06:41:58.681");
  EXPECT_EQ(d.time_ms(kDrillCreatedAt), INT64_C(1531896118681));
  EXPECT_EQ(d.time_ms(kDrillUpdatedAt), INT64_C(1531874518681));
  ASSERT_EQ(d.children(kDrillServers).size(), 2U);
  EXPECT_STREQ(d.children(kDrillServers)[1].str(kDrillServerInstance), "i2");
  EXPECT_STREQ(d.children(kDrillServers)[1].str(kDrillServerId), "s2");
  EXPECT_NE(d.json().find("\"future\":1"), std::string::npos);
}

TEST(DrillDecode, ListAndLenience) {
  const DrillList l = decode_drill_list(
      std::string(R"({"disaster_recovery_drills":[)") + kDrillJson +
      R"(,{"id":"d2","drill_servers":[],"drill_vpc_id":null,"created_at":"2018-07-18T06:41:58Z"}],"count":2})");
  ASSERT_EQ(l.drills.size(), 2U);
  EXPECT_EQ(l.count, 2);
  EXPECT_EQ(l.drills[1].str(kDrillVpcId), nullptr);
  EXPECT_EQ(l.drills[1].children(kDrillServers).size(), 0U);
  EXPECT_EQ(l.drills[1].time_ms(kDrillCreatedAt), INT64_C(1531896118000));
  EXPECT_EQ(decode_drill_list(R"({"disaster_recovery_drills":[]})").count, -1);
}

TEST(DrillDecode, Rejects) {
  failure([] { decode_drill_envelope(R"({"disaster_recovery_drill":{"name":"x"}})"); },
          Code::kProtocol);
  failure([] { decode_drill_envelope(R"({"disaster_recovery_drill":{"id":5}})"); },
          Code::kProtocol);
  failure(
      [] { decode_drill_envelope(R"({"disaster_recovery_drill":{"id":"d","drill_servers":{}}})"); },
      Code::kProtocol);
  failure([] { decode_drill_list(R"({"disaster_recovery_drills":{}})"); }, Code::kProtocol);
  failure([] { decode_drill_list(R"({"disaster_recovery_drills":[],"count":"2"})"); },
          Code::kProtocol);
  failure([] { decode_drill_list("not json"); }, Code::kProtocol);
}

}  // namespace
}  // namespace sdrs
