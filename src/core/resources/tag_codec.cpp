// The tag decoders whose shapes are not a table: the project's tags (a key with a list of
// values), the query result (resources with total_count) and the count.
#include <string>

#include "core/codec.hpp"
#include "core/codec_json.hpp"
#include "core/resources/tag.hpp"

namespace sdrs {
namespace {

using json::bad;
using json::Parsed;
using json::Value;

const Value &document(const Parsed &parsed) {
  const Value &doc = parsed.root();
  json::require_object(doc, "response");
  return doc;
}

// total_count: a non-negative integer; absent/null -> -1 unless required.
int64_t total_count(const Value &doc, bool required) {
  const auto it = doc.FindMember("total_count");
  if (it == doc.MemberEnd() || it->value.IsNull()) {
    if (required) bad("response: 'total_count' is missing");
    return -1;
  }
  if (!it->value.IsInt64() || it->value.GetInt64() < 0) {
    bad("response: 'total_count' is not a non-negative integer");
  }
  return it->value.GetInt64();
}

}  // namespace

std::vector<Record> decode_tag_list(const std::string &body) {
  return decode_record_array(body, "tags", kPiTagRecord, nullptr, nullptr);
}

std::vector<ProjectTag> decode_project_tags(const std::string &body) {
  const Parsed parsed(body);
  const Value &arr = json::member_array(document(parsed), "tags", "response");
  std::vector<ProjectTag> out;
  out.reserve(arr.Size());
  for (const auto &v : arr.GetArray()) {
    json::require_object(v, "tags[]");
    ProjectTag tag{json::req_string(v, "key", "tags[]"), {}};
    const auto values = v.FindMember("values");
    if (values != v.MemberEnd() && !values->value.IsNull()) {
      if (!values->value.IsArray()) bad("tags[]: 'values' is not an array");
      for (const auto &s : values->value.GetArray()) {
        if (!s.IsString()) bad("tags[]: 'values' holds a value that is not a string");
        tag.values.emplace_back(s.GetString(), s.GetStringLength());
      }
    }
    out.push_back(std::move(tag));
  }
  return out;
}

TagQueryResult decode_tag_query_result(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = document(parsed);
  TagQueryResult result;
  result.json = body;
  const Value &arr = json::member_array(doc, "resources", "response");
  result.resources.reserve(arr.Size());
  RecordBuilder b(body.size() * 2);
  for (const auto &v : arr.GetArray()) {
    result.resources.push_back(
        json::decode_record(v, kTagResourceRecord, kTagResourceRecord.name, b));
  }
  result.count = total_count(doc, false);
  return result;
}

int64_t decode_tag_count(const std::string &body) {
  const Parsed parsed(body);
  return total_count(document(parsed), true);
}

}  // namespace sdrs
