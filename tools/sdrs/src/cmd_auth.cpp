// `sdrs auth token`: prints a valid IAM token for scripts (e.g. curl -H "X-Auth-Token: ...").
#include <cstring>
#include <iostream>

#include "commands.hpp"
#include "context.hpp"
#include "output.hpp"

namespace sdrscli {
namespace {

int cmd_auth_token(Context &ctx, const ParsedArgs &) {
  sdrs_client *client = ctx.client();
  CallOptsPtr opts = ctx.call_opts();
  char *token = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_client_token(&token, client, opts.get(), &err), &err);
  if (ctx.json()) {
    char *project = nullptr;
    check(sdrs_client_project_id(&project, client, opts.get(), &err), &err);
    std::cout << "{\"token\":" << json_string(token) << ",\"project_id\":" << json_string(project)
              << "}\n";
    sdrs_string_free(project);
  } else {
    std::cout << token << "\n";
  }
  std::cout.flush();
  sdrs_string_free(token);  // wipes it
  return 0;
}

}  // namespace

std::vector<CommandSpec> auth_commands() {
  return {{"auth token",
           "",
           0,
           0,
           "Print a valid IAM token (from --token, or requested from IAM with a password).",
           {},
           {"curl -H \"X-Auth-Token: $(sdrs auth token)\" "
            "\"$SDRS_ENDPOINT/v1/$OS_PROJECT_ID/server-groups\"",
            "sdrs auth token --json | jq -r .project_id"},
           cmd_auth_token}};
}

}  // namespace sdrscli
