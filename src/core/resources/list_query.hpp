// What the listings of protected instances and replication pairs share (spec part 2, sections
// 0, 3.2, 4.2): limit/offset paging, filters, and id lists sent as ONE query value, the
// JSON-style array ["id1","id2"] percent-encoded as a whole (the form of the docs' example URL;
// section 14).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/models.hpp"

namespace sdrs {

// Id lists of a list query: at most this many ids (SDRS.0226).
constexpr size_t kMaxListIds = 30;

// Checks one more id for the id list `field` (the id's rules and the count).
void validate_list_id_add(const char *field, const std::vector<std::string> &ids,
                          const std::string &id);
// The query value of an id list before percent-encoding: ["a","b"].
std::string encode_id_list(const std::vector<std::string> &ids);

// A filter value that is a status ("protected", ...): only the shape is checked, since
// statuses outside the documented set exist.
void validate_status_filter(const std::string &status);
// query_type of the instance and pair listings: "general" or "status_abnormal".
void validate_query_type(const std::string &query_type);

// Builds "?k=v&k=v" with every value percent-encoded; each add_* checks its value first.
class QueryString {
 public:
  void add(const char *key, const std::string &value);
  // limit 1..1000, offset >= 0.
  void add_paging(const std::optional<int64_t> &limit, const std::optional<int64_t> &offset);
  // A free-form filter (name, availability_zone, an id): non-empty clean text.
  void add_text(const char *key, const OptString &value);
  void add_status(const OptString &status);
  void add_query_type(const OptString &query_type);
  // An id list: each id checked, at most kMaxListIds; nothing added when empty.
  void add_ids(const char *key, const std::vector<std::string> &ids);
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

}  // namespace sdrs
