// sdrs/pi.h: protected instances: spec and NIC builders, create, the instance handle, calls on
// one instance, listing. Arguments are checked here; the rules live in core/resources/pi and
// client/pi.
#include <string>

#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::Code;
using sdrs::fail;
using sdrs::capi::add_list_id;
using sdrs::capi::guarded;
using sdrs::capi::job_call;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;
using sdrs::capi::set_checked_filter;
using sdrs::capi::set_limit;
using sdrs::capi::set_offset;
using sdrs::capi::set_required;
using sdrs::capi::set_spec;
using sdrs::capi::set_text_filter;

namespace {

// In the order of enum sdrs_pi_status.
const char *const kPiStatusNames[] = {"unknown",
                                      "creating",
                                      "available",
                                      "protected",
                                      "deleting",
                                      "error-deleting",
                                      "error",
                                      "starting",
                                      "error-starting",
                                      "reprotecting",
                                      "error-reprotecting",
                                      "stopping",
                                      "error-stopping",
                                      "reversing",
                                      "error-reversing",
                                      "failing-over",
                                      "failed-over",
                                      "error-failing-over",
                                      "nic-creating",
                                      "nic-deleting",
                                      "resizing",
                                      "error-resizing",
                                      "invalid",
                                      "fault"};
constexpr size_t kPiStatusCount = sizeof(kPiStatusNames) / sizeof(kPiStatusNames[0]);
static_assert(kPiStatusCount == SDRS_PI_FAULT + 1, "kPiStatusNames: one name per enum value");

// An optional text field: NULL clears.
int set_optional(sdrs_pi_spec *spec, sdrs::OptString sdrs::PiSpec::*field, const char *name,
                 const char *value, sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PiSpec &s) {
    if (value == nullptr) {
      (s.*field).reset();
      return;
    }
    sdrs::validate_required_text(name, value);
    s.*field = std::string(value);
  });
}

const sdrs::Record *attachment_at(const sdrs_pi *pi, size_t index) {
  if (pi == nullptr) return nullptr;
  const auto &list = pi->instance.children(sdrs::kPiAttachment);
  return index < list.size() ? &list[index] : nullptr;
}

const sdrs::Record *tag_at(const sdrs_pi *pi, size_t index) {
  if (pi == nullptr) return nullptr;
  const auto &list = pi->instance.children(sdrs::kPiTags);
  return index < list.size() ? &list[index] : nullptr;
}

// The metadata entry at index (texts NUL-terminated in the store); false when there is none.
bool metadata_at(const sdrs_pi *pi, size_t index, sdrs::MapEntry *entry) {
  if (pi == nullptr) return false;
  const sdrs::MapRange map = pi->instance.map(sdrs::kPiMetadata);
  if (index >= map.size()) return false;
  *entry = map[index];
  return true;
}

}  // namespace

