// End-to-end driver: create + one job poll per iteration against the emulator, either through
// libsdrs (public C API, one client shared by all threads) or through a minimal hand-written
// libcurl loop making the same HTTP exchanges (one easy handle per thread: the transport limit).
//
//   sdrs-bench-e2e --mode sdrs|curl --url http://127.0.0.1:PORT [--threads N] [--iterations N]
//                  [--warmup N] [--only-create] [--ca-file FILE] [--emulator-pid PID]
//
// Prints one line of key=value pairs. Counts over the whole run (warm-up included): TCP
// connect() calls and OpenSSL SSL_new() calls of this process (both interposed below, so
// libcurl's calls are seen whichever API drives it). Counts for the timed phase only: operator
// new calls (C++ allocations: libsdrs; libcurl is C), malloc-family calls (everything), process
// CPU time, and the emulator's CPU time when its pid is given.
#include <curl/curl.h>
#include <dlfcn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <new>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sdrs.h"

// ---- counters (interposition) ---------------------------------------------------------------

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_connects{0};
std::atomic<long> g_ssl_new{0};
std::atomic<long> g_news{0};
std::atomic<long> g_mallocs{0};
}  // namespace

extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);

// Every malloc-family call of the process (libcurl, OpenSSL, libstdc++ for operator new).
void *malloc(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void free(void *p) {
  __libc_free(p);
}

// libcurl opens its TCP connections with connect(); the executable's definition wins over libc's.
int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  using Fn = int (*)(int, const struct sockaddr *, socklen_t);
  static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "connect"));
  if (addr != nullptr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) {
    g_connects.fetch_add(1);
  }
  return real(fd, addr, len);
}

// One SSL object per TLS connection libcurl sets up (a full or resumed handshake each).
void *SSL_new(void *ctx) {
  using Fn = void *(*)(void *);
  static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "SSL_new"));
  g_ssl_new.fetch_add(1);
  return real(ctx);
}
}

// C++ allocations: libsdrs's operator new calls bind to these (global symbol interposition).
void *operator new(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1, std::memory_order_relaxed);
  void *p = __libc_malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void *operator new[](size_t n) {
  return operator new(n);
}
void *operator new(size_t n, const std::nothrow_t &) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n == 0 ? 1 : n);
}
void *operator new[](size_t n, const std::nothrow_t &t) noexcept {
  return operator new(n, t);
}
void operator delete(void *p) noexcept {
  __libc_free(p);
}
void operator delete[](void *p) noexcept {
  __libc_free(p);
}
void operator delete(void *p, size_t) noexcept {
  __libc_free(p);
}
void operator delete[](void *p, size_t) noexcept {
  __libc_free(p);
}

namespace {

// ---- options --------------------------------------------------------------------------------

const char kProject[] = "0123456789abcdef0123456789abcdef";
// The default token the emulator accepts; --token-bytes N sends one of N bytes instead (real IAM
// tokens are several KB, and they travel with every request).
const char kDefaultToken[] = "emulator-token";
const char kDomain[] = "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11";
// Exactly what libsdrs's encode_create sends for the spec below.
const char kCreateBody[] =
    "{\"server_group\":{\"name\":\"bench-pg\",\"description\":\"benchmark group\","
    "\"source_availability_zone\":\"eu-de-01\",\"target_availability_zone\":\"eu-de-02\","
    "\"domain_id\":\"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11\",\"source_vpc_id\":"
    "\"3e5b7c2a-1d4f-4a6b-8c9d-0e1f2a3b4c5d\",\"dr_type\":\"migration\"}}";

struct Options {
  std::string mode = "sdrs";
  std::string url;
  std::string ca_file;
  int threads = 1;
  long iterations = 5000;  // total, split over the threads
  long warmup = 50;        // per thread, before counting starts
  bool only_create = false;
  long emulator_pid = 0;
  std::string token = kDefaultToken;
};

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "sdrs-bench-e2e: %s\n", msg.c_str());
  std::exit(1);
}

// utime + stime of a process in clock ticks, from /proc/PID/stat.
long long proc_cpu_ticks(long pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const size_t rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  // Fields after ") ": state(3) ... utime(14) stime(15).
  const char *p = s.c_str() + rp + 2;
  long long utime = 0, stime = 0;
  int field = 3;
  while (*p != '\0' && field < 14) {
    if (*p++ == ' ') field++;
  }
  if (std::sscanf(p, "%lld %lld", &utime, &stime) != 2) return -1;
  return utime + stime;
}

// User and system CPU seconds of this process.
std::pair<double, double> self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return {static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6,
          static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6};
}

// ---- libsdrs worker -------------------------------------------------------------------------

