// sdrs/tag.h: tag writes, the tag set of the batch calls, the tag lists, the query by tag with
// its result and iterator. Arguments are checked here; the rules live in core/resources/tag and
// client/tag.
#include <memory>
#include <string>

#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::need_str;
using sdrs::capi::new_handle;

namespace {

sdrs::OptString opt(const char *s) {
  return s == nullptr ? sdrs::OptString() : sdrs::OptString(s);
}

const sdrs::Record *tag_at(const sdrs_tag_list *list, size_t index) {
  return list == nullptr || index >= list->tags.size() ? nullptr : &list->tags[index];
}

const sdrs::ProjectTag *project_tag_at(const sdrs_tag_project_list *list, size_t index) {
  return list == nullptr || index >= list->tags.size() ? nullptr : &list->tags[index];
}

const sdrs::Record *resource_at(const sdrs_tag_query_result *result, size_t index) {
  if (result == nullptr || index >= result->result.resources.size()) return nullptr;
  return &result->result.resources[index];
}

template <typename Fn>
int set_query(sdrs_tag_query *query, sdrs_error **err, Fn &&fn) {
  return guarded(err, [&] { fn(need(query, "query")->query); });
}

int batch(sdrs_client *client, const char *instance_id, const sdrs_tag_set *tags,
          sdrs::TagAction action, const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    const std::string id = need_str(instance_id, "instance_id");
    const sdrs_tag_set &set = *need(tags, "tags");
    need(client, "client")->impl->batch_tags(id, action, set.tags, sdrs::capi::call_context(opts));
  });
}

}  // namespace

extern "C" {

SDRS_API int sdrs_tag_add(sdrs_client *client, const char *instance_id, const char *key,
                          const char *value, const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    const std::string id = need_str(instance_id, "instance_id");
    need(client, "client")
        ->impl->add_tag(id, need_str(key, "key"), need_str(value, "value"),
                        sdrs::capi::call_context(opts));
  });
}
SDRS_API int sdrs_tag_delete(sdrs_client *client, const char *instance_id, const char *key,
                             const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    const std::string id = need_str(instance_id, "instance_id");
    need(client, "client")
        ->impl->delete_tag(id, need_str(key, "key"), sdrs::capi::call_context(opts));
  });
}

SDRS_API int sdrs_tag_set_new(sdrs_tag_set **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_tag_set_free(sdrs_tag_set *set) {
  delete set;
}
SDRS_API int sdrs_tag_set_add(sdrs_tag_set *set, const char *key, const char *value,
                              sdrs_error **err) {
  return guarded(err, [&] {
    auto &tags = need(set, "set")->tags;
    const std::string k = need_str(key, "key");
    sdrs::validate_tag_set_add(tags, k, opt(value));
    tags.push_back(sdrs::TagEntry{k, opt(value)});
  });
}
SDRS_API int sdrs_tag_batch_add(sdrs_client *client, const char *instance_id,
                                const sdrs_tag_set *tags, const sdrs_call_opts *opts,
                                sdrs_error **err) {
  return batch(client, instance_id, tags, sdrs::TagAction::kCreate, opts, err);
}
SDRS_API int sdrs_tag_batch_delete(sdrs_client *client, const char *instance_id,
                                   const sdrs_tag_set *tags, const sdrs_call_opts *opts,
                                   sdrs_error **err) {
  return batch(client, instance_id, tags, sdrs::TagAction::kDelete, opts, err);
}

SDRS_API int sdrs_tag_list_get(sdrs_tag_list **out, sdrs_client *client, const char *instance_id,
                               const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const std::string id = need_str(instance_id, "instance_id");
    std::vector<sdrs::Record> tags =
        need(client, "client")->impl->list_tags(id, sdrs::capi::call_context(opts));
    *out = new sdrs_tag_list{std::move(tags)};
  });
}
SDRS_API void sdrs_tag_list_free(sdrs_tag_list *list) {
  delete list;
}
SDRS_API size_t sdrs_tag_list_size(const sdrs_tag_list *list) {
  return list == nullptr ? 0 : list->tags.size();
}
SDRS_API const char *sdrs_tag_list_key(const sdrs_tag_list *list, size_t index) {
  const sdrs::Record *r = tag_at(list, index);
  return r == nullptr ? nullptr : r->str(sdrs::kPiTagKey);
}
SDRS_API const char *sdrs_tag_list_value(const sdrs_tag_list *list, size_t index) {
  const sdrs::Record *r = tag_at(list, index);
  return r == nullptr ? nullptr : r->str(sdrs::kPiTagValue);
}

SDRS_API int sdrs_tag_project_list_get(sdrs_tag_project_list **out, sdrs_client *client,
                                       const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    std::vector<sdrs::ProjectTag> tags =
        need(client, "client")->impl->project_tags(sdrs::capi::call_context(opts));
    *out = new sdrs_tag_project_list{std::move(tags)};
  });
}
SDRS_API void sdrs_tag_project_list_free(sdrs_tag_project_list *list) {
  delete list;
}
SDRS_API size_t sdrs_tag_project_list_size(const sdrs_tag_project_list *list) {
  return list == nullptr ? 0 : list->tags.size();
}
SDRS_API const char *sdrs_tag_project_list_key(const sdrs_tag_project_list *list, size_t index) {
  const sdrs::ProjectTag *t = project_tag_at(list, index);
  return t == nullptr ? nullptr : t->key.c_str();
}
SDRS_API size_t sdrs_tag_project_list_value_count(const sdrs_tag_project_list *list, size_t index) {
  const sdrs::ProjectTag *t = project_tag_at(list, index);
  return t == nullptr ? 0 : t->values.size();
}
SDRS_API const char *sdrs_tag_project_list_value(const sdrs_tag_project_list *list, size_t index,
                                                 size_t value_index) {
  const sdrs::ProjectTag *t = project_tag_at(list, index);
  return t == nullptr || value_index >= t->values.size() ? nullptr : t->values[value_index].c_str();
}