extern "C" {

SDRS_API int sdrs_pi_spec_new(sdrs_pi_spec **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_pi_spec_free(sdrs_pi_spec *spec) {
  delete spec;
}
SDRS_API int sdrs_pi_spec_set_server_group_id(sdrs_pi_spec *spec, const char *group_id,
                                              sdrs_error **err) {
  return set_required(spec, &sdrs::PiSpec::server_group_id, "server_group_id", group_id, err);
}
SDRS_API int sdrs_pi_spec_set_server_id(sdrs_pi_spec *spec, const char *server_id,
                                        sdrs_error **err) {
  return set_required(spec, &sdrs::PiSpec::server_id, "server_id", server_id, err);
}
SDRS_API int sdrs_pi_spec_set_name(sdrs_pi_spec *spec, const char *name, sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PiSpec &s) {
    const std::string v = need_str(name, "name");
    sdrs::validate_name("name", v);
    s.name = v;
  });
}
SDRS_API int sdrs_pi_spec_set_description(sdrs_pi_spec *spec, const char *description,
                                          sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PiSpec &s) {
    if (description == nullptr) {
      s.description.reset();
      return;
    }
    sdrs::validate_description(description);
    s.description = std::string(description);
  });
}
SDRS_API int sdrs_pi_spec_set_primary_subnet_id(sdrs_pi_spec *spec, const char *subnet_id,
                                                sdrs_error **err) {
  return set_optional(spec, &sdrs::PiSpec::primary_subnet_id, "primary_subnet_id", subnet_id, err);
}
SDRS_API int sdrs_pi_spec_set_primary_ip_address(sdrs_pi_spec *spec, const char *ip,
                                                 sdrs_error **err) {
  // The subnet may be set after the address: the pairing is checked by create.
  return set_spec(spec, err, [&](sdrs::PiSpec &s) {
    if (ip == nullptr) {
      s.primary_ip_address.reset();
      return;
    }
    sdrs::validate_ipv4("primary_ip_address", ip);
    s.primary_ip_address = std::string(ip);
  });
}
SDRS_API int sdrs_pi_spec_set_flavor_ref(sdrs_pi_spec *spec, const char *flavor_ref,
                                         sdrs_error **err) {
  return set_optional(spec, &sdrs::PiSpec::flavor_ref, "flavorRef", flavor_ref, err);
}
SDRS_API int sdrs_pi_spec_add_tag(sdrs_pi_spec *spec, const char *key, const char *value,
                                  sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PiSpec &s) {
    sdrs::PiTag tag{need_str(key, "key"), need_str(value, "value")};
    sdrs::validate_tag_key(tag.key);
    sdrs::validate_tag_value(tag.value);
    for (const auto &t : s.tags) {
      if (t.key == tag.key) fail(Code::kValidation, "tags[].key: '" + tag.key + "' given twice");
    }
    if (s.tags.size() >= sdrs::kPiMaxTags) {
      fail(Code::kValidation, "tags: at most " + std::to_string(sdrs::kPiMaxTags) + " tags");
    }
    s.tags.push_back(std::move(tag));
  });
}
SDRS_API int sdrs_pi_spec_clear_tags(sdrs_pi_spec *spec, sdrs_error **err) {
  return set_spec(spec, err, [](sdrs::PiSpec &s) { s.tags.clear(); });
}

SDRS_API int sdrs_pi_create(char **job_id, sdrs_client *client, const sdrs_pi_spec *spec,
                            const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(job_id, "job_id");
    const sdrs::PiSpec &s = need(spec, "spec")->spec;
    *job_id = sdrs::capi::dup_string(
        need(client, "client")->impl->create_pi(s, sdrs::capi::call_context(opts)));
  });
}

SDRS_API int sdrs_pi_create_and_wait(sdrs_pi **out, sdrs_client *client, const sdrs_pi_spec *spec,
                                     const sdrs_wait_opts *wait_opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::PiSpec &s = need(spec, "spec")->spec;
    sdrs::Client &c = *need(client, "client")->impl;
    *out = new sdrs_pi{c.create_pi_and_wait(s, sdrs::capi::wait_options(wait_opts))};
  });
}

SDRS_API void sdrs_pi_free(sdrs_pi *pi) {
  delete pi;
}

// One line per getter: C name -> field index of the table (core/resources/pi.hpp).
#define SDRS_PI_STRING_GETTER(fn, field)                      \
  SDRS_API const char *fn(const sdrs_pi *pi) {                \
    return pi == nullptr ? nullptr : pi->instance.str(field); \
  }
SDRS_PI_STRING_GETTER(sdrs_pi_id, sdrs::kPiId)
SDRS_PI_STRING_GETTER(sdrs_pi_name, sdrs::kPiName)
SDRS_PI_STRING_GETTER(sdrs_pi_description, sdrs::kPiDescription)
SDRS_PI_STRING_GETTER(sdrs_pi_server_group_id, sdrs::kPiServerGroupId)
SDRS_PI_STRING_GETTER(sdrs_pi_status_str, sdrs::kPiStatus)
SDRS_PI_STRING_GETTER(sdrs_pi_source_server, sdrs::kPiSourceServer)
SDRS_PI_STRING_GETTER(sdrs_pi_target_server, sdrs::kPiTargetServer)
SDRS_PI_STRING_GETTER(sdrs_pi_priority_station, sdrs::kPiPriorityStation)
SDRS_PI_STRING_GETTER(sdrs_pi_created_at, sdrs::kPiCreatedAt)
SDRS_PI_STRING_GETTER(sdrs_pi_updated_at, sdrs::kPiUpdatedAt)
#undef SDRS_PI_STRING_GETTER

#define SDRS_PI_TIME_GETTER(fn, field)                                   \
  SDRS_API int64_t fn(const sdrs_pi *pi) {                               \
    return pi == nullptr ? SDRS_TIME_NONE : pi->instance.time_ms(field); \
  }
