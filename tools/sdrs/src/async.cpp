#include "async.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <utility>

#include "output.hpp"

namespace sdrscli {

const OptionSpec kIntervalOption = {"--interval-ms", "MS",
                                    "first delay between job polls (default 1000)"};

std::vector<OptionSpec> with_wait_options(std::vector<OptionSpec> opts) {
  opts.push_back({"--wait", nullptr, "wait until the job has finished"});
  opts.push_back(kIntervalOption);
  return opts;
}

namespace {

// State of the live status line; it is only drawn when stderr is a terminal.
struct StatusLine {
  std::string job_id;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  bool tty = isatty(STDERR_FILENO) == 1;
  bool drawn = false;

  ~StatusLine() {
    if (drawn) std::fputs("\n", stderr);
  }
};

int on_progress(const sdrs_job *job, void *userdata) {
  auto *line = static_cast<StatusLine *>(userdata);
  if (SignalCanceler::interrupted()) return 1;  // backs up the watcher thread's trigger
  if (line->tty) {
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - line->start;
    const char *status = sdrs_job_status_str(job);
    std::fprintf(stderr, "\r[%5.1fs] job %s %-8s", elapsed.count(), line->job_id.c_str(),
                 status ? status : "?");
    std::fflush(stderr);
    line->drawn = true;
  }
  return 0;
}

}  // namespace

JobPtr wait_for_job(Context &ctx, const std::string &job_id, const ParsedArgs &args,
                    std::optional<ApiError> *failure) {
  WaitOptsPtr opts = ctx.wait_opts(args.int_value(kIntervalOption.name));
  StatusLine line;
  line.job_id = job_id;
  sdrs_error *err = nullptr;
  check(sdrs_wait_opts_set_progress(opts.get(), on_progress, &line, &err), &err);
  sdrs_job *raw = nullptr;
  int rc = sdrs_job_wait(&raw, ctx.client(), job_id.c_str(), opts.get(), &err);
  JobPtr job(raw);
  if (rc == SDRS_EJOBFAILED && job) {
    failure->emplace(rc, err);
    return job;
  }
  check(rc, &err);
  return job;
}

PgPtr fetch_pg(Context &ctx, const std::string &group_id) {
  CallOptsPtr opts = ctx.call_opts();
  sdrs_pg *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pg_get(&raw, ctx.client(), group_id.c_str(), opts.get(), &err), &err);
  return PgPtr(raw);
}

int run_async_action(Context &ctx, const ParsedArgs &args, const StartFn &start, ShowGroup show,
                     const std::string &group_id) {
  std::string id;
  {
    CallOptsPtr opts = ctx.call_opts();
    char *raw = nullptr;
    sdrs_error *err = nullptr;
    check(start(&raw, opts.get(), &err), &err);
    StringPtr owned(raw);
    id = raw ? raw : "";
  }
  if (!args.flag("--wait")) {
    if (ctx.json())
      std::cout << "{\"job_id\":" << json_string(id.c_str()) << "}\n";
    else
      std::cout << id << "\n";
    return 0;
  }

  std::optional<ApiError> failure;
  JobPtr job = wait_for_job(ctx, id, args, &failure);
  PgPtr pg;
  if (!failure && show != ShowGroup::kNone) {
    std::string gid = group_id;
    if (show == ShowGroup::kFromJob) {
      const char *entity = sdrs_job_entity(job.get(), "server_group_id");
      if (!entity) throw CliError(SDRS_EPROTOCOL, "job " + id + " names no server_group_id");
      gid = entity;
    }
    pg = fetch_pg(ctx, gid);
  }

  if (ctx.json()) {
    std::cout << "{\"job\":" << json_or_null(sdrs_job_json(job.get()));
    if (show != ShowGroup::kNone)
      std::cout << ",\"server_group\":" << (pg ? json_or_null(sdrs_pg_json(pg.get())) : "null");
    std::cout << "}\n";
  } else {
    print_key_values(job_fields(job.get()));
    if (pg) {
      std::cout << "\n";
      print_key_values(pg_fields(pg.get()));
    }
  }
  if (failure) throw ApiError(std::move(*failure));
  return 0;
}

}  // namespace sdrscli
