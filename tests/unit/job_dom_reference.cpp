// The former DOM job decoder, unchanged but for its name, the former timestamp parser and the
// former Job (RefJob; see job_dom_reference.hpp).
#include "job_dom_reference.hpp"

#include "core/codec_json.hpp"
#include "record_dom_reference.hpp"

namespace sdrs::test {
namespace {

using json::bad;
using json::opt_string;
using json::Parsed;
using json::req_string;
using json::require_object;
using json::to_json;
using json::Value;

RefJob job_from(const Value &v, int depth, const std::string *raw = nullptr) {
  require_object(v, "job");
  if (depth > 8) bad("job: sub_jobs nested too deeply");
  RefJob job;
  job.json = raw != nullptr ? *raw : to_json(v);
  job.id = opt_string(v, "job_id", "job");
  job.type = opt_string(v, "job_type", "job");
  job.status = req_string(v, "status", "job");
  job.begin_time = opt_string(v, "begin_time", "job");
  job.end_time = opt_string(v, "end_time", "job");
  job.error_code = opt_string(v, "error_code", "job");
  job.fail_reason = opt_string(v, "fail_reason", "job");
  if (job.begin_time) job.begin_ms = parse_time_ms_reference(*job.begin_time);
  if (job.end_time) job.end_ms = parse_time_ms_reference(*job.end_time);
  const auto ent = v.FindMember("entities");
  if (ent != v.MemberEnd() && !ent->value.IsNull()) {
    if (!ent->value.IsObject()) bad("job: 'entities' is not an object");
    for (const auto &m : ent->value.GetObject()) {
      const std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key == "sub_jobs") {
        if (m.value.IsNull()) continue;
        if (!m.value.IsArray()) bad("job: 'entities.sub_jobs' is not an array");
        for (const auto &sub : m.value.GetArray()) job.sub_jobs.push_back(job_from(sub, depth + 1));
      } else if (m.value.IsString()) {
        job.entities[key] = std::string(m.value.GetString(), m.value.GetStringLength());
      } else if (m.value.IsNumber() || m.value.IsBool()) {
        job.entities[key] = to_json(m.value);
      }
    }
  }
  return job;
}

}  // namespace

RefJob decode_job_dom(const std::string &body) {
  const Parsed parsed(body);
  return job_from(parsed.root(), 0, &body);
}

}  // namespace sdrs::test
