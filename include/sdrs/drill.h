/**
 * @file sdrs/drill.h
 * DR drills (/v1/{project_id}/disaster-recovery-drills).
 *
 * A DR drill rehearses a disaster without touching production: the service builds one drill
 * server per protected instance of a group from snapshots of the DR-site disks, inside a drill
 * VPC, and they run independently of production. Deleting the drill deletes the drill servers
 * (the drill VPC stays).
 *
 * Inputs are built with opaque builders (sdrs_drill_spec, sdrs_drill_list_opts); results are
 * immutable handles with getters. Every input is validated before any request is sent
 * (SDRS_EVALIDATION naming the wire field and the rule).
 *
 * Threading: builders are single-threaded; result handles are immutable and may be read from
 * any thread; the calls themselves are safe on a shared client. An sdrs_drill_iter is
 * single-threaded.
 */
#ifndef SDRS_DRILL_H
#define SDRS_DRILL_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"
#include "sdrs/job.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_drill_spec sdrs_drill_spec;
typedef struct sdrs_drill sdrs_drill;
typedef struct sdrs_drill_list_opts sdrs_drill_list_opts;
typedef struct sdrs_drill_list sdrs_drill_list;
typedef struct sdrs_drill_iter sdrs_drill_iter;

/* ---- create request builder ---- */

/** A new, empty create request (*out; free with sdrs_drill_spec_free). */
SDRS_API int sdrs_drill_spec_new(sdrs_drill_spec **out, sdrs_error **err);
/** Frees the builder. NULL is fine. */
SDRS_API void sdrs_drill_spec_free(sdrs_drill_spec *spec);
/** Required: the protection group to drill. */
SDRS_API int sdrs_drill_spec_set_server_group_id(sdrs_drill_spec *spec, const char *group_id,
                                                 sdrs_error **err);
/** Required: 1..64 bytes of A-Z a-z 0-9 . _ - */
SDRS_API int sdrs_drill_spec_set_name(sdrs_drill_spec *spec, const char *name, sdrs_error **err);
/** Optional: an existing drill VPC (not the group's VPC, same subnets, not used by another
 * drill); when unset the service creates one. The documentation marks it optional while one
 * SDK requires it; the library follows the documentation. NULL clears. */
SDRS_API int sdrs_drill_spec_set_drill_vpc_id(sdrs_drill_spec *spec, const char *vpc_id,
                                              sdrs_error **err);

/** Sends the create request; *job_id receives the job id (free with sdrs_string_free). */
SDRS_API int sdrs_drill_create(char **job_id, sdrs_client *client, const sdrs_drill_spec *spec,
                               const sdrs_call_opts *opts, sdrs_error **err);
/** Create + wait + get: returns the created drill (id from the job's
 * entities.disaster_recovery_drill_id). wait_opts may be NULL. */
SDRS_API int sdrs_drill_create_and_wait(sdrs_drill **out, sdrs_client *client,
                                        const sdrs_drill_spec *spec,
                                        const sdrs_wait_opts *wait_opts, sdrs_error **err);

/* ---- the drill object ---- */

/** DR drill status values. */
enum sdrs_drill_status {
  SDRS_DRILL_UNKNOWN = 0, /**< see sdrs_drill_status_str for the raw value */
  SDRS_DRILL_CREATING = 1,
  SDRS_DRILL_AVAILABLE = 2,
  SDRS_DRILL_DELETING = 3,
  SDRS_DRILL_ERROR_DELETING = 4,
  SDRS_DRILL_ERROR = 5 /**< create failed */
};

/** Frees a drill handle. NULL is fine. */
SDRS_API void sdrs_drill_free(sdrs_drill *drill);
/** @{ */
/** String getters: borrowed, valid as long as the handle; NULL when absent or JSON null. */
SDRS_API const char *sdrs_drill_id(const sdrs_drill *drill);
SDRS_API const char *sdrs_drill_name(const sdrs_drill *drill);
SDRS_API const char *sdrs_drill_status_str(const sdrs_drill *drill);
SDRS_API const char *sdrs_drill_drill_vpc_id(const sdrs_drill *drill);
SDRS_API const char *sdrs_drill_server_group_id(const sdrs_drill *drill);
SDRS_API const char *sdrs_drill_created_at(const sdrs_drill *drill);
SDRS_API const char *sdrs_drill_updated_at(const sdrs_drill *drill);
/** @} */
/** The status as an sdrs_drill_status. */
SDRS_API int32_t sdrs_drill_status(const sdrs_drill *drill);
/** @{ */
/** Times as Unix milliseconds (formats as sdrs_pi_created_at_ms), SDRS_TIME_NONE when absent. */
SDRS_API int64_t sdrs_drill_created_at_ms(const sdrs_drill *drill);
SDRS_API int64_t sdrs_drill_updated_at_ms(const sdrs_drill *drill);
/** @} */
/** @{ */
/** Drill servers: count, then the protected instance a drill server copies and the drill
 * server's ECS id at an index (borrowed, NULL when out of range). */
