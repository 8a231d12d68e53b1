// The ECS servers and EVS disks that exist: the default set, the fixtures file format, the admin
// listings tests use to discover ids, and the admin override of a server's status.
#include <algorithm>
#include <set>

#include "common.hpp"

namespace emu {
namespace {

// Default-set ids: UUID-shaped, with the item number readable at the end.
const char *const kVpcA = "a0000000-0000-4000-8000-00000000000a";
const char *const kVpcB = "b0000000-0000-4000-8000-00000000000b";
const char *const kAz1 = "eu-de-01";  // dr-domain-a's production AZ
const char *const kAz2 = "eu-de-02";

std::string server_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "5e000000-0000-4000-8000-%012d", n);
  return buf;
}

std::string volume_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "d0000000-0000-4000-8000-%012d", n);
  return buf;
}

Volume make_volume(int n, const std::string &name, int64_t size, const char *type, const char *az,
                   bool bootable, bool multiattach) {
  Volume v;
  v.id = volume_id(n);
  v.name = name;
  v.size_gb = size;
  v.volume_type = type;
  v.availability_zone = az;
  v.bootable = bootable;
  v.multiattach = multiattach;
  return v;
}

Server make_server(int n, const std::string &name, const char *status, const char *az,
                   const char *vpc, std::vector<Attachment> disks) {
  Server s;
  s.id = server_id(n);
  s.name = name;
  s.status = status;
  s.availability_zone = az;
  s.vpc_id = vpc;
  s.flavor = "s3.large.2";
  s.volumes = std::move(disks);
  return s;
}

bool device_ok(const std::string &d) {
  return d.size() == 8 && (d.compare(0, 7, "/dev/vd") == 0 || d.compare(0, 7, "/dev/sd") == 0) &&
         d[7] >= 'a' && d[7] <= 'z';
}

bool get_string(const rapidjson::Value &obj, const char *key, bool required, std::string *out,
                const std::string &where, std::string *error) {
  const rapidjson::Value *v = member(obj, key);
  if (v == nullptr) {
    if (!required) return true;
    *error = where + "." + key + ": missing";
    return false;
  }
  if (!v->IsString() || v->GetStringLength() == 0) {
    *error = where + "." + key + ": must be a non-empty string";
    return false;
  }
  out->assign(v->GetString(), v->GetStringLength());
  return true;
}

bool get_bool(const rapidjson::Value &obj, const char *key, bool *out, const std::string &where,
              std::string *error) {
  const rapidjson::Value *v = member(obj, key);
  if (v == nullptr) return true;
  if (!v->IsBool()) {
    *error = where + "." + key + ": must be a boolean";
    return false;
  }
  *out = v->GetBool();
  return true;
}

bool parse_volume(const rapidjson::Value &o, const std::string &where, Volume *v,
                  std::string *error) {
  if (!o.IsObject()) {
    *error = where + ": must be an object";
    return false;
  }
  if (!get_string(o, "id", true, &v->id, where, error) ||
      !get_string(o, "availability_zone", true, &v->availability_zone, where, error) ||
      !get_string(o, "name", false, &v->name, where, error) ||
      !get_string(o, "volume_type", false, &v->volume_type, where, error) ||
      !get_string(o, "status", false, &v->status, where, error) ||
      !get_bool(o, "bootable", &v->bootable, where, error) ||
      !get_bool(o, "multiattach", &v->multiattach, where, error) ||
      !get_bool(o, "encrypted", &v->encrypted, where, error)) {
    return false;
  }
  if (const rapidjson::Value *size = member(o, "size")) {
    if (!size->IsInt64() || size->GetInt64() < 1 || size->GetInt64() > 32768) {
      *error = where + ".size: must be an integer from 1 to 32768 (GB)";
      return false;
    }
    v->size_gb = size->GetInt64();
  }
  return true;
}

