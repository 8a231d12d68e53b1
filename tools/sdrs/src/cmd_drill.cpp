// sdrs drill ...: DR drills (a rehearsal of a failover: the service starts one drill server
// per protected instance of a group in a separate VPC; production keeps running).
#include <iostream>

#include "async.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

using ListFilterSetter = int (*)(sdrs_drill_list_opts *, const char *, sdrs_error **);

const std::string &drill_id_arg(const ParsedArgs &args) {
  return args.positional().at(0);
}

KeyValues drill_fields(const sdrs_drill *drill) {
  KeyValues kv = {
      {"id", or_dash(sdrs_drill_id(drill))},
      {"name", or_dash(sdrs_drill_name(drill))},
      {"status", or_dash(sdrs_drill_status_str(drill))},
      {"server_group_id", or_dash(sdrs_drill_server_group_id(drill))},
      {"drill_vpc_id", or_dash(sdrs_drill_drill_vpc_id(drill))},
      {"created_at", or_dash(sdrs_drill_created_at(drill))},
      {"updated_at", or_dash(sdrs_drill_updated_at(drill))},
  };
  // One line per drill server: the protected instance it copies, then its own ECS id.
  for (size_t i = 0; i < sdrs_drill_server_count(drill); ++i) {
    kv.emplace_back("drill_server[" + std::to_string(i) + "]",
                    or_dash(sdrs_drill_server_instance_id(drill, i)) + " " +
                        or_dash(sdrs_drill_server_id(drill, i)));
  }
  return kv;
}

const std::vector<std::string> &drill_table_headers() {
  static const std::vector<std::string> kHeaders = {"ID",    "NAME",      "STATUS",
                                                    "GROUP", "DRILL_VPC", "SERVERS"};
  return kHeaders;
}

std::vector<std::string> drill_row(const sdrs_drill *drill) {
  return {or_dash(sdrs_drill_id(drill)),           or_dash(sdrs_drill_name(drill)),
          or_dash(sdrs_drill_status_str(drill)),   or_dash(sdrs_drill_server_group_id(drill)),
          or_dash(sdrs_drill_drill_vpc_id(drill)), std::to_string(sdrs_drill_server_count(drill))};
}

void print_drill(const sdrs_drill *drill, bool json) {
  if (json)
    std::cout << json_or_null(sdrs_drill_json(drill)) << "\n";
  else
    print_key_values(drill_fields(drill));
}

DrillPtr fetch_drill(Context &ctx, const std::string &drill_id) {
  CallOptsPtr opts = ctx.call_opts();
  sdrs_drill *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_drill_get(&raw, ctx.client(), drill_id.c_str(), opts.get(), &err), &err);
  return DrillPtr(raw);
}

Shown shown_drill(Context &ctx, const std::string &id) {
  DrillPtr drill = fetch_drill(ctx, id);
  return {json_or_null(sdrs_drill_json(drill.get())), drill_fields(drill.get())};
}

const ShowSpec kShowDrill = {"disaster_recovery_drill", "disaster_recovery_drill_id", shown_drill};

int cmd_create(Context &ctx, const ParsedArgs &args) {
  sdrs_drill_spec *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_drill_spec_new(&raw, &err), &err);
  DrillSpecPtr spec(raw);
  check(sdrs_drill_spec_set_server_group_id(raw, args.value("--group"), &err), &err);
  check(sdrs_drill_spec_set_name(raw, args.value("--name"), &err), &err);
  if (const char *vpc = args.value("--drill-vpc"))
    check(sdrs_drill_spec_set_drill_vpc_id(raw, vpc, &err), &err);
  sdrs_client *client = ctx.client();
  std::string list = ctx.command_line(
      {"drill", "list", "--group", args.value("--group"), "--name", args.value("--name")});
  ctx.set_outcome_check([list](int64_t) {
    return "To find the drill this create made, run:\n  " + list +
           "\n(--json shows created_at). None: creating it again is safe.";
  });
  return run_async_action(
      ctx, args,
      [&](char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_drill_create(job_id, client, spec.get(), opts, e);
      },
      kShowDrill);
}

int cmd_show(Context &ctx, const ParsedArgs &args) {
  DrillPtr drill = fetch_drill(ctx, drill_id_arg(args));
  print_drill(drill.get(), ctx.json());
  return 0;
}

DrillListOptsPtr list_opts(const ParsedArgs &args) {
  static const std::pair<const char *, ListFilterSetter> kFilters[] = {
      {"--group", sdrs_drill_list_opts_set_server_group_id},
      {"--name", sdrs_drill_list_opts_set_name},
      {"--status", sdrs_drill_list_opts_set_status},
      {"--drill-vpc", sdrs_drill_list_opts_set_drill_vpc_id},
  };
  sdrs_drill_list_opts *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_drill_list_opts_new(&raw, &err), &err);
  DrillListOptsPtr opts(raw);
  if (auto limit = args.int_value("--limit"))
    check(sdrs_drill_list_opts_set_limit(raw, *limit, &err), &err);
  if (auto offset = args.int_value("--offset"))
    check(sdrs_drill_list_opts_set_offset(raw, *offset, &err), &err);
  for (const auto &[flag, setter] : kFilters) {
    if (const char *v = args.value(flag)) check(setter(raw, v, &err), &err);
  }
  return opts;
}

