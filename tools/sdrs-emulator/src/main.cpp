// sdrs-emulator: a local SDRS v1 server for tests, benchmarks and the demo (see README.md).
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <vector>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <memory>
#include <functional>
#include <netinet/in.h>

#include "emulator.hpp"
#include "faults.hpp"

namespace {

// Exposes the listening socket so we can raise the listen backlog: the packaged cpp-httplib
// listens with a tiny backlog, which drops SYNs when 64 clients connect at once.
template <class Base>
class Exposed : public Base {
 public:
  using Base::Base;
  int socket_fd() const { return static_cast<int>(this->svr_sock_.load()); }
};

// cpp-httplib enqueues one task per accepted connection: counting them counts connections.
class CountingQueue : public httplib::TaskQueue {
 public:
  CountingQueue(size_t threads, emu::Emulator &emulator) : pool_(threads), emulator_(emulator) {}
  void enqueue(std::function<void()> fn) override {
    emulator_.CountConnection();
    pool_.enqueue(std::move(fn));
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  emu::Emulator &emulator_;
};

// cpp-httplib does not hand handlers their socket; find it by the peer's port (both ends are
// on 127.0.0.1) and shut it down, so the client sees the connection drop.
void DropConnection(int local_port, int remote_port) {
  for (int fd = 3; fd < 65536; fd++) {
    sockaddr_storage a{}, b{};
    socklen_t la = sizeof a, lb = sizeof b;
    if (getsockname(fd, reinterpret_cast<sockaddr *>(&a), &la) != 0) {
      if (errno == EBADF && fd > 4096) break;
      continue;
    }
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&b), &lb) != 0) continue;
    auto port = [](const sockaddr_storage &s) {
      return s.ss_family == AF_INET ? ntohs(reinterpret_cast<const sockaddr_in &>(s).sin_port)
                                    : ntohs(reinterpret_cast<const sockaddr_in6 &>(s).sin6_port);
    };
    if (port(a) == local_port && port(b) == remote_port) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

// A fault delay (the worker thread just waits; a stopping emulator exits without it).
void Sleep(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::string DefaultFaultBody(int status) {
  if (status == 502) {
    return "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
           "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
  }
  if (status == 429) {
    return "{\"error\":{\"code\":\"SDRS.0429\",\"message\":\"too many requests\"}}";
  }
  return "{\"error\":{\"code\":\"SDRS.0013\",\"message\":\"injected fault: HTTP " +
         std::to_string(status) + "\"}}";
}

void Usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s [--port N] [--port-file FILE] [--project-id ID]... [--token TOKEN]...\n"
               "          [--job-init-ms MS] [--job-run-ms MS] [--max-groups N] [--threads N]"
               " [--quiet]\n"
               "          [--user NAME:PASSWORD[:DOMAIN]]... [--project-name NAME[=ID]]...\n"
               "          [--token-lifetime-s N] [--aksk AK:SK[:SECURITY_TOKEN]]..."
               " [--max-clock-skew-s N]\n"
               "          [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]"
               " [--fault JSON]...\n",
               argv0);
}

bool ParseNum(const char *s, long long min, long long max, long long &out) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < min || v > max) return false;
  out = v;
  return true;
}

bool WritePortFile(const std::string &file, int port) {
  std::string tmp = file + ".tmp." + std::to_string(getpid());
  FILE *f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return false;
  bool ok = std::fprintf(f, "%d\n", port) > 0;
  ok = std::fclose(f) == 0 && ok;
  if (ok) ok = std::rename(tmp.c_str(), file.c_str()) == 0;
  if (!ok) std::remove(tmp.c_str());
  return ok;
}

}  // namespace

