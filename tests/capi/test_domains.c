/* Active-active domains and API version discovery. */
#include "support.h"

#include <string.h>


static void test_domains(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_domain_list *list = NULL;
  ST_OK(sdrs_domain_list_get(&list, g_client, NULL, &err), err);
  assert_non_null(list);
  assert_int_equal(sdrs_domain_list_size(list), 2);
  assert_null(sdrs_domain_list_at(list, 2));
  assert_true(st_contains(sdrs_domain_list_json(list), "\"domains\""));

  const sdrs_domain *a = sdrs_domain_list_at(list, 0);
  const sdrs_domain *b = sdrs_domain_list_at(list, 1);
  assert_non_null(a);
  assert_non_null(b);
  if (strcmp(sdrs_domain_id(a), ST_DOMAIN_A) != 0) {
    const sdrs_domain *t = a;
    a = b;
    b = t;
  }
  ST_STR(sdrs_domain_id(a), ST_DOMAIN_A);
  ST_STR(sdrs_domain_name(a), "dr-domain-a");
  assert_non_null(sdrs_domain_description(a));
  assert_int_equal(sdrs_domain_sold_out(a), 0);
  ST_STR(sdrs_domain_local_az(a), "eu-de-01");
  ST_STR(sdrs_domain_remote_az(a), "eu-de-02");
  assert_true(st_contains(sdrs_domain_json(a), ST_DOMAIN_A));
  assert_false(st_contains(sdrs_domain_json(a), ST_DOMAIN_B));

  ST_STR(sdrs_domain_id(b), ST_DOMAIN_B);
  ST_STR(sdrs_domain_name(b), "dr-domain-b");
  assert_int_equal(sdrs_domain_sold_out(b), 1);
  ST_STR(sdrs_domain_local_az(b), "eu-de-02");
  ST_STR(sdrs_domain_remote_az(b), "eu-de-03");
  assert_true(st_contains(sdrs_domain_json(b), ST_DOMAIN_B));

  /* with call options */
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 5000, &err), err);
  sdrs_domain_list *list2 = NULL;
  ST_OK(sdrs_domain_list_get(&list2, g_client, copts, &err), err);
  assert_int_equal(sdrs_domain_list_size(list2), 2);
  sdrs_domain_list_free(list2);
  sdrs_call_opts_free(copts);
  sdrs_domain_list_free(list);
}

static void test_domains_errors(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_domain_list *list = NULL;
  ST_EINVAL(sdrs_domain_list_get(NULL, g_client, NULL, &err), err);
  ST_EINVAL(sdrs_domain_list_get(&list, NULL, NULL, &err), err);
  assert_null(list);
  assert_int_equal(sdrs_domain_list_size(NULL), 0);
  assert_null(sdrs_domain_list_at(NULL, 0));
  assert_null(sdrs_domain_list_json(NULL));
  assert_null(sdrs_domain_id(NULL));
  assert_null(sdrs_domain_name(NULL));
  assert_null(sdrs_domain_description(NULL));
  assert_int_equal(sdrs_domain_sold_out(NULL), -1);
  assert_null(sdrs_domain_local_az(NULL));
  assert_null(sdrs_domain_remote_az(NULL));
  assert_null(sdrs_domain_json(NULL));

  sdrs_client *bad = st_client_new("bad-token");
  ST_ERR(sdrs_domain_list_get(&list, bad, NULL, &err), err, SDRS_EAUTH);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_null(list);
  sdrs_error_free(err);
  sdrs_client_free(bad);
}

static const sdrs_apiversion *find_v1(const sdrs_apiversion_list *list) {
  for (size_t i = 0; i < sdrs_apiversion_list_size(list); i++) {
    const sdrs_apiversion *v = sdrs_apiversion_list_at(list, i);
    if (v != NULL && sdrs_apiversion_id(v) != NULL && strcmp(sdrs_apiversion_id(v), "v1") == 0) {
      return v;
    }
  }
  return NULL;
}

