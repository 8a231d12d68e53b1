// sdrs pi ...: protected instances (a production server put into a protection group, with
// its DR server, DR disks and one replication pair per disk).
#include <iostream>

#include "async.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

using SpecSetter = int (*)(sdrs_pi_spec *, const char *, sdrs_error **);
using ListFilterSetter = int (*)(sdrs_pi_list_opts *, const char *, sdrs_error **);

const std::string &instance_id_arg(const ParsedArgs &args) {
  return args.positional().at(0);
}

// "KEY=VALUE" of a --tag option (the value may be empty; the first '=' splits).
std::pair<std::string, std::string> split_tag(const std::string &text) {
  auto eq = text.find('=');
  if (eq == std::string::npos)
    throw UsageError("--tag: expected KEY=VALUE, got '" + text + "'", "pi create");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

int cmd_create(Context &ctx, const ParsedArgs &args) {
  static const std::pair<const char *, SpecSetter> kSetters[] = {
      {"--group", sdrs_pi_spec_set_server_group_id},
      {"--server", sdrs_pi_spec_set_server_id},
      {"--name", sdrs_pi_spec_set_name},
      {"--description", sdrs_pi_spec_set_description},
      {"--primary-subnet", sdrs_pi_spec_set_primary_subnet_id},
      {"--primary-ip", sdrs_pi_spec_set_primary_ip_address},
      {"--flavor", sdrs_pi_spec_set_flavor_ref},
  };
  sdrs_pi_spec *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pi_spec_new(&raw, &err), &err);
  PiSpecPtr spec(raw);
  for (const auto &[flag, setter] : kSetters) {
    if (const char *v = args.value(flag)) check(setter(spec.get(), v, &err), &err);
  }
  for (const auto &tag : args.values("--tag")) {
    auto [key, value] = split_tag(tag);
    check(sdrs_pi_spec_add_tag(spec.get(), key.c_str(), value.c_str(), &err), &err);
  }
  sdrs_client *client = ctx.client();
  std::string list = ctx.command_line(
      {"pi", "list", "--group", args.value("--group"), "--name", args.value("--name")});
  std::string server = args.value("--server");
  ctx.set_outcome_check([list, server](int64_t) {
    return "To find the instance this create made, run:\n  " + list +
           "\nand look for the one whose source_server is " + server +
           " (--json shows created_at). None: creating it again is safe.";
  });
  return run_async_action(
      ctx, args,
      [&](char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_pi_create(job_id, client, spec.get(), opts, e);
      },
      kShowInstance);
}

int cmd_show(Context &ctx, const ParsedArgs &args) {
  PiPtr pi = fetch_pi(ctx, instance_id_arg(args));
  print_pi(pi.get(), ctx.json());
  return 0;
}

PiListOptsPtr list_opts(const ParsedArgs &args) {
  static const std::pair<const char *, ListFilterSetter> kFilters[] = {
      {"--group", sdrs_pi_list_opts_set_server_group_id},
      {"--status", sdrs_pi_list_opts_set_status},
      {"--name", sdrs_pi_list_opts_set_name},
      {"--query-type", sdrs_pi_list_opts_set_query_type},
      {"--az", sdrs_pi_list_opts_set_availability_zone},
  };
  static const std::pair<const char *, ListFilterSetter> kIdLists[] = {
      {"--group-id", sdrs_pi_list_opts_add_server_group_id},
      {"--instance-id", sdrs_pi_list_opts_add_instance_id},
  };
  sdrs_pi_list_opts *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pi_list_opts_new(&raw, &err), &err);
  PiListOptsPtr opts(raw);
  if (auto limit = args.int_value("--limit"))
    check(sdrs_pi_list_opts_set_limit(raw, *limit, &err), &err);
  if (auto offset = args.int_value("--offset"))
    check(sdrs_pi_list_opts_set_offset(raw, *offset, &err), &err);
  for (const auto &[flag, setter] : kFilters) {
    if (const char *v = args.value(flag)) check(setter(raw, v, &err), &err);
  }
  for (const auto &[flag, adder] : kIdLists) {
    for (const auto &id : args.values(flag)) check(adder(raw, id.c_str(), &err), &err);
  }
  return opts;
}

