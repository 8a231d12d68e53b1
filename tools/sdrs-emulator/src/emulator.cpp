#include "emulator.hpp"

#include "common.hpp"

namespace emu {

const std::array<Domain, 2> kDomains = {{
    {"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11", "dr-domain-a", "emulated domain A", false, "eu-de-01",
     "eu-de-02"},
    {"7a1e9c3d-2b4f-4d6a-8e0c-1f3b5d7a9c2e", "dr-domain-b", "emulated domain B (sold out)", true,
     "eu-de-02", "eu-de-03"},
}};

const Domain *find_domain(const std::string &id) {
  for (const Domain &d : kDomains) {
    if (id == d.id) return &d;
  }
  return nullptr;
}

Emulator::Emulator(Options opts)
    : opts_(std::move(opts)),
      max_groups_(static_cast<int64_t>(opts_.max_groups)),
      max_replications_(static_cast<int64_t>(opts_.max_replications)),
      init_ms_(opts_.job_init_ms),
      run_ms_(opts_.job_run_ms),
      run_spread_ms_(opts_.job_run_spread_ms),
      token_lifetime_ms_(opts_.token_lifetime_ms) {
  load_fixtures(opts_.fixtures);
}

Response Emulator::handle(const Request &req) {
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

  int64_t now = now_ms();
  std::lock_guard<std::mutex> lock(mu_);
  settle(now);
  return route(req, segs, now);
}

Response Emulator::route(const Request &req, const Segs &segs, int64_t now) {
  if (segs.empty()) return req.method == "GET" ? versions(req, false) : bad_method();
  if (segs[0] == "v1") {
    if (segs.size() == 1) return req.method == "GET" ? versions(req, true) : bad_method();
    return api(req, segs, now);
  }
  if (segs[0] == "v3") return iam(req, segs, now);
  if (segs[0] == "_emulator") {
    if (!req.loopback)
      return error_response(403, "error", "SDRS.0004", "admin API is loopback only");
    return admin(req, segs, now);
  }
  return no_route();
}

Response Emulator::api(const Request &req, const Segs &segs, int64_t now) {
  Response denied = authenticate(req, segs[1], now);
  if (denied.status != 0) return denied;
  if (opts_.project_ids.count(segs[1]) == 0) {
    return state_error("SDRS.0001", "project id " + segs[1] + " is not valid");
  }
  const std::string &m = req.method;
  size_t n = segs.size();
  if (n == 3 && segs[2] == "active-domains") return m == "GET" ? domains() : bad_method();
  if (n >= 3 && segs[2] == "server-groups") {
    if (n == 3) {
      if (m == "GET") return list_groups(req);
      if (m == "POST") return create_group(req, now);
      return bad_method();
    }
    if (n == 4) {
      if (m == "GET") return get_group(segs[3]);
      if (m == "PUT") return rename_group(segs[3], req, now);
      if (m == "DELETE") return delete_group(segs[3], now);
      return bad_method();
    }
    if (n == 5 && segs[4] == "action") {
      return m == "POST" ? group_action(segs[3], req, now) : bad_method();
    }
  }
  if (n == 4 && segs[2] == "jobs") return m == "GET" ? get_job(segs[3], now) : bad_method();
  if (n >= 3 && segs[2] == "protected-instances") return instances_route(req, segs, now);
  if (n >= 3 && segs[2] == "replications") return pairs_route(req, segs, now);
  if (n >= 3 && segs[2] == "disaster-recovery-drills") return drills_route(req, segs, now);
  if (n >= 3 && segs[2] == "task-center") return task_center_route(req, segs);
  if (n == 4 && segs[2] == "sdrs" && segs[3] == "quotas") {
    return m == "GET" ? quotas() : bad_method();
  }
  return no_route();
}

// ---- version discovery and domains ----

Response Emulator::versions(const Request &req, bool one) {
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
  write_str(w, href);
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

Response Emulator::domains() {
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

}  // namespace emu
