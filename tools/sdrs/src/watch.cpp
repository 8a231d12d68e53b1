#include "watch.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <utility>

#include "async.hpp"
#include "output.hpp"

namespace sdrscli {

const OptionSpec kMaxPollsOption = {
    "--max-polls-per-sec", "N",
    "most job polls per second, all jobs together (default 100, range 1..100000)"};

void JobResult::fail(int code, sdrs_error *error, const std::string &fallback_message) {
  rc = code;
  err.reset(error);
  const char *text = error ? sdrs_error_message(error) : nullptr;
  message = text ? text : fallback_message;
}

std::string JobResult::status() const {
  if (job) {
    const char *s = sdrs_job_status_str(job.get());
    return s ? s : "";
  }
  return last_status;
}

namespace {

// How often the loop wakes without callbacks: the elapsed seconds on the status line move,
// and a Ctrl-C is seen within this time even when no callback is due.
constexpr int kTickMs = 200;

// "SUCCESS", "FAIL SDRS.1014: reason" or "SDRS_ETIMEOUT: message".
std::string outcome_text(const JobResult &r) {
  if (r.rc == 0) return "SUCCESS";
  if (r.rc == SDRS_EJOBFAILED && r.job) {
    std::string text = "FAIL";
    const char *code = sdrs_job_error_code(r.job.get());
    const char *reason = sdrs_job_fail_reason(r.job.get());
    if (code) text += std::string(" ") + code;
    if (reason) text += std::string(code ? ": " : " ") + reason;
    return text;
  }
  return std::string(sdrs_error_name(r.rc)) + ": " + r.message;
}

}  // namespace

JobFollower::JobFollower(Context &ctx, const ParsedArgs &args, size_t job_count, std::string label)
    : ctx_(ctx),
      interval_ms_(args.int_value(kIntervalOption.name)),
      label_(std::move(label)),
      many_(job_count > 1),
      tty_(isatty(STDERR_FILENO) == 1) {
  sdrs_watcher_opts *raw_opts = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_watcher_opts_new(&raw_opts, &err), &err);
  Handle<sdrs_watcher_opts, sdrs_watcher_opts_free> opts(raw_opts);
  check(sdrs_watcher_opts_set_dispatch(raw_opts, SDRS_WATCHER_DISPATCH_MANUAL, &err), &err);
  if (auto polls = args.int_value(kMaxPollsOption.name)) {
    // The library checks the range; a value beyond int32 is out of it as well.
    const auto clamped = static_cast<int32_t>(std::min<int64_t>(*polls, INT32_MAX));
    check(sdrs_watcher_opts_set_max_polls_per_sec(raw_opts, clamped < 0 ? 0 : clamped, &err), &err);
  }
  sdrs_watcher *raw = nullptr;
  check(sdrs_watcher_new(&raw, ctx.client(), raw_opts, &err), &err);
  watcher_.reset(raw);
  check(sdrs_watcher_fd(raw, &fd_, &err), &err);
}

JobFollower::~JobFollower() {
  // Freeing the watcher runs the callbacks of jobs still pending (after an exception): they
  // only record, nothing is drawn any more.
  quiet_ = true;
  watcher_.reset();
  if (!drawn_.empty()) std::fputs("\n", stderr);
}

JobResult &JobFollower::add(const std::string &job_id, const std::string &resource_id) {
  results_.push_back(std::make_unique<JobResult>());
  JobResult &result = *results_.back();
  result.resource_id = resource_id;
  result.job_id = job_id;
  result.follower = this;
  WaitOptsPtr opts;
  try {
    opts = ctx_.wait_opts(interval_ms_);
  } catch (const CliError &e) {  // --timeout expired before this job could be followed
    result.fail(e.code(), nullptr, e.what());
    ended(result);
    return result;
  }
  sdrs_error *err = nullptr;
  check(sdrs_wait_opts_set_progress(opts.get(), on_progress, &result, &err), &err);
  int rc =
      sdrs_watcher_add(watcher_.get(), job_id.c_str(), opts.get(), on_done, &result, nullptr, &err);
  if (rc != 0) {  // the callback will not run: the result is this error
    result.fail(rc, err, sdrs_strerror(rc));
    ended(result);
  }
  return result;
}

JobResult &JobFollower::add_unstarted(const std::string &resource_id, int code, sdrs_error *error,
                                      const std::string &message) {
  results_.push_back(std::make_unique<JobResult>());
  JobResult &result = *results_.back();
  result.resource_id = resource_id;
  result.fail(code, error, message);
  ended(result);
  return result;
}

void JobFollower::on_done(uint64_t, const char *, int rc, sdrs_job *job, sdrs_error *err,
                          void *userdata) {
  auto &result = *static_cast<JobResult *>(userdata);
  result.job.reset(job);
  if (rc != 0)
    result.fail(rc, err, sdrs_strerror(rc));
  else
    sdrs_error_free(err);
  result.follower->ended(result);
}

