#include "http/transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

#include "core/error.hpp"

namespace sdrs {
namespace {

// Cancel and deadline are checked at least this often while a transfer is in progress.
constexpr int kPollSliceMs = 20;

void global_init_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) fail(Code::kInternal, "curl_global_init failed");
}

std::string lower(std::string s) {
  for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string &s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct Exchange {
  HttpResponse response;
  int64_t max_bytes = 0;
  bool too_big = false;
};

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

size_t on_header(char *data, size_t size, size_t count, void *userdata) {
  auto *ex = static_cast<Exchange *>(userdata);
  const size_t n = size * count;
  const std::string line(data, n);
  const auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  const std::string name = lower(trim(line.substr(0, colon)));
  const std::string value = trim(line.substr(colon + 1));
  if (name == "x-request-id" || name == "x-openstack-request-id" ||
      name == "x-compute-request-id") {
    if (ex->response.request_id.empty()) ex->response.request_id = value;
  } else if (name == "content-type") {
    ex->response.content_type = value;
  } else if (name == "x-subject-token") {
    ex->response.subject_token = value;
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

}  // namespace

bool is_secret_header(const std::string &name) {
  const std::string n = lower(name);
  return n == "x-auth-token" || n == "authorization" || n == "x-security-token" ||
         n == "x-subject-token" || n == "proxy-authorization" || n == "cookie";
}

struct Transport::Handle {
  CURLM *multi = nullptr;  // owns the connection cache, so it lives as long as the handle
  CURL *easy = nullptr;
  ~Handle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
};

Transport::Transport(TransportOptions options, Logger logger)
    : options_(std::move(options)), logger_(logger) {
  global_init_once();
}

Transport::~Transport() = default;

std::unique_ptr<Transport::Handle> Transport::acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->multi = curl_multi_init();
  h->easy = curl_easy_init();
  if (h->multi == nullptr || h->easy == nullptr) fail(Code::kNoMem, "cannot create a curl handle");
  return h;
}

void Transport::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  idle_.push_back(std::move(handle));
}

HttpResponse Transport::perform(const HttpRequest &request, const CallContext &ctx) {
  if (ctx.canceled())
    fail(Code::kCanceled, "canceled before sending " + request.method + " " + request.path);
  if (ctx.has_deadline() && ctx.remaining_ms() == 0) {
    fail(Code::kTimeout, "deadline expired before sending " + request.method + " " + request.path);
  }
  auto handle = acquire();
  CURL *easy = handle->easy;
  // Reset clears options but keeps the handle's DNS cache and TLS session cache.
  curl_easy_reset(easy);

  Exchange ex;
  ex.max_bytes = options_.max_response_bytes;
  curl_slist *headers = nullptr;
  bool has_content_type = false;
  for (const auto &h : request.headers) {
    std::string line = h.first + ": " + h.second;
    headers = curl_slist_append(headers, line.c_str());
    if (is_secret_header(h.first)) secure_wipe(line);
    has_content_type = has_content_type || lower(h.first) == "content-type";
  }
  // An AK/SK-signed request brings its own (signed) Content-Type.
  if (!has_content_type &&
      (!request.body.empty() || request.method == "POST" || request.method == "PUT")) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
  }
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip

  const int64_t total_ms = std::min<int64_t>(options_.timeout_ms, ctx.remaining_ms());
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, options_.allow_http ? "http,https" : "https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(options_.connect_timeout_ms,
                                                       std::max<int64_t>(total_ms, 1))));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(total_ms, 1)));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  if (request.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (!request.body.empty() || request.method != "DELETE") {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
  }
  if (logger_.enabled(LogLevel::kDebug)) {
    std::string line = "> " + request.method + " " + request.path;
    for (const auto &h : request.headers) {
      line += "\n> " + h.first + ": " + (is_secret_header(h.first) ? "***" : h.second);
    }
    if (request.secret_body) {
      line +=
          "\n> (" + std::to_string(request.body.size()) + " bytes with credentials, not logged)";
    } else if (!request.body.empty()) {
      line += "\n> " + request.body;
    }
    logger_.log(LogLevel::kDebug, line);
  }

  const auto started = Clock::now();
  CURLcode rc = CURLE_OK;
  bool canceled = false;
  bool deadline_hit = false;
  curl_multi_add_handle(handle->multi, easy);
  for (;;) {
    int running = 0;
    const CURLMcode mc = curl_multi_perform(handle->multi, &running);
    if (mc != CURLM_OK) {
      rc = CURLE_FAILED_INIT;
      break;
    }
    if (running == 0) {
      int queued = 0;
      rc = CURLE_FAILED_INIT;
      while (CURLMsg *msg = curl_multi_info_read(handle->multi, &queued)) {
        if (msg->msg == CURLMSG_DONE) rc = msg->data.result;
      }
      break;
    }
    if (ctx.canceled()) {
      canceled = true;
      break;
    }
    if (ctx.has_deadline() && Clock::now() >= ctx.deadline) {
      deadline_hit = true;
      break;
    }
    // Wakes on socket activity at once; the slice bounds how late a cancel is noticed.
    curl_multi_poll(handle->multi, nullptr, 0, kPollSliceMs, nullptr);
  }
  curl_multi_remove_handle(handle->multi, easy);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  // The list holds copies of the token/signature lines.
  for (curl_slist *l = headers; l != nullptr; l = l->next) {
    const std::string line(l->data);
    if (is_secret_header(line.substr(0, line.find(':')))) {
      std::fill_n(l->data, line.size(), '\0');
    }
  }
  curl_slist_free_all(headers);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();

  const std::string what = request.method + " " + request.path;
  if (canceled || deadline_hit || rc != CURLE_OK) {
    // A handle whose transfer was interrupted may hold a half-used connection: drop it.
    handle.reset();
    ErrorInfo info;
    if (canceled) {
      info.code = Code::kCanceled;
      info.message = what + ": canceled";
    } else if (deadline_hit) {
      info.code = Code::kTimeout;
      info.message = what + ": deadline expired after " + std::to_string(elapsed) + " ms";
    } else if (ex.too_big) {
      info.code = Code::kProtocol;
      info.message = what + ": response body larger than the limit of " +
                     std::to_string(options_.max_response_bytes) + " bytes";
      info.http_status = static_cast<int32_t>(status);
    } else {
      info.code = classify(rc);
      info.message = what + ": " + curl_easy_strerror(rc);
      info.retryable = info.code == Code::kTransport || info.code == Code::kTimeout;
      if (info.code == Code::kTimeout && ctx.has_deadline() && Clock::now() >= ctx.deadline) {
        info.message = what + ": deadline expired after " + std::to_string(elapsed) + " ms";
      }
    }
    info.attempts = 1;
    logger_.log(LogLevel::kWarn, what + " failed: " + info.message);
    throw Failure(std::move(info));
  }
  ex.response.status = status;
  release(std::move(handle));
  if (logger_.enabled(LogLevel::kInfo)) {
    logger_.log(LogLevel::kInfo,
                what + " -> " + std::to_string(status) + " (" + std::to_string(elapsed) +
                    " ms, attempt 1, request id " +
                    (ex.response.request_id.empty() ? "-" : ex.response.request_id) + ")");
  }
  if (logger_.enabled(LogLevel::kDebug) && !ex.response.body.empty()) {
    logger_.log(LogLevel::kDebug, "< " + ex.response.body.substr(0, 4096));
  }
  return std::move(ex.response);
}

}  // namespace sdrs
