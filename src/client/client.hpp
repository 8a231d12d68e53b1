// The SDRS client: builds requests, sends them through the authenticator and the transport,
// maps errors, decodes responses. Thread-safe: configuration is immutable after construction
// and the transport's handle pool is synchronised. The operations of each resource live in
// client/<resource>.cpp; this file holds what they share.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/settings.hpp"
#include "core/backoff.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/resources/apiversion.hpp"
#include "core/resources/domain.hpp"
#include "core/resources/drill.hpp"
#include "core/resources/job.hpp"
#include "core/resources/pair.hpp"
#include "core/resources/pg.hpp"
#include "core/resources/pi.hpp"
#include "core/resources/quota.hpp"
#include "core/resources/tag.hpp"
#include "core/resources/task.hpp"
#include "http/options.hpp"
#include "http/transport.hpp"

namespace sdrs {

namespace auth {
class Authenticator;
}

// The id a create job reports under entities.<key>, or under that of a sub-job; a job that
// succeeded without one is a protocol error.
std::string created_entity_id(const Job &job, const char *key);

// Everything a client is made from: each floor's own settings, held whole (the defaults are
// written once, in the floor's struct).
struct ClientConfig {
  auth::AuthSettings auth;     // credentials, project, region, endpoint
  TransportOptions transport;  // timeouts, TLS, proxy, retries, allow_http
  Logger logger;
};

struct WaitOptions {
  BackoffPolicy backoff;
  int64_t timeout_ms = INT64_C(30) * 60 * 1000;
  CancelToken *cancel = nullptr;
  // Called after every successful status read; returning false stops the wait (canceled).
  std::function<bool(const Job &)> progress;
  uint64_t seed = 0;  // 0: seeded from the clock
};

// What one call's exchanges amounted to, for operations made of several calls (waits).
struct CallStats {
  int32_t attempts = 0;     // SDRS requests sent (retries and the re-send after a 401 included)
  int32_t http_status = 0;  // of the last response
};

// A request and a response object reused from one call to the next on one thread (client.cpp).
struct CallSlot;

class Client {
 public:
  explicit Client(const ClientConfig &config);
  ~Client();
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;

  // Protection groups (client/pg.cpp).
  std::string create_pg(const PgSpec &spec, const CallContext &ctx, CallStats *stats = nullptr);
  // create_pg for a spec whose fields were each checked as they were set (the C API's setters):
  // only what needs the whole spec is checked again (validate_spec_complete), about 650
  // instructions less per create.
  std::string create_pg_from_checked_fields(const PgSpec &spec, const CallContext &ctx);
  Group get_pg(const std::string &group_id, const CallContext &ctx, CallStats *stats = nullptr);
  Group rename_pg(const std::string &group_id, const std::string &name, const CallContext &ctx);
  std::string delete_pg(const std::string &group_id, const CallContext &ctx);
  std::string act_pg(const std::string &group_id, PgAction action,
                     const std::string &priority_station, const CallContext &ctx);
  GroupList list_pg(const ListQuery &query, const CallContext &ctx);
  // Create, wait for the job, read the group: one deadline and one cancel token for all three;
  // an error counts the requests of all three.
  Group create_pg_and_wait(const PgSpec &spec, const WaitOptions &options);
  // The group a create of `spec` sent at since_ms made (its answer lost): same name, AZs,
  // domain and VPC, created at or after since_ms - kCreatedSkewMs; the newest when several.
  // kNotFound when none. Sends no create.
  Group find_created_pg(const PgSpec &spec, int64_t since_ms, const CallContext &ctx);
  static constexpr int64_t kCreatedSkewMs = INT64_C(5) * 60 * 1000;

  // Protected instances (client/pi.cpp). Instance ids are checked by validate_pi_id.
  std::string create_pi(const PiSpec &spec, const CallContext &ctx, CallStats *stats = nullptr);
  Instance get_pi(const std::string &instance_id, const CallContext &ctx,
                  CallStats *stats = nullptr);
  Instance rename_pi(const std::string &instance_id, const std::string &name,
                     const CallContext &ctx);
  std::string delete_pi(const std::string &instance_id, bool delete_target_server,
                        bool delete_target_eip, const CallContext &ctx);
  std::string attach_pi(const std::string &instance_id, const std::string &replication_id,
                        const std::string &device, const CallContext &ctx);
  std::string detach_pi(const std::string &instance_id, const std::string &replication_id,
                        const CallContext &ctx);
  std::string add_nic_pi(const std::string &instance_id, const PiNicSpec &nic,
                         const CallContext &ctx);
  std::string delete_nic_pi(const std::string &instance_id, const std::string &nic_id,
                            const CallContext &ctx);
  std::string resize_pi(const std::string &instance_id, const PiResize &resize,
                        const CallContext &ctx);
  InstanceList list_pi(const PiListQuery &query, const CallContext &ctx);
  // Create, wait, read entities.protected_instance_id, get.
  Instance create_pi_and_wait(const PiSpec &spec, const WaitOptions &options);

