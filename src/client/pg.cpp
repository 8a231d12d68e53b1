// Protection-group operations: validate, build the path and body (core/resources/pg), one
// exchange, decode.
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {

std::string Client::create_pg(const PgSpec &spec, const CallContext &ctx) {
  validate_spec(spec);
  const std::string path = project_path(ctx, "/server-groups");
  return exchange("POST", path, encode_create(spec), ctx, decode_job_id);
}

Group Client::get_pg(const std::string &group_id, const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  const std::string path = project_path(ctx, "/server-groups/", group_id);
  return exchange("GET", path, "", ctx, decode_group_envelope);
}

Group Client::rename_pg(const std::string &group_id, const std::string &name,
                        const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  validate_name("name", name);
  const std::string path = project_path(ctx, "/server-groups/", group_id);
  return exchange("PUT", path, encode_rename(name), ctx, decode_group_envelope);
}

std::string Client::delete_pg(const std::string &group_id, const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  const std::string path = project_path(ctx, "/server-groups/", group_id);
  return exchange("DELETE", path, "", ctx, decode_job_id);
}

std::string Client::act_pg(const std::string &group_id, PgAction action,
                           const std::string &priority_station, const CallContext &ctx) {
  validate_path_segment("server_group_id", group_id);
  if (action == PgAction::kReverse) {
    static const char *const kStations[] = {"source", "target", nullptr};
    validate_one_of("priority_station", priority_station, kStations);
  }
  const std::string path = project_path(ctx, "/server-groups/", group_id, "/action");
  return exchange(
      "POST", path,
      encode_action(action_key(action), action == PgAction::kReverse ? priority_station : ""), ctx,
      decode_job_id);
}

GroupList Client::list_pg(const ListQuery &query, const CallContext &ctx) {
  const std::string path = project_path(ctx, "/server-groups") + list_query_string(query);
  return exchange("GET", path, "", ctx, decode_group_list);
}

Group Client::create_pg_and_wait(const PgSpec &spec, const WaitOptions &options) {
  return create_and_get(spec, options, "server_group_id", &Client::create_pg, &Client::get_pg);
}

}  // namespace sdrs
