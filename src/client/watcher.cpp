#include "client/watcher.hpp"

#include <algorithm>
#include <chrono>
#include <new>

#include "core/validate.hpp"
#include "http/redact.hpp"

namespace sdrs {
namespace {

// The loop wakes at least this often even with nothing due (a backstop; every event that
// matters wakes it at once).
constexpr int64_t kBackstopMs = 1000;

int64_t ceil_ms(Clock::duration d) {
  if (d <= Clock::duration::zero()) return 0;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d);
  return ms.count() + (ms < d ? 1 : 0);
}

}  // namespace

// One pending job: its wait (schedule, deadline, counters, progress), where it is (timer
// heap, ready queue, in flight) and whom to tell. A few hundred bytes; no thread, no curl
// handle while it waits.
struct JobWatcher::Watch : TimerNode, QueueNode {
  Watch(uint64_t t, const std::string &job_id, const WaitOptions &options,
        Clock::time_point deadline, Done d)
      : ticket(t), wait(job_id, options, deadline), done(std::move(d)), token(options.cancel) {}
  uint64_t ticket;
  JobWait wait;
  Done done;
  CancelToken *token;
  Poll *poll = nullptr;  // while a poll is in flight
  State state = State::kNew;
  bool at_deadline = false;  // the timer queued is the deadline, not a poll
  bool token_watched = false;
};

// One poll in flight: the request (kept until the transfer ends) and poll_job's bookkeeping
// around it (the 401 re-send, the requests of the first round).
struct JobWatcher::Poll : Transport::Multi::Call {
  Watch *watch = nullptr;
  std::string path;
  uint64_t credential = 0;
  int round = 1;
  int32_t earlier = 0;
};

JobWatcher::JobWatcher(std::shared_ptr<Client> client, const WatcherOptions &options)
    : client_(std::move(client)),
      options_(options),
      multi_(client_->transport(), options.max_in_flight),
      seed_base_(clock_seed()),
      bucket_(options.max_polls_per_sec,
              std::max(1.0, options.max_polls_per_sec / 10.0),  // bursts of 100 ms worth
              Clock::now()) {
  thread_ = std::thread([this] { run(); });
}

JobWatcher::~JobWatcher() {
  // Released from its own thread (shutdown_from_own_thread), the thread is detached.
  if (!on_own_thread()) shutdown();
}

uint64_t JobWatcher::add(const std::string &job_id, const WaitOptions &options, Done done,
                         Progress progress) {
  validate_path_segment("job_id", job_id);
  const Clock::time_point deadline =
      CallContext::with_timeout(options.timeout_ms, nullptr).deadline;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    fail(Code::kCanceled, "the watcher is shut down: job " + job_id + " not added");
  }
  const uint64_t ticket = next_ticket_;
  WaitOptions o = options;
  o.progress = nullptr;
  if (progress) {
    o.progress = [ticket, p = std::move(progress)](const Job &job) { return p(ticket, job); };
  }
  if (o.seed == 0) o.seed = SplitMix64(seed_base_ ^ ticket)() | 1;
  auto w = std::make_unique<Watch>(ticket, job_id, o, deadline, std::move(done));
  Watch *raw = w.get();
  added_.reserve(added_.size() + 1);
  jobs_.emplace(ticket, std::move(w));
  added_.push_back(raw);
  ++next_ticket_;
  multi_.wakeup();
  return ticket;
}

bool JobWatcher::cancel(uint64_t ticket, const std::string &why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (jobs_.find(ticket) == jobs_.end()) return false;
  cancels_.emplace_back(ticket, why);
  multi_.wakeup();
  return true;
}

void JobWatcher::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    joining_ = true;
  }
  stop_.trigger();  // a token refresh in progress on the thread gives up
  multi_.wakeup();
  {
    std::lock_guard<std::mutex> lock(join_mu_);
    if (thread_.joinable()) thread_.join();
  }
  // A callback of the final sweep asked for the release while this thread was joining: the
  // thread left it here rather than detach under a joiner.
  std::function<void()> release;
  {
    std::lock_guard<std::mutex> lock(mu_);
    release.swap(release_);
  }
  if (release) release();  // may destroy this watcher: nothing may follow
}

void JobWatcher::shutdown_from_own_thread(std::function<void()> release) {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  release_ = std::move(release);
}

JobWatcher::Watch *JobWatcher::find(uint64_t ticket) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = jobs_.find(ticket);
  return it == jobs_.end() ? nullptr : it->second.get();
}

void JobWatcher::run() {
  thread_id_.store(std::this_thread::get_id());
  std::string why = "canceled (the watcher shut down)";
  try {
    loop();
  } catch (const std::exception &e) {
    // The loop itself failed (out of memory, curl refusing its multi handle): nothing can be
    // polled any more, so every job ends now, saying why.
    why = std::string("canceled: the watcher failed: ") + e.what();
  }
  std::vector<Watch *> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    added_.clear();
    cancels_.clear();
    for (auto &entry : jobs_) {
      if (entry.second->state != State::kEnded) left.push_back(entry.second.get());
    }
  }
  // Callbacks run here may add (refused now) or cancel (no effect): neither touches `left`.
  for (Watch *w : left) finish_failure(*w, w->wait.canceled(why));
  std::function<void()> release;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // With a shutdown() joining this thread, the joiner releases after the join.
    if (!joining_) release.swap(release_);
  }
  if (release) {
    // Nobody joins (a shutdown() starting now would use a watcher already freed by its
    // owner's sdrs_watcher_free), so the thread detaches itself.
    thread_.detach();
    release();  // may destroy this watcher: nothing may follow
  }
}

