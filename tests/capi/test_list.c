/*
 * Listing: list options, one page (sdrs_pg_list_get), paging, every filter, the iterator and
 * the 2,500-group walk of the list issue.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts ids and asserts that no id appears twice. */
static void assert_unique(char **ids, size_t n) {
  qsort(ids, n, sizeof ids[0], cmp_str);
  for (size_t i = 1; i < n; i++) {
    if (strcmp(ids[i - 1], ids[i]) == 0) {
      fprintf(stderr, "id %s listed twice\n", ids[i]);
      fail();
    }
  }
}

static void free_ids(char **ids, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(ids[i]);
  }
  free(ids);
}

static sdrs_pg_list_opts *opts_new(void) {
  sdrs_pg_list_opts *o = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_list_opts_new(&o, &err), err);
  assert_non_null(o);
  return o;
}

static sdrs_pg_list *list_page(const sdrs_pg_list_opts *o) {
  sdrs_pg_list *list = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_list_get(&list, g_client, o, NULL, &err), err);
  assert_non_null(list);
  return list;
}

/* Number of groups matching a name filter (and optionally more), over one page. */
static size_t count_named(const char *name, const char *status, const char *query_type,
                          const char *az) {
  sdrs_pg_list_opts *o = opts_new();
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_list_opts_set_name(o, name, &err), err);
  if (status) {
    ST_OK(sdrs_pg_list_opts_set_status(o, status, &err), err);
  }
  if (query_type) {
    ST_OK(sdrs_pg_list_opts_set_query_type(o, query_type, &err), err);
  }
  if (az) {
    ST_OK(sdrs_pg_list_opts_set_availability_zone(o, az, &err), err);
  }
  sdrs_pg_list *list = list_page(o);
  size_t n = sdrs_pg_list_size(list);
  assert_true(sdrs_pg_list_count(list) == (int64_t)n);
  for (size_t i = 0; i < n; i++) {
    const sdrs_pg *pg = sdrs_pg_list_at(list, i);
    assert_true(st_contains(sdrs_pg_name(pg), name));
    if (status) {
      ST_STR(sdrs_pg_status_str(pg), status);
    }
  }
  sdrs_pg_list_free(list);
  sdrs_pg_list_opts_free(o);
  return n;
}

#define EXPECT_EVAL(call, field) ST_ERR_FIELD((call), err, SDRS_EVALIDATION, field)

static void test_list_opts(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  ST_EINVAL(sdrs_pg_list_opts_new(NULL, &err), err);
  ST_EINVAL(sdrs_pg_list_opts_set_limit(NULL, 10, &err), err);
  ST_EINVAL(sdrs_pg_list_opts_set_offset(NULL, 10, &err), err);
  ST_EINVAL(sdrs_pg_list_opts_set_status(NULL, "protected", &err), err);
  ST_EINVAL(sdrs_pg_list_opts_set_name(NULL, "x", &err), err);
  ST_EINVAL(sdrs_pg_list_opts_set_query_type(NULL, "general", &err), err);
  ST_EINVAL(sdrs_pg_list_opts_set_availability_zone(NULL, "eu-de-01", &err), err);

  sdrs_pg_list_opts *o = opts_new();
  ST_OK(sdrs_pg_list_opts_set_limit(o, 1, &err), err);
  ST_OK(sdrs_pg_list_opts_set_limit(o, 1000, &err), err);
  EXPECT_EVAL(sdrs_pg_list_opts_set_limit(o, 0, &err), "limit");
  EXPECT_EVAL(sdrs_pg_list_opts_set_limit(o, 1001, &err), "limit");
  EXPECT_EVAL(sdrs_pg_list_opts_set_limit(o, -1, &err), "limit");
  ST_OK(sdrs_pg_list_opts_set_offset(o, 0, &err), err);
  ST_OK(sdrs_pg_list_opts_set_offset(o, 123456, &err), err);
  EXPECT_EVAL(sdrs_pg_list_opts_set_offset(o, -1, &err), "offset");
  const char *qt[] = {"general", "status_abnormal", "stop_protected", "period_no_dr_drill"};
  for (size_t i = 0; i < 4; i++) {
    ST_OK(sdrs_pg_list_opts_set_query_type(o, qt[i], &err), err);
  }
  EXPECT_EVAL(sdrs_pg_list_opts_set_query_type(o, "everything", &err), "query_type");
  ST_OK(sdrs_pg_list_opts_set_status(o, "protected", &err), err);
  ST_OK(sdrs_pg_list_opts_set_name(o, "x", &err), err);
  ST_OK(sdrs_pg_list_opts_set_availability_zone(o, "eu-de-01", &err), err);
  /* NULL clears every filter */
  ST_OK(sdrs_pg_list_opts_set_status(o, NULL, &err), err);
  ST_OK(sdrs_pg_list_opts_set_name(o, NULL, &err), err);
  ST_OK(sdrs_pg_list_opts_set_query_type(o, NULL, &err), err);
  ST_OK(sdrs_pg_list_opts_set_availability_zone(o, NULL, &err), err);
  sdrs_pg_list_opts_free(o);
}

