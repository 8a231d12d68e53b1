// sdrs/pair.h: replication pairs: spec builder, create, the pair handle, calls on one pair,
// listing. Arguments are checked here; the rules live in core/resources/pair and client/pair.
#include <string>

#include "capi/handles.hpp"
#include "core/validate.hpp"

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

// In the order of enum sdrs_pair_status.
const char *const kPairStatusNames[] = {"unknown",
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
                                        "extending",
                                        "error-extending",
                                        "attaching",
                                        "error-attaching",
                                        "detaching",
                                        "error-detaching",
                                        "invalid",
                                        "fault"};
constexpr size_t kPairStatusCount = sizeof(kPairStatusNames) / sizeof(kPairStatusNames[0]);
static_assert(kPairStatusCount == SDRS_PAIR_FAULT + 1, "kPairStatusNames: one name per value");

const sdrs::Record *attachment_at(const sdrs_pair *pair, size_t index) {
  if (pair == nullptr) return nullptr;
  const auto &list = pair->pair.children(sdrs::kPairAttachment);
  return index < list.size() ? &list[index] : nullptr;
}

const sdrs::Record *metadata(const sdrs_pair *pair) {
  return pair == nullptr ? nullptr : pair->pair.child(sdrs::kPairRecordMetadata);
}

const char *volume_id_at(const sdrs_pair *pair, size_t index) {
  if (pair == nullptr) return nullptr;
  const sdrs::TextRange ids = pair->pair.items(sdrs::kPairVolumeIds);
  return index < ids.size() ? ids[index].data() : nullptr;  // NUL-terminated in the store
}

}  // namespace

extern "C" {

SDRS_API int sdrs_pair_spec_new(sdrs_pair_spec **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_pair_spec_free(sdrs_pair_spec *spec) {
  delete spec;
}
SDRS_API int sdrs_pair_spec_set_server_group_id(sdrs_pair_spec *spec, const char *group_id,
                                                sdrs_error **err) {
  return set_required(spec, &sdrs::PairSpec::server_group_id, "server_group_id", group_id, err);
}
SDRS_API int sdrs_pair_spec_set_volume_id(sdrs_pair_spec *spec, const char *volume_id,
                                          sdrs_error **err) {
  return set_required(spec, &sdrs::PairSpec::volume_id, "volume_id", volume_id, err);
}
SDRS_API int sdrs_pair_spec_set_name(sdrs_pair_spec *spec, const char *name, sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PairSpec &s) {
    const std::string v = need_str(name, "name");
    sdrs::validate_name("name", v);
    s.name = v;
  });
}
SDRS_API int sdrs_pair_spec_set_description(sdrs_pair_spec *spec, const char *description,
                                            sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PairSpec &s) {
    if (description == nullptr) {
      s.description.reset();
      return;
    }
    sdrs::validate_description(description);
    s.description = std::string(description);
  });
}
SDRS_API int sdrs_pair_spec_set_cluster_id(sdrs_pair_spec *spec, const char *cluster_id,
                                           sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PairSpec &s) {
    if (cluster_id == nullptr) {
      s.cluster_id.reset();
      return;
    }
    sdrs::validate_required_text("cluster_id", cluster_id);
    s.cluster_id = std::string(cluster_id);
  });
}

SDRS_API int sdrs_pair_create(char **job_id, sdrs_client *client, const sdrs_pair_spec *spec,
                              const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(job_id, "job_id");
    const sdrs::PairSpec &s = need(spec, "spec")->spec;
    *job_id = sdrs::capi::dup_string(
        need(client, "client")->impl->create_pair(s, sdrs::capi::call_context(opts)));
  });
}

SDRS_API int sdrs_pair_create_and_wait(sdrs_pair **out, sdrs_client *client,
                                       const sdrs_pair_spec *spec, const sdrs_wait_opts *wait_opts,
                                       sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::PairSpec &s = need(spec, "spec")->spec;
    sdrs::Client &c = *need(client, "client")->impl;
    *out = new sdrs_pair{c.create_pair_and_wait(s, sdrs::capi::wait_options(wait_opts))};
  });
}

