// sdrs/task.h: the task center: list filter, listing, the failed-task handle, the deletes.
// Arguments are checked here; the rules live in core/resources/task and client/task.
#include <string>

#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;
using sdrs::capi::set_checked_filter;
using sdrs::capi::set_limit;
using sdrs::capi::set_offset;
using sdrs::capi::set_text_filter;

namespace {}  // namespace

extern "C" {

SDRS_API int sdrs_task_list_opts_new(sdrs_task_list_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_task_list_opts_free(sdrs_task_list_opts *opts) {
  delete opts;
}
SDRS_API int sdrs_task_list_opts_set_limit(sdrs_task_list_opts *opts, int64_t limit,
                                           sdrs_error **err) {
  return set_limit(opts, limit, err);
}
SDRS_API int sdrs_task_list_opts_set_offset(sdrs_task_list_opts *opts, int64_t offset,
                                            sdrs_error **err) {
  return set_offset(opts, offset, err);
}
SDRS_API int sdrs_task_list_opts_set_server_group_id(sdrs_task_list_opts *opts,
                                                     const char *group_id, sdrs_error **err) {
  return set_text_filter(opts, &sdrs::TaskListQuery::server_group_id, "server_group_id", group_id,
                         err);
}
SDRS_API int sdrs_task_list_opts_set_failure_status(sdrs_task_list_opts *opts,
                                                    const char *failure_status, sdrs_error **err) {
  return set_checked_filter(opts, &sdrs::TaskListQuery::failure_status, failure_status, err,
                            sdrs::validate_failure_status);
}
SDRS_API int sdrs_task_list_opts_set_resource_name(sdrs_task_list_opts *opts, const char *name,
                                                   sdrs_error **err) {
  return set_text_filter(opts, &sdrs::TaskListQuery::resource_name, "resource_name", name, err);
}
SDRS_API int sdrs_task_list_opts_set_resource_type(sdrs_task_list_opts *opts,
                                                   const char *resource_type, sdrs_error **err) {
  return set_checked_filter(opts, &sdrs::TaskListQuery::resource_type, resource_type, err,
                            sdrs::validate_resource_type);
}

SDRS_API int sdrs_task_list_get(sdrs_task_list **out, sdrs_client *client,
                                const sdrs_task_list_opts *opts, const sdrs_call_opts *call_opts,
                                sdrs_error **err) {
  return sdrs::capi::list_get(out, client, opts, call_opts, err, &sdrs::Client::list_task,
                              &sdrs::TaskList::tasks);
}
SDRS_API void sdrs_task_list_free(sdrs_task_list *list) {
  delete list;
}
SDRS_API size_t sdrs_task_list_size(const sdrs_task_list *list) {
  return sdrs::capi::list_size(list);
}
SDRS_API const sdrs_task *sdrs_task_list_at(const sdrs_task_list *list, size_t index) {
  return sdrs::capi::list_at(list, index);
}
SDRS_API int64_t sdrs_task_list_count(const sdrs_task_list *list) {
  return sdrs::capi::list_count(list);
}

SDRS_API int sdrs_task_iter_new(sdrs_task_iter **out, sdrs_client *client,
                                const sdrs_task_list_opts *opts, sdrs_error **err) {
  return sdrs::capi::iter_new(out, client, opts, err);
}
SDRS_API void sdrs_task_iter_free(sdrs_task_iter *iter) {
  delete iter;
}
SDRS_API int sdrs_task_iter_next(const sdrs_task **task, sdrs_task_iter *iter,
                                 const sdrs_call_opts *call_opts, sdrs_error **err) {
  return sdrs::capi::iter_next(task, "task", iter, call_opts, err);
}

// One line per getter: C name -> field index of the table (core/resources/task.hpp).
#define SDRS_TASK_STRING_GETTER(fn, field)                    \
  SDRS_API const char *fn(const sdrs_task *task) {            \
    return task == nullptr ? nullptr : task->task.str(field); \
  }
SDRS_TASK_STRING_GETTER(sdrs_task_job_id, sdrs::kTaskJobId)
SDRS_TASK_STRING_GETTER(sdrs_task_job_type, sdrs::kTaskJobType)
SDRS_TASK_STRING_GETTER(sdrs_task_job_status, sdrs::kTaskJobStatus)
SDRS_TASK_STRING_GETTER(sdrs_task_resource_id, sdrs::kTaskResourceId)
SDRS_TASK_STRING_GETTER(sdrs_task_resource_name, sdrs::kTaskResourceName)
SDRS_TASK_STRING_GETTER(sdrs_task_resource_type, sdrs::kTaskResourceType)
SDRS_TASK_STRING_GETTER(sdrs_task_failure_status, sdrs::kTaskFailureStatus)
SDRS_TASK_STRING_GETTER(sdrs_task_begin_time, sdrs::kTaskBeginTime)
SDRS_TASK_STRING_GETTER(sdrs_task_error_code, sdrs::kTaskErrorCode)
SDRS_TASK_STRING_GETTER(sdrs_task_fail_reason, sdrs::kTaskFailReason)
#undef SDRS_TASK_STRING_GETTER

SDRS_API int64_t sdrs_task_begin_time_ms(const sdrs_task *task) {
  return task == nullptr ? SDRS_TIME_NONE : task->task.time_ms(sdrs::kTaskBeginTime);
}
SDRS_API const char *sdrs_task_json(const sdrs_task *task) {
  return task == nullptr ? nullptr : task->task.json().data();
}

SDRS_API int sdrs_task_delete(sdrs_client *client, const char *failure_job_id,
                              const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    const std::string id = need_str(failure_job_id, "failure_job_id");
    need(client, "client")->impl->delete_task(id, sdrs::capi::call_context(opts));
  });
}
SDRS_API int sdrs_task_delete_group(sdrs_client *client, const char *server_group_id,
                                    const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    const std::string id = need_str(server_group_id, "server_group_id");
    need(client, "client")->impl->delete_task_group(id, sdrs::capi::call_context(opts));
  });
}
SDRS_API int sdrs_task_delete_group_level(sdrs_client *client, const sdrs_call_opts *opts,
                                          sdrs_error **err) {
  return guarded(err, [&] {
    need(client, "client")->impl->delete_task_group_level(sdrs::capi::call_context(opts));
  });
}

}  // extern "C"
