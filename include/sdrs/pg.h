/**
 * @file
 * sdrs/pg.h: protection groups (/v1/{project_id}/server-groups).
 *
 * Inputs are built with opaque builders (sdrs_pg_spec, sdrs_pg_list_opts); results are
 * immutable handles with getters (sdrs_pg, sdrs_pg_list). All inputs are validated before
 * any request is sent; a rejected input returns SDRS_EVALIDATION with a message naming the
 * field and the rule.
 *
 * Threading: builders are single-threaded; result handles are immutable and may be read from
 * any thread; the calls themselves are safe on a shared client. An sdrs_pg_iter is
 * single-threaded.
 */
#ifndef SDRS_PG_H
#define SDRS_PG_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"
#include "sdrs/job.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_pg_spec sdrs_pg_spec;
typedef struct sdrs_pg sdrs_pg;
typedef struct sdrs_pg_list_opts sdrs_pg_list_opts;
typedef struct sdrs_pg_list sdrs_pg_list;
typedef struct sdrs_pg_iter sdrs_pg_iter;

/* ---- create request builder (spec 4.1) ---- */

SDRS_API int sdrs_pg_spec_new(sdrs_pg_spec **out, sdrs_error **err);
SDRS_API void sdrs_pg_spec_free(sdrs_pg_spec *spec);
/** Required: 1..64 bytes of A-Z a-z 0-9 . _ - */
SDRS_API int sdrs_pg_spec_set_name(sdrs_pg_spec *spec, const char *name, sdrs_error **err);
/** Optional: at most 64 bytes, no '<' or '>'. NULL clears. */
SDRS_API int sdrs_pg_spec_set_description(sdrs_pg_spec *spec, const char *description,
                                          sdrs_error **err);
/** @{ */
/** Required: production-site AZ and DR-site AZ (must differ). */
SDRS_API int sdrs_pg_spec_set_source_az(sdrs_pg_spec *spec, const char *az, sdrs_error **err);
SDRS_API int sdrs_pg_spec_set_target_az(sdrs_pg_spec *spec, const char *az, sdrs_error **err);
/** @} */
/** Required: active-active domain id (see sdrs_domain_list). */
SDRS_API int sdrs_pg_spec_set_domain_id(sdrs_pg_spec *spec, const char *domain_id,
                                        sdrs_error **err);
/** Required: VPC id of the production site. */
SDRS_API int sdrs_pg_spec_set_source_vpc_id(sdrs_pg_spec *spec, const char *vpc_id,
                                            sdrs_error **err);
/** Optional: deployment model, "migration" (the default and only documented value). */
SDRS_API int sdrs_pg_spec_set_dr_type(sdrs_pg_spec *spec, const char *dr_type, sdrs_error **err);
/** Optional: "ECS" (the default and only documented value; sent only when set). */
SDRS_API int sdrs_pg_spec_set_server_type(sdrs_pg_spec *spec, const char *server_type,
                                          sdrs_error **err);

/** Sends the create request; on success *job_id receives the job id (free with
 * sdrs_string_free). The whole spec is validated first: missing required fields fail with
 * SDRS_EVALIDATION naming them. */
SDRS_API int sdrs_pg_create(char **job_id, sdrs_client *client, const sdrs_pg_spec *spec,
                            const sdrs_call_opts *opts, sdrs_error **err);

/** Create + sdrs_job_wait + get: returns the created group. On a failed job returns
 * SDRS_EJOBFAILED as sdrs_job_wait does. wait_opts may be NULL. */
SDRS_API int sdrs_pg_create_and_wait(sdrs_pg **out, sdrs_client *client, const sdrs_pg_spec *spec,
                                     const sdrs_wait_opts *wait_opts, sdrs_error **err);

/** Reconciles a create whose outcome is unknown (sdrs_error_outcome_unknown): finds the group
 * that a create of `spec` sent at since_ms (sdrs_error_sent_at_ms) made, without sending a
 * create. It lists the groups whose name contains spec's name and keeps those whose name is
 * spec's name, whose source and target AZ, domain id and source VPC id equal spec's, and whose
 * created_at is at or after since_ms minus 5 minutes (an allowance for the skew between the
 * local clock and the service's). On success *out receives the group (free with
 * sdrs_pg_free); if several match, the newest (largest created_at) is returned. SDRS_ENOTFOUND
 * when none matches: the lost create made nothing, and creating again is safe.
 * SDRS_EPROTOCOL when a group matches everything but its created_at is missing or unreadable
 * (the library cannot tell whether the lost create made it). The group may still be creating,
 * or in error when the create's job failed: check sdrs_pg_status. since_ms must be a time
 * (not SDRS_TIME_NONE): SDRS_EVALIDATION otherwise. opts may be NULL; its deadline covers
 * every page read. */
