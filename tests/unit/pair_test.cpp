// Replication pairs (core/resources/pair): request bodies byte for byte, the list query, the
// decoder field by field (lenient forms and type errors), and every validation rule.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/resources/pair.hpp"

namespace sdrs {
namespace {

std::string failure(const std::function<void()> &fn, Code code = Code::kValidation) {
  try {
    fn();
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, code) << f.info().message;
    return f.info().message;
  }
  return "";
}

PairSpec valid_spec() {
  PairSpec s;
  s.server_group_id = "c3f1";
  s.volume_id = "2f6a";
  s.name = "erp-shared-data";
  return s;
}

TEST(PairEncode, Bodies) {
  PairSpec s = valid_spec();
  EXPECT_EQ(
      encode_create(s),
      R"({"replication":{"server_group_id":"c3f1","volume_id":"2f6a","name":"erp-shared-data"}})");
  s.description = "shared \\ disk";
  s.cluster_id = "pool-1";
  EXPECT_EQ(
      encode_create(s),
      R"({"replication":{"server_group_id":"c3f1","volume_id":"2f6a","name":"erp-shared-data",)"
      R"("description":"shared \\ disk","cluster_id":"pool-1"}})");
  EXPECT_EQ(encode_pair_rename("n2"), R"({"replication":{"name":"n2"}})");
  EXPECT_EQ(encode_pair_delete(std::nullopt, false),
            R"({"replication":{"delete_target_volume":false}})");
  EXPECT_EQ(encode_pair_delete(std::string("c3f1"), true),
            R"({"replication":{"server_group_id":"c3f1","delete_target_volume":true}})");
  EXPECT_EQ(encode_expand(200), R"({"extend-replication":{"new_size":200}})");
  EXPECT_EQ(encode_expand(32768), R"({"extend-replication":{"new_size":32768}})");
}

TEST(PairQuery, EveryFilter) {
  PairListQuery q;
  EXPECT_EQ(list_query_string(q), "");
  q.limit = 10;
  q.offset = 20;
  q.server_group_id = "g0";
  q.server_group_ids = {"g1"};
  q.instance_id = "i0";
  q.instance_ids = {"i1", "i2"};
  q.name = "n";
  q.status = "error-attaching";
  q.query_type = "general";
  q.availability_zone = "eu-de-02";
  q.volume_id = "v1";
  EXPECT_EQ(list_query_string(q),
            "?limit=10&offset=20&server_group_id=g0&server_group_ids=%5B%22g1%22%5D"
            "&protected_instance_id=i0&protected_instance_ids=%5B%22i1%22%2C%22i2%22%5D&name=n"
            "&status=error-attaching&query_type=general&availability_zone=eu-de-02&volume_id=v1");
  q.instance_ids.assign(31, "i");
  EXPECT_EQ(failure([&] { list_query_string(q); }),
            "protected_instance_ids: at most 30 ids (got 31)");
  q.instance_ids.clear();
  q.volume_id = "";
  EXPECT_EQ(failure([&] { list_query_string(q); }), "volume_id: required (must not be empty)");
}

const char *const kPairJson = R"({
  "id": "5e0b7d19", "name": "erp-shared-data", "description": "shared",
  "replication_model": "hypermetro", "status": "available", "progress": 0,
  "replication_status": "active",
  "attachment": [{"protected_instance": "i1", "device": "/dev/vdb"},
                 {"protected_instance": "i2", "device": "/dev/vdc"}],
  "server_group_id": "c3f1", "volume_ids": "prod-vol,dr-vol", "priority_station": "source",
  "fault_level": "0", "created_at": "2018-05-04T03:43:24.108526",
  "updated_at": "2018-05-04T03:43:24.108526",
  "record_metadata": {"multiattach": true, "bootable": false, "volume_size": 10,
                      "volume_type": "SSD"},
  "failure_detail": null})";

