// The helpers every capi file shares: storing errors, handing out strings, converting the
// call and wait options, wrapping results in their handles.
#include <cstdlib>
#include <cstring>

#include "capi/handles.hpp"

namespace sdrs::capi {

void store_error(sdrs_error **err, ErrorInfo info) noexcept {
  if (err == nullptr) return;
  try {
    *err = new sdrs_error{std::move(info)};
  } catch (...) {
    *err = nullptr;  // no memory even for the error: the return code still says what happened
  }
}

char *dup_string(const std::string &s) {
  auto *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

CallContext call_context(const sdrs_call_opts *opts) {
  if (opts == nullptr) return CallContext{};
  return CallContext::with_timeout(opts->timeout_ms,
                                   opts->cancel != nullptr ? &opts->cancel->token : nullptr);
}

int32_t status_code(const char *const *names, size_t count, const char *status) {
  if (status == nullptr) return 0;
  for (size_t i = 1; i < count; ++i) {
    if (std::strcmp(status, names[i]) == 0) return static_cast<int32_t>(i);
  }
  return 0;
}

const char *status_name(const char *const *names, size_t count, int32_t status) {
  return status >= 0 && static_cast<size_t>(status) < count ? names[status] : names[0];
}

sdrs_job make_job(Job &&job) {
  sdrs_job out{std::move(job), {}};
  // The sub-jobs move into their handles: the C API reads them only from there.
  std::vector<Job> subs = std::move(out.job.sub_jobs);
  out.job.sub_jobs.clear();
  out.subs.reserve(subs.size());
  for (auto &sub : subs) out.subs.push_back(make_job(std::move(sub)));
  return out;
}

}  // namespace sdrs::capi