SDRS_API int sdrs_pg_find_created(sdrs_pg **out, sdrs_client *client, const sdrs_pg_spec *spec,
                                  int64_t since_ms, const sdrs_call_opts *opts, sdrs_error **err);

/* ---- the protection group object (spec 4.7) ---- */

/** Protection group states as sdrs_pg_status() reports them. */
enum sdrs_pg_status {
  SDRS_PG_UNKNOWN = 0, /**< see sdrs_pg_status_str for the raw value */
  SDRS_PG_CREATING = 1,
  SDRS_PG_AVAILABLE = 2,
  SDRS_PG_PROTECTED = 3,
  SDRS_PG_DELETING = 4,
  SDRS_PG_ERROR_DELETING = 5,
  SDRS_PG_ERROR = 6,
  SDRS_PG_STARTING = 7,
  SDRS_PG_ERROR_STARTING = 8,
  SDRS_PG_REPROTECTING = 9,
  SDRS_PG_ERROR_REPROTECTING = 10,
  SDRS_PG_STOPPING = 11,
  SDRS_PG_ERROR_STOPPING = 12,
  SDRS_PG_REVERSING = 13,
  SDRS_PG_ERROR_REVERSING = 14,
  SDRS_PG_FAILING_OVER = 15,
  SDRS_PG_FAILED_OVER = 16,
  SDRS_PG_ERROR_FAILING_OVER = 17
};