// One page is read through the iterator too (it stops after --limit instances), as pg list.
int cmd_list(Context &ctx, const ParsedArgs &args) {
  PiListOptsPtr opts = list_opts(args);
  const bool all = args.flag("--all");
  const int64_t page_size = args.int_value("--limit").value_or(1000);  // the service default
  sdrs_pi_iter *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pi_iter_new(&raw, ctx.client(), opts.get(), &err), &err);
  PiIterPtr iter(raw);
  std::vector<std::string> json_items;
  std::vector<std::vector<std::string>> rows;
  int64_t count = 0;
  while (all || count < page_size) {
    CallOptsPtr call = ctx.call_opts();
    const sdrs_pi *pi = nullptr;
    check(sdrs_pi_iter_next(&pi, iter.get(), call.get(), &err), &err);
    if (!pi) break;
    // pi is only valid until the next call: copy what is printed now.
    if (ctx.json())
      json_items.push_back(json_or_null(sdrs_pi_json(pi)));
    else
      rows.push_back(pi_row(pi));
    ++count;
  }
  if (ctx.json()) {
    std::cout << "{\"count\":" << count << ",\"protected_instances\":" << json_array(json_items)
              << "}\n";
  } else {
    print_table(pi_table_headers(), rows);
  }
  return 0;
}

int cmd_rename(Context &ctx, const ParsedArgs &args) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_pi *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pi_rename(&raw, ctx.client(), instance_id_arg(args).c_str(),
                       args.positional().at(1).c_str(), call.get(), &err),
        &err);
  PiPtr pi(raw);
  print_pi(pi.get(), ctx.json());
  return 0;
}

// Runs one asynchronous call on the instance named by the first argument; shows the instance
// afterwards unless `show` says otherwise.
template <typename Call>
int instance_action(Context &ctx, const ParsedArgs &args, const ShowSpec &show, Call call) {
  const std::string &id = instance_id_arg(args);
  sdrs_client *client = ctx.client();
  ctx.set_outcome_check(action_outcome_check(ctx, "pi", id));
  return run_async_action(
      ctx, args,
      [&](char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return call(job_id, client, id.c_str(), opts, e);
      },
      show, id);
}

int cmd_delete(Context &ctx, const ParsedArgs &args) {
  const int delete_server = args.flag("--delete-target-server") ? 1 : 0;
  const int delete_eip = args.flag("--delete-target-eip") ? 1 : 0;
  sdrs_client *client = ctx.client();
  return run_async_actions(
      ctx, args, {"pi", "instance id", "protected_instance_id", true},
      [&](const std::string &id, char **job_id, const sdrs_call_opts *opts, sdrs_error **e) {
        return sdrs_pi_delete(job_id, client, id.c_str(), delete_server, delete_eip, opts, e);
      },
      kShowNothing);
}

int cmd_attach(Context &ctx, const ParsedArgs &args) {
  const char *pair = args.value("--pair");
  const char *device = args.value("--device");
  return instance_action(
      ctx, args, kShowInstance,
      [&](char **job_id, sdrs_client *client, const char *id, const sdrs_call_opts *opts,
          sdrs_error **e) { return sdrs_pi_attach(job_id, client, id, pair, device, opts, e); });
}

int cmd_detach(Context &ctx, const ParsedArgs &args) {
  const char *pair = args.value("--pair");
  return instance_action(
      ctx, args, kShowInstance,
      [&](char **job_id, sdrs_client *client, const char *id, const sdrs_call_opts *opts,
          sdrs_error **e) { return sdrs_pi_detach(job_id, client, id, pair, opts, e); });
}

