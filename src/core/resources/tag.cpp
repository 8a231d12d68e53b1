#include "core/resources/tag.hpp"

#include <algorithm>
#include <iterator>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

#define SDRS_FIELD_DEF(index, wire, kind, child, required) {wire, child, FieldKind::kind, required},
constexpr FieldDef kTagResourceFields[] = {SDRS_TAG_RESOURCE_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kTagResourceFields) == kTagResourceFieldCount,
              "SDRS_TAG_RESOURCE_FIELDS: table and enum differ");

[[noreturn]] void reject(const std::string &field, const std::string &rule) {
  fail(Code::kValidation, field + ": " + rule);
}

// Characters (code points) of valid UTF-8.
size_t code_points(const std::string &s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80 ? 1 : 0;
  return n;
}

void append_tags_member(std::string &out, const char *list,
                        const std::vector<TagCondition> &conds) {
  if (conds.empty()) return;
  out += ",\"";
  out += list;
  out += "\":[";
  for (size_t i = 0; i < conds.size(); ++i) {
    out += i == 0 ? R"({"key":)" : R"(,{"key":)";
    append_json_string(out, conds[i].key);
    out += R"(,"values":[)";
    for (size_t j = 0; j < conds[i].values.size(); ++j) {
      if (j > 0) out += ',';
      append_json_string(out, conds[i].values[j]);
    }
    out += "]}";
  }
  out += ']';
}

}  // namespace

const char *const kTagMatchLists[kTagMatchCount] = {"tags", "tags_any", "not_tags", "not_tags_any"};

const RecordDef kTagResourceRecord = {"resources", kTagResourceFields,
                                      std::size(kTagResourceFields)};

void validate_tag_set_add(const std::vector<TagEntry> &tags, const std::string &key,
                          const OptString &value) {
  validate_tag_key(key);
  if (value) validate_tag_value(*value);
  for (const auto &t : tags) {
    if (t.key == key) reject("tags[].key", "'" + key + "' given twice");
  }
  if (tags.size() >= kPiMaxTags) {
    reject("tags", "at most " + std::to_string(kPiMaxTags) + " tags per instance");
  }
}

void validate_tag_batch(TagAction action, const std::vector<TagEntry> &tags) {
  if (tags.empty()) reject("tags", "must not be empty");
  if (tags.size() > kPiMaxTags) {
    reject("tags", "at most " + std::to_string(kPiMaxTags) + " tags per instance (got " +
                       std::to_string(tags.size()) + ")");
  }
  for (const auto &t : tags) {
    if (action == TagAction::kCreate && !t.value) {
      reject("tags[].value", "required for a batch add (key '" + t.key + "')");
    }
  }
}

std::string encode_tag_add(const std::string &key, const std::string &value) {
  return R"({"tag":{"key":)" + json_quote(key) + R"(,"value":)" + json_quote(value) + "}}";
}

std::string encode_tag_batch(TagAction action, const std::vector<TagEntry> &tags) {
  std::string out = action == TagAction::kCreate ? R"({"action":"create","tags":[)"
                                                 : R"({"action":"delete","tags":[)";
  for (size_t i = 0; i < tags.size(); ++i) {
    out += i == 0 ? R"({"key":)" : R"(,{"key":)";
    append_json_string(out, tags[i].key);
    if (tags[i].value) {
      out += R"(,"value":)";
      append_json_string(out, *tags[i].value);
    }
    out += '}';
  }
  return out + "]}";
}

void tag_query_add(TagQuery &query, int32_t match, const std::string &key, const OptString &value) {
  if (match < 0 || match >= static_cast<int32_t>(kTagMatchCount)) {
    reject("match", "must be an sdrs_tag_match value 0..3 (got " + std::to_string(match) + ")");
  }
  const std::string list = kTagMatchLists[match];
  validate_tag_key(key, (list + "[].key").c_str());
  auto &conds = query.lists[static_cast<size_t>(match)];
  auto it = std::find_if(conds.begin(), conds.end(),
                         [&key](const TagCondition &c) { return c.key == key; });
  const std::string values_field = list + "[].values";
  if (value) {
    validate_tag_value(*value, values_field.c_str());
    if (*value == "*")
      reject(values_field, "a lone '*' is not allowed ('*x' matches values with x)");
  }
  if (it == conds.end()) {
    if (conds.size() >= kTagQueryMaxKeys) {
      reject(list, "at most " + std::to_string(kTagQueryMaxKeys) + " keys");
    }
    TagCondition c{key, {}};
    if (value) c.values.push_back(*value);
    conds.push_back(std::move(c));
    return;
  }
  // An existing key: "any value" and listed values would contradict each other.
  if (!value || it->values.empty()) {
    reject(values_field, "key '" + key + "' given with and without values");
  }
  if (std::find(it->values.begin(), it->values.end(), *value) != it->values.end()) {
    reject(values_field, "'" + *value + "' given twice for key '" + key + "'");
  }
  if (it->values.size() >= kTagQueryMaxValues) {
    reject(values_field, "at most " + std::to_string(kTagQueryMaxValues) + " values per key");
  }
  it->values.push_back(*value);
}

void validate_tag_query_name(const std::string &name) {
  if (!is_clean_utf8(name) || name.find('\t') != std::string::npos) {
    reject("matches[].value", "must be valid UTF-8 without control characters");
  }
  const size_t n = code_points(name);
  if (n > kTagQueryMaxName) {
    reject("matches[].value", "at most " + std::to_string(kTagQueryMaxName) + " characters (got " +
                                  std::to_string(n) + ")");
  }
}

std::string encode_tag_query(const TagQuery &q, bool count) {
  std::string out = count ? R"({"action":"count")" : R"({"action":"filter")";
  if (count && q.limit) reject("limit", "not allowed with action count (the service refuses it)");
  if (count && q.offset) {
    reject("offset", "not allowed with action count (the service refuses it)");
  }
  if (q.limit) {
    validate_range("limit", *q.limit, 1, 1000);
    out += R"(,"limit":")" + std::to_string(*q.limit) + '"';
  }
  if (q.offset) {
    validate_range("offset", *q.offset, 0, INT32_MAX);
    out += R"(,"offset":")" + std::to_string(*q.offset) + '"';
  }
  for (size_t i = 0; i < kTagMatchCount; ++i)
    append_tags_member(out, kTagMatchLists[i], q.lists[i]);
  if (q.name) {
    validate_tag_query_name(*q.name);
    out += R"(,"matches":[{"key":"resource_name","value":)";
    append_json_string(out, *q.name);
    out += "}]";
  }
  return out + "}";
}

Instance tag_resource_instance(const Record &resource) {
  if (const Record *detail = resource.child(kTagResourceDetail)) {
    return resource.nested_copy(*detail);
  }
  RecordBuilder b(64);
  const uint32_t base = b.open(kPiRecord);
  std::string json = "{";
  auto copy = [&](size_t from, size_t to, const char *wire) {
    const char *text = resource.str(from);  // as a C string, up to a NUL byte it may hold
    if (text == nullptr) return;
    b.set_text(base, to, text);
    if (json.size() > 1) json += ',';
    json += '"';
    json += wire;
    json += "\":";
    append_json_string(json, text);
  };
  copy(kTagResourceId, kPiId, "id");
  copy(kTagResourceName, kPiName, "name");
  json += '}';
  return b.top(kPiRecord, base, b.add_span(json));
}

}  // namespace sdrs
