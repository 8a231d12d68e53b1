/*
 * sdrs/pair.h: replication pairs (/v1/{project_id}/replications).
 *
 * A replication pair is a production-site EVS disk plus the DR-site disk the service creates
 * for it, replicated synchronously. Creating a protected instance pairs its disks on its own;
 * explicit pairs are for shared disks, attached to instances with sdrs_pi_attach.
 *
 * Inputs are built with opaque builders (sdrs_pair_spec, sdrs_pair_list_opts); results are
 * immutable handles with getters (sdrs_pair, sdrs_pair_list). Every input is validated before
 * any request is sent (SDRS_EVALIDATION naming the wire field and the rule).
 *
 * Threading: builders are single-threaded; result handles are immutable and may be read from
 * any thread; the calls themselves are safe on a shared client. An sdrs_pair_iter is
 * single-threaded.
 */
#ifndef SDRS_PAIR_H
#define SDRS_PAIR_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"
#include "sdrs/job.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_pair_spec sdrs_pair_spec;
typedef struct sdrs_pair sdrs_pair;
typedef struct sdrs_pair_list_opts sdrs_pair_list_opts;
typedef struct sdrs_pair_list sdrs_pair_list;
typedef struct sdrs_pair_iter sdrs_pair_iter;

/* ---- create request builder ---- */

SDRS_API int sdrs_pair_spec_new(sdrs_pair_spec **out, sdrs_error **err);
SDRS_API void sdrs_pair_spec_free(sdrs_pair_spec *spec);
/* Required: the owning protection group. */
SDRS_API int sdrs_pair_spec_set_server_group_id(sdrs_pair_spec *spec, const char *group_id,
                                                sdrs_error **err);
/* Required: the production-site EVS disk (available, not encrypted, not yet paired). */
SDRS_API int sdrs_pair_spec_set_volume_id(sdrs_pair_spec *spec, const char *volume_id,
                                          sdrs_error **err);
/* Required: 1..64 bytes of A-Z a-z 0-9 . _ - */
SDRS_API int sdrs_pair_spec_set_name(sdrs_pair_spec *spec, const char *name, sdrs_error **err);
/* Optional: at most 64 bytes, no '<' or '>'. NULL clears. */
SDRS_API int sdrs_pair_spec_set_description(sdrs_pair_spec *spec, const char *description,
                                            sdrs_error **err);
/* Optional: dedicated storage pool id (documented for some regions only; sent only when set).
 * NULL clears. */
SDRS_API int sdrs_pair_spec_set_cluster_id(sdrs_pair_spec *spec, const char *cluster_id,
                                           sdrs_error **err);

/* Sends the create request; *job_id receives the job id (free with sdrs_string_free). */
SDRS_API int sdrs_pair_create(char **job_id, sdrs_client *client, const sdrs_pair_spec *spec,
                              const sdrs_call_opts *opts, sdrs_error **err);
/* Create + wait + get: returns the created pair (id from entities.replication_pair_id). */
SDRS_API int sdrs_pair_create_and_wait(sdrs_pair **out, sdrs_client *client,
                                       const sdrs_pair_spec *spec, const sdrs_wait_opts *wait_opts,
                                       sdrs_error **err);

/* ---- the replication pair object ---- */

enum sdrs_pair_status {
  SDRS_PAIR_UNKNOWN = 0, /* see sdrs_pair_status_str for the raw value */
  SDRS_PAIR_CREATING = 1,
  SDRS_PAIR_AVAILABLE = 2,
  SDRS_PAIR_PROTECTED = 3,
  SDRS_PAIR_DELETING = 4,
  SDRS_PAIR_ERROR_DELETING = 5,
  SDRS_PAIR_ERROR = 6,
  SDRS_PAIR_STARTING = 7,
  SDRS_PAIR_ERROR_STARTING = 8,
  SDRS_PAIR_REPROTECTING = 9,
  SDRS_PAIR_ERROR_REPROTECTING = 10,
  SDRS_PAIR_STOPPING = 11,
  SDRS_PAIR_ERROR_STOPPING = 12,
  SDRS_PAIR_REVERSING = 13,
  SDRS_PAIR_ERROR_REVERSING = 14,
  SDRS_PAIR_FAILING_OVER = 15,
  SDRS_PAIR_FAILED_OVER = 16,
  SDRS_PAIR_ERROR_FAILING_OVER = 17,
  SDRS_PAIR_EXTENDING = 18,
  SDRS_PAIR_ERROR_EXTENDING = 19,
  SDRS_PAIR_ATTACHING = 20,
  SDRS_PAIR_ERROR_ATTACHING = 21,
  SDRS_PAIR_DETACHING = 22,
  SDRS_PAIR_ERROR_DETACHING = 23,
  SDRS_PAIR_INVALID = 24, /* a disk of the pair was deleted */
  SDRS_PAIR_FAULT = 25    /* replication unhealthy */
};

