// sdrs/pg.h: protection groups: spec builder, create, the group handle, calls on one group,
// listing. Arguments are checked here; the rules live in core/resources/pg and client/pg.

#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::capi::guarded;
using sdrs::capi::job_call;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;
using sdrs::capi::set_filter;
using sdrs::capi::set_limit;
using sdrs::capi::set_offset;
using sdrs::capi::set_required;
using sdrs::capi::set_spec;
using sdrs::capi::set_text_filter;

namespace {

const char *const kPgStatusNames[] = {"unknown",        "creating",           "available",
                                      "protected",      "deleting",           "error-deleting",
                                      "error",          "starting",           "error-starting",
                                      "reprotecting",   "error-reprotecting", "stopping",
                                      "error-stopping", "reversing",          "error-reversing",
                                      "failing-over",   "failed-over",        "error-failing-over"};
constexpr size_t kPgStatusCount = sizeof(kPgStatusNames) / sizeof(kPgStatusNames[0]);

int set_choice(sdrs_pg_spec *spec, sdrs::OptString sdrs::PgSpec::*field, const char *name,
               const char *value, const char *only, sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PgSpec &s) {
    if (value == nullptr) {
      (s.*field).reset();
      return;
    }
    const char *const allowed[] = {only, nullptr};
    sdrs::validate_one_of(name, value, allowed);
    s.*field = std::string(value);
  });
}

int action_call(char **job_id, sdrs_client *client, const char *group_id, sdrs::PgAction action,
                const std::string &station, const sdrs_call_opts *opts, sdrs_error **err) {
  return job_call(job_id, client, group_id, "group_id", err,
                  [&](sdrs::Client &c, const std::string &gid) {
                    return c.act_pg(gid, action, station, sdrs::capi::call_context(opts));
                  });
}

}  // namespace

extern "C" {

SDRS_API int sdrs_pg_spec_new(sdrs_pg_spec **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_pg_spec_free(sdrs_pg_spec *spec) {
  delete spec;
}

SDRS_API int sdrs_pg_spec_set_name(sdrs_pg_spec *spec, const char *name, sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PgSpec &s) {
    const std::string v = need_str(name, "name");
    sdrs::validate_name("name", v);
    s.name = v;
  });
}
SDRS_API int sdrs_pg_spec_set_description(sdrs_pg_spec *spec, const char *description,
                                          sdrs_error **err) {
  return set_spec(spec, err, [&](sdrs::PgSpec &s) {
    if (description == nullptr) {
      s.description.reset();
      return;
    }
    sdrs::validate_description(description);
    s.description = std::string(description);
  });
}
SDRS_API int sdrs_pg_spec_set_source_az(sdrs_pg_spec *spec, const char *az, sdrs_error **err) {
  return set_required(spec, &sdrs::PgSpec::source_az, "source_availability_zone", az, err);
}
SDRS_API int sdrs_pg_spec_set_target_az(sdrs_pg_spec *spec, const char *az, sdrs_error **err) {
  return set_required(spec, &sdrs::PgSpec::target_az, "target_availability_zone", az, err);
}
SDRS_API int sdrs_pg_spec_set_domain_id(sdrs_pg_spec *spec, const char *domain_id,
                                        sdrs_error **err) {
  return set_required(spec, &sdrs::PgSpec::domain_id, "domain_id", domain_id, err);
}
SDRS_API int sdrs_pg_spec_set_source_vpc_id(sdrs_pg_spec *spec, const char *vpc_id,
                                            sdrs_error **err) {
  return set_required(spec, &sdrs::PgSpec::source_vpc_id, "source_vpc_id", vpc_id, err);
}
SDRS_API int sdrs_pg_spec_set_dr_type(sdrs_pg_spec *spec, const char *dr_type, sdrs_error **err) {
  return set_choice(spec, &sdrs::PgSpec::dr_type, "dr_type", dr_type, "migration", err);
}
SDRS_API int sdrs_pg_spec_set_server_type(sdrs_pg_spec *spec, const char *server_type,
                                          sdrs_error **err) {
  return set_choice(spec, &sdrs::PgSpec::server_type, "server_type", server_type, "ECS", err);
}

