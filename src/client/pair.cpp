// Replication-pair operations: validate, build the path and body (core/resources/pair), one
// exchange, decode.
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

constexpr const char *kPairIdField = "replication_id";

}  // namespace

std::string Client::create_pair(const PairSpec &spec, const CallContext &ctx) {
  validate_spec(spec);
  const std::string path = project_path(ctx, "/replications");
  return exchange("POST", path, encode_create(spec), ctx, decode_job_id);
}

Pair Client::get_pair(const std::string &replication_id, const CallContext &ctx) {
  validate_path_segment(kPairIdField, replication_id);
  const std::string path = project_path(ctx, "/replications/", replication_id);
  return exchange("GET", path, "", ctx, decode_pair_envelope);
}

Pair Client::rename_pair(const std::string &replication_id, const std::string &name,
                         const CallContext &ctx) {
  validate_path_segment(kPairIdField, replication_id);
  validate_name("name", name);
  const std::string path = project_path(ctx, "/replications/", replication_id);
  return exchange("PUT", path, encode_pair_rename(name), ctx, decode_pair_envelope);
}

// A DELETE whose body (the wrapper is mandatory) goes out as client/pi.cpp's delete_pi says.
std::string Client::delete_pair(const std::string &replication_id, const OptString &server_group_id,
                                bool delete_target_volume, const CallContext &ctx) {
  validate_path_segment(kPairIdField, replication_id);
  if (server_group_id) validate_required_text("server_group_id", *server_group_id);
  const std::string path = project_path(ctx, "/replications/", replication_id);
  return exchange("DELETE", path, encode_pair_delete(server_group_id, delete_target_volume), ctx,
                  decode_job_id);
}

std::string Client::expand_pair(const std::string &replication_id, int64_t new_size_gb,
                                const CallContext &ctx) {
  validate_path_segment(kPairIdField, replication_id);
  validate_new_size(new_size_gb);
  const std::string path = project_path(ctx, "/replications/", replication_id, "/action");
  return exchange("POST", path, encode_expand(new_size_gb), ctx, decode_job_id);
}

PairList Client::list_pair(const PairListQuery &query, const CallContext &ctx) {
  const std::string path = project_path(ctx, "/replications") + list_query_string(query);
  return exchange("GET", path, "", ctx, decode_pair_list);
}

Pair Client::create_pair_and_wait(const PairSpec &spec, const WaitOptions &options) {
  return create_and_get(spec, options, "replication_pair_id", &Client::create_pair,
                        &Client::get_pair);
}

}  // namespace sdrs
