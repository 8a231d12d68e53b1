// Tags (core/resources/tag): the write bodies and the query body byte for byte (limit/offset as
// JSON strings, none with count), every rule of the tag set and the query, and the decoders
// (instance tags, project tags, the query result with resource_detail as an instance, count).
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/resources/tag.hpp"

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

bool names(const std::string &message, const std::string &field) {
  return message.find(field) != std::string::npos;
}

TEST(TagEncode, Writes) {
  EXPECT_EQ(encode_tag_add("owner", "team \"erp\""),
            R"({"tag":{"key":"owner","value":"team \"erp\""}})");
  std::vector<TagEntry> tags = {{"env", std::string("prod")}, {"tier", std::string("")}};
  EXPECT_EQ(
      encode_tag_batch(TagAction::kCreate, tags),
      R"({"action":"create","tags":[{"key":"env","value":"prod"},{"key":"tier","value":""}]})");
  tags = {{"tier", std::nullopt}, {"env", std::string("prod")}};
  EXPECT_EQ(encode_tag_batch(TagAction::kDelete, tags),
            R"({"action":"delete","tags":[{"key":"tier"},{"key":"env","value":"prod"}]})");
}

TEST(TagRules, SetAndBatch) {
  std::vector<TagEntry> tags;
  validate_tag_set_add(tags, std::string(127, 'k'), std::string(255, 'v'));
  validate_tag_set_add(tags, "\xc3\xa4pp name/x", std::nullopt);
  EXPECT_TRUE(names(failure([&] { validate_tag_set_add(tags, "", std::nullopt); }), "tags[].key"));
  EXPECT_TRUE(names(failure([&] { validate_tag_set_add(tags, "   ", std::nullopt); }), "blank"));
  EXPECT_TRUE(
      names(failure([&] { validate_tag_set_add(tags, std::string(128, 'k'), std::nullopt); }),
            "tags[].key"));
  EXPECT_TRUE(
      names(failure([&] { validate_tag_set_add(tags, "a\tb", std::nullopt); }), "tags[].key"));
  EXPECT_TRUE(
      names(failure([&] { validate_tag_set_add(tags, "\xff", std::nullopt); }), "tags[].key"));
  EXPECT_TRUE(names(failure([&] { validate_tag_set_add(tags, "k", std::string(256, 'v')); }),
                    "tags[].value"));
  EXPECT_TRUE(names(failure([&] { validate_tag_set_add(tags, "k", std::string("a\nb")); }),
                    "tags[].value"));
  tags.push_back({"env", std::string("prod")});
  EXPECT_TRUE(
      names(failure([&] { validate_tag_set_add(tags, "env", std::string("x")); }), "given twice"));
  tags.clear();
  for (int i = 0; i < 20; ++i) tags.push_back({"k" + std::to_string(i), std::string("v")});
  EXPECT_TRUE(
      names(failure([&] { validate_tag_set_add(tags, "k20", std::string("v")); }), "at most 20"));
  validate_tag_batch(TagAction::kCreate, tags);
  tags.push_back({"k20", std::string("v")});
  EXPECT_TRUE(names(failure([&] { validate_tag_batch(TagAction::kCreate, tags); }), "tags"));
  EXPECT_TRUE(names(failure([] { validate_tag_batch(TagAction::kDelete, {}); }), "tags"));
  const std::vector<TagEntry> by_key = {{"env", std::nullopt}};
  validate_tag_batch(TagAction::kDelete, by_key);
  EXPECT_TRUE(
      names(failure([&] { validate_tag_batch(TagAction::kCreate, by_key); }), "tags[].value"));
}

