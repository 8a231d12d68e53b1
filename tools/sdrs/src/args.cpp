// Argument parser and help texts, driven entirely by the option/command tables.
#include "args.hpp"

#include <cerrno>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace sdrscli {

namespace {

// One setting read from the environment: its names (the first set one wins) and meaning.
struct EnvSetting {
  std::vector<const char *> names;
  const char *help;
};

struct EnvSection {
  const char *heading;
  std::vector<EnvSetting> settings;
};

// Every variable the CLI and the library's environment source (sdrs_config_load_env,
// sdrs_config_load_clouds_yaml) read, each once; cli_test.sh checks this against the sources.
const std::vector<EnvSection> &environment() {
  static const std::vector<EnvSection> kSections = {
      {"Service and project",
       {
           {{"SDRS_ENDPOINT", "OS_SDRS_ENDPOINT_OVERRIDE"}, "service endpoint (--endpoint)"},
           {{"OS_REGION_NAME", "OS_REGION_ID"}, "region; derives endpoints not given (--region)"},
           {{"OS_PROJECT_ID", "OS_TENANT_ID"}, "IAM project id (--project-id)"},
           {{"OS_PROJECT_NAME", "OS_TENANT_NAME"}, "IAM project name (--project-name)"},
           {{"SDRS_ALLOW_HTTP"}, "1: allow plain http:// endpoints and IAM URLs (--allow-http)"},
       }},
      {"Token authentication",
       {
           {{"OS_AUTH_TOKEN", "OS_TOKEN"}, "IAM token (--token)"},
       }},
      {"Password authentication (IAM)",
       {
           {{"OS_AUTH_URL"}, "IAM endpoint (--auth-url)"},
           {{"OS_USERNAME"}, "IAM user name (--username)"},
           {{"OS_USER_ID", "OS_USERID"}, "IAM user id (instead of the name)"},
           {{"OS_PASSWORD"}, "the user's password (no flag: command lines are visible)"},
           {{"OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME"},
            "the user's domain (account) name (--user-domain-name)"},
           {{"OS_USER_DOMAIN_ID", "OS_DOMAIN_ID", "OS_PROJECT_DOMAIN_ID"},
            "the user's domain id (instead of the name)"},
       }},
      {"AK/SK request signing",
       {
           {{"OS_ACCESS_KEY", "OS_ACCESS_KEY_ID", "OS_AK"}, "access key id"},
           {{"OS_SECRET_KEY", "OS_ACCESS_KEY_SECRET", "OS_SK"}, "secret access key"},
           {{"OS_SECURITY_TOKEN", "OS_AKSK_SECURITY_TOKEN"},
            "security token of a temporary key pair"},
       }},
      {"clouds.yaml",
       {
           {{"OS_CLOUD"}, "cloud to read (--cloud)"},
           {{"OS_CLIENT_CONFIG_FILE"},
            "clouds.yaml to read instead of searching ./, $XDG_CONFIG_HOME/openstack (or "
            "~/.config/openstack), /etc/openstack"},
       }},
  };
  return kSections;
}

const char kExitCodeHelp[] =
    "Exit codes:\n"
    "  0  success\n"
    "  2  usage error (unknown option, missing argument, bad number)\n"
    "  3  validation error, nothing was sent (SDRS_EVALIDATION, SDRS_EINVAL)\n"
    "  4  service or transport error (any other failure)\n"
    "  5  the asynchronous job failed (SDRS_EJOBFAILED)\n"
    "  6  timeout or canceled (--timeout expired, Ctrl-C)\n"
    "  7  outcome unknown: a create or action was sent but not answered, so the\n"
    "     service may have acted on it; the error says what to check before a retry\n";

// Credentials from a clouds.yaml entry, then from the environment.
const std::vector<const char *> &program_examples() {
  static const std::vector<const char *> kExamples = {
      "sdrs --cloud otc domain list",
      "OS_AUTH_TOKEN=... OS_PROJECT_ID=... OS_REGION_NAME=eu-de sdrs pg list --json",
  };
  return kExamples;
}

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

constexpr size_t kHelpWidth = 80;

// Word-wraps text to lines of at most `width` columns (a longer word stays whole).
std::vector<std::string> wrap(const std::string &text, size_t width) {
  std::istringstream words(text);
  std::string word;
  std::string line;
  std::vector<std::string> lines;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// "  label   text" with the text wrapped and its continuation lines aligned under it.
void append_row(std::ostringstream &out, size_t indent, const std::string &label,
                size_t label_width, const std::string &text) {
  const size_t text_column = indent + label_width + 2;
  out << std::string(indent, ' ') << label;
  size_t column = indent + label.size();
  if (column + 2 > text_column) {  // the label overflows its column: text on the next line
    out << "\n";
    column = 0;
  }
  bool first = true;
  for (const auto &line : wrap(text, kHelpWidth - text_column)) {
    out << std::string(first ? text_column - column : text_column, ' ') << line << "\n";
    first = false;
  }
  if (first) out << "\n";
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
  size_t width = 0;
  for (const auto &o : opts) width = std::max(width, option_label(o).size());
  out << "\n" << title << ":\n";
  for (const auto &o : opts) {
    append_row(out, 2, option_label(o), width,
               std::string(o.help) + (o.required ? " (required)" : "") +
                   (o.repeatable ? " (repeatable)" : ""));
  }
}

void append_environment(std::ostringstream &out) {
  size_t width = 0;
  for (const auto &section : environment()) {
    for (const auto &setting : section.settings)
      width = std::max(width, std::strlen(setting.names.front()));
  }
  out << "\nEnvironment (options override it; of several names, the first one set wins):\n";
  for (const auto &section : environment()) {
    out << "  " << section.heading << ":\n";
    for (const auto &setting : section.settings) {
      std::string text = setting.help;
      for (size_t i = 1; i < setting.names.size(); ++i)
        text += std::string(i == 1 ? "; also " : ", ") + setting.names[i];
      append_row(out, 4, setting.names.front(), width, text);
    }
  }
}

void append_examples(std::ostringstream &out, const std::vector<const char *> &examples) {
  if (examples.empty()) return;
  out << "\nExamples:\n";
  for (const char *e : examples) out << "  " << e << "\n";
}

// "Usage: sdrs pg create --name NAME ... [options]", wrapped to the help width with each
// required option and its value kept on one line.
std::string usage_lines(const CommandSpec &c) {
  std::string first = std::string("Usage: sdrs ") + c.path;
  if (c.positionals[0] != '\0') first += std::string(" ") + c.positionals;
  std::vector<std::string> parts = {first};
  for (const auto &o : c.options) {
    if (o.required) parts.push_back(std::string(o.name) + " " + o.metavar);
  }
  parts.emplace_back("[options]");
  const std::string indent(7, ' ');  // under "sdrs"
  std::string out;
  std::string line;
  for (const auto &part : parts) {
    if (!line.empty() && line.size() + 1 + part.size() > kHelpWidth) {
      out += line + "\n";
      line = indent;
    }
    line += (line.empty() || line == indent ? "" : " ") + part;
  }
  return out + line + "\n";
}

// First sentence of a summary, for the one-line command lists.
std::string first_sentence(const char *summary) {
  std::string s = summary;
  auto dot = s.find(". ");
  return dot == std::string::npos ? s : s.substr(0, dot + 1);
}

std::string command_label(const CommandSpec &c) {
  std::string label = c.path;
  if (c.positionals[0] != '\0') label += std::string(" ") + c.positionals;
  return label;
}

std::string command_list(const std::string &group) {
  std::ostringstream out;
  size_t width = 0;
  for (const auto &c : all_commands()) width = std::max(width, command_label(c).size());
  for (const auto &c : all_commands()) {
    std::string p = c.path;
    if (!group.empty() && p.compare(0, group.size() + 1, group + " ") != 0) continue;
    append_row(out, 2, command_label(c), width, first_sentence(c.summary));
  }
  return out.str();
}

const char kSeeProgramHelp[] =
    "\nGlobal options (e.g. --json, --timeout, --endpoint), environment and exit codes:\n"
    "see 'sdrs --help'.\n";

}  // namespace

const char *ParsedArgs::value(const std::string &name) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? nullptr : it->second.back().c_str();
}

