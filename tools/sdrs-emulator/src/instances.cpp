// Protected instances (spec-more 3): create (with the DR server, DR disks and one attached pair
// per disk), list, get, rename, delete, attach/detach pair, add/delete NIC, resize.
#include <cstdio>

#include "common.hpp"

namespace emu {
namespace {

// Statuses from which each call is allowed (spec-more 3.12, 4.8, 10).
bool instance_deletable(const std::string &s) {
  return one_of(s, {"available", "protected", "failed-over", "error", "error-starting",
                    "error-stopping", "error-reversing", "error-failing-over", "error-deleting",
                    "error-reprotecting", "error-resizing", "invalid", "fault"});
}

bool instance_detachable(const std::string &s) {
  return one_of(s, {"available", "protected", "failed-over", "error-starting", "error-stopping",
                    "error-reversing", "error-failing-over", "error-deleting", "error-reprotecting",
                    "error-resizing", "invalid", "fault"});
}

bool pair_detachable(const std::string &s) {
  return one_of(s, {"available", "protected", "failed-over", "error-attaching", "error-detaching",
                    "error-starting", "error-stopping", "error-reversing", "error-failing-over",
                    "error-deleting", "error-reprotecting", "error-extending", "invalid", "fault"});
}

bool group_open(const std::string &s) {
  return s == "available" || s == "protected";
}

bool group_allows_detach(const std::string &s) {
  return one_of(s, {"available", "protected", "failed-over", "error-starting", "error-stopping",
                    "error-reversing", "error-failing-over"});
}

bool is_transient(const std::string &s) {
  return one_of(s, {"creating", "deleting", "starting", "stopping", "reversing", "failing-over",
                    "reprotecting", "nic-creating", "nic-deleting", "resizing", "attaching",
                    "detaching", "extending"});
}

bool system_device(const std::string &d) {
  return d == "/dev/vda" || d == "/dev/sda";
}

// KVM servers only: a /dev/sdX name becomes /dev/vdX, as the service renames it (3.6).
std::string kvm_device(std::string d) {
  if (d.compare(0, 7, "/dev/sd") == 0) d[5] = 'v';
  return d;
}

Response instance_not_found(const std::string &id) {
  // The error table's code; the Huawei Terraform provider has seen SDRS.0208 for the same case.
  return not_found("SDRS.1320", "protected instance " + id + " not found");
}

Response pair_not_found(const std::string &id) {
  return not_found("SDRS.1608", "replication pair " + id + " not found");
}

// An optional string member: absent (true, *out unchanged), or a non-empty string.
bool opt_string(const rapidjson::Value &obj, const char *key, std::string *out) {
  const rapidjson::Value *v = member(obj, key);
  if (v == nullptr || v->IsNull()) return true;
  if (!v->IsString() || v->GetStringLength() == 0) return false;
  out->assign(v->GetString(), v->GetStringLength());
  return true;
}

std::string auto_ip(uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "192.168.%d.%d", static_cast<int>((n / 250) % 250),
                static_cast<int>(n % 250 + 2));
  return buf;
}

}  // namespace

Group *Emulator::find_group(const std::string &id) {
  auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : it->second.get();
}

Response Emulator::instances_route(const Request &req, const Segs &segs, int64_t now) {
  const std::string &m = req.method;
  const size_t n = segs.size();
  if (n == 3) {
    if (m == "GET") return list_instances(req);
    if (m == "POST") return create_instance(req, now);
    return bad_method();
  }
  const std::string &id = segs[3];
  // Literal segments share the id's position (spec-more 1): they never name an instance.
  if (id == "tags") return n == 4 ? (m == "GET" ? project_tags() : bad_method()) : no_route();
  if (id == "batch" || id == "delete") {
    // The CH-only batch calls (3.13) are not published on eu-de, which this emulates.
    if (n != 4) return no_route();
    return m == "POST" ? no_route() : bad_method();
  }
  if (id == "resource_instances") {
    if (n != 5 || segs[4] != "action") return no_route();
    return m == "POST" ? tag_query(req) : bad_method();
  }
  if (n == 4) {
    if (m == "GET") return get_instance(id);
    if (m == "PUT") return rename_instance(id, req, now);
    if (m == "DELETE") return delete_instance(id, req, now);
    return bad_method();
  }
  const std::string &sub = segs[4];
  if (n == 5 && sub == "attachreplication") {
    return m == "POST" ? attach_pair(id, req, now) : bad_method();
  }
  if (n == 5 && sub == "nic") return m == "POST" ? add_nic(id, req, now) : bad_method();
  if (n == 5 && sub == "resize") return m == "POST" ? resize_instance(id, req, now) : bad_method();
  if (n == 6 && sub == "detachreplication") {
    return m == "DELETE" ? detach_pair(id, segs[5], now) : bad_method();
  }
  if (n == 6 && sub == "nic" && segs[5] == "delete") {
    return m == "POST" ? delete_nic(id, req, now) : bad_method();
  }
  if (sub == "tags") return instance_tags_route(req, segs, now);
  return no_route();
}

