// The record decoders against the former one (record_dom_reference.cpp): the public decoders
// (the scanner, else the DOM decoder), the scanner alone wherever it accepts, and the DOM
// decoder alone, getter by getter, or the same error code and message, over the fuzz corpora
// of every table-decoded response, the unit fixtures, edge cases and mutations of all of them.
#include <gtest/gtest.h>

#include "mutation_stride.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/record.hpp"
#include "core/resources/domain.hpp"
#include "core/resources/drill.hpp"
#include "core/resources/pair.hpp"
#include "core/resources/pg.hpp"
#include "core/resources/pi.hpp"
#include "core/resources/quota.hpp"
#include "core/resources/tag.hpp"
#include "core/resources/task.hpp"
#include "core/time.hpp"
#include "record_dom_reference.hpp"

namespace sdrs {
namespace {

using test::OldRecord;

// ---- what a caller can observe of a record: every getter, field by field ----

void text(std::ostringstream &out, const char *name, std::string_view s) {
  out << ' ' << name << "=[" << s << ']';
}
void c_text(std::ostringstream &out, const char *name, const char *s) {
  out << ' ' << name << '=' << (s == nullptr ? std::string("<null>") : "[" + std::string(s) + "]");
}

void describe(const Record &r, std::ostringstream &out, int depth);
void describe(const OldRecord &r, std::ostringstream &out, int depth);

// One shape for both record types; the accessors that differ are passed in.
template <typename R, typename FullText, typename Children, typename Entries, typename Items>
void describe_fields(const R &r, std::ostringstream &out, int depth, FullText full_text,
                     Children children, Entries entries, Items items) {
  const RecordDef &def = r.def();
  out << std::string(static_cast<size_t>(depth) * 2, ' ') << def.name << " json=[" << r.json()
      << "]\n";
  for (size_t i = 0; i < def.count; ++i) {
    const FieldDef &f = def.fields[i];
    out << std::string(static_cast<size_t>(depth) * 2 + 1, ' ') << f.wire << ": has=" << r.has(i);
    c_text(out, "str", r.str(i));
    switch (f.kind) {
      case FieldKind::kString:
        text(out, "text", full_text(r, i));
        break;
      case FieldKind::kTime:
        text(out, "text", full_text(r, i));
        out << " ms=" << r.time_ms(i);
        break;
      case FieldKind::kInt:
      case FieldKind::kIntText:
        out << " int=" << r.integer(i);
        break;
      case FieldKind::kBool:
      case FieldKind::kBoolText:
        out << " bool=" << r.boolean(i);
        break;
      case FieldKind::kObject:
        out << " child=" << (r.child(i) != nullptr) << '\n';
        if (r.child(i) != nullptr) describe(*r.child(i), out, depth + 1);
        continue;
      case FieldKind::kObjectList:
        out << '\n';
        children(r, i, out, depth + 1);
        continue;
      case FieldKind::kStringMap:
        entries(r, i, out);
        break;
      case FieldKind::kTextList:
        text(out, "text", full_text(r, i));
        items(r, i, out);
        break;
    }
    out << '\n';
  }
}

void describe(const Record &r, std::ostringstream &out, int depth) {
  describe_fields(
      r, out, depth, [](const Record &x, size_t i) { return x.text(i); },
      [](const Record &x, size_t i, std::ostringstream &o, int d) {
        o << std::string(static_cast<size_t>(d) * 2, ' ') << x.children(i).size() << " children\n";
        for (const Record &c : x.children(i)) describe(c, o, d);
      },
      [](const Record &x, size_t i, std::ostringstream &o) {
        const MapRange map = x.map(i);
        o << " entries=" << map.size();
        for (size_t e = 0; e < map.size(); ++e) {
          text(o, "key", map[e].key);
          text(o, "value", map[e].value);
          c_text(o, "lookup", x.map_value(i, map[e].key));
        }
      },
      [](const Record &x, size_t i, std::ostringstream &o) {
        const TextRange items = x.items(i);
        o << " items=" << items.size();
        for (size_t e = 0; e < items.size(); ++e) text(o, "item", items[e]);
      });
}

void describe(const OldRecord &r, std::ostringstream &out, int depth) {
  describe_fields(
      r, out, depth,
      [](const OldRecord &x, size_t i) {
        return x.has(i) ? std::string_view(x.slot(i).text) : std::string_view();
      },
      [](const OldRecord &x, size_t i, std::ostringstream &o, int d) {
        o << std::string(static_cast<size_t>(d) * 2, ' ') << x.children(i).size() << " children\n";
        for (const OldRecord &c : x.children(i)) describe(c, o, d);
      },
      [](const OldRecord &x, size_t i, std::ostringstream &o) {
        const auto &map = x.map(i);
        o << " entries=" << map.size();
        for (const auto &e : map) {
          text(o, "key", e.first);
          text(o, "value", e.second);
          c_text(o, "lookup", x.map_value(i, e.first));
        }
      },
      [](const OldRecord &x, size_t i, std::ostringstream &o) {
        const auto &items = x.items(i);
        o << " items=" << items.size();
        for (const auto &item : items) text(o, "item", item);
      });
}

template <typename List>
void describe_list(const List &records, int64_t count, std::ostringstream &out) {
  out << "count=" << count << " records=" << records.size() << '\n';
  for (const auto &r : records) describe(r, out, 0);
}

// Everything a caller can observe of one decode: the records or the error.
using Dump = std::function<void(const std::string &, std::ostringstream &)>;

std::string outcome(const Dump &decode, const std::string &body) {
  std::ostringstream out;
  try {
    decode(body, out);
  } catch (const Failure &f) {
    out.str("");
    out << "error code=" << static_cast<int>(f.info().code) << " message=" << f.info().message;
  }
  return out.str();
}

// ---- the decoders under comparison ----

struct Target {
  std::string corpus;  // the fuzz corpus directory's name
  Dump current;        // the public decoder
  Dump dom;            // the DOM decoder alone
  std::function<bool(const std::string &, std::ostringstream &)> scan;  // false: declined
  Dump old;                                                             // the former decoder
};

Target array_target(const std::string &corpus, const char *member, const RecordDef &def,
                    bool counted, bool document, Dump current) {
  Target t;
  t.corpus = corpus;
  t.current = std::move(current);
  t.dom = [=, &def](const std::string &body, std::ostringstream &out) {
    int64_t count = -1;
    std::string doc;
    const auto records = detail::dom_record_array(body, member, def, counted ? &count : nullptr,
                                                  document ? &doc : nullptr);
    describe_list(records, count, out);
    if (document) out << "document=[" << doc << "]\n";
  };
  t.scan = [=, &def](const std::string &body, std::ostringstream &out) {
    int64_t count = -1;
    std::string doc;
    std::vector<Record> records;
    if (!detail::scan_record_array(body, member, def, counted ? &count : nullptr,
                                   document ? &doc : nullptr, &records)) {
      return false;
    }
    describe_list(records, count, out);
    if (document) out << "document=[" << doc << "]\n";
    return true;
  };
  t.old = [=, &def](const std::string &body, std::ostringstream &out) {
    int64_t count = -1;
    std::string doc;
    const auto records = test::old_decode_record_array(
        body, member, def, counted ? &count : nullptr, document ? &doc : nullptr);
    describe_list(records, count, out);
    if (document) out << "document=[" << doc << "]\n";
  };
  return t;
}

Target member_target(const std::string &corpus, const char *member, const RecordDef &def,
                     std::function<Record(const std::string &)> current) {
  Target t;
  t.corpus = corpus;
  t.current = [current](const std::string &body, std::ostringstream &out) {
    describe(current(body), out, 0);
  };
  t.dom = [=, &def](const std::string &body, std::ostringstream &out) {
    describe(detail::dom_record_member(body, member, def), out, 0);
  };
  t.scan = [=, &def](const std::string &body, std::ostringstream &out) {
    Record r;
    if (!detail::scan_record_member(body, member, def, &r)) return false;
    describe(r, out, 0);
    return true;
  };
  t.old = [=, &def](const std::string &body, std::ostringstream &out) {
    describe(test::old_decode_record_member(body, member, def), out, 0);
  };
  return t;
}

// A table with every kind, for the edge cases (core/record.hpp).
enum TagField : size_t { kTagKey, kTagValue };
constexpr FieldDef kTagFields[] = {{"key", nullptr, FieldKind::kString, true},
                                   {"value", nullptr, FieldKind::kString, false}};
const RecordDef kTag = {"tag", kTagFields, std::size(kTagFields)};
enum ItemField : size_t {
  kId,
  kName,
  kSize,
  kCount,
  kOn,
  kShared,
  kAt,
  kOwner,
  kTags,
  kMeta,
  kIds
};
const FieldDef kItemFields[] = {{"id", nullptr, FieldKind::kString, true},
                                {"name", nullptr, FieldKind::kString, false},
                                {"size", nullptr, FieldKind::kInt, false},
                                {"count", nullptr, FieldKind::kIntText, false},
                                {"on", nullptr, FieldKind::kBool, false},
                                {"shared", nullptr, FieldKind::kBoolText, false},
                                {"at", nullptr, FieldKind::kTime, false},
                                {"owner", &kTag, FieldKind::kObject, false},
                                {"tags", &kTag, FieldKind::kObjectList, false},
                                {"metadata", nullptr, FieldKind::kStringMap, false},
                                {"ids", nullptr, FieldKind::kTextList, false}};
const RecordDef kItem = {"item", kItemFields, std::size(kItemFields)};

std::vector<Target> targets() {
  std::vector<Target> t;
  t.push_back(array_target("decode_group_list", "server_groups", kPgRecord, true, false,
                           [](const std::string &b, std::ostringstream &out) {
                             const GroupList l = decode_group_list(b);
                             describe_list(l.groups, l.count, out);
                           }));
  t.push_back(array_target("decode_instance_list", "protected_instances", kPiRecord, true, false,
                           [](const std::string &b, std::ostringstream &out) {
                             const InstanceList l = decode_instance_list(b);
                             describe_list(l.instances, l.count, out);
                           }));
  t.push_back(array_target("decode_pair_list", "replications", kPairRecord, true, false,
                           [](const std::string &b, std::ostringstream &out) {
                             const PairList l = decode_pair_list(b);
                             describe_list(l.pairs, l.count, out);
                           }));
  t.push_back(array_target("decode_drill_list", "disaster_recovery_drills", kDrillRecord, true,
                           false, [](const std::string &b, std::ostringstream &out) {
                             const DrillList l = decode_drill_list(b);
                             describe_list(l.drills, l.count, out);
                           }));
  t.push_back(array_target("decode_task_list", "failure_jobs", kTaskRecord, true, false,
                           [](const std::string &b, std::ostringstream &out) {
                             const TaskList l = decode_task_list(b);
                             describe_list(l.tasks, l.count, out);
                           }));
  t.push_back(array_target("decode_tag_list", "tags", kPiTagRecord, false, false,
                           [](const std::string &b, std::ostringstream &out) {
                             describe_list(decode_tag_list(b), -1, out);
                           }));
  t.push_back(array_target("domains", "domains", kDomainRecord, false, true,
                           [](const std::string &b, std::ostringstream &out) {
                             const DomainList l = decode_domains(b);
                             describe_list(l.domains, -1, out);
                             out << "document=[" << l.json << "]\n";
                           }));
  t.push_back(array_target(
      "items", "items", kItem, true, false, [](const std::string &b, std::ostringstream &out) {
        int64_t count = -1;
        const auto records = decode_record_array(b, "items", kItem, &count, nullptr);
        describe_list(records, count, out);
      }));
  t.push_back(
      member_target("decode_group_envelope", "server_group", kPgRecord, decode_group_envelope));
  t.push_back(member_target("decode_instance_envelope", "protected_instance", kPiRecord,
                            decode_instance_envelope));
  t.push_back(
      member_target("decode_pair_envelope", "replication", kPairRecord, decode_pair_envelope));
  t.push_back(member_target("decode_drill_envelope", "disaster_recovery_drill", kDrillRecord,
                            decode_drill_envelope));
  t.push_back(member_target("decode_quota", "quotas", kQuotaRecord, [](const std::string &b) {
    return decode_record_member(b, "quotas", kQuotaRecord);
  }));
  t.push_back(member_target("item", "item", kItem, [](const std::string &b) {
    return decode_record_member(b, "item", kItem);
  }));
  // The tag query result is read by the DOM decoder only (no scanner): its records, and each
  // match as the instance the iterator hands out.
  Target q;
  q.corpus = "decode_tag_query_result";
  q.current = [](const std::string &b, std::ostringstream &out) {
    const TagQueryResult r = decode_tag_query_result(b);
    out << "json=[" << r.json << "]\n";
    describe_list(r.resources, r.count, out);
    for (const Record &resource : r.resources) describe(tag_resource_instance(resource), out, 1);
  };
  q.dom = q.current;
  q.scan = [](const std::string &, std::ostringstream &) { return false; };
  q.old = [](const std::string &b, std::ostringstream &out) {
    const test::OldTagQueryResult r = test::old_decode_tag_query_result(b);
    out << "json=[" << r.json << "]\n";
    describe_list(r.resources, r.count, out);
    for (const OldRecord &resource : r.resources) {
      describe(test::old_tag_resource_instance(resource), out, 1);
    }
  };
  t.push_back(q);
  return t;
}

// ---- inputs ----

std::vector<std::string> corpus(const std::string &name) {
  std::vector<std::string> out;
  const std::filesystem::path dir = std::filesystem::path(SDRS_FUZZ_CORPUS_DIR) / name;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto &file : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(file.path(), std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

// The objects of the unit tests and the bench, one per resource.
const char *const kGroup =
    R"({"id":"3f5b","name":"pg-1","description":null,"status":"available","progress":0,)"
    R"("source_availability_zone":"eu-de-01","target_availability_zone":"eu-de-02",)"
    R"("domain_id":"5d2c","domain_name":"dr-domain-a","priority_station":"source",)"
    R"("protected_instance_num":1,"replication_num":0,"disaster_recovery_drill_num":0,)"
    R"("protected_status":null,"source_vpc_id":"vpc-1","dr_type":"migration",)"
    R"("server_type":"ECS","created_at":"2024-03-11 09:15:02.118",)"
    R"("updated_at":"2024-03-11 09:15:09.7","protection_type":"replication-pair"})";
const char *const kInstance = R"({
  "id": "67a2cc7e-2a8b-4c0b-9c1d-0f5e6b7a8c90", "name": "erp-app-01", "description": null,
  "server_group_id": "c3f1d6a2", "status": "protected", "progress": 100,
  "source_server": "b71e0c54", "target_server": "d91f3a77",
  "created_at": "2018-11-06 09:27:52.258", "updated_at": "2018-05-02 22:43:03.0",
  "priority_station": "source",
  "attachment": [{"replication": "r1", "device": "/dev/vda"},
                 {"replication": "r2", "device": "/dev/vdb"}],
  "tags": [{"key": "env", "value": "prod"}],
  "metadata": {"__system__frozen": "true", "n": 3, "nested": {"x": 1}},
  "unknown_new_field": [1, 2]})";
const char *const kPair =
    R"({"id":"5e0b","name":"erp-data","description":"","replication_model":"hypermetro",)"
    R"("status":"protected","progress":"55","replication_status":"active","attachment":[)"
    R"({"protected_instance":"67a2","device":"/dev/vdb"}],"server_group_id":"c3f1",)"
    R"("volume_ids":" prod-vol , dr-vol ","priority_station":"source","fault_level":"0",)"
    R"("created_at":"2018-05-04T03:43:24.108526","updated_at":"2018-05-04T03:51:02.000113",)"
    R"("record_metadata":{"multiattach":false,"bootable":"true","volume_size":"100",)"
    R"("volume_type":"SSD"},"failure_detail":null})";
const char *const kDrill =
    R"({"id":"d1","name":"drill","status":"available","drill_vpc_id":"v","server_group_id":"g",)"
    R"("created_at":"2019-01-21T12:56:35.754Z","drill_servers":[{"protected_instance":"i1",)"
    R"("drill_server_id":"s1"},{"protected_instance":"i2","drill_server_id":"s2"}],"future":1})";
const char *const kItemJson =
    R"({"id":"i","name":"a","size":7,"count":"12","on":true,"shared":"false",)"
    R"("at":"2024-03-11 09:15:02.118","owner":{"key":"k0"},"tags":[{"key":"k1","value":"v1"},)"
    R"({"key":"k2"}],"metadata":{"m":"x","n":3,"b":true,"z":null,"nested":{"ignored":1},"l":[]},)"
    R"("ids":" a ,b,,c ","unknown":[1,{"x":[true,null]}]})";

// Bodies of one target built from its member's records.
std::string list_of(const char *member, const std::vector<std::string> &records,
                    const std::string &tail = R"(,"count":2)") {
  std::string s = std::string("{\"") + member + "\":[";
  for (size_t i = 0; i < records.size(); ++i) s += (i > 0 ? "," : "") + records[i];
  return s + "]" + tail + "}";
}
std::string member_of(const char *member, const std::string &record) {
  return std::string("{\"") + member + "\":" + record + "}";
}

// Variations of the item table's record: each replaces or adds one member.
std::vector<std::string> item_variants() {
  const std::vector<std::string> members = {
      // strings: escapes, non-ASCII, NUL, wrong types, duplicates
      R"("name":"a\"b\\c\/d\u0041\u00e9\ud83d\ude00\n\t")",
      R"("name":"caf\u00e9")",
      "\"name\":\"caf\xc3\xa9\"",
      R"("name":"a\u0000b")",
      R"("name":"\ud800")",
      R"("name":"\udc00x")",
      R"("name":1)",
      R"("name":true)",
      R"("name":{})",
      R"("name":[])",
      R"("name":null,"name":"later")",
      R"("name":"first","name":5)",
      R"("n\u0061me":"escaped key")",
      "\"name\":\"\x7f\"",
      // integers
      R"("size":-1)",
      R"("size":0)",
      R"("size":-0)",
      R"("size":1.0)",
      R"("size":1e2)",
      R"("size":9223372036854775807)",
      R"("size":-9223372036854775808)",
      R"("size":9223372036854775808)",
      R"("size":123456789012345678)",
      R"("size":1234567890123456789)",
      R"("size":"7")",
      R"("size":true)",
      // integers as text
      R"("count":"-5")",
      R"("count":"007")",
      R"("count":"-0")",
      R"("count":" 7")",
      R"("count":"\n7")",
      R"("count":"\t7")",
      R"("count":"+7")",
      R"("count":"7 ")",
      R"("count":"")",
      R"("count":"-")",
      R"("count":"1e2")",
      R"("count":"0x10")",
      R"("count":"99999999999999999999")",
      R"("count":"1234567890123456789")",
      R"("count":"12\u0000")",
      R"("count":12)",
      R"("count":1.5)",
      R"("count":false)",
      // booleans
      R"("on":false)",
      R"("on":"true")",
      R"("on":1)",
      R"("shared":true)",
      R"("shared":"true")",
      R"("shared":"True")",
      R"("shared":"true\u0000x")",
      R"("shared":"")",
      R"("shared":0)",
      // times
      R"("at":"2024-03-11T09:15:02.118Z")",
      R"("at":"2024-03-11T10:15:02+01:00")",
      R"("at":"2024-03-11T10:15:02-0130")",
      R"("at":"2024-02-30 00:00:00")",
      R"("at":"")",
      R"("at":"2024-03-11 09:15:02.")",
      R"("at":"2024-03-11 09:15:02.1234567")",
      R"("at":"2024-03-11 09:15:60")",
      R"("at":"2024-03-11 09:15:02+1")",
      R"("at":"２０２４-03-11 09:15:02")",
      R"("at":5)",
      // nested records
      R"("owner":null)",
      R"("owner":{})",
      R"("owner":[])",
      R"("owner":"x")",
      R"("owner":{"key":"k","value":null,"extra":[1]})",
      R"("owner":{"key":1})",
      R"("owner":{"key":"a"},"owner":{"key":"b"})",
      R"("tags":[])",
      R"("tags":null)",
      R"("tags":{})",
      R"("tags":[null])",
      R"("tags":[1])",
      R"("tags":[{}])",
      R"("tags":[{"key":"a"},{"key":1}])",
      R"("tags":[{"key":"a"},[]])",
      R"("tags":[ { "key" : "a" , "value" : "b" } , {"key":"c"} ])",
      R"("tags":[{"key":"a","key":"b","value":"v"}])",
      // maps
      R"("metadata":{})",
      R"("metadata":null)",
      R"("metadata":[])",
      R"("metadata":"x")",
      R"("metadata":{"a":"x","a":"y","b":-1,"c":false,"d":1.5,"e":1e2,"f":-0})",
      R"("metadata":{"k\u0000":"v\u0000w","\u00e9":"\/"})",
      R"("metadata":{"big":18446744073709551615,"bigger":18446744073709551616})",
      R"("metadata":{"inf":1e309})",
      // text lists
      R"("ids":"")",
      R"("ids":" ")",
      R"("ids":",")",
      R"("ids":"a,,b")",
      R"("ids":"a, ")",
      R"("ids":"\ta\t,b\r\n")",
      R"("ids":"x\u0000,y")",
      R"("ids":["a"])",
      R"("ids":1)",
      // unknown members of every shape
      R"("u":1.5e-3)",
      R"("u":-0)",
      R"("u":1e309)",
      R"("u":"\u0041")",
      R"("u":[[[{"a":[]}]]])",
      R"("u":{"":""})",
      R"("":null)",
      R"("u":tru)",
      R"("u":nul)",
      R"("u":01)",
      R"("u":-)",
      R"("u":1.)",
      R"("u":.5)",
      R"("u":[1,])",
      R"("u":{"a":1,})",
      R"("u":{"a"})",
      R"("u":[1 2])",
      R"("u":"tab	inside")",
  };
  std::vector<std::string> out;
  const std::string base = kItemJson;
  for (const auto &m : members) {
    out.push_back("{" + m + base.substr(1));  // first: before the record's own
    out.push_back(base.substr(0, base.size() - 1) + "," + m + "}");  // last: after them
  }
  // Required id: missing, null, of the wrong type.
  out.push_back(R"({"name":"x"})");
  out.push_back(R"({"id":null})");
  out.push_back(R"({"id":1})");
  out.push_back(R"({"id":"x"})");
  out.push_back(R"({})");
  out.push_back(R"({ "id" : "x" , "tags" : [ ] , "metadata" : { } } )");
  return out;
}

struct Case {
  size_t target;  // index into targets()
  std::string body;
};
// The first edge cases: the unit fixtures, one per target.
constexpr size_t kFixtures = 14;

std::vector<Case> edge_cases(const std::vector<Target> &targets) {
  auto index = [&](const std::string &name) {
    for (size_t i = 0; i < targets.size(); ++i) {
      if (targets[i].corpus == name) return i;
    }
    ADD_FAILURE() << "no target " << name;
    return size_t{0};
  };
  std::vector<Case> c;
  auto add = [&](const std::string &target, const std::string &body) {
    c.push_back({index(target), body});
  };
  // The unit fixtures (first: the mutation test takes them), compact and spaced.
  add("item", member_of("item", kItemJson));
  add("decode_group_list", list_of("server_groups", {kGroup}, R"(,"count":1)"));
  add("decode_group_list", list_of("server_groups", {kGroup}, R"(,"count":"1")"));
  add("decode_group_envelope", member_of("server_group", kGroup));
  add("decode_instance_list", list_of("protected_instances", {kInstance, kInstance}));
  add("decode_instance_envelope", member_of("protected_instance", kInstance));
  add("decode_pair_list", list_of("replications", {kPair, R"({"id":"b"})"}));
  add("decode_pair_envelope", member_of("replication", kPair));
  add("decode_drill_list", list_of("disaster_recovery_drills", {kDrill}));
  add("decode_drill_envelope", member_of("disaster_recovery_drill", kDrill));
  add("domains", R"({"domains": [{"id": "5d2c", "name": "dr-domain-a",
    "description": "", "sold_out": false,
    "local_replication_cluster": {"availability_zone": "eu-de-01"},
    "remote_replication_cluster": {"availability_zone": "eu-de-02"}}], "x": [1, "a b"]})");
  add("domains", R"({"domains":[{"id":"a\/b","sold_out":"no"}]})");
  add("domains", R"({"domains":[{"id":"a"}],"n":1.50})");
  add("decode_quota", R"({"quotas":{"resources":[{"type":"server_group","used":1,"quota":10,)"
                      R"("min":0,"max":-1},{"type":"x","used":"2","quota":"-1"}]}})");
  for (const auto &v : item_variants()) {
    add("item", member_of("item", v));
    add("items", list_of("items", {kItemJson, v}));
  }
  // The document around the records.
  for (const std::string &body :
       std::vector<std::string>{"",
                                " ",
                                "{",
                                "[]",
                                "null",
                                "1",
                                "\"x\"",
                                "{}",
                                R"({"items":null})",
                                R"({"items":{}})",
                                R"({"items":[]})",
                                R"({"items":[],"count":null})",
                                R"({"items":[],"count":5,"count":"x"})",
                                R"({"count":"x","items":[]})",
                                R"({"items":[],"count":1.0})",
                                R"({"items":[],"count":-0})",
                                R"({"items":[],"count":9223372036854775807})",
                                R"({"items":[],"count":true})",
                                R"({"items":[{"id":"a"}],"items":5})",
                                R"({"items":5,"items":[]})",
                                R"({"items":[{"id":"a"}]} )",
                                R"( {"items":[{"id":"a"}]})",
                                R"({"items":[{"id":"a"}]}x)",
                                R"({"items":[{"id":"a"}]}{})",
                                R"({"items":[1]})",
                                R"({"items":[{"id":"a"},null]})",
                                R"({"items":[{"id":1},{"id":2}],"count":"x"})",
                                R"({"it\u0065ms":[]})",
                                R"({"items":[{"id":"a"}],"other":[{"id":1}]})",
                                "\xef\xbb\xbf{\"items\":[]}",
                                std::string("{\"items\":[]}\0", 13),
                                std::string("{\"items\":[{\"id\":\"a\0\"}]}", 22),
                                "{\"items\":[{\"id\":\"\xff\"}]}",
                                "{\"items\":[{\"id\":\"\xc3\x28\"}]}",
                                "{\"items\":[{\"id\":\"\xed\xa0\x80\"}]}",
                                "{\"items\":[{\"id\":\"ok\"}],\"x\":\"\xff\"}",
                                "{\"items\":[{\"id\":\"\xf0\x9f\x98\x80\"}]}",
                                "{\r\n\t\"items\" : [ ]\r\n}"}) {
    add("items", body);
  }
  add("item", R"({"item":[]})");
  add("item", R"({"item":{"id":"a"},"item":5})");
  add("item", R"({"other":1})");
  // Deep nesting in an unknown member: the scanner's 64 levels and beyond.
  for (int depth : {63, 64, 65, 200}) {
    const std::string deep =
        std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']');
    add("items", R"({"items":[{"id":"a","u":)" + deep + "}]}");
    add("items", R"({"u":)" + deep + R"(,"items":[]})");
  }
  add("items", std::string(100000, '[') + std::string(100000, ']'));
  // Many records: the store's vectors grow while records refer to them by index.
  std::vector<std::string> many(300, kItemJson);
  add("items", list_of("items", many, R"(,"count":300)"));
  return c;
}