int JobFollower::on_progress(const sdrs_job *job, void *userdata) {
  auto &result = *static_cast<JobResult *>(userdata);
  const char *status = sdrs_job_status_str(job);
  result.last_status = status ? status : "";
  JobFollower &self = *result.follower;
  if (!self.many_) self.draw_status(false);
  return SignalCanceler::interrupted() ? 1 : 0;  // backs up the shutdown in run()
}

void JobFollower::ended(JobResult &result) {
  result.done = true;
  ++ended_;
  if (result.rc == 0)
    ++success_;
  else if (result.rc == SDRS_EJOBFAILED && result.job)
    ++failed_;
  else
    ++errors_;
  if (quiet_) return;
  if (!many_) {  // the final status, whether or not a progress report showed it
    draw_status(false);
    return;
  }
  if (tty_) {
    draw_status(true);
    return;
  }
  std::string who = result.job_id.empty() ? "-" : result.job_id;
  std::string line = "job " + who;
  if (!label_.empty()) line += " (" + label_ + " " + result.resource_id + ")";
  std::fprintf(stderr, "[%6.1fs] %s %s\n", elapsed_s(), line.c_str(), outcome_text(result).c_str());
  std::fflush(stderr);
}

double JobFollower::elapsed_s() const {
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  return elapsed.count();
}

std::string JobFollower::counts_text() const {
  const size_t running = results_.size() - ended_;
  return "jobs: " + std::to_string(running) + " running, " + std::to_string(success_ + failed_) +
         " done (" + std::to_string(success_) + " success, " + std::to_string(failed_) +
         " failed), " + std::to_string(errors_) + " errors, " +
         std::to_string(static_cast<int64_t>(elapsed_s())) + " s";
}

void JobFollower::draw_status(bool force) {
  if (quiet_ || !tty_) return;
  std::string text;
  if (many_) {
    text = counts_text();
  } else {
    // The single-job line of earlier versions: elapsed time, job id, last status.
    const JobResult &only = *results_.front();
    char buf[64];
    std::snprintf(buf, sizeof buf, "[%5.1fs] job ", elapsed_s());
    std::string status = only.status().empty() ? "?" : only.status();
    status.resize(std::max<size_t>(status.size(), 8), ' ');
    text = buf + only.job_id + " " + status;
  }
  if (!force && text == drawn_) return;
  // Blank out what a longer earlier line left behind.
  std::string padded = text;
  if (drawn_.size() > padded.size()) padded.resize(drawn_.size(), ' ');
  std::fprintf(stderr, "\r%s", padded.c_str());
  std::fflush(stderr);
  drawn_ = text;
}

void JobFollower::run() {
  bool shut_down = false;
  while (ended_ < results_.size()) {
    if (!shut_down && SignalCanceler::interrupted()) {
      interrupted_ = true;
      // The cancel token (triggered by the signal thread) ends every wait; shutting down makes
      // that immediate and also covers a job between two polls.
      sdrs_error *err = nullptr;
      int rc = sdrs_watcher_shutdown(watcher_.get(), &err);
      sdrs_error_free(err);
      shut_down = rc == 0;
    }
    pollfd ready = {fd_, POLLIN, 0};
    int n = poll(&ready, 1, kTickMs);
    if (n < 0 && errno != EINTR) throw CliError(SDRS_EINTERNAL, "poll on the watcher failed");
    if (n > 0) {
      sdrs_error *err = nullptr;
      check(sdrs_watcher_dispatch(watcher_.get(), 0, nullptr, &err), &err);
    }
    if (many_) draw_status(false);
  }
  if (SignalCanceler::interrupted()) interrupted_ = true;
  if (many_) {
    if (tty_)
      draw_status(true);
    else
      std::fprintf(stderr, "%s\n", counts_text().c_str());
  }
  if (!drawn_.empty()) std::fputs("\n", stderr);  // the next output starts on a line of its own
  drawn_.clear();
  std::fflush(stderr);
}

void reject_duplicate_ids(const std::vector<std::string> &ids, const char *what) {
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto [it, fresh] = first.emplace(ids[i], i);
    if (!fresh) {
      throw UsageError(std::string(what) + " '" + ids[i] + "' given twice (arguments " +
                       std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
    }
  }
}

