// sdrs/domain.h: active-active domains.
#include "capi/handles.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;

extern "C" {

SDRS_API int sdrs_domain_list_get(sdrs_domain_list **out, sdrs_client *client,
                                  const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::DomainList list = need(client, "client")->impl->domains(sdrs::capi::call_context(opts));
    auto result = std::make_unique<sdrs_domain_list>();
    result->json = std::move(list.json);
    result->domains.reserve(list.domains.size());
    for (auto &d : list.domains) result->domains.push_back(sdrs_domain{std::move(d)});
    *out = result.release();
  });
}
SDRS_API void sdrs_domain_list_free(sdrs_domain_list *list) {
  delete list;
}
SDRS_API size_t sdrs_domain_list_size(const sdrs_domain_list *list) {
  return list == nullptr ? 0 : list->domains.size();
}
SDRS_API const sdrs_domain *sdrs_domain_list_at(const sdrs_domain_list *list, size_t index) {
  return list == nullptr || index >= list->domains.size() ? nullptr : &list->domains[index];
}
SDRS_API const char *sdrs_domain_list_json(const sdrs_domain_list *list) {
  return list == nullptr ? nullptr : list->json.c_str();
}
// One line per getter: C name -> field index of the table (core/resources/domain.hpp).
#define SDRS_DOMAIN_STRING_GETTER(fn, field)              \
  SDRS_API const char *fn(const sdrs_domain *d) {         \
    return d == nullptr ? nullptr : d->domain.str(field); \
  }
SDRS_DOMAIN_STRING_GETTER(sdrs_domain_id, sdrs::kDomainId)
SDRS_DOMAIN_STRING_GETTER(sdrs_domain_name, sdrs::kDomainName)
SDRS_DOMAIN_STRING_GETTER(sdrs_domain_description, sdrs::kDomainDescription)
#undef SDRS_DOMAIN_STRING_GETTER

SDRS_API int sdrs_domain_sold_out(const sdrs_domain *d) {
  return d == nullptr ? -1 : d->domain.boolean(sdrs::kDomainSoldOut);
}
SDRS_API const char *sdrs_domain_local_az(const sdrs_domain *d) {
  return d == nullptr ? nullptr : sdrs::local_az(d->domain);
}
SDRS_API const char *sdrs_domain_remote_az(const sdrs_domain *d) {
  return d == nullptr ? nullptr : sdrs::remote_az(d->domain);
}
SDRS_API const char *sdrs_domain_json(const sdrs_domain *d) {
  return d == nullptr ? nullptr : d->domain.json().data();
}

}  // extern "C"
