// sdrs pg ...: protection groups.
#include <iostream>

#include "async.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

using SpecSetter = int (*)(sdrs_pg_spec *, const char *, sdrs_error **);
using ListFilterSetter = int (*)(sdrs_pg_list_opts *, const char *, sdrs_error **);
using GroupAction = int (*)(char **, sdrs_client *, const char *, const sdrs_call_opts *,
                            sdrs_error **);

const std::string &group_id_arg(const ParsedArgs &args) {
  return args.positional().at(0);
}

// The create options that build the spec, each with its setter (also read by find-created).
const std::vector<std::pair<const char *, SpecSetter>> &spec_options() {
  static const std::vector<std::pair<const char *, SpecSetter>> kSetters = {
      {"--name", sdrs_pg_spec_set_name},           {"--description", sdrs_pg_spec_set_description},
      {"--source-az", sdrs_pg_spec_set_source_az}, {"--target-az", sdrs_pg_spec_set_target_az},
      {"--domain-id", sdrs_pg_spec_set_domain_id}, {"--vpc-id", sdrs_pg_spec_set_source_vpc_id},
      {"--dr-type", sdrs_pg_spec_set_dr_type},     {"--server-type", sdrs_pg_spec_set_server_type},
  };
  return kSetters;
}

PgSpecPtr spec_from(const ParsedArgs &args) {
  sdrs_pg_spec *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pg_spec_new(&raw, &err), &err);
  PgSpecPtr spec(raw);
  for (const auto &[flag, setter] : spec_options()) {
    if (const char *v = args.value(flag)) check(setter(spec.get(), v, &err), &err);
  }
  return spec;
}

// A lost create is settled by `pg find-created` with the create's own spec options.
Context::OutcomeCheck create_outcome_check(const Context &ctx, const ParsedArgs &args) {
  std::vector<std::string> words = {"pg", "find-created"};
  for (const auto &option : spec_options()) {
    if (const char *v = args.value(option.first)) {
      words.emplace_back(option.first);
      words.emplace_back(v);
    }
  }
  return [&ctx, words](int64_t sent_at_ms) {
    std::vector<std::string> line = words;
    line.emplace_back("--since");
    line.emplace_back(std::to_string(sent_at_ms));
    return "To find the group this create made, run:\n  " + ctx.command_line(line) +
           "\nIt prints the group (which may still be creating), or exits 4 with "
           "SDRS_ENOTFOUND when the create made none: then creating it again is safe.";
  };
}

int cmd_create(Context &ctx, const ParsedArgs &args) {
  PgSpecPtr spec = spec_from(args);
  sdrs_client *client = ctx.client();
  ctx.set_outcome_check(create_outcome_check(ctx, args));
  return run_async_action(
      ctx, args,
      [&](char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_pg_create(job_id, client, spec.get(), opts, e);
      },
      kShowGroup);
}

int cmd_find_created(Context &ctx, const ParsedArgs &args) {
  PgSpecPtr spec = spec_from(args);
  const int64_t since_ms = *args.int_value("--since");
  CallOptsPtr call = ctx.call_opts();
  sdrs_pg *raw = nullptr;
  sdrs_error *err = nullptr;
  // Not found (SDRS_ENOTFOUND, exit 4): the library's message says creating again is safe.
  check(sdrs_pg_find_created(&raw, ctx.client(), spec.get(), since_ms, call.get(), &err), &err);
  PgPtr pg(raw);
  print_pg(pg.get(), ctx.json());
  return 0;
}

int cmd_show(Context &ctx, const ParsedArgs &args) {
  PgPtr pg = fetch_pg(ctx, group_id_arg(args));
  print_pg(pg.get(), ctx.json());
  return 0;
}

PgListOptsPtr list_opts(const ParsedArgs &args) {
  static const std::pair<const char *, ListFilterSetter> kFilters[] = {
      {"--status", sdrs_pg_list_opts_set_status},
      {"--name", sdrs_pg_list_opts_set_name},
      {"--query-type", sdrs_pg_list_opts_set_query_type},
      {"--az", sdrs_pg_list_opts_set_availability_zone},
  };
  sdrs_pg_list_opts *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pg_list_opts_new(&raw, &err), &err);
  PgListOptsPtr opts(raw);
  if (auto limit = args.int_value("--limit"))
    check(sdrs_pg_list_opts_set_limit(raw, *limit, &err), &err);
  if (auto offset = args.int_value("--offset"))
    check(sdrs_pg_list_opts_set_offset(raw, *offset, &err), &err);
  for (const auto &[flag, setter] : kFilters) {
    if (const char *v = args.value(flag)) check(setter(raw, v, &err), &err);
  }
  return opts;
}

