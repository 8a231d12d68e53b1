// DR drills (spec-more 5): create (drill servers from the DR-site disks, in a drill VPC that
// must differ from the group's and carry its CIDR blocks), list, get, rename, delete.
#include "common.hpp"

namespace emu {
namespace {

Response drill_not_found(const std::string &id) {
  return not_found("SDRS.1902", "DR drill " + id + " not found");
}

bool group_allows_drill(const std::string &s) {
  return one_of(s, {"available", "protected", "failed-over", "error-starting", "error-stopping",
                    "error-reversing", "error-reprotecting", "error-failing-over"});
}

}  // namespace

Response Emulator::drills_route(const Request &req, const Segs &segs, int64_t now) {
  const std::string &m = req.method;
  const size_t n = segs.size();
  if (n == 3) {
    if (m == "GET") return list_drills(req);
    if (m == "POST") return create_drill(req, now);
    return bad_method();
  }
  if (n == 4) {
    if (m == "GET") return get_drill(segs[3]);
    if (m == "PUT") return rename_drill(segs[3], req, now);
    if (m == "DELETE") return delete_drill(segs[3], now);
    return bad_method();
  }
  return no_route();
}

void Emulator::write_drill(Writer &w, const Drill &d) {
  w.StartObject();
  w.Key("id");
  write_str(w, d.id);
  w.Key("name");
  write_str(w, d.name);
  w.Key("status");
  write_str(w, d.status);
  w.Key("drill_vpc_id");
  write_str(w, d.drill_vpc_id);
  w.Key("created_at");
  write_str(w, format_time(d.created_ms, false));
  w.Key("updated_at");
  write_str(w, format_time(d.updated_ms, false));
  w.Key("server_group_id");
  write_str(w, d.group_id);
  w.Key("drill_servers");
  w.StartArray();
  for (const DrillServer &s : d.servers) {
    w.StartObject();
    w.Key("protected_instance");
    write_str(w, s.instance_id);
    w.Key("drill_server_id");
    write_str(w, s.server_id);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

std::string Emulator::drill_json(const Drill &d) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("disaster_recovery_drill");
  write_drill(w, d);
  w.EndObject();
  return buffer_text(sb);
}

Response Emulator::create_drill(const Request &req, int64_t now) {
  rapidjson::Document doc;
  if (!parse_object(req.body, doc)) return bad_request("SDRS.0201", "body is not a JSON object");
  const rapidjson::Value *dd = member(doc, "disaster_recovery_drill");
  if (dd == nullptr || !dd->IsObject()) {
    return bad_request("SDRS.0201", "disaster_recovery_drill is missing or not an object");
  }
  const rapidjson::Value *gid = member(*dd, "server_group_id");
  if (gid == nullptr || !gid->IsString() || gid->GetStringLength() == 0) {
    return bad_request("SDRS.0207", "server_group_id is missing or not a non-empty string");
  }
  const rapidjson::Value *name = member(*dd, "name");
  if (!valid_name(name)) {
    return bad_request("SDRS.0202", "name must be 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  // Optional in the docs, required by gophertelekomcloud (11 #1): omitted = a new drill VPC.
  const rapidjson::Value *vpc_id = member(*dd, "drill_vpc_id");
  if (vpc_id != nullptr && !vpc_id->IsNull() &&
      (!vpc_id->IsString() || vpc_id->GetStringLength() == 0)) {
    return bad_request("SDRS.0201", "drill_vpc_id must be a non-empty string");
  }
  Group *g = find_group(gid->GetString());
  if (g == nullptr) return group_not_found(gid->GetString());
  if (!group_allows_drill(g->status)) {
    return state_error("SDRS.1002",
                       "protection group status " + g->status + " does not allow a DR drill");
  }
  const Vpc *group_vpc = vpcs_.find(g->vpc_id);
  std::string drill_vpc;
  if (vpc_id != nullptr && vpc_id->IsString()) {
    drill_vpc = vpc_id->GetString();
    const Vpc *v = vpcs_.find(drill_vpc);
    if (drill_vpc == g->vpc_id) {
      return bad_request("SDRS.1907", "the drill VPC must differ from the group's VPC");
    }
    if (v == nullptr) return state_error("SDRS.1928", "VPC " + drill_vpc + " could not be found");
    if (v->cidrs.empty()) return bad_request("SDRS.1908", "the drill VPC has no subnet");
    // The group's subnets must exist in the drill VPC (same CIDR blocks); a group VPC the
    // emulator does not know is not checked.
    if (group_vpc != nullptr) {
      for (const std::string &cidr : group_vpc->cidrs) {
        if (!contains(v->cidrs, cidr)) {
          return bad_request("SDRS.1909", "the drill VPC lacks the CIDR block " + cidr);
        }
      }
    }
    for (const auto &entry : drills_) {
      if (entry.second.drill_vpc_id == drill_vpc) {
        return state_error("SDRS.1921",
                           "VPC " + drill_vpc + " is used by DR drill " + entry.second.id);
      }
    }
  } else {
    Vpc made;
    made.id = uuid_v4();
    made.name = "sdrs-drill-vpc";
    made.cidrs = group_vpc != nullptr ? group_vpc->cidrs : std::vector<std::string>{};
    made.drill_made = true;
    drill_vpc = vpcs_.add(made).id;
  }
  Drill d;
  d.id = uuid_v4();
  d.name.assign(name->GetString(), name->GetStringLength());
  d.group_id = g->id;
  d.status = "creating";
  d.drill_vpc_id = drill_vpc;
  d.created_ms = d.updated_ms = now;
  Drill &added = drills_.add(d);
  g->disaster_recovery_drill_num++;
  Job &job = new_job(Action::kCreateDrill, g->id, added.name, now);
  job.drill_id = added.id;
  return Response{200, job_id_body(job.id)};
}

Response Emulator::list_drills(const Request &req) {
  int64_t limit = 0, offset = 0;
  Response err;
  if (!parse_paging(req, &limit, &offset, &err)) return err;
  const std::string *group = filter_param(req, "server_group_id");
  const std::string *name = filter_param(req, "name");
  const std::string *status = filter_param(req, "status");
  const std::string *vpc = filter_param(req, "drill_vpc_id");
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("disaster_recovery_drills");
  w.StartArray();
  int64_t count = 0, emitted = 0;
  for (const auto &entry : drills_) {
    const Drill &d = entry.second;
    if (group != nullptr && d.group_id != *group) continue;
    if (name != nullptr && d.name.find(*name) == std::string::npos) continue;
    if (status != nullptr && d.status != *status) continue;
    if (vpc != nullptr && d.drill_vpc_id != *vpc) continue;
    count++;
    if (count > offset && emitted < limit) {
      write_drill(w, d);
      emitted++;
    }
  }
  w.EndArray();
  w.Key("count");
  w.Int64(count);
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::get_drill(const std::string &id) {
  const Drill *d = drills_.find(id);
  if (d == nullptr) return drill_not_found(id);
  return Response{200, drill_json(*d)};
}

Response Emulator::rename_drill(const std::string &id, const Request &req, int64_t now) {
  std::string name;
  Response err;
  if (!parse_rename(req, "disaster_recovery_drill", &name, &err)) return err;
  Drill *d = drills_.find(id);
  if (d == nullptr) return drill_not_found(id);
  d->name = name;
  d->updated_ms = now;
  return Response{200, drill_json(*d)};
}

Response Emulator::delete_drill(const std::string &id, int64_t now) {
  Drill *d = drills_.find(id);
  if (d == nullptr) return drill_not_found(id);
  if (!one_of(d->status, {"available", "error", "error-deleting"})) {
    return state_error("SDRS.1913", "DR drill status " + d->status + " does not allow deletion");
  }
  d->status = "deleting";
  d->updated_ms = now;
  Job &job = new_job(Action::kDeleteDrill, d->group_id, d->name, now);
  job.drill_id = d->id;
  return Response{200, job_id_body(job.id)};
}

void Emulator::finish_drill_job(Job &job, int64_t end_ms) {
  Drill *d = drills_.find(job.drill_id);
  if (d == nullptr) return;
  d->updated_ms = end_ms;
  if (job.action == Action::kCreateDrill) {
    if (job.fail) {
      d->status = "error";
      return;
    }
    // One drill server per protected instance, from the DR-site disks, in the drill VPC.
    for (const auto &entry : instances_) {
      const Instance &inst = entry.second;
      if (inst.group_id != d->group_id) continue;
      const Server *dr = servers_.find(inst.target_server);
      Group *g = find_group(inst.group_id);
      Server s;
      s.id = uuid_v4();
      s.name = inst.name + "-drill";
      s.status = "ACTIVE";
      s.availability_zone = g != nullptr ? dr_az(*g) : "";
      s.vpc_id = d->drill_vpc_id;
      s.flavor = dr != nullptr ? dr->flavor : "s3.large.2";
      s.drill = true;
      s.instance_id = inst.id;
      d->servers.push_back(DrillServer{inst.id, servers_.add(s).id});
    }
    d->status = "available";
    return;
  }
  if (job.fail) {
    d->status = "error-deleting";
    return;
  }
  // The drill servers go; the drill VPC stays (5.5).
  for (const DrillServer &s : d->servers) servers_.erase(s.server_id);
  if (Group *g = find_group(d->group_id)) {
    if (g->disaster_recovery_drill_num > 0) g->disaster_recovery_drill_num--;
  }
  drills_.erase(d->id);
}

}  // namespace emu
