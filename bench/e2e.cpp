// End-to-end driver against the emulator: per iteration a create, a job poll, or both, either
// through libsdrs (public C API, one client shared by all threads) or through a minimal
// hand-written libcurl loop making the same HTTP exchanges (one easy handle per thread: the
// transport limit).
//
//   sdrs-bench-e2e --mode sdrs|curl|both --url http://127.0.0.1:PORT [--threads N]
//                  [--iterations N] [--warmup N] [--call both|create|poll] [--auth token|aksk]
//                  [--ca-file FILE] [--emulator-pid PID] [--token-bytes N] [--locks] [--block N]
//
// --mode both runs the raw loop and libsdrs in one process, in alternating blocks of --block
// (250) iterations per thread: all threads run the same side between two barriers, the order
// within each pair of blocks alternates, and each side's figures are summed over its own blocks
// (--iterations each). Both sides then meet the same machine within tens of milliseconds,
// where separate runs seconds apart met whatever the shared machine did then. It prints one
// line per side (the raw loop's first), with the same keys.
//
// --call poll polls one job (created before the warm-up) over and over. --auth aksk signs every
// request (SDK-HMAC-SHA256): libsdrs with its own signer, the raw loop with the one below, written
// from the spec (auth.md section 1) with the care a hand-written hot loop would take: algorithms
// fetched once, the HMAC keyed once, one reused canonical-request buffer.
//
// Prints one line of key=value pairs (last line). Counts over the whole run (warm-up included):
// TCP connect() calls and OpenSSL SSL_new() calls of this process (both interposed below, so
// libcurl's calls are seen whichever API drives it). Counts for the timed phase only: operator
// new calls (C++ allocations: libsdrs; libcurl is C), malloc-family calls (everything), process
// CPU time, the emulator's CPU time when its pid is given, and with --locks lock contention:
// every pthread_mutex_lock / pthread_rwlock_{rd,wr}lock of the process (std::mutex, libcurl's
// share callbacks, OpenSSL) is interposed and tried first; a lock that was busy counts as
// contended and the time spent waiting for it is summed, and one "lock_site" line per calling
// address that met contention (object file and offset, for addr2line) comes before the last
// line. Without --locks the interposed functions only forward (the counting costs instructions).
#include <curl/curl.h>
#include <dlfcn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "sdrs.h"

// ---- counters (interposition) ---------------------------------------------------------------

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_connects{0};
std::atomic<long> g_ssl_new{0};
std::atomic<long> g_news{0};
std::atomic<long> g_mallocs{0};
bool g_count_locks = false;              // --locks
std::atomic<long> g_locks{0};            // lock calls in the timed phase
std::atomic<long> g_locks_contended{0};  // of which found the lock busy
std::atomic<long> g_lock_wait_ns{0};     // time spent waiting for the busy ones

// Contended lock calls per calling address (open addressing, never resized: the sites are few).
constexpr size_t kLockSites = 256;
std::atomic<uintptr_t> g_site_addr[kLockSites];
std::atomic<long> g_site_count[kLockSites];
std::atomic<long> g_site_wait_ns[kLockSites];

long long now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

void note_contention(void *caller, long long waited_ns) {
  g_locks_contended.fetch_add(1, std::memory_order_relaxed);
  g_lock_wait_ns.fetch_add(waited_ns, std::memory_order_relaxed);
  const auto addr = reinterpret_cast<uintptr_t>(caller);
  for (size_t i = (addr >> 4) % kLockSites, n = 0; n < kLockSites; ++n, i = (i + 1) % kLockSites) {
    uintptr_t seen = 0;
    if (g_site_addr[i].compare_exchange_strong(seen, addr) || seen == addr) {
      g_site_count[i].fetch_add(1, std::memory_order_relaxed);
      g_site_wait_ns[i].fetch_add(waited_ns, std::memory_order_relaxed);
      return;
    }
  }
}

// Tries the lock first; when it is busy, counts the contention (per caller) and times the wait.
template <typename Try, typename Lock>
int counted_lock(void *caller, Try try_lock, Lock lock) {
  if (!g_count_locks || !g_counting.load(std::memory_order_relaxed)) return lock();
  g_locks.fetch_add(1, std::memory_order_relaxed);
  const int rc = try_lock();
  if (rc != EBUSY) return rc;
  const long long t0 = now_ns();
  const int locked = lock();
  note_contention(caller, now_ns() - t0);
  return locked;
}
}  // namespace

extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);

// Every malloc-family call of the process (libcurl, OpenSSL, libstdc++ for operator new).
void *malloc(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void free(void *p) {
  __libc_free(p);
}

// glibc exports the implementations under these names too (as compatibility versions), so no
// dlsym is needed at the first lock (dlsym may itself take locks).
__asm__(".symver __pthread_mutex_lock,__pthread_mutex_lock@GLIBC_2.2.5");
__asm__(".symver __pthread_rwlock_rdlock,__pthread_rwlock_rdlock@GLIBC_2.2.5");
__asm__(".symver __pthread_rwlock_wrlock,__pthread_rwlock_wrlock@GLIBC_2.2.5");
int __pthread_mutex_lock(pthread_mutex_t *);
int __pthread_rwlock_rdlock(pthread_rwlock_t *);
int __pthread_rwlock_wrlock(pthread_rwlock_t *);

int pthread_mutex_lock(pthread_mutex_t *m) {
  return counted_lock(
      __builtin_return_address(0), [m] { return pthread_mutex_trylock(m); },
      [m] { return __pthread_mutex_lock(m); });
}
int pthread_rwlock_rdlock(pthread_rwlock_t *l) {
  return counted_lock(
      __builtin_return_address(0), [l] { return pthread_rwlock_tryrdlock(l); },
      [l] { return __pthread_rwlock_rdlock(l); });
}
int pthread_rwlock_wrlock(pthread_rwlock_t *l) {
  return counted_lock(
      __builtin_return_address(0), [l] { return pthread_rwlock_trywrlock(l); },
      [l] { return __pthread_rwlock_wrlock(l); });
}

// libcurl opens its TCP connections with connect(); the executable's definition wins over libc's.
int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  using Fn = int (*)(int, const struct sockaddr *, socklen_t);
  static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "connect"));
  if (addr != nullptr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) {
    g_connects.fetch_add(1);
  }
  return real(fd, addr, len);
}

// One SSL object per TLS connection libcurl sets up (a full or resumed handshake each).
void *SSL_new(void *ctx) {
  using Fn = void *(*)(void *);
  static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "SSL_new"));
  g_ssl_new.fetch_add(1);
  return real(ctx);
}
}

// C++ allocations: libsdrs's operator new calls bind to these (global symbol interposition).
void *operator new(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1, std::memory_order_relaxed);
  void *p = __libc_malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void *operator new[](size_t n) {
  return operator new(n);
}
void *operator new(size_t n, const std::nothrow_t &) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n == 0 ? 1 : n);
}
void *operator new[](size_t n, const std::nothrow_t &t) noexcept {
  return operator new(n, t);
}
void operator delete(void *p) noexcept {
  __libc_free(p);
}
void operator delete[](void *p) noexcept {
  __libc_free(p);
}
void operator delete(void *p, size_t) noexcept {
  __libc_free(p);
}
void operator delete[](void *p, size_t) noexcept {
  __libc_free(p);
}

namespace {

// ---- options --------------------------------------------------------------------------------

using sdrs::bench::kAccessKey;
using sdrs::bench::kCreateBody;
using sdrs::bench::kProject;
using sdrs::bench::kSecretKey;
// The default token the emulator accepts; --token-bytes N sends one of N bytes instead (real IAM
// tokens are several KB, and they travel with every request).
const char kDefaultToken[] = "emulator-token";
const char kDomain[] = "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11";

struct Options {
  std::string mode = "sdrs";
  std::string url;
  std::string ca_file;
  std::string call = "both";   // both, create, poll
  std::string auth = "token";  // token, aksk
  int threads = 1;
  long iterations = 5000;  // total, split over the threads
  long warmup = 50;        // per thread, before counting starts
  long emulator_pid = 0;
  bool count_locks = false;
  long block = 250;  // --mode both: iterations per thread per block
  std::string token = kDefaultToken;
  bool creates() const { return call != "poll"; }
  bool polls() const { return call != "create"; }
  bool aksk() const { return auth == "aksk"; }
};

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "sdrs-bench-e2e: %s\n", msg.c_str());
  std::exit(1);
}