void JobWatcher::loop() {
  for (;;) {
    bool stop = false;
    take_commands(&stop);
    if (token_fired_.exchange(false)) sweep_tokens();
    if (stop) return;
    fire_timers(Clock::now());
    start_ready(Clock::now());
    finished_.clear();
    multi_.run(wait_ms(Clock::now()), finished_);
    for (Transport::Multi::Call *c : finished_) {
      auto &p = static_cast<Poll &>(*c);
      guarded(*p.watch, [&] { poll_done(p); });
    }
  }
}

void JobWatcher::take_commands(bool *stop) {
  std::vector<Watch *> added;
  std::vector<std::pair<uint64_t, std::string>> cancels;
  {
    std::lock_guard<std::mutex> lock(mu_);
    added.swap(added_);
    cancels.swap(cancels_);
    *stop = stopping_;
  }
  for (Watch *w : added) guarded(*w, [&] { begin(*w); });
  // A cancel follows its job's add (the ticket came from it), so that job has begun by now.
  for (const auto &c : cancels) {
    Watch *w = find(c.first);
    if (w != nullptr && w->state != State::kNew && w->state != State::kEnded) {
      finish_failure(*w, w->wait.canceled(c.second));
    }
  }
}

template <typename Step>
void JobWatcher::guarded(Watch &w, Step &&step) {
  // Each path of step ends w at most once, as its last act, so w is alive when step throws.
  try {
    step();
  } catch (const Failure &f) {
    finish_failure(w, f);
  } catch (const std::bad_alloc &) {
    finish_failure(w,
                   Failure(Code::kNoMem, "waiting for job " + w.wait.job_id() + ": out of memory"));
  } catch (const std::exception &e) {
    finish_failure(w, Failure(Code::kInternal, "waiting for job " + w.wait.job_id() +
                                                   ": internal error: " + e.what()));
  }
}

void JobWatcher::begin(Watch &w) {
  watch_token(w);
  // As wait_job: a token already triggered ends the wait before any poll.
  if (w.token != nullptr && w.token->triggered()) {
    finish_failure(w, w.wait.canceled("canceled"));
    return;
  }
  schedule_next(w);
}

void JobWatcher::schedule_next(Watch &w) {
  bool at_deadline = false;
  w.due = w.wait.next_poll(Clock::now(), &at_deadline);
  w.at_deadline = at_deadline;
  w.state = State::kScheduled;
  timers_.push(&w);
}

void JobWatcher::fire_timers(Clock::time_point now) {
  while (!timers_.empty() && timers_.top()->due <= now) {
    auto &w = static_cast<Watch &>(*timers_.pop());
    if (w.at_deadline) {
      finish_failure(w, w.wait.expired());
      continue;
    }
    // The poll is due; it waits in the ready queue for a slot, its deadline still timed.
    w.state = State::kReady;
    ready_.push_back(&w);
    if (w.wait.has_deadline()) {
      w.due = w.wait.deadline();
      w.at_deadline = true;
      timers_.push(&w);
    }
  }
}

void JobWatcher::start_ready(Clock::time_point now) {
  while (!ready_.empty() && multi_.calls() < static_cast<size_t>(options_.max_in_flight)) {
    if (!bucket_.take(now)) break;
    auto &w = static_cast<Watch &>(*ready_.front());
    ready_.remove(&w);
    timers_.remove(&w);
    guarded(w, [&] {
      Poll &p = take_poll();
      p.watch = &w;
      p.round = 1;
      p.earlier = 0;
      w.poll = &p;
      w.state = State::kPolling;
      w.wait.poll_started();
      send(p);
    });
  }
}

JobWatcher::Poll &JobWatcher::take_poll() {
  if (free_polls_.empty()) {
    polls_.push_back(std::make_unique<Poll>());
    free_polls_.push_back(polls_.back().get());
  }
  Poll *p = free_polls_.back();
  free_polls_.pop_back();
  return *p;
}

void JobWatcher::release(Poll &p) {
  wipe_secret_headers(p.request.headers);
  p.request = HttpRequest();
  p.response = HttpResponse();
  p.error = ErrorInfo();
  if (p.watch != nullptr) p.watch->poll = nullptr;
  p.watch = nullptr;
  free_polls_.push_back(&p);
}