static void check_v1(const sdrs_apiversion *v) {
  ST_STR(sdrs_apiversion_id(v), "v1");
  ST_STR(sdrs_apiversion_status(v), "CURRENT");
  ST_STR(sdrs_apiversion_version(v), "");
  ST_STR(sdrs_apiversion_min_version(v), "");
  ST_STR(sdrs_apiversion_updated(v), "2018-05-30T15:00:00Z");
  const char *self = sdrs_apiversion_self_link(v);
  assert_non_null(self);
  size_t n = strlen(self);
  assert_true(n >= 3 && strcmp(self + n - 3, "/v1") == 0);
  assert_true(st_contains(sdrs_apiversion_json(v), "\"v1\""));
}

static void test_api_versions(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_apiversion_list *list = NULL;
  ST_OK(sdrs_apiversion_list_get(&list, g_client, NULL, &err), err);
  assert_int_equal(sdrs_apiversion_list_size(list), 1);
  assert_null(sdrs_apiversion_list_at(list, 1));
  const sdrs_apiversion *v = find_v1(list);
  assert_non_null(v);
  check_v1(v);
  sdrs_apiversion_list_free(list);

  sdrs_apiversion *one = NULL;
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 5000, &err), err);
  ST_OK(sdrs_apiversion_get(&one, g_client, "v1", copts, &err), err);
  check_v1(one);
  sdrs_apiversion_free(one);
  sdrs_call_opts_free(copts);

  /* version discovery needs no token: a client with a wrong one still works */
  sdrs_client *bad = st_client_new("bad-token");
  ST_OK(sdrs_apiversion_list_get(&list, bad, NULL, &err), err);
  assert_non_null(find_v1(list));
  sdrs_apiversion_list_free(list);
  sdrs_client_free(bad);
}

static void test_api_versions_errors(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_apiversion_list *list = NULL;
  sdrs_apiversion *one = NULL;
  ST_EINVAL(sdrs_apiversion_list_get(NULL, g_client, NULL, &err), err);
  ST_EINVAL(sdrs_apiversion_list_get(&list, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_apiversion_get(NULL, g_client, "v1", NULL, &err), err);
  ST_EINVAL(sdrs_apiversion_get(&one, NULL, "v1", NULL, &err), err);
  ST_EINVAL(sdrs_apiversion_get(&one, g_client, NULL, NULL, &err), err);
  assert_null(list);
  assert_null(one);
  assert_int_equal(sdrs_apiversion_list_size(NULL), 0);
  assert_null(sdrs_apiversion_list_at(NULL, 0));
  assert_null(sdrs_apiversion_id(NULL));
  assert_null(sdrs_apiversion_status(NULL));
  assert_null(sdrs_apiversion_version(NULL));
  assert_null(sdrs_apiversion_min_version(NULL));
  assert_null(sdrs_apiversion_updated(NULL));
  assert_null(sdrs_apiversion_self_link(NULL));
  assert_null(sdrs_apiversion_json(NULL));

  /* the version id is a path segment, checked before sending */
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  const char *bad[] = {"", "../v1", "v1/extra", "v 1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ST_ERR(sdrs_apiversion_get(&one, g_client, bad[i], NULL, &err), err, SDRS_EVALIDATION);
    assert_null(one);
    sdrs_error_free(err);
    err = NULL;
  }
  assert_int_equal(st_stat("requests") - before, self);

  /* an unknown version: the emulator has no such route (404) */
  ST_ERR(sdrs_apiversion_get(&one, g_client, "v9", NULL, &err), err, SDRS_ENOTFOUND);
  assert_int_equal(sdrs_error_http_status(err), 404);
  assert_null(one);
  sdrs_error_free(err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_domains),
      cmocka_unit_test(test_domains_errors),
      cmocka_unit_test(test_api_versions),
      cmocka_unit_test(test_api_versions_errors),
  };
  return cmocka_run_group_tests_name("capi_domains", tests, st_group_setup, st_group_teardown);
}