TEST(PairDecode, EveryField) {
  const Pair p = decode_pair_envelope(std::string(R"({"replication":)") + kPairJson + "}");
  EXPECT_STREQ(p.str(kPairId), "5e0b7d19");
  EXPECT_STREQ(p.str(kPairName), "erp-shared-data");
  EXPECT_STREQ(p.str(kPairDescription), "shared");
  EXPECT_STREQ(p.str(kPairReplicationModel), "hypermetro");
  EXPECT_STREQ(p.str(kPairStatus), "available");
  EXPECT_EQ(p.integer(kPairProgress), 0);
  EXPECT_STREQ(p.str(kPairReplicationStatus), "active");
  const auto &att = p.children(kPairAttachment);
  ASSERT_EQ(att.size(), 2U);
  EXPECT_STREQ(att[0].str(kPairAttachmentInstance), "i1");
  EXPECT_STREQ(att[1].str(kPairAttachmentDevice), "/dev/vdc");
  EXPECT_STREQ(p.str(kPairServerGroupId), "c3f1");
  EXPECT_STREQ(p.str(kPairVolumeIds), "prod-vol,dr-vol");
  ASSERT_EQ(p.items(kPairVolumeIds).size(), 2U);
  EXPECT_EQ(p.items(kPairVolumeIds)[0], "prod-vol");
  EXPECT_EQ(p.items(kPairVolumeIds)[1], "dr-vol");
  EXPECT_STREQ(p.str(kPairPriorityStation), "source");
  EXPECT_STREQ(p.str(kPairFaultLevel), "0");
  EXPECT_EQ(p.time_ms(kPairCreatedAt), INT64_C(1525405404108));
  EXPECT_EQ(p.time_ms(kPairUpdatedAt), INT64_C(1525405404108));
  const Record *meta = p.child(kPairRecordMetadata);
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->boolean(kPairMetaMultiattach), 1);
  EXPECT_EQ(meta->boolean(kPairMetaBootable), 0);
  EXPECT_EQ(meta->integer(kPairMetaVolumeSize), 10);
  EXPECT_STREQ(meta->str(kPairMetaVolumeType), "SSD");
  EXPECT_EQ(p.str(kPairFailureDetail), nullptr);
}

TEST(PairDecode, LenientForms) {
  const Pair p = decode_pair_envelope(
      R"({"replication":{"id":"x","progress":"55","volume_ids":" a , b ",)"
      R"("record_metadata":{"multiattach":"false","bootable":"true","volume_size":"10"}}})");
  EXPECT_EQ(p.integer(kPairProgress), 55);
  ASSERT_EQ(p.items(kPairVolumeIds).size(), 2U);
  EXPECT_EQ(p.items(kPairVolumeIds)[0], "a");
  EXPECT_EQ(p.items(kPairVolumeIds)[1], "b");
  EXPECT_STREQ(p.str(kPairVolumeIds), " a , b ");
  const Record *meta = p.child(kPairRecordMetadata);
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->boolean(kPairMetaMultiattach), 0);
  EXPECT_EQ(meta->boolean(kPairMetaBootable), 1);
  EXPECT_EQ(meta->integer(kPairMetaVolumeSize), 10);
  EXPECT_EQ(meta->str(kPairMetaVolumeType), nullptr);  // absent

  // One id, a blank text, an empty item kept by position.
  auto ids = [](const char *v) {
    const Pair pair = decode_pair_envelope(
        std::string(R"({"replication":{"id":"x","volume_ids":")") + v + "\"}}");
    std::vector<std::string> out;
    for (size_t i = 0; i < pair.items(kPairVolumeIds).size(); ++i) {
      out.emplace_back(pair.items(kPairVolumeIds)[i]);
    }
    return out;
  };
  EXPECT_EQ(ids("only"), std::vector<std::string>{"only"});
  EXPECT_TRUE(ids("").empty());
  EXPECT_TRUE(ids("  ").empty());
  EXPECT_EQ(ids(",dr"), (std::vector<std::string>{"", "dr"}));
  const Pair bare = decode_pair_envelope(R"({"replication":{"id":"x"}})");
  EXPECT_TRUE(bare.items(kPairVolumeIds).empty());
  EXPECT_EQ(bare.child(kPairRecordMetadata), nullptr);
}

