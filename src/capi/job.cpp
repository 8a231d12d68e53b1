// Jobs: one poll, getters, wait options and the waiter.
#include <cstring>

#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::Code;
using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;

namespace {

const char *const kJobStatusNames[] = {"UNKNOWN", "INIT", "RUNNING", "SUCCESS", "FAIL"};

int32_t job_status_code(const sdrs::Job::Text &status) {
  if (!status) return SDRS_JOB_UNKNOWN;
  for (int32_t i = 1; i < 5; ++i) {
    if (*status == kJobStatusNames[i]) return i;
  }
  return SDRS_JOB_UNKNOWN;
}

template <typename Fn>
int set(sdrs_wait_opts *opts, sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] { fn(*need(opts, "opts")); });
}

}  // namespace

namespace sdrs::capi {

// Shared by sdrs_job_wait and sdrs_pg_create_and_wait.
WaitOptions wait_options(const sdrs_wait_opts *opts) {
  WaitOptions w;
  if (opts == nullptr) return w;
  w.backoff = opts->backoff;
  w.timeout_ms = opts->timeout_ms;
  w.cancel = opts->cancel != nullptr ? &opts->cancel->token : nullptr;
  if (opts->progress != nullptr) {
    const sdrs_progress_cb cb = opts->progress;
    void *userdata = opts->userdata;
    w.progress = [cb, userdata](const Job &job) {
      const sdrs_job view = make_job(Job(job));
      return cb(&view, userdata) == 0;
    };
  }
  return w;
}

}  // namespace sdrs::capi

extern "C" {

SDRS_API int sdrs_job_poll(sdrs_job **out, sdrs_client *client, const char *job_id,
                           const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    sdrs::Job job = need(client, "client")
                        ->impl->poll_job(need(job_id, "job_id"), sdrs::capi::call_context(opts));
    *out = new sdrs_job(sdrs::capi::make_job(std::move(job)));
  });
}

SDRS_API void sdrs_job_free(sdrs_job *job) {
  delete job;
}

SDRS_API const char *sdrs_job_id(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.c_str(sdrs::Job::kId);
}
SDRS_API const char *sdrs_job_type(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.c_str(sdrs::Job::kType);
}
SDRS_API int32_t sdrs_job_status(const sdrs_job *job) {
  return job == nullptr ? SDRS_JOB_UNKNOWN : job_status_code(job->job.status());
}
SDRS_API const char *sdrs_job_status_str(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.c_str(sdrs::Job::kStatus);
}
SDRS_API const char *sdrs_job_begin_time(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.c_str(sdrs::Job::kBeginTime);
}
SDRS_API const char *sdrs_job_end_time(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.c_str(sdrs::Job::kEndTime);
}
SDRS_API int64_t sdrs_job_begin_time_ms(const sdrs_job *job) {
  return job == nullptr ? SDRS_TIME_NONE : job->job.begin_ms();
}
SDRS_API int64_t sdrs_job_end_time_ms(const sdrs_job *job) {
  return job == nullptr ? SDRS_TIME_NONE : job->job.end_ms();
}
SDRS_API const char *sdrs_job_error_code(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.c_str(sdrs::Job::kErrorCode);
}
SDRS_API const char *sdrs_job_fail_reason(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.c_str(sdrs::Job::kFailReason);
}
SDRS_API const char *sdrs_job_entity(const sdrs_job *job, const char *key) {
  return job == nullptr || key == nullptr ? nullptr : job->job.entity(key);
}
SDRS_API size_t sdrs_job_sub_job_count(const sdrs_job *job) {
  return job == nullptr ? 0 : job->subs.size();
}
SDRS_API const sdrs_job *sdrs_job_sub_job(const sdrs_job *job, size_t index) {
  return job == nullptr || index >= job->subs.size() ? nullptr : &job->subs[index];
}
SDRS_API const char *sdrs_job_json(const sdrs_job *job) {
  return job == nullptr ? nullptr : job->job.json_c_str();
}
SDRS_API const char *sdrs_job_status_name(int32_t status) {
  return status >= 0 && status < 5 ? kJobStatusNames[status] : kJobStatusNames[0];
}

