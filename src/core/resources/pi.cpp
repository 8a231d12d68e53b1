#include "core/resources/pi.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

#define SDRS_FIELD_DEF(index, wire, kind, child, required) {wire, child, FieldKind::kind, required},
constexpr FieldDef kPiAttachmentFields[] = {SDRS_PI_ATTACHMENT_FIELDS(SDRS_FIELD_DEF)};
constexpr FieldDef kPiTagFields[] = {SDRS_PI_TAG_FIELDS(SDRS_FIELD_DEF)};
constexpr FieldDef kPiFields[] = {SDRS_PI_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kPiAttachmentFields) == kPiAttachmentFieldCount,
              "SDRS_PI_ATTACHMENT_FIELDS: table and enum differ");
static_assert(std::size(kPiTagFields) == kPiTagFieldCount,
              "SDRS_PI_TAG_FIELDS: table and enum differ");
static_assert(std::size(kPiFields) == kPiFieldCount, "SDRS_PI_FIELDS: table and enum differ");

[[noreturn]] void reject(const std::string &field, const std::string &rule) {
  fail(Code::kValidation, field + ": " + rule);
}

// Characters (code points) of valid UTF-8: the bytes that do not continue a sequence.
size_t code_points(const std::string &s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80 ? 1 : 0;
  return n;
}

// Tag text: valid UTF-8 without control characters (tab included, unlike descriptions).
void validate_tag_text(const char *field, const std::string &text, size_t min, size_t max) {
  if (!is_clean_utf8(text) || text.find('\t') != std::string::npos) {
    reject(field, "must be valid UTF-8 without control characters");
  }
  const size_t n = code_points(text);
  if (n < min || n > max) {
    reject(field, "must be " + std::to_string(min) + ".." + std::to_string(max) +
                      " characters (got " + std::to_string(n) + ")");
  }
}

void validate_optional_text(const char *field, const OptString &value) {
  if (value) validate_required_text(field, *value);
}

void validate_required(const char *field, const OptString &value) {
  if (!value) reject(field, "required");
  validate_required_text(field, *value);
}

}  // namespace

const RecordDef kPiAttachmentRecord = {"protected_instance.attachment", kPiAttachmentFields,
                                       std::size(kPiAttachmentFields)};
const RecordDef kPiTagRecord = {"protected_instance.tags", kPiTagFields, std::size(kPiTagFields)};
const RecordDef kPiRecord = {"protected_instance", kPiFields, std::size(kPiFields)};

bool is_pi_literal_segment(const std::string &id) {
  // Compared without case: a route table that ignores case would still take these.
  static constexpr std::string_view kLiterals[] = {"tags", "batch", "delete", "resource_instances"};
  return std::any_of(std::begin(kLiterals), std::end(kLiterals),
                     [&id](std::string_view literal) { return text::equals_lower(id, literal); });
}

void validate_pi_id(const std::string &field, const std::string &id) {
  validate_path_segment(field, id);
  if (is_pi_literal_segment(id)) {
    reject(field, "must not be '" + id +
                      "' (a literal route segment of /protected-instances: the request would "
                      "reach a different endpoint)");
  }
}

void validate_tag_key(const std::string &key, const char *field) {
  validate_tag_text(field, key, 1, 127);
  // Section 6.1/6.8: not blank (the service trims spaces first).
  if (key.find_first_not_of(' ') == std::string::npos) reject(field, "must not be blank");
}

void validate_tag_value(const std::string &value, const char *field) {
  validate_tag_text(field, value, 0, 255);
}

void validate_device(const std::string &device) {
  const std::string_view d(device);
  const std::string rule =
      "must be /dev/ followed by sd, vd or xvd and one or more of a-z (\"/dev/vdb\")";
  if (d.substr(0, 5) != "/dev/") reject("device", rule);
  std::string_view rest = d.substr(5);
  if (rest.substr(0, 3) == "xvd") {
    rest.remove_prefix(3);
  } else if (rest.substr(0, 2) == "sd" || rest.substr(0, 2) == "vd") {
    rest.remove_prefix(2);
  } else {
    reject("device", rule);
  }
  if (rest.empty()) reject("device", rule);
  for (const char c : rest) {
    if (c < 'a' || c > 'z') reject("device", rule);
  }
}

void validate_spec(const PiSpec &spec) {
  validate_required("server_group_id", spec.server_group_id);
  validate_required("server_id", spec.server_id);
  if (!spec.name) reject("name", "required");
  validate_name("name", *spec.name);
  if (spec.description) validate_description(*spec.description);
  validate_optional_text("primary_subnet_id", spec.primary_subnet_id);
  if (spec.primary_ip_address) {
    validate_ipv4("primary_ip_address", *spec.primary_ip_address);
    if (!spec.primary_subnet_id) {
      reject("primary_ip_address", "only allowed together with primary_subnet_id");
    }
  }
  validate_optional_text("flavorRef", spec.flavor_ref);
  if (spec.tags.size() > kPiMaxTags) {
    reject("tags", "at most " + std::to_string(kPiMaxTags) + " tags (got " +
                       std::to_string(spec.tags.size()) + ")");
  }
  for (size_t i = 0; i < spec.tags.size(); ++i) {
    validate_tag_key(spec.tags[i].key);
    validate_tag_value(spec.tags[i].value);
    for (size_t j = 0; j < i; ++j) {
      if (spec.tags[j].key == spec.tags[i].key) {
        reject("tags[].key", "'" + spec.tags[i].key + "' given twice");
      }
    }
  }
}