SDRS_API void sdrs_pair_free(sdrs_pair *pair) {
  delete pair;
}

// One line per getter: C name -> field index of the table (core/resources/pair.hpp).
#define SDRS_PAIR_STRING_GETTER(fn, field)                    \
  SDRS_API const char *fn(const sdrs_pair *pair) {            \
    return pair == nullptr ? nullptr : pair->pair.str(field); \
  }
SDRS_PAIR_STRING_GETTER(sdrs_pair_id, sdrs::kPairId)
SDRS_PAIR_STRING_GETTER(sdrs_pair_name, sdrs::kPairName)
SDRS_PAIR_STRING_GETTER(sdrs_pair_description, sdrs::kPairDescription)
SDRS_PAIR_STRING_GETTER(sdrs_pair_server_group_id, sdrs::kPairServerGroupId)
SDRS_PAIR_STRING_GETTER(sdrs_pair_status_str, sdrs::kPairStatus)
SDRS_PAIR_STRING_GETTER(sdrs_pair_replication_model, sdrs::kPairReplicationModel)
SDRS_PAIR_STRING_GETTER(sdrs_pair_replication_status, sdrs::kPairReplicationStatus)
SDRS_PAIR_STRING_GETTER(sdrs_pair_priority_station, sdrs::kPairPriorityStation)
SDRS_PAIR_STRING_GETTER(sdrs_pair_fault_level, sdrs::kPairFaultLevel)
SDRS_PAIR_STRING_GETTER(sdrs_pair_failure_detail, sdrs::kPairFailureDetail)
SDRS_PAIR_STRING_GETTER(sdrs_pair_created_at, sdrs::kPairCreatedAt)
SDRS_PAIR_STRING_GETTER(sdrs_pair_updated_at, sdrs::kPairUpdatedAt)
SDRS_PAIR_STRING_GETTER(sdrs_pair_volume_ids, sdrs::kPairVolumeIds)
#undef SDRS_PAIR_STRING_GETTER

#define SDRS_PAIR_TIME_GETTER(fn, field)                                 \
  SDRS_API int64_t fn(const sdrs_pair *pair) {                           \
    return pair == nullptr ? SDRS_TIME_NONE : pair->pair.time_ms(field); \
  }
SDRS_PAIR_TIME_GETTER(sdrs_pair_created_at_ms, sdrs::kPairCreatedAt)
SDRS_PAIR_TIME_GETTER(sdrs_pair_updated_at_ms, sdrs::kPairUpdatedAt)
#undef SDRS_PAIR_TIME_GETTER

// Getters of the attachment at an index: C name -> attachment field.
#define SDRS_PAIR_ATTACHMENT_GETTER(fn, field)                   \
  SDRS_API const char *fn(const sdrs_pair *pair, size_t index) { \
    const sdrs::Record *r = attachment_at(pair, index);          \
    return r == nullptr ? nullptr : r->str(field);               \
  }
SDRS_PAIR_ATTACHMENT_GETTER(sdrs_pair_attachment_instance_id, sdrs::kPairAttachmentInstance)
SDRS_PAIR_ATTACHMENT_GETTER(sdrs_pair_attachment_device, sdrs::kPairAttachmentDevice)
#undef SDRS_PAIR_ATTACHMENT_GETTER

// Getters of record_metadata: absent when the pair has none.
SDRS_API int64_t sdrs_pair_volume_size_gb(const sdrs_pair *pair) {
  const sdrs::Record *m = metadata(pair);
  return m == nullptr ? -1 : m->integer(sdrs::kPairMetaVolumeSize);
}
SDRS_API const char *sdrs_pair_volume_type(const sdrs_pair *pair) {
  const sdrs::Record *m = metadata(pair);
  return m == nullptr ? nullptr : m->str(sdrs::kPairMetaVolumeType);
}
SDRS_API int sdrs_pair_multiattach(const sdrs_pair *pair) {
  const sdrs::Record *m = metadata(pair);
  return m == nullptr ? -1 : m->boolean(sdrs::kPairMetaMultiattach);
}
SDRS_API int sdrs_pair_bootable(const sdrs_pair *pair) {
  const sdrs::Record *m = metadata(pair);
  return m == nullptr ? -1 : m->boolean(sdrs::kPairMetaBootable);
}

