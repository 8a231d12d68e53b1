// Jobs (spec 5): what GET /jobs/{id} returns, polled by the waiter. The job keeps a
// hand-written decoder (job_codec.cpp) instead of a RecordDef table: it is on the poll path of
// every wait, and its entities map with nested sub-jobs is its own shape (see
// docs/architecture.md, "Why the job is not a table").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/models.hpp"

namespace sdrs {

struct Job {
  std::string json;
  OptString id, type, status, begin_time, end_time, error_code, fail_reason;
  int64_t begin_ms = kTimeNone;
  int64_t end_ms = kTimeNone;
  std::map<std::string, std::string> entities;  // scalar entries, numbers/bools as JSON text
  std::vector<Job> sub_jobs;

  bool finished() const { return status == "SUCCESS" || status == "FAIL"; }
  const char *entity(const std::string &key) const {
    const auto it = entities.find(key);
    return it == entities.end() ? nullptr : it->second.c_str();
  }
};

// {"job_id": "..."}: the answer of every asynchronous call (non-empty id).
std::string decode_job_id(const std::string &body);
// A job object; its json is the body as received.
Job decode_job(const std::string &body);

namespace detail {

// The two passes behind decode_job, apart for the tests that compare them: the scanner takes
// the common job objects (false for anything else, *out then partly filled), the SAX decoder
// takes everything and throws the errors.
bool scan_job(const std::string &body, Job *out);
Job sax_job(const std::string &body);

}  // namespace detail

}  // namespace sdrs
