// sdrs-emulator: a local SDRS v1 server for tests, benchmarks and the demo (see README.md).
// Start-up only: options (options.cpp), HTTP glue (frontend.cpp), state (emulator.cpp).
#include <httplib.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "emulator.hpp"
#include "faults.hpp"
#include "frontend.hpp"
#include "options.hpp"

namespace {

// Exposes the listening socket so we can raise the listen backlog: the packaged cpp-httplib
// listens with a tiny backlog, which drops SYNs when 64 clients connect at once.
template <class Base>
class Exposed : public Base {
 public:
  using Base::Base;
  int socket_fd() const { return static_cast<int>(this->svr_sock_.load()); }
};

// cpp-httplib enqueues one task per accepted connection, and the task serves that connection
// until it closes or idles out: a connection holds a worker thread for its whole life. The
// pool therefore grows on demand up to --threads (cpp-httplib's own pool starts every thread
// at once and aborts the process when the system refuses one). When the system refuses a
// thread, the pool stays at the size reached and further connections wait for a free worker.
class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(size_t max_threads, emu::Emulator &emulator, bool quiet)
      : max_threads_(max_threads), emulator_(emulator), quiet_(quiet) {}
  ~WorkerPool() override { stop_and_join(); }
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  void enqueue(std::function<void()> fn) override {
    emulator_.count_connection();
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(fn));
    if (tasks_.size() > idle_ && threads_.size() < max_threads_) start_worker();
    ready_.notify_one();
  }

  void shutdown() override { stop_and_join(); }

 private:
  void stop_and_join() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto &t : threads_) t.join();
  }

  // Called with mu_ held.
  void start_worker() {
    try {
      threads_.emplace_back([this] { work(); });
      emulator_.set_worker_threads(threads_.size());
    } catch (const std::system_error &e) {
      max_threads_ = threads_.size();
      if (!quiet_) {
        std::fprintf(stderr,
                     "sdrs-emulator: the system refused worker thread %zu (%s); staying at %zu,"
                     " further connections wait for a free worker\n",
                     threads_.size() + 1, e.what(), threads_.size());
      }
    }
  }

  void work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      ++idle_;
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      --idle_;
      if (tasks_.empty()) return;  // stopping, nothing left to serve
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  size_t max_threads_;
  emu::Emulator &emulator_;
  bool quiet_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;  // workers waiting for a task
  bool stopping_ = false;
};

// Each connection is a descriptor: allow as many as the hard limit permits.
void raise_descriptor_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

bool write_port_file(const std::string &file, int port) {
  std::string tmp = file + ".tmp." + std::to_string(getpid());
  FILE *f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return false;
  bool ok = std::fprintf(f, "%d\n", port) > 0;
  ok = std::fclose(f) == 0 && ok;
  if (ok) ok = std::rename(tmp.c_str(), file.c_str()) == 0;
  if (!ok) std::remove(tmp.c_str());
  return ok;
}

// Installs the --fault rules; false (message printed) on a bad one.
bool install_faults(const std::vector<std::string> &rules, emu::Faults &faults) {
  for (const auto &rule : rules) {
    int64_t id = 0;
    std::string error;
    if (!faults.add(rule, &id, &error)) {
      std::fprintf(stderr, "sdrs-emulator: bad --fault rule: %s\n", error.c_str());
      return false;
    }
  }
  return true;
}

