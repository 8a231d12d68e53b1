// The opaque handle structs behind the C API and the catch-all that keeps C++ exceptions from
// crossing the boundary (design rules 4, 8, 9). No business logic lives here.
#pragma once

#include <memory>
#include <new>
#include <string>
#include <vector>

#include "client/client.hpp"
#include "client/pager.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"
#include "sdrs.h"

struct sdrs_error {
  sdrs::ErrorInfo info;
};

struct sdrs_config {
  sdrs::ClientConfig config;
};

struct sdrs_client {
  // Shared so iterators can keep the client alive on their own.
  std::shared_ptr<sdrs::Client> impl;
};

struct sdrs_cancel {
  sdrs::CancelToken token;
};

struct sdrs_call_opts {
  int64_t timeout_ms = 0;
  sdrs_cancel *cancel = nullptr;
};

struct sdrs_job {
  sdrs::Job job;
  std::vector<sdrs_job>
      subs;  // the job's sub-jobs (moved out of job.sub_jobs), handed out borrowed
};

struct sdrs_wait_opts {
  sdrs::BackoffPolicy backoff;
  int64_t timeout_ms = INT64_C(30) * 60 * 1000;
  sdrs_cancel *cancel = nullptr;
  sdrs_progress_cb progress = nullptr;
  void *userdata = nullptr;
};

struct sdrs_pg_spec {
  sdrs::PgSpec spec;
};

struct sdrs_pg {
  sdrs::Group group;  // a record of sdrs::kPgRecord
};

struct sdrs_pg_list_opts {
  sdrs::ListQuery query;
};

struct sdrs_pg_list {
  std::vector<sdrs_pg> items;
  int64_t count = -1;
};

struct sdrs_pg_iter {
  sdrs::PgPager pager;
  std::vector<sdrs_pg> page;
  size_t pos = 0;
};

struct sdrs_pi_spec {
  sdrs::PiSpec spec;
};

struct sdrs_pi_nic_spec {
  sdrs::PiNicSpec nic;
};

struct sdrs_pi {
  sdrs::Instance instance;  // a record of sdrs::kPiRecord
};

struct sdrs_pi_list_opts {
  sdrs::PiListQuery query;
};

struct sdrs_pi_list {
  std::vector<sdrs_pi> items;
  int64_t count = -1;
};

struct sdrs_pi_iter {
  sdrs::PiPager pager;
  std::vector<sdrs_pi> page;
  size_t pos = 0;
};

struct sdrs_pair_spec {
  sdrs::PairSpec spec;
};

struct sdrs_pair {
  sdrs::Pair pair;  // a record of sdrs::kPairRecord
};

struct sdrs_pair_list_opts {
  sdrs::PairListQuery query;
};

struct sdrs_pair_list {
  std::vector<sdrs_pair> items;
  int64_t count = -1;
};

struct sdrs_pair_iter {
  sdrs::PairPager pager;
  std::vector<sdrs_pair> page;
  size_t pos = 0;
};

struct sdrs_drill_spec {
  sdrs::DrillSpec spec;
};

struct sdrs_drill {
  sdrs::Drill drill;  // a record of sdrs::kDrillRecord
};

struct sdrs_drill_list_opts {
  sdrs::DrillListQuery query;
};

struct sdrs_drill_list {
  std::vector<sdrs_drill> items;
  int64_t count = -1;
};

struct sdrs_drill_iter {
  sdrs::DrillPager pager;
  std::vector<sdrs_drill> page;
  size_t pos = 0;
};

struct sdrs_tag_set {
  std::vector<sdrs::TagEntry> tags;
};

struct sdrs_tag_list {
  std::vector<sdrs::Record> tags;  // records of sdrs::kPiTagRecord
};

struct sdrs_tag_project_list {
  std::vector<sdrs::ProjectTag> tags;
};

struct sdrs_tag_query {
  sdrs::TagQuery query;
};

struct sdrs_tag_query_result {
  sdrs::TagQueryResult result;
  // resource_detail of each match as an instance handle (null when the service sent none).
  std::vector<std::unique_ptr<sdrs_pi>> instances;
};

struct sdrs_tag_query_iter {
  sdrs::TagQueryPager pager;
  std::vector<sdrs_pi> page;
  size_t pos = 0;
};

struct sdrs_task {
  sdrs::Task task;  // a record of sdrs::kTaskRecord
};

struct sdrs_task_list_opts {
  sdrs::TaskListQuery query;
};

struct sdrs_task_list {
  std::vector<sdrs_task> items;
  int64_t count = -1;
};

struct sdrs_task_iter {
  sdrs::TaskPager pager;
  std::vector<sdrs_task> page;
  size_t pos = 0;
};

