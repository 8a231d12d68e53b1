// DR drills (spec part 2, section 5): the drill object's fields, named once (SDRS_DRILL_*_FIELDS
// give the index enums here and the decoding tables in drill.cpp), the create request and its
// rules, the request bodies and the list query.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/models.hpp"
#include "core/record.hpp"
#include "core/resources/list_query.hpp"

namespace sdrs {

extern const RecordDef kDrillServerRecord;  // name "disaster_recovery_drill.drill_servers"

// X(index, wire name, kind, child table, required).
#define SDRS_DRILL_SERVER_FIELDS(X)                                      \
  X(kDrillServerInstance, "protected_instance", kString, nullptr, false) \
  X(kDrillServerId, "drill_server_id", kString, nullptr, false)

// The drill object (section 5.5); times "yyyy-MM-dd HH:mm:ss.SSS", read by the tolerant parser.
#define SDRS_DRILL_FIELDS(X)                                         \
  X(kDrillId, "id", kString, nullptr, true)                          \
  X(kDrillName, "name", kString, nullptr, false)                     \
  X(kDrillStatus, "status", kString, nullptr, false)                 \
  X(kDrillVpcId, "drill_vpc_id", kString, nullptr, false)            \
  X(kDrillCreatedAt, "created_at", kTime, nullptr, false)            \
  X(kDrillUpdatedAt, "updated_at", kTime, nullptr, false)            \
  X(kDrillServerGroupId, "server_group_id", kString, nullptr, false) \
  X(kDrillServers, "drill_servers", kObjectList, &kDrillServerRecord, false)

#define SDRS_FIELD_INDEX(index, wire, kind, child, required) index,
enum DrillServerField : size_t {
  SDRS_DRILL_SERVER_FIELDS(SDRS_FIELD_INDEX) kDrillServerFieldCount
};
enum DrillField : size_t { SDRS_DRILL_FIELDS(SDRS_FIELD_INDEX) kDrillFieldCount };
#undef SDRS_FIELD_INDEX

extern const RecordDef kDrillRecord;  // name "disaster_recovery_drill"

using Drill = Record;  // of kDrillRecord

struct DrillList {
  std::vector<Drill> drills;
  int64_t count = -1;
};

// Create request (section 5.1). drill_vpc_id is optional (the documentation; one SDK requires
// it, section 11 item 1).
struct DrillSpec {
  OptString server_group_id;
  OptString name;
  OptString drill_vpc_id;
};

// Checks the whole create request (required fields and every rule).
void validate_spec(const DrillSpec &spec);

// GET /v1/{project_id}/disaster-recovery-drills filters (section 5.2).
struct DrillListQuery {
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  OptString server_group_id, name, status, drill_vpc_id;
};
// Checks the filters; builds the query string ("?limit=..&..." or "").
std::string list_query_string(const DrillListQuery &query);

std::string encode_create(const DrillSpec &spec);          // {"disaster_recovery_drill":{...}}
std::string encode_drill_rename(const std::string &name);  // {"disaster_recovery_drill":{"name"}}

Drill decode_drill_envelope(const std::string &body);  // {"disaster_recovery_drill": {...}}
DrillList decode_drill_list(const std::string &body);  // {"disaster_recovery_drills", "count"}

}  // namespace sdrs