// ---- the comparison ----

class Comparison {
 public:
  explicit Comparison(std::vector<Target> targets) : targets_(std::move(targets)) {}
  const std::vector<Target> &targets() const { return targets_; }

  // Returns whether all agreed (the failure names the input).
  bool same(size_t target, const std::string &body, bool with_public) {
    const Target &t = targets_[target];
    const std::string old = outcome(t.old, body);
    bool agree = true;
    auto check = [&](const char *which, const std::string &got) {
      if (got == old) return;
      agree = false;
      ADD_FAILURE() << t.corpus << ": " << which
                    << " differs from the former decoder\ninput: " << body << "\nformer:\n"
                    << old << "\n"
                    << which << ":\n"
                    << got;
    };
    std::ostringstream scanned;
    bool accepted = false;
    try {
      accepted = t.scan(body, scanned);
    } catch (const Failure &f) {
      ADD_FAILURE() << t.corpus << ": the scanner threw " << f.info().message
                    << "\ninput: " << body;
      agree = false;
    }
    if (accepted) {
      ++accepted_;
      check("scanner", scanned.str());
    }
    check("DOM decoder", outcome(t.dom, body));
    if (with_public) check("public decoder", outcome(t.current, body));
    ++runs_;
    return agree;
  }

  size_t accepted() const { return accepted_; }
  size_t runs() const { return runs_; }

