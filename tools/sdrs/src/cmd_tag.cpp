// sdrs tag ...: tags of protected instances, and the query that selects instances by tag.
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

const std::string &instance_id_arg(const ParsedArgs &args) {
  return args.positional().at(0);
}

// "KEY=VALUE" (the first '=' splits; the value may be empty). Without '=': {text, nullopt}.
std::pair<std::string, std::optional<std::string>> split_key_value(const std::string &text) {
  auto eq = text.find('=');
  if (eq == std::string::npos) return {text, std::nullopt};
  return {text.substr(0, eq), text.substr(eq + 1)};
}

// A tag to write: the '=' is required so that an empty value is always written on purpose.
std::pair<std::string, std::string> tag_to_write(const std::string &text,
                                                 const std::string &topic) {
  auto [key, value] = split_key_value(text);
  if (!value) throw UsageError("expected KEY=VALUE, got '" + text + "'", topic);
  return {key, *value};
}

// Prints what a synchronous tag write did (the service answers 204 with no body).
void print_done(Context &ctx, const std::string &action, const std::string &instance_id,
                size_t tags) {
  if (ctx.json())
    std::cout << "{\"protected_instance_id\":" << json_string(instance_id.c_str())
              << ",\"action\":" << json_string(action.c_str()) << ",\"tags\":" << tags << "}\n";
  else
    std::cout << action << " " << tags << (tags == 1 ? " tag" : " tags") << " on " << instance_id
              << "\n";
}

int cmd_add(Context &ctx, const ParsedArgs &args) {
  const std::string &id = instance_id_arg(args);
  auto [key, value] = tag_to_write(args.positional().at(1), "tag add");
  CallOptsPtr call = ctx.call_opts();
  sdrs_error *err = nullptr;
  check(sdrs_tag_add(ctx.client(), id.c_str(), key.c_str(), value.c_str(), call.get(), &err), &err);
  print_done(ctx, "added", id, 1);
  return 0;
}

int cmd_delete(Context &ctx, const ParsedArgs &args) {
  const std::string &id = instance_id_arg(args);
  const std::string &key = args.positional().at(1);
  CallOptsPtr call = ctx.call_opts();
  sdrs_error *err = nullptr;
  check(sdrs_tag_delete(ctx.client(), id.c_str(), key.c_str(), call.get(), &err), &err);
  print_done(ctx, "deleted", id, 1);
  return 0;
}

// The tags after the instance id, as a set; `values_required`: KEY=VALUE only (batch add).
TagSetPtr tag_set(const ParsedArgs &args, bool values_required, const std::string &topic) {
  sdrs_tag_set *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_tag_set_new(&raw, &err), &err);
  TagSetPtr set(raw);
  const auto &words = args.positional();
  for (size_t i = 1; i < words.size(); ++i) {
    auto [key, value] = split_key_value(words[i]);
    if (values_required && !value)
      throw UsageError("expected KEY=VALUE, got '" + words[i] + "'", topic);
    check(sdrs_tag_set_add(raw, key.c_str(), value ? value->c_str() : nullptr, &err), &err);
  }
  return set;
}

int cmd_batch_add(Context &ctx, const ParsedArgs &args) {
  const std::string &id = instance_id_arg(args);
  TagSetPtr set = tag_set(args, true, "tag batch-add");
  CallOptsPtr call = ctx.call_opts();
  sdrs_error *err = nullptr;
  check(sdrs_tag_batch_add(ctx.client(), id.c_str(), set.get(), call.get(), &err), &err);
  print_done(ctx, "added", id, args.positional().size() - 1);
  return 0;
}

int cmd_batch_delete(Context &ctx, const ParsedArgs &args) {
  const std::string &id = instance_id_arg(args);
  TagSetPtr set = tag_set(args, false, "tag batch-delete");
  CallOptsPtr call = ctx.call_opts();
  sdrs_error *err = nullptr;
  check(sdrs_tag_batch_delete(ctx.client(), id.c_str(), set.get(), call.get(), &err), &err);
  print_done(ctx, "deleted", id, args.positional().size() - 1);
  return 0;
}

