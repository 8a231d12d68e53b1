// Job timing and bulk jobs of the emulator's state machine (issue 18): the RUNNING-time spread
// of API jobs (--job-run-spread-ms, job_run_spread_ms), POST /_emulator/seed-jobs (bounds,
// fail_every, validation, reset) and 10,000 seeded jobs polled at a cost that does not grow
// with the number of jobs. Drives Emulator::handle directly, on the real clock.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "emulator.hpp"

namespace {

const char *const kProject = "0123456789abcdef0123456789abcdef";

emu::Options options() {
  emu::Options o;
  o.project_ids.insert(kProject);
  o.tokens.insert("emulator-token");
  return o;
}

emu::Response call(emu::Emulator &e, const std::string &method, const std::string &path,
                   const std::string &body = "") {
  emu::Request r;
  r.method = method;
  r.path = path;
  r.token = "emulator-token";
  r.body = body;
  return e.handle(r);
}

rapidjson::Document parse(const emu::Response &r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  EXPECT_FALSE(d.HasParseError()) << r.body;
  return d;
}

emu::Response poll(emu::Emulator &e, const std::string &id) {
  return call(e, "GET", std::string("/v1/") + kProject + "/jobs/" + id);
}

std::vector<std::string> seed(emu::Emulator &e, const std::string &body) {
  emu::Response r = call(e, "POST", "/_emulator/seed-jobs", body);
  EXPECT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = parse(r);
  std::vector<std::string> ids;
  if (!d.IsObject() || !d.HasMember("job_ids")) return ids;
  for (const auto &v : d["job_ids"].GetArray()) ids.emplace_back(v.GetString());
  EXPECT_EQ(d["count"].GetInt64(), static_cast<int64_t>(ids.size()));
  return ids;
}

// Milliseconds of a job time "yyyy-MM-ddTHH:mm:ss.SSSZ" within its day (the jobs of a test
// begin and end within seconds; a midnight in between is handled by the caller's modulo).
int64_t day_ms(const std::string &t) {
  return ((std::stoll(t.substr(11, 2)) * 60 + std::stoll(t.substr(14, 2))) * 60 +
          std::stoll(t.substr(17, 2))) *
             1000 +
         std::stoll(t.substr(20, 3));
}

// end_time - begin_time of a finished job.
int64_t duration_ms(const rapidjson::Document &job) {
  const int64_t day = 86400000;
  return (day_ms(job["end_time"].GetString()) - day_ms(job["begin_time"].GetString()) + day) % day;
}

void expect_bad_field(emu::Emulator &e, const std::string &path, const std::string &body,
                      const std::string &field) {
  emu::Response r = call(e, "POST", path, body);
  EXPECT_EQ(r.status, 400) << body;
  rapidjson::Document d = parse(r);
  ASSERT_TRUE(d.IsObject() && d.HasMember("badrequest")) << r.body;
  EXPECT_STREQ(d["badrequest"]["code"].GetString(), "SDRS.0201") << body;
  EXPECT_NE(std::string(d["badrequest"]["message"].GetString()).find(field), std::string::npos)
      << body << " -> " << r.body;
}

TEST(SeedJobs, DurationsStayWithinBoundsAndSpread) {
  emu::Emulator e(options());
  std::vector<std::string> ids =
      seed(e, R"({"count":200,"init_ms":0,"run_ms_min":20,"run_ms_max":80})");
  ASSERT_EQ(ids.size(), 200U);
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  std::set<int64_t> seen;
  for (const auto &id : ids) {
    emu::Response r = poll(e, id);
    ASSERT_EQ(r.status, 200) << r.body;
    rapidjson::Document d = parse(r);
    EXPECT_STREQ(d["status"].GetString(), "SUCCESS");
    EXPECT_STREQ(d["job_type"].GetString(), "createServerGroup");
    EXPECT_TRUE(d["entities"].IsObject() && d["entities"].ObjectEmpty()) << r.body;
    const int64_t ms = duration_ms(d);
    EXPECT_GE(ms, 20);
    EXPECT_LE(ms, 80);
    seen.insert(ms);
  }
  // 200 uniform draws from 61 values: far more than 10 distinct ones unless the spread is lost.
  EXPECT_GT(seen.size(), 10U);
}

TEST(SeedJobs, InitAndRunPhasesFollowTheClock) {
  emu::Emulator e(options());
  std::vector<std::string> slow = seed(e, R"({"count":2,"init_ms":600000})");
  std::vector<std::string> running =
      seed(e, R"({"count":2,"init_ms":0,"run_ms_min":600000,"job_type":"failoverX"})");
  ASSERT_EQ(slow.size(), 2U);
  ASSERT_EQ(running.size(), 2U);
  rapidjson::Document a = parse(poll(e, slow[0]));
  EXPECT_STREQ(a["status"].GetString(), "INIT");
  EXPECT_TRUE(a["end_time"].IsNull());
  rapidjson::Document b = parse(poll(e, running[1]));
  EXPECT_STREQ(b["status"].GetString(), "RUNNING");
  EXPECT_STREQ(b["job_type"].GetString(), "failoverX");
  EXPECT_TRUE(b["error_code"].IsNull());
}

TEST(SeedJobs, FailEveryKthJobOfTheBatch) {
  emu::Emulator e(options());
  std::vector<std::string> ids =
      seed(e, R"({"count":10,"init_ms":0,"run_ms_min":0,"fail_every":3})");
  ASSERT_EQ(ids.size(), 10U);
  for (size_t i = 0; i < ids.size(); i++) {
    rapidjson::Document d = parse(poll(e, ids[i]));
    const bool fails = (i + 1) % 3 == 0;  // 1-based: the 3rd, 6th, 9th
    EXPECT_STREQ(d["status"].GetString(), fails ? "FAIL" : "SUCCESS") << "job " << i + 1;
    if (fails) {
      EXPECT_STREQ(d["error_code"].GetString(), "SDRS.1014");
      EXPECT_GT(d["fail_reason"].GetStringLength(), 0U);
    } else {
      EXPECT_TRUE(d["error_code"].IsNull());
      EXPECT_TRUE(d["fail_reason"].IsNull());
    }
  }
  // Seeded failures have no resource: no task-center record.
  rapidjson::Document stats = parse(call(e, "GET", "/_emulator/stats"));
  EXPECT_EQ(stats["failure_jobs"].GetInt64(), 0);
  EXPECT_EQ(stats["seeded_jobs"].GetInt64(), 10);
}

TEST(SeedJobs, DefaultsComeFromTheJobConfig) {
  emu::Emulator e(options());
  ASSERT_EQ(call(e, "POST", "/_emulator/config", R"({"job_init_ms":0,"job_run_ms":30})").status,
            200);
  std::vector<std::string> ids = seed(e, R"({"count":5})");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  for (const auto &id : ids) {
    rapidjson::Document d = parse(poll(e, id));
    ASSERT_STREQ(d["status"].GetString(), "SUCCESS");
    EXPECT_EQ(duration_ms(d), 30);  // run_ms_max defaults to run_ms_min = job_run_ms
  }
}

TEST(SeedJobs, BadFieldsAreNamed) {
  emu::Emulator e(options());
  const std::string path = "/_emulator/seed-jobs";
  expect_bad_field(e, path, "[]", "JSON object");
  expect_bad_field(e, path, "{}", "count");
  expect_bad_field(e, path, R"({"count":0})", "count");
  expect_bad_field(e, path, R"({"count":100001})", "count");
  expect_bad_field(e, path, R"({"count":"5"})", "count");
  expect_bad_field(e, path, R"({"count":5,"init_ms":-1})", "init_ms");
  expect_bad_field(e, path, R"({"count":5,"run_ms_min":1.5})", "run_ms_min");
  expect_bad_field(e, path, R"({"count":5,"run_ms_max":86400001})", "run_ms_max");
  expect_bad_field(e, path, R"({"count":5,"run_ms_min":10,"run_ms_max":9})", "run_ms_max");
  expect_bad_field(e, path, R"({"count":5,"fail_every":-2})", "fail_every");
  expect_bad_field(e, path, R"({"count":5,"job_type":""})", "job_type");
  expect_bad_field(e, path, R"({"count":5,"job_type":7})", "job_type");
  expect_bad_field(e, path, R"({"count":5,"run_ms":7})", "run_ms");
  EXPECT_EQ(parse(call(e, "GET", "/_emulator/stats"))["seeded_jobs"].GetInt64(), 0);
  EXPECT_EQ(call(e, "GET", path).status, 405);
}

TEST(SeedJobs, ResetForgetsThem) {
  emu::Emulator e(options());
  std::vector<std::string> ids = seed(e, R"({"count":3})");
  ASSERT_EQ(poll(e, ids[0]).status, 200);
  ASSERT_EQ(call(e, "POST", "/_emulator/reset", "{}").status, 200);
  emu::Response r = poll(e, ids[0]);
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("SDRS.0408"), std::string::npos) << r.body;
  EXPECT_EQ(parse(call(e, "GET", "/_emulator/stats"))["seeded_jobs"].GetInt64(), 0);
}

