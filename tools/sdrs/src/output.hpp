// Output for people (key-value lines, tables) and for programs (--json), and error reports.
#ifndef SDRS_CLI_OUTPUT_HPP
#define SDRS_CLI_OUTPUT_HPP

#include <sdrs.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sdrscli {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// JSON string literal of s (escaped, UTF-8 passed through), "null" for NULL.
std::string json_string(const char *s);
// A handle's JSON text, "null" when the getter gave none.
std::string json_or_null(const char *json_text);
// Joins JSON values into an array literal.
std::string json_array(const std::vector<std::string> &items);

std::string or_dash(const char *s);
std::string count_or_dash(int64_t v);  // -1 (absent) -> "-"

void print_key_values(const KeyValues &rows);
void print_table(const std::vector<std::string> &headers,
                 const std::vector<std::vector<std::string>> &rows);

KeyValues job_fields(const sdrs_job *job);
KeyValues pg_fields(const sdrs_pg *pg);
std::vector<std::string> pg_row(const sdrs_pg *pg);
const std::vector<std::string> &pg_table_headers();  // the columns of pg_row

KeyValues pi_fields(const sdrs_pi *pi);
std::vector<std::string> pi_row(const sdrs_pi *pi);
const std::vector<std::string> &pi_table_headers();  // the columns of pi_row
KeyValues pair_fields(const sdrs_pair *pair);
std::vector<std::string> pair_row(const sdrs_pair *pair);
const std::vector<std::string> &pair_table_headers();  // the columns of pair_row

// A job or a resource in the selected style (--json: the object itself).
void print_job(const sdrs_job *job, bool json);
void print_pg(const sdrs_pg *pg, bool json);
void print_pi(const sdrs_pi *pi, bool json);
void print_pair(const sdrs_pair *pair, bool json);

// Exit code of a library result code (see the README's exit code table).
int exit_code_for(int code);
// Exit code of a failed call: 7 when its outcome is unknown, else exit_code_for(code).
int exit_code_for(int code, const sdrs_error *err);
constexpr int kExitOutcomeUnknown = 7;
// "sdrs: <ERROR_NAME>: <message> (http status .., SDRS code .., request id .., job ..)".
void print_error(int code, const std::string &message, const sdrs_error *err);

}  // namespace sdrscli

#endif  // SDRS_CLI_OUTPUT_HPP
