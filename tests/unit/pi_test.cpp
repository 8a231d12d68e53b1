// Protected instances (core/resources/pi): request bodies byte for byte, the list query, the
// decoder field by field (lenient forms and type errors), and every validation rule.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/resources/pi.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

// The message of the Failure fn throws with `code` ("" when it throws none).
std::string failure(const std::function<void()> &fn, Code code = Code::kValidation) {
  try {
    fn();
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, code) << f.info().message;
    return f.info().message;
  }
  return "";
}

PiSpec valid_spec() {
  PiSpec s;
  s.server_group_id = "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3";
  s.server_id = "b71e0c54-2d9a-4f3e-8c61-0e5a9d7f2b18";
  s.name = "erp-app-01";
  return s;
}

TEST(PiEncode, CreateWithEveryField) {
  PiSpec s = valid_spec();
  s.description = "ERP \"app\"";
  s.primary_subnet_id = "e2c4";
  s.primary_ip_address = "10.20.1.15";
  s.flavor_ref = "s3.large.2";
  s.tags = {{"env", "prod"}, {"k\xc3\xa9", ""}};
  EXPECT_EQ(encode_create(s),
            R"({"protected_instance":{"server_group_id":"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3",)"
            R"("server_id":"b71e0c54-2d9a-4f3e-8c61-0e5a9d7f2b18","name":"erp-app-01",)"
            R"("description":"ERP \"app\"","primary_subnet_id":"e2c4",)"
            R"("primary_ip_address":"10.20.1.15","flavorRef":"s3.large.2",)"
            R"("tags":[{"key":"env","value":"prod"},{"key":"k)"
            "\xc3\xa9"
            R"(","value":""}]}})");
}

TEST(PiEncode, CreateWithRequiredFieldsOnly) {
  EXPECT_EQ(encode_create(valid_spec()),
            R"({"protected_instance":{"server_group_id":"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3",)"
            R"("server_id":"b71e0c54-2d9a-4f3e-8c61-0e5a9d7f2b18","name":"erp-app-01"}})");
}

TEST(PiEncode, OtherBodies) {
  EXPECT_EQ(encode_pi_rename("new.name"), R"({"protected_instance":{"name":"new.name"}})");
  EXPECT_EQ(encode_pi_delete(true, false),
            R"({"delete_target_server":true,"delete_target_eip":false})");
  EXPECT_EQ(encode_pi_delete(false, true),
            R"({"delete_target_server":false,"delete_target_eip":true})");
  EXPECT_EQ(encode_pi_attach("5e0b", "/dev/vdb"),
            R"({"replicationAttachment":{"replication_id":"5e0b","device":"/dev/vdb"}})");
  EXPECT_EQ(encode_delete_nic("7a3e"), R"({"nic_id":"7a3e"})");

  PiNicSpec nic;
  nic.subnet_id = "e2c4";
  EXPECT_EQ(encode_nic(nic), R"({"subnet_id":"e2c4"})");
  nic.security_groups = {"sg1", "sg2"};
  nic.ip_address = "10.20.1.40";
  EXPECT_EQ(encode_nic(nic), R"({"subnet_id":"e2c4","security_groups":[{"id":"sg1"},{"id":"sg2"}],)"
                             R"("ip_address":"10.20.1.40"})");

  PiResize r;
  r.flavor_ref = "s3.xlarge.2";
  EXPECT_EQ(encode_resize(r), R"({"resize":{"flavorRef":"s3.xlarge.2"}})");
  r.flavor_ref.reset();
  r.production_flavor_ref = "p";
  r.dr_flavor_ref = "d";
  EXPECT_EQ(encode_resize(r), R"({"resize":{"production_flavorRef":"p","dr_flavorRef":"d"}})");
  r.production_flavor_ref.reset();
  EXPECT_EQ(encode_resize(r), R"({"resize":{"dr_flavorRef":"d"}})");
}

TEST(PiQuery, EveryFilter) {
  PiListQuery q;
  EXPECT_EQ(list_query_string(q), "");
  q.limit = 100;
  q.offset = 0;
  q.server_group_id = "g0";
  q.server_group_ids = {"g1", "g2"};
  q.instance_ids = {"i1"};
  q.status = "protected";
  q.name = "erp app";
  q.query_type = "status_abnormal";
  q.availability_zone = "eu-de-01";
  EXPECT_EQ(list_query_string(q),
            "?limit=100&offset=0&server_group_id=g0"
            "&server_group_ids=%5B%22g1%22%2C%22g2%22%5D"
            "&protected_instance_ids=%5B%22i1%22%5D&status=protected&name=erp%20app"
            "&query_type=status_abnormal&availability_zone=eu-de-01");
}

