// Protection groups (spec section 4): create, list, get, rename, delete, actions.
#include <cstring>

#include "common.hpp"

namespace emu {
namespace {

bool is_transitional(const std::string &s) {
  return s == "creating" || s == "deleting" || s == "starting" || s == "reprotecting" ||
         s == "stopping" || s == "reversing" || s == "failing-over";
}

// Parses {"server_group": {"name": ..., ...}} as create and rename send it; on success returns
// the server_group object (its name valid), else fills *error with the service's answer.
const rapidjson::Value *server_group_with_name(const Request &req, rapidjson::Document &d,
                                               Response *error) {
  if (!parse_object(req.body, d)) {
    *error = bad_request("SDRS.0201", "request body is not a JSON object");
    return nullptr;
  }
  const rapidjson::Value *sg = member(d, "server_group");
  if (sg == nullptr || !sg->IsObject()) {
    *error = bad_request("SDRS.0201", "server_group is missing or not an object");
    return nullptr;
  }
  if (!valid_name(member(*sg, "name"))) {
    *error = bad_request("SDRS.0202", "name must be 1-64 characters of A-Z a-z 0-9 . _ -");
    return nullptr;
  }
  return sg;
}

void write_group(Writer &w, const Group &g) {
  w.StartObject();
  w.Key("id");
  write_str(w, g.id);
  w.Key("name");
  write_str(w, g.name);
  w.Key("description");
  if (g.has_description) {
    write_str(w, g.description);
  } else {
    w.Null();
  }
  w.Key("status");
  write_str(w, g.status);
  w.Key("progress");
  w.Int(g.status == "protected" ? 100 : 0);
  w.Key("source_availability_zone");
  write_str(w, g.source_az);
  w.Key("target_availability_zone");
  write_str(w, g.target_az);
  w.Key("domain_id");
  w.String(g.domain->id);
  w.Key("domain_name");
  w.String(g.domain->name);
  w.Key("priority_station");
  write_str(w, g.priority_station);
  w.Key("protected_instance_num");
  w.Int64(g.protected_instance_num);
  w.Key("replication_num");
  w.Int64(g.replication_num);
  w.Key("disaster_recovery_drill_num");
  w.Int64(g.disaster_recovery_drill_num);
  // Groups created after the platform upgrade report these three as null (spec 4.7).
  w.Key("protected_status");
  w.Null();
  w.Key("replication_status");
  w.Null();
  w.Key("health_status");
  w.Null();
  w.Key("source_vpc_id");
  write_str(w, g.vpc_id);
  w.Key("target_vpc_id");
  write_str(w, g.vpc_id);
  w.Key("test_vpc_id");
  w.Null();
  w.Key("dr_type");
  w.String("migration");
  w.Key("server_type");
  w.String("ECS");
  w.Key("created_at");
  write_str(w, format_time(g.created_ms, false));
  w.Key("updated_at");
  write_str(w, format_time(g.updated_ms, false));
  w.Key("protection_type");
  w.String("replication-pair");
  w.Key("replication_model");
  w.Null();
  w.EndObject();
}

}  // namespace

std::string Emulator::group_json(const Group &g) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("server_group");
  write_group(w, g);
  w.EndObject();
  return buffer_text(sb);
}

Group &Emulator::add_group(std::unique_ptr<Group> g) {
  g->seq = next_seq_++;
  Group *raw = g.get();
  order_.emplace(raw->seq, raw);
  groups_.emplace(raw->id, std::move(g));
  return *raw;
}