// Prepares the poll's request on this thread, as poll_job does (the token fetched or
// refreshed when due, an AK/SK signature per request), and hands it to the multi handle.
void JobWatcher::send(Poll &p) {
  Watch &w = *p.watch;
  wipe_secret_headers(p.request.headers);
  p.request = HttpRequest();
  p.ctx = CallContext();
  p.ctx.deadline = w.wait.deadline();
  CallContext auth_ctx = p.ctx;
  auth_ctx.cancel = &stop_;
  try {
    p.path = client_->job_path(w.wait.job_id(), auth_ctx);
    p.credential = client_->prepare_request(p.request, "GET", p.path, "", auth_ctx);
  } catch (Failure &f) {
    // As Client::call: this SDRS request was not sent, so nothing of it was acted on.
    ErrorInfo &info = f.info();
    info.attempts = p.earlier;
    info.outcome_unknown = false;
    info.sent_at_ms = kTimeNone;
    release(p);
    poll_failed(w, f);
    return;
  }
  multi_.start(p);
}

void JobWatcher::poll_done(Poll &p) {
  Watch &w = *p.watch;
  if (p.failed) {
    Failure f(std::move(p.error));
    f.info().attempts += p.earlier;
    release(p);
    poll_failed(w, f);
    return;
  }
  if (client_->renew_after_401("GET", p.path, p.response, p.credential, p.round)) {
    p.earlier += p.response.attempts;
    ++p.round;
    send(p);
    return;
  }
  p.response.attempts += p.earlier;
  CallStats stats;
  Job job;
  try {
    job = client_->read_job_answer(p.path, p.response, &stats);
  } catch (Failure &f) {
    release(p);
    poll_failed(w, f);
    return;
  }
  release(p);
  Job final_job;
  try {
    if (w.wait.poll_read(job, stats.attempts, stats.http_status, &final_job)) {
      WatchEnd end;
      end.code = Code::kOk;
      end.job = std::move(job);
      finish(w, std::move(end));
      return;
    }
  } catch (Failure &f) {
    if (f.info().code == Code::kJobFailed) {
      finish_failure(w, f, std::move(final_job));
    } else {
      finish_failure(w, f);
    }
    return;
  }
  schedule_next(w);
}

void JobWatcher::poll_failed(Watch &w, Failure &f) {
  try {
    w.wait.poll_failed(f);
  } catch (const Failure &end) {
    finish_failure(w, end);
    return;
  }
  schedule_next(w);  // transient: the next poll follows the schedule
}

void JobWatcher::watch_token(Watch &w) {
  if (w.token == nullptr) return;
  if (tokens_[w.token]++ == 0) w.token->add_waker({&JobWatcher::on_token, this});
  w.token_watched = true;
}

void JobWatcher::unwatch_token(Watch &w) {
  if (!w.token_watched) return;
  w.token_watched = false;
  const auto it = tokens_.find(w.token);
  if (it == tokens_.end() || --it->second > 0) return;
  // After this no trigger of that token calls on_token for this watcher.
  w.token->remove_waker(this);
  tokens_.erase(it);
}

// Runs on the triggering thread, under the token's lock: only flags and wakes.
void JobWatcher::on_token(void *self) {
  auto *watcher = static_cast<JobWatcher *>(self);
  watcher->token_fired_.store(true);
  watcher->multi_.wakeup();
}

void JobWatcher::sweep_tokens() {
  std::vector<Watch *> fired;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto &entry : jobs_) {
      Watch &w = *entry.second;
      if (w.token_watched && w.state != State::kEnded && w.token->triggered()) fired.push_back(&w);
    }
  }
  for (Watch *w : fired) finish_failure(*w, w->wait.canceled("canceled"));
}

void JobWatcher::finish_failure(Watch &w, const Failure &f, std::optional<Job> job) {
  WatchEnd end;
  end.code = f.info().code;
  end.error = f.info();
  end.job = std::move(job);
  finish(w, std::move(end));
}

void JobWatcher::finish(Watch &w, WatchEnd &&end) {
  if (w.state == State::kEnded) return;
  timers_.remove(&w);
  ready_.remove(&w);
  if (w.poll != nullptr) {
    multi_.abort(*w.poll);
    release(*w.poll);
  }
  unwatch_token(w);
  w.state = State::kEnded;
  end.ticket = w.ticket;
  end.job_id = w.wait.job_id();
  // The ticket is unknown to cancel() before its callback starts, as it stops counting as
  // pending then: code the callback wakes may cancel it and must get "not found", not a no-op
  // that depends on whether the callback has returned yet. `gone` keeps w alive meanwhile.
  std::unique_ptr<Watch> gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = jobs_.find(w.ticket);
    if (it != jobs_.end()) {
      gone = std::move(it->second);
      jobs_.erase(it);
    }
  }
  w.done(std::move(end));  // must not throw (the C API's callbacks are noexcept)
}

int64_t JobWatcher::wait_ms(Clock::time_point now) {
  int64_t ms = kBackstopMs;
  if (!timers_.empty()) ms = std::min(ms, ceil_ms(timers_.top()->due - now));
  if (!ready_.empty() && multi_.calls() < static_cast<size_t>(options_.max_in_flight)) {
    ms = std::min(ms, ceil_ms(bucket_.next_token(now) - now));
  }
  return ms;
}

}  // namespace sdrs
