// Job operations: one status read (the waiter is client/wait.cpp).
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {

Job Client::poll_job(std::string_view job_id, const CallContext &ctx, CallStats *stats) {
  validate_path_segment("job_id", job_id);
  const std::string path = project_path(ctx, "/jobs/", job_id);
  return exchange("GET", path, "", ctx, decode_job, stats);
}

}  // namespace sdrs
