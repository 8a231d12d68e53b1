// The task center (spec part 2, section 7): the failed-task object's fields, named once
// (SDRS_TASK_FIELDS gives the index enum here and the decoding table in task.cpp), the list
// query and the rules of the record id used in a delete path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/models.hpp"
#include "core/record.hpp"
#include "core/resources/list_query.hpp"

namespace sdrs {

// X(index, wire name, kind, child table, required). begin_time is "yyyy-MM-ddTHH:mm:ss.SSSZ".
#define SDRS_TASK_FIELDS(X)                                        \
  X(kTaskJobId, "job_id", kString, nullptr, false)                 \
  X(kTaskJobType, "job_type", kString, nullptr, false)             \
  X(kTaskJobStatus, "job_status", kString, nullptr, false)         \
  X(kTaskResourceId, "resource_id", kString, nullptr, false)       \
  X(kTaskResourceName, "resource_name", kString, nullptr, false)   \
  X(kTaskResourceType, "resource_type", kString, nullptr, false)   \
  X(kTaskFailureStatus, "failure_status", kString, nullptr, false) \
  X(kTaskBeginTime, "begin_time", kTime, nullptr, false)           \
  X(kTaskErrorCode, "error_code", kString, nullptr, false)         \
  X(kTaskFailReason, "fail_reason", kString, nullptr, false)

#define SDRS_FIELD_INDEX(index, wire, kind, child, required) index,
enum TaskField : size_t { SDRS_TASK_FIELDS(SDRS_FIELD_INDEX) kTaskFieldCount };
#undef SDRS_FIELD_INDEX

extern const RecordDef kTaskRecord;  // name "failure_job"

using Task = Record;  // of kTaskRecord

struct TaskList {
  std::vector<Task> tasks;
  int64_t count = -1;
};

// failure_status and resource_type filter values (section 7.1).
void validate_failure_status(const std::string &failure_status);
void validate_resource_type(const std::string &resource_type);
// The id of DELETE .../failure-jobs/{failure_job_id}: one path segment, and not the literal
// "batch" (that path is the group-level batch delete).
void validate_failure_job_id(const std::string &id);

// GET /v1/{project_id}/task-center/failure-jobs filters (section 7.1).
struct TaskListQuery {
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  OptString server_group_id, failure_status, resource_name, resource_type;
};
// Checks the filters; builds the query string ("?limit=..&..." or "").
std::string list_query_string(const TaskListQuery &query);

TaskList decode_task_list(const std::string &body);  // {"failure_jobs": [...], "count"}

}  // namespace sdrs
