// Tag operations and the tag query: validate, build the path and body (core/resources/tag),
// one exchange, decode. Writes answer 204 with an empty body (no_content). Instance ids go
// through validate_pi_id (the literal-segment trap of spec part 2 section 1).
#include "client/client.hpp"
#include "core/url.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

constexpr const char *kInstanceIdField = "protected_instance_id";

}  // namespace

void Client::add_tag(const std::string &instance_id, const std::string &key,
                     const std::string &value, const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_tag_key(key, "tag.key");
  validate_tag_value(value, "tag.value");
  const std::string path = project_path(ctx, "/protected-instances/", instance_id, "/tags");
  exchange("POST", path, encode_tag_add(key, value), ctx, no_content);
}

// The key is one path segment, percent-encoded byte by byte (every byte outside the unreserved
// set), so '/', '%', '?' or UTF-8 in a key cannot change the route.
void Client::delete_tag(const std::string &instance_id, const std::string &key,
                        const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_tag_key(key, "key");
  const std::string path =
      project_path(ctx, "/protected-instances/", instance_id, "/tags/" + percent_encode(key));
  exchange("DELETE", path, "", ctx, no_content);
}

void Client::batch_tags(const std::string &instance_id, TagAction action,
                        const std::vector<TagEntry> &tags, const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_tag_batch(action, tags);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id, "/tags/action");
  exchange("POST", path, encode_tag_batch(action, tags), ctx, no_content);
}

std::vector<Record> Client::list_tags(const std::string &instance_id, const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id, "/tags");
  return exchange("GET", path, "", ctx, decode_tag_list);
}

std::vector<ProjectTag> Client::project_tags(const CallContext &ctx) {
  const std::string path = project_path(ctx, "/protected-instances/tags");
  return exchange("GET", path, "", ctx, decode_project_tags);
}

// A read sent as POST: the body is encoded (and checked) before anything is sent. Read-only:
// retried like a GET, and a lost answer leaves nothing unknown.
TagQueryResult Client::query_tags(const TagQuery &query, const CallContext &ctx) {
  const std::string body = encode_tag_query(query, false);
  const std::string path = project_path(ctx, "/protected-instances/resource_instances/action");
  return exchange("POST", path, body, ctx, decode_tag_query_result, nullptr, true);
}

int64_t Client::count_tags(const TagQuery &query, const CallContext &ctx) {
  const std::string body = encode_tag_query(query, true);
  const std::string path = project_path(ctx, "/protected-instances/resource_instances/action");
  return exchange("POST", path, body, ctx, decode_tag_count, nullptr, true);
}

}  // namespace sdrs
