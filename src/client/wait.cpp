// The job waiter: poll, report progress, sleep with backoff, until a final status, the
// deadline or a cancel; and what create-and-wait needs of a finished job.
#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"

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
  // Sleeps one backoff step (cut at the deadline); throws on cancel or once the deadline passed.
  auto sleep_step = [&] {
    const auto wake = Clock::now() + std::chrono::milliseconds(backoff.next_ms());
    const auto until = ctx.has_deadline() && wake >= ctx.deadline ? ctx.deadline : wake;
    const bool canceled = options.cancel != nullptr ? options.cancel->sleep_until(until)
                                                    : (std::this_thread::sleep_until(until), false);
    if (canceled) fail(Code::kCanceled, "waiting for job " + job_id + ": canceled");
    // A poll at or after the deadline could only fail: report the expiry instead.
    if (until == ctx.deadline) throw expired(last_state);
  };
  for (;;) {
    // The first read comes after the initial interval too: a job that was just submitted is
    // still INIT, and SDRS jobs run for seconds to minutes, so an immediate read only costs a
    // request (and breaks "at most one poll per second" for short jobs).
    sleep_step();
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
  fail(Code::kProtocol, "job " + job.id.value_or("?") + " succeeded without entities." + key);
}

}  // namespace sdrs