TEST(TagQueryEncode, FilterAndCount) {
  TagQuery q;
  EXPECT_EQ(encode_tag_query(q, false), R"({"action":"filter"})");
  EXPECT_EQ(encode_tag_query(q, true), R"({"action":"count"})");
  tag_query_add(q, 0, "env", std::string("prod"));
  tag_query_add(q, 0, "env", std::string("*stag"));
  tag_query_add(q, 0, "app", std::nullopt);
  tag_query_add(q, 1, "team", std::string("a"));
  tag_query_add(q, 2, "tier", std::string(""));
  tag_query_add(q, 3, "tier", std::string("*test"));
  q.name = "ERP";
  EXPECT_EQ(encode_tag_query(q, true),
            R"({"action":"count","tags":[{"key":"env","values":["prod","*stag"]},)"
            R"({"key":"app","values":[]}],"tags_any":[{"key":"team","values":["a"]}],)"
            R"("not_tags":[{"key":"tier","values":[""]}],)"
            R"("not_tags_any":[{"key":"tier","values":["*test"]}],)"
            R"("matches":[{"key":"resource_name","value":"ERP"}]})");
  const std::string conditions = encode_tag_query(q, true).substr(18);  // after "count",
  q.limit = 50;
  q.offset = 0;
  EXPECT_EQ(encode_tag_query(q, false),
            R"({"action":"filter","limit":"50","offset":"0",)" + conditions);
  EXPECT_EQ(conditions.substr(0, 8), R"("tags":[)");
  EXPECT_TRUE(names(failure([&] { encode_tag_query(q, true); }), "limit"));
  q.limit.reset();
  EXPECT_TRUE(names(failure([&] { encode_tag_query(q, true); }), "offset"));
  q.offset.reset();
  q.name = "";
  EXPECT_NE(encode_tag_query(q, true).find(R"("matches":[{"key":"resource_name","value":""}])"),
            std::string::npos);
  q.limit = 1001;
  EXPECT_TRUE(names(failure([&] { encode_tag_query(q, false); }), "limit"));
}

TEST(TagQueryRules, Conditions) {
  TagQuery q;
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 4, "k", std::nullopt); }), "match"));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, -1, "k", std::nullopt); }), "match"));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 1, "", std::nullopt); }), "tags_any[].key"));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 2, " ", std::nullopt); }), "not_tags[].key"));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 3, std::string(128, 'k'), std::nullopt); }),
                    "not_tags_any[].key"));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 0, "k", std::string("*")); }), "tags[].values"));
  EXPECT_TRUE(
      names(failure([&] { tag_query_add(q, 0, "k", std::string(256, 'v')); }), "tags[].values"));
  tag_query_add(q, 0, "k", std::string("v"));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 0, "k", std::string("v")); }), "twice"));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 0, "k", std::nullopt); }), "tags[].values"));
  tag_query_add(q, 0, "any", std::nullopt);
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 0, "any", std::string("x")); }), "tags[]"));
  for (int i = 1; i < 20; ++i) tag_query_add(q, 0, "k", "v" + std::to_string(i));
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 0, "k", std::string("v20")); }), "at most 20"));
  for (int i = 2; i < 20; ++i) tag_query_add(q, 0, "key" + std::to_string(i), std::nullopt);
  EXPECT_TRUE(names(failure([&] { tag_query_add(q, 0, "key20", std::nullopt); }), "tags: at most"));
  tag_query_add(q, 1, "key20", std::nullopt);  // each list has its own limit
  validate_tag_query_name(std::string(255, 'n'));
  validate_tag_query_name("");
  EXPECT_TRUE(
      names(failure([] { validate_tag_query_name(std::string(256, 'n')); }), "matches[].value"));
  EXPECT_TRUE(names(failure([] { validate_tag_query_name("a\x01"); }), "matches[].value"));
}

