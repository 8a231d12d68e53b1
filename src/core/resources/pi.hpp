// Protected instances (spec part 2, section 3): the instance object's fields, named once
// (SDRS_PI_*_FIELDS give the index enums here and the decoding tables in pi.cpp), the create,
// NIC and resize requests and their rules, the request bodies and the list query.
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

extern const RecordDef kPiAttachmentRecord;  // name "protected_instance.attachment"
extern const RecordDef kPiTagRecord;         // name "protected_instance.tags"

// X(index, wire name, kind, child table, required).
#define SDRS_PI_ATTACHMENT_FIELDS(X)                                  \
  X(kPiAttachmentReplication, "replication", kString, nullptr, false) \
  X(kPiAttachmentDevice, "device", kString, nullptr, false)

#define SDRS_PI_TAG_FIELDS(X)                  \
  X(kPiTagKey, "key", kString, nullptr, false) \
  X(kPiTagValue, "value", kString, nullptr, false)

// The protected instance object (section 3.11). progress is read from a string too; metadata
// keeps every scalar as text, so __system__frozen reads "true" whether sent as a string or a
// boolean.
#define SDRS_PI_FIELDS(X)                                                  \
  X(kPiId, "id", kString, nullptr, true)                                   \
  X(kPiName, "name", kString, nullptr, false)                              \
  X(kPiDescription, "description", kString, nullptr, false)                \
  X(kPiServerGroupId, "server_group_id", kString, nullptr, false)          \
  X(kPiStatus, "status", kString, nullptr, false)                          \
  X(kPiProgress, "progress", kIntText, nullptr, false)                     \
  X(kPiSourceServer, "source_server", kString, nullptr, false)             \
  X(kPiTargetServer, "target_server", kString, nullptr, false)             \
  X(kPiCreatedAt, "created_at", kTime, nullptr, false)                     \
  X(kPiUpdatedAt, "updated_at", kTime, nullptr, false)                     \
  X(kPiPriorityStation, "priority_station", kString, nullptr, false)       \
  X(kPiAttachment, "attachment", kObjectList, &kPiAttachmentRecord, false) \
  X(kPiTags, "tags", kObjectList, &kPiTagRecord, false)                    \
  X(kPiMetadata, "metadata", kStringMap, nullptr, false)

#define SDRS_FIELD_INDEX(index, wire, kind, child, required) index,
enum PiAttachmentField : size_t {
  SDRS_PI_ATTACHMENT_FIELDS(SDRS_FIELD_INDEX) kPiAttachmentFieldCount
};
enum PiTagField : size_t { SDRS_PI_TAG_FIELDS(SDRS_FIELD_INDEX) kPiTagFieldCount };
enum PiField : size_t { SDRS_PI_FIELDS(SDRS_FIELD_INDEX) kPiFieldCount };
#undef SDRS_FIELD_INDEX

extern const RecordDef kPiRecord;  // name "protected_instance"

using Instance = Record;  // of kPiRecord

struct InstanceList {
  std::vector<Instance> instances;
  int64_t count = -1;
};

// The metadata key that marks a frozen instance.
constexpr const char *kPiFrozenKey = "__system__frozen";

// Literal route segments that share the position of {protected_instance_id} (section 1).
bool is_pi_literal_segment(const std::string &id);
// An instance id used in a path: one path segment, and none of the literal segments (an id
// "tags" would silently reach /protected-instances/tags). Throws kValidation naming `field`.
void validate_pi_id(const std::string &field, const std::string &id);

// Tag rules (pi.h; spec part 2 section 6.1, the most tolerant documented limits).
constexpr size_t kPiMaxTags = 20;
// `field` names the wire field in the message (the tag query's lists use their own names).
void validate_tag_key(const std::string &key, const char *field = "tags[].key");
void validate_tag_value(const std::string &value, const char *field = "tags[].value");
// A device name for attach: /dev/ followed by sd, vd or xvd and one or more of a-z.
void validate_device(const std::string &device);

struct PiTag {
  std::string key;
  std::string value;
};

// Create request (section 3.1).
struct PiSpec {
  OptString server_group_id;
  OptString server_id;
  OptString name;
  OptString description;
  OptString primary_subnet_id;
  OptString primary_ip_address;  // only together with primary_subnet_id
  OptString flavor_ref;          // wire flavorRef
  std::vector<PiTag> tags;
};

// Checks the whole create request: required fields, every rule, the IP/subnet pairing, tags.
void validate_spec(const PiSpec &spec);

// Add-NIC request (section 3.8).
struct PiNicSpec {
  OptString subnet_id;
  OptString ip_address;
  std::vector<std::string> security_groups;
};
void validate_nic_spec(const PiNicSpec &nic);

// Resize request (section 3.10): flavor_ref for both servers, or one or both of the others.
struct PiResize {
  OptString flavor_ref;             // resize.flavorRef
  OptString production_flavor_ref;  // resize.production_flavorRef
  OptString dr_flavor_ref;          // resize.dr_flavorRef
};
void validate_resize(const PiResize &resize);

// GET /v1/{project_id}/protected-instances filters (section 3.2).
struct PiListQuery {
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  OptString server_group_id;
  std::vector<std::string> server_group_ids;
  std::vector<std::string> instance_ids;  // protected_instance_ids
  OptString status, name, query_type, availability_zone;
};
// Checks the filters; builds the query string ("?limit=..&..." or "").
std::string list_query_string(const PiListQuery &query);

std::string encode_create(const PiSpec &spec);           // {"protected_instance":{...}}
std::string encode_pi_rename(const std::string &name);   // {"protected_instance":{"name"}}
std::string encode_pi_delete(bool delete_target_server,  // top-level, no wrapper
                             bool delete_target_eip);
std::string encode_pi_attach(const std::string &replication_id,  // {"replicationAttachment"}
                             const std::string &device);
std::string encode_nic(const PiNicSpec &nic);              // top-level
std::string encode_delete_nic(const std::string &nic_id);  // {"nic_id"}
std::string encode_resize(const PiResize &resize);         // {"resize":{...}}

Instance decode_instance_envelope(const std::string &body);  // {"protected_instance": {...}}
InstanceList decode_instance_list(const std::string &body);  // {"protected_instances", "count"}

}  // namespace sdrs