struct sdrs_quota {
  sdrs::Quota quota;  // a record of sdrs::kQuotaRecord
};

struct sdrs_domain {
  sdrs::Domain domain;  // a record of sdrs::kDomainRecord
};

struct sdrs_domain_list {
  std::string json;
  std::vector<sdrs_domain> domains;
};

struct sdrs_apiversion {
  sdrs::ApiVersion version;
};

struct sdrs_apiversion_list {
  std::vector<sdrs_apiversion> versions;
};

namespace sdrs::capi {

// Throws kInval naming the parameter when a required pointer is NULL.
template <typename T>
T *need(T *ptr, const char *param) {
  if (ptr == nullptr) fail(Code::kInval, std::string(param) + ": must not be NULL");
  return ptr;
}

inline std::string need_str(const char *s, const char *param) {
  return {need(s, param)};
}

// Empty strings read as absent: getters return NULL for them.
inline const char *str_or_null(const std::string &s) {
  return s.empty() ? nullptr : s.c_str();
}

void store_error(sdrs_error **err, ErrorInfo info) noexcept;

// Runs fn, converting every exception into a code (and *err detail). fn returns void.
template <typename Fn>
int guarded(sdrs_error **err, Fn &&fn) noexcept {
  try {
    fn();
    return 0;
  } catch (const Failure &f) {
    store_error(err, f.info());
    return static_cast<int>(f.info().code);
  } catch (const std::bad_alloc &) {
    store_error(err, ErrorInfo{Code::kNoMem, "out of memory"});
    return static_cast<int>(Code::kNoMem);
  } catch (const std::exception &e) {
    store_error(err, ErrorInfo{Code::kInternal, std::string("internal error: ") + e.what()});
    return static_cast<int>(Code::kInternal);
  } catch (...) {
    store_error(err, ErrorInfo{Code::kInternal, "internal error: unknown exception"});
    return static_cast<int>(Code::kInternal);
  }
}

// Stores a new default handle in *out. `out` is checked first: in `*need(out) = new T()` the
// allocation would run before the check and leak when out is NULL.
template <typename T>
void new_handle(T **out) {
  need(out, "out");
  *out = new T();
}

// Hands a string to the caller (freed with sdrs_string_free).
char *dup_string(const std::string &s);

CallContext call_context(const sdrs_call_opts *opts);
// Records in their result handles (sdrs_pg, sdrs_pi, sdrs_pair: one record each).
template <typename Handle>
std::vector<Handle> wrap_records(std::vector<Record> &&records) {
  std::vector<Handle> out;
  out.reserve(records.size());
  for (auto &r : records) out.push_back(Handle{std::move(r)});
  return out;
}

// A status text's value in a header enum whose names are listed in enum order ("unknown"
// first): 0 (unknown) for NULL or a text not listed; and the name of a value, "unknown" for one
// out of range.
int32_t status_code(const char *const *names, size_t count, const char *status);
const char *status_name(const char *const *names, size_t count, int32_t status);

// sdrs_*_iter_next: the next record of the current page, fetching the next page when it is
// used up; *out = NULL at the end. `wrap` turns a fetched page's records into handles.
template <typename Handle, typename Iter, typename Wrap>
int iter_next(const Handle **out, const char *out_name, Iter *iter, const sdrs_call_opts *call_opts,
              sdrs_error **err, Wrap &&wrap) {
  if (out != nullptr) *out = nullptr;
  return guarded(err, [&] {
    need(out, out_name);
    need(iter, "iter");
    if (iter->pos >= iter->page.size()) {
      std::vector<Record> records;
      if (!iter->pager.next_page(&records, call_context(call_opts))) return;
      iter->page = wrap(std::move(records));
      iter->pos = 0;
      if (iter->page.empty()) return;
    }
    *out = &iter->page[iter->pos++];
  });
}
// The same with one record per handle (sdrs_pg, sdrs_pi, ...).
template <typename Handle, typename Iter>
int iter_next(const Handle **out, const char *out_name, Iter *iter, const sdrs_call_opts *call_opts,
              sdrs_error **err) {
  return iter_next(out, out_name, iter, call_opts, err, [](std::vector<Record> &&records) {
    return wrap_records<Handle>(std::move(records));
  });
}

// An optional text: NULL clears it; anything else is kept once `check` accepts it.
template <typename Check>
void set_or_clear(OptString &field, const char *value, Check &&check) {
  if (value == nullptr) {
    field.reset();
    return;
  }
  check(std::string(value));
  field = std::string(value);
}

// The sdrs_*_list_opts setters: fn edits the query of a non-NULL options handle.
template <typename Opts, typename Fn>
int set_filter(Opts *opts, sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] { fn(need(opts, "opts")->query); });
}
template <typename Opts>
int set_limit(Opts *opts, int64_t limit, sdrs_error **err) {
  return set_filter(opts, err, [&](auto &q) {
    validate_range("limit", limit, 1, 1000);
    q.limit = limit;
  });
}
template <typename Opts>
int set_offset(Opts *opts, int64_t offset, sdrs_error **err) {
  return set_filter(opts, err, [&](auto &q) {
    validate_range("offset", offset, 0, INT32_MAX);
    q.offset = offset;
  });
}
// A filter checked by `check`; NULL clears.
template <typename Opts, typename Query, typename Check>
int set_checked_filter(Opts *opts, OptString Query::*field, const char *value, sdrs_error **err,
                       Check &&check) {
  return set_filter(opts, err, [&](Query &q) { set_or_clear(q.*field, value, check); });
}
// A free-form filter: NULL clears.
template <typename Opts, typename Query>
int set_text_filter(Opts *opts, OptString Query::*field, const char *name, const char *value,
                    sdrs_error **err) {
  return set_checked_filter(opts, field, value, err,
                            [name](const std::string &v) { validate_required_text(name, v); });
}
// One more id of an id-list filter (the list's own rules: validate_list_id_add).
template <typename Opts, typename Query>
int add_list_id(Opts *opts, std::vector<std::string> Query::*field, const char *name,
                const char *id, sdrs_error **err) {
  return set_filter(opts, err, [&](Query &q) {
    const std::string v = need_str(id, name);
    validate_list_id_add(name, q.*field, v);
    (q.*field).push_back(v);
  });
}

