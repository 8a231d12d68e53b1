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

std::vector<sdrs_pg> wrap_groups(std::vector<Group> &&groups) {
  std::vector<sdrs_pg> out;
  out.reserve(groups.size());
  for (auto &g : groups) out.push_back(sdrs_pg{std::move(g)});
  return out;
}

sdrs_job make_job(Job job) {
  sdrs_job out;
  out.subs.reserve(job.sub_jobs.size());
  for (auto &sub : job.sub_jobs) out.subs.push_back(make_job(sub));
  out.job = std::move(job);
  return out;
}

}  // namespace sdrs::capi