// One page is read through the iterator too (it stops after --limit drills), as pg list.
int cmd_list(Context &ctx, const ParsedArgs &args) {
  DrillListOptsPtr opts = list_opts(args);
  const bool all = args.flag("--all");
  const int64_t page_size = args.int_value("--limit").value_or(1000);  // the service default
  sdrs_drill_iter *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_drill_iter_new(&raw, ctx.client(), opts.get(), &err), &err);
  DrillIterPtr iter(raw);
  std::vector<std::string> json_items;
  std::vector<std::vector<std::string>> rows;
  int64_t count = 0;
  while (all || count < page_size) {
    CallOptsPtr call = ctx.call_opts();
    const sdrs_drill *drill = nullptr;
    check(sdrs_drill_iter_next(&drill, iter.get(), call.get(), &err), &err);
    if (!drill) break;
    // drill is only valid until the next call: copy what is printed now.
    if (ctx.json())
      json_items.push_back(json_or_null(sdrs_drill_json(drill)));
    else
      rows.push_back(drill_row(drill));
    ++count;
  }
  if (ctx.json()) {
    std::cout << "{\"count\":" << count
              << ",\"disaster_recovery_drills\":" << json_array(json_items) << "}\n";
  } else {
    print_table(drill_table_headers(), rows);
  }
  return 0;
}

int cmd_rename(Context &ctx, const ParsedArgs &args) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_drill *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_drill_rename(&raw, ctx.client(), drill_id_arg(args).c_str(),
                          args.positional().at(1).c_str(), call.get(), &err),
        &err);
  DrillPtr drill(raw);
  print_drill(drill.get(), ctx.json());
  return 0;
}

int cmd_delete(Context &ctx, const ParsedArgs &args) {
  sdrs_client *client = ctx.client();
  return run_async_actions(
      ctx, args, {"drill", "drill id", "disaster_recovery_drill_id", true},
      [&](const std::string &id, char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_drill_delete(job_id, client, id.c_str(), opts, e);
      },
      kShowNothing);
}

}  // namespace

std::vector<CommandSpec> drill_commands() {
  return {
      {"drill create",
       "",
       0,
       0,
       "Start a DR drill: the service starts one drill server per protected instance of the "
       "group in a drill VPC, production keeps running. Prints the job id; with --wait the job "
       "and the drill with its drill servers.",
       with_wait_options({
           {"--group", "ID", "protection group (server_group_id)", true},
           {"--name", "NAME", "drill name: 1..64 of A-Z a-z 0-9 . _ -", true},
           {"--drill-vpc", "ID",
            "VPC for the drill servers (drill_vpc_id): not the group's, same subnets; "
            "default: the service makes one"},
       }),
       {"sdrs drill create --group e882d302-26a2-4790-8432-3d3b87f43712 --name rehearsal \\\n"
        "      --drill-vpc c0000000-0000-4000-8000-00000000000c --wait"},
       cmd_create},
      {"drill show",
       "ID",
       1,
       1,
       "Show one DR drill and its drill servers (protected instance, drill server id).",
       {},
       {"sdrs drill show 4f2a6c8e-1b3d-4e5f-a7b9-c1d3e5f7a9b2",
        "sdrs drill show \"$DRILL\" --json | jq -r '.drill_servers[].drill_server_id'"},
       cmd_show},
      {"drill list",
       "",
       0,
       0,
       "List DR drills (one page, or every page with --all).",
       {
           {"--limit", "N", "page size, 1..1000"},
           {"--offset", "N", "drills to skip"},
           {"--group", "ID", "only drills of this group (server_group_id)"},
           {"--name", "TEXT", "only drills whose name contains TEXT"},
           {"--status", "STATUS", "only drills in this status (e.g. available)"},
           {"--drill-vpc", "ID", "only the drill in this VPC (drill_vpc_id)"},
           {"--all", nullptr, "fetch every page (--limit sets the page size)"},
       },
       {"sdrs drill list --group e882d302-26a2-4790-8432-3d3b87f43712",
        "sdrs drill list --all --json | jq -r '.disaster_recovery_drills[].id'"},
       cmd_list},
      {"drill rename",
       "ID NEW_NAME",
       2,
       2,
       "Rename a DR drill (synchronous).",
       {},
       {"sdrs drill rename 4f2a6c8e-1b3d-4e5f-a7b9-c1d3e5f7a9b2 rehearsal-2"},
       cmd_rename},
      {"drill delete",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Delete DR drills and their drill servers (the drill VPCs stay). Several ids start one "
       "job each; with --wait they are followed together.",
       with_wait_options({}),
       {"sdrs drill delete 4f2a6c8e-1b3d-4e5f-a7b9-c1d3e5f7a9b2 --wait"},
       cmd_delete},
  };
}

}  // namespace sdrscli