TEST(TagDecode, Lists) {
  const auto tags = decode_tag_list(R"({"tags":[{"key":"env","value":"prod"},{"key":"x"}]})");
  ASSERT_EQ(tags.size(), 2U);
  EXPECT_STREQ(tags[0].str(kPiTagKey), "env");
  EXPECT_STREQ(tags[0].str(kPiTagValue), "prod");
  EXPECT_EQ(tags[1].str(kPiTagValue), nullptr);
  EXPECT_EQ(decode_tag_list(R"({"tags":[]})").size(), 0U);
  failure([] { decode_tag_list(R"({"tags":[{"key":1}]})"); }, Code::kProtocol);

  const auto project = decode_project_tags(
      R"({"tags":[{"key":"env","values":["prod","test"]},{"key":"tier","values":[]},{"key":"n","values":null}]})");
  ASSERT_EQ(project.size(), 3U);
  EXPECT_EQ(project[0].key, "env");
  ASSERT_EQ(project[0].values.size(), 2U);
  EXPECT_EQ(project[0].values[1], "test");
  EXPECT_TRUE(project[1].values.empty());
  EXPECT_TRUE(project[2].values.empty());
  failure([] { decode_project_tags(R"({"tags":[{"values":[]}]})"); }, Code::kProtocol);
  failure([] { decode_project_tags(R"({"tags":[{"key":"k","values":[1]}]})"); }, Code::kProtocol);
  failure([] { decode_project_tags(R"({"tags":[{"key":"k","values":"a"}]})"); }, Code::kProtocol);
  failure([] { decode_project_tags(R"({"tags":{}})"); }, Code::kProtocol);
}

TEST(TagDecode, QueryResult) {
  const std::string body =
      R"({"resources":[{"resource_id":"i1","resource_name":"erp-db","resource_detail":)"
      R"({"id":"i1","name":"erp-db","status":"protected","created_at":"2018-11-06 01:40:00.74",)"
      R"("tags":[{"key":"env","value":"prod"}]},"tags":[{"key":"env","value":"prod"}]},)"
      R"({"resource_id":"i2","resource_name":""}],"total_count":12})";
  const TagQueryResult r = decode_tag_query_result(body);
  EXPECT_EQ(r.count, 12);
  EXPECT_EQ(r.json, body);
  ASSERT_EQ(r.resources.size(), 2U);
  EXPECT_STREQ(r.resources[0].str(kTagResourceId), "i1");
  EXPECT_STREQ(r.resources[0].str(kTagResourceName), "erp-db");
  const Record *detail = r.resources[0].child(kTagResourceDetail);
  ASSERT_NE(detail, nullptr);
  EXPECT_STREQ(detail->str(kPiStatus), "protected");
  EXPECT_EQ(detail->time_ms(kPiCreatedAt), INT64_C(1541468400740));
  ASSERT_EQ(detail->children(kPiTags).size(), 1U);
  EXPECT_EQ(r.resources[0].children(kTagResourceTags).size(), 1U);
  EXPECT_EQ(r.resources[1].child(kTagResourceDetail), nullptr);

  const Instance full = tag_resource_instance(r.resources[0]);
  EXPECT_STREQ(full.str(kPiStatus), "protected");
  const Instance bare = tag_resource_instance(r.resources[1]);
  EXPECT_STREQ(bare.str(kPiId), "i2");
  EXPECT_STREQ(bare.str(kPiName), "");
  EXPECT_EQ(bare.json(), R"({"id":"i2","name":""})");

  EXPECT_EQ(decode_tag_query_result(R"({"resources":[]})").count, -1);
  failure([] { decode_tag_query_result(R"({"total_count":1})"); }, Code::kProtocol);
  failure([] { decode_tag_query_result(R"({"resources":[{"resource_detail":{"name":"x"}}]})"); },
          Code::kProtocol);  // the instance's id is required
  failure([] { decode_tag_query_result(R"({"resources":[],"total_count":-1})"); }, Code::kProtocol);
  EXPECT_EQ(decode_tag_count(R"({"total_count":3})"), 3);
  failure([] { decode_tag_count(R"({})"); }, Code::kProtocol);
  failure([] { decode_tag_count(R"({"total_count":"3"})"); }, Code::kProtocol);
}

}  // namespace
}  // namespace sdrs
