/*
 * The rest of SDRS v1 (issue 16) through the public C API: DR drills (sdrs/drill.h), tags and
 * the tag query (sdrs/tag.h), the task center (sdrs/task.h) and quotas (sdrs/quota.h). The
 * scenario of the issue (protect two servers -> tag -> query -> drill -> delete the drill ->
 * a failed job -> task center -> delete it -> quotas moving), every validation rule with no
 * request sent, and the preconditions the emulator models with their SDRS codes.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#define VPC_DRILL "c0000000-0000-4000-8000-00000000000c"
#define VPC_EMPTY "e0000000-0000-4000-8000-00000000000e"
#define VPC_OTHER_CIDR "f0000000-0000-4000-8000-00000000000f"
#define VPC_UNKNOWN "d0000000-0000-4000-8000-00000000000d"
#define MISSING_ID "00000000-0000-0000-0000-000000000000"

static sdrs_wait_opts *g_wait;

/* An error answered by the service: rc is the handle's code, with this HTTP status and SDRS
 * code; frees err. */
static void expect_api(int rc, sdrs_error **errp, int http, const char *api_code) {
  sdrs_error *err = *errp;
  *errp = NULL;
  if (rc == 0 || err == NULL || sdrs_error_api_code(err) == NULL ||
      strcmp(sdrs_error_api_code(err), api_code) != 0) {
    fprintf(stderr, "expected %s\n", api_code);
    st_print_error("expect_api", err);
  }
  assert_true(rc < 0);
  assert_non_null(err);
  assert_int_equal(sdrs_error_code(err), rc);
  ST_STR(sdrs_error_api_code(err), api_code);
  assert_int_equal(sdrs_error_http_status(err), http);
  sdrs_error_free(err);
}

static sdrs_pi *protect(const char *group_id, const char *server_name, const char *name) {
  char *server = st_fixture_server_id(server_name);
  sdrs_pi_spec *spec = st_pi_spec_new(group_id, server, name);
  sdrs_error *err = NULL;
  sdrs_pi *pi = NULL;
  ST_OK(sdrs_pi_create_and_wait(&pi, g_client, spec, g_wait, &err), err);
  sdrs_pi_spec_free(spec);
  free(server);
  return pi;
}

static void wait_ok(char **job) {
  sdrs_job_free(st_wait_ok(g_client, *job));
  sdrs_string_free(*job);
  *job = NULL;
}

static void delete_pi(const char *id) {
  char *job = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_delete(&job, g_client, id, 1, 0, NULL, &err), err);
  wait_ok(&job);
}

/* Every pair of the group, then the group. */
static void drop_group(const char *gid) {
  sdrs_error *err = NULL;
  sdrs_pair_list_opts *o = NULL;
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, gid, &err), err);
  sdrs_pair_list *l = NULL;
  ST_OK(sdrs_pair_list_get(&l, g_client, o, NULL, &err), err);
  char *job = NULL;
  for (size_t i = 0; i < sdrs_pair_list_size(l); i++) {
    ST_OK(
        sdrs_pair_delete(&job, g_client, sdrs_pair_id(sdrs_pair_list_at(l, i)), gid, 1, NULL, &err),
        err);
    wait_ok(&job);
  }
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);
  ST_OK(sdrs_pg_delete(&job, g_client, gid, NULL, &err), err);
  wait_ok(&job);
}

/* used of a quota type, and its limit kind/value. */
static int64_t quota_used(const char *type, int32_t *kind, int64_t *limit) {
  sdrs_quota *q = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_quota_get(&q, g_client, NULL, &err), err);
  assert_int_equal(sdrs_quota_size(q), 2);
  int64_t i = sdrs_quota_find(q, type);
  assert_true(i >= 0);
  ST_STR(sdrs_quota_type(q, (size_t)i), type);
  int64_t used = sdrs_quota_used(q, (size_t)i);
  int64_t v = -12345;
  int32_t k = sdrs_quota_limit(q, (size_t)i, &v);
  if (kind != NULL) *kind = k;
  if (limit != NULL) *limit = v;
  if (k == SDRS_QUOTA_UNLIMITED) assert_int_equal(v, -12345); /* nothing stored */
  /* The emulator's max is -1: unlimited, never handed out as a number. */
  v = -12345;
  assert_int_equal(sdrs_quota_max(q, (size_t)i, &v), SDRS_QUOTA_UNLIMITED);
  assert_int_equal(v, -12345);
  assert_int_equal(sdrs_quota_min(q, (size_t)i, &v), SDRS_QUOTA_LIMITED);
  assert_int_equal(v, 0);
  assert_int_equal(sdrs_quota_limit(q, 99, &v), SDRS_QUOTA_ABSENT);
  assert_int_equal(sdrs_quota_find(q, "drills"), -1);
  assert_true(st_contains(sdrs_quota_json(q), "resources"));
  sdrs_quota_free(q);
  return used;
}

static sdrs_tag_query *query_new(void) {
  sdrs_tag_query *q = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_tag_query_new(&q, &err), err);
  return q;
}

static int64_t count_of(const sdrs_tag_query *q) {
  int64_t n = -1;
  sdrs_error *err = NULL;
  ST_OK(sdrs_tag_query_count(&n, g_client, q, NULL, &err), err);
  return n;
}

