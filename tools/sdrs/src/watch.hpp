// Following many jobs at once: one sdrs_watcher for all of them, a live status line (or one
// line per ended job when stderr is not a terminal), and their results as a table or JSON.
#ifndef SDRS_CLI_WATCH_HPP
#define SDRS_CLI_WATCH_HPP

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "args.hpp"
#include "context.hpp"

namespace sdrscli {

using WatcherPtr = Handle<sdrs_watcher, sdrs_watcher_free>;

class JobFollower;

// How one job ended, or why it could not be started or followed.
struct JobResult {
  std::string resource_id;  // the resource whose action started the job; "" for job wait
  std::string job_id;       // "" when the start failed
  bool done = false;
  int rc = 0;                       // 0 or the SDRS_E* code the wait (or start) ended with
  JobPtr job;                       // the final job on 0 and SDRS_EJOBFAILED
  ErrorPtr err;                     // the library's error, when it gave one
  std::string message;              // the failure's text ("" on success)
  std::string last_status;          // the last status a poll saw ("" before the first)
  JobFollower *follower = nullptr;  // who follows it (the callbacks' way back)

  // Records a failure (takes ownership of err, which may be NULL).
  void fail(int code, sdrs_error *error, const std::string &fallback_message);
  // SUCCESS, FAIL, the last status seen, or "" when no poll answered.
  std::string status() const;
};

// The options of job wait and --wait that tune the watcher.
extern const OptionSpec kMaxPollsOption;

// Follows jobs with one watcher whose callbacks run on this thread (manual dispatch), so all
// output comes from one thread and a blocked stderr never stalls the polls.
class JobFollower {
 public:
  // `job_count`: how many jobs the command follows (one job keeps the single-job status line
  // and shows nothing more when stderr is not a terminal). `label` names the resource in the
  // per-job lines ("pg", "pi", ...; "" for job wait).
  JobFollower(Context &ctx, const ParsedArgs &args, size_t job_count, std::string label = {});
  ~JobFollower();
  JobFollower(const JobFollower &) = delete;
  JobFollower &operator=(const JobFollower &) = delete;

  // Starts following a job (its deadline counts from here). Returns its result slot.
  JobResult &add(const std::string &job_id, const std::string &resource_id = {});
  // A job that never started: kept in argument order among the others, never followed.
  JobResult &add_unstarted(const std::string &resource_id, int code, sdrs_error *error,
                           const std::string &message);
  // Runs callbacks until every job has ended, drawing the progress on stderr. After Ctrl-C
  // the watcher is shut down, so the jobs left end with SDRS_ECANCELED at once.
  void run();

  const std::vector<std::unique_ptr<JobResult>> &results() const { return results_; }
  // True once Ctrl-C (or SIGTERM) arrived during the wait.
  bool interrupted() const { return interrupted_; }

 private:
  static void on_done(uint64_t ticket, const char *job_id, int rc, sdrs_job *job, sdrs_error *err,
                      void *userdata);
  static int on_progress(const sdrs_job *job, void *userdata);
  void ended(JobResult &result);
  void draw_status(bool force);
  std::string counts_text() const;
  double elapsed_s() const;

  Context &ctx_;
  std::optional<int64_t> interval_ms_;
  std::string label_;
  bool many_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool tty_;
  bool quiet_ = false;  // set while the destructor runs the last callbacks
  bool interrupted_ = false;
  size_t ended_ = 0;
  size_t success_ = 0;
  size_t failed_ = 0;  // FAIL
  size_t errors_ = 0;  // anything else: timeout, cancel, service errors
  std::string drawn_;  // the status line on screen ("" = none)
  // Declared before the watcher: freeing the watcher runs the callbacks that still write here.
  std::vector<std::unique_ptr<JobResult>> results_;
  WatcherPtr watcher_;
  int fd_ = -1;
};

// Usage error when an id is given twice (naming it and both argument positions).
void reject_duplicate_ids(const std::vector<std::string> &ids, const char *what);

// Checks every id with the library's own rules before any request is sent: `check` must run
// the real call with the given call options, whose cancel token has already fired, so a valid
// id ends in SDRS_ECANCELED before sending. A refused id throws a CliError naming the argument;
// a refusal of another field (`id_field` is the id's, e.g. "job_id") throws it as it is.
void check_ids_before_sending(
    const std::vector<std::string> &ids, const char *id_field,
    const std::function<int(const std::string &id, const sdrs_call_opts *opts, sdrs_error **err)>
        &check);

// The exit code of several results: 6 after Ctrl-C, else the first of 7, 4, 3, 5, 6 that any
// result has (see the README), else 0.
int combined_exit_code(const std::vector<std::unique_ptr<JobResult>> &results, bool interrupted);

// The "error" member of a result's JSON: null on success, else name, message, http_status,
// api_code and request_id.
std::string error_json(const JobResult &r);

// One result per job on stdout: a table (ID column when the jobs belong to resources) or, with
// --json, an array of objects.
void print_results(const std::vector<std::unique_ptr<JobResult>> &results, bool json,
                   bool with_resource);

}  // namespace sdrscli

#endif  // SDRS_CLI_WATCH_HPP
