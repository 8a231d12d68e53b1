// Active-active domains (spec 3): the domain object's fields, named once.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/record.hpp"

namespace sdrs {

// X(index, wire name, kind, child table). The clusters are objects of kClusterRecord.
#define SDRS_DOMAIN_FIELDS(X)                                                   \
  X(kDomainId, "id", kString, nullptr)                                          \
  X(kDomainName, "name", kString, nullptr)                                      \
  X(kDomainDescription, "description", kString, nullptr)                        \
  X(kDomainSoldOut, "sold_out", kBool, nullptr)                                 \
  X(kDomainLocalCluster, "local_replication_cluster", kObject, &kClusterRecord) \
  X(kDomainRemoteCluster, "remote_replication_cluster", kObject, &kClusterRecord)

#define SDRS_FIELD_INDEX(index, wire, kind, child) index,
enum DomainField : size_t { SDRS_DOMAIN_FIELDS(SDRS_FIELD_INDEX) kDomainFieldCount };
#undef SDRS_FIELD_INDEX

// A replication cluster: {"availability_zone": "..."}.
enum ClusterField : size_t { kClusterAz, kClusterFieldCount };

extern const RecordDef kClusterRecord;
extern const RecordDef kDomainRecord;  // name "domain"

using Domain = Record;  // of kDomainRecord

struct DomainList {
  std::string json;
  std::vector<Domain> domains;
};

// The availability zone of a domain's local / remote cluster; nullptr when absent.
const char *local_az(const Domain &d);
const char *remote_az(const Domain &d);

DomainList decode_domains(const std::string &body);  // {"domains": [...]}

}  // namespace sdrs