TEST(PiQuery, IdListsAndFilterRules) {
  PiListQuery q;
  q.server_group_ids.assign(30, "g");
  EXPECT_EQ(failure([&] { list_query_string(q); }), "");
  q.server_group_ids.emplace_back("g");
  EXPECT_EQ(failure([&] { list_query_string(q); }), "server_group_ids: at most 30 ids (got 31)");
  q.server_group_ids.clear();
  q.instance_ids = {"a\"b"};
  EXPECT_EQ(failure([&] { list_query_string(q); }),
            "protected_instance_ids: an id must not contain quotes, ',', '[' or ']'");
  q.instance_ids = {"a/b"};
  EXPECT_EQ(failure([&] { list_query_string(q); }),
            "protected_instance_ids: must not contain '/' or '\\'");
  q.instance_ids.clear();
  q.query_type = "stop_protected";
  EXPECT_EQ(failure([&] { list_query_string(q); }),
            "query_type: must be one of general, status_abnormal");
  q.query_type = "general";
  q.status = "bad status";
  EXPECT_NE(failure([&] { list_query_string(q); }).find("status: "), std::string::npos);
  q.status.reset();
  q.limit = 0;
  EXPECT_EQ(failure([&] { list_query_string(q); }), "limit: must be in 1..1000 (got 0)");
  q.limit = 1000;
  q.offset = -1;
  EXPECT_EQ(failure([&] { list_query_string(q); }), "offset: must be in 0..2147483647 (got -1)");
  q.offset.reset();
  q.name = "";
  EXPECT_EQ(failure([&] { list_query_string(q); }), "name: required (must not be empty)");
}

TEST(PiQuery, AddingIdsOneByOne) {
  std::vector<std::string> ids(29, "x");
  EXPECT_EQ(failure([&] { validate_list_id_add("server_group_ids", ids, "y"); }), "");
  ids.emplace_back("y");
  EXPECT_EQ(failure([&] { validate_list_id_add("server_group_ids", ids, "z"); }),
            "server_group_ids: at most 30 ids (adding one more than 30)");
  EXPECT_EQ(encode_id_list({"a", "b"}), R"(["a","b"])");
  EXPECT_EQ(encode_id_list({}), "[]");
}

const char *const kInstanceJson = R"({
  "id": "67a2cc7e-2a8b-4c0b-9c1d-0f5e6b7a8c90", "name": "erp-app-01",
  "description": null, "server_group_id": "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3",
  "status": "protected", "progress": 100,
  "source_server": "b71e0c54", "target_server": "d91f3a77",
  "created_at": "2018-11-06 09:27:52.258", "updated_at": "2018-05-02 22:43:03.0",
  "priority_station": "source",
  "attachment": [{"replication": "r1", "device": "/dev/vda"},
                 {"replication": "r2", "device": "/dev/vdb"}],
  "tags": [{"key": "env", "value": "prod"}],
  "metadata": {"__system__frozen": "true", "n": 3, "nested": {"x": 1}},
  "unknown_new_field": [1, 2]})";

