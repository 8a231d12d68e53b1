// Job operations: one status read (the waiter is client/wait.cpp).
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {

Job Client::poll_job(std::string_view job_id, const CallContext &ctx, CallStats *stats) {
  validate_path_segment("job_id", job_id);
  return exchange("GET", job_path(job_id, ctx), "", ctx, decode_job, stats);
}

std::string Client::job_path(std::string_view job_id, const CallContext &ctx) {
  return project_path(ctx, "/jobs/", job_id);
}

Job Client::read_job_answer(const std::string &path, const HttpResponse &resp, CallStats *stats) {
  check_answer("GET", path, resp);
  return decode_answer("GET", path, resp, decode_job, stats);
}

}  // namespace sdrs
