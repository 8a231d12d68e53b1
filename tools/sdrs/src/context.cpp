#include "context.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <thread>

namespace sdrscli {

ApiError::ApiError(int code, sdrs_error *err)
    : std::runtime_error(err ? sdrs_error_message(err) : sdrs_strerror(code)),
      code_(code),
      err_(err, sdrs_error_free) {}

void check(int rc, sdrs_error **err) {
  sdrs_error *e = *err;
  *err = nullptr;
  if (rc != 0) throw ApiError(rc, e);
  sdrs_error_free(e);
}

Context::Context(const ParsedArgs &args, sdrs_cancel *cancel)
    : args_(args),
      cancel_(cancel),
      json_(args.flag("--json")),
      start_(std::chrono::steady_clock::now()) {
  auto t = args.seconds_as_ms("--timeout");
  if (t && *t > 0) timeout_ms_ = t;
}

namespace {

// The variable's value, nullptr when unset.
const char *env_value(const char *name) {
  // No thread of the CLI changes the environment.
  return std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
}

// The flag's value, else the environment variable's, else "".
std::string setting(const ParsedArgs &args, const char *flag, const char *env) {
  if (const char *v = args.value(flag)) return v;
  const char *e = env_value(env);
  return e ? e : "";
}

}  // namespace

sdrs_client *Context::client() {
  if (client_) return client_.get();
  auto has_env = [](const char *name) {
    const char *v = env_value(name);
    return v != nullptr && *v != '\0';
  };
  const char *cloud = args_.value("--cloud");
  const bool use_cloud = cloud != nullptr || has_env("OS_CLOUD");
  // Password auth can learn the endpoint from the token catalog and the project from the
  // token; a region derives the endpoint.
  const bool password = use_cloud || has_env("OS_PASSWORD");
  const bool aksk = has_env("OS_ACCESS_KEY") || has_env("OS_AK");
  const bool region = args_.value("--region") != nullptr || has_env("OS_REGION_NAME");
  std::string endpoint = setting(args_, "--endpoint", "SDRS_ENDPOINT");
  if (endpoint.empty() && !password && !region && !has_env("OS_SDRS_ENDPOINT_OVERRIDE")) {
    throw UsageError(
        "no endpoint given: pass --endpoint URL or set SDRS_ENDPOINT (or --region, or use "
        "password auth whose token catalog names it)");
  }
  std::string project = setting(args_, "--project-id", "OS_PROJECT_ID");
  std::string token = setting(args_, "--token", "OS_AUTH_TOKEN");
  if (token.empty() && !password && !aksk && !has_env("OS_TOKEN")) {
    throw UsageError(
        "no token given: pass --token TOKEN or set OS_AUTH_TOKEN (or OS_PASSWORD, "
        "OS_ACCESS_KEY/OS_SECRET_KEY, or --cloud)");
  }
  const char *allow_env = env_value("SDRS_ALLOW_HTTP");
  bool allow_http = args_.flag("--allow-http") || (allow_env && std::string(allow_env) == "1");

  sdrs_config *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_config_new(&raw, &err), &err);
  ConfigPtr cfg(raw);
  // allow_http must precede the endpoint: the endpoint setter rejects http:// otherwise.
  if (allow_http) check(sdrs_config_set_allow_http(cfg.get(), 1, &err), &err);
  if (!endpoint.empty()) check(sdrs_config_set_endpoint(cfg.get(), endpoint.c_str(), &err), &err);
  if (!project.empty()) {
    check(sdrs_config_set_project_id(cfg.get(), project.c_str(), &err), &err);
  }
  if (!token.empty()) check(sdrs_config_set_token(cfg.get(), token.c_str(), &err), &err);
  if (const char *v = args_.value("--auth-url"))
    check(sdrs_config_set_auth_url(cfg.get(), v, &err), &err);
  if (const char *v = args_.value("--username"))
    check(sdrs_config_set_username(cfg.get(), v, &err), &err);
  if (const char *v = args_.value("--user-domain-name"))
    check(sdrs_config_set_user_domain_name(cfg.get(), v, &err), &err);
  if (const char *v = args_.value("--project-name"))
    check(sdrs_config_set_project_name(cfg.get(), v, &err), &err);
  if (const char *v = args_.value("--region"))
    check(sdrs_config_set_region(cfg.get(), v, &err), &err);
  // Flags > environment > clouds.yaml (the library keeps that order whatever the call order).
  check(sdrs_config_load_env(cfg.get(), &err), &err);
  // clouds.yaml only when a cloud is named, like the openstack CLI.
  if (use_cloud) check(sdrs_config_load_clouds_yaml(cfg.get(), nullptr, cloud, &err), &err);
  if (const char *ca = args_.value("--ca-file"))
    check(sdrs_config_set_ca_file(cfg.get(), ca, &err), &err);
  check(sdrs_config_set_user_agent_suffix(cfg.get(), "sdrs-cli", &err), &err);
  sdrs_client *c = nullptr;
  check(sdrs_client_new(&c, cfg.get(), &err), &err);
  client_.reset(c);
  return c;
}

