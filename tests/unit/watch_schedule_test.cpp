// The job watcher's scheduling pieces: the timer heap (order, removal from the middle), the
// ready queue and the token bucket that caps polls per second.
#include "client/watch_schedule.hpp"

#include "client/wait.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

namespace sdrs {
namespace {

using std::chrono::milliseconds;

Clock::time_point at(int64_t ms) {
  return Clock::time_point() + milliseconds(ms);
}

TEST(TimerHeap, PopsInDueOrder) {
  std::vector<TimerNode> nodes(200);
  std::mt19937 rng(7);
  TimerHeap heap;
  for (auto &n : nodes) {
    n.due = at(rng() % 1000);
    heap.push(&n);
  }
  EXPECT_EQ(heap.size(), nodes.size());
  Clock::time_point last = at(0);
  while (!heap.empty()) {
    TimerNode *n = heap.pop();
    EXPECT_GE(n->due, last);
    EXPECT_FALSE(n->queued());
    last = n->due;
  }
  EXPECT_EQ(heap.pop(), nullptr);
}

// Removing nodes from anywhere keeps the order of the others (the hole is refilled both ways).
TEST(TimerHeap, RemovesFromTheMiddle) {
  std::vector<TimerNode> nodes(300);
  std::mt19937 rng(11);
  TimerHeap heap;
  for (auto &n : nodes) {
    n.due = at(rng() % 500);
    heap.push(&n);
  }
  std::vector<TimerNode *> removed;
  for (size_t i = 0; i < nodes.size(); i += 3) {
    heap.remove(&nodes[i]);
    EXPECT_FALSE(nodes[i].queued());
    removed.push_back(&nodes[i]);
  }
  heap.remove(&nodes[0]);  // not queued any more: nothing happens
  EXPECT_EQ(heap.size(), nodes.size() - removed.size());
  Clock::time_point last = at(0);
  size_t popped = 0;
  while (TimerNode *n = heap.pop()) {
    EXPECT_GE(n->due, last);
    EXPECT_EQ(std::find(removed.begin(), removed.end(), n), removed.end());
    last = n->due;
    ++popped;
  }
  EXPECT_EQ(popped, nodes.size() - removed.size());
}

TEST(TimerHeap, RequeueAfterPop) {
  TimerNode a, b;
  a.due = at(5);
  b.due = at(10);
  TimerHeap heap;
  heap.push(&a);
  heap.push(&b);
  EXPECT_EQ(heap.top(), &a);
  heap.pop();
  a.due = at(20);
  heap.push(&a);
  EXPECT_EQ(heap.pop(), &b);
  EXPECT_EQ(heap.pop(), &a);
  EXPECT_TRUE(heap.empty());
}

TEST(NodeQueue, FifoWithRemoval) {
  QueueNode n[4];
  NodeQueue q;
  for (auto &node : n) q.push_back(&node);
  q.push_back(&n[1]);  // already queued: stays where it is
  EXPECT_EQ(q.size(), 4u);
  q.remove(&n[1]);
  q.remove(&n[1]);  // twice: nothing
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.front(), &n[0]);
  q.remove(&n[0]);
  EXPECT_EQ(q.front(), &n[2]);
  q.remove(&n[3]);
  q.push_back(&n[0]);
  EXPECT_EQ(q.front(), &n[2]);
  q.remove(&n[2]);
  EXPECT_EQ(q.front(), &n[0]);
  q.remove(&n[0]);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.front(), nullptr);
}

TEST(TokenBucket, BurstThenRate) {
  TokenBucket bucket(20.0, 2.0, at(0));
  EXPECT_TRUE(bucket.take(at(0)));
  EXPECT_TRUE(bucket.take(at(0)));
  EXPECT_FALSE(bucket.take(at(0)));
  // One token per 50 ms.
  const Clock::time_point next = bucket.next_token(at(0));
  EXPECT_GE(next, at(49));
  EXPECT_LE(next, at(51));
  EXPECT_FALSE(bucket.take(at(49)));
  EXPECT_TRUE(bucket.take(next));
  EXPECT_FALSE(bucket.take(next));
}

// Over any stretch of time the bucket hands out at most burst + rate * seconds tokens, and
// taking at every next_token() reaches that rate.
TEST(TokenBucket, HoldsTheRateOverTime) {
  TokenBucket bucket(100.0, 10.0, at(0));
  int taken = 0;
  Clock::time_point now = at(0);
  while (now < at(5000)) {
    if (bucket.take(now)) {
      ++taken;
    } else {
      now = bucket.next_token(now);
    }
  }
  EXPECT_LE(taken, 10 + 100 * 5 + 1);
  EXPECT_GE(taken, 10 + 100 * 5 - 1);
}