// utime + stime of a process in clock ticks, from /proc/PID/stat.
long long proc_cpu_ticks(long pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const size_t rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  // Fields after ") ": state(3) ... utime(14) stime(15).
  const char *p = s.c_str() + rp + 2;
  long long utime = 0, stime = 0;
  int field = 3;
  while (*p != '\0' && field < 14) {
    if (*p++ == ' ') field++;
  }
  if (std::sscanf(p, "%lld %lld", &utime, &stime) != 2) return -1;
  return utime + stime;
}

// User and system CPU seconds of this process.
std::pair<double, double> self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return {static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6,
          static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6};
}

// ---- libsdrs worker -------------------------------------------------------------------------

void check(int rc, sdrs_error *err, const char *what) {
  if (rc == 0) return;
  std::string msg = std::string(what) + ": " + (err ? sdrs_error_message(err) : sdrs_strerror(rc));
  sdrs_error_free(err);
  die(msg);
}

struct SdrsEnv {
  sdrs_client *client = nullptr;
  sdrs_pg_spec *spec = nullptr;
  char *poll_job_id = nullptr;  // --call poll: the job every iteration polls
};

SdrsEnv sdrs_setup(const Options &o) {
  SdrsEnv env;
  sdrs_config *cfg = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_config_new(&cfg, &err), err, "config");
  check(sdrs_config_set_allow_http(cfg, 1, &err), err, "allow_http");
  check(sdrs_config_set_endpoint(cfg, o.url.c_str(), &err), err, "endpoint");
  check(sdrs_config_set_project_id(cfg, kProject, &err), err, "project");
  if (o.aksk()) {
    check(sdrs_config_set_access_key(cfg, kAccessKey, kSecretKey, nullptr, &err), err, "aksk");
  } else {
    check(sdrs_config_set_token(cfg, o.token.c_str(), &err), err, "token");
  }
  if (!o.ca_file.empty()) check(sdrs_config_set_ca_file(cfg, o.ca_file.c_str(), &err), err, "ca");
  check(sdrs_client_new(&env.client, cfg, &err), err, "client");
  sdrs_config_free(cfg);
  check(sdrs_pg_spec_new(&env.spec, &err), err, "spec");
  check(sdrs_pg_spec_set_name(env.spec, "bench-pg", &err), err, "name");
  check(sdrs_pg_spec_set_description(env.spec, "benchmark group", &err), err, "description");
  check(sdrs_pg_spec_set_source_az(env.spec, "eu-de-01", &err), err, "source az");
  check(sdrs_pg_spec_set_target_az(env.spec, "eu-de-02", &err), err, "target az");
  check(sdrs_pg_spec_set_domain_id(env.spec, kDomain, &err), err, "domain");
  check(sdrs_pg_spec_set_source_vpc_id(env.spec, "3e5b7c2a-1d4f-4a6b-8c9d-0e1f2a3b4c5d", &err), err,
        "vpc");
  if (!o.creates()) {
    check(sdrs_pg_create(&env.poll_job_id, env.client, env.spec, nullptr, &err), err, "create");
  }
  return env;
}

void sdrs_poll(const SdrsEnv &env, const char *job_id) {
  sdrs_job *job = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_job_poll(&job, env.client, job_id, nullptr, &err), err, "poll");
  if (sdrs_job_id(job) == nullptr) die("poll: job without id");
  sdrs_job_free(job);
}

void sdrs_iteration(const SdrsEnv &env, const Options &o) {
  if (!o.creates()) {
    sdrs_poll(env, env.poll_job_id);
    return;
  }
  char *job_id = nullptr;
  sdrs_error *err = nullptr;
  check(sdrs_pg_create(&job_id, env.client, env.spec, nullptr, &err), err, "create");
  if (o.polls()) sdrs_poll(env, job_id);
  sdrs_string_free(job_id);
}

// ---- the raw loop's AK/SK signer ------------------------------------------------------------

