#include "http/transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>
#include <thread>

#include "core/error.hpp"
#include "core/text.hpp"
#include "http/curl_handle.hpp"
#include "http/redact.hpp"

namespace sdrs {
namespace {

void global_init_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) fail(Code::kInternal, "curl_global_init failed");
}

constexpr std::chrono::milliseconds kDeadlineSlack{5};

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Request bodies go out with CURLOPT_POSTFIELDS, so headers and body leave in one send. But
// libcurl silently sends a request again on a fresh connection when a reused one dies before
// any response byte, which for a POST might create a second group. The pre-request callback
// runs before every send of the transfer: the second run for a non-idempotent method aborts
// the transfer (CURLE_ABORTED_BY_CALLBACK, reported as a connection failure, and the retry
// policy decides).
int on_prereq(void *userdata, char *, char *, int, int) {
  auto *ex = static_cast<Exchange *>(userdata);
  if (++ex->requests_started > 1 && !ex->may_resend) {
    ex->resend_refused = true;
    return CURL_PREREQFUNC_ABORT;
  }
  // The time a caller reconciling a lost create looks from (sdrs_error_sent_at_ms).
  ex->sent_at_ms = wall_clock_ms();
  return CURL_PREREQFUNC_OK;
}

size_t on_body(char *data, size_t size, size_t count, void *userdata) {
  auto *ex = static_cast<Exchange *>(userdata);
  const size_t n = size * count;
  if (static_cast<int64_t>(ex->response.body.size() + n) > ex->max_bytes) {
    ex->too_big = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  ex->response.body.append(data, n);
  return n;
}

// The response headers the library uses, picked from the header lines as they arrive. Every
// name it wants starts with 'x' or 'r', so most lines are passed over after one byte (this
// was cheaper than reading libcurl's header store afterwards with curl_easy_header).
size_t on_header(char *data, size_t size, size_t count, void *userdata) {
  const size_t n = size * count;
  if (n == 0 || (text::ascii_lower(data[0]) != 'x' && text::ascii_lower(data[0]) != 'r')) return n;
  auto *ex = static_cast<Exchange *>(userdata);
  const auto *colon = static_cast<const char *>(std::memchr(data, ':', n));
  if (colon == nullptr) return n;
  const std::string_view name = text::trim_view(std::string_view(data, colon - data));
  std::string *target = nullptr;
  switch (name.size()) {  // one comparison per line at most
    case 12:
    case 20:
    case 22:
      if (text::equals_lower(name, "x-request-id") ||
          text::equals_lower(name, "x-compute-request-id") ||
          text::equals_lower(name, "x-openstack-request-id")) {
        if (ex->response.request_id.empty()) target = &ex->response.request_id;
      }
      break;
    case 15:
      if (text::equals_lower(name, "x-subject-token")) target = &ex->response.subject_token;
      break;
    case 11:
      if (text::equals_lower(name, "retry-after")) target = &ex->response.retry_after;
      break;
    default:
      break;
  }
  if (target != nullptr) {
    target->assign(text::trim_view(std::string_view(colon + 1, data + n - (colon + 1))));
  }
  return n;
}

Code classify(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return Code::kTimeout;
    case CURLE_ABORTED_BY_CALLBACK:
      return Code::kCanceled;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return Code::kTls;
    case CURLE_OUT_OF_MEMORY:
      return Code::kNoMem;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Code::kValidation;
    default:
      return Code::kTransport;
  }
}

FailureKind failure_kind(CURLcode rc) {
  switch (rc) {
    case CURLE_OK:
      return FailureKind::kNone;
    // Nothing was sent: the server cannot have acted on the request.
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return FailureKind::kNeverSent;
    // The connection failed at some point of the exchange (maybe after the server acted).
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_FAIL_REWIND:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return FailureKind::kConnection;
    default:
      return FailureKind::kOther;
  }
}

// One lock per curl_lock_data kind (the share locks DNS and TLS sessions separately).
struct ShareLocks {
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mu;
};

void share_lock(CURL *, curl_lock_data data, curl_lock_access, void *userptr) {
  static_cast<ShareLocks *>(userptr)->mu[static_cast<size_t>(data)].lock();
}

void share_unlock(CURL *, curl_lock_data data, void *userptr) {
  static_cast<ShareLocks *>(userptr)->mu[static_cast<size_t>(data)].unlock();
}