static void test_list_null_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pg_list *list = NULL;
  sdrs_pg_iter *it = NULL;
  const sdrs_pg *pg = NULL;
  ST_EINVAL(sdrs_pg_list_get(NULL, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pg_list_get(&list, NULL, NULL, NULL, &err), err);
  assert_null(list);
  ST_EINVAL(sdrs_pg_iter_new(NULL, g_client, NULL, &err), err);
  ST_EINVAL(sdrs_pg_iter_new(&it, NULL, NULL, &err), err);
  assert_null(it);
  ST_OK(sdrs_pg_iter_new(&it, g_client, NULL, &err), err);
  ST_EINVAL(sdrs_pg_iter_next(NULL, it, NULL, &err), err);
  ST_EINVAL(sdrs_pg_iter_next(&pg, NULL, NULL, &err), err);
  sdrs_pg_iter_free(it);
  /* getters on NULL */
  assert_int_equal(sdrs_pg_list_size(NULL), 0);
  assert_null(sdrs_pg_list_at(NULL, 0));
  assert_true(sdrs_pg_list_count(NULL) == -1);
}

/* Unfiltered list: service defaults; list getters; at() out of range. */
static void test_list_all(void **state) {
  (void)state;
  st_reset();
  st_seed_groups(30, "all-", "available");
  sdrs_error *err = NULL;
  sdrs_pg_list *list = NULL;
  ST_OK(sdrs_pg_list_get(&list, g_client, NULL, NULL, &err), err);
  assert_int_equal(sdrs_pg_list_size(list), 30);
  assert_true(sdrs_pg_list_count(list) == 30);
  assert_null(sdrs_pg_list_at(list, 30));
  assert_null(sdrs_pg_list_at(list, (size_t)-1));
  char **ids = calloc(30, sizeof *ids);
  for (size_t i = 0; i < 30; i++) {
    const sdrs_pg *pg = sdrs_pg_list_at(list, i);
    assert_non_null(pg);
    assert_non_null(sdrs_pg_id(pg));
    assert_true(strncmp(sdrs_pg_name(pg), "all-", 4) == 0);
    assert_int_equal(sdrs_pg_status(pg), SDRS_PG_AVAILABLE);
    assert_true(st_contains(sdrs_pg_json(pg), sdrs_pg_id(pg)));
    ids[i] = strdup(sdrs_pg_id(pg));
  }
  assert_unique(ids, 30);
  free_ids(ids, 30);
  /* an empty options object means the same */
  sdrs_pg_list_opts *o = opts_new();
  sdrs_pg_list *list2 = list_page(o);
  assert_int_equal(sdrs_pg_list_size(list2), 30);
  sdrs_pg_list_free(list2);
  sdrs_pg_list_opts_free(o);
  /* with call options */
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 5000, &err), err);
  sdrs_pg_list *list3 = NULL;
  ST_OK(sdrs_pg_list_get(&list3, g_client, NULL, copts, &err), err);
  assert_int_equal(sdrs_pg_list_size(list3), 30);
  sdrs_pg_list_free(list3);
  sdrs_call_opts_free(copts);
  sdrs_pg_list_free(list);
}

/* limit/offset pages over 25 matching groups. */
static void test_list_paging(void **state) {
  (void)state;
  char prefix[64];
  st_unique_name(prefix, sizeof prefix, "page");
  strcat(prefix, "-");
  st_seed_groups(25, prefix, "available");
  char **ids = calloc(25, sizeof *ids);
  size_t n = 0;
  sdrs_error *err = NULL;
  const size_t expect[] = {10, 10, 5, 0};
  for (int page = 0; page < 4; page++) {
    sdrs_pg_list_opts *o = opts_new();
    ST_OK(sdrs_pg_list_opts_set_name(o, prefix, &err), err);
    ST_OK(sdrs_pg_list_opts_set_limit(o, 10, &err), err);
    ST_OK(sdrs_pg_list_opts_set_offset(o, page * 10, &err), err);
    sdrs_pg_list *list = list_page(o);
    assert_int_equal(sdrs_pg_list_size(list), expect[page]);
    assert_true(sdrs_pg_list_count(list) == 25);
    for (size_t i = 0; i < sdrs_pg_list_size(list); i++) {
      const sdrs_pg *pg = sdrs_pg_list_at(list, i);
      assert_true(st_contains(sdrs_pg_name(pg), prefix));
      assert_true(n < 25);
      ids[n++] = strdup(sdrs_pg_id(pg));
    }
    sdrs_pg_list_free(list);
    sdrs_pg_list_opts_free(o);
  }
  assert_int_equal(n, 25);
  assert_unique(ids, n);
  free_ids(ids, n);
}