// SDK-HMAC-SHA256, "Access=" form (auth.md 1.2-1.5), written from the spec for the two requests
// of this loop: their paths are already canonical (hex ids), and the signed headers are known and
// listed in sorted order (content-type with a body, host, x-project-id, x-sdk-date), as libsdrs
// signs them. The care a hot loop takes: SHA-256 and HMAC fetched once, the HMAC keyed once (the
// key of this form is the SK itself; EVP_MAC_init without a key restarts from it), one digest
// context and one canonical-request buffer reused, the empty body's hash a constant, the date
// formatted once per second.
class RawSigner {
 public:
  RawSigner() {
    md_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    md_ctx_ = EVP_MD_CTX_new();
    mac_ctx_ = mac_ == nullptr ? nullptr : EVP_MAC_CTX_new(mac_);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (md_ == nullptr || md_ctx_ == nullptr || mac_ctx_ == nullptr ||
        EVP_MAC_init(mac_ctx_, reinterpret_cast<const unsigned char *>(kSecretKey),
                     sizeof kSecretKey - 1, params) != 1) {
      die("OpenSSL: cannot set up SHA-256 / HMAC-SHA256");
    }
    canonical_.reserve(1024);
  }
  ~RawSigner() {
    EVP_MAC_CTX_free(mac_ctx_);
    EVP_MAC_free(mac_);
    EVP_MD_CTX_free(md_ctx_);
    EVP_MD_free(md_);
  }
  RawSigner(const RawSigner &) = delete;
  RawSigner &operator=(const RawSigner &) = delete;

  // The X-Sdk-Date value for now (16 characters).
  const char *date() {
    const time_t now = time(nullptr);
    if (now != date_of_) {
      tm t{};
      gmtime_r(&now, &t);
      strftime(date_, sizeof date_, "%Y%m%dT%H%M%SZ", &t);
      date_of_ = now;
    }
    return date_;
  }