static size_t tag_count(const char *pi_id) {
  sdrs_tag_list *l = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_tag_list_get(&l, g_client, pi_id, NULL, &err), err);
  size_t n = sdrs_tag_list_size(l);
  sdrs_tag_list_free(l);
  return n;
}

static sdrs_drill_spec *drill_spec(const char *gid, const char *name, const char *vpc) {
  sdrs_drill_spec *s = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_drill_spec_new(&s, &err), err);
  ST_OK(sdrs_drill_spec_set_server_group_id(s, gid, &err), err);
  ST_OK(sdrs_drill_spec_set_name(s, name, &err), err);
  ST_OK(sdrs_drill_spec_set_drill_vpc_id(s, vpc, &err), err);
  return s;
}

static size_t task_count(const char *gid, const char *failure_status) {
  sdrs_task_list_opts *o = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_task_list_opts_new(&o, &err), err);
  if (gid != NULL) ST_OK(sdrs_task_list_opts_set_server_group_id(o, gid, &err), err);
  if (failure_status != NULL) {
    ST_OK(sdrs_task_list_opts_set_failure_status(o, failure_status, &err), err);
  }
  sdrs_task_list *l = NULL;
  ST_OK(sdrs_task_list_get(&l, g_client, o, NULL, &err), err);
  size_t n = sdrs_task_list_size(l);
  assert_int_equal(sdrs_task_list_count(l), (int64_t)n);
  sdrs_task_list_free(l);
  sdrs_task_list_opts_free(o);
  return n;
}

/* ---- the scenario of the issue ---- */

