// Protection-group operations: validate, build the path and body (core/resources/pg), one
// exchange, decode.
#include <optional>

#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {

std::string Client::create_pg(const PgSpec &spec, const CallContext &ctx, CallStats *stats) {
  validate_spec(spec);
  return send_create_pg(spec, ctx, stats);
}

std::string Client::create_pg_from_checked_fields(const PgSpec &spec, const CallContext &ctx) {
  validate_spec_complete(spec);
  return send_create_pg(spec, ctx, nullptr);
}

std::string Client::send_create_pg(const PgSpec &spec, const CallContext &ctx, CallStats *stats) {
  const std::string path = project_path(ctx, "/server-groups");
  try {
    return exchange("POST", path, encode_create(spec), ctx, decode_job_id, stats);
  } catch (Failure &f) {
    if (f.info().outcome_unknown) {
      f.info().message += "; to find out, sdrs_pg_find_created looks for a group named '" +
                          *spec.name + "' created since the request was sent";
    }
    throw;
  }
}

Group Client::get_pg(const std::string &group_id, const CallContext &ctx, CallStats *stats) {
  validate_path_segment("server_group_id", group_id);
  const std::string path = project_path(ctx, "/server-groups/", group_id);
  return exchange("GET", path, "", ctx, decode_group_envelope, stats);
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

Group Client::find_created_pg(const PgSpec &spec, int64_t since_ms, const CallContext &ctx) {
  validate_spec(spec);
  validate_range("since_ms", since_ms, 0, INT64_MAX / 2);
  // The service filters by substring; the exact name and the other fields are checked here.
  ListQuery query;
  query.name = spec.name;
  query.limit = 1000;
  query.offset = 0;
  const int64_t from = since_ms - kCreatedSkewMs;
  std::optional<Group> best;
  int64_t best_ms = kTimeNone;
  auto same = [](const Group &g, PgField field, const OptString &want) {
    const char *have = g.str(field);
    return want.has_value() && have != nullptr && *want == have;
  };
  for (;;) {
    GroupList page = list_pg(query, ctx);
    for (Group &g : page.groups) {
      if (!same(g, kPgName, spec.name) || !same(g, kPgSourceAz, spec.source_az) ||
          !same(g, kPgTargetAz, spec.target_az) || !same(g, kPgDomainId, spec.domain_id) ||
          !same(g, kPgSourceVpcId, spec.source_vpc_id)) {
        continue;
      }
      const int64_t created = g.time_ms(kPgCreatedAt);
      if (created == kTimeNone) {
        const char *id = g.str(kPgId);
        fail(Code::kProtocol, "group " + std::string(id != nullptr ? id : "?") +
                                  " matches the spec but has no readable created_at: cannot "
                                  "tell whether the lost create made it");
      }
      if (created >= from && created > best_ms) {
        best_ms = created;
        best = std::move(g);
      }
    }
    const auto size = static_cast<int64_t>(page.groups.size());
    *query.offset += size;
    if (size < *query.limit || (page.count >= 0 && *query.offset >= page.count)) break;
  }
  if (!best) {
    fail(Code::kNotFound, "no protection group named '" + *spec.name +
                              "' with this spec was created since " + std::to_string(since_ms) +
                              " (Unix ms, less " + std::to_string(kCreatedSkewMs / 1000) +
                              " s for clock skew): the lost create made none, creating again is "
                              "safe");
  }
  return std::move(*best);
}

}  // namespace sdrs
