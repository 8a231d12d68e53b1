// A decoded response object described by a table (RecordDef): each field's wire name and kind
// are written once, and the one generic decoder (core/codec.cpp, decode_record_*) and the
// getters follow from the table. Values are stored by field position, so a getter is an index,
// not a lookup by name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/models.hpp"

namespace sdrs {

enum class FieldKind : uint8_t {
  kString,      // JSON string
  kInt,         // JSON integer
  kIntText,     // JSON integer, or a string holding one (numbers the service sends as text)
  kBool,        // JSON true/false
  kBoolText,    // true/false or "true"/"false"
  kTime,        // string kept as sent, plus its Unix ms (core/time.hpp)
  kObject,      // one nested object of the child RecordDef
  kObjectList,  // array of objects of the child RecordDef
  kStringMap,   // object of scalars, each kept as text (numbers/booleans as their JSON)
};

struct RecordDef;

struct FieldDef {
  const char *wire;
  const RecordDef *child;  // kObject, kObjectList; else nullptr
  FieldKind kind;
  bool required;  // absent or null fails the decode
};

struct RecordDef {
  const char *name;  // the message context: "server_group: 'progress' is not an integer"
  const FieldDef *fields;
  size_t count;
};

class Record {
 public:
  Record() = default;
  explicit Record(const RecordDef &def);

  const RecordDef &def() const { return *def_; }
  const std::string &json() const { return json_; }

  bool has(size_t field) const { return slots_[field].present; }
  // The text of a kString/kTime field; nullptr when absent or null.
  const char *str(size_t field) const;
  // kInt/kIntText; `absent` when absent or null.
  int64_t integer(size_t field, int64_t absent = -1) const;
  // kBool/kBoolText: 1 true, 0 false, -1 absent.
  int boolean(size_t field) const;
  // kTime: Unix ms, kTimeNone when absent or not a valid timestamp.
  int64_t time_ms(size_t field) const;
  // kObject: the nested record, nullptr when absent.
  const Record *child(size_t field) const;
  // kObjectList: the records (empty when absent).
  const std::vector<Record> &children(size_t field) const;
  // kStringMap: the entries in the order received (empty when absent).
  const std::vector<std::pair<std::string, std::string>> &map(size_t field) const;
  // The value of a kStringMap entry, nullptr when absent.
  const char *map_value(size_t field, const std::string &key) const;

  // By wire name, for tests and tools (a linear search of the table). An unknown name throws
  // Failure(kInternal).
  size_t index_of(const char *wire) const;
  const char *str(const char *wire) const { return str(index_of(wire)); }
  int64_t integer(const char *wire) const { return integer(index_of(wire)); }
  int64_t time_ms(const char *wire) const { return time_ms(index_of(wire)); }

  // Filled by the decoder.
  struct Slot {
    std::string text;
    int64_t number = 0;  // integer, boolean (0/1), time ms, or index into lists_/maps_
    bool present = false;
  };
  Slot &slot(size_t field) { return slots_[field]; }
  std::string &json() { return json_; }
  std::vector<Record> &add_list(size_t field);
  std::vector<std::pair<std::string, std::string>> &add_map(size_t field);

 private:
  const RecordDef *def_ = nullptr;
  std::string json_;
  std::vector<Slot> slots_;
  std::vector<std::vector<Record>> lists_;  // kObject (one element) and kObjectList values
  std::vector<std::vector<std::pair<std::string, std::string>>> maps_;
};

}  // namespace sdrs