SDRS_PI_TIME_GETTER(sdrs_pi_created_at_ms, sdrs::kPiCreatedAt)
SDRS_PI_TIME_GETTER(sdrs_pi_updated_at_ms, sdrs::kPiUpdatedAt)
#undef SDRS_PI_TIME_GETTER

// Getters of the attachment and tag at an index: C name -> (child list, child field).
#define SDRS_PI_CHILD_GETTER(fn, at, field)                  \
  SDRS_API const char *fn(const sdrs_pi *pi, size_t index) { \
    const sdrs::Record *r = at(pi, index);                   \
    return r == nullptr ? nullptr : r->str(field);           \
  }
SDRS_PI_CHILD_GETTER(sdrs_pi_attachment_replication_id, attachment_at,
                     sdrs::kPiAttachmentReplication)
SDRS_PI_CHILD_GETTER(sdrs_pi_attachment_device, attachment_at, sdrs::kPiAttachmentDevice)
SDRS_PI_CHILD_GETTER(sdrs_pi_tag_key, tag_at, sdrs::kPiTagKey)
SDRS_PI_CHILD_GETTER(sdrs_pi_tag_value, tag_at, sdrs::kPiTagValue)
#undef SDRS_PI_CHILD_GETTER

SDRS_API int32_t sdrs_pi_status(const sdrs_pi *pi) {
  return sdrs::capi::status_code(kPiStatusNames, kPiStatusCount, sdrs_pi_status_str(pi));
}
SDRS_API int64_t sdrs_pi_progress(const sdrs_pi *pi) {
  return pi == nullptr ? -1 : pi->instance.integer(sdrs::kPiProgress);
}
SDRS_API size_t sdrs_pi_attachment_count(const sdrs_pi *pi) {
  return pi == nullptr ? 0 : pi->instance.children(sdrs::kPiAttachment).size();
}
SDRS_API size_t sdrs_pi_tag_count(const sdrs_pi *pi) {
  return pi == nullptr ? 0 : pi->instance.children(sdrs::kPiTags).size();
}
SDRS_API size_t sdrs_pi_metadata_count(const sdrs_pi *pi) {
  return pi == nullptr ? 0 : pi->instance.map(sdrs::kPiMetadata).size();
}
SDRS_API const char *sdrs_pi_metadata_key(const sdrs_pi *pi, size_t index) {
  sdrs::MapEntry entry;
  return metadata_at(pi, index, &entry) ? entry.key.data() : nullptr;
}
SDRS_API const char *sdrs_pi_metadata_value(const sdrs_pi *pi, size_t index) {
  sdrs::MapEntry entry;
  return metadata_at(pi, index, &entry) ? entry.value.data() : nullptr;
}
SDRS_API const char *sdrs_pi_metadata_get(const sdrs_pi *pi, const char *key) {
  if (pi == nullptr || key == nullptr) return nullptr;
  return pi->instance.map_value(sdrs::kPiMetadata, key);
}
SDRS_API int sdrs_pi_frozen(const sdrs_pi *pi) {
  const char *frozen = sdrs_pi_metadata_get(pi, sdrs::kPiFrozenKey);
  return frozen != nullptr && std::string(frozen) == "true" ? 1 : 0;
}
SDRS_API const char *sdrs_pi_json(const sdrs_pi *pi) {
  return pi == nullptr ? nullptr : pi->instance.json().data();
}
SDRS_API const char *sdrs_pi_status_name(int32_t status) {
  return sdrs::capi::status_name(kPiStatusNames, kPiStatusCount, status);
}

SDRS_API int sdrs_pi_get(sdrs_pi **out, sdrs_client *client, const char *instance_id,
                         const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Instance i =
        need(client, "client")
            ->impl->get_pi(need_str(instance_id, "instance_id"), sdrs::capi::call_context(opts));
    *out = new sdrs_pi{std::move(i)};
  });
}

SDRS_API int sdrs_pi_rename(sdrs_pi **out, sdrs_client *client, const char *instance_id,
                            const char *new_name, const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Instance i =
        need(client, "client")
            ->impl->rename_pi(need_str(instance_id, "instance_id"), need_str(new_name, "new_name"),
                              sdrs::capi::call_context(opts));
    *out = new sdrs_pi{std::move(i)};
  });
}