// Uses the iterator for one page too (it stops after --limit groups, i.e. one request), so the
// output does not depend on the page-handle API.
int cmd_list(Context &ctx, const ParsedArgs &args) {
  PgListOptsPtr opts = list_opts(args);
  const bool all = args.flag("--all");
  const int64_t page_size = args.int_value("--limit").value_or(1000);  // the service default
  sdrs_pg_iter *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pg_iter_new(&raw, ctx.client(), opts.get(), &err), &err);
  PgIterPtr iter(raw);
  std::vector<std::string> json_items;
  std::vector<std::vector<std::string>> rows;
  int64_t count = 0;
  while (all || count < page_size) {
    CallOptsPtr call = ctx.call_opts();
    const sdrs_pg *pg = nullptr;
    check(sdrs_pg_iter_next(&pg, iter.get(), call.get(), &err), &err);
    if (!pg) break;
    // pg is only valid until the next call: copy what is printed now.
    if (ctx.json())
      json_items.push_back(json_or_null(sdrs_pg_json(pg)));
    else
      rows.push_back(pg_row(pg));
    ++count;
  }
  if (ctx.json())
    std::cout << "{\"count\":" << count << ",\"server_groups\":" << json_array(json_items) << "}\n";
  else
    print_table(pg_table_headers(), rows);
  return 0;
}

int cmd_rename(Context &ctx, const ParsedArgs &args) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_pg *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pg_rename(&raw, ctx.client(), group_id_arg(args).c_str(),
                       args.positional().at(1).c_str(), call.get(), &err),
        &err);
  PgPtr pg(raw);
  print_pg(pg.get(), ctx.json());
  return 0;
}

const ActionTarget kGroups = {"pg", "group id", "server_group_id", true};

// delete, enable, disable and failover differ only in the library call and what to show.
template <GroupAction Action, const ShowSpec &Show>
int cmd_group_action(Context &ctx, const ParsedArgs &args) {
  sdrs_client *client = ctx.client();
  return run_async_actions(
      ctx, args, kGroups,
      [&](const std::string &id, char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return Action(job_id, client, id.c_str(), opts, e);
      },
      Show);
}

int cmd_planned_failover(Context &ctx, const ParsedArgs &args) {
  const char *station = args.value("--priority-station");
  sdrs_client *client = ctx.client();
  return run_async_actions(
      ctx, args, kGroups,
      [&](const std::string &id, char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_pg_planned_failover(job_id, client, id.c_str(), station, opts, e);
      },
      kShowGroup);
}

}  // namespace

