// sdrs/drill.h: DR drills: spec builder, create, the drill handle, calls on one drill, listing.
// Arguments are checked here; the rules live in core/resources/drill and client/drill.
#include <string>

#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;
using sdrs::capi::set_checked_filter;
using sdrs::capi::set_limit;
using sdrs::capi::set_offset;
using sdrs::capi::set_spec;
using sdrs::capi::set_text_filter;

namespace {

// In the order of enum sdrs_drill_status.
const char *const kDrillStatusNames[] = {"unknown",  "creating",       "available",
                                         "deleting", "error-deleting", "error"};
constexpr size_t kDrillStatusCount = sizeof(kDrillStatusNames) / sizeof(kDrillStatusNames[0]);
static_assert(kDrillStatusCount == SDRS_DRILL_ERROR + 1, "kDrillStatusNames: one name per value");

const sdrs::Record *server_at(const sdrs_drill *drill, size_t index) {
  if (drill == nullptr) return nullptr;
  const auto &list = drill->drill.children(sdrs::kDrillServers);
  return index < list.size() ? &list[index] : nullptr;
}

}  // namespace

extern "C" {

SDRS_API int sdrs_drill_spec_new(sdrs_drill_spec **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_drill_spec_free(sdrs_drill_spec *spec) {
  delete spec;
}
SDRS_API int sdrs_drill_spec_set_server_group_id(sdrs_drill_spec *spec, const char *group_id,
                                                 sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::DrillSpec &s) {
    const std::string v = need_str(group_id, "server_group_id");
    sdrs::validate_required_text("server_group_id", v);
    s.server_group_id = v;
  });
}
SDRS_API int sdrs_drill_spec_set_name(sdrs_drill_spec *spec, const char *name, sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::DrillSpec &s) {
    const std::string v = need_str(name, "name");
    sdrs::validate_name("name", v);
    s.name = v;
  });
}
SDRS_API int sdrs_drill_spec_set_drill_vpc_id(sdrs_drill_spec *spec, const char *vpc_id,
                                              sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::DrillSpec &s) {
    if (vpc_id == nullptr) {
      s.drill_vpc_id.reset();
      return;
    }
    sdrs::validate_required_text("drill_vpc_id", vpc_id);
    s.drill_vpc_id = std::string(vpc_id);
  });
}

SDRS_API int sdrs_drill_create(char **job_id, sdrs_client *client, const sdrs_drill_spec *spec,
                               const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(job_id, "job_id");
    const sdrs::DrillSpec &s = need(spec, "spec")->spec;
    *job_id = sdrs::capi::dup_string(
        need(client, "client")->impl->create_drill(s, sdrs::capi::call_context(opts)));
  });
}

SDRS_API int sdrs_drill_create_and_wait(sdrs_drill **out, sdrs_client *client,
                                        const sdrs_drill_spec *spec,
                                        const sdrs_wait_opts *wait_opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::DrillSpec &s = need(spec, "spec")->spec;
    sdrs::Client &c = *need(client, "client")->impl;
    *out = new sdrs_drill{c.create_drill_and_wait(s, sdrs::capi::wait_options(wait_opts))};
  });
}

SDRS_API void sdrs_drill_free(sdrs_drill *drill) {
  delete drill;
}

// One line per getter: C name -> field index of the table (core/resources/drill.hpp).
#define SDRS_DRILL_STRING_GETTER(fn, field)                      \
  SDRS_API const char *fn(const sdrs_drill *drill) {             \
    return drill == nullptr ? nullptr : drill->drill.str(field); \
  }
SDRS_DRILL_STRING_GETTER(sdrs_drill_id, sdrs::kDrillId)
SDRS_DRILL_STRING_GETTER(sdrs_drill_name, sdrs::kDrillName)
SDRS_DRILL_STRING_GETTER(sdrs_drill_status_str, sdrs::kDrillStatus)
SDRS_DRILL_STRING_GETTER(sdrs_drill_drill_vpc_id, sdrs::kDrillVpcId)
SDRS_DRILL_STRING_GETTER(sdrs_drill_server_group_id, sdrs::kDrillServerGroupId)
SDRS_DRILL_STRING_GETTER(sdrs_drill_created_at, sdrs::kDrillCreatedAt)
SDRS_DRILL_STRING_GETTER(sdrs_drill_updated_at, sdrs::kDrillUpdatedAt)
#undef SDRS_DRILL_STRING_GETTER

#define SDRS_DRILL_TIME_GETTER(fn, field)                                   \
  SDRS_API int64_t fn(const sdrs_drill *drill) {                            \
    return drill == nullptr ? SDRS_TIME_NONE : drill->drill.time_ms(field); \
  }
SDRS_DRILL_TIME_GETTER(sdrs_drill_created_at_ms, sdrs::kDrillCreatedAt)
SDRS_DRILL_TIME_GETTER(sdrs_drill_updated_at_ms, sdrs::kDrillUpdatedAt)
#undef SDRS_DRILL_TIME_GETTER

// Getters of the drill server at an index: C name -> drill-server field.
#define SDRS_DRILL_SERVER_GETTER(fn, field)                        \
  SDRS_API const char *fn(const sdrs_drill *drill, size_t index) { \
    const sdrs::Record *r = server_at(drill, index);               \
    return r == nullptr ? nullptr : r->str(field);                 \
  }
