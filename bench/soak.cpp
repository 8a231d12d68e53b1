// Soak (issue 19 item 6; not run by ctest or CI): N minutes of mixed operations through the
// public C API from 16 threads against an sdrs-emulator it starts, while a fault thread keeps
// injecting random faults (every kind of the fault matrix, on every route the workers use).
// Reports operations, faults applied by kind, errors by code, crashes, duplicate creates,
// and VmRSS at start, every minute and at the end. Exits 1 when a check fails.
//
//   sdrs-soak [--minutes N] [--seconds N] [--threads N] [--emulator PATH] [--seed N]
//             [--settle-ms N]
//
// Duplicate creates: every group create uses a fresh name and lost creates are settled with
// sdrs_pg_find_created before creating again (docs/reliability.md); at the end the groups are
// listed without faults and counted by name: no name may have two groups, and the emulator's
// accepted creates must equal the groups that exist (workers never delete the groups they
// create; the deletes go to groups seeded for that purpose).
#include <sdrs.h>

#include <curl/curl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"

namespace {

constexpr const char *kDomainA = "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11";
constexpr const char *kFixtureVpc = "a0000000-0000-4000-8000-00000000000a";
constexpr int64_t kCallDeadlineMs = 2000;  // one call; the slow fault answers after 2500 ms
constexpr int64_t kWaitDeadlineMs = 20000;

using Clock = std::chrono::steady_clock;

// ---- emulator admin (plain libcurl; /_emulator paths are never faulted) ----

std::string g_base;

long admin(const char *method, const std::string &path, const std::string &body,
           std::string *resp) {
  bench::AdminAnswer a = bench::admin_call(g_base + path, method, body, 30000L);
  if (a.rc != CURLE_OK) {
    std::fprintf(stderr, "admin %s %s: %s\n", method, path.c_str(), curl_easy_strerror(a.rc));
    return -1;
  }
  if (resp != nullptr) *resp = std::move(a.body);
  return a.status;
}

using bench::json_ints;

// ---- statistics ----

struct Stats {
  std::mutex mu;
  std::map<std::string, long long> ops;     // "op" -> calls
  std::map<std::string, long long> errors;  // "SDRS_E..." -> count
  long long unexpected = 0;                 // codes no fault explains (EINVAL, EINTERNAL...)
  long long outcome_unknown = 0;
  long long reconciled_found = 0, reconciled_none = 0, reconcile_failed = 0;
  long long creates_issued = 0;  // group creates whose request may have reached the service

