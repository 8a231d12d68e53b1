// The admin endpoints under /_emulator/ (loopback only): stats, reset, config, job failures,
// group overrides and bulk seeding, so tests can reach states and count requests.
#include <algorithm>
#include <cstdio>
#include <iterator>

#include "common.hpp"

namespace emu {
namespace {

// Longest job phase accepted from admin calls (one day, as on the command line).
constexpr int64_t kMaxDurationMs = 86400000;
constexpr int64_t kMaxSeededJobs = 100000;

// An optional integer member in [min, max]; false with SDRS.0201 naming it in *err.
bool opt_ranged(const rapidjson::Value &obj, const char *key, int64_t min, int64_t max,
                bool *present, int64_t *out, Response *err) {
  const rapidjson::Value *v = member(obj, key);
  *present = v != nullptr;
  if (v == nullptr) return true;
  if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max) {
    *err = bad_request("SDRS.0201", std::string(key) + " must be an integer from " +
                                        std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
  *out = v->GetInt64();
  return true;
}

}  // namespace

Response Emulator::admin(const Request &req, const Segs &segs, int64_t now) {
  const std::string &m = req.method;
  size_t n = segs.size();
  if (n == 2 && segs[1] == "stats") return m == "GET" ? admin_stats() : bad_method();
  if (n == 2 && segs[1] == "revoke-tokens") {
    return m == "POST" ? admin_revoke_tokens() : bad_method();
  }
  if (n == 2 && segs[1] == "reset") return m == "POST" ? admin_reset() : bad_method();
  if (n == 2 && segs[1] == "config") return m == "POST" ? admin_config(req) : bad_method();
  if (n == 2 && segs[1] == "fail-next-jobs")
    return m == "POST" ? admin_fail_next(req) : bad_method();
  if (n == 2 && segs[1] == "seed-groups") return m == "POST" ? admin_seed(req, now) : bad_method();
  if (n == 2 && segs[1] == "seed-jobs") {
    return m == "POST" ? admin_seed_jobs(req, now) : bad_method();
  }
  if (n == 3 && segs[1] == "server-groups") {
    return m == "PUT" ? admin_set_group(segs[2], req, now) : bad_method();
  }
  if (n == 2 && segs[1] == "servers") return m == "GET" ? admin_servers() : bad_method();
  if (n == 3 && segs[1] == "servers") {
    return m == "PUT" ? admin_set_server(segs[2], req) : bad_method();
  }
  if (n == 2 && segs[1] == "volumes") return m == "GET" ? admin_volumes() : bad_method();
  if (n == 2 && segs[1] == "vpcs") return m == "GET" ? admin_vpcs() : bad_method();
  if (n == 2 && segs[1] == "fixtures") {
    return m == "POST" ? admin_load_fixtures(req) : bad_method();
  }
  return no_route();
}

Response Emulator::admin_stats() {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"requests\":%llu,\"api_requests\":%llu,\"groups\":%zu,\"jobs\":%zu,"
                "\"seeded_jobs\":%zu,"
                "\"creates\":%llu,\"connections\":%llu,\"iam_token_requests\":%llu,"
                "\"auth_failures\":%llu,\"protected_instances\":%zu,\"replications\":%zu,"
                "\"failure_jobs\":%zu,\"worker_threads\":%zu}",
                static_cast<unsigned long long>(requests_.load()),
                static_cast<unsigned long long>(api_requests_.load()), groups_.size(), jobs_.size(),
                seeded_jobs_.size(), static_cast<unsigned long long>(creates_.load()),
                static_cast<unsigned long long>(connections_.load()),
                static_cast<unsigned long long>(iam_token_requests_.load()),
                static_cast<unsigned long long>(auth_failures_.load()), instances_.size(),
                pairs_.size(), failures_.size(), worker_threads_.load());
  return Response{200, buf};
}

Response Emulator::admin_reset() {
  groups_.clear();
  order_.clear();
  jobs_.clear();
  seeded_jobs_.clear();
  seeded_types_.clear();
  due_ = decltype(due_)();
  fail_next_count_ = 0;
  fail_next_code_.clear();
  fail_next_reason_.clear();
  fail_next_job_type_.clear();
  instances_.clear();
  pairs_.clear();
  failures_.clear();
  drills_.clear();
  max_groups_ = static_cast<int64_t>(opts_.max_groups);
  max_replications_ = static_cast<int64_t>(opts_.max_replications);
  load_fixtures(opts_.fixtures);
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

Response Emulator::admin_config(const Request &req) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body must be a JSON object");
  bool has_init = false, has_run = false, has_life = false;
  int64_t init = 0, run = 0, life = 0;
  if (!opt_count(d, "job_init_ms", has_init, init) || !opt_count(d, "job_run_ms", has_run, run) ||
      !opt_count(d, "token_lifetime_ms", has_life, life)) {
    return bad_request("SDRS.0201",
                       "job_init_ms, job_run_ms and token_lifetime_ms must be non-negative "
                       "integers");
  }
  // Shifts the clock AK/SK dates are checked against (tests of the skew window).
  const rapidjson::Value *offset = member(d, "clock_offset_ms");
  if (offset != nullptr && !offset->IsInt64()) {
    return bad_request("SDRS.0201", "clock_offset_ms must be an integer");
  }
  bool has_spread = false;
  int64_t spread = 0;
  if (!opt_count(d, "job_run_spread_ms", has_spread, spread) || spread > kMaxDurationMs) {
    return bad_request("SDRS.0201", "job_run_spread_ms must be an integer from 0 to 86400000");
  }
  if (has_init) init_ms_ = init;
  if (has_run) run_ms_ = run;
  if (has_spread) run_spread_ms_ = spread;
  if (has_life) token_lifetime_ms_ = life;
  // record_metadata.volume_size as a string, to test lenient decoding (spec-more 4.7).
  // Quota limits (spec-more 8): -1 = unlimited.
  const rapidjson::Value *qg = member(d, "quota_server_groups");
  const rapidjson::Value *qr = member(d, "quota_replications");
  if ((qg != nullptr && (!qg->IsInt64() || qg->GetInt64() < -1)) ||
      (qr != nullptr && (!qr->IsInt64() || qr->GetInt64() < -1))) {
    return bad_request("SDRS.0201",
                       "quota_server_groups and quota_replications are integers >= -1");
  }
  if (qg != nullptr) max_groups_ = qg->GetInt64();
  if (qr != nullptr) max_replications_ = qr->GetInt64();
  const rapidjson::Value *as_string = member(d, "volume_size_as_string");
  if (as_string != nullptr && !as_string->IsBool()) {
    return bad_request("SDRS.0201", "volume_size_as_string must be a boolean");
  }
  if (offset != nullptr) clock_offset_ms_ = offset->GetInt64();
  if (as_string != nullptr) volume_size_as_string_ = as_string->GetBool();
  char buf[200];
  std::snprintf(buf, sizeof buf,
                R"({"job_init_ms":%lld,"job_run_ms":%lld,"job_run_spread_ms":%lld,)"
                R"("token_lifetime_ms":%lld})",
                static_cast<long long>(init_ms_), static_cast<long long>(run_ms_),
                static_cast<long long>(run_spread_ms_), static_cast<long long>(token_lifetime_ms_));
  return Response{200, buf};
}

Response Emulator::admin_fail_next(const Request &req) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body must be a JSON object");
  bool has_count = false;
  int64_t count = 1;
  if (!opt_count(d, "count", has_count, count)) {
    return bad_request("SDRS.0201", "count must be a non-negative integer");
  }
  const rapidjson::Value *code = member(d, "error_code");
  const rapidjson::Value *reason = member(d, "fail_reason");
  const rapidjson::Value *type = member(d, "job_type");
  if ((code != nullptr && !code->IsString()) || (reason != nullptr && !reason->IsString()) ||
      (type != nullptr && !type->IsString())) {
    return bad_request("SDRS.0201", "error_code, fail_reason and job_type must be strings");
  }
  // Only jobs of this type fail (the others run normally); absent: any job.
  fail_next_job_type_ = type != nullptr ? type->GetString() : "";
  fail_next_count_ = count;
  fail_next_code_ = code != nullptr ? code->GetString() : "";
  fail_next_reason_ = reason != nullptr ? reason->GetString() : "";
  return Response{200, "{\"count\":" + std::to_string(count) + "}"};
}