SDRS_API int sdrs_pi_delete(char **job_id, sdrs_client *client, const char *instance_id,
                            int delete_target_server, int delete_target_eip,
                            const sdrs_call_opts *opts, sdrs_error **err) {
  return job_call(job_id, client, instance_id, "instance_id", err,
                  [&](sdrs::Client &c, const std::string &id) {
                    return c.delete_pi(id, delete_target_server != 0, delete_target_eip != 0,
                                       sdrs::capi::call_context(opts));
                  });
}

SDRS_API int sdrs_pi_attach(char **job_id, sdrs_client *client, const char *instance_id,
                            const char *replication_id, const char *device,
                            const sdrs_call_opts *opts, sdrs_error **err) {
  return job_call(job_id, client, instance_id, "instance_id", err,
                  [&](sdrs::Client &c, const std::string &id) {
                    return c.attach_pi(id, need_str(replication_id, "replication_id"),
                                       need_str(device, "device"), sdrs::capi::call_context(opts));
                  });
}

SDRS_API int sdrs_pi_detach(char **job_id, sdrs_client *client, const char *instance_id,
                            const char *replication_id, const sdrs_call_opts *opts,
                            sdrs_error **err) {
  return job_call(job_id, client, instance_id, "instance_id", err,
                  [&](sdrs::Client &c, const std::string &id) {
                    return c.detach_pi(id, need_str(replication_id, "replication_id"),
                                       sdrs::capi::call_context(opts));
                  });
}

SDRS_API int sdrs_pi_nic_spec_new(sdrs_pi_nic_spec **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_pi_nic_spec_free(sdrs_pi_nic_spec *nic) {
  delete nic;
}
SDRS_API int sdrs_pi_nic_spec_set_subnet_id(sdrs_pi_nic_spec *nic, const char *subnet_id,
                                            sdrs_error **err) {
  return guarded(err, [&] {
    sdrs::PiNicSpec &n = need(nic, "nic")->nic;
    const std::string v = need_str(subnet_id, "subnet_id");
    sdrs::validate_required_text("subnet_id", v);
    n.subnet_id = v;
  });
}
SDRS_API int sdrs_pi_nic_spec_set_ip_address(sdrs_pi_nic_spec *nic, const char *ip,
                                             sdrs_error **err) {
  return guarded(err, [&] {
    sdrs::PiNicSpec &n = need(nic, "nic")->nic;
    if (ip == nullptr) {
      n.ip_address.reset();
      return;
    }
    sdrs::validate_ipv4("ip_address", ip);
    n.ip_address = std::string(ip);
  });
}
SDRS_API int sdrs_pi_nic_spec_add_security_group(sdrs_pi_nic_spec *nic, const char *sg_id,
                                                 sdrs_error **err) {
  return guarded(err, [&] {
    sdrs::PiNicSpec &n = need(nic, "nic")->nic;
    const std::string v = need_str(sg_id, "sg_id");
    sdrs::validate_required_text("security_groups[].id", v);
    n.security_groups.push_back(v);
  });
}
SDRS_API int sdrs_pi_add_nic(char **job_id, sdrs_client *client, const char *instance_id,
                             const sdrs_pi_nic_spec *nic, const sdrs_call_opts *opts,
                             sdrs_error **err) {
  return job_call(job_id, client, instance_id, "instance_id", err,
                  [&](sdrs::Client &c, const std::string &id) {
                    return c.add_nic_pi(id, need(nic, "nic")->nic, sdrs::capi::call_context(opts));
                  });
}
SDRS_API int sdrs_pi_delete_nic(char **job_id, sdrs_client *client, const char *instance_id,
                                const char *nic_id, const sdrs_call_opts *opts, sdrs_error **err) {
  return job_call(
      job_id, client, instance_id, "instance_id", err, [&](sdrs::Client &c, const std::string &id) {
        return c.delete_nic_pi(id, need_str(nic_id, "nic_id"), sdrs::capi::call_context(opts));
      });
}
SDRS_API int sdrs_pi_resize(char **job_id, sdrs_client *client, const char *instance_id,
                            const char *flavor_ref, const char *production_flavor_ref,
                            const char *dr_flavor_ref, const sdrs_call_opts *opts,
                            sdrs_error **err) {
  return job_call(job_id, client, instance_id, "instance_id", err,
                  [&](sdrs::Client &c, const std::string &id) {
                    auto opt = [](const char *s) {
                      return s == nullptr ? sdrs::OptString() : sdrs::OptString(s);
                    };
                    const sdrs::PiResize resize{opt(flavor_ref), opt(production_flavor_ref),
                                                opt(dr_flavor_ref)};
                    return c.resize_pi(id, resize, sdrs::capi::call_context(opts));
                  });
}

SDRS_API int sdrs_pi_list_opts_new(sdrs_pi_list_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_pi_list_opts_free(sdrs_pi_list_opts *opts) {
  delete opts;
}
SDRS_API int sdrs_pi_list_opts_set_limit(sdrs_pi_list_opts *opts, int64_t limit, sdrs_error **err) {
  return set_limit(opts, limit, err);
}
SDRS_API int sdrs_pi_list_opts_set_offset(sdrs_pi_list_opts *opts, int64_t offset,
                                          sdrs_error **err) {
  return set_offset(opts, offset, err);
}
SDRS_API int sdrs_pi_list_opts_set_server_group_id(sdrs_pi_list_opts *opts, const char *group_id,
                                                   sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PiListQuery::server_group_id, "server_group_id", group_id,
                         err);
}
SDRS_API int sdrs_pi_list_opts_add_server_group_id(sdrs_pi_list_opts *opts, const char *group_id,
                                                   sdrs_error **err) {
  return add_list_id(opts, &sdrs::PiListQuery::server_group_ids, "server_group_ids", group_id, err);
}
SDRS_API int sdrs_pi_list_opts_add_instance_id(sdrs_pi_list_opts *opts, const char *instance_id,
                                               sdrs_error **err) {
  return add_list_id(opts, &sdrs::PiListQuery::instance_ids, "protected_instance_ids", instance_id,
                     err);
}
SDRS_API int sdrs_pi_list_opts_set_status(sdrs_pi_list_opts *opts, const char *status,
                                          sdrs_error **err) {
  return set_checked_filter(opts, &sdrs::PiListQuery::status, status, err,
                            sdrs::validate_status_filter);
}
SDRS_API int sdrs_pi_list_opts_set_name(sdrs_pi_list_opts *opts, const char *name,
                                        sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PiListQuery::name, "name", name, err);
}
SDRS_API int sdrs_pi_list_opts_set_query_type(sdrs_pi_list_opts *opts, const char *query_type,
                                              sdrs_error **err) {
  return set_checked_filter(opts, &sdrs::PiListQuery::query_type, query_type, err,
                            sdrs::validate_query_type);
}
SDRS_API int sdrs_pi_list_opts_set_availability_zone(sdrs_pi_list_opts *opts, const char *az,
                                                     sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PiListQuery::availability_zone, "availability_zone", az, err);
}

