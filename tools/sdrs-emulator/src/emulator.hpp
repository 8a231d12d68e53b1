// The SDRS emulator's state machine and request router, independent of the HTTP library so
// the logic stays testable and the HTTP glue (frontend.cpp) stays small. One file per concern:
// emulator.cpp (routing, versions, domains), groups.cpp, jobs.cpp, iam.cpp, admin.cpp.
#ifndef SDRS_EMULATOR_EMULATOR_HPP
#define SDRS_EMULATOR_EMULATOR_HPP

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "model.hpp"

namespace emu {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

struct User {
  std::string name;
  std::string password;
  std::string domain;
};

struct Options {
  std::set<std::string> project_ids;
  std::set<std::string> tokens;
  // IAM (POST /v3/auth/tokens) and AK/SK signatures.
  std::vector<User> users;
  std::map<std::string, std::string> project_names;  // name -> id
  int64_t token_lifetime_ms = INT64_C(24) * 3600 * 1000;
  std::map<std::string, std::pair<std::string, std::string>> aksk;  // AK -> (SK, security token)
  int64_t max_clock_skew_ms = INT64_C(15) * 60 * 1000;
  int64_t job_init_ms = 100;
  int64_t job_run_ms = 400;
  int64_t job_run_spread_ms = 0;  // RUNNING time drawn from [job_run_ms, job_run_ms + spread]
  uint64_t max_groups = 100000;
  uint64_t max_replications = 100000;  // pair quota (SDRS.0306)
  Fixtures fixtures = default_fixtures();
};

// What the HTTP layer hands us: already-decoded path and query parameters.
struct Request {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> params;
  std::string token;   // X-Auth-Token, empty when absent
  std::string host;    // Host header, for version links
  std::string target;  // raw request target (encoded path and query), for AK/SK checks
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool loopback = true;  // peer address is 127.0.0.1 / ::1
};

struct Response {
  Response() = default;
  Response(int s, std::string b) : status(s), body(std::move(b)) {}
  Response(int s, std::string b, std::vector<std::pair<std::string, std::string>> h)
      : status(s), body(std::move(b)), headers(std::move(h)) {}
  int status = 200;
  std::string body;  // always JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

// AK/SK verification (auth.md 1.9), exposed for the emulator's own tests: "" when the request
// is correctly signed, else the reason. now_ms is the server clock.
std::string verify_signature(const Request &req, const Options &opts, int64_t now_ms);

struct Domain {
  const char *id;
  const char *name;
  const char *description;
  bool sold_out;
  const char *local_az;
  const char *remote_az;
};

// The two fixed active-active domains (README).
extern const std::array<Domain, 2> kDomains;
const Domain *find_domain(const std::string &id);

struct Group {
  uint64_t seq = 0;  // creation order, the list order
  std::string id;
  std::string name;
  bool has_description = false;
  std::string description;
  std::string status;
  std::string source_az;
  std::string target_az;
  const Domain *domain = nullptr;
  std::string priority_station = "source";
  int64_t protected_instance_num = 0;
  int64_t replication_num = 0;
  int64_t disaster_recovery_drill_num = 0;
  std::string vpc_id;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// Every asynchronous operation; the order matches the action table in jobs.cpp.
enum class Action {
  kCreate,  // protection group
  kDelete,
  kStart,
  kReprotect,
  kStop,
  kFailover,
  kReverse,
  kCreateInstance,
  kDeleteInstance,
  kAttach,
  kDetach,
  kAddNic,
  kDeleteNic,
  kResize,
  kCreatePair,
  kDeletePair,
  kExpandPair,
  kCreateDrill,
  kDeleteDrill,
};

struct Job {
  std::string id;
  Action action = Action::kCreate;
  std::string group_id;
  std::string instance_id;       // entities.protected_instance_id
  std::string pair_id;           // entities.replication_pair_id
  std::string drill_id;          // entities.disaster_recovery_drill_id
  std::string nic_id;            // entities.nic_id
  std::string native_server_id;  // entities.native_server_id (the DR server of a create)
  std::string volume_ids;        // entities.volume_ids (a pair create)
  std::string resource_name;
  std::string priority_station;  // requested by reverse-server-group
  bool delete_target_server = false;
  bool delete_target_volume = false;
  std::string device;  // attach
  Nic nic;             // add NIC
  int64_t new_size = 0;
  std::string production_flavor;  // resize; empty: unchanged
  std::string dr_flavor;
  int64_t begin_ms = 0;
  int64_t init_ms = 0;
  int64_t run_ms = 0;
  bool fail = false;
  std::string error_code;
  std::string fail_reason;
  bool settled = false;  // resource transition applied
};

// A job made by POST /_emulator/seed-jobs: no resource behind it, nothing to settle, so only
// its timing is kept (a few dozen bytes; the id is the map key). Its status follows from the
// clock when it is read, like every job's.
struct SeededJob {
  int64_t begin_ms = 0;
  int64_t init_ms = 0;
  int64_t run_ms = 0;
  uint32_t type_index = 0;  // into Emulator::seeded_types_
  bool fail = false;
};

class Emulator {
 public:
  explicit Emulator(Options opts);

