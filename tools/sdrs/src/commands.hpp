// Command tables of each command group; all_commands() (args.hpp) concatenates them.
#ifndef SDRS_CLI_COMMANDS_HPP
#define SDRS_CLI_COMMANDS_HPP

#include <vector>

#include "args.hpp"

namespace sdrscli {

std::vector<CommandSpec> pg_commands();      // cmd_pg.cpp
std::vector<CommandSpec> pi_commands();      // cmd_pi.cpp
std::vector<CommandSpec> pair_commands();    // cmd_pair.cpp
std::vector<CommandSpec> drill_commands();   // cmd_drill.cpp
std::vector<CommandSpec> tag_commands();     // cmd_tag.cpp
std::vector<CommandSpec> task_commands();    // cmd_task.cpp
std::vector<CommandSpec> quota_commands();   // cmd_quota.cpp
std::vector<CommandSpec> job_commands();     // cmd_job.cpp
std::vector<CommandSpec> domain_commands();  // cmd_info.cpp
std::vector<CommandSpec> info_commands();    // cmd_info.cpp: version, api-versions
std::vector<CommandSpec> auth_commands();    // cmd_auth.cpp: auth token

}  // namespace sdrscli

#endif  // SDRS_CLI_COMMANDS_HPP
