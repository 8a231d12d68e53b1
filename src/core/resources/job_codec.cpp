// The job decoder, by hand (see job.hpp): one pass over the fields the poll path needs.
#include <string>

#include "core/codec_json.hpp"
#include "core/resources/job.hpp"
#include "core/time.hpp"

namespace sdrs {
namespace {

using json::bad;
using json::opt_string;
using json::Parsed;
using json::req_string;
using json::require_object;
using json::to_json;
using json::Value;

// `raw`: the JSON text v was parsed from, kept as the job's json instead of writing v again.
Job job_from(const Value &v, int depth, const std::string *raw = nullptr) {
  require_object(v, "job");
  if (depth > 8) bad("job: sub_jobs nested too deeply");
  Job job;
  job.json = raw != nullptr ? *raw : to_json(v);
  job.id = opt_string(v, "job_id", "job");
  job.type = opt_string(v, "job_type", "job");
  job.status = req_string(v, "status", "job");
  job.begin_time = opt_string(v, "begin_time", "job");
  job.end_time = opt_string(v, "end_time", "job");
  job.error_code = opt_string(v, "error_code", "job");
  job.fail_reason = opt_string(v, "fail_reason", "job");
  if (job.begin_time) job.begin_ms = parse_time_ms(*job.begin_time);
  if (job.end_time) job.end_ms = parse_time_ms(*job.end_time);
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
      // Objects/arrays other than sub_jobs are left to sdrs_job_json (forward compatible).
    }
  }
  return job;
}

}  // namespace

std::string decode_job_id(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  std::string id = req_string(doc, "job_id", "response");
  if (id.empty()) bad("response: 'job_id' is empty");
  return id;
}

Job decode_job(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  return job_from(doc, 0, &body);
}

}  // namespace sdrs