static void test_scenario(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  const int64_t groups0 = quota_used("server_groups", NULL, NULL);
  const int64_t pairs0 = quota_used("replications", NULL, NULL);

  char *gid = st_new_fixture_group("rest");
  assert_int_equal(quota_used("server_groups", NULL, NULL), groups0 + 1);
  sdrs_pi *p1 = protect(gid, "app-1", "erp-web");
  sdrs_pi *p2 = protect(gid, "app-2", "erp-db");
  /* app-1 has two disks, app-2 three: one pair each. */
  assert_int_equal(quota_used("replications", NULL, NULL), pairs0 + 5);
  const char *id1 = sdrs_pi_id(p1);
  const char *id2 = sdrs_pi_id(p2);

  /* Tags: one by one, in a batch, and a key that needs percent-encoding in the path. */
  const char *odd_key = "cost center \xc3\xbc%?#";
  ST_OK(sdrs_tag_add(g_client, id1, "app", "erp", NULL, &err), err);
  ST_OK(sdrs_tag_add(g_client, id1, odd_key, "42", NULL, &err), err);
  sdrs_tag_set *set = NULL;
  ST_OK(sdrs_tag_set_new(&set, &err), err);
  ST_OK(sdrs_tag_set_add(set, "app", "erp", &err), err);
  ST_OK(sdrs_tag_set_add(set, "tier", "db", &err), err);
  ST_OK(sdrs_tag_batch_add(g_client, id2, set, NULL, &err), err);
  sdrs_tag_set_free(set);

  sdrs_tag_list *tl = NULL;
  ST_OK(sdrs_tag_list_get(&tl, g_client, id1, NULL, &err), err);
  assert_int_equal(sdrs_tag_list_size(tl), 2);
  int seen_odd = 0;
  for (size_t i = 0; i < 2; i++) {
    if (strcmp(sdrs_tag_list_key(tl, i), odd_key) == 0) {
      ST_STR(sdrs_tag_list_value(tl, i), "42");
      seen_odd = 1;
    }
  }
  assert_true(seen_odd);
  assert_null(sdrs_tag_list_key(tl, 2));
  sdrs_tag_list_free(tl);

  sdrs_tag_project_list *pl = NULL;
  ST_OK(sdrs_tag_project_list_get(&pl, g_client, NULL, &err), err);
  int seen_app = 0;
  for (size_t i = 0; i < sdrs_tag_project_list_size(pl); i++) {
    if (strcmp(sdrs_tag_project_list_key(pl, i), "app") == 0) {
      assert_int_equal(sdrs_tag_project_list_value_count(pl, i), 1);
      ST_STR(sdrs_tag_project_list_value(pl, i, 0), "erp");
      assert_null(sdrs_tag_project_list_value(pl, i, 1));
      seen_app = 1;
    }
  }
  assert_true(seen_app);
  sdrs_tag_project_list_free(pl);

  /* Query by tag: filter (with the instances as sdrs_pi) and count. */
  sdrs_tag_query *q = query_new();
  ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "app", "erp", &err), err);
  assert_int_equal(count_of(q), 2);
  sdrs_tag_query_result *r = NULL;
  ST_OK(sdrs_tag_query_filter(&r, g_client, q, NULL, &err), err);
  assert_int_equal(sdrs_tag_query_result_size(r), 2);
  assert_int_equal(sdrs_tag_query_result_total_count(r), 2);
  for (size_t i = 0; i < 2; i++) {
    const sdrs_pi *pi = sdrs_tag_query_result_instance(r, i);
    assert_non_null(pi);
    ST_STR(sdrs_pi_id(pi), sdrs_tag_query_result_resource_id(r, i));
    ST_STR(sdrs_pi_name(pi), sdrs_tag_query_result_resource_name(r, i));
    ST_STR(sdrs_pi_server_group_id(pi), gid);
    assert_true(sdrs_pi_tag_count(pi) >= 1);
  }
  assert_null(sdrs_tag_query_result_instance(r, 2));
  assert_true(st_contains(sdrs_tag_query_result_json(r), "total_count"));
  sdrs_tag_query_result_free(r);

  /* Paged by the iterator, one per page. */
  ST_OK(sdrs_tag_query_set_limit(q, 1, &err), err);
  sdrs_tag_query_iter *it = NULL;
  ST_OK(sdrs_tag_query_iter_new(&it, g_client, q, &err), err);
  int n = 0;
  const sdrs_pi *pi = NULL;
  for (;;) {
    ST_OK(sdrs_tag_query_iter_next(&pi, it, NULL, &err), err);
    if (pi == NULL) break;
    assert_true(strcmp(sdrs_pi_id(pi), id1) == 0 || strcmp(sdrs_pi_id(pi), id2) == 0);
    n++;
  }
  assert_int_equal(n, 2);
  sdrs_tag_query_iter_free(it);
  /* The count form refuses the paging the filter form had. */
  const long long before = st_stat("api_requests");
  ST_ERR_FIELD(sdrs_tag_query_count(&(int64_t){0}, g_client, q, NULL, &err), err, SDRS_EVALIDATION,
               "limit");
  assert_int_equal(st_stat("api_requests"), before);
  sdrs_tag_query_free(q);

  q = query_new();
  ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ANY, "app", NULL, &err), err);
  ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_NOT_ANY, "tier", "*d", &err), err);
  assert_int_equal(count_of(q), 1);
  ST_OK(sdrs_tag_query_filter(&r, g_client, q, NULL, &err), err);
  assert_int_equal(sdrs_tag_query_result_size(r), 1);
  ST_STR(sdrs_tag_query_result_resource_id(r, 0), id1);
  sdrs_tag_query_result_free(r);
  sdrs_tag_query_free(q);
  q = query_new();
  ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_NOT_ALL, "app", "erp", &err), err);
  ST_OK(sdrs_tag_query_set_name(q, "ERP-", &err), err);
  assert_int_equal(count_of(q), 0);
  sdrs_tag_query_free(q);
  q = query_new();
  ST_OK(sdrs_tag_query_set_name(q, "-DB", &err), err);
  assert_int_equal(count_of(q), 1);
  sdrs_tag_query_free(q);

  /* Delete one (percent-encoded key), then a missing key: 404 SDRS.2206. */
  ST_OK(sdrs_tag_delete(g_client, id1, odd_key, NULL, &err), err);
  assert_int_equal(tag_count(id1), 1);
  int rc = sdrs_tag_delete(g_client, id1, odd_key, NULL, &err);
  assert_int_equal(rc, SDRS_ENOTFOUND);
  expect_api(rc, &err, 404, "SDRS.2206");
  /* Batch delete by key (no value). */
  ST_OK(sdrs_tag_set_new(&set, &err), err);
  ST_OK(sdrs_tag_set_add(set, "tier", NULL, &err), err);
  ST_OK(sdrs_tag_batch_delete(g_client, id2, set, NULL, &err), err);
  sdrs_tag_set_free(set);
  assert_int_equal(tag_count(id2), 1);

  /* Drill: create-and-wait, inspect the drill servers, get, rename, list, delete. */
  sdrs_drill_spec *ds = drill_spec(gid, "drill-1", VPC_DRILL);
  sdrs_drill *d = NULL;
  ST_OK(sdrs_drill_create_and_wait(&d, g_client, ds, g_wait, &err), err);
  sdrs_drill_spec_free(ds);
  ST_STR(sdrs_drill_name(d), "drill-1");
  assert_int_equal(sdrs_drill_status(d), SDRS_DRILL_AVAILABLE);
  ST_STR(sdrs_drill_status_name(sdrs_drill_status(d)), "available");
  ST_STR(sdrs_drill_drill_vpc_id(d), VPC_DRILL);
  ST_STR(sdrs_drill_server_group_id(d), gid);
  assert_true(sdrs_drill_created_at_ms(d) != SDRS_TIME_NONE);
  assert_int_equal(sdrs_drill_server_count(d), 2);
  int seen = 0;
  for (size_t i = 0; i < 2; i++) {
    const char *inst = sdrs_drill_server_instance_id(d, i);
    assert_non_null(inst);
    seen |= strcmp(inst, id1) == 0 ? 1 : strcmp(inst, id2) == 0 ? 2 : 0;
    char *role = st_server_field_by_id(sdrs_drill_server_id(d, i), "role");
    ST_STR(role, "drill");
    free(role);
  }
  assert_int_equal(seen, 3);
  assert_null(sdrs_drill_server_id(d, 2));
  char *drill_id = strdup(sdrs_drill_id(d));
  sdrs_drill_free(d);

  ST_OK(sdrs_drill_rename(&d, g_client, drill_id, "drill-renamed", NULL, &err), err);
  ST_STR(sdrs_drill_name(d), "drill-renamed");
  sdrs_drill_free(d);
  ST_OK(sdrs_drill_get(&d, g_client, drill_id, NULL, &err), err);
  ST_STR(sdrs_drill_name(d), "drill-renamed");
  assert_true(st_contains(sdrs_drill_json(d), drill_id));
  sdrs_drill_free(d);
  sdrs_drill_list_opts *dlo = NULL;
  ST_OK(sdrs_drill_list_opts_new(&dlo, &err), err);
  ST_OK(sdrs_drill_list_opts_set_server_group_id(dlo, gid, &err), err);
  ST_OK(sdrs_drill_list_opts_set_drill_vpc_id(dlo, VPC_DRILL, &err), err);
  ST_OK(sdrs_drill_list_opts_set_status(dlo, "available", &err), err);
  sdrs_drill_list *dl = NULL;
  ST_OK(sdrs_drill_list_get(&dl, g_client, dlo, NULL, &err), err);
  assert_int_equal(sdrs_drill_list_size(dl), 1);
  assert_int_equal(sdrs_drill_list_count(dl), 1);
  ST_STR(sdrs_drill_id(sdrs_drill_list_at(dl, 0)), drill_id);
  sdrs_drill_list_free(dl);
  sdrs_drill_iter *di = NULL;
  ST_OK(sdrs_drill_iter_new(&di, g_client, dlo, &err), err);
  const sdrs_drill *dd = NULL;
  ST_OK(sdrs_drill_iter_next(&dd, di, NULL, &err), err);
  ST_STR(sdrs_drill_id(dd), drill_id);
  ST_OK(sdrs_drill_iter_next(&dd, di, NULL, &err), err);
  assert_null(dd);
  sdrs_drill_iter_free(di);
  sdrs_drill_list_opts_free(dlo);

  /* One drill per VPC. */
  ds = drill_spec(gid, "drill-2", VPC_DRILL);
  char *job = NULL;
  expect_api(sdrs_drill_create(&job, g_client, ds, NULL, &err), &err, 400, "SDRS.1921");
  sdrs_drill_spec_free(ds);

  ST_OK(sdrs_drill_delete(&job, g_client, drill_id, NULL, &err), err);
  wait_ok(&job);
  expect_api(sdrs_drill_get(&d, g_client, drill_id, NULL, &err), &err, 400, "SDRS.1902");
  free(drill_id);

  /* A failed job lands in the task center (inside the group); deleted there by its job id. */
  assert_int_equal(task_count(gid, NULL), 0);
  long st = st_admin("POST", "/_emulator/fail-next-jobs",
                     "{\"count\": 1, \"job_type\": \"createReplicationPairNoCG\", "
                     "\"error_code\": \"SDRS.1609\", \"fail_reason\": \"disk gone\"}",
                     NULL);
  assert_int_equal(st, 200);
  char *vol = st_fixture_volume_id("data-1");
  sdrs_pair_spec *ps = NULL;
  ST_OK(sdrs_pair_spec_new(&ps, &err), err);
  ST_OK(sdrs_pair_spec_set_server_group_id(ps, gid, &err), err);
  ST_OK(sdrs_pair_spec_set_volume_id(ps, vol, &err), err);
  ST_OK(sdrs_pair_spec_set_name(ps, "will-fail", &err), err);
  sdrs_pair *pair = NULL;
  rc = sdrs_pair_create_and_wait(&pair, g_client, ps, g_wait, &err);
  ST_ERR(rc, err, SDRS_EJOBFAILED);
  sdrs_error_free(err);
  err = NULL;
  sdrs_pair_spec_free(ps);
  free(vol);

  sdrs_task_list_opts *to = NULL;
  ST_OK(sdrs_task_list_opts_new(&to, &err), err);
  ST_OK(sdrs_task_list_opts_set_server_group_id(to, gid, &err), err);
  ST_OK(sdrs_task_list_opts_set_resource_type(to, "replications", &err), err);
  ST_OK(sdrs_task_list_opts_set_failure_status(to, "createFail", &err), err);
  sdrs_task_list *tk = NULL;
  ST_OK(sdrs_task_list_get(&tk, g_client, to, NULL, &err), err);
  assert_int_equal(sdrs_task_list_size(tk), 1);
  assert_int_equal(sdrs_task_list_count(tk), 1);
  const sdrs_task *t = sdrs_task_list_at(tk, 0);
  assert_true(st_is_hex32(sdrs_task_job_id(t)) || strlen(sdrs_task_job_id(t)) > 0);
  ST_STR(sdrs_task_job_type(t), "createReplicationPairNoCG");
  ST_STR(sdrs_task_job_status(t), "FAIL");
  ST_STR(sdrs_task_resource_type(t), "replications");
  ST_STR(sdrs_task_resource_name(t), "will-fail");
  assert_non_null(sdrs_task_resource_id(t));
  ST_STR(sdrs_task_failure_status(t), "createFail");
  ST_STR(sdrs_task_error_code(t), "SDRS.1609");
  ST_STR(sdrs_task_fail_reason(t), "disk gone");
  assert_non_null(sdrs_task_begin_time(t));
  assert_true(sdrs_task_begin_time_ms(t) > st_now_ms() - 600000);
  assert_true(st_contains(sdrs_task_json(t), "createFail"));
  assert_null(sdrs_task_list_at(tk, 1));
  char *failed_job = strdup(sdrs_task_job_id(t));
  sdrs_task_list_free(tk);
  sdrs_task_iter *ti = NULL;
  ST_OK(sdrs_task_iter_new(&ti, g_client, to, &err), err);
  ST_OK(sdrs_task_iter_next(&t, ti, NULL, &err), err);
  ST_STR(sdrs_task_job_id(t), failed_job);
  ST_OK(sdrs_task_iter_next(&t, ti, NULL, &err), err);
  assert_null(t);
  sdrs_task_iter_free(ti);
  sdrs_task_list_opts_free(to);
  assert_int_equal(task_count(gid, "deleteFail"), 0);
  assert_int_equal(task_count(NULL, NULL), 0); /* not a group-level failure */

  ST_OK(sdrs_task_delete(g_client, failed_job, NULL, &err), err);
  assert_int_equal(task_count(gid, NULL), 0);
  free(failed_job);

  /* Teardown: quotas move back. */
  delete_pi(id1);
  delete_pi(id2);
  sdrs_pi_free(p1);
  sdrs_pi_free(p2);
  drop_group(gid); /* the failed pair too */
  free(gid);
  assert_int_equal(quota_used("server_groups", NULL, NULL), groups0);
  assert_int_equal(quota_used("replications", NULL, NULL), pairs0);
}