SDRS_API int32_t sdrs_pair_status(const sdrs_pair *pair) {
  return sdrs::capi::status_code(kPairStatusNames, kPairStatusCount, sdrs_pair_status_str(pair));
}
SDRS_API int64_t sdrs_pair_progress(const sdrs_pair *pair) {
  return pair == nullptr ? -1 : pair->pair.integer(sdrs::kPairProgress);
}
SDRS_API size_t sdrs_pair_volume_id_count(const sdrs_pair *pair) {
  return pair == nullptr ? 0 : pair->pair.items(sdrs::kPairVolumeIds).size();
}
SDRS_API const char *sdrs_pair_volume_id(const sdrs_pair *pair, size_t index) {
  return volume_id_at(pair, index);
}
SDRS_API const char *sdrs_pair_production_volume_id(const sdrs_pair *pair) {
  return volume_id_at(pair, 0);
}
SDRS_API const char *sdrs_pair_dr_volume_id(const sdrs_pair *pair) {
  return volume_id_at(pair, 1);
}
SDRS_API size_t sdrs_pair_attachment_count(const sdrs_pair *pair) {
  return pair == nullptr ? 0 : pair->pair.children(sdrs::kPairAttachment).size();
}
SDRS_API const char *sdrs_pair_json(const sdrs_pair *pair) {
  return pair == nullptr ? nullptr : pair->pair.json().data();
}
SDRS_API const char *sdrs_pair_status_name(int32_t status) {
  return sdrs::capi::status_name(kPairStatusNames, kPairStatusCount, status);
}

SDRS_API int sdrs_pair_get(sdrs_pair **out, sdrs_client *client, const char *replication_id,
                           const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Pair p = need(client, "client")
                       ->impl->get_pair(need_str(replication_id, "replication_id"),
                                        sdrs::capi::call_context(opts));
    *out = new sdrs_pair{std::move(p)};
  });
}

SDRS_API int sdrs_pair_rename(sdrs_pair **out, sdrs_client *client, const char *replication_id,
                              const char *new_name, const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Pair p =
        need(client, "client")
            ->impl->rename_pair(need_str(replication_id, "replication_id"),
                                need_str(new_name, "new_name"), sdrs::capi::call_context(opts));
    *out = new sdrs_pair{std::move(p)};
  });
}

SDRS_API int sdrs_pair_delete(char **job_id, sdrs_client *client, const char *replication_id,
                              const char *server_group_id, int delete_target_volume,
                              const sdrs_call_opts *opts, sdrs_error **err) {
  return job_call(
      job_id, client, replication_id, "replication_id", err,
      [&](sdrs::Client &c, const std::string &id) {
        const sdrs::OptString group =
            server_group_id == nullptr ? sdrs::OptString() : sdrs::OptString(server_group_id);
        return c.delete_pair(id, group, delete_target_volume != 0, sdrs::capi::call_context(opts));
      });
}

SDRS_API int sdrs_pair_expand(char **job_id, sdrs_client *client, const char *replication_id,
                              int64_t new_size_gb, const sdrs_call_opts *opts, sdrs_error **err) {
  return job_call(job_id, client, replication_id, "replication_id", err,
                  [&](sdrs::Client &c, const std::string &id) {
                    return c.expand_pair(id, new_size_gb, sdrs::capi::call_context(opts));
                  });
}

