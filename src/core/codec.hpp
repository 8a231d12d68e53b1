// JSON encoding of requests and decoding of responses: the generic, table-driven part (the
// resource files in core/resources/ name their fields and call these). Responses are parsed
// with RapidJSON (only the codec files include it); request bodies, flat objects of strings,
// are written directly with the escaper below (RapidJSON's writer, a character at a time, was
// the largest library cost of a create; unit tests check the output against RapidJSON's).
// Decoders are strict about types of known fields, tolerate unknown fields, and throw
// Failure(Code::kProtocol) with a short reason when the body is not what the spec describes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/models.hpp"
#include "core/record.hpp"

namespace sdrs {

// {"<member>": {...}} decoded by the table.
Record decode_record_member(const std::string &body, const char *member, const RecordDef &def);
// {"<member>": [{...}, ...], "count": N}: the records; count (when not NULL) gets "count" if
// present; document_json (when not NULL) the whole document's JSON.
std::vector<Record> decode_record_array(const std::string &body, const char *member,
                                        const RecordDef &def, int64_t *count,
                                        std::string *document_json);

// Any documented error body shape (spec 1.4); false when the body is not JSON or has none.
bool decode_error_body(const std::string &body, ErrorBody *out);

// The answer of a call documented as 204 without a body: an empty body, or any JSON document
// (some gateways answer 200 with one), is accepted; anything else (an HTML page, a truncated
// document) is not the service's answer and fails with kProtocol.
void decode_no_content(const std::string &body);

// Escapes a string as a JSON string literal (with quotes), byte for byte as RapidJSON's writer
// does: '"', '\\' and control characters escaped (\b \f \n \r \t, else \u00XX), the rest copied.
std::string json_quote(const std::string &s);
void append_json_string(std::string &out, std::string_view s);
// The pieces for writing a body in one exact-size allocation: the size of the quoted form,
// and writing it (json_string_size(s) bytes) at out, returning the end; plain text likewise.
size_t json_string_size(std::string_view s);
char *write_json_string(char *out, std::string_view s);
inline char *write_text(char *out, std::string_view s) {
  return std::copy(s.begin(), s.end(), out);
}
// Appends "key":"value" members for the fields that are set, after an object's '{' or after
// earlier members (a ',' is written unless `out` ends with '{').
void append_string_members(
    std::string &out, std::initializer_list<std::pair<std::string_view, const OptString *>> fields);

}  // namespace sdrs
