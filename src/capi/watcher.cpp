// sdrs/watcher.h: the job watcher's C API. The watching itself is client/watcher.cpp; this
// file checks arguments, turns each job's end into the callback's job and error handles, and
// either runs callbacks on the watcher's thread (DISPATCH_THREAD) or queues them for
// sdrs_watcher_dispatch behind an eventfd (DISPATCH_MANUAL).
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <deque>
#include <mutex>
#include <thread>

#include "capi/handles.hpp"
#include "client/watcher.hpp"

using sdrs::Code;
using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;

struct sdrs_watcher_opts {
  sdrs::WatcherOptions options;
  int32_t dispatch = SDRS_WATCHER_DISPATCH_THREAD;
};

namespace {

struct JobDeleter {
  void operator()(sdrs_job *job) const { delete job; }
};
struct ErrorDeleter {
  void operator()(sdrs_error *err) const { delete err; }
};

// A callback waiting in the manual queue, with the handles it will hand over.
struct Event {
  uint64_t ticket = 0;
  std::string job_id;
  int rc = 0;
  std::unique_ptr<sdrs_job, JobDeleter> job;
  std::unique_ptr<sdrs_error, ErrorDeleter> err;
  sdrs_watch_cb done = nullptr;  // a completion when set, else a progress report
  sdrs_progress_cb progress = nullptr;
  void *userdata = nullptr;
};

}  // namespace

struct sdrs_watcher {
  std::unique_ptr<sdrs::JobWatcher> impl;
  int32_t dispatch = SDRS_WATCHER_DISPATCH_THREAD;
  std::atomic<size_t> pending{0};  // added, callback not started yet
  // DISPATCH_MANUAL: the queue and its eventfd, readable exactly while the queue is not empty
  // (written when it becomes non-empty, drained when it becomes empty, both under queue_mu).
  std::mutex queue_mu;
  std::deque<Event> queue;
  int fd = -1;
  std::atomic<std::thread::id> dispatching{};  // the thread inside sdrs_watcher_dispatch
  std::atomic<bool> free_deferred{false};      // sdrs_watcher_free from a dispatched callback
  std::atomic<bool> freeing{false};

  ~sdrs_watcher() {
    impl.reset();
    if (fd >= 0) close(fd);
  }
};

namespace {

// The handles a job's end hands to its callback (NULL when out of memory: the code still
// says what happened).
void make_handles(sdrs::WatchEnd &end, Event &ev) {
  ev.ticket = end.ticket;
  ev.job_id = std::move(end.job_id);
  ev.rc = static_cast<int>(end.code);
  if (end.job) {
    try {
      ev.job.reset(new sdrs_job(sdrs::capi::make_job(std::move(*end.job))));
    } catch (...) {
      ev.job.reset();
    }
  }
  if (end.code != Code::kOk) {
    sdrs_error *err = nullptr;
    sdrs::capi::store_error(&err, std::move(end.error));
    ev.err.reset(err);
  }
}

void run_event(sdrs_watcher *w, Event &ev) noexcept {
  if (ev.done != nullptr) {
    // Not pending once its callback starts: code woken by the callback (a completed future, a
    // channel) may read sdrs_watcher_pending before the callback has returned.
    w->pending.fetch_sub(1);
    ev.done(ev.ticket, ev.job_id.c_str(), ev.rc, ev.job.release(), ev.err.release(), ev.userdata);
    return;
  }
  // A progress report: the job is only valid during the call; nonzero stops the wait, unless
  // it has ended meanwhile (its completion is queued behind this report).
  if (ev.progress(ev.job.get(), ev.userdata) != 0) {
    try {
      w->impl->cancel(ev.ticket, "stopped by the progress callback");
    } catch (...) {  // out of memory queueing the cancel: the wait goes on
    }
  }
}

void enqueue(sdrs_watcher *w, Event &&ev) noexcept {
  try {
    std::lock_guard<std::mutex> lock(w->queue_mu);
    const bool was_empty = w->queue.empty();
    w->queue.push_back(std::move(ev));
    if (was_empty) {
      const uint64_t one = 1;
      // Cannot fail short of a broken descriptor: the counter stays far below its limit.
      (void)!write(w->fd, &one, sizeof one);
    }
  } catch (...) {
    // No memory for the queue entry: the callback runs here rather than never.
    run_event(w, ev);
  }
}

// Takes the next queued event; false when the queue is empty.
bool dequeue(sdrs_watcher *w, Event *out) {
  std::lock_guard<std::mutex> lock(w->queue_mu);
  if (w->queue.empty()) return false;
  *out = std::move(w->queue.front());
  w->queue.pop_front();
  if (w->queue.empty()) {
    uint64_t count = 0;
    (void)!read(w->fd, &count, sizeof count);
  }
  return true;
}

bool queued_completion(sdrs_watcher *w, uint64_t ticket) {
  std::lock_guard<std::mutex> lock(w->queue_mu);
  return std::any_of(w->queue.begin(), w->queue.end(), [ticket](const Event &ev) {
    return ev.done != nullptr && ev.ticket == ticket;
  });
}

// Shuts down, runs what is still queued on this thread, and frees.
void finish_free(sdrs_watcher *w) {
  w->freeing.store(true);
  w->impl->shutdown();
  Event ev;
  while (dequeue(w, &ev)) run_event(w, ev);
  delete w;
}

void require_manual(const sdrs_watcher *w, const char *what) {
  if (w->dispatch != SDRS_WATCHER_DISPATCH_MANUAL) {
    sdrs::fail(Code::kInval, std::string(what) +
                                 ": the watcher's dispatch is SDRS_WATCHER_DISPATCH_THREAD "
                                 "(callbacks run on its thread); this needs "
                                 "SDRS_WATCHER_DISPATCH_MANUAL");
  }
}

template <typename Fn>
int set(sdrs_watcher_opts *opts, sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] { fn(*need(opts, "opts")); });
}

}  // namespace