SDRS_API int sdrs_pair_list_opts_new(sdrs_pair_list_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_pair_list_opts_free(sdrs_pair_list_opts *opts) {
  delete opts;
}
SDRS_API int sdrs_pair_list_opts_set_limit(sdrs_pair_list_opts *opts, int64_t limit,
                                           sdrs_error **err) {
  return set_limit(opts, limit, err);
}
SDRS_API int sdrs_pair_list_opts_set_offset(sdrs_pair_list_opts *opts, int64_t offset,
                                            sdrs_error **err) {
  return set_offset(opts, offset, err);
}
SDRS_API int sdrs_pair_list_opts_set_server_group_id(sdrs_pair_list_opts *opts,
                                                     const char *group_id, sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PairListQuery::server_group_id, "server_group_id", group_id,
                         err);
}
SDRS_API int sdrs_pair_list_opts_add_server_group_id(sdrs_pair_list_opts *opts,
                                                     const char *group_id, sdrs_error **err) {
  return add_list_id(opts, &sdrs::PairListQuery::server_group_ids, "server_group_ids", group_id,
                     err);
}
SDRS_API int sdrs_pair_list_opts_set_instance_id(sdrs_pair_list_opts *opts, const char *instance_id,
                                                 sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PairListQuery::instance_id, "protected_instance_id",
                         instance_id, err);
}
SDRS_API int sdrs_pair_list_opts_add_instance_id(sdrs_pair_list_opts *opts, const char *instance_id,
                                                 sdrs_error **err) {
  return add_list_id(opts, &sdrs::PairListQuery::instance_ids, "protected_instance_ids",
                     instance_id, err);
}
SDRS_API int sdrs_pair_list_opts_set_name(sdrs_pair_list_opts *opts, const char *name,
                                          sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PairListQuery::name, "name", name, err);
}
SDRS_API int sdrs_pair_list_opts_set_status(sdrs_pair_list_opts *opts, const char *status,
                                            sdrs_error **err) {
  return set_checked_filter(opts, &sdrs::PairListQuery::status, status, err,
                            sdrs::validate_status_filter);
}
SDRS_API int sdrs_pair_list_opts_set_query_type(sdrs_pair_list_opts *opts, const char *query_type,
                                                sdrs_error **err) {
  return set_checked_filter(opts, &sdrs::PairListQuery::query_type, query_type, err,
                            sdrs::validate_query_type);
}
SDRS_API int sdrs_pair_list_opts_set_availability_zone(sdrs_pair_list_opts *opts, const char *az,
                                                       sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PairListQuery::availability_zone, "availability_zone", az,
                         err);
}
SDRS_API int sdrs_pair_list_opts_set_volume_id(sdrs_pair_list_opts *opts, const char *volume_id,
                                               sdrs_error **err) {
  return set_text_filter(opts, &sdrs::PairListQuery::volume_id, "volume_id", volume_id, err);
}

SDRS_API int sdrs_pair_list_get(sdrs_pair_list **out, sdrs_client *client,
                                const sdrs_pair_list_opts *opts, const sdrs_call_opts *call_opts,
                                sdrs_error **err) {
  return sdrs::capi::list_get(out, client, opts, call_opts, err, &sdrs::Client::list_pair,
                              &sdrs::PairList::pairs);
}
SDRS_API void sdrs_pair_list_free(sdrs_pair_list *list) {
  delete list;
}
SDRS_API size_t sdrs_pair_list_size(const sdrs_pair_list *list) {
  return sdrs::capi::list_size(list);
}
SDRS_API const sdrs_pair *sdrs_pair_list_at(const sdrs_pair_list *list, size_t index) {
  return sdrs::capi::list_at(list, index);
}
SDRS_API int64_t sdrs_pair_list_count(const sdrs_pair_list *list) {
  return sdrs::capi::list_count(list);
}

SDRS_API int sdrs_pair_iter_new(sdrs_pair_iter **out, sdrs_client *client,
                                const sdrs_pair_list_opts *opts, sdrs_error **err) {
  return sdrs::capi::iter_new(out, client, opts, err);
}
SDRS_API void sdrs_pair_iter_free(sdrs_pair_iter *iter) {
  delete iter;
}
SDRS_API int sdrs_pair_iter_next(const sdrs_pair **pair, sdrs_pair_iter *iter,
                                 const sdrs_call_opts *call_opts, sdrs_error **err) {
  return sdrs::capi::iter_next(pair, "pair", iter, call_opts, err);
}

}  // extern "C"