Response Emulator::admin_set_group(const std::string &id, const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body must be a JSON object");
  auto it = groups_.find(id);
  if (it == groups_.end()) {
    return error_response(404, "itemNotFound", "SDRS.1013", "server group " + id + " not found");
  }
  // The pair counter is no longer an override: a group with pairs is made through the API, so
  // that every scenario exercises the real pair model (issue 15).
  if (member(d, "replication_num") != nullptr) {
    return bad_request("SDRS.0201",
                       "replication_num cannot be set: the counter follows the group's real "
                       "replication pairs (create one with POST /v1/{project}/replications)");
  }
  bool has_pi = false, has_drill = false;
  int64_t pi = 0, drill = 0;
  if (!opt_count(d, "protected_instance_num", has_pi, pi) ||
      !opt_count(d, "disaster_recovery_drill_num", has_drill, drill)) {
    return bad_request("SDRS.0201", "counters must be non-negative integers");
  }
  const rapidjson::Value *status = member(d, "status");
  if (status != nullptr && (!status->IsString() || status->GetStringLength() == 0)) {
    return bad_request("SDRS.0209", "status must be a non-empty string");
  }
  Group &g = *it->second;
  if (has_pi) g.protected_instance_num = pi;
  if (has_drill) g.disaster_recovery_drill_num = drill;
  if (status != nullptr) g.status = status->GetString();
  g.updated_ms = now;
  return Response{200, group_json(g)};
}