// ---- serialization ----

void Emulator::write_instance(Writer &w, const Instance &inst, bool tenths) const {
  auto it = groups_.find(inst.group_id);
  const std::string station = it != groups_.end() ? it->second->priority_station : "source";
  auto time = [tenths](int64_t ms) {
    std::string t = format_time(ms, false);
    // The rename page documents "yyyy-MM-dd HH:mm:ss.S" (spec-more 0).
    return tenths ? t.substr(0, t.size() - 2) : t;
  };
  w.StartObject();
  w.Key("id");
  write_str(w, inst.id);
  w.Key("name");
  write_str(w, inst.name);
  w.Key("description");
  if (inst.has_description) {
    write_str(w, inst.description);
  } else {
    w.Null();
  }
  w.Key("server_group_id");
  write_str(w, inst.group_id);
  w.Key("status");
  write_str(w, inst.status);
  w.Key("progress");
  w.Int(inst.status == "protected" ? 100 : 0);
  w.Key("source_server");
  write_str(w, inst.source_server);
  w.Key("target_server");
  write_str(w, inst.target_server);
  w.Key("created_at");
  write_str(w, time(inst.created_ms));
  w.Key("updated_at");
  write_str(w, time(inst.updated_ms));
  w.Key("priority_station");
  write_str(w, station);
  w.Key("attachment");
  w.StartArray();
  for (const Attachment &a : inst.attachments) {
    w.StartObject();
    w.Key("replication");
    write_str(w, a.id);
    w.Key("device");
    write_str(w, a.device);
    w.EndObject();
  }
  w.EndArray();
  w.Key("tags");
  w.StartArray();
  for (const auto &t : inst.tags) {
    w.StartObject();
    w.Key("key");
    write_str(w, t.first);
    w.Key("value");
    write_str(w, t.second);
    w.EndObject();
  }
  w.EndArray();
  w.Key("metadata");
  w.StartObject();
  w.EndObject();
  w.EndObject();
}

std::string Emulator::instance_json(const Instance &inst, bool tenths) const {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("protected_instance");
  write_instance(w, inst, tenths);
  w.EndObject();
  return buffer_text(sb);
}

// ---- create ----