// How log lines and messages name a request: "POST /v1/{project}/server-groups".
std::string describe(const HttpRequest &request) {
  return request.method + " " + std::string(request.path);
}

// "attempt 2/4".
std::string attempt_of(int32_t attempt, int32_t max_attempts) {
  return "attempt " + std::to_string(attempt) + "/" + std::to_string(max_attempts);
}

std::string attempts_text(int32_t n) {
  return n == 1 ? "1 attempt" : std::to_string(n) + " attempts";
}

}  // namespace

namespace {

void wake_multi(void *multi) {
  curl_multi_wakeup(static_cast<CURLM *>(multi));
}

// While a transfer waits in curl_multi_poll, a cancel wakes it at once.
class WakeOnCancel {
 public:
  WakeOnCancel(CancelToken *token, CURLM *multi) : token_(token), multi_(multi) {
    if (token_ != nullptr) token_->add_waker({wake_multi, multi_});
  }
  ~WakeOnCancel() {
    if (token_ != nullptr) token_->remove_waker(multi_);
  }
  WakeOnCancel(const WakeOnCancel &) = delete;
  WakeOnCancel &operator=(const WakeOnCancel &) = delete;

 private:
  CancelToken *token_;
  CURLM *multi_;
};

// Read when a client is made (choose_proxy). Like any getenv it must not race a setenv; libcurl
// read the proxy variables on every transfer, from every calling thread.
const char *environment(const char *name) {
  return std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
}

}  // namespace

// DNS cache and TLS sessions shared by all handles of one client, so a handle opening a new
// connection resumes a TLS session another handle negotiated.
struct Transport::Share {
  ShareLocks locks;
  CURLSH *share = nullptr;
  Share() {
    share = curl_share_init();
    if (share == nullptr) fail(Code::kNoMem, "cannot create a curl share handle");
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, &locks);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~Share() { curl_share_cleanup(share); }
};

Transport::Transport(TransportOptions options, Logger logger)
    : options_(std::move(options)),
      proxy_(choose_proxy(options_, environment)),
      user_agent_(user_agent(options_)),
      logger_(logger) {
  global_init_once();
  share_ = std::make_unique<Share>();
  if (options_.insecure_skip_tls_verify) {
    logger_.log(LogLevel::kWarn,
                "TLS certificate and host name verification is DISABLED "
                "(insecure_skip_tls_verify): anyone on the network path can read and alter "
                "this client's traffic, token included");
  }
}

Transport::~Transport() {
  // Handles reference the share: free them first.
  idle_.clear();
}

std::unique_ptr<Transport::Handle> Transport::acquire() {
  const std::thread::id self = std::this_thread::get_id();
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_.empty()) {
      // The handle this thread used last, else the most recently used one. A thread that keeps
      // its handle keeps its connection warm and frees libcurl's buffers in the malloc arena
      // they came from (handles moving between threads made the arenas' locks contended).
      auto it = std::find_if(idle_.rbegin(), idle_.rend(),
                             [&self](const std::unique_ptr<Handle> &h) { return h->user == self; });
      auto pick = it != idle_.rend() ? std::prev(it.base()) : std::prev(idle_.end());
      auto h = std::move(*pick);
      idle_.erase(pick);
      h->user = self;
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->multi = curl_multi_init();
  h->easy = curl_easy_init();
  if (h->multi == nullptr || h->easy == nullptr) fail(Code::kNoMem, "cannot create a curl handle");
  configure(*h);
  h->user = self;
  return h;
}

void Transport::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  idle_.push_back(std::move(handle));
}

