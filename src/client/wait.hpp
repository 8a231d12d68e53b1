// One job wait's state and the rules Client::wait_job and the job watcher share: the poll
// schedule (backoff with jitter, cut at the deadline), what a poll's result means (progress
// callback, SUCCESS, FAIL, transient failures ridden out) and the errors a wait ends with.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "client/client.hpp"
#include "core/backoff.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"

namespace sdrs {

// A seed for a wait's jitter when the options give none.
uint64_t clock_seed();

class JobWait {
 public:
  // The deadline is Clock::time_point::max() for none (CallContext::deadline).
  JobWait(std::string job_id, const WaitOptions &options, Clock::time_point deadline);

  const std::string &job_id() const { return job_id_; }
  Clock::time_point deadline() const { return deadline_; }
  bool has_deadline() const { return deadline_ != Clock::time_point::max(); }
  int32_t requests() const { return requests_; }

  // When the next poll is due: one backoff step after `now`, cut at the deadline. The first
  // read comes after the initial interval too: a job that was just submitted is still INIT,
  // and SDRS jobs run for seconds to minutes, so an immediate read only costs a request (and
  // breaks "at most one poll per second" for short jobs). *at_deadline: the step was cut, so
  // the wait ends there with expired() instead of polling (a poll at or after the deadline
  // could only fail).
  Clock::time_point next_poll(Clock::time_point now, bool *at_deadline);

  void poll_started() { ++polls_; }
  // A poll failed with f (its attempts counted). A transient failure (the rule the transport
  // retries by: any 5xx, 429, a connection failure, whatever SDRS code came with it) returns:
  // the wait goes on, the deadline bounds the retries. Anything else is thrown: f itself
  // with the wait's requests as attempts, or expired() when f is the deadline passing.
  void poll_failed(Failure &f);
  // A successful status read of `attempts` requests: runs the progress callback (false:
  // throws canceled), then returns true on SUCCESS, throws job_failure() on FAIL (the final
  // job moved to *final_job when given) and returns false while the job runs.
  bool poll_read(Job &job, int32_t attempts, int32_t http_status, Job *final_job);

  // The wait's end at its deadline: "waiting for job J: deadline of T ms expired after N
  // polls (last: ...)".
  Failure expired() const;
  // The wait's end by a cancel: "waiting for job J: <why>" (kCanceled).
  Failure canceled(const std::string &why) const;

 private:
  std::string job_id_;
  std::function<bool(const Job &)> progress_;
  Backoff backoff_;
  std::string last_state_;  // for expired(): the last status read or transient failure
  Clock::time_point deadline_;
  int64_t timeout_ms_;
  int32_t polls_ = 0;     // status reads started
  int32_t requests_ = 0;  // HTTP requests they sent (a poll's own retries included)
};

// The error of a job that ended in FAIL: its error code, fail reason and JSON.
ErrorInfo job_failure(const std::string &job_id, const Job &job);

}  // namespace sdrs
