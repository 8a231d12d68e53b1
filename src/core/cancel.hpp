// Cancel token and per-call context (deadline + token) shared by the transport and the waiter.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sdrs {

using Clock = std::chrono::steady_clock;

class CancelToken {
 public:
  void trigger() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      triggered_.store(true, std::memory_order_release);
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

 private:
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
