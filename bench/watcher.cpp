// The job watcher at scale (issue 18): N jobs lasting min..max seconds, all waited at once,
// first through one sdrs_watcher, then the way it is done without one (one thread per job in
// a blocking sdrs_job_wait), then a single-threaded sdrs_job_poll loop as the reference cost
// of one poll. Prints key=value lines and a Markdown table with the targets.
//
//   sdrs-bench-watcher [--jobs 10000] [--min-s 5] [--max-s 60] [--fail-every 10]
//                      [--mode all|watcher|blocking|poll] [--max-polls-per-sec 10000]
//                      [--max-in-flight 8] [--blocking-threads N] [--url URL]
//                      [--emulator PATH] [--emulator-threads 20000]
//   sdrs-bench-watcher --jobs 1000 --max-s 20     # the quick run (about a minute)
//
// Without --url it starts sdrs-emulator (next to this program, or --emulator) on a free port.
// The jobs are the emulator's synthetic jobs (POST /_emulator/seed-jobs): they start when
// seeded, RUN for a time drawn uniformly from [min, max] s, and every --fail-every-th ends
// FAIL (SDRS.1014), so both completion paths are exercised.
//
// How each figure is taken (bench/README.md has the long form):
// - threads: entries of /proc/self/task before and after sdrs_watcher_new.
// - connections: the emulator's `connections` counter (accepted since the reset before each
//   mode, minus this program's own admin calls) and the peak of sockets open in this process
//   (TCP sockets among /proc/self/fd, sampled every 100 ms by a sampler thread whose CPU time
//   is subtracted).
// - memory per pending job: mallinfo2() bytes in use (all arenas, mmapped blocks included) and
//   VmRSS, before the adds and once every job is pending, divided by the jobs.
// - completion latency: recv() is interposed (libcurl reads responses with recv on the
//   thread that drives the transfer); the first response carrying a job's id with a final
//   status stamps that job (CLOCK_MONOTONIC); the callback (or sdrs_job_wait's return) stamps
//   it again. The difference is what the library adds between reading the answer and handing
//   it over: parsing, the completion queue, the callback dispatch. Separately, callback time
//   minus the job's end_time shows the polling interval's share (not a library cost).
// - CPU per poll: process CPU (getrusage, minus the sampler) over the mode divided by the
//   polls the emulator answered (`api_requests`); for the watcher also the CPU of its one
//   thread (/proc/self/task/TID/stat). The reference is the sdrs_job_poll loop's CPU per poll.
#include <curl/curl.h>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_common.hpp"
#include "sdrs.h"

namespace {

pid_t g_emulator_pid = 0;  // the emulator this program started, stopped on any exit

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "sdrs-bench-watcher: %s\n", msg.c_str());
  if (g_emulator_pid > 0) kill(g_emulator_pid, SIGTERM);
  std::exit(1);
}

void check(int rc, sdrs_error *err, const char *what) {
  if (rc == 0) return;
  const std::string msg =
      std::string(what) + ": " + (err != nullptr ? sdrs_error_message(err) : sdrs_strerror(rc));
  sdrs_error_free(err);
  die(msg);
}

int64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t process_cpu_ns() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto ns = [](const timeval &tv) {
    return static_cast<int64_t>(tv.tv_sec) * 1000000000 + static_cast<int64_t>(tv.tv_usec) * 1000;
  };
  return ns(ru.ru_utime) + ns(ru.ru_stime);
}

// ---- /proc ----

std::set<long> task_ids() {
  std::set<long> ids;
  DIR *d = opendir("/proc/self/task");
  if (d == nullptr) return ids;
  while (dirent *e = readdir(d)) {
    if (e->d_name[0] != '.') ids.insert(std::strtol(e->d_name, nullptr, 10));
  }
  closedir(d);
  return ids;
}

// TCP sockets open in this process (libcurl's wake-up socketpairs are not counted).
long open_tcp_sockets() {
  long n = 0;
  DIR *d = opendir("/proc/self/fd");
  if (d == nullptr) return -1;
  while (dirent *e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    const int fd = std::atoi(e->d_name);
    int domain = 0;
    int type = 0;
    socklen_t len = sizeof domain;
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0) continue;
    len = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) continue;
    if ((domain == AF_INET || domain == AF_INET6) && type == SOCK_STREAM) n++;
  }
  closedir(d);
  return n;
}