SDRS_API int sdrs_pg_create(char **job_id, sdrs_client *client, const sdrs_pg_spec *spec,
                            const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(job_id, "job_id");
    // The spec's setters checked each field (sdrs_pg_spec_set_*): only the whole is checked.
    const sdrs::PgSpec &s = need(spec, "spec")->spec;
    *job_id = sdrs::capi::dup_string(
        need(client, "client")
            ->impl->create_pg_from_checked_fields(s, sdrs::capi::call_context(opts)));
  });
}

SDRS_API int sdrs_pg_create_and_wait(sdrs_pg **out, sdrs_client *client, const sdrs_pg_spec *spec,
                                     const sdrs_wait_opts *wait_opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::PgSpec &s = need(spec, "spec")->spec;
    sdrs::Client &c = *need(client, "client")->impl;
    *out = new sdrs_pg{c.create_pg_and_wait(s, sdrs::capi::wait_options(wait_opts))};
  });
}

SDRS_API int sdrs_pg_find_created(sdrs_pg **out, sdrs_client *client, const sdrs_pg_spec *spec,
                                  int64_t since_ms, const sdrs_call_opts *opts, sdrs_error **err) {
  if (out != nullptr) *out = nullptr;
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::PgSpec &s = need(spec, "spec")->spec;
    sdrs::Client &c = *need(client, "client")->impl;
    *out = new sdrs_pg{c.find_created_pg(s, since_ms, sdrs::capi::call_context(opts))};
  });
}

SDRS_API void sdrs_pg_free(sdrs_pg *pg) {
  delete pg;
}

// One line per getter: C name -> field index of the table (core/resources/pg.hpp).
#define SDRS_PG_STRING_GETTER(fn, field)                   \
  SDRS_API const char *fn(const sdrs_pg *pg) {             \
    return pg == nullptr ? nullptr : pg->group.str(field); \
  }
SDRS_PG_STRING_GETTER(sdrs_pg_id, sdrs::kPgId)
SDRS_PG_STRING_GETTER(sdrs_pg_name, sdrs::kPgName)
SDRS_PG_STRING_GETTER(sdrs_pg_description, sdrs::kPgDescription)
SDRS_PG_STRING_GETTER(sdrs_pg_status_str, sdrs::kPgStatus)
SDRS_PG_STRING_GETTER(sdrs_pg_source_az, sdrs::kPgSourceAz)
SDRS_PG_STRING_GETTER(sdrs_pg_target_az, sdrs::kPgTargetAz)
SDRS_PG_STRING_GETTER(sdrs_pg_domain_id, sdrs::kPgDomainId)
SDRS_PG_STRING_GETTER(sdrs_pg_domain_name, sdrs::kPgDomainName)
SDRS_PG_STRING_GETTER(sdrs_pg_priority_station, sdrs::kPgPriorityStation)
SDRS_PG_STRING_GETTER(sdrs_pg_protected_status, sdrs::kPgProtectedStatus)
SDRS_PG_STRING_GETTER(sdrs_pg_replication_status, sdrs::kPgReplicationStatus)
SDRS_PG_STRING_GETTER(sdrs_pg_health_status, sdrs::kPgHealthStatus)
SDRS_PG_STRING_GETTER(sdrs_pg_source_vpc_id, sdrs::kPgSourceVpcId)
SDRS_PG_STRING_GETTER(sdrs_pg_target_vpc_id, sdrs::kPgTargetVpcId)
SDRS_PG_STRING_GETTER(sdrs_pg_test_vpc_id, sdrs::kPgTestVpcId)
SDRS_PG_STRING_GETTER(sdrs_pg_dr_type, sdrs::kPgDrType)
SDRS_PG_STRING_GETTER(sdrs_pg_server_type, sdrs::kPgServerType)
SDRS_PG_STRING_GETTER(sdrs_pg_protection_type, sdrs::kPgProtectionType)
SDRS_PG_STRING_GETTER(sdrs_pg_replication_model, sdrs::kPgReplicationModel)
SDRS_PG_STRING_GETTER(sdrs_pg_created_at, sdrs::kPgCreatedAt)
SDRS_PG_STRING_GETTER(sdrs_pg_updated_at, sdrs::kPgUpdatedAt)
#undef SDRS_PG_STRING_GETTER