 private:
  std::vector<Target> targets_;
  size_t accepted_ = 0;
  size_t runs_ = 0;
};

std::vector<Case> corpus_cases(const std::vector<Target> &targets) {
  std::vector<Case> c;
  for (size_t i = 0; i < targets.size(); ++i) {
    for (auto &body : corpus(targets[i].corpus)) c.push_back({i, std::move(body)});
  }
  return c;
}

TEST(RecordDecoder, SameAsFormerDecoderOnFuzzCorpora) {
  Comparison cmp(targets());
  const auto cases = corpus_cases(cmp.targets());
  ASSERT_GE(cases.size(), 20u);
  for (const auto &c : cases) cmp.same(c.target, c.body, true);
  // The valid bodies of the corpora are the scanner's.
  EXPECT_GE(cmp.accepted(), 12u);
}

TEST(RecordDecoder, SameAsFormerDecoderOnFixturesAndEdgeCases) {
  Comparison cmp(targets());
  const auto cases = edge_cases(cmp.targets());
  for (const auto &c : cases) cmp.same(c.target, c.body, true);
  EXPECT_GT(cmp.accepted(), 100u);
  EXPECT_LT(cmp.accepted(), cases.size());
}

// Every truncation, deletion and one-byte replacement (by bytes that change the JSON's
// structure, its types, its encoding) of the corpora and of the smaller edge cases.
TEST(RecordDecoder, SameAsFormerDecoderOnMutations) {
  Comparison cmp(targets());
  auto inputs = corpus_cases(cmp.targets());
  const auto edges = edge_cases(cmp.targets());
  for (size_t i = 0; i < edges.size(); ++i) {
    if (i < kFixtures || edges[i].body.size() < 100) inputs.push_back(edges[i]);
  }
  const std::string replacements = std::string("\"\\{}[],:0-.t \xff") + '\0';
  size_t disagreements = 0;
  const size_t stride = sdrs_test::mutation_stride();
  for (const auto &c : inputs) {
    const std::string &body = c.body;
    for (size_t n = 0; n < body.size(); n += stride) {
      if (!cmp.same(c.target, body.substr(0, n), false)) ++disagreements;
      for (char r : replacements) {
        if (body[n] == r) continue;
        std::string m = body;
        m[n] = r;
        if (!cmp.same(c.target, m, false)) ++disagreements;
      }
      std::string without = body;
      without.erase(n, 1);
      if (!cmp.same(c.target, without, false)) ++disagreements;
      if (disagreements > 20) FAIL() << "stopping after 20 disagreements";
    }
  }
  EXPECT_EQ(disagreements, 0u) << "of " << cmp.runs();
  EXPECT_GT(cmp.runs(), 100000u / stride);
  EXPECT_GT(cmp.accepted(), 10000u / stride);
}

