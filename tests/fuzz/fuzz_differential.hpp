// The fast decoders against the complete ones on the fuzzer's inputs: wherever a scanner takes a
// body (core/record_scan.cpp, the job's first pass), the DOM decoder (records) or the SAX pass
// (jobs) must read the same getters from it without an error; anything else traps, so the
// fuzzer hunts for inputs the scanner reads differently. (tests/unit compares both with the
// former decoders on the corpora.)
#pragma once

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/record.hpp"
#include "core/resources/job.hpp"

namespace fuzz {

inline void describe(const sdrs::Record &r, std::ostringstream &out) {
  out << '{' << r.json() << '\n';
  const sdrs::RecordDef &def = r.def();
  for (size_t i = 0; i < def.count; ++i) {
    out << i << ':' << r.has(i) << ' ' << (r.str(i) != nullptr ? r.str(i) : "<null>") << ' ';
    switch (def.fields[i].kind) {
      case sdrs::FieldKind::kString:
      case sdrs::FieldKind::kTime:
        out << r.text(i) << ' ' << r.time_ms(i);
        break;
      case sdrs::FieldKind::kInt:
      case sdrs::FieldKind::kIntText:
      case sdrs::FieldKind::kBool:
      case sdrs::FieldKind::kBoolText:
        out << r.integer(i);
        break;
      case sdrs::FieldKind::kObject:
        if (r.child(i) != nullptr) describe(*r.child(i), out);
        break;
      case sdrs::FieldKind::kObjectList:
        for (const sdrs::Record &c : r.children(i)) describe(c, out);
        break;
      case sdrs::FieldKind::kStringMap:
        for (size_t e = 0; e < r.map(i).size(); ++e) {
          out << r.map(i)[e].key << '=' << r.map(i)[e].value << ';';
        }
        break;
      case sdrs::FieldKind::kTextList:
        out << r.text(i);
        for (size_t e = 0; e < r.items(i).size(); ++e) out << '|' << r.items(i)[e];
        break;
    }
    out << '\n';
  }
  out << "}\n";
}

template <typename Decode>
std::string complete(Decode decode) {
  std::ostringstream out;
  try {
    decode(out);
  } catch (const sdrs::Failure &) {
    __builtin_trap();  // the scanner took a body the complete decoder refuses
  }
  return out.str();
}

// {"<member>": [...], "count"}: the scanner's records and count, or nothing.
inline void compare_array(const std::string &body, const char *member, const sdrs::RecordDef &def,
                          bool counted) {
  int64_t count = -1;
  std::vector<sdrs::Record> records;
  if (!sdrs::detail::scan_record_array(body, member, def, counted ? &count : nullptr, nullptr,
                                       &records)) {
    return;
  }
  std::ostringstream fast;
  fast << count << '\n';
  for (const auto &r : records) describe(r, fast);
  const std::string dom = complete([&](std::ostringstream &out) {
    int64_t n = -1;
    const auto slow =
        sdrs::detail::dom_record_array(body, member, def, counted ? &n : nullptr, nullptr);
    out << n << '\n';
    for (const auto &r : slow) describe(r, out);
  });
  if (dom != fast.str()) __builtin_trap();
}

// {"<member>": {...}}
inline void compare_member(const std::string &body, const char *member,
                           const sdrs::RecordDef &def) {
  sdrs::Record record;
  if (!sdrs::detail::scan_record_member(body, member, def, &record)) return;
  std::ostringstream fast;
  describe(record, fast);
  const std::string dom = complete([&](std::ostringstream &out) {
    describe(sdrs::detail::dom_record_member(body, member, def), out);
  });
  if (dom != fast.str()) __builtin_trap();
}

inline void describe(const sdrs::Job &job, std::ostringstream &out) {
  for (const sdrs::Job::Text &s : {job.id(), job.type(), job.status(), job.begin_time(),
                                   job.end_time(), job.error_code(), job.fail_reason()}) {
    out << (s ? "[" + std::string(*s) + "]" : std::string("<none>")) << '\n';
  }
  out << job.json() << '\n' << job.begin_ms() << ' ' << job.end_ms() << '\n';
  // In no particular order: sorted, as the passes may store them differently.
  std::map<std::string_view, std::string_view> entities;
  for (size_t i = 0; i < job.entity_count(); ++i) entities.insert(job.entity_at(i));
  for (const auto &e : entities) out << e.first << '=' << e.second << '\n';
  out << job.sub_jobs.size() << '\n';
  for (const auto &sub : job.sub_jobs) describe(sub, out);
}

inline void compare_job(const std::string &body) {
  sdrs::Job job;
  if (!sdrs::detail::scan_job(body, &job)) return;
  std::ostringstream fast;
  describe(job, fast);
  const std::string sax =
      complete([&](std::ostringstream &out) { describe(sdrs::detail::sax_job(body), out); });
  if (sax != fast.str()) __builtin_trap();
}

}  // namespace fuzz
