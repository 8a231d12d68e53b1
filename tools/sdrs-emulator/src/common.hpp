// Helpers every endpoint file of the emulator shares: error bodies in the service's shape,
// JSON reading and writing, query parameters, times and ids.
#ifndef SDRS_EMULATOR_COMMON_HPP
#define SDRS_EMULATOR_COMMON_HPP

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "emulator.hpp"

namespace emu {

// {"<cls>": {"code": "<code>", "message": "<msg>"}}
std::string error_body(const char *cls, const char *code, const std::string &msg);
Response error_response(int status, const char *cls, const char *code, const std::string &msg);
// 400 parameter errors (class badrequest).
Response bad_request(const char *code, const std::string &msg);
// 400 state / auth / quota errors (class error).
Response state_error(const char *code, const std::string &msg);
// 400 itemNotFound, as the service answers for unknown ids.
Response not_found(const char *code, const std::string &msg);
Response group_not_found(const std::string &id);
// 404 APIGW.0101, what OTC's API gateway answers for unknown paths.
Response no_route();
// 405 SDRS.0201.
Response bad_method();
std::string job_id_body(const std::string &id);
std::string buffer_text(const rapidjson::StringBuffer &sb);

// UTC "yyyy-MM-dd HH:mm:ss.SSS" (group times) or "yyyy-MM-ddTHH:mm:ss.SSSZ" (job times).
std::string format_time(int64_t ms, bool iso);

void write_str(Writer &w, const std::string &s);

// 1..64 bytes of [A-Za-z0-9._-].
bool valid_name(const rapidjson::Value *v);
bool valid_name(const std::string &s);
// Absent or null is valid; else a string of at most 64 bytes without < or > or NUL.
bool valid_description(const rapidjson::Value *v);

const rapidjson::Value *member(const rapidjson::Value &obj, const char *key);
// Parses the body as a JSON object; false when malformed or not an object.
bool parse_object(const std::string &body, rapidjson::Document &d);
// Strict decimal integer (optional leading '-'); false on anything else.
bool parse_int(const std::string &s, int64_t &out);
const std::string *param(const Request &req, const char *key);
// Reads an optional non-negative integer member; false when present but not one.
bool opt_count(const rapidjson::Value &obj, const char *key, bool &present, int64_t &out);

std::string uuid_v4();

// s is one of the listed values.
bool one_of(const std::string &s, std::initializer_list<const char *> values);
bool contains(const std::vector<std::string> &list, const std::string &s);
// Dotted-quad IPv4 without leading zeros.
bool valid_ipv4(const std::string &s);
// A device name /dev/vdX or /dev/sdX (X = a..z).
bool valid_device(const std::string &s);
// limit (1..1000, default 1000, SDRS.0221) and offset (>= 0, default 0, SDRS.0222); false with
// the error in *err.
bool parse_paging(const Request &req, int64_t *limit, int64_t *offset, Response *err);
// An id-list query parameter (spec-more 3.2): the doc's ["a","b"], also ['a','b'] and [a,b],
// a bare id, and the key repeated (gophertelekomcloud). *present false when absent or empty.
// More than 30 ids: SDRS.0226; a malformed list: SDRS.0201.
bool parse_id_list(const Request &req, const char *key, std::vector<std::string> *ids,
                   bool *present, Response *err);
// A non-empty value of a query parameter, or nullptr.
const std::string *filter_param(const Request &req, const char *key);
// The query parameters the protected-instance and pair lists share (spec-more 3.2, 4.2).
struct ListQuery {
  int64_t limit = 0, offset = 0;
  std::vector<std::string> group_ids, instance_ids;
  bool has_groups = false, has_instances = false;
  bool abnormal = false;  // query_type=status_abnormal
};
// Paging, server_group_ids, protected_instance_ids and query_type (general or status_abnormal,
// SDRS.0201); false with the error in *err.
bool parse_list_query(const Request &req, ListQuery *q, Response *err);
// A status that query_type=status_abnormal lists: error*, invalid, fault.
bool abnormal_status(const std::string &status);
// The object member `key` of d, or nullptr with SDRS.0201 in *err.
const rapidjson::Value *wrapped(const rapidjson::Document &d, const char *key, Response *err);
// A rename body {"<wrapper>": {"name": ...}}: the new name in *name, or false with the error in
// *err (SDRS.0201 for the body, SDRS.0202 for the name).
bool parse_rename(const Request &req, const char *wrapper, std::string *name, Response *err);
// Tags as sent on create (spec-more 3.1, 6.1): an array of {key, value}; at most max_count;
// keys 1..36 and values 0..43 characters without control characters or * < > \ = , | /
// (the tolerant rule of the Huawei SDK); keys unique. SDRS.22xx codes.
bool parse_tags(const rapidjson::Value &tags, size_t max_count,
                std::vector<std::pair<std::string, std::string>> *out, Response *err);
bool valid_tag_key(const std::string &key, Response *err);
bool valid_tag_value(const std::string &value, Response *err);

}  // namespace emu

#endif  // SDRS_EMULATOR_COMMON_HPP