TEST(PairDecode, TypeErrorsNameTheField) {
  auto bad = [](const std::string &inner) {
    return failure([&] { decode_pair_envelope(R"({"replication":{"id":"x",)" + inner + "}}"); },
                   Code::kProtocol);
  };
  EXPECT_EQ(bad(R"("volume_ids":["a","b"])"),
            "unexpected response: replication: 'volume_ids' is not a string");
  EXPECT_EQ(bad(R"("fault_level":2)"),
            "unexpected response: replication: 'fault_level' is not a string");
  EXPECT_EQ(bad(R"("record_metadata":[])"),
            "unexpected response: replication: 'record_metadata' is not an object");
  EXPECT_EQ(bad(R"("record_metadata":{"volume_size":"ten"})"),
            "unexpected response: replication.record_metadata: 'volume_size' is not an integer");
  EXPECT_EQ(bad(R"("record_metadata":{"volume_size":10.5})"),
            "unexpected response: replication.record_metadata: 'volume_size' is not an integer");
  EXPECT_EQ(bad(R"("record_metadata":{"bootable":"yes"})"),
            "unexpected response: replication.record_metadata: 'bootable' is not a boolean");
  EXPECT_EQ(bad(R"("record_metadata":{"multiattach":1})"),
            "unexpected response: replication.record_metadata: 'multiattach' is not a boolean");
  EXPECT_EQ(bad(R"("attachment":[{"protected_instance":false}])"),
            "unexpected response: replication.attachment: 'protected_instance' is not a string");
  EXPECT_EQ(bad(R"("progress":"1 ")"),
            "unexpected response: replication: 'progress' is not an integer");
}

TEST(PairDecode, List) {
  const PairList list =
      decode_pair_list(std::string(R"({"replications":[)") + kPairJson + R"(],"count":1})");
  ASSERT_EQ(list.pairs.size(), 1U);
  EXPECT_EQ(list.count, 1);
  EXPECT_EQ(list.pairs[0].items(kPairVolumeIds).size(), 2U);
  EXPECT_EQ(
      failure([] { decode_pair_list(R"({"replications":[{"name":"n"}]})"); }, Code::kProtocol),
      "unexpected response: replication: 'id' is missing");
  EXPECT_EQ(failure([] { decode_pair_list("[]"); }, Code::kProtocol),
            "unexpected response: response is not a JSON object");
}

TEST(PairValidate, Spec) {
  EXPECT_EQ(failure([] { validate_spec(valid_spec()); }), "");
  const std::pair<const char *, OptString PairSpec::*> required[] = {
      {"server_group_id: required", &PairSpec::server_group_id},
      {"volume_id: required", &PairSpec::volume_id},
      {"name: required", &PairSpec::name}};
  for (const auto &r : required) {
    PairSpec s = valid_spec();
    (s.*r.second).reset();
    EXPECT_EQ(failure([&] { validate_spec(s); }), r.first);
  }
  PairSpec s = valid_spec();
  s.name = std::string(65, 'a');
  EXPECT_EQ(failure([&] { validate_spec(s); }), "name: must be at most 64 bytes (got 65)");
  s = valid_spec();
  s.description = std::string(64, 'd');
  EXPECT_EQ(failure([&] { validate_spec(s); }), "");
  s.description = "x>y";
  EXPECT_EQ(failure([&] { validate_spec(s); }), "description: must not contain '<' or '>'");
  s = valid_spec();
  s.cluster_id = "";
  EXPECT_EQ(failure([&] { validate_spec(s); }), "cluster_id: required (must not be empty)");
}

TEST(PairValidate, NewSize) {
  EXPECT_EQ(failure([] { validate_new_size(1); }), "");
  EXPECT_EQ(failure([] { validate_new_size(32768); }), "");
  EXPECT_EQ(failure([] { validate_new_size(0); }), "new_size: must be in 1..32768 (got 0)");
  EXPECT_EQ(failure([] { validate_new_size(-5); }), "new_size: must be in 1..32768 (got -5)");
  EXPECT_EQ(failure([] { validate_new_size(32769); }), "new_size: must be in 1..32768 (got 32769)");
}

}  // namespace
}  // namespace sdrs