SDRS_API int sdrs_wait_opts_new(sdrs_wait_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}

SDRS_API void sdrs_wait_opts_free(sdrs_wait_opts *opts) {
  delete opts;
}

SDRS_API int sdrs_wait_opts_set_initial_interval_ms(sdrs_wait_opts *opts, int64_t ms,
                                                    sdrs_error **err) {
  return set(opts, err, [&](sdrs_wait_opts &o) {
    sdrs::validate_range("initial_interval_ms", ms, 10, 600000);
    if (ms > o.backoff.max_ms) {
      sdrs::fail(Code::kValidation, "initial_interval_ms: must not exceed max_interval_ms (" +
                                        std::to_string(o.backoff.max_ms) + ")");
    }
    o.backoff.initial_ms = ms;
  });
}

SDRS_API int sdrs_wait_opts_set_max_interval_ms(sdrs_wait_opts *opts, int64_t ms,
                                                sdrs_error **err) {
  return set(opts, err, [&](sdrs_wait_opts &o) {
    sdrs::validate_range("max_interval_ms", ms, 10, 3600000);
    if (ms < o.backoff.initial_ms) {
      sdrs::fail(Code::kValidation, "max_interval_ms: must not be below initial_interval_ms (" +
                                        std::to_string(o.backoff.initial_ms) + ")");
    }
    o.backoff.max_ms = ms;
  });
}

SDRS_API int sdrs_wait_opts_set_multiplier_pct(sdrs_wait_opts *opts, int32_t pct,
                                               sdrs_error **err) {
  return set(opts, err, [&](sdrs_wait_opts &o) {
    sdrs::validate_range("multiplier_pct", pct, 100, 1000);
    o.backoff.multiplier_pct = pct;
  });
}

SDRS_API int sdrs_wait_opts_set_jitter_pct(sdrs_wait_opts *opts, int32_t pct, sdrs_error **err) {
  return set(opts, err, [&](sdrs_wait_opts &o) {
    sdrs::validate_range("jitter_pct", pct, 0, 100);
    o.backoff.jitter_pct = pct;
  });
}

SDRS_API int sdrs_wait_opts_set_timeout_ms(sdrs_wait_opts *opts, int64_t ms, sdrs_error **err) {
  return set(opts, err, [&](sdrs_wait_opts &o) {
    sdrs::validate_range("timeout_ms", ms, 0, INT64_C(86400000) * 365);
    o.timeout_ms = ms;
  });
}

SDRS_API int sdrs_wait_opts_set_cancel(sdrs_wait_opts *opts, sdrs_cancel *cancel,
                                       sdrs_error **err) {
  return set(opts, err, [&](sdrs_wait_opts &o) { o.cancel = cancel; });
}

SDRS_API int sdrs_wait_opts_set_progress(sdrs_wait_opts *opts, sdrs_progress_cb cb, void *userdata,
                                         sdrs_error **err) {
  return set(opts, err, [&](sdrs_wait_opts &o) {
    o.progress = cb;
    o.userdata = userdata;
  });
}

SDRS_API int sdrs_job_wait(sdrs_job **out, sdrs_client *client, const char *job_id,
                           const sdrs_wait_opts *opts, sdrs_error **err) {
  if (out != nullptr) *out = nullptr;
  sdrs::Job failed_job;
  const int rc = guarded(err, [&] {
    need(out, "out");
    sdrs::Job job = need(client, "client")
                        ->impl->wait_job(need_str(job_id, "job_id"), sdrs::capi::wait_options(opts),
                                         &failed_job);
    *out = new sdrs_job(sdrs::capi::make_job(std::move(job)));
  });
  // A FAIL job is still handed out so callers can inspect its sub-jobs.
  if (rc == SDRS_EJOBFAILED && out != nullptr && failed_job.status()) {
    try {
      *out = new sdrs_job(sdrs::capi::make_job(std::move(failed_job)));
    } catch (...) {
      *out = nullptr;  // out of memory: the error still carries the job's code and reason
    }
  }
  return rc;
}

}  // extern "C"