Response Emulator::admin_seed(const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body must be a JSON object");
  bool has_count = false;
  int64_t count = 0;
  if (!opt_count(d, "count", has_count, count) || !has_count || count > 1000000) {
    return bad_request("SDRS.0201", "count must be an integer from 0 to 1000000");
  }
  const rapidjson::Value *prefix = member(d, "name_prefix");
  const rapidjson::Value *status = member(d, "status");
  if ((prefix != nullptr && !prefix->IsString()) ||
      (status != nullptr && (!status->IsString() || status->GetStringLength() == 0))) {
    return bad_request("SDRS.0201", "name_prefix and status must be strings");
  }
  std::string pfx = prefix != nullptr ? prefix->GetString() : "seed-";
  if (!valid_name(pfx + "00000") || pfx.size() > 59) {
    return bad_request("SDRS.0202", "name_prefix must make valid names");
  }
  if (max_groups_ >= 0 && static_cast<int64_t>(groups_.size()) + count > max_groups_) {
    return state_error("SDRS.0305", "protection group quota exceeded");
  }
  const Domain &dom = kDomains[0];
  std::string vpc = uuid_v4();
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("count");
  w.Int64(count);
  w.Key("server_group_ids");
  w.StartArray();
  for (int64_t i = 0; i < count; i++) {
    auto g = std::make_unique<Group>();
    g->id = uuid_v4();
    char idx[24];
    std::snprintf(idx, sizeof idx, "%05lld", static_cast<long long>(i));
    g->name = pfx + idx;
    g->status = status != nullptr ? status->GetString() : "available";
    g->source_az = dom.local_az;
    g->target_az = dom.remote_az;
    g->domain = &dom;
    g->vpc_id = vpc;
    g->created_ms = g->updated_ms = now;
    write_str(w, add_group(std::move(g)).id);
  }
  w.EndArray();
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::admin_seed_jobs(const Request &req, int64_t now) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body must be a JSON object");
  // A misspelt member would silently fall back to its default: refuse it instead.
  static const char *const kKnown[] = {"count",      "init_ms",    "run_ms_min",
                                       "run_ms_max", "fail_every", "job_type"};
  for (const auto &m : d.GetObject()) {
    const std::string key(m.name.GetString(), m.name.GetStringLength());
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return bad_request("SDRS.0201", "unknown member " + key +
                                          " (known: count, init_ms, "
                                          "run_ms_min, run_ms_max, fail_every, job_type)");
    }
  }
  Response err;
  bool has = false;
  int64_t count = 0;
  if (!opt_ranged(d, "count", 1, kMaxSeededJobs, &has, &count, &err)) return err;
  if (!has) return bad_request("SDRS.0201", "count is required (an integer from 1 to 100000)");
  int64_t init = init_ms_;
  int64_t run_min = run_ms_;
  int64_t fail_every = 0;
  if (!opt_ranged(d, "init_ms", 0, kMaxDurationMs, &has, &init, &err) ||
      !opt_ranged(d, "run_ms_min", 0, kMaxDurationMs, &has, &run_min, &err) ||
      !opt_ranged(d, "fail_every", 0, kMaxSeededJobs, &has, &fail_every, &err)) {
    return err;
  }
  int64_t run_max = run_min;
  if (!opt_ranged(d, "run_ms_max", 0, kMaxDurationMs, &has, &run_max, &err)) return err;
  if (run_max < run_min) {
    return bad_request("SDRS.0201", "run_ms_max (" + std::to_string(run_max) +
                                        ") must not be below run_ms_min (" +
                                        std::to_string(run_min) + ")");
  }
  std::string job_type = "createServerGroup";
  if (const rapidjson::Value *type = member(d, "job_type")) {
    if (!type->IsString() || type->GetStringLength() == 0 || type->GetStringLength() > 64) {
      return bad_request("SDRS.0201", "job_type must be a string of 1 to 64 bytes");
    }
    job_type.assign(type->GetString(), type->GetStringLength());
  }
  auto type_it = std::find(seeded_types_.begin(), seeded_types_.end(), job_type);
  const auto type_index = static_cast<uint32_t>(type_it - seeded_types_.begin());
  if (type_it == seeded_types_.end()) seeded_types_.push_back(job_type);

  std::uniform_int_distribution<int64_t> run_ms(run_min, run_max);
  seeded_jobs_.reserve(seeded_jobs_.size() + static_cast<size_t>(count));
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("count");
  w.Int64(count);
  w.Key("job_ids");
  w.StartArray();
  for (int64_t i = 1; i <= count; i++) {
    SeededJob j;
    j.begin_ms = now;
    j.init_ms = init;
    j.run_ms = run_ms(rng_);
    j.type_index = type_index;
    j.fail = fail_every > 0 && i % fail_every == 0;
    std::string id = random_hex(32);
    write_str(w, id);
    seeded_jobs_.emplace(std::move(id), j);
  }
  w.EndArray();
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

}  // namespace emu
