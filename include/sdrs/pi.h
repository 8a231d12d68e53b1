/*
 * sdrs/pi.h: protected instances (/v1/{project_id}/protected-instances).
 *
 * A protected instance is a production ECS server put into a protection group. Creating one
 * makes the service create the DR-site server (same name, new id, stopped), its DR disks and
 * one replication pair per disk, already attached to the instance. Shared disks are paired
 * explicitly (sdrs/pair.h) and attached with sdrs_pi_attach.
 *
 * Inputs are built with opaque builders (sdrs_pi_spec, sdrs_pi_nic_spec, sdrs_pi_list_opts);
 * results are immutable handles with getters (sdrs_pi, sdrs_pi_list). Every input is validated
 * before any request is sent; a rejected input returns SDRS_EVALIDATION with a message naming
 * the wire field and the rule. Ids used in a path are checked as one path segment, and an id
 * equal to a literal route segment of this resource ("tags", "batch", "delete",
 * "resource_instances") is refused: it would silently reach a different endpoint.
 *
 * Threading: builders are single-threaded; result handles are immutable and may be read from
 * any thread; the calls themselves are safe on a shared client. An sdrs_pi_iter is
 * single-threaded.
 */
#ifndef SDRS_PI_H
#define SDRS_PI_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"
#include "sdrs/job.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_pi_spec sdrs_pi_spec;
typedef struct sdrs_pi_nic_spec sdrs_pi_nic_spec;
typedef struct sdrs_pi sdrs_pi;
typedef struct sdrs_pi_list_opts sdrs_pi_list_opts;
typedef struct sdrs_pi_list sdrs_pi_list;
typedef struct sdrs_pi_iter sdrs_pi_iter;

/* ---- create request builder ---- */

SDRS_API int sdrs_pi_spec_new(sdrs_pi_spec **out, sdrs_error **err);
SDRS_API void sdrs_pi_spec_free(sdrs_pi_spec *spec);
/* Required: the protection group that receives the instance. */
SDRS_API int sdrs_pi_spec_set_server_group_id(sdrs_pi_spec *spec, const char *group_id,
                                              sdrs_error **err);
/* Required: the production-site ECS server (in the group's VPC and production AZ). */
SDRS_API int sdrs_pi_spec_set_server_id(sdrs_pi_spec *spec, const char *server_id,
                                        sdrs_error **err);
/* Required: 1..64 bytes of A-Z a-z 0-9 . _ - */
SDRS_API int sdrs_pi_spec_set_name(sdrs_pi_spec *spec, const char *name, sdrs_error **err);
/* Optional: at most 64 bytes, no '<' or '>'. NULL clears. */
SDRS_API int sdrs_pi_spec_set_description(sdrs_pi_spec *spec, const char *description,
                                          sdrs_error **err);
/* Optional: the network id (neutron_network_id) of the subnet for the DR server's primary NIC.
 * NULL clears. */
SDRS_API int sdrs_pi_spec_set_primary_subnet_id(sdrs_pi_spec *spec, const char *subnet_id,
                                                sdrs_error **err);
/* Optional: dotted-quad IPv4 address of the DR server's primary NIC; only sent together with
 * a primary subnet (create fails with SDRS_EVALIDATION naming primary_ip_address otherwise).
 * NULL clears. */
SDRS_API int sdrs_pi_spec_set_primary_ip_address(sdrs_pi_spec *spec, const char *ip,
                                                 sdrs_error **err);
/* Optional: ECS flavor of the DR server (wire field flavorRef); default: the production
 * server's flavor. NULL clears. */
SDRS_API int sdrs_pi_spec_set_flavor_ref(sdrs_pi_spec *spec, const char *flavor_ref,
                                         sdrs_error **err);
/* Optional initial tags. Adds one tag; a key given twice is refused. Limits (the sources
 * disagree, spec part 2 section 6.1; the most tolerant documented limits are enforced and the
 * service decides the rest): at most 20 tags; key 1..127 characters, value 0..255 characters,
 * valid UTF-8 without control characters. */
SDRS_API int sdrs_pi_spec_add_tag(sdrs_pi_spec *spec, const char *key, const char *value,
                                  sdrs_error **err);
SDRS_API int sdrs_pi_spec_clear_tags(sdrs_pi_spec *spec, sdrs_error **err);

