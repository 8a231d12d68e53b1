#include "async.hpp"

#include <cstdio>
#include <ctime>
#include <iostream>
#include <utility>

#include "output.hpp"
#include "watch.hpp"

namespace sdrscli {

const OptionSpec kIntervalOption = {"--interval-ms", "MS",
                                    "first delay between job polls (default 1000)"};

std::vector<OptionSpec> with_wait_options(std::vector<OptionSpec> opts) {
  opts.push_back({"--wait", nullptr, "wait until the job has finished"});
  opts.push_back(kIntervalOption);
  return opts;
}

JobPtr wait_for_job(Context &ctx, const std::string &job_id, const ParsedArgs &args,
                    std::optional<ApiError> *failure) {
  // One code path for every wait: a watcher, here with one job.
  JobFollower follower(ctx, args, 1);
  JobResult &result = follower.add(job_id);
  follower.run();
  if (result.rc == SDRS_EJOBFAILED && result.job) {
    failure->emplace(result.rc, result.err.release());
    return std::move(result.job);
  }
  if (result.rc != 0) {
    if (result.err) throw ApiError(result.rc, result.err.release());
    throw CliError(result.rc, result.message);
  }
  return std::move(result.job);
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

namespace {

// "2026-12-07T10:00:00.123Z" for Unix milliseconds.
std::string utc_time(int64_t ms) {
  auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(text) + millis;
}

}  // namespace

void print_outcome_unknown(const Context &ctx, const Context::OutcomeCheck &what_to_check,
                           const sdrs_error *err) {
  const int64_t sent_at = sdrs_error_sent_at_ms(err);
  std::cerr << "sdrs: outcome unknown: the request was sent";
  if (sent_at != SDRS_TIME_NONE) std::cerr << " at " << utc_time(sent_at) << " (" << sent_at << ")";
  std::cerr << " but no answer came: the service may have acted on it. Do not repeat it "
               "before checking.\n";
  if (what_to_check) {
    std::cerr << what_to_check(sent_at) << "\n";
    if (ctx.token_given()) std::cerr << "(add --token again: it is never printed)\n";
  }
  std::cerr.flush();
}

int run_async_actions(Context &ctx, const ParsedArgs &args, const ActionTarget &target,
                      const StartForId &start, const ShowSpec &show) {
  const std::vector<std::string> &ids = args.positional();
  auto outcome_check = [&](const std::string &id) {
    return target.check_outcome ? action_outcome_check(ctx, target.noun, id)
                                : Context::OutcomeCheck();
  };
  if (ids.size() == 1) {
    const std::string &id = ids.front();
    ctx.set_outcome_check(outcome_check(id));
    return run_async_action(
        ctx, args,
        [&](char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
          return start(id, job_id, opts, e);
        },
        show, id);
  }

  // Several ids: every id is checked before the first request, then one job is started per
  // id in argument order. A start that fails does not stop the others: it is that id's result.
  reject_duplicate_ids(ids, target.id_name);
  check_ids_before_sending(ids, target.id_field,
                           [&](const std::string &id, const sdrs_call_opts *opts, sdrs_error **e) {
                             char *job_id = nullptr;
                             int rc = start(id, &job_id, opts, e);
                             sdrs_string_free(job_id);
                             return rc;
                           });
  const bool wait = args.flag("--wait");
  std::optional<JobFollower> follower;
  if (wait) follower.emplace(ctx, args, ids.size(), target.noun);
  std::vector<std::unique_ptr<JobResult>> started;  // without --wait
  for (const auto &id : ids) {
    char *raw = nullptr;
    sdrs_error *err = nullptr;
    int rc = 0;
    std::string message;
    try {
      CallOptsPtr opts = ctx.call_opts();
      rc = start(id, &raw, opts.get(), &err);
    } catch (const CliError &e) {  // the --timeout deadline expired before this start
      rc = e.code();
      message = e.what();
    }
    StringPtr owned(raw);
    if (rc != 0) {
      if (err)
        message = sdrs_error_message(err);
      else if (message.empty())
        message = sdrs_strerror(rc);
      // With --wait the per-job lines and the results report it; else this is its report.
      if (!follower) print_error(rc, std::string(target.noun) + " " + id + ": " + message, err);
      if (sdrs_error_outcome_unknown(err) == 1) print_outcome_unknown(ctx, outcome_check(id), err);
      if (follower) {
        follower->add_unstarted(id, rc, err, message);
      } else {
        started.push_back(std::make_unique<JobResult>());
        started.back()->resource_id = id;
        started.back()->fail(rc, err, message);
      }
      continue;
    }
    const std::string job_id = raw ? raw : "";
    if (follower) {
      follower->add(job_id, id);
    } else {
      started.push_back(std::make_unique<JobResult>());
      started.back()->resource_id = id;
      started.back()->job_id = job_id;
    }
  }

  if (follower) {
    follower->run();
    print_results(follower->results(), ctx.json(), true);
    return combined_exit_code(follower->results(), follower->interrupted());
  }
  if (ctx.json()) {
    std::vector<std::string> items;
    for (const auto &r : started) {
      items.push_back("{\"id\":" + json_string(r->resource_id.c_str()) + ",\"job_id\":" +
                      (r->job_id.empty() ? "null" : json_string(r->job_id.c_str())) +
                      ",\"error\":" + error_json(*r) + "}");
    }
    std::cout << json_array(items) << "\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto &r : started)
      rows.push_back({r->resource_id, r->job_id.empty() ? "-" : r->job_id});
    print_table({"ID", "JOB_ID"}, rows);
  }
  return combined_exit_code(started, SignalCanceler::interrupted());
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
