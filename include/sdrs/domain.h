/**
 * @file
 * sdrs/domain.h: active-active domains (GET /v1/{project_id}/active-domains).
 *
 * A protection group is created inside one domain; its two AZs are the domain's local and
 * remote replication-cluster AZs (either may be the production site).
 *
 * Threading: result handles are immutable and may be read from any thread.
 */
#ifndef SDRS_DOMAIN_H
#define SDRS_DOMAIN_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_domain_list sdrs_domain_list;
typedef struct sdrs_domain sdrs_domain;

/** GET the active-active domains of the project (*out, free with sdrs_domain_list_free). */
SDRS_API int sdrs_domain_list_get(sdrs_domain_list **out, sdrs_client *client,
                                  const sdrs_call_opts *opts, sdrs_error **err);
SDRS_API void sdrs_domain_list_free(sdrs_domain_list *list);
SDRS_API size_t sdrs_domain_list_size(const sdrs_domain_list *list);
/** Borrowed domain at index (NULL when out of range), valid as long as the list. */
SDRS_API const sdrs_domain *sdrs_domain_list_at(const sdrs_domain_list *list, size_t index);
/** The whole response as JSON text. */
SDRS_API const char *sdrs_domain_list_json(const sdrs_domain_list *list);

/** @{ */
/** Getters: borrowed strings, NULL when absent or null. */
SDRS_API const char *sdrs_domain_id(const sdrs_domain *domain);
SDRS_API const char *sdrs_domain_name(const sdrs_domain *domain);
SDRS_API const char *sdrs_domain_description(const sdrs_domain *domain);
/** 1 when the domain has no capacity left, 0 when it has, -1 when absent. */
SDRS_API int sdrs_domain_sold_out(const sdrs_domain *domain);
SDRS_API const char *sdrs_domain_local_az(const sdrs_domain *domain);
SDRS_API const char *sdrs_domain_remote_az(const sdrs_domain *domain);
SDRS_API const char *sdrs_domain_json(const sdrs_domain *domain);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SDRS_DOMAIN_H */
