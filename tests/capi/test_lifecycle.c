/*
 * Calls on one group: get, rename, delete, enable, disable, failover, planned failover. Each
 * documented precondition, not-found, argument checks, action job failures and the end-to-end
 * scenario of the lifecycle issue.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#define MISSING_ID "00000000-0000-0000-0000-000000000000"

/* A fresh "available" group; the caller frees the returned id. */
static char *new_group(const char *prefix) {
  char name[64];
  st_unique_name(name, sizeof name, prefix);
  sdrs_pg *pg = st_create_group(g_client, name);
  assert_int_equal(sdrs_pg_status(pg), SDRS_PG_AVAILABLE);
  char *id = strdup(sdrs_pg_id(pg));
  sdrs_pg_free(pg);
  return id;
}

/* A real replication pair (public API) of a fixture disk in the group; returns its id. Pairs
 * need no VPC match, only the disk in the group's production AZ (eu-de-01). */
/* Deletes a pair through the public API and waits; frees the id. */
static void drop_pair(char *pair_id) {
  char *job = NULL;
  sdrs_error *err = NULL;
  /* delete_target_volume 0: a group left at the target site refuses it (SDRS.1809) */
  ST_OK(sdrs_pair_delete(&job, g_client, pair_id, NULL, 0, NULL, &err), err);
  sdrs_job *j = st_wait_ok(g_client, job);
  ST_STR(sdrs_job_type(j), "deleteReplicationPairNoCG");
  sdrs_job_free(j);
  sdrs_string_free(job);
  free(pair_id);
}

static int64_t replication_num(const char *id) {
  sdrs_pg *pg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_get(&pg, g_client, id, NULL, &err), err);
  int64_t n = sdrs_pg_replication_num(pg);
  sdrs_pg_free(pg);
  return n;
}

static int32_t group_status(const char *id) {
  sdrs_pg *pg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_get(&pg, g_client, id, NULL, &err), err);
  int32_t s = sdrs_pg_status(pg);
  sdrs_pg_free(pg);
  return s;
}

static char *priority_station(const char *id) {
  sdrs_pg *pg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_get(&pg, g_client, id, NULL, &err), err);
  assert_non_null(sdrs_pg_priority_station(pg));
  char *s = strdup(sdrs_pg_priority_station(pg));
  sdrs_pg_free(pg);
  return s;
}

/* Waits for an action's job: SUCCESS, the expected job type and group id. */
static void wait_action(char *job_id, const char *job_type, const char *group_id) {
  assert_true(st_is_hex32(job_id));
  sdrs_job *job = st_wait_ok(g_client, job_id);
  ST_STR(sdrs_job_type(job), job_type);
  ST_STR(sdrs_job_entity(job, "server_group_id"), group_id);
  sdrs_job_free(job);
  sdrs_string_free(job_id);
}

/* errp, not err: the argument must be read after the call has filled it in. */
static void expect_state_error(int rc, sdrs_error **errp, const char *api_code) {
  sdrs_error *err = *errp;
  *errp = NULL;
  ST_ERR(rc, err, SDRS_ECONFLICT);
  ST_STR(sdrs_error_api_code(err), api_code);
  assert_int_equal(sdrs_error_http_status(err), 400);
  assert_non_null(sdrs_error_request_id(err));
  assert_true(st_contains(sdrs_error_body(err), api_code));
  assert_int_equal(sdrs_error_retryable(err), 0);
  sdrs_error_free(err);
}

static void expect_not_found(int rc, sdrs_error **errp) {
  sdrs_error *err = *errp;
  *errp = NULL;
  ST_ERR(rc, err, SDRS_ENOTFOUND);
  ST_STR(sdrs_error_api_code(err), "SDRS.1013");
  assert_int_equal(sdrs_error_http_status(err), 400);
  assert_true(st_contains(sdrs_error_body(err), "SDRS.1013"));
  sdrs_error_free(err);
}

/* ---- argument checks ---- */

