/**
 * @file sdrs/quota.h
 * Tenant quotas (GET /v1/{project_id}/sdrs/quotas): protection groups ("server_groups") and
 * replication pairs ("replications").
 *
 * The service sends -1 for "unlimited". The library never hands that out as a number: a limit
 * is read through a call that returns its kind (SDRS_QUOTA_LIMITED with the value, or
 * SDRS_QUOTA_UNLIMITED without one), so no caller can compare against -1 by mistake.
 *
 * Threading: the result handle is immutable and may be read from any thread.
 */
#ifndef SDRS_QUOTA_H
#define SDRS_QUOTA_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_quota sdrs_quota;

/** What a quota limit is. */
enum sdrs_quota_kind {
  SDRS_QUOTA_ABSENT = 0,   /**< the service sent no value (or the index is out of range) */
  SDRS_QUOTA_LIMITED = 1,  /**< a limit: the value is stored */
  SDRS_QUOTA_UNLIMITED = 2 /**< no limit (the service's -1): nothing is stored */
};

/** Reads the quotas (*out; free with sdrs_quota_free). */
SDRS_API int sdrs_quota_get(sdrs_quota **out, sdrs_client *client, const sdrs_call_opts *opts,
                            sdrs_error **err);
/** Frees the handle. NULL is fine. */
SDRS_API void sdrs_quota_free(sdrs_quota *quota);
/** Number of quota entries. */
SDRS_API size_t sdrs_quota_size(const sdrs_quota *quota);
/** The entry's type ("server_groups", "replications", ...; borrowed, NULL when out of
 * range). */
SDRS_API const char *sdrs_quota_type(const sdrs_quota *quota, size_t index);
/** Index of the entry of a type, or -1 when there is none. */
SDRS_API int64_t sdrs_quota_find(const sdrs_quota *quota, const char *type);
/** Resources in use, -1 when absent or out of range. */
SDRS_API int64_t sdrs_quota_used(const sdrs_quota *quota, size_t index);
/** The limit: returns an sdrs_quota_kind and stores the value in *value only for
 * SDRS_QUOTA_LIMITED (value may be NULL). */
SDRS_API int32_t sdrs_quota_limit(const sdrs_quota *quota, size_t index, int64_t *value);
/** The lowest value the limit may be set to (as sdrs_quota_limit). */
SDRS_API int32_t sdrs_quota_min(const sdrs_quota *quota, size_t index, int64_t *value);
/** The highest value the limit may be set to (as sdrs_quota_limit). */
SDRS_API int32_t sdrs_quota_max(const sdrs_quota *quota, size_t index, int64_t *value);
/** The quota object as JSON text. */
SDRS_API const char *sdrs_quota_json(const sdrs_quota *quota);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_QUOTA_H */
