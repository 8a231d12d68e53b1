/*
 * Config, client, call options, cancel tokens, wait options, error handles, strerror/error_name,
 * version and log sink.
 */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- version, strerror, error_name ---- */

static void test_version(void **state) {
  (void)state;
  ST_STR(sdrs_version(), SDRS_VERSION_STRING);
  assert_int_equal(sdrs_version_number(), SDRS_VERSION_NUMBER);
  assert_int_equal(SDRS_VERSION_NUMBER,
                   SDRS_VERSION_MAJOR * 10000 + SDRS_VERSION_MINOR * 100 + SDRS_VERSION_PATCH);
  assert_int_equal(SDRS_ABI_VERSION, 1);
  char expect[32];
  snprintf(expect, sizeof expect, "%d.%d.%d", SDRS_VERSION_MAJOR, SDRS_VERSION_MINOR,
           SDRS_VERSION_PATCH);
  assert_string_equal(sdrs_version(), expect);
}

static void test_error_names(void **state) {
  (void)state;
  static const struct {
    int code;
    const char *name;
  } names[] = {
      {SDRS_OK, "SDRS_OK"},
      {SDRS_EINVAL, "SDRS_EINVAL"},
      {SDRS_EVALIDATION, "SDRS_EVALIDATION"},
      {SDRS_EAUTH, "SDRS_EAUTH"},
      {SDRS_EFORBIDDEN, "SDRS_EFORBIDDEN"},
      {SDRS_ENOTFOUND, "SDRS_ENOTFOUND"},
      {SDRS_ECONFLICT, "SDRS_ECONFLICT"},
      {SDRS_ERATELIMIT, "SDRS_ERATELIMIT"},
      {SDRS_ESERVER, "SDRS_ESERVER"},
      {SDRS_ETIMEOUT, "SDRS_ETIMEOUT"},
      {SDRS_ECANCELED, "SDRS_ECANCELED"},
      {SDRS_ETRANSPORT, "SDRS_ETRANSPORT"},
      {SDRS_ETLS, "SDRS_ETLS"},
      {SDRS_EPROTOCOL, "SDRS_EPROTOCOL"},
      {SDRS_EJOBFAILED, "SDRS_EJOBFAILED"},
      {SDRS_ENOMEM, "SDRS_ENOMEM"},
      {SDRS_EINTERNAL, "SDRS_EINTERNAL"},
      {SDRS_EREQUEST, "SDRS_EREQUEST"},
      {SDRS_EQUOTA, "SDRS_EQUOTA"},
  };
  /* The numbers are ABI: pin them. */
  assert_int_equal(SDRS_EINVAL, -1);
  assert_int_equal(SDRS_EJOBFAILED, -14);
  assert_int_equal(SDRS_EQUOTA, -18);
  const char *unknown_msg = sdrs_strerror(-12345);
  assert_non_null(unknown_msg);
  assert_true(unknown_msg[0] != '\0');
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    ST_STR(sdrs_error_name(names[i].code), names[i].name);
    const char *msg = sdrs_strerror(names[i].code);
    assert_non_null(msg);
    assert_true(msg[0] != '\0');
    /* Known codes have their own text, distinct from every other code's. */
    assert_string_not_equal(msg, unknown_msg);
    for (size_t j = 0; j < i; j++) {
      assert_string_not_equal(msg, sdrs_strerror(names[j].code));
    }
  }
  const int unknown[] = {1, 42, -19, -1000, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
    ST_STR(sdrs_error_name(unknown[i]), "SDRS_UNKNOWN");
    assert_non_null(sdrs_strerror(unknown[i]));
  }
}

static void test_frees_accept_null(void **state) {
  (void)state;
  sdrs_string_free(NULL);
  sdrs_error_free(NULL);
  sdrs_config_free(NULL);
  sdrs_client_free(NULL);
  sdrs_call_opts_free(NULL);
  sdrs_cancel_free(NULL);
  sdrs_wait_opts_free(NULL);
  sdrs_job_free(NULL);
  sdrs_pg_spec_free(NULL);
  sdrs_pg_free(NULL);
  sdrs_pg_list_opts_free(NULL);
  sdrs_pg_list_free(NULL);
  sdrs_pg_iter_free(NULL);
  sdrs_domain_list_free(NULL);
  sdrs_apiversion_list_free(NULL);
  sdrs_apiversion_free(NULL);
}

/* ---- error handles ---- */

static void test_error_getters_null(void **state) {
  (void)state;
  assert_int_equal(sdrs_error_code(NULL), 0);
  (void)sdrs_error_message(NULL); /* unspecified value, must not crash */
  assert_int_equal(sdrs_error_http_status(NULL), 0);
  assert_null(sdrs_error_api_code(NULL));
  assert_null(sdrs_error_request_id(NULL));
  assert_null(sdrs_error_body(NULL));
  assert_null(sdrs_error_job_id(NULL));
  assert_null(sdrs_error_fail_reason(NULL));
  assert_int_equal(sdrs_error_retryable(NULL), 0);
  assert_int_equal(sdrs_error_attempts(NULL), 0);
}