// CPU time (utime + stime) of one of this process's threads.
int64_t task_cpu_ns(long tid) {
  std::ifstream f("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string stat;
  std::getline(f, stat);
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  long long utime = 0;
  long long stime = 0;
  for (int i = 3; i <= 15 && rest >> field; i++) {
    if (i == 14) utime = std::atoll(field.c_str());
    if (i == 15) stime = std::atoll(field.c_str());
  }
  return (utime + stime) * (1000000000 / sysconf(_SC_CLK_TCK));
}

std::string read_line(const char *path) {
  std::ifstream f(path);
  std::string s;
  std::getline(f, s);
  return s;
}

int64_t malloc_in_use() {
  const struct mallinfo2 mi = mallinfo2();
  return static_cast<int64_t>(mi.uordblks + mi.hblkhd);
}

// ---- final responses seen by recv() ----

std::atomic<bool> g_track{false};
std::mutex g_seen_mu;
std::unordered_map<std::string, int64_t> g_final_seen_ns;  // job id -> first final response

void note_response(const char *buf, size_t n) {
  static const char kSuccess[] = "\"status\":\"SUCCESS\"";
  static const char kFail[] = "\"status\":\"FAIL\"";
  static const char kId[] = "\"job_id\":\"";
  if (memmem(buf, n, kSuccess, sizeof kSuccess - 1) == nullptr &&
      memmem(buf, n, kFail, sizeof kFail - 1) == nullptr) {
    return;
  }
  const auto *id = static_cast<const char *>(memmem(buf, n, kId, sizeof kId - 1));
  if (id == nullptr) return;
  id += sizeof kId - 1;
  const auto *end = static_cast<const char *>(std::memchr(id, '"', n - (id - buf)));
  if (end == nullptr) return;
  const int64_t now = mono_ns();
  std::lock_guard<std::mutex> lock(g_seen_mu);
  g_final_seen_ns.emplace(std::string(id, end), now);
}

// ---- emulator ----

std::string g_base;
int g_admin_calls = 0;  // since the last reset

std::string admin(const char *method, const std::string &path, const std::string &body = "") {
  const bench::AdminAnswer a = bench::admin_call(g_base + path, method, body, 60000L);
  g_admin_calls++;
  if (a.rc != CURLE_OK || a.status != 200) {
    die(std::string("admin ") + method + " " + path + ": " +
        (a.rc != CURLE_OK ? curl_easy_strerror(a.rc)
                          : ("HTTP " + std::to_string(a.status) + " " + a.body)));
  }
  return a.body;
}

long long json_int(const std::string &json, const char *key) {
  const std::vector<long long> values = bench::json_ints(json, key);
  if (values.empty()) die(std::string("no ") + key + " in " + json);
  return values.front();
}

std::vector<std::string> json_ids(const std::string &json) {
  std::vector<std::string> ids;
  const size_t open = json.find('[');
  for (size_t p = json.find('"', open); p != std::string::npos;) {
    const size_t end = json.find('"', p + 1);
    ids.emplace_back(json, p + 1, end - p - 1);
    p = json.find('"', end + 1);
  }
  return ids;
}

struct Settings {
  int jobs = 10000;
  int min_s = 5;
  int max_s = 60;
  int fail_every = 10;
  int max_polls_per_sec = 10000;
  int max_in_flight = 8;
  int blocking_threads = -1;  // -1: one per job
  std::string mode = "all";
  std::string url;
  std::string emulator;
  int emulator_threads = 20000;
};

// Resets the emulator and seeds the jobs of one mode.
std::vector<std::string> seed(const Settings &s, int count, int min_ms, int max_ms) {
  admin("POST", "/_emulator/reset", "{}");
  g_admin_calls = 0;  // the reset zeroed the emulator's counters after counting itself
  const std::string body = "{\"count\":" + std::to_string(count) +
                           ",\"init_ms\":0,\"run_ms_min\":" + std::to_string(min_ms) +
                           ",\"run_ms_max\":" + std::to_string(max_ms) +
                           ",\"fail_every\":" + std::to_string(s.fail_every) + "}";
  std::vector<std::string> ids = json_ids(admin("POST", "/_emulator/seed-jobs", body));
  if (ids.size() != static_cast<size_t>(count)) die("seed-jobs answered a wrong number of ids");
  return ids;
}

struct EmulatorStats {
  long long polls = 0;           // api_requests
  long long connections = 0;     // accepted by the emulator for the library
  long long worker_threads = 0;  // the emulator's HTTP workers started so far (never shrinks)
};

EmulatorStats emulator_stats() {
  const std::string stats = admin("GET", "/_emulator/stats");
  EmulatorStats e;
  e.polls = json_int(stats, "api_requests");
  // Every admin call (this one included) opened a connection of its own.
  e.connections = json_int(stats, "connections") - g_admin_calls;
  e.worker_threads = json_int(stats, "worker_threads");
  return e;
}

sdrs_client *make_client(const std::string &url) {
  sdrs_client *client = nullptr;
  sdrs_error *err = nullptr;
  check(bench::emulator_client(&client, url, 0, &err), err, "client");
  return client;
}

// ---- a sampler of open sockets and threads, whose own CPU is kept out of the figures ----

class Sampler {
 public:
  Sampler() : thread_([this] { run(); }) {}
  ~Sampler() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Sampler(const Sampler &) = delete;
  Sampler &operator=(const Sampler &) = delete;
  // Starts a new measurement window.
  void restart() {
    std::lock_guard<std::mutex> lock(mu_);
    peak_sockets_ = 0;
    peak_threads_ = 0;
  }
  long peak_sockets() {
    std::lock_guard<std::mutex> lock(mu_);
    return peak_sockets_;
  }
  long peak_threads() {
    std::lock_guard<std::mutex> lock(mu_);
    return peak_threads_;
  }
  int64_t cpu_ns() const { return cpu_ns_.load(); }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      const long sockets = open_tcp_sockets();
      const long threads = bench::status_kib("Threads");
      lock.lock();
      peak_sockets_ = std::max(peak_sockets_, sockets);
      peak_threads_ = std::max(peak_threads_, threads);
      cpu_ns_ = thread_cpu_ns();
      cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; });
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  long peak_sockets_ = 0;
  long peak_threads_ = 0;
  std::atomic<int64_t> cpu_ns_{0};
  std::thread thread_;
};

