// The task center and quotas (core/resources/task, quota): the list query and its rules, the
// failed-task decoder (ISO begin_time), the record-id rule, and the quota decoder with -1 as a
// kind, never a number.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/resources/quota.hpp"
#include "core/resources/task.hpp"

namespace sdrs {
namespace {

std::string failure(const std::function<void()> &fn, Code code = Code::kValidation) {
  try {
    fn();
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, code) << f.info().message;
    return f.info().message;
  }
  ADD_FAILURE() << "no failure";
  return "";
}

TEST(TaskQuery, EveryFilter) {
  TaskListQuery q;
  EXPECT_EQ(list_query_string(q), "");
  q.limit = 1000;
  q.offset = 0;
  q.server_group_id = "g1";
  q.failure_status = "createFail";
  q.resource_name = "erp db";
  q.resource_type = "protected_instances";
  EXPECT_EQ(list_query_string(q),
            "?limit=1000&offset=0&server_group_id=g1&failure_status=createFail&resource_name=erp%"
            "20db&resource_type=protected_instances");
  q.failure_status = "create_fail";
  EXPECT_NE(failure([&] { list_query_string(q); }).find("failure_status"), std::string::npos);
  q.failure_status = "reprotectFail";
  q.resource_type = "protectedInstance";
  EXPECT_NE(failure([&] { list_query_string(q); }).find("resource_type"), std::string::npos);
  q.resource_type = "disaster_recovery_drills";
  q.resource_name = "";
  EXPECT_NE(failure([&] { list_query_string(q); }).find("resource_name"), std::string::npos);
  q.resource_name.reset();
  q.limit = 1001;
  EXPECT_NE(failure([&] { list_query_string(q); }).find("limit"), std::string::npos);
}

TEST(TaskRules, FailureJobId) {
  validate_failure_job_id("0123456789abcdef0123456789abcdef");
  EXPECT_NE(failure([] { validate_failure_job_id("batch"); }).find("failure_job_id"),
            std::string::npos);
  EXPECT_NE(failure([] { validate_failure_job_id("BATCH"); }).find("failure_job_id"),
            std::string::npos);
  EXPECT_NE(failure([] { validate_failure_job_id("a/b"); }).find("failure_job_id"),
            std::string::npos);
  EXPECT_NE(failure([] { validate_failure_job_id(""); }).find("failure_job_id"), std::string::npos);
  validate_failure_job_id("batches");
}

TEST(TaskDecode, List) {
  const TaskList l = decode_task_list(
      R"({"failure_jobs":[{"job_id":"j1","job_type":"createProtectedInstance","job_status":"FAIL",)"
      R"("resource_id":"r1","resource_name":"web","resource_type":"protectedInstance",)"
      R"("failure_status":"createFail","begin_time":"2019-01-21T12:56:35.754Z",)"
      R"("error_code":"EVS.2024","fail_reason":"disk quota","extra":[1]},)"
      R"({"job_id":"j2","begin_time":null}],"count":7})");
  ASSERT_EQ(l.tasks.size(), 2U);
  EXPECT_EQ(l.count, 7);
  const Task &t = l.tasks[0];
  EXPECT_STREQ(t.str(kTaskJobId), "j1");
  EXPECT_STREQ(t.str(kTaskJobType), "createProtectedInstance");
  EXPECT_STREQ(t.str(kTaskJobStatus), "FAIL");
  EXPECT_STREQ(t.str(kTaskResourceId), "r1");
  EXPECT_STREQ(t.str(kTaskResourceName), "web");
  EXPECT_STREQ(t.str(kTaskResourceType), "protectedInstance");
  EXPECT_STREQ(t.str(kTaskFailureStatus), "createFail");
  EXPECT_STREQ(t.str(kTaskBeginTime), "2019-01-21T12:56:35.754Z");
  EXPECT_EQ(t.time_ms(kTaskBeginTime), INT64_C(1548075395754));
  EXPECT_STREQ(t.str(kTaskErrorCode), "EVS.2024");
  EXPECT_STREQ(t.str(kTaskFailReason), "disk quota");
  EXPECT_EQ(l.tasks[1].str(kTaskBeginTime), nullptr);
  EXPECT_EQ(l.tasks[1].time_ms(kTaskBeginTime), kTimeNone);
  failure([] { decode_task_list(R"({"failure_jobs":[{"job_id":1}]})"); }, Code::kProtocol);
  failure([] { decode_task_list(R"({"count":0})"); }, Code::kProtocol);
}

TEST(QuotaDecode, KindsNeverMinusOne) {
  const Quota q = decode_quota(
      R"({"quotas":{"resources":[{"type":"server_groups","used":3,"quota":10,"min":0,"max":-1},)"
      R"({"type":"replications","used":"17","quota":-1,"min":"0"}]}})");
  const auto &r = q.children(kQuotaResources);
  ASSERT_EQ(r.size(), 2U);
  EXPECT_STREQ(r[0].str(kQuotaType), "server_groups");
  EXPECT_EQ(r[0].integer(kQuotaUsed), 3);
  int64_t v = 99;
  EXPECT_EQ(quota_kind(r[0], kQuotaLimit, &v), QuotaKind::kLimited);
  EXPECT_EQ(v, 10);
  EXPECT_EQ(quota_kind(r[0], kQuotaMin, &v), QuotaKind::kLimited);
  EXPECT_EQ(v, 0);
  v = 99;
  EXPECT_EQ(quota_kind(r[0], kQuotaMax, &v), QuotaKind::kUnlimited);
  EXPECT_EQ(v, 99);  // nothing stored for unlimited
  EXPECT_EQ(r[1].integer(kQuotaUsed), 17);
  EXPECT_EQ(quota_kind(r[1], kQuotaLimit, &v), QuotaKind::kUnlimited);
  EXPECT_EQ(v, 99);
  EXPECT_EQ(quota_kind(r[1], kQuotaMax, &v), QuotaKind::kAbsent);
  EXPECT_EQ(quota_kind(r[1], kQuotaMin, nullptr), QuotaKind::kLimited);
  EXPECT_NE(q.json().find("server_groups"), std::string::npos);
  EXPECT_EQ(decode_quota(R"({"quotas":{}})").children(kQuotaResources).size(), 0U);
}

TEST(QuotaDecode, Rejects) {
  EXPECT_NE(
      failure([] { decode_quota(R"({"quotas":{"resources":[{"quota":-2}]}})"); }, Code::kProtocol)
          .find("'quota' is -2"),
      std::string::npos);
  failure([] { decode_quota(R"({"quotas":{"resources":[{"used":-1}]}})"); }, Code::kProtocol);
  failure([] { decode_quota(R"({"quotas":{"resources":[{"max":"x"}]}})"); }, Code::kProtocol);
  failure([] { decode_quota(R"({"quotas":[]})"); }, Code::kProtocol);
  failure([] { decode_quota(R"({"resources":[]})"); }, Code::kProtocol);
}

}  // namespace
}  // namespace sdrs
