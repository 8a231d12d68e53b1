// perform() without blocking: many requests at once on one curl multi handle, driven by one
// thread (the job watcher's). Every request goes through the steps of Transport::perform with
// the transport's own code (setup and log lines, failure classification, the retry rule and
// its delays), so both paths follow one definition of each rule; only the waiting differs
// (curl_multi_poll for all requests at once, retry delays as timers).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "http/transport.hpp"

namespace sdrs {

class Transport::Multi {
 public:
  // One request on its way. The owner fills in request and ctx before start() and keeps the
  // call alive until run() reports it finished or abort() took it back.
  class Call {
   public:
    Call();
    ~Call();
    Call(const Call &) = delete;
    Call &operator=(const Call &) = delete;

    HttpRequest request;
    CallContext ctx;
    // Once finished: the last HTTP response whatever its status (as perform() returns it),
    // or the failure perform() would have thrown (failed).
    HttpResponse response;
    ErrorInfo error;
    bool failed = false;

   private:
    friend class Multi;
    std::unique_ptr<Handle> handle_;  // while a transfer runs
    Clock::time_point started_{};
    Clock::time_point retry_at_{};
    int32_t attempt_ = 0;
    int32_t resends_ = 0;
    bool active_ = false;  // started, not yet reported or aborted
  };

  // Connections (and so transfers at once) are capped at max_connections; the connection
  // cache keeps that many for reuse.
  Multi(Transport &transport, int32_t max_connections);
  ~Multi();
  Multi(const Multi &) = delete;
  Multi &operator=(const Multi &) = delete;

  // Sends the call's first attempt (or finishes it at once when its context is canceled or
  // past its deadline: the next run() reports it).
  void start(Call &call);
  // Takes a call back wherever it is (transfer, retry delay, finished but not reported);
  // run() will not report it. Nothing for a call that is not active.
  void abort(Call &call);
  // Drives the transfers and retry delays until something finished, wakeup() is called, or
  // timeout_ms passed; appends the calls that finished.
  void run(int64_t timeout_ms, std::vector<Call *> &finished);
  // Makes a run() in progress (or the next one) return at once. Any thread.
  void wakeup();
  // A CancelToken::Waker function: arg is the Multi.
  static void wake(void *multi);
  // Calls started and not yet reported or aborted.
  size_t calls() const { return calls_; }

 private:
  struct State;
  void begin_attempt(Call &call);
  void finish_transfer(Call &call, int rc);
  void collect();
  void finish(Call &call);

  Transport &transport_;
  std::unique_ptr<State> state_;
  size_t calls_ = 0;
};

}  // namespace sdrs