/* ---- every validation rule: SDRS_EVALIDATION naming the wire field, nothing sent ---- */

#define VFAIL(call, field) ST_ERR_FIELD((call), err, SDRS_EVALIDATION, (field))

static void test_validation(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char long_text[300];
  const long long before = st_stat("api_requests");

  /* Drills. */
  sdrs_drill_spec *ds = NULL;
  ST_OK(sdrs_drill_spec_new(&ds, &err), err);
  char *job = NULL;
  VFAIL(sdrs_drill_create(&job, g_client, ds, NULL, &err), "server_group_id");
  VFAIL(sdrs_drill_spec_set_server_group_id(ds, "", &err), "server_group_id");
  ST_OK(sdrs_drill_spec_set_server_group_id(ds, MISSING_ID, &err), err);
  VFAIL(sdrs_drill_create(&job, g_client, ds, NULL, &err), "name");
  VFAIL(sdrs_drill_spec_set_name(ds, "bad name", &err), "name");
  memset(long_text, 'a', 65);
  long_text[65] = '\0';
  VFAIL(sdrs_drill_spec_set_name(ds, long_text, &err), "name");
  VFAIL(sdrs_drill_spec_set_drill_vpc_id(ds, "", &err), "drill_vpc_id");
  VFAIL(sdrs_drill_spec_set_drill_vpc_id(ds, "a\nb", &err), "drill_vpc_id");
  sdrs_drill_spec_free(ds);
  sdrs_drill *d = NULL;
  VFAIL(sdrs_drill_get(&d, g_client, "a/b", NULL, &err), "disaster_recovery_drill_id");
  VFAIL(sdrs_drill_get(&d, g_client, "", NULL, &err), "disaster_recovery_drill_id");
  VFAIL(sdrs_drill_rename(&d, g_client, MISSING_ID, "bad name", NULL, &err), "name");
  VFAIL(sdrs_drill_delete(&job, g_client, "..", NULL, &err), "disaster_recovery_drill_id");
  sdrs_drill_list_opts *dlo = NULL;
  ST_OK(sdrs_drill_list_opts_new(&dlo, &err), err);
  VFAIL(sdrs_drill_list_opts_set_limit(dlo, 0, &err), "limit");
  VFAIL(sdrs_drill_list_opts_set_limit(dlo, 1001, &err), "limit");
  VFAIL(sdrs_drill_list_opts_set_offset(dlo, -1, &err), "offset");
  VFAIL(sdrs_drill_list_opts_set_status(dlo, "not a status", &err), "status");
  VFAIL(sdrs_drill_list_opts_set_name(dlo, "", &err), "name");
  VFAIL(sdrs_drill_list_opts_set_server_group_id(dlo, "", &err), "server_group_id");
  VFAIL(sdrs_drill_list_opts_set_drill_vpc_id(dlo, "", &err), "drill_vpc_id");
  sdrs_drill_list_opts_free(dlo);

  /* Tags. */
  VFAIL(sdrs_tag_add(g_client, MISSING_ID, "", "v", NULL, &err), "tag.key");
  VFAIL(sdrs_tag_add(g_client, MISSING_ID, "  ", "v", NULL, &err), "tag.key");
  memset(long_text, 'k', 128);
  long_text[128] = '\0';
  VFAIL(sdrs_tag_add(g_client, MISSING_ID, long_text, "v", NULL, &err), "tag.key");
  VFAIL(sdrs_tag_add(g_client, MISSING_ID, "k\x01", "v", NULL, &err), "tag.key");
  memset(long_text, 'v', 256);
  long_text[256] = '\0';
  VFAIL(sdrs_tag_add(g_client, MISSING_ID, "k", long_text, NULL, &err), "tag.value");
  VFAIL(sdrs_tag_add(g_client, MISSING_ID, "k", "\xc3", NULL, &err), "tag.value");
  VFAIL(sdrs_tag_add(g_client, "tags", "k", "v", NULL, &err), "protected_instance_id");
  VFAIL(sdrs_tag_add(g_client, "a/b", "k", "v", NULL, &err), "protected_instance_id");
  VFAIL(sdrs_tag_delete(g_client, MISSING_ID, "", NULL, &err), "key");
  VFAIL(sdrs_tag_delete(g_client, "resource_instances", "k", NULL, &err), "protected_instance_id");
  sdrs_tag_list *tl = NULL;
  VFAIL(sdrs_tag_list_get(&tl, g_client, "batch", NULL, &err), "protected_instance_id");
  sdrs_tag_set *set = NULL;
  ST_OK(sdrs_tag_set_new(&set, &err), err);
  VFAIL(sdrs_tag_batch_add(g_client, MISSING_ID, set, NULL, &err), "tags");
  VFAIL(sdrs_tag_batch_delete(g_client, MISSING_ID, set, NULL, &err), "tags");
  VFAIL(sdrs_tag_set_add(set, "", "v", &err), "tags[].key");
  VFAIL(sdrs_tag_set_add(set, "k", long_text, &err), "tags[].value");
  ST_OK(sdrs_tag_set_add(set, "k0", NULL, &err), err);
  VFAIL(sdrs_tag_set_add(set, "k0", "v", &err), "tags[].key");
  VFAIL(sdrs_tag_batch_add(g_client, MISSING_ID, set, NULL, &err), "tags[].value");
  for (int i = 1; i < 20; i++) {
    char key[16];
    snprintf(key, sizeof key, "k%d", i);
    ST_OK(sdrs_tag_set_add(set, key, "v", &err), err);
  }
  VFAIL(sdrs_tag_set_add(set, "k20", "v", &err), "tags");
  VFAIL(sdrs_tag_batch_add(g_client, "delete", set, NULL, &err), "protected_instance_id");
  sdrs_tag_set_free(set);

  sdrs_tag_query *q = query_new();
  VFAIL(sdrs_tag_query_add(q, 4, "k", NULL, &err), "match");
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ANY, "", NULL, &err), "tags_any[].key");
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_NOT_ALL, " ", NULL, &err), "not_tags[].key");
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "k", "*", &err), "tags[].values");
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_NOT_ANY, "k", long_text, &err),
        "not_tags_any[].values");
  ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "k", "v", &err), err);
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "k", "v", &err), "tags[].values");
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "k", NULL, &err), "tags[].values");
  for (int i = 1; i < 20; i++) {
    char v[16];
    snprintf(v, sizeof v, "v%d", i);
    ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "k", v, &err), err);
  }
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "k", "v20", &err), "tags[].values");
  for (int i = 1; i < 20; i++) {
    char k[16];
    snprintf(k, sizeof k, "key%d", i);
    ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, k, NULL, &err), err);
  }
  VFAIL(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ALL, "key20", NULL, &err), "tags");
  VFAIL(sdrs_tag_query_set_name(q, long_text, &err), "matches[].value");
  VFAIL(sdrs_tag_query_set_name(q, "a\x02", &err), "matches[].value");
  VFAIL(sdrs_tag_query_set_limit(q, 0, &err), "limit");
  VFAIL(sdrs_tag_query_set_limit(q, 1001, &err), "limit");
  VFAIL(sdrs_tag_query_set_offset(q, -1, &err), "offset");
  ST_OK(sdrs_tag_query_set_offset(q, 5, &err), err);
  int64_t n = 0;
  VFAIL(sdrs_tag_query_count(&n, g_client, q, NULL, &err), "offset");
  sdrs_tag_query_free(q);

  /* Task center. */
  VFAIL(sdrs_task_delete(g_client, "batch", NULL, &err), "failure_job_id");
  VFAIL(sdrs_task_delete(g_client, "Batch", NULL, &err), "failure_job_id");
  VFAIL(sdrs_task_delete(g_client, "a/b", NULL, &err), "failure_job_id");
  VFAIL(sdrs_task_delete(g_client, "", NULL, &err), "failure_job_id");
  VFAIL(sdrs_task_delete_group(g_client, "a?b", NULL, &err), "server_group_id");
  sdrs_task_list_opts *to = NULL;
  ST_OK(sdrs_task_list_opts_new(&to, &err), err);
  VFAIL(sdrs_task_list_opts_set_limit(to, 0, &err), "limit");
  VFAIL(sdrs_task_list_opts_set_offset(to, -1, &err), "offset");
  VFAIL(sdrs_task_list_opts_set_failure_status(to, "create_fail", &err), "failure_status");
  VFAIL(sdrs_task_list_opts_set_resource_type(to, "protectedInstance", &err), "resource_type");
  VFAIL(sdrs_task_list_opts_set_resource_name(to, "", &err), "resource_name");
  VFAIL(sdrs_task_list_opts_set_server_group_id(to, "", &err), "server_group_id");
  sdrs_task_list_opts_free(to);

  assert_int_equal(st_stat("api_requests"), before);
}

