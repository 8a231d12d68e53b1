#include "core/resources/domain.hpp"

#include <iterator>

#include "core/codec.hpp"

namespace sdrs {
namespace {

constexpr FieldDef kClusterFields[] = {{"availability_zone", nullptr, FieldKind::kString, false}};
static_assert(std::size(kClusterFields) == kClusterFieldCount, "cluster: table and enum differ");

}  // namespace

const RecordDef kClusterRecord = {"replication_cluster", kClusterFields, std::size(kClusterFields)};

namespace {

#define SDRS_FIELD_DEF(index, wire, kind, child) {wire, child, FieldKind::kind, false},
const FieldDef kDomainFields[] = {SDRS_DOMAIN_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kDomainFields) == kDomainFieldCount, "domain: table and enum differ");

const char *cluster_az(const Domain &d, DomainField side) {
  const Record *cluster = d.child(side);
  return cluster != nullptr ? cluster->str(kClusterAz) : nullptr;
}

}  // namespace

const RecordDef kDomainRecord = {"domain", kDomainFields, std::size(kDomainFields)};

const char *local_az(const Domain &d) {
  return cluster_az(d, kDomainLocalCluster);
}

const char *remote_az(const Domain &d) {
  return cluster_az(d, kDomainRemoteCluster);
}

DomainList decode_domains(const std::string &body) {
  DomainList list;
  list.domains = decode_record_array(body, "domains", kDomainRecord, nullptr, &list.json);
  return list;
}

}  // namespace sdrs