SDRS_API size_t sdrs_drill_server_count(const sdrs_drill *drill);
SDRS_API const char *sdrs_drill_server_instance_id(const sdrs_drill *drill, size_t index);
SDRS_API const char *sdrs_drill_server_id(const sdrs_drill *drill, size_t index);
/** @} */
/** The drill object as JSON text. */
SDRS_API const char *sdrs_drill_json(const sdrs_drill *drill);
/** Name of a drill status value ("error-deleting"...), "unknown" otherwise. Static. */
SDRS_API const char *sdrs_drill_status_name(int32_t status);

/* ---- calls on one drill ---- */

/** GET one drill. Unknown id: SDRS_ENOTFOUND (HTTP 404) or the service's not-found code. */
SDRS_API int sdrs_drill_get(sdrs_drill **out, sdrs_client *client, const char *drill_id,
                            const sdrs_call_opts *opts, sdrs_error **err);
/** PUT: rename (synchronous), returns the updated drill. */
SDRS_API int sdrs_drill_rename(sdrs_drill **out, sdrs_client *client, const char *drill_id,
                               const char *new_name, const sdrs_call_opts *opts, sdrs_error **err);
/** DELETE: deletes the drill servers; *job_id receives the job id. */
SDRS_API int sdrs_drill_delete(char **job_id, sdrs_client *client, const char *drill_id,
                               const sdrs_call_opts *opts, sdrs_error **err);

/* ---- listing ---- */

/** A new list filter (*out; free with sdrs_drill_list_opts_free). */
SDRS_API int sdrs_drill_list_opts_new(sdrs_drill_list_opts **out, sdrs_error **err);
/** Frees the filter. NULL is fine. */
SDRS_API void sdrs_drill_list_opts_free(sdrs_drill_list_opts *opts);
/** Page size 1..1000 (unset: the service default, 1000). */
SDRS_API int sdrs_drill_list_opts_set_limit(sdrs_drill_list_opts *opts, int64_t limit,
                                            sdrs_error **err);
/** Records to skip, >= 0. */
SDRS_API int sdrs_drill_list_opts_set_offset(sdrs_drill_list_opts *opts, int64_t offset,
                                             sdrs_error **err);
/** @{ */
/** Filters; NULL clears. name is a substring match; status a drill status value. */
SDRS_API int sdrs_drill_list_opts_set_server_group_id(sdrs_drill_list_opts *opts,
                                                      const char *group_id, sdrs_error **err);
SDRS_API int sdrs_drill_list_opts_set_name(sdrs_drill_list_opts *opts, const char *name,
                                           sdrs_error **err);
SDRS_API int sdrs_drill_list_opts_set_status(sdrs_drill_list_opts *opts, const char *status,
                                             sdrs_error **err);
SDRS_API int sdrs_drill_list_opts_set_drill_vpc_id(sdrs_drill_list_opts *opts, const char *vpc_id,
                                                   sdrs_error **err);
/** @} */

/** One page. opts may be NULL (no filter, service defaults). */
SDRS_API int sdrs_drill_list_get(sdrs_drill_list **out, sdrs_client *client,
                                 const sdrs_drill_list_opts *opts, const sdrs_call_opts *call_opts,
                                 sdrs_error **err);
/** Frees a page. NULL is fine. */
SDRS_API void sdrs_drill_list_free(sdrs_drill_list *list);
/** Drills in this page. */
SDRS_API size_t sdrs_drill_list_size(const sdrs_drill_list *list);
/** Borrowed drill at index, NULL when out of range; lives as long as the list. */
SDRS_API const sdrs_drill *sdrs_drill_list_at(const sdrs_drill_list *list, size_t index);
/** The service's "count", -1 when absent. */
SDRS_API int64_t sdrs_drill_list_count(const sdrs_drill_list *list);

/** Iterator over all matching drills (as sdrs_pi_iter). The opts are copied. */
SDRS_API int sdrs_drill_iter_new(sdrs_drill_iter **out, sdrs_client *client,
                                 const sdrs_drill_list_opts *opts, sdrs_error **err);
/** Frees the iterator. NULL is fine. */
SDRS_API void sdrs_drill_iter_free(sdrs_drill_iter *iter);
/** Returns 0 and sets *drill to the next drill (borrowed, valid until the next call or
 * sdrs_drill_iter_free), or 0 with *drill = NULL at the end, or a negative code. */
SDRS_API int sdrs_drill_iter_next(const sdrs_drill **drill, sdrs_drill_iter *iter,
                                  const sdrs_call_opts *call_opts, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_DRILL_H */