/* Sends the create request; on success *job_id receives the job id (free with
 * sdrs_string_free). The whole spec is validated first. */
SDRS_API int sdrs_pi_create(char **job_id, sdrs_client *client, const sdrs_pi_spec *spec,
                            const sdrs_call_opts *opts, sdrs_error **err);
/* Create + sdrs_job_wait + get: returns the created instance (the id is read from the job's
 * entities.protected_instance_id). On a failed job returns SDRS_EJOBFAILED as sdrs_job_wait
 * does. wait_opts may be NULL; its deadline and cancel token cover all three steps. */
SDRS_API int sdrs_pi_create_and_wait(sdrs_pi **out, sdrs_client *client, const sdrs_pi_spec *spec,
                                     const sdrs_wait_opts *wait_opts, sdrs_error **err);

/* ---- the protected instance object ---- */

enum sdrs_pi_status {
  SDRS_PI_UNKNOWN = 0, /* see sdrs_pi_status_str for the raw value */
  SDRS_PI_CREATING = 1,
  SDRS_PI_AVAILABLE = 2,
  SDRS_PI_PROTECTED = 3,
  SDRS_PI_DELETING = 4,
  SDRS_PI_ERROR_DELETING = 5,
  SDRS_PI_ERROR = 6,
  SDRS_PI_STARTING = 7,
  SDRS_PI_ERROR_STARTING = 8,
  SDRS_PI_REPROTECTING = 9,
  SDRS_PI_ERROR_REPROTECTING = 10,
  SDRS_PI_STOPPING = 11,
  SDRS_PI_ERROR_STOPPING = 12,
  SDRS_PI_REVERSING = 13,
  SDRS_PI_ERROR_REVERSING = 14,
  SDRS_PI_FAILING_OVER = 15,
  SDRS_PI_FAILED_OVER = 16,
  SDRS_PI_ERROR_FAILING_OVER = 17,
  SDRS_PI_NIC_CREATING = 18,
  SDRS_PI_NIC_DELETING = 19,
  SDRS_PI_RESIZING = 20,
  SDRS_PI_ERROR_RESIZING = 21,
  SDRS_PI_INVALID = 22, /* one of its servers was deleted */
  SDRS_PI_FAULT = 23    /* its replication is unhealthy */
};