static void test_error_of_validation(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  int rc = sdrs_config_set_project_id(cfg, "a/b", &err);
  ST_ERR(rc, err, SDRS_EVALIDATION);
  assert_true(st_contains(sdrs_error_message(err), "project_id"));
  assert_int_equal(sdrs_error_http_status(err), 0);
  assert_null(sdrs_error_api_code(err));
  assert_null(sdrs_error_request_id(err));
  assert_null(sdrs_error_body(err));
  assert_null(sdrs_error_job_id(err));
  assert_null(sdrs_error_fail_reason(err));
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_int_equal(sdrs_error_attempts(err), 0);
  sdrs_error_free(err);
  err = NULL;

  /* err NULL is allowed on failure. */
  assert_int_equal(sdrs_config_set_project_id(cfg, "..", NULL), SDRS_EVALIDATION);
  assert_int_equal(sdrs_config_set_endpoint(NULL, "https://x", NULL), SDRS_EINVAL);

  /* On success *err is left untouched. */
  sdrs_error *prev = NULL;
  assert_int_equal(sdrs_config_set_project_id(cfg, "/", &prev), SDRS_EVALIDATION);
  assert_non_null(prev);
  sdrs_error *keep = prev;
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &prev), prev);
  assert_ptr_equal(prev, keep);
  sdrs_error_free(prev);
  sdrs_config_free(cfg);
}

static void test_error_of_401(void **state) {
  (void)state;
  const char *bad_token = "wrong-token-Zq81xT";
  sdrs_client *client = st_client_new(bad_token);
  sdrs_domain_list *list = NULL;
  sdrs_error *err = NULL;
  int rc = sdrs_domain_list_get(&list, client, NULL, &err);
  ST_ERR(rc, err, SDRS_EAUTH);
  assert_null(list);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_non_null(sdrs_error_request_id(err)); /* the emulator sends X-Request-Id always */
  assert_non_null(sdrs_error_body(err));
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_true(sdrs_error_attempts(err) >= 1);
  assert_null(sdrs_error_job_id(err));
  assert_null(sdrs_error_fail_reason(err));
  /* Secrets never appear in an error. */
  assert_false(st_contains(sdrs_error_message(err), bad_token));
  assert_false(st_contains(sdrs_error_body(err), bad_token));
  sdrs_error_free(err);
  sdrs_client_free(client);
}

static void test_wrong_project_is_auth_error(void **state) {
  (void)state;
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_project_id(cfg, "ffffffffffffffffffffffffffffffff", &err), err);
  sdrs_client *client = NULL;
  ST_OK(sdrs_client_new(&client, cfg, &err), err);
  sdrs_config_free(cfg);
  sdrs_domain_list *list = NULL;
  int rc = sdrs_domain_list_get(&list, client, NULL, &err);
  /* SDRS.0001 is in the auth class. */
  ST_ERR(rc, err, SDRS_EAUTH);
  ST_STR(sdrs_error_api_code(err), "SDRS.0001");
  assert_int_equal(sdrs_error_http_status(err), 400);
  assert_null(list);
  sdrs_error_free(err);
  sdrs_client_free(client);
}

/* ---- config ---- */

static void test_config_null_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  ST_EINVAL(sdrs_config_new(NULL, &err), err);
  ST_EINVAL(sdrs_config_set_endpoint(NULL, "https://example.com", &err), err);
  ST_EINVAL(sdrs_config_set_allow_http(NULL, 1, &err), err);
  ST_EINVAL(sdrs_config_set_project_id(NULL, ST_PROJECT_ID, &err), err);
  ST_EINVAL(sdrs_config_set_token(NULL, "t", &err), err);
  ST_EINVAL(sdrs_config_set_connect_timeout_ms(NULL, 10, &err), err);
  ST_EINVAL(sdrs_config_set_timeout_ms(NULL, 10, &err), err);
  ST_EINVAL(sdrs_config_set_ca_file(NULL, NULL, &err), err);
  ST_EINVAL(sdrs_config_set_user_agent_suffix(NULL, NULL, &err), err);
  ST_EINVAL(sdrs_config_set_max_response_bytes(NULL, 4096, &err), err);
  ST_EINVAL(sdrs_config_set_log_sink(NULL, NULL, SDRS_LOG_INFO, NULL, &err), err);

  sdrs_config *cfg = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  /* Required strings: NULL is EINVAL and the message names the parameter. */
  ST_ERR_FIELD(sdrs_config_set_endpoint(cfg, NULL, &err), err, SDRS_EINVAL, "url");
  ST_ERR_FIELD(sdrs_config_set_project_id(cfg, NULL, &err), err, SDRS_EINVAL, "project_id");
  ST_ERR_FIELD(sdrs_config_set_token(cfg, NULL, &err), err, SDRS_EINVAL, "token");
  sdrs_config_free(cfg);
}

