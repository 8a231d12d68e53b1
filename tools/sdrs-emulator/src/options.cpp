#include "options.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace emu {
namespace {

constexpr int kBadUsage = 2;
constexpr int kGoOn = -1;

bool parse_num(const char *s, long long min, long long max, long long &out) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < min || v > max) return false;
  out = v;
  return true;
}

// NAME:PASSWORD[:DOMAIN]; false when a part is empty.
bool parse_user(const std::string &spec, User *u) {
  size_t c1 = spec.find(':');
  size_t c2 = spec.find(':', c1 + 1);
  u->name = spec.substr(0, c1);
  u->password = spec.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
  u->domain = c2 == std::string::npos ? "emulator-domain" : spec.substr(c2 + 1);
  return !u->name.empty() && !u->password.empty() && !u->domain.empty();
}

// AK:SK[:SECURITY_TOKEN]; false when AK or SK is empty.
bool parse_aksk(const std::string &spec, Options *opts) {
  size_t c1 = spec.find(':');
  size_t c2 = spec.find(':', c1 + 1);
  std::string ak = spec.substr(0, c1);
  std::string sk = spec.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
  std::string st = c2 == std::string::npos ? "" : spec.substr(c2 + 1);
  if (ak.empty() || sk.empty()) return false;
  opts->aksk[ak] = {sk, st};
  return true;
}

// Defaults that depend on what was given: the project id and token, the project names.
void apply_defaults(const std::vector<std::pair<std::string, std::string>> &names, Options *opts) {
  if (opts->project_ids.empty()) opts->project_ids.insert("0123456789abcdef0123456789abcdef");
  if (opts->tokens.empty()) opts->tokens.insert("emulator-token");
  // Project names for IAM scopes; without an id a name means the first project id.
  std::vector<std::pair<std::string, std::string>> all = names;
  if (all.empty()) all.emplace_back("eu-de_emulator", "");
  for (const auto &pn : all) {
    opts->project_names[pn.first] = pn.second.empty() ? *opts->project_ids.begin() : pn.second;
    opts->project_ids.insert(opts->project_names[pn.first]);
  }
}

// Reads and parses a fixtures file; false (message printed) when it cannot.
bool load_fixtures_file(const char *path, Fixtures *out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "sdrs-emulator: cannot read --fixtures %s\n", path);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  if (!parse_fixtures(text.str(), out, &error)) {
    std::fprintf(stderr, "sdrs-emulator: bad --fixtures %s: %s\n", path, error.c_str());
    return false;
  }
  return true;
}

}  // namespace

void print_usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s [--port N] [--port-file FILE] [--project-id ID]... [--token TOKEN]...\n"
               "          [--job-init-ms MS] [--job-run-ms MS] [--max-groups N] [--threads N]"
               " [--quiet]\n"
               "          [--user NAME:PASSWORD[:DOMAIN]]... [--project-name NAME[=ID]]...\n"
               "          [--token-lifetime-s N] [--aksk AK:SK[:SECURITY_TOKEN]]..."
               " [--max-clock-skew-s N]\n"
               "          [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]"
               " [--fault JSON]...\n"
               "          [--fixtures FILE] [--max-replications N] [--job-run-spread-ms MS]\n",
               argv0);
}

int parse_command_line(int argc, char **argv, CommandLine *out) {
  Options &opts = out->emulator;
  std::vector<std::pair<std::string, std::string>> project_names;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    bool has_val = i + 1 < argc;
    long long v = 0;
    if (a == "--quiet") {
      out->quiet = true;
    } else if (a == "--help" || a == "-h") {
      print_usage(argv[0]);
      return 0;
    } else if (!has_val) {
      print_usage(argv[0]);
      return kBadUsage;
    } else if (a == "--port" && parse_num(argv[++i], 0, 65535, v)) {
      out->port = static_cast<int>(v);
    } else if (a == "--port-file") {
      out->port_file = argv[++i];
    } else if (a == "--tls-cert") {
      out->tls_cert = argv[++i];
    } else if (a == "--tls-key") {
      out->tls_key = argv[++i];
    } else if (a == "--tls-client-ca") {
      out->tls_client_ca = argv[++i];
    } else if (a == "--fault") {
      out->fault_rules.emplace_back(argv[++i]);
    } else if (a == "--project-id" && argv[i + 1][0] != '\0') {
      opts.project_ids.insert(argv[++i]);
    } else if (a == "--token" && argv[i + 1][0] != '\0') {
      opts.tokens.insert(argv[++i]);
    } else if (a == "--job-init-ms" && parse_num(argv[++i], 0, 86400000, v)) {
      opts.job_init_ms = v;
    } else if (a == "--job-run-ms" && parse_num(argv[++i], 0, 86400000, v)) {
      opts.job_run_ms = v;
    } else if (a == "--job-run-spread-ms" && parse_num(argv[++i], 0, 86400000, v)) {
      opts.job_run_spread_ms = v;
    } else if (a == "--max-groups" && parse_num(argv[++i], 0, 100000000, v)) {
      opts.max_groups = static_cast<uint64_t>(v);
    } else if (a == "--max-replications" && parse_num(argv[++i], 0, 100000000, v)) {
      opts.max_replications = static_cast<uint64_t>(v);
    } else if (a == "--fixtures") {
      if (!load_fixtures_file(argv[++i], &opts.fixtures)) return kBadUsage;
    } else if (a == "--threads" && parse_num(argv[++i], 1, 1000000, v)) {
      out->threads = static_cast<int>(v);
    } else if (a == "--user" && std::strchr(argv[i + 1], ':') != nullptr) {
      User u;
      if (!parse_user(argv[++i], &u)) {
        std::fprintf(stderr, "sdrs-emulator: --user needs NAME:PASSWORD[:DOMAIN]\n");
        return kBadUsage;
      }
      opts.users.push_back(u);
    } else if (a == "--project-name" && argv[i + 1][0] != '\0') {
      std::string spec = argv[++i];
      size_t eq = spec.find('=');
      project_names.emplace_back(spec.substr(0, eq),
                                 eq == std::string::npos ? "" : spec.substr(eq + 1));
    } else if (a == "--token-lifetime-s" && parse_num(argv[++i], 1, 86400LL * 7, v)) {
      opts.token_lifetime_ms = v * 1000;
    } else if (a == "--max-clock-skew-s" && parse_num(argv[++i], 0, 86400, v)) {
      opts.max_clock_skew_ms = v * 1000;
    } else if (a == "--aksk" && std::strchr(argv[i + 1], ':') != nullptr) {
      if (!parse_aksk(argv[++i], &opts)) {
        std::fprintf(stderr, "sdrs-emulator: --aksk needs AK:SK[:SECURITY_TOKEN]\n");
        return kBadUsage;
      }
    } else {
      std::fprintf(stderr, "sdrs-emulator: bad option or value: %s\n", a.c_str());
      print_usage(argv[0]);
      return kBadUsage;
    }
  }
  apply_defaults(project_names, &opts);
  if (out->tls_cert.empty() != out->tls_key.empty() ||
      (!out->tls_client_ca.empty() && out->tls_cert.empty())) {
    std::fprintf(stderr,
                 "sdrs-emulator: --tls-cert and --tls-key go together "
                 "(--tls-client-ca needs both)\n");
    print_usage(argv[0]);
    return kBadUsage;
  }
  return kGoOn;
}

}  // namespace emu
