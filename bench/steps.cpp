// sdrs-bench-steps: instructions counted natively, on this CPU, by single-stepping a child
// process under ptrace. Why: this machine has no PMU (perf cannot count instructions), and
// valgrind hides the CPU's SHA extensions, so under callgrind OpenSSL hashes with its AVX2 code
// (about 1,800 instructions per SHA-256 block instead of about 170 with SHA-NI). The AK/SK
// signer's target (issue 20) is about the signer as it runs, so it is counted here as well.
//
// How: the child runs the work `--warmup` times, stops itself (SIGUSR1), runs it `--reps`
// times, and stops again (SIGUSR2); the parent single-steps everything in between, one trap per
// user-space instruction. The same with zero repetitions gives the markers' own steps, which
// are subtracted. A `rep`-prefixed string instruction traps once per iteration (a PMU counts
// it once); glibc uses them only for copies of kilobytes, which none of the measured work does.
//
// The requests signed are the ones sdrs-bench-e2e --auth aksk makes (same path, headers in the
// order the client adds them, body), so the figures sit beside its callgrind ones.
#include <openssl/sha.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "auth/signer.hpp"
#include "core/resources/job.hpp"
#include "fixtures.hpp"

namespace {

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "sdrs-bench-steps: %s\n", msg.c_str());
  std::exit(2);
}

// Single-steps `work` run `reps` times in a child; returns the steps between the markers.
long steps_between_markers(const std::function<void()> &work, long warmup, long reps) {
  const pid_t pid = fork();
  if (pid < 0) die(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) _exit(3);
    raise(SIGSTOP);
    for (long i = 0; i < warmup; ++i) work();
    raise(SIGUSR1);
    for (long i = 0; i < reps; ++i) work();
    raise(SIGUSR2);
    _exit(0);
  }
  int status = 0;
  auto wait_stop = [&]() {
    if (waitpid(pid, &status, 0) != pid) die(std::string("waitpid: ") + std::strerror(errno));
    if (!WIFSTOPPED(status))
      die("the child ended before its marker (status " + std::to_string(status) + ")");
    return WSTOPSIG(status);
  };
  if (wait_stop() != SIGSTOP) die("expected the child's SIGSTOP");
  ptrace(PTRACE_SETOPTIONS, pid, nullptr, reinterpret_cast<void *>(PTRACE_O_EXITKILL));
  // Run freely to the first marker (signals other than the markers are passed on).
  ptrace(PTRACE_CONT, pid, nullptr, nullptr);
  for (int sig = wait_stop(); sig != SIGUSR1; sig = wait_stop()) {
    ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void *>(static_cast<long>(sig)));
  }
  long steps = 0;
  for (;;) {
    if (ptrace(PTRACE_SINGLESTEP, pid, nullptr, nullptr) != 0) {
      die(std::string("PTRACE_SINGLESTEP: ") + std::strerror(errno));
    }
    const int sig = wait_stop();
    if (sig == SIGUSR2) break;
    if (sig != SIGTRAP) die("unexpected signal " + std::to_string(sig) + " while stepping");
    ++steps;
  }
  ptrace(PTRACE_CONT, pid, nullptr, nullptr);
  waitpid(pid, &status, 0);
  return steps;
}

// Instructions per run of `work`: (steps of `reps` runs - steps of none) / reps.
double instructions_per_run(const std::function<void()> &work, long warmup, long reps) {
  const long base = steps_between_markers(work, warmup, 0);
  const long total = steps_between_markers(work, warmup, reps);
  return static_cast<double>(total - base) / static_cast<double>(reps);
}

}  // namespace

int main(int argc, char **argv) {
  using sdrs::bench::kAccessKey;
  using sdrs::bench::kCreateBody;
  using sdrs::bench::kJobBody;
  using sdrs::bench::kProject;
  using sdrs::bench::kSecretKey;
  long reps = 10;
  long warmup = 50;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) {
      reps = std::atol(argv[++i]);
    } else if (a == "--warmup" && i + 1 < argc) {
      warmup = std::atol(argv[++i]);
    } else {
      die("usage: sdrs-bench-steps [--reps N] [--warmup N]");
    }
  }
  if (reps < 1 || warmup < 1) die("--reps and --warmup must be at least 1");

  // The client's signer, keyed once, with the headers in the order the client adds them
  // (Client::prepare_request, then Authenticator::apply).
  const sdrs::auth::AccessSigner signer(kAccessKey, kSecretKey);
  const std::string date = "20261207T201500Z";
  const std::vector<std::pair<std::string, std::string>> create_headers = {
      {"X-Project-Id", kProject},
      {"Host", "127.0.0.1:40000"},
      {"Content-Type", "application/json"},
      {"X-Sdk-Date", date}};
  const std::vector<std::pair<std::string, std::string>> poll_headers = {
      {"X-Project-Id", kProject}, {"Host", "127.0.0.1:40000"}, {"X-Sdk-Date", date}};
  const std::string create_path = std::string("/v1/") + kProject + "/server-groups";
  const std::string poll_path =
      std::string("/v1/") + kProject + "/jobs/4e6f2a91c0d84b7fa13e58d2b7c9a045";
  const std::string body = kCreateBody;
  std::string authorization;
  const double sign_create = instructions_per_run(
      [&]() { signer.sign(authorization, "POST", create_path, "", create_headers, body, date); },
      warmup, reps);
  const double sign_poll = instructions_per_run(
      [&]() { signer.sign(authorization, "GET", poll_path, "", poll_headers, "", date); }, warmup,
      reps);

  // OpenSSL's SHA-256 per 64-byte block, over 16 KiB (its SHA-NI code where the CPU has it).
  std::vector<unsigned char> data(16 * 1024, 'a');
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const double sha_block =
      instructions_per_run([&]() { SHA256(data.data(), data.size(), digest); }, 5, 2) /
      (static_cast<double>(data.size()) / 64);

  // A code path without SHA, to set beside its callgrind figure: decode_job plus the job's
  // destruction (one free) and the call through std::function.
  const std::string job_body = kJobBody;
  const double job_decode = instructions_per_run(
      [&]() {
        const sdrs::Job job = sdrs::decode_job(job_body);
        if (job.json().empty()) die("decode_job");
      },
      warmup, reps * 2);

  std::printf("sign_create_instructions=%.0f\n", sign_create);
  std::printf("sign_poll_instructions=%.0f\n", sign_poll);
  std::printf("sha256_block_instructions=%.1f\n", sha_block);
  std::printf("job_decode_instructions=%.0f\n", job_decode);
  return 0;
}