void Transport::configure(Handle &h) const {
  CURL *easy = h.easy;
  curl_easy_setopt(easy, CURLOPT_SHARE, share_->share);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, h.errbuf.data());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, options_.allow_http ? "http,https" : "https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  const long verify = options_.insecure_skip_tls_verify ? 0L : 1L;
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, verify);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, verify * 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.ca_dir.empty()) curl_easy_setopt(easy, CURLOPT_CAPATH, options_.ca_dir.c_str());
  if (!options_.client_cert.empty()) {
    curl_easy_setopt(easy, CURLOPT_SSLCERT, options_.client_cert.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLKEY, options_.client_key.c_str());
    if (!options_.client_key_password.empty()) {
      curl_easy_setopt(easy, CURLOPT_KEYPASSWD, options_.client_key_password.get().c_str());
    }
  }
  // Explicit proxy settings (even "", meaning none) keep libcurl from reading the environment
  // on every transfer; choose_proxy read it once.
  curl_easy_setopt(easy, CURLOPT_NOPROXY, proxy_.no_proxy.c_str());
  if (proxy_.http.get() == proxy_.https.get()) {
    curl_easy_setopt(easy, CURLOPT_PROXY, proxy_.http.get().c_str());
    h.set.proxy_scheme = PerRequestOptions::kProxyFixed;
  }
  switch (options_.http_version) {
    case HttpVersion::kHttp1_1:
      curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
      break;
    case HttpVersion::kHttp2:
    case HttpVersion::kAuto:
      // HTTP/2 when the server offers it over TLS (ALPN), else HTTP/1.1.
      curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
      break;
  }
  if (options_.low_speed_limit > 0) {
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(options_.low_speed_limit));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.low_speed_time_s));
  }
  curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &h.ex);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &h.ex);
  // The guard against libcurl re-sending a POST (see on_prereq) must not be dropped silently by
  // an older libcurl at run time.
  if (curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, on_prereq) != CURLE_OK ||
      curl_easy_setopt(easy, CURLOPT_PREREQDATA, &h.ex) != CURLE_OK) {
    fail(Code::kInternal, std::string("libcurl ") + curl_version_info(CURLVERSION_NOW)->version +
                              " lacks CURLOPT_PREREQFUNCTION: libsdrs needs libcurl 7.80 or newer");
  }
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
}

// Step 1: the per-request options of a pooled handle, and the request's log lines.
void Transport::setup(Handle &handle, const HttpRequest &request, const CallContext &ctx,
                      int32_t attempt) const {
  CURL *easy = handle.easy;
  Exchange &ex = handle.ex;
  // A fresh exchange, but the response keeps the storage of its body and request id (see
  // perform(..., out)).
  // Reset field by field: assigning a fresh Exchange built, moved and destroyed its five
  // strings on every request.
  HttpResponse &r = ex.response;
  r.status = 0;
  r.body.clear();
  r.request_id.clear();
  if (!r.subject_token.empty()) secure_wipe(r.subject_token);
  r.retry_after.clear();
  r.attempts = 1;
  r.sent_at_ms = INT64_MIN;
  ex.too_big = false;
  ex.resend_refused = false;
  ex.requests_started = 0;
  ex.sent_at_ms = INT64_MIN;
  ex.max_bytes = options_.max_response_bytes;
  const std::string &method = request.method;
  const bool is_post = method == "POST";
  ex.may_resend = idempotent(request.rules_method());
  handle.errbuf[0] = '\0';
  const bool with_body = !request.body.empty() || is_post || method == "PUT";
  curl_slist *headers = handle.headers[with_body ? 1 : 0].get(request, with_body);

  const int64_t total_ms = std::min<int64_t>(options_.timeout_ms, ctx.remaining_ms());
  const long timeout_ms = static_cast<long>(std::max<int64_t>(total_ms, 1));
  const long connect_timeout_ms =
      static_cast<long>(std::min<int64_t>(options_.connect_timeout_ms, timeout_ms));
  // Options are set only when they differ from what this handle's last request set: a
  // transfer leaves them as they were, and each curl_easy_setopt costs about 100 instructions.
  PerRequestOptions &set = handle.set;
  if (set.url != request.url) {
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    set.url = request.url;
  }
  if (set.proxy_scheme != PerRequestOptions::kProxyFixed) {
    // Only when the environment names different proxies for http and https.
    const int8_t scheme = text::starts_with_lower(request.url, "https:") ? 1 : 0;
    if (set.proxy_scheme != scheme) {
      curl_easy_setopt(easy, CURLOPT_PROXY,
                       (scheme == 1 ? proxy_.https : proxy_.http).get().c_str());
      set.proxy_scheme = scheme;
    }
  }
  if (set.connect_timeout_ms != connect_timeout_ms) {
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    set.connect_timeout_ms = connect_timeout_ms;
  }
  if (set.timeout_ms != timeout_ms) {
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    set.timeout_ms = timeout_ms;
  }
  if (set.headers != headers) {
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    set.headers = headers;
  }
  // POST and GET need no custom request method; PUT, DELETE (and others) do.
  const bool custom = !(with_body ? is_post : method == "GET");
  if (with_body) {
    // The body is caller-owned and outlives the transfer. POSTFIELDS makes the method POST;
    // CUSTOMREQUEST renames it (PUT).
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    set.get = false;
  } else if (!set.get) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    set.get = true;
  }
  if (custom || !set.custom_method.empty()) {
    if (!custom) {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
      set.custom_method.clear();
    } else if (set.custom_method != method) {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
      set.custom_method = method;
    }
  }
  // Log texts are built only when something is logged (most calls log nothing).
  if (options_.insecure_skip_tls_verify && logger_.enabled(LogLevel::kWarn)) {
    logger_.log(LogLevel::kWarn, describe(request) + " (" +
                                     attempt_of(attempt, options_.retry.max_attempts) +
                                     "): TLS verification disabled (insecure_skip_tls_verify)");
  }
  if (logger_.enabled(LogLevel::kDebug)) {
    std::string line =
        "> " + describe(request) + " (" + attempt_of(attempt, options_.retry.max_attempts) + ")";
    for (const auto &h : request.headers) {
      line += "\n> " + h.first + ": " + (is_secret_header(h.first) ? "***" : h.second);
    }
    if (request.secret_body) {
      line +=
          "\n> (" + std::to_string(request.body.size()) + " bytes with credentials, not logged)";
    } else if (!request.body.empty()) {
      line += "\n> " + mask_body_secrets(std::string(request.body));
    }
    logger_.log(LogLevel::kDebug, line);
  }
}

