// sdrs pair ...: replication pairs (a production disk and its DR disk). Instances pair their
// own disks; explicit pairs are for shared disks, attached with `sdrs pi attach`.
#include <iostream>

#include "async.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

using SpecSetter = int (*)(sdrs_pair_spec *, const char *, sdrs_error **);
using ListFilterSetter = int (*)(sdrs_pair_list_opts *, const char *, sdrs_error **);

const std::string &pair_id_arg(const ParsedArgs &args) {
  return args.positional().at(0);
}

int cmd_create(Context &ctx, const ParsedArgs &args) {
  static const std::pair<const char *, SpecSetter> kSetters[] = {
      {"--group", sdrs_pair_spec_set_server_group_id},
      {"--volume", sdrs_pair_spec_set_volume_id},
      {"--name", sdrs_pair_spec_set_name},
      {"--description", sdrs_pair_spec_set_description},
      {"--cluster", sdrs_pair_spec_set_cluster_id},
  };
  sdrs_pair_spec *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pair_spec_new(&raw, &err), &err);
  PairSpecPtr spec(raw);
  for (const auto &[flag, setter] : kSetters) {
    if (const char *v = args.value(flag)) check(setter(spec.get(), v, &err), &err);
  }
  sdrs_client *client = ctx.client();
  std::string list = ctx.command_line(
      {"pair", "list", "--group", args.value("--group"), "--name", args.value("--name")});
  std::string volume = args.value("--volume");
  ctx.set_outcome_check([list, volume](int64_t) {
    return "To find the pair this create made, run:\n  " + list +
           "\nand look for the one whose production_volume_id is " + volume +
           " (--json shows created_at). None: creating it again is safe.";
  });
  return run_async_action(
      ctx, args,
      [&](char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_pair_create(job_id, client, spec.get(), opts, e);
      },
      kShowPair);
}

int cmd_show(Context &ctx, const ParsedArgs &args) {
  PairPtr pair = fetch_pair(ctx, pair_id_arg(args));
  print_pair(pair.get(), ctx.json());
  return 0;
}

PairListOptsPtr list_opts(const ParsedArgs &args) {
  static const std::pair<const char *, ListFilterSetter> kFilters[] = {
      {"--group", sdrs_pair_list_opts_set_server_group_id},
      {"--instance", sdrs_pair_list_opts_set_instance_id},
      {"--name", sdrs_pair_list_opts_set_name},
      {"--status", sdrs_pair_list_opts_set_status},
      {"--query-type", sdrs_pair_list_opts_set_query_type},
      {"--az", sdrs_pair_list_opts_set_availability_zone},
      {"--volume", sdrs_pair_list_opts_set_volume_id},
  };
  static const std::pair<const char *, ListFilterSetter> kIdLists[] = {
      {"--group-id", sdrs_pair_list_opts_add_server_group_id},
      {"--instance-id", sdrs_pair_list_opts_add_instance_id},
  };
  sdrs_pair_list_opts *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pair_list_opts_new(&raw, &err), &err);
  PairListOptsPtr opts(raw);
  if (auto limit = args.int_value("--limit"))
    check(sdrs_pair_list_opts_set_limit(raw, *limit, &err), &err);
  if (auto offset = args.int_value("--offset"))
    check(sdrs_pair_list_opts_set_offset(raw, *offset, &err), &err);
  for (const auto &[flag, setter] : kFilters) {
    if (const char *v = args.value(flag)) check(setter(raw, v, &err), &err);
  }
  for (const auto &[flag, adder] : kIdLists) {
    for (const auto &id : args.values(flag)) check(adder(raw, id.c_str(), &err), &err);
  }
  return opts;
}

// One page is read through the iterator too (it stops after --limit pairs), as pg list.
int cmd_list(Context &ctx, const ParsedArgs &args) {
  PairListOptsPtr opts = list_opts(args);
  const bool all = args.flag("--all");
  const int64_t page_size = args.int_value("--limit").value_or(1000);  // the service default
  sdrs_pair_iter *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pair_iter_new(&raw, ctx.client(), opts.get(), &err), &err);
  PairIterPtr iter(raw);
  std::vector<std::string> json_items;
  std::vector<std::vector<std::string>> rows;
  int64_t count = 0;
  while (all || count < page_size) {
    CallOptsPtr call = ctx.call_opts();
    const sdrs_pair *pair = nullptr;
    check(sdrs_pair_iter_next(&pair, iter.get(), call.get(), &err), &err);
    if (!pair) break;
    // pair is only valid until the next call: copy what is printed now.
    if (ctx.json())
      json_items.push_back(json_or_null(sdrs_pair_json(pair)));
    else
      rows.push_back(pair_row(pair));
    ++count;
  }
  if (ctx.json())
    std::cout << "{\"count\":" << count << ",\"replications\":" << json_array(json_items) << "}\n";
  else
    print_table(pair_table_headers(), rows);
  return 0;
}

int cmd_rename(Context &ctx, const ParsedArgs &args) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_pair *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pair_rename(&raw, ctx.client(), pair_id_arg(args).c_str(),
                         args.positional().at(1).c_str(), call.get(), &err),
        &err);
  PairPtr pair(raw);
  print_pair(pair.get(), ctx.json());
  return 0;
}

