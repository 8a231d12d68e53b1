// sdrs job ...: asynchronous jobs.
#include <utility>

#include "async.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

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
  std::optional<ApiError> failure;
  JobPtr job = wait_for_job(ctx, args.positional().at(0), args, &failure);
  print_job(job.get(), ctx.json());
  if (failure) throw ApiError(std::move(*failure));
  return 0;
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
       "ID",
       1,
       1,
       "Wait until the job has finished (SUCCESS: exit 0, FAIL: exit 5) and print it. Shows a "
       "live status line on stderr when it is a terminal; Ctrl-C cancels (exit 6). Bound the "
       "wait with --timeout.",
       {kIntervalOption},
       {"sdrs job wait c72eaba2f37860a00cc29bf46e295e84 --timeout 600"},
       cmd_wait},
  };
}

}  // namespace sdrscli