Response Emulator::create_instance(const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  Response err;
  const rapidjson::Value *pi = wrapped(d, "protected_instance", &err);
  if (pi == nullptr) return err;
  std::string group_id, server_id, subnet, ip, flavor;
  if (!opt_string(*pi, "server_group_id", &group_id) || group_id.empty()) {
    return bad_request("SDRS.0207", "server_group_id is missing or not a non-empty string");
  }
  if (!opt_string(*pi, "server_id", &server_id) || server_id.empty()) {
    return bad_request("SDRS.0210", "server_id is missing or not a non-empty string");
  }
  const rapidjson::Value *name = member(*pi, "name");
  if (!valid_name(name)) {
    return bad_request("SDRS.0202", "name must be 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  const rapidjson::Value *desc = member(*pi, "description");
  if (!valid_description(desc)) {
    return bad_request("SDRS.0212", "description must be at most 64 bytes without < or >");
  }
  if (!opt_string(*pi, "primary_subnet_id", &subnet)) {
    return bad_request("SDRS.0201", "primary_subnet_id must be a non-empty string");
  }
  if (!opt_string(*pi, "primary_ip_address", &ip)) {
    return bad_request("SDRS.0219", "primary_ip_address must be an IPv4 address");
  }
  // The address only counts with a subnet (3.1); then it must be an IPv4 address.
  if (subnet.empty()) ip.clear();
  if (!ip.empty() && !valid_ipv4(ip)) {
    return bad_request("SDRS.0219", "primary_ip_address " + ip + " is not an IPv4 address");
  }
  if (!opt_string(*pi, "flavorRef", &flavor)) {
    return bad_request("SDRS.0201", "flavorRef must be a non-empty string");
  }
  std::vector<std::pair<std::string, std::string>> tags;
  if (const rapidjson::Value *t = member(*pi, "tags")) {
    // The create page allows 10 tags (the tag API 20, spec-more 6.1).
    if (!t->IsNull() && !parse_tags(*t, 10, &tags, &err)) return err;
  }

  Group *g = find_group(group_id);
  if (g == nullptr) return group_not_found(group_id);
  if (!group_open(g->status)) {
    // 3.1 lists SDRS.1323/1325/1002 for this; 1323 names the condition best.
    return state_error("SDRS.1323", "protection group status is " + g->status +
                                        "; protected instances need available or protected");
  }
  Server *srv = servers_.find(server_id);
  if (srv == nullptr || srv->dr) {
    if (srv != nullptr) {
      return state_error(
          "SDRS.1305", "server " + server_id + " is the DR server of instance " + srv->instance_id);
    }
    return not_found("SDRS.1326", "server " + server_id + " not found");
  }
  if (!srv->instance_id.empty()) {
    return state_error(
        "SDRS.1305",
        "server " + server_id + " already belongs to protected instance " + srv->instance_id);
  }
  if (srv->vpc_id != g->vpc_id) {
    return bad_request("SDRS.1304",
                       "server VPC " + srv->vpc_id + " differs from the group's " + g->vpc_id);
  }
  if (srv->availability_zone != production_az(*g)) {
    return bad_request("SDRS.1303", "server AZ " + srv->availability_zone +
                                        " differs from the group's production AZ " +
                                        production_az(*g));
  }
  if (srv->status != "ACTIVE" && srv->status != "SHUTOFF") {
    return state_error("SDRS.1333",
                       "server status is " + srv->status + "; it must be ACTIVE or SHUTOFF");
  }
  if (srv->volumes.empty()) return state_error("SDRS.1321", "server has no disk attached");
  bool has_system = false;
  for (const Attachment &a : srv->volumes) {
    const Volume *v = volumes_.find(a.id);
    if (v == nullptr) continue;
    if (system_device(a.device) || v->bootable) has_system = true;
    if (v->multiattach) {
      // The code for "a shared disk is attached" is not documented (3.1, UNCONFIRMED);
      // SDRS.1806 "disk type does not allow this operation" is the closest in the table.
      return bad_request("SDRS.1806", "server has the shared disk " + v->id +
                                          " attached; pair it explicitly (replications) and "
                                          "attach it after protecting the server");
    }
    if (!v->pair_id.empty()) {
      return state_error("SDRS.1811",
                         "disk " + v->id + " is already used by replication pair " + v->pair_id);
    }
  }
  if (!has_system) return state_error("SDRS.1339", "server has no system disk");
  // Its pairs count against the pair quota (8, inferred).
  if (quota_exceeded_pairs(srv->volumes.size())) {
    return state_error("SDRS.0306", "replication pair quota exceeded");
  }

  Instance inst;
  inst.id = uuid_v4();
  inst.name.assign(name->GetString(), name->GetStringLength());
  inst.has_description = desc != nullptr && !desc->IsNull();
  if (inst.has_description) inst.description = desc->GetString();
  inst.group_id = g->id;
  inst.status = "creating";
  inst.source_server = srv->id;
  inst.created_ms = inst.updated_ms = now;
  inst.tags = tags;
  inst.nics.push_back(Nic{uuid_v4(), subnet.empty() ? "default" : subnet,
                          ip.empty() ? auto_ip(instances_.size()) : ip, true});
  // The DR server: same name, new id, stopped, in the DR AZ (2).
  Server dr;
  dr.id = uuid_v4();
  dr.name = srv->name;
  dr.status = "SHUTOFF";
  dr.availability_zone = dr_az(*g);
  dr.vpc_id = srv->vpc_id;
  dr.flavor = flavor.empty() ? srv->flavor : flavor;
  dr.dr = true;
  dr.instance_id = inst.id;
  inst.target_server = dr.id;
  Instance &added = instances_.add(inst);
  servers_.add(dr);
  srv->instance_id = added.id;
  g->protected_instance_num++;
  // One pair per disk, attached with the disk's device.
  const std::vector<Attachment> disks = srv->volumes;
  const std::string base = added.name.substr(0, 59);
  for (const Attachment &a : disks) {
    Volume *v = volumes_.find(a.id);
    if (v == nullptr) continue;
    Pair &p = add_pair(*g, *v, base + "-" + a.device.substr(5), now);
    p.owner_instance = added.id;
    link(added, p, a.device);
  }
  Job &job = new_job(Action::kCreateInstance, g->id, added.name, now);
  job.instance_id = added.id;
  job.native_server_id = added.target_server;
  return Response{200, job_id_body(job.id)};
}

// ---- list, get, rename ----

Response Emulator::list_instances(const Request &req) {
  ListQuery q;
  Response err;
  if (!parse_list_query(req, &q, &err)) return err;
  const std::string *group = filter_param(req, "server_group_id");
  // server_group_ids overrides server_group_id; either makes protected_instance_ids ignored.
  if (q.has_groups) group = nullptr;
  const bool by_instances = q.has_instances && !q.has_groups && group == nullptr;
  const std::string *status = filter_param(req, "status");
  const std::string *name = filter_param(req, "name");
  const std::string *az = filter_param(req, "availability_zone");
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("protected_instances");
  w.StartArray();
  int64_t count = 0, emitted = 0;
  for (const auto &entry : instances_) {
    const Instance &inst = entry.second;
    if (group != nullptr && inst.group_id != *group) continue;
    if (q.has_groups && !contains(q.group_ids, inst.group_id)) continue;
    if (by_instances && !contains(q.instance_ids, inst.id)) continue;
    if (status != nullptr && inst.status != *status) continue;
    if (name != nullptr && inst.name.find(*name) == std::string::npos) continue;
    if (q.abnormal && !abnormal_status(inst.status)) continue;
    if (az != nullptr && !in_production_az(inst.group_id, *az)) continue;
    count++;
    if (count > q.offset && emitted < q.limit) {
      write_instance(w, inst, false);
      emitted++;
    }
  }
  w.EndArray();
  w.Key("count");
  w.Int64(count);
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::get_instance(const std::string &id) {
  const Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  return Response{200, instance_json(*inst, false)};
}

Response Emulator::rename_instance(const std::string &id, const Request &req, int64_t now) {
  std::string name;
  Response err;
  if (!parse_rename(req, "protected_instance", &name, &err)) return err;
  Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  inst->name = name;
  inst->updated_ms = now;
  return Response{200, instance_json(*inst, true)};
}

// ---- delete ----

Response Emulator::delete_instance(const std::string &id, const Request &req, int64_t now) {
  bool delete_server = false, delete_eip = false;
  // The body is optional (3.5): none, empty, or an object of two booleans.
  if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    rapidjson::Document d;
    if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
    const rapidjson::Value *ds = member(d, "delete_target_server");
    const rapidjson::Value *de = member(d, "delete_target_eip");
    if ((ds != nullptr && !ds->IsBool()) || (de != nullptr && !de->IsBool())) {
      return bad_request("SDRS.0201", "delete_target_server and delete_target_eip are booleans");
    }
    delete_server = ds != nullptr && ds->GetBool();
    delete_eip = de != nullptr && de->GetBool();
  }
  Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  if (!instance_deletable(inst->status)) {
    return state_error("SDRS.1301",
                       "protected instance status " + inst->status + " does not allow deletion");
  }
  Group *g = find_group(inst->group_id);
  if (g != nullptr && is_transient(g->status)) {
    // 3.5 lists no group condition, SDRS.1324 wants the group available (13 C3); tolerant:
    // only a group in the middle of an action refuses.
    return state_error("SDRS.1324", "protection group status " + g->status +
                                        " does not allow deleting protected instances");
  }
  if (g != nullptr && g->priority_station == "target") {
    if (delete_server) {
      return state_error("SDRS.1330",
                         "the DR-site server is the current production server (sites are "
                         "switched); it cannot be deleted");
    }
    if (delete_eip) {
      return state_error("SDRS.1338",
                         "the EIP of the current production server cannot be released "
                         "(sites are switched)");
    }
  }
  inst->resume_status = inst->status;
  inst->status = "deleting";
  inst->updated_ms = now;
  Job &job = new_job(Action::kDeleteInstance, inst->group_id, inst->name, now);
  job.instance_id = inst->id;
  job.delete_target_server = delete_server;
  return Response{200, job_id_body(job.id)};
}

void Emulator::remove_instance(Instance &inst, bool delete_target_server) {
  // The pairs made with the instance go with it (G4 is UNCONFIRMED; this makes the teardown
  // order of spec-more 2 work); pairs attached later are detached and stay.
  const std::vector<Attachment> attached = inst.attachments;
  for (const Attachment &a : attached) {
    Pair *p = pairs_.find(a.id);
    if (p == nullptr) continue;
    if (p->owner_instance == inst.id) {
      remove_pair(p->id, delete_target_server);
    } else {
      unlink(inst, *p);
    }
  }
  if (Server *prod = servers_.find(inst.source_server)) prod->instance_id.clear();
  if (Server *dr = servers_.find(inst.target_server)) {
    if (delete_target_server) {
      for (const Attachment &a : dr->volumes) volumes_.erase(a.id);
      servers_.erase(dr->id);
    } else {
      dr->instance_id.clear();
    }
  }
  if (Group *g = find_group(inst.group_id)) {
    if (g->protected_instance_num > 0) g->protected_instance_num--;
  }
  instances_.erase(inst.id);
}

void Emulator::roll_back_instance(Instance &inst) {
  const std::vector<Attachment> attached = inst.attachments;
  for (const Attachment &a : attached) {
    Pair *p = pairs_.find(a.id);
    if (p == nullptr) continue;
    if (p->owner_instance == inst.id) {
      remove_pair(p->id, true);
    } else {
      unlink(inst, *p);
    }
  }
  inst.attachments.clear();
  if (Server *prod = servers_.find(inst.source_server)) prod->instance_id.clear();
  if (Server *dr = servers_.find(inst.target_server)) {
    for (const Attachment &a : dr->volumes) volumes_.erase(a.id);
    servers_.erase(dr->id);
  }
}

// ---- attach, detach ----

Response Emulator::attach_pair(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  Response err;
  // camelCase wrapper (3.6).
  const rapidjson::Value *ra = wrapped(d, "replicationAttachment", &err);
  if (ra == nullptr) return err;
  std::string pair_id, device;
  if (!opt_string(*ra, "replication_id", &pair_id) || pair_id.empty()) {
    return bad_request("SDRS.0213", "replication_id is missing or not a non-empty string");
  }
  if (!opt_string(*ra, "device", &device) || !valid_device(device)) {
    return bad_request("SDRS.0201", "device must be /dev/vdX or /dev/sdX (X = a-z)");
  }
  device = kvm_device(device);
  Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  Pair *p = pairs_.find(pair_id);
  if (p == nullptr) return pair_not_found(pair_id);
  if (p->group_id != inst->group_id) {
    return bad_request("SDRS.1611",
                       "replication pair " + pair_id + " belongs to another protection group");
  }
  Group *g = find_group(inst->group_id);
  if (g == nullptr || !group_open(g->status)) {
    return state_error("SDRS.1024", "protection group status is " +
                                        (g != nullptr ? g->status : std::string("unknown")) +
                                        "; attach needs available or protected");
  }
  if (!group_open(inst->status)) {
    return state_error("SDRS.1328", "protected instance status is " + inst->status +
                                        "; attach needs available or protected");
  }
  if (!group_open(p->status)) {
    return state_error("SDRS.1601", "replication pair status is " + p->status +
                                        "; attach needs available or protected");
  }
  for (const Attachment &a : p->attachments) {
    if (a.id == inst->id) {
      return state_error("SDRS.1605", "replication pair is already attached to this instance");
    }
  }
  const Volume *vol = volumes_.find(p->production_volume);
  if (!p->attachments.empty() && (vol == nullptr || !vol->multiattach)) {
    return state_error("SDRS.1603", "replication pair is attached to protected instance " +
                                        p->attachments[0].id + " and its disk is not shared");
  }
  for (const Attachment &a : inst->attachments) {
    if (a.device == device) {
      return state_error("SDRS.1603", "device " + device + " is already used on the instance");
    }
  }
  p->resume_status = p->status;
  p->status = "attaching";
  p->updated_ms = now;
  link(*inst, *p, device);
  Job &job = new_job(Action::kAttach, inst->group_id, inst->name, now);
  job.instance_id = inst->id;
  job.pair_id = p->id;
  job.device = device;
  return Response{200, job_id_body(job.id)};
}

Response Emulator::detach_pair(const std::string &id, const std::string &pair_id, int64_t now) {
  Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  Pair *p = pairs_.find(pair_id);
  if (p == nullptr) return pair_not_found(pair_id);
  std::string device;
  for (const Attachment &a : inst->attachments) {
    if (a.id == pair_id) device = a.device;
  }
  if (device.empty()) {
    return state_error("SDRS.1604",
                       "replication pair " + pair_id + " is not attached to this instance");
  }
  Group *g = find_group(inst->group_id);
  if (g == nullptr || !group_allows_detach(g->status)) {
    return state_error("SDRS.1002", "protection group status " +
                                        (g != nullptr ? g->status : std::string("unknown")) +
                                        " does not allow detaching");
  }
  if (!instance_detachable(inst->status)) {
    return state_error("SDRS.1328",
                       "protected instance status " + inst->status + " does not allow detaching");
  }
  if (!pair_detachable(p->status)) {
    return state_error("SDRS.0214",
                       "replication pair status " + p->status + " does not allow detaching");
  }
  if (system_device(device)) {
    const bool target = g->priority_station == "target";
    const Server *prod = servers_.find(target ? inst->target_server : inst->source_server);
    if (prod != nullptr && prod->status != "SHUTOFF") {
      return state_error("SDRS.1316",
                         "the system disk can only be detached while the "
                         "production-site server is stopped; it is " +
                             prod->status);
    }
  }
  p->resume_status = p->status;
  p->status = "detaching";
  p->updated_ms = now;
  Job &job = new_job(Action::kDetach, inst->group_id, inst->name, now);
  job.instance_id = inst->id;
  job.pair_id = p->id;
  job.device = device;
  return Response{200, job_id_body(job.id)};
}

void Emulator::link(Instance &inst, Pair &p, const std::string &device) {
  inst.attachments.push_back(Attachment{p.id, device});
  p.attachments.push_back(Attachment{inst.id, device});
  auto attach = [this, &device](const std::string &volume_id, const std::string &server_id) {
    Volume *v = volumes_.find(volume_id);
    Server *s = servers_.find(server_id);
    if (v == nullptr || s == nullptr) return;
    for (const Attachment &a : v->attachments) {
      if (a.id == server_id) return;
    }
    v->attachments.push_back(Attachment{server_id, device});
    s->volumes.push_back(Attachment{volume_id, device});
  };
  attach(p.production_volume, inst.source_server);
  attach(p.dr_volume, inst.target_server);
}

void Emulator::unlink(Instance &inst, Pair &p) {
  auto drop = [](std::vector<Attachment> &list, const std::string &id) {
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (it->id == id) {
        list.erase(it);
        return;
      }
    }
  };
  drop(inst.attachments, p.id);
  drop(p.attachments, inst.id);
  auto detach = [this, &drop](const std::string &volume_id, const std::string &server_id) {
    Volume *v = volumes_.find(volume_id);
    Server *s = servers_.find(server_id);
    if (v != nullptr) drop(v->attachments, server_id);
    if (s != nullptr) drop(s->volumes, volume_id);
  };
  detach(p.production_volume, inst.source_server);
  detach(p.dr_volume, inst.target_server);
}

// ---- NICs ----

bool Emulator::nic_change_allowed(const Instance &inst, Response *err) {
  const Group *g = find_group(inst.group_id);
  if (g == nullptr || !group_open(g->status)) {
    *err = state_error("SDRS.1024", "protection group status is " +
                                        (g != nullptr ? g->status : std::string("unknown")) +
                                        "; NIC changes need available or protected");
    return false;
  }
  if (!group_open(inst.status)) {
    *err =
        state_error("SDRS.1327", "NIC operations are not allowed while the protected instance is " +
                                     inst.status);
    return false;
  }
  return true;
}

Response Emulator::add_nic(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  std::string subnet, ip;
  if (!opt_string(d, "subnet_id", &subnet) || subnet.empty()) {
    return bad_request("SDRS.0201", "subnet_id is missing or not a non-empty string");
  }
  if (!opt_string(d, "ip_address", &ip) || (!ip.empty() && !valid_ipv4(ip))) {
    return bad_request("SDRS.0219", "ip_address must be an IPv4 address");
  }
  if (const rapidjson::Value *sgs = member(d, "security_groups")) {
    bool ok = sgs->IsArray();
    for (rapidjson::SizeType i = 0; ok && i < sgs->Size(); i++) {
      const rapidjson::Value &sg = (*sgs)[i];
      const rapidjson::Value *sg_id = sg.IsObject() ? member(sg, "id") : nullptr;
      ok = sg_id != nullptr && sg_id->IsString() && sg_id->GetStringLength() > 0;
    }
    if (!ok)
      return bad_request("SDRS.0201", "security_groups must be an array of objects with an id");
  }
  Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  Response err;
  if (!nic_change_allowed(*inst, &err)) return err;
  if (inst->nics.size() >= 12) {
    return state_error("SDRS.1340", "a protected instance has at most 12 NICs");
  }
  for (const auto &entry : instances_) {
    for (const Nic &n : entry.second.nics) {
      if (!ip.empty() && n.ip_address == ip && n.subnet_id == subnet) {
        return bad_request("SDRS.1334", "IP address " + ip + " is already used in the subnet");
      }
    }
  }
  inst->resume_status = inst->status;
  inst->status = "nic-creating";
  inst->updated_ms = now;
  Job &job = new_job(Action::kAddNic, inst->group_id, inst->name, now);
  job.instance_id = inst->id;
  // The NIC is kept in the job until it succeeds.
  job.nic = Nic{uuid_v4(), subnet,
                ip.empty() ? auto_ip(instances_.size() * 12 + inst->nics.size()) : ip, false};
  job.nic_id = job.nic.id;
  return Response{200, job_id_body(job.id)};
}

Response Emulator::delete_nic(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  std::string nic_id;
  if (!opt_string(d, "nic_id", &nic_id) || nic_id.empty()) {
    return bad_request("SDRS.0223", "nic_id is missing or not a non-empty string");
  }
  Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  Response err;
  if (!nic_change_allowed(*inst, &err)) return err;
  const Nic *nic = nullptr;
  for (const Nic &n : inst->nics) {
    if (n.id == nic_id) nic = &n;
  }
  if (nic == nullptr) return not_found("SDRS.1310", "NIC " + nic_id + " not found");
  if (nic->primary) return bad_request("SDRS.1311", "the primary NIC cannot be deleted");
  inst->resume_status = inst->status;
  inst->status = "nic-deleting";
  inst->updated_ms = now;
  Job &job = new_job(Action::kDeleteNic, inst->group_id, inst->name, now);
  job.instance_id = inst->id;
  job.nic_id = nic_id;
  return Response{200, job_id_body(job.id)};
}

// ---- resize ----

Response Emulator::resize_instance(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  Response err;
  const rapidjson::Value *rs = wrapped(d, "resize", &err);
  if (rs == nullptr) return err;
  std::string both, production, dr;
  if (!opt_string(*rs, "flavorRef", &both) ||
      !opt_string(*rs, "production_flavorRef", &production) ||
      !opt_string(*rs, "dr_flavorRef", &dr)) {
    return bad_request("SDRS.0201",
                       "flavorRef, production_flavorRef and dr_flavorRef must be non-empty "
                       "strings");
  }
  // flavorRef wins over the other two (3.10).
  if (!both.empty()) production = dr = both;
  if (production.empty() && dr.empty()) {
    return bad_request("SDRS.0201", "resize needs flavorRef, production_flavorRef or dr_flavorRef");
  }
  Instance *inst = instances_.find(id);
  if (inst == nullptr) return instance_not_found(id);
  Group *g = find_group(inst->group_id);
  if (g == nullptr || !group_open(g->status)) {
    return state_error("SDRS.1024", "protection group status is " +
                                        (g != nullptr ? g->status : std::string("unknown")) +
                                        "; resize needs available or protected");
  }
  if (!one_of(inst->status, {"available", "protected", "error-resizing"})) {
    return state_error("SDRS.1328",
                       "protected instance status " + inst->status + " does not allow a resize");
  }
  const Server *src = servers_.find(inst->source_server);
  const Server *tgt = servers_.find(inst->target_server);
  const bool prod_change = src != nullptr && !production.empty() && production != src->flavor;
  const bool dr_change = tgt != nullptr && !dr.empty() && dr != tgt->flavor;
  if (!prod_change && !dr_change) {
    return bad_request("SDRS.1341", "the requested flavor equals the current flavor");
  }
  // Every server whose flavor changes must be stopped; "production"/"DR" follow the sites.
  const bool switched = g->priority_station == "target";
  const Server *cur_prod = switched ? tgt : src;
  for (const Server *s : {prod_change ? src : nullptr, dr_change ? tgt : nullptr}) {
    if (s == nullptr || s->status == "SHUTOFF") continue;
    if (s == cur_prod) {
      return state_error("SDRS.1352", "the current production-site server is not stopped");
    }
    return state_error("SDRS.1342", "the current DR-site server is not stopped");
  }
  inst->resume_status = inst->status == "error-resizing" ? "available" : inst->status;
  inst->status = "resizing";
  inst->updated_ms = now;
  Job &job = new_job(Action::kResize, inst->group_id, inst->name, now);
  job.instance_id = inst->id;
  job.production_flavor = prod_change ? production : "";
  job.dr_flavor = dr_change ? dr : "";
  return Response{200, job_id_body(job.id)};
}

// ---- job outcomes ----

void Emulator::finish_instance_job(Job &job, int64_t end_ms) {
  Instance *inst = instances_.find(job.instance_id);
  if (inst == nullptr) return;
  inst->updated_ms = end_ms;
  Group *g = find_group(inst->group_id);
  const std::string settled = g != nullptr && g->status == "protected" ? "protected" : "available";
  switch (job.action) {
    case Action::kCreateInstance:
      if (job.fail) {
        roll_back_instance(*inst);
        inst->status = "error";
        return;
      }
      inst->status = settled;
      for (const Attachment &a : inst->attachments) {
        Pair *p = pairs_.find(a.id);
        if (p != nullptr && p->status == "creating") {
          p->status = settled;
          p->updated_ms = end_ms;
        }
      }
      return;
    case Action::kDeleteInstance:
      if (job.fail) {
        inst->status = "error-deleting";
        return;
      }
      remove_instance(*inst, job.delete_target_server);
      return;
    case Action::kAttach:
    case Action::kDetach: {
      Pair *p = pairs_.find(job.pair_id);
      if (p == nullptr) return;
      p->updated_ms = end_ms;
      if (job.fail) {
        // A failed attach leaves nothing attached.
        if (job.action == Action::kAttach) unlink(*inst, *p);
        p->status = job.action == Action::kAttach ? "error-attaching" : "error-detaching";
        return;
      }
      if (job.action == Action::kDetach) unlink(*inst, *p);
      p->status = p->resume_status;
      return;
    }
    case Action::kAddNic:
      // No error status exists for NIC jobs (3.8, UNCONFIRMED): the instance returns to its
      // previous status either way; only success adds the NIC.
      if (!job.fail) inst->nics.push_back(job.nic);
      inst->status = inst->resume_status;
      return;
    case Action::kDeleteNic:
      if (!job.fail) {
        for (auto it = inst->nics.begin(); it != inst->nics.end(); ++it) {
          if (it->id == job.nic_id) {
            inst->nics.erase(it);
            break;
          }
        }
      }
      inst->status = inst->resume_status;
      return;
    case Action::kResize:
      if (job.fail) {
        inst->status = "error-resizing";
        return;
      }
      if (Server *s = servers_.find(inst->source_server)) {
        if (!job.production_flavor.empty()) s->flavor = job.production_flavor;
      }
      if (Server *s = servers_.find(inst->target_server)) {
        if (!job.dr_flavor.empty()) s->flavor = job.dr_flavor;
      }
      inst->status = inst->resume_status;
      return;
    default:
      return;
  }
}

}  // namespace emu