void check(int rc, sdrs_error *err, const char *what) {
  if (rc == 0) return;
  std::string msg = std::string(what) + ": " + (err ? sdrs_error_message(err) : sdrs_strerror(rc));
  sdrs_error_free(err);
  die(msg);
}

struct SdrsEnv {
  sdrs_client *client = nullptr;
  sdrs_pg_spec *spec = nullptr;
};

SdrsEnv sdrs_setup(const Options &o) {
  SdrsEnv env;
  sdrs_config *cfg = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_config_new(&cfg, &err), err, "config");
  check(sdrs_config_set_allow_http(cfg, 1, &err), err, "allow_http");
  check(sdrs_config_set_endpoint(cfg, o.url.c_str(), &err), err, "endpoint");
  check(sdrs_config_set_project_id(cfg, kProject, &err), err, "project");
  check(sdrs_config_set_token(cfg, o.token.c_str(), &err), err, "token");
  if (!o.ca_file.empty()) check(sdrs_config_set_ca_file(cfg, o.ca_file.c_str(), &err), err, "ca");
  check(sdrs_client_new(&env.client, cfg, &err), err, "client");
  sdrs_config_free(cfg);
  check(sdrs_pg_spec_new(&env.spec, &err), err, "spec");
  check(sdrs_pg_spec_set_name(env.spec, "bench-pg", &err), err, "name");
  check(sdrs_pg_spec_set_description(env.spec, "benchmark group", &err), err, "description");
  check(sdrs_pg_spec_set_source_az(env.spec, "eu-de-01", &err), err, "source az");
  check(sdrs_pg_spec_set_target_az(env.spec, "eu-de-02", &err), err, "target az");
  check(sdrs_pg_spec_set_domain_id(env.spec, kDomain, &err), err, "domain");
  check(sdrs_pg_spec_set_source_vpc_id(env.spec, "3e5b7c2a-1d4f-4a6b-8c9d-0e1f2a3b4c5d", &err), err,
        "vpc");
  return env;
}

void sdrs_iteration(const SdrsEnv &env, bool only_create) {
  char *job_id = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pg_create(&job_id, env.client, env.spec, nullptr, &err), err, "create");
  if (!only_create) {
    sdrs_job *job = nullptr;
    check(sdrs_job_poll(&job, env.client, job_id, nullptr, &err), err, "poll");
    if (sdrs_job_id(job) == nullptr) die("poll: job without id");
    sdrs_job_free(job);
  }
  sdrs_string_free(job_id);
}

// ---- raw libcurl worker ---------------------------------------------------------------------

size_t on_data(char *data, size_t size, size_t n, void *user) {
  static_cast<std::string *>(user)->append(data, size * n);
  return size * n;
}

struct CurlWorker {
  CURL *easy = nullptr;
  curl_slist *get_headers = nullptr;
  curl_slist *post_headers = nullptr;
  std::string create_url, jobs_url, body;
  const Options *o = nullptr;

  explicit CurlWorker(const Options &opts) : o(&opts) {
    easy = curl_easy_init();
    if (easy == nullptr) die("curl_easy_init");
    const std::string base = opts.url + "/v1/" + kProject;
    create_url = base + "/server-groups";
    jobs_url = base + "/jobs/";
    for (curl_slist **h : {&get_headers, &post_headers}) {
      *h = curl_slist_append(*h, ("X-Auth-Token: " + opts.token).c_str());
      *h = curl_slist_append(*h, (std::string("X-Project-Id: ") + kProject).c_str());
    }
    post_headers = curl_slist_append(post_headers, "Content-Type: application/json");
    for (curl_slist **h : {&get_headers, &post_headers}) {
      *h = curl_slist_append(*h, "Accept: application/json");
      *h = curl_slist_append(*h, "Expect:");
    }
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "sdrs-bench-raw-curl");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    if (!opts.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, opts.ca_file.c_str());
  }
  ~CurlWorker() {
    curl_slist_free_all(get_headers);
    curl_slist_free_all(post_headers);
    curl_easy_cleanup(easy);
  }

  void perform(const char *what) {
    body.clear();
    const CURLcode rc = curl_easy_perform(easy);
    if (rc != CURLE_OK) die(std::string(what) + ": " + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) die(std::string(what) + ": HTTP " + std::to_string(status) + " " + body);
  }

  void iteration(bool only_create) {
    curl_easy_setopt(easy, CURLOPT_URL, create_url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, post_headers);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, kCreateBody);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(sizeof kCreateBody - 1));
    perform("create");
    // {"job_id": "<32 hex>"}: the id is the only string value.
    const size_t k = body.find("\"job_id\"");
    const size_t q1 = k == std::string::npos ? k : body.find('"', k + 8);
    const size_t q2 = q1 == std::string::npos ? q1 : body.find('"', q1 + 1);
    if (q2 == std::string::npos) die("create: no job_id in " + body);
    if (only_create) return;
    const std::string url = jobs_url + body.substr(q1 + 1, q2 - q1 - 1);
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, get_headers);
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    perform("poll");
    if (body.find("\"job_id\"") == std::string::npos) die("poll: no job_id in " + body);
  }
};

