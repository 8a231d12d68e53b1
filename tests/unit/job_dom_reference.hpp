// The job decoder as it was before the SAX one (a RapidJSON DOM walk), kept only as the
// reference the unit tests compare sdrs::decode_job with.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/models.hpp"

namespace sdrs::test {

// sdrs::Job as it was when this decoder was current (one std::string per text, a std::map of
// entities): what the reference decodes into.
struct RefJob {
  std::string json;
  OptString id, type, status, begin_time, end_time, error_code, fail_reason;
  int64_t begin_ms = kTimeNone;
  int64_t end_ms = kTimeNone;
  std::map<std::string, std::string> entities;
  std::vector<RefJob> sub_jobs;
};

RefJob decode_job_dom(const std::string &body);

}  // namespace sdrs::test
