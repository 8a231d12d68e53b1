#include "core/resources/drill.hpp"

#include <iterator>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

#define SDRS_FIELD_DEF(index, wire, kind, child, required) {wire, child, FieldKind::kind, required},
constexpr FieldDef kDrillServerFields[] = {SDRS_DRILL_SERVER_FIELDS(SDRS_FIELD_DEF)};
constexpr FieldDef kDrillFields[] = {SDRS_DRILL_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kDrillServerFields) == kDrillServerFieldCount,
              "SDRS_DRILL_SERVER_FIELDS: table and enum differ");
static_assert(std::size(kDrillFields) == kDrillFieldCount,
              "SDRS_DRILL_FIELDS: table and enum differ");

void validate_required(const char *field, const OptString &value) {
  if (!value) fail(Code::kValidation, std::string(field) + ": required");
  validate_required_text(field, *value);
}

}  // namespace

const RecordDef kDrillServerRecord = {"disaster_recovery_drill.drill_servers", kDrillServerFields,
                                      std::size(kDrillServerFields)};
const RecordDef kDrillRecord = {"disaster_recovery_drill", kDrillFields, std::size(kDrillFields)};

void validate_spec(const DrillSpec &spec) {
  validate_required("server_group_id", spec.server_group_id);
  if (!spec.name) fail(Code::kValidation, "name: required");
  validate_name("name", *spec.name);
  if (spec.drill_vpc_id) validate_required_text("drill_vpc_id", *spec.drill_vpc_id);
}

std::string list_query_string(const DrillListQuery &q) {
  QueryString s;
  s.add_paging(q.limit, q.offset);
  s.add_text("server_group_id", q.server_group_id);
  s.add_text("name", q.name);
  s.add_status(q.status);
  s.add_text("drill_vpc_id", q.drill_vpc_id);
  return s.take();
}

std::string encode_create(const DrillSpec &spec) {
  std::string out = R"({"disaster_recovery_drill":{)";
  append_string_members(out, {{"server_group_id", &spec.server_group_id},
                              {"name", &spec.name},
                              {"drill_vpc_id", &spec.drill_vpc_id}});
  return out + "}}";
}

std::string encode_drill_rename(const std::string &name) {
  return R"({"disaster_recovery_drill":{"name":)" + json_quote(name) + "}}";
}

Drill decode_drill_envelope(const std::string &body) {
  return decode_record_member(body, "disaster_recovery_drill", kDrillRecord);
}

DrillList decode_drill_list(const std::string &body) {
  DrillList list;
  list.drills =
      decode_record_array(body, "disaster_recovery_drills", kDrillRecord, &list.count, nullptr);
  return list;
}

}  // namespace sdrs
