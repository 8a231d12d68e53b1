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
#include "core/resources/job.hpp"
#include "core/resources/pg.hpp"
#include "http/options.hpp"
#include "http/transport.hpp"

namespace sdrs {

namespace auth {
class Authenticator;
}

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

class Client {
 public:
  explicit Client(const ClientConfig &config);
  ~Client();
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;

  // Protection groups (client/pg.cpp).
  std::string create_pg(const PgSpec &spec, const CallContext &ctx, CallStats *stats = nullptr);
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

  // Domains and API versions (client/domain.cpp, client/apiversion.cpp).
  DomainList domains(const CallContext &ctx);
  std::vector<ApiVersion> api_versions(const CallContext &ctx);
  ApiVersion api_version(const std::string &version_id, const CallContext &ctx);

  // Jobs (client/job.cpp, client/wait.cpp).
  Job poll_job(const std::string &job_id, const CallContext &ctx, CallStats *stats = nullptr);
  // Polls until SUCCESS (returns the job) or FAIL (throws kJobFailed, the final job in
  // *final_job). Transient poll failures are retried until the deadline. Errors count every
  // poll request; *stats (when given) receives the count on success too.
  Job wait_job(const std::string &job_id, const WaitOptions &options, Job *final_job,
               CallStats *stats = nullptr);

  // A valid IAM token (refreshed when needed) and the project id in use.
  Secret token(const CallContext &ctx);
  std::string project_id(const CallContext &ctx);

 private:
  // One authenticated exchange; a non-2xx answer throws the mapped Failure.
  HttpResponse call(const char *method, const std::string &path, std::string_view body,
                    const CallContext &ctx);
  // call() and decode the 2xx body with `decode`; a body it rejects fails with the exchange's
  // status, request id and body attached.
  template <typename Decode>
  auto exchange(const char *method, const std::string &path, std::string_view body,
                const CallContext &ctx, Decode decode, CallStats *stats = nullptr)
      -> decltype(decode(std::string())) {
    const HttpResponse resp = call(method, path, body, ctx);
    if (stats != nullptr) {
      stats->attempts = resp.attempts;
      stats->http_status = static_cast<int32_t>(resp.status);
    }
    try {
      return decode(resp.body);
    } catch (Failure &f) {
      annotate_decode_failure(f, method, path, resp);
      throw;
    }
  }
  static void annotate_decode_failure(Failure &f, const char *method, const std::string &path,
                                      const HttpResponse &resp);
  // "/v1/{project_id}" followed by the pieces.
  std::string project_path(const CallContext &ctx, std::string_view a, std::string_view b = {},
                           std::string_view c = {});

  Logger logger_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<auth::Authenticator> auth_;
};

// The group id a create job reports: entities.server_group_id, or that of a sub-job.
std::string created_group_id(const Job &job);

}  // namespace sdrs