namespace {

// Step 2: drives one transfer of a set-up handle through its multi handle to its end.
TransferEnd transfer(CURLM *multi, CURL *easy, const CallContext &ctx) {
  TransferEnd end;
  curl_multi_add_handle(multi, easy);
  {
    const WakeOnCancel wake(ctx.cancel, multi);
    for (;;) {
      int running = 0;
      const CURLMcode mc = curl_multi_perform(multi, &running);
      if (mc != CURLM_OK) {
        end.rc = CURLE_FAILED_INIT;
        break;
      }
      if (running == 0) {
        int queued = 0;
        end.rc = CURLE_FAILED_INIT;
        while (CURLMsg *msg = curl_multi_info_read(multi, &queued)) {
          if (msg->msg == CURLMSG_DONE) end.rc = msg->data.result;
        }
        break;
      }
      if (ctx.canceled()) {
        end.canceled = true;
        break;
      }
      if (ctx.has_deadline() && Clock::now() >= ctx.deadline) {
        end.deadline_hit = true;
        break;
      }
      // Returns on socket activity, on libcurl's own timers (CURLOPT_TIMEOUT_MS covers the
      // call deadline) and at once on a cancel (WakeOnCancel); the bound is only a backstop.
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  }
  curl_multi_remove_handle(multi, easy);
  return end;
}

}  // namespace

// Step 3: what a failed transfer means (code, message, whether a retry may help, and whether
// a non-idempotent request may have been acted on).
void Transport::classify_failure(Attempt &out, const Handle &handle, const HttpRequest &request,
                                 const CallContext &ctx, long status, int64_t elapsed_ms,
                                 const TransferEnd &end) const {
  const Exchange &ex = handle.ex;
  const std::string what = describe(request);
  // libcurl calls the pre-request callback just before the request leaves: before that call
  // nothing was sent, so nothing can have been acted on.
  const bool sent = ex.requests_started > 0;
  const bool may_act = sent && !ex.may_resend && !request.repeat_safe;
  out.failed = true;
  ErrorInfo &info = out.error;
  info.request_id = ex.response.request_id;
  if (end.canceled) {
    info.code = Code::kCanceled;
    info.message = what + ": canceled";
    out.kind = FailureKind::kOther;
  } else if (end.deadline_hit) {
    info.code = Code::kTimeout;
    info.message = what + ": deadline expired after " + std::to_string(elapsed_ms) + " ms";
    out.kind = FailureKind::kOther;
  } else if (ex.too_big) {
    info.code = Code::kProtocol;
    info.message = what + ": response body larger than the limit of " +
                   std::to_string(options_.max_response_bytes) + " bytes";
    info.http_status = static_cast<int32_t>(status);
    out.kind = FailureKind::kOther;
  } else if (ex.resend_refused) {
    info.code = Code::kTransport;
    out.kind = FailureKind::kConnection;
    info.message =
        what + ": the connection closed before any response; not sent again on a new one";
  } else {
    out.kind = failure_kind(end.rc);
    info.code = classify(end.rc);
    const std::string detail(handle.errbuf.data());
    // A TLS alert after the handshake (TLS 1.3 reports a refused client certificate that
    // way) surfaces as a receive error: it is a TLS failure, and retrying cannot help.
    if (end.rc == CURLE_RECV_ERROR && detail.find("alert") != std::string::npos) {
      info.code = Code::kTls;
      out.kind = FailureKind::kOther;
    }
    info.message = what + ": " + curl_easy_strerror(end.rc);
    if (!detail.empty()) info.message += " (" + detail + ")";
    // libcurl's total timeout is the call's remaining time cut to whole milliseconds, so it
    // can fire a moment before the deadline itself: within kDeadlineSlack it is the deadline.
    if (info.code == Code::kTimeout && ctx.has_deadline() &&
        Clock::now() + kDeadlineSlack >= ctx.deadline) {
      info.message = what + ": deadline expired after " + std::to_string(elapsed_ms) + " ms";
      out.kind = FailureKind::kOther;  // the call's own deadline: no retry can help
    } else if (!sent && (info.code == Code::kTransport || info.code == Code::kTimeout)) {
      out.kind = FailureKind::kNeverSent;  // e.g. a connect timeout: nothing left the host
    }
  }
  // What the library decides about this failure is what the error says (issue 19).
  info.retryable = (info.code == Code::kTransport || info.code == Code::kTimeout) &&
                   retry_decision(request.rules_method(), 0, out.kind);
  const bool answered = ex.too_big && status >= 200 && status <= 299;
  const bool broken =
      info.code == Code::kTransport || info.code == Code::kTimeout || info.code == Code::kCanceled;
  if (may_act && (broken || answered)) {
    info.outcome_unknown = true;
    info.retryable = false;
    info.sent_at_ms = ex.sent_at_ms;
    info.message += answered ? "; the service accepted the request, but its answer could not be "
                               "read: it may have acted on it"
                             : "; the request was sent and no complete answer came back: the "
                               "service may have acted on it";
    info.message +=
        " (not sent again; check what it did before repeating it: see "
        "sdrs_error_outcome_unknown)";
  }
}

Transport::Attempt Transport::exchange(const HttpRequest &request, const CallContext &ctx,
                                       int32_t attempt, HttpResponse *storage) {
  auto handle = acquire();
  if (storage != nullptr) {
    handle->ex.response.body.swap(storage->body);
    handle->ex.response.request_id.swap(storage->request_id);
  }
  setup(*handle, request, ctx, attempt);
  const auto started = Clock::now();
  const TransferEnd end = transfer(handle->multi, handle->easy, ctx);
  Attempt out = conclude(*handle, request, ctx, attempt, started, end);
  // A handle whose transfer was interrupted may hold a half-used connection: drop it.
  if (!out.failed) release(std::move(handle));
  return out;
}

// Step 3 of an attempt: its outcome from the ended transfer of a set-up handle, and its log
// lines. A failed attempt's handle must not serve another request.
Transport::Attempt Transport::conclude(Handle &handle, const HttpRequest &request,
                                       const CallContext &ctx, int32_t attempt,
                                       Clock::time_point started, const TransferEnd &end) const {
  const Exchange &ex = handle.ex;
  // A re-send the pre-request callback refused never left.
  const int left = ex.requests_started - (ex.resend_refused ? 1 : 0);
  long status = 0;
  curl_easy_getinfo(handle.easy, CURLINFO_RESPONSE_CODE, &status);
  const auto elapsed = [&started] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  };
  auto attempt_text = [&] { return attempt_of(attempt, options_.retry.max_attempts); };

