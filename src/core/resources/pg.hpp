// Protection groups (spec 4): the group object's fields, named once (SDRS_PG_FIELDS gives the
// index enum here and the decoding table in pg.cpp), the create spec and its rules, the request
// bodies and the list query.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/models.hpp"
#include "core/record.hpp"

namespace sdrs {

// The protection group object (spec 4.7): X(index, wire name, kind, required).
#define SDRS_PG_FIELDS(X)                                           \
  X(kPgId, "id", kString, true)                                     \
  X(kPgName, "name", kString, false)                                \
  X(kPgDescription, "description", kString, false)                  \
  X(kPgStatus, "status", kString, false)                            \
  X(kPgSourceAz, "source_availability_zone", kString, false)        \
  X(kPgTargetAz, "target_availability_zone", kString, false)        \
  X(kPgDomainId, "domain_id", kString, false)                       \
  X(kPgDomainName, "domain_name", kString, false)                   \
  X(kPgPriorityStation, "priority_station", kString, false)         \
  X(kPgProtectedStatus, "protected_status", kString, false)         \
  X(kPgReplicationStatus, "replication_status", kString, false)     \
  X(kPgHealthStatus, "health_status", kString, false)               \
  X(kPgSourceVpcId, "source_vpc_id", kString, false)                \
  X(kPgTargetVpcId, "target_vpc_id", kString, false)                \
  X(kPgTestVpcId, "test_vpc_id", kString, false)                    \
  X(kPgDrType, "dr_type", kString, false)                           \
  X(kPgServerType, "server_type", kString, false)                   \
  X(kPgCreatedAt, "created_at", kTime, false)                       \
  X(kPgUpdatedAt, "updated_at", kTime, false)                       \
  X(kPgProtectionType, "protection_type", kString, false)           \
  X(kPgReplicationModel, "replication_model", kString, false)       \
  X(kPgProgress, "progress", kInt, false)                           \
  X(kPgProtectedInstanceNum, "protected_instance_num", kInt, false) \
  X(kPgReplicationNum, "replication_num", kInt, false)              \
  X(kPgDrillNum, "disaster_recovery_drill_num", kInt, false)

#define SDRS_FIELD_INDEX(index, wire, kind, required) index,
enum PgField : size_t { SDRS_PG_FIELDS(SDRS_FIELD_INDEX) kPgFieldCount };
#undef SDRS_FIELD_INDEX

extern const RecordDef kPgRecord;  // name "server_group"

using Group = Record;  // of kPgRecord

struct GroupList {
  std::vector<Group> groups;
  int64_t count = -1;
};

// Create request (spec 4.1).
struct PgSpec {
  OptString name;
  OptString description;
  OptString source_az;
  OptString target_az;
  OptString domain_id;
  OptString source_vpc_id;
  OptString dr_type;      // sent as "migration" when unset
  OptString server_type;  // sent only when set
};

// Checks the whole create request (required fields, rules, source != target).
void validate_spec(const PgSpec &spec);
// The part of validate_spec that needs the whole spec (the required fields are present, the
// zones differ), for a spec whose fields were each checked by validate_spec's rules when they
// were set (the C API's setters); it fails as validate_spec does for such a spec.
void validate_spec_complete(const PgSpec &spec);

// The actions of POST .../server-groups/{id}/action (spec 4.6).
enum class PgAction { kStart, kStop, kFailover, kReverse };
// The action's JSON key ("start-server-group", ...).
const char *action_key(PgAction action);

// GET /v1/{project_id}/server-groups filters (spec 4.2).
struct ListQuery {
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  OptString status, name, query_type, availability_zone;
};
// Checks list filters; builds the query string ("?limit=..&..." or "").
std::string list_query_string(const ListQuery &query);

std::string encode_create(const PgSpec &spec);
std::string encode_rename(const std::string &name);
// {"<action>": {}} or {"reverse-server-group": {"priority_station": "..."}}.
std::string encode_action(const std::string &action, const std::string &priority_station);

Group decode_group_envelope(const std::string &body);  // {"server_group": {...}}
GroupList decode_group_list(const std::string &body);  // {"server_groups": [...], "count"}

}  // namespace sdrs
