// The job waiter: poll, report progress, sleep with backoff, until a final status, the
// deadline or a cancel.
#include <chrono>
#include <random>
#include <thread>

#include "core/client.hpp"
#include "core/error.hpp"

namespace sdrs {
namespace {

uint64_t clock_seed() {
  return static_cast<uint64_t>(Clock::now().time_since_epoch().count()) ^
         static_cast<uint64_t>(std::random_device{}());
}

ErrorInfo job_failure(const std::string &job_id, const Job &job) {
  ErrorInfo info;
  info.code = Code::kJobFailed;
  info.job_id = job_id;
  info.api_code = job.error_code.value_or("");
  info.fail_reason = job.fail_reason.value_or("");
  info.body = job.json;
  info.message = "job " + job_id + " (" + job.type.value_or("unknown type") + ") failed";
  if (!info.api_code.empty()) info.message += ": " + info.api_code;
  if (!info.fail_reason.empty()) info.message += ": " + info.fail_reason;
  return info;
}

}  // namespace

Job Client::wait_job(const std::string &job_id, const WaitOptions &options, Job *final_job) {
  validate_path_segment("job_id", job_id);
  const CallContext ctx = CallContext::with_timeout(options.timeout_ms, options.cancel);
  Backoff backoff(options.backoff, options.seed != 0 ? options.seed : clock_seed());
  int32_t polls = 0;
  auto expired = [&](const std::string &last) {
    ErrorInfo info;
    info.code = Code::kTimeout;
    info.job_id = job_id;
    info.attempts = polls;
    info.message = "waiting for job " + job_id + ": deadline of " +
                   std::to_string(options.timeout_ms) + " ms expired after " +
                   std::to_string(polls) + " polls" + (last.empty() ? "" : " (last: " + last + ")");
    return Failure(std::move(info));
  };
  std::string last_state;
  for (;;) {
    if (ctx.canceled()) fail(Code::kCanceled, "waiting for job " + job_id + ": canceled");
    try {
      ++polls;
      Job job = poll_job(job_id, ctx);
      last_state = "status " + job.status.value_or("?");
      if (options.progress && !options.progress(job)) {
        fail(Code::kCanceled, "waiting for job " + job_id + ": stopped by the progress callback");
      }
      if (job.status == "SUCCESS") return job;
      if (job.status == "FAIL") {
        if (final_job != nullptr) *final_job = job;
        throw Failure(job_failure(job_id, job));
      }
    } catch (Failure &f) {
      ErrorInfo &info = f.info();
      // A transient poll failure does not end the wait; the deadline bounds the retries.
      const bool transient = info.retryable && info.code != Code::kCanceled;
      if (info.code == Code::kTimeout && ctx.has_deadline() && ctx.remaining_ms() == 0) {
        throw expired(last_state);
      }
      if (!transient) {
        if (info.attempts < polls && info.code != Code::kJobFailed) info.attempts = polls;
        throw;
      }
      last_state = info.message;
    }
    const int64_t delay = backoff.next_ms();
    const auto wake = Clock::now() + std::chrono::milliseconds(delay);
    if (ctx.has_deadline() && wake >= ctx.deadline) {
      // Sleep to the deadline only; one last poll would land after it anyway.
      if (options.cancel != nullptr ? options.cancel->sleep_until(ctx.deadline)
                                    : (std::this_thread::sleep_until(ctx.deadline), false)) {
        fail(Code::kCanceled, "waiting for job " + job_id + ": canceled");
      }
      throw expired(last_state);
    }
    const bool canceled = options.cancel != nullptr ? options.cancel->sleep_until(wake)
                                                    : (std::this_thread::sleep_until(wake), false);
    if (canceled) fail(Code::kCanceled, "waiting for job " + job_id + ": canceled");
  }
}

}  // namespace sdrs