static void test_null_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pg *pg = NULL;
  char *job = NULL;
  const char *id = MISSING_ID;
  ST_EINVAL(sdrs_pg_get(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_get(&pg, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_get(&pg, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pg_rename(NULL, g_client, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pg_rename(&pg, NULL, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pg_rename(&pg, g_client, NULL, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pg_rename(&pg, g_client, id, NULL, NULL, &err), err);
  assert_null(pg);
  ST_EINVAL(sdrs_pg_delete(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_delete(&job, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_delete(&job, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pg_enable(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_enable(&job, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_enable(&job, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pg_disable(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_disable(&job, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_disable(&job, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pg_failover(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_failover(&job, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pg_failover(&job, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pg_planned_failover(NULL, g_client, id, "target", NULL, &err), err);
  ST_EINVAL(sdrs_pg_planned_failover(&job, NULL, id, "target", NULL, &err), err);
  ST_EINVAL(sdrs_pg_planned_failover(&job, g_client, NULL, "target", NULL, &err), err);
  ST_EINVAL(sdrs_pg_planned_failover(&job, g_client, id, NULL, NULL, &err), err);
  assert_null(job);
  /* err NULL: code only, no crash. */
  assert_int_equal(sdrs_pg_get(&pg, NULL, id, NULL, NULL), SDRS_EINVAL);
}

/* group ids are checked as path segments before sending. */
static void test_group_id_validation(void **state) {
  (void)state;
  char long_id[140];
  memset(long_id, 'g', 129);
  long_id[129] = '\0';
  const char *bad[] = {"", "a/b", "..", "../jobs", "a b", "a\tb", "a\x01", long_id};
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sdrs_error *err = NULL;
    sdrs_pg *pg = NULL;
    char *job = NULL;
    const char *id = bad[i];
    ST_ERR_FIELD(sdrs_pg_get(&pg, g_client, id, NULL, &err), err, SDRS_EVALIDATION,
                 "server_group_id");
    ST_ERR_FIELD(sdrs_pg_rename(&pg, g_client, id, "new-name", NULL, &err), err, SDRS_EVALIDATION,
                 "server_group_id");
    ST_ERR_FIELD(sdrs_pg_delete(&job, g_client, id, NULL, &err), err, SDRS_EVALIDATION,
                 "server_group_id");
    ST_ERR_FIELD(sdrs_pg_enable(&job, g_client, id, NULL, &err), err, SDRS_EVALIDATION,
                 "server_group_id");
    ST_ERR_FIELD(sdrs_pg_disable(&job, g_client, id, NULL, &err), err, SDRS_EVALIDATION,
                 "server_group_id");
    ST_ERR_FIELD(sdrs_pg_failover(&job, g_client, id, NULL, &err), err, SDRS_EVALIDATION,
                 "server_group_id");
    ST_ERR_FIELD(sdrs_pg_planned_failover(&job, g_client, id, "target", NULL, &err), err,
                 SDRS_EVALIDATION, "server_group_id");
    assert_null(pg);
    assert_null(job);
  }
  /* planned failover: priority_station must be "source" or "target" */
  const char *stations[] = {"", "middle", "Source", "TARGET"};
  for (size_t i = 0; i < sizeof stations / sizeof stations[0]; i++) {
    sdrs_error *err = NULL;
    char *job = NULL;
    ST_ERR_FIELD(sdrs_pg_planned_failover(&job, g_client, MISSING_ID, stations[i], NULL, &err), err,
                 SDRS_EVALIDATION, "priority_station");
    assert_null(job);
  }
  assert_int_equal(st_stat("requests") - before, self);
}

/* ---- not found ---- */

static void test_not_found(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pg *pg = NULL;
  char *job = NULL;
  expect_not_found(sdrs_pg_get(&pg, g_client, MISSING_ID, NULL, &err), &err);
  err = NULL;
  assert_null(pg);
  expect_not_found(sdrs_pg_rename(&pg, g_client, MISSING_ID, "renamed", NULL, &err), &err);
  err = NULL;
  assert_null(pg);
  expect_not_found(sdrs_pg_delete(&job, g_client, MISSING_ID, NULL, &err), &err);
  expect_not_found(sdrs_pg_enable(&job, g_client, MISSING_ID, NULL, &err), &err);
  expect_not_found(sdrs_pg_disable(&job, g_client, MISSING_ID, NULL, &err), &err);
  expect_not_found(sdrs_pg_failover(&job, g_client, MISSING_ID, NULL, &err), &err);
  expect_not_found(sdrs_pg_planned_failover(&job, g_client, MISSING_ID, "target", NULL, &err),
                   &err);
  assert_null(job);
}

static void test_unauthorized(void **state) {
  (void)state;
  char *id = new_group("unauth");
  sdrs_client *bad = st_client_new("bad-token");
  sdrs_error *err = NULL;
  sdrs_pg *pg = NULL;
  char *job = NULL;
  ST_ERR(sdrs_pg_get(&pg, bad, id, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_pg_rename(&pg, bad, id, "x", NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_pg_delete(&job, bad, id, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_pg_enable(&job, bad, id, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_pg_disable(&job, bad, id, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_pg_failover(&job, bad, id, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_pg_planned_failover(&job, bad, id, "target", NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  sdrs_error_free(err);
  assert_null(pg);
  assert_null(job);
  /* Nothing happened to the group. */
  assert_int_equal(group_status(id), SDRS_PG_AVAILABLE);
  sdrs_client_free(bad);
  free(id);
}

/* ---- get and rename ---- */

static void test_get_and_rename(void **state) {
  (void)state;
  char *id = new_group("rename");
  sdrs_error *err = NULL;
  sdrs_pg *pg = NULL;
  char newname[64];
  st_unique_name(newname, sizeof newname, "renamed");
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 5000, &err), err);
  ST_OK(sdrs_pg_rename(&pg, g_client, id, newname, copts, &err), err);
  ST_STR(sdrs_pg_id(pg), id);
  ST_STR(sdrs_pg_name(pg), newname);
  assert_int_equal(sdrs_pg_status(pg), SDRS_PG_AVAILABLE);
  sdrs_pg_free(pg);
  pg = NULL;
  ST_OK(sdrs_pg_get(&pg, g_client, id, copts, &err), err);
  ST_STR(sdrs_pg_name(pg), newname);
  ST_STR(sdrs_pg_domain_id(pg), ST_DOMAIN_A);
  sdrs_pg_free(pg);
  pg = NULL;

  /* The name rule applies to rename too, checked before sending. */
  char name65[70];
  memset(name65, 'r', 65);
  name65[65] = '\0';
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  const char *bad[] = {name65, "", "two words", "a/b", "x>y"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ST_ERR_FIELD(sdrs_pg_rename(&pg, g_client, id, bad[i], NULL, &err), err, SDRS_EVALIDATION,
                 "name");
    assert_null(pg);
  }
  assert_int_equal(st_stat("requests") - before, self);
  ST_OK(sdrs_pg_get(&pg, g_client, id, NULL, &err), err);
  ST_STR(sdrs_pg_name(pg), newname);
  sdrs_pg_free(pg);

  sdrs_call_opts_free(copts);
  free(id);
}

/* ---- delete and its preconditions ---- */

static void test_delete_preconditions(void **state) {
  (void)state;
  char *id = new_group("delete-pre");
  sdrs_error *err = NULL;
  char *job = NULL;

  st_set_group(id, "{\"protected_instance_num\": 1}");
  expect_state_error(sdrs_pg_delete(&job, g_client, id, NULL, &err), &err, "SDRS.1001");
  err = NULL;
  st_set_group(id, "{\"protected_instance_num\": 0}");
  char *pair = st_create_pair(g_client, id, "data-1", "lifecycle-pair", NULL);
  assert_int_equal(replication_num(id), 1);
  expect_state_error(sdrs_pg_delete(&job, g_client, id, NULL, &err), &err, "SDRS.1010");
  err = NULL;
  drop_pair(pair);
  assert_int_equal(replication_num(id), 0);
  st_set_group(id, "{\"disaster_recovery_drill_num\": 2}");
  expect_state_error(sdrs_pg_delete(&job, g_client, id, NULL, &err), &err, "SDRS.1003");
  err = NULL;
  /* a transitional status refuses deletion */
  st_set_group(id, "{\"disaster_recovery_drill_num\": 0, \"status\": \"starting\"}");
  expect_state_error(sdrs_pg_delete(&job, g_client, id, NULL, &err), &err, "SDRS.1002");
  err = NULL;
  assert_null(job);
  st_set_group(id, "{\"status\": \"available\"}");

  ST_OK(sdrs_pg_delete(&job, g_client, id, NULL, &err), err);
  wait_action(job, "deleteProtectionGroupNoCG", id);
  sdrs_pg *pg = NULL;
  expect_not_found(sdrs_pg_get(&pg, g_client, id, NULL, &err), &err);
  assert_null(pg);
  free(id);
}

/* ---- action preconditions ---- */

static void test_action_preconditions(void **state) {
  (void)state;
  char *id = new_group("action-pre");
  sdrs_error *err = NULL;
  char *job = NULL;

  /* available, no replication pair */
  expect_state_error(sdrs_pg_enable(&job, g_client, id, NULL, &err), &err, "SDRS.1002");
  expect_state_error(sdrs_pg_disable(&job, g_client, id, NULL, &err), &err, "SDRS.1019");
  expect_state_error(sdrs_pg_failover(&job, g_client, id, NULL, &err), &err, "SDRS.1022");
  expect_state_error(sdrs_pg_planned_failover(&job, g_client, id, "target", NULL, &err), &err,
                     "SDRS.1023");
  err = NULL;
  assert_null(job);
  assert_int_equal(group_status(id), SDRS_PG_AVAILABLE);

  /* protected, but without a replication pair: failover and planned failover refuse */
  st_set_group(id, "{\"status\": \"protected\"}");
  expect_state_error(sdrs_pg_failover(&job, g_client, id, NULL, &err), &err, "SDRS.1002");
  expect_state_error(sdrs_pg_planned_failover(&job, g_client, id, "source", NULL, &err), &err,
                     "SDRS.1002");
  err = NULL;
  /* enable of a protected group */
  expect_state_error(sdrs_pg_enable(&job, g_client, id, NULL, &err), &err, "SDRS.1021");
  err = NULL;
  assert_null(job);

  /* a transitional status refuses every action (with a pair in the group) */
  char *pair = st_create_pair(g_client, id, "data-2", "lifecycle-pair", NULL);
  st_set_group(id, "{\"status\": \"stopping\"}");
  expect_state_error(sdrs_pg_enable(&job, g_client, id, NULL, &err), &err, "SDRS.1021");
  expect_state_error(sdrs_pg_disable(&job, g_client, id, NULL, &err), &err, "SDRS.1019");
  expect_state_error(sdrs_pg_failover(&job, g_client, id, NULL, &err), &err, "SDRS.1022");
  expect_state_error(sdrs_pg_planned_failover(&job, g_client, id, "target", NULL, &err), &err,
                     "SDRS.1023");
  assert_null(job);
  st_set_group(id, "{\"status\": \"available\"}");
  drop_pair(pair);
  free(id);
}

/* ---- action job failures and the error states ---- */

static void test_action_job_failure(void **state) {
  (void)state;
  char *id = new_group("action-fail");
  char *pair = st_create_pair(g_client, id, "shared-1", "lifecycle-pair", NULL);
  sdrs_error *err = NULL;
  char *job = NULL;
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);

  st_fail_next_jobs(1, "SDRS.1027", "enable failed on purpose");
  ST_OK(sdrs_pg_enable(&job, g_client, id, NULL, &err), err);
  sdrs_job *j = NULL;
  ST_ERR(sdrs_job_wait(&j, g_client, job, wopts, &err), err, SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(err), "SDRS.1027");
  ST_STR(sdrs_error_fail_reason(err), "enable failed on purpose");
  ST_STR(sdrs_error_job_id(err), job);
  assert_non_null(j);
  ST_STR(sdrs_job_type(j), "startProtectionGroupNoCG");
  assert_int_equal(sdrs_job_status(j), SDRS_JOB_FAIL);
  ST_STR(sdrs_job_entity(j, "server_group_id"), id);
  sdrs_error_free(err);
  err = NULL;
  sdrs_job_free(j);
  j = NULL;
  sdrs_string_free(job);
  job = NULL;
  assert_int_equal(group_status(id), SDRS_PG_ERROR_STARTING);

  /* error-starting allows enabling again, which now succeeds */
  ST_OK(sdrs_pg_enable(&job, g_client, id, NULL, &err), err);
  wait_action(job, "startProtectionGroupNoCG", id);
  assert_int_equal(group_status(id), SDRS_PG_PROTECTED);

  /* a failed failover leaves error-failing-over; failover may be retried from there */
  st_fail_next_jobs(1, "SDRS.1030", "failover failed on purpose");
  ST_OK(sdrs_pg_failover(&job, g_client, id, NULL, &err), err);
  ST_ERR(sdrs_job_wait(&j, g_client, job, wopts, &err), err, SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(err), "SDRS.1030");
  ST_STR(sdrs_error_fail_reason(err), "failover failed on purpose");
  sdrs_error_free(err);
  err = NULL;
  sdrs_job_free(j);
  sdrs_string_free(job);
  job = NULL;
  assert_int_equal(group_status(id), SDRS_PG_ERROR_FAILING_OVER);
  char *ps = priority_station(id);
  assert_string_equal(ps, "source");
  free(ps);
  ST_OK(sdrs_pg_failover(&job, g_client, id, NULL, &err), err);
  wait_action(job, "failoverProtectionGroupNoCG", id);
  assert_int_equal(group_status(id), SDRS_PG_FAILED_OVER);

  /* a pair may be deleted while failed over (its DR disk stays: the sites are switched) */
  ST_OK(sdrs_pair_delete(&job, g_client, pair, id, 0, NULL, &err), err);
  sdrs_job_free(st_wait_ok(g_client, job));
  sdrs_string_free(job);
  free(pair);
  sdrs_wait_opts_free(wopts);
  free(id);
}

/* ---- the end-to-end scenario ---- */

static void test_end_to_end(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char *job = NULL;

  /* domains: pick the one that is not sold out */
  sdrs_domain_list *domains = NULL;
  ST_OK(sdrs_domain_list_get(&domains, g_client, NULL, &err), err);
  const sdrs_domain *dom = NULL;
  for (size_t i = 0; i < sdrs_domain_list_size(domains); i++) {
    if (sdrs_domain_sold_out(sdrs_domain_list_at(domains, i)) == 0) {
      dom = sdrs_domain_list_at(domains, i);
      break;
    }
  }
  assert_non_null(dom);
  ST_STR(sdrs_domain_id(dom), ST_DOMAIN_A);

  /* create -> wait */
  char name[64];
  st_unique_name(name, sizeof name, "e2e");
  sdrs_pg_spec *spec = NULL;
  ST_OK(sdrs_pg_spec_new(&spec, &err), err);
  ST_OK(sdrs_pg_spec_set_name(spec, name, &err), err);
  ST_OK(sdrs_pg_spec_set_description(spec, "end-to-end", &err), err);
  ST_OK(sdrs_pg_spec_set_source_az(spec, sdrs_domain_local_az(dom), &err), err);
  ST_OK(sdrs_pg_spec_set_target_az(spec, sdrs_domain_remote_az(dom), &err), err);
  ST_OK(sdrs_pg_spec_set_domain_id(spec, sdrs_domain_id(dom), &err), err);
  ST_OK(sdrs_pg_spec_set_source_vpc_id(spec, ST_VPC, &err), err);
  ST_OK(sdrs_pg_create(&job, g_client, spec, NULL, &err), err);
  sdrs_job *j = st_wait_ok(g_client, job);
  ST_STR(sdrs_job_type(j), "createProtectionGroupNoCG");
  char *id = strdup(sdrs_job_entity(j, "server_group_id"));
  sdrs_job_free(j);
  sdrs_string_free(job);
  job = NULL;
  sdrs_pg_spec_free(spec);
  sdrs_domain_list_free(domains);
  assert_int_equal(group_status(id), SDRS_PG_AVAILABLE);

  /* a replication pair (public API) -> enable -> protected */
  char *pair = st_create_pair(g_client, id, "shared-2", "lifecycle-pair", NULL);
  assert_int_equal(replication_num(id), 1);
  ST_OK(sdrs_pg_enable(&job, g_client, id, NULL, &err), err);
  wait_action(job, "startProtectionGroupNoCG", id);
  assert_int_equal(group_status(id), SDRS_PG_PROTECTED);

  /* failover -> failed-over, production at the target site */
  ST_OK(sdrs_pg_failover(&job, g_client, id, NULL, &err), err);
  wait_action(job, "failoverProtectionGroupNoCG", id);
  assert_int_equal(group_status(id), SDRS_PG_FAILED_OVER);
  char *ps = priority_station(id);
  assert_string_equal(ps, "target");
  free(ps);

  /* enable again = re-protect */
  ST_OK(sdrs_pg_enable(&job, g_client, id, NULL, &err), err);
  wait_action(job, "reprotectProtectionGroupNoCG", id);
  assert_int_equal(group_status(id), SDRS_PG_PROTECTED);
  ps = priority_station(id);
  assert_string_equal(ps, "target");
  free(ps);

  /* planned failover back to the source site, then to the target site */
  ST_OK(sdrs_pg_planned_failover(&job, g_client, id, "source", NULL, &err), err);
  wait_action(job, "reverseProtectionGroupNoCG", id);
  assert_int_equal(group_status(id), SDRS_PG_PROTECTED);
  ps = priority_station(id);
  assert_string_equal(ps, "source");
  free(ps);
  ST_OK(sdrs_pg_planned_failover(&job, g_client, id, "target", NULL, &err), err);
  wait_action(job, "reverseProtectionGroupNoCG", id);
  ps = priority_station(id);
  assert_string_equal(ps, "target");
  free(ps);

  /* disable -> available */
  ST_OK(sdrs_pg_disable(&job, g_client, id, NULL, &err), err);
  wait_action(job, "stopProtectionGroupNoCG", id);
  assert_int_equal(group_status(id), SDRS_PG_AVAILABLE);

  /* drop the pair -> delete -> gone */
  drop_pair(pair);
  assert_int_equal(replication_num(id), 0);
  ST_OK(sdrs_pg_delete(&job, g_client, id, NULL, &err), err);
  wait_action(job, "deleteProtectionGroupNoCG", id);
  sdrs_pg *pg = NULL;
  expect_not_found(sdrs_pg_get(&pg, g_client, id, NULL, &err), &err);
  err = NULL;

  /* the list does not show it any more */
  sdrs_pg_list_opts *lopts = NULL;
  ST_OK(sdrs_pg_list_opts_new(&lopts, &err), err);
  ST_OK(sdrs_pg_list_opts_set_name(lopts, name, &err), err);
  sdrs_pg_list *list = NULL;
  ST_OK(sdrs_pg_list_get(&list, g_client, lopts, NULL, &err), err);
  for (size_t i = 0; i < sdrs_pg_list_size(list); i++) {
    assert_string_not_equal(sdrs_pg_id(sdrs_pg_list_at(list, i)), id);
  }
  assert_int_equal(sdrs_pg_list_size(list), 0);
  assert_true(sdrs_pg_list_count(list) == 0);
  sdrs_pg_list_free(list);
  sdrs_pg_list_opts_free(lopts);
  free(id);
}

static int setup(void **state) {
  st_group_setup(state);
  st_reset(); /* the fixture disks the pairs are made of unpaired again */
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_null_args),
      cmocka_unit_test(test_group_id_validation),
      cmocka_unit_test(test_not_found),
      cmocka_unit_test(test_unauthorized),
      cmocka_unit_test(test_get_and_rename),
      cmocka_unit_test(test_delete_preconditions),
      cmocka_unit_test(test_action_preconditions),
      cmocka_unit_test(test_action_job_failure),
      cmocka_unit_test(test_end_to_end),
  };
  return cmocka_run_group_tests_name("capi_lifecycle", tests, setup, st_group_teardown);
}
