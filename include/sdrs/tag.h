/**
 * @file sdrs/tag.h
 * Tags on protected instances (/v1/{project_id}/protected-instances/.../tags) and the query
 * of protected instances by tag (POST .../protected-instances/resource_instances/action).
 *
 * Protected instances are the only taggable SDRS resource. Tag writes are synchronous (HTTP
 * 204). Limits: the sources disagree (spec part 2 section 6.1); the library enforces the most
 * tolerant documented limits and leaves the rest to the service: at most 20 tags per instance
 * in one batch; a key of 1..127 characters, a value of 0..255 characters, valid UTF-8 without
 * control characters; keys unique within one request.
 *
 * Threading: builders (sdrs_tag_set, sdrs_tag_query) are single-threaded; result handles are
 * immutable and may be read from any thread; the calls are safe on a shared client.
 */
#ifndef SDRS_TAG_H
#define SDRS_TAG_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"
#include "sdrs/pi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_tag_set sdrs_tag_set;
typedef struct sdrs_tag_list sdrs_tag_list;
typedef struct sdrs_tag_project_list sdrs_tag_project_list;
typedef struct sdrs_tag_query sdrs_tag_query;
typedef struct sdrs_tag_query_result sdrs_tag_query_result;
typedef struct sdrs_tag_query_iter sdrs_tag_query_iter;

/* ---- writing tags ---- */
/* The writes answer 204 without a body. An answer with a body is accepted only when it is JSON
 * (some gateways answer 200 with one); anything else fails with SDRS_EPROTOCOL. */

/** Adds one tag (or sets the value of an existing key) on an instance. */
SDRS_API int sdrs_tag_add(sdrs_client *client, const char *instance_id, const char *key,
                          const char *value, const sdrs_call_opts *opts, sdrs_error **err);
/** Deletes one tag by key. The key is percent-encoded in the path (any character allowed by
 * the key rule works); a key the instance does not have gives SDRS_ENOTFOUND (the service
 * answers HTTP 404, SDRS.2206). */
SDRS_API int sdrs_tag_delete(sdrs_client *client, const char *instance_id, const char *key,
                             const sdrs_call_opts *opts, sdrs_error **err);

/** A set of tags for the batch calls (*out; free with sdrs_tag_set_free). */
SDRS_API int sdrs_tag_set_new(sdrs_tag_set **out, sdrs_error **err);
/** Frees the set. NULL is fine. */
SDRS_API void sdrs_tag_set_free(sdrs_tag_set *set);
/** Adds a tag. value may be NULL: for a batch delete that removes the key whatever its value
 * (a batch add refuses a NULL value). A key given twice is refused. */
SDRS_API int sdrs_tag_set_add(sdrs_tag_set *set, const char *key, const char *value,
                              sdrs_error **err);
/** Batch add (action "create"): existing keys get the new values. The set must not be empty. */
SDRS_API int sdrs_tag_batch_add(sdrs_client *client, const char *instance_id,
                                const sdrs_tag_set *tags, const sdrs_call_opts *opts,
                                sdrs_error **err);
/** Batch delete (action "delete"): tags that do not exist are ignored by the service. A tag
 * with a value is removed only when key and value match. The set must not be empty. */
SDRS_API int sdrs_tag_batch_delete(sdrs_client *client, const char *instance_id,
                                   const sdrs_tag_set *tags, const sdrs_call_opts *opts,
                                   sdrs_error **err);

/* ---- reading tags ---- */

/** The tags of one instance (*out; free with sdrs_tag_list_free). */
SDRS_API int sdrs_tag_list_get(sdrs_tag_list **out, sdrs_client *client, const char *instance_id,
                               const sdrs_call_opts *opts, sdrs_error **err);
/** Frees the list. NULL is fine. */
SDRS_API void sdrs_tag_list_free(sdrs_tag_list *list);
/** @{ */
/** Count, then key and value at an index (borrowed, NULL when out of range). */
SDRS_API size_t sdrs_tag_list_size(const sdrs_tag_list *list);
SDRS_API const char *sdrs_tag_list_key(const sdrs_tag_list *list, size_t index);
SDRS_API const char *sdrs_tag_list_value(const sdrs_tag_list *list, size_t index);
/** @} */

/** Every tag key used in the project with all its values (*out; free with
 * sdrs_tag_project_list_free). */
SDRS_API int sdrs_tag_project_list_get(sdrs_tag_project_list **out, sdrs_client *client,
                                       const sdrs_call_opts *opts, sdrs_error **err);
/** Frees the list. NULL is fine. */
SDRS_API void sdrs_tag_project_list_free(sdrs_tag_project_list *list);
/** @{ */
/** Distinct keys, the key at an index, its number of values and one value (borrowed, NULL when
 * out of range). */
SDRS_API size_t sdrs_tag_project_list_size(const sdrs_tag_project_list *list);
SDRS_API const char *sdrs_tag_project_list_key(const sdrs_tag_project_list *list, size_t index);
SDRS_API size_t sdrs_tag_project_list_value_count(const sdrs_tag_project_list *list, size_t index);
SDRS_API const char *sdrs_tag_project_list_value(const sdrs_tag_project_list *list, size_t index,
                                                 size_t value_index);
