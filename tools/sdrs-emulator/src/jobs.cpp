// Jobs: every asynchronous call starts one; its resource transition is applied when it is due.
// Failed jobs leave a task-center record (spec-more 7).
#include "common.hpp"

namespace emu {
namespace {

struct ActionInfo {
  const char *job_type;
  const char *running;  // group actions: the status of the group and its members meanwhile
  const char *success;  // nullptr: the group is removed
  const char *error;
  const char *default_code;
  const char *default_reason;
  const char *failure_status;  // task center (spec-more 7.1)
  const char *resource_type;
};

// Indexed by Action. Default codes: the spec's "... failed" code of each operation.
const ActionInfo &action_info(Action a) {
  static const ActionInfo kInfo[] = {
      {"createProtectionGroupNoCG", "creating", "available", "error", "SDRS.1014",
       "create server group failed", "createFail", "server_groups"},
      {"deleteProtectionGroupNoCG", "deleting", nullptr, "error-deleting", "SDRS.1016",
       "delete server group failed", "deleteFail", "server_groups"},
      {"startProtectionGroupNoCG", "starting", "protected", "error-starting", "SDRS.1027",
       "start protection of server group failed", "startFail", "server_groups"},
      {"reprotectProtectionGroupNoCG", "reprotecting", "protected", "error-reprotecting",
       "SDRS.1032", "reprotect server group failed", "reprotectFail", "server_groups"},
      {"stopProtectionGroupNoCG", "stopping", "available", "error-stopping", "SDRS.1028",
       "stop protection of server group failed", "stopFail", "server_groups"},
      {"failoverProtectionGroupNoCG", "failing-over", "failed-over", "error-failing-over",
       "SDRS.1030", "failover of server group failed", "failoverFail", "server_groups"},
      {"reverseProtectionGroupNoCG", "reversing", "protected", "error-reversing", "SDRS.1029",
       "planned failover of server group failed", "reverseFail", "server_groups"},
      {"createProtectedInstanceNoCG", "creating", "", "error", "SDRS.1350",
       "create protected instance failed", "createFail", "protected_instances"},
      {"deleteProtectedInstanceNoCG", "deleting", nullptr, "error-deleting", "SDRS.1351",
       "delete protected instance failed", "deleteFail", "protected_instances"},
      {"attachReplicationPairNew", "attaching", "", "error-attaching", "SDRS.1821",
       "attach replication pair failed", "attachFail", "protected_instances"},
      {"detachReplicationPairNew", "detaching", "", "error-detaching", "SDRS.1822",
       "detach replication pair failed", "detachFail", "protected_instances"},
      // The task center's enum has no NIC value (spec-more 3.8, UNCONFIRMED): a NIC add is
      // recorded as an attach failure, a NIC delete as a detach failure.
      {"addNicNew", "nic-creating", "", "", "SDRS.1312", "add NIC failed", "attachFail",
       "protected_instances"},
      {"deleteNicNew", "nic-deleting", "", "", "SDRS.1313", "delete NIC failed", "detachFail",
       "protected_instances"},
      {"resizeProtectedInstanceNew", "resizing", "", "error-resizing", "SDRS.1329",
       "resize protected instance failed", "resizeFail", "protected_instances"},
      {"createReplicationPairNoCG", "creating", "", "error", "SDRS.1609",
       "create replication pair failed", "createFail", "replications"},
      {"deleteReplicationPairNoCG", "deleting", nullptr, "error-deleting", "SDRS.1607",
       "delete replication pair failed", "deleteFail", "replications"},
      {"expandReplicationPairNew", "extending", "", "error-extending", "SDRS.1820",
       "expand replication pair failed", "expandFail", "replications"},
      {"createDisasterRecoveryDrill", "creating", "", "error", "SDRS.1922",
       "create DR drill failed", "createFail", "disaster_recovery_drills"},
      {"deleteDisasterRecoveryDrill", "deleting", nullptr, "error-deleting", "SDRS.1923",
       "delete DR drill failed", "deleteFail", "disaster_recovery_drills"},
  };
  return kInfo[static_cast<int>(a)];
}

bool is_group_action(Action a) {
  return a <= Action::kReverse;
}

bool is_pair_action(Action a) {
  return a >= Action::kCreatePair && a <= Action::kExpandPair;
}

bool is_drill_action(Action a) {
  return a == Action::kCreateDrill || a == Action::kDeleteDrill;
}

// Instances and pairs in these statuses follow their group's protection actions; the others
// (transient, create/delete/attach/... errors, invalid, fault) stay as they are.
bool follows_group(const std::string &s) {
  return s == "available" || s == "protected" || s == "failed-over" || s == "error-starting" ||
         s == "error-stopping" || s == "error-reversing" || s == "error-failing-over" ||
         s == "error-reprotecting";
}

void entity(Writer &w, const char *key, const std::string &value) {
  if (value.empty()) return;
  w.Key(key);
  write_str(w, value);
}

// Every member of a job but its entities: the status follows from the clock (INIT, RUNNING,
// then SUCCESS or FAIL once begin + init + run has passed).
void write_job_fields(Writer &w, const std::string &id, const char *job_type, int64_t begin_ms,
                      int64_t init_ms, int64_t run_ms, bool fail, const std::string &error_code,
                      const std::string &fail_reason, int64_t now) {
  const int64_t end = begin_ms + init_ms + run_ms;
  const bool done = now >= end;
  const char *status = "SUCCESS";
  if (now < begin_ms + init_ms) {
    status = "INIT";
  } else if (!done) {
    status = "RUNNING";
  } else if (fail) {
    status = "FAIL";
  }
  w.Key("job_id");
  write_str(w, id);
  w.Key("job_type");
  w.String(job_type);
  w.Key("status");
  w.String(status);
  w.Key("begin_time");
  write_str(w, format_time(begin_ms, true));
  w.Key("end_time");
  if (done) {
    write_str(w, format_time(end, true));
  } else {
    w.Null();
  }
  w.Key("error_code");
  if (done && fail) {
    write_str(w, error_code);
  } else {
    w.Null();
  }
  w.Key("fail_reason");
  if (done && fail) {
    write_str(w, fail_reason);
  } else {
    w.Null();
  }
}

}  // namespace

std::string Emulator::job_json(const Job &j, int64_t now) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  write_job_fields(w, j.id, action_info(j.action).job_type, j.begin_ms, j.init_ms, j.run_ms, j.fail,
                   j.error_code, j.fail_reason, now);
  // server_group_id always (base 5); the resource keys of spec-more 9 where they apply.
  w.Key("entities");
  w.StartObject();
  w.Key("server_group_id");
  write_str(w, j.group_id);
  entity(w, "protected_instance_id", j.instance_id);
  entity(w, "native_server_id", j.native_server_id);
  entity(w, "replication_pair_id", j.pair_id);
  entity(w, "volume_ids", j.volume_ids);
  entity(w, "disaster_recovery_drill_id", j.drill_id);
  entity(w, "nic_id", j.nic_id);
  w.EndObject();
  w.EndObject();
  return buffer_text(sb);
}