// The new getters on their own, so the comparisons above cannot pass by both being wrong alike.
TEST(RecordDecoder, ScannerReadsEveryKind) {
  Record r;
  ASSERT_TRUE(detail::scan_record_member(member_of("item", kItemJson), "item", kItem, &r));
  EXPECT_STREQ(r.str(kId), "i");
  EXPECT_EQ(r.integer(kSize), 7);
  EXPECT_EQ(r.integer(kCount), 12);
  EXPECT_EQ(r.boolean(kOn), 1);
  EXPECT_EQ(r.boolean(kShared), 0);
  EXPECT_EQ(r.time_ms(kAt), 1710148502118);
  ASSERT_NE(r.child(kOwner), nullptr);
  EXPECT_STREQ(r.child(kOwner)->str(kTagKey), "k0");
  EXPECT_EQ(r.child(kOwner)->json(), R"({"key":"k0"})");
  ASSERT_EQ(r.children(kTags).size(), 2u);
  EXPECT_STREQ(r.children(kTags)[1].str(kTagKey), "k2");
  EXPECT_EQ(r.children(kTags)[1].str(kTagValue), nullptr);
  ASSERT_EQ(r.map(kMeta).size(), 3u);
  EXPECT_STREQ(r.map_value(kMeta, "n"), "3");
  EXPECT_STREQ(r.map_value(kMeta, "b"), "true");
  EXPECT_EQ(r.map_value(kMeta, "z"), nullptr);
  ASSERT_EQ(r.items(kIds).size(), 4u);
  EXPECT_EQ(r.items(kIds)[0], "a");
  EXPECT_EQ(r.items(kIds)[2], "");
  EXPECT_STREQ(r.str(kIds), " a ,b,,c ");
  EXPECT_EQ(r.json(), kItemJson);
  // Spaced input: the record's JSON without the spaces.
  ASSERT_TRUE(detail::scan_record_member(R"({ "item" : { "id" : "a b" , "tags" : [ ] } })", "item",
                                         kItem, &r));
  EXPECT_EQ(r.json(), R"({"id":"a b","tags":[]})");
  // What the scanner leaves to the DOM decoder.
  for (const char *declined : {R"({"item":{"id":"a\u0041"}})", R"({"item":{"id":"a","u":1.5}})",
                               R"({"item":{"id":1}})", R"({"item":{}})", R"({"item":[]})",
                               R"({"item":{"id":"a"}} x)", R"({"item":{"id":"a","u":-0}})"}) {
    EXPECT_FALSE(detail::scan_record_member(declined, "item", kItem, &r)) << declined;
  }
}