int cmd_list(Context &ctx, const ParsedArgs &args) {
  const std::string &id = instance_id_arg(args);
  CallOptsPtr call = ctx.call_opts();
  sdrs_tag_list *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_tag_list_get(&raw, ctx.client(), id.c_str(), call.get(), &err), &err);
  TagListPtr list(raw);
  const size_t n = sdrs_tag_list_size(raw);
  if (ctx.json()) {
    std::vector<std::string> items;
    for (size_t i = 0; i < n; ++i)
      items.push_back("{\"key\":" + json_string(sdrs_tag_list_key(raw, i)) +
                      ",\"value\":" + json_string(sdrs_tag_list_value(raw, i)) + "}");
    std::cout << "{\"tags\":" << json_array(items) << "}\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < n; ++i) {
    const char *value = sdrs_tag_list_value(raw, i);
    rows.push_back({or_dash(sdrs_tag_list_key(raw, i)), value ? value : ""});
  }
  print_table({"KEY", "VALUE"}, rows);
  return 0;
}

int cmd_project(Context &ctx, const ParsedArgs &) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_tag_project_list *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_tag_project_list_get(&raw, ctx.client(), call.get(), &err), &err);
  TagProjectListPtr list(raw);
  const size_t n = sdrs_tag_project_list_size(raw);
  std::vector<std::string> items;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> json_values;
    std::string text;
    for (size_t v = 0; v < sdrs_tag_project_list_value_count(raw, i); ++v) {
      const char *value = sdrs_tag_project_list_value(raw, i, v);
      json_values.push_back(json_string(value));
      text += (v ? "," : "") + std::string(value ? value : "");
    }
    items.push_back("{\"key\":" + json_string(sdrs_tag_project_list_key(raw, i)) +
                    ",\"values\":" + json_array(json_values) + "}");
    rows.push_back({or_dash(sdrs_tag_project_list_key(raw, i)), text});
  }
  if (ctx.json())
    std::cout << "{\"tags\":" << json_array(items) << "}\n";
  else
    print_table({"KEY", "VALUES"}, rows);
  return 0;
}

// The matcher options of tag query and the list each fills.
const std::pair<const char *, int32_t> kMatchers[] = {
    {"--match-all", SDRS_TAG_MATCH_ALL},
    {"--match-any", SDRS_TAG_MATCH_ANY},
    {"--not-all", SDRS_TAG_MATCH_NOT_ALL},
    {"--not-any", SDRS_TAG_MATCH_NOT_ANY},
};

TagQueryPtr build_query(const ParsedArgs &args) {
  sdrs_tag_query *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_tag_query_new(&raw, &err), &err);
  TagQueryPtr query(raw);
  for (const auto &[flag, match] : kMatchers) {
    for (const auto &text : args.values(flag)) {
      auto [key, value] = split_key_value(text);
      // KEY alone and KEY=* both mean "the key with any value" (an empty values list).
      const bool any_value = !value || *value == "*";
      check(sdrs_tag_query_add(raw, match, key.c_str(), any_value ? nullptr : value->c_str(), &err),
            &err);
    }
  }
  if (const char *name = args.value("--name"))
    check(sdrs_tag_query_set_name(raw, name, &err), &err);
  if (auto limit = args.int_value("--limit"))
    check(sdrs_tag_query_set_limit(raw, *limit, &err), &err);
  if (auto offset = args.int_value("--offset"))
    check(sdrs_tag_query_set_offset(raw, *offset, &err), &err);
  return query;
}

std::string tags_text(const sdrs_pi *pi) {
  std::string text;
  for (size_t i = 0; i < sdrs_pi_tag_count(pi); ++i) {
    const char *value = sdrs_pi_tag_value(pi, i);
    text += (i ? "," : "") + or_dash(sdrs_pi_tag_key(pi, i)) + "=" + (value ? value : "");
  }
  return text.empty() ? "-" : text;
}