std::vector<std::string> ParsedArgs::values(const std::string &name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
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
  static const std::vector<OptionSpec> kOptions = {
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
  return kOptions;
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
        // A second value of a single-valued option would silently replace the first.
        if (!spec->repeatable && inv.args.value(name))
          throw UsageError("option " + name + " given twice", path);
        inv.args.add_value(name, *inline_value);
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
    std::string next = path;
    if (!next.empty()) next += ' ';
    next += a;
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
    out << usage_lines(*c) << "\n";
    for (const auto &line : wrap(c->summary, kHelpWidth)) out << line << "\n";
    append_options(out, "Options", c->options);
    append_examples(out, c->examples);
    out << kSeeProgramHelp;
  } else if (!topic.empty()) {
    out << "Usage: sdrs " << topic << " <command> [options]\n\nCommands:\n"
        << command_list(topic) << "\nRun 'sdrs " << topic
        << " <command> --help' for the options and examples of one command.\n"
        << kSeeProgramHelp;
  } else {
    out << "Usage: sdrs <command> [options]\n\n"
           "Client for the Open Telekom Cloud Storage Disaster Recovery Service (SDRS).\n"
           "Run 'sdrs <command> --help' for the options and examples of one command.\n\n"
           "Commands:\n"
        << command_list("");
    append_options(out, "Global options (valid with every command)", global_options());
    append_environment(out);
    out << "\n" << kExitCodeHelp;
    append_examples(out, program_examples());
  }
  return out.str();
}

}  // namespace sdrscli
