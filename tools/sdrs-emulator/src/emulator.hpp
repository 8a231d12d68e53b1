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
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace emu {

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
  uint64_t max_groups = 100000;
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

enum class Action { kCreate, kDelete, kStart, kReprotect, kStop, kFailover, kReverse };

struct Job {
  std::string id;
  Action action = Action::kCreate;
  std::string group_id;
  std::string priority_station;  // requested by reverse-server-group
  int64_t begin_ms = 0;
  int64_t init_ms = 0;
  int64_t run_ms = 0;
  bool fail = false;
  std::string error_code;
  std::string fail_reason;
  bool settled = false;  // group transition applied
};

class Emulator {
 public:
  explicit Emulator(Options opts);

  // Thread-safe; handles every route (SDRS and /_emulator).
  Response handle(const Request &req);
  // Counts an accepted TCP connection (reported as `connections` in the stats).
  void count_connection() { connections_++; }

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

  // Applies the group transitions of every job that has finished by `now`.
  void settle(int64_t now);
  void finish(Job &job, int64_t end_ms);
  Job &start_job(Action action, Group &g, int64_t now);
  Group &add_group(std::unique_ptr<Group> g);

  static std::string group_json(const Group &g);
  static std::string job_json(const Job &j, int64_t now);

  Options opts_;
  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Group>> groups_;
  std::map<uint64_t, Group *> order_;  // seq -> group, for stable listing
  std::unordered_map<std::string, Job> jobs_;
  // Unsettled jobs by end time (min-heap of end_ms, job id).
  std::priority_queue<std::pair<int64_t, std::string>, std::vector<std::pair<int64_t, std::string>>,
                      std::greater<>>
      due_;
  uint64_t next_seq_ = 1;
  int64_t init_ms_;
  int64_t run_ms_;
  int64_t fail_next_count_ = 0;
  std::string fail_next_code_;
  std::string fail_next_reason_;

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
};

// Helpers shared with the HTTP glue.
std::string random_hex(size_t n);
int64_t now_ms();

}  // namespace emu

#endif  // SDRS_EMULATOR_EMULATOR_HPP
