// sdrs domain list, sdrs version, sdrs api-versions.
#include <iostream>

#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

int cmd_domain_list(Context &ctx, const ParsedArgs &) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_domain_list *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_domain_list_get(&raw, ctx.client(), call.get(), &err), &err);
  DomainListPtr list(raw);
  if (ctx.json()) {
    std::cout << json_or_null(sdrs_domain_list_json(raw)) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < sdrs_domain_list_size(raw); ++i) {
    const sdrs_domain *d = sdrs_domain_list_at(raw, i);
    int sold_out = sdrs_domain_sold_out(d);
    rows.push_back({or_dash(sdrs_domain_id(d)), or_dash(sdrs_domain_name(d)),
                    or_dash(sdrs_domain_local_az(d)), or_dash(sdrs_domain_remote_az(d)),
                    sold_out < 0 ? "-" : (sold_out ? "yes" : "no")});
  }
  print_table({"ID", "NAME", "LOCAL_AZ", "REMOTE_AZ", "SOLD_OUT"}, rows);
  return 0;
}

int cmd_version(Context &ctx, const ParsedArgs &) {
  if (ctx.json()) {
    std::cout << "{\"library_version\":" << json_string(sdrs_version())
              << ",\"library_version_number\":" << sdrs_version_number()
              << ",\"built_against\":" << json_string(SDRS_VERSION_STRING)
              << ",\"abi\":" << SDRS_ABI_VERSION << "}\n";
  } else {
    std::cout << "libsdrs " << sdrs_version() << " (sdrs built against " << SDRS_VERSION_STRING
              << ", ABI " << SDRS_ABI_VERSION << ")\n";
  }
  return 0;
}

int cmd_api_versions(Context &ctx, const ParsedArgs &) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_apiversion_list *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_apiversion_list_get(&raw, ctx.client(), call.get(), &err), &err);
  ApiVersionListPtr list(raw);
  std::vector<std::string> items;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < sdrs_apiversion_list_size(raw); ++i) {
    const sdrs_apiversion *v = sdrs_apiversion_list_at(raw, i);
    items.push_back(json_or_null(sdrs_apiversion_json(v)));
    rows.push_back({or_dash(sdrs_apiversion_id(v)), or_dash(sdrs_apiversion_status(v)),
                    or_dash(sdrs_apiversion_version(v)), or_dash(sdrs_apiversion_min_version(v)),
                    or_dash(sdrs_apiversion_updated(v)), or_dash(sdrs_apiversion_self_link(v))});
  }
  if (ctx.json())
    std::cout << "{\"versions\":" << json_array(items) << "}\n";
  else
    print_table({"ID", "STATUS", "VERSION", "MIN_VERSION", "UPDATED", "LINK"}, rows);
  return 0;
}

}  // namespace

std::vector<CommandSpec> domain_commands() {
  return {{"domain list",
           "",
           0,
           0,
           "List the active-active domains.",
           {},
           {"sdrs domain list",
            "sdrs domain list --json | jq -r '.domains[] | select(.sold_out | not) | .id'"},
           cmd_domain_list}};
}

std::vector<CommandSpec> info_commands() {
  return {
      {"version",
       "",
       0,
       0,
       "Print the libsdrs version (needs no endpoint).",
       {},
       {"sdrs version", "sdrs version --json"},
       cmd_version},
      {"api-versions",
       "",
       0,
       0,
       "List the API versions the endpoint serves.",
       {},
       {"sdrs api-versions", "sdrs api-versions --json | jq -r '.versions[].id'"},
       cmd_api_versions},
  };
}

}  // namespace sdrscli