  // Writes "Authorization: <value>" into line.
  __attribute__((noinline)) void sign(std::string &line, const char *method,
                                      const std::string &path, const std::string &host,
                                      const char *date, const char *body, size_t body_size) {
    const bool with_body = body_size > 0;
    canonical_.assign(method).append("\n").append(path).append("/\n\n");
    if (with_body) canonical_.append("content-type:application/json\n");
    canonical_.append("host:").append(host).append("\nx-project-id:").append(kProject);
    canonical_.append("\nx-sdk-date:").append(date, 16).append("\n\n");
    const char *signed_headers =
        with_body ? "content-type;host;x-project-id;x-sdk-date" : "host;x-project-id;x-sdk-date";
    canonical_.append(signed_headers).append("\n");
    char hex[64];
    if (with_body) {
      digest_hex(body, body_size, hex);
      canonical_.append(hex, sizeof hex);
    } else {
      canonical_.append("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
    digest_hex(canonical_.data(), canonical_.size(), hex);
    unsigned char mac[32];
    size_t mac_size = 0;
    if (EVP_MAC_init(mac_ctx_, nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(mac_ctx_, reinterpret_cast<const unsigned char *>("SDK-HMAC-SHA256\n"),
                       16) != 1 ||
        EVP_MAC_update(mac_ctx_, reinterpret_cast<const unsigned char *>(date), 16) != 1 ||
        EVP_MAC_update(mac_ctx_, reinterpret_cast<const unsigned char *>("\n"), 1) != 1 ||
        EVP_MAC_update(mac_ctx_, reinterpret_cast<const unsigned char *>(hex), sizeof hex) != 1 ||
        EVP_MAC_final(mac_ctx_, mac, &mac_size, sizeof mac) != 1) {
      die("HMAC-SHA256 failed");
    }
    to_hex(mac, sizeof mac, hex);
    line.assign("Authorization: SDK-HMAC-SHA256 Access=").append(kAccessKey);
    line.append(", SignedHeaders=").append(signed_headers).append(", Signature=");
    line.append(hex, sizeof hex);
  }

 private:
  static void to_hex(const unsigned char *bytes, size_t n, char *out) {
    static const char kHex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; ++i) {
      out[2 * i] = kHex[bytes[i] >> 4];
      out[2 * i + 1] = kHex[bytes[i] & 15];
    }
  }
  void digest_hex(const char *data, size_t n, char (&hex)[64]) {
    unsigned char md[32];
    unsigned int md_size = 0;
    if (EVP_DigestInit_ex2(md_ctx_, md_, nullptr) != 1 || EVP_DigestUpdate(md_ctx_, data, n) != 1 ||
        EVP_DigestFinal_ex(md_ctx_, md, &md_size) != 1) {
      die("SHA-256 failed");
    }
    to_hex(md, sizeof md, hex);
  }

  EVP_MD *md_ = nullptr;
  EVP_MAC *mac_ = nullptr;
  EVP_MD_CTX *md_ctx_ = nullptr;
  EVP_MAC_CTX *mac_ctx_ = nullptr;
  std::string canonical_;
  char date_[32] = {};
  time_t date_of_ = -1;
};

// ---- raw libcurl worker ---------------------------------------------------------------------

size_t on_data(char *data, size_t size, size_t n, void *user) {
  static_cast<std::string *>(user)->append(data, size * n);
  return size * n;
}

struct CurlWorker {
  CURL *easy = nullptr;
  curl_slist *get_headers = nullptr;     // token: built once
  curl_slist *post_headers = nullptr;    // token: built once
  curl_slist *signed_headers = nullptr;  // aksk: the current request's
  std::string create_url, jobs_url, poll_url, body;
  std::string create_path, poll_path, host;  // aksk: what is signed
  std::string host_line;                     // aksk: "Host: <host>"
  std::string line;                          // aksk: scratch for one header line
  RawSigner *signer = nullptr;
  const Options *o = nullptr;

  explicit CurlWorker(const Options &opts, RawSigner *aksk_signer) : signer(aksk_signer), o(&opts) {
    easy = curl_easy_init();
    if (easy == nullptr) die("curl_easy_init");
    const std::string base = opts.url + "/v1/" + kProject;
    create_url = base + "/server-groups";
    jobs_url = base + "/jobs/";
    const size_t scheme_end = opts.url.find("://") + 3;
    const size_t path_start = opts.url.find('/', scheme_end);
    host = opts.url.substr(
        scheme_end, path_start == std::string::npos ? std::string::npos : path_start - scheme_end);
    host_line = "Host: " + host;
    create_path = "/v1/" + std::string(kProject) + "/server-groups";
    if (signer == nullptr) {
      for (curl_slist **h : {&get_headers, &post_headers}) {
        *h = curl_slist_append(*h, ("X-Auth-Token: " + opts.token).c_str());
        *h = curl_slist_append(*h, (std::string("X-Project-Id: ") + kProject).c_str());
      }
      post_headers = curl_slist_append(post_headers, "Content-Type: application/json");
      for (curl_slist **h : {&get_headers, &post_headers}) {
        *h = curl_slist_append(*h, "Accept: application/json");
        *h = curl_slist_append(*h, "Expect:");
      }
    }
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "sdrs-bench-raw-curl");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    if (!opts.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, opts.ca_file.c_str());
    body.reserve(4096);
    poll_url.reserve(jobs_url.size() + 64);
    poll_path.reserve(create_path.size() + 64);
    if (!opts.creates()) {
      create();
      const std::string_view id = job_id();
      poll_url.assign(jobs_url).append(id);
      poll_path.assign("/v1/").append(kProject).append("/jobs/").append(id);
    }
  }
  ~CurlWorker() {
    curl_slist_free_all(get_headers);
    curl_slist_free_all(post_headers);
    curl_slist_free_all(signed_headers);
    curl_easy_cleanup(easy);
  }

  // AK/SK: the request's header list, signed (rebuilt per request: the date and signature change).
  curl_slist *sign(const char *method, const std::string &path, bool with_body) {
    curl_slist_free_all(signed_headers);
    signed_headers = nullptr;
    const char *date = signer->date();
    signer->sign(line, method, path, host, date, with_body ? kCreateBody : nullptr,
                 with_body ? sizeof kCreateBody - 1 : 0);
    curl_slist *h = curl_slist_append(nullptr, line.c_str());
    h = curl_slist_append(h, host_line.c_str());
    if (with_body) h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "X-Project-Id: 0123456789abcdef0123456789abcdef");
    line.assign("X-Sdk-Date: ").append(date, 16);
    h = curl_slist_append(h, line.c_str());
    h = curl_slist_append(h, "Accept: application/json");
    h = curl_slist_append(h, "Expect:");
    signed_headers = h;
    return h;
  }

  void perform(const char *what) {
    body.clear();
    const CURLcode rc = curl_easy_perform(easy);
    if (rc != CURLE_OK) die(std::string(what) + ": " + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) die(std::string(what) + ": HTTP " + std::to_string(status) + " " + body);
  }

