// Replication pairs (spec-more 4): create (the DR disk appears in the DR AZ), list, get, rename,
// delete (a DELETE with a body), expand.
#include <algorithm>
#include <cmath>

#include "common.hpp"

namespace emu {
namespace {

bool group_allows_pair_delete(const std::string &s) {
  return one_of(s,
                {"available", "protected", "failed-over", "error-starting", "error-stopping",
                 "error-reversing", "error-failing-over", "error-deleting", "error-reprotecting"});
}

bool pair_deletable(const std::string &s) {
  return one_of(
      s, {"available", "protected", "failed-over", "error", "error-starting", "error-stopping",
          "error-reversing", "error-failing-over", "error-deleting", "error-reprotecting",
          "error-attaching", "error-extending", "invalid", "fault"});
}

// Derived from the pair's status (4.7): in sync while protected, copying while (re)starting.
const char *replication_status(const std::string &s) {
  if (one_of(s, {"protected", "stopping", "reversing", "failing-over"})) return "active";
  if (s == "starting" || s == "reprotecting") return "copying";
  if (s == "failed-over" || s == "error-failing-over") return "active-stopped";
  return "inactive";
}

Response pair_not_found(const std::string &id) {
  return not_found("SDRS.1608", "replication pair " + id + " not found");
}

// "yyyy-MM-ddTHH:mm:ss.SSSSSS", no zone (4.7).
std::string pair_time(int64_t ms) {
  std::string t = format_time(ms, true);
  t.pop_back();  // the Z
  return t + "000";
}

}  // namespace

Response Emulator::pairs_route(const Request &req, const Segs &segs, int64_t now) {
  const std::string &m = req.method;
  const size_t n = segs.size();
  if (n == 3) {
    if (m == "GET") return list_pairs(req);
    if (m == "POST") return create_pair(req, now);
    return bad_method();
  }
  if (n == 4) {
    if (m == "GET") return get_pair(segs[3]);
    if (m == "PUT") return rename_pair(segs[3], req, now);
    if (m == "DELETE") return delete_pair(segs[3], req, now);
    return bad_method();
  }
  if (n == 5 && segs[4] == "action") {
    return m == "POST" ? pair_action(segs[3], req, now) : bad_method();
  }
  return no_route();
}

void Emulator::write_pair(Writer &w, const Pair &p) const {
  auto git = groups_.find(p.group_id);
  const std::string station = git != groups_.end() ? git->second->priority_station : "source";
  const Volume *vol = volumes_.find(p.production_volume);
  w.StartObject();
  w.Key("id");
  write_str(w, p.id);
  w.Key("name");
  write_str(w, p.name);
  w.Key("description");
  if (p.has_description) {
    write_str(w, p.description);
  } else {
    w.Null();
  }
  w.Key("replication_model");
  w.String("hypermetro");
  w.Key("status");
  write_str(w, p.status);
  w.Key("progress");
  w.Int(p.status == "protected" ? 100 : 0);
  w.Key("replication_status");
  w.String(replication_status(p.status));
  w.Key("attachment");
  w.StartArray();
  for (const Attachment &a : p.attachments) {
    w.StartObject();
    w.Key("protected_instance");
    write_str(w, a.id);
    w.Key("device");
    write_str(w, a.device);
    w.EndObject();
  }
  w.EndArray();
  w.Key("server_group_id");
  write_str(w, p.group_id);
  // One string, production disk first (both Terraform providers read it so, 4.7).
  w.Key("volume_ids");
  write_str(w, p.production_volume + "," + p.dr_volume);
  w.Key("priority_station");
  write_str(w, station);
  w.Key("fault_level");
  w.String("0");
  w.Key("created_at");
  write_str(w, pair_time(p.created_ms));
  w.Key("updated_at");
  write_str(w, pair_time(p.updated_ms));
  w.Key("record_metadata");
  w.StartObject();
  w.Key("multiattach");
  w.Bool(vol != nullptr && vol->multiattach);
  w.Key("bootable");
  w.Bool(vol != nullptr && vol->bootable);
  w.Key("volume_size");
  const int64_t size = vol != nullptr ? vol->size_gb : 0;
  if (volume_size_as_string_) {
    write_str(w, std::to_string(size));  // as the rename example sends it (13 D4)
  } else {
    w.Int64(size);
  }
  w.Key("volume_type");
  write_str(w, vol != nullptr ? vol->volume_type : std::string("SAS"));
  w.EndObject();
  w.Key("failure_detail");
  if (p.status == "error" && !p.failure_detail.empty()) {
    write_str(w, p.failure_detail);
  } else {
    w.Null();
  }
  w.EndObject();
}

std::string Emulator::pair_json(const Pair &p) const {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("replication");
  write_pair(w, p);
  w.EndObject();
  return buffer_text(sb);
}

Pair &Emulator::add_pair(Group &g, Volume &vol, const std::string &name, int64_t now) {
  Volume dr = vol;  // same size, type and flags; the DR disk keeps the production name (4.1)
  dr.id = uuid_v4();
  dr.availability_zone = dr_az(g);
  dr.status.clear();
  dr.attachments.clear();
  dr.dr = true;
  Pair p;
  p.id = uuid_v4();
  p.name = name;
  p.group_id = g.id;
  p.status = "creating";
  p.production_volume = vol.id;
  p.dr_volume = dr.id;
  p.created_ms = p.updated_ms = now;
  dr.pair_id = p.id;
  vol.pair_id = p.id;
  volumes_.add(dr);
  g.replication_num++;
  return pairs_.add(p);
}

void Emulator::remove_pair(const std::string &pair_id, bool delete_dr_volume) {
  Pair *p = pairs_.find(pair_id);
  if (p == nullptr) return;
  if (Volume *v = volumes_.find(p->production_volume)) v->pair_id.clear();
  if (Volume *v = volumes_.find(p->dr_volume)) {
    v->pair_id.clear();
    if (delete_dr_volume) {
      for (const Attachment &a : v->attachments) {
        Server *s = servers_.find(a.id);
        if (s == nullptr) continue;
        for (auto it = s->volumes.begin(); it != s->volumes.end(); ++it) {
          if (it->id == v->id) {
            s->volumes.erase(it);
            break;
          }
        }
      }
      volumes_.erase(v->id);
    }
  }
  if (Group *g = find_group(p->group_id)) {
    if (g->replication_num > 0) g->replication_num--;
  }
  pairs_.erase(pair_id);
}

Response Emulator::create_pair(const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  const rapidjson::Value *r = member(d, "replication");
  if (r == nullptr || !r->IsObject()) {
    return bad_request("SDRS.0201", "replication is missing or not an object");
  }
  const rapidjson::Value *gid = member(*r, "server_group_id");
  if (gid == nullptr || !gid->IsString() || gid->GetStringLength() == 0) {
    return bad_request("SDRS.0207", "server_group_id is missing or not a non-empty string");
  }
  const rapidjson::Value *vid = member(*r, "volume_id");
  if (vid == nullptr || !vid->IsString() || vid->GetStringLength() == 0) {
    return bad_request("SDRS.0211", "volume_id is missing or not a non-empty string");
  }
  const rapidjson::Value *name = member(*r, "name");
  if (!valid_name(name)) {
    return bad_request("SDRS.0202", "name must be 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  const rapidjson::Value *desc = member(*r, "description");
  if (!valid_description(desc)) {
    return bad_request("SDRS.0212", "description must be at most 64 bytes without < or >");
  }
  // CH docs and the Huawei SDK only (4.1): tolerated, not used.
  const rapidjson::Value *cluster = member(*r, "cluster_id");
  if (cluster != nullptr && !cluster->IsNull() && !cluster->IsString()) {
    return bad_request("SDRS.0201", "cluster_id must be a string");
  }
  Group *g = find_group(gid->GetString());
  if (g == nullptr) return group_not_found(gid->GetString());
  if (g->status != "available" && g->status != "protected") {
    return state_error("SDRS.1024", "protection group status is " + g->status +
                                        "; pairs can be created while available or protected");
  }
  Volume *vol = volumes_.find(vid->GetString());
  if (vol == nullptr) {
    return not_found("SDRS.0211", std::string("disk ") + vid->GetString() + " not found");
  }
  if (vol->encrypted) {
    return bad_request("SDRS.1802", "encrypted disks cannot form a replication pair");
  }
  if (vol->availability_zone != production_az(*g)) {
    return bad_request("SDRS.1810", "disk AZ " + vol->availability_zone +
                                        " differs from the group's production AZ " +
                                        production_az(*g));
  }
  if (!vol->pair_id.empty()) {
    return state_error("SDRS.1811", "disk is already used by replication pair " + vol->pair_id);
  }
  if (vol->current_status() != "available") {
    return state_error("SDRS.1801", "disk status is " + vol->current_status() +
                                        "; a pair needs an available disk");
  }
  if (quota_exceeded_pairs(1)) {
    return state_error("SDRS.0306", "replication pair quota exceeded");
  }
  Pair &p = add_pair(*g, *vol, std::string(name->GetString(), name->GetStringLength()), now);
  p.has_description = desc != nullptr && !desc->IsNull();
  if (p.has_description) p.description = desc->GetString();
  Job &job = new_job(Action::kCreatePair, g->id, p.name, now);
  job.pair_id = p.id;
  job.volume_ids = p.production_volume + "," + p.dr_volume;
  return Response{200, job_id_body(job.id)};
}

Response Emulator::list_pairs(const Request &req) {
  ListQuery q;
  Response err;
  if (!parse_list_query(req, &q, &err)) return err;
  // Each _ids list overrides its single-id twin (4.2); group and instance filters combine with
  // AND (UNCONFIRMED).
  const std::string *group = q.has_groups ? nullptr : filter_param(req, "server_group_id");
  const std::string *instance =
      q.has_instances ? nullptr : filter_param(req, "protected_instance_id");
  const std::string *status = filter_param(req, "status");
  const std::string *name = filter_param(req, "name");
  const std::string *az = filter_param(req, "availability_zone");
  const std::string *volume = filter_param(req, "volume_id");
  auto attached_to = [](const Pair &p, const std::string &inst) {
    return std::any_of(p.attachments.begin(), p.attachments.end(),
                       [&inst](const Attachment &a) { return a.id == inst; });
  };
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("replications");
  w.StartArray();
  int64_t count = 0, emitted = 0;
  for (const auto &entry : pairs_) {
    const Pair &p = entry.second;
    if (group != nullptr && p.group_id != *group) continue;
    if (q.has_groups && !contains(q.group_ids, p.group_id)) continue;
    if (instance != nullptr && !attached_to(p, *instance)) continue;
    if (q.has_instances) {
      bool any = false;
      for (const std::string &i : q.instance_ids) any = any || attached_to(p, i);
      if (!any) continue;
    }
    if (status != nullptr && p.status != *status) continue;
    if (name != nullptr && p.name.find(*name) == std::string::npos) continue;
    if (volume != nullptr && p.production_volume != *volume && p.dr_volume != *volume) continue;
    if (q.abnormal && !abnormal_status(p.status)) continue;
    if (az != nullptr && !in_production_az(p.group_id, *az)) continue;
    count++;
    if (count > q.offset && emitted < q.limit) {
      write_pair(w, p);
      emitted++;
    }
  }
  w.EndArray();
  w.Key("count");
  w.Int64(count);
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::get_pair(const std::string &id) {
  const Pair *p = pairs_.find(id);
  if (p == nullptr) return pair_not_found(id);
  return Response{200, pair_json(*p)};
}

Response Emulator::rename_pair(const std::string &id, const Request &req, int64_t now) {
  std::string name;
  Response err;
  if (!parse_rename(req, "replication", &name, &err)) return err;
  Pair *p = pairs_.find(id);
  if (p == nullptr) return pair_not_found(id);
  p->name = name;
  p->updated_ms = now;
  return Response{200, pair_json(*p)};
}

Response Emulator::delete_pair(const std::string &id, const Request &req, int64_t now) {
  // The replication wrapper is mandatory although both members are optional (4.5).
  rapidjson::Document d;
  if (!parse_object(req.body, d)) {
    return bad_request("SDRS.0201", "the body must be a replication object (4.5)");
  }
  const rapidjson::Value *r = member(d, "replication");
  if (r == nullptr || !r->IsObject()) {
    return bad_request("SDRS.0201", "replication is missing or not an object");
  }
  const rapidjson::Value *gid = member(*r, "server_group_id");
  const rapidjson::Value *dtv = member(*r, "delete_target_volume");
  if (gid != nullptr && !gid->IsNull() && !gid->IsString()) {
    return bad_request("SDRS.0207", "server_group_id must be a string");
  }
  if (dtv != nullptr && !dtv->IsBool()) {
    return bad_request("SDRS.0201", "delete_target_volume must be a boolean");
  }
  Pair *p = pairs_.find(id);
  if (p == nullptr) return pair_not_found(id);
  if (gid != nullptr && gid->IsString() && gid->GetStringLength() > 0 &&
      p->group_id != gid->GetString()) {
    return bad_request("SDRS.1611", "replication pair does not belong to protection group " +
                                        std::string(gid->GetString()));
  }
  if (!p->attachments.empty()) {
    return state_error("SDRS.1605", "replication pair is attached to protected instance " +
                                        p->attachments[0].id + "; detach it first");
  }
  Group *g = find_group(p->group_id);
  if (g != nullptr && !group_allows_pair_delete(g->status)) {
    return state_error("SDRS.1002", "protection group status " + g->status +
                                        " does not allow deleting replication pairs");
  }
  if (!pair_deletable(p->status)) {
    return state_error("SDRS.0214",
                       "replication pair status " + p->status + " does not allow deletion");
  }
  const bool delete_volume = dtv != nullptr && dtv->GetBool();
  if (delete_volume && g != nullptr && g->priority_station == "target") {
    return state_error("SDRS.1809",
                       "the pair's production site is the original DR site; its DR-site disk "
                       "cannot be deleted until the sites are switched back");
  }
  p->status = "deleting";
  p->updated_ms = now;
  Job &job = new_job(Action::kDeletePair, p->group_id, p->name, now);
  job.pair_id = p->id;
  job.delete_target_volume = delete_volume;
  return Response{200, job_id_body(job.id)};
}

Response Emulator::pair_action(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  if (d.MemberCount() != 1 ||
      std::string(d.MemberBegin()->name.GetString()) != "extend-replication") {
    return bad_request("SDRS.0206", "the body must hold exactly the action extend-replication");
  }
  const rapidjson::Value &ext = d.MemberBegin()->value;
  if (!ext.IsObject()) return bad_request("SDRS.0201", "extend-replication must be an object");
  const rapidjson::Value *ns = member(ext, "new_size");
  if (ns == nullptr || !ns->IsNumber() || !std::isfinite(ns->GetDouble())) {
    return bad_request("SDRS.0201", "new_size must be a number of GB");
  }
  // A fractional size is truncated (4.6).
  const double raw = ns->GetDouble();
  if (raw < 1 || raw > 32768) {
    return bad_request("SDRS.0201", "new_size must be from 1 to 32768 GB");
  }
  const auto new_size = static_cast<int64_t>(raw);
  Pair *p = pairs_.find(id);
  if (p == nullptr) return pair_not_found(id);
  if (!one_of(p->status, {"available", "protected", "error-extending"})) {
    return state_error("SDRS.0214",
                       "replication pair status " + p->status + " does not allow expansion");
  }
  const Volume *vol = volumes_.find(p->production_volume);
  const int64_t current = vol != nullptr ? vol->size_gb : 0;
  if (new_size <= current) {
    return bad_request("SDRS.0201", "new_size " + std::to_string(new_size) +
                                        " must exceed the current size " + std::to_string(current) +
                                        " GB (no shrinking)");
  }
  if (vol != nullptr && vol->multiattach && vol->current_status() == "in-use") {
    return state_error("SDRS.1818", "shared disks that are in use cannot be expanded online");
  }
  p->resume_status = p->status == "error-extending" ? "available" : p->status;
  p->status = "extending";
  p->updated_ms = now;
  Job &job = new_job(Action::kExpandPair, p->group_id, p->name, now);
  job.pair_id = p->id;
  job.new_size = new_size;
  return Response{200, job_id_body(job.id)};
}

void Emulator::finish_pair_job(Job &job, int64_t end_ms) {
  Pair *p = pairs_.find(job.pair_id);
  if (p == nullptr) return;
  p->updated_ms = end_ms;
  Group *g = find_group(p->group_id);
  switch (job.action) {
    case Action::kCreatePair:
      if (job.fail) {
        p->status = "error";
        p->failure_detail = job.error_code;
        return;
      }
      p->status = g != nullptr && g->status == "protected" ? "protected" : "available";
      return;
    case Action::kDeletePair:
      if (job.fail) {
        p->status = "error-deleting";
        return;
      }
      remove_pair(p->id, job.delete_target_volume);
      return;
    case Action::kExpandPair:
      if (job.fail) {
        p->status = "error-extending";
        return;
      }
      for (const std::string &vid : {p->production_volume, p->dr_volume}) {
        if (Volume *v = volumes_.find(vid)) v->size_gb = job.new_size;
      }
      p->status = p->resume_status;
      return;
    default:
      return;
  }
}

}  // namespace emu