// sdrs_*_list_get: one page of the listing that the options select (NULL: no filter), in a
// list handle. `list` is the client call, `records` the page's records in its result.
template <typename ListHandle, typename Opts, typename List, typename Query>
int list_get(ListHandle **out, sdrs_client *client, const Opts *opts,
             const sdrs_call_opts *call_opts, sdrs_error **err,
             List (Client::*list)(const Query &, const CallContext &),
             std::vector<Record> List::*records) {
  return guarded(err, [&] {
    need(out, "out");
    const Query q = opts != nullptr ? opts->query : Query{};
    List page = (need(client, "client")->impl.get()->*list)(q, call_context(call_opts));
    using Handle = typename decltype(ListHandle::items)::value_type;
    *out = new ListHandle{wrap_records<Handle>(std::move(page.*records)), page.count};
  });
}

// The getters of a list handle: 0 / NULL / -1 for a NULL list or an index out of range.
template <typename ListHandle>
size_t list_size(const ListHandle *list) {
  return list == nullptr ? 0 : list->items.size();
}
template <typename ListHandle>
auto list_at(const ListHandle *list, size_t index) -> decltype(&list->items[index]) {
  return list == nullptr || index >= list->items.size() ? nullptr : &list->items[index];
}
template <typename ListHandle>
int64_t list_count(const ListHandle *list) {
  return list == nullptr ? -1 : list->count;
}

// sdrs_*_iter_new: a pager over the listing that the options select (NULL: no filter). The
// pager keeps the client alive on its own.
template <typename Iter, typename Opts>
int iter_new(Iter **out, sdrs_client *client, const Opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    std::shared_ptr<Client> c = need(client, "client")->impl;
    using Query = decltype(opts->query);
    using Pager = decltype(Iter::pager);
    *out = new Iter{Pager(std::move(c), opts != nullptr ? opts->query : Query{}), {}, 0};
  });
}
// The handle takes the job (moved in, no copy); callers with a job they keep pass a copy.
sdrs_job make_job(Job &&job);
WaitOptions wait_options(const sdrs_wait_opts *opts);

// Runs fn on a builder's spec (the handle's `spec` member, checked for NULL), catching errors.
template <typename Handle, typename Fn>
int set_spec(Handle *spec, sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] { fn(need(spec, "spec")->spec); });
}

// A required text field of a spec: validated now, kept only when valid.
template <typename Handle, typename Spec>
int set_required(Handle *spec, OptString Spec::*field, const char *name, const char *value,
                 sdrs_error **err) {
  return set_spec(spec, err, [&](Spec &s) {
    const std::string v = need_str(value, name);
    validate_required_text(name, v);
    s.*field = v;
  });
}

// Runs an asynchronous call on one resource (`id_param` names its id in errors) and hands out
// the job id (freed with sdrs_string_free).
template <typename Fn>
int job_call(char **job_id, sdrs_client *client, const char *id, const char *id_param,
             sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] {
    need(job_id, "job_id");
    const std::string checked = need_str(id, id_param);
    *job_id = dup_string(fn(*need(client, "client")->impl, checked));
  });
}

}  // namespace sdrs::capi