TEST(PiDecode, EveryField) {
  const Instance i =
      decode_instance_envelope(std::string(R"({"protected_instance":)") + kInstanceJson + "}");
  EXPECT_STREQ(i.str(kPiId), "67a2cc7e-2a8b-4c0b-9c1d-0f5e6b7a8c90");
  EXPECT_STREQ(i.str(kPiName), "erp-app-01");
  EXPECT_EQ(i.str(kPiDescription), nullptr);
  EXPECT_STREQ(i.str(kPiServerGroupId), "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3");
  EXPECT_STREQ(i.str(kPiStatus), "protected");
  EXPECT_EQ(i.integer(kPiProgress), 100);
  EXPECT_STREQ(i.str(kPiSourceServer), "b71e0c54");
  EXPECT_STREQ(i.str(kPiTargetServer), "d91f3a77");
  EXPECT_STREQ(i.str(kPiCreatedAt), "2018-11-06 09:27:52.258");
  EXPECT_EQ(i.time_ms(kPiCreatedAt), INT64_C(1541496472258));
  EXPECT_EQ(i.time_ms(kPiUpdatedAt), INT64_C(1525300983000));
  EXPECT_STREQ(i.str(kPiPriorityStation), "source");
  const auto &att = i.children(kPiAttachment);
  ASSERT_EQ(att.size(), 2U);
  EXPECT_STREQ(att[0].str(kPiAttachmentReplication), "r1");
  EXPECT_STREQ(att[1].str(kPiAttachmentDevice), "/dev/vdb");
  const auto &tags = i.children(kPiTags);
  ASSERT_EQ(tags.size(), 1U);
  EXPECT_STREQ(tags[0].str(kPiTagKey), "env");
  EXPECT_STREQ(tags[0].str(kPiTagValue), "prod");
  const auto &meta = i.map(kPiMetadata);
  ASSERT_EQ(meta.size(), 2U);  // the nested object stays in the JSON only
  EXPECT_STREQ(i.map_value(kPiMetadata, kPiFrozenKey), "true");
  EXPECT_STREQ(i.map_value(kPiMetadata, "n"), "3");
  EXPECT_NE(i.json().find("unknown_new_field"), std::string::npos);
}

TEST(PiDecode, LenientForms) {
  const Instance i = decode_instance_envelope(
      R"({"protected_instance":{"id":"x","progress":"42","metadata":{"__system__frozen":false},)"
      R"("created_at":"2019-01-21T12:56:35.754Z","updated_at":"2018-05-04T03:43:24.108526"}})");
  EXPECT_EQ(i.integer(kPiProgress), 42);
  EXPECT_STREQ(i.map_value(kPiMetadata, kPiFrozenKey), "false");
  EXPECT_EQ(i.time_ms(kPiCreatedAt), INT64_C(1548075395754));
  EXPECT_EQ(i.time_ms(kPiUpdatedAt), INT64_C(1525405404108));
  // Absent lists and maps read as empty.
  EXPECT_TRUE(i.children(kPiAttachment).empty());
  EXPECT_TRUE(i.children(kPiTags).empty());
  const Instance bare = decode_instance_envelope(R"({"protected_instance":{"id":"x"}})");
  EXPECT_TRUE(bare.map(kPiMetadata).empty());
  EXPECT_EQ(bare.integer(kPiProgress), -1);
}

TEST(PiDecode, TypeErrorsNameTheField) {
  auto bad = [](const std::string &inner) {
    return failure([&] { decode_instance_envelope(R"({"protected_instance":{)" + inner + "}}"); },
                   Code::kProtocol);
  };
  EXPECT_EQ(bad(R"("name":"x")"), "unexpected response: protected_instance: 'id' is missing");
  EXPECT_EQ(bad(R"("id":"x","progress":"4x")"),
            "unexpected response: protected_instance: 'progress' is not an integer");
  EXPECT_EQ(bad(R"("id":"x","progress":true)"),
            "unexpected response: protected_instance: 'progress' is not an integer");
  EXPECT_EQ(bad(R"("id":"x","status":1)"),
            "unexpected response: protected_instance: 'status' is not a string");
  EXPECT_EQ(bad(R"("id":"x","attachment":{})"),
            "unexpected response: protected_instance: 'attachment' is not an array");
  EXPECT_EQ(bad(R"("id":"x","attachment":[{"device":7}])"),
            "unexpected response: protected_instance.attachment: 'device' is not a string");
  EXPECT_EQ(bad(R"("id":"x","tags":[{"key":"k","value":[]}])"),
            "unexpected response: protected_instance.tags: 'value' is not a string");
  EXPECT_EQ(bad(R"("id":"x","tags":["k"])"),
            "unexpected response: protected_instance.tags is not a JSON object");
  EXPECT_EQ(bad(R"("id":"x","metadata":"frozen")"),
            "unexpected response: protected_instance: 'metadata' is not an object");
  EXPECT_EQ(bad(R"("id":"x","created_at":5)"),
            "unexpected response: protected_instance: 'created_at' is not a string");
  EXPECT_EQ(failure([] { decode_instance_envelope(R"({"server_group":{}})"); }, Code::kProtocol),
            "unexpected response: response: 'protected_instance' is missing or not an object");
}