TEST(SeedJobs, TenThousandRunningJobsArePolled) {
  emu::Emulator e(options());
  std::vector<std::string> ids =
      seed(e, R"({"count":10000,"init_ms":0,"run_ms_min":600000,"run_ms_max":1200000})");
  ASSERT_EQ(ids.size(), 10000U);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 10000U);
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto &id : ids) {
    emu::Response r = poll(e, id);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_NE(r.body.find("\"status\":\"RUNNING\""), std::string::npos) << r.body;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // About 30 ms here; a generous bound that still catches a scan of all jobs per poll.
  EXPECT_LT(s, 5.0) << "10,000 polls took " << s << " s";
}

// Seconds for `polls` polls of the first ids of a fresh emulator holding `jobs` seeded jobs
// (best of three rounds, to keep other load on the machine out of the figure).
double poll_seconds(int jobs, int polls) {
  emu::Emulator e(options());
  std::vector<std::string> ids =
      seed(e, "{\"count\":" + std::to_string(jobs) + ",\"init_ms\":0,\"run_ms_min\":600000}");
  double best = 1e9;
  for (int round = 0; round < 3; round++) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < polls; i++) EXPECT_EQ(poll(e, ids[static_cast<size_t>(i)]).status, 200);
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

TEST(SeedJobs, PollCostDoesNotGrowWithTheNumberOfJobs) {
  const double few = poll_seconds(1000, 1000);
  const double many = poll_seconds(100000, 1000);
  // A per-poll scan of the jobs would make `many` about 100 times `few`; a hash lookup keeps
  // them equal (cache effects aside).
  EXPECT_LT(many, few * 8 + 0.005)
      << "1,000 polls: " << few << " s among 1,000 jobs, " << many << " s among 100,000";
}

