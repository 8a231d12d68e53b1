#include "http/multi.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>

#include "http/curl_handle.hpp"

namespace sdrs {

struct Transport::Multi::State {
  CURLM *multi = nullptr;
  size_t max_idle = 0;
  std::vector<std::unique_ptr<Handle>> idle;  // easy handles kept for reuse
  std::vector<Call *> waiting;                // between attempts (a retry delay)
  std::vector<Call *> done;                   // finished, not reported yet
};

Transport::Multi::Call::Call() = default;
Transport::Multi::Call::~Call() = default;

Transport::Multi::Multi(Transport &transport, int32_t max_connections)
    : transport_(transport), state_(std::make_unique<State>()) {
  state_->multi = curl_multi_init();
  if (state_->multi == nullptr) fail(Code::kNoMem, "cannot create a curl multi handle");
  const long cap = std::max<long>(1, max_connections);
  curl_multi_setopt(state_->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, cap);
  curl_multi_setopt(state_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, cap);
  curl_multi_setopt(state_->multi, CURLMOPT_MAXCONNECTS, cap);
  state_->max_idle = static_cast<size_t>(cap);
}

Transport::Multi::~Multi() {
  // Calls still running were aborted by their owner (abort() removed their easy handles).
  state_->idle.clear();
  curl_multi_cleanup(state_->multi);
}

void Transport::Multi::wakeup() {
  curl_multi_wakeup(state_->multi);
}

void Transport::Multi::wake(void *multi) {
  static_cast<Multi *>(multi)->wakeup();
}

void Transport::Multi::start(Call &call) {
  call.failed = false;
  call.active_ = true;
  call.attempt_ = 1;
  call.resends_ = 0;
  ++calls_;
  begin_attempt(call);
}

void Transport::Multi::finish(Call &call) {
  state_->done.push_back(&call);
}

void Transport::Multi::begin_attempt(Call &call) {
  try {
    Transport::check_sendable(call.request, call.ctx, call.attempt_, call.resends_);
    std::unique_ptr<Handle> h;
    if (!state_->idle.empty()) {
      h = std::move(state_->idle.back());
      state_->idle.pop_back();
    } else {
      h = std::make_unique<Handle>();
      h->easy = curl_easy_init();
      if (h->easy == nullptr) fail(Code::kNoMem, "cannot create a curl handle");
      transport_.configure(*h);
    }
    transport_.setup(*h, call.request, call.ctx, call.attempt_);
    curl_easy_setopt(h->easy, CURLOPT_PRIVATE, static_cast<void *>(&call));
    if (curl_multi_add_handle(state_->multi, h->easy) != CURLM_OK) {
      fail(Code::kInternal, "cannot add a transfer to the curl multi handle");
    }
    call.handle_ = std::move(h);
    call.started_ = Clock::now();
  } catch (const Failure &f) {
    call.failed = true;
    call.error = f.info();
    finish(call);
  }
}

void Transport::Multi::finish_transfer(Call &call, int rc) {
  std::unique_ptr<Handle> h = std::move(call.handle_);
  curl_multi_remove_handle(state_->multi, h->easy);
  TransferEnd end;
  end.rc = static_cast<CURLcode>(rc);
  Attempt a = transport_.conclude(*h, call.request, call.ctx, call.attempt_, call.started_, end);
  call.resends_ += a.resends;
  // As perform(): a handle whose transfer failed is not used again.
  if (!a.failed && state_->idle.size() < state_->max_idle) state_->idle.push_back(std::move(h));
  h.reset();
  try {
    const int64_t delay = transport_.judge(call.request, call.ctx, a, call.attempt_, call.resends_);
    if (delay < 0) {
      call.response = std::move(a.response);
      finish(call);
      return;
    }
    ++call.attempt_;
    call.retry_at_ = Clock::now() + std::chrono::milliseconds(delay);
    state_->waiting.push_back(&call);
  } catch (const Failure &f) {
    call.failed = true;
    call.error = f.info();
    finish(call);
  }
}

void Transport::Multi::abort(Call &call) {
  if (!call.active_) return;
  call.active_ = false;
  auto drop = [&call](std::vector<Call *> &list) {
    list.erase(std::remove(list.begin(), list.end(), &call), list.end());
  };
  if (call.handle_ != nullptr) {
    curl_multi_remove_handle(state_->multi, call.handle_->easy);
    call.handle_.reset();  // interrupted: its connection state is unknown
  }
  drop(state_->waiting);
  drop(state_->done);
  if (calls_ > 0) --calls_;
}

void Transport::Multi::collect() {
  int running = 0;
  curl_multi_perform(state_->multi, &running);
  int queued = 0;
  while (CURLMsg *msg = curl_multi_info_read(state_->multi, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    void *priv = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    // msg is invalid once its easy handle leaves the multi handle: read it first.
    const CURLcode rc = msg->data.result;
    finish_transfer(*static_cast<Call *>(priv), rc);
  }
}

void Transport::Multi::run(int64_t timeout_ms, std::vector<Call *> &finished) {
  auto now = Clock::now();
  // Retry delays that are over: the next attempt.
  auto &waiting = state_->waiting;
  for (size_t i = 0; i < waiting.size();) {
    if (waiting[i]->retry_at_ <= now) {
      Call *c = waiting[i];
      waiting[i] = waiting.back();
      waiting.pop_back();
      begin_attempt(*c);
    } else {
      ++i;
    }
  }
  collect();
  if (state_->done.empty()) {
    int64_t wait_ms = std::max<int64_t>(0, timeout_ms);
    for (const Call *c : waiting) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(c->retry_at_ - now).count();
      wait_ms = std::min<int64_t>(wait_ms, std::max<int64_t>(0, left + 1));
    }
    // Returns on socket activity, libcurl's own timers, or wakeup().
    curl_multi_poll(state_->multi, nullptr, 0,
                    static_cast<int>(std::min<int64_t>(wait_ms, INT32_MAX)), nullptr);
    collect();
  }
  calls_ -= std::min(calls_, state_->done.size());
  for (Call *c : state_->done) c->active_ = false;
  finished.insert(finished.end(), state_->done.begin(), state_->done.end());
  state_->done.clear();
}

}  // namespace sdrs