#define SDRS_PG_INT_GETTER(fn, field)                     \
  SDRS_API int64_t fn(const sdrs_pg *pg) {                \
    return pg == nullptr ? -1 : pg->group.integer(field); \
  }
SDRS_PG_INT_GETTER(sdrs_pg_progress, sdrs::kPgProgress)
SDRS_PG_INT_GETTER(sdrs_pg_protected_instance_num, sdrs::kPgProtectedInstanceNum)
SDRS_PG_INT_GETTER(sdrs_pg_replication_num, sdrs::kPgReplicationNum)
SDRS_PG_INT_GETTER(sdrs_pg_disaster_recovery_drill_num, sdrs::kPgDrillNum)
#undef SDRS_PG_INT_GETTER

SDRS_API int32_t sdrs_pg_status(const sdrs_pg *pg) {
  return sdrs::capi::status_code(kPgStatusNames, kPgStatusCount, sdrs_pg_status_str(pg));
}
SDRS_API int64_t sdrs_pg_created_at_ms(const sdrs_pg *pg) {
  return pg == nullptr ? SDRS_TIME_NONE : pg->group.time_ms(sdrs::kPgCreatedAt);
}
SDRS_API int64_t sdrs_pg_updated_at_ms(const sdrs_pg *pg) {
  return pg == nullptr ? SDRS_TIME_NONE : pg->group.time_ms(sdrs::kPgUpdatedAt);
}
SDRS_API const char *sdrs_pg_json(const sdrs_pg *pg) {
  return pg == nullptr ? nullptr : pg->group.json().data();
}
SDRS_API const char *sdrs_pg_status_name(int32_t status) {
  return sdrs::capi::status_name(kPgStatusNames, kPgStatusCount, status);
}

SDRS_API int sdrs_pg_get(sdrs_pg **out, sdrs_client *client, const char *group_id,
                         const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Group g =
        need(client, "client")
            ->impl->get_pg(need_str(group_id, "group_id"), sdrs::capi::call_context(opts));
    *out = new sdrs_pg{std::move(g)};
  });
}

SDRS_API int sdrs_pg_rename(sdrs_pg **out, sdrs_client *client, const char *group_id,
                            const char *new_name, const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Group g =
        need(client, "client")
            ->impl->rename_pg(need_str(group_id, "group_id"), need_str(new_name, "new_name"),
                              sdrs::capi::call_context(opts));
    *out = new sdrs_pg{std::move(g)};
  });
}

SDRS_API int sdrs_pg_delete(char **job_id, sdrs_client *client, const char *group_id,
                            const sdrs_call_opts *opts, sdrs_error **err) {
  return job_call(job_id, client, group_id, "group_id", err,
                  [&](sdrs::Client &c, const std::string &gid) {
                    return c.delete_pg(gid, sdrs::capi::call_context(opts));
                  });
}
SDRS_API int sdrs_pg_enable(char **job_id, sdrs_client *client, const char *group_id,
                            const sdrs_call_opts *opts, sdrs_error **err) {
  return action_call(job_id, client, group_id, sdrs::PgAction::kStart, "", opts, err);
}
SDRS_API int sdrs_pg_disable(char **job_id, sdrs_client *client, const char *group_id,
                             const sdrs_call_opts *opts, sdrs_error **err) {
  return action_call(job_id, client, group_id, sdrs::PgAction::kStop, "", opts, err);
}
SDRS_API int sdrs_pg_failover(char **job_id, sdrs_client *client, const char *group_id,
                              const sdrs_call_opts *opts, sdrs_error **err) {
  return action_call(job_id, client, group_id, sdrs::PgAction::kFailover, "", opts, err);
}
SDRS_API int sdrs_pg_planned_failover(char **job_id, sdrs_client *client, const char *group_id,
                                      const char *priority_station, const sdrs_call_opts *opts,
                                      sdrs_error **err) {
  if (priority_station == nullptr) {
    return guarded(err, [] { need<const char>(nullptr, "priority_station"); });
  }
  return action_call(job_id, client, group_id, sdrs::PgAction::kReverse, priority_station, opts,
                     err);
}

