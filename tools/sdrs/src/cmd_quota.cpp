// sdrs quota: the project's resource quotas, used against limit. The service's -1 (no limit)
// is shown as "unlimited", never as a number.
#include <iostream>

#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

using LimitGetter = int32_t (*)(const sdrs_quota *, size_t, int64_t *);

// The text of a limit in the table: a number, "unlimited" or "-" (not sent).
std::string limit_text(const sdrs_quota *quota, size_t index, LimitGetter getter) {
  int64_t value = 0;
  switch (getter(quota, index, &value)) {
    case SDRS_QUOTA_LIMITED:
      return std::to_string(value);
    case SDRS_QUOTA_UNLIMITED:
      return "unlimited";
    default:
      return "-";
  }
}

// The same as JSON: a number, the string "unlimited" or null.
std::string limit_json(const sdrs_quota *quota, size_t index, LimitGetter getter) {
  int64_t value = 0;
  switch (getter(quota, index, &value)) {
    case SDRS_QUOTA_LIMITED:
      return std::to_string(value);
    case SDRS_QUOTA_UNLIMITED:
      return "\"unlimited\"";
    default:
      return "null";
  }
}

int cmd_quota(Context &ctx, const ParsedArgs &) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_quota *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_quota_get(&raw, ctx.client(), call.get(), &err), &err);
  QuotaPtr quota(raw);
  const size_t n = sdrs_quota_size(raw);
  std::vector<std::string> items;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < n; ++i) {
    const int64_t used = sdrs_quota_used(raw, i);
    items.push_back("{\"type\":" + json_string(sdrs_quota_type(raw, i)) +
                    ",\"used\":" + (used < 0 ? "null" : std::to_string(used)) +
                    ",\"limit\":" + limit_json(raw, i, sdrs_quota_limit) +
                    ",\"min\":" + limit_json(raw, i, sdrs_quota_min) +
                    ",\"max\":" + limit_json(raw, i, sdrs_quota_max) + "}");
    rows.push_back({or_dash(sdrs_quota_type(raw, i)), count_or_dash(used),
                    limit_text(raw, i, sdrs_quota_limit), limit_text(raw, i, sdrs_quota_min),
                    limit_text(raw, i, sdrs_quota_max)});
  }
  if (ctx.json())
    std::cout << "{\"resources\":" << json_array(items) << "}\n";
  else
    print_table({"RESOURCE", "USED", "LIMIT", "MIN", "MAX"}, rows);
  return 0;
}

}  // namespace

std::vector<CommandSpec> quota_commands() {
  return {
      {"quota",
       "",
       0,
       0,
       "Show the project's quotas: resources used and their limit (\"unlimited\" when the "
       "service sets none). MIN and MAX bound what the limit may be set to.",
       {},
       {"sdrs quota", "sdrs quota --json | jq '.resources[] | select(.type == \"replications\")'"},
       cmd_quota},
  };
}

}  // namespace sdrscli
