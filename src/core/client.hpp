// The SDRS client: builds requests, sends them through the transport, maps errors, decodes
// responses. Thread-safe: configuration is immutable after construction and the transport's
// handle pool is synchronised.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/backoff.hpp"
#include "core/cancel.hpp"
#include "core/log.hpp"
#include "core/models.hpp"
#include "core/validate.hpp"

namespace sdrs {

class Transport;
struct HttpResponse;
namespace auth {
class Authenticator;
}

struct ClientConfig {
  std::string endpoint;  // as given; parsed by the client
  bool allow_http = false;
  std::string project_id;
  // Authentication (src/auth): a token, an IAM password, or an access key pair.
  Secret token;
  std::string auth_url;  // IAM, e.g. https://iam.eu-de.otc.t-systems.com/v3
  std::string username;
  std::string user_id;
  Secret password;
  std::string user_domain_name;
  std::string user_domain_id;
  std::string project_name;
  std::string region;
  std::string access_key;
  Secret secret_key;
  Secret security_token;
  int64_t token_refresh_margin_s = 300;
  // Where a field's value came from (ConfigSource); fields not listed count as explicit.
  std::map<std::string, int> sources;
  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 60000;
  std::string ca_file;
  std::string ca_dir;
  std::string client_cert;
  std::string client_key;
  Secret client_key_password;
  bool insecure_skip_tls_verify = false;
  Secret proxy;  // may carry credentials
  bool proxy_set = false;
  std::string no_proxy;
  bool no_proxy_set = false;
  int64_t low_speed_limit = 1;
  int64_t low_speed_time_s = 30;
  int32_t http_version = 0;  // HttpVersion
  int32_t max_attempts = 4;
  std::string user_agent_suffix;
  int64_t max_response_bytes = INT64_C(8) * 1024 * 1024;
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

// The actions of POST .../server-groups/{id}/action (spec 4.6).
enum class PgAction { kStart, kStop, kFailover, kReverse };

class Client {
 public:
  explicit Client(const ClientConfig &config);
  ~Client();
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;

  std::string create_pg(const PgSpec &spec, const CallContext &ctx);
  Group get_pg(const std::string &group_id, const CallContext &ctx);
  Group rename_pg(const std::string &group_id, const std::string &name, const CallContext &ctx);
  std::string delete_pg(const std::string &group_id, const CallContext &ctx);
  std::string act_pg(const std::string &group_id, PgAction action,
                     const std::string &priority_station, const CallContext &ctx);
  GroupList list_pg(const ListQuery &query, const CallContext &ctx);
  DomainList domains(const CallContext &ctx);
  std::vector<ApiVersion> api_versions(const CallContext &ctx);
  ApiVersion api_version(const std::string &version_id, const CallContext &ctx);

  Job poll_job(const std::string &job_id, const CallContext &ctx);
  // Polls until SUCCESS (returns the job) or FAIL (throws kJobFailed, the final job in
  // *final_job). Transient failures of a poll are retried until the deadline.
  Job wait_job(const std::string &job_id, const WaitOptions &options, Job *final_job);

  // A valid IAM token (refreshed when needed) and the project id in use.
  Secret token(const CallContext &ctx);
  std::string project_id(const CallContext &ctx);

 private:
  HttpResponse call(const char *method, const std::string &path, const std::string &body,
                    const CallContext &ctx);
  // call() and decode the 2xx body with `decode`; a body it rejects fails with the exchange's
  // status, request id and body attached.
  template <typename Decode>
  auto exchange(const char *method, const std::string &path, const std::string &body,
                const CallContext &ctx, Decode decode) -> decltype(decode(std::string()));
  // "/v1/{project_id}" followed by the pieces.
  std::string project_path(const CallContext &ctx, std::string_view a, std::string_view b = {},
                           std::string_view c = {});

  Logger logger_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<auth::Authenticator> auth_;
};

// Checks the whole create request (required fields, rules, source != target).
void validate_spec(const PgSpec &spec);
// Checks list filters; builds the query string ("?limit=..&..." or "").
std::string list_query_string(const ListQuery &query);

}  // namespace sdrs
