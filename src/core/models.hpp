// Plain C++ models of what the SDRS API sends and receives. Results keep their JSON text so the
// C API can offer it (design rule 5). Absent and JSON-null fields are simply not stored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sdrs {

using OptString = std::optional<std::string>;

constexpr int64_t kTimeNone = INT64_MIN;

// Create request (spec 4.1).
struct PgSpec {
  OptString name;
  OptString description;
  OptString source_az;
  OptString target_az;
  OptString domain_id;
  OptString source_vpc_id;
  OptString dr_type;      // sent as "migration" when unset
  OptString server_type;  // sent only when set
};

// GET /jobs/{id} (spec 5).
struct Job {
  std::string json;
  OptString id, type, status, begin_time, end_time, error_code, fail_reason;
  int64_t begin_ms = kTimeNone;
  int64_t end_ms = kTimeNone;
  std::map<std::string, std::string> entities;  // scalar entries, numbers/bools as JSON text
  std::vector<Job> sub_jobs;

  bool finished() const { return status == "SUCCESS" || status == "FAIL"; }
  const char *entity(const std::string &key) const {
    const auto it = entities.find(key);
    return it == entities.end() ? nullptr : it->second.c_str();
  }
};

// Protection group object (spec 4.7): string and integer fields by wire name.
struct Group {
  std::string json;
  std::map<std::string, std::string> strings;
  std::map<std::string, int64_t> ints;
  int64_t created_ms = kTimeNone;
  int64_t updated_ms = kTimeNone;

  const char *str(const char *field) const {
    const auto it = strings.find(field);
    return it == strings.end() ? nullptr : it->second.c_str();
  }
  int64_t integer(const char *field) const {
    const auto it = ints.find(field);
    return it == ints.end() ? -1 : it->second;
  }
};

struct GroupList {
  std::vector<Group> groups;
  int64_t count = -1;
};

// GET /v1/{project_id}/server-groups filters (spec 4.2).
struct ListQuery {
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  OptString status, name, query_type, availability_zone;
};

// Active-active domain (spec 3).
struct Domain {
  std::string json;
  OptString id, name, description, local_az, remote_az;
  int sold_out = -1;
};

struct DomainList {
  std::string json;
  std::vector<Domain> domains;
};

// API version object (spec 2).
struct ApiVersion {
  std::string json;
  OptString id, status, version, min_version, updated, self_link;
};

// Error body of any documented shape (spec 1.4).
struct ErrorBody {
  std::string api_code;
  std::string message;
};

inline const char *c_str_or_null(const OptString &s) {
  return s ? s->c_str() : nullptr;
}

}  // namespace sdrs
