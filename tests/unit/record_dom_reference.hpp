// The record decoder as it was before the store and the scanner (a RapidJSON DOM walk into
// records that own every value, and the former timestamp parser), kept only as the reference
// the unit tests compare the decoders with. Unchanged but for the names, the namespace and
// one const accessor of a slot.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/record.hpp"

namespace sdrs::test {

// The former core/time.cpp parse_time_ms.
int64_t parse_time_ms_reference(const std::string &text);

// The former sdrs::Record.
class OldRecord {
 public:
  OldRecord() = default;
  explicit OldRecord(const RecordDef &def);

  const RecordDef &def() const { return *def_; }
  const std::string &json() const { return json_; }

  bool has(size_t field) const { return slots_[field].present; }
  const char *str(size_t field) const;
  int64_t integer(size_t field, int64_t absent = -1) const;
  int boolean(size_t field) const;
  int64_t time_ms(size_t field) const;
  const OldRecord *child(size_t field) const;
  const std::vector<OldRecord> &children(size_t field) const;
  const std::vector<std::pair<std::string, std::string>> &map(size_t field) const;
  const char *map_value(size_t field, const std::string &key) const;
  const std::vector<std::string> &items(size_t field) const;

  struct Slot {
    std::string text;
    int64_t number = 0;
    bool present = false;
  };
  Slot &slot(size_t field) { return slots_[field]; }
  const Slot &slot(size_t field) const { return slots_[field]; }  // for the comparison
  std::string &json() { return json_; }
  std::vector<OldRecord> &add_list(size_t field);
  std::vector<std::pair<std::string, std::string>> &add_map(size_t field);
  std::vector<std::string> &add_items(size_t field);

 private:
  const RecordDef *def_ = nullptr;
  std::string json_;
  std::vector<Slot> slots_;
  std::vector<std::vector<OldRecord>> lists_;
  std::vector<std::vector<std::pair<std::string, std::string>>> maps_;
  std::vector<std::vector<std::string>> items_;
};

// The former decode_record_member / decode_record_array.
OldRecord old_decode_record_member(const std::string &body, const char *member,
                                   const RecordDef &def);
std::vector<OldRecord> old_decode_record_array(const std::string &body, const char *member,
                                               const RecordDef &def, int64_t *count,
                                               std::string *document_json);

// The former decode_tag_query_result and tag_resource_instance.
struct OldTagQueryResult {
  std::string json;
  std::vector<OldRecord> resources;
  int64_t count = -1;
};
OldTagQueryResult old_decode_tag_query_result(const std::string &body);
OldRecord old_tag_resource_instance(const OldRecord &resource);

}  // namespace sdrs::test
