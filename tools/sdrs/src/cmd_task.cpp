// sdrs task ...: the task center (the records the service keeps of failed jobs, listed and
// deleted here once the failure has been dealt with).
#include <iostream>

#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {

namespace {

using ListFilterSetter = int (*)(sdrs_task_list_opts *, const char *, sdrs_error **);

TaskListOptsPtr list_opts(const ParsedArgs &args) {
  static const std::pair<const char *, ListFilterSetter> kFilters[] = {
      {"--group", sdrs_task_list_opts_set_server_group_id},
      {"--failure-status", sdrs_task_list_opts_set_failure_status},
      {"--resource-type", sdrs_task_list_opts_set_resource_type},
      {"--resource-name", sdrs_task_list_opts_set_resource_name},
  };
  sdrs_task_list_opts *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_task_list_opts_new(&raw, &err), &err);
  TaskListOptsPtr opts(raw);
  if (auto limit = args.int_value("--limit"))
    check(sdrs_task_list_opts_set_limit(raw, *limit, &err), &err);
  if (auto offset = args.int_value("--offset"))
    check(sdrs_task_list_opts_set_offset(raw, *offset, &err), &err);
  for (const auto &[flag, setter] : kFilters) {
    if (const char *v = args.value(flag)) check(setter(raw, v, &err), &err);
  }
  return opts;
}

std::vector<std::string> task_row(const sdrs_task *task) {
  return {or_dash(sdrs_task_job_id(task)),         or_dash(sdrs_task_job_type(task)),
          or_dash(sdrs_task_resource_type(task)),  or_dash(sdrs_task_resource_name(task)),
          or_dash(sdrs_task_failure_status(task)), or_dash(sdrs_task_error_code(task)),
          or_dash(sdrs_task_begin_time(task))};
}

// One page is read through the iterator too (it stops after --limit records), as pg list.
int cmd_list(Context &ctx, const ParsedArgs &args) {
  TaskListOptsPtr opts = list_opts(args);
  const bool all = args.flag("--all");
  const int64_t page_size = args.int_value("--limit").value_or(1000);  // the service default
  sdrs_task_iter *raw = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_task_iter_new(&raw, ctx.client(), opts.get(), &err), &err);
  TaskIterPtr iter(raw);
  std::vector<std::string> json_items;
  std::vector<std::vector<std::string>> rows;
  int64_t count = 0;
  while (all || count < page_size) {
    CallOptsPtr call = ctx.call_opts();
    const sdrs_task *task = nullptr;
    check(sdrs_task_iter_next(&task, iter.get(), call.get(), &err), &err);
    if (!task) break;
    // task is only valid until the next call: copy what is printed now.
    if (ctx.json())
      json_items.push_back(json_or_null(sdrs_task_json(task)));
    else
      rows.push_back(task_row(task));
    ++count;
  }
  if (ctx.json())
    std::cout << "{\"count\":" << count << ",\"failure_jobs\":" << json_array(json_items) << "}\n";
  else
    print_table({"JOB_ID", "JOB_TYPE", "RESOURCE_TYPE", "RESOURCE_NAME", "FAILURE_STATUS",
                 "ERROR_CODE", "BEGIN_TIME"},
                rows);
  return 0;
}

// What a delete did (the service answers 204 with no body and no count).
void print_deleted(Context &ctx, const std::string &what) {
  if (ctx.json())
    std::cout << "{\"deleted\":" << json_string(what.c_str()) << "}\n";
  else
    std::cout << "deleted " << what << "\n";
}

int cmd_delete(Context &ctx, const ParsedArgs &args) {
  const std::string &id = args.positional().at(0);
  CallOptsPtr call = ctx.call_opts();
  sdrs_error *err = nullptr;
  check(sdrs_task_delete(ctx.client(), id.c_str(), call.get(), &err), &err);
  print_deleted(ctx, "failed task " + id);
  return 0;
}

int cmd_delete_group(Context &ctx, const ParsedArgs &args) {
  const std::string &group = args.positional().at(0);
  CallOptsPtr call = ctx.call_opts();
  sdrs_error *err = nullptr;
  check(sdrs_task_delete_group(ctx.client(), group.c_str(), call.get(), &err), &err);
  print_deleted(ctx, "the failed tasks in group " + group);
  return 0;
}

int cmd_delete_group_level(Context &ctx, const ParsedArgs &) {
  CallOptsPtr call = ctx.call_opts();
  sdrs_error *err = nullptr;
  check(sdrs_task_delete_group_level(ctx.client(), call.get(), &err), &err);
  print_deleted(ctx, "the group-level failed tasks");
  return 0;
}

}  // namespace

std::vector<CommandSpec> task_commands() {
  return {
      {"task list",
       "",
       0,
       0,
       "List failed tasks of the task center (one page, or every page with --all). Without "
       "--group: the group-level failures (group create, delete, actions); with --group: the "
       "failures of that group's instances, pairs and drills.",
       {
           {"--limit", "N", "page size, 1..1000"},
           {"--offset", "N", "records to skip"},
           {"--group", "ID", "failures inside this group (server_group_id)"},
           {"--failure-status", "STATUS", "e.g. createFail, deleteFail (failure_status)"},
           {"--resource-type", "TYPE",
            "server_groups, protected_instances, replications or disaster_recovery_drills"},
           {"--resource-name", "TEXT", "resource name contains TEXT (resource_name)"},
           {"--all", nullptr, "fetch every page (--limit sets the page size)"},
       },
       {"sdrs task list --group e882d302-26a2-4790-8432-3d3b87f43712 --failure-status createFail",
        "sdrs task list --all --json | jq -r '.failure_jobs[].job_id'"},
       cmd_list},
      {"task delete",
       "JOB_ID",
       1,
       1,
       "Delete one failed-task record, named by its job id (the failed job itself stays).",
       {},
       {"sdrs task delete 0123456789abcdef0123456789abcdef"},
       cmd_delete},
      {"task delete-group",
       "GROUP_ID",
       1,
       1,
       "Delete the failed-task records of the instances, pairs and drills in one group.",
       {},
       {"sdrs task delete-group e882d302-26a2-4790-8432-3d3b87f43712"},
       cmd_delete_group},
      {"task delete-group-level",
       "",
       0,
       0,
       "Delete the group-level failed-task records (those task list shows without --group); "
       "the records inside groups stay.",
       {},
       {"sdrs task delete-group-level"},
       cmd_delete_group_level},
  };
}

}  // namespace sdrscli
