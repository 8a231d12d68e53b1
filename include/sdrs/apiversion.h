/**
 * @file
 * sdrs/apiversion.h: API version discovery (GET / and GET /{version}).
 *
 * Threading: result handles are immutable and may be read from any thread.
 */
#ifndef SDRS_APIVERSION_H
#define SDRS_APIVERSION_H

#include "sdrs/client.h"
#include "sdrs/common.h"
#include "sdrs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_apiversion_list sdrs_apiversion_list;
typedef struct sdrs_apiversion sdrs_apiversion;

/** GET / : every version the endpoint serves. */
SDRS_API int sdrs_apiversion_list_get(sdrs_apiversion_list **out, sdrs_client *client,
                                      const sdrs_call_opts *opts, sdrs_error **err);
SDRS_API void sdrs_apiversion_list_free(sdrs_apiversion_list *list);
SDRS_API size_t sdrs_apiversion_list_size(const sdrs_apiversion_list *list);
/** Borrowed version at index (NULL when out of range), valid as long as the list. */
SDRS_API const sdrs_apiversion *sdrs_apiversion_list_at(const sdrs_apiversion_list *list,
                                                        size_t index);

/** GET /{version_id} (e.g. "v1"): one version, as an owned handle. */
SDRS_API int sdrs_apiversion_get(sdrs_apiversion **out, sdrs_client *client,
                                 const char *version_id, const sdrs_call_opts *opts,
                                 sdrs_error **err);
SDRS_API void sdrs_apiversion_free(sdrs_apiversion *version);

/** @{ */
/** Getters: borrowed, NULL when absent. */
SDRS_API const char *sdrs_apiversion_id(const sdrs_apiversion *version);
SDRS_API const char *sdrs_apiversion_status(const sdrs_apiversion *version); /**< CURRENT... */
SDRS_API const char *sdrs_apiversion_version(const sdrs_apiversion *version);
SDRS_API const char *sdrs_apiversion_min_version(const sdrs_apiversion *version);
SDRS_API const char *sdrs_apiversion_updated(const sdrs_apiversion *version);
/** href of the link with rel "self", NULL when none. */
SDRS_API const char *sdrs_apiversion_self_link(const sdrs_apiversion *version);
SDRS_API const char *sdrs_apiversion_json(const sdrs_apiversion *version);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SDRS_APIVERSION_H */
