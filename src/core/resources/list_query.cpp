#include "core/resources/list_query.hpp"

#include <utility>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "core/validate.hpp"

namespace sdrs {

void validate_list_id_add(const char *field, const std::vector<std::string> &ids,
                          const std::string &id) {
  validate_list_id(field, id);
  if (ids.size() >= kMaxListIds) {
    fail(Code::kValidation, std::string(field) + ": at most " + std::to_string(kMaxListIds) +
                                " ids (adding one more than " + std::to_string(ids.size()) + ")");
  }
}

std::string encode_id_list(const std::vector<std::string> &ids) {
  std::string out = "[";
  for (const auto &id : ids) {
    if (out.size() > 1) out += ',';
    append_json_string(out, id);
  }
  return out + "]";
}

void validate_status_filter(const std::string &status) {
  validate_name("status", status);
}

void validate_query_type(const std::string &query_type) {
  static const char *const kTypes[] = {"general", "status_abnormal", nullptr};
  validate_one_of("query_type", query_type, kTypes);
}

void QueryString::add(const char *key, const std::string &value) {
  text_ += text_.empty() ? "?" : "&";
  text_ += key;
  text_ += '=';
  append_percent_encoded(text_, value);
}

void QueryString::add_paging(const std::optional<int64_t> &limit,
                             const std::optional<int64_t> &offset) {
  if (limit) {
    validate_range("limit", *limit, 1, 1000);
    add("limit", std::to_string(*limit));
  }
  if (offset) {
    validate_range("offset", *offset, 0, INT32_MAX);
    add("offset", std::to_string(*offset));
  }
}

void QueryString::add_text(const char *key, const OptString &value) {
  if (!value) return;
  validate_required_text(key, *value);
  add(key, *value);
}

void QueryString::add_status(const OptString &status) {
  if (!status) return;
  validate_status_filter(*status);
  add("status", *status);
}

void QueryString::add_query_type(const OptString &query_type) {
  if (!query_type) return;
  validate_query_type(*query_type);
  add("query_type", *query_type);
}

void QueryString::add_ids(const char *key, const std::vector<std::string> &ids) {
  if (ids.empty()) return;
  if (ids.size() > kMaxListIds) {
    fail(Code::kValidation, std::string(key) + ": at most " + std::to_string(kMaxListIds) +
                                " ids (got " + std::to_string(ids.size()) + ")");
  }
  for (const auto &id : ids) validate_list_id(key, id);
  add(key, encode_id_list(ids));
}

}  // namespace sdrs
