// A decoded response object described by a table (RecordDef): each field's wire name and kind
// are written once, and the decoders (core/codec.cpp, core/record_scan.cpp) and the getters
// follow from the table. Values are stored by field position, so a getter is an index, not a
// lookup by name.
//
// Storage is per response, not per record: one RecordStore holds every text (NUL-terminated,
// in one buffer), the field slots of every record, the nested records, map entries and list
// items, and a Record is a view of its part (offsets into the store). A list of 1,000 records
// costs a handful of allocations instead of tens of thousands. Top-level records keep the store
// alive (shared); nested records (child(), children()) are valid as long as a record holding
// them is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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
  kTextList,    // string of ','-joined items ("id1,id2"): kept as sent, and split (items trimmed)
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

class Record;
struct RecordStore;

// The records of a kObjectList field, in the order received.
class RecordRange {
 public:
  RecordRange() = default;
  RecordRange(const Record *first, size_t size) : first_(first), size_(size) {}
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Record &operator[](size_t i) const;
  const Record *begin() const { return first_; }
  const Record *end() const;

 private:
  const Record *first_ = nullptr;
  size_t size_ = 0;
};

// Texts handed out as string_views are NUL-terminated in the store: data() is a C string (a
// text can also hold NUL bytes of its own, from "\u0000", which size() counts).
struct MapEntry {
  std::string_view key;
  std::string_view value;
};

// The entries of a kStringMap field in the order received / the items of a kTextList field.
class MapRange {
 public:
  MapRange() = default;
  MapRange(const RecordStore *store, size_t first, size_t size)
      : store_(store), first_(first), size_(size) {}
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  MapEntry operator[](size_t i) const;

 private:
  const RecordStore *store_ = nullptr;
  size_t first_ = 0;
  size_t size_ = 0;
};

class TextRange {
 public:
  TextRange() = default;
  TextRange(const RecordStore *store, size_t first, size_t size)
      : store_(store), first_(first), size_(size) {}
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view operator[](size_t i) const;

 private:
  const RecordStore *store_ = nullptr;
  size_t first_ = 0;
  size_t size_ = 0;
};

class Record {
 public:
  Record() = default;

  const RecordDef &def() const { return *def_; }
  // The record's JSON text (RapidJSON's writer's form: compact, strings re-escaped).
  std::string_view json() const;

  bool has(size_t field) const;
  // The text of a kString/kTime/kTextList field ("" for other kinds); nullptr when absent or null.
  const char *str(size_t field) const;
  // The same with its size (a text can hold NUL bytes, from "\u0000"); empty when absent or
  // for the other kinds.
  std::string_view text(size_t field) const;
  // kInt/kIntText; `absent` when absent or null.
  int64_t integer(size_t field, int64_t absent = -1) const;
  // kBool/kBoolText: 1 true, 0 false, -1 absent.
  int boolean(size_t field) const;
  // kTime: Unix ms, kTimeNone when absent or not a valid timestamp.
  int64_t time_ms(size_t field) const;
  // kObject: the nested record, nullptr when absent.
  const Record *child(size_t field) const;
  // kObjectList: the records (empty when absent).
  RecordRange children(size_t field) const;
  // kStringMap: the entries in the order received (empty when absent).
  MapRange map(size_t field) const;
  // The value of the first kStringMap entry with this key, nullptr when there is none.
  const char *map_value(size_t field, std::string_view key) const;
  // kTextList: the items (empty when absent or blank).
  TextRange items(size_t field) const;

  // A copy of one of this record's nested records that keeps the store alive on its own (a
  // plain copy of a nested record is valid only as long as the record holding it).
  Record nested_copy(const Record &nested) const;

  // By wire name, for tests and tools (a linear search of the table). An unknown name throws
  // Failure(kInternal).
  size_t index_of(const char *wire) const;
  const char *str(const char *wire) const { return str(index_of(wire)); }
  int64_t integer(const char *wire) const { return integer(index_of(wire)); }
  int64_t time_ms(const char *wire) const { return time_ms(index_of(wire)); }

 private:
  friend class RecordBuilder;
  Record(const RecordDef &def, const RecordStore *store, uint32_t slots, uint32_t json,
         uint32_t json_size)
      : def_(&def), store_(store), slots_(slots), json_(json), json_size_(json_size) {}

  const RecordDef *def_ = nullptr;
  const RecordStore *store_ = nullptr;
  std::shared_ptr<const RecordStore> owner_;  // top-level records only (no cycle in the store)
  uint32_t slots_ = 0;                        // index of the first slot in the store
  uint32_t json_ = 0;                         // offset of the JSON text
  uint32_t json_size_ = 0;
};

// The texts of a store: one growing buffer (appending to a std::string cost more per text than
// copying the text itself).
class TextBuffer {
 public:
  const char *data() const { return data_.get(); }
  size_t size() const { return size_; }
  void reserve(size_t capacity);
  // Room for n more bytes at the end; the pointer is valid until the next extend.
  char *extend(size_t n) {
    if (n > capacity_ - size_) grow(n);
    char *at = data_.get() + size_;
    size_ += n;
    return at;
  }
  void shrink(size_t size) { size_ = size; }

 private:
  void grow(size_t n);