  Attempt out;
  out.resends = left > 1 ? left - 1 : 0;
  if (!end.ok()) {
    classify_failure(out, handle, request, ctx, status, elapsed(), end);
    const ErrorInfo &info = out.error;
    logger_.log(LogLevel::kWarn, describe(request) + " -> failed (" + attempt_text() + ", " +
                                     std::to_string(elapsed()) + " ms, request id " +
                                     (info.request_id.empty() ? "-" : info.request_id) +
                                     "): " + info.message);
    return out;
  }
  out.response = std::move(handle.ex.response);
  out.response.status = status;
  out.response.attempts = attempt;
  out.response.sent_at_ms = handle.ex.sent_at_ms;
  if (logger_.enabled(LogLevel::kInfo)) {
    const std::string &rid = out.response.request_id;
    logger_.log(LogLevel::kInfo, describe(request) + " -> " + std::to_string(status) + " (" +
                                     attempt_text() + ", " + std::to_string(elapsed()) +
                                     " ms, request id " + (rid.empty() ? "-" : rid) + ")");
  }
  if (logger_.enabled(LogLevel::kDebug) && !out.response.body.empty()) {
    logger_.log(LogLevel::kDebug, "< " + mask_body_secrets(out.response.body.substr(0, 4096)));
  }
  return out;
}