  void create() {
    curl_easy_setopt(easy, CURLOPT_URL, create_url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER,
                     signer != nullptr ? sign("POST", create_path, true) : post_headers);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, kCreateBody);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(sizeof kCreateBody - 1));
    perform("create");
  }

  // {"job_id": "<32 hex>"}: the id is the only string value.
  std::string_view job_id() const {
    const size_t k = body.find("\"job_id\"");
    const size_t q1 = k == std::string::npos ? k : body.find('"', k + 8);
    const size_t q2 = q1 == std::string::npos ? q1 : body.find('"', q1 + 1);
    if (q2 == std::string::npos) die("create: no job_id in " + body);
    return std::string_view(body).substr(q1 + 1, q2 - q1 - 1);
  }

  void poll() {
    curl_easy_setopt(easy, CURLOPT_URL, poll_url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER,
                     signer != nullptr ? sign("GET", poll_path, false) : get_headers);
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    perform("poll");
    if (body.find("\"job_id\"") == std::string::npos) die("poll: no job_id in " + body);
  }

  void iteration() {
    if (o->creates()) {
      create();
      if (!o->polls()) return;
      const std::string_view id = job_id();
      poll_url.assign(jobs_url).append(id);
      poll_path.assign(create_path, 0, create_path.size() - 13).append("jobs/").append(id);
    }
    poll();
  }
};

// ---- driver ---------------------------------------------------------------------------------

// A token of n bytes (the same text for every n, so the emulator can be told to accept it).
std::string bench_token(long n) {
  if (n < 1 || n > 65536) die("--token-bytes must be 1..65536");
  std::string t;
  while (static_cast<long>(t.size()) < n) t += "bench-token-";
  t.resize(static_cast<size_t>(n));
  return t;
}

Options parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--mode") {
      o.mode = val();
    } else if (a == "--url") {
      o.url = val();
    } else if (a == "--ca-file") {
      o.ca_file = val();
    } else if (a == "--threads") {
      o.threads = std::atoi(val().c_str());
    } else if (a == "--iterations") {
      o.iterations = std::atol(val().c_str());
    } else if (a == "--warmup") {
      o.warmup = std::atol(val().c_str());
    } else if (a == "--only-create") {
      o.call = "create";
    } else if (a == "--call") {
      o.call = val();
    } else if (a == "--auth") {
      o.auth = val();
    } else if (a == "--emulator-pid") {
      o.emulator_pid = std::atol(val().c_str());
    } else if (a == "--token-bytes") {
      o.token = bench_token(std::atol(val().c_str()));
    } else if (a == "--locks") {
      o.count_locks = true;
    } else if (a == "--block") {
      o.block = std::atol(val().c_str());
    } else {
      die("unknown option " + a);
    }
  }
  if (o.url.empty()) die("--url is required");
  if (o.mode != "sdrs" && o.mode != "curl" && o.mode != "both") {
    die("--mode must be sdrs, curl or both");
  }
  if (o.mode == "both" && o.count_locks) die("--locks needs --mode sdrs or curl");
  if (o.block < 1) die("--block must be at least 1");
  if (o.call != "both" && o.call != "create" && o.call != "poll") {
    die("--call must be both, create or poll");
  }
  if (o.auth != "token" && o.auth != "aksk") die("--auth must be token or aksk");
  if (o.threads < 1 || o.iterations < o.threads) die("need threads >= 1 and iterations >= threads");
  return o;
}

// The measured iterations of one thread, in a function of their own so callgrind can collect
// just them (--toggle-collect='*measured_loop*').
__attribute__((noinline)) void measured_loop(long n, const std::function<void()> &one_iteration) {
  for (long i = 0; i < n; i++) one_iteration();
}

// The contended lock sites: object file and offset of the calling instruction.
void print_lock_sites() {
  for (size_t i = 0; i < kLockSites; ++i) {
    const uintptr_t addr = g_site_addr[i].load();
    if (addr == 0) continue;
    Dl_info info{};
    const bool found = dladdr(reinterpret_cast<void *>(addr), &info) != 0 && info.dli_fname;
    std::printf("lock_site object=%s offset=0x%lx contended=%ld wait_us=%.1f\n",
                found ? info.dli_fname : "?",
                static_cast<unsigned long>(
                    found ? addr - reinterpret_cast<uintptr_t>(info.dli_fbase) : addr),
                g_site_count[i].load(), static_cast<double>(g_site_wait_ns[i].load()) / 1e3);
  }
}