// ---- one mode's results ----

struct Job {
  std::string id;
  bool expect_fail = false;
  std::atomic<int> completions{0};
  int rc = 1;
  int64_t done_ns = 0;  // callback / return (CLOCK_MONOTONIC)
  int64_t done_wall_ms = 0;
  int64_t end_ms = 0;  // the job's end_time (0 when no final job came back)
};

struct Result {
  bool ran = false;
  std::string name;
  int jobs = 0;
  std::string note;
  long threads_before = 0, threads_after = 0, library_threads = 0, peak_threads = 0;
  long peak_sockets = 0;
  long long connections = 0;
  long long emulator_workers = 0;
  long long polls = 0;
  int64_t malloc_per_job = 0, rss_per_job = 0;
  double cpu_per_poll_us = 0, thread_cpu_per_poll_us = -1;
  double lat_p50_ms = 0, lat_p99_ms = 0, lat_max_ms = 0;
  size_t lat_samples = 0;
  double end_p50_ms = 0, end_p99_ms = 0;
  int once = 0, twice = 0, never = 0, successes = 0, failures = 0, wrong_rc = 0;
  double wall_s = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

// Completion counts, results and latencies of a mode's jobs.
void summarize(std::vector<Job> &jobs, size_t count, Result &r) {
  std::vector<double> lat;
  std::vector<double> after_end;
  std::lock_guard<std::mutex> lock(g_seen_mu);
  for (size_t i = 0; i < count; i++) {
    Job &j = jobs[i];
    const int c = j.completions.load();
    if (c == 0) r.never++;
    if (c == 1) r.once++;
    if (c > 1) r.twice++;
    if (c == 0) continue;
    if (j.rc == 0) r.successes++;
    if (j.rc == SDRS_EJOBFAILED) r.failures++;
    if (j.rc != (j.expect_fail ? SDRS_EJOBFAILED : 0)) r.wrong_rc++;
    auto seen = g_final_seen_ns.find(j.id);
    if (seen != g_final_seen_ns.end()) {
      lat.push_back(static_cast<double>(j.done_ns - seen->second) / 1e6);
    }
    if (j.end_ms > 0) after_end.push_back(static_cast<double>(j.done_wall_ms - j.end_ms));
  }
  r.lat_samples = lat.size();
  r.lat_p50_ms = percentile(lat, 0.50);
  r.lat_p99_ms = percentile(lat, 0.99);
  r.lat_max_ms = lat.empty() ? -1 : *std::max_element(lat.begin(), lat.end());
  r.end_p50_ms = percentile(after_end, 0.50);
  r.end_p99_ms = percentile(after_end, 0.99);
}

void prepare_jobs(const std::vector<std::string> &ids, int fail_every, std::vector<Job> &jobs) {
  for (size_t i = 0; i < ids.size(); i++) {
    jobs[i].id = ids[i];
    jobs[i].expect_fail = fail_every > 0 && (i + 1) % static_cast<size_t>(fail_every) == 0;
  }
  std::lock_guard<std::mutex> lock(g_seen_mu);
  g_final_seen_ns.clear();
  g_final_seen_ns.reserve(ids.size() * 2);
}

// Marks a job done: the figures a callback or a returning sdrs_job_wait records.
void complete(Job &j, int rc, sdrs_job *job, sdrs_error *err) {
  j.done_ns = mono_ns();
  j.done_wall_ms = bench::wall_ms();
  j.rc = rc;
  j.end_ms = job != nullptr ? sdrs_job_end_time_ms(job) : 0;
  sdrs_job_free(job);
  sdrs_error_free(err);
}

struct Progress {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
};

// Waits until `target` jobs are done or the deadline; prints a line every 10 s.
bool wait_all(Progress &p, int target, int64_t deadline_ns, const char *what) {
  std::unique_lock<std::mutex> lock(p.mu);
  int64_t next_report = mono_ns() + 10000000000;
  while (p.done < target) {
    if (mono_ns() > deadline_ns) return false;
    p.cv.wait_for(lock, std::chrono::milliseconds(200));
    if (mono_ns() >= next_report) {
      std::fprintf(stderr, "  %s: %d of %d done\n", what, p.done, target);
      next_report += 10000000000;
    }
  }
  return true;
}

// ---- watcher mode ----

struct WatchCtx {
  Job *job;
  Progress *progress;
};

void on_done(uint64_t, const char *, int rc, sdrs_job *job, sdrs_error *err, void *user) {
  auto *ctx = static_cast<WatchCtx *>(user);
  ctx->job->completions.fetch_add(1);
  complete(*ctx->job, rc, job, err);
  std::lock_guard<std::mutex> lock(ctx->progress->mu);
  ctx->progress->done++;
  ctx->progress->cv.notify_one();
}

Result run_watcher(const Settings &s, Sampler &sampler) {
  Result r;
  r.ran = true;
  r.name = "watcher";
  r.jobs = s.jobs;
  std::vector<std::string> ids = seed(s, s.jobs, s.min_s * 1000, s.max_s * 1000);
  std::vector<Job> jobs(ids.size());
  prepare_jobs(ids, s.fail_every, jobs);
  std::vector<WatchCtx> ctxs(jobs.size());
  Progress progress;
  for (size_t i = 0; i < jobs.size(); i++) ctxs[i] = WatchCtx{&jobs[i], &progress};
  sdrs_client *client = make_client(g_base);
  sdrs_error *err = nullptr;
  sdrs_watcher_opts *wopts = nullptr;
  check(sdrs_watcher_opts_new(&wopts, &err), err, "watcher opts");
  check(sdrs_watcher_opts_set_max_polls_per_sec(wopts, s.max_polls_per_sec, &err), err,
        "max_polls_per_sec");
  check(sdrs_watcher_opts_set_max_in_flight(wopts, s.max_in_flight, &err), err, "max_in_flight");

  sampler.restart();
  const int64_t cpu0 = process_cpu_ns();
  const int64_t sampler0 = sampler.cpu_ns();
  const int64_t t0 = mono_ns();
  const std::set<long> before = task_ids();
  sdrs_watcher *watcher = nullptr;
  check(sdrs_watcher_new(&watcher, client, wopts, &err), err, "watcher");
  const std::set<long> after = task_ids();
  sdrs_watcher_opts_free(wopts);
  r.threads_before = static_cast<long>(before.size());
  r.threads_after = static_cast<long>(after.size());
  r.library_threads = r.threads_after - r.threads_before;
  std::vector<long> new_tasks;
  for (long t : after) {
    if (before.count(t) == 0) new_tasks.push_back(t);
  }

  const int64_t heap0 = malloc_in_use();
  const long rss0 = bench::status_kib("VmRSS");
  for (size_t i = 0; i < jobs.size(); i++) {
    check(sdrs_watcher_add(watcher, jobs[i].id.c_str(), nullptr, on_done, &ctxs[i], nullptr, &err),
          err, "watcher add");
  }
  const int64_t heap1 = malloc_in_use();
  const long rss1 = bench::status_kib("VmRSS");
  const size_t pending = sdrs_watcher_pending(watcher);
  r.malloc_per_job = (heap1 - heap0) / s.jobs;
  r.rss_per_job = (rss1 - rss0) * 1024 / s.jobs;
  std::printf("watcher: %zu pending after the adds (%.0f ms for %d adds)\n", pending,
              static_cast<double>(mono_ns() - t0) / 1e6, s.jobs);

  const int64_t deadline = mono_ns() + (static_cast<int64_t>(s.max_s) + 180) * 1000000000;
  const bool all = wait_all(progress, s.jobs, deadline, "watcher");
  r.wall_s = static_cast<double>(mono_ns() - t0) / 1e9;
  int64_t watcher_cpu = 0;
  for (long t : new_tasks) watcher_cpu += task_cpu_ns(t);
  const int64_t cpu = process_cpu_ns() - cpu0 - (sampler.cpu_ns() - sampler0);
  r.peak_sockets = sampler.peak_sockets();
  r.peak_threads = sampler.peak_threads();
  // A late duplicate would come within the polling of the others: give it a moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  sdrs_watcher_free(watcher);
  sdrs_client_free(client);
  const EmulatorStats es = emulator_stats();
  r.polls = es.polls;
  r.connections = es.connections;
  r.emulator_workers = es.worker_threads;
  r.cpu_per_poll_us = static_cast<double>(cpu) / 1e3 / static_cast<double>(std::max(1LL, r.polls));
  r.thread_cpu_per_poll_us =
      static_cast<double>(watcher_cpu) / 1e3 / static_cast<double>(std::max(1LL, r.polls));
  if (!all) r.note = "not all jobs completed before the deadline";
  summarize(jobs, jobs.size(), r);
  return r;
}

// ---- blocking mode: one thread per job in sdrs_job_wait ----

struct BlockingCtx {
  Job *job;
  sdrs_client *client;
  Progress *progress;
  std::atomic<int> *entered;
};

void *blocking_wait(void *arg) {
  auto *ctx = static_cast<BlockingCtx *>(arg);
  ctx->entered->fetch_add(1);
  sdrs_job *job = nullptr;
  sdrs_error *err = nullptr;
  const int rc = sdrs_job_wait(&job, ctx->client, ctx->job->id.c_str(), nullptr, &err);
  ctx->job->completions.fetch_add(1);
  complete(*ctx->job, rc, job, err);
  std::lock_guard<std::mutex> lock(ctx->progress->mu);
  ctx->progress->done++;
  ctx->progress->cv.notify_one();
  return nullptr;
}

// The limits that bound the number of threads, for the report when one bites.
std::string thread_limits() {
  rlimit nproc{};
  getrlimit(RLIMIT_NPROC, &nproc);
  rlimit nofile{};
  getrlimit(RLIMIT_NOFILE, &nofile);
  std::string s =
      "RLIMIT_NPROC=" +
      (nproc.rlim_cur == RLIM_INFINITY ? std::string("unlimited") : std::to_string(nproc.rlim_cur));
  s += " RLIMIT_NOFILE=" + std::to_string(nofile.rlim_cur);
  s += " kernel.threads-max=" + read_line("/proc/sys/kernel/threads-max");
  s += " kernel.pid_max=" + read_line("/proc/sys/kernel/pid_max");
  s += " vm.max_map_count=" + read_line("/proc/sys/vm/max_map_count");
  const std::string pids = read_line("/sys/fs/cgroup/pids.max");
  if (!pids.empty()) s += " cgroup pids.max=" + pids;
  return s;
}

Result run_blocking(const Settings &s, Sampler &sampler) {
  Result r;
  r.ran = true;
  r.name = "blocking";
  const int want = s.blocking_threads > 0 ? std::min(s.blocking_threads, s.jobs) : s.jobs;
  std::vector<std::string> ids = seed(s, want, s.min_s * 1000, s.max_s * 1000);
  std::vector<Job> jobs(ids.size());
  prepare_jobs(ids, s.fail_every, jobs);
  sdrs_client *client = make_client(g_base);
  Progress progress;
  std::atomic<int> entered{0};
  std::vector<BlockingCtx> ctxs(jobs.size());
  for (size_t i = 0; i < jobs.size(); i++) {
    ctxs[i] = BlockingCtx{&jobs[i], client, &progress, &entered};
  }

  sampler.restart();
  const int64_t cpu0 = process_cpu_ns();
  const int64_t sampler0 = sampler.cpu_ns();
  const int64_t t0 = mono_ns();
  r.threads_before = static_cast<long>(task_ids().size());
  const int64_t heap0 = malloc_in_use();
  const long rss0 = bench::status_kib("VmRSS");
  std::vector<pthread_t> threads;
  threads.reserve(jobs.size());
  for (size_t i = 0; i < jobs.size(); i++) {
    pthread_t t{};
    const int rc = pthread_create(&t, nullptr, blocking_wait, &ctxs[i]);
    if (rc != 0) {
      r.note = "pthread_create failed at thread " + std::to_string(i + 1) + ": " +
               std::strerror(rc) + " (" + thread_limits() + ")";
      std::fprintf(stderr, "blocking: %s; waiting with %zu threads\n", r.note.c_str(), i);
      break;
    }
    threads.push_back(t);
  }
  const int started = static_cast<int>(threads.size());
  r.jobs = started;
  while (entered.load() < started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // Each thread is inside sdrs_job_wait, sleeping its first interval (1 s +-20 %).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const int64_t heap1 = malloc_in_use();
  const long rss1 = bench::status_kib("VmRSS");
  r.threads_after = static_cast<long>(task_ids().size());
  r.library_threads = r.threads_after - r.threads_before - started;
  r.malloc_per_job = (heap1 - heap0) / std::max(1, started);
  r.rss_per_job = (rss1 - rss0) * 1024 / std::max(1, started);
  std::printf("blocking: %d threads waiting (%.0f ms to start them)\n", started,
              static_cast<double>(mono_ns() - t0) / 1e6);

  const int64_t deadline = mono_ns() + (static_cast<int64_t>(s.max_s) + 180) * 1000000000;
  const bool all = wait_all(progress, started, deadline, "blocking");
  r.wall_s = static_cast<double>(mono_ns() - t0) / 1e9;
  const int64_t cpu = process_cpu_ns() - cpu0 - (sampler.cpu_ns() - sampler0);
  r.peak_sockets = sampler.peak_sockets();
  r.peak_threads = sampler.peak_threads();
  if (!all) die("blocking: not all waits returned before the deadline");
  for (pthread_t t : threads) pthread_join(t, nullptr);
  sdrs_client_free(client);
  const EmulatorStats es = emulator_stats();
  r.polls = es.polls;
  r.connections = es.connections;
  r.emulator_workers = es.worker_threads;
  r.cpu_per_poll_us = static_cast<double>(cpu) / 1e3 / static_cast<double>(std::max(1LL, r.polls));
  summarize(jobs, static_cast<size_t>(started), r);
  return r;
}

// ---- reference: one thread polling with sdrs_job_poll ----

struct PollLoop {
  bool ran = false;
  long long polls = 0;
  double cpu_per_poll_us = 0;         // process CPU
  double thread_cpu_per_poll_us = 0;  // the polling thread only
  // The same, one poll every 1/rate s (a thread that sleeps between polls, as the watcher's
  // does between timers: its caches are colder than a back-to-back loop's).
  double paced_rate = 0;
  long long paced_polls = 0;
  double paced_cpu_per_poll_us = 0;
  double paced_thread_cpu_per_poll_us = 0;
};

PollLoop run_poll_loop(const Settings &s, Sampler &sampler, double paced_rate) {
  PollLoop p;
  p.ran = true;
  // Jobs that stay RUNNING, so each answer is what most watcher polls get.
  const int n = std::min(s.jobs, 10000);
  std::vector<std::string> ids = seed(s, n, 3600000, 3600000);
  sdrs_client *client = make_client(g_base);
  sdrs_error *err = nullptr;
  sdrs_job *job = nullptr;
  check(sdrs_job_poll(&job, client, ids[0].c_str(), nullptr, &err), err, "poll (warm-up)");
  sdrs_job_free(job);
  const int64_t cpu0 = process_cpu_ns();
  const int64_t sampler0 = sampler.cpu_ns();
  const int64_t thread0 = thread_cpu_ns();
  for (int round = 0; round < 2; round++) {
    for (const std::string &id : ids) {
      check(sdrs_job_poll(&job, client, id.c_str(), nullptr, &err), err, "poll");
      sdrs_job_free(job);
      p.polls++;
    }
  }
  const int64_t thread_cpu = thread_cpu_ns() - thread0;
  const int64_t cpu = process_cpu_ns() - cpu0 - (sampler.cpu_ns() - sampler0);
  p.cpu_per_poll_us = static_cast<double>(cpu) / 1e3 / static_cast<double>(p.polls);
  p.thread_cpu_per_poll_us = static_cast<double>(thread_cpu) / 1e3 / static_cast<double>(p.polls);

  // Paced for about 5 s.
  p.paced_rate = paced_rate;
  const auto step = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / paced_rate));
  const long long paced = std::max(1LL, static_cast<long long>(paced_rate * 5));
  const int64_t pcpu0 = process_cpu_ns();
  const int64_t psampler0 = sampler.cpu_ns();
  const int64_t pthread0 = thread_cpu_ns();
  auto next = std::chrono::steady_clock::now();
  for (long long i = 0; i < paced; i++) {
    next += step;
    std::this_thread::sleep_until(next);
    const std::string &id = ids[static_cast<size_t>(i) % ids.size()];
    check(sdrs_job_poll(&job, client, id.c_str(), nullptr, &err), err, "poll");
    sdrs_job_free(job);
  }
  p.paced_polls = paced;
  p.paced_thread_cpu_per_poll_us =
      static_cast<double>(thread_cpu_ns() - pthread0) / 1e3 / static_cast<double>(paced);
  p.paced_cpu_per_poll_us =
      static_cast<double>(process_cpu_ns() - pcpu0 - (sampler.cpu_ns() - psampler0)) / 1e3 /
      static_cast<double>(paced);
  sdrs_client_free(client);
  return p;
}

