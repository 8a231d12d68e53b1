// The job watcher: follows many jobs of one client from one thread. Each job is waited for
// as Client::wait_job would (client/wait.hpp: the same schedule, deadline, progress and
// failure rules), but its polls are timers in one heap and its requests run on one curl multi
// handle (Transport::Multi), so a pending job costs a few hundred bytes and no thread.
// A per-watcher token bucket caps polls per second and a cap bounds polls in flight (and the
// connections they use). Token refresh and AK/SK signing happen on the watcher's thread, as
// part of preparing each poll, with the client's authenticator and its 401 rule.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "client/client.hpp"
#include "client/wait.hpp"
#include "client/watch_schedule.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "http/multi.hpp"

namespace sdrs {

struct WatcherOptions {
  int32_t max_polls_per_sec = 100;
  int32_t max_in_flight = 8;
};

// How a watched job's wait ended: what Client::wait_job would have returned or thrown.
struct WatchEnd {
  uint64_t ticket = 0;
  std::string job_id;
  Code code = Code::kOk;
  std::optional<Job> job;  // the final job: on kOk (SUCCESS) and kJobFailed (FAIL)
  ErrorInfo error;         // when code is not kOk
};

class JobWatcher {
 public:
  // Runs on the watcher's thread once per added job, with its end. Must not throw.
  using Done = std::function<void(WatchEnd &&)>;

  // Starts the watcher's thread. The watcher keeps the client alive.
  JobWatcher(std::shared_ptr<Client> client, const WatcherOptions &options);
  // shutdown() when it was not called; never from the watcher's own thread (see
  // shutdown_from_own_thread).
  ~JobWatcher();
  JobWatcher(const JobWatcher &) = delete;
  JobWatcher &operator=(const JobWatcher &) = delete;

  // Called on the watcher's thread after each successful status read, as WaitOptions::progress
  // is by wait_job (false stops the wait: kCanceled), with the job's ticket.
  using Progress = std::function<bool(uint64_t ticket, const Job &job)>;

  // Follows a job (job_id checked as a path segment); options.timeout_ms counts from now and
  // options.progress is replaced by `progress` (may be empty). `done` runs exactly once on the
  // watcher's thread, never inside this call. Throws kCanceled once shutdown began. Any thread.
  uint64_t add(const std::string &job_id, const WaitOptions &options, Done done,
               Progress progress = nullptr);
  // Ends a job's wait with kCanceled ("waiting for job J: <why>") unless it ends otherwise
  // first. False when the ticket is unknown or its `done` has returned. Any thread.
  bool cancel(uint64_t ticket, const std::string &why = "canceled");
  // Refuses further adds, aborts the requests in flight, ends every pending job with
  // kCanceled, and returns once the thread has ended. Idempotent; any thread but its own.
  // When a callback of the final sweep called shutdown_from_own_thread, this call runs its
  // `release` after the join (and the watcher may be gone when it returns).
  void shutdown();
  // shutdown() for the watcher's own thread (a `done` or progress callback): the thread
  // finishes the shutdown after the callback returns, then calls `release` as its last act
  // (which may destroy this watcher) instead of being joined; or, when a shutdown() is
  // joining it already, that shutdown() calls `release` after the join.
  void shutdown_from_own_thread(std::function<void()> release);
  bool on_own_thread() const { return std::this_thread::get_id() == thread_id_.load(); }

 private:
  struct Watch;
  struct Poll;
  enum class State : uint8_t { kNew, kScheduled, kReady, kPolling, kEnded };

  void run();
  void loop();
  void take_commands(bool *stop);
  void begin(Watch &w);
  void schedule_next(Watch &w);
  void fire_timers(Clock::time_point now);
  void start_ready(Clock::time_point now);
  void send(Poll &poll);
  void poll_done(Poll &poll);
  void poll_failed(Watch &w, Failure &f);
  Poll &take_poll();
  void release(Poll &poll);
  Watch *find(uint64_t ticket);
  void sweep_tokens();
  void finish(Watch &w, WatchEnd &&end);
  void finish_failure(Watch &w, const Failure &f, std::optional<Job> job = std::nullopt);
  // Runs step for w; an unexpected exception ends w's wait with its error.
  template <typename Step>
  void guarded(Watch &w, Step &&step);
  void watch_token(Watch &w);
  void unwatch_token(Watch &w);
  static void on_token(void *self);
  int64_t wait_ms(Clock::time_point now);

  std::shared_ptr<Client> client_;
  WatcherOptions options_;
  Transport::Multi multi_;
  CancelToken stop_;  // triggered by shutdown: interrupts a token refresh in progress

  // Shared with the callers' threads, under mu_.
  std::mutex mu_;
  std::unordered_map<uint64_t, std::unique_ptr<Watch>> jobs_;  // pending, until `done` is called
  std::vector<Watch *> added_;
  std::vector<std::pair<uint64_t, std::string>> cancels_;
  std::function<void()> release_;
  uint64_t next_ticket_ = 1;
  bool stopping_ = false;
  bool joining_ = false;  // a shutdown() is joining (or has joined) the thread
  uint64_t seed_base_;    // the jitter of job n is seeded from it and n
  std::atomic<bool> token_fired_{false};

  // The watcher's thread only.
  TimerHeap timers_;
  NodeQueue ready_;  // polls due, waiting for a slot (in-flight cap, rate)
  TokenBucket bucket_;
  std::unordered_map<CancelToken *, size_t> tokens_;  // wakers installed: jobs per token
  std::vector<std::unique_ptr<Poll>> polls_;  // at most max_in_flight: a poll in flight each
  std::vector<Poll *> free_polls_;
  std::vector<Transport::Multi::Call *> finished_;

  std::mutex join_mu_;
  std::thread thread_;
  std::atomic<std::thread::id> thread_id_{};
};

}  // namespace sdrs