// Records of a list share one store: a list of 1,000 records costs a few allocations, and the
// records (and nested ones copied out with nested_copy) outlive the list they came in.
TEST(RecordDecoder, RecordsKeepTheirStoreAlive) {
  std::vector<std::string> many(1000, kPair);
  Record pair;
  Record attachment;
  {
    const PairList list = decode_pair_list(list_of("replications", many, R"(,"count":1000)"));
    ASSERT_EQ(list.pairs.size(), 1000u);
    pair = list.pairs[999];
    attachment = pair.nested_copy(pair.children(kPairAttachment)[0]);
  }
  EXPECT_STREQ(pair.str(kPairId), "5e0b");
  EXPECT_STREQ(pair.items(kPairVolumeIds)[1].data(), "dr-vol");
  EXPECT_STREQ(attachment.str(kPairAttachmentDevice), "/dev/vdb");
  EXPECT_EQ(pair.child(kPairRecordMetadata)->integer(kPairMetaVolumeSize), 100);
}

TEST(RecordDecoder, TimesAsTheFormerParser) {
  std::vector<std::string> inputs = {
      "2024-03-11T09:15:02.118Z", "2024-03-11 09:15:02",  "2024-03-11T10:15:02.118+01:00",
      "2024-02-29 00:00:00",      "0000-01-01T00:00:00Z", "9999-12-31T23:59:60.999999-23:59"};
  const std::string bytes = std::string("0129-:. TZz+x\xff") + '\0';
  size_t runs = 0;
  for (size_t k = 0, n = inputs.size(); k < n; ++k) {
    const std::string base = inputs[k];
    for (size_t i = 0; i <= base.size(); ++i) {
      inputs.push_back(base.substr(0, i));
      if (i == base.size()) break;
      for (char b : bytes) {
        std::string m = base;
        m[i] = b;
        inputs.push_back(m);
      }
    }
  }
  for (const auto &t : inputs) {
    ++runs;
    EXPECT_EQ(parse_time_ms(t), test::parse_time_ms_reference(t)) << t;
  }
  EXPECT_GT(runs, 1000u);
}

}  // namespace
}  // namespace sdrs
