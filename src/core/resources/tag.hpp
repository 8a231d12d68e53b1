// Tags on protected instances and the query of instances by tag (spec part 2, section 6): the
// tag set of the batch calls, the query and their rules (sdrs/tag.h: the most tolerant
// documented limits, section 6.1), the request bodies, and the decoders (tag_codec.cpp for the
// shapes that are not tables).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/models.hpp"
#include "core/record.hpp"
#include "core/resources/pi.hpp"

namespace sdrs {

// One tag of a batch call: value absent only for a batch delete (remove by key).
struct TagEntry {
  std::string key;
  OptString value;
};

// Checks one more tag for a set: key and value rules, the key not given before, at most
// kPiMaxTags tags.
void validate_tag_set_add(const std::vector<TagEntry> &tags, const std::string &key,
                          const OptString &value);

enum class TagAction { kCreate, kDelete };
// Checks a batch request: not empty; every tag has a value for create.
void validate_tag_batch(TagAction action, const std::vector<TagEntry> &tags);

std::string encode_tag_add(const std::string &key, const std::string &value);  // {"tag":{..}}
// {"action":"create"|"delete","tags":[{"key","value"},...]} (value left out when absent).
std::string encode_tag_batch(TagAction action, const std::vector<TagEntry> &tags);

// ---- the query (section 6.8) ----

// In the order of enum sdrs_tag_match; the wire names of the four lists.
constexpr size_t kTagMatchCount = 4;
extern const char *const kTagMatchLists[kTagMatchCount];  // "tags", "tags_any", ...
// Keys per list and values per key (section 6.1, the tolerant limit).
constexpr size_t kTagQueryMaxKeys = 20;
constexpr size_t kTagQueryMaxValues = 20;
// The instance name match: at most this many characters.
constexpr size_t kTagQueryMaxName = 255;

struct TagCondition {
  std::string key;
  std::vector<std::string> values;  // empty: any value
};

struct TagQuery {
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  std::array<std::vector<TagCondition>, kTagMatchCount> lists;
  OptString name;  // matches[{key: "resource_name", value}]
};

// Adds a condition to the list `match` (0..3): value absent = the key with any value; the same
// key again adds a value. Checks every rule first (nothing is changed when one fails).
void tag_query_add(TagQuery &query, int32_t match, const std::string &key, const OptString &value);
void validate_tag_query_name(const std::string &name);
// The body of action "filter" (limit/offset as JSON strings) or "count" (refused when limit or
// offset is set: the service forbids them there).
std::string encode_tag_query(const TagQuery &query, bool count);

// ---- responses ----

extern const RecordDef kTagResourceRecord;  // name "resources"

// X(index, wire name, kind, child table, required). resource_detail is the protected instance.
#define SDRS_TAG_RESOURCE_FIELDS(X)                                    \
  X(kTagResourceId, "resource_id", kString, nullptr, false)            \
  X(kTagResourceName, "resource_name", kString, nullptr, false)        \
  X(kTagResourceDetail, "resource_detail", kObject, &kPiRecord, false) \
  X(kTagResourceTags, "tags", kObjectList, &kPiTagRecord, false)

#define SDRS_FIELD_INDEX(index, wire, kind, child, required) index,
enum TagResourceField : size_t {
  SDRS_TAG_RESOURCE_FIELDS(SDRS_FIELD_INDEX) kTagResourceFieldCount
};
#undef SDRS_FIELD_INDEX

struct TagQueryResult {
  std::string json;               // the whole response
  std::vector<Record> resources;  // of kTagResourceRecord
  int64_t count = -1;             // total_count
};

// The instance of a query match: its resource_detail, or (when the service sent none) an
// instance holding only the resource id and name.
Instance tag_resource_instance(const Record &resource);

struct ProjectTag {
  std::string key;
  std::vector<std::string> values;
};

std::vector<Record> decode_tag_list(const std::string &body);          // {"tags":[{key,value}]}
std::vector<ProjectTag> decode_project_tags(const std::string &body);  // {"tags":[{key,values}]}
TagQueryResult decode_tag_query_result(const std::string &body);  // {"resources","total_count"}
int64_t decode_tag_count(const std::string &body);                // {"total_count": N}

}  // namespace sdrs