Job &Emulator::new_job(Action action, const std::string &group_id, const std::string &resource_name,
                       int64_t now) {
  const ActionInfo &info = action_info(action);
  Job j;
  j.id = random_hex(32);
  j.action = action;
  j.group_id = group_id;
  j.resource_name = resource_name;
  j.begin_ms = now;
  j.init_ms = init_ms_;
  j.run_ms = draw_run_ms();
  const bool creates = action == Action::kCreate || action == Action::kCreateInstance ||
                       action == Action::kCreatePair || action == Action::kCreateDrill;
  if (fail_next_count_ > 0 &&
      (fail_next_job_type_.empty() || fail_next_job_type_ == info.job_type)) {
    fail_next_count_--;
    j.fail = true;
    j.error_code = fail_next_code_.empty() ? info.default_code : fail_next_code_;
    j.fail_reason = fail_next_reason_.empty() ? info.default_reason : fail_next_reason_;
  } else if (creates && resource_name.compare(0, 5, "fail-") == 0) {
    j.fail = true;
    j.error_code = info.default_code;
    j.fail_reason = info.default_reason;
  }
  due_.emplace(now + j.init_ms + j.run_ms, j.id);
  auto res = jobs_.emplace(j.id, std::move(j));
  return res.first->second;
}

Job &Emulator::start_job(Action action, Group &g, int64_t now) {
  const ActionInfo &info = action_info(action);
  Job &j = new_job(action, g.id, g.name, now);
  g.status = info.running;
  g.updated_ms = now;
  if (action != Action::kCreate && action != Action::kDelete) {
    for (auto &entry : instances_) {
      Instance &inst = entry.second;
      if (inst.group_id == g.id && follows_group(inst.status)) {
        inst.status = info.running;
        inst.updated_ms = now;
      }
    }
    for (auto &entry : pairs_) {
      Pair &p = entry.second;
      if (p.group_id == g.id && follows_group(p.status)) {
        p.status = info.running;
        p.updated_ms = now;
      }
    }
  }
  return j;
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
  if (job.fail) record_failure(job);
  if (is_group_action(job.action)) {
    finish_group_job(job, end_ms);
  } else if (is_pair_action(job.action)) {
    finish_pair_job(job, end_ms);
  } else if (is_drill_action(job.action)) {
    finish_drill_job(job, end_ms);
  } else {
    finish_instance_job(job, end_ms);
  }
}