Response Emulator::create_group(const Request &req, int64_t now) {
  rapidjson::Document d;
  Response error;
  const rapidjson::Value *sg = server_group_with_name(req, d, &error);
  if (sg == nullptr) return error;
  const rapidjson::Value *name = member(*sg, "name");
  const rapidjson::Value *desc = member(*sg, "description");
  bool has_desc = desc != nullptr && !desc->IsNull();
  if (has_desc) {
    bool ok = desc->IsString() && desc->GetStringLength() <= 64 &&
              std::strpbrk(desc->GetString(), "<>") == nullptr &&
              std::strlen(desc->GetString()) == desc->GetStringLength();
    if (!ok) return bad_request("SDRS.0212", "description must be at most 64 bytes without < or >");
  }
  const rapidjson::Value *dom = member(*sg, "domain_id");
  const Domain *domain =
      dom != nullptr && dom->IsString() ? find_domain(dom->GetString()) : nullptr;
  if (domain == nullptr) return bad_request("SDRS.0205", "domain_id is not a known domain");
  const rapidjson::Value *src = member(*sg, "source_availability_zone");
  const rapidjson::Value *tgt = member(*sg, "target_availability_zone");
  if (src == nullptr || !src->IsString() || tgt == nullptr || !tgt->IsString()) {
    return bad_request("SDRS.0203", "source and target availability zones are required");
  }
  std::string s = src->GetString(), t = tgt->GetString();
  bool az_ok = s != t && (s == domain->local_az || s == domain->remote_az) &&
               (t == domain->local_az || t == domain->remote_az);
  if (!az_ok) {
    return bad_request("SDRS.0203",
                       std::string("availability zones must be the two AZs of domain ") +
                           domain->name + " (" + domain->local_az + ", " + domain->remote_az + ")");
  }
  const rapidjson::Value *vpc = member(*sg, "source_vpc_id");
  if (vpc == nullptr || !vpc->IsString() || vpc->GetStringLength() == 0) {
    return bad_request("SDRS.0204", "source_vpc_id is missing or empty");
  }
  const rapidjson::Value *dr = member(*sg, "dr_type");
  if (dr != nullptr && !(dr->IsString() && std::strcmp(dr->GetString(), "migration") == 0)) {
    return bad_request("SDRS.0201", "dr_type must be migration");
  }
  const rapidjson::Value *st = member(*sg, "server_type");
  if (st != nullptr && !(st->IsString() && std::strcmp(st->GetString(), "ECS") == 0)) {
    return bad_request("SDRS.0201", "server_type must be ECS");
  }
  if (max_groups_ >= 0 && static_cast<int64_t>(groups_.size()) >= max_groups_) {
    return state_error("SDRS.0305", "protection group quota exceeded");
  }

  auto g = std::make_unique<Group>();
  g->id = uuid_v4();
  g->name.assign(name->GetString(), name->GetStringLength());
  g->has_description = has_desc;
  if (has_desc) g->description = desc->GetString();
  g->source_az = s;
  g->target_az = t;
  g->domain = domain;
  g->vpc_id = vpc->GetString();
  g->created_ms = g->updated_ms = now;
  Group &added = add_group(std::move(g));
  Job &job = start_job(Action::kCreate, added, now);
  creates_.fetch_add(1, std::memory_order_relaxed);
  return Response{200, job_id_body(job.id)};
}