// Block the stop signals in every thread; a dedicated thread takes them with sigwait, so
// nothing async-signal-unsafe runs in a handler.
sigset_t block_stop_signals() {
  // Shells start background jobs with SIGINT ignored; we want it to stop us anyway.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  sigset_t stop_set;
  sigemptyset(&stop_set);
  sigaddset(&stop_set, SIGTERM);
  sigaddset(&stop_set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return stop_set;
}

// The plain or TLS server and a way to reach its listening socket; null server (message
// printed) when the certificate does not load.
std::unique_ptr<httplib::Server> make_server(const emu::CommandLine &cl,
                                             std::function<int()> *listen_fd) {
  if (cl.tls_cert.empty()) {
    auto plain = std::make_unique<Exposed<httplib::Server>>();
    *listen_fd = [p = plain.get()] { return p->socket_fd(); };
    return plain;
  }
  auto tls = std::make_unique<Exposed<httplib::SSLServer>>(
      cl.tls_cert.c_str(), cl.tls_key.c_str(),
      cl.tls_client_ca.empty() ? nullptr : cl.tls_client_ca.c_str());
  if (!tls->is_valid()) {
    std::fprintf(stderr, "sdrs-emulator: cannot load the TLS certificate/key (%s, %s)\n",
                 cl.tls_cert.c_str(), cl.tls_key.c_str());
    return nullptr;
  }
  *listen_fd = [p = tls.get()] { return p->socket_fd(); };
  return tls;
}

void configure(httplib::Server &svr, emu::Emulator &emulator, emu::Frontend &frontend,
               size_t threads, bool quiet) {
  svr.new_task_queue = [threads, &emulator, quiet] {
    return new WorkerPool(threads, emulator, quiet);
  };
  svr.set_keep_alive_max_count(1000000);
  svr.set_keep_alive_timeout(10);
  svr.set_tcp_nodelay(true);
  svr.set_payload_max_length(1 << 20);
  auto handler = [&frontend](const httplib::Request &r, httplib::Response &res) {
    frontend.serve(r, res);
  };
  svr.Get(".*", handler);
  svr.Post(".*", handler);
  svr.Put(".*", handler);
  svr.Delete(".*", handler);
  svr.Patch(".*", handler);
  svr.Options(".*", handler);
  svr.set_exception_handler(
      [](const httplib::Request &, httplib::Response &res, const std::exception_ptr &) {
        res.status = 500;
        res.set_header("X-Request-Id", emu::random_hex(32));
        res.set_content(R"({"error":{"code":"SDRS.0013","message":"internal error"}})",
                        "application/json");
      });
}

// Binds 127.0.0.1 (port 0: any free one); the bound port, or <= 0.
int bind_loopback(httplib::Server &svr, int port) {
  if (port == 0) return svr.bind_to_any_port("127.0.0.1");
  return svr.bind_to_port("127.0.0.1", port) ? port : -1;
}

}  // namespace

int main(int argc, char **argv) {
  emu::CommandLine cl;
  int rc = emu::parse_command_line(argc, argv, &cl);
  if (rc >= 0) return rc;
  emu::Faults faults;
  if (!install_faults(cl.fault_rules, faults)) return 2;
  sigset_t stop_set = block_stop_signals();
  raise_descriptor_limit();

  emu::Emulator emulator(cl.emulator);
  emu::Frontend frontend(emulator, faults, cl.quiet);
  std::function<int()> listen_fd;
  std::unique_ptr<httplib::Server> server = make_server(cl, &listen_fd);
  if (server == nullptr) return 1;
  httplib::Server &svr = *server;
  configure(svr, emulator, frontend, static_cast<size_t>(cl.threads), cl.quiet);

  int bound = bind_loopback(svr, cl.port);
  if (bound <= 0) {
    // Single-threaded here: no server thread runs yet.
    std::fprintf(stderr, "sdrs-emulator: cannot bind 127.0.0.1:%d: %s\n", cl.port,
                 std::strerror(errno));  // NOLINT(concurrency-mt-unsafe)
    return 1;
  }
  frontend.set_bound_port(bound);
  ::listen(listen_fd(), SOMAXCONN);
  if (!cl.port_file.empty() && !write_port_file(cl.port_file, bound)) {
    std::fprintf(stderr, "sdrs-emulator: cannot write port file %s\n", cl.port_file.c_str());
    return 1;
  }
  std::printf("listening on 127.0.0.1:%d\n", bound);
  std::fflush(stdout);

  std::atomic<bool> done{false};
  std::atomic<bool> signaled{false};
  const bool quiet = cl.quiet;
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
  // Wakes the stopper's sigwait (the signal is blocked, so it is only delivered there).
  if (!signaled)
    pthread_kill(stopper.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  stopper.join();
  if (!quiet) std::fprintf(stderr, "sdrs-emulator: stopped\n");
  return ok || signaled ? 0 : 1;
}
