// The job waiter: poll, report progress, sleep with backoff, until a final status, the
// deadline or a cancel; and what create-and-wait needs of a finished job.
#include "client/wait.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"

namespace sdrs {

uint64_t clock_seed() {
  return static_cast<uint64_t>(Clock::now().time_since_epoch().count()) ^
         static_cast<uint64_t>(std::random_device{}());
}

ErrorInfo job_failure(const std::string &job_id, const Job &job) {
  ErrorInfo info;
  info.code = Code::kJobFailed;
  info.job_id = job_id;
  info.api_code = job.error_code().value_or("");
  info.fail_reason = job.fail_reason().value_or("");
  info.body = job.json();
  info.message =
      "job " + job_id + " (" + std::string(job.type().value_or("unknown type")) + ") failed";
  if (!info.api_code.empty()) info.message += ": " + info.api_code;
  if (!info.fail_reason.empty()) info.message += ": " + info.fail_reason;
  return info;
}

JobWait::JobWait(std::string job_id, const WaitOptions &options, Clock::time_point deadline)
    : job_id_(std::move(job_id)),
      progress_(options.progress),
      backoff_(options.backoff, options.seed != 0 ? options.seed : clock_seed()),
      deadline_(deadline),
      timeout_ms_(options.timeout_ms) {}

Clock::time_point JobWait::next_poll(Clock::time_point now, bool *at_deadline) {
  const auto wake = now + std::chrono::milliseconds(backoff_.next_ms());
  *at_deadline = has_deadline() && wake >= deadline_;
  return *at_deadline ? deadline_ : wake;
}

void JobWait::poll_failed(Failure &f) {
  ErrorInfo &info = f.info();
  requests_ += info.attempts;
  const bool transient = info.retryable && info.code != Code::kCanceled;
  // The deadline has passed when less than a millisecond is left (CallContext::remaining_ms).
  if (info.code == Code::kTimeout && has_deadline() &&
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count() <=
          0) {
    throw expired();
  }
  if (!transient) {
    info.attempts = requests_;
    throw f;
  }
  last_state_ = info.message;
}

bool JobWait::poll_read(Job &job, int32_t attempts, int32_t http_status, Job *final_job) {
  requests_ += attempts;
  last_state_ = "status " + std::string(job.status().value_or("?"));
  if (progress_ && !progress_(job)) throw canceled("stopped by the progress callback");
  if (job.status() == "SUCCESS") return true;
  if (job.status() == "FAIL") {
    ErrorInfo info = job_failure(job_id_, job);
    info.attempts = requests_;
    info.http_status = http_status;
    if (final_job != nullptr) *final_job = std::move(job);
    throw Failure(std::move(info));
  }
  return false;
}

Failure JobWait::expired() const {
  ErrorInfo info;
  info.code = Code::kTimeout;
  info.job_id = job_id_;
  info.attempts = requests_;
  info.message = "waiting for job " + job_id_ + ": deadline of " + std::to_string(timeout_ms_) +
                 " ms expired after " + std::to_string(polls_) + " polls" +
                 (last_state_.empty() ? "" : " (last: " + last_state_ + ")");
  return Failure(std::move(info));
}

Failure JobWait::canceled(const std::string &why) const {
  ErrorInfo info(Code::kCanceled, "waiting for job " + job_id_ + ": " + why);
  info.attempts = requests_;
  return Failure(std::move(info));
}

Job Client::wait_job(const std::string &job_id, const WaitOptions &options, Job *final_job,
                     CallStats *stats) {
  validate_path_segment("job_id", job_id);
  const CallContext ctx = CallContext::with_timeout(options.timeout_ms, options.cancel);
  JobWait wait(job_id, options, ctx.deadline);
  for (;;) {
    bool at_deadline = false;
    const auto until = wait.next_poll(Clock::now(), &at_deadline);
    const bool canceled = options.cancel != nullptr ? options.cancel->sleep_until(until)
                                                    : (std::this_thread::sleep_until(until), false);
    if (canceled) throw wait.canceled("canceled");
    if (at_deadline) throw wait.expired();
    CallStats poll;
    Job job;
    try {
      wait.poll_started();
      job = poll_job(job_id, ctx, &poll);
    } catch (Failure &f) {
      wait.poll_failed(f);
      continue;
    }
    if (wait.poll_read(job, poll.attempts, poll.http_status, final_job)) {
      if (stats != nullptr) *stats = CallStats{wait.requests(), poll.http_status};
      return job;
    }
  }
}

WaitOptions Client::remaining(const WaitOptions &options, const CallContext &ctx) {
  WaitOptions rest = options;
  rest.timeout_ms = ctx.has_deadline() ? std::max<int64_t>(ctx.remaining_ms(), 1) : 0;
  return rest;
}

std::string created_entity_id(const Job &job, const char *key) {
  if (const char *id = job.entity(key)) return id;
  for (const auto &sub : job.sub_jobs) {
    if (const char *id = sub.entity(key)) return id;
  }
  fail(Code::kProtocol,
       "job " + std::string(job.id().value_or("?")) + " succeeded without entities." + key);
}

}  // namespace sdrs