Response Emulator::list_groups(const Request &req) {
  int64_t limit = 1000, offset = 0;
  if (const std::string *p = param(req, "limit")) {
    if (!parse_int(*p, limit) || limit < 1 || limit > 1000) {
      return bad_request("SDRS.0221", "limit must be an integer from 1 to 1000");
    }
  }
  if (const std::string *p = param(req, "offset")) {
    if (!parse_int(*p, offset) || offset < 0) {
      return bad_request("SDRS.0222", "offset must be a non-negative integer");
    }
  }
  enum { kAll, kAbnormal, kStopped, kNoDrill } qt = kAll;
  if (const std::string *p = param(req, "query_type")) {
    if (p->empty() || *p == "general") {
      qt = kAll;
    } else if (*p == "status_abnormal") {
      qt = kAbnormal;
    } else if (*p == "stop_protected") {
      qt = kStopped;
    } else if (*p == "period_no_dr_drill") {
      qt = kNoDrill;
    } else {
      return bad_request("SDRS.0201",
                         "query_type must be general, status_abnormal, "
                         "stop_protected or period_no_dr_drill");
    }
  }
  const std::string *status = param(req, "status");
  if (status != nullptr && status->empty()) status = nullptr;
  const std::string *name = param(req, "name");
  if (name != nullptr && name->empty()) name = nullptr;
  const std::string *az = param(req, "availability_zone");
  if (az != nullptr && az->empty()) az = nullptr;

  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("server_groups");
  w.StartArray();
  int64_t count = 0, emitted = 0;
  if (status == nullptr && name == nullptr && az == nullptr && qt == kAll) {
    // Unfiltered (the common benchmark case): no need to visit every group.
    count = static_cast<int64_t>(order_.size());
    auto it = order_.begin();
    for (int64_t i = 0; i < offset && it != order_.end(); i++) ++it;
    for (; it != order_.end() && emitted < limit; ++it, ++emitted) write_group(w, *it->second);
    w.EndArray();
    w.Key("count");
    w.Int64(count);
    w.EndObject();
    return Response{200, buffer_text(sb)};
  }
  for (const auto &entry : order_) {
    const Group &g = *entry.second;
    if (status != nullptr && g.status != *status) continue;
    if (name != nullptr && g.name.find(*name) == std::string::npos) continue;
    if (az != nullptr) {
      const std::string &current = g.priority_station == "source" ? g.source_az : g.target_az;
      if (current != *az) continue;
    }
    if (qt == kAbnormal && g.status.compare(0, 5, "error") != 0) continue;
    if (qt == kStopped && g.status != "available") continue;
    if (qt == kNoDrill && g.disaster_recovery_drill_num != 0) continue;
    count++;
    if (count > offset && emitted < limit) {
      write_group(w, g);
      emitted++;
    }
  }
  w.EndArray();
  w.Key("count");
  w.Int64(count);
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::get_group(const std::string &id) {
  auto it = groups_.find(id);
  if (it == groups_.end()) return group_not_found(id);
  return Response{200, group_json(*it->second)};
}

Response Emulator::rename_group(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  Response error;
  const rapidjson::Value *sg = server_group_with_name(req, d, &error);
  if (sg == nullptr) return error;
  const rapidjson::Value *name = member(*sg, "name");
  auto it = groups_.find(id);
  if (it == groups_.end()) return group_not_found(id);
  Group &g = *it->second;
  g.name.assign(name->GetString(), name->GetStringLength());
  g.updated_ms = now;
  return Response{200, group_json(g)};
}

Response Emulator::delete_group(const std::string &id, int64_t now) {
  auto it = groups_.find(id);
  if (it == groups_.end()) return group_not_found(id);
  Group &g = *it->second;
  if (is_transitional(g.status)) {
    return state_error("SDRS.1002", "server group status " + g.status + " does not allow deletion");
  }
  // The counters can be overridden (admin); real members block the delete as well.
  int64_t instances = 0, pairs = 0;
  for (const auto &entry : instances_) instances += entry.second.group_id == g.id ? 1 : 0;
  for (const auto &entry : pairs_) pairs += entry.second.group_id == g.id ? 1 : 0;
  int64_t drills = 0;
  for (const auto &entry : drills_) drills += entry.second.group_id == g.id ? 1 : 0;
  if (g.protected_instance_num > 0 || instances > 0) {
    return state_error("SDRS.1001", "server group still has protected instances");
  }
  if (g.replication_num > 0 || pairs > 0) {
    return state_error("SDRS.1010", "server group still has replication pairs");
  }
  if (g.disaster_recovery_drill_num > 0 || drills > 0) {
    return state_error("SDRS.1003", "server group still has disaster recovery drills");
  }
  return Response{200, job_id_body(start_job(Action::kDelete, g, now).id)};
}

Response Emulator::group_action(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d))
    return bad_request("SDRS.0201", "request body is not a JSON object");
  if (d.MemberCount() != 1) {
    return bad_request("SDRS.0206", "the body must hold exactly one action key");
  }
  const std::string key = d.MemberBegin()->name.GetString();
  const rapidjson::Value &val = d.MemberBegin()->value;
  enum { kStartKey, kStopKey, kFailoverKey, kReverseKey } which;
  if (key == "start-server-group") {
    which = kStartKey;
  } else if (key == "stop-server-group") {
    which = kStopKey;
  } else if (key == "failover-server-group") {
    which = kFailoverKey;
  } else if (key == "reverse-server-group") {
    which = kReverseKey;
  } else {
    return bad_request("SDRS.0206", "unknown action " + key);
  }
  if (!val.IsObject())
    return bad_request("SDRS.0201", "the value of " + key + " must be an object");
  std::string station;
  if (which == kReverseKey) {
    const rapidjson::Value *ps = member(val, "priority_station");
    if (ps != nullptr && ps->IsString()) station = ps->GetString();
    if (station != "source" && station != "target") {
      return bad_request("SDRS.0216", "priority_station must be source or target");
    }
  }
  auto it = groups_.find(id);
  if (it == groups_.end()) return group_not_found(id);
  Group &g = *it->second;
  const std::string &s = g.status;
  Action action;
  bool needs_pair = false;
  switch (which) {
    case kStartKey:
      if (s == "available" || s == "error-starting") {
        action = Action::kStart;
        needs_pair = true;
      } else if (s == "failed-over" || s == "error-reprotecting") {
        action = Action::kReprotect;
      } else {
        return state_error("SDRS.1021",
                           "start-server-group needs status available, error-starting, "
                           "failed-over or error-reprotecting; the group is " +
                               s);
      }
      break;
    case kStopKey:
      if (s != "protected" && s != "error-stopping") {
        return state_error("SDRS.1019",
                           "stop-server-group needs status protected or "
                           "error-stopping; the group is " +
                               s);
      }
      action = Action::kStop;
      break;
    case kFailoverKey:
      if (s != "protected" && s != "error-failing-over" && s != "error-reversing") {
        return state_error("SDRS.1022",
                           "failover-server-group needs status protected, "
                           "error-failing-over or error-reversing; the group is " +
                               s);
      }
      action = Action::kFailover;
      needs_pair = true;
      break;
    case kReverseKey:
    default:
      if (s != "protected" && s != "error-reversing") {
        return state_error("SDRS.1023",
                           "reverse-server-group needs status protected or "
                           "error-reversing; the group is " +
                               s);
      }
      action = Action::kReverse;
      needs_pair = true;
      break;
  }
  if (needs_pair && g.replication_num < 1) {
    return state_error("SDRS.1002", key + " needs at least one replication pair in the group");
  }
  Job &job = start_job(action, g, now);
  job.priority_station = station;
  return Response{200, job_id_body(job.id)};
}

}  // namespace emu
