// The libcurl state of one request, shared by the blocking path (transport.cpp) and the
// multi handle of the job watcher (multi.cpp): the pooled easy handle, what its callbacks write
// to, and how an exchange ended. Internal to src/http (it includes libcurl).
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "http/redact.hpp"
#include "http/retry_policy.hpp"
#include "http/transport.hpp"

namespace sdrs {

// What the callbacks of one transfer write to. It lives in the pooled handle (the callbacks'
// userdata is set once per handle) and is cleared before each transfer, field by field in
// Transport::setup (a new field must be reset there too).
struct Exchange {
  HttpResponse response;
  int64_t max_bytes = 0;
  bool too_big = false;
  bool may_resend = false;      // the method is idempotent
  bool resend_refused = false;  // libcurl wanted to send a non-idempotent request again
  int requests_started = 0;     // 0: the request never started to leave (nothing sent)
  int64_t sent_at_ms = INT64_MIN;
};

inline void wipe_list(curl_slist *list) {
  for (curl_slist *l = list; l != nullptr; l = l->next) {
    const std::string_view line(l->data);
    if (is_secret_header(line.substr(0, line.find(':')))) std::fill_n(l->data, line.size(), '\0');
  }
}

// The header list of a request, kept between requests and rewritten in place: a token request
// repeats the same lines, and a signed one changes only its date and signature, whose lengths
// stay the same, so the lines are overwritten where they are. The list is built anew only when
// the number of lines or the length of one changes. Secret values are wiped when the list is
// freed; until then they are copies of what the authenticator holds anyway.
class HeaderList {
 public:
  HeaderList() = default;
  HeaderList(const HeaderList &) = delete;
  HeaderList &operator=(const HeaderList &) = delete;
  ~HeaderList() { clear(); }

  curl_slist *get(const HttpRequest &request, bool with_body) {
    bool has_content_type = false;
    for (const auto &h : request.headers) {
      has_content_type = has_content_type || text::equals_lower(h.first, "content-type");
    }
    // An AK/SK-signed request brings its own (signed) Content-Type.
    const bool add_content_type = with_body && !has_content_type;
    if (!rewrite(request.headers, add_content_type)) build(request.headers, add_content_type);
    return list_;
  }

 private:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  static size_t line_size(const std::pair<std::string, std::string> &h) {
    return h.first.size() + 2 + h.second.size();
  }

  // Overwrites the request's lines when the list has their shape; false when it must be rebuilt.
  bool rewrite(const Headers &headers, bool add_content_type) {
    if (list_ == nullptr || headers.size() != sizes_.size() ||
        add_content_type != content_type_added_) {
      return false;
    }
    for (size_t i = 0; i < headers.size(); ++i) {
      if (line_size(headers[i]) != sizes_[i]) return false;
    }
    curl_slist *node = list_;
    for (const auto &h : headers) {
      // "Name: value" over the old line of the same size; its terminator stays.
      char *out = std::copy(h.first.begin(), h.first.end(), node->data);
      *out++ = ':';
      *out++ = ' ';
      std::copy(h.second.begin(), h.second.end(), out);
      node = node->next;
    }
    return true;
  }

  void build(const Headers &headers, bool add_content_type) {
    clear();
    std::string line;
    for (const auto &h : headers) {
      line.assign(h.first).append(": ").append(h.second);
      list_ = append(list_, line.c_str());
      if (is_secret_header(h.first)) secure_wipe(line);
    }
    if (add_content_type) list_ = append(list_, "Content-Type: application/json");
    list_ = append(list_, "Accept: application/json");
    list_ = append(list_, "Expect:");  // no 100-continue round trip
    // A value with a NUL is cut there by curl_slist_append: such a line's buffer is shorter than
    // the value, so it gets a size no request matches (and is never overwritten).
    const curl_slist *node = list_;
    for (const auto &h : headers) {
      const size_t size = line_size(h);
      sizes_.push_back(std::strlen(node->data) == size ? size : SIZE_MAX);
      node = node->next;
    }
    content_type_added_ = add_content_type;
  }

  curl_slist *append(curl_slist *list, const char *line) {
    curl_slist *longer = curl_slist_append(list, line);
    if (longer == nullptr) {
      list_ = list;  // freed by clear()
      fail(Code::kNoMem, "cannot build the request headers");
    }
    return longer;
  }
  void clear() {
    wipe_list(list_);
    curl_slist_free_all(list_);
    list_ = nullptr;
    sizes_.clear();
  }

  curl_slist *list_ = nullptr;
  std::vector<size_t> sizes_;  // of the request's lines at the head of list_
  bool content_type_added_ = false;
};

// The per-request options of a handle as its last request set them (see Transport::setup).
struct PerRequestOptions {
  long connect_timeout_ms = -1;
  long timeout_ms = -1;
  // libcurl keeps CURLOPT_URL's copy and starts each transfer from it (Curl_pretransfer), so a
  // URL equal to the last one (a poll loop, repeated creates) is not copied in again: the
  // setopt's strdup and free cost about 250 instructions, the comparison a few dozen.
  std::string url;
  curl_slist *headers = nullptr;
  bool get = false;  // CURLOPT_HTTPGET set since the last POSTFIELDS
  // CURLOPT_PROXY: set once when http and https use the same proxy, else per request scheme
  // (0 http, 1 https, -1 not yet).
  static constexpr int8_t kProxyFixed = 2;
  int8_t proxy_scheme = -1;
  std::string custom_method;  // CURLOPT_CUSTOMREQUEST, empty: none
};

// One connection's worth of libcurl state. Options that never change are set once, when the
// handle is made; a request sets only its URL, timeouts, headers and method.
struct Transport::Handle {
  CURLM *multi = nullptr;  // owns the connection cache, so it lives as long as the handle
  CURL *easy = nullptr;
  Exchange ex;                        // the callbacks' userdata
  std::array<HeaderList, 2> headers;  // [1]: requests with a body, [0]: without
  PerRequestOptions set;
  std::array<char, CURL_ERROR_SIZE> errbuf{};
  std::thread::id user;  // the thread that used it last
  ~Handle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
};

struct Transport::Attempt {
  HttpResponse response;
  bool failed = false;
  FailureKind kind = FailureKind::kNone;
  ErrorInfo error;
  // Requests libcurl sent again on its own within this attempt (an idempotent request whose
  // reused connection died before any answer goes out once more on a fresh one): they reached
  // the service, so the call's attempts count them.
  int32_t resends = 0;
};

// How a transfer ended: libcurl's result, or stopped by a cancel or the call deadline.
struct TransferEnd {
  CURLcode rc = CURLE_OK;
  bool canceled = false;
  bool deadline_hit = false;
  bool ok() const { return !canceled && !deadline_hit && rc == CURLE_OK; }
};

}  // namespace sdrs