void Transport::check_sendable(const HttpRequest &request, const CallContext &ctx, int32_t attempt,
                               int32_t resends) {
  if (ctx.canceled()) {
    ErrorInfo info(Code::kCanceled, "canceled before sending " + describe(request));
    info.attempts = attempt - 1 + resends;
    throw Failure(std::move(info));
  }
  if (ctx.has_deadline() && ctx.remaining_ms() == 0) {
    ErrorInfo info(Code::kTimeout, "deadline expired before sending " + describe(request));
    info.attempts = attempt - 1 + resends;
    throw Failure(std::move(info));
  }
}

int64_t Transport::judge(const HttpRequest &request, const CallContext &ctx, Attempt &a,
                         int32_t attempt, int32_t resends) const {
  auto what = [&request] { return describe(request); };
  const bool retry = attempt < options_.retry.max_attempts &&
                     retry_decision(request.rules_method(), a.response.status, a.kind) &&
                     (a.failed || a.response.status != 0);
  // Context of the retry decision lines: method, path, status, attempt, request id.
  auto context = [&] {
    const std::string &rid = a.failed ? a.error.request_id : a.response.request_id;
    return what() + " -> " +
           (a.failed ? std::string("failed") : std::to_string(a.response.status)) + " (" +
           attempt_of(attempt, options_.retry.max_attempts) + ", request id " +
           (rid.empty() ? "-" : rid) + ")";
  };
  auto give_up = [&](const std::string &why) -> int64_t {
    if (!why.empty()) logger_.log(LogLevel::kInfo, context() + ": not retrying: " + why);
    const int32_t sent = attempt + resends;
    if (a.failed) {
      a.error.attempts = sent;
      if (sent > 1) a.error.message += " (after " + attempts_text(sent) + ")";
      throw Failure(std::move(a.error));
    }
    a.response.attempts = sent;
    return -1;
  };
  if (!retry) return give_up("");
  int64_t delay = backoff_delay_ms(options_.retry, attempt + 1, jitter_unit());
  const int64_t asked = a.failed ? -1
                                 : parse_retry_after(a.response.retry_after,
                                                     static_cast<int64_t>(std::time(nullptr)));
  if (asked >= 0) {
    if (asked > options_.retry.max_retry_after_ms) {
      return give_up("Retry-After " + std::to_string(asked / 1000) + " s is longer than " +
                     std::to_string(options_.retry.max_retry_after_ms / 1000) + " s");
    }
    delay = asked;
  }
  if (ctx.has_deadline() && delay >= ctx.remaining_ms()) {
    return give_up("waiting " + std::to_string(delay) + " ms would pass the call deadline");
  }
  if (logger_.enabled(LogLevel::kInfo)) {
    logger_.log(LogLevel::kInfo, context() + ": retrying in " + std::to_string(delay) + " ms" +
                                     (asked >= 0 ? " as Retry-After asks" : ""));
  }
  return delay;
}

HttpResponse Transport::perform(const HttpRequest &request, const CallContext &ctx) {
  HttpResponse out;
  perform(request, ctx, out);
  return out;
}

void Transport::perform(const HttpRequest &request, const CallContext &ctx, HttpResponse &out) {
  int32_t resends = 0;  // libcurl's own re-sends so far (Attempt::resends)
  for (int32_t attempt = 1;; ++attempt) {
    check_sendable(request, ctx, attempt, resends);
    Attempt a = exchange(request, ctx, attempt, &out);
    resends += a.resends;
    const int64_t delay = judge(request, ctx, a, attempt, resends);
    if (delay < 0) {
      out = std::move(a.response);
      return;
    }
    const auto until = Clock::now() + std::chrono::milliseconds(delay);
    if (ctx.cancel != nullptr) {
      ctx.cancel->sleep_until(until);
    } else {
      std::this_thread::sleep_until(until);
    }
  }
}

}  // namespace sdrs