// ---- report ----

void print_result(const Result &r) {
  std::printf(
      "mode=%s jobs=%d library_threads=%ld threads_before=%ld threads_after=%ld "
      "peak_threads=%ld connections=%lld peak_sockets=%ld malloc_per_job=%lld "
      "rss_per_job=%lld latency_ms_p50=%.3f latency_ms_p99=%.3f latency_ms_max=%.3f "
      "latency_samples=%zu after_end_ms_p50=%.0f after_end_ms_p99=%.0f polls=%lld "
      "cpu_per_poll_us=%.1f thread_cpu_per_poll_us=%.1f once=%d twice=%d never=%d "
      "success=%d fail=%d wrong_rc=%d wall_s=%.1f emulator_worker_threads=%lld%s%s\n",
      r.name.c_str(), r.jobs, r.library_threads, r.threads_before, r.threads_after, r.peak_threads,
      r.connections, r.peak_sockets, static_cast<long long>(r.malloc_per_job),
      static_cast<long long>(r.rss_per_job), r.lat_p50_ms, r.lat_p99_ms, r.lat_max_ms,
      r.lat_samples, r.end_p50_ms, r.end_p99_ms, r.polls, r.cpu_per_poll_us,
      r.thread_cpu_per_poll_us, r.once, r.twice, r.never, r.successes, r.failures, r.wrong_rc,
      r.wall_s, r.emulator_workers, r.note.empty() ? "" : " note=", r.note.c_str());
}

