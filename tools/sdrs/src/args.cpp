// Argument parser and help texts, driven entirely by the option/command tables.
#include "args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace sdrscli {

namespace {

const char kEnvironmentHelp[] =
    "Environment (flags override it):\n"
    "  SDRS_ENDPOINT      service endpoint (--endpoint)\n"
    "  OS_PROJECT_ID      project id (--project-id)\n"
    "  OS_AUTH_TOKEN      IAM token (--token)\n"
    "  SDRS_ALLOW_HTTP=1  allow a plain http:// endpoint (--allow-http)\n"
    "  OS_AUTH_URL, OS_USERNAME, OS_USER_ID, OS_PASSWORD, OS_USER_DOMAIN_NAME,\n"
    "  OS_PROJECT_NAME, OS_REGION_NAME, OS_ACCESS_KEY, OS_SECRET_KEY, OS_SECURITY_TOKEN,\n"
    "  OS_TOKEN      IAM password auth / AK/SK signing (see the README)\n"
    "  OS_CLOUD           cloud of clouds.yaml to read (--cloud)\n";

const char kExitCodeHelp[] =
    "Exit codes:\n"
    "  0  success\n"
    "  2  usage error (unknown option, missing argument, bad number)\n"
    "  3  validation error (input rejected before sending: SDRS_EVALIDATION, SDRS_EINVAL)\n"
    "  4  service or transport error (any other failure)\n"
    "  5  the asynchronous job failed (SDRS_EJOBFAILED)\n"
    "  6  timeout or canceled (--timeout expired, Ctrl-C)\n";

const OptionSpec *find_option(const std::vector<OptionSpec> &opts, const std::string &name) {
  for (const auto &o : opts) {
    if (name == o.name) return &o;
  }
  return nullptr;
}

const CommandSpec *find_command(const std::string &path) {
  for (const auto &c : all_commands()) {
    if (path == c.path) return &c;
  }
  return nullptr;
}

// True when `path` is a group word such as "pg" (a proper prefix of some command path).
bool is_group(const std::string &path) {
  for (const auto &c : all_commands()) {
    std::string p = c.path;
    if (p.size() > path.size() && p.compare(0, path.size(), path) == 0 && p[path.size()] == ' ')
      return true;
  }
  return false;
}

std::string option_label(const OptionSpec &o) {
  std::string s = o.name;
  if (std::string(o.name) == "--help") s = "-h, --help";
  if (o.metavar) s += std::string(" ") + o.metavar;
  return s;
}

void append_options(std::ostringstream &out, const char *title,
                    const std::vector<OptionSpec> &opts) {
  if (opts.empty()) return;
  out << "\n" << title << ":\n";
  for (const auto &o : opts) {
    std::string label = option_label(o);
    out << "  " << label;
    out << std::string(label.size() < 26 ? 26 - label.size() : 1, ' ');
    out << o.help << (o.required ? " (required)" : "") << "\n";
  }
}

std::string usage_line(const CommandSpec &c) {
  std::string s = std::string("sdrs ") + c.path;
  if (c.positionals[0] != '\0') s += std::string(" ") + c.positionals;
  for (const auto &o : c.options) {
    if (o.required) s += std::string(" ") + o.name + " " + o.metavar;
  }
  return s + " [options]";
}

// First sentence of a summary, for the one-line command lists.
std::string first_sentence(const char *summary) {
  std::string s = summary;
  auto dot = s.find(". ");
  return dot == std::string::npos ? s : s.substr(0, dot + 1);
}

// Word-wraps text at `width` columns.
std::string wrap(const std::string &text, size_t width) {
  std::istringstream words(text);
  std::string word, line, out;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line + "\n";
}

std::string command_list(const std::string &group) {
  std::ostringstream out;
  for (const auto &c : all_commands()) {
    std::string p = c.path;
    if (!group.empty() && p.compare(0, group.size() + 1, group + " ") != 0) continue;
    std::string label = p + (c.positionals[0] ? std::string(" ") + c.positionals : "");
    out << "  " << label << std::string(label.size() < 34 ? 34 - label.size() : 1, ' ')
        << first_sentence(c.summary) << "\n";
  }
  return out.str();
}

}  // namespace

const char *ParsedArgs::value(const std::string &name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : it->second.c_str();
}

std::optional<int64_t> ParsedArgs::int_value(const std::string &name) const {
  const char *v = value(name);
  if (!v) return std::nullopt;
  errno = 0;
  char *end = nullptr;
  long long n = std::strtoll(v, &end, 10);
  if (*v == '\0' || *end != '\0' || errno == ERANGE)
    throw UsageError(name + ": not a whole number: '" + v + "'");
  return static_cast<int64_t>(n);
}