SDRS_API void sdrs_pair_free(sdrs_pair *pair);
/* String getters: borrowed, valid as long as the handle; NULL when absent or JSON null. */
SDRS_API const char *sdrs_pair_id(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_name(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_description(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_server_group_id(const sdrs_pair *pair);
SDRS_API int32_t sdrs_pair_status(const sdrs_pair *pair); /* an sdrs_pair_status */
SDRS_API const char *sdrs_pair_status_str(const sdrs_pair *pair);
/* "hypermetro" (synchronous replication). */
SDRS_API const char *sdrs_pair_replication_model(const sdrs_pair *pair);
/* "active", "inactive", "copying" or "active-stopped". */
SDRS_API const char *sdrs_pair_replication_status(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_priority_station(const sdrs_pair *pair); /* "source"/"target" */
/* "0" none, "2" production disk lost access (failover advised), "5" replication link broken. */
SDRS_API const char *sdrs_pair_fault_level(const sdrs_pair *pair);
/* An SDRS code, set when the pair's status is "error". */
SDRS_API const char *sdrs_pair_failure_detail(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_created_at(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_updated_at(const sdrs_pair *pair);
/* As Unix milliseconds (formats as sdrs_pi_created_at_ms), SDRS_TIME_NONE when absent. */
SDRS_API int64_t sdrs_pair_created_at_ms(const sdrs_pair *pair);
SDRS_API int64_t sdrs_pair_updated_at_ms(const sdrs_pair *pair);
/* Synchronisation progress in percent; -1 when absent. */
SDRS_API int64_t sdrs_pair_progress(const sdrs_pair *pair);
/* The service's volume_ids text as received: the two disk ids joined by ','. */
SDRS_API const char *sdrs_pair_volume_ids(const sdrs_pair *pair);
/* The volume ids split at ',' (borrowed, NULL when out of range). Every client seen takes the
 * first as the production disk and the second as the DR disk; the service does not document
 * the order, so these names follow that convention. */
SDRS_API size_t sdrs_pair_volume_id_count(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_volume_id(const sdrs_pair *pair, size_t index);
SDRS_API const char *sdrs_pair_production_volume_id(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_dr_volume_id(const sdrs_pair *pair);
/* Instances using the pair (several for a shared disk): count, then instance id and device. */
SDRS_API size_t sdrs_pair_attachment_count(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_attachment_instance_id(const sdrs_pair *pair, size_t index);
SDRS_API const char *sdrs_pair_attachment_device(const sdrs_pair *pair, size_t index);
/* record_metadata: disk size in GB (a number sent as a string is read; -1 when absent), disk
 * type ("SSD", "SAS", ...), and the booleans multiattach (shared disk) and bootable (system
 * disk): 1 true, 0 false, -1 absent. */
SDRS_API int64_t sdrs_pair_volume_size_gb(const sdrs_pair *pair);
SDRS_API const char *sdrs_pair_volume_type(const sdrs_pair *pair);
SDRS_API int sdrs_pair_multiattach(const sdrs_pair *pair);
SDRS_API int sdrs_pair_bootable(const sdrs_pair *pair);
/* The pair object as JSON text. */
SDRS_API const char *sdrs_pair_json(const sdrs_pair *pair);

/* Name of a pair status value ("error-attaching"...), "unknown" otherwise. Static. */
SDRS_API const char *sdrs_pair_status_name(int32_t status);

/* ---- calls on one pair ---- */

/* GET one pair. Unknown id: SDRS_ENOTFOUND (HTTP 404) or the service's not-found code. */
SDRS_API int sdrs_pair_get(sdrs_pair **out, sdrs_client *client, const char *replication_id,
                           const sdrs_call_opts *opts, sdrs_error **err);
/* PUT: rename (synchronous), returns the updated pair. */
SDRS_API int sdrs_pair_rename(sdrs_pair **out, sdrs_client *client, const char *replication_id,
                              const char *new_name, const sdrs_call_opts *opts, sdrs_error **err);
/* DELETE with its mandatory {"replication": {...}} body. server_group_id may be NULL (omitted);
 * delete_target_volume (0 or nonzero) also deletes the DR-site disk (the production disk is
 * never deleted). The pair must not be attached. *job_id receives the job id. */
SDRS_API int sdrs_pair_delete(char **job_id, sdrs_client *client, const char *replication_id,
                              const char *server_group_id, int delete_target_volume,
                              const sdrs_call_opts *opts, sdrs_error **err);
/* extend-replication: grows both disks to new_size_gb, the new total size in GB, a whole
 * number in 1..32768 (the EVS maximum); the service requires it to exceed the current size. */
SDRS_API int sdrs_pair_expand(char **job_id, sdrs_client *client, const char *replication_id,
                              int64_t new_size_gb, const sdrs_call_opts *opts, sdrs_error **err);

/* ---- listing ---- */

SDRS_API int sdrs_pair_list_opts_new(sdrs_pair_list_opts **out, sdrs_error **err);
SDRS_API void sdrs_pair_list_opts_free(sdrs_pair_list_opts *opts);
/* Page size 1..1000 (unset: the service default, 1000). */
SDRS_API int sdrs_pair_list_opts_set_limit(sdrs_pair_list_opts *opts, int64_t limit,
                                           sdrs_error **err);
/* Records to skip, >= 0. */
SDRS_API int sdrs_pair_list_opts_set_offset(sdrs_pair_list_opts *opts, int64_t offset,
                                            sdrs_error **err);
/* Pairs of one group / of any of several groups (server_group_ids, at most 30; overrides
 * server_group_id). NULL clears; add_ adds one id. */
SDRS_API int sdrs_pair_list_opts_set_server_group_id(sdrs_pair_list_opts *opts,
                                                     const char *group_id, sdrs_error **err);
SDRS_API int sdrs_pair_list_opts_add_server_group_id(sdrs_pair_list_opts *opts,
                                                     const char *group_id, sdrs_error **err);
/* Pairs attached to one instance / to any of several (protected_instance_ids, at most 30). */
SDRS_API int sdrs_pair_list_opts_set_instance_id(sdrs_pair_list_opts *opts,
                                                 const char *instance_id, sdrs_error **err);
SDRS_API int sdrs_pair_list_opts_add_instance_id(sdrs_pair_list_opts *opts,
                                                 const char *instance_id, sdrs_error **err);
/* Filters; NULL clears. */
SDRS_API int sdrs_pair_list_opts_set_name(sdrs_pair_list_opts *opts, const char *name,
                                          sdrs_error **err);
SDRS_API int sdrs_pair_list_opts_set_status(sdrs_pair_list_opts *opts, const char *status,
                                            sdrs_error **err);
/* "general" or "status_abnormal". */
SDRS_API int sdrs_pair_list_opts_set_query_type(sdrs_pair_list_opts *opts, const char *query_type,
                                                sdrs_error **err);
SDRS_API int sdrs_pair_list_opts_set_availability_zone(sdrs_pair_list_opts *opts, const char *az,
                                                       sdrs_error **err);
/* Pairs made from this production disk (documented for some regions only). */
SDRS_API int sdrs_pair_list_opts_set_volume_id(sdrs_pair_list_opts *opts, const char *volume_id,
                                               sdrs_error **err);

SDRS_API int sdrs_pair_list_get(sdrs_pair_list **out, sdrs_client *client,
                                const sdrs_pair_list_opts *opts, const sdrs_call_opts *call_opts,
                                sdrs_error **err);
SDRS_API void sdrs_pair_list_free(sdrs_pair_list *list);
SDRS_API size_t sdrs_pair_list_size(const sdrs_pair_list *list);
SDRS_API const sdrs_pair *sdrs_pair_list_at(const sdrs_pair_list *list, size_t index);
/* The service's "count", -1 when absent. */
SDRS_API int64_t sdrs_pair_list_count(const sdrs_pair_list *list);

/* Iterator over all matching pairs (as sdrs_pi_iter). */
SDRS_API int sdrs_pair_iter_new(sdrs_pair_iter **out, sdrs_client *client,
                                const sdrs_pair_list_opts *opts, sdrs_error **err);
SDRS_API void sdrs_pair_iter_free(sdrs_pair_iter *iter);
SDRS_API int sdrs_pair_iter_next(const sdrs_pair **pair, sdrs_pair_iter *iter,
                                 const sdrs_call_opts *call_opts, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_PAIR_H */