SDRS_DRILL_SERVER_GETTER(sdrs_drill_server_instance_id, sdrs::kDrillServerInstance)
SDRS_DRILL_SERVER_GETTER(sdrs_drill_server_id, sdrs::kDrillServerId)
#undef SDRS_DRILL_SERVER_GETTER

SDRS_API int32_t sdrs_drill_status(const sdrs_drill *drill) {
  return sdrs::capi::status_code(kDrillStatusNames, kDrillStatusCount,
                                 sdrs_drill_status_str(drill));
}
SDRS_API size_t sdrs_drill_server_count(const sdrs_drill *drill) {
  return drill == nullptr ? 0 : drill->drill.children(sdrs::kDrillServers).size();
}
SDRS_API const char *sdrs_drill_json(const sdrs_drill *drill) {
  return drill == nullptr ? nullptr : drill->drill.json().data();
}
SDRS_API const char *sdrs_drill_status_name(int32_t status) {
  return sdrs::capi::status_name(kDrillStatusNames, kDrillStatusCount, status);
}

SDRS_API int sdrs_drill_get(sdrs_drill **out, sdrs_client *client, const char *drill_id,
                            const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Drill d =
        need(client, "client")
            ->impl->get_drill(need_str(drill_id, "drill_id"), sdrs::capi::call_context(opts));
    *out = new sdrs_drill{std::move(d)};
  });
}

SDRS_API int sdrs_drill_rename(sdrs_drill **out, sdrs_client *client, const char *drill_id,
                               const char *new_name, const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Drill d =
        need(client, "client")
            ->impl->rename_drill(need_str(drill_id, "drill_id"), need_str(new_name, "new_name"),
                                 sdrs::capi::call_context(opts));
    *out = new sdrs_drill{std::move(d)};
  });
}

SDRS_API int sdrs_drill_delete(char **job_id, sdrs_client *client, const char *drill_id,
                               const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(job_id, "job_id");
    const std::string id = need_str(drill_id, "drill_id");
    *job_id = sdrs::capi::dup_string(
        need(client, "client")->impl->delete_drill(id, sdrs::capi::call_context(opts)));
  });
}

SDRS_API int sdrs_drill_list_opts_new(sdrs_drill_list_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_drill_list_opts_free(sdrs_drill_list_opts *opts) {
  delete opts;
}
SDRS_API int sdrs_drill_list_opts_set_limit(sdrs_drill_list_opts *opts, int64_t limit,
                                            sdrs_error **err) {
  return set_limit(opts, limit, err);
}
SDRS_API int sdrs_drill_list_opts_set_offset(sdrs_drill_list_opts *opts, int64_t offset,
                                             sdrs_error **err) {
  return set_offset(opts, offset, err);
}
SDRS_API int sdrs_drill_list_opts_set_server_group_id(sdrs_drill_list_opts *opts,
                                                      const char *group_id, sdrs_error **err) {
  return set_text_filter(opts, &sdrs::DrillListQuery::server_group_id, "server_group_id", group_id,
                         err);
}
SDRS_API int sdrs_drill_list_opts_set_name(sdrs_drill_list_opts *opts, const char *name,
                                           sdrs_error **err) {
  return set_text_filter(opts, &sdrs::DrillListQuery::name, "name", name, err);
}
SDRS_API int sdrs_drill_list_opts_set_status(sdrs_drill_list_opts *opts, const char *status,
                                             sdrs_error **err) {
  return set_checked_filter(opts, &sdrs::DrillListQuery::status, status, err,
                            sdrs::validate_status_filter);
}
SDRS_API int sdrs_drill_list_opts_set_drill_vpc_id(sdrs_drill_list_opts *opts, const char *vpc_id,
                                                   sdrs_error **err) {
  return set_text_filter(opts, &sdrs::DrillListQuery::drill_vpc_id, "drill_vpc_id", vpc_id, err);
}

SDRS_API int sdrs_drill_list_get(sdrs_drill_list **out, sdrs_client *client,
                                 const sdrs_drill_list_opts *opts, const sdrs_call_opts *call_opts,
                                 sdrs_error **err) {
  return sdrs::capi::list_get(out, client, opts, call_opts, err, &sdrs::Client::list_drill,
                              &sdrs::DrillList::drills);
}
SDRS_API void sdrs_drill_list_free(sdrs_drill_list *list) {
  delete list;
}
SDRS_API size_t sdrs_drill_list_size(const sdrs_drill_list *list) {
  return sdrs::capi::list_size(list);
}
SDRS_API const sdrs_drill *sdrs_drill_list_at(const sdrs_drill_list *list, size_t index) {
  return sdrs::capi::list_at(list, index);
}
SDRS_API int64_t sdrs_drill_list_count(const sdrs_drill_list *list) {
  return sdrs::capi::list_count(list);
}

SDRS_API int sdrs_drill_iter_new(sdrs_drill_iter **out, sdrs_client *client,
                                 const sdrs_drill_list_opts *opts, sdrs_error **err) {
  return sdrs::capi::iter_new(out, client, opts, err);
}
SDRS_API void sdrs_drill_iter_free(sdrs_drill_iter *iter) {
  delete iter;
}
SDRS_API int sdrs_drill_iter_next(const sdrs_drill **drill, sdrs_drill_iter *iter,
                                  const sdrs_call_opts *call_opts, sdrs_error **err) {
  return sdrs::capi::iter_next(drill, "drill", iter, call_opts, err);
}

}  // extern "C"