std::string cell(const Result &r, const std::string &text) {
  return r.ran ? text : "not run";
}

std::string fmt(const char *f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void print_table(const Settings &s, const Result &w, const Result &b, const PollLoop &p) {
  auto both = [&](const char *figure, const char *target, const std::string &wv,
                  const std::string &bv) {
    std::printf("| %s | %s | %s | %s |\n", figure, target, cell(w, wv).c_str(),
                cell(b, bv).c_str());
  };
  auto n = [](double v) { return fmt("%.0f", v); };
  std::printf(
      "\n| figure | target | watcher (1 per client) | blocking `sdrs_job_wait`, 1 thread per job "
      "|\n");
  std::printf("|---|---|---|---|\n");
  both("jobs waited at once", "10,000", n(w.jobs), n(b.jobs));
  both("threads the library started", "1 per watcher", n(static_cast<double>(w.library_threads)),
       n(static_cast<double>(b.library_threads)) + " (+ " + n(b.jobs) + " of the program)");
  both("peak threads of the process", "-", n(static_cast<double>(w.peak_threads)),
       n(static_cast<double>(b.peak_threads)));
  both("TCP connections opened (emulator count)", "<= 8", n(static_cast<double>(w.connections)),
       n(static_cast<double>(b.connections)));
  both("peak TCP sockets open (/proc/self/fd)", "<= 8", n(static_cast<double>(w.peak_sockets)),
       n(static_cast<double>(b.peak_sockets)));
  both("memory per pending job, malloc bytes", "<= 2 KiB", n(static_cast<double>(w.malloc_per_job)),
       n(static_cast<double>(b.malloc_per_job)));
  both("memory per pending job, RSS bytes", "<= 2 KiB", n(static_cast<double>(w.rss_per_job)),
       n(static_cast<double>(b.rss_per_job)));
  auto lat = [](const Result &r) {
    return fmt("%.2f", r.lat_p50_ms) + " / " + fmt("%.2f", r.lat_p99_ms) + " / " +
           fmt("%.2f", r.lat_max_ms) + " (" + std::to_string(r.lat_samples) + " seen)";
  };
  both("final response -> callback, ms p50 / p99 / max", "p99 <= 50", lat(w), lat(b));
  auto late = [](const Result &r) {
    return fmt("%.0f", r.end_p50_ms) + " / " + fmt("%.0f", r.end_p99_ms);
  };
  both("job end_time -> callback, ms p50 / p99 (polling interval)", "-", late(w), late(b));
  both("polls (emulator api_requests)", "-", n(static_cast<double>(w.polls)),
       n(static_cast<double>(b.polls)));
  auto ratio = [&](const Result &r) {
    return fmt("%.1f us", r.cpu_per_poll_us) +
           (p.ran ? " (" + fmt("%.2f", r.cpu_per_poll_us / p.cpu_per_poll_us) + "x / " +
                        fmt("%.2f", r.cpu_per_poll_us / p.paced_cpu_per_poll_us) + "x)"
                  : "");
  };
  const std::string target = p.ran ? "<= 1.2x a `sdrs_job_poll` loop (" +
                                         fmt("%.1f", p.cpu_per_poll_us) + " us back to back / " +
                                         fmt("%.1f", p.paced_cpu_per_poll_us) + " us paced)"
                                   : "<= 1.2x a `sdrs_job_poll` loop (not run)";
  both("process CPU per poll", target.c_str(), ratio(w), ratio(b));
  both("CPU per poll of the watcher's thread", "-", fmt("%.1f us", w.thread_cpu_per_poll_us), "-");
  auto once = [](const Result &r) {
    return std::to_string(r.once) + " once, " + std::to_string(r.twice) + " more, " +
           std::to_string(r.never) + " never; " + std::to_string(r.successes) + " SUCCESS, " +
           std::to_string(r.failures) + " FAIL" +
           (r.wrong_rc > 0 ? ", " + std::to_string(r.wrong_rc) + " unexpected rc" : "");
  };
  both("completions", "each exactly once", once(w), once(b));
  both("wall time, s", "-", fmt("%.1f", w.wall_s), fmt("%.1f", b.wall_s));
  if (p.ran) {
    std::printf(
        "\nReference: one thread polling RUNNING jobs with `sdrs_job_poll`: back to back, %lld "
        "polls, %.1f us process CPU per poll (%.1f us on the polling thread); paced at %.0f "
        "polls/s (the watcher's average rate), %lld polls, %.1f us (%.1f us).\n",
        p.polls, p.cpu_per_poll_us, p.thread_cpu_per_poll_us, p.paced_rate, p.paced_polls,
        p.paced_cpu_per_poll_us, p.paced_thread_cpu_per_poll_us);
  }
  std::printf("Jobs of %d-%d s, every %d%s FAIL; watcher max_polls_per_sec=%d max_in_flight=%d.\n",
              s.min_s, s.max_s, s.fail_every, s.fail_every == 1 ? "st" : "th", s.max_polls_per_sec,
              s.max_in_flight);
  if (!w.note.empty()) std::printf("watcher: %s\n", w.note.c_str());
  if (!b.note.empty()) std::printf("blocking: %s\n", b.note.c_str());
}

int parse_int(const std::string &opt, const std::string &v, int lo, int hi) {
  char *end = nullptr;
  const long x = std::strtol(v.c_str(), &end, 10);
  if (end == v.c_str() || *end != '\0' || x < lo || x > hi) {
    die(opt + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return static_cast<int>(x);
}

Settings parse_args(int argc, char **argv) {
  Settings s;
  s.emulator = bench::emulator_next_to(argv[0]);
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf(
          "usage: %s [--jobs N] [--min-s S] [--max-s S] [--fail-every K]\n"
          "          [--mode all|watcher|blocking|poll] [--max-polls-per-sec N]"
          " [--max-in-flight N]\n"
          "          [--blocking-threads N] [--url URL] [--emulator PATH]"
          " [--emulator-threads N]\n",
          argv[0]);
      std::exit(0);
    }
    if (i + 1 >= argc) die("missing value for " + a);
    const std::string v = argv[++i];
    if (a == "--jobs") {
      s.jobs = parse_int(a, v, 1, 100000);
    } else if (a == "--min-s") {
      s.min_s = parse_int(a, v, 0, 86400);
    } else if (a == "--max-s") {
      s.max_s = parse_int(a, v, 0, 86400);
    } else if (a == "--fail-every") {
      s.fail_every = parse_int(a, v, 0, 100000);
    } else if (a == "--max-polls-per-sec") {
      s.max_polls_per_sec = parse_int(a, v, 1, 100000);
    } else if (a == "--max-in-flight") {
      s.max_in_flight = parse_int(a, v, 1, 256);
    } else if (a == "--blocking-threads") {
      s.blocking_threads = parse_int(a, v, 1, 100000);
    } else if (a == "--emulator-threads") {
      s.emulator_threads = parse_int(a, v, 1, 1000000);
    } else if (a == "--mode" && (v == "all" || v == "watcher" || v == "blocking" || v == "poll")) {
      s.mode = v;
    } else if (a == "--url") {
      s.url = v;
    } else if (a == "--emulator") {
      s.emulator = v;
    } else {
      die("bad option or value: " + a + " " + v + " (see --help)");
    }
  }
  if (s.max_s < s.min_s) die("--max-s must not be below --min-s");
  return s;
}

pid_t start_emulator(const Settings &s) {
  const bench::Emulator emu = bench::start_emulator(
      s.emulator, {"--quiet", "--threads", std::to_string(s.emulator_threads)}, true);
  if (emu.pid == 0) die(emu.error);
  g_base = emu.base;
  return emu.pid;
}

}  // namespace

