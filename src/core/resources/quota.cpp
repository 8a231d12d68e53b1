#include "core/resources/quota.hpp"

#include <iterator>

#include "core/codec.hpp"
#include "core/error.hpp"

namespace sdrs {
namespace {

#define SDRS_FIELD_DEF(index, wire, kind, child, required) {wire, child, FieldKind::kind, required},
constexpr FieldDef kQuotaResourceFields[] = {SDRS_QUOTA_RESOURCE_FIELDS(SDRS_FIELD_DEF)};
constexpr FieldDef kQuotaFields[] = {SDRS_QUOTA_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kQuotaResourceFields) == kQuotaResourceFieldCount,
              "SDRS_QUOTA_RESOURCE_FIELDS: table and enum differ");
static_assert(std::size(kQuotaFields) == kQuotaFieldCount,
              "SDRS_QUOTA_FIELDS: table and enum differ");

// A number of the entry: absent, or >= lowest (-1 where -1 means unlimited).
void check_number(const Record &entry, size_t field, int64_t lowest) {
  if (!entry.has(field)) return;
  const int64_t v = entry.integer(field);
  if (v < lowest) {
    fail(Code::kProtocol, std::string("unexpected response: quotas.resources: '") +
                              kQuotaResourceFields[field].wire + "' is " + std::to_string(v) +
                              (lowest == 0 ? " (negative)" : " (neither a limit nor -1)"));
  }
}

}  // namespace

const RecordDef kQuotaResourceRecord = {"quotas.resources", kQuotaResourceFields,
                                        std::size(kQuotaResourceFields)};
const RecordDef kQuotaRecord = {"quotas", kQuotaFields, std::size(kQuotaFields)};

QuotaKind quota_kind(const Record &entry, size_t field, int64_t *value) {
  if (!entry.has(field)) return QuotaKind::kAbsent;
  const int64_t v = entry.integer(field);
  if (v == -1) return QuotaKind::kUnlimited;
  if (value != nullptr) *value = v;
  return QuotaKind::kLimited;
}

Quota decode_quota(const std::string &body) {
  Quota quota = decode_record_member(body, "quotas", kQuotaRecord);
  for (const Record &entry : quota.children(kQuotaResources)) {
    check_number(entry, kQuotaUsed, 0);
    check_number(entry, kQuotaLimit, -1);
    check_number(entry, kQuotaMin, -1);
    check_number(entry, kQuotaMax, -1);
  }
  return quota;
}

}  // namespace sdrs