int cmd_add_nic(Context &ctx, const ParsedArgs &args) {
  sdrs_pi_nic_spec *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pi_nic_spec_new(&raw, &err), &err);
  PiNicSpecPtr nic(raw);
  check(sdrs_pi_nic_spec_set_subnet_id(raw, args.value("--subnet"), &err), &err);
  if (const char *ip = args.value("--ip"))
    check(sdrs_pi_nic_spec_set_ip_address(raw, ip, &err), &err);
  for (const auto &sg : args.values("--security-group"))
    check(sdrs_pi_nic_spec_add_security_group(raw, sg.c_str(), &err), &err);
  return instance_action(
      ctx, args, kShowInstance,
      [&](char **job_id, sdrs_client *client, const char *id, const sdrs_call_opts *opts,
          sdrs_error **e) { return sdrs_pi_add_nic(job_id, client, id, nic.get(), opts, e); });
}

int cmd_delete_nic(Context &ctx, const ParsedArgs &args) {
  const char *nic = args.value("--nic");
  return instance_action(
      ctx, args, kShowInstance,
      [&](char **job_id, sdrs_client *client, const char *id, const sdrs_call_opts *opts,
          sdrs_error **e) { return sdrs_pi_delete_nic(job_id, client, id, nic, opts, e); });
}

int cmd_resize(Context &ctx, const ParsedArgs &args) {
  const char *both = args.value("--flavor");
  const char *production = args.value("--production-flavor");
  const char *dr = args.value("--dr-flavor");
  return instance_action(ctx, args, kShowInstance,
                         [&](char **job_id, sdrs_client *client, const char *id,
                             const sdrs_call_opts *opts, sdrs_error **e) {
                           return sdrs_pi_resize(job_id, client, id, both, production, dr, opts, e);
                         });
}

}  // namespace

