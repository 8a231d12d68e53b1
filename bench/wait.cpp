// sdrs_job_wait efficiency with the default wait options: for jobs lasting the given durations
// in the emulator, how many polls the wait makes and how late it returns after the job's end.
//
//   sdrs-bench-wait --url http://127.0.0.1:PORT [--durations 1,10,60] [--repeats 3]
//
// Sets the emulator's job durations through its admin API (loopback), creates all jobs first,
// then waits for all of them at once (one thread per job, one shared client), so the run takes
// about as long as the longest job. Prints one key=value line per job.
//
// The time each poll's request was sent is taken by interposing send() (libcurl writes each
// request with one send() call on the waiting thread), so the report can split the lateness
// into the interval between the last two requests and the final request's round trip.
#include <curl/curl.h>
#include <dlfcn.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "sdrs.h"

namespace {

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "sdrs-bench-wait: %s\n", msg.c_str());
  std::exit(1);
}

void check(int rc, sdrs_error *err, const char *what) {
  if (rc == 0) return;
  std::string msg = std::string(what) + ": " + (err ? sdrs_error_message(err) : sdrs_strerror(rc));
  sdrs_error_free(err);
  die(msg);
}

using bench::wall_ms;

thread_local int64_t t_last_send_ms = 0;  // when this thread last sent bytes on a socket

void admin_post(const std::string &url, const std::string &body) {
  const bench::AdminAnswer a = bench::admin_call(url, "POST", body, 0);
  if (a.rc != CURLE_OK || a.status != 200) die("admin call " + url + " failed");
}

struct Wait {
  int64_t duration_ms = 0;
  std::string job_id;
  int64_t created_ms = 0;         // wall clock when create returned
  int64_t started_ms = 0;         // when sdrs_job_wait was called
  std::vector<int64_t> sends_ms;  // when each status read's request was sent (one per poll)
  int64_t returned_ms = 0;
  int64_t end_ms = 0;  // the job's end_time
};

int on_progress(const sdrs_job *, void *user) {
  auto *w = static_cast<Wait *>(user);
  w->sends_ms.push_back(t_last_send_ms);
  return 0;
}

}  // namespace

extern "C" ssize_t send(int fd, const void *buf, size_t len, int flags) {
  using Fn = ssize_t (*)(int, const void *, size_t, int);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "send"));
  t_last_send_ms = wall_ms();
  return real(fd, buf, len, flags);
}

int main(int argc, char **argv) {
  std::string url;
  std::vector<int64_t> durations = {1, 10, 60};
  int repeats = 3;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    if (i + 1 >= argc) die("missing value for " + a);
    const std::string v = argv[++i];
    if (a == "--url") {
      url = v;
    } else if (a == "--durations") {
      durations.clear();
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) durations.push_back(std::atoll(item.c_str()));
    } else if (a == "--repeats") {
      repeats = std::atoi(v.c_str());
    } else {
      die("unknown option " + a);
    }
  }
  if (url.empty() || repeats < 1 || durations.empty()) die("need --url, repeats >= 1");
  curl_global_init(CURL_GLOBAL_DEFAULT);

  sdrs_client *client = nullptr;
  sdrs_pg_spec *spec = nullptr;
  sdrs_error *err = nullptr;
  check(bench::emulator_client(&client, url, 0, &err), err, "client");
  check(sdrs_pg_spec_new(&spec, &err), err, "spec");
  check(sdrs_pg_spec_set_name(spec, "bench-wait", &err), err, "name");
  check(sdrs_pg_spec_set_source_az(spec, "eu-de-01", &err), err, "az");
  check(sdrs_pg_spec_set_target_az(spec, "eu-de-02", &err), err, "az");
  check(sdrs_pg_spec_set_domain_id(spec, "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11", &err), err,
        "domain");
  check(sdrs_pg_spec_set_source_vpc_id(spec, "vpc-bench", &err), err, "vpc");

  std::vector<Wait> waits;
  for (const int64_t d : durations) {
    // The whole duration as RUNNING: the job "lasts" d seconds from its creation.
    admin_post(url + "/_emulator/config",
               "{\"job_init_ms\": 0, \"job_run_ms\": " + std::to_string(d * 1000) + "}");
    for (int r = 0; r < repeats; r++) {
      Wait w;
      w.duration_ms = d * 1000;
      char *job_id = nullptr;
      check(sdrs_pg_create(&job_id, client, spec, nullptr, &err), err, "create");
      w.created_ms = wall_ms();
      w.job_id = job_id;
      sdrs_string_free(job_id);
      waits.push_back(std::move(w));
    }
  }

  std::vector<std::thread> threads;
  for (Wait &w : waits) {
    threads.emplace_back([&w, client] {
      sdrs_wait_opts *opts = nullptr;  // defaults, plus a progress callback to count polls
      sdrs_error *e = nullptr;
      check(sdrs_wait_opts_new(&opts, &e), e, "wait opts");
      check(sdrs_wait_opts_set_progress(opts, on_progress, &w, &e), e, "progress");
      sdrs_job *job = nullptr;
      w.started_ms = wall_ms();
      const int rc = sdrs_job_wait(&job, client, w.job_id.c_str(), opts, &e);
      w.returned_ms = wall_ms();
      check(rc, e, "wait");
      w.end_ms = sdrs_job_end_time_ms(job);
      sdrs_job_free(job);
      sdrs_wait_opts_free(opts);
    });
  }
  for (auto &t : threads) t.join();

  for (const Wait &w : waits) {
    const double wait_s = static_cast<double>(w.returned_ms - w.created_ms) / 1000.0;
    const size_t n = w.sends_ms.size();
    if (n == 0 || w.sends_ms[n - 1] == 0) die("a wait made no poll that was seen");
    // The polling interval in force when the job ended: between the requests of the last two
    // polls (the first poll's interval starts with the wait).
    const int64_t before_last = n >= 2 ? w.sends_ms[n - 2] : w.started_ms;
    const int64_t last_interval = w.sends_ms[n - 1] - before_last;
    const int64_t final_rtt = w.returned_ms - w.sends_ms[n - 1];
    const int64_t late = w.returned_ms - w.end_ms;
    // Within one interval: the final poll's request went out less than one interval after the
    // end, i.e. no poll was skipped and nothing but that request's round trip came after it.
    const int64_t sent_after_end = w.sends_ms[n - 1] - w.end_ms;
    std::printf(
        "duration_s=%lld polls=%zu wait_s=%.3f polls_per_s=%.3f late_ms=%lld "
        "last_interval_ms=%lld final_rtt_ms=%lld sent_after_end_ms=%lld within_interval=%d\n",
        static_cast<long long>(w.duration_ms / 1000), n, wait_s, static_cast<double>(n) / wait_s,
        static_cast<long long>(late), static_cast<long long>(last_interval),
        static_cast<long long>(final_rtt), static_cast<long long>(sent_after_end),
        sent_after_end <= last_interval ? 1 : 0);
  }
  admin_post(url + "/_emulator/config", "{\"job_init_ms\": 100, \"job_run_ms\": 400}");
  sdrs_pg_spec_free(spec);
  sdrs_client_free(client);
  curl_global_cleanup();
  return 0;
}
