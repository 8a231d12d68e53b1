#include "client/watch_schedule.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace sdrs {

void TimerHeap::place(size_t i, TimerNode *node) {
  heap_[i] = node;
  node->pos = i;
}

void TimerHeap::sift_up(size_t i) {
  TimerNode *node = heap_[i];
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (!(node->due < heap_[parent]->due)) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, node);
}

void TimerHeap::sift_down(size_t i) {
  TimerNode *node = heap_[i];
  const size_t n = heap_.size();
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1]->due < heap_[child]->due) ++child;
    if (!(heap_[child]->due < node->due)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, node);
}

void TimerHeap::push(TimerNode *node) {
  heap_.push_back(node);
  sift_up(heap_.size() - 1);
}

TimerNode *TimerHeap::pop() {
  TimerNode *first = top();
  if (first != nullptr) remove(first);
  return first;
}

void TimerHeap::remove(TimerNode *node) {
  if (!node->queued()) return;
  const size_t i = node->pos;
  node->pos = TimerNode::kNotQueued;
  TimerNode *last = heap_.back();
  heap_.pop_back();
  if (last == node) return;
  place(i, last);
  // The node moved into the hole may belong above or below it.
  sift_up(i);
  sift_down(last->pos);
}

void NodeQueue::push_back(QueueNode *node) {
  if (node->in_queue) return;
  node->in_queue = true;
  node->prev = tail_;
  node->next = nullptr;
  (tail_ != nullptr ? tail_->next : head_) = node;
  tail_ = node;
  ++size_;
}

void NodeQueue::remove(QueueNode *node) {
  if (!node->in_queue) return;
  (node->prev != nullptr ? node->prev->next : head_) = node->next;
  (node->next != nullptr ? node->next->prev : tail_) = node->prev;
  node->prev = node->next = nullptr;
  node->in_queue = false;
  --size_;
}

TokenBucket::TokenBucket(double rate_per_s, double burst, Clock::time_point now)
    : rate_(std::max(rate_per_s, 1e-3)),
      burst_(std::max(burst, 1.0)),
      tokens_(burst_),
      last_(now) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now <= last_) return;
  const double elapsed_s = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed_s * rate_);
  last_ = now;
}

// Rounding of the refill must not leave a token just short of whole after next_token()'s wait.
constexpr double kWhole = 1.0 - 1e-9;

bool TokenBucket::take(Clock::time_point now) {
  refill(now);
  if (tokens_ < kWhole) return false;
  tokens_ -= 1.0;
  return true;
}

Clock::time_point TokenBucket::next_token(Clock::time_point now) {
  refill(now);
  if (tokens_ >= kWhole) return now;
  const double wait_s = (1.0 - tokens_) / rate_;
  return now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait_s)) +
         Clock::duration(1);
}

}  // namespace sdrs