  std::unique_ptr<char[]> data_;  // not zeroed: every byte up to size_ is written
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Everything the records of one decoded response hold, addressed by 32-bit offsets and indexes.
struct RecordStore {
  struct Span {
    uint32_t offset;
    uint32_t size;
  };
  struct Slot {
    // kInt/kIntText/kBool/kBoolText: the value; kTime: Unix ms; kObject/kObjectList/kStringMap:
    // the index of the first element; kTextList: the first item's index << 32 | the item count.
    int64_t number;
    uint32_t text;  // offset of the text (kString, kTime, kTextList); 0 (the empty text) otherwise
    // 0: absent or null; else 1 + the text's size (kString, kTime, kTextList), 1 + the element
    // count (kObject, kObjectList, kStringMap), or 1.
    uint32_t info;
  };
  static int64_t item_range(size_t first, size_t count) {
    return static_cast<int64_t>((static_cast<uint64_t>(first) << 32) | count);
  }
  TextBuffer text;  // NUL-terminated texts, one after another; offset 0 is the empty text
  std::vector<Slot> slots;
  std::vector<Record> records;                 // nested records: those of one field are contiguous
  std::vector<std::pair<Span, Span>> entries;  // map entries (key, value)
  std::vector<Span> items;                     // text list items

  const char *at(uint32_t offset) const { return text.data() + offset; }
  std::string_view view(Span s) const { return {text.data() + s.offset, s.size}; }
};

// What the decoders build records with. Texts are appended to the store; a record's slots are
// reserved when it begins and filled by index (the slot vector may grow meanwhile, so no
// reference is kept across a nested record); nested records wait on a stack until their field
// ends, then move into the store together, so one field's records are contiguous.
class RecordBuilder {
 public:
  // text_capacity: the expected total size of the texts (one allocation when it suffices).
  explicit RecordBuilder(size_t text_capacity);

  RecordStore &store() { return *store_; }
  // A NUL-terminated copy of s; returns its offset. Throws kProtocol when the store's texts
  // would pass 4 GiB.
  uint32_t add_text(std::string_view s);
  RecordStore::Span add_span(std::string_view s) {
    return {add_text(s), static_cast<uint32_t>(s.size())};
  }
  void add_entry(std::string_view key, std::string_view value) {
    const RecordStore::Span k = add_span(key);
    store_->entries.emplace_back(k, add_span(value));
  }
  void add_item(std::string_view item) { store_->items.push_back(add_span(item)); }
  // Room for n bytes of text and the NUL after them (written by the caller at the returned
  // pointer, which is valid until the next text is added); *offset gets the text's offset.
  char *add_text_space(size_t n, uint32_t *offset);
  // The last text, added with add_text_space, turned out `size` bytes long (its NUL written by
  // the caller): the rest of its room is given back.
  void shrink_text(uint32_t offset, size_t size);

  // The slots of a new record of def, all absent; returns the index of the first.
  uint32_t open(const RecordDef &def);
  RecordStore::Slot &slot(uint32_t base, size_t field) { return store_->slots[base + field]; }
  void set_text(uint32_t base, size_t field, std::string_view text);
  // A kTextList field: its text, and its items split at every ',' and trimmed.
  void set_text_list(uint32_t base, size_t field, std::string_view all);

  // A finished nested record (kObject, kObjectList element) waits for its field to end.
  void add_child(const RecordDef &def, uint32_t base, RecordStore::Span json);
  // The field ends: its last `count` nested records move into the store.
  void place_children(uint32_t base, size_t field, size_t count);
  // A finished top-level record: it keeps the store alive.
  Record top(const RecordDef &def, uint32_t base, RecordStore::Span json) const;

 private:
  void reserve_text(size_t n);

  std::shared_ptr<RecordStore> store_;
  std::vector<Record> pending_;
};

// ---- inline getters (every capi getter goes through these) ----

inline std::string_view Record::json() const {
  return {store_->at(json_), json_size_};
}
inline bool Record::has(size_t field) const {
  return store_->slots[slots_ + field].info != 0;
}
inline const char *Record::str(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  return s.info != 0 ? store_->at(s.text) : nullptr;
}
inline std::string_view Record::text(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  const FieldKind kind = def_->fields[field].kind;
  const bool has_text =
      kind == FieldKind::kString || kind == FieldKind::kTime || kind == FieldKind::kTextList;
  return s.info != 0 && has_text ? std::string_view(store_->at(s.text), s.info - 1U)
                                 : std::string_view();
}
inline int64_t Record::integer(size_t field, int64_t absent) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  return s.info != 0 ? s.number : absent;
}
inline int Record::boolean(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  return s.info != 0 ? static_cast<int>(s.number) : -1;
}
inline int64_t Record::time_ms(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  return s.info != 0 ? s.number : kTimeNone;
}
inline const Record *Record::child(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  return s.info > 1 ? &store_->records[static_cast<size_t>(s.number)] : nullptr;
}
inline RecordRange Record::children(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  if (s.info <= 1) return {};
  return {&store_->records[static_cast<size_t>(s.number)], s.info - 1U};
}
inline MapRange Record::map(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  if (s.info <= 1) return {};
  return {store_, static_cast<size_t>(s.number), s.info - 1U};
}
inline TextRange Record::items(size_t field) const {
  const RecordStore::Slot &s = store_->slots[slots_ + field];
  if (s.info == 0) return {};
  const auto range = static_cast<uint64_t>(s.number);
  return {store_, static_cast<size_t>(range >> 32), static_cast<size_t>(range & 0xffffffffU)};
}
inline const Record &RecordRange::operator[](size_t i) const {
  return first_[i];
}
inline const Record *RecordRange::end() const {
  return first_ + size_;
}
inline MapEntry MapRange::operator[](size_t i) const {
  const auto &e = store_->entries[first_ + i];
  return {store_->view(e.first), store_->view(e.second)};
}
inline std::string_view TextRange::operator[](size_t i) const {
  return store_->view(store_->items[first_ + i]);
}

}  // namespace sdrs