// libcurl reads every response with recv() on the thread driving the transfer.
extern "C" ssize_t recv(int fd, void *buf, size_t len, int flags) {
  using Fn = ssize_t (*)(int, void *, size_t, int);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "recv"));
  const ssize_t n = real(fd, buf, len, flags);
  if (n > 0 && (flags & MSG_PEEK) == 0 && g_track.load(std::memory_order_relaxed)) {
    note_response(static_cast<const char *>(buf), static_cast<size_t>(n));
  }
  return n;
}

int main(int argc, char **argv) {
  const Settings s = parse_args(argc, argv);
  // One descriptor per connection in the blocking mode.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  pid_t emulator = 0;
  if (s.url.empty()) {
    emulator = start_emulator(s);
    g_emulator_pid = emulator;
  } else {
    g_base = s.url;
  }
  std::printf("sdrs-bench-watcher: %d jobs of %d-%d s against %s (emulator pid %d), mode %s\n",
              s.jobs, s.min_s, s.max_s, g_base.c_str(), static_cast<int>(emulator), s.mode.c_str());
  std::fflush(stdout);
  g_track = true;
  Result w;
  Result b;
  PollLoop p;
  {
    Sampler sampler;
    if (s.mode == "all" || s.mode == "watcher") {
      w = run_watcher(s, sampler);
      print_result(w);
      std::fflush(stdout);
    }
    if (s.mode == "all" || s.mode == "blocking") {
      b = run_blocking(s, sampler);
      print_result(b);
      std::fflush(stdout);
    }
    if (s.mode == "all" || s.mode == "poll" || s.mode == "watcher") {
      // Paced at the watcher's average poll rate when it ran.
      const double rate =
          w.ran && w.wall_s > 0 ? std::max(1.0, static_cast<double>(w.polls) / w.wall_s) : 1000;
      p = run_poll_loop(s, sampler, rate);
      std::printf(
          "mode=poll polls=%lld cpu_per_poll_us=%.1f thread_cpu_per_poll_us=%.1f "
          "paced_rate=%.0f paced_polls=%lld paced_cpu_per_poll_us=%.1f "
          "paced_thread_cpu_per_poll_us=%.1f\n",
          p.polls, p.cpu_per_poll_us, p.thread_cpu_per_poll_us, p.paced_rate, p.paced_polls,
          p.paced_cpu_per_poll_us, p.paced_thread_cpu_per_poll_us);
    }
  }
  print_table(s, w, b, p);
  if (emulator != 0) {
    kill(emulator, SIGTERM);
    waitpid(emulator, nullptr, 0);
  }
  curl_global_cleanup();
  const bool ok = (!w.ran || (w.once == w.jobs && w.wrong_rc == 0)) &&
                  (!b.ran || (b.once == b.jobs && b.wrong_rc == 0));
  return ok ? 0 : 1;
}