static void test_config_endpoint(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "https://sdrs.eu-de.otc.t-systems.com", &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "https://127.0.0.1:8443/base", &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "sdrs.eu-de.otc.t-systems.com", &err), err);
  /* Plain HTTP is judged when the client is built (test_http_endpoint_in_any_order), so the
   * setter takes it whatever allow_http says at this moment. */
  ST_OK(sdrs_config_set_endpoint(cfg, "http://127.0.0.1:1", &err), err);
  ST_ERR_FIELD(sdrs_config_set_endpoint(cfg, "", &err), err, SDRS_EVALIDATION, "endpoint");
  ST_ERR_FIELD(sdrs_config_set_endpoint(cfg, "ftp://example.com", &err), err, SDRS_EVALIDATION,
               "endpoint");
  ST_ERR_FIELD(sdrs_config_set_endpoint(cfg, "https://", &err), err, SDRS_EVALIDATION, "endpoint");
  ST_OK(sdrs_config_set_allow_http(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "http://127.0.0.1:1", &err), err);
  sdrs_config_free(cfg);
}

static void test_client_rechecks_allow_http(void **state) {
  (void)state;
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_allow_http(cfg, 0, &err), err);
  sdrs_client *client = NULL;
  ST_ERR_FIELD(sdrs_client_new(&client, cfg, &err), err, SDRS_EVALIDATION, "endpoint");
  assert_null(client);
  sdrs_config_free(cfg);
}

static void capture_sink(int32_t level, const char *message, void *userdata);

/* Issue 17 item 3: the scheme check belongs to sdrs_client_new, so the http endpoint and the
 * allow_http opt-in may come in either order; without the opt-in the client is refused and
 * the message names the endpoint. */