std::vector<CommandSpec> pg_commands() {
  return {
      {"pg create",
       "",
       0,
       0,
       "Create a protection group. Prints the job id; with --wait waits for the job and prints "
       "the job and the created group.",
       with_wait_options({
           {"--name", "NAME", "group name: 1..64 of A-Z a-z 0-9 . _ -", true},
           {"--source-az", "AZ", "production-site availability zone", true},
           {"--target-az", "AZ", "DR-site availability zone (differs from --source-az)", true},
           {"--domain-id", "ID", "active-active domain id (see 'sdrs domain list')", true},
           {"--vpc-id", "ID", "VPC id of the production site", true},
           {"--description", "TEXT", "free text, at most 64 bytes, no '<' or '>'"},
           {"--dr-type", "TYPE", "deployment model (default migration)"},
           {"--server-type", "TYPE", "server type (ECS)"},
       }),
       {"sdrs pg create --name erp-prod --source-az eu-de-01 --target-az eu-de-02 \\\n"
        "      --domain-id 5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11 --vpc-id vpc-erp --wait"},
       cmd_create},
      {"pg find-created",
       "",
       0,
       0,
       "Find the group that a create with an unknown outcome (exit 7) made. Creates nothing: "
       "give the create's options and --since, the send time the failed create printed. Prints the "
       "group; exits 4 (SDRS_ENOTFOUND) when the create made none, "
       "and then creating it again is safe.",
       {
           {"--name", "NAME", "the create's group name", true},
           {"--source-az", "AZ", "the create's production-site availability zone", true},
           {"--target-az", "AZ", "the create's DR-site availability zone", true},
           {"--domain-id", "ID", "the create's active-active domain id", true},
           {"--vpc-id", "ID", "the create's production-site VPC id", true},
           {"--description", "TEXT", "the create's description (not compared)"},
           {"--dr-type", "TYPE", "the create's deployment model (not compared)"},
           {"--server-type", "TYPE", "the create's server type (not compared)"},
           {"--since", "MS", "when the create was sent, Unix milliseconds", true},
       },
       {"sdrs pg find-created --name erp-prod --source-az eu-de-01 --target-az eu-de-02 \\\n"
        "      --domain-id 5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11 --vpc-id vpc-erp \\\n"
        "      --since 1765101600123"},
       cmd_find_created},
      {"pg show",
       "ID",
       1,
       1,
       "Show one protection group.",
       {},
       {"sdrs pg show e882d302-26a2-4790-8432-3d3b87f43712",
        "sdrs pg show e882d302-26a2-4790-8432-3d3b87f43712 --json | jq -r .status"},
       cmd_show},
      {"pg list",
       "",
       0,
       0,
       "List protection groups (one page, or every page with --all).",
       {
           {"--limit", "N", "page size, 1..1000"},
           {"--offset", "N", "groups to skip"},
           {"--status", "STATUS", "only groups in this status (e.g. protected)"},
           {"--name", "TEXT", "only groups whose name contains TEXT"},
           {"--query-type", "TYPE",
            "general, status_abnormal, stop_protected or period_no_dr_drill"},
           {"--az", "AZ", "only groups whose current production site is in AZ"},
           {"--all", nullptr, "fetch every page (--limit sets the page size)"},
       },
       {"sdrs pg list --status protected",
        "sdrs pg list --all --limit 100 --json | jq -r '.server_groups[].id'"},
       cmd_list},
      {"pg rename",
       "ID NEW_NAME",
       2,
       2,
       "Rename a protection group (synchronous).",
       {},
       {"sdrs pg rename e882d302-26a2-4790-8432-3d3b87f43712 erp-prod-2"},
       cmd_rename},
      {"pg delete",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Delete protection groups. Several ids start one job each; with --wait they are "
       "followed together (see 'sdrs job wait').",
       with_wait_options({}),
       {"sdrs pg delete e882d302-26a2-4790-8432-3d3b87f43712 --wait",
        "sdrs pg delete $G1 $G2 $G3 --wait --json | jq -r '.[] | [.id, .status] | @tsv'"},
       cmd_group_action<sdrs_pg_delete, kShowNothing>},
      {"pg enable",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Enable protection (or re-enable it after a failover): start-server-group. Several ids "
       "start one job each; with --wait they are followed together.",
       with_wait_options({}),
       {"sdrs pg enable e882d302-26a2-4790-8432-3d3b87f43712 --wait --timeout 600"},
       cmd_group_action<sdrs_pg_enable, kShowGroup>},
      {"pg disable",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Disable protection: stop-server-group. Several ids start one job each; with --wait they "
       "are followed together.",
       with_wait_options({}),
       {"sdrs pg disable e882d302-26a2-4790-8432-3d3b87f43712 --wait"},
       cmd_group_action<sdrs_pg_disable, kShowGroup>},
      {"pg failover",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Unplanned failover to the DR site: failover-server-group. Several ids start one job "
       "each; with --wait they are followed together.",
       with_wait_options({}),
       {"sdrs pg failover e882d302-26a2-4790-8432-3d3b87f43712 --wait",
        "sdrs pg failover $(sdrs pg list --all --json | jq -r '.server_groups[].id') --wait"},
       cmd_group_action<sdrs_pg_failover, kShowGroup>},
      {"pg planned-failover",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Planned failover (switchover) or failback: reverse-server-group. The site named by "
       "--priority-station becomes production. Several ids start one job each; with --wait "
       "they are followed together.",
       with_wait_options(
           {{"--priority-station", "source|target", "the site that becomes production", true}}),
       {"sdrs pg planned-failover e882d302-26a2-4790-8432-3d3b87f43712 --priority-station target "
        "--wait",
        "sdrs pg planned-failover e882d302-26a2-4790-8432-3d3b87f43712 --priority-station source "
        "--wait"},
       cmd_planned_failover},
  };
}

}  // namespace sdrscli