/* status, name, query_type and availability_zone filters. */
static void test_list_filters(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char base[48];
  st_unique_name(base, sizeof base, "filt");
  char p_avail[64], p_prot[64], p_err[64];
  snprintf(p_avail, sizeof p_avail, "%s-av-", base);
  snprintf(p_prot, sizeof p_prot, "%s-pr-", base);
  snprintf(p_err, sizeof p_err, "%s-er-", base);
  st_seed_groups(4, p_avail, "available");
  st_seed_groups(3, p_prot, "protected");
  st_seed_groups(2, p_err, "error-starting");

  /* name: substring match */
  assert_int_equal(count_named(base, NULL, NULL, NULL), 9);
  assert_int_equal(count_named(p_prot, NULL, NULL, NULL), 3);
  /* status */
  assert_int_equal(count_named(base, "available", NULL, NULL), 4);
  assert_int_equal(count_named(base, "protected", NULL, NULL), 3);
  assert_int_equal(count_named(base, "error-starting", NULL, NULL), 2);
  assert_int_equal(count_named(base, "failed-over", NULL, NULL), 0);
  /* query_type */
  assert_int_equal(count_named(base, NULL, "general", NULL), 9);
  assert_int_equal(count_named(base, NULL, "status_abnormal", NULL), 2);
  assert_int_equal(count_named(base, NULL, "stop_protected", NULL), 4);
  assert_int_equal(count_named(base, NULL, "period_no_dr_drill", NULL), 9);

  /* period_no_dr_drill leaves out groups with a drill */
  sdrs_pg_list_opts *o = opts_new();
  ST_OK(sdrs_pg_list_opts_set_name(o, p_prot, &err), err);
  sdrs_pg_list *list = list_page(o);
  assert_int_equal(sdrs_pg_list_size(list), 3);
  st_set_group(sdrs_pg_id(sdrs_pg_list_at(list, 0)), "{\"disaster_recovery_drill_num\": 1}");
  sdrs_pg_list_free(list);
  sdrs_pg_list_opts_free(o);
  assert_int_equal(count_named(base, NULL, "period_no_dr_drill", NULL), 8);

  /* availability_zone: the current production site; a failover moves a group to eu-de-02 */
  assert_int_equal(count_named(base, NULL, NULL, "eu-de-01"), 9);
  assert_int_equal(count_named(base, NULL, NULL, "eu-de-02"), 0);
  char name[64];
  snprintf(name, sizeof name, "%s-fo", base);
  /* a real pair (public API) so that the group can be enabled; test_list_all reset the
   * emulator, so the fixture disk is free */
  sdrs_pg *pg = st_create_fixture_group(g_client, name);
  char *pair = st_create_pair(g_client, sdrs_pg_id(pg), "data-1", "test-pair", NULL);
  char *job = NULL;
  ST_OK(sdrs_pg_enable(&job, g_client, sdrs_pg_id(pg), NULL, &err), err);
  sdrs_job_free(st_wait_ok(g_client, job));
  sdrs_string_free(job);
  ST_OK(sdrs_pg_failover(&job, g_client, sdrs_pg_id(pg), NULL, &err), err);
  sdrs_job_free(st_wait_ok(g_client, job));
  sdrs_string_free(job);
  assert_int_equal(count_named(base, NULL, NULL, "eu-de-01"), 9);
  assert_int_equal(count_named(base, NULL, NULL, "eu-de-02"), 1);
  assert_int_equal(count_named(base, "failed-over", NULL, "eu-de-02"), 1);
  st_delete_pair(g_client, pair); /* the disk free again for later tests */
  sdrs_pg_free(pg);

  /* filters combined with paging */
  o = opts_new();
  ST_OK(sdrs_pg_list_opts_set_name(o, base, &err), err);
  ST_OK(sdrs_pg_list_opts_set_status(o, "available", &err), err);
  ST_OK(sdrs_pg_list_opts_set_limit(o, 3, &err), err);
  ST_OK(sdrs_pg_list_opts_set_offset(o, 3, &err), err);
  list = list_page(o);
  assert_int_equal(sdrs_pg_list_size(list), 1);
  assert_true(sdrs_pg_list_count(list) == 4);
  sdrs_pg_list_free(list);
  /* clearing the filters again */
  ST_OK(sdrs_pg_list_opts_set_status(o, NULL, &err), err);
  ST_OK(sdrs_pg_list_opts_set_offset(o, 0, &err), err);
  ST_OK(sdrs_pg_list_opts_set_limit(o, 1000, &err), err);
  list = list_page(o);
  assert_int_equal(sdrs_pg_list_size(list), 10);
  sdrs_pg_list_free(list);
  sdrs_pg_list_opts_free(o);

  /* filter values are URL-encoded: characters with a meaning in a query string match nothing */
  assert_int_equal(count_named("a b&status=available#x", NULL, NULL, NULL), 0);
}