SDRS_API int sdrs_pg_list_opts_new(sdrs_pg_list_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_pg_list_opts_free(sdrs_pg_list_opts *opts) {
  delete opts;
}
SDRS_API int sdrs_pg_list_opts_set_limit(sdrs_pg_list_opts *opts, int64_t limit, sdrs_error **err) {
  return set_limit(opts, limit, err);
}
SDRS_API int sdrs_pg_list_opts_set_offset(sdrs_pg_list_opts *opts, int64_t offset,
                                          sdrs_error **err) {
  return set_offset(opts, offset, err);
}
SDRS_API int sdrs_pg_list_opts_set_status(sdrs_pg_list_opts *opts, const char *status,
                                          sdrs_error **err) {
  return set_filter(opts, err, [&](sdrs::ListQuery &q) {
    if (status == nullptr) {
      q.status.reset();
      return;
    }
    // Statuses outside the documented set exist (spec 4.8 note), so only the shape is checked.
    sdrs::validate_name("status", status);
    q.status = std::string(status);
  });
}
SDRS_API int sdrs_pg_list_opts_set_name(sdrs_pg_list_opts *opts, const char *name,
                                        sdrs_error **err) {
  return set_text_filter(opts, &sdrs::ListQuery::name, "name", name, err);
}
SDRS_API int sdrs_pg_list_opts_set_query_type(sdrs_pg_list_opts *opts, const char *query_type,
                                              sdrs_error **err) {
  return set_filter(opts, err, [&](sdrs::ListQuery &q) {
    if (query_type == nullptr) {
      q.query_type.reset();
      return;
    }
    static const char *const kTypes[] = {"general", "status_abnormal", "stop_protected",
                                         "period_no_dr_drill", nullptr};
    sdrs::validate_one_of("query_type", query_type, kTypes);
    q.query_type = std::string(query_type);
  });
}
SDRS_API int sdrs_pg_list_opts_set_availability_zone(sdrs_pg_list_opts *opts, const char *az,
                                                     sdrs_error **err) {
  return set_text_filter(opts, &sdrs::ListQuery::availability_zone, "availability_zone", az, err);
}

SDRS_API int sdrs_pg_list_get(sdrs_pg_list **out, sdrs_client *client,
                              const sdrs_pg_list_opts *opts, const sdrs_call_opts *call_opts,
                              sdrs_error **err) {
  return sdrs::capi::list_get(out, client, opts, call_opts, err, &sdrs::Client::list_pg,
                              &sdrs::GroupList::groups);
}
SDRS_API void sdrs_pg_list_free(sdrs_pg_list *list) {
  delete list;
}
SDRS_API size_t sdrs_pg_list_size(const sdrs_pg_list *list) {
  return sdrs::capi::list_size(list);
}
SDRS_API const sdrs_pg *sdrs_pg_list_at(const sdrs_pg_list *list, size_t index) {
  return sdrs::capi::list_at(list, index);
}
SDRS_API int64_t sdrs_pg_list_count(const sdrs_pg_list *list) {
  return sdrs::capi::list_count(list);
}

SDRS_API int sdrs_pg_iter_new(sdrs_pg_iter **out, sdrs_client *client,
                              const sdrs_pg_list_opts *opts, sdrs_error **err) {
  return sdrs::capi::iter_new(out, client, opts, err);
}
SDRS_API void sdrs_pg_iter_free(sdrs_pg_iter *iter) {
  delete iter;
}

SDRS_API int sdrs_pg_iter_next(const sdrs_pg **pg, sdrs_pg_iter *iter,
                               const sdrs_call_opts *call_opts, sdrs_error **err) {
  return sdrs::capi::iter_next(pg, "pg", iter, call_opts, err);
}

}  // extern "C"
