// Command-line model of the sdrs CLI: option and command tables, the parser and help texts.
#ifndef SDRS_CLI_ARGS_HPP
#define SDRS_CLI_ARGS_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sdrscli {

class Context;

struct OptionSpec {
  const char *name;     // "--name"
  const char *metavar;  // "N"; nullptr for a boolean flag
  const char *help;
  bool required = false;
  bool repeatable = false;  // may be given several times; every value is kept in order
};

// The options and positionals of one invocation, after parsing.
class ParsedArgs {
 public:
  bool flag(const std::string &name) const { return flags_.count(name) != 0; }
  // Value of an option that takes one, nullptr when not given.
  const char *value(const std::string &name) const;
  // Every value of a repeatable option, in command-line order (empty when not given).
  std::vector<std::string> values(const std::string &name) const;
  // Integer value; throws UsageError when the text is not a whole number.
  std::optional<int64_t> int_value(const std::string &name) const;
  // Seconds (decimals allowed, >= 0) as milliseconds; throws UsageError when malformed.
  std::optional<int64_t> seconds_as_ms(const std::string &name) const;
  const std::vector<std::string> &positional() const { return positional_; }

  void set_flag(const std::string &name) { flags_.insert(name); }
  void add_value(const std::string &name, const std::string &v) { values_[name].push_back(v); }
  void add_positional(const std::string &p) { positional_.push_back(p); }

 private:
  std::set<std::string> flags_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

using Handler = int (*)(Context &ctx, const ParsedArgs &args);

struct CommandSpec {
  const char *path;         // "pg create"
  const char *positionals;  // synopsis of the positionals, e.g. "ID NEW_NAME"
  size_t min_positional;
  size_t max_positional;
  const char *summary;
  std::vector<OptionSpec> options;
  // Complete command lines shown under "Examples:" in the command's help (one or two).
  std::vector<const char *> examples;
  Handler handler;
};

// Wrong command line: exit code 2. `topic` names the command (or group) whose help applies.
class UsageError : public std::runtime_error {
 public:
  UsageError(const std::string &msg, std::string topic = {})
      : std::runtime_error(msg), topic_(std::move(topic)) {}
  const std::string &topic() const { return topic_; }

 private:
  std::string topic_;
};

const std::vector<OptionSpec> &global_options();
// Every command of the program, in help order.
const std::vector<CommandSpec> &all_commands();

struct Invocation {
  const CommandSpec *command = nullptr;  // nullptr when only help was asked for
  ParsedArgs args;
  bool help = false;
  std::string topic;  // for help: "", "pg", "pg create", ...
};

Invocation parse_command_line(int argc, char **argv);

// Help text for "" (the program), a group ("pg") or a command ("pg create").
std::string help_text(const std::string &topic);

}  // namespace sdrscli

#endif  // SDRS_CLI_ARGS_HPP