SDRS_API int sdrs_tag_query_new(sdrs_tag_query **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}
SDRS_API void sdrs_tag_query_free(sdrs_tag_query *query) {
  delete query;
}
SDRS_API int sdrs_tag_query_add(sdrs_tag_query *query, int32_t match, const char *key,
                                const char *value, sdrs_error **err) {
  return set_query(query, err, [&](sdrs::TagQuery &q) {
    sdrs::tag_query_add(q, match, need_str(key, "key"), opt(value));
  });
}
SDRS_API int sdrs_tag_query_set_name(sdrs_tag_query *query, const char *name, sdrs_error **err) {
  return set_query(query, err, [&](sdrs::TagQuery &q) {
    if (name == nullptr) {
      q.name.reset();
      return;
    }
    sdrs::validate_tag_query_name(name);
    q.name = std::string(name);
  });
}
SDRS_API int sdrs_tag_query_set_limit(sdrs_tag_query *query, int64_t limit, sdrs_error **err) {
  return set_query(query, err, [&](sdrs::TagQuery &q) {
    sdrs::validate_range("limit", limit, 1, 1000);
    q.limit = limit;
  });
}
SDRS_API int sdrs_tag_query_set_offset(sdrs_tag_query *query, int64_t offset, sdrs_error **err) {
  return set_query(query, err, [&](sdrs::TagQuery &q) {
    sdrs::validate_range("offset", offset, 0, INT32_MAX);
    q.offset = offset;
  });
}

SDRS_API int sdrs_tag_query_filter(sdrs_tag_query_result **out, sdrs_client *client,
                                   const sdrs_tag_query *query, const sdrs_call_opts *opts,
                                   sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::TagQuery &q = need(query, "query")->query;
    auto result = std::make_unique<sdrs_tag_query_result>();
    result->result = need(client, "client")->impl->query_tags(q, sdrs::capi::call_context(opts));
    result->instances.reserve(result->result.resources.size());
    for (const auto &r : result->result.resources) {
      const sdrs::Record *detail = r.child(sdrs::kTagResourceDetail);
      result->instances.push_back(detail == nullptr ? nullptr
                                                    : std::make_unique<sdrs_pi>(sdrs_pi{*detail}));
    }
    *out = result.release();
  });
}
SDRS_API int sdrs_tag_query_count(int64_t *count, sdrs_client *client, const sdrs_tag_query *query,
                                  const sdrs_call_opts *opts, sdrs_error **err) {
  return guarded(err, [&] {
    need(count, "count");
    const sdrs::TagQuery &q = need(query, "query")->query;
    *count = need(client, "client")->impl->count_tags(q, sdrs::capi::call_context(opts));
  });
}
SDRS_API void sdrs_tag_query_result_free(sdrs_tag_query_result *result) {
  delete result;
}
SDRS_API int64_t sdrs_tag_query_result_total_count(const sdrs_tag_query_result *result) {
  return result == nullptr ? -1 : result->result.count;
}
SDRS_API size_t sdrs_tag_query_result_size(const sdrs_tag_query_result *result) {
  return result == nullptr ? 0 : result->result.resources.size();
}
SDRS_API const char *sdrs_tag_query_result_resource_id(const sdrs_tag_query_result *result,
                                                       size_t index) {
  const sdrs::Record *r = resource_at(result, index);
  return r == nullptr ? nullptr : r->str(sdrs::kTagResourceId);
}
SDRS_API const char *sdrs_tag_query_result_resource_name(const sdrs_tag_query_result *result,
                                                         size_t index) {
  const sdrs::Record *r = resource_at(result, index);
  return r == nullptr ? nullptr : r->str(sdrs::kTagResourceName);
}
SDRS_API const sdrs_pi *sdrs_tag_query_result_instance(const sdrs_tag_query_result *result,
                                                       size_t index) {
  if (result == nullptr || index >= result->instances.size()) return nullptr;
  return result->instances[index].get();
}
SDRS_API const char *sdrs_tag_query_result_json(const sdrs_tag_query_result *result) {
  return result == nullptr ? nullptr : result->result.json.c_str();
}

SDRS_API int sdrs_tag_query_iter_new(sdrs_tag_query_iter **out, sdrs_client *client,
                                     const sdrs_tag_query *query, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::TagQuery &q = need(query, "query")->query;
    std::shared_ptr<sdrs::Client> c = need(client, "client")->impl;
    *out = new sdrs_tag_query_iter{sdrs::TagQueryPager(std::move(c), q), {}, 0};
  });
}
SDRS_API void sdrs_tag_query_iter_free(sdrs_tag_query_iter *iter) {
  delete iter;
}
// Each match of a page is turned into its instance.
SDRS_API int sdrs_tag_query_iter_next(const sdrs_pi **pi, sdrs_tag_query_iter *iter,
                                      const sdrs_call_opts *call_opts, sdrs_error **err) {
  return sdrs::capi::iter_next(pi, "pi", iter, call_opts, err,
                               [](std::vector<sdrs::Record> &&records) {
                                 std::vector<sdrs_pi> page;
                                 page.reserve(records.size());
                                 for (const auto &r : records)
                                   page.push_back(sdrs_pi{sdrs::tag_resource_instance(r)});
                                 return page;
                               });
}

}  // extern "C"