  // Thread-safe; handles every route (SDRS and /_emulator).
  Response handle(const Request &req);
  // Counts an accepted TCP connection (reported as `connections` in the stats).
  void count_connection() { connections_++; }
  // Worker threads the HTTP server has started so far (reported as `worker_threads`).
  void set_worker_threads(size_t n) { worker_threads_ = n; }

 private:
  using Segs = std::vector<std::string>;

  // All members below are guarded by mu_ unless atomic.
  Response route(const Request &req, const Segs &segs, int64_t now);
  Response api(const Request &req, const Segs &segs, int64_t now);
  Response admin(const Request &req, const Segs &segs, int64_t now);

  static Response versions(const Request &req, bool one);
  static Response domains();
  Response create_group(const Request &req, int64_t now);
  Response list_groups(const Request &req);
  Response get_group(const std::string &id);
  Response rename_group(const std::string &id, const Request &req, int64_t now);
  Response delete_group(const std::string &id, int64_t now);
  Response group_action(const std::string &id, const Request &req, int64_t now);
  Response get_job(const std::string &id, int64_t now);

  // Protected instances (instances.cpp).
  Response instances_route(const Request &req, const Segs &segs, int64_t now);
  Response create_instance(const Request &req, int64_t now);
  Response list_instances(const Request &req);
  Response get_instance(const std::string &id);
  Response rename_instance(const std::string &id, const Request &req, int64_t now);
  Response delete_instance(const std::string &id, const Request &req, int64_t now);
  Response attach_pair(const std::string &id, const Request &req, int64_t now);
  Response detach_pair(const std::string &id, const std::string &pair_id, int64_t now);
  Response add_nic(const std::string &id, const Request &req, int64_t now);
  Response delete_nic(const std::string &id, const Request &req, int64_t now);
  // NICs change only while the group and the instance are available or protected (SDRS.1024,
  // SDRS.1327); false with the error in *err.
  bool nic_change_allowed(const Instance &inst, Response *err);
  Response resize_instance(const std::string &id, const Request &req, int64_t now);
  Response project_tags();
  Response tag_query(const Request &req);
  Response instance_tags_route(const Request &req, const Segs &segs, int64_t now);
  void write_instance(Writer &w, const Instance &inst, bool tenths) const;
  std::string instance_json(const Instance &inst, bool tenths) const;
  // Removes an instance at the end of its delete job (pairs, DR server, counters).
  void remove_instance(Instance &inst, bool delete_target_server);
  // Rolls back what a failed create made (DR server, DR disks, its pairs).
  void roll_back_instance(Instance &inst);

  // Replication pairs (replications.cpp).
  // DR drills (drills.cpp).
  Response drills_route(const Request &req, const Segs &segs, int64_t now);
  Response create_drill(const Request &req, int64_t now);
  Response list_drills(const Request &req);
  Response get_drill(const std::string &id);
  Response rename_drill(const std::string &id, const Request &req, int64_t now);
  Response delete_drill(const std::string &id, int64_t now);
  static void write_drill(Writer &w, const Drill &d);
  static std::string drill_json(const Drill &d);
  void finish_drill_job(Job &job, int64_t end_ms);
  Response admin_vpcs();

  // Task center and quotas (task_center.cpp).
  Response task_center_route(const Request &req, const Segs &segs);
  Response list_failures(const Request &req);
  Response quotas();

  Response pairs_route(const Request &req, const Segs &segs, int64_t now);
  Response create_pair(const Request &req, int64_t now);
  Response list_pairs(const Request &req);
  Response get_pair(const std::string &id);
  Response rename_pair(const std::string &id, const Request &req, int64_t now);
  Response delete_pair(const std::string &id, const Request &req, int64_t now);
  Response pair_action(const std::string &id, const Request &req, int64_t now);
  void write_pair(Writer &w, const Pair &p) const;
  std::string pair_json(const Pair &p) const;
  // Makes a pair for a volume: the DR disk in the group's DR AZ, the counter.
  Pair &add_pair(Group &g, Volume &vol, const std::string &name, int64_t now);
  // Removes a pair and its record from its volumes; the DR disk goes too when asked.
  void remove_pair(const std::string &pair_id, bool delete_dr_volume);
  // Attaches both disks of a pair to both servers of an instance.
  void link(Instance &inst, Pair &p, const std::string &device);
  void unlink(Instance &inst, Pair &p);