int cmd_delete(Context &ctx, const ParsedArgs &args) {
  const char *group = args.value("--group");
  const int delete_volume = args.flag("--delete-target-volume") ? 1 : 0;
  sdrs_client *client = ctx.client();
  return run_async_actions(
      ctx, args, {"pair", "pair id", "replication_id", false},
      [&](const std::string &id, char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_pair_delete(job_id, client, id.c_str(), group, delete_volume, opts, e);
      },
      kShowNothing);
}

int cmd_expand(Context &ctx, const ParsedArgs &args) {
  const std::string &id = pair_id_arg(args);
  const int64_t new_size = *args.int_value("--new-size");
  sdrs_client *client = ctx.client();
  ctx.set_outcome_check(action_outcome_check(ctx, "pair", id));
  return run_async_action(
      ctx, args,
      [&](char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_pair_expand(job_id, client, id.c_str(), new_size, opts, e);
      },
      kShowPair, id);
}

}  // namespace

std::vector<CommandSpec> pair_commands() {
  return {
      {"pair create",
       "",
       0,
       0,
       "Create a replication pair for a production disk (meant for shared disks; protected "
       "instances pair their own disks). Prints the job id; with --wait the job and the pair.",
       with_wait_options({
           {"--group", "ID", "protection group (server_group_id), available or protected", true},
           {"--volume", "ID", "production-site EVS disk, available and unencrypted (volume_id)",
            true},
           {"--name", "NAME", "pair name: 1..64 of A-Z a-z 0-9 . _ -", true},
           {"--description", "TEXT", "free text, at most 64 bytes, no '<' or '>'"},
           {"--cluster", "ID", "dedicated storage pool (cluster_id; some regions only)"},
       }),
       {"sdrs pair create --group e882d302-26a2-4790-8432-3d3b87f43712 \\\n"
        "      --volume d0000000-0000-4000-8000-000000000020 --name shared-1 --wait"},
       cmd_create},
      {"pair show",
       "ID",
       1,
       1,
       "Show one replication pair (disks, size, replication status, attachments).",
       {},
       {"sdrs pair show 3c9a1f5e-8b2d-4e6f-a7c0-1d3e5f7a9b2c",
        "sdrs pair show 3c9a1f5e-8b2d-4e6f-a7c0-1d3e5f7a9b2c --json | jq -r .replication_status"},
       cmd_show},
      {"pair list",
       "",
       0,
       0,
       "List replication pairs (one page, or every page with --all).",
       {
           {"--limit", "N", "page size, 1..1000"},
           {"--offset", "N", "pairs to skip"},
           {"--group", "ID", "only pairs of this group (server_group_id)"},
           {"--group-id", "ID",
            "only pairs of any of these groups (server_group_ids, at most 30; overrides --group)",
            false, true},
           {"--instance", "ID", "only pairs attached to this instance (protected_instance_id)"},
           {"--instance-id", "ID",
            "only pairs attached to any of these instances (protected_instance_ids, at most 30; "
            "overrides --instance)",
            false, true},
           {"--name", "TEXT", "only pairs whose name contains TEXT"},
           {"--status", "STATUS", "only pairs in this status (e.g. protected)"},
           {"--query-type", "TYPE", "general or status_abnormal"},
           {"--az", "AZ", "only pairs whose group's current production site is in AZ"},
           {"--volume", "ID", "only the pair of this disk (volume_id; some regions only)"},
           {"--all", nullptr, "fetch every page (--limit sets the page size)"},
       },
       {"sdrs pair list --group e882d302-26a2-4790-8432-3d3b87f43712",
        "sdrs pair list --instance 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e --json | "
        "jq -r '.replications[].id'"},
       cmd_list},
      {"pair rename",
       "ID NEW_NAME",
       2,
       2,
       "Rename a replication pair (synchronous).",
       {},
       {"sdrs pair rename 3c9a1f5e-8b2d-4e6f-a7c0-1d3e5f7a9b2c shared-data"},
       cmd_rename},
      {"pair delete",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Delete replication pairs; they must not be attached (a production disk is never "
       "deleted). Several ids start one job each; with --wait they are followed together.",
       with_wait_options({
           {"--group", "ID",
            "the pair's protection group, checked by the service (server_group_id)"},
           {"--delete-target-volume", nullptr,
            "also delete the DR-site disk (delete_target_volume)"},
       }),
       {"sdrs pair delete 3c9a1f5e-8b2d-4e6f-a7c0-1d3e5f7a9b2c --delete-target-volume --wait"},
       cmd_delete},
      {"pair expand",
       "ID",
       1,
       1,
       "Grow both disks of the pair to a new total size (extend-replication).",
       with_wait_options({
           {"--new-size", "GB",
            "the new size in GB, 1..32768 and above the current size (new_size)", true},
       }),
       {"sdrs pair expand 3c9a1f5e-8b2d-4e6f-a7c0-1d3e5f7a9b2c --new-size 200 --wait"},
       cmd_expand},
  };
}

}  // namespace sdrscli
