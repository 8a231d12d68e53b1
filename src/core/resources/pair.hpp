// Replication pairs (spec part 2, section 4): the pair object's fields, named once
// (SDRS_PAIR_*_FIELDS give the index enums here and the decoding tables in pair.cpp), the create
// request and its rules, the request bodies and the list query.
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

extern const RecordDef kPairAttachmentRecord;  // name "replication.attachment"
extern const RecordDef kPairMetadataRecord;    // name "replication.record_metadata"

// X(index, wire name, kind, child table, required).
#define SDRS_PAIR_ATTACHMENT_FIELDS(X)                                      \
  X(kPairAttachmentInstance, "protected_instance", kString, nullptr, false) \
  X(kPairAttachmentDevice, "device", kString, nullptr, false)

// record_metadata: the booleans and the size are also read from strings (the rename example
// sends "volume_size": "10").
#define SDRS_PAIR_METADATA_FIELDS(X)                                \
  X(kPairMetaMultiattach, "multiattach", kBoolText, nullptr, false) \
  X(kPairMetaBootable, "bootable", kBoolText, nullptr, false)       \
  X(kPairMetaVolumeSize, "volume_size", kIntText, nullptr, false)   \
  X(kPairMetaVolumeType, "volume_type", kString, nullptr, false)

// The replication pair object (section 4.7). volume_ids is one string, "production,dr".
#define SDRS_PAIR_FIELDS(X)                                                       \
  X(kPairId, "id", kString, nullptr, true)                                        \
  X(kPairName, "name", kString, nullptr, false)                                   \
  X(kPairDescription, "description", kString, nullptr, false)                     \
  X(kPairReplicationModel, "replication_model", kString, nullptr, false)          \
  X(kPairStatus, "status", kString, nullptr, false)                               \
  X(kPairProgress, "progress", kIntText, nullptr, false)                          \
  X(kPairReplicationStatus, "replication_status", kString, nullptr, false)        \
  X(kPairAttachment, "attachment", kObjectList, &kPairAttachmentRecord, false)    \
  X(kPairServerGroupId, "server_group_id", kString, nullptr, false)               \
  X(kPairVolumeIds, "volume_ids", kTextList, nullptr, false)                      \
  X(kPairPriorityStation, "priority_station", kString, nullptr, false)            \
  X(kPairFaultLevel, "fault_level", kString, nullptr, false)                      \
  X(kPairCreatedAt, "created_at", kTime, nullptr, false)                          \
  X(kPairUpdatedAt, "updated_at", kTime, nullptr, false)                          \
  X(kPairRecordMetadata, "record_metadata", kObject, &kPairMetadataRecord, false) \
  X(kPairFailureDetail, "failure_detail", kString, nullptr, false)

#define SDRS_FIELD_INDEX(index, wire, kind, child, required) index,
enum PairAttachmentField : size_t {
  SDRS_PAIR_ATTACHMENT_FIELDS(SDRS_FIELD_INDEX) kPairAttachmentFieldCount
};
enum PairMetadataField : size_t {
  SDRS_PAIR_METADATA_FIELDS(SDRS_FIELD_INDEX) kPairMetadataFieldCount
};
enum PairField : size_t { SDRS_PAIR_FIELDS(SDRS_FIELD_INDEX) kPairFieldCount };
#undef SDRS_FIELD_INDEX

extern const RecordDef kPairRecord;  // name "replication"

using Pair = Record;  // of kPairRecord

struct PairList {
  std::vector<Pair> pairs;
  int64_t count = -1;
};

// Create request (section 4.1).
struct PairSpec {
  OptString server_group_id;
  OptString volume_id;
  OptString name;
  OptString description;
  OptString cluster_id;  // sent only when set
};

// Checks the whole create request (required fields and every rule).
void validate_spec(const PairSpec &spec);

// The new total size of an expand, in GB: a whole number in 1..32768 (the EVS maximum).
constexpr int64_t kPairMaxSizeGb = 32768;
void validate_new_size(int64_t new_size_gb);

// GET /v1/{project_id}/replications filters (section 4.2).
struct PairListQuery {
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  OptString server_group_id;
  std::vector<std::string> server_group_ids;
  OptString instance_id;                  // protected_instance_id
  std::vector<std::string> instance_ids;  // protected_instance_ids
  OptString name, status, query_type, availability_zone, volume_id;
};
// Checks the filters; builds the query string ("?limit=..&..." or "").
std::string list_query_string(const PairListQuery &query);

std::string encode_create(const PairSpec &spec);          // {"replication":{...}}
std::string encode_pair_rename(const std::string &name);  // {"replication":{"name"}}
// {"replication":{["server_group_id",]"delete_target_volume"}}: the wrapper is mandatory.
std::string encode_pair_delete(const OptString &server_group_id, bool delete_target_volume);
// {"extend-replication":{"new_size":N}} with N a JSON integer.
std::string encode_expand(int64_t new_size_gb);

Pair decode_pair_envelope(const std::string &body);  // {"replication": {...}}
PairList decode_pair_list(const std::string &body);  // {"replications": [...], "count"}

}  // namespace sdrs