/* The iterator: pages of opts' limit, from opts' offset, each group exactly once. */
static size_t iterate(const sdrs_pg_list_opts *o, char ***ids_out, size_t cap) {
  sdrs_error *err = NULL;
  sdrs_pg_iter *it = NULL;
  ST_OK(sdrs_pg_iter_new(&it, g_client, o, &err), err);
  assert_non_null(it);
  char **ids = calloc(cap, sizeof *ids);
  size_t n = 0;
  for (;;) {
    const sdrs_pg *pg = NULL;
    ST_OK(sdrs_pg_iter_next(&pg, it, NULL, &err), err);
    if (pg == NULL) {
      break;
    }
    assert_true(n < cap);
    ids[n++] = strdup(sdrs_pg_id(pg));
  }
  /* the end is sticky */
  const sdrs_pg *pg = (const sdrs_pg *)ids;
  ST_OK(sdrs_pg_iter_next(&pg, it, NULL, &err), err);
  assert_null(pg);
  sdrs_pg_iter_free(it);
  *ids_out = ids;
  return n;
}

static void test_iter_2500(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char prefix[64];
  st_unique_name(prefix, sizeof prefix, "big");
  strcat(prefix, "-");
  st_seed_groups(2500, prefix, "available");
  sdrs_pg_list_opts *o = opts_new();
  ST_OK(sdrs_pg_list_opts_set_limit(o, 1000, &err), err);
  ST_OK(sdrs_pg_list_opts_set_name(o, prefix, &err), err);
  long long api_before = st_stat("api_requests");
  char **ids = NULL;
  int64_t t0 = st_now_ms();
  size_t n = iterate(o, &ids, 3000);
  printf("iterated %zu groups in %lld ms\n", n, (long long)(st_now_ms() - t0));
  /* 1000 + 1000 + 500: the short third page ends the walk */
  assert_int_equal(st_stat("api_requests") - api_before, 3);
  assert_int_equal(n, 2500);
  assert_unique(ids, n);
  free_ids(ids, n);
  sdrs_pg_list_opts_free(o);
}

/* A full last page: the service's count says the walk is over, so no empty page is asked
 * for (2 requests for 2 x 50 groups, not 3). */
static void test_iter_stops_at_count_after_full_page(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char prefix[64];
  st_unique_name(prefix, sizeof prefix, "full");
  strcat(prefix, "-");
  st_seed_groups(100, prefix, "available");
  sdrs_pg_list_opts *o = opts_new();
  ST_OK(sdrs_pg_list_opts_set_limit(o, 50, &err), err);
  ST_OK(sdrs_pg_list_opts_set_name(o, prefix, &err), err);
  long long api_before = st_stat("api_requests");
  char **ids = NULL;
  size_t n = iterate(o, &ids, 200);
  assert_int_equal(n, 100);
  assert_int_equal(st_stat("api_requests") - api_before, 2);
  assert_unique(ids, n);
  free_ids(ids, n);
  sdrs_pg_list_opts_free(o);
}

