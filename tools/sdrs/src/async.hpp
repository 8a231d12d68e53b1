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

// Which group to show after a successful --wait.
enum class ShowGroup { kNone, kFromJob, kGiven };
using StartFn = std::function<int(char **job_id, const sdrs_call_opts *opts, sdrs_error **err)>;

// Starts the job; prints its id, or with --wait the final job (and the group).
int run_async_action(Context &ctx, const ParsedArgs &args, const StartFn &start, ShowGroup show,
                     const std::string &group_id = {});

}  // namespace sdrscli

#endif  // SDRS_CLI_ASYNC_HPP
