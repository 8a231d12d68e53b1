// The job watcher's scheduling pieces, kept apart so they are tested alone: a timer heap of
// due polls (and deadlines) with removal from the middle, a FIFO of jobs whose poll is due but
// waits for a free slot, and the token bucket that caps polls per second.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/cancel.hpp"

namespace sdrs {

// What the heap orders. Owners derive from it; `pos` is the heap's bookkeeping.
struct TimerNode {
  static constexpr size_t kNotQueued = SIZE_MAX;
  Clock::time_point due{};
  size_t pos = kNotQueued;
  bool queued() const { return pos != kNotQueued; }
};

// A binary min-heap of nodes by due time; every operation O(log n), removal included.
class TimerHeap {
 public:
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  TimerNode *top() const { return heap_.empty() ? nullptr : heap_.front(); }
  // Queues a node that is not queued (its due time already set).
  void push(TimerNode *node);
  // Takes the earliest node out.
  TimerNode *pop();
  // Takes a queued node out (nothing when it is not queued).
  void remove(TimerNode *node);

 private:
  void place(size_t i, TimerNode *node);
  void sift_up(size_t i);
  void sift_down(size_t i);
  std::vector<TimerNode *> heap_;
};

// An intrusive FIFO: O(1) push, pop and removal from the middle, no allocation.
struct QueueNode {
  QueueNode *prev = nullptr;
  QueueNode *next = nullptr;
  bool in_queue = false;
};

class NodeQueue {
 public:
  bool empty() const { return head_ == nullptr; }
  size_t size() const { return size_; }
  QueueNode *front() const { return head_; }
  void push_back(QueueNode *node);
  // Takes a node out (nothing when it is not in the queue).
  void remove(QueueNode *node);

 private:
  QueueNode *head_ = nullptr;
  QueueNode *tail_ = nullptr;
  size_t size_ = 0;
};

// Polls per second: a bucket of `burst` tokens refilled at `rate` per second; each poll takes
// one. Starts full.
class TokenBucket {
 public:
  TokenBucket(double rate_per_s, double burst, Clock::time_point now);
  // Takes a token when one is there.
  bool take(Clock::time_point now);
  // When take() will succeed next (now when a token is there).
  Clock::time_point next_token(Clock::time_point now);

 private:
  void refill(Clock::time_point now);
  double rate_;  // tokens per second
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace sdrs
