// Per-invocation state shared by all commands: global settings, the client, the command
// deadline, the Ctrl-C cancel token, RAII wrappers for library handles and error types.
#ifndef SDRS_CLI_CONTEXT_HPP
#define SDRS_CLI_CONTEXT_HPP

#include <sdrs.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "args.hpp"

namespace sdrscli {

template <typename T, void (*Free)(T *)>
struct HandleDeleter {
  void operator()(T *p) const { Free(p); }
};
template <typename T, void (*Free)(T *)>
using Handle = std::unique_ptr<T, HandleDeleter<T, Free>>;

using ErrorPtr = Handle<sdrs_error, sdrs_error_free>;
using ConfigPtr = Handle<sdrs_config, sdrs_config_free>;
using ClientPtr = Handle<sdrs_client, sdrs_client_free>;
using CallOptsPtr = Handle<sdrs_call_opts, sdrs_call_opts_free>;
using WaitOptsPtr = Handle<sdrs_wait_opts, sdrs_wait_opts_free>;
using CancelPtr = Handle<sdrs_cancel, sdrs_cancel_free>;
using JobPtr = Handle<sdrs_job, sdrs_job_free>;
using PgPtr = Handle<sdrs_pg, sdrs_pg_free>;
using PgSpecPtr = Handle<sdrs_pg_spec, sdrs_pg_spec_free>;
using PgListOptsPtr = Handle<sdrs_pg_list_opts, sdrs_pg_list_opts_free>;
using PgIterPtr = Handle<sdrs_pg_iter, sdrs_pg_iter_free>;
using PiPtr = Handle<sdrs_pi, sdrs_pi_free>;
using PiSpecPtr = Handle<sdrs_pi_spec, sdrs_pi_spec_free>;
using PiNicSpecPtr = Handle<sdrs_pi_nic_spec, sdrs_pi_nic_spec_free>;
using PiListOptsPtr = Handle<sdrs_pi_list_opts, sdrs_pi_list_opts_free>;
using PiIterPtr = Handle<sdrs_pi_iter, sdrs_pi_iter_free>;
using PairPtr = Handle<sdrs_pair, sdrs_pair_free>;
using PairSpecPtr = Handle<sdrs_pair_spec, sdrs_pair_spec_free>;
using PairListOptsPtr = Handle<sdrs_pair_list_opts, sdrs_pair_list_opts_free>;
using PairIterPtr = Handle<sdrs_pair_iter, sdrs_pair_iter_free>;
using DrillPtr = Handle<sdrs_drill, sdrs_drill_free>;
using DrillSpecPtr = Handle<sdrs_drill_spec, sdrs_drill_spec_free>;
using DrillListOptsPtr = Handle<sdrs_drill_list_opts, sdrs_drill_list_opts_free>;
using DrillIterPtr = Handle<sdrs_drill_iter, sdrs_drill_iter_free>;
using TagSetPtr = Handle<sdrs_tag_set, sdrs_tag_set_free>;
using TagListPtr = Handle<sdrs_tag_list, sdrs_tag_list_free>;
using TagProjectListPtr = Handle<sdrs_tag_project_list, sdrs_tag_project_list_free>;
using TagQueryPtr = Handle<sdrs_tag_query, sdrs_tag_query_free>;
using TagQueryIterPtr = Handle<sdrs_tag_query_iter, sdrs_tag_query_iter_free>;
using TaskListOptsPtr = Handle<sdrs_task_list_opts, sdrs_task_list_opts_free>;
using TaskIterPtr = Handle<sdrs_task_iter, sdrs_task_iter_free>;
using QuotaPtr = Handle<sdrs_quota, sdrs_quota_free>;
using DomainListPtr = Handle<sdrs_domain_list, sdrs_domain_list_free>;
using ApiVersionListPtr = Handle<sdrs_apiversion_list, sdrs_apiversion_list_free>;
using StringPtr = Handle<char, sdrs_string_free>;

// A failed library call: the code and, when the library gave one, its error handle.
class ApiError : public std::runtime_error {
 public:
  ApiError(int code, sdrs_error *err);
  int code() const { return code_; }
  const sdrs_error *detail() const { return err_.get(); }

 private:
  int code_;
  std::shared_ptr<sdrs_error> err_;  // shared: exceptions must be copyable
};

// A failure the CLI detects itself (e.g. its own deadline), reported like a library error.
class CliError : public std::runtime_error {
 public:
  CliError(int code, const std::string &msg) : std::runtime_error(msg), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Throws ApiError when rc is a failure; takes ownership of *err either way. Takes the address
// (not the value) so that `check(call(..., &err), &err)` reads err after the call has run.
void check(int rc, sdrs_error **err);

class Context {
 public:
  Context(const ParsedArgs &args, sdrs_cancel *cancel);

  bool json() const { return json_; }
  sdrs_client *client();  // created on first use from flags and environment
  sdrs_cancel *cancel() const { return cancel_; }
  // Fresh call options carrying the remaining command deadline and the cancel token.
  CallOptsPtr call_opts() const;
  // Wait options: remaining deadline, cancel token, optional first poll interval.
  WaitOptsPtr wait_opts(std::optional<int64_t> interval_ms) const;

  // What to check when the command's request fails with an unknown outcome
  // (sdrs_error_outcome_unknown): given the send time, the text printed after the error,
  // normally a command line to run. Set by the command before it sends the request.
  using OutcomeCheck = std::function<std::string(int64_t sent_at_ms)>;
  void set_outcome_check(OutcomeCheck check) { outcome_check_ = std::move(check); }
  const OutcomeCheck &outcome_check() const { return outcome_check_; }
  // "sdrs WORDS... [global options given]": a command line that reaches the same service
  // with the same settings (the --token value is never repeated: see token_given()).
  std::string command_line(const std::vector<std::string> &words) const;
  bool token_given() const { return args_.value("--token") != nullptr; }

 private:
  // Milliseconds left of --timeout (nullopt: no deadline); throws CliError once it expired.
  std::optional<int64_t> remaining_ms() const;

  const ParsedArgs &args_;
  sdrs_cancel *cancel_;
  bool json_;
  std::optional<int64_t> timeout_ms_;
  std::chrono::steady_clock::time_point start_;
  ClientPtr client_;
  OutcomeCheck outcome_check_;
};

// The word quoted for a POSIX shell when it needs quoting.
std::string shell_quote(const std::string &word);

// Installs SIGINT/SIGTERM handlers for its lifetime. The handler only sets a flag and writes
// to a pipe (async-signal-safe); a watcher thread reads the pipe and triggers the token.
class SignalCanceler {
 public:
  explicit SignalCanceler(sdrs_cancel *cancel);
  ~SignalCanceler();
  SignalCanceler(const SignalCanceler &) = delete;
  SignalCanceler &operator=(const SignalCanceler &) = delete;
  static bool interrupted();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sdrscli

#endif  // SDRS_CLI_CONTEXT_HPP