// What the counters and clocks read at one moment (the last thread at a barrier takes it).
struct Snapshot {
  std::chrono::steady_clock::time_point at;
  std::pair<double, double> cpu;  // user, system seconds
  long news, mallocs, connects, tls_new;
  long long emulator_ticks;
  static Snapshot take(const Options &o) {
    return {std::chrono::steady_clock::now(),
            self_cpu_seconds(),
            g_news.load(),
            g_mallocs.load(),
            g_connects.load(),
            g_ssl_new.load(),
            o.emulator_pid > 0 ? proc_cpu_ticks(o.emulator_pid) : -1};
  }
};

// One side's figures, summed over its phases.
struct Tally {
  double secs = 0, user = 0, sys = 0;
  long news = 0, mallocs = 0, connects = 0, tls_new = 0, ops = 0;
  long long emulator_ticks = 0;
  void add(const Snapshot &from, const Snapshot &to, bool timed) {
    connects += to.connects - from.connects;
    tls_new += to.tls_new - from.tls_new;
    if (!timed) return;
    secs += std::chrono::duration<double>(to.at - from.at).count();
    user += to.cpu.first - from.cpu.first;
    sys += to.cpu.second - from.cpu.second;
    news += to.news - from.news;
    mallocs += to.mallocs - from.mallocs;
    emulator_ticks += to.emulator_ticks - from.emulator_ticks;
  }
};