// Creates `n` protection groups (names PREFIX-i) and returns their job ids.
std::vector<std::string> create_groups(emu::Emulator &e, const std::string &prefix, int n) {
  std::vector<std::string> jobs;
  for (int i = 0; i < n; i++) {
    const std::string body =
        R"({"server_group":{"name":")" + prefix + "-" + std::to_string(i) +
        R"(","source_availability_zone":"eu-de-01","target_availability_zone":"eu-de-02",)"
        R"("domain_id":"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11","source_vpc_id":"vpc-1"}})";
    emu::Response r = call(e, "POST", std::string("/v1/") + kProject + "/server-groups", body);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status == 200) jobs.emplace_back(parse(r)["job_id"].GetString());
  }
  return jobs;
}

// Waits `wait_ms`, then checks every job succeeded after a RUNNING time in [lo, hi]; returns
// the distinct durations seen.
size_t distinct_durations(emu::Emulator &e, const std::vector<std::string> &jobs, int wait_ms,
                          int64_t lo, int64_t hi) {
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  std::set<int64_t> seen;
  for (const auto &id : jobs) {
    rapidjson::Document d = parse(poll(e, id));
    EXPECT_STREQ(d["status"].GetString(), "SUCCESS");
    if (!d["end_time"].IsString()) continue;
    const int64_t ms = duration_ms(d);
    EXPECT_GE(ms, lo);
    EXPECT_LE(ms, hi);
    seen.insert(ms);
  }
  return seen.size();
}

TEST(JobRunSpread, ApiJobsDrawTheirRunningTime) {
  emu::Emulator e(options());
  emu::Response cfg = call(e, "POST", "/_emulator/config",
                           R"({"job_init_ms":0,"job_run_ms":20,"job_run_spread_ms":60})");
  ASSERT_EQ(cfg.status, 200) << cfg.body;
  EXPECT_EQ(parse(cfg)["job_run_spread_ms"].GetInt64(), 60);
  EXPECT_GT(distinct_durations(e, create_groups(e, "spread", 60), 120, 20, 80), 5U);
  // Back to no spread: every job runs exactly job_run_ms.
  ASSERT_EQ(call(e, "POST", "/_emulator/config", R"({"job_run_spread_ms":0})").status, 200);
  EXPECT_EQ(distinct_durations(e, create_groups(e, "fixed", 10), 40, 20, 20), 1U);
  expect_bad_field(e, "/_emulator/config", R"({"job_run_spread_ms":-1})", "job_run_spread_ms");
  expect_bad_field(e, "/_emulator/config", R"({"job_run_spread_ms":86400001})",
                   "job_run_spread_ms");
}

TEST(JobRunSpread, CommandLineDefaultApplies) {
  emu::Options o = options();
  o.job_init_ms = 0;
  o.job_run_ms = 10;
  o.job_run_spread_ms = 40;
  emu::Emulator e(o);
  rapidjson::Document cfg = parse(call(e, "POST", "/_emulator/config", "{}"));
  EXPECT_EQ(cfg["job_run_spread_ms"].GetInt64(), 40);
  EXPECT_EQ(cfg["job_run_ms"].GetInt64(), 10);
  EXPECT_GT(distinct_durations(e, create_groups(e, "cli", 40), 80, 10, 50), 3U);
}

}  // namespace
