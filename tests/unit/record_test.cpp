// The table-driven decoder over every field kind, with a table of its own: what the next
// resources need (numbers and booleans sent as text, nested lists, metadata maps, times).
#include <gtest/gtest.h>

#include <iterator>
#include <string>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/record.hpp"

namespace sdrs {
namespace {

enum TagField : size_t { kTagKey, kTagValue };
constexpr FieldDef kTagFields[] = {{"key", nullptr, FieldKind::kString, true},
                                   {"value", nullptr, FieldKind::kString, false}};
const RecordDef kTag = {"tag", kTagFields, std::size(kTagFields)};

enum ItemField : size_t { kName, kSize, kCount, kOn, kShared, kAt, kOwner, kTags, kMeta };
const FieldDef kItemFields[] = {{"name", nullptr, FieldKind::kString, false},
                                {"size", nullptr, FieldKind::kInt, false},
                                {"count", nullptr, FieldKind::kIntText, false},
                                {"on", nullptr, FieldKind::kBool, false},
                                {"shared", nullptr, FieldKind::kBoolText, false},
                                {"at", nullptr, FieldKind::kTime, false},
                                {"owner", &kTag, FieldKind::kObject, false},
                                {"tags", &kTag, FieldKind::kObjectList, false},
                                {"metadata", nullptr, FieldKind::kStringMap, false}};
const RecordDef kItem = {"item", kItemFields, std::size(kItemFields)};

std::string rejection(const std::string &body) {
  try {
    decode_record_member(body, "item", kItem);
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, Code::kProtocol);
    return f.info().message;
  }
  return "";
}

TEST(Record, DecodesEveryKind) {
  const Record r = decode_record_member(R"({"item": {"name": "a", "size": 7, "count": "12",
    "on": true, "shared": "false", "at": "2024-03-11 09:15:02.118",
    "owner": {"key": "k0"}, "tags": [{"key": "k1", "value": "v1"}, {"key": "k2"}],
    "metadata": {"m": "x", "n": 3, "b": true, "nested": {"ignored": 1}}, "unknown": [1]}})",
                                        "item", kItem);
  EXPECT_STREQ(r.str(kName), "a");
  EXPECT_EQ(r.integer(kSize), 7);
  EXPECT_EQ(r.integer(kCount), 12);
  EXPECT_EQ(r.boolean(kOn), 1);
  EXPECT_EQ(r.boolean(kShared), 0);
  EXPECT_STREQ(r.str(kAt), "2024-03-11 09:15:02.118");
  EXPECT_EQ(r.time_ms(kAt), 1710148502118);
  ASSERT_NE(r.child(kOwner), nullptr);
  EXPECT_STREQ(r.child(kOwner)->str(kTagKey), "k0");
  ASSERT_EQ(r.children(kTags).size(), 2U);
  EXPECT_STREQ(r.children(kTags)[0].str(kTagValue), "v1");
  EXPECT_EQ(r.children(kTags)[1].str(kTagValue), nullptr);
  EXPECT_EQ(r.map(kMeta).size(), 3U);
  EXPECT_STREQ(r.map_value(kMeta, "n"), "3");
  EXPECT_STREQ(r.map_value(kMeta, "b"), "true");
  EXPECT_EQ(r.map_value(kMeta, "nested"), nullptr);
  EXPECT_NE(r.json().find("unknown"), std::string::npos);
  EXPECT_STREQ(r.str("name"), "a");
}

TEST(Record, AbsentAndNullFieldsAreEmpty) {
  const Record r = decode_record_member(R"({"item": {"name": null}})", "item", kItem);
  EXPECT_EQ(r.str(kName), nullptr);
  EXPECT_EQ(r.integer(kSize), -1);
  EXPECT_EQ(r.boolean(kOn), -1);
  EXPECT_EQ(r.time_ms(kAt), kTimeNone);
  EXPECT_EQ(r.child(kOwner), nullptr);
  EXPECT_TRUE(r.children(kTags).empty());
  EXPECT_TRUE(r.map(kMeta).empty());
}

TEST(Record, WrongTypesNameTheField) {
  EXPECT_EQ(rejection(R"({"item": {"size": "7"}})"),
            "unexpected response: item: 'size' is not an integer");
  EXPECT_EQ(rejection(R"({"item": {"count": "7x"}})"),
            "unexpected response: item: 'count' is not an integer");
  EXPECT_EQ(rejection(R"({"item": {"count": " 7"}})"),
            "unexpected response: item: 'count' is not an integer");
  EXPECT_EQ(rejection(R"({"item": {"on": "true"}})"),
            "unexpected response: item: 'on' is not a boolean");
  EXPECT_EQ(rejection(R"({"item": {"shared": "yes"}})"),
            "unexpected response: item: 'shared' is not a boolean");
  EXPECT_EQ(rejection(R"({"item": {"name": 1}})"),
            "unexpected response: item: 'name' is not a string");
  EXPECT_EQ(rejection(R"({"item": {"tags": {}}})"),
            "unexpected response: item: 'tags' is not an array");
  EXPECT_EQ(rejection(R"({"item": {"tags": [{"value": "v"}]}})"),
            "unexpected response: tag: 'key' is missing");
  EXPECT_EQ(rejection(R"({"item": {"owner": []}})"),
            "unexpected response: item: 'owner' is not an object");
  EXPECT_EQ(rejection(R"({"item": {"metadata": "x"}})"),
            "unexpected response: item: 'metadata' is not an object");
  EXPECT_EQ(rejection(R"({"item": []})"),
            "unexpected response: response: 'item' is missing or not an object");
}

}  // namespace
}  // namespace sdrs