void check_ids_before_sending(
    const std::vector<std::string> &ids, const char *id_field,
    const std::function<int(const std::string &id, const sdrs_call_opts *opts, sdrs_error **err)>
        &check_one) {
  sdrs_cancel *raw_cancel = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_cancel_new(&raw_cancel, &err), &err);
  CancelPtr fired(raw_cancel);
  sdrs_cancel_trigger(raw_cancel);
  sdrs_call_opts *raw_opts = nullptr;
  check(sdrs_call_opts_new(&raw_opts, &err), &err);
  CallOptsPtr opts(raw_opts);
  check(sdrs_call_opts_set_cancel(raw_opts, raw_cancel, &err), &err);
  for (size_t i = 0; i < ids.size(); ++i) {
    int rc = check_one(ids[i], raw_opts, &err);
    ErrorPtr owned(err);
    err = nullptr;
    if (rc == 0 || rc == SDRS_ECANCELED) continue;
    const char *text = owned ? sdrs_error_message(owned.get()) : sdrs_strerror(rc);
    // The library's validation messages start with the field; another field is an option
    // of the command, the same for every id: reported as it is.
    const std::string prefix = std::string(id_field) + ":";
    if (std::string(text).compare(0, prefix.size(), prefix) != 0)
      throw ApiError(rc, owned.release());
    throw CliError(rc, "argument " + std::to_string(i + 1) + " ('" + ids[i] + "'): " + text);
  }
}

int combined_exit_code(const std::vector<std::unique_ptr<JobResult>> &results, bool interrupted) {
  if (interrupted) return exit_code_for(SDRS_ECANCELED);
  // Worst first: the codes that leave the outcome of a job unknown or unlearned come before a
  // job that failed, which comes before a wait that ran out.
  static const int kRank[] = {kExitOutcomeUnknown, 4, 3, 5, 6};
  std::vector<bool> seen(8, false);
  for (const auto &r : results) {
    if (r->rc == 0) continue;
    int code = exit_code_for(r->rc, r->err.get());
    if (code >= 0 && code < 8) seen[code] = true;
  }
  for (int code : kRank) {
    if (seen[code]) return code;
  }
  return 0;
}

std::string error_json(const JobResult &r) {
  if (r.rc == 0) return "null";
  const sdrs_error *e = r.err.get();
  int32_t status = e ? sdrs_error_http_status(e) : 0;
  return std::string("{\"name\":") + json_string(sdrs_error_name(r.rc)) +
         ",\"message\":" + json_string(r.message.c_str()) +
         ",\"http_status\":" + (status ? std::to_string(status) : "null") +
         ",\"api_code\":" + json_string(e ? sdrs_error_api_code(e) : nullptr) +
         ",\"request_id\":" + json_string(e ? sdrs_error_request_id(e) : nullptr) + "}";
}

namespace {

std::string result_json(const JobResult &r, bool with_resource) {
  std::string status = r.status();
  std::string out = "{";
  if (with_resource) out += "\"id\":" + json_string(r.resource_id.c_str()) + ",";
  const sdrs_job *job = r.job.get();
  out += "\"job_id\":" + (r.job_id.empty() ? "null" : json_string(r.job_id.c_str())) +
         ",\"status\":" + (status.empty() ? "null" : json_string(status.c_str())) +
         ",\"error_code\":" + json_string(job ? sdrs_job_error_code(job) : nullptr) +
         ",\"fail_reason\":" + json_string(job ? sdrs_job_fail_reason(job) : nullptr) +
         ",\"error\":" + error_json(r) +
         ",\"job\":" + (job ? json_or_null(sdrs_job_json(job)) : "null") + "}";
  return out;
}

}  // namespace

void print_results(const std::vector<std::unique_ptr<JobResult>> &results, bool json,
                   bool with_resource) {
  if (json) {
    std::vector<std::string> items;
    items.reserve(results.size());
    for (const auto &r : results) items.push_back(result_json(*r, with_resource));
    std::cout << json_array(items) << "\n";
    return;
  }
  std::vector<std::string> headers = {"JOB_ID", "STATUS", "ERROR", "DETAIL"};
  if (with_resource) headers.insert(headers.begin(), "ID");
  std::vector<std::vector<std::string>> rows;
  for (const auto &r : results) {
    std::string error = "-";
    std::string detail = "-";
    if (r->rc == SDRS_EJOBFAILED && r->job) {
      const sdrs_job *job = r->job.get();
      error = sdrs_job_error_code(job) ? sdrs_job_error_code(job) : sdrs_error_name(r->rc);
      detail = or_dash(sdrs_job_fail_reason(job));
    } else if (r->rc != 0) {
      error = sdrs_error_name(r->rc);
      detail = or_dash(r->message.c_str());
    }
    std::string status = r->status();
    std::vector<std::string> row = {r->job_id.empty() ? "-" : r->job_id,
                                    status.empty() ? "-" : status, error, detail};
    if (with_resource) row.insert(row.begin(), r->resource_id);
    rows.push_back(std::move(row));
  }
  print_table(headers, rows);
}

}  // namespace sdrscli