bool parse_server(const rapidjson::Value &o, const std::string &where, Server *s,
                  std::string *error) {
  if (!o.IsObject()) {
    *error = where + ": must be an object";
    return false;
  }
  s->status = "ACTIVE";
  s->flavor = "s3.large.2";
  if (!get_string(o, "id", true, &s->id, where, error) ||
      !get_string(o, "availability_zone", true, &s->availability_zone, where, error) ||
      !get_string(o, "vpc_id", true, &s->vpc_id, where, error) ||
      !get_string(o, "name", false, &s->name, where, error) ||
      !get_string(o, "status", false, &s->status, where, error) ||
      !get_string(o, "flavor", false, &s->flavor, where, error)) {
    return false;
  }
  const rapidjson::Value *disks = member(o, "volumes");
  if (disks == nullptr) return true;
  if (!disks->IsArray()) {
    *error = where + ".volumes: must be an array";
    return false;
  }
  for (rapidjson::SizeType i = 0; i < disks->Size(); i++) {
    std::string at = where + ".volumes[" + std::to_string(i) + "]";
    Attachment a;
    if (!(*disks)[i].IsObject()) {
      *error = at + ": must be an object";
      return false;
    }
    if (!get_string((*disks)[i], "device", true, &a.device, at, error) ||
        !get_string((*disks)[i], "volume_id", true, &a.id, at, error)) {
      return false;
    }
    if (!device_ok(a.device)) {
      *error = at + ".device: must be /dev/vdX or /dev/sdX";
      return false;
    }
    s->volumes.push_back(a);
  }
  return true;
}

void write_attachments(Writer &w, const std::vector<Attachment> &list, const char *id_key) {
  w.StartArray();
  for (const Attachment &a : list) {
    w.StartObject();
    w.Key(id_key);
    write_str(w, a.id);
    w.Key("device");
    write_str(w, a.device);
    w.EndObject();
  }
  w.EndArray();
}

void write_opt(Writer &w, const std::string &s) {
  if (s.empty()) {
    w.Null();
  } else {
    write_str(w, s);
  }
}

bool parse_vpc(const rapidjson::Value &o, const std::string &where, Vpc *v, std::string *error) {
  if (!o.IsObject()) {
    *error = where + ": must be an object";
    return false;
  }
  if (!get_string(o, "id", true, &v->id, where, error) ||
      !get_string(o, "name", false, &v->name, where, error)) {
    return false;
  }
  const rapidjson::Value *cidrs = member(o, "cidrs");
  if (cidrs == nullptr) return true;
  auto non_empty_string = [](const rapidjson::Value &c) {
    return c.IsString() && c.GetStringLength() > 0;
  };
  if (!cidrs->IsArray() || !std::all_of(cidrs->Begin(), cidrs->End(), non_empty_string)) {
    *error = where + ".cidrs: must be an array of non-empty strings";
    return false;
  }
  for (const rapidjson::Value &c : cidrs->GetArray()) {
    v->cidrs.emplace_back(c.GetString(), c.GetStringLength());
  }
  return true;
}

Vpc make_vpc(const char *id, const char *name, std::vector<std::string> cidrs) {
  Vpc v;
  v.id = id;
  v.name = name;
  v.cidrs = std::move(cidrs);
  return v;
}

}  // namespace