extern "C" {

SDRS_API int sdrs_watcher_opts_new(sdrs_watcher_opts **out, sdrs_error **err) {
  return guarded(err, [&] { sdrs::capi::new_handle(out); });
}

SDRS_API void sdrs_watcher_opts_free(sdrs_watcher_opts *opts) {
  delete opts;
}

SDRS_API int sdrs_watcher_opts_set_max_polls_per_sec(sdrs_watcher_opts *opts, int32_t polls,
                                                     sdrs_error **err) {
  return set(opts, err, [&](sdrs_watcher_opts &o) {
    sdrs::validate_range("max_polls_per_sec", polls, 1, 100000);
    o.options.max_polls_per_sec = polls;
  });
}

SDRS_API int sdrs_watcher_opts_set_max_in_flight(sdrs_watcher_opts *opts, int32_t requests,
                                                 sdrs_error **err) {
  return set(opts, err, [&](sdrs_watcher_opts &o) {
    sdrs::validate_range("max_in_flight", requests, 1, 256);
    o.options.max_in_flight = requests;
  });
}

SDRS_API int sdrs_watcher_opts_set_dispatch(sdrs_watcher_opts *opts, int32_t dispatch,
                                            sdrs_error **err) {
  return set(opts, err, [&](sdrs_watcher_opts &o) {
    if (dispatch != SDRS_WATCHER_DISPATCH_THREAD && dispatch != SDRS_WATCHER_DISPATCH_MANUAL) {
      sdrs::fail(Code::kValidation,
                 "dispatch: must be SDRS_WATCHER_DISPATCH_THREAD (0) or "
                 "SDRS_WATCHER_DISPATCH_MANUAL (1), got " +
                     std::to_string(dispatch));
    }
    o.dispatch = dispatch;
  });
}

SDRS_API int sdrs_watcher_new(sdrs_watcher **out, sdrs_client *client,
                              const sdrs_watcher_opts *opts, sdrs_error **err) {
  if (out != nullptr) *out = nullptr;
  return guarded(err, [&] {
    need(out, "out");
    std::shared_ptr<sdrs::Client> c = need(client, "client")->impl;
    const sdrs_watcher_opts o = opts != nullptr ? *opts : sdrs_watcher_opts{};
    auto w = std::make_unique<sdrs_watcher>();
    w->dispatch = o.dispatch;
    if (o.dispatch == SDRS_WATCHER_DISPATCH_MANUAL) {
      w->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
      if (w->fd < 0) {
        // The errno value, not strerror's text: strerror is not thread-safe.
        sdrs::fail(Code::kInternal,
                   "cannot create the watcher's eventfd (errno " + std::to_string(errno) + ")");
      }
    }
    w->impl = std::make_unique<sdrs::JobWatcher>(std::move(c), o.options);
    *out = w.release();
  });
}

SDRS_API int sdrs_watcher_add(sdrs_watcher *watcher, const char *job_id, const sdrs_wait_opts *opts,
                              sdrs_watch_cb cb, void *userdata, uint64_t *out_ticket,
                              sdrs_error **err) {
  return guarded(err, [&] {
    sdrs_watcher *w = need(watcher, "watcher");
    const std::string id = need_str(job_id, "job_id");
    if (cb == nullptr) sdrs::fail(Code::kInval, "cb: must not be NULL");
    sdrs::WaitOptions options = sdrs::capi::wait_options(opts);
    const sdrs_progress_cb progress = opts != nullptr ? opts->progress : nullptr;
    void *progress_data = opts != nullptr ? opts->userdata : nullptr;
    sdrs::JobWatcher::Done done;
    sdrs::JobWatcher::Progress report;
    if (w->dispatch == SDRS_WATCHER_DISPATCH_THREAD) {
      done = [w, cb, userdata](sdrs::WatchEnd &&end) {
        Event ev;
        make_handles(end, ev);
        ev.done = cb;
        ev.userdata = userdata;
        run_event(w, ev);
      };
      if (progress != nullptr) {
        report = [progress, progress_data](uint64_t, const sdrs::Job &job) {
          const sdrs_job view = sdrs::capi::make_job(sdrs::Job(job));
          return progress(&view, progress_data) == 0;
        };
      }
    } else {
      done = [w, cb, userdata](sdrs::WatchEnd &&end) {
        Event ev;
        make_handles(end, ev);
        ev.done = cb;
        ev.userdata = userdata;
        enqueue(w, std::move(ev));
      };
      if (progress != nullptr) {
        // The report is queued; its answer comes back through sdrs_watcher_dispatch.
        report = [w, progress, progress_data](uint64_t ticket, const sdrs::Job &job) {
          Event ev;
          ev.ticket = ticket;
          ev.job.reset(new sdrs_job(sdrs::capi::make_job(sdrs::Job(job))));
          ev.progress = progress;
          ev.userdata = progress_data;
          enqueue(w, std::move(ev));
          return true;
        };
      }
    }
    w->pending.fetch_add(1);  // before add: the callback may run before add returns
    uint64_t ticket = 0;
    try {
      ticket = w->impl->add(id, options, std::move(done), std::move(report));
    } catch (...) {
      w->pending.fetch_sub(1);
      throw;
    }
    if (out_ticket != nullptr) *out_ticket = ticket;
  });
}

SDRS_API int sdrs_watcher_cancel(sdrs_watcher *watcher, uint64_t ticket, sdrs_error **err) {
  return guarded(err, [&] {
    sdrs_watcher *w = need(watcher, "watcher");
    if (w->impl->cancel(ticket)) return;
    // Ended, its callback queued and not run yet: it runs with its own result.
    if (w->dispatch == SDRS_WATCHER_DISPATCH_MANUAL && queued_completion(w, ticket)) return;
    sdrs::fail(Code::kNotFound, "ticket: no pending job has ticket " + std::to_string(ticket) +
                                    " (unknown, or its callback already ran)");
  });
}

SDRS_API size_t sdrs_watcher_pending(const sdrs_watcher *watcher) {
  return watcher == nullptr ? 0 : watcher->pending.load();
}

SDRS_API int sdrs_watcher_fd(sdrs_watcher *watcher, int *out_fd, sdrs_error **err) {
  return guarded(err, [&] {
    sdrs_watcher *w = need(watcher, "watcher");
    need(out_fd, "out_fd");
    require_manual(w, "sdrs_watcher_fd");
    *out_fd = w->fd;
  });
}

SDRS_API int sdrs_watcher_dispatch(sdrs_watcher *watcher, size_t max, size_t *out_count,
                                   sdrs_error **err) {
  if (out_count != nullptr) *out_count = 0;
  size_t ran = 0;
  bool free_now = false;
  const int rc = guarded(err, [&] {
    sdrs_watcher *w = need(watcher, "watcher");
    require_manual(w, "sdrs_watcher_dispatch");
    const std::thread::id self = std::this_thread::get_id();
    if (w->dispatching.load() == self) {
      sdrs::fail(Code::kInval,
                 "sdrs_watcher_dispatch: called from one of this watcher's callbacks");
    }
    size_t limit = max;
    if (limit == 0) {
      std::lock_guard<std::mutex> lock(w->queue_mu);
      limit = w->queue.size();  // what is queued now, not what arrives meanwhile
    }
    w->dispatching.store(self);
    Event ev;
    while (ran < limit && !w->free_deferred.load() && dequeue(w, &ev)) {
      run_event(w, ev);
      ++ran;
    }
    w->dispatching.store(std::thread::id());
    free_now = w->free_deferred.load();
  });
  if (out_count != nullptr) *out_count = ran;
  if (free_now) finish_free(watcher);  // sdrs_watcher_free was called from a callback
  return rc;
}

SDRS_API int sdrs_watcher_shutdown(sdrs_watcher *watcher, sdrs_error **err) {
  return guarded(err, [&] {
    sdrs_watcher *w = need(watcher, "watcher");
    if (w->impl->on_own_thread()) {
      sdrs::fail(Code::kInval,
                 "sdrs_watcher_shutdown: called from a callback on the watcher's own thread, "
                 "which it would wait for (return from the callback first, or use "
                 "sdrs_watcher_free, which is deferred)");
    }
    w->impl->shutdown();
  });
}

SDRS_API void sdrs_watcher_free(sdrs_watcher *watcher) {
  if (watcher == nullptr || watcher->freeing.exchange(true)) return;
  if (watcher->impl->on_own_thread()) {
    // From a callback on the watcher's thread: the thread finishes the shutdown and frees.
    watcher->impl->shutdown_from_own_thread([watcher] { delete watcher; });
    return;
  }
  if (watcher->dispatching.load() == std::this_thread::get_id()) {
    watcher->free_deferred.store(true);  // sdrs_watcher_dispatch frees once the callback returns
    return;
  }
  finish_free(watcher);
}

}  // extern "C"
