// The emulator's command line (README, "Command line").
#ifndef SDRS_EMULATOR_OPTIONS_HPP
#define SDRS_EMULATOR_OPTIONS_HPP

#include <string>
#include <vector>

#include "emulator.hpp"

namespace emu {

struct CommandLine {
  Options emulator;  // what the state machine needs
  int port = 0;      // 0: any free port
  int threads = 256;
  std::string port_file;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::vector<std::string> fault_rules;  // JSON, checked when installed
  bool quiet = false;
};

// Parses argv into *out. Returns -1 when start-up should go on, else the exit code to return
// at once (0 after --help, 2 after a bad option; the usage or message is already printed).
int parse_command_line(int argc, char **argv, CommandLine *out);
void print_usage(const char *argv0);

}  // namespace emu

#endif  // SDRS_EMULATOR_OPTIONS_HPP
