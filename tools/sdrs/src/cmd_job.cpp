// sdrs job ...: asynchronous jobs.
#include <limits>
#include <utility>

#include "async.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"
#include "watch.hpp"

namespace sdrscli {

namespace {

int cmd_show(Context &ctx, const ParsedArgs &args) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_job *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_job_poll(&raw, ctx.client(), args.positional().at(0).c_str(), call.get(), &err), &err);
  JobPtr job(raw);
  print_job(job.get(), ctx.json());
  return 0;
}

int cmd_wait(Context &ctx, const ParsedArgs &args) {
  const std::vector<std::string> &ids = args.positional();
  reject_duplicate_ids(ids, "job id");
  sdrs_client *client = ctx.client();
  // sdrs_job_poll checks the id before sending; its fired cancel token stops it there.
  check_ids_before_sending(
      ids, "job_id", [client](const std::string &id, const sdrs_call_opts *opts, sdrs_error **err) {
        sdrs_job *job = nullptr;
        int rc = sdrs_job_poll(&job, client, id.c_str(), opts, err);
        sdrs_job_free(job);
        return rc;
      });
  if (ids.size() == 1) {  // the output of a single wait: the final job itself
    std::optional<ApiError> failure;
    JobPtr job = wait_for_job(ctx, ids.front(), args, &failure);
    print_job(job.get(), ctx.json());
    if (failure) throw ApiError(std::move(*failure));
    return 0;
  }
  JobFollower follower(ctx, args, ids.size());
  for (const auto &id : ids) follower.add(id);
  follower.run();
  print_results(follower.results(), ctx.json(), false);
  return combined_exit_code(follower.results(), follower.interrupted());
}

}  // namespace

std::vector<CommandSpec> job_commands() {
  return {
      {"job show",
       "ID",
       1,
       1,
       "Show an asynchronous job once.",
       {},
       {"sdrs job show c72eaba2f37860a00cc29bf46e295e84",
        "sdrs job show c72eaba2f37860a00cc29bf46e295e84 --json | jq -r .status"},
       cmd_show},
      {"job wait",
       "ID [ID ...]",
       1,
       std::numeric_limits<size_t>::max(),
       "Wait until the jobs have finished. One job: prints it (SUCCESS: exit 0, FAIL: exit 5). "
       "Several: all are followed at once and one result per job is printed (a table, or a "
       "JSON array with --json); the exit code is the worst result (see the README). A status "
       "line on stderr shows the progress when it is a terminal, else one line per job as it "
       "ends. Ctrl-C cancels every wait (exit 6). Bound the wait with --timeout.",
       {kIntervalOption, kMaxPollsOption},
       {"sdrs job wait c72eaba2f37860a00cc29bf46e295e84 --timeout 600",
        "sdrs job wait $(cat job-ids.txt) --json | jq -r '.[] | select(.status != \"SUCCESS\") | "
        ".job_id'"},
       cmd_wait},
  };
}

}  // namespace sdrscli