static sdrs_config *http_config(int allow_first, int allow) {
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  if (allow_first) ST_OK(sdrs_config_set_allow_http(cfg, allow, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "http://127.0.0.1:1", &err), err);
  if (!allow_first) ST_OK(sdrs_config_set_allow_http(cfg, allow, &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_OK(sdrs_config_set_token(cfg, ST_TOKEN, &err), err);
  return cfg;
}

static void test_http_endpoint_in_any_order(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_client *client = NULL;
  for (int allow_first = 0; allow_first <= 1; allow_first++) {
    sdrs_config *cfg = http_config(allow_first, 1);
    ST_OK(sdrs_client_new(&client, cfg, &err), err);
    assert_non_null(client);
    sdrs_client_free(client);
    client = NULL;
    sdrs_config_free(cfg);

    cfg = http_config(allow_first, 0);
    ST_ERR(sdrs_client_new(&client, cfg, &err), err, SDRS_EVALIDATION);
    assert_null(client);
    if (strncmp(sdrs_error_message(err), "endpoint: plain http is refused", 31) != 0) {
      fprintf(stderr, "message: %s\n", sdrs_error_message(err));
      fail();
    }
    sdrs_error_free(err);
    err = NULL;
    sdrs_config_free(cfg);
  }
}

/* Issue 19 finding 6: an http:// IAM URL with an https endpoint is the auth_url's fault. */
static void test_client_names_auth_url(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "https://sdrs.example.com", &err), err);
  ST_OK(sdrs_config_set_auth_url(cfg, "http://iam.example.com/v3", &err), err);
  ST_OK(sdrs_config_set_username(cfg, "alice", &err), err);
  ST_OK(sdrs_config_set_password(cfg, "pw", &err), err);
  ST_OK(sdrs_config_set_user_domain_name(cfg, "d", &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  sdrs_client *client = NULL;
  ST_ERR(sdrs_client_new(&client, cfg, &err), err, SDRS_EVALIDATION);
  assert_null(client);
  if (strncmp(sdrs_error_message(err), "auth_url: plain http is refused", 31) != 0) {
    fprintf(stderr, "message: %s\n", sdrs_error_message(err));
    fail();
  }
  sdrs_error_free(err);
  sdrs_config_free(cfg);
}

/* Issue 19 finding 6: every setter that takes a string or a number, given a bad value, fails
 * with a message that starts with its own field ("field: rule"). The int flags (allow_http,
 * insecure_skip_tls_verify) take any value and the pointer setters (cancel, progress, log
 * sink function) any pointer, so they have no bad value to walk. */
static void expect_field(int rc, sdrs_error **err, const char *field, const char *call) {
  size_t n = strlen(field);
  const char *msg = *err != NULL ? sdrs_error_message(*err) : "(no error)";
  if (rc != SDRS_EVALIDATION || strncmp(msg, field, n) != 0 || msg[n] != ':') {
    fprintf(stderr, "%s: rc %d, message \"%s\", expected the prefix \"%s:\"\n", call, rc, msg,
            field);
    fail();
  }
  sdrs_error_free(*err);
  *err = NULL;
}
#define EXPECT_FIELD(call, field) expect_field((call), &err, (field), #call)

static void test_every_setter_names_its_field(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_config *cfg = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  EXPECT_FIELD(sdrs_config_set_endpoint(cfg, "ftp://example.com", &err), "endpoint");
  EXPECT_FIELD(sdrs_config_set_endpoint(cfg, "https://", &err), "endpoint");
  EXPECT_FIELD(sdrs_config_set_project_id(cfg, "a/b", &err), "project_id");
  EXPECT_FIELD(sdrs_config_set_token(cfg, "", &err), "token");
  EXPECT_FIELD(sdrs_config_set_auth_url(cfg, "ftp://iam.example.com", &err), "auth_url");
  EXPECT_FIELD(sdrs_config_set_auth_url(cfg, "", &err), "auth_url");
  EXPECT_FIELD(sdrs_config_set_auth_url(cfg, "https://iam.example.com/v3?x=1", &err), "auth_url");
  EXPECT_FIELD(sdrs_config_set_username(cfg, "", &err), "username");
  EXPECT_FIELD(sdrs_config_set_user_id(cfg, "", &err), "user_id");
  EXPECT_FIELD(sdrs_config_set_password(cfg, "", &err), "password");
  EXPECT_FIELD(sdrs_config_set_user_domain_name(cfg, "", &err), "user_domain_name");
  EXPECT_FIELD(sdrs_config_set_user_domain_id(cfg, "", &err), "user_domain_id");
  EXPECT_FIELD(sdrs_config_set_project_name(cfg, "", &err), "project_name");
  EXPECT_FIELD(sdrs_config_set_region(cfg, "EU DE", &err), "region");
  EXPECT_FIELD(sdrs_config_set_access_key(cfg, "", "sk", NULL, &err), "access_key");
  EXPECT_FIELD(sdrs_config_set_access_key(cfg, "ak", "", NULL, &err), "secret_key");
  EXPECT_FIELD(sdrs_config_set_access_key(cfg, "ak", "sk", "a\nb", &err), "security_token");
  EXPECT_FIELD(sdrs_config_set_token_refresh_margin_s(cfg, -1, &err), "token_refresh_margin_s");
  EXPECT_FIELD(sdrs_config_set_connect_timeout_ms(cfg, 0, &err), "connect_timeout_ms");
  EXPECT_FIELD(sdrs_config_set_timeout_ms(cfg, 0, &err), "timeout_ms");
  EXPECT_FIELD(sdrs_config_set_ca_file(cfg, "/nonexistent/ca.pem", &err), "ca_file");
  EXPECT_FIELD(sdrs_config_set_ca_file(cfg, "/tmp", &err), "ca_file");
  EXPECT_FIELD(sdrs_config_set_ca_dir(cfg, "/etc/hostname", &err), "ca_dir");
  EXPECT_FIELD(sdrs_config_set_client_cert(cfg, "/tmp", "/etc/hostname", NULL, &err), "cert_file");
  EXPECT_FIELD(sdrs_config_set_client_cert(cfg, "/etc/hostname", "/tmp", NULL, &err), "key_file");
  EXPECT_FIELD(sdrs_config_set_proxy(cfg, "ftp://proxy:21", NULL, &err), "proxy_url");
  EXPECT_FIELD(sdrs_config_set_proxy(cfg, NULL, "a b", &err), "no_proxy");
  EXPECT_FIELD(sdrs_config_set_low_speed(cfg, -1, 10, &err), "low_speed_bytes_per_second");
  EXPECT_FIELD(sdrs_config_set_low_speed(cfg, 1, 0, &err), "low_speed_seconds");
  EXPECT_FIELD(sdrs_config_set_max_attempts(cfg, 0, &err), "max_attempts");
  EXPECT_FIELD(sdrs_config_set_http_version(cfg, 7, &err), "http_version");
  EXPECT_FIELD(sdrs_config_set_user_agent_suffix(cfg, "a\nb", &err), "user_agent_suffix");
  EXPECT_FIELD(sdrs_config_set_max_response_bytes(cfg, 1, &err), "max_response_bytes");
  EXPECT_FIELD(sdrs_config_set_log_sink(cfg, capture_sink, 9, NULL, &err), "log_level");
  sdrs_config_free(cfg);

  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  EXPECT_FIELD(sdrs_call_opts_set_timeout_ms(copts, -1, &err), "timeout_ms");
  sdrs_call_opts_free(copts);

  sdrs_wait_opts *wopts = NULL;
  ST_OK(sdrs_wait_opts_new(&wopts, &err), err);
  EXPECT_FIELD(sdrs_wait_opts_set_initial_interval_ms(wopts, 9, &err), "initial_interval_ms");
  EXPECT_FIELD(sdrs_wait_opts_set_max_interval_ms(wopts, 9, &err), "max_interval_ms");
  EXPECT_FIELD(sdrs_wait_opts_set_multiplier_pct(wopts, 99, &err), "multiplier_pct");
  EXPECT_FIELD(sdrs_wait_opts_set_jitter_pct(wopts, 101, &err), "jitter_pct");
  EXPECT_FIELD(sdrs_wait_opts_set_timeout_ms(wopts, -1, &err), "timeout_ms");
  sdrs_wait_opts_free(wopts);

  sdrs_pg_spec *spec = NULL;
  ST_OK(sdrs_pg_spec_new(&spec, &err), err);
  EXPECT_FIELD(sdrs_pg_spec_set_name(spec, "bad name!", &err), "name");
  EXPECT_FIELD(sdrs_pg_spec_set_description(spec, "<b>", &err), "description");
  EXPECT_FIELD(sdrs_pg_spec_set_source_az(spec, "", &err), "source_availability_zone");
  EXPECT_FIELD(sdrs_pg_spec_set_target_az(spec, "", &err), "target_availability_zone");
  EXPECT_FIELD(sdrs_pg_spec_set_domain_id(spec, "", &err), "domain_id");
  EXPECT_FIELD(sdrs_pg_spec_set_source_vpc_id(spec, "", &err), "source_vpc_id");
  EXPECT_FIELD(sdrs_pg_spec_set_dr_type(spec, "backup", &err), "dr_type");
  EXPECT_FIELD(sdrs_pg_spec_set_server_type(spec, "BMS", &err), "server_type");
  sdrs_pg_spec_free(spec);

  sdrs_pg_list_opts *lopts = NULL;
  ST_OK(sdrs_pg_list_opts_new(&lopts, &err), err);
  EXPECT_FIELD(sdrs_pg_list_opts_set_limit(lopts, 0, &err), "limit");
  EXPECT_FIELD(sdrs_pg_list_opts_set_offset(lopts, -1, &err), "offset");
  EXPECT_FIELD(sdrs_pg_list_opts_set_status(lopts, "bad status!", &err), "status");
  EXPECT_FIELD(sdrs_pg_list_opts_set_name(lopts, "", &err), "name");
  EXPECT_FIELD(sdrs_pg_list_opts_set_query_type(lopts, "all", &err), "query_type");
  EXPECT_FIELD(sdrs_pg_list_opts_set_availability_zone(lopts, "", &err), "availability_zone");
  sdrs_pg_list_opts_free(lopts);
}

/* Issue 19 finding 7: file settings are checked for existence and type when set, and the
 * message carries the path. */
static void test_file_settings_checked_when_set(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_ERR(sdrs_config_set_ca_file(cfg, "/tmp", &err), err, SDRS_EVALIDATION);
  assert_true(st_contains(sdrs_error_message(err), "ca_file"));
  assert_true(st_contains(sdrs_error_message(err), "'/tmp'"));
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_config_set_ca_dir(cfg, "/etc/hostname", &err), err, SDRS_EVALIDATION);
  assert_true(st_contains(sdrs_error_message(err), "'/etc/hostname'"));
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_config_set_client_cert(cfg, "/tmp", "/etc/hostname", NULL, &err), err,
         SDRS_EVALIDATION);
  assert_true(st_contains(sdrs_error_message(err), "cert_file"));
  assert_true(st_contains(sdrs_error_message(err), "'/tmp'"));
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_config_set_client_cert(cfg, "/etc/hostname", "/tmp", NULL, &err), err,
         SDRS_EVALIDATION);
  assert_true(st_contains(sdrs_error_message(err), "key_file"));
  assert_true(st_contains(sdrs_error_message(err), "'/tmp'"));
  sdrs_error_free(err);
  err = NULL;
  /* Regular readable files are accepted. */
  ST_OK(sdrs_config_set_ca_file(cfg, "/etc/hostname", &err), err);
  ST_OK(sdrs_config_set_client_cert(cfg, "/etc/hostname", "/etc/hostname", NULL, &err), err);
  sdrs_config_free(cfg);
}