  // Servers, volumes, fixtures (fixtures.cpp).
  void load_fixtures(const Fixtures &f);
  Response admin_servers();
  Response admin_volumes();
  Response admin_set_server(const std::string &id, const Request &req);
  Response admin_load_fixtures(const Request &req);
  static std::string production_az(const Group &g);
  // The group exists and its production AZ is az (the availability_zone list filter).
  bool in_production_az(const std::string &group_id, const std::string &az) const;
  static std::string dr_az(const Group &g);

  Response iam(const Request &req, const Segs &segs, int64_t now);
  Response issue_token(const Request &req, int64_t now);
  // An empty optional-like response (status 0) when the request is authenticated.
  Response authenticate(const Request &req, const std::string &project_id, int64_t now);

  Response admin_stats();
  Response admin_revoke_tokens();
  Response admin_reset();
  Response admin_config(const Request &req);
  Response admin_fail_next(const Request &req);
  Response admin_set_group(const std::string &id, const Request &req, int64_t now);
  Response admin_seed(const Request &req, int64_t now);
  Response admin_seed_jobs(const Request &req, int64_t now);
  // A RUNNING time for a new API job: run_ms_ plus a uniform draw from [0, run_spread_ms_].
  int64_t draw_run_ms();

  // Applies the transitions of every job that has finished by `now`.
  void settle(int64_t now);
  void finish(Job &job, int64_t end_ms);
  void finish_group_job(Job &job, int64_t end_ms);
  void finish_instance_job(Job &job, int64_t end_ms);
  void finish_pair_job(Job &job, int64_t end_ms);
  void record_failure(const Job &job);
  // A group job: the group and its instances and pairs enter the running status.
  Job &start_job(Action action, Group &g, int64_t now);
  // Any job: id, timing, and whether it will fail (fail-next-jobs, `fail-` names).
  Job &new_job(Action action, const std::string &group_id, const std::string &resource_name,
               int64_t now);
  Group &add_group(std::unique_ptr<Group> g);
  Group *find_group(const std::string &id);
  bool quota_exceeded_pairs(size_t more) const {
    return max_replications_ >= 0 && static_cast<int64_t>(pairs_.size() + more) > max_replications_;
  }

  static std::string group_json(const Group &g);
  static std::string job_json(const Job &j, int64_t now);
  std::string seeded_job_json(const std::string &id, const SeededJob &j, int64_t now) const;

  Options opts_;
  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Group>> groups_;
  std::map<uint64_t, Group *> order_;  // seq -> group, for stable listing
  std::unordered_map<std::string, Job> jobs_;
  // Synthetic jobs (seed-jobs); never in due_, so polling them costs one hash lookup.
  std::unordered_map<std::string, SeededJob> seeded_jobs_;
  std::vector<std::string> seeded_types_;  // distinct job_type values of seeded jobs
  Table<Server> servers_;
  Table<Volume> volumes_;
  Table<Instance> instances_;
  Table<Pair> pairs_;
  Table<FailureJob> failures_;
  Table<Vpc> vpcs_;
  Table<Drill> drills_;
  bool volume_size_as_string_ = false;
  int64_t max_groups_;        // -1: unlimited
  int64_t max_replications_;  // -1: unlimited
  // Unsettled jobs by end time (min-heap of end_ms, job id).
  std::priority_queue<std::pair<int64_t, std::string>, std::vector<std::pair<int64_t, std::string>>,
                      std::greater<>>
      due_;
  uint64_t next_seq_ = 1;
  int64_t init_ms_;
  int64_t run_ms_;
  int64_t run_spread_ms_;
  std::mt19937_64 rng_{std::random_device{}()};
  int64_t fail_next_count_ = 0;
  std::string fail_next_code_;
  std::string fail_next_reason_;
  std::string fail_next_job_type_;  // empty: any job

  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> api_requests_{0};
  std::atomic<uint64_t> creates_{0};
  std::atomic<uint64_t> iam_token_requests_{0};
  std::atomic<uint64_t> auth_failures_{0};
  struct Issued {
    int64_t expires_ms;
    std::string project_id;
  };
  std::unordered_map<std::string, Issued> issued_;  // IAM tokens
  int64_t token_lifetime_ms_;
  int64_t clock_offset_ms_ = 0;
  std::atomic<uint64_t> connections_{0};
  std::atomic<size_t> worker_threads_{0};
};

// Helpers shared with the HTTP glue.
std::string random_hex(size_t n);
int64_t now_ms();

}  // namespace emu

#endif  // SDRS_EMULATOR_EMULATOR_HPP