Fixtures default_fixtures() {
  Fixtures f;
  f.vpcs = {
      make_vpc(kVpcA, "vpc-default", {"192.168.0.0/24"}),
      make_vpc(kVpcB, "vpc-other", {"192.168.0.0/24"}),
      make_vpc("c0000000-0000-4000-8000-00000000000c", "vpc-drill", {"192.168.0.0/24"}),
      make_vpc("e0000000-0000-4000-8000-00000000000e", "vpc-empty", {}),
      make_vpc("f0000000-0000-4000-8000-00000000000f", "vpc-other-cidr", {"10.0.0.0/16"}),
  };
  auto disk = [](int n, const char *device) { return Attachment{volume_id(n), device}; };
  f.volumes = {
      make_volume(1, "app-1-sys", 40, "SSD", kAz1, true, false),
      make_volume(2, "app-1-data", 100, "SAS", kAz1, false, false),
      make_volume(3, "app-2-sys", 40, "SSD", kAz1, true, false),
      make_volume(4, "app-2-data-1", 50, "SAS", kAz1, false, false),
      make_volume(5, "app-2-data-2", 20, "SATA", kAz1, false, false),
      make_volume(6, "db-1-sys", 40, "SSD", kAz1, true, false),
      make_volume(7, "db-1-data", 200, "SSD", kAz1, false, false),
      make_volume(8, "app-3-sys", 40, "SSD", kAz1, true, false),
      make_volume(9, "app-3-data", 40, "SAS", kAz1, false, false),
      make_volume(10, "stopped-1-sys", 40, "SSD", kAz1, true, false),
      make_volume(11, "stopped-1-data", 30, "SAS", kAz1, false, false),
      make_volume(12, "wrong-az-sys", 40, "SSD", kAz2, true, false),
      make_volume(13, "other-vpc-sys", 40, "SSD", kAz1, true, false),
      make_volume(14, "broken-sys", 40, "SSD", kAz1, true, false),
      make_volume(15, "cluster-1-sys", 40, "SSD", kAz1, true, false),
      make_volume(16, "cluster-1-shared", 100, "SSD", kAz1, false, true),
      make_volume(17, "no-system-disk-data", 20, "SAS", kAz1, false, false),
      make_volume(20, "shared-1", 100, "SSD", kAz1, false, true),
      make_volume(21, "shared-2", 50, "SAS", kAz1, false, true),
      make_volume(22, "data-1", 20, "SAS", kAz1, false, false),
      make_volume(23, "data-2", 30, "SAS", kAz1, false, false),
      make_volume(24, "data-wrong-az", 20, "SAS", kAz2, false, false),
      make_volume(25, "data-encrypted", 20, "SAS", kAz1, false, false),
      make_volume(26, "data-error", 20, "SAS", kAz1, false, false),
  };
  f.volumes[22].encrypted = true;  // data-encrypted
  f.volumes[23].status = "error";  // data-error
  f.servers = {
      make_server(1, "app-1", "ACTIVE", kAz1, kVpcA, {disk(1, "/dev/vda"), disk(2, "/dev/vdb")}),
      make_server(2, "app-2", "ACTIVE", kAz1, kVpcA,
                  {disk(3, "/dev/vda"), disk(4, "/dev/vdb"), disk(5, "/dev/vdc")}),
      make_server(3, "db-1", "ACTIVE", kAz1, kVpcA, {disk(6, "/dev/vda"), disk(7, "/dev/vdb")}),
      make_server(4, "app-3", "ACTIVE", kAz1, kVpcA, {disk(8, "/dev/vda"), disk(9, "/dev/vdb")}),
      make_server(5, "stopped-1", "SHUTOFF", kAz1, kVpcA,
                  {disk(10, "/dev/vda"), disk(11, "/dev/vdb")}),
      make_server(6, "wrong-az", "ACTIVE", kAz2, kVpcA, {disk(12, "/dev/vda")}),
      make_server(7, "other-vpc", "ACTIVE", kAz1, kVpcB, {disk(13, "/dev/vda")}),
      make_server(8, "broken", "ERROR", kAz1, kVpcA, {disk(14, "/dev/vda")}),
      make_server(9, "cluster-1", "ACTIVE", kAz1, kVpcA,
                  {disk(15, "/dev/vda"), disk(16, "/dev/vdb")}),
      make_server(10, "no-system-disk", "ACTIVE", kAz1, kVpcA, {disk(17, "/dev/vdb")}),
      make_server(11, "diskless", "ACTIVE", kAz1, kVpcA, {}),
  };
  return f;
}

