// Shared machinery of the asynchronous commands: job waiting with a live status line, and one
// runner for every "start a job, optionally --wait for it" command.
#ifndef SDRS_CLI_ASYNC_HPP
#define SDRS_CLI_ASYNC_HPP

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "args.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

// Appends --wait and --interval-ms to an asynchronous command's options.
std::vector<OptionSpec> with_wait_options(std::vector<OptionSpec> opts);
// The first poll interval option shared by job wait and --wait.
extern const OptionSpec kIntervalOption;

// Waits for the job. Returns the final job; when it ended in FAIL, *failure receives the error
// (the caller prints the job, then throws it). Any other failure throws.
JobPtr wait_for_job(Context &ctx, const std::string &job_id, const ParsedArgs &args,
                    std::optional<ApiError> *failure);

PgPtr fetch_pg(Context &ctx, const std::string &group_id);
PiPtr fetch_pi(Context &ctx, const std::string &instance_id);
PairPtr fetch_pair(Context &ctx, const std::string &replication_id);

// A resource read after a successful --wait, in both output styles.
struct Shown {
  std::string json;
  KeyValues fields;
};

// What an asynchronous command shows after a successful --wait, besides the job.
struct ShowSpec {
  const char *json_key = nullptr;  // its key in the --json output; nullptr: the job only
  const char *entity = nullptr;    // the job entity naming it when the command names none
  Shown (*fetch)(Context &ctx, const std::string &id) = nullptr;
};
extern const ShowSpec kShowNothing;
extern const ShowSpec kShowGroup;     // "server_group", entity server_group_id
extern const ShowSpec kShowInstance;  // "protected_instance", entity protected_instance_id
extern const ShowSpec kShowPair;      // "replication", entity replication_pair_id

using StartFn = std::function<int(char **job_id, const sdrs_call_opts *opts, sdrs_error **err)>;

// Starts the job; prints its id, or with --wait the final job and the resource `show` names:
// the one with `id`, or when `id` is empty the one the job's entity names.
int run_async_action(Context &ctx, const ParsedArgs &args, const StartFn &start,
                     const ShowSpec &show, const std::string &id = {});

// max_positional of the commands that take any number of ids.
constexpr size_t kAnyNumberOfIds = static_cast<size_t>(-1);

// A command that acts on one or several resources named by its positional ids.
struct ActionTarget {
  const char *noun;      // "pg", "pi", ...: the command group, as in `sdrs NOUN show ID`
  const char *id_name;   // "group id": how a usage error names an id
  const char *id_field;  // "server_group_id": the field the library's messages name
  bool check_outcome;    // on an unknown outcome, print action_outcome_check's advice
};

using StartForId = std::function<int(const std::string &id, char **job_id,
                                     const sdrs_call_opts *opts, sdrs_error **err)>;

// The command's positional ids, one job each. One id: run_async_action (output unchanged).
// Several: ids given twice are a usage error, every id is checked before any request, the
// jobs start in argument order (a failed start is reported and the others still start), and
// the output is one row (--json: one array element) per id; with --wait every job is followed
// by one watcher and the results are printed as job wait prints them (the resources are not
// read afterwards). Returns the exit code (see combined_exit_code).
int run_async_actions(Context &ctx, const ParsedArgs &args, const ActionTarget &target,
                      const StartForId &start, const ShowSpec &show);

// The lines after the error of a request whose outcome is unknown: when it was sent, not to
// repeat it blindly, and what_to_check's advice (when there is one).
void print_outcome_unknown(const Context &ctx, const Context::OutcomeCheck &what_to_check,
                           const sdrs_error *err);

// What to check after an action on the resource `noun` `id` whose outcome is unknown: the
// `sdrs NOUN show ID` command line and the sign that the action happened.
Context::OutcomeCheck action_outcome_check(const Context &ctx, const std::string &noun,
                                           const std::string &id);

}  // namespace sdrscli

#endif  // SDRS_CLI_ASYNC_HPP