/** @} */

/* ---- querying instances by tag ---- */

/** How a tag condition of a query matches (the four lists of the request). */
enum sdrs_tag_match {
  SDRS_TAG_MATCH_ALL = 0,     /**< "tags": has every listed key, each with any listed value */
  SDRS_TAG_MATCH_ANY = 1,     /**< "tags_any": has any listed key/value */
  SDRS_TAG_MATCH_NOT_ALL = 2, /**< "not_tags": excluded when it would match as MATCH_ALL */
  SDRS_TAG_MATCH_NOT_ANY = 3  /**< "not_tags_any": excluded when it has any listed key/value */
};

/** A new query (*out; free with sdrs_tag_query_free). With no condition every instance
 * matches. */
SDRS_API int sdrs_tag_query_new(sdrs_tag_query **out, sdrs_error **err);
/** Frees the query. NULL is fine. */
SDRS_API void sdrs_tag_query_free(sdrs_tag_query *query);
/** Adds a condition: match is an sdrs_tag_match; value NULL means "any value" (the key with an
 * empty values list); a value "*x" is a fuzzy match on x (a lone "*" is refused). Adding the
 * same key again in the same list adds a value to it. At most 20 keys per list and 20 values
 * per key; values unique per key. */
SDRS_API int sdrs_tag_query_add(sdrs_tag_query *query, int32_t match, const char *key,
                                const char *value, sdrs_error **err);
/** Case-insensitive substring match on the instance name (matches[{key: "resource_name"}]);
 * "" matches the exact empty name. NULL clears. At most 255 characters. */
SDRS_API int sdrs_tag_query_set_name(sdrs_tag_query *query, const char *name, sdrs_error **err);
/** Page size 1..1000 and records to skip (>= 0) for the filter call; sent as JSON strings as
 * the service requires. The count call refuses a query with either set (the service forbids
 * them there). */
SDRS_API int sdrs_tag_query_set_limit(sdrs_tag_query *query, int64_t limit, sdrs_error **err);
SDRS_API int sdrs_tag_query_set_offset(sdrs_tag_query *query, int64_t offset, sdrs_error **err);

/** action "filter": one page of matching instances (*out; free with
 * sdrs_tag_query_result_free). The query is a read sent as POST: it is retried like a GET
 * (5xx, 429, connection failures) and its failures never report an unknown outcome. */
SDRS_API int sdrs_tag_query_filter(sdrs_tag_query_result **out, sdrs_client *client,
                                   const sdrs_tag_query *query, const sdrs_call_opts *opts,
                                   sdrs_error **err);
/** action "count": the number of matching instances in *count. */
SDRS_API int sdrs_tag_query_count(int64_t *count, sdrs_client *client, const sdrs_tag_query *query,
                                  const sdrs_call_opts *opts, sdrs_error **err);
/** Frees a result. NULL is fine. */
SDRS_API void sdrs_tag_query_result_free(sdrs_tag_query_result *result);
/** The service's total_count (all matches, not only this page), -1 when absent. */
SDRS_API int64_t sdrs_tag_query_result_total_count(const sdrs_tag_query_result *result);
/** Matches in this page. */
SDRS_API size_t sdrs_tag_query_result_size(const sdrs_tag_query_result *result);
/** @{ */
/** The resource id and name at an index (borrowed, NULL when out of range). */
SDRS_API const char *sdrs_tag_query_result_resource_id(const sdrs_tag_query_result *result,
                                                       size_t index);
SDRS_API const char *sdrs_tag_query_result_resource_name(const sdrs_tag_query_result *result,
                                                         size_t index);
/** @} */
/** The full protected instance at an index (resource_detail; borrowed, lives as long as the
 * result; NULL when out of range or absent). Its tags are read with sdrs_pi_tag_*. */
SDRS_API const sdrs_pi *sdrs_tag_query_result_instance(const sdrs_tag_query_result *result,
                                                       size_t index);
/** The result as JSON text. */
SDRS_API const char *sdrs_tag_query_result_json(const sdrs_tag_query_result *result);

/** Iterator over all matching instances (pages with the query's limit, default 1000, from
 * its offset). The query is copied. */
SDRS_API int sdrs_tag_query_iter_new(sdrs_tag_query_iter **out, sdrs_client *client,
                                     const sdrs_tag_query *query, sdrs_error **err);
/** Frees the iterator. NULL is fine. */
SDRS_API void sdrs_tag_query_iter_free(sdrs_tag_query_iter *iter);
/** Returns 0 and sets *pi to the next matching instance (borrowed, valid until the next call
 * or sdrs_tag_query_iter_free), or 0 with *pi = NULL at the end, or a negative code. */
SDRS_API int sdrs_tag_query_iter_next(const sdrs_pi **pi, sdrs_tag_query_iter *iter,
                                      const sdrs_call_opts *call_opts, sdrs_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_TAG_H */