/** Frees a group from sdrs_pg_get, sdrs_pg_rename or sdrs_pg_create_and_wait. NULL is fine. */
SDRS_API void sdrs_pg_free(sdrs_pg *pg);
/** @{ */
/** String getters: borrowed, NULL when absent or JSON null. */
SDRS_API const char *sdrs_pg_id(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_name(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_description(const sdrs_pg *pg);
SDRS_API int32_t sdrs_pg_status(const sdrs_pg *pg); /**< an sdrs_pg_status */
SDRS_API const char *sdrs_pg_status_str(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_source_az(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_target_az(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_domain_id(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_domain_name(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_priority_station(const sdrs_pg *pg); /**< "source" / "target" */
SDRS_API const char *sdrs_pg_protected_status(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_replication_status(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_health_status(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_source_vpc_id(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_target_vpc_id(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_test_vpc_id(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_dr_type(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_server_type(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_protection_type(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_replication_model(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_created_at(const sdrs_pg *pg);
SDRS_API const char *sdrs_pg_updated_at(const sdrs_pg *pg);
/** @} */
/** @{ */
/** created_at/updated_at as Unix milliseconds (UTC assumed; both documented formats
 * "yyyy-MM-dd HH:mm:ss.S..." and ISO-8601 are accepted), SDRS_TIME_NONE when absent. */
SDRS_API int64_t sdrs_pg_created_at_ms(const sdrs_pg *pg);
SDRS_API int64_t sdrs_pg_updated_at_ms(const sdrs_pg *pg);
/** @} */
/** @{ */
/** Integer getters: -1 when absent. */
SDRS_API int64_t sdrs_pg_progress(const sdrs_pg *pg);
SDRS_API int64_t sdrs_pg_protected_instance_num(const sdrs_pg *pg);
SDRS_API int64_t sdrs_pg_replication_num(const sdrs_pg *pg);
SDRS_API int64_t sdrs_pg_disaster_recovery_drill_num(const sdrs_pg *pg);
/** @} */
/** The group object as JSON text. */
SDRS_API const char *sdrs_pg_json(const sdrs_pg *pg);

/** Name of a group status value ("failed-over"...), "unknown" otherwise. Static. */
SDRS_API const char *sdrs_pg_status_name(int32_t status);

/* ---- calls on one group ---- */

/** GET one group. Unknown id: SDRS_ENOTFOUND. */
SDRS_API int sdrs_pg_get(sdrs_pg **out, sdrs_client *client, const char *group_id,
                         const sdrs_call_opts *opts, sdrs_error **err);
/** PUT: rename (synchronous), returns the updated group. new_name follows the name rule. */
SDRS_API int sdrs_pg_rename(sdrs_pg **out, sdrs_client *client, const char *group_id,
                            const char *new_name, const sdrs_call_opts *opts, sdrs_error **err);
/** Asynchronous calls: *job_id receives the job id (free with sdrs_string_free). */
SDRS_API int sdrs_pg_delete(char **job_id, sdrs_client *client, const char *group_id,
                            const sdrs_call_opts *opts, sdrs_error **err);
/** start-server-group: enable protection, or re-enable it after a failover. */
SDRS_API int sdrs_pg_enable(char **job_id, sdrs_client *client, const char *group_id,
                            const sdrs_call_opts *opts, sdrs_error **err);
/** stop-server-group: disable protection. */
SDRS_API int sdrs_pg_disable(char **job_id, sdrs_client *client, const char *group_id,
                             const sdrs_call_opts *opts, sdrs_error **err);
/** failover-server-group: unplanned failover to the DR site. */
SDRS_API int sdrs_pg_failover(char **job_id, sdrs_client *client, const char *group_id,
                              const sdrs_call_opts *opts, sdrs_error **err);
/** reverse-server-group: planned failover; priority_station is "source" or "target" (the site
 * that becomes production). */
SDRS_API int sdrs_pg_planned_failover(char **job_id, sdrs_client *client, const char *group_id,
                                      const char *priority_station, const sdrs_call_opts *opts,
                                      sdrs_error **err);

/* ---- listing (spec 4.2) ---- */

SDRS_API int sdrs_pg_list_opts_new(sdrs_pg_list_opts **out, sdrs_error **err);
SDRS_API void sdrs_pg_list_opts_free(sdrs_pg_list_opts *opts);
/** Page size 1..1000 (unset: the service default, 1000). */
SDRS_API int sdrs_pg_list_opts_set_limit(sdrs_pg_list_opts *opts, int64_t limit, sdrs_error **err);
/** Records to skip, >= 0. */
SDRS_API int sdrs_pg_list_opts_set_offset(sdrs_pg_list_opts *opts, int64_t offset,
                                          sdrs_error **err);
/** Filters; NULL clears. status is a group status value ("protected"...). */
SDRS_API int sdrs_pg_list_opts_set_status(sdrs_pg_list_opts *opts, const char *status,
                                          sdrs_error **err);
/** Substring match on the name. */
SDRS_API int sdrs_pg_list_opts_set_name(sdrs_pg_list_opts *opts, const char *name,
                                        sdrs_error **err);
/** "general", "status_abnormal", "stop_protected" or "period_no_dr_drill". */
SDRS_API int sdrs_pg_list_opts_set_query_type(sdrs_pg_list_opts *opts, const char *query_type,
                                              sdrs_error **err);
/** Current production-site AZ. */
SDRS_API int sdrs_pg_list_opts_set_availability_zone(sdrs_pg_list_opts *opts, const char *az,
                                                     sdrs_error **err);

/** One page. opts may be NULL (no filter, service defaults). */
SDRS_API int sdrs_pg_list_get(sdrs_pg_list **out, sdrs_client *client,
                              const sdrs_pg_list_opts *opts, const sdrs_call_opts *call_opts,
                              sdrs_error **err);
/** Frees the page and every group borrowed from it. NULL is fine. */
SDRS_API void sdrs_pg_list_free(sdrs_pg_list *list);
/** Groups in this page. */
SDRS_API size_t sdrs_pg_list_size(const sdrs_pg_list *list);
/** Borrowed group at index, NULL when out of range; lives as long as the list. */
SDRS_API const sdrs_pg *sdrs_pg_list_at(const sdrs_pg_list *list, size_t index);
/** The service's "count" (number of matching groups), -1 when absent. */
SDRS_API int64_t sdrs_pg_list_count(const sdrs_pg_list *list);

/** Iterator over all matching groups, fetching pages with limit/offset (page size from
 * opts' limit, default 1000; opts' offset is the starting point). The opts are copied. */
SDRS_API int sdrs_pg_iter_new(sdrs_pg_iter **out, sdrs_client *client,
                              const sdrs_pg_list_opts *opts, sdrs_error **err);
/** Frees the iterator (it holds a reference to its client until then). NULL is fine. */
SDRS_API void sdrs_pg_iter_free(sdrs_pg_iter *iter);
/** Advances: returns 0 and sets *pg to the next group (borrowed, valid until the next call
 * or sdrs_pg_iter_free), or returns 0 with *pg = NULL at the end, or a negative code. */
SDRS_API int sdrs_pg_iter_next(const sdrs_pg **pg, sdrs_pg_iter *iter,
                               const sdrs_call_opts *call_opts, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_PG_H */
