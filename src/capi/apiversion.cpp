// sdrs/apiversion.h: API version discovery.
#include "capi/handles.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;

extern "C" {

SDRS_API int sdrs_apiversion_list_get(sdrs_apiversion_list **out, sdrs_client *client,
                                      const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    std::vector<sdrs::ApiVersion> versions =
        need(client, "client")->impl->api_versions(sdrs::capi::call_context(opts));
    auto result = std::make_unique<sdrs_apiversion_list>();
    for (auto &v : versions) result->versions.push_back(sdrs_apiversion{std::move(v)});
    *out = result.release();
  });
}
SDRS_API void sdrs_apiversion_list_free(sdrs_apiversion_list *list) {
  delete list;
}
SDRS_API size_t sdrs_apiversion_list_size(const sdrs_apiversion_list *list) {
  return list == nullptr ? 0 : list->versions.size();
}
SDRS_API const sdrs_apiversion *sdrs_apiversion_list_at(const sdrs_apiversion_list *list,
                                                        size_t index) {
  return list == nullptr || index >= list->versions.size() ? nullptr : &list->versions[index];
}
SDRS_API int sdrs_apiversion_get(sdrs_apiversion **out, sdrs_client *client, const char *version_id,
                                 const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::ApiVersion v =
        need(client, "client")
            ->impl->api_version(need_str(version_id, "version_id"), sdrs::capi::call_context(opts));
    *out = new sdrs_apiversion{std::move(v)};
  });
}
SDRS_API void sdrs_apiversion_free(sdrs_apiversion *version) {
  delete version;
}

#define SDRS_APIVERSION_GETTER(fn, field)                                  \
  SDRS_API const char *fn(const sdrs_apiversion *v) {                      \
    return v == nullptr ? nullptr : sdrs::c_str_or_null(v->version.field); \
  }
SDRS_APIVERSION_GETTER(sdrs_apiversion_id, id)
SDRS_APIVERSION_GETTER(sdrs_apiversion_status, status)
SDRS_APIVERSION_GETTER(sdrs_apiversion_version, version)
SDRS_APIVERSION_GETTER(sdrs_apiversion_min_version, min_version)
SDRS_APIVERSION_GETTER(sdrs_apiversion_updated, updated)
SDRS_APIVERSION_GETTER(sdrs_apiversion_self_link, self_link)
#undef SDRS_APIVERSION_GETTER
SDRS_API const char *sdrs_apiversion_json(const sdrs_apiversion *v) {
  return v == nullptr ? nullptr : v->version.json.c_str();
}

}  // extern "C"