SDRS_API int sdrs_pi_list_get(sdrs_pi_list **out, sdrs_client *client,
                              const sdrs_pi_list_opts *opts, const sdrs_call_opts *call_opts,
                              sdrs_error **err) {
  return sdrs::capi::list_get(out, client, opts, call_opts, err, &sdrs::Client::list_pi,
                              &sdrs::InstanceList::instances);
}
SDRS_API void sdrs_pi_list_free(sdrs_pi_list *list) {
  delete list;
}
SDRS_API size_t sdrs_pi_list_size(const sdrs_pi_list *list) {
  return sdrs::capi::list_size(list);
}
SDRS_API const sdrs_pi *sdrs_pi_list_at(const sdrs_pi_list *list, size_t index) {
  return sdrs::capi::list_at(list, index);
}
SDRS_API int64_t sdrs_pi_list_count(const sdrs_pi_list *list) {
  return sdrs::capi::list_count(list);
}

SDRS_API int sdrs_pi_iter_new(sdrs_pi_iter **out, sdrs_client *client,
                              const sdrs_pi_list_opts *opts, sdrs_error **err) {
  return sdrs::capi::iter_new(out, client, opts, err);
}
SDRS_API void sdrs_pi_iter_free(sdrs_pi_iter *iter) {
  delete iter;
}
SDRS_API int sdrs_pi_iter_next(const sdrs_pi **pi, sdrs_pi_iter *iter,
                               const sdrs_call_opts *call_opts, sdrs_error **err) {
  return sdrs::capi::iter_next(pi, "pi", iter, call_opts, err);
}

}  // extern "C"
