// Tenant quotas (spec part 2, section 8): GET /v1/{project_id}/sdrs/quotas. The service's -1
// ("unlimited") is turned into a kind here, so no caller ever compares a limit against -1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/record.hpp"

namespace sdrs {

extern const RecordDef kQuotaResourceRecord;  // name "quotas.resources"

// X(index, wire name, kind, child table, required). Numbers are also read from strings.
#define SDRS_QUOTA_RESOURCE_FIELDS(X)               \
  X(kQuotaType, "type", kString, nullptr, false)    \
  X(kQuotaUsed, "used", kIntText, nullptr, false)   \
  X(kQuotaLimit, "quota", kIntText, nullptr, false) \
  X(kQuotaMin, "min", kIntText, nullptr, false)     \
  X(kQuotaMax, "max", kIntText, nullptr, false)

#define SDRS_QUOTA_FIELDS(X) \
  X(kQuotaResources, "resources", kObjectList, &kQuotaResourceRecord, false)

#define SDRS_FIELD_INDEX(index, wire, kind, child, required) index,
enum QuotaResourceField : size_t {
  SDRS_QUOTA_RESOURCE_FIELDS(SDRS_FIELD_INDEX) kQuotaResourceFieldCount
};
enum QuotaField : size_t { SDRS_QUOTA_FIELDS(SDRS_FIELD_INDEX) kQuotaFieldCount };
#undef SDRS_FIELD_INDEX

extern const RecordDef kQuotaRecord;  // name "quotas"

using Quota = Record;  // of kQuotaRecord

// What a limit field holds (the values of enum sdrs_quota_kind).
enum class QuotaKind : int32_t { kAbsent = 0, kLimited = 1, kUnlimited = 2 };
// The kind of entry's quota/min/max field; *value gets the limit only for kLimited.
QuotaKind quota_kind(const Record &entry, size_t field, int64_t *value);

// {"quotas": {"resources": [...]}}. used, quota, min and max are >= 0, or -1 (unlimited) for
// the limits; anything else is a protocol error.
Quota decode_quota(const std::string &body);

}  // namespace sdrs
