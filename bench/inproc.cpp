// In-process costs of libsdrs, no network: ns/op (Google Benchmark) and heap allocations/op,
// counted by the replaced global operator new below (the internals are C++; RapidJSON's
// allocator and std::string/map/vector all go through it).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "auth/signer.hpp"
#include "capi/handles.hpp"
#include "core/codec.hpp"
#include "core/resources/job.hpp"
#include "core/resources/pair.hpp"
#include "core/resources/pg.hpp"
#include "core/resources/pi.hpp"
#include "core/url.hpp"
#include "core/validate.hpp"
#include "fixtures.hpp"

namespace {
std::atomic<long> g_allocs{0};
}  // namespace

void *operator new(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  void *p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void *operator new[](size_t n) {
  return operator new(n);
}
void *operator new(size_t n, const std::nothrow_t &) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void *operator new[](size_t n, const std::nothrow_t &t) noexcept {
  return operator new(n, t);
}
void operator delete(void *p) noexcept {
  std::free(p);
}
void operator delete[](void *p) noexcept {
  std::free(p);
}
void operator delete(void *p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void *p, size_t) noexcept {
  std::free(p);
}

namespace {

// Measures allocations over the benchmark loop and reports them per iteration.
class AllocScope {
 public:
  explicit AllocScope(benchmark::State &state) : state_(state), start_(g_allocs.load()) {}
  ~AllocScope() {
    state_.counters["allocs/op"] = benchmark::Counter(static_cast<double>(g_allocs.load() - start_),
                                                      benchmark::Counter::kAvgIterations);
  }

 private:
  benchmark::State &state_;
  long start_;
};

sdrs::PgSpec sample_spec() {
  sdrs::PgSpec spec;
  spec.name = "bench-pg";
  spec.description = "benchmark group";
  spec.source_az = "eu-de-01";
  spec.target_az = "eu-de-02";
  spec.domain_id = "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11";
  spec.source_vpc_id = "3e5b7c2a-1d4f-4a6b-8c9d-0e1f2a3b4c5d";
  return spec;
}

// What the emulator returns for a running create job (bench/fixtures.hpp).
const std::string kJobBody = sdrs::bench::kJobBody;

const std::string kJobIdBody = R"({"job_id":"4e6f2a91c0d84b7fa13e58d2b7c9a045"})";

// One group object with every field of spec 4.7, in the emulator's order.
std::string group_json(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "seed-%05d", i);
  return std::string(R"({"id":"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c)") + std::to_string(10000 + i) +
         R"(","name":")" + name +
         R"(","description":null,"status":"available","progress":0,)"
         R"("source_availability_zone":"eu-de-01","target_availability_zone":"eu-de-02",)"
         R"("domain_id":"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11","domain_name":"dr-domain-a",)"
         R"("priority_station":"source","protected_instance_num":0,"replication_num":0,)"
         R"("disaster_recovery_drill_num":0,"protected_status":null,"replication_status":null,)"
         R"("health_status":null,"source_vpc_id":"3e5b7c2a-1d4f-4a6b-8c9d-0e1f2a3b4c5d",)"
         R"("target_vpc_id":"3e5b7c2a-1d4f-4a6b-8c9d-0e1f2a3b4c5d","test_vpc_id":null,)"
         R"("dr_type":"migration","server_type":"ECS","created_at":"2024-03-11 09:15:02.118",)"
         R"("updated_at":"2024-03-11 09:15:19.460","protection_type":"replication-pair",)"
         R"("replication_model":null})";
}

std::string group_list_json(int n) {
  std::string s = R"({"server_groups":[)";
  for (int i = 0; i < n; i++) {
    if (i > 0) s += ',';
    s += group_json(i);
  }
  return s + "],\"count\":" + std::to_string(n) + "}";
}

void BM_EncodeCreate(benchmark::State &state) {
  const sdrs::PgSpec spec = sample_spec();
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(sdrs::encode_create(spec));
}
BENCHMARK(BM_EncodeCreate);

