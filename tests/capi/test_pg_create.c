/*
 * Protection-group spec, create, create_and_wait, jobs (poll, wait, getters), job failure,
 * wait deadline, cancel from another thread, progress callback, and the "fails before any
 * request" validation cases of the foundation issue.
 */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- spec setters ---- */

static void test_spec_null_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  ST_EINVAL(sdrs_pg_spec_new(NULL, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_name(NULL, "x", &err), err);
  ST_EINVAL(sdrs_pg_spec_set_description(NULL, "x", &err), err);
  ST_EINVAL(sdrs_pg_spec_set_source_az(NULL, "eu-de-01", &err), err);
  ST_EINVAL(sdrs_pg_spec_set_target_az(NULL, "eu-de-02", &err), err);
  ST_EINVAL(sdrs_pg_spec_set_domain_id(NULL, ST_DOMAIN_A, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_source_vpc_id(NULL, ST_VPC, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_dr_type(NULL, "migration", &err), err);
  ST_EINVAL(sdrs_pg_spec_set_server_type(NULL, "ECS", &err), err);

  sdrs_pg_spec *spec = NULL;
  ST_OK(sdrs_pg_spec_new(&spec, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_name(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_source_az(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_target_az(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_domain_id(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_spec_set_source_vpc_id(spec, NULL, &err), err);
  /* description is optional: NULL clears it. */
  ST_OK(sdrs_pg_spec_set_description(spec, NULL, &err), err);
  sdrs_pg_spec_free(spec);

  char *job_id = NULL;
  sdrs_pg *pg = NULL;
  spec = st_spec_new("null-args");
  ST_EINVAL(sdrs_pg_create(NULL, g_client, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_create(&job_id, NULL, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_create(&job_id, g_client, NULL, NULL, &err), err);
  assert_null(job_id);
  ST_EINVAL(sdrs_pg_create_and_wait(NULL, g_client, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_create_and_wait(&pg, NULL, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pg_create_and_wait(&pg, g_client, NULL, NULL, &err), err);
  assert_null(pg);
  sdrs_pg_spec_free(spec);
}

static void test_spec_name_rule(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pg_spec *spec = NULL;
  char buf[100];
  ST_OK(sdrs_pg_spec_new(&spec, &err), err);
  st_fill(buf, 64, 'n');
  ST_OK(sdrs_pg_spec_set_name(spec, buf, &err), err);
  ST_OK(sdrs_pg_spec_set_name(spec, "A-Za-z0-9._-", &err), err);
  ST_OK(sdrs_pg_spec_set_name(spec, "x", &err), err);
  st_fill(buf, 65, 'n');
  ST_ERR_FIELD(sdrs_pg_spec_set_name(spec, buf, &err), err, SDRS_EVALIDATION, "name");
  const char *bad[] = {"", "a b", "a/b", "a<b", "caf\xc3\xa9", "tab\there", "semi;colon", "a*"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ST_ERR_FIELD(sdrs_pg_spec_set_name(spec, bad[i], &err), err, SDRS_EVALIDATION, "name");
  }
  sdrs_pg_spec_free(spec);
}

static void test_spec_description_rule(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pg_spec *spec = NULL;
  char buf[100];
  ST_OK(sdrs_pg_spec_new(&spec, &err), err);
  st_fill(buf, 64, 'd');
  ST_OK(sdrs_pg_spec_set_description(spec, buf, &err), err);
  ST_OK(sdrs_pg_spec_set_description(spec, "ERP servers, AZ1 to AZ2", &err), err);
  ST_OK(sdrs_pg_spec_set_description(spec, "", &err), err);
  st_fill(buf, 65, 'd');
  ST_ERR_FIELD(sdrs_pg_spec_set_description(spec, buf, &err), err, SDRS_EVALIDATION, "description");
  ST_ERR_FIELD(sdrs_pg_spec_set_description(spec, "a<b", &err), err, SDRS_EVALIDATION,
               "description");
  ST_ERR_FIELD(sdrs_pg_spec_set_description(spec, "a>b", &err), err, SDRS_EVALIDATION,
               "description");
  sdrs_pg_spec_free(spec);
}

static void test_spec_required_fields_reject_empty(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pg_spec *spec = NULL;
  ST_OK(sdrs_pg_spec_new(&spec, &err), err);
  ST_ERR_FIELD(sdrs_pg_spec_set_source_az(spec, "", &err), err, SDRS_EVALIDATION,
               "source_availability_zone");
  ST_ERR_FIELD(sdrs_pg_spec_set_target_az(spec, "", &err), err, SDRS_EVALIDATION,
               "target_availability_zone");
  ST_ERR_FIELD(sdrs_pg_spec_set_domain_id(spec, "", &err), err, SDRS_EVALIDATION, "domain_id");
  ST_ERR_FIELD(sdrs_pg_spec_set_source_vpc_id(spec, "", &err), err, SDRS_EVALIDATION,
               "source_vpc_id");
  ST_OK(sdrs_pg_spec_set_dr_type(spec, "migration", &err), err);
  ST_OK(sdrs_pg_spec_set_server_type(spec, "ECS", &err), err);
  sdrs_pg_spec_free(spec);
}

/* Missing required fields are caught by sdrs_pg_create before sending. */
static void test_create_missing_fields(void **state) {
  (void)state;
  static const char *fields[] = {"name", "source_availability_zone", "target_availability_zone",
                                 "domain_id", "source_vpc_id"};
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  for (size_t skip = 0; skip < 5; skip++) {
    sdrs_error *err = NULL;
    sdrs_pg_spec *spec = NULL;
    ST_OK(sdrs_pg_spec_new(&spec, &err), err);
    if (skip != 0) {
      ST_OK(sdrs_pg_spec_set_name(spec, "missing-field", &err), err);
    }
    if (skip != 1) {
      ST_OK(sdrs_pg_spec_set_source_az(spec, "eu-de-01", &err), err);
    }
    if (skip != 2) {
      ST_OK(sdrs_pg_spec_set_target_az(spec, "eu-de-02", &err), err);
    }
    if (skip != 3) {
      ST_OK(sdrs_pg_spec_set_domain_id(spec, ST_DOMAIN_A, &err), err);
    }
    if (skip != 4) {
      ST_OK(sdrs_pg_spec_set_source_vpc_id(spec, ST_VPC, &err), err);
    }
    char *job_id = NULL;
    ST_ERR_FIELD(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err, SDRS_EVALIDATION,
                 fields[skip]);
    assert_null(job_id);
    sdrs_pg *pg = NULL;
    ST_ERR_FIELD(sdrs_pg_create_and_wait(&pg, g_client, spec, NULL, &err), err, SDRS_EVALIDATION,
                 fields[skip]);
    assert_null(pg);
    sdrs_pg_spec_free(spec);
  }
  /* source == target AZ */
  sdrs_error *err = NULL;
  sdrs_pg_spec *spec = st_spec_new("same-az");
  ST_OK(sdrs_pg_spec_set_target_az(spec, "eu-de-01", &err), err);
  char *job_id = NULL;
  ST_ERR_FIELD(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err, SDRS_EVALIDATION,
               "availability_zone");
  sdrs_pg_spec_free(spec);
  assert_int_equal(st_stat("requests") - before, self);
}

/* The foundation issue's "Done when": each of these fails before any request reaches the
 * emulator, with a message naming the wire field. */
static void test_done_when_validation(void **state) {
  (void)state;
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  long long api_before = st_stat("api_requests");
  sdrs_error *err = NULL;
  char name65[70];
  st_fill(name65, 65, 'x');

  /* a 65-byte name: in the spec, at create time (previous value kept) and in a rename */
  sdrs_pg_spec *spec = st_spec_new("kept-name");
  ST_ERR_FIELD(sdrs_pg_spec_set_name(spec, name65, &err), err, SDRS_EVALIDATION, "name");
  sdrs_pg *pg = NULL;
  ST_ERR_FIELD(
      sdrs_pg_rename(&pg, g_client, "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3", name65, NULL, &err),
      err, SDRS_EVALIDATION, "name");
  assert_null(pg);
  /* a name with a space */
  ST_ERR_FIELD(sdrs_pg_spec_set_name(spec, "has space", &err), err, SDRS_EVALIDATION, "name");
  ST_ERR_FIELD(sdrs_pg_rename(&pg, g_client, "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3", "has space",
                              NULL, &err),
               err, SDRS_EVALIDATION, "name");
  /* a description with '<' */
  ST_ERR_FIELD(sdrs_pg_spec_set_description(spec, "<script>", &err), err, SDRS_EVALIDATION,
               "description");
  /* an empty source AZ: in the setter, and a spec without one at create time */
  ST_ERR_FIELD(sdrs_pg_spec_set_source_az(spec, "", &err), err, SDRS_EVALIDATION,
               "source_availability_zone");
  sdrs_pg_spec *nosrc = NULL;
  ST_OK(sdrs_pg_spec_new(&nosrc, &err), err);
  ST_OK(sdrs_pg_spec_set_name(nosrc, "no-source-az", &err), err);
  ST_OK(sdrs_pg_spec_set_target_az(nosrc, "eu-de-02", &err), err);
  ST_OK(sdrs_pg_spec_set_domain_id(nosrc, ST_DOMAIN_A, &err), err);
  ST_OK(sdrs_pg_spec_set_source_vpc_id(nosrc, ST_VPC, &err), err);
  char *job_id = NULL;
  ST_ERR_FIELD(sdrs_pg_create(&job_id, g_client, nosrc, NULL, &err), err, SDRS_EVALIDATION,
               "source_availability_zone");
  assert_null(job_id);
  sdrs_pg_spec_free(nosrc);
  /* a project id containing "../" */
  sdrs_config *cfg = st_config_new(NULL);
  ST_ERR_FIELD(sdrs_config_set_project_id(cfg, "../admin", &err), err, SDRS_EVALIDATION,
               "project_id");
  ST_ERR_FIELD(sdrs_config_set_project_id(cfg, "abc/../def", &err), err, SDRS_EVALIDATION,
               "project_id");
  sdrs_config_free(cfg);

  assert_int_equal(st_stat("requests") - before, 2 * self);
  assert_int_equal(st_stat("api_requests"), api_before);

  /* The rejected setters kept the previous values: the spec still creates "kept-name". */
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  ST_OK(sdrs_pg_create_and_wait(&pg, g_client, spec, wopts, &err), err);
  ST_STR(sdrs_pg_name(pg), "kept-name");
  ST_STR(sdrs_pg_source_az(pg), "eu-de-01");
  sdrs_pg_free(pg);
  sdrs_wait_opts_free(wopts);
  sdrs_pg_spec_free(spec);
}

/* ---- create, poll, wait, getters ---- */

static void test_job_status_names(void **state) {
  (void)state;
  ST_STR(sdrs_job_status_name(SDRS_JOB_UNKNOWN), "UNKNOWN");
  ST_STR(sdrs_job_status_name(SDRS_JOB_INIT), "INIT");
  ST_STR(sdrs_job_status_name(SDRS_JOB_RUNNING), "RUNNING");
  ST_STR(sdrs_job_status_name(SDRS_JOB_SUCCESS), "SUCCESS");
  ST_STR(sdrs_job_status_name(SDRS_JOB_FAIL), "FAIL");
  ST_STR(sdrs_job_status_name(5), "UNKNOWN");
  ST_STR(sdrs_job_status_name(-1), "UNKNOWN");
}

static void test_pg_status_names(void **state) {
  (void)state;
  static const char *names[] = {"unknown",        "creating",           "available",
                                "protected",      "deleting",           "error-deleting",
                                "error",          "starting",           "error-starting",
                                "reprotecting",   "error-reprotecting", "stopping",
                                "error-stopping", "reversing",          "error-reversing",
                                "failing-over",   "failed-over",        "error-failing-over"};
  assert_int_equal(SDRS_PG_ERROR_FAILING_OVER, 17);
  for (int32_t i = 0; i < 18; i++) {
    ST_STR(sdrs_pg_status_name(i), names[i]);
  }
  ST_STR(sdrs_pg_status_name(18), "unknown");
  ST_STR(sdrs_pg_status_name(-3), "unknown");
}

static void test_job_getters_null(void **state) {
  (void)state;
  assert_null(sdrs_job_id(NULL));
  assert_null(sdrs_job_type(NULL));
  assert_int_equal(sdrs_job_status(NULL), SDRS_JOB_UNKNOWN);
  assert_null(sdrs_job_status_str(NULL));
  assert_null(sdrs_job_begin_time(NULL));
  assert_null(sdrs_job_end_time(NULL));
  assert_true(sdrs_job_begin_time_ms(NULL) == SDRS_TIME_NONE);
  assert_true(sdrs_job_end_time_ms(NULL) == SDRS_TIME_NONE);
  assert_null(sdrs_job_error_code(NULL));
  assert_null(sdrs_job_fail_reason(NULL));
  assert_null(sdrs_job_entity(NULL, "server_group_id"));
  assert_int_equal(sdrs_job_sub_job_count(NULL), 0);
  assert_null(sdrs_job_sub_job(NULL, 0));
  assert_null(sdrs_job_json(NULL));
}

static void test_pg_getters_null(void **state) {
  (void)state;
  assert_null(sdrs_pg_id(NULL));
  assert_null(sdrs_pg_name(NULL));
  assert_null(sdrs_pg_description(NULL));
  assert_int_equal(sdrs_pg_status(NULL), SDRS_PG_UNKNOWN);
  assert_null(sdrs_pg_status_str(NULL));
  assert_null(sdrs_pg_source_az(NULL));
  assert_null(sdrs_pg_target_az(NULL));
  assert_null(sdrs_pg_domain_id(NULL));
  assert_null(sdrs_pg_domain_name(NULL));
  assert_null(sdrs_pg_priority_station(NULL));
  assert_null(sdrs_pg_protected_status(NULL));
  assert_null(sdrs_pg_replication_status(NULL));
  assert_null(sdrs_pg_health_status(NULL));
  assert_null(sdrs_pg_source_vpc_id(NULL));
  assert_null(sdrs_pg_target_vpc_id(NULL));
  assert_null(sdrs_pg_test_vpc_id(NULL));
  assert_null(sdrs_pg_dr_type(NULL));
  assert_null(sdrs_pg_server_type(NULL));
  assert_null(sdrs_pg_protection_type(NULL));
  assert_null(sdrs_pg_replication_model(NULL));
  assert_null(sdrs_pg_created_at(NULL));
  assert_null(sdrs_pg_updated_at(NULL));
  assert_true(sdrs_pg_created_at_ms(NULL) == SDRS_TIME_NONE);
  assert_true(sdrs_pg_updated_at_ms(NULL) == SDRS_TIME_NONE);
  assert_true(sdrs_pg_progress(NULL) == -1);
  assert_true(sdrs_pg_protected_instance_num(NULL) == -1);
  assert_true(sdrs_pg_replication_num(NULL) == -1);
  assert_true(sdrs_pg_disaster_recovery_drill_num(NULL) == -1);
  assert_null(sdrs_pg_json(NULL));
}

static int64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_create_poll_wait(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char name[64];
  st_unique_name(name, sizeof name, "create");
  sdrs_pg_spec *spec = st_spec_new(name);
  ST_OK(sdrs_pg_spec_set_description(spec, "created by test_pg_create", &err), err);
  ST_OK(sdrs_pg_spec_set_dr_type(spec, "migration", &err), err);
  ST_OK(sdrs_pg_spec_set_server_type(spec, "ECS", &err), err);
  long long creates = st_stat("creates");
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  assert_true(st_is_hex32(job_id));
  assert_int_equal(st_stat("creates"), creates + 1);

  /* One poll right away: INIT or RUNNING, all getters consistent. */
  sdrs_job *job = NULL;
  ST_OK(sdrs_job_poll(&job, g_client, job_id, NULL, &err), err);
  ST_STR(sdrs_job_id(job), job_id);
  ST_STR(sdrs_job_type(job), "createProtectionGroupNoCG");
  int32_t st = sdrs_job_status(job);
  assert_true(st == SDRS_JOB_INIT || st == SDRS_JOB_RUNNING || st == SDRS_JOB_SUCCESS);
  ST_STR(sdrs_job_status_str(job), sdrs_job_status_name(st));
  assert_true(st_contains(sdrs_job_json(job), job_id));
  sdrs_job_free(job);
  job = NULL;

  /* Poll with call options. */
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 5000, &err), err);
  ST_OK(sdrs_job_poll(&job, g_client, job_id, copts, &err), err);
  ST_STR(sdrs_job_id(job), job_id);
  sdrs_job_free(job);
  job = NULL;
  sdrs_call_opts_free(copts);

  job = st_wait_ok(g_client, job_id);
  ST_STR(sdrs_job_id(job), job_id);
  ST_STR(sdrs_job_type(job), "createProtectionGroupNoCG");
  ST_STR(sdrs_job_status_str(job), "SUCCESS");
  assert_null(sdrs_job_error_code(job));
  assert_null(sdrs_job_fail_reason(job));
  assert_non_null(sdrs_job_begin_time(job));
  assert_non_null(sdrs_job_end_time(job));
  int64_t b = sdrs_job_begin_time_ms(job);
  int64_t e = sdrs_job_end_time_ms(job);
  assert_true(b != SDRS_TIME_NONE);
  assert_true(e != SDRS_TIME_NONE);
  assert_true(e >= b);
  /* UTC wall clock: the job started within the last 10 minutes. */
  int64_t now = wall_ms();
  assert_true(b <= now + 60000 && b >= now - 600000);
  const char *gid = sdrs_job_entity(job, "server_group_id");
  assert_non_null(gid);
  assert_null(sdrs_job_entity(job, "no_such_entity"));
  assert_null(sdrs_job_entity(job, NULL));
  assert_int_equal(sdrs_job_sub_job_count(job), 0);
  assert_null(sdrs_job_sub_job(job, 0));

  /* The group the job created, with every getter. */
  sdrs_pg *pg = NULL;
  ST_OK(sdrs_pg_get(&pg, g_client, gid, NULL, &err), err);
  ST_STR(sdrs_pg_id(pg), gid);
  ST_STR(sdrs_pg_name(pg), name);
  ST_STR(sdrs_pg_description(pg), "created by test_pg_create");
  assert_int_equal(sdrs_pg_status(pg), SDRS_PG_AVAILABLE);
  ST_STR(sdrs_pg_status_str(pg), "available");
  ST_STR(sdrs_pg_source_az(pg), "eu-de-01");
  ST_STR(sdrs_pg_target_az(pg), "eu-de-02");
  ST_STR(sdrs_pg_domain_id(pg), ST_DOMAIN_A);
  ST_STR(sdrs_pg_domain_name(pg), "dr-domain-a");
  ST_STR(sdrs_pg_priority_station(pg), "source");
  ST_STR(sdrs_pg_source_vpc_id(pg), ST_VPC);
  ST_STR(sdrs_pg_target_vpc_id(pg), ST_VPC);
  ST_STR(sdrs_pg_dr_type(pg), "migration");
  ST_STR(sdrs_pg_server_type(pg), "ECS");
  assert_null(sdrs_pg_test_vpc_id(pg));
  (void)sdrs_pg_protected_status(pg);
  (void)sdrs_pg_replication_status(pg);
  (void)sdrs_pg_health_status(pg);
  (void)sdrs_pg_protection_type(pg);
  (void)sdrs_pg_replication_model(pg);
  assert_non_null(sdrs_pg_created_at(pg));
  assert_non_null(sdrs_pg_updated_at(pg));
  int64_t c = sdrs_pg_created_at_ms(pg);
  int64_t u = sdrs_pg_updated_at_ms(pg);
  assert_true(c != SDRS_TIME_NONE);
  assert_true(u != SDRS_TIME_NONE);
  assert_true(u >= c);
  assert_true(c <= now + 60000 && c >= now - 600000);
  assert_true(sdrs_pg_progress(pg) >= 0);
  assert_true(sdrs_pg_protected_instance_num(pg) == 0);
  assert_true(sdrs_pg_replication_num(pg) == 0);
  assert_true(sdrs_pg_disaster_recovery_drill_num(pg) == 0);
  assert_true(st_contains(sdrs_pg_json(pg), gid));
  assert_true(st_contains(sdrs_pg_json(pg), name));
  sdrs_pg_free(pg);

  sdrs_job_free(job);
  sdrs_string_free(job_id);
  sdrs_pg_spec_free(spec);
}

static void test_create_and_wait_default_opts(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char name[64];
  st_unique_name(name, sizeof name, "cw-default");
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_pg *pg = NULL;
  /* NULL wait options: library defaults (1 s initial interval). */
  ST_OK(sdrs_pg_create_and_wait(&pg, g_client, spec, NULL, &err), err);
  ST_STR(sdrs_pg_name(pg), name);
  assert_int_equal(sdrs_pg_status(pg), SDRS_PG_AVAILABLE);
  sdrs_pg_free(pg);
  sdrs_pg_spec_free(spec);
}

static void test_job_poll_and_wait_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_job *job = NULL;
  const char *id = "0123456789abcdef0123456789abcdef";
  ST_EINVAL(sdrs_job_poll(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_job_poll(&job, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_job_poll(&job, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_job_wait(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_job_wait(&job, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_job_wait(&job, g_client, NULL, NULL, &err), err);
  assert_null(job);

  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  char long_id[140];
  st_fill(long_id, 129, 'a');
  const char *bad[] = {"", "a/b", "..", "../jobs", "a b", "a\nb", "a\x01", long_id};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ST_ERR_FIELD(sdrs_job_poll(&job, g_client, bad[i], NULL, &err), err, SDRS_EVALIDATION,
                 "job_id");
    ST_ERR_FIELD(sdrs_job_wait(&job, g_client, bad[i], NULL, &err), err, SDRS_EVALIDATION,
                 "job_id");
    assert_null(job);
  }
  assert_int_equal(st_stat("requests") - before, self);
}

static void test_job_not_found(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_job *job = NULL;
  /* The emulator answers an unknown job with 404 and SDRS.0408 (an internal-class code); a 404
   * is a definite not-found whatever code rides along. */
  int rc = sdrs_job_poll(&job, g_client, "ffffffffffffffffffffffffffffffff", NULL, &err);
  ST_ERR(rc, err, SDRS_ENOTFOUND);
  ST_STR(sdrs_error_api_code(err), "SDRS.0408");
  assert_int_equal(sdrs_error_http_status(err), 404);
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_null(job);
  assert_true(st_contains(sdrs_error_body(err), "SDRS.0408"));
  sdrs_error_free(err);
  err = NULL;
  /* A wait does not retry a non-retryable error until its deadline. */
  sdrs_wait_opts *wopts = st_wait_opts_new(5000);
  int64_t t0 = st_now_ms();
  rc = sdrs_job_wait(&job, g_client, "ffffffffffffffffffffffffffffffff", wopts, &err);
  ST_ERR(rc, err, SDRS_ENOTFOUND);
  ST_STR(sdrs_error_api_code(err), "SDRS.0408");
  assert_null(job);
  assert_true(st_now_ms() - t0 < 4000);
  sdrs_error_free(err);
  sdrs_wait_opts_free(wopts);
}

static void test_unauthorized(void **state) {
  (void)state;
  sdrs_client *bad = st_client_new("not-the-token");
  sdrs_error *err = NULL;
  char name[64];
  st_unique_name(name, sizeof name, "unauth");
  sdrs_pg_spec *spec = st_spec_new(name);
  char *job_id = NULL;
  ST_ERR(sdrs_pg_create(&job_id, bad, spec, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_null(job_id);
  sdrs_error_free(err);
  err = NULL;

  sdrs_pg *pg = NULL;
  ST_ERR(sdrs_pg_create_and_wait(&pg, bad, spec, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_null(pg);
  sdrs_error_free(err);
  err = NULL;

  /* A real job id, polled with the wrong token. */
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_job *job = NULL;
  ST_ERR(sdrs_job_poll(&job, bad, job_id, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_null(job);
  sdrs_error_free(err);
  err = NULL;
  /* 401 is not transient: the wait fails at once instead of polling until the deadline. */
  sdrs_wait_opts *wopts = st_wait_opts_new(5000);
  int64_t t0 = st_now_ms();
  ST_ERR(sdrs_job_wait(&job, bad, job_id, wopts, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_true(st_now_ms() - t0 < 4000);
  assert_null(job);
  sdrs_error_free(err);
  sdrs_job_free(st_wait_ok(g_client, job_id));

  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
  sdrs_pg_spec_free(spec);
  sdrs_client_free(bad);
}

/* Inputs that pass the client-side rules but the service refuses (400, param class). */
static void test_create_rejected_by_service(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char *job_id = NULL;
  long long creates = st_stat("creates");
  sdrs_pg_spec *spec = st_spec_new("unknown-domain");
  ST_OK(sdrs_pg_spec_set_domain_id(spec, "11111111-2222-3333-4444-555555555555", &err), err);
  ST_ERR(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err, SDRS_EREQUEST);
  ST_STR(sdrs_error_api_code(err), "SDRS.0205");
  assert_int_equal(sdrs_error_http_status(err), 400);
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_non_null(sdrs_error_request_id(err));
  assert_true(sdrs_error_attempts(err) >= 1);
  assert_null(job_id);
  sdrs_error_free(err);
  err = NULL;
  sdrs_pg_spec_free(spec);

  /* AZs that are not the domain's two */
  spec = st_spec_new("wrong-az");
  ST_OK(sdrs_pg_spec_set_target_az(spec, "eu-de-03", &err), err);
  ST_ERR(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err, SDRS_EREQUEST);
  ST_STR(sdrs_error_api_code(err), "SDRS.0203");
  assert_int_equal(sdrs_error_http_status(err), 400);
  assert_null(job_id);
  sdrs_error_free(err);
  sdrs_pg_spec_free(spec);
  assert_int_equal(st_stat("creates"), creates);
}

/* ---- job failure ---- */

static void test_job_fail_by_name(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char name[64];
  st_unique_name(name, sizeof name, "fail-create");
  sdrs_pg_spec *spec = st_spec_new(name);
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  sdrs_job *job = NULL;
  ST_ERR(sdrs_job_wait(&job, g_client, job_id, wopts, &err), err, SDRS_EJOBFAILED);
  /* *out still gets the final job. */
  assert_non_null(job);
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_FAIL);
  ST_STR(sdrs_job_status_str(job), "FAIL");
  ST_STR(sdrs_job_error_code(job), "SDRS.1014");
  assert_non_null(sdrs_job_fail_reason(job));
  ST_STR(sdrs_error_api_code(err), "SDRS.1014");
  ST_STR(sdrs_error_job_id(err), job_id);
  ST_STR(sdrs_error_fail_reason(err), sdrs_job_fail_reason(job));
  assert_true(st_contains(sdrs_error_message(err), sdrs_job_fail_reason(job)));
  assert_true(st_contains(sdrs_error_body(err), job_id));
  assert_int_equal(sdrs_error_retryable(err), 0);
  sdrs_error_free(err);
  err = NULL;

  /* The group ended in "error". */
  const char *gid = sdrs_job_entity(job, "server_group_id");
  assert_non_null(gid);
  sdrs_pg *pg = NULL;
  ST_OK(sdrs_pg_get(&pg, g_client, gid, NULL, &err), err);
  assert_int_equal(sdrs_pg_status(pg), SDRS_PG_ERROR);
  ST_STR(sdrs_pg_status_str(pg), "error");
  sdrs_pg_free(pg);
  pg = NULL;
  sdrs_job_free(job);

  /* create_and_wait reports the same failure. */
  st_unique_name(name, sizeof name, "fail-cw");
  ST_OK(sdrs_pg_spec_set_name(spec, name, &err), err);
  ST_ERR(sdrs_pg_create_and_wait(&pg, g_client, spec, wopts, &err), err, SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(err), "SDRS.1014");
  assert_true(st_is_hex32(sdrs_error_job_id(err)));
  assert_non_null(sdrs_error_fail_reason(err));
  sdrs_error_free(err);
  sdrs_pg_free(pg);

  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
  sdrs_pg_spec_free(spec);
}

static void test_job_fail_injected(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char name[64];
  st_unique_name(name, sizeof name, "injected");
  sdrs_pg_spec *spec = st_spec_new(name);
  st_fail_next_jobs(1, "SDRS.1030", "injected failure 7f3a");
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  sdrs_job *job = NULL;
  ST_ERR(sdrs_job_wait(&job, g_client, job_id, wopts, &err), err, SDRS_EJOBFAILED);
  assert_non_null(job);
  ST_STR(sdrs_job_error_code(job), "SDRS.1030");
  ST_STR(sdrs_job_fail_reason(job), "injected failure 7f3a");
  ST_STR(sdrs_error_api_code(err), "SDRS.1030");
  ST_STR(sdrs_error_fail_reason(err), "injected failure 7f3a");
  ST_STR(sdrs_error_job_id(err), job_id);
  assert_true(st_contains(sdrs_error_message(err), "injected failure 7f3a"));
  sdrs_error_free(err);
  sdrs_job_free(job);
  sdrs_string_free(job_id);
  job_id = NULL;

  /* Only one job was to fail: the next one succeeds. */
  st_unique_name(name, sizeof name, "after-injected");
  ST_OK(sdrs_pg_spec_set_name(spec, name, &err), err);
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_job_free(st_wait_ok(g_client, job_id));
  sdrs_string_free(job_id);
  sdrs_wait_opts_free(wopts);
  sdrs_pg_spec_free(spec);
}

/* ---- deadline, cancel, progress ---- */

static char *create_long_job(void) {
  /* Long jobs only for this create; the teardown restores the fixture's durations. */
  st_set_job_times(20, 30000);
  char name[64];
  st_unique_name(name, sizeof name, "long");
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_error *err = NULL;
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_pg_spec_free(spec);
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  return job_id;
}

static int restore_job_times(void **state) {
  (void)state;
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  return 0;
}

static void test_wait_deadline(void **state) {
  (void)state;
  char *job_id = create_long_job();
  const int64_t timeout = 300;
  sdrs_wait_opts *wopts = st_wait_opts_new(timeout);
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  int64_t t0 = st_now_ms();
  int rc = sdrs_job_wait(&job, g_client, job_id, wopts, &err);
  int64_t elapsed = st_now_ms() - t0;
  printf("sdrs_job_wait deadline %lld ms: returned after %lld ms\n", (long long)timeout,
         (long long)elapsed);
  ST_ERR(rc, err, SDRS_ETIMEOUT);
  assert_null(job);
  assert_true(elapsed >= timeout - 10);
  /* The job runs 30 s: any bound well below that proves the deadline ended the wait. */
  assert_true(elapsed <= timeout + 3000 * st_time_scale());
  sdrs_error_free(err);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

struct trigger_ctx {
  sdrs_cancel *cancel;
  int64_t delay_ms;
  int64_t triggered_at;
};

static void *trigger_later(void *arg) {
  struct trigger_ctx *t = arg;
  st_sleep_ms(t->delay_ms);
  t->triggered_at = st_now_ms();
  sdrs_cancel_trigger(t->cancel);
  return NULL;
}

static void test_wait_cancel_from_thread(void **state) {
  (void)state;
  char *job_id = create_long_job();
  sdrs_error *err = NULL;
  sdrs_cancel *cancel = NULL;
  ST_OK(sdrs_cancel_new(&cancel, &err), err);
  /* A 5 s (+/- 20 %) sleep before the first poll: the trigger lands in it and must wake the
   * waiter. A waiter that slept on would return 3.8 s or more after the trigger, so a 2 s
   * bound catches it and leaves a loaded machine plenty of room. */
  sdrs_wait_opts *wopts = NULL;
  ST_OK(sdrs_wait_opts_new(&wopts, &err), err);
  ST_OK(sdrs_wait_opts_set_max_interval_ms(wopts, 5000, &err), err);
  ST_OK(sdrs_wait_opts_set_initial_interval_ms(wopts, 5000, &err), err);
  ST_OK(sdrs_wait_opts_set_timeout_ms(wopts, 20000, &err), err);
  ST_OK(sdrs_wait_opts_set_cancel(wopts, cancel, &err), err);

  struct trigger_ctx ctx = {cancel, 200, 0};
  pthread_t t;
  int64_t t0 = st_now_ms();
  assert_int_equal(pthread_create(&t, NULL, trigger_later, &ctx), 0);
  sdrs_job *job = NULL;
  int rc = sdrs_job_wait(&job, g_client, job_id, wopts, &err);
  int64_t returned = st_now_ms();
  assert_int_equal(pthread_join(t, NULL), 0);
  int64_t latency = returned - ctx.triggered_at;
  printf(
      "cancel: triggered %lld ms into the wait, sdrs_job_wait returned %lld ms after the "
      "trigger\n",
      (long long)(ctx.triggered_at - t0), (long long)latency);
  ST_ERR(rc, err, SDRS_ECANCELED);
  assert_null(job);
  assert_true(latency >= 0);
  assert_true(latency <= 2000 * st_time_scale());
  sdrs_error_free(err);
  err = NULL;

  /* A token that is already triggered cancels at once. */
  t0 = st_now_ms();
  ST_ERR(sdrs_job_wait(&job, g_client, job_id, wopts, &err), err, SDRS_ECANCELED);
  assert_true(st_now_ms() - t0 <= 2000 * st_time_scale()); /* not the 5 s sleep */
  assert_null(job);
  sdrs_error_free(err);

  sdrs_wait_opts_free(wopts);
  sdrs_cancel_free(cancel);
  sdrs_string_free(job_id);
}

struct progress_ctx {
  int calls;
  int stop_at; /* return nonzero on this call (1-based), 0: never */
  int wrong_id;
  int saw_success;
  char job_id[64];
};

static int progress_cb(const sdrs_job *job, void *userdata) {
  struct progress_ctx *p = userdata;
  p->calls++;
  if (sdrs_job_id(job) == NULL || strcmp(sdrs_job_id(job), p->job_id) != 0) {
    p->wrong_id = 1;
  }
  if (sdrs_job_status(job) == SDRS_JOB_SUCCESS) {
    p->saw_success = 1;
  }
  return p->stop_at != 0 && p->calls >= p->stop_at ? 1 : 0;
}

static void test_wait_progress(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char name[64];
  st_unique_name(name, sizeof name, "progress");
  sdrs_pg_spec *spec = st_spec_new(name);
  char *job_id = NULL;
  /* A 400 ms job: several status reads even on a loaded machine. */
  st_set_job_times(20, 400);
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);

  struct progress_ctx p;
  memset(&p, 0, sizeof p);
  snprintf(p.job_id, sizeof p.job_id, "%s", job_id);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  ST_OK(sdrs_wait_opts_set_progress(wopts, progress_cb, &p, &err), err);
  sdrs_job *job = NULL;
  ST_OK(sdrs_job_wait(&job, g_client, job_id, wopts, &err), err);
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_SUCCESS);
  /* Called on every status read, including the final one. */
  assert_true(p.calls >= 2);
  assert_false(p.wrong_id);
  assert_true(p.saw_success);
  sdrs_job_free(job);
  job = NULL;
  sdrs_string_free(job_id);
  job_id = NULL;

  /* A nonzero return stops the wait with SDRS_ECANCELED on that very call. */
  st_set_job_times(20, 30000);
  st_unique_name(name, sizeof name, "progress-stop");
  ST_OK(sdrs_pg_spec_set_name(spec, name, &err), err);
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  memset(&p, 0, sizeof p);
  p.stop_at = 2;
  snprintf(p.job_id, sizeof p.job_id, "%s", job_id);
  int64_t t0 = st_now_ms();
  ST_ERR(sdrs_job_wait(&job, g_client, job_id, wopts, &err), err, SDRS_ECANCELED);
  assert_true(st_now_ms() - t0 < 5000);
  assert_int_equal(p.calls, 2);
  assert_false(p.wrong_id);
  assert_null(job);
  sdrs_error_free(err);

  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
  sdrs_pg_spec_free(spec);
}

static void test_create_canceled_call(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_cancel *cancel = NULL;
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_cancel_new(&cancel, &err), err);
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_cancel(copts, cancel, &err), err);
  sdrs_cancel_trigger(cancel);
  sdrs_pg_spec *spec = st_spec_new("canceled-create");
  long long creates = st_stat("creates");
  char *job_id = NULL;
  ST_ERR(sdrs_pg_create(&job_id, g_client, spec, copts, &err), err, SDRS_ECANCELED);
  assert_null(job_id);
  assert_int_equal(st_stat("creates"), creates);
  sdrs_error_free(err);
  sdrs_pg_spec_free(spec);
  sdrs_call_opts_free(copts);
  sdrs_cancel_free(cancel);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spec_null_args),
      cmocka_unit_test(test_spec_name_rule),
      cmocka_unit_test(test_spec_description_rule),
      cmocka_unit_test(test_spec_required_fields_reject_empty),
      cmocka_unit_test(test_create_missing_fields),
      cmocka_unit_test(test_done_when_validation),
      cmocka_unit_test(test_job_status_names),
      cmocka_unit_test(test_pg_status_names),
      cmocka_unit_test(test_job_getters_null),
      cmocka_unit_test(test_pg_getters_null),
      cmocka_unit_test(test_create_poll_wait),
      cmocka_unit_test(test_create_and_wait_default_opts),
      cmocka_unit_test(test_job_poll_and_wait_args),
      cmocka_unit_test(test_job_not_found),
      cmocka_unit_test(test_unauthorized),
      cmocka_unit_test(test_create_rejected_by_service),
      cmocka_unit_test(test_job_fail_by_name),
      cmocka_unit_test(test_job_fail_injected),
      cmocka_unit_test_teardown(test_wait_deadline, restore_job_times),
      cmocka_unit_test_teardown(test_wait_cancel_from_thread, restore_job_times),
      cmocka_unit_test_teardown(test_wait_progress, restore_job_times),
      cmocka_unit_test(test_create_canceled_call),
  };
  return cmocka_run_group_tests_name("capi_pg_create", tests, st_group_setup, st_group_teardown);
}
