// JSON encoding of requests and decoding of responses (the only place that knows RapidJSON).
// Responses are parsed with RapidJSON; the request bodies, flat objects of strings, are written
// directly with append_json_string (RapidJSON's writer, a character at a time, was the largest
// library cost of a create; unit tests check the output against RapidJSON's).
// Decoders are strict about types of known fields, tolerate unknown fields, and throw
// Failure(Code::kProtocol) with a short reason when the body is not what the spec describes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/models.hpp"

namespace sdrs {

std::string encode_create(const PgSpec &spec);
std::string encode_rename(const std::string &name);
// {"<action>": {}} or {"reverse-server-group": {"priority_station": "..."}}.
std::string encode_action(const std::string &action, const std::string &priority_station);

std::string decode_job_id(const std::string &body);
Job decode_job(const std::string &body);
Group decode_group_envelope(const std::string &body);  // {"server_group": {...}}
GroupList decode_group_list(const std::string &body);
DomainList decode_domains(const std::string &body);
std::vector<ApiVersion> decode_versions(const std::string &body);  // {"versions": [...]}
ApiVersion decode_version(const std::string &body);                // {"version": {...}}

// Any documented error body shape (spec 1.4); false when the body is not JSON or has none.
bool decode_error_body(const std::string &body, ErrorBody *out);

// Escapes a string as a JSON string literal (with quotes), byte for byte as RapidJSON's writer
// does: '"', '\\' and control characters escaped (\b \f \n \r \t, else \u00XX), the rest copied.
std::string json_quote(const std::string &s);
void append_json_string(std::string &out, std::string_view s);

}  // namespace sdrs