TEST(TokenBucket, RefillIsCappedAtTheBurst) {
  TokenBucket bucket(1000.0, 3.0, at(0));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.take(at(0)));
  // A long idle time refills 3 tokens, not 10,000.
  int taken = 0;
  while (bucket.take(at(10000))) ++taken;
  EXPECT_EQ(taken, 3);
  EXPECT_EQ(bucket.next_token(at(20000)), at(20000));
}

}  // namespace
}  // namespace sdrs

// The wait rules wait_job and the watcher share (client/wait.hpp).
namespace sdrs {
namespace {

WaitOptions no_jitter(int64_t timeout_ms) {
  WaitOptions o;
  o.backoff.initial_ms = 100;
  o.backoff.max_ms = 400;
  o.backoff.multiplier_pct = 200;
  o.backoff.jitter_pct = 0;
  o.timeout_ms = timeout_ms;
  o.seed = 1;
  return o;
}

TEST(JobWait, ScheduleIsCutAtTheDeadline) {
  const Clock::time_point start = at(1000);
  JobWait wait("job-1", no_jitter(350), start + milliseconds(350));
  bool at_deadline = true;
  EXPECT_EQ(wait.next_poll(start, &at_deadline), start + milliseconds(100));
  EXPECT_FALSE(at_deadline);
  EXPECT_EQ(wait.next_poll(start + milliseconds(100), &at_deadline), start + milliseconds(300));
  EXPECT_FALSE(at_deadline);
  // 300 + 400 passes 350: the step ends at the deadline.
  EXPECT_EQ(wait.next_poll(start + milliseconds(300), &at_deadline), start + milliseconds(350));
  EXPECT_TRUE(at_deadline);
}

TEST(JobWait, TransientFailuresAreRiddenOutOthersEndTheWait) {
  JobWait wait("job-1", no_jitter(0), Clock::time_point::max());
  EXPECT_FALSE(wait.has_deadline());
  wait.poll_started();
  ErrorInfo busy(Code::kServer, "GET /jobs/job-1: HTTP 503");
  busy.retryable = true;
  busy.attempts = 4;
  Failure transient(busy);
  EXPECT_NO_THROW(wait.poll_failed(transient));
  EXPECT_EQ(wait.requests(), 4);
  wait.poll_started();
  Failure gone(ErrorInfo(Code::kNotFound, "GET /jobs/job-1: HTTP 404"));
  gone.info().attempts = 1;
  try {
    wait.poll_failed(gone);
    FAIL() << "a 404 must end the wait";
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, Code::kNotFound);
    EXPECT_EQ(f.info().attempts, 5);  // the wait's requests, not the last poll's
  }
  // A canceled poll is never ridden out, even when marked retryable.
  ErrorInfo canceled(Code::kCanceled, "canceled");
  canceled.retryable = true;
  Failure stop(canceled);
  EXPECT_THROW(wait.poll_failed(stop), Failure);
}

TEST(JobWait, ReadsEndOnSuccessFailOrProgressStop) {
  WaitOptions o = no_jitter(0);
  int reports = 0;
  o.progress = [&reports](const Job &) { return ++reports < 3; };
  JobWait wait("job-9", o, Clock::time_point::max());
  Job running = decode_job(R"({"status":"RUNNING"})");
  EXPECT_FALSE(wait.poll_read(running, 1, 200, nullptr));
  Job failed =
      decode_job(R"({"status":"FAIL","error_code":"SDRS.1030","job_type":"createServerGroup"})");
  Job final_job;
  try {
    wait.poll_read(failed, 2, 200, &final_job);
    FAIL() << "FAIL must throw";
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, Code::kJobFailed);
    EXPECT_EQ(f.info().api_code, "SDRS.1030");
    EXPECT_EQ(f.info().attempts, 3);
    EXPECT_EQ(f.info().http_status, 200);
    EXPECT_EQ(final_job.status(), "FAIL");
  }
  // The third report returns false: canceled, whatever the status.
  Job done = decode_job(R"({"status":"SUCCESS"})");
  try {
    wait.poll_read(done, 1, 200, nullptr);
    FAIL() << "the progress callback stopped the wait";
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, Code::kCanceled);
    EXPECT_NE(f.info().message.find("progress callback"), std::string::npos);
  }
  JobWait plain("job-2", no_jitter(0), Clock::time_point::max());
  EXPECT_TRUE(plain.poll_read(done, 1, 200, nullptr));
}

TEST(JobWait, ExpiredNamesTheDeadlinePollsAndLastState) {
  JobWait wait("job-3", no_jitter(1500), at(1500));
  wait.poll_started();
  Job running = decode_job(R"({"status":"RUNNING"})");
  wait.poll_read(running, 2, 200, nullptr);
  const Failure f = wait.expired();
  EXPECT_EQ(f.info().code, Code::kTimeout);
  EXPECT_EQ(f.info().job_id, "job-3");
  EXPECT_EQ(f.info().attempts, 2);
  EXPECT_EQ(f.info().message,
            "waiting for job job-3: deadline of 1500 ms expired after 1 polls (last: status "
            "RUNNING)");
}

}  // namespace
}  // namespace sdrs