static void test_config_project_id(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  char buf[200];
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  st_fill(buf, 128, 'a');
  ST_OK(sdrs_config_set_project_id(cfg, buf, &err), err);
  st_fill(buf, 129, 'a');
  ST_ERR_FIELD(sdrs_config_set_project_id(cfg, buf, &err), err, SDRS_EVALIDATION, "project_id");
  const char *bad[] = {"",
                       "a/b",
                       "..",
                       "../x",
                       "x/../y",
                       "ab..",
                       "a\x01"
                       "b",
                       "a\nb",
                       "a\x7f"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ST_ERR_FIELD(sdrs_config_set_project_id(cfg, bad[i], &err), err, SDRS_EVALIDATION,
                 "project_id");
  }
  sdrs_config_free(cfg);
}

static void test_config_token(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_token(cfg, "abc", &err), err);
  ST_ERR_FIELD(sdrs_config_set_token(cfg, "", &err), err, SDRS_EVALIDATION, "token");
  sdrs_config_free(cfg);
}

static void test_config_timeouts(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_connect_timeout_ms(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_connect_timeout_ms(cfg, 600000, &err), err);
  const int64_t bad_connect[] = {0, -1, 600001, INT64_MAX, INT64_MIN};
  for (size_t i = 0; i < sizeof bad_connect / sizeof bad_connect[0]; i++) {
    ST_ERR(sdrs_config_set_connect_timeout_ms(cfg, bad_connect[i], &err), err, SDRS_EVALIDATION);
    sdrs_error_free(err);
    err = NULL;
  }
  ST_OK(sdrs_config_set_timeout_ms(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_timeout_ms(cfg, 3600000, &err), err);
  const int64_t bad_total[] = {0, -5, 3600001, INT64_MAX};
  for (size_t i = 0; i < sizeof bad_total / sizeof bad_total[0]; i++) {
    ST_ERR(sdrs_config_set_timeout_ms(cfg, bad_total[i], &err), err, SDRS_EVALIDATION);
    sdrs_error_free(err);
    err = NULL;
  }
  sdrs_config_free(cfg);
}

static void test_config_ca_file(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  char path[] = "/tmp/sdrs-capi-ca-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  const char pem[] = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
  assert_int_equal(write(fd, pem, sizeof pem - 1), (ssize_t)(sizeof pem - 1));
  close(fd);
  ST_OK(sdrs_config_set_ca_file(cfg, path, &err), err);
  ST_OK(sdrs_config_set_ca_file(cfg, NULL, &err), err);
  unlink(path);
  ST_ERR(sdrs_config_set_ca_file(cfg, "/nonexistent/dir/ca.pem", &err), err, SDRS_EVALIDATION);
  sdrs_error_free(err);
  sdrs_config_free(cfg);
}

static void test_config_user_agent(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  char buf[200];
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_user_agent_suffix(cfg, "capi-tests/1.0 (x)", &err), err);
  st_fill(buf, 128, 'u');
  ST_OK(sdrs_config_set_user_agent_suffix(cfg, buf, &err), err);
  st_fill(buf, 129, 'u');
  ST_ERR(sdrs_config_set_user_agent_suffix(cfg, buf, &err), err, SDRS_EVALIDATION);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_config_set_user_agent_suffix(cfg, "bad\r\nX-Injected: 1", &err), err,
         SDRS_EVALIDATION);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_config_set_user_agent_suffix(cfg, "caf\xc3\xa9", &err), err, SDRS_EVALIDATION);
  sdrs_error_free(err);
  err = NULL;
  ST_OK(sdrs_config_set_user_agent_suffix(cfg, NULL, &err), err);
  sdrs_config_free(cfg);
}

