/**
 * @file sdrs/task.h
 * The task center: records of failed asynchronous jobs (/v1/{project_id}/task-center/...).
 *
 * Two scopes exist: group-level failures (a failed group create or delete), listed when no
 * group filter is given, and failures inside one group (protected instances, pairs, drills),
 * listed with the group's id. Deleting a record does not repair the resource.
 *
 * Threading: sdrs_task_list_opts is single-threaded; result handles are immutable and may be
 * read from any thread; the calls are safe on a shared client. An sdrs_task_iter is
 * single-threaded.
 */
#ifndef SDRS_TASK_H
#define SDRS_TASK_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_task sdrs_task;
typedef struct sdrs_task_list_opts sdrs_task_list_opts;
typedef struct sdrs_task_list sdrs_task_list;
typedef struct sdrs_task_iter sdrs_task_iter;

/* ---- listing failed tasks ---- */

/** A new list filter (*out; free with sdrs_task_list_opts_free). */
SDRS_API int sdrs_task_list_opts_new(sdrs_task_list_opts **out, sdrs_error **err);
/** Frees the filter. NULL is fine. */
SDRS_API void sdrs_task_list_opts_free(sdrs_task_list_opts *opts);
/** Page size 1..1000 (unset: the service default, 1000). */
SDRS_API int sdrs_task_list_opts_set_limit(sdrs_task_list_opts *opts, int64_t limit,
                                           sdrs_error **err);
/** Records to skip, >= 0. */
SDRS_API int sdrs_task_list_opts_set_offset(sdrs_task_list_opts *opts, int64_t offset,
                                            sdrs_error **err);
/** Failures inside this group; unset: group-level failures only. NULL clears. */
SDRS_API int sdrs_task_list_opts_set_server_group_id(sdrs_task_list_opts *opts,
                                                     const char *group_id, sdrs_error **err);
/** One of createFail, deleteFail, attachFail, detachFail, expandFail, resizeFail, startFail,
 * stopFail, reverseFail, failoverFail, reprotectFail. NULL clears. */
SDRS_API int sdrs_task_list_opts_set_failure_status(sdrs_task_list_opts *opts,
                                                    const char *failure_status, sdrs_error **err);
/** The failed resource's name. NULL clears. */
SDRS_API int sdrs_task_list_opts_set_resource_name(sdrs_task_list_opts *opts, const char *name,
                                                   sdrs_error **err);
/** One of server_groups, protected_instances, replications, disaster_recovery_drills. NULL
 * clears. */
SDRS_API int sdrs_task_list_opts_set_resource_type(sdrs_task_list_opts *opts,
                                                   const char *resource_type, sdrs_error **err);

/** One page. opts may be NULL (group-level failures, service defaults). */
SDRS_API int sdrs_task_list_get(sdrs_task_list **out, sdrs_client *client,
                                const sdrs_task_list_opts *opts, const sdrs_call_opts *call_opts,
                                sdrs_error **err);
/** Frees a page. NULL is fine. */
SDRS_API void sdrs_task_list_free(sdrs_task_list *list);
/** Failed tasks in this page. */
SDRS_API size_t sdrs_task_list_size(const sdrs_task_list *list);
/** Borrowed task at index, NULL when out of range; lives as long as the list. */
SDRS_API const sdrs_task *sdrs_task_list_at(const sdrs_task_list *list, size_t index);
/** The service's "count", -1 when absent. */
SDRS_API int64_t sdrs_task_list_count(const sdrs_task_list *list);

/** Iterator over all matching failed tasks (as sdrs_pi_iter). The opts are copied. */
SDRS_API int sdrs_task_iter_new(sdrs_task_iter **out, sdrs_client *client,
                                const sdrs_task_list_opts *opts, sdrs_error **err);
/** Frees the iterator. NULL is fine. */
SDRS_API void sdrs_task_iter_free(sdrs_task_iter *iter);
/** Returns 0 and sets *task to the next failed task (borrowed, valid until the next call or
 * sdrs_task_iter_free), or 0 with *task = NULL at the end, or a negative code. */
SDRS_API int sdrs_task_iter_next(const sdrs_task **task, sdrs_task_iter *iter,
                                 const sdrs_call_opts *call_opts, sdrs_error **err);

/* ---- the failed task object ---- */

/** @{ */
/** String getters: borrowed, valid as long as the list; NULL when absent or JSON null.
 * error_code may be another service's code ("EVS.2024"). */
SDRS_API const char *sdrs_task_job_id(const sdrs_task *task);
SDRS_API const char *sdrs_task_job_type(const sdrs_task *task);
SDRS_API const char *sdrs_task_job_status(const sdrs_task *task);
SDRS_API const char *sdrs_task_resource_id(const sdrs_task *task);
SDRS_API const char *sdrs_task_resource_name(const sdrs_task *task);
SDRS_API const char *sdrs_task_resource_type(const sdrs_task *task);
SDRS_API const char *sdrs_task_failure_status(const sdrs_task *task);
SDRS_API const char *sdrs_task_begin_time(const sdrs_task *task);
SDRS_API const char *sdrs_task_error_code(const sdrs_task *task);
SDRS_API const char *sdrs_task_fail_reason(const sdrs_task *task);
/** @} */
/** begin_time as Unix milliseconds, SDRS_TIME_NONE when absent. */
SDRS_API int64_t sdrs_task_begin_time_ms(const sdrs_task *task);
/** The task object as JSON text. */
SDRS_API const char *sdrs_task_json(const sdrs_task *task);

/* ---- deleting failed-task records (synchronous, HTTP 204) ---- */

/** Deletes one record. failure_job_id: the record's job id (the documentation names the
 * parameter "ID of a failed task" without saying which field carries it; the job id is the
 * only id a record has). The literal "batch" is refused (it would reach another endpoint). */
SDRS_API int sdrs_task_delete(sdrs_client *client, const char *failure_job_id,
                              const sdrs_call_opts *opts, sdrs_error **err);
/** Deletes the failure records inside one group (instances, pairs, drills). */
SDRS_API int sdrs_task_delete_group(sdrs_client *client, const char *server_group_id,
                                    const sdrs_call_opts *opts, sdrs_error **err);
/** Deletes the group-level failure records (failed group creates and deletes). Despite the
 * service documentation's title, failures inside groups stay: use sdrs_task_delete_group. */
SDRS_API int sdrs_task_delete_group_level(sdrs_client *client, const sdrs_call_opts *opts,
                                          sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_TASK_H */