SDRS_API void sdrs_pi_free(sdrs_pi *pi);
/* String getters: borrowed, valid as long as the handle; NULL when absent or JSON null. */
SDRS_API const char *sdrs_pi_id(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_name(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_description(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_server_group_id(const sdrs_pi *pi);
SDRS_API int32_t sdrs_pi_status(const sdrs_pi *pi); /* an sdrs_pi_status */
SDRS_API const char *sdrs_pi_status_str(const sdrs_pi *pi);
/* Production-site and DR-site server ids. */
SDRS_API const char *sdrs_pi_source_server(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_target_server(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_priority_station(const sdrs_pi *pi); /* "source" / "target" */
SDRS_API const char *sdrs_pi_created_at(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_updated_at(const sdrs_pi *pi);
/* As Unix milliseconds (UTC assumed; "yyyy-MM-dd HH:mm:ss", 'T' instead of the space, 0..6
 * fraction digits and an optional 'Z' are accepted), SDRS_TIME_NONE when absent. */
SDRS_API int64_t sdrs_pi_created_at_ms(const sdrs_pi *pi);
SDRS_API int64_t sdrs_pi_updated_at_ms(const sdrs_pi *pi);
/* Synchronisation progress in percent; -1 when absent (a number sent as a string is read). */
SDRS_API int64_t sdrs_pi_progress(const sdrs_pi *pi);
/* Attached replication pairs: count, then the pair id and device name at an index (borrowed,
 * NULL when out of range). */
SDRS_API size_t sdrs_pi_attachment_count(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_attachment_replication_id(const sdrs_pi *pi, size_t index);
SDRS_API const char *sdrs_pi_attachment_device(const sdrs_pi *pi, size_t index);
/* Tags: count, key and value at an index (borrowed, NULL when out of range). */
SDRS_API size_t sdrs_pi_tag_count(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_tag_key(const sdrs_pi *pi, size_t index);
SDRS_API const char *sdrs_pi_tag_value(const sdrs_pi *pi, size_t index);
/* Metadata map: count, key/value at an index, and lookup by key (borrowed, NULL when absent).
 * Scalar values are kept as text: a JSON boolean reads "true"/"false". */
SDRS_API size_t sdrs_pi_metadata_count(const sdrs_pi *pi);
SDRS_API const char *sdrs_pi_metadata_key(const sdrs_pi *pi, size_t index);
SDRS_API const char *sdrs_pi_metadata_value(const sdrs_pi *pi, size_t index);
SDRS_API const char *sdrs_pi_metadata_get(const sdrs_pi *pi, const char *key);
/* 1 when metadata.__system__frozen is "true" or true, else 0 (absent means not frozen). */
SDRS_API int sdrs_pi_frozen(const sdrs_pi *pi);
/* The instance object as JSON text. The object carries no NIC list (the service documents
 * none); the id of a NIC added with sdrs_pi_add_nic is the job entity "nic_id". */
SDRS_API const char *sdrs_pi_json(const sdrs_pi *pi);

/* Name of an instance status value ("nic-creating"...), "unknown" otherwise. Static. */
SDRS_API const char *sdrs_pi_status_name(int32_t status);

/* ---- calls on one instance ---- */

/* GET one instance. Unknown id: SDRS_ENOTFOUND (HTTP 404) or the service's not-found code. */
SDRS_API int sdrs_pi_get(sdrs_pi **out, sdrs_client *client, const char *instance_id,
                         const sdrs_call_opts *opts, sdrs_error **err);
/* PUT: rename (synchronous), returns the updated instance. */
SDRS_API int sdrs_pi_rename(sdrs_pi **out, sdrs_client *client, const char *instance_id,
                            const char *new_name, const sdrs_call_opts *opts, sdrs_error **err);
/* Asynchronous calls: *job_id receives the job id (free with sdrs_string_free). */
/* DELETE with a JSON body: delete_target_server also deletes the DR-site server and its disks;
 * delete_target_eip also releases the DR server's EIP (booleans: 0 or nonzero). The production
 * server is never deleted. */
SDRS_API int sdrs_pi_delete(char **job_id, sdrs_client *client, const char *instance_id,
                            int delete_target_server, int delete_target_eip,
                            const sdrs_call_opts *opts, sdrs_error **err);
/* Attaches a replication pair of the same group under a device name ("/dev/vdb", "/dev/sdc":
 * /dev/ followed by sd or vd or xvd and one or more lowercase letters). */
SDRS_API int sdrs_pi_attach(char **job_id, sdrs_client *client, const char *instance_id,
                            const char *replication_id, const char *device,
                            const sdrs_call_opts *opts, sdrs_error **err);
SDRS_API int sdrs_pi_detach(char **job_id, sdrs_client *client, const char *instance_id,
                            const char *replication_id, const sdrs_call_opts *opts,
                            sdrs_error **err);

/* NIC request builder for sdrs_pi_add_nic. */
SDRS_API int sdrs_pi_nic_spec_new(sdrs_pi_nic_spec **out, sdrs_error **err);
SDRS_API void sdrs_pi_nic_spec_free(sdrs_pi_nic_spec *nic);
/* Required: the subnet's network id (neutron_network_id), in the group's VPC. */
SDRS_API int sdrs_pi_nic_spec_set_subnet_id(sdrs_pi_nic_spec *nic, const char *subnet_id,
                                            sdrs_error **err);
/* Optional: a free IPv4 address in the subnet (auto-assigned when unset). NULL clears. */
SDRS_API int sdrs_pi_nic_spec_set_ip_address(sdrs_pi_nic_spec *nic, const char *ip,
                                             sdrs_error **err);
/* Optional: adds a security group id (the service's default group when none). */
SDRS_API int sdrs_pi_nic_spec_add_security_group(sdrs_pi_nic_spec *nic, const char *sg_id,
                                                 sdrs_error **err);
SDRS_API int sdrs_pi_add_nic(char **job_id, sdrs_client *client, const char *instance_id,
                             const sdrs_pi_nic_spec *nic, const sdrs_call_opts *opts,
                             sdrs_error **err);
/* Removes a non-primary NIC by its port id. */
SDRS_API int sdrs_pi_delete_nic(char **job_id, sdrs_client *client, const char *instance_id,
                                const char *nic_id, const sdrs_call_opts *opts, sdrs_error **err);
/* Changes flavors (wire field resize.*flavorRef). flavor_ref sets both servers; otherwise
 * production_flavor_ref and/or dr_flavor_ref set one each. NULL omits a field; at least one
 * must be given, and flavor_ref excludes the other two (the service would ignore them). */
SDRS_API int sdrs_pi_resize(char **job_id, sdrs_client *client, const char *instance_id,
                            const char *flavor_ref, const char *production_flavor_ref,
                            const char *dr_flavor_ref, const sdrs_call_opts *opts,
                            sdrs_error **err);

/* ---- listing ---- */

SDRS_API int sdrs_pi_list_opts_new(sdrs_pi_list_opts **out, sdrs_error **err);
SDRS_API void sdrs_pi_list_opts_free(sdrs_pi_list_opts *opts);
/* Page size 1..1000 (unset: the service default, 1000). */
SDRS_API int sdrs_pi_list_opts_set_limit(sdrs_pi_list_opts *opts, int64_t limit,
                                         sdrs_error **err);
/* Records to skip, >= 0. */
SDRS_API int sdrs_pi_list_opts_set_offset(sdrs_pi_list_opts *opts, int64_t offset,
                                          sdrs_error **err);
/* Instances of one group. NULL clears. */
SDRS_API int sdrs_pi_list_opts_set_server_group_id(sdrs_pi_list_opts *opts, const char *group_id,
                                                   sdrs_error **err);
/* Instances of any of several groups (server_group_ids, at most 30; the service lets it
 * override server_group_id). Adds one id. */
SDRS_API int sdrs_pi_list_opts_add_server_group_id(sdrs_pi_list_opts *opts, const char *group_id,
                                                   sdrs_error **err);
/* Only these instances (protected_instance_ids, at most 30; the service ignores it when a
 * group filter is present). Adds one id. */
SDRS_API int sdrs_pi_list_opts_add_instance_id(sdrs_pi_list_opts *opts, const char *instance_id,
                                               sdrs_error **err);
/* Filters; NULL clears. status is an instance status value ("protected"...). */
SDRS_API int sdrs_pi_list_opts_set_status(sdrs_pi_list_opts *opts, const char *status,
                                          sdrs_error **err);
/* Substring match on the name. */
SDRS_API int sdrs_pi_list_opts_set_name(sdrs_pi_list_opts *opts, const char *name,
                                        sdrs_error **err);
/* "general" or "status_abnormal". */
SDRS_API int sdrs_pi_list_opts_set_query_type(sdrs_pi_list_opts *opts, const char *query_type,
                                              sdrs_error **err);
/* The group's current production-site AZ. */
SDRS_API int sdrs_pi_list_opts_set_availability_zone(sdrs_pi_list_opts *opts, const char *az,
                                                     sdrs_error **err);

/* One page. opts may be NULL (no filter, service defaults). */
SDRS_API int sdrs_pi_list_get(sdrs_pi_list **out, sdrs_client *client,
                              const sdrs_pi_list_opts *opts, const sdrs_call_opts *call_opts,
                              sdrs_error **err);
SDRS_API void sdrs_pi_list_free(sdrs_pi_list *list);
SDRS_API size_t sdrs_pi_list_size(const sdrs_pi_list *list);
/* Borrowed instance at index, NULL when out of range; lives as long as the list. */
SDRS_API const sdrs_pi *sdrs_pi_list_at(const sdrs_pi_list *list, size_t index);
/* The service's "count", -1 when absent. */
SDRS_API int64_t sdrs_pi_list_count(const sdrs_pi_list *list);

/* Iterator over all matching instances, fetching pages with limit/offset until a short page
 * (page size from opts' limit, default 1000; opts' offset is the starting point). The opts
 * are copied. */
SDRS_API int sdrs_pi_iter_new(sdrs_pi_iter **out, sdrs_client *client,
                              const sdrs_pi_list_opts *opts, sdrs_error **err);
SDRS_API void sdrs_pi_iter_free(sdrs_pi_iter *iter);
/* Returns 0 and sets *pi to the next instance (borrowed, valid until the next call or
 * sdrs_pi_iter_free), or 0 with *pi = NULL at the end, or a negative code. */
SDRS_API int sdrs_pi_iter_next(const sdrs_pi **pi, sdrs_pi_iter *iter,
                               const sdrs_call_opts *call_opts, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_PI_H */
