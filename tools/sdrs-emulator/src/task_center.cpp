// The task center (spec-more 7: the failed jobs every resource's jobs record) and the tenant
// quota (8: counted from the real groups and pairs).
#include <vector>

#include "common.hpp"

namespace emu {
namespace {

bool group_level(const FailureJob &f) {
  return f.resource_type == "server_groups";
}

Response no_content() {
  return Response{204, ""};
}

}  // namespace

Response Emulator::task_center_route(const Request &req, const Segs &segs) {
  const std::string &m = req.method;
  const size_t n = segs.size();
  // /task-center/failure-jobs[/batch | /{failure_job_id}]
  if (n >= 4 && segs[3] == "failure-jobs") {
    if (n == 4) return m == "GET" ? list_failures(req) : bad_method();
    if (n != 5) return no_route();
    if (m != "DELETE") return bad_method();
    std::vector<std::string> doomed;
    if (segs[4] == "batch") {
      // The literal wins over an id (spec-more 1). Only group-level failures go (7.4, 13 C8).
      for (const auto &entry : failures_) {
        if (group_level(entry.second)) doomed.push_back(entry.second.id);
      }
    } else {
      // Which id this takes is UNCONFIRMED (13 C9): a job_id, else every record of a resource
      // id. An id that matches nothing changes nothing, and the call stays a success.
      for (const auto &entry : failures_) {
        if (entry.second.id == segs[4]) doomed.push_back(entry.second.id);
      }
      if (doomed.empty()) {
        for (const auto &entry : failures_) {
          if (entry.second.resource_id == segs[4]) doomed.push_back(entry.second.id);
        }
      }
    }
    for (const std::string &id : doomed) failures_.erase(id);
    return no_content();
  }
  // /task-center/{server_group_id}/failure-jobs/batch: the failures inside one group (7.3).
  if (n == 6 && segs[4] == "failure-jobs" && segs[5] == "batch") {
    if (m != "DELETE") return bad_method();
    std::vector<std::string> doomed;
    for (const auto &entry : failures_) {
      const FailureJob &f = entry.second;
      if (!group_level(f) && f.server_group_id == segs[3]) doomed.push_back(f.id);
    }
    for (const std::string &id : doomed) failures_.erase(id);
    return no_content();
  }
  return no_route();
}

Response Emulator::list_failures(const Request &req) {
  int64_t limit = 0, offset = 0;
  Response err;
  if (!parse_paging(req, &limit, &offset, &err)) return err;
  const std::string *group = filter_param(req, "server_group_id");
  const std::string *status = filter_param(req, "failure_status");
  const std::string *name = filter_param(req, "resource_name");
  const std::string *type = filter_param(req, "resource_type");
  if (status != nullptr && !one_of(*status, {"createFail", "deleteFail", "attachFail", "detachFail",
                                             "expandFail", "resizeFail", "startFail", "stopFail",
                                             "reverseFail", "failoverFail", "reprotectFail"})) {
    return bad_request("SDRS.0201", "failure_status " + *status + " is not a known value");
  }
  if (type != nullptr && !one_of(*type, {"server_groups", "protected_instances", "replications",
                                         "disaster_recovery_drills"})) {
    return bad_request("SDRS.0201", "resource_type " + *type + " is not a known value");
  }
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("failure_jobs");
  w.StartArray();
  int64_t count = 0, emitted = 0;
  for (const auto &entry : failures_) {
    const FailureJob &f = entry.second;
    // Without a group: the group-level failures; with one: the failures inside it (7.1).
    if (group == nullptr ? !group_level(f) : (group_level(f) || f.server_group_id != *group)) {
      continue;
    }
    if (status != nullptr && f.failure_status != *status) continue;
    if (type != nullptr && f.resource_type != *type) continue;
    if (name != nullptr && f.resource_name.find(*name) == std::string::npos) continue;
    count++;
    if (count <= offset || emitted >= limit) continue;
    emitted++;
    w.StartObject();
    w.Key("job_id");
    write_str(w, f.id);
    w.Key("job_type");
    write_str(w, f.job_type);
    w.Key("job_status");
    w.String("FAIL");
    w.Key("resource_id");
    write_str(w, f.resource_id);
    w.Key("resource_name");
    write_str(w, f.resource_name);
    w.Key("resource_type");
    write_str(w, f.resource_type);
    w.Key("failure_status");
    write_str(w, f.failure_status);
    w.Key("begin_time");
    write_str(w, format_time(f.begin_ms, true));
    w.Key("error_code");
    write_str(w, f.error_code);
    w.Key("fail_reason");
    write_str(w, f.fail_reason);
    w.EndObject();
  }
  w.EndArray();
  w.Key("count");
  w.Int64(count);
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::quotas() {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  auto resource = [&w](const char *type, size_t used, int64_t quota) {
    w.StartObject();
    w.Key("type");
    w.String(type);
    w.Key("used");
    w.Int64(static_cast<int64_t>(used));
    w.Key("quota");
    w.Int64(quota);
    w.Key("min");
    w.Int64(0);
    w.Key("max");
    w.Int64(-1);
    w.EndObject();
  };
  w.StartObject();
  w.Key("quotas");
  w.StartObject();
  w.Key("resources");
  w.StartArray();
  resource("server_groups", groups_.size(), max_groups_);
  resource("replications", pairs_.size(), max_replications_);
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

}  // namespace emu