  void count(const char *op, int rc, const sdrs_error *err) {
    std::lock_guard<std::mutex> lock(mu);
    ++ops[op];
    if (rc == 0) return;
    ++errors[sdrs_error_name(rc)];
    if (rc == SDRS_EINVAL || rc == SDRS_EVALIDATION || rc == SDRS_EINTERNAL || rc == SDRS_ENOMEM ||
        rc == SDRS_EAUTH || rc == SDRS_EFORBIDDEN) {
      ++unexpected;
      std::fprintf(stderr, "unexpected %s from %s: %s\n", sdrs_error_name(rc), op,
                   err ? sdrs_error_message(err) : "-");
    }
    if (err != nullptr && sdrs_error_outcome_unknown(err)) ++outcome_unknown;
  }
};

Stats g_stats;
std::atomic<bool> g_stop{false};
int64_t g_settle_ms = 3000;

// ---- the fault thread ----

struct FaultKind {
  const char *name;
  const char *rule;  // completed with count and route
};
const FaultKind kFaultKinds[] = {
    {"500 + SDRS code", R"({"kind":"status","status":500,"code":"SDRS.0013")"},
    {"500 empty", R"({"kind":"status","status":500,"body":"")"},
    {"502", R"({"kind":"status","status":502)"},
    {"503", R"({"kind":"status","status":503,"code":"SDRS.0013")"},
    {"504", R"({"kind":"status","status":504,"body":"")"},
    {"429", R"({"kind":"status","status":429)"},
    {"429 + Retry-After", R"({"kind":"status","status":429,"retry_after":"1")"},
    {"close before", R"({"kind":"close_before")"},
    {"close after", R"({"kind":"close_after")"},
    {"truncated body", R"({"kind":"truncated_body")"},
    {"garbage 200", R"({"kind":"garbage_200")"},
    {"oversized 200", R"({"kind":"oversized_200","size":1048576)"},
    {"stalled transfer", R"({"kind":"stalled_transfer","delay_ms":100)"},
    {"slow past deadline", R"({"kind":"slow_response","delay_ms":2500)"},
};
const char *const kRoutes[] = {
    "POST /server-groups",           "GET /server-groups",
    "GET /server-groups/*",          "PUT /server-groups/*",
    "DELETE /server-groups/*",       "GET /jobs/*",
    "GET /active-domains",           "POST /protected-instances",
    "GET /protected-instances",      "GET /protected-instances/*",
    "DELETE /protected-instances/*", "POST /replications",
    "GET /replications/*",           "DELETE /replications/*",
};

std::map<std::string, long long> g_faults_by_kind;  // faults applied (the emulator's hits)
std::map<long long, std::string> g_rule_kind;       // rule id -> kind name

// Adds the hits of every listed rule to the totals; returns how many rules still have faults
// left. Only called when the caller then clears exhausted rules or stops.
int account_rules(bool final_pass, bool *all_exhausted) {
  std::string listing;
  if (admin("GET", "/_emulator/faults", "", &listing) != 200) return -1;
  const auto ids = json_ints(listing, "id");
  const auto remaining = json_ints(listing, "remaining");
  const auto hits = json_ints(listing, "hits");
  int pending = 0;
  for (size_t i = 0; i < ids.size() && i < remaining.size(); ++i) {
    if (remaining[i] != 0) ++pending;
  }
  *all_exhausted = pending == 0;
  if (*all_exhausted || final_pass) {
    for (size_t i = 0; i < ids.size() && i < hits.size(); ++i) {
      g_faults_by_kind[g_rule_kind[ids[i]]] += hits[i];
    }
  }
  return pending;
}

void fault_thread(uint32_t seed) {
  std::mt19937 rng(seed);
  while (!g_stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    bool exhausted = false;
    const int pending = account_rules(false, &exhausted);
    // Exhausted rules are final (no more hits): count them, then drop them so the list stays
    // short. Pending ones (a route no worker used yet) stay until they fire.
    if (exhausted) admin("DELETE", "/_emulator/faults", "", nullptr);
    if (pending >= 0 && pending < 6) {
      const FaultKind &k = kFaultKinds[rng() % (sizeof kFaultKinds / sizeof kFaultKinds[0])];
      const char *route = kRoutes[rng() % (sizeof kRoutes / sizeof kRoutes[0])];
      const std::string rule = std::string(k.rule) + ",\"count\":" + std::to_string(1 + rng() % 3) +
                               ",\"route\":\"" + route + "\"}";
      std::string resp;
      if (admin("POST", "/_emulator/faults", rule, &resp) == 200) {
        const auto id = json_ints(resp, "id");
        if (!id.empty()) g_rule_kind[id[0]] = k.name;
      }
    }
  }
}

// ---- workers ----

struct Worker {
  int index;
  sdrs_client *client;
  sdrs_call_opts *call;
  sdrs_wait_opts *wait;
  std::mt19937 rng;
  std::vector<std::string> seeded;  // groups of this worker to delete
  std::string pending_instance;     // an instance that may still exist
  std::string pending_pair;
  int cycle = 0;

  const char *server() const {  // workers 0-3 protect fixture servers app-1, app-2, db-1, app-3
    static const char *const kServers[] = {
        "5e000000-0000-4000-8000-000000000001", "5e000000-0000-4000-8000-000000000002",
        "5e000000-0000-4000-8000-000000000003", "5e000000-0000-4000-8000-000000000004"};
    return index < 4 ? kServers[index] : nullptr;
  }
  const char *disk() const {  // workers 4-5 pair the unattached disks data-1, data-2
    static const char *const kDisks[] = {"d0000000-0000-4000-8000-000000000022",
                                         "d0000000-0000-4000-8000-000000000023"};
    return index >= 4 && index < 6 ? kDisks[index - 4] : nullptr;
  }

  template <class F>
  int run(const char *op, F &&f) {
    sdrs_error *err = nullptr;
    const int rc = f(&err);
    g_stats.count(op, rc, err);
    sdrs_error_free(err);
    return rc;
  }

