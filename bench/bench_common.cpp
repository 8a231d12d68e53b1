#include "bench_common.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

extern char **environ;

namespace bench {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

long status_kib(const char *key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const size_t klen = std::strlen(key);
  while (std::getline(f, line)) {
    if (line.compare(0, klen, key) == 0 && line.size() > klen && line[klen] == ':') {
      return std::strtol(line.c_str() + klen + 1, nullptr, 10);
    }
  }
  return -1;
}

std::vector<long long> json_ints(const std::string &json, const std::string &key) {
  std::vector<long long> out;
  const std::string k = "\"" + key + "\":";
  for (size_t p = json.find(k); p != std::string::npos; p = json.find(k, p + 1)) {
    out.push_back(std::strtoll(json.c_str() + p + k.size(), nullptr, 10));
  }
  return out;
}

std::string emulator_next_to(const char *argv0) {
  std::string dir(argv0);
  const size_t slash = dir.rfind('/');
  dir = slash == std::string::npos ? "." : dir.substr(0, slash);
  return dir + "/sdrs-emulator";
}

Emulator start_emulator(const std::string &path, const std::vector<std::string> &options,
                        bool hide_stdout) {
  Emulator emu;
  char dir_template[] = "/tmp/sdrs-bench-XXXXXX";
  const char *dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    emu.error = std::string("mkdtemp: ") + std::strerror(errno);
    return emu;
  }
  const std::string port_file = std::string(dir) + "/port";
  std::vector<std::string> args = {path, "--port", "0", "--port-file", port_file};
  args.insert(args.end(), options.begin(), options.end());
  std::vector<char *> cargs;
  for (auto &a : args) cargs.push_back(&a[0]);
  cargs.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (hide_stdout) posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  const int rc = posix_spawn(&emu.pid, path.c_str(), &actions, nullptr, cargs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int port = 0;
  if (rc != 0) {
    emu.pid = 0;
    emu.error = "cannot start " + path + " (--emulator PATH): " + std::strerror(rc);
  } else {
    for (int i = 0; i < 200 && port == 0; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::ifstream f(port_file);
      f >> port;
    }
    if (port == 0) {
      kill(emu.pid, SIGKILL);
      emu.pid = 0;
      emu.error = "the emulator did not start";
    }
  }
  std::remove(port_file.c_str());
  rmdir(dir);
  if (port != 0) emu.base = "http://127.0.0.1:" + std::to_string(port);
  return emu;
}

namespace {
size_t collect(char *p, size_t size, size_t n, void *ud) {
  static_cast<std::string *>(ud)->append(p, size * n);
  return size * n;
}
}  // namespace

AdminAnswer admin_call(const std::string &url, const char *method, const std::string &body,
                       long timeout_ms) {
  AdminAnswer answer;
  CURL *h = curl_easy_init();
  curl_slist *hdrs = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  if (!body.empty()) curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  answer.rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(h);
  return answer;
}

int emulator_client(sdrs_client **out, const std::string &base, int64_t max_response_bytes,
                    sdrs_error **err) {
  *out = nullptr;
  sdrs_config *cfg = nullptr;
  int rc = sdrs_config_new(&cfg, err);
  if (rc == 0) rc = sdrs_config_set_allow_http(cfg, 1, err);
  if (rc == 0) rc = sdrs_config_set_endpoint(cfg, base.c_str(), err);
  if (rc == 0) rc = sdrs_config_set_project_id(cfg, kEmulatorProject, err);
  if (rc == 0) rc = sdrs_config_set_token(cfg, kEmulatorToken, err);
  if (rc == 0 && max_response_bytes > 0) {
    rc = sdrs_config_set_max_response_bytes(cfg, max_response_bytes, err);
  }
  if (rc == 0) rc = sdrs_client_new(out, cfg, err);
  sdrs_config_free(cfg);
  return rc;
}

}  // namespace bench