void validate_nic_spec(const PiNicSpec &nic) {
  validate_required("subnet_id", nic.subnet_id);
  if (nic.ip_address) validate_ipv4("ip_address", *nic.ip_address);
  for (const auto &sg : nic.security_groups) validate_required_text("security_groups[].id", sg);
}

void validate_resize(const PiResize &r) {
  validate_optional_text("resize.flavorRef", r.flavor_ref);
  validate_optional_text("resize.production_flavorRef", r.production_flavor_ref);
  validate_optional_text("resize.dr_flavorRef", r.dr_flavor_ref);
  if (!r.flavor_ref && !r.production_flavor_ref && !r.dr_flavor_ref) {
    reject("resize", "one of flavorRef, production_flavorRef and dr_flavorRef is required");
  }
  if (r.flavor_ref && (r.production_flavor_ref || r.dr_flavor_ref)) {
    reject("resize.flavorRef",
           "excludes production_flavorRef and dr_flavorRef (the service would ignore them)");
  }
}

std::string list_query_string(const PiListQuery &q) {
  QueryString s;
  s.add_paging(q.limit, q.offset);
  s.add_text("server_group_id", q.server_group_id);
  s.add_ids("server_group_ids", q.server_group_ids);
  s.add_ids("protected_instance_ids", q.instance_ids);
  s.add_status(q.status);
  s.add_text("name", q.name);
  s.add_query_type(q.query_type);
  s.add_text("availability_zone", q.availability_zone);
  return s.take();
}

std::string encode_create(const PiSpec &spec) {
  std::string out = R"({"protected_instance":{)";
  append_string_members(out, {{"server_group_id", &spec.server_group_id},
                              {"server_id", &spec.server_id},
                              {"name", &spec.name},
                              {"description", &spec.description},
                              {"primary_subnet_id", &spec.primary_subnet_id},
                              {"primary_ip_address", &spec.primary_ip_address},
                              {"flavorRef", &spec.flavor_ref}});
  if (!spec.tags.empty()) {
    out += out.back() == '{' ? R"("tags":[)" : R"(,"tags":[)";
    for (size_t i = 0; i < spec.tags.size(); ++i) {
      out += i == 0 ? R"({"key":)" : R"(,{"key":)";
      append_json_string(out, spec.tags[i].key);
      out += R"(,"value":)";
      append_json_string(out, spec.tags[i].value);
      out += '}';
    }
    out += ']';
  }
  return out + "}}";
}

std::string encode_pi_rename(const std::string &name) {
  return R"({"protected_instance":{"name":)" + json_quote(name) + "}}";
}

std::string encode_pi_delete(bool delete_target_server, bool delete_target_eip) {
  return std::string(R"({"delete_target_server":)") + (delete_target_server ? "true" : "false") +
         R"(,"delete_target_eip":)" + (delete_target_eip ? "true" : "false") + "}";
}

std::string encode_pi_attach(const std::string &replication_id, const std::string &device) {
  return R"({"replicationAttachment":{"replication_id":)" + json_quote(replication_id) +
         R"(,"device":)" + json_quote(device) + "}}";
}

std::string encode_nic(const PiNicSpec &nic) {
  std::string out = "{";
  append_string_members(out, {{"subnet_id", &nic.subnet_id}});
  if (!nic.security_groups.empty()) {
    out += out.back() == '{' ? R"("security_groups":[)" : R"(,"security_groups":[)";
    for (size_t i = 0; i < nic.security_groups.size(); ++i) {
      out += i == 0 ? R"({"id":)" : R"(,{"id":)";
      append_json_string(out, nic.security_groups[i]);
      out += '}';
    }
    out += ']';
  }
  append_string_members(out, {{"ip_address", &nic.ip_address}});
  return out + "}";
}

std::string encode_delete_nic(const std::string &nic_id) {
  return R"({"nic_id":)" + json_quote(nic_id) + "}";
}

std::string encode_resize(const PiResize &r) {
  std::string out = R"({"resize":{)";
  append_string_members(out, {{"flavorRef", &r.flavor_ref},
                              {"production_flavorRef", &r.production_flavor_ref},
                              {"dr_flavorRef", &r.dr_flavor_ref}});
  return out + "}}";
}

Instance decode_instance_envelope(const std::string &body) {
  return decode_record_member(body, "protected_instance", kPiRecord);
}

InstanceList decode_instance_list(const std::string &body) {
  InstanceList list;
  list.instances =
      decode_record_array(body, "protected_instances", kPiRecord, &list.count, nullptr);
  return list;
}

}  // namespace sdrs