void BM_ValidateSpec(benchmark::State &state) {
  const sdrs::PgSpec spec = sample_spec();
  AllocScope allocs(state);
  for (auto _ : state) {
    sdrs::validate_spec(spec);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_ValidateSpec);

void BM_DecodeJobId(benchmark::State &state) {
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(sdrs::decode_job_id(kJobIdBody));
}
BENCHMARK(BM_DecodeJobId);

void BM_DecodeJob(benchmark::State &state) {
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(sdrs::decode_job(kJobBody));
}
BENCHMARK(BM_DecodeJob);

// What sdrs_job_poll adds to a decode and the caller's sdrs_job_free: the C handle made from
// the decoded job (moved in), then freed.
void BM_JobHandle(benchmark::State &state) {
  AllocScope allocs(state);
  for (auto _ : state) {
    sdrs::Job job = sdrs::decode_job(kJobBody);
    sdrs_job *handle = new sdrs_job(sdrs::capi::make_job(std::move(job)));
    benchmark::DoNotOptimize(handle);
    sdrs_job_free(handle);
  }
}
BENCHMARK(BM_JobHandle);

// The complete (SAX) pass alone: what a job the scanner leaves to it costs (sub-jobs, escapes).
void BM_DecodeJobSaxPass(benchmark::State &state) {
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(sdrs::detail::sax_job(kJobBody));
}
BENCHMARK(BM_DecodeJobSaxPass);

void BM_DecodeGroupList1000(benchmark::State &state) {
  const std::string body = group_list_json(1000);
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(sdrs::decode_group_list(body));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_DecodeGroupList1000)->Unit(benchmark::kMicrosecond);

// The complete (DOM) decoder alone on the same list: what a body the scanner declines costs
// (escaped strings, fractions).
void BM_DecodeGroupList1000DomPass(benchmark::State &state) {
  const std::string body = group_list_json(1000);
  AllocScope allocs(state);
  for (auto _ : state) {
    int64_t count = -1;
    benchmark::DoNotOptimize(
        sdrs::detail::dom_record_array(body, "server_groups", sdrs::kPgRecord, &count, nullptr));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_DecodeGroupList1000DomPass)->Unit(benchmark::kMicrosecond);

// One protected instance with every field of spec part 2 section 3.11: two attachments (system
// and data disk), one tag, empty metadata, the instance time format.
std::string instance_json(int i) {
  const std::string n = std::to_string(10000 + i);
  return R"({"id":"67a2cc7e-2a8b-4c0b-9c1d-0f5e6b7)" + n + R"(","name":"erp-app-)" + n +
         R"(","description":null,"server_group_id":"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3",)"
         R"("status":"protected","progress":100,)"
         R"("source_server":"b71e0c54-2d9a-4f3e-8c61-0e5a9d7)" +
         n +
         R"(",)"
         R"("target_server":"d91f3a77-5c2e-4b8a-9f10-3e6d2c1)" +
         n +
         R"(",)"
         R"("created_at":"2018-11-06 09:27:52.258","updated_at":"2018-11-06 09:31:07.114",)"
         R"("priority_station":"source","attachment":[)"
         R"({"replication":"5e0b7d19-3a2c-4f8e-b6d1-94c7a0e)" +
         n +
         R"(","device":"/dev/vda"},)"
         R"({"replication":"6f1c8e2a-4b3d-4a9f-c7e2-a5d8b1f)" +
         n +
         R"(","device":"/dev/vdb"}],)"
         R"("tags":[{"key":"env","value":"prod"}],"metadata":{}})";
}

// One replication pair with every field of section 4.7: one attachment, the pair time format,
// record_metadata with the size as a string (as the docs' rename example sends it).
std::string pair_json(int i) {
  const std::string n = std::to_string(10000 + i);
  return R"({"id":"5e0b7d19-3a2c-4f8e-b6d1-94c7a0e)" + n + R"(","name":"erp-data-)" + n +
         R"(","description":"","replication_model":"hypermetro","status":"protected",)"
         R"("progress":100,"replication_status":"active","attachment":[)"
         R"({"protected_instance":"67a2cc7e-2a8b-4c0b-9c1d-0f5e6b7)" +
         n +
         R"(","device":"/dev/vdb"}],"server_group_id":"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3",)"
         R"("volume_ids":"2f6a9c0e-7d41-4b58-a3e2-d90c1b7)" +
         n + R"(,8a1b2c3d-4e5f-4061-9728-3a4b5c6)" + n +
         R"(","priority_station":"source",)"
         R"("fault_level":"0","created_at":"2018-05-04T03:43:24.108526",)"
         R"("updated_at":"2018-05-04T03:51:02.000113","record_metadata":{"multiattach":false,)"
         R"("bootable":false,"volume_size":"100","volume_type":"SSD"},"failure_detail":null})";
}

std::string list_json(const char *member, std::string (*item)(int), int n) {
  std::string s = std::string("{\"") + member + "\":[";
  for (int i = 0; i < n; i++) {
    if (i > 0) s += ',';
    s += item(i);
  }
  return s + "],\"count\":" + std::to_string(n) + "}";
}

void BM_DecodeInstanceList1000(benchmark::State &state) {
  const std::string body = list_json("protected_instances", instance_json, 1000);
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(sdrs::decode_instance_list(body));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_DecodeInstanceList1000)->Unit(benchmark::kMicrosecond);

void BM_DecodePairList1000(benchmark::State &state) {
  const std::string body = list_json("replications", pair_json, 1000);
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(sdrs::decode_pair_list(body));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_DecodePairList1000)->Unit(benchmark::kMicrosecond);

