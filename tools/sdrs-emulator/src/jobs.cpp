// Jobs: every asynchronous call starts one; its resource transition is applied when it is due.
#include "common.hpp"

namespace emu {
namespace {

struct ActionInfo {
  const char *job_type;
  const char *running;
  const char *success;  // nullptr: the group is removed
  const char *error;
  const char *default_code;
  const char *default_reason;
};

const ActionInfo &action_info(Action a) {
  static const ActionInfo kInfo[] = {
      {"createProtectionGroupNoCG", "creating", "available", "error", "SDRS.1014",
       "create server group failed"},
      {"deleteProtectionGroupNoCG", "deleting", nullptr, "error-deleting", "SDRS.1016",
       "delete server group failed"},
      {"startProtectionGroupNoCG", "starting", "protected", "error-starting", "SDRS.1027",
       "start protection of server group failed"},
      {"reprotectProtectionGroupNoCG", "reprotecting", "protected", "error-reprotecting",
       "SDRS.1032", "reprotect server group failed"},
      {"stopProtectionGroupNoCG", "stopping", "available", "error-stopping", "SDRS.1028",
       "stop protection of server group failed"},
      {"failoverProtectionGroupNoCG", "failing-over", "failed-over", "error-failing-over",
       "SDRS.1030", "failover of server group failed"},
      {"reverseProtectionGroupNoCG", "reversing", "protected", "error-reversing", "SDRS.1029",
       "planned failover of server group failed"},
  };
  return kInfo[static_cast<int>(a)];
}

}  // namespace

std::string Emulator::job_json(const Job &j, int64_t now) {
  int64_t end = j.begin_ms + j.init_ms + j.run_ms;
  const char *status = "SUCCESS";
  if (now < j.begin_ms + j.init_ms) {
    status = "INIT";
  } else if (now < end) {
    status = "RUNNING";
  } else if (j.fail) {
    status = "FAIL";
  }
  bool done = now >= end;
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("job_id");
  write_str(w, j.id);
  w.Key("job_type");
  w.String(action_info(j.action).job_type);
  w.Key("status");
  w.String(status);
  w.Key("begin_time");
  write_str(w, format_time(j.begin_ms, true));
  w.Key("end_time");
  if (done) {
    write_str(w, format_time(end, true));
  } else {
    w.Null();
  }
  w.Key("error_code");
  if (done && j.fail) {
    write_str(w, j.error_code);
  } else {
    w.Null();
  }
  w.Key("fail_reason");
  if (done && j.fail) {
    write_str(w, j.fail_reason);
  } else {
    w.Null();
  }
  w.Key("entities");
  w.StartObject();
  w.Key("server_group_id");
  write_str(w, j.group_id);
  w.EndObject();
  w.EndObject();
  return buffer_text(sb);
}

Job &Emulator::start_job(Action action, Group &g, int64_t now) {
  const ActionInfo &info = action_info(action);
  Job j;
  j.id = random_hex(32);
  j.action = action;
  j.group_id = g.id;
  j.begin_ms = now;
  j.init_ms = init_ms_;
  j.run_ms = run_ms_;
  if (fail_next_count_ > 0) {
    fail_next_count_--;
    j.fail = true;
    j.error_code = fail_next_code_.empty() ? info.default_code : fail_next_code_;
    j.fail_reason = fail_next_reason_.empty() ? info.default_reason : fail_next_reason_;
  } else if (action == Action::kCreate && g.name.compare(0, 5, "fail-") == 0) {
    j.fail = true;
    j.error_code = info.default_code;
    j.fail_reason = info.default_reason;
  }
  g.status = info.running;
  g.updated_ms = now;
  due_.emplace(now + j.init_ms + j.run_ms, j.id);
  auto res = jobs_.emplace(j.id, std::move(j));
  return res.first->second;
}

void Emulator::settle(int64_t now) {
  while (!due_.empty() && due_.top().first <= now) {
    auto top = due_.top();
    due_.pop();
    auto it = jobs_.find(top.second);
    if (it != jobs_.end() && !it->second.settled) finish(it->second, top.first);
  }
}

void Emulator::finish(Job &job, int64_t end_ms) {
  job.settled = true;
  auto it = groups_.find(job.group_id);
  if (it == groups_.end()) return;
  Group &g = *it->second;
  const ActionInfo &info = action_info(job.action);
  g.updated_ms = end_ms;
  if (job.fail) {
    g.status = info.error;
    return;
  }
  if (info.success == nullptr) {  // delete
    order_.erase(g.seq);
    groups_.erase(it);
    return;
  }
  g.status = info.success;
  if (job.action == Action::kFailover) {
    // The old DR site becomes the production site.
    g.priority_station = g.priority_station == "source" ? "target" : "source";
  } else if (job.action == Action::kReverse) {
    g.priority_station = job.priority_station;
  }
}

Response Emulator::get_job(const std::string &id, int64_t now) {
  auto it = jobs_.find(id);
  if (it == jobs_.end())
    return error_response(404, "itemNotFound", "SDRS.0408", "job " + id + " not found");
  return Response{200, job_json(it->second, now)};
}

}  // namespace emu
