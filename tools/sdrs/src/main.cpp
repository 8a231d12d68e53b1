// sdrs: command-line client for SDRS, built only on the public libsdrs C API.
#include <sdrs.h>

#include <cstdio>
#include <ctime>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

const std::vector<CommandSpec> &all_commands() {
  static const std::vector<CommandSpec> kCommands = [] {
    std::vector<CommandSpec> all;
    for (auto group : {domain_commands(), pg_commands(), pi_commands(), pair_commands(),
                       drill_commands(), tag_commands(), task_commands(), quota_commands(),
                       job_commands(), info_commands(), auth_commands()})
      all.insert(all.end(), group.begin(), group.end());
    return all;
  }();
  return kCommands;
}

namespace {

// `topic` is the command being run, for usage errors found after parsing (bad numbers).
int usage_failure(const UsageError &e, const std::string &topic) {
  std::string t = e.topic().empty() ? topic : e.topic();
  std::cerr << "sdrs: usage: " << e.what() << "\nRun 'sdrs " << (t.empty() ? "" : t + " ")
            << "--help' for usage." << std::endl;
  return 2;
}

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

// After the error line of a request that may have been acted on: when it was sent, that it
// must not simply be repeated, and what the command says to check.
void print_outcome_unknown(const Context &ctx, const sdrs_error *err) {
  const int64_t sent_at = sdrs_error_sent_at_ms(err);
  std::cerr << "sdrs: outcome unknown: the request was sent";
  if (sent_at != SDRS_TIME_NONE) std::cerr << " at " << utc_time(sent_at) << " (" << sent_at << ")";
  std::cerr << " but no answer came: the service may have acted on it. Do not repeat it "
               "before checking.\n";
  if (ctx.outcome_check()) {
    std::cerr << ctx.outcome_check()(sent_at) << "\n";
    if (ctx.token_given()) std::cerr << "(add --token again: it is never printed)\n";
  }
  std::cerr.flush();
}

int run(const Invocation &inv) {
  sdrs_cancel *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_cancel_new(&raw, &err), &err);
  CancelPtr cancel(raw);
  SignalCanceler on_ctrl_c(cancel.get());
  Context ctx(inv.args, cancel.get());
  try {
    return inv.command->handler(ctx, inv.args);
  } catch (const ApiError &e) {
    if (sdrs_error_outcome_unknown(e.detail()) != 1) throw;
    print_error(e.code(), e.what(), e.detail());
    print_outcome_unknown(ctx, e.detail());
    return kExitOutcomeUnknown;
  }
}

}  // namespace

}  // namespace sdrscli

int main(int argc, char **argv) {
  using namespace sdrscli;
  std::string topic;
  try {
    Invocation inv = parse_command_line(argc, argv);
    topic = inv.topic;
    if (inv.help) {
      std::cout << help_text(inv.topic);
      return 0;
    }
    return run(inv);
  } catch (const UsageError &e) {
    return usage_failure(e, topic);
  } catch (const ApiError &e) {
    print_error(e.code(), e.what(), e.detail());
    return exit_code_for(e.code(), e.detail());
  } catch (const CliError &e) {
    print_error(e.code(), e.what(), nullptr);
    return exit_code_for(e.code());
  } catch (const std::exception &e) {
    print_error(SDRS_EINTERNAL, e.what(), nullptr);
    return 4;
  }
}