static void test_iter_pages_and_offset(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char prefix[64];
  st_unique_name(prefix, sizeof prefix, "it");
  strcat(prefix, "-");
  st_seed_groups(20, prefix, "protected");
  sdrs_pg_list_opts *o = opts_new();
  ST_OK(sdrs_pg_list_opts_set_name(o, prefix, &err), err);
  ST_OK(sdrs_pg_list_opts_set_status(o, "protected", &err), err);
  ST_OK(sdrs_pg_list_opts_set_limit(o, 7, &err), err);
  char **ids = NULL;
  size_t n = iterate(o, &ids, 100);
  assert_int_equal(n, 20);
  assert_unique(ids, n);
  free_ids(ids, n);
  /* an exact multiple of the page size */
  ST_OK(sdrs_pg_list_opts_set_limit(o, 5, &err), err);
  n = iterate(o, &ids, 100);
  assert_int_equal(n, 20);
  assert_unique(ids, n);
  free_ids(ids, n);
  /* starting at an offset */
  ST_OK(sdrs_pg_list_opts_set_offset(o, 15, &err), err);
  n = iterate(o, &ids, 100);
  assert_int_equal(n, 5);
  free_ids(ids, n);
  /* the iterator copied the options: changing them afterwards does not matter */
  ST_OK(sdrs_pg_list_opts_set_offset(o, 0, &err), err);
  sdrs_pg_iter *it = NULL;
  ST_OK(sdrs_pg_iter_new(&it, g_client, o, &err), err);
  ST_OK(sdrs_pg_list_opts_set_name(o, "no-such-group-at-all", &err), err);
  size_t m = 0;
  const sdrs_pg *pg = NULL;
  do {
    ST_OK(sdrs_pg_iter_next(&pg, it, NULL, &err), err);
    m += pg != NULL;
  } while (pg != NULL && m < 100);
  assert_int_equal(m, 20);
  sdrs_pg_iter_free(it);
  /* no match: the first next() is the end */
  n = iterate(o, &ids, 1);
  assert_int_equal(n, 0);
  free_ids(ids, n);
  sdrs_pg_list_opts_free(o);
  /* an iterator that is freed before the end */
  ST_OK(sdrs_pg_iter_new(&it, g_client, NULL, &err), err);
  ST_OK(sdrs_pg_iter_next(&pg, it, NULL, &err), err);
  assert_non_null(pg);
  sdrs_pg_iter_free(it);
}

static void test_iter_errors(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_client *bad = st_client_new("bad-token");
  sdrs_pg_iter *it = NULL;
  ST_OK(sdrs_pg_iter_new(&it, bad, NULL, &err), err);
  const sdrs_pg *pg = NULL;
  ST_ERR(sdrs_pg_iter_next(&pg, it, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_null(pg);
  sdrs_error_free(err);
  err = NULL;
  sdrs_pg_iter_free(it);
  sdrs_pg_list *list = NULL;
  ST_ERR(sdrs_pg_list_get(&list, bad, NULL, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_null(list);
  sdrs_error_free(err);
  err = NULL;
  sdrs_client_free(bad);

  /* a canceled call */
  sdrs_cancel *cancel = NULL;
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_cancel_new(&cancel, &err), err);
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_cancel(copts, cancel, &err), err);
  sdrs_cancel_trigger(cancel);
  ST_OK(sdrs_pg_iter_new(&it, g_client, NULL, &err), err);
  ST_ERR(sdrs_pg_iter_next(&pg, it, copts, &err), err, SDRS_ECANCELED);
  sdrs_error_free(err);
  err = NULL;
  sdrs_pg_iter_free(it);
  sdrs_call_opts_free(copts);
  sdrs_cancel_free(cancel);

  /* a response larger than max_response_bytes */
  sdrs_config *cfg = st_config_new(NULL);
  ST_OK(sdrs_config_set_max_response_bytes(cfg, 1024, &err), err);
  sdrs_client *small = NULL;
  ST_OK(sdrs_client_new(&small, cfg, &err), err);
  sdrs_config_free(cfg);
  sdrs_pg_list_opts *o = opts_new();
  ST_OK(sdrs_pg_list_opts_set_limit(o, 50, &err), err);
  ST_ERR(sdrs_pg_list_get(&list, small, o, NULL, &err), err, SDRS_EPROTOCOL);
  assert_null(list);
  sdrs_error_free(err);
  sdrs_pg_list_opts_free(o);
  sdrs_client_free(small);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_list_opts),
      cmocka_unit_test(test_list_null_args),
      cmocka_unit_test(test_list_all), /* resets the emulator first */
      cmocka_unit_test(test_list_paging),
      cmocka_unit_test(test_list_filters),
      cmocka_unit_test(test_iter_2500),
      cmocka_unit_test(test_iter_stops_at_count_after_full_page),
      cmocka_unit_test(test_iter_pages_and_offset),
      cmocka_unit_test(test_iter_errors),
  };
  return cmocka_run_group_tests_name("capi_list", tests, st_group_setup, st_group_teardown);
}
