#include "core/resources/pair.hpp"

#include <iterator>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

#define SDRS_FIELD_DEF(index, wire, kind, child, required) {wire, child, FieldKind::kind, required},
constexpr FieldDef kPairAttachmentFields[] = {SDRS_PAIR_ATTACHMENT_FIELDS(SDRS_FIELD_DEF)};
constexpr FieldDef kPairMetadataFields[] = {SDRS_PAIR_METADATA_FIELDS(SDRS_FIELD_DEF)};
constexpr FieldDef kPairFields[] = {SDRS_PAIR_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kPairAttachmentFields) == kPairAttachmentFieldCount,
              "SDRS_PAIR_ATTACHMENT_FIELDS: table and enum differ");
static_assert(std::size(kPairMetadataFields) == kPairMetadataFieldCount,
              "SDRS_PAIR_METADATA_FIELDS: table and enum differ");
static_assert(std::size(kPairFields) == kPairFieldCount, "SDRS_PAIR_FIELDS: table and enum differ");

void validate_required(const char *field, const OptString &value) {
  if (!value) fail(Code::kValidation, std::string(field) + ": required");
  validate_required_text(field, *value);
}

}  // namespace

const RecordDef kPairAttachmentRecord = {"replication.attachment", kPairAttachmentFields,
                                         std::size(kPairAttachmentFields)};
const RecordDef kPairMetadataRecord = {"replication.record_metadata", kPairMetadataFields,
                                       std::size(kPairMetadataFields)};
const RecordDef kPairRecord = {"replication", kPairFields, std::size(kPairFields)};

void validate_spec(const PairSpec &spec) {
  validate_required("server_group_id", spec.server_group_id);
  validate_required("volume_id", spec.volume_id);
  if (!spec.name) fail(Code::kValidation, "name: required");
  validate_name("name", *spec.name);
  if (spec.description) validate_description(*spec.description);
  if (spec.cluster_id) validate_required_text("cluster_id", *spec.cluster_id);
}

void validate_new_size(int64_t new_size_gb) {
  validate_range("new_size", new_size_gb, 1, kPairMaxSizeGb);
}

std::string list_query_string(const PairListQuery &q) {
  QueryString s;
  s.add_paging(q.limit, q.offset);
  s.add_text("server_group_id", q.server_group_id);
  s.add_ids("server_group_ids", q.server_group_ids);
  s.add_text("protected_instance_id", q.instance_id);
  s.add_ids("protected_instance_ids", q.instance_ids);
  s.add_text("name", q.name);
  s.add_status(q.status);
  s.add_query_type(q.query_type);
  s.add_text("availability_zone", q.availability_zone);
  s.add_text("volume_id", q.volume_id);
  return s.take();
}

std::string encode_create(const PairSpec &spec) {
  std::string out = R"({"replication":{)";
  append_string_members(out, {{"server_group_id", &spec.server_group_id},
                              {"volume_id", &spec.volume_id},
                              {"name", &spec.name},
                              {"description", &spec.description},
                              {"cluster_id", &spec.cluster_id}});
  return out + "}}";
}

std::string encode_pair_rename(const std::string &name) {
  return R"({"replication":{"name":)" + json_quote(name) + "}}";
}

std::string encode_pair_delete(const OptString &server_group_id, bool delete_target_volume) {
  std::string out = R"({"replication":{)";
  append_string_members(out, {{"server_group_id", &server_group_id}});
  if (out.back() != '{') out += ',';
  out += R"("delete_target_volume":)";
  out += delete_target_volume ? "true" : "false";
  return out + "}}";
}

std::string encode_expand(int64_t new_size_gb) {
  return R"({"extend-replication":{"new_size":)" + std::to_string(new_size_gb) + "}}";
}

Pair decode_pair_envelope(const std::string &body) {
  return decode_record_member(body, "replication", kPairRecord);
}

PairList decode_pair_list(const std::string &body) {
  PairList list;
  list.pairs = decode_record_array(body, "replications", kPairRecord, &list.count, nullptr);
  return list;
}

}  // namespace sdrs
