// Cancel token and per-call context (deadline + token) shared by the transport and the waiter.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace sdrs {

using Clock = std::chrono::steady_clock;

class CancelToken {
 public:
  // Something blocked outside this token (a transfer waiting in curl_multi_poll) that a
  // trigger must wake at once. fn runs under the token's lock, from the triggering thread.
  struct Waker {
    void (*fn)(void *) = nullptr;
    void *arg = nullptr;
  };

  void trigger() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      triggered_.store(true, std::memory_order_release);
      for (const Waker &w : wakers_) w.fn(w.arg);
    }
    cv_.notify_all();
  }
  bool triggered() const { return triggered_.load(std::memory_order_acquire); }
  void reset() {
    std::lock_guard<std::mutex> lock(mu_);
    triggered_.store(false, std::memory_order_release);
  }
  // Sleeps until `until` or a trigger, whichever comes first; true when triggered.
  bool sleep_until(Clock::time_point until) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_until(lock, until, [this] { return triggered(); });
  }
  void add_waker(Waker w) {
    std::lock_guard<std::mutex> lock(mu_);
    wakers_.push_back(w);
  }
  // After this returns, the waker's fn is not running and will not run again.
  void remove_waker(void *arg) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = wakers_.begin(); it != wakers_.end(); ++it) {
      if (it->arg == arg) {
        wakers_.erase(it);
        return;
      }
    }
  }

 private:
  std::vector<Waker> wakers_;  // guarded by mu_
  std::atomic<bool> triggered_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

struct CallContext {
  Clock::time_point deadline = Clock::time_point::max();
  CancelToken *cancel = nullptr;

  bool canceled() const { return cancel != nullptr && cancel->triggered(); }
  bool has_deadline() const { return deadline != Clock::time_point::max(); }
  // Milliseconds left before the deadline (INT64_MAX when none, 0 when passed).
  int64_t remaining_ms() const {
    if (!has_deadline()) return INT64_MAX;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? left : 0;
  }
  static CallContext with_timeout(int64_t timeout_ms, CancelToken *cancel) {
    CallContext ctx;
    ctx.cancel = cancel;
    if (timeout_ms > 0) ctx.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    return ctx;
  }
};

}  // namespace sdrs