TEST(PiDecode, List) {
  const InstanceList list = decode_instance_list(std::string(R"({"protected_instances":[)") +
                                                 kInstanceJson + R"(,{"id":"b"}],"count":2})");
  ASSERT_EQ(list.instances.size(), 2U);
  EXPECT_EQ(list.count, 2);
  EXPECT_STREQ(list.instances[1].str(kPiId), "b");
  EXPECT_EQ(decode_instance_list(R"({"protected_instances":[]})").count, -1);
  EXPECT_EQ(failure([] { decode_instance_list(R"({"protected_instances":{}})"); }, Code::kProtocol),
            "unexpected response: response: 'protected_instances' is missing or not an array");
  EXPECT_EQ(failure([] { decode_instance_list(R"({"protected_instances":[],"count":"2"})"); },
                    Code::kProtocol),
            "unexpected response: response: 'count' is not an integer");
}

TEST(PiValidate, SpecRequiredFieldsAndRules) {
  EXPECT_EQ(failure([] { validate_spec(valid_spec()); }), "");
  const std::pair<const char *, OptString PiSpec::*> required[] = {
      {"server_group_id: required", &PiSpec::server_group_id},
      {"server_id: required", &PiSpec::server_id},
      {"name: required", &PiSpec::name}};
  for (const auto &r : required) {
    PiSpec s = valid_spec();
    (s.*r.second).reset();
    EXPECT_EQ(failure([&] { validate_spec(s); }), r.first);
  }
  PiSpec s = valid_spec();
  s.name = "bad name";
  EXPECT_NE(failure([&] { validate_spec(s); }).find("name: may contain only"), std::string::npos);
  s = valid_spec();
  s.description = "a<b";
  EXPECT_EQ(failure([&] { validate_spec(s); }), "description: must not contain '<' or '>'");
  s = valid_spec();
  s.server_id = "";
  EXPECT_EQ(failure([&] { validate_spec(s); }), "server_id: required (must not be empty)");
  s = valid_spec();
  s.flavor_ref = "a\nb";
  EXPECT_EQ(failure([&] { validate_spec(s); }),
            "flavorRef: must be valid UTF-8 without control characters");
}

TEST(PiValidate, PrimaryIpNeedsSubnetAndIsIpv4) {
  PiSpec s = valid_spec();
  s.primary_ip_address = "10.20.1.15";
  EXPECT_EQ(failure([&] { validate_spec(s); }),
            "primary_ip_address: only allowed together with primary_subnet_id");
  s.primary_subnet_id = "net";
  EXPECT_EQ(failure([&] { validate_spec(s); }), "");
  s.primary_ip_address = "10.20.1.256";
  EXPECT_EQ(failure([&] { validate_spec(s); }),
            "primary_ip_address: must be a dotted-quad IPv4 address (four numbers 0..255)");
}

TEST(PiValidate, Ipv4Rule) {
  for (const char *ok : {"0.0.0.0", "255.255.255.255", "10.20.1.15", "192.168.0.1"}) {
    EXPECT_EQ(failure([&] { validate_ipv4("ip_address", ok); }), "") << ok;
  }
  for (const char *bad : {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.-1", "1..3.4", "1.2.3.4 ",
                          " 1.2.3.4", "a.b.c.d", "1.2.3.4/24", "1234.1.1.1", "::1", "1.2.3.4."}) {
    EXPECT_NE(failure([&] { validate_ipv4("ip_address", bad); }).rfind("ip_address: ", 0),
              std::string::npos)
        << bad;
  }
  EXPECT_EQ(failure([] { validate_ipv4("ip_address", "10.0.0.01"); }),
            "ip_address: must be a dotted-quad IPv4 address (four numbers 0..255), without "
            "leading zeros");
}

TEST(PiValidate, Tags) {
  PiSpec s = valid_spec();
  for (size_t i = 0; i < kPiMaxTags; ++i) s.tags.push_back({"k" + std::to_string(i), "v"});
  EXPECT_EQ(failure([&] { validate_spec(s); }), "");
  s.tags.push_back({"k20", "v"});
  EXPECT_EQ(failure([&] { validate_spec(s); }), "tags: at most 20 tags (got 21)");
  s.tags = {{"env", "a"}, {"env", "b"}};
  EXPECT_EQ(failure([&] { validate_spec(s); }), "tags[].key: 'env' given twice");

  // Limits count characters, not bytes: 127 two-byte characters are a valid key.
  std::string key127;
  for (int i = 0; i < 127; ++i) key127 += "\xc3\xa9";
  EXPECT_EQ(failure([&] { validate_tag_key(key127); }), "");
  EXPECT_EQ(failure([&] { validate_tag_key(key127 + "a"); }),
            "tags[].key: must be 1..127 characters (got 128)");
  EXPECT_EQ(failure([] { validate_tag_key(""); }), "tags[].key: must be 1..127 characters (got 0)");
  EXPECT_EQ(failure([] { validate_tag_key("a\tb"); }),
            "tags[].key: must be valid UTF-8 without control characters");
  EXPECT_EQ(failure([] { validate_tag_value(""); }), "");
  EXPECT_EQ(failure([] { validate_tag_value(std::string(255, 'v')); }), "");
  EXPECT_EQ(failure([] { validate_tag_value(std::string(256, 'v')); }),
            "tags[].value: must be 0..255 characters (got 256)");
  EXPECT_EQ(failure([] { validate_tag_value("\xc3("); }),
            "tags[].value: must be valid UTF-8 without control characters");
}