std::vector<CommandSpec> pi_commands() {
  return {
      {"pi create",
       "",
       0,
       0,
       "Protect a server: create a protected instance in a group. The service also creates the "
       "DR server, its disks and one replication pair per disk. Prints the job id; with --wait "
       "the job and the created instance.",
       with_wait_options({
           {"--group", "ID", "protection group (server_group_id), available or protected", true},
           {"--server", "ID", "production-site ECS server (server_id)", true},
           {"--name", "NAME", "instance name: 1..64 of A-Z a-z 0-9 . _ -", true},
           {"--description", "TEXT", "free text, at most 64 bytes, no '<' or '>'"},
           {"--primary-subnet", "ID", "network id of the DR server's primary NIC subnet"},
           {"--primary-ip", "IP", "IPv4 address of that NIC (needs --primary-subnet)"},
           {"--flavor", "REF", "ECS flavor of the DR server (flavorRef; default: the server's)"},
           {"--tag", "KEY=VALUE", "initial tag (at most 20)", false, true},
       }),
       {"sdrs pi create --group e882d302-26a2-4790-8432-3d3b87f43712 \\\n"
        "      --server 5e000000-0000-4000-8000-000000000001 --name app-1 --tag env=prod --wait"},
       cmd_create},
      {"pi show",
       "ID",
       1,
       1,
       "Show one protected instance (servers, attached pairs, tags, metadata).",
       {},
       {"sdrs pi show 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e",
        "sdrs pi show 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e --json | jq -r .target_server"},
       cmd_show},
      {"pi list",
       "",
       0,
       0,
       "List protected instances (one page, or every page with --all).",
       {
           {"--limit", "N", "page size, 1..1000"},
           {"--offset", "N", "instances to skip"},
           {"--group", "ID", "only instances of this group (server_group_id)"},
           {"--group-id", "ID",
            "only instances of any of these groups (server_group_ids, at most 30; overrides "
            "--group)",
            false, true},
           {"--instance-id", "ID",
            "only these instances (protected_instance_ids, at most 30; ignored with a group "
            "filter)",
            false, true},
           {"--status", "STATUS", "only instances in this status (e.g. protected)"},
           {"--name", "TEXT", "only instances whose name contains TEXT"},
           {"--query-type", "TYPE", "general or status_abnormal"},
           {"--az", "AZ", "only instances whose group's current production site is in AZ"},
           {"--all", nullptr, "fetch every page (--limit sets the page size)"},
       },
       {"sdrs pi list --group e882d302-26a2-4790-8432-3d3b87f43712",
        "sdrs pi list --all --status protected --json | jq -r '.protected_instances[].id'"},
       cmd_list},
      {"pi rename",
       "ID NEW_NAME",
       2,
       2,
       "Rename a protected instance (synchronous).",
       {},
       {"sdrs pi rename 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e app-1-old"},
       cmd_rename},
      {"pi delete",
       "ID [ID ...]",
       1,
       kAnyNumberOfIds,
       "Delete protected instances (stop protecting the servers; a production server is never "
       "deleted). Several ids start one job each; with --wait they are followed together (see "
       "'sdrs job wait').",
       with_wait_options({
           {"--delete-target-server", nullptr,
            "also delete the DR server and its disks (delete_target_server)"},
           {"--delete-target-eip", nullptr, "also release the DR server's EIP (delete_target_eip)"},
       }),
       {"sdrs pi delete 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e --delete-target-server --wait"},
       cmd_delete},
      {"pi attach",
       "ID",
       1,
       1,
       "Attach a replication pair of the same group to the instance; this is how a shared "
       "disk is protected.",
       with_wait_options({
           {"--pair", "ID", "the replication pair (replication_id)", true},
           {"--device", "DEVICE", "device name on both servers, e.g. /dev/vdc (device)", true},
       }),
       {"sdrs pi attach 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e \\\n"
        "      --pair 3c9a1f5e-8b2d-4e6f-a7c0-1d3e5f7a9b2c --device /dev/vdc --wait"},
       cmd_attach},
      {"pi detach",
       "ID",
       1,
       1,
       "Detach a replication pair from the instance (a system disk needs the production server "
       "stopped).",
       with_wait_options({{"--pair", "ID", "the replication pair (replication_id)", true}}),
       {"sdrs pi detach 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e \\\n"
        "      --pair 3c9a1f5e-8b2d-4e6f-a7c0-1d3e5f7a9b2c --wait"},
       cmd_detach},
      {"pi add-nic",
       "ID",
       1,
       1,
       "Add a NIC to the DR server. With --wait the job's nic_id names the new NIC.",
       with_wait_options({
           {"--subnet", "ID", "network id of the subnet, in the group's VPC (subnet_id)", true},
           {"--ip", "IP", "IPv4 address in the subnet (ip_address; default: assigned)"},
           {"--security-group", "ID",
            "security group id (security_groups; default: the default group)", false, true},
       }),
       {"sdrs pi add-nic 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e \\\n"
        "      --subnet 6f1e3a5c-7b9d-4f2e-8a0c-2e4f6a8c0b1d --ip 192.168.0.50 --wait"},
       cmd_add_nic},
      {"pi delete-nic",
       "ID",
       1,
       1,
       "Delete a non-primary NIC of the DR server.",
       with_wait_options({{"--nic", "ID", "the NIC's port id (nic_id)", true}}),
       {"sdrs pi delete-nic 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e \\\n"
        "      --nic 0d2f4b6e-8a1c-4e3f-b5d7-9f1a3c5e7b2d --wait"},
       cmd_delete_nic},
      {"pi resize",
       "ID",
       1,
       1,
       "Change the flavors of the servers. --flavor sets both, --production-flavor and "
       "--dr-flavor one each; a server whose flavor changes must be stopped.",
       with_wait_options({
           {"--flavor", "REF", "flavor of both servers (flavorRef)"},
           {"--production-flavor", "REF", "flavor of the production server (production_flavorRef)"},
           {"--dr-flavor", "REF", "flavor of the DR server (dr_flavorRef)"},
       }),
       {"sdrs pi resize 8b4e2d6a-0c1f-4a3b-9d5e-7f6a8b9c0d1e --dr-flavor s3.xlarge.2 --wait"},
       cmd_resize},
  };
}

}  // namespace sdrscli