// ---- driver ---------------------------------------------------------------------------------

// A token of n bytes (the same text for every n, so the emulator can be told to accept it).
std::string bench_token(long n) {
  if (n < 1 || n > 65536) die("--token-bytes must be 1..65536");
  std::string t;
  while (static_cast<long>(t.size()) < n) t += "bench-token-";
  t.resize(static_cast<size_t>(n));
  return t;
}

Options parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--mode") {
      o.mode = val();
    } else if (a == "--url") {
      o.url = val();
    } else if (a == "--ca-file") {
      o.ca_file = val();
    } else if (a == "--threads") {
      o.threads = std::atoi(val().c_str());
    } else if (a == "--iterations") {
      o.iterations = std::atol(val().c_str());
    } else if (a == "--warmup") {
      o.warmup = std::atol(val().c_str());
    } else if (a == "--only-create") {
      o.only_create = true;
    } else if (a == "--emulator-pid") {
      o.emulator_pid = std::atol(val().c_str());
    } else if (a == "--token-bytes") {
      o.token = bench_token(std::atol(val().c_str()));
    } else {
      die("unknown option " + a);
    }
  }
  if (o.url.empty()) die("--url is required");
  if (o.mode != "sdrs" && o.mode != "curl") die("--mode must be sdrs or curl");
  if (o.threads < 1 || o.iterations < o.threads) die("need threads >= 1 and iterations >= threads");
  return o;
}

// The measured iterations of one thread, in a function of their own so callgrind can collect
// just them (--toggle-collect='*measured_loop*').
__attribute__((noinline)) void measured_loop(long n, const std::function<void()> &one_iteration) {
  for (long i = 0; i < n; i++) one_iteration();
}

}  // namespace

int main(int argc, char **argv) {
  const Options o = parse(argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  SdrsEnv env;
  if (o.mode == "sdrs") env = sdrs_setup(o);

  const long per_thread = o.iterations / o.threads;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  auto body = [&](const std::function<void()> &one_iteration) {
    for (long i = 0; i < o.warmup; i++) one_iteration();
    ready.fetch_add(1);
    while (!go.load()) std::this_thread::yield();
    measured_loop(per_thread, one_iteration);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; t++) {
    if (o.mode == "sdrs") {
      threads.emplace_back([&] { body([&] { sdrs_iteration(env, o.only_create); }); });
    } else {
      threads.emplace_back([&] {
        CurlWorker w(o);
        body([&] { w.iteration(o.only_create); });
      });
    }
  }
  while (ready.load() < o.threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const long long emu0 = o.emulator_pid > 0 ? proc_cpu_ticks(o.emulator_pid) : -1;
  const auto cpu0 = self_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  g_counting = true;
  go = true;
  for (auto &t : threads) t.join();
  g_counting = false;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto cpu1 = self_cpu_seconds();
  const double user = cpu1.first - cpu0.first;
  const double cpu = user + cpu1.second - cpu0.second;
  const long long emu1 = o.emulator_pid > 0 ? proc_cpu_ticks(o.emulator_pid) : -1;

  const long ops = per_thread * o.threads;
  const long calls = ops * (o.only_create ? 1 : 2);
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::printf(
      "mode=%s threads=%d ops=%ld calls=%ld secs=%.3f ops_per_s=%.1f calls_per_s=%.1f "
      "cpu_us_per_op=%.2f user_us_per_op=%.2f news_per_op=%.2f mallocs_per_op=%.2f connects=%ld "
      "tls_new=%ld "
      "total_calls=%ld emu_cpu_us_per_call=%.2f\n",
      o.mode.c_str(), o.threads, ops, calls, secs, static_cast<double>(ops) / secs,
      static_cast<double>(calls) / secs, cpu * 1e6 / static_cast<double>(ops),
      user * 1e6 / static_cast<double>(ops),
      static_cast<double>(g_news.load()) / static_cast<double>(ops),
      static_cast<double>(g_mallocs.load()) / static_cast<double>(ops), g_connects.load(),
      g_ssl_new.load(), calls + o.warmup * o.threads * (o.only_create ? 1 : 2),
      emu0 >= 0 && emu1 >= 0
          ? static_cast<double>(emu1 - emu0) / tick * 1e6 / static_cast<double>(calls)
          : -1.0);
  std::fflush(stdout);
  if (env.client != nullptr) {
    sdrs_pg_spec_free(env.spec);
    sdrs_client_free(env.client);
  }
  curl_global_cleanup();
  return 0;
}
