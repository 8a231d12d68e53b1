#include "core/record.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "core/error.hpp"
#include "core/text.hpp"

namespace sdrs {
namespace {

// Offsets are 32 bits: the texts of one response stay below 4 GiB (the transport's default
// limit for a body is 8 MiB).
constexpr size_t kMaxText = UINT32_MAX - 1;

[[noreturn]] void too_large(size_t size) {
  fail(Code::kProtocol, "unexpected response: too large to decode (" + std::to_string(size) +
                            " bytes of text, at most " + std::to_string(kMaxText) + ")");
}

}  // namespace

const char *Record::map_value(size_t field, std::string_view key) const {
  const MapRange entries = map(field);
  for (size_t i = 0; i < entries.size(); ++i) {
    const MapEntry e = entries[i];
    if (e.key == key) return e.value.data();
  }
  return nullptr;
}

Record Record::nested_copy(const Record &nested) const {
  Record copy = nested;
  copy.owner_ = owner_;
  return copy;
}

size_t Record::index_of(const char *wire) const {
  for (size_t i = 0; i < def_->count; ++i) {
    if (std::strcmp(def_->fields[i].wire, wire) == 0) return i;
  }
  fail(Code::kInternal, std::string(def_->name) + ": no field '" + wire + "'");
}

void TextBuffer::reserve(size_t capacity) {
  if (capacity > capacity_) grow(capacity - size_);
}

void TextBuffer::grow(size_t n) {
  const size_t capacity = std::max(size_ + n, capacity_ * 2);
  std::unique_ptr<char[]> data(new char[capacity]);  // NOLINT(modernize-make-unique): not zeroed
  if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

RecordBuilder::RecordBuilder(size_t text_capacity) : store_(std::make_shared<RecordStore>()) {
  store_->text.reserve(text_capacity + 1);
  *store_->text.extend(1) = '\0';  // offset 0: the empty text
}

void RecordBuilder::reserve_text(size_t n) {
  const size_t size = store_->text.size();
  if (n > kMaxText - size) too_large(size + n);
}

uint32_t RecordBuilder::add_text(std::string_view s) {
  reserve_text(s.size() + 1);
  const auto offset = static_cast<uint32_t>(store_->text.size());
  char *out = store_->text.extend(s.size() + 1);
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return offset;
}

char *RecordBuilder::add_text_space(size_t n, uint32_t *offset) {
  reserve_text(n + 1);
  *offset = static_cast<uint32_t>(store_->text.size());
  char *out = store_->text.extend(n + 1);
  out[n] = '\0';
  return out;
}

void RecordBuilder::shrink_text(uint32_t offset, size_t size) {
  store_->text.shrink(offset + size + 1);
}

uint32_t RecordBuilder::open(const RecordDef &def) {
  std::vector<RecordStore::Slot> &slots = store_->slots;
  const auto base = static_cast<uint32_t>(slots.size());
  slots.resize(slots.size() + def.count);  // zeroed: absent
  return base;
}

void RecordBuilder::set_text(uint32_t base, size_t field, std::string_view text) {
  const uint32_t offset = add_text(text);
  RecordStore::Slot &s = slot(base, field);
  s.text = offset;
  s.info = static_cast<uint32_t>(text.size()) + 1;
}

void RecordBuilder::set_text_list(uint32_t base, size_t field, std::string_view all) {
  const size_t first = store_->items.size();
  // Blank text holds no item; otherwise every ',' separates one (kept by position, so an empty
  // item stays empty rather than shifting the ones after it).
  if (!text::trim_view(all).empty()) {
    size_t from = 0;
    for (;;) {
      const size_t comma = all.find(',', from);
      add_item(text::trim_view(all.substr(from, comma - from)));
      if (comma == std::string_view::npos) break;
      from = comma + 1;
    }
  }
  set_text(base, field, all);
  slot(base, field).number = RecordStore::item_range(first, store_->items.size() - first);
}

void RecordBuilder::add_child(const RecordDef &def, uint32_t base, RecordStore::Span json) {
  pending_.push_back(Record(def, store_.get(), base, json.offset, json.size));
}

void RecordBuilder::place_children(uint32_t base, size_t field, size_t count) {
  std::vector<Record> &records = store_->records;
  RecordStore::Slot &s = slot(base, field);
  s.number = static_cast<int64_t>(records.size());
  s.info = static_cast<uint32_t>(count) + 1;
  const auto first = pending_.end() - static_cast<std::ptrdiff_t>(count);
  records.insert(records.end(), std::make_move_iterator(first),
                 std::make_move_iterator(pending_.end()));
  pending_.erase(first, pending_.end());
}

Record RecordBuilder::top(const RecordDef &def, uint32_t base, RecordStore::Span json) const {
  Record r(def, store_.get(), base, json.offset, json.size);
  r.owner_ = store_;
  return r;
}

}  // namespace sdrs