bool parse_fixtures(const std::string &json, Fixtures *out, std::string *error) {
  rapidjson::Document d;
  if (!parse_object(json, d)) {
    *error = "fixtures: must be a JSON object";
    return false;
  }
  Fixtures f;
  const rapidjson::Value *vols = member(d, "volumes");
  const rapidjson::Value *srvs = member(d, "servers");
  if ((vols != nullptr && !vols->IsArray()) || (srvs != nullptr && !srvs->IsArray())) {
    *error = "fixtures: servers and volumes must be arrays";
    return false;
  }
  if (!get_bool(d, "volume_size_as_string", &f.volume_size_as_string, "fixtures", error)) {
    return false;
  }
  const rapidjson::Value *vpcs = member(d, "vpcs");
  if (vpcs != nullptr && !vpcs->IsArray()) {
    *error = "fixtures: vpcs must be an array";
    return false;
  }
  std::set<std::string> vpc_ids;
  for (rapidjson::SizeType i = 0; vpcs != nullptr && i < vpcs->Size(); i++) {
    Vpc v;
    std::string where = "vpcs[" + std::to_string(i) + "]";
    if (!parse_vpc((*vpcs)[i], where, &v, error)) return false;
    if (!vpc_ids.insert(v.id).second) {
      *error = where + ".id: duplicate " + v.id;
      return false;
    }
    f.vpcs.push_back(v);
  }
  std::map<std::string, bool> multi;  // volume id -> multiattach
  std::set<std::string> attached;
  for (rapidjson::SizeType i = 0; vols != nullptr && i < vols->Size(); i++) {
    Volume v;
    if (!parse_volume((*vols)[i], "volumes[" + std::to_string(i) + "]", &v, error)) return false;
    if (!multi.emplace(v.id, v.multiattach).second) {
      *error = "volumes[" + std::to_string(i) + "].id: duplicate " + v.id;
      return false;
    }
    f.volumes.push_back(v);
  }
  std::set<std::string> server_ids;
  for (rapidjson::SizeType i = 0; srvs != nullptr && i < srvs->Size(); i++) {
    std::string where = "servers[" + std::to_string(i) + "]";
    Server s;
    if (!parse_server((*srvs)[i], where, &s, error)) return false;
    if (!server_ids.insert(s.id).second) {
      *error = where + ".id: duplicate " + s.id;
      return false;
    }
    std::set<std::string> devices;
    for (const Attachment &a : s.volumes) {
      auto it = multi.find(a.id);
      if (it == multi.end()) {
        *error = where + ".volumes: unknown volume " + a.id;
        return false;
      }
      if (!devices.insert(a.device).second) {
        *error = where + ".volumes: device " + a.device + " used twice";
        return false;
      }
      if (!attached.insert(a.id).second && !it->second) {
        *error = where + ".volumes: volume " + a.id + " is not multiattach but attached twice";
        return false;
      }
    }
    f.servers.push_back(s);
  }
  *out = std::move(f);
  return true;
}

void Emulator::load_fixtures(const Fixtures &f) {
  servers_.clear();
  volumes_.clear();
  vpcs_.clear();
  for (const Vpc &v : f.vpcs) vpcs_.add(v);
  for (const Volume &v : f.volumes) volumes_.add(v);
  for (const Server &s : f.servers) {
    servers_.add(s);
    for (const Attachment &a : s.volumes) {
      if (Volume *v = volumes_.find(a.id)) v->attachments.push_back(Attachment{s.id, a.device});
    }
  }
  volume_size_as_string_ = f.volume_size_as_string;
}

bool Emulator::in_production_az(const std::string &group_id, const std::string &az) const {
  auto it = groups_.find(group_id);
  return it != groups_.end() && production_az(*it->second) == az;
}

std::string Emulator::production_az(const Group &g) {
  return g.priority_station == "source" ? g.source_az : g.target_az;
}

std::string Emulator::dr_az(const Group &g) {
  return g.priority_station == "source" ? g.target_az : g.source_az;
}

