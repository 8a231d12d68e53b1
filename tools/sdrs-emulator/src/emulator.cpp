#include "emulator.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace emu {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// The two fixed active-active domains (README).
const Domain kDomains[] = {
    {"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11", "dr-domain-a", "emulated domain A", false, "eu-de-01",
     "eu-de-02"},
    {"7a1e9c3d-2b4f-4d6a-8e0c-1f3b5d7a9c2e", "dr-domain-b", "emulated domain B (sold out)", true,
     "eu-de-02", "eu-de-03"},
};

const Domain *FindDomain(const std::string &id) {
  for (const Domain &d : kDomains) {
    if (id == d.id) return &d;
  }
  return nullptr;
}

struct ActionInfo {
  const char *job_type;
  const char *running;
  const char *success;  // nullptr: the group is removed
  const char *error;
  const char *default_code;
  const char *default_reason;
};

const ActionInfo &Info(Action a) {
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

bool IsTransitional(const std::string &s) {
  return s == "creating" || s == "deleting" || s == "starting" || s == "reprotecting" ||
         s == "stopping" || s == "reversing" || s == "failing-over";
}

std::string ErrorBody(const char *cls, const char *code, const std::string &msg) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key(cls);
  w.StartObject();
  w.Key("code");
  w.String(code);
  w.Key("message");
  w.String(msg.c_str(), static_cast<rapidjson::SizeType>(msg.size()));
  w.EndObject();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

Response Err(int status, const char *cls, const char *code, const std::string &msg) {
  return Response{status, ErrorBody(cls, code, msg)};
}
// 400 parameter errors.
Response BadRequest(const char *code, const std::string &msg) {
  return Err(400, "badrequest", code, msg);
}
// 400 state / auth / quota errors.
Response StateError(const char *code, const std::string &msg) {
  return Err(400, "error", code, msg);
}
Response GroupNotFound(const std::string &id) {
  return Err(400, "itemNotFound", "SDRS.1013", "server group " + id + " not found");
}
Response NoRoute() {
  return Err(404, "error", "APIGW.0101",
             "The API does not exist or has not been published in the environment");
}
Response BadMethod() {
  return Err(405, "error", "SDRS.0201", "method not allowed on this path");
}

std::string JobIdBody(const std::string &id) {
  return "{\"job_id\":\"" + id + "\"}";
}

// "yyyy-MM-dd HH:mm:ss.SSS" (group times) or "yyyy-MM-ddTHH:mm:ss.SSSZ" (job times), UTC.
std::string FormatTime(int64_t ms, bool iso) {
  time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf,
                iso ? "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" : "%04d-%02d-%02d %02d:%02d:%02d.%03d",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void Str(Writer &w, const std::string &s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

bool ValidName(const rapidjson::Value *v) {
  if (v == nullptr || !v->IsString()) return false;
  size_t n = v->GetStringLength();
  if (n < 1 || n > 64) return false;
  const char *s = v->GetString();
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ValidNameStr(const std::string &s) {
  rapidjson::Value v(rapidjson::StringRef(s.c_str(), static_cast<rapidjson::SizeType>(s.size())));
  return ValidName(&v);
}

const rapidjson::Value *Member(const rapidjson::Value &obj, const char *key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// Parses the body as a JSON object; false when malformed or not an object.
bool ParseObject(const std::string &body, rapidjson::Document &d) {
  d.Parse(body.c_str(), body.size());
  return !d.HasParseError() && d.IsObject();
}

// Parses {"server_group": {"name": ..., ...}} as create and rename send it; on success returns
// the server_group object (its name valid), else fills *error with the service's answer.
const rapidjson::Value *ServerGroupWithName(const Request &req, rapidjson::Document &d,
                                            Response *error) {
  if (!ParseObject(req.body, d)) {
    *error = BadRequest("SDRS.0201", "request body is not a JSON object");
    return nullptr;
  }
  const rapidjson::Value *sg = Member(d, "server_group");
  if (sg == nullptr || !sg->IsObject()) {
    *error = BadRequest("SDRS.0201", "server_group is missing or not an object");
    return nullptr;
  }
  if (!ValidName(Member(*sg, "name"))) {
    *error = BadRequest("SDRS.0202", "name must be 1-64 characters of A-Z a-z 0-9 . _ -");
    return nullptr;
  }
  return sg;
}

// Strict decimal integer (optional leading '-'); false on anything else.
bool ParseInt(const std::string &s, int64_t &out) {
  if (s.empty() || s.size() > 18) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  int64_t v = 0;
  for (; i < s.size(); i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = s[0] == '-' ? -v : v;
  return true;
}

const std::string *Param(const Request &req, const char *key) {
  auto it = req.params.find(key);
  return it == req.params.end() ? nullptr : &it->second;
}

// Reads an optional non-negative integer member; false when present but not one.
bool OptCount(const rapidjson::Value &obj, const char *key, bool &present, int64_t &out) {
  const rapidjson::Value *v = Member(obj, key);
  present = v != nullptr;
  if (!present) return true;
  if (!v->IsInt64() || v->GetInt64() < 0) return false;
  out = v->GetInt64();
  return true;
}

std::string UuidV4() {
  std::string h = RandomHex(32);
  h[12] = '4';
  static const char kVariant[] = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

}  // namespace

std::string RandomHex(size_t n) {
  // Per-thread generator: no lock on the hot path.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string out(n, '0');
  uint64_t bits = 0;
  for (size_t i = 0; i < n; i++) {
    if (i % 16 == 0) bits = rng();
    out[i] = kHex[bits & 15];
    bits >>= 4;
  }
  return out;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Emulator::Emulator(Options opts)
    : opts_(std::move(opts)),
      init_ms_(opts_.job_init_ms),
      run_ms_(opts_.job_run_ms),
      token_lifetime_ms_(opts_.token_lifetime_ms) {}

Response Emulator::Handle(const Request &req) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  if (req.path.compare(0, 4, "/v1/") == 0) api_requests_.fetch_add(1, std::memory_order_relaxed);

  std::string path = req.path;
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  Segs segs;
  size_t pos = 1;
  while (pos <= path.size() && path.size() > 1) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    segs.emplace_back(path, pos, next - pos);
    pos = next + 1;
  }

  int64_t now = NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  Settle(now);
  return Route(req, segs, now);
}

Response Emulator::Route(const Request &req, const Segs &segs, int64_t now) {
  if (segs.empty()) return req.method == "GET" ? Versions(req, false) : BadMethod();
  if (segs[0] == "v1") {
    if (segs.size() == 1) return req.method == "GET" ? Versions(req, true) : BadMethod();
    return Api(req, segs, now);
  }
  if (segs[0] == "v3") return Iam(req, segs, now);
  if (segs[0] == "_emulator") {
    if (!req.loopback) return Err(403, "error", "SDRS.0004", "admin API is loopback only");
    return Admin(req, segs, now);
  }
  return NoRoute();
}

Response Emulator::Api(const Request &req, const Segs &segs, int64_t now) {
  Response denied = Authenticate(req, segs[1], now);
  if (denied.status != 0) return denied;
  if (opts_.project_ids.count(segs[1]) == 0) {
    return StateError("SDRS.0001", "project id " + segs[1] + " is not valid");
  }
  const std::string &m = req.method;
  size_t n = segs.size();
  if (n == 3 && segs[2] == "active-domains") return m == "GET" ? Domains() : BadMethod();
  if (n >= 3 && segs[2] == "server-groups") {
    if (n == 3) {
      if (m == "GET") return ListGroups(req);
      if (m == "POST") return CreateGroup(req, now);
      return BadMethod();
    }
    if (n == 4) {
      if (m == "GET") return GetGroup(segs[3]);
      if (m == "PUT") return RenameGroup(segs[3], req, now);
      if (m == "DELETE") return DeleteGroup(segs[3], now);
      return BadMethod();
    }
    if (n == 5 && segs[4] == "action") {
      return m == "POST" ? GroupAction(segs[3], req, now) : BadMethod();
    }
  }
  if (n == 4 && segs[2] == "jobs") return m == "GET" ? GetJob(segs[3], now) : BadMethod();
  return NoRoute();
}

// ---- version discovery and domains ----

Response Emulator::Versions(const Request &req, bool one) {
  std::string href = "http://" + (req.host.empty() ? std::string("127.0.0.1") : req.host) + "/v1";
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key(one ? "version" : "versions");
  if (!one) w.StartArray();
  w.StartObject();
  w.Key("id");
  w.String("v1");
  w.Key("links");
  w.StartArray();
  w.StartObject();
  w.Key("href");
  Str(w, href);
  w.Key("rel");
  w.String("self");
  w.EndObject();
  w.EndArray();
  w.Key("version");
  w.String("");
  w.Key("min_version");
  w.String("");
  w.Key("status");
  w.String("CURRENT");
  w.Key("updated");
  w.String("2018-05-30T15:00:00Z");
  w.EndObject();
  if (!one) w.EndArray();
  w.EndObject();
  return Response{200, sb.GetString()};
}

Response Emulator::Domains() {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("domains");
  w.StartArray();
  for (const Domain &d : kDomains) {
    w.StartObject();
    w.Key("id");
    w.String(d.id);
    w.Key("name");
    w.String(d.name);
    w.Key("description");
    w.String(d.description);
    w.Key("sold_out");
    w.Bool(d.sold_out);
    w.Key("local_replication_cluster");
    w.StartObject();
    w.Key("availability_zone");
    w.String(d.local_az);
    w.EndObject();
    w.Key("remote_replication_cluster");
    w.StartObject();
    w.Key("availability_zone");
    w.String(d.remote_az);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Response{200, sb.GetString()};
}

// ---- serialization ----

namespace {

void WriteGroup(Writer &w, const Group &g) {
  w.StartObject();
  w.Key("id");
  Str(w, g.id);
  w.Key("name");
  Str(w, g.name);
  w.Key("description");
  if (g.has_description) {
    Str(w, g.description);
  } else {
    w.Null();
  }
  w.Key("status");
  Str(w, g.status);
  w.Key("progress");
  w.Int(g.status == "protected" ? 100 : 0);
  w.Key("source_availability_zone");
  Str(w, g.source_az);
  w.Key("target_availability_zone");
  Str(w, g.target_az);
  w.Key("domain_id");
  w.String(g.domain->id);
  w.Key("domain_name");
  w.String(g.domain->name);
  w.Key("priority_station");
  Str(w, g.priority_station);
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
  Str(w, g.vpc_id);
  w.Key("target_vpc_id");
  Str(w, g.vpc_id);
  w.Key("test_vpc_id");
  w.Null();
  w.Key("dr_type");
  w.String("migration");
  w.Key("server_type");
  w.String("ECS");
  w.Key("created_at");
  Str(w, FormatTime(g.created_ms, false));
  w.Key("updated_at");
  Str(w, FormatTime(g.updated_ms, false));
  w.Key("protection_type");
  w.String("replication-pair");
  w.Key("replication_model");
  w.Null();
  w.EndObject();
}

}  // namespace

std::string Emulator::GroupJson(const Group &g) const {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("server_group");
  WriteGroup(w, g);
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

std::string Emulator::JobJson(const Job &j, int64_t now) const {
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
  Str(w, j.id);
  w.Key("job_type");
  w.String(Info(j.action).job_type);
  w.Key("status");
  w.String(status);
  w.Key("begin_time");
  Str(w, FormatTime(j.begin_ms, true));
  w.Key("end_time");
  if (done) {
    Str(w, FormatTime(end, true));
  } else {
    w.Null();
  }
  w.Key("error_code");
  if (done && j.fail) {
    Str(w, j.error_code);
  } else {
    w.Null();
  }
  w.Key("fail_reason");
  if (done && j.fail) {
    Str(w, j.fail_reason);
  } else {
    w.Null();
  }
  w.Key("entities");
  w.StartObject();
  w.Key("server_group_id");
  Str(w, j.group_id);
  w.EndObject();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

// ---- jobs ----

Job &Emulator::StartJob(Action action, Group &g, int64_t now) {
  const ActionInfo &info = Info(action);
  Job j;
  j.id = RandomHex(32);
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

void Emulator::Settle(int64_t now) {
  while (!due_.empty() && due_.top().first <= now) {
    auto top = due_.top();
    due_.pop();
    auto it = jobs_.find(top.second);
    if (it != jobs_.end() && !it->second.settled) Finish(it->second, top.first);
  }
}

void Emulator::Finish(Job &job, int64_t end_ms) {
  job.settled = true;
  auto it = groups_.find(job.group_id);
  if (it == groups_.end()) return;
  Group &g = *it->second;
  const ActionInfo &info = Info(job.action);
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

Group &Emulator::AddGroup(std::unique_ptr<Group> g) {
  g->seq = next_seq_++;
  Group *raw = g.get();
  order_.emplace(raw->seq, raw);
  groups_.emplace(raw->id, std::move(g));
  return *raw;
}

// ---- protection groups ----

Response Emulator::CreateGroup(const Request &req, int64_t now) {
  rapidjson::Document d;
  Response error;
  const rapidjson::Value *sg = ServerGroupWithName(req, d, &error);
  if (sg == nullptr) return error;
  const rapidjson::Value *name = Member(*sg, "name");
  const rapidjson::Value *desc = Member(*sg, "description");
  bool has_desc = desc != nullptr && !desc->IsNull();
  if (has_desc) {
    bool ok = desc->IsString() && desc->GetStringLength() <= 64 &&
              std::strpbrk(desc->GetString(), "<>") == nullptr &&
              std::strlen(desc->GetString()) == desc->GetStringLength();
    if (!ok) return BadRequest("SDRS.0212", "description must be at most 64 bytes without < or >");
  }
  const rapidjson::Value *dom = Member(*sg, "domain_id");
  const Domain *domain = dom != nullptr && dom->IsString() ? FindDomain(dom->GetString()) : nullptr;
  if (domain == nullptr) return BadRequest("SDRS.0205", "domain_id is not a known domain");
  const rapidjson::Value *src = Member(*sg, "source_availability_zone");
  const rapidjson::Value *tgt = Member(*sg, "target_availability_zone");
  if (src == nullptr || !src->IsString() || tgt == nullptr || !tgt->IsString()) {
    return BadRequest("SDRS.0203", "source and target availability zones are required");
  }
  std::string s = src->GetString(), t = tgt->GetString();
  bool az_ok = s != t && (s == domain->local_az || s == domain->remote_az) &&
               (t == domain->local_az || t == domain->remote_az);
  if (!az_ok) {
    return BadRequest("SDRS.0203",
                      std::string("availability zones must be the two AZs of domain ") +
                          domain->name + " (" + domain->local_az + ", " + domain->remote_az + ")");
  }
  const rapidjson::Value *vpc = Member(*sg, "source_vpc_id");
  if (vpc == nullptr || !vpc->IsString() || vpc->GetStringLength() == 0) {
    return BadRequest("SDRS.0204", "source_vpc_id is missing or empty");
  }
  const rapidjson::Value *dr = Member(*sg, "dr_type");
  if (dr != nullptr && !(dr->IsString() && std::strcmp(dr->GetString(), "migration") == 0)) {
    return BadRequest("SDRS.0201", "dr_type must be migration");
  }
  const rapidjson::Value *st = Member(*sg, "server_type");
  if (st != nullptr && !(st->IsString() && std::strcmp(st->GetString(), "ECS") == 0)) {
    return BadRequest("SDRS.0201", "server_type must be ECS");
  }
  if (groups_.size() >= opts_.max_groups) {
    return StateError("SDRS.0305", "protection group quota exceeded");
  }

  auto g = std::make_unique<Group>();
  g->id = UuidV4();
  g->name.assign(name->GetString(), name->GetStringLength());
  g->has_description = has_desc;
  if (has_desc) g->description = desc->GetString();
  g->source_az = s;
  g->target_az = t;
  g->domain = domain;
  g->vpc_id = vpc->GetString();
  g->created_ms = g->updated_ms = now;
  Group &added = AddGroup(std::move(g));
  Job &job = StartJob(Action::kCreate, added, now);
  creates_.fetch_add(1, std::memory_order_relaxed);
  return Response{200, JobIdBody(job.id)};
}

Response Emulator::ListGroups(const Request &req) {
  int64_t limit = 1000, offset = 0;
  if (const std::string *p = Param(req, "limit")) {
    if (!ParseInt(*p, limit) || limit < 1 || limit > 1000) {
      return BadRequest("SDRS.0221", "limit must be an integer from 1 to 1000");
    }
  }
  if (const std::string *p = Param(req, "offset")) {
    if (!ParseInt(*p, offset) || offset < 0) {
      return BadRequest("SDRS.0222", "offset must be a non-negative integer");
    }
  }
  enum { kAll, kAbnormal, kStopped, kNoDrill } qt = kAll;
  if (const std::string *p = Param(req, "query_type")) {
    if (p->empty() || *p == "general") {
      qt = kAll;
    } else if (*p == "status_abnormal") {
      qt = kAbnormal;
    } else if (*p == "stop_protected") {
      qt = kStopped;
    } else if (*p == "period_no_dr_drill") {
      qt = kNoDrill;
    } else {
      return BadRequest("SDRS.0201",
                        "query_type must be general, status_abnormal, "
                        "stop_protected or period_no_dr_drill");
    }
  }
  const std::string *status = Param(req, "status");
  if (status != nullptr && status->empty()) status = nullptr;
  const std::string *name = Param(req, "name");
  if (name != nullptr && name->empty()) name = nullptr;
  const std::string *az = Param(req, "availability_zone");
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
    for (; it != order_.end() && emitted < limit; ++it, ++emitted) WriteGroup(w, *it->second);
    w.EndArray();
    w.Key("count");
    w.Int64(count);
    w.EndObject();
    return Response{200, std::string(sb.GetString(), sb.GetSize())};
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
      WriteGroup(w, g);
      emitted++;
    }
  }
  w.EndArray();
  w.Key("count");
  w.Int64(count);
  w.EndObject();
  return Response{200, std::string(sb.GetString(), sb.GetSize())};
}

Response Emulator::GetGroup(const std::string &id) {
  auto it = groups_.find(id);
  if (it == groups_.end()) return GroupNotFound(id);
  return Response{200, GroupJson(*it->second)};
}

Response Emulator::RenameGroup(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  Response error;
  const rapidjson::Value *sg = ServerGroupWithName(req, d, &error);
  if (sg == nullptr) return error;
  const rapidjson::Value *name = Member(*sg, "name");
  auto it = groups_.find(id);
  if (it == groups_.end()) return GroupNotFound(id);
  Group &g = *it->second;
  g.name.assign(name->GetString(), name->GetStringLength());
  g.updated_ms = now;
  return Response{200, GroupJson(g)};
}

Response Emulator::DeleteGroup(const std::string &id, int64_t now) {
  auto it = groups_.find(id);
  if (it == groups_.end()) return GroupNotFound(id);
  Group &g = *it->second;
  if (IsTransitional(g.status)) {
    return StateError("SDRS.1002", "server group status " + g.status + " does not allow deletion");
  }
  if (g.protected_instance_num > 0) {
    return StateError("SDRS.1001", "server group still has protected instances");
  }
  if (g.replication_num > 0) {
    return StateError("SDRS.1010", "server group still has replication pairs");
  }
  if (g.disaster_recovery_drill_num > 0) {
    return StateError("SDRS.1003", "server group still has disaster recovery drills");
  }
  return Response{200, JobIdBody(StartJob(Action::kDelete, g, now).id)};
}

Response Emulator::GroupAction(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!ParseObject(req.body, d))
    return BadRequest("SDRS.0201", "request body is not a JSON object");
  if (d.MemberCount() != 1) {
    return BadRequest("SDRS.0206", "the body must hold exactly one action key");
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
    return BadRequest("SDRS.0206", "unknown action " + key);
  }
  if (!val.IsObject()) return BadRequest("SDRS.0201", "the value of " + key + " must be an object");
  std::string station;
  if (which == kReverseKey) {
    const rapidjson::Value *ps = Member(val, "priority_station");
    if (ps != nullptr && ps->IsString()) station = ps->GetString();
    if (station != "source" && station != "target") {
      return BadRequest("SDRS.0216", "priority_station must be source or target");
    }
  }
  auto it = groups_.find(id);
  if (it == groups_.end()) return GroupNotFound(id);
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
        return StateError("SDRS.1021",
                          "start-server-group needs status available, error-starting, "
                          "failed-over or error-reprotecting; the group is " +
                              s);
      }
      break;
    case kStopKey:
      if (s != "protected" && s != "error-stopping") {
        return StateError("SDRS.1019",
                          "stop-server-group needs status protected or "
                          "error-stopping; the group is " +
                              s);
      }
      action = Action::kStop;
      break;
    case kFailoverKey:
      if (s != "protected" && s != "error-failing-over" && s != "error-reversing") {
        return StateError("SDRS.1022",
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
        return StateError("SDRS.1023",
                          "reverse-server-group needs status protected or "
                          "error-reversing; the group is " +
                              s);
      }
      action = Action::kReverse;
      needs_pair = true;
      break;
  }
  if (needs_pair && g.replication_num < 1) {
    return StateError("SDRS.1002", key + " needs at least one replication pair in the group");
  }
  Job &job = StartJob(action, g, now);
  job.priority_station = station;
  return Response{200, JobIdBody(job.id)};
}

Response Emulator::GetJob(const std::string &id, int64_t now) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return Err(404, "itemNotFound", "SDRS.0408", "job " + id + " not found");
  return Response{200, JobJson(it->second, now)};
}

// ---- admin ----

Response Emulator::Admin(const Request &req, const Segs &segs, int64_t now) {
  const std::string &m = req.method;
  size_t n = segs.size();
  if (n == 2 && segs[1] == "stats") return m == "GET" ? AdminStats() : BadMethod();
  if (n == 2 && segs[1] == "revoke-tokens") {
    return m == "POST" ? AdminRevokeTokens() : BadMethod();
  }
  if (n == 2 && segs[1] == "reset") return m == "POST" ? AdminReset() : BadMethod();
  if (n == 2 && segs[1] == "config") return m == "POST" ? AdminConfig(req) : BadMethod();
  if (n == 2 && segs[1] == "fail-next-jobs") return m == "POST" ? AdminFailNext(req) : BadMethod();
  if (n == 2 && segs[1] == "seed-groups") return m == "POST" ? AdminSeed(req, now) : BadMethod();
  if (n == 3 && segs[1] == "server-groups") {
    return m == "PUT" ? AdminSetGroup(segs[2], req, now) : BadMethod();
  }
  return NoRoute();
}

Response Emulator::AdminStats() {
  char buf[300];
  std::snprintf(buf, sizeof buf,
                "{\"requests\":%llu,\"api_requests\":%llu,\"groups\":%zu,\"jobs\":%zu,"
                "\"creates\":%llu,\"connections\":%llu,\"iam_token_requests\":%llu,"
                "\"auth_failures\":%llu}",
                static_cast<unsigned long long>(requests_.load()),
                static_cast<unsigned long long>(api_requests_.load()), groups_.size(), jobs_.size(),
                static_cast<unsigned long long>(creates_.load()),
                static_cast<unsigned long long>(connections_.load()),
                static_cast<unsigned long long>(iam_token_requests_.load()),
                static_cast<unsigned long long>(auth_failures_.load()));
  return Response{200, buf};
}

Response Emulator::AdminReset() {
  groups_.clear();
  order_.clear();
  jobs_.clear();
  due_ = decltype(due_)();
  fail_next_count_ = 0;
  fail_next_code_.clear();
  fail_next_reason_.clear();
  requests_ = 0;
  api_requests_ = 0;
  creates_ = 0;
  iam_token_requests_ = 0;
  auth_failures_ = 0;
  token_lifetime_ms_ = opts_.token_lifetime_ms;
  clock_offset_ms_ = 0;
  issued_.clear();
  connections_ = 0;
  return Response{200, "{}"};
}

Response Emulator::AdminConfig(const Request &req) {
  rapidjson::Document d;
  if (!ParseObject(req.body, d)) return BadRequest("SDRS.0201", "body must be a JSON object");
  bool has_init = false, has_run = false, has_life = false;
  int64_t init = 0, run = 0, life = 0;
  if (!OptCount(d, "job_init_ms", has_init, init) || !OptCount(d, "job_run_ms", has_run, run) ||
      !OptCount(d, "token_lifetime_ms", has_life, life)) {
    return BadRequest("SDRS.0201",
                      "job_init_ms, job_run_ms and token_lifetime_ms must be non-negative "
                      "integers");
  }
  // Shifts the clock AK/SK dates are checked against (tests of the skew window).
  const rapidjson::Value *offset = Member(d, "clock_offset_ms");
  if (offset != nullptr && !offset->IsInt64()) {
    return BadRequest("SDRS.0201", "clock_offset_ms must be an integer");
  }
  if (has_init) init_ms_ = init;
  if (has_run) run_ms_ = run;
  if (has_life) token_lifetime_ms_ = life;
  if (offset != nullptr) clock_offset_ms_ = offset->GetInt64();
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "{\"job_init_ms\":%lld,\"job_run_ms\":%lld,\"token_lifetime_ms\":%lld}",
                static_cast<long long>(init_ms_), static_cast<long long>(run_ms_),
                static_cast<long long>(token_lifetime_ms_));
  return Response{200, buf};
}

Response Emulator::AdminFailNext(const Request &req) {
  rapidjson::Document d;
  if (!ParseObject(req.body, d)) return BadRequest("SDRS.0201", "body must be a JSON object");
  bool has_count = false;
  int64_t count = 1;
  if (!OptCount(d, "count", has_count, count)) {
    return BadRequest("SDRS.0201", "count must be a non-negative integer");
  }
  const rapidjson::Value *code = Member(d, "error_code");
  const rapidjson::Value *reason = Member(d, "fail_reason");
  if ((code != nullptr && !code->IsString()) || (reason != nullptr && !reason->IsString())) {
    return BadRequest("SDRS.0201", "error_code and fail_reason must be strings");
  }
  fail_next_count_ = count;
  fail_next_code_ = code != nullptr ? code->GetString() : "";
  fail_next_reason_ = reason != nullptr ? reason->GetString() : "";
  return Response{200, "{\"count\":" + std::to_string(count) + "}"};
}

Response Emulator::AdminSetGroup(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!ParseObject(req.body, d)) return BadRequest("SDRS.0201", "body must be a JSON object");
  auto it = groups_.find(id);
  if (it == groups_.end()) {
    return Err(404, "itemNotFound", "SDRS.1013", "server group " + id + " not found");
  }
  bool has_pi = false, has_rep = false, has_drill = false;
  int64_t pi = 0, rep = 0, drill = 0;
  if (!OptCount(d, "protected_instance_num", has_pi, pi) ||
      !OptCount(d, "replication_num", has_rep, rep) ||
      !OptCount(d, "disaster_recovery_drill_num", has_drill, drill)) {
    return BadRequest("SDRS.0201", "counters must be non-negative integers");
  }
  const rapidjson::Value *status = Member(d, "status");
  if (status != nullptr && (!status->IsString() || status->GetStringLength() == 0)) {
    return BadRequest("SDRS.0209", "status must be a non-empty string");
  }
  Group &g = *it->second;
  if (has_pi) g.protected_instance_num = pi;
  if (has_rep) g.replication_num = rep;
  if (has_drill) g.disaster_recovery_drill_num = drill;
  if (status != nullptr) g.status = status->GetString();
  g.updated_ms = now;
  return Response{200, GroupJson(g)};
}

Response Emulator::AdminSeed(const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!ParseObject(req.body, d)) return BadRequest("SDRS.0201", "body must be a JSON object");
  bool has_count = false;
  int64_t count = 0;
  if (!OptCount(d, "count", has_count, count) || !has_count || count > 1000000) {
    return BadRequest("SDRS.0201", "count must be an integer from 0 to 1000000");
  }
  const rapidjson::Value *prefix = Member(d, "name_prefix");
  const rapidjson::Value *status = Member(d, "status");
  if ((prefix != nullptr && !prefix->IsString()) ||
      (status != nullptr && (!status->IsString() || status->GetStringLength() == 0))) {
    return BadRequest("SDRS.0201", "name_prefix and status must be strings");
  }
  std::string pfx = prefix != nullptr ? prefix->GetString() : "seed-";
  if (!ValidNameStr(pfx + "00000") || pfx.size() > 59) {
    return BadRequest("SDRS.0202", "name_prefix must make valid names");
  }
  if (groups_.size() + static_cast<uint64_t>(count) > opts_.max_groups) {
    return StateError("SDRS.0305", "protection group quota exceeded");
  }
  const Domain &dom = kDomains[0];
  std::string vpc = UuidV4();
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("count");
  w.Int64(count);
  w.Key("server_group_ids");
  w.StartArray();
  for (int64_t i = 0; i < count; i++) {
    auto g = std::make_unique<Group>();
    g->id = UuidV4();
    char idx[24];
    std::snprintf(idx, sizeof idx, "%05lld", static_cast<long long>(i));
    g->name = pfx + idx;
    g->status = status != nullptr ? status->GetString() : "available";
    g->source_az = dom.local_az;
    g->target_az = dom.remote_az;
    g->domain = &dom;
    g->vpc_id = vpc;
    g->created_ms = g->updated_ms = now;
    Str(w, AddGroup(std::move(g)).id);
  }
  w.EndArray();
  w.EndObject();
  return Response{200, std::string(sb.GetString(), sb.GetSize())};
}

}  // namespace emu