int cmd_query(Context &ctx, const ParsedArgs &args) {
  const bool count_only = args.flag("--count");
  if (count_only && args.flag("--all"))
    throw UsageError("--count and --all exclude each other", "tag query");
  TagQueryPtr query = build_query(args);
  sdrs_error *err = nullptr;
  if (count_only) {
    CallOptsPtr call = ctx.call_opts();
    int64_t total = 0;
    check(sdrs_tag_query_count(&total, ctx.client(), query.get(), call.get(), &err), &err);
    if (ctx.json())
      std::cout << "{\"total_count\":" << total << "}\n";
    else
      std::cout << total << "\n";
    return 0;
  }
  // One page is read through the iterator too (it stops after --limit instances), as pi list.
  const bool all = args.flag("--all");
  const int64_t page_size = args.int_value("--limit").value_or(1000);  // the service default
  sdrs_tag_query_iter *raw = nullptr;
  check(sdrs_tag_query_iter_new(&raw, ctx.client(), query.get(), &err), &err);
  TagQueryIterPtr iter(raw);
  std::vector<std::string> json_items;
  std::vector<std::vector<std::string>> rows;
  int64_t count = 0;
  while (all || count < page_size) {
    CallOptsPtr call = ctx.call_opts();
    const sdrs_pi *pi = nullptr;
    check(sdrs_tag_query_iter_next(&pi, iter.get(), call.get(), &err), &err);
    if (!pi) break;
    // pi is only valid until the next call: copy what is printed now.
    if (ctx.json())
      json_items.push_back(json_or_null(sdrs_pi_json(pi)));
    else
      rows.push_back({or_dash(sdrs_pi_id(pi)), or_dash(sdrs_pi_name(pi)),
                      or_dash(sdrs_pi_status_str(pi)), or_dash(sdrs_pi_server_group_id(pi)),
                      tags_text(pi)});
    ++count;
  }
  if (ctx.json())
    std::cout << "{\"count\":" << count << ",\"protected_instances\":" << json_array(json_items)
              << "}\n";
  else
    print_table({"ID", "NAME", "STATUS", "GROUP", "TAGS"}, rows);
  return 0;
}

constexpr size_t kManyTags = 1000;  // the library enforces the real per-instance limit

}  // namespace

std::vector<CommandSpec> tag_commands() {
  const char *const kMatchValue = "KEY=VALUE";
  return {
      {"tag add",
       "ID KEY=VALUE",
       2,
       2,
       "Add a tag to a protected instance, or set the value of an existing key (KEY= for an "
       "empty value).",
       {},
       {"sdrs tag add 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e app=shop"},
       cmd_add},
      {"tag delete",
       "ID KEY",
       2,
       2,
       "Delete one tag (by key) from a protected instance; an unknown key is an error.",
       {},
       {"sdrs tag delete 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e app"},
       cmd_delete},
      {"tag list",
       "ID",
       1,
       1,
       "List the tags of one protected instance.",
       {},
       {"sdrs tag list 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e"},
       cmd_list},
      {"tag batch-add",
       "ID KEY=VALUE...",
       2,
       1 + kManyTags,
       "Add several tags to a protected instance in one request; existing keys get the new "
       "values. At most 20 tags per instance.",
       {},
       {"sdrs tag batch-add 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e app=shop env=prod tier=web"},
       cmd_batch_add},
      {"tag batch-delete",
       "ID KEY[=VALUE]...",
       2,
       1 + kManyTags,
       "Delete several tags in one request: KEY removes the key whatever its value, "
       "KEY=VALUE only when the value matches. Tags that do not exist are ignored.",
       {},
       {"sdrs tag batch-delete 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e env tier=web"},
       cmd_batch_delete},
      {"tag project",
       "",
       0,
       0,
       "List every tag key of the project's protected instances with the values in use.",
       {},
       {"sdrs tag project", "sdrs tag project --json | jq -r '.tags[].key'"},
       cmd_project},
      {"tag query",
       "",
       0,
       0,
       "Select protected instances by tag. VALUE '*' or KEY alone means any value of the key; "
       "'*x' matches values containing x; one key given twice lists two accepted values. "
       "Options combine with AND. With --count only the number of matches is printed.",
       {
           {"--match-all", kMatchValue, "has every key given, each with one of its values (tags)",
            false, true},
           {"--match-any", kMatchValue, "has at least one of these key/values (tags_any)", false,
            true},
           {"--not-all", kMatchValue, "excludes instances that would match --match-all (not_tags)",
            false, true},
           {"--not-any", kMatchValue, "excludes instances having any of these (not_tags_any)",
            false, true},
           {"--name", "TEXT", "instance name contains TEXT, case-insensitive (resource_name)"},
           {"--limit", "N", "page size, 1..1000 (not with --count)"},
           {"--offset", "N", "instances to skip (not with --count)"},
           {"--count", nullptr, "print the number of matching instances only (action count)"},
           {"--all", nullptr, "fetch every page (--limit sets the page size)"},
       },
       {"sdrs tag query --match-all app=shop --not-any env=test",
        "sdrs tag query --match-all app=shop --match-all tier --count"},
       cmd_query},
  };
}

}  // namespace sdrscli
