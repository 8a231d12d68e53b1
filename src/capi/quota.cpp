// sdrs/quota.h: the quota handle. A limit is handed out with its kind, never as -1.
#include <string>

#include "capi/handles.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;

namespace {

const sdrs::Record *entry_at(const sdrs_quota *quota, size_t index) {
  if (quota == nullptr) return nullptr;
  const auto &list = quota->quota.children(sdrs::kQuotaResources);
  return index < list.size() ? &list[index] : nullptr;
}

int32_t limit_of(const sdrs_quota *quota, size_t index, size_t field, int64_t *value) {
  const sdrs::Record *e = entry_at(quota, index);
  if (e == nullptr) return SDRS_QUOTA_ABSENT;
  return static_cast<int32_t>(sdrs::quota_kind(*e, field, value));
}

static_assert(static_cast<int32_t>(sdrs::QuotaKind::kAbsent) == SDRS_QUOTA_ABSENT &&
                  static_cast<int32_t>(sdrs::QuotaKind::kLimited) == SDRS_QUOTA_LIMITED &&
                  static_cast<int32_t>(sdrs::QuotaKind::kUnlimited) == SDRS_QUOTA_UNLIMITED,
              "sdrs::QuotaKind and enum sdrs_quota_kind differ");

}  // namespace

extern "C" {

SDRS_API int sdrs_quota_get(sdrs_quota **out, sdrs_client *client, const sdrs_call_opts *opts,
                            sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Quota q = need(client, "client")->impl->get_quota(sdrs::capi::call_context(opts));
    *out = new sdrs_quota{std::move(q)};
  });
}
SDRS_API void sdrs_quota_free(sdrs_quota *quota) {
  delete quota;
}
SDRS_API size_t sdrs_quota_size(const sdrs_quota *quota) {
  return quota == nullptr ? 0 : quota->quota.children(sdrs::kQuotaResources).size();
}
SDRS_API const char *sdrs_quota_type(const sdrs_quota *quota, size_t index) {
  const sdrs::Record *e = entry_at(quota, index);
  return e == nullptr ? nullptr : e->str(sdrs::kQuotaType);
}
SDRS_API int64_t sdrs_quota_find(const sdrs_quota *quota, const char *type) {
  if (quota == nullptr || type == nullptr) return -1;
  const auto &list = quota->quota.children(sdrs::kQuotaResources);
  for (size_t i = 0; i < list.size(); ++i) {
    const char *t = list[i].str(sdrs::kQuotaType);
    if (t != nullptr && std::string(t) == type) return static_cast<int64_t>(i);
  }
  return -1;
}
SDRS_API int64_t sdrs_quota_used(const sdrs_quota *quota, size_t index) {
  const sdrs::Record *e = entry_at(quota, index);
  return e == nullptr ? -1 : e->integer(sdrs::kQuotaUsed);
}
SDRS_API int32_t sdrs_quota_limit(const sdrs_quota *quota, size_t index, int64_t *value) {
  return limit_of(quota, index, sdrs::kQuotaLimit, value);
}
SDRS_API int32_t sdrs_quota_min(const sdrs_quota *quota, size_t index, int64_t *value) {
  return limit_of(quota, index, sdrs::kQuotaMin, value);
}
SDRS_API int32_t sdrs_quota_max(const sdrs_quota *quota, size_t index, int64_t *value) {
  return limit_of(quota, index, sdrs::kQuotaMax, value);
}
SDRS_API const char *sdrs_quota_json(const sdrs_quota *quota) {
  return quota == nullptr ? nullptr : quota->quota.json().data();
}

}  // extern "C"
