// JSON encoding of requests and decoding of responses: the generic, table-driven part (the
// resource files in core/resources/ name their fields and call these). Responses are read by a
// scanner of the common shapes (core/record_scan.cpp) or else parsed with RapidJSON (only the
// codec files include it), into one store per response (core/record.hpp); request bodies, flat
// objects of strings, are written directly with the escaper below (RapidJSON's writer, a character
// at a time, was the largest library cost of a create; unit tests check the output against
// RapidJSON's). Decoders are strict about types of known fields, tolerate unknown fields, and throw
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

namespace detail {

// The two decoders behind decode_record_member and decode_record_array, apart for the tests that
// compare them. The scanner (core/record_scan.cpp) reads the shapes services send, fast and into
// one store, and returns false, leaving its outputs alone, for anything else: escapes, numbers
// that are not plain integers, a wrong type, a missing field, bad JSON. The DOM decoder reads
// everything, and throws the errors.
bool scan_record_member(const std::string &body, const char *member, const RecordDef &def,
                        Record *out);
bool scan_record_array(const std::string &body, const char *member, const RecordDef &def,
                       int64_t *count, std::string *document_json, std::vector<Record> *out);
Record dom_record_member(const std::string &body, const char *member, const RecordDef &def);
std::vector<Record> dom_record_array(const std::string &body, const char *member,
                                     const RecordDef &def, int64_t *count,
                                     std::string *document_json);

}  // namespace detail

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
// Writes s quoted (s.size() + 2 bytes) at out and returns the end when no byte of it needs an
// escape, the usual request value; nullptr (having written part of it) when one does.
char *write_plain_json_string(char *out, std::string_view s);
inline char *write_text(char *out, std::string_view s) {
  return std::copy(s.begin(), s.end(), out);
}
// Appends "key":"value" members for the fields that are set, after an object's '{' or after
// earlier members (a ',' is written unless `out` ends with '{').
void append_string_members(
    std::string &out, std::initializer_list<std::pair<std::string_view, const OptString *>> fields);

}  // namespace sdrs