void BM_ParseEndpoint(benchmark::State &state) {
  AllocScope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        sdrs::parse_endpoint("https://sdrs.eu-de.otc.t-systems.com:443/base", false));
  }
}
BENCHMARK(BM_ParseEndpoint);

// The URL of a filtered list call, as Client::call builds it: origin + base + path + query.
void BM_BuildListUrl(benchmark::State &state) {
  const sdrs::Endpoint ep = sdrs::parse_endpoint("https://sdrs.eu-de.otc.t-systems.com", false);
  const std::string project = "0123456789abcdef0123456789abcdef";
  sdrs::ListQuery q;
  q.limit = 100;
  q.offset = 200;
  q.name = "erp prod&x";
  q.availability_zone = "eu-de-01";
  AllocScope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ep.origin() + ep.base_path + "/v1/" + project + "/server-groups" +
                             sdrs::list_query_string(q));
  }
}
BENCHMARK(BM_BuildListUrl);

// Everything libsdrs's core does for one create outside the transport: validate the spec, build
// path and URL, encode the body, decode the {"job_id"} answer (Client::create_pg minus
// Transport::perform).
void BM_CreateCoreWork(benchmark::State &state) {
  const sdrs::PgSpec spec = sample_spec();
  const sdrs::Endpoint ep = sdrs::parse_endpoint("https://sdrs.eu-de.otc.t-systems.com", false);
  const std::string project = "0123456789abcdef0123456789abcdef";
  AllocScope allocs(state);
  for (auto _ : state) {
    sdrs::validate_spec(spec);
    const std::string path = "/v1/" + project + "/server-groups";
    const std::string url = ep.origin() + ep.base_path + path;
    const std::string body = sdrs::encode_create(spec);
    benchmark::DoNotOptimize(url);
    benchmark::DoNotOptimize(body);
    benchmark::DoNotOptimize(sdrs::decode_job_id(kJobIdBody));
  }
}
BENCHMARK(BM_CreateCoreWork);

// AK/SK signing of one create request with the headers libsdrs signs (host, content-type,
// x-project-id, x-sdk-date): canonical request, two SHA-256, one HMAC-SHA256.
void BM_SignCreate(benchmark::State &state) {
  sdrs::auth::SignRequest req;
  req.method = "POST";
  req.wire_path = "/v1/0123456789abcdef0123456789abcdef/server-groups";
  req.body = sdrs::encode_create(sample_spec());
  req.headers = {{"Host", "sdrs.eu-de.otc.t-systems.com"},
                 {"Content-Type", "application/json"},
                 {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
                 {"X-Sdk-Date", "20261128T074500Z"}};
  req.signed_headers = {"host", "content-type", "x-project-id", "x-sdk-date"};
  AllocScope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(sdrs::auth::sign_access(req, "20261128T074500Z",
                                                     "HPUAEXAMPLEACCESSKEY", "example-secret-key"));
  }
}
BENCHMARK(BM_SignCreate);

// The same signature through the hot-path signer the client uses (auth::AccessSigner): keyed
// once, algorithms fetched once, per-thread canonical-request buffer; the Authorization value is
// written into a string that lives across iterations, as the header slot of a request would not,
// so the one allocation of the real path (the header value) is counted in BM_SignCreateFresh.
void BM_SignCreateHot(benchmark::State &state) {
  const std::string body = sdrs::encode_create(sample_spec());
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", "sdrs.eu-de.otc.t-systems.com"},
      {"Content-Type", "application/json"},
      {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
      {"X-Sdk-Date", "20261128T074500Z"}};
  const sdrs::auth::AccessSigner signer("HPUAEXAMPLEACCESSKEY", "example-secret-key");
  std::string authorization;
  AllocScope allocs(state);
  for (auto _ : state) {
    signer.sign(authorization, "POST", "/v1/0123456789abcdef0123456789abcdef/server-groups", "",
                headers, body, "20261128T074500Z");
    benchmark::DoNotOptimize(authorization);
  }
}
BENCHMARK(BM_SignCreateHot);

void BM_SignCreateFresh(benchmark::State &state) {
  const std::string body = sdrs::encode_create(sample_spec());
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", "sdrs.eu-de.otc.t-systems.com"},
      {"Content-Type", "application/json"},
      {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
      {"X-Sdk-Date", "20261128T074500Z"}};
  const sdrs::auth::AccessSigner signer("HPUAEXAMPLEACCESSKEY", "example-secret-key");
  AllocScope allocs(state);
  for (auto _ : state) {
    std::string authorization;
    signer.sign(authorization, "POST", "/v1/0123456789abcdef0123456789abcdef/server-groups", "",
                headers, body, "20261128T074500Z");
    benchmark::DoNotOptimize(authorization);
  }
}
BENCHMARK(BM_SignCreateFresh);

}  // namespace

BENCHMARK_MAIN();