  // Waits for a job; on SUCCESS returns true and, with `key`, that entity in *entity.
  bool wait_job(const char *job_id, const char *key = nullptr, std::string *entity = nullptr) {
    sdrs_job *job = nullptr;
    const int rc = run("sdrs_job_wait", [&](sdrs_error **e) {
      return sdrs_job_wait(&job, client, job_id, wait, e);
    });
    const bool ok = rc == 0 && sdrs_job_status(job) == SDRS_JOB_SUCCESS;
    if (ok && key != nullptr && sdrs_job_entity(job, key) != nullptr) {
      *entity = sdrs_job_entity(job, key);
    }
    sdrs_job_free(job);
    return ok;
  }

  // Creates a group named `name`; a lost create is settled with sdrs_pg_find_created before
  // creating again. Returns the group id or "".
  std::string create_group(const std::string &name) {
    sdrs_pg_spec *spec = nullptr;
    sdrs_error *err = nullptr;
    sdrs_pg_spec_new(&spec, &err);
    sdrs_pg_spec_set_name(spec, name.c_str(), &err);
    sdrs_pg_spec_set_domain_id(spec, kDomainA, &err);
    sdrs_pg_spec_set_source_az(spec, "eu-de-01", &err);
    sdrs_pg_spec_set_target_az(spec, "eu-de-02", &err);
    sdrs_pg_spec_set_source_vpc_id(spec, kFixtureVpc, &err);
    std::string id;
    const int64_t started_ms = bench::wall_ms();
    for (int round = 0; round < 4 && id.empty() && !g_stop.load(); ++round) {
      char *job = nullptr;
      err = nullptr;
      const int rc = sdrs_pg_create(&job, client, spec, call, &err);
      g_stats.count("sdrs_pg_create", rc, err);
      const bool unknown = rc != 0 && err != nullptr && sdrs_error_outcome_unknown(err);
      const int64_t since = unknown ? sdrs_error_sent_at_ms(err) : 0;
      if (rc == 0 || unknown) {
        std::lock_guard<std::mutex> lock(g_stats.mu);
        ++g_stats.creates_issued;
      }
      sdrs_error_free(err);
      if (rc == 0) {
        wait_job(job, "server_group_id", &id);
        sdrs_string_free(job);
        if (id.empty()) id = find_created(spec, started_ms - 300000, nullptr);
        break;
      }
      if (!unknown) continue;  // nothing was made (a refusal): creating again is safe
      // The recipe: find what the lost request made; create again only on "none". First let
      // the request settle: one the service still holds (the slow fault answers after
      // 2.5 s) is found by no search yet.
      const int64_t settle_until = since + g_settle_ms;
      while (bench::wall_ms() < settle_until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      int found_rc = 0;
      for (int tries = 0; tries < 20; ++tries) {
        id = find_created(spec, since, &found_rc);
        if (found_rc == 0 || found_rc == SDRS_ENOTFOUND) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      std::lock_guard<std::mutex> lock(g_stats.mu);
      if (found_rc == 0) {
        ++g_stats.reconciled_found;
      } else if (found_rc == SDRS_ENOTFOUND) {
        ++g_stats.reconciled_none;
      } else {
        ++g_stats.reconcile_failed;
        break;  // cannot tell: never create again
      }
    }
    sdrs_pg_spec_free(spec);
    return id;
  }

  std::string find_created(const sdrs_pg_spec *spec, int64_t since, int *rc_out) {
    sdrs_pg *pg = nullptr;
    sdrs_error *err = nullptr;
    const int rc = sdrs_pg_find_created(&pg, client, spec, since, call, &err);
    g_stats.count("sdrs_pg_find_created", rc == SDRS_ENOTFOUND ? 0 : rc, err);
    std::string id = rc == 0 ? sdrs_pg_id(pg) : "";
    sdrs_error_free(err);
    sdrs_pg_free(pg);
    if (rc_out != nullptr) *rc_out = rc;
    return id;
  }

  void read_group(const std::string &id, const std::string &name) {
    run("sdrs_pg_get", [&](sdrs_error **e) {
      sdrs_pg *pg = nullptr;
      const int rc = sdrs_pg_get(&pg, client, id.c_str(), call, e);
      sdrs_pg_free(pg);
      return rc;
    });
    run("sdrs_pg_list_get", [&](sdrs_error **e) {
      sdrs_pg_list_opts *lo = nullptr;
      sdrs_pg_list_opts_new(&lo, e);
      sdrs_pg_list_opts_set_name(lo, name.c_str(), e);
      sdrs_pg_list_opts_set_limit(lo, 10, e);
      sdrs_pg_list *list = nullptr;
      const int rc = sdrs_pg_list_get(&list, client, lo, call, e);
      sdrs_pg_list_free(list);
      sdrs_pg_list_opts_free(lo);
      return rc;
    });
    // A rename keeps the name's prefix, so the final count by name still finds it.
    run("sdrs_pg_rename", [&](sdrs_error **e) {
      sdrs_pg *pg = nullptr;
      const int rc = sdrs_pg_rename(&pg, client, id.c_str(), (name + "-r").c_str(), call, e);
      sdrs_pg_free(pg);
      return rc;
    });
  }

  void misc_reads() {
    run("sdrs_domain_list_get", [&](sdrs_error **e) {
      sdrs_domain_list *l = nullptr;
      const int rc = sdrs_domain_list_get(&l, client, call, e);
      sdrs_domain_list_free(l);
      return rc;
    });
    if (rng() % 4 == 0) {
      run("sdrs_apiversion_list_get", [&](sdrs_error **e) {
        sdrs_apiversion_list *l = nullptr;
        const int rc = sdrs_apiversion_list_get(&l, client, call, e);
        sdrs_apiversion_list_free(l);
        return rc;
      });
    }
  }

  // Deletes one seeded group (DELETE + wait), seeding more through the admin API when out.
  void delete_seeded() {
    if (seeded.empty()) {
      std::string resp;
      const std::string body = "{\"count\": 20, \"name_prefix\": \"del-" + std::to_string(index) +
                               "-" + std::to_string(cycle) + "-\"}";
      if (admin("POST", "/_emulator/seed-groups", body, &resp) != 200) return;
      const size_t open = resp.find('[', resp.find("\"server_group_ids\""));
      const size_t close = resp.find(']', open);
      if (open == std::string::npos || close == std::string::npos) return;
      const std::string ids = resp.substr(open + 1, close - open - 1);
      for (size_t p = ids.find('"'); p != std::string::npos; p = ids.find('"', p + 1)) {
        const size_t q = ids.find('"', p + 1);
        if (q == std::string::npos) break;
        seeded.push_back(ids.substr(p + 1, q - p - 1));
        p = q;
      }
    }
    if (seeded.empty()) return;
    const std::string id = seeded.back();
    seeded.pop_back();
    char *job = nullptr;
    const int rc = run("sdrs_pg_delete", [&](sdrs_error **e) {
      return sdrs_pg_delete(&job, client, id.c_str(), call, e);
    });
    if (rc == 0) wait_job(job);
    sdrs_string_free(job);
  }

  // Instance cycle (workers 0-3): create in the group, wait, read, delete, wait.
  void instance_cycle(const std::string &group_id, const std::string &name) {
    if (!pending_instance.empty() && !delete_instance(pending_instance)) return;
    sdrs_pi_spec *spec = nullptr;
    sdrs_error *err = nullptr;
    sdrs_pi_spec_new(&spec, &err);
    sdrs_pi_spec_set_server_group_id(spec, group_id.c_str(), &err);
    sdrs_pi_spec_set_server_id(spec, server(), &err);
    sdrs_pi_spec_set_name(spec, name.c_str(), &err);
    char *job = nullptr;
    err = nullptr;
    const int rc = sdrs_pi_create(&job, client, spec, call, &err);
    g_stats.count("sdrs_pi_create", rc, err);
    sdrs_error_free(err);
    sdrs_pi_spec_free(spec);
    if (rc != 0) {
      // Lost, or the server is still protected from an earlier lost create: find it.
      pending_instance = find_instance();
      return;
    }
    std::string id;
    wait_job(job, "protected_instance_id", &id);
    sdrs_string_free(job);
    if (id.empty()) {
      pending_instance = find_instance();
      return;
    }
    run("sdrs_pi_get", [&](sdrs_error **e) {
      sdrs_pi *pi = nullptr;
      const int r = sdrs_pi_get(&pi, client, id.c_str(), call, e);
      sdrs_pi_free(pi);
      return r;
    });
    run("sdrs_pi_list_get", [&](sdrs_error **e) {
      sdrs_pi_list_opts *lo = nullptr;
      sdrs_pi_list_opts_new(&lo, e);
      sdrs_pi_list_opts_set_server_group_id(lo, group_id.c_str(), e);
      sdrs_pi_list *l = nullptr;
      const int r = sdrs_pi_list_get(&l, client, lo, call, e);
      sdrs_pi_list_free(l);
      sdrs_pi_list_opts_free(lo);
      return r;
    });
    pending_instance = delete_instance(id) ? "" : id;
  }

  // The instance of this worker's server, if any (lists all: there are at most four).
  std::string find_instance() {
    std::string found;
    run("sdrs_pi_list_get", [&](sdrs_error **e) {
      sdrs_pi_list *l = nullptr;
      const int r = sdrs_pi_list_get(&l, client, nullptr, call, e);
      for (size_t i = 0; r == 0 && i < sdrs_pi_list_size(l); ++i) {
        const sdrs_pi *pi = sdrs_pi_list_at(l, i);
        if (sdrs_pi_source_server(pi) != nullptr &&
            std::strcmp(sdrs_pi_source_server(pi), server()) == 0) {
          found = sdrs_pi_id(pi);
        }
      }
      sdrs_pi_list_free(l);
      return r;
    });
    return found;
  }

  bool delete_instance(const std::string &id) {
    char *job = nullptr;
    const int rc = run("sdrs_pi_delete", [&](sdrs_error **e) {
      return sdrs_pi_delete(&job, client, id.c_str(), 0, 0, call, e);
    });
    bool gone = rc == SDRS_ENOTFOUND;
    if (rc == 0) gone = wait_job(job);
    sdrs_string_free(job);
    if (gone) pending_instance.clear();
    return gone;
  }

  // Pair cycle (workers 4-5): create, wait, read, delete, wait.
  void pair_cycle(const std::string &group_id, const std::string &name) {
    if (!pending_pair.empty() && !delete_pair(pending_pair)) return;
    sdrs_pair_spec *spec = nullptr;
    sdrs_error *err = nullptr;
    sdrs_pair_spec_new(&spec, &err);
    sdrs_pair_spec_set_server_group_id(spec, group_id.c_str(), &err);
    sdrs_pair_spec_set_volume_id(spec, disk(), &err);
    sdrs_pair_spec_set_name(spec, name.c_str(), &err);
    char *job = nullptr;
    err = nullptr;
    const int rc = sdrs_pair_create(&job, client, spec, call, &err);
    g_stats.count("sdrs_pair_create", rc, err);
    sdrs_error_free(err);
    sdrs_pair_spec_free(spec);
    std::string id;
    if (rc == 0) wait_job(job, "replication_pair_id", &id);
    sdrs_string_free(job);
    if (id.empty()) {
      pending_pair = find_pair();
      return;
    }
    run("sdrs_pair_get", [&](sdrs_error **e) {
      sdrs_pair *p = nullptr;
      const int r = sdrs_pair_get(&p, client, id.c_str(), call, e);
      sdrs_pair_free(p);
      return r;
    });
    pending_pair = delete_pair(id) ? "" : id;
  }

  std::string find_pair() {
    std::string found;
    run("sdrs_pair_list_get", [&](sdrs_error **e) {
      sdrs_pair_list_opts *lo = nullptr;
      sdrs_pair_list_opts_new(&lo, e);
      sdrs_pair_list_opts_set_volume_id(lo, disk(), e);
      sdrs_pair_list *l = nullptr;
      const int r = sdrs_pair_list_get(&l, client, lo, call, e);
      if (r == 0 && sdrs_pair_list_size(l) > 0) found = sdrs_pair_id(sdrs_pair_list_at(l, 0));
      sdrs_pair_list_free(l);
      sdrs_pair_list_opts_free(lo);
      return r;
    });
    return found;
  }

  bool delete_pair(const std::string &id) {
    char *job = nullptr;
    const int rc = run("sdrs_pair_delete", [&](sdrs_error **e) {
      return sdrs_pair_delete(&job, client, id.c_str(), nullptr, 0, call, e);
    });
    bool gone = rc == SDRS_ENOTFOUND;
    if (rc == 0) gone = wait_job(job);
    sdrs_string_free(job);
    if (gone) pending_pair.clear();
    return gone;
  }

  void loop() {
    while (!g_stop.load()) {
      ++cycle;
      const std::string name = "soak-" + std::to_string(index) + "-" + std::to_string(cycle);
      const std::string id = create_group(name);
      if (!id.empty()) {
        read_group(id, name);
        if (server() != nullptr) instance_cycle(id, name + "-pi");
        if (disk() != nullptr) pair_cycle(id, name + "-pair");
      }
      misc_reads();
      delete_seeded();
    }
  }
};

sdrs_client *make_client(int64_t max_response) {
  sdrs_error *err = nullptr;
  sdrs_client *client = nullptr;
  if (bench::emulator_client(&client, g_base, max_response, &err) != 0) {
    std::fprintf(stderr, "client: %s\n", err ? sdrs_error_message(err) : "?");
    std::exit(2);
  }
  return client;
}

// ---- the final count ----

struct FinalCount {
  long long groups = 0, duplicate_names = 0, extra_groups = 0;
};

bool count_groups(sdrs_client *client, FinalCount *out) {
  std::map<std::string, int> by_name;
  sdrs_pg_list_opts *lo = nullptr;
  sdrs_error *err = nullptr;
  sdrs_pg_list_opts_new(&lo, &err);
  sdrs_pg_list_opts_set_name(lo, "soak-", &err);
  sdrs_pg_list_opts_set_limit(lo, 1000, &err);
  sdrs_pg_iter *it = nullptr;
  if (sdrs_pg_iter_new(&it, client, lo, &err) != 0) return false;
  sdrs_pg_list_opts_free(lo);
  for (;;) {
    const sdrs_pg *pg = nullptr;
    if (sdrs_pg_iter_next(&pg, it, nullptr, &err) != 0) {
      std::fprintf(stderr, "final list: %s\n", sdrs_error_message(err));
      sdrs_error_free(err);
      sdrs_pg_iter_free(it);
      return false;
    }
    if (pg == nullptr) break;
    std::string name = sdrs_pg_name(pg);
    if (name.size() > 2 && name.compare(name.size() - 2, 2, "-r") == 0)
      name.resize(name.size() - 2);
    ++by_name[name];
    ++out->groups;
  }
  sdrs_pg_iter_free(it);
  for (const auto &kv : by_name) {
    if (kv.second > 1) {
      ++out->duplicate_names;
      out->extra_groups += kv.second - 1;
      std::fprintf(stderr, "duplicate: %d groups named %s\n", kv.second, kv.first.c_str());
    }
  }
  return true;
}

}  // namespace

int main(int argc, char **argv) {
  double minutes = 10;
  int threads = 16;
  uint32_t seed = static_cast<uint32_t>(std::time(nullptr));
  std::string emulator = bench::emulator_next_to(argv[0]);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--minutes" && v) {
      minutes = std::atof(v), ++i;
    } else if (a == "--seconds" && v) {
      minutes = std::atof(v) / 60.0, ++i;
    } else if (a == "--threads" && v) {
      threads = std::atoi(v), ++i;
    } else if (a == "--emulator" && v) {
      emulator = v, ++i;
    } else if (a == "--settle-ms" && v) {
      g_settle_ms = std::atoll(v), ++i;
    } else if (a == "--seed" && v) {
      seed = static_cast<uint32_t>(std::strtoul(v, nullptr, 10)), ++i;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--minutes N] [--seconds N] [--threads N] [--emulator PATH] "
                   "[--seed N] [--settle-ms N]\n",
                   argv[0]);
      return 2;
    }
  }
  if (minutes <= 0 || threads < 1 || threads > 256) {
    std::fprintf(stderr, "--minutes must be > 0 and --threads 1..256\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);

  // The emulator, on a free port, with short jobs and no request log.
  const bench::Emulator emulated = bench::start_emulator(
      emulator, {"--job-init-ms", "20", "--job-run-ms", "80", "--quiet"}, false);
  if (emulated.pid == 0) {
    std::fprintf(stderr, "%s\n", emulated.error.c_str());
    return 2;
  }
  const pid_t emu = emulated.pid;
  g_base = emulated.base;
  std::printf("soak: %.1f min, %d threads, seed %u, emulator pid %d on %s\n", minutes, threads,
              seed, static_cast<int>(emu), g_base.c_str());

  sdrs_client *client = make_client(65536);  // shared by all workers, as an application would
  std::vector<Worker> workers(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    Worker &w = workers[static_cast<size_t>(i)];
    w.index = i;
    w.client = client;
    w.rng.seed(seed + static_cast<uint32_t>(i) + 1);
    sdrs_error *err = nullptr;
    sdrs_call_opts_new(&w.call, &err);
    sdrs_call_opts_set_timeout_ms(w.call, kCallDeadlineMs, &err);
    sdrs_wait_opts_new(&w.wait, &err);
    sdrs_wait_opts_set_initial_interval_ms(w.wait, 20, &err);
    sdrs_wait_opts_set_max_interval_ms(w.wait, 200, &err);
    sdrs_wait_opts_set_timeout_ms(w.wait, kWaitDeadlineMs, &err);
  }
  const long rss_start = bench::status_kib("VmRSS");
  std::printf("VmRSS at start: %ld kB\n", rss_start);
  std::fflush(stdout);

  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (auto &w : workers) pool.emplace_back([&w] { w.loop(); });
  std::thread faults(fault_thread, seed);
  const auto end = t0 + std::chrono::milliseconds(static_cast<int64_t>(minutes * 60000));
  int minute = 0;
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - t0).count();
    if (elapsed >= (minute + 1) * 60) {
      ++minute;
      long long ops = 0;
      {
        std::lock_guard<std::mutex> lock(g_stats.mu);
        for (const auto &kv : g_stats.ops) ops += kv.second;
      }
      std::printf("minute %d: %lld operations, VmRSS %ld kB\n", minute, ops,
                  bench::status_kib("VmRSS"));
      std::fflush(stdout);
    }
  }
  g_stop.store(true);
  for (auto &t : pool) t.join();
  const long rss_end = bench::status_kib("VmRSS");
  faults.join();
  const double seconds =
      static_cast<double>(
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count()) /
      1000.0;
  bool exhausted = false;
  account_rules(true, &exhausted);
  admin("DELETE", "/_emulator/faults", "", nullptr);

  // With the faults gone: count the groups by name and compare with the accepted creates.
  FinalCount fc;
  sdrs_client *checker = make_client(64 << 20);  // lists up to 1000 groups a page
  const bool counted = count_groups(checker, &fc);
  sdrs_client_free(checker);
  std::string stats;
  admin("GET", "/_emulator/stats", "", &stats);
  const auto creates = json_ints(stats, "creates");
  const long long accepted = creates.empty() ? -1 : creates[0];

  for (auto &w : workers) {
    sdrs_call_opts_free(w.call);
    sdrs_wait_opts_free(w.wait);
  }
  sdrs_client_free(client);
  const long rss_after_free = bench::status_kib("VmRSS");

  kill(emu, SIGTERM);
  int status = 0;
  waitpid(emu, &status, 0);
  const bool emulator_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

  long long ops = 0, errors = 0, faults_total = 0;
  std::printf("\nsoak result (%.0f s, %d threads, seed %u)\n", seconds, threads, seed);
  std::printf("operations by call:\n");
  for (const auto &kv : g_stats.ops) {
    std::printf("  %-26s %lld\n", kv.first.c_str(), kv.second);
    ops += kv.second;
  }
  std::printf("operations: %lld (%.1f/s)\n", ops, static_cast<double>(ops) / seconds);
  std::printf("faults applied by kind (emulator hits):\n");
  for (const auto &kv : g_faults_by_kind) {
    std::printf("  %-20s %lld\n", kv.first.c_str(), kv.second);
    faults_total += kv.second;
  }
  std::printf("faults applied: %lld\n", faults_total);
  std::printf("errors by code:\n");
  for (const auto &kv : g_stats.errors) {
    std::printf("  %-16s %lld\n", kv.first.c_str(), kv.second);
    errors += kv.second;
  }
  std::printf("errors: %lld; outcome unknown: %lld; unexpected codes: %lld\n", errors,
              g_stats.outcome_unknown, g_stats.unexpected);
  std::printf("lost creates settled: found %lld, none (created again) %lld, undecided %lld\n",
              g_stats.reconciled_found, g_stats.reconciled_none, g_stats.reconcile_failed);
  std::printf(
      "group creates issued (may have reached the service): %lld; accepted by the "
      "emulator: %lld; groups existing: %lld\n",
      g_stats.creates_issued, accepted, fc.groups);
  std::printf("duplicate creates: %lld (names with more than one group: %lld)\n", fc.extra_groups,
              fc.duplicate_names);
  std::printf("crashes: 0 (soak process); emulator exit: %s\n", emulator_ok ? "0" : "ABNORMAL");
  std::printf("VmRSS: start %ld kB, end %ld kB, after freeing the client %ld kB\n", rss_start,
              rss_end, rss_after_free);

  curl_global_cleanup();
  const bool ok = counted && emulator_ok && fc.extra_groups == 0 && accepted == fc.groups &&
                  g_stats.unexpected == 0;
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
