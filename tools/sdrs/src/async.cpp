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

PiPtr fetch_pi(Context &ctx, const std::string &instance_id) {
  CallOptsPtr opts = ctx.call_opts();
  sdrs_pi *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pi_get(&raw, ctx.client(), instance_id.c_str(), opts.get(), &err), &err);
  return PiPtr(raw);
}

PairPtr fetch_pair(Context &ctx, const std::string &replication_id) {
  CallOptsPtr opts = ctx.call_opts();
  sdrs_pair *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pair_get(&raw, ctx.client(), replication_id.c_str(), opts.get(), &err), &err);
  return PairPtr(raw);
}

namespace {

Shown shown_group(Context &ctx, const std::string &id) {
  PgPtr pg = fetch_pg(ctx, id);
  return {json_or_null(sdrs_pg_json(pg.get())), pg_fields(pg.get())};
}

Shown shown_instance(Context &ctx, const std::string &id) {
  PiPtr pi = fetch_pi(ctx, id);
  return {json_or_null(sdrs_pi_json(pi.get())), pi_fields(pi.get())};
}

Shown shown_pair(Context &ctx, const std::string &id) {
  PairPtr pair = fetch_pair(ctx, id);
  return {json_or_null(sdrs_pair_json(pair.get())), pair_fields(pair.get())};
}

}  // namespace

const ShowSpec kShowNothing = {};
const ShowSpec kShowGroup = {"server_group", "server_group_id", shown_group};
const ShowSpec kShowInstance = {"protected_instance", "protected_instance_id", shown_instance};
const ShowSpec kShowPair = {"replication", "replication_pair_id", shown_pair};

int run_async_action(Context &ctx, const ParsedArgs &args, const StartFn &start,
                     const ShowSpec &show, const std::string &id) {
  std::string job_id;
  {
    CallOptsPtr opts = ctx.call_opts();
    char *raw = nullptr;
    sdrs_error *err = nullptr;
    check(start(&raw, opts.get(), &err), &err);
    StringPtr owned(raw);
    job_id = raw ? raw : "";
  }
  if (!args.flag("--wait")) {
    if (ctx.json())
      std::cout << "{\"job_id\":" << json_string(job_id.c_str()) << "}\n";
    else
      std::cout << job_id << "\n";
    return 0;
  }

  std::optional<ApiError> failure;
  JobPtr job = wait_for_job(ctx, job_id, args, &failure);
  std::optional<Shown> shown;
  if (!failure && show.json_key) {
    std::string resource_id = id;
    if (resource_id.empty()) {
      const char *entity = sdrs_job_entity(job.get(), show.entity);
      if (!entity) throw CliError(SDRS_EPROTOCOL, "job " + job_id + " names no " + show.entity);
      resource_id = entity;
    }
    shown = show.fetch(ctx, resource_id);
  }

  if (ctx.json()) {
    std::cout << "{\"job\":" << json_or_null(sdrs_job_json(job.get()));
    if (show.json_key)
      std::cout << ",\"" << show.json_key << "\":" << (shown ? shown->json : "null");
    std::cout << "}\n";
  } else {
    print_key_values(job_fields(job.get()));
    if (shown) {
      std::cout << "\n";
      print_key_values(shown->fields);
    }
  }
  if (failure) throw ApiError(std::move(*failure));
  return 0;
}

Context::OutcomeCheck action_outcome_check(const Context &ctx, const std::string &noun,
                                           const std::string &id) {
  std::string show = ctx.command_line({noun, "show", id});
  return [show](int64_t) {
    return "The action happened if the status shown by\n  " + show +
           "\nhas moved (or a job of this action started after the request was sent); repeat "
           "it only if neither is the case.";
  };
}

}  // namespace sdrscli