// A reusable barrier whose last arriving thread runs `done` before the others go on (C++17 has
// no std::barrier). Waiting threads sleep, so they leave the cores to the others and the emulator.
class Barrier {
 public:
  explicit Barrier(int n) : n_(n) {}
  template <class F>
  void arrive_and_wait(F done) {
    std::unique_lock<std::mutex> lock(mu_);
    const long gen = generation_;
    if (++arrived_ == n_) {
      done();
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] { return generation_ != gen; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  const int n_;
  int arrived_ = 0;
  long generation_ = 0;
};

void print_side(const char *mode, const Options &o, const Tally &t) {
  const long per_op = (o.creates() ? 1 : 0) + (o.polls() ? 1 : 0);
  const long calls = t.ops * per_op;
  const double ops = static_cast<double>(t.ops);
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::printf(
      "mode=%s auth=%s call=%s threads=%d ops=%ld calls=%ld secs=%.3f ops_per_s=%.1f "
      "calls_per_s=%.1f cpu_us_per_op=%.2f user_us_per_op=%.2f news_per_op=%.2f "
      "mallocs_per_op=%.2f connects=%ld tls_new=%ld emu_cpu_us_per_call=%.2f block=%ld\n",
      mode, o.auth.c_str(), o.call.c_str(), o.threads, t.ops, calls, t.secs, ops / t.secs,
      static_cast<double>(calls) / t.secs, (t.user + t.sys) * 1e6 / ops, t.user * 1e6 / ops,
      static_cast<double>(t.news) / ops, static_cast<double>(t.mallocs) / ops, t.connects,
      t.tls_new,
      o.emulator_pid > 0
          ? static_cast<double>(t.emulator_ticks) / tick * 1e6 / static_cast<double>(calls)
          : -1.0,
      o.block);
}

// --mode both: see the top of the file.
int run_interleaved(const Options &o) {
  SdrsEnv env = sdrs_setup(o);
  const long per_thread = o.iterations / o.threads;  // per side
  const long block = std::min(o.block, per_thread);
  const long pairs = (per_thread + block - 1) / block;
  Tally tally[2];  // [0] raw, [1] libsdrs
  Barrier barrier(o.threads);
  Snapshot last = Snapshot::take(o);
  // Phase k of 2 * pairs: the side it runs (raw first in even pairs, libsdrs first in odd ones).
  auto side_of = [](long k) { return static_cast<int>((k % 2) ^ ((k / 2) % 2)); };
  auto close_phase = [&](int side, bool timed, long ops) {
    const Snapshot now = Snapshot::take(o);
    tally[side].add(last, now, timed);
    tally[side].ops += ops;
    last = now;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; t++) {
    threads.emplace_back([&] {
      std::unique_ptr<RawSigner> signer;
      if (o.aksk()) signer = std::make_unique<RawSigner>();
      CurlWorker w(o, signer.get());
      auto iteration = [&](int side) {
        if (side == 0) {
          w.iteration();
        } else {
          sdrs_iteration(env, o);
        }
      };
      barrier.arrive_and_wait([&] { last = Snapshot::take(o); });
      for (int side = 0; side < 2; ++side) {  // warm-up: connections, TLS sessions, caches
        for (long i = 0; i < o.warmup; i++) iteration(side);
        barrier.arrive_and_wait([&] {
          close_phase(side, false, 0);
          if (side == 1) g_counting = true;
        });
      }
      for (long k = 0; k < 2 * pairs; ++k) {
        const int side = side_of(k);
        const long n = std::min(block, per_thread - (k / 2) * block);
        for (long i = 0; i < n; i++) iteration(side);
        barrier.arrive_and_wait([&] { close_phase(side, true, n * o.threads); });
      }
    });
  }
  for (auto &t : threads) t.join();
  g_counting = false;
  print_side("curl", o, tally[0]);
  print_side("sdrs", o, tally[1]);
  std::fflush(stdout);
  sdrs_string_free(env.poll_job_id);
  sdrs_pg_spec_free(env.spec);
  sdrs_client_free(env.client);
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  const Options o = parse(argc, argv);
  g_count_locks = o.count_locks;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (o.mode == "both") {
    const int rc = run_interleaved(o);
    curl_global_cleanup();
    return rc;
  }
  SdrsEnv env;
  if (o.mode == "sdrs") env = sdrs_setup(o);

  const long per_thread = o.iterations / o.threads;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  auto body = [&](const std::function<void()> &one_iteration) {
    for (long i = 0; i < o.warmup; i++) one_iteration();
    ready.fetch_add(1);
    while (!go.load()) std::this_thread::yield();
    measured_loop(per_thread, one_iteration);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; t++) {
    if (o.mode == "sdrs") {
      threads.emplace_back([&] { body([&] { sdrs_iteration(env, o); }); });
    } else {
      threads.emplace_back([&] {
        std::unique_ptr<RawSigner> signer;
        if (o.aksk()) signer = std::make_unique<RawSigner>();
        CurlWorker w(o, signer.get());
        body([&] { w.iteration(); });
      });
    }
  }
  while (ready.load() < o.threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const long long emu0 = o.emulator_pid > 0 ? proc_cpu_ticks(o.emulator_pid) : -1;
  const auto cpu0 = self_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  g_counting = true;
  go = true;
  for (auto &t : threads) t.join();
  g_counting = false;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto cpu1 = self_cpu_seconds();
  const double user = cpu1.first - cpu0.first;
  const double cpu = user + cpu1.second - cpu0.second;
  const long long emu1 = o.emulator_pid > 0 ? proc_cpu_ticks(o.emulator_pid) : -1;

  const long ops = per_thread * o.threads;
  const long per_op = (o.creates() ? 1 : 0) + (o.polls() ? 1 : 0);
  const long calls = ops * per_op;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  const auto per = [ops](double v) { return v / static_cast<double>(ops); };
  if (o.count_locks) print_lock_sites();
  std::printf(
      "mode=%s auth=%s call=%s threads=%d ops=%ld calls=%ld secs=%.3f ops_per_s=%.1f "
      "calls_per_s=%.1f cpu_us_per_op=%.2f user_us_per_op=%.2f news_per_op=%.2f "
      "mallocs_per_op=%.2f locks_per_op=%.2f contended_per_op=%.4f lock_wait_us_per_op=%.3f "
      "connects=%ld tls_new=%ld total_calls=%ld emu_cpu_us_per_call=%.2f\n",
      o.mode.c_str(), o.auth.c_str(), o.call.c_str(), o.threads, ops, calls, secs,
      static_cast<double>(ops) / secs, static_cast<double>(calls) / secs, per(cpu * 1e6),
      per(user * 1e6), per(static_cast<double>(g_news.load())),
      per(static_cast<double>(g_mallocs.load())), per(static_cast<double>(g_locks.load())),
      per(static_cast<double>(g_locks_contended.load())),
      per(static_cast<double>(g_lock_wait_ns.load()) / 1e3), g_connects.load(), g_ssl_new.load(),
      calls + o.warmup * o.threads * per_op,
      emu0 >= 0 && emu1 >= 0
          ? static_cast<double>(emu1 - emu0) / tick * 1e6 / static_cast<double>(calls)
          : -1.0);
  std::fflush(stdout);
  if (env.client != nullptr) {
    sdrs_string_free(env.poll_job_id);
    sdrs_pg_spec_free(env.spec);
    sdrs_client_free(env.client);
  }
  curl_global_cleanup();
  return 0;
}