  // Replication pairs (client/pair.cpp).
  std::string create_pair(const PairSpec &spec, const CallContext &ctx, CallStats *stats = nullptr);
  Pair get_pair(const std::string &replication_id, const CallContext &ctx,
                CallStats *stats = nullptr);
  Pair rename_pair(const std::string &replication_id, const std::string &name,
                   const CallContext &ctx);
  std::string delete_pair(const std::string &replication_id, const OptString &server_group_id,
                          bool delete_target_volume, const CallContext &ctx);
  std::string expand_pair(const std::string &replication_id, int64_t new_size_gb,
                          const CallContext &ctx);
  PairList list_pair(const PairListQuery &query, const CallContext &ctx);
  // Create, wait, read entities.replication_pair_id, get.
  Pair create_pair_and_wait(const PairSpec &spec, const WaitOptions &options);

  // DR drills (client/drill.cpp).
  std::string create_drill(const DrillSpec &spec, const CallContext &ctx,
                           CallStats *stats = nullptr);
  Drill get_drill(const std::string &drill_id, const CallContext &ctx, CallStats *stats = nullptr);
  Drill rename_drill(const std::string &drill_id, const std::string &name, const CallContext &ctx);
  std::string delete_drill(const std::string &drill_id, const CallContext &ctx);
  DrillList list_drill(const DrillListQuery &query, const CallContext &ctx);
  // Create, wait, read entities.disaster_recovery_drill_id, get.
  Drill create_drill_and_wait(const DrillSpec &spec, const WaitOptions &options);

  // Tags and the tag query (client/tag.cpp). Writes answer 204 with no body.
  void add_tag(const std::string &instance_id, const std::string &key, const std::string &value,
               const CallContext &ctx);
  void delete_tag(const std::string &instance_id, const std::string &key, const CallContext &ctx);
  void batch_tags(const std::string &instance_id, TagAction action,
                  const std::vector<TagEntry> &tags, const CallContext &ctx);
  std::vector<Record> list_tags(const std::string &instance_id, const CallContext &ctx);
  std::vector<ProjectTag> project_tags(const CallContext &ctx);
  TagQueryResult query_tags(const TagQuery &query, const CallContext &ctx);
  int64_t count_tags(const TagQuery &query, const CallContext &ctx);

  // The task center (client/task.cpp). Deletes answer 204 with no body.
  TaskList list_task(const TaskListQuery &query, const CallContext &ctx);
  void delete_task(const std::string &failure_job_id, const CallContext &ctx);
  void delete_task_group(const std::string &server_group_id, const CallContext &ctx);
  void delete_task_group_level(const CallContext &ctx);

  // Quotas (client/quota.cpp).
  Quota get_quota(const CallContext &ctx);

  // Domains and API versions (client/domain.cpp, client/apiversion.cpp).
  DomainList domains(const CallContext &ctx);
  std::vector<ApiVersion> api_versions(const CallContext &ctx);
  ApiVersion api_version(const std::string &version_id, const CallContext &ctx);

  // Jobs (client/job.cpp, client/wait.cpp).
  Job poll_job(std::string_view job_id, const CallContext &ctx, CallStats *stats = nullptr);
  // Polls until SUCCESS (returns the job) or FAIL (throws kJobFailed, the final job in
  // *final_job). Transient poll failures are retried until the deadline. Errors count every
  // poll request; *stats (when given) receives the count on success too.
  Job wait_job(const std::string &job_id, const WaitOptions &options, Job *final_job,
               CallStats *stats = nullptr);

  // A valid IAM token (refreshed when needed) and the project id in use.
  Secret token(const CallContext &ctx);
  std::string project_id(const CallContext &ctx);

  // The steps of call() and poll_job, for the job watcher (client/watcher.cpp), which sends
  // its polls itself on a multi handle of this client's transport.
  Transport &transport() { return *transport_; }
  const Logger &logger() const { return logger_; }
  // The path of a job ("/v1/{project_id}/jobs/{job_id}"; job_id already checked).
  std::string job_path(std::string_view job_id, const CallContext &ctx);
  // The request of one exchange: URL, X-Project-Id and authentication (may fetch or refresh
  // the token). Returns the token generation used, for renew_after_401. The caller wipes the
  // secret headers when done (wipe_secret_headers).
  uint64_t prepare_request(HttpRequest &req, const char *method, const std::string &path,
                           std::string_view body, const CallContext &ctx);
  // The 401 rule of every call: true when the request goes once more with a fresh token (the
  // first 401 of a call, in password mode); logs why.
  bool renew_after_401(const char *method, const std::string &path, const HttpResponse &resp,
                       uint64_t credential, int round);
  // A job read's answer (attempts already totalled): the job, or the failure a non-2xx status
  // or an undecodable body means, as poll_job reports them.
  static Job read_job_answer(const std::string &path, const HttpResponse &resp, CallStats *stats);