TEST(PiValidate, DeviceNames) {
  for (const char *ok : {"/dev/vdb", "/dev/sda", "/dev/xvdc", "/dev/vdaa", "/dev/sdz"}) {
    EXPECT_EQ(failure([&] { validate_device(ok); }), "") << ok;
  }
  for (const char *bad : {"", "/dev/", "/dev/vd", "/dev/xvd", "/dev/hda", "/dev/vdB", "/dev/vdb1",
                          "dev/vdb", "/dev/vdb/", "/dev//vdb", "/dev/nvme0n1", " /dev/vdb"}) {
    EXPECT_EQ(failure([&] { validate_device(bad); }),
              "device: must be /dev/ followed by sd, vd or xvd and one or more of a-z "
              "(\"/dev/vdb\")")
        << bad;
  }
}

TEST(PiValidate, InstanceIdsAndTheLiteralSegmentTrap) {
  EXPECT_EQ(
      failure([] { validate_pi_id("protected_instance_id", "00000000632302f501632305f63c000e"); }),
      "");
  EXPECT_EQ(failure([] { validate_pi_id("protected_instance_id", "tagsx"); }), "");
  for (const char *literal : {"tags", "batch", "delete", "resource_instances", "TAGS"}) {
    EXPECT_EQ(failure([&] { validate_pi_id("protected_instance_id", literal); }),
              std::string("protected_instance_id: must not be '") + literal +
                  "' (a literal route segment of /protected-instances: the request would reach a "
                  "different endpoint)");
  }
  EXPECT_EQ(failure([] { validate_pi_id("protected_instance_id", "a/b"); }),
            "protected_instance_id: must not contain '/' or '\\'");
  EXPECT_EQ(failure([] { validate_pi_id("protected_instance_id", ""); }),
            "protected_instance_id: required (must not be empty)");
}

TEST(PiValidate, NicSpec) {
  PiNicSpec nic;
  EXPECT_EQ(failure([&] { validate_nic_spec(nic); }), "subnet_id: required");
  nic.subnet_id = "net";
  EXPECT_EQ(failure([&] { validate_nic_spec(nic); }), "");
  nic.ip_address = "10.0.0.300";
  EXPECT_EQ(failure([&] { validate_nic_spec(nic); }),
            "ip_address: must be a dotted-quad IPv4 address (four numbers 0..255)");
  nic.ip_address = "10.0.0.3";
  nic.security_groups = {""};
  EXPECT_EQ(failure([&] { validate_nic_spec(nic); }),
            "security_groups[].id: required (must not be empty)");
}

TEST(PiValidate, Resize) {
  PiResize r;
  EXPECT_EQ(failure([&] { validate_resize(r); }),
            "resize: one of flavorRef, production_flavorRef and dr_flavorRef is required");
  r.production_flavor_ref = "p";
  EXPECT_EQ(failure([&] { validate_resize(r); }), "");
  r.dr_flavor_ref = "d";
  EXPECT_EQ(failure([&] { validate_resize(r); }), "");
  r.flavor_ref = "f";
  EXPECT_EQ(failure([&] { validate_resize(r); }),
            "resize.flavorRef: excludes production_flavorRef and dr_flavorRef (the service would "
            "ignore them)");
  r = PiResize{};
  r.flavor_ref = "f";
  EXPECT_EQ(failure([&] { validate_resize(r); }), "");
  r.flavor_ref = "";
  EXPECT_EQ(failure([&] { validate_resize(r); }), "resize.flavorRef: required (must not be empty)");
}

}  // namespace
}  // namespace sdrs
