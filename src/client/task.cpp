// Task-center operations: validate, build the path (core/resources/task), one exchange. The
// deletes answer 204 with an empty body (no_content).
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {

TaskList Client::list_task(const TaskListQuery &query, const CallContext &ctx) {
  const std::string path =
      project_path(ctx, "/task-center/failure-jobs") + list_query_string(query);
  return exchange("GET", path, "", ctx, decode_task_list);
}

void Client::delete_task(const std::string &failure_job_id, const CallContext &ctx) {
  validate_failure_job_id(failure_job_id);
  const std::string path = project_path(ctx, "/task-center/failure-jobs/", failure_job_id);
  exchange("DELETE", path, "", ctx, no_content);
}

void Client::delete_task_group(const std::string &server_group_id, const CallContext &ctx) {
  validate_path_segment("server_group_id", server_group_id);
  const std::string path =
      project_path(ctx, "/task-center/", server_group_id, "/failure-jobs/batch");
  exchange("DELETE", path, "", ctx, no_content);
}

void Client::delete_task_group_level(const CallContext &ctx) {
  const std::string path = project_path(ctx, "/task-center/failure-jobs/batch");
  exchange("DELETE", path, "", ctx, no_content);
}

}  // namespace sdrs