static void test_config_max_response_bytes(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_max_response_bytes(cfg, 1024, &err), err);
  ST_OK(sdrs_config_set_max_response_bytes(cfg, (int64_t)1 << 30, &err), err);
  const int64_t bad[] = {1023, 0, -1, ((int64_t)1 << 30) + 1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ST_ERR(sdrs_config_set_max_response_bytes(cfg, bad[i], &err), err, SDRS_EVALIDATION);
    sdrs_error_free(err);
    err = NULL;
  }
  sdrs_config_free(cfg);
}

/* ---- log sink ---- */

struct log_capture {
  int lines;
  int levels_ok;
  int saw_token;
  int saw_path;
};

static void capture_sink(int32_t level, const char *message, void *userdata) {
  struct log_capture *c = userdata;
  c->lines++;
  if (level < SDRS_LOG_ERROR || level > SDRS_LOG_DEBUG || message == NULL) {
    c->levels_ok = 0;
    return;
  }
  if (strstr(message, ST_TOKEN) != NULL) {
    c->saw_token = 1;
  }
  if (strstr(message, "active-domains") != NULL) {
    c->saw_path = 1;
  }
}

static void run_logged_call(int32_t level, struct log_capture *cap) {
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_log_sink(cfg, capture_sink, level, cap, &err), err);
  sdrs_client *client = NULL;
  ST_OK(sdrs_client_new(&client, cfg, &err), err);
  sdrs_config_free(cfg);
  sdrs_domain_list *list = NULL;
  ST_OK(sdrs_domain_list_get(&list, client, NULL, &err), err);
  sdrs_domain_list_free(list);
  sdrs_client_free(client);
}

static void test_log_sink(void **state) {
  (void)state;
  struct log_capture info = {0, 1, 0, 0};
  run_logged_call(SDRS_LOG_INFO, &info);
  assert_true(info.lines >= 1);
  assert_true(info.levels_ok);
  assert_true(info.saw_path);
  assert_false(info.saw_token);

  /* DEBUG adds headers: the token must still be masked. */
  struct log_capture debug = {0, 1, 0, 0};
  run_logged_call(SDRS_LOG_DEBUG, &debug);
  assert_true(debug.lines > info.lines);
  assert_true(debug.levels_ok);
  assert_false(debug.saw_token);

  /* ERROR level: a successful call logs nothing. */
  struct log_capture quiet = {0, 1, 0, 0};
  run_logged_call(SDRS_LOG_ERROR, &quiet);
  assert_int_equal(quiet.lines, 0);

  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_log_sink(cfg, NULL, SDRS_LOG_INFO, NULL, &err), err);
  ST_ERR(sdrs_config_set_log_sink(cfg, capture_sink, 0, NULL, &err), err, SDRS_EVALIDATION);
  sdrs_error_free(err);
  err = NULL;
  ST_ERR(sdrs_config_set_log_sink(cfg, capture_sink, 5, NULL, &err), err, SDRS_EVALIDATION);
  sdrs_error_free(err);
  sdrs_config_free(cfg);
}

/* ---- client ---- */

static void test_client_new(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_client *client = NULL;
  sdrs_config *cfg = st_config_new(NULL);
  ST_EINVAL(sdrs_client_new(NULL, cfg, &err), err);
  ST_EINVAL(sdrs_client_new(&client, NULL, &err), err);
  assert_null(client);

  ST_OK(sdrs_client_new(&client, cfg, &err), err);
  assert_non_null(client);
  /* The client copied the config: changing or freeing it does not matter. */
  ST_OK(sdrs_config_set_token(cfg, "changed-token", &err), err);
  sdrs_config_free(cfg);
  sdrs_domain_list *list = NULL;
  ST_OK(sdrs_domain_list_get(&list, client, NULL, &err), err);
  sdrs_domain_list_free(list);
  sdrs_client_free(client);
}

