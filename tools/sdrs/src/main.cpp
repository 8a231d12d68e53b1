// sdrs: command-line client for SDRS, built only on the public libsdrs C API.
#include <sdrs.h>

#include <iostream>

#include "args.hpp"
#include "async.hpp"
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
    print_outcome_unknown(ctx, ctx.outcome_check(), e.detail());
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