Response Emulator::admin_servers() {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("servers");
  w.StartArray();
  for (const auto &entry : servers_) {
    const Server &s = entry.second;
    w.StartObject();
    w.Key("id");
    write_str(w, s.id);
    w.Key("name");
    write_str(w, s.name);
    w.Key("status");
    write_str(w, s.status);
    w.Key("availability_zone");
    write_str(w, s.availability_zone);
    w.Key("vpc_id");
    write_str(w, s.vpc_id);
    w.Key("flavor");
    write_str(w, s.flavor);
    w.Key("role");
    w.String(s.drill ? "drill" : s.dr ? "dr" : "production");
    w.Key("protected_instance_id");
    write_opt(w, s.instance_id);
    w.Key("volumes");
    write_attachments(w, s.volumes, "volume_id");
    // NICs belong to the protected instance; listed with its DR server (spec-more 3.8 G8:
    // SDRS itself offers no way to read them).
    w.Key("nics");
    w.StartArray();
    const Instance *inst = s.dr ? instances_.find(s.instance_id) : nullptr;
    for (const Nic &n : inst != nullptr ? inst->nics : std::vector<Nic>{}) {
      w.StartObject();
      w.Key("id");
      write_str(w, n.id);
      w.Key("subnet_id");
      write_str(w, n.subnet_id);
      w.Key("ip_address");
      write_str(w, n.ip_address);
      w.Key("primary");
      w.Bool(n.primary);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::admin_volumes() {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("volumes");
  w.StartArray();
  for (const auto &entry : volumes_) {
    const Volume &v = entry.second;
    w.StartObject();
    w.Key("id");
    write_str(w, v.id);
    w.Key("name");
    write_str(w, v.name);
    w.Key("size");
    w.Int64(v.size_gb);
    w.Key("volume_type");
    write_str(w, v.volume_type);
    w.Key("availability_zone");
    write_str(w, v.availability_zone);
    w.Key("status");
    write_str(w, v.current_status());
    w.Key("bootable");
    w.Bool(v.bootable);
    w.Key("multiattach");
    w.Bool(v.multiattach);
    w.Key("encrypted");
    w.Bool(v.encrypted);
    w.Key("role");
    w.String(v.dr ? "dr" : "production");
    w.Key("replication_id");
    write_opt(w, v.pair_id);
    w.Key("attachments");
    write_attachments(w, v.attachments, "server_id");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::admin_vpcs() {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("vpcs");
  w.StartArray();
  for (const auto &entry : vpcs_) {
    const Vpc &v = entry.second;
    w.StartObject();
    w.Key("id");
    write_str(w, v.id);
    w.Key("name");
    write_str(w, v.name);
    w.Key("cidrs");
    w.StartArray();
    for (const std::string &c : v.cidrs) write_str(w, c);
    w.EndArray();
    w.Key("drill_made");
    w.Bool(v.drill_made);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::admin_set_server(const std::string &id, const Request &req) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body must be a JSON object");
  Server *s = servers_.find(id);
  if (s == nullptr) {
    return error_response(404, "itemNotFound", "SDRS.1326", "server " + id + " not found");
  }
  const rapidjson::Value *status = member(d, "status");
  const rapidjson::Value *flavor = member(d, "flavor");
  if ((status != nullptr && (!status->IsString() || status->GetStringLength() == 0)) ||
      (flavor != nullptr && (!flavor->IsString() || flavor->GetStringLength() == 0))) {
    return bad_request("SDRS.0201", "status and flavor must be non-empty strings");
  }
  if (status != nullptr) s->status = status->GetString();
  if (flavor != nullptr) s->flavor = flavor->GetString();
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("id");
  write_str(w, s->id);
  w.Key("status");
  write_str(w, s->status);
  w.Key("flavor");
  write_str(w, s->flavor);
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::admin_load_fixtures(const Request &req) {
  if (instances_.size() != 0 || pairs_.size() != 0) {
    return state_error("SDRS.0209",
                       "fixtures can only be replaced while no protected instance or "
                       "replication pair exists (reset first)");
  }
  Fixtures f;
  std::string error;
  if (!parse_fixtures(req.body, &f, &error)) return bad_request("SDRS.0201", error);
  opts_.fixtures = f;
  load_fixtures(f);
  return Response{200, "{\"servers\":" + std::to_string(servers_.size()) +
                           ",\"volumes\":" + std::to_string(volumes_.size()) + "}"};
}

}  // namespace emu
