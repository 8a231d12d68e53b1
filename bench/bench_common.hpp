// What the benchmark programs that drive an sdrs-emulator share: starting one next to the
// program, its admin HTTP calls, reading numbers from its JSON answers, a client of it, and
// process figures from /proc.
#pragma once

#include <curl/curl.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sdrs.h"

namespace bench {

// The emulator's project id and fixed token.
constexpr const char *kEmulatorProject = "0123456789abcdef0123456789abcdef";
constexpr const char *kEmulatorToken = "emulator-token";

int64_t wall_ms();

// VALUE of "KEY: VALUE kB" (or a plain count, e.g. Threads) in /proc/self/status; -1 if absent.
long status_kib(const char *key);

// The integers after each occurrence of "key": in a JSON text, in order.
std::vector<long long> json_ints(const std::string &json, const std::string &key);

// sdrs-emulator in the directory of argv0 (the build puts both in bin/).
std::string emulator_next_to(const char *argv0);

struct Emulator {
  pid_t pid = 0;      // 0: not started, see error
  std::string base;   // http://127.0.0.1:PORT
  std::string error;  // why it did not start
};

// Starts the emulator at path on a free loopback port with these options added to
// --port 0 --port-file F; waits up to 10 s for its port. hide_stdout keeps its
// "listening on" line out of the program's report.
Emulator start_emulator(const std::string &path, const std::vector<std::string> &options,
                        bool hide_stdout);

struct AdminAnswer {
  CURLcode rc = CURLE_OK;
  long status = 0;  // HTTP status when rc is CURLE_OK
  std::string body;
};

// One admin call (plain libcurl, JSON body when body is not empty, no proxy), timeout_ms 0 =
// none. The emulator's /_emulator paths are never faulted nor counted as API requests.
AdminAnswer admin_call(const std::string &url, const char *method, const std::string &body,
                       long timeout_ms);

// A client of the emulator at base: plain HTTP allowed, its project and token;
// max_response_bytes 0 keeps the library's default. Returns 0, or the code with *err set.
int emulator_client(sdrs_client **out, const std::string &base, int64_t max_response_bytes,
                    sdrs_error **err);

}  // namespace bench