std::optional<int64_t> Context::remaining_ms() const {
  if (!timeout_ms_) return std::nullopt;
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start_)
                     .count();
  int64_t left = *timeout_ms_ - static_cast<int64_t>(elapsed);
  if (left <= 0) throw CliError(SDRS_ETIMEOUT, "the --timeout deadline expired");
  return left;
}

CallOptsPtr Context::call_opts() const {
  sdrs_call_opts *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_call_opts_new(&raw, &err), &err);
  CallOptsPtr opts(raw);
  if (auto left = remaining_ms()) check(sdrs_call_opts_set_timeout_ms(raw, *left, &err), &err);
  check(sdrs_call_opts_set_cancel(raw, cancel_, &err), &err);
  return opts;
}

WaitOptsPtr Context::wait_opts(std::optional<int64_t> interval_ms) const {
  sdrs_wait_opts *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_wait_opts_new(&raw, &err), &err);
  WaitOptsPtr opts(raw);
  if (auto left = remaining_ms()) check(sdrs_wait_opts_set_timeout_ms(raw, *left, &err), &err);
  check(sdrs_wait_opts_set_cancel(raw, cancel_, &err), &err);
  if (interval_ms) {
    // The maximum must stay >= the first interval, so raise it first when needed.
    constexpr int64_t kDefaultMax = 10000;
    if (*interval_ms > kDefaultMax)
      check(sdrs_wait_opts_set_max_interval_ms(raw, *interval_ms, &err), &err);
    check(sdrs_wait_opts_set_initial_interval_ms(raw, *interval_ms, &err), &err);
  }
  return opts;
}

std::string shell_quote(const std::string &word) {
  static const char kPlain[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./:=@%+,";
  if (!word.empty() && word.find_first_not_of(kPlain) == std::string::npos) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string Context::command_line(const std::vector<std::string> &words) const {
  std::string line = "sdrs";
  for (const auto &w : words) line += " " + shell_quote(w);
  // The global options that choose the service and the credentials; the token is left out.
  for (const auto &o : global_options()) {
    const std::string name = o.name;
    if (name == "--token" || name == "--json" || name == "--timeout" || name == "--help") continue;
    if (!o.metavar) {
      if (args_.flag(name)) line += " " + name;
    } else if (const char *v = args_.value(name)) {
      line += " " + name + " " + shell_quote(v);
    }
  }
  return line;
}

// ---- Ctrl-C -> cancel token ----

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
volatile std::sig_atomic_t g_pipe_write_fd = -1;

extern "C" void on_signal(int) {
  int saved = errno;
  g_interrupted = 1;
  int fd = g_pipe_write_fd;
  if (fd >= 0) {
    char c = 'S';
    ssize_t n = write(fd, &c, 1);
    (void)n;
  }
  errno = saved;
}

const int kSignals[] = {SIGINT, SIGTERM};

}  // namespace

struct SignalCanceler::Impl {
  int fds[2] = {-1, -1};
  std::thread watcher;
  struct sigaction old_actions[2];
};

SignalCanceler::SignalCanceler(sdrs_cancel *cancel) : impl_(new Impl) {
  if (pipe2(impl_->fds, O_CLOEXEC) != 0) throw CliError(SDRS_EINTERNAL, "pipe2 failed");
  // A full pipe must never block the signal handler.
  fcntl(impl_->fds[1], F_SETFL, O_NONBLOCK);
  g_pipe_write_fd = impl_->fds[1];
  int read_fd = impl_->fds[0];
  impl_->watcher = std::thread([read_fd, cancel] {
    for (;;) {
      char c = 0;
      ssize_t n = read(read_fd, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || c == 'Q') return;
      sdrs_cancel_trigger(cancel);
    }
  });
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills at once
  for (size_t i = 0; i < 2; ++i) sigaction(kSignals[i], &sa, &impl_->old_actions[i]);
}

SignalCanceler::~SignalCanceler() {
  for (size_t i = 0; i < 2; ++i) sigaction(kSignals[i], &impl_->old_actions[i], nullptr);
  g_pipe_write_fd = -1;
  char q = 'Q';
  while (write(impl_->fds[1], &q, 1) < 0 && errno == EINTR) {
  }
  impl_->watcher.join();
  close(impl_->fds[0]);
  close(impl_->fds[1]);
}

bool SignalCanceler::interrupted() {
  return g_interrupted != 0;
}

}  // namespace sdrscli
