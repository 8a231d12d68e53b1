#include "core/record.hpp"

#include <cstring>

#include "core/error.hpp"

namespace sdrs {

Record::Record(const RecordDef &def) : def_(&def), slots_(def.count) {}

const char *Record::str(size_t field) const {
  const Slot &s = slots_[field];
  return s.present ? s.text.c_str() : nullptr;
}

int64_t Record::integer(size_t field, int64_t absent) const {
  const Slot &s = slots_[field];
  return s.present ? s.number : absent;
}

int Record::boolean(size_t field) const {
  const Slot &s = slots_[field];
  return s.present ? static_cast<int>(s.number) : -1;
}

int64_t Record::time_ms(size_t field) const {
  const Slot &s = slots_[field];
  return s.present ? s.number : kTimeNone;
}

const Record *Record::child(size_t field) const {
  const Slot &s = slots_[field];
  if (!s.present) return nullptr;
  const auto &list = lists_[static_cast<size_t>(s.number)];
  return list.empty() ? nullptr : &list.front();
}

const std::vector<Record> &Record::children(size_t field) const {
  static const std::vector<Record> kNone;
  const Slot &s = slots_[field];
  return s.present ? lists_[static_cast<size_t>(s.number)] : kNone;
}

const std::vector<std::pair<std::string, std::string>> &Record::map(size_t field) const {
  static const std::vector<std::pair<std::string, std::string>> kNone;
  const Slot &s = slots_[field];
  return s.present ? maps_[static_cast<size_t>(s.number)] : kNone;
}

const char *Record::map_value(size_t field, const std::string &key) const {
  for (const auto &entry : map(field)) {
    if (entry.first == key) return entry.second.c_str();
  }
  return nullptr;
}

const std::vector<std::string> &Record::items(size_t field) const {
  static const std::vector<std::string> kNone;
  const Slot &s = slots_[field];
  return s.present ? items_[static_cast<size_t>(s.number)] : kNone;
}

size_t Record::index_of(const char *wire) const {
  for (size_t i = 0; i < def_->count; ++i) {
    if (std::strcmp(def_->fields[i].wire, wire) == 0) return i;
  }
  fail(Code::kInternal, std::string(def_->name) + ": no field '" + wire + "'");
}

std::vector<Record> &Record::add_list(size_t field) {
  slots_[field].number = static_cast<int64_t>(lists_.size());
  slots_[field].present = true;
  return lists_.emplace_back();
}

std::vector<std::pair<std::string, std::string>> &Record::add_map(size_t field) {
  slots_[field].number = static_cast<int64_t>(maps_.size());
  slots_[field].present = true;
  return maps_.emplace_back();
}

std::vector<std::string> &Record::add_items(size_t field) {
  slots_[field].number = static_cast<int64_t>(items_.size());
  slots_[field].present = true;
  return items_.emplace_back();
}

}  // namespace sdrs