int main(int argc, char **argv) {
  emu::Options opts;
  std::vector<std::pair<std::string, std::string>> project_names;
  long long port = 0, threads = 256;
  std::string port_file, tls_cert, tls_key, tls_client_ca;
  std::vector<std::string> fault_rules;
  bool quiet = false;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    bool has_val = i + 1 < argc;
    long long v = 0;
    if (a == "--quiet") {
      quiet = true;
    } else if (a == "--help" || a == "-h") {
      Usage(argv[0]);
      return 0;
    } else if (!has_val) {
      Usage(argv[0]);
      return 2;
    } else if (a == "--port" && ParseNum(argv[++i], 0, 65535, v)) {
      port = v;
    } else if (a == "--port-file") {
      port_file = argv[++i];
    } else if (a == "--tls-cert") {
      tls_cert = argv[++i];
    } else if (a == "--tls-key") {
      tls_key = argv[++i];
    } else if (a == "--tls-client-ca") {
      tls_client_ca = argv[++i];
    } else if (a == "--fault") {
      fault_rules.emplace_back(argv[++i]);
    } else if (a == "--project-id" && argv[i + 1][0] != '\0') {
      opts.project_ids.insert(argv[++i]);
    } else if (a == "--token" && argv[i + 1][0] != '\0') {
      opts.tokens.insert(argv[++i]);
    } else if (a == "--job-init-ms" && ParseNum(argv[++i], 0, 86400000, v)) {
      opts.job_init_ms = v;
    } else if (a == "--job-run-ms" && ParseNum(argv[++i], 0, 86400000, v)) {
      opts.job_run_ms = v;
    } else if (a == "--max-groups" && ParseNum(argv[++i], 0, 100000000, v)) {
      opts.max_groups = static_cast<uint64_t>(v);
    } else if (a == "--threads" && ParseNum(argv[++i], 1, 4096, v)) {
      threads = v;
    } else if (a == "--user" && std::strchr(argv[i + 1], ':') != nullptr) {
      std::string spec = argv[++i];
      size_t c1 = spec.find(':');
      size_t c2 = spec.find(':', c1 + 1);
      emu::User u;
      u.name = spec.substr(0, c1);
      u.password = spec.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
      u.domain = c2 == std::string::npos ? "emulator-domain" : spec.substr(c2 + 1);
      if (u.name.empty() || u.password.empty() || u.domain.empty()) {
        std::fprintf(stderr, "sdrs-emulator: --user needs NAME:PASSWORD[:DOMAIN]\n");
        return 2;
      }
      opts.users.push_back(u);
    } else if (a == "--project-name" && argv[i + 1][0] != '\0') {
      std::string spec = argv[++i];
      size_t eq = spec.find('=');
      project_names.emplace_back(spec.substr(0, eq),
                                 eq == std::string::npos ? "" : spec.substr(eq + 1));
    } else if (a == "--token-lifetime-s" && ParseNum(argv[++i], 1, 86400 * 7, v)) {
      opts.token_lifetime_ms = v * 1000;
    } else if (a == "--max-clock-skew-s" && ParseNum(argv[++i], 0, 86400, v)) {
      opts.max_clock_skew_ms = v * 1000;
    } else if (a == "--aksk" && std::strchr(argv[i + 1], ':') != nullptr) {
      std::string spec = argv[++i];
      size_t c1 = spec.find(':');
      size_t c2 = spec.find(':', c1 + 1);
      std::string ak = spec.substr(0, c1);
      std::string sk =
          spec.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
      std::string st = c2 == std::string::npos ? "" : spec.substr(c2 + 1);
      if (ak.empty() || sk.empty()) {
        std::fprintf(stderr, "sdrs-emulator: --aksk needs AK:SK[:SECURITY_TOKEN]\n");
        return 2;
      }
      opts.aksk[ak] = {sk, st};
    } else {
      std::fprintf(stderr, "sdrs-emulator: bad option or value: %s\n", a.c_str());
      Usage(argv[0]);
      return 2;
    }
  }
  if (opts.project_ids.empty()) opts.project_ids.insert("0123456789abcdef0123456789abcdef");
  if (opts.tokens.empty()) opts.tokens.insert("emulator-token");
  // Project names for IAM scopes; without an id a name means the first project id.
  if (project_names.empty()) project_names.emplace_back("eu-de_emulator", "");
  for (auto &pn : project_names) {
    opts.project_names[pn.first] = pn.second.empty() ? *opts.project_ids.begin() : pn.second;
    opts.project_ids.insert(opts.project_names[pn.first]);
  }
  if (tls_cert.empty() != tls_key.empty() || (!tls_client_ca.empty() && tls_cert.empty())) {
    std::fprintf(stderr,
                 "sdrs-emulator: --tls-cert and --tls-key go together "
                 "(--tls-client-ca needs both)\n");
    Usage(argv[0]);
    return 2;
  }
  emu::Faults faults;
  for (const auto &rule : fault_rules) {
    int64_t id = 0;
    std::string error;
    if (!faults.Add(rule, &id, &error)) {
      std::fprintf(stderr, "sdrs-emulator: bad --fault rule: %s\n", error.c_str());
      return 2;
    }
  }

  // Block the stop signals in every thread; a dedicated thread takes them with sigwait, so
  // nothing async-signal-unsafe runs in a handler.
  // Shells start background jobs with SIGINT ignored; we want it to stop us anyway.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t stop_set;
  sigemptyset(&stop_set);
  sigaddset(&stop_set, SIGTERM);
  sigaddset(&stop_set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  emu::Emulator emulator(opts);
  std::unique_ptr<httplib::Server> server;
  std::function<int()> listen_fd;
  if (tls_cert.empty()) {
    auto plain = std::make_unique<Exposed<httplib::Server>>();
    listen_fd = [p = plain.get()] { return p->socket_fd(); };
    server = std::move(plain);
  } else {
    auto tls = std::make_unique<Exposed<httplib::SSLServer>>(
        tls_cert.c_str(), tls_key.c_str(), tls_client_ca.empty() ? nullptr : tls_client_ca.c_str());
    if (!tls->is_valid()) {
      std::fprintf(stderr, "sdrs-emulator: cannot load the TLS certificate/key (%s, %s)\n",
                   tls_cert.c_str(), tls_key.c_str());
      return 1;
    }
    listen_fd = [p = tls.get()] { return p->socket_fd(); };
    server = std::move(tls);
  }
  httplib::Server &svr = *server;
  size_t pool = static_cast<size_t>(threads);
  svr.new_task_queue = [pool, &emulator] { return new CountingQueue(pool, emulator); };
  svr.set_keep_alive_max_count(1000000);
  svr.set_keep_alive_timeout(10);
  svr.set_tcp_nodelay(true);
  svr.set_payload_max_length(1 << 20);

  int bound = 0;
  auto handler = [&emulator, &faults, &bound, quiet](const httplib::Request &r,
                                                     httplib::Response &res) {
    auto t0 = std::chrono::steady_clock::now();
    const bool loopback = r.remote_addr == "127.0.0.1" || r.remote_addr == "::1";
    auto log = [&](int status, const char *note) {
      if (quiet) return;
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      char line[2048];
      int n = std::snprintf(line, sizeof line, "%s %s %d %.3fms%s\n", r.method.c_str(),
                            r.path.c_str(), status, ms, note);
      if (n > 0) {
        // One write per line so concurrent lines do not interleave.
        std::fwrite(line, 1, std::min(static_cast<size_t>(n), sizeof line - 1), stderr);
      }
    };
    // Fault administration lives here, next to the HTTP details it controls.
    if (r.path == "/_emulator/faults") {
      res.set_header("X-Request-Id", emu::RandomHex(32));
      if (!loopback) {
        res.status = 403;
        res.set_content("{\"error\":{\"code\":\"SDRS.0003\",\"message\":\"loopback only\"}}",
                        "application/json");
      } else if (r.method == "POST") {
        int64_t id = 0;
        std::string error;
        if (faults.Add(r.body, &id, &error)) {
          res.set_content("{\"id\":" + std::to_string(id) + "}", "application/json");
        } else {
          res.status = 400;
          std::string msg;
          for (char c : error) msg += c == '"' ? '\'' : c;
          res.set_content("{\"badrequest\":{\"code\":\"SDRS.0201\",\"message\":\"" + msg + "\"}}",
                          "application/json");
        }
      } else if (r.method == "DELETE") {
        faults.Clear();
        res.set_content("{}", "application/json");
      } else if (r.method == "GET") {
        res.set_content(faults.Json(), "application/json");
      } else {
        res.status = 405;
        res.set_content("{\"error\":{\"code\":\"SDRS.0201\",\"message\":\"bad method\"}}",
                        "application/json");
      }
      log(res.status, "");
      return;
    }
    emu::FaultRule fault;
    const bool faulted =
        r.path.rfind("/_emulator/", 0) != 0 && faults.Take(r.method, r.path, &fault);
    if (faulted) {
      switch (fault.kind) {
        case emu::FaultKind::kCloseBefore:
          DropConnection(bound, r.remote_port);
          log(0, " [fault close_before]");
          return;
        case emu::FaultKind::kStatus:
          res.status = fault.status;
          res.set_header("X-Request-Id", emu::RandomHex(32));
          if (!fault.retry_after.empty()) res.set_header("Retry-After", fault.retry_after);
          if (fault.has_body) {
            res.set_content(fault.body, "application/json");
          } else {
            res.set_content(DefaultFaultBody(fault.status),
                            fault.status == 502 ? "text/html" : "application/json");
          }
          log(res.status, " [fault status]");
          return;
        case emu::FaultKind::kMalformedJson:
          res.status = 200;
          res.set_header("X-Request-Id", emu::RandomHex(32));
          res.set_content("{\"job_id\": \"0123\", \"server_group\": {,,} oops", "application/json");
          log(200, " [fault malformed_json]");
          return;
        case emu::FaultKind::kOversizedBody: {
          res.status = 200;
          res.set_header("X-Request-Id", emu::RandomHex(32));
          const size_t size = static_cast<size_t>(std::max<int64_t>(fault.size, 16));
          std::string body = "{\"pad\":\"" + std::string(size - 10, 'a') + "\"}";
          res.set_content(std::move(body), "application/json");
          log(200, " [fault oversized_body]");
          return;
        }
        case emu::FaultKind::kDelay:
          Sleep(fault.delay_ms);
          break;
        default:
          break;
      }
    }
    emu::Request req;
    req.method = r.method;
    req.path = r.path;
    req.params = r.params;
    req.token = r.get_header_value("X-Auth-Token");
    req.host = r.get_header_value("Host");
    req.target = r.target;
    for (const auto &h : r.headers) {
      std::string name = h.first;
      for (auto &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace(name, h.second);
    }
    req.body = r.body;
    req.loopback = loopback;
    emu::Response out = emulator.Handle(req);
    res.status = out.status;
    res.set_header("X-Request-Id", emu::RandomHex(32));
    for (const auto &h : out.headers) res.set_header(h.first.c_str(), h.second);
    if (!faulted || fault.kind == emu::FaultKind::kDelay) {
      res.set_content(std::move(out.body), "application/json");
      log(out.status, faulted ? " [fault delay]" : "");
      return;
    }
    switch (fault.kind) {
      case emu::FaultKind::kCloseAfter:
        DropConnection(bound, r.remote_port);
        log(out.status, " [fault close_after]");
        return;
      case emu::FaultKind::kTruncatedJson:
        out.body.resize(out.body.size() / 2);
        res.set_content(std::move(out.body), "application/json");
        log(out.status, " [fault truncated_json]");
        return;
      case emu::FaultKind::kWrongContentType:
        if (fault.has_body) out.body = fault.body;
        res.set_content(std::move(out.body), fault.content_type.c_str());
        log(out.status, " [fault wrong_content_type]");
        return;
      case emu::FaultKind::kStallMidBody: {
        // Announces the full length, sends half, stalls, then drops the connection.
        auto body = std::make_shared<std::string>(std::move(out.body));
        const int64_t stall = fault.delay_ms;
        res.set_content_provider(body->size(), "application/json",
                                 [body, stall](size_t offset, size_t, httplib::DataSink &sink) {
                                   if (offset == 0) {
                                     sink.write(body->data(), body->size() / 2);
                                     return true;
                                   }
                                   Sleep(stall);
                                   return false;
                                 });
        log(out.status, " [fault stall_mid_body]");
        return;
      }
      default:
        res.set_content(std::move(out.body), "application/json");
        log(out.status, "");
        return;
    }
  };
  svr.Get(".*", handler);
  svr.Post(".*", handler);
  svr.Put(".*", handler);
  svr.Delete(".*", handler);
  svr.Patch(".*", handler);
  svr.Options(".*", handler);
  svr.set_exception_handler(
      [](const httplib::Request &, httplib::Response &res, std::exception_ptr) {
        res.status = 500;
        res.set_header("X-Request-Id", emu::RandomHex(32));
        res.set_content("{\"error\":{\"code\":\"SDRS.0013\",\"message\":\"internal error\"}}",
                        "application/json");
      });

  if (port == 0) {
    bound = svr.bind_to_any_port("127.0.0.1");
  } else {
    bound = svr.bind_to_port("127.0.0.1", static_cast<int>(port)) ? static_cast<int>(port) : -1;
  }
  if (bound <= 0) {
    std::fprintf(stderr, "sdrs-emulator: cannot bind 127.0.0.1:%lld: %s\n", port,
                 std::strerror(errno));
    return 1;
  }
  ::listen(listen_fd(), SOMAXCONN);
  if (!port_file.empty() && !WritePortFile(port_file, bound)) {
    std::fprintf(stderr, "sdrs-emulator: cannot write port file %s\n", port_file.c_str());
    return 1;
  }
  std::printf("listening on 127.0.0.1:%d\n", bound);
  std::fflush(stdout);

  std::atomic<bool> done{false};
  std::atomic<bool> signaled{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_set, &sig);
    if (done) return;  // woken by main after listen ended on its own
    signaled = true;
    // stop() is a no-op until listen_after_bind() has started, so repeat until it ends.
    // Workers serving idle keep-alive connections only notice after their idle timeout
    // (seconds), so after a grace period for in-flight requests exit without them: all
    // state is in memory and nothing else needs flushing.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    while (!done) {
      svr.stop();
      if (std::chrono::steady_clock::now() > deadline) {
        if (!quiet) std::fprintf(stderr, "sdrs-emulator: stopped (open connections dropped)\n");
        std::fflush(nullptr);
        _exit(0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  bool ok = svr.listen_after_bind();
  done = true;
  if (!signaled) pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!quiet) std::fprintf(stderr, "sdrs-emulator: stopped\n");
  return ok || signaled ? 0 : 1;
}