 private:
  std::string send_create_pg(const PgSpec &spec, const CallContext &ctx, CallStats *stats);
  // The request and response of one call: this thread's CallSlot, so that a thread calling in a
  // loop reuses their storage (URL, header values, response body, request id) instead of
  // allocating it each time; a fresh pair when the thread's slot is in use (a call made from a
  // log callback of another call).
  class CallBuffers {
   public:
    CallBuffers();
    ~CallBuffers();
    CallBuffers(const CallBuffers &) = delete;
    CallBuffers &operator=(const CallBuffers &) = delete;
    HttpRequest &request();
    HttpResponse &response();

   private:
    CallSlot *slot_;
    std::unique_ptr<CallSlot> own_;
  };
  // One authenticated exchange; a non-2xx answer throws the mapped Failure. The response lives
  // in `buffers`. read_only: a POST that only reads (the tag query), retried and classified
  // like a GET.
  const HttpResponse &call(const char *method, const std::string &path, std::string_view body,
                           const CallContext &ctx, CallBuffers &buffers, bool read_only = false);
  // Throws the mapped Failure of a non-2xx answer.
  static void check_answer(const char *method, const std::string &path, const HttpResponse &resp,
                           bool read_only = false);
  // call() and decode the 2xx body with `decode`; a body it rejects fails with the exchange's
  // status, request id and body attached.
  template <typename Decode>
  auto exchange(const char *method, const std::string &path, std::string_view body,
                const CallContext &ctx, Decode decode, CallStats *stats = nullptr,
                bool read_only = false) -> decltype(decode(std::string())) {
    CallBuffers buffers;
    return decode_answer(method, path, call(method, path, body, ctx, buffers, read_only), decode,
                         stats, read_only);
  }
  template <typename Decode>
  static auto decode_answer(const char *method, const std::string &path, const HttpResponse &resp,
                            Decode decode, CallStats *stats, bool read_only = false)
      -> decltype(decode(std::string())) {
    if (stats != nullptr) {
      stats->attempts = resp.attempts;
      stats->http_status = static_cast<int32_t>(resp.status);
    }
    try {
      return decode(resp.body);
    } catch (Failure &f) {
      annotate_decode_failure(f, method, path, resp, read_only);
      throw;
    }
  }
  static void annotate_decode_failure(Failure &f, const char *method, const std::string &path,
                                      const HttpResponse &resp, bool read_only);
  // The decoder of a call answered with 204 and no body (see decode_no_content).
  static void no_content(const std::string &body);
  // The create-and-wait sequence every resource shares: create under one deadline and cancel
  // token, wait for the job, read the new id from the job's entities (or a sub-job's) under
  // entity_key, and get the resource, all within that same deadline.
  template <typename Spec, typename Result>
  Result create_and_get(const Spec &spec, const WaitOptions &options, const char *entity_key,
                        std::string (Client::*create)(const Spec &, const CallContext &,
                                                      CallStats *),
                        Result (Client::*get)(const std::string &, const CallContext &,
                                              CallStats *)) {
    const CallContext ctx = CallContext::with_timeout(options.timeout_ms, options.cancel);
    CallStats step;
    int32_t earlier = 0;  // requests of the steps already done, for the attempts of an error
    try {
      const std::string job_id = (this->*create)(spec, ctx, &step);
      earlier += step.attempts;
      step = CallStats{};
      const Job job = wait_job(job_id, remaining(options, ctx), nullptr, &step);
      earlier += step.attempts;
      return (this->*get)(created_entity_id(job, entity_key), ctx, nullptr);
    } catch (Failure &f) {
      f.info().attempts += earlier;
      throw;
    }
  }
  // The wait options for what is left of ctx's deadline.
  static WaitOptions remaining(const WaitOptions &options, const CallContext &ctx);

  // "/v1/{project_id}" followed by the pieces.
  std::string project_path(const CallContext &ctx, std::string_view a, std::string_view b = {},
                           std::string_view c = {});

  Logger logger_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<auth::Authenticator> auth_;
};

}  // namespace sdrs