void Emulator::finish_group_job(Job &job, int64_t end_ms) {
  auto it = groups_.find(job.group_id);
  if (it == groups_.end()) return;
  Group &g = *it->second;
  const ActionInfo &info = action_info(job.action);
  g.updated_ms = end_ms;
  const std::string running = info.running;
  const char *member_status = job.fail ? info.error : info.success;
  if (member_status != nullptr) {
    for (auto &entry : instances_) {
      Instance &inst = entry.second;
      if (inst.group_id != g.id || inst.status != running) continue;
      inst.status = member_status;
      inst.updated_ms = end_ms;
    }
    for (auto &entry : pairs_) {
      Pair &p = entry.second;
      if (p.group_id != g.id || p.status != running) continue;
      p.status = member_status;
      p.updated_ms = end_ms;
    }
  }
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
  const std::string before = g.priority_station;
  if (job.action == Action::kFailover) {
    // The old DR site becomes the production site.
    g.priority_station = g.priority_station == "source" ? "target" : "source";
  } else if (job.action == Action::kReverse) {
    g.priority_station = job.priority_station;
  }
  if (g.priority_station == before) return;
  // The new production servers run; after a planned failover the old ones are stopped (a
  // failover leaves them as the disaster left them).
  for (auto &entry : instances_) {
    Instance &inst = entry.second;
    if (inst.group_id != g.id) continue;
    const bool target = g.priority_station == "target";
    Server *now_prod = servers_.find(target ? inst.target_server : inst.source_server);
    Server *old_prod = servers_.find(target ? inst.source_server : inst.target_server);
    if (now_prod != nullptr && now_prod->status != "ERROR") now_prod->status = "ACTIVE";
    if (job.action == Action::kReverse && old_prod != nullptr && old_prod->status != "ERROR") {
      old_prod->status = "SHUTOFF";
    }
  }
}

void Emulator::record_failure(const Job &job) {
  const ActionInfo &info = action_info(job.action);
  FailureJob f;
  f.id = job.id;
  f.job_type = info.job_type;
  f.resource_type = info.resource_type;
  f.failure_status = info.failure_status;
  f.error_code = job.error_code;
  f.fail_reason = job.fail_reason;
  f.server_group_id = job.group_id;
  f.begin_ms = job.begin_ms;
  f.resource_name = job.resource_name;
  if (is_group_action(job.action)) {
    f.resource_id = job.group_id;
  } else if (is_drill_action(job.action)) {
    f.resource_id = job.drill_id;
    if (const Drill *d = drills_.find(job.drill_id)) f.resource_name = d->name;
  } else if (is_pair_action(job.action)) {
    f.resource_id = job.pair_id;
    if (const Pair *p = pairs_.find(job.pair_id)) f.resource_name = p->name;
  } else {
    f.resource_id = job.instance_id;
    if (const Instance *inst = instances_.find(job.instance_id)) f.resource_name = inst->name;
  }
  failures_.add(f);
}

int64_t Emulator::draw_run_ms() {
  if (run_spread_ms_ <= 0) return run_ms_;
  return run_ms_ + std::uniform_int_distribution<int64_t>(0, run_spread_ms_)(rng_);
}

std::string Emulator::seeded_job_json(const std::string &id, const SeededJob &j,
                                      int64_t now) const {
  static const std::string kCode = "SDRS.1014";
  static const std::string kReason = "create server group failed";
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  write_job_fields(w, id, seeded_types_[j.type_index].c_str(), j.begin_ms, j.init_ms, j.run_ms,
                   j.fail, kCode, kReason, now);
  // No resource stands behind a seeded job: no server_group_id either.
  w.Key("entities");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  return buffer_text(sb);
}

Response Emulator::get_job(const std::string &id, int64_t now) {
  auto it = jobs_.find(id);
  if (it != jobs_.end()) return Response{200, job_json(it->second, now)};
  auto seeded = seeded_jobs_.find(id);
  if (seeded != seeded_jobs_.end()) return Response{200, seeded_job_json(id, seeded->second, now)};
  return error_response(404, "itemNotFound", "SDRS.0408", "job " + id + " not found");
}

}  // namespace emu
