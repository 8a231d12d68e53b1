#include "core/resources/task.hpp"

#include <iterator>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

#define SDRS_FIELD_DEF(index, wire, kind, child, required) {wire, child, FieldKind::kind, required},
constexpr FieldDef kTaskFields[] = {SDRS_TASK_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kTaskFields) == kTaskFieldCount, "SDRS_TASK_FIELDS: table and enum differ");

}  // namespace

const RecordDef kTaskRecord = {"failure_job", kTaskFields, std::size(kTaskFields)};

void validate_failure_status(const std::string &failure_status) {
  static const char *const kValues[] = {
      "createFail", "deleteFail", "attachFail",  "detachFail",   "expandFail",    "resizeFail",
      "startFail",  "stopFail",   "reverseFail", "failoverFail", "reprotectFail", nullptr};
  validate_one_of("failure_status", failure_status, kValues);
}

void validate_resource_type(const std::string &resource_type) {
  static const char *const kValues[] = {"server_groups", "protected_instances", "replications",
                                        "disaster_recovery_drills", nullptr};
  validate_one_of("resource_type", resource_type, kValues);
}

void validate_failure_job_id(const std::string &id) {
  validate_path_segment("failure_job_id", id);
  // Compared without case: a route table that ignores case would still take it.
  if (text::equals_lower(id, "batch")) {
    fail(Code::kValidation,
         "failure_job_id: must not be '" + id +
             "' (DELETE .../failure-jobs/batch deletes every group-level failure record)");
  }
}

std::string list_query_string(const TaskListQuery &q) {
  QueryString s;
  s.add_paging(q.limit, q.offset);
  s.add_text("server_group_id", q.server_group_id);
  if (q.failure_status) {
    validate_failure_status(*q.failure_status);
    s.add("failure_status", *q.failure_status);
  }
  s.add_text("resource_name", q.resource_name);
  if (q.resource_type) {
    validate_resource_type(*q.resource_type);
    s.add("resource_type", *q.resource_type);
  }
  return s.take();
}

TaskList decode_task_list(const std::string &body) {
  TaskList list;
  list.tasks = decode_record_array(body, "failure_jobs", kTaskRecord, &list.count, nullptr);
  return list;
}

}  // namespace sdrs