std::optional<int64_t> ParsedArgs::seconds_as_ms(const std::string &name) const {
  const char *v = value(name);
  if (!v) return std::nullopt;
  char *end = nullptr;
  double s = std::strtod(v, &end);
  // 1e9 s (~31 years) keeps the product well inside int64.
  if (*v == '\0' || *end != '\0' || !std::isfinite(s) || s < 0 || s > 1e9)
    throw UsageError(name + ": not a number of seconds >= 0: '" + v + "'");
  auto ms = static_cast<int64_t>(std::llround(s * 1000.0));
  return (s > 0 && ms == 0) ? 1 : ms;
}

const std::vector<OptionSpec> &global_options() {
  static const std::vector<OptionSpec> opts = {
      {"--endpoint", "URL", "service endpoint, e.g. https://sdrs.eu-de.otc.t-systems.com"},
      {"--project-id", "ID", "IAM project id"},
      {"--token", "TOKEN", "IAM token (X-Auth-Token); never printed"},
      {"--allow-http", nullptr, "allow plain http:// endpoints and IAM URLs (local emulator)"},
      {"--auth-url", "URL",
       "IAM endpoint for password auth, e.g. https://iam.eu-de.otc.t-systems.com/v3"},
      {"--username", "NAME", "IAM user name (password from OS_PASSWORD or clouds.yaml)"},
      {"--user-domain-name", "NAME", "the IAM user's domain (account) name"},
      {"--project-name", "NAME", "IAM project name (instead of --project-id)"},
      {"--region", "REGION", "region, e.g. eu-de (derives endpoints that are not given)"},
      {"--cloud", "NAME", "read this cloud of clouds.yaml (standard search path)"},
      {"--ca-file", "FILE", "PEM file with the CA certificates to trust"},
      {"--json", nullptr, "machine-readable JSON on stdout"},
      {"--timeout", "SECONDS", "deadline for the whole command, waits included (0 = none)"},
      {"--help", nullptr, "show help"},
  };
  return opts;
}

Invocation parse_command_line(int argc, char **argv) {
  Invocation inv;
  std::string path;  // command words seen so far, space separated
  const CommandSpec *cmd = nullptr;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (!options_done && a == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && a.size() > 1 && a[0] == '-') {
      if (a == "-h" || a == "--help") {
        inv.help = true;
        continue;
      }
      std::string name = a;
      std::optional<std::string> inline_value;
      auto eq = a.find('=');
      if (a.compare(0, 2, "--") == 0 && eq != std::string::npos) {
        name = a.substr(0, eq);  // never echo the value: it may be a token
        inline_value = a.substr(eq + 1);
      }
      const OptionSpec *spec = find_option(global_options(), name);
      if (!spec && cmd) spec = find_option(cmd->options, name);
      if (!spec) throw UsageError("unknown option " + name, path);
      if (spec->metavar) {
        if (!inline_value) {
          if (i + 1 >= argc)
            throw UsageError("option " + name + " needs a value (" + spec->metavar + ")", path);
          inline_value = argv[++i];
        }
        inv.args.set_value(name, *inline_value);
      } else {
        if (inline_value) throw UsageError("option " + name + " takes no value", path);
        inv.args.set_flag(name);
      }
      continue;
    }
    if (cmd) {
      inv.args.add_positional(a);
      continue;
    }
    std::string next = path.empty() ? a : path + " " + a;
    cmd = find_command(next);
    if (!cmd && !is_group(next)) throw UsageError("unknown command '" + next + "'", path);
    path = next;
  }

  inv.topic = path;
  inv.command = cmd;
  if (inv.help) return inv;
  if (!cmd) {
    if (path.empty()) throw UsageError("missing command");
    throw UsageError("missing subcommand after '" + path + "'", path);
  }
  const auto &pos = inv.args.positional();
  if (pos.size() < cmd->min_positional)
    throw UsageError(std::string("missing argument(s): ") + cmd->positionals, path);
  if (pos.size() > cmd->max_positional)
    throw UsageError("unexpected argument '" + pos[cmd->max_positional] + "'", path);
  for (const auto &o : cmd->options) {
    if (o.required && !inv.args.value(o.name))
      throw UsageError(std::string("missing required option ") + o.name + " " + o.metavar, path);
  }
  return inv;
}

std::string help_text(const std::string &topic) {
  std::ostringstream out;
  if (const CommandSpec *c = find_command(topic)) {
    out << "Usage: " << usage_line(*c) << "\n\n" << wrap(c->summary, 90);
    append_options(out, "Options", c->options);
  } else if (!topic.empty()) {
    out << "Usage: sdrs " << topic << " <command> [options]\n\nCommands:\n" << command_list(topic);
  } else {
    out << "Usage: sdrs <command> [options]\n\n"
           "Command-line client for the Open Telekom Cloud Storage Disaster Recovery Service.\n"
           "Run 'sdrs <command> --help' for the options of one command.\n\nCommands:\n"
        << command_list("");
  }
  append_options(out, "Global options (valid with every command)", global_options());
  out << "\n" << kEnvironmentHelp << "\n" << kExitCodeHelp;
  return out.str();
}

}  // namespace sdrscli