static void test_client_missing_settings(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_client *client = NULL;
  sdrs_config *cfg = NULL;

  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_OK(sdrs_config_set_token(cfg, ST_TOKEN, &err), err);
  ST_ERR_FIELD(sdrs_client_new(&client, cfg, &err), err, SDRS_EVALIDATION, "endpoint");
  assert_null(client);
  sdrs_config_free(cfg);

  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "https://example.com", &err), err);
  ST_OK(sdrs_config_set_token(cfg, ST_TOKEN, &err), err);
  ST_ERR_FIELD(sdrs_client_new(&client, cfg, &err), err, SDRS_EVALIDATION, "project_id");
  assert_null(client);
  sdrs_config_free(cfg);

  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, "https://example.com", &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_ERR_FIELD(sdrs_client_new(&client, cfg, &err), err, SDRS_EVALIDATION, "token");
  assert_null(client);
  sdrs_config_free(cfg);
}

/* ---- call options and cancel tokens ---- */

static void test_call_opts(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_call_opts *opts = NULL;
  sdrs_cancel *cancel = NULL;
  ST_EINVAL(sdrs_call_opts_new(NULL, &err), err);
  ST_EINVAL(sdrs_call_opts_set_timeout_ms(NULL, 10, &err), err);
  ST_EINVAL(sdrs_call_opts_set_cancel(NULL, NULL, &err), err);
  ST_OK(sdrs_call_opts_new(&opts, &err), err);
  assert_non_null(opts);
  ST_OK(sdrs_call_opts_set_timeout_ms(opts, 0, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(opts, 5000, &err), err);
  ST_ERR(sdrs_call_opts_set_timeout_ms(opts, -1, &err), err, SDRS_EVALIDATION);
  sdrs_error_free(err);
  err = NULL;
  ST_OK(sdrs_cancel_new(&cancel, &err), err);
  ST_OK(sdrs_call_opts_set_cancel(opts, cancel, &err), err);

  /* A call with an untriggered token and a deadline works. */
  sdrs_client *client = st_client_new(NULL);
  sdrs_domain_list *list = NULL;
  ST_OK(sdrs_domain_list_get(&list, client, opts, &err), err);
  assert_non_null(list);
  sdrs_domain_list_free(list);
  list = NULL;

  /* A triggered token cancels the call. */
  sdrs_cancel_trigger(cancel);
  int64_t t0 = st_now_ms();
  ST_ERR(sdrs_domain_list_get(&list, client, opts, &err), err, SDRS_ECANCELED);
  assert_true(st_now_ms() - t0 < 1000 * st_time_scale());
  assert_null(list);
  sdrs_error_free(err);
  err = NULL;

  /* Clearing the token from the options makes the call work again. */
  ST_OK(sdrs_call_opts_set_cancel(opts, NULL, &err), err);
  ST_OK(sdrs_domain_list_get(&list, client, opts, &err), err);
  sdrs_domain_list_free(list);

  sdrs_client_free(client);
  sdrs_call_opts_free(opts);
  sdrs_cancel_free(cancel);
}

static void test_cancel_token(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_cancel *c = NULL;
  ST_EINVAL(sdrs_cancel_new(NULL, &err), err);
  ST_OK(sdrs_cancel_new(&c, &err), err);
  assert_non_null(c);
  assert_int_equal(sdrs_cancel_is_triggered(c), 0);
  sdrs_cancel_trigger(c);
  assert_int_equal(sdrs_cancel_is_triggered(c), 1);
  sdrs_cancel_trigger(c); /* idempotent */
  assert_int_equal(sdrs_cancel_is_triggered(c), 1);
  sdrs_cancel_reset(c);
  assert_int_equal(sdrs_cancel_is_triggered(c), 0);
  sdrs_cancel_trigger(NULL);
  sdrs_cancel_reset(NULL);
  assert_int_equal(sdrs_cancel_is_triggered(NULL), 0);
  sdrs_cancel_free(c);
}

static void *trigger_thread(void *arg) {
  sdrs_cancel_trigger(arg);
  return NULL;
}

static void test_cancel_from_other_thread(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_cancel *c = NULL;
  ST_OK(sdrs_cancel_new(&c, &err), err);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, trigger_thread, c), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
  assert_int_equal(sdrs_cancel_is_triggered(c), 1);
  sdrs_cancel_free(c);
}

/* ---- wait options ---- */

static int dummy_progress(const sdrs_job *job, void *userdata) {
  (void)job;
  (void)userdata;
  return 0;
}

#define EXPECT_EVAL(call)                  \
  do {                                     \
    ST_ERR((call), err, SDRS_EVALIDATION); \
    sdrs_error_free(err);                  \
    err = NULL;                            \
  } while (0)