static void test_null_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_quota *qt = NULL;
  ST_EINVAL(sdrs_quota_get(NULL, g_client, NULL, &err), err);
  ST_EINVAL(sdrs_quota_get(&qt, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_tag_add(g_client, MISSING_ID, NULL, "v", NULL, &err), err);
  ST_EINVAL(sdrs_tag_add(g_client, MISSING_ID, "k", NULL, NULL, &err), err);
  ST_EINVAL(sdrs_tag_batch_add(g_client, MISSING_ID, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_tag_query_count(NULL, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_task_delete(g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_task_delete_group_level(NULL, NULL, &err), err);
  ST_EINVAL(sdrs_drill_create_and_wait(NULL, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_drill_spec_set_name(NULL, "x", &err), err);
  /* NULL handles in getters read as absent. */
  assert_null(sdrs_drill_id(NULL));
  assert_int_equal(sdrs_drill_server_count(NULL), 0);
  assert_int_equal(sdrs_drill_created_at_ms(NULL), SDRS_TIME_NONE);
  assert_int_equal(sdrs_quota_size(NULL), 0);
  assert_int_equal(sdrs_quota_limit(NULL, 0, NULL), SDRS_QUOTA_ABSENT);
  assert_int_equal(sdrs_quota_used(NULL, 0), -1);
  assert_int_equal(sdrs_tag_query_result_total_count(NULL), -1);
  assert_null(sdrs_tag_query_result_instance(NULL, 0));
  assert_null(sdrs_task_job_id(NULL));
  assert_int_equal(sdrs_task_begin_time_ms(NULL), SDRS_TIME_NONE);
  ST_STR(sdrs_drill_status_name(99), "unknown");
  ST_STR(sdrs_drill_status_name(SDRS_DRILL_ERROR_DELETING), "error-deleting");
}

/* ---- preconditions the emulator models, with their codes ---- */

static void test_preconditions(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char *job = NULL;
  char *gid = st_new_fixture_group("pre");
  sdrs_pi *p1 = protect(gid, "app-3", "pre-web");
  const char *id1 = sdrs_pi_id(p1);

  /* Drill VPC rules. */
  char *group_vpc = st_fixture_server_field("app-1", "vpc_id");
  const struct {
    const char *vpc;
    const char *code;
  } vpc_rules[] = {{group_vpc, "SDRS.1907"},
                   {VPC_UNKNOWN, "SDRS.1928"},
                   {VPC_EMPTY, "SDRS.1908"},
                   {VPC_OTHER_CIDR, "SDRS.1909"}};
  for (size_t i = 0; i < sizeof vpc_rules / sizeof vpc_rules[0]; i++) {
    sdrs_drill_spec *ds = drill_spec(gid, "pre-drill", vpc_rules[i].vpc);
    expect_api(sdrs_drill_create(&job, g_client, ds, NULL, &err), &err, 400, vpc_rules[i].code);
    sdrs_drill_spec_free(ds);
  }
  free(group_vpc);
  /* Unknown group; a group state that forbids drills. */
  sdrs_drill_spec *ds = drill_spec(MISSING_ID, "pre-drill", VPC_DRILL);
  expect_api(sdrs_drill_create(&job, g_client, ds, NULL, &err), &err, 400, "SDRS.1013");
  sdrs_drill_spec_free(ds);
  st_set_group(gid, "{\"status\": \"starting\"}");
  ds = drill_spec(gid, "pre-drill", VPC_DRILL);
  expect_api(sdrs_drill_create(&job, g_client, ds, NULL, &err), &err, 400, "SDRS.1002");
  st_set_group(gid, "{\"status\": \"available\"}");
  /* Without a drill VPC the service makes one (optional per the documentation). */
  ST_OK(sdrs_drill_spec_set_drill_vpc_id(ds, NULL, &err), err);
  sdrs_drill *d = NULL;
  ST_OK(sdrs_drill_create_and_wait(&d, g_client, ds, g_wait, &err), err);
  sdrs_drill_spec_free(ds);
  assert_non_null(sdrs_drill_drill_vpc_id(d));
  assert_int_equal(sdrs_drill_server_count(d), 1);
  ST_STR(sdrs_drill_server_instance_id(d, 0), id1);
  char *drill_id = strdup(sdrs_drill_id(d));
  sdrs_drill_free(d);
  /* A failed drill delete: error-deleting, then a failed drill in the task center. */
  st_fail_next_jobs(1, "SDRS.1923", "drill delete failed");
  ST_OK(sdrs_drill_delete(&job, g_client, drill_id, NULL, &err), err);
  sdrs_job *fj = NULL;
  ST_ERR(sdrs_job_wait(&fj, g_client, job, g_wait, &err), err, SDRS_EJOBFAILED);
  /* A failed job still comes back as the final job (job.h): the caller frees it. */
  assert_non_null(fj);
  assert_int_equal(sdrs_job_status(fj), SDRS_JOB_FAIL);
  sdrs_job_free(fj);
  sdrs_error_free(err);
  err = NULL;
  sdrs_string_free(job);
  job = NULL;
  ST_OK(sdrs_drill_get(&d, g_client, drill_id, NULL, &err), err);
  assert_int_equal(sdrs_drill_status(d), SDRS_DRILL_ERROR_DELETING);
  sdrs_drill_free(d);
  assert_int_equal(task_count(gid, "deleteFail"), 1);
  ST_OK(sdrs_task_delete_group(g_client, gid, NULL, &err), err);
  assert_int_equal(task_count(gid, NULL), 0);
  ST_OK(sdrs_drill_delete(&job, g_client, drill_id, NULL, &err), err);
  wait_ok(&job);
  expect_api(sdrs_drill_delete(&job, g_client, drill_id, NULL, &err), &err, 400, "SDRS.1902");
  expect_api(sdrs_drill_rename(&d, g_client, drill_id, "x", NULL, &err), &err, 400, "SDRS.1902");
  free(drill_id);

  /* Tag limits: 20 per instance (2203), the service's stricter key/value lengths. */
  sdrs_tag_set *set = NULL;
  ST_OK(sdrs_tag_set_new(&set, &err), err);
  for (int i = 0; i < 20; i++) {
    char key[16];
    snprintf(key, sizeof key, "k%d", i);
    ST_OK(sdrs_tag_set_add(set, key, "v", &err), err);
  }
  ST_OK(sdrs_tag_batch_add(g_client, id1, set, NULL, &err), err);
  sdrs_tag_set_free(set);
  assert_int_equal(tag_count(id1), 20);
  expect_api(sdrs_tag_add(g_client, id1, "one-more", "v", NULL, &err), &err, 400, "SDRS.2203");
  ST_OK(sdrs_tag_add(g_client, id1, "k0", "new value", NULL, &err), err); /* overwrite */
  assert_int_equal(tag_count(id1), 20);
  char key37[40];
  memset(key37, 'k', 37);
  key37[37] = '\0';
  ST_OK(sdrs_tag_delete(g_client, id1, "k1", NULL, &err), err);
  expect_api(sdrs_tag_add(g_client, id1, key37, "v", NULL, &err), &err, 400, "SDRS.2204");
  expect_api(sdrs_tag_add(g_client, MISSING_ID, "k", "v", NULL, &err), &err, 400, "SDRS.1320");

  /* Group-level failures: a failed group create, removed by the group-level delete. */
  char name[64];
  st_unique_name(name, sizeof name, "fail-group");
  sdrs_pg_spec *gs = st_spec_new(name);
  sdrs_pg *pg = NULL;
  ST_ERR(sdrs_pg_create_and_wait(&pg, g_client, gs, g_wait, &err), err, SDRS_EJOBFAILED);
  sdrs_error_free(err);
  err = NULL;
  sdrs_pg_spec_free(gs);
  assert_true(task_count(NULL, "createFail") >= 1);
  ST_OK(sdrs_task_delete_group_level(g_client, NULL, &err), err);
  assert_int_equal(task_count(NULL, NULL), 0);

  /* Quotas: SDRS.0305 for groups, SDRS.0306 for pairs; -1 reads as unlimited. */
  int32_t kind = 0;
  int64_t limit = 0;
  const int64_t groups = quota_used("server_groups", &kind, &limit);
  assert_int_equal(kind, SDRS_QUOTA_LIMITED);
  const int64_t pairs = quota_used("replications", NULL, NULL);
  char cfg[128];
  snprintf(cfg, sizeof cfg, "{\"quota_server_groups\": %lld, \"quota_replications\": %lld}",
           (long long)groups, (long long)pairs);
  assert_int_equal(st_admin("POST", "/_emulator/config", cfg, NULL), 200);
  assert_int_equal(quota_used("server_groups", &kind, &limit), groups);
  assert_int_equal(kind, SDRS_QUOTA_LIMITED);
  assert_int_equal(limit, groups);
  st_unique_name(name, sizeof name, "over");
  gs = st_spec_new(name);
  expect_api(sdrs_pg_create(&job, g_client, gs, NULL, &err), &err, 400, "SDRS.0305");
  sdrs_pg_spec_free(gs);
  char *vol = st_fixture_volume_id("data-2");
  sdrs_pair_spec *ps = NULL;
  ST_OK(sdrs_pair_spec_new(&ps, &err), err);
  ST_OK(sdrs_pair_spec_set_server_group_id(ps, gid, &err), err);
  ST_OK(sdrs_pair_spec_set_volume_id(ps, vol, &err), err);
  ST_OK(sdrs_pair_spec_set_name(ps, "over", &err), err);
  int rc = sdrs_pair_create(&job, g_client, ps, NULL, &err);
  assert_int_equal(rc, SDRS_EQUOTA);
  expect_api(rc, &err, 400, "SDRS.0306");
  sdrs_pair_spec_free(ps);
  free(vol);
  assert_int_equal(st_admin("POST", "/_emulator/config",
                            "{\"quota_server_groups\": -1, \"quota_replications\": -1}", NULL),
                   200);
  quota_used("server_groups", &kind, &limit);
  assert_int_equal(kind, SDRS_QUOTA_UNLIMITED);
  quota_used("replications", &kind, &limit);
  assert_int_equal(kind, SDRS_QUOTA_UNLIMITED);

  delete_pi(id1);
  sdrs_pi_free(p1);
  drop_group(gid);
  free(gid);
}

static int setup(void **state) {
  st_group_setup(state);
  st_reset(); /* the fixture servers unprotected again, quotas as started */
  g_wait = st_wait_opts_new(15000);
  return 0;
}

static int teardown(void **state) {
  st_reset();
  sdrs_wait_opts_free(g_wait);
  return st_group_teardown(state);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_null_args),
      cmocka_unit_test(test_validation),
      cmocka_unit_test(test_scenario),
      cmocka_unit_test(test_preconditions),
  };
  return cmocka_run_group_tests_name("capi_rest", tests, setup, teardown);
}
