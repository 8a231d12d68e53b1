// DR drill operations: validate, build the path and body (core/resources/drill), one exchange,
// decode.
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

constexpr const char *kDrillIdField = "disaster_recovery_drill_id";

}  // namespace

std::string Client::create_drill(const DrillSpec &spec, const CallContext &ctx, CallStats *stats) {
  validate_spec(spec);
  const std::string path = project_path(ctx, "/disaster-recovery-drills");
  return exchange("POST", path, encode_create(spec), ctx, decode_job_id, stats);
}

Drill Client::get_drill(const std::string &drill_id, const CallContext &ctx, CallStats *stats) {
  validate_path_segment(kDrillIdField, drill_id);
  const std::string path = project_path(ctx, "/disaster-recovery-drills/", drill_id);
  return exchange("GET", path, "", ctx, decode_drill_envelope, stats);
}

Drill Client::rename_drill(const std::string &drill_id, const std::string &name,
                           const CallContext &ctx) {
  validate_path_segment(kDrillIdField, drill_id);
  validate_name("name", name);
  const std::string path = project_path(ctx, "/disaster-recovery-drills/", drill_id);
  return exchange("PUT", path, encode_drill_rename(name), ctx, decode_drill_envelope);
}

std::string Client::delete_drill(const std::string &drill_id, const CallContext &ctx) {
  validate_path_segment(kDrillIdField, drill_id);
  const std::string path = project_path(ctx, "/disaster-recovery-drills/", drill_id);
  return exchange("DELETE", path, "", ctx, decode_job_id);
}

DrillList Client::list_drill(const DrillListQuery &query, const CallContext &ctx) {
  const std::string path =
      project_path(ctx, "/disaster-recovery-drills") + list_query_string(query);
  return exchange("GET", path, "", ctx, decode_drill_list);
}

Drill Client::create_drill_and_wait(const DrillSpec &spec, const WaitOptions &options) {
  return create_and_get(spec, options, "disaster_recovery_drill_id", &Client::create_drill,
                        &Client::get_drill);
}

}  // namespace sdrs