static void test_wait_opts(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_wait_opts *o = NULL;
  ST_EINVAL(sdrs_wait_opts_new(NULL, &err), err);
  ST_EINVAL(sdrs_wait_opts_set_initial_interval_ms(NULL, 100, &err), err);
  ST_EINVAL(sdrs_wait_opts_set_max_interval_ms(NULL, 100, &err), err);
  ST_EINVAL(sdrs_wait_opts_set_multiplier_pct(NULL, 150, &err), err);
  ST_EINVAL(sdrs_wait_opts_set_jitter_pct(NULL, 20, &err), err);
  ST_EINVAL(sdrs_wait_opts_set_timeout_ms(NULL, 100, &err), err);
  ST_EINVAL(sdrs_wait_opts_set_cancel(NULL, NULL, &err), err);
  ST_EINVAL(sdrs_wait_opts_set_progress(NULL, NULL, NULL, &err), err);

  ST_OK(sdrs_wait_opts_new(&o, &err), err);
  /* Room for the largest initial interval first: max must stay >= initial. */
  ST_OK(sdrs_wait_opts_set_max_interval_ms(o, 3600000, &err), err);
  ST_OK(sdrs_wait_opts_set_initial_interval_ms(o, 10, &err), err);
  ST_OK(sdrs_wait_opts_set_initial_interval_ms(o, 600000, &err), err);
  EXPECT_EVAL(sdrs_wait_opts_set_initial_interval_ms(o, 9, &err));
  EXPECT_EVAL(sdrs_wait_opts_set_initial_interval_ms(o, 600001, &err));
  EXPECT_EVAL(sdrs_wait_opts_set_initial_interval_ms(o, -10, &err));

  ST_OK(sdrs_wait_opts_set_initial_interval_ms(o, 10, &err), err);
  ST_OK(sdrs_wait_opts_set_max_interval_ms(o, 10, &err), err);
  ST_OK(sdrs_wait_opts_set_max_interval_ms(o, 3600000, &err), err);
  EXPECT_EVAL(sdrs_wait_opts_set_max_interval_ms(o, 9, &err));
  EXPECT_EVAL(sdrs_wait_opts_set_max_interval_ms(o, 3600001, &err));
  /* max must be >= initial. */
  ST_OK(sdrs_wait_opts_set_initial_interval_ms(o, 1000, &err), err);
  EXPECT_EVAL(sdrs_wait_opts_set_max_interval_ms(o, 500, &err));
  ST_OK(sdrs_wait_opts_set_max_interval_ms(o, 1000, &err), err);

  ST_OK(sdrs_wait_opts_set_multiplier_pct(o, 100, &err), err);
  ST_OK(sdrs_wait_opts_set_multiplier_pct(o, 1000, &err), err);
  EXPECT_EVAL(sdrs_wait_opts_set_multiplier_pct(o, 99, &err));
  EXPECT_EVAL(sdrs_wait_opts_set_multiplier_pct(o, 1001, &err));

  ST_OK(sdrs_wait_opts_set_jitter_pct(o, 0, &err), err);
  ST_OK(sdrs_wait_opts_set_jitter_pct(o, 100, &err), err);
  EXPECT_EVAL(sdrs_wait_opts_set_jitter_pct(o, -1, &err));
  EXPECT_EVAL(sdrs_wait_opts_set_jitter_pct(o, 101, &err));

  ST_OK(sdrs_wait_opts_set_timeout_ms(o, 0, &err), err);
  ST_OK(sdrs_wait_opts_set_timeout_ms(o, 1800000, &err), err);
  EXPECT_EVAL(sdrs_wait_opts_set_timeout_ms(o, -1, &err));

  sdrs_cancel *c = NULL;
  ST_OK(sdrs_cancel_new(&c, &err), err);
  ST_OK(sdrs_wait_opts_set_cancel(o, c, &err), err);
  ST_OK(sdrs_wait_opts_set_cancel(o, NULL, &err), err);
  ST_OK(sdrs_wait_opts_set_progress(o, dummy_progress, &err, &err), err);
  ST_OK(sdrs_wait_opts_set_progress(o, NULL, NULL, &err), err);
  sdrs_wait_opts_free(o);
  sdrs_cancel_free(c);
}

static int group_setup(void **state) {
  (void)state;
  st_global_init();
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  st_global_cleanup();
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version),
      cmocka_unit_test(test_error_names),
      cmocka_unit_test(test_frees_accept_null),
      cmocka_unit_test(test_error_getters_null),
      cmocka_unit_test(test_error_of_validation),
      cmocka_unit_test(test_error_of_401),
      cmocka_unit_test(test_wrong_project_is_auth_error),
      cmocka_unit_test(test_config_null_args),
      cmocka_unit_test(test_config_endpoint),
      cmocka_unit_test(test_client_rechecks_allow_http),
      cmocka_unit_test(test_http_endpoint_in_any_order),
      cmocka_unit_test(test_client_names_auth_url),
      cmocka_unit_test(test_every_setter_names_its_field),
      cmocka_unit_test(test_file_settings_checked_when_set),
      cmocka_unit_test(test_config_project_id),
      cmocka_unit_test(test_config_token),
      cmocka_unit_test(test_config_timeouts),
      cmocka_unit_test(test_config_ca_file),
      cmocka_unit_test(test_config_user_agent),
      cmocka_unit_test(test_config_max_response_bytes),
      cmocka_unit_test(test_log_sink),
      cmocka_unit_test(test_client_new),
      cmocka_unit_test(test_client_missing_settings),
      cmocka_unit_test(test_call_opts),
      cmocka_unit_test(test_cancel_token),
      cmocka_unit_test(test_cancel_from_other_thread),
      cmocka_unit_test(test_wait_opts),
  };
  return cmocka_run_group_tests_name("capi_config", tests, group_setup, group_teardown);
}
