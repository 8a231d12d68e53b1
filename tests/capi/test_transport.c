/* Transport under faults: one test per fault kind of the emulator (tools/sdrs-emulator
 * README, "Fault injection"), retries and their budget, Retry-After, POST never resent,
 * deadline and cancel during a transfer, logging, proxies and the new config setters. */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#define PATH_API "/v1/" ST_PROJECT_ID
#define PATH_DOMAINS PATH_API "/active-domains"
#define PATH_GROUPS PATH_API "/server-groups"

/* ---- helpers ---- */

static void faults_clear(void) {
  assert_int_equal(st_admin("DELETE", "/_emulator/faults", NULL, NULL), 200);
}

/* Adds one rule (JSON object) and fails the test if the emulator rejects it. */
static void fault_add(const char *json) {
  char *resp = NULL;
  long status = st_admin("POST", "/_emulator/faults", json, &resp);
  if (status != 200) fprintf(stderr, "fault rule %s rejected: %s\n", json, resp);
  free(resp);
  assert_int_equal(status, 200);
}

/* Hits of the only rule installed (GET /_emulator/faults). */
static long long fault_hits(void) {
  char *resp = NULL;
  assert_int_equal(st_admin("GET", "/_emulator/faults", NULL, &resp), 200);
  const char *p = strstr(resp, "\"hits\":");
  assert_non_null(p);
  long long v = strtoll(p + 7, NULL, 10);
  free(resp);
  return v;
}

static sdrs_client *client_with(int32_t max_attempts, int64_t timeout_ms) {
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_max_attempts(cfg, max_attempts, &err), err);
  ST_OK(sdrs_config_set_timeout_ms(cfg, timeout_ms, &err), err);
  sdrs_client *client = NULL;
  ST_OK(sdrs_client_new(&client, cfg, &err), err);
  sdrs_config_free(cfg);
  return client;
}

static int get_domains(sdrs_client *client, const sdrs_call_opts *opts, sdrs_error **err) {
  sdrs_domain_list *list = NULL;
  int rc = sdrs_domain_list_get(&list, client, opts, err);
  if (rc == 0) assert_int_equal(sdrs_domain_list_size(list), 2);
  sdrs_domain_list_free(list);
  return rc;
}

static int create_group(sdrs_client *client, const char *prefix, sdrs_error **err) {
  char name[96];
  st_unique_name(name, sizeof name, prefix);
  sdrs_pg_spec *spec = st_spec_new(name);
  char *job_id = NULL;
  int rc = sdrs_pg_create(&job_id, client, spec, NULL, err);
  if (rc == 0) assert_true(st_is_hex32(job_id));
  sdrs_string_free(job_id);
  sdrs_pg_spec_free(spec);
  return rc;
}

static sdrs_call_opts *call_opts(int64_t timeout_ms, sdrs_cancel *cancel) {
  sdrs_call_opts *o = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_call_opts_new(&o, &err), err);
  if (timeout_ms > 0) ST_OK(sdrs_call_opts_set_timeout_ms(o, timeout_ms, &err), err);
  if (cancel != NULL) ST_OK(sdrs_call_opts_set_cancel(o, cancel, &err), err);
  return o;
}

static int setup(void **state) {
  (void)state;
  faults_clear();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  faults_clear();
  return 0;
}

/* ---- status faults ---- */

static void test_429_retry_after_seconds_then_success(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS
            "\",\"kind\":\"status\",\"status\":429,"
            "\"retry_after\":\"1\",\"count\":1}");
  sdrs_error *err = NULL;
  int64_t t0 = st_now_ms();
  ST_OK(get_domains(c, NULL, &err), err);
  int64_t took = st_now_ms() - t0;
  fprintf(stderr, "429 + Retry-After: 1 -> success after %lld ms\n", (long long)took);
  assert_true(took >= 950); /* the server asked for one second */
  assert_int_equal(fault_hits(), 1);
  sdrs_client_free(c);
}

static void test_503_retry_after_http_date(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  /* An HTTP-date two seconds ahead: whole seconds, so the wait is between 1 and 2 s. */
  char date[64], rule[256];
  time_t when = time(NULL) + 2;
  struct tm tm;
  gmtime_r(&when, &tm);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  snprintf(rule, sizeof rule,
           "{\"path\":\"" PATH_DOMAINS
           "\",\"kind\":\"status\",\"status\":503,"
           "\"retry_after\":\"%s\",\"count\":1}",
           date);
  fault_add(rule);
  sdrs_error *err = NULL;
  int64_t t0 = st_now_ms();
  ST_OK(get_domains(c, NULL, &err), err);
  int64_t took = st_now_ms() - t0;
  fprintf(stderr, "503 + Retry-After: %s -> success after %lld ms\n", date, (long long)took);
  /* At least 1 s after the rule was made, minus however long a loaded machine took to reach
   * t0; without Retry-After the retry would come within 100 ms. */
  assert_true(took >= 500);
  assert_int_equal(fault_hits(), 1);
  sdrs_client_free(c);
}

static void test_429_retry_after_beyond_deadline(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS
            "\",\"kind\":\"status\",\"status\":429,"
            "\"retry_after\":\"30\",\"count\":-1}");
  sdrs_call_opts *o = call_opts(2000, NULL);
  sdrs_error *err = NULL;
  int64_t t0 = st_now_ms();
  ST_ERR(get_domains(c, o, &err), err, SDRS_ERATELIMIT);
  int64_t took = st_now_ms() - t0;
  /* Waiting 30 s cannot fit a 2 s deadline: the call ends at once with the 429. */
  assert_true(took < 1500);
  assert_int_equal(sdrs_error_attempts(err), 1);
  assert_int_equal(sdrs_error_http_status(err), 429);
  assert_int_equal(sdrs_error_retryable(err), 1);
  sdrs_error_free(err);
  sdrs_call_opts_free(o);
  sdrs_client_free(c);
}

static void test_500_get_retried_then_success(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"status\",\"status\":500,\"count\":2}");
  sdrs_error *err = NULL;
  ST_OK(get_domains(c, NULL, &err), err);
  assert_int_equal(fault_hits(), 2);
  sdrs_client_free(c);
}

static void test_502_html_exhausts_budget(void **state) {
  (void)state;
  sdrs_client *c = client_with(3, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"status\",\"status\":502,\"count\":-1}");
  sdrs_error *err = NULL;
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_ESERVER);
  assert_int_equal(sdrs_error_attempts(err), 3);
  assert_int_equal(sdrs_error_http_status(err), 502);
  assert_true(st_contains(sdrs_error_message(err), "non-JSON body"));
  assert_true(st_contains(sdrs_error_message(err), "3 attempts"));
  assert_true(st_contains(sdrs_error_body(err), "Bad Gateway"));
  assert_int_equal(fault_hits(), 3);
  sdrs_error_free(err);
  sdrs_client_free(c);
}

static void test_503_post_create_retried(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  long long creates = st_stat("creates");
  fault_add("{\"path\":\"" PATH_GROUPS
            "\",\"method\":\"POST\",\"kind\":\"status\","
            "\"status\":503,\"count\":1}");
  sdrs_error *err = NULL;
  ST_OK(create_group(c, "r503", &err), err);
  assert_int_equal(fault_hits(), 1);
  assert_int_equal(st_stat("creates") - creates, 1);
  sdrs_client_free(c);
}

static void test_504_get_budget_of_two(void **state) {
  (void)state;
  sdrs_client *c = client_with(2, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"status\",\"status\":504,\"count\":-1}");
  sdrs_error *err = NULL;
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_ESERVER);
  assert_int_equal(sdrs_error_attempts(err), 2);
  assert_int_equal(sdrs_error_http_status(err), 504);
  sdrs_error_free(err);
  sdrs_client_free(c);
}

static void test_500_post_create_not_retried(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_GROUPS
            "\",\"method\":\"POST\",\"kind\":\"status\","
            "\"status\":500,\"count\":-1}");
  sdrs_error *err = NULL;
  ST_ERR(create_group(c, "r500", &err), err, SDRS_ESERVER);
  assert_int_equal(sdrs_error_attempts(err), 1);
  assert_int_equal(fault_hits(), 1);
  sdrs_error_free(err);
  sdrs_client_free(c);
}

/* ---- delays: deadline and cancel during a transfer ---- */

static void test_delay_deadline_aborts_promptly(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"delay\",\"delay_ms\":3000,\"count\":1}");
  sdrs_call_opts *o = call_opts(300, NULL);
  sdrs_error *err = NULL;
  int64_t t0 = st_now_ms();
  ST_ERR(get_domains(c, o, &err), err, SDRS_ETIMEOUT);
  int64_t late = st_now_ms() - t0 - 300;
  fprintf(stderr, "deadline 300 ms: call returned %lld ms after it\n", (long long)late);
  /* Not waiting out the 3 s delay is what counts here (capi_guards measures promptness, best
   * of three, so a loaded machine cannot fail it). */
  assert_true(late <= 1500 * st_time_scale());
  assert_int_equal(sdrs_error_attempts(err), 1);
  sdrs_error_free(err);
  sdrs_call_opts_free(o);
  sdrs_client_free(c);
}

struct canceler {
  sdrs_cancel *cancel;
  int64_t delay_ms;
  int64_t fired_at;
};

static void *cancel_later(void *arg) {
  struct canceler *k = arg;
  st_sleep_ms(k->delay_ms);
  k->fired_at = st_now_ms();
  sdrs_cancel_trigger(k->cancel);
  return NULL;
}

static void test_delay_cancel_aborts_promptly(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"delay\",\"delay_ms\":3000,\"count\":1}");
  sdrs_cancel *cancel = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_cancel_new(&cancel, &err), err);
  sdrs_call_opts *o = call_opts(0, cancel);
  struct canceler k = {cancel, 300, 0};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, cancel_later, &k), 0);
  ST_ERR(get_domains(c, o, &err), err, SDRS_ECANCELED);
  int64_t returned = st_now_ms();
  pthread_join(t, NULL);
  fprintf(stderr, "cancel during transfer: returned %lld ms after the trigger\n",
          (long long)(returned - k.fired_at));
  /* Not waiting out the 3 s delay (promptness: capi_guards, best of three). */
  assert_true(returned - k.fired_at <= 1500 * st_time_scale());
  assert_int_equal(sdrs_error_attempts(err), 1);
  sdrs_error_free(err);
  sdrs_call_opts_free(o);
  sdrs_cancel_free(cancel);
  sdrs_client_free(c);
}

/* ---- broken bodies and connections ---- */

static void test_stall_mid_body_times_out_then_retried(void **state) {
  (void)state;
  /* One exchange may take 500 ms; the stalled first answer times out and the GET is retried. */
  sdrs_client *c = client_with(4, 500);
  fault_add("{\"path\":\"" PATH_DOMAINS
            "\",\"kind\":\"stall_mid_body\",\"delay_ms\":3000,"
            "\"count\":1}");
  sdrs_error *err = NULL;
  int64_t t0 = st_now_ms();
  ST_OK(get_domains(c, NULL, &err), err);
  int64_t took = st_now_ms() - t0;
  assert_true(took >= 450);
  assert_int_equal(fault_hits(), 1);
  sdrs_client_free(c);
}

static void test_stall_mid_body_until_deadline(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS
            "\",\"kind\":\"stall_mid_body\",\"delay_ms\":3000,"
            "\"count\":-1}");
  sdrs_call_opts *o = call_opts(400, NULL);
  sdrs_error *err = NULL;
  ST_ERR(get_domains(c, o, &err), err, SDRS_ETIMEOUT);
  assert_int_equal(sdrs_error_attempts(err), 1);
  sdrs_error_free(err);
  sdrs_call_opts_free(o);
  sdrs_client_free(c);
}

static void test_low_speed_abort(void **state) {
  (void)state;
  /* A long exchange timeout, but under 1000 bytes/s for 1 s aborts the stalled transfer. */
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_low_speed(cfg, 1000, 1, &err), err);
  ST_OK(sdrs_config_set_max_attempts(cfg, 1, &err), err);
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  fault_add("{\"path\":\"" PATH_DOMAINS
            "\",\"kind\":\"stall_mid_body\",\"delay_ms\":5000,"
            "\"count\":1}");
  int64_t t0 = st_now_ms();
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_ETIMEOUT);
  int64_t took = st_now_ms() - t0;
  fprintf(stderr, "low-speed abort after %lld ms\n", (long long)took);
  assert_true(took >= 900 && took < 4500);
  sdrs_error_free(err);
  sdrs_client_free(c);
  sdrs_config_free(cfg);
}

static void test_cut_mid_body_get_retried(void **state) {
  (void)state;
  /* Half a body, then the connection drops (short stall): a partial transfer. */
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS
            "\",\"kind\":\"stall_mid_body\",\"delay_ms\":50,"
            "\"count\":1}");
  sdrs_error *err = NULL;
  ST_OK(get_domains(c, NULL, &err), err);
  assert_int_equal(fault_hits(), 1);
  sdrs_client_free(c);
}

static void test_close_before_get_retried(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"close_before\",\"count\":1}");
  sdrs_error *err = NULL;
  ST_OK(get_domains(c, NULL, &err), err);
  assert_int_equal(fault_hits(), 1);
  sdrs_client_free(c);
}

static void test_close_before_post_not_retried(void **state) {
  (void)state;
  /* The client cannot know the server did nothing: it must not send the create again. */
  sdrs_client *c = client_with(4, 20000);
  long long creates = st_stat("creates");
  fault_add("{\"path\":\"" PATH_GROUPS
            "\",\"method\":\"POST\",\"kind\":\"close_before\","
            "\"count\":-1}");
  sdrs_error *err = NULL;
  ST_ERR(create_group(c, "cb", &err), err, SDRS_ETRANSPORT);
  assert_int_equal(sdrs_error_attempts(err), 1);
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_int_equal(sdrs_error_outcome_unknown(err), 1);
  assert_int_equal(fault_hits(), 1);
  assert_int_equal(st_stat("creates") - creates, 0);
  sdrs_error_free(err);
  sdrs_client_free(c);
}

/* The create reached the server, which acted and then dropped the connection: the library
 * must report the failure and never send the create a second time, on a fresh connection or
 * on a reused keep-alive one (libcurl itself would resend on a reused one). */
static void check_create_lost_response(int warm_connection) {
  sdrs_client *c = client_with(4, 20000);
  sdrs_error *err = NULL;
  if (warm_connection) ST_OK(get_domains(c, NULL, &err), err);
  long long creates = st_stat("creates");
  long long groups = st_stat("groups");
  fault_add("{\"path\":\"" PATH_GROUPS
            "\",\"method\":\"POST\",\"kind\":\"close_after\","
            "\"count\":1}");
  ST_ERR(create_group(c, "ca", &err), err, SDRS_ETRANSPORT);
  assert_int_equal(sdrs_error_attempts(err), 1);
  /* The service may have acted: not "retry", but "find out" (issue 19 finding 4). */
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_int_equal(sdrs_error_outcome_unknown(err), 1);
  sdrs_error_free(err);
  assert_int_equal(fault_hits(), 1);
  assert_int_equal(st_stat("creates") - creates, 1);
  assert_int_equal(st_stat("groups") - groups, 1);
  sdrs_client_free(c);
}

static void test_close_after_post_never_sent_twice(void **state) {
  (void)state;
  check_create_lost_response(0);
}

static void test_close_after_post_reused_connection(void **state) {
  (void)state;
  check_create_lost_response(1);
}

static void test_close_after_get_retried(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"close_after\",\"count\":1}");
  sdrs_error *err = NULL;
  ST_OK(get_domains(c, NULL, &err), err);
  assert_int_equal(fault_hits(), 1);
  sdrs_client_free(c);
}

static void test_truncated_json(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"truncated_json\",\"count\":1}");
  sdrs_error *err = NULL;
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_EPROTOCOL);
  assert_int_equal(sdrs_error_attempts(err), 1);
  assert_int_equal(sdrs_error_http_status(err), 200);
  sdrs_error_free(err);
  sdrs_client_free(c);
}

static void test_malformed_json_on_create(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  fault_add("{\"path\":\"" PATH_GROUPS
            "\",\"method\":\"POST\",\"kind\":\"malformed_json\","
            "\"count\":1}");
  sdrs_error *err = NULL;
  ST_ERR(create_group(c, "mj", &err), err, SDRS_EPROTOCOL);
  assert_int_equal(sdrs_error_attempts(err), 1);
  assert_true(st_contains(sdrs_error_body(err), "oops"));
  sdrs_error_free(err);
  sdrs_client_free(c);
}

static void test_oversized_body(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  /* 9 MiB against the default limit of 8 MiB. */
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"oversized_body\",\"count\":1}");
  sdrs_error *err = NULL;
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_EPROTOCOL);
  assert_true(st_contains(sdrs_error_message(err), "larger than the limit"));
  assert_int_equal(sdrs_error_attempts(err), 1);
  sdrs_error_free(err);
  sdrs_client_free(c);
}

static void test_wrong_content_type(void **state) {
  (void)state;
  sdrs_client *c = client_with(4, 20000);
  sdrs_error *err = NULL;
  /* Documented tolerance: a JSON body under a wrong Content-Type is parsed... */
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"wrong_content_type\",\"count\":1}");
  ST_OK(get_domains(c, NULL, &err), err);
  /* ...a body that is not JSON is a protocol error. */
  fault_add("{\"path\":\"" PATH_DOMAINS
            "\",\"kind\":\"wrong_content_type\",\"count\":1,"
            "\"body\":\"<html><body>maintenance</body></html>\"}");
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_EPROTOCOL);
  assert_int_equal(sdrs_error_attempts(err), 1);
  sdrs_error_free(err);
  sdrs_client_free(c);
}

/* ---- issue 19: reconciling a lost create, attempts across a token refresh ---- */

/* The create's answer is lost (close_after: the group exists; close_before: it does not).
 * sdrs_pg_find_created, given the spec and the error's send time, returns the group the lost
 * request made, or SDRS_ENOTFOUND, after which a second create is safe. */
static void check_reconcile(const char *kind, int created) {
  sdrs_client *c = client_with(4, 20000);
  sdrs_error *err = NULL;
  char name[96];
  st_unique_name(name, sizeof name, "rec");
  sdrs_pg_spec *spec = st_spec_new(name);
  char rule[256];
  snprintf(rule, sizeof rule,
           "{\"path\":\"" PATH_GROUPS "\",\"method\":\"POST\",\"kind\":\"%s\",\"count\":1}", kind);
  fault_add(rule);
  char *job_id = NULL;
  ST_ERR(sdrs_pg_create(&job_id, c, spec, NULL, &err), err, SDRS_ETRANSPORT);
  assert_int_equal(sdrs_error_outcome_unknown(err), 1);
  int64_t since = sdrs_error_sent_at_ms(err);
  assert_true(since != SDRS_TIME_NONE);
  sdrs_error_free(err);
  err = NULL;
  sdrs_pg *pg = NULL;
  if (created) {
    ST_OK(sdrs_pg_find_created(&pg, c, spec, since, NULL, &err), err);
    ST_STR(sdrs_pg_name(pg), name);
    ST_STR(sdrs_pg_domain_id(pg), ST_DOMAIN_A);
    sdrs_pg_free(pg);
    pg = NULL;
    /* A group made an hour before since_ms (far beyond the clock-skew allowance) is not the
     * lost request's. */
    ST_ERR(sdrs_pg_find_created(&pg, c, spec, since + 3600 * 1000, NULL, &err), err,
           SDRS_ENOTFOUND);
    assert_null(pg);
    sdrs_error_free(err);
    err = NULL;
  } else {
    ST_ERR(sdrs_pg_find_created(&pg, c, spec, since, NULL, &err), err, SDRS_ENOTFOUND);
    assert_null(pg);
    sdrs_error_free(err);
    err = NULL;
    /* None exists: a second create is safe and makes exactly one. */
    ST_OK(sdrs_pg_create(&job_id, c, spec, NULL, &err), err);
    sdrs_job *job = st_wait_ok(c, job_id);
    sdrs_job_free(job);
    sdrs_string_free(job_id);
    ST_OK(sdrs_pg_find_created(&pg, c, spec, since, NULL, &err), err);
    sdrs_pg_free(pg);
    pg = NULL;
  }
  /* A spec that differs in a field the group has does not match. */
  ST_OK(sdrs_pg_spec_set_domain_id(spec, ST_DOMAIN_B, &err), err);
  ST_ERR(sdrs_pg_find_created(&pg, c, spec, since, NULL, &err), err, SDRS_ENOTFOUND);
  sdrs_error_free(err);
  err = NULL;
  /* since_ms must be a time. */
  ST_ERR_FIELD(sdrs_pg_find_created(&pg, c, spec, SDRS_TIME_NONE, NULL, &err), err,
               SDRS_EVALIDATION, "since_ms");
  ST_EINVAL(sdrs_pg_find_created(NULL, c, spec, since, NULL, &err), err);
  ST_EINVAL(sdrs_pg_find_created(&pg, c, NULL, since, NULL, &err), err);
  sdrs_pg_spec_free(spec);
  sdrs_client_free(c);
}

static void test_reconcile_lost_create_that_was_made(void **state) {
  (void)state;
  check_reconcile("close_after", 1);
}

static void test_reconcile_lost_create_that_was_not(void **state) {
  (void)state;
  check_reconcile("close_before", 0);
}

/* Finding 5: a 401 makes the library fetch a new token and send the POST again; when that
 * gets 401 too, two POSTs went out and the error says so (IAM requests are not counted). */
static void test_reauth_401_counts_both_posts(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_allow_http(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, st_base_url(), &err), err);
  ST_OK(sdrs_config_set_auth_url(cfg, st_base_url(), &err), err);
  ST_OK(sdrs_config_set_username(cfg, "alice", &err), err);
  ST_OK(sdrs_config_set_password(cfg, "alice-Pa55word-x", &err), err);
  ST_OK(sdrs_config_set_user_domain_name(cfg, "emulator-domain", &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  sdrs_config_free(cfg);
  long long iam = st_stat("iam_token_requests");
  fault_add("{\"path\":\"" PATH_GROUPS
            "\",\"method\":\"POST\",\"kind\":\"status\",\"status\":401,\"body\":\"\","
            "\"count\":2}");
  ST_ERR(create_group(c, "reauth", &err), err, SDRS_EAUTH);
  assert_int_equal(fault_hits(), 2);
  assert_int_equal(sdrs_error_attempts(err), 2);
  assert_int_equal(sdrs_error_http_status(err), 401);
  assert_int_equal(st_stat("iam_token_requests") - iam, 2); /* first token + the refresh */
  sdrs_error_free(err);
  sdrs_client_free(c);
}

/* ---- connection refused: provably never sent, so even a POST is retried ---- */

static int closed_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  socklen_t len = sizeof a;
  assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  close(fd); /* nothing listens there now */
  return ntohs(a.sin_port);
}

static void test_connection_refused_post_retried(void **state) {
  (void)state;
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_endpoint(cfg, url, &err), err);
  ST_OK(sdrs_config_set_max_attempts(cfg, 3, &err), err);
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  ST_ERR(create_group(c, "cr", &err), err, SDRS_ETRANSPORT);
  assert_int_equal(sdrs_error_attempts(err), 3);
  assert_true(st_contains(sdrs_error_message(err), "3 attempts"));
  sdrs_error_free(err);
  sdrs_client_free(c);
  sdrs_config_free(cfg);
}

/* ---- proxies ---- */

#define PROXY_PROBE_ID "0a0a0a0a-0000-4000-8000-00000000beef"

static void test_proxy_option_and_no_proxy(void **state) {
  (void)state;
  char proxy[64];
  snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", closed_port());
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_max_attempts(cfg, 1, &err), err);
  /* Every request goes to the (dead) proxy... */
  ST_OK(sdrs_config_set_proxy(cfg, proxy, "", &err), err);
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  /* A tripwire on a path no other test asks for: a request that reached the emulator would
   * hit it. (Not the global request counter: a request another test abandoned during a 3 s
   * fault delay is counted when the delay ends, which can fall inside this test.) */
  fault_add("{\"path\":\"" PATH_GROUPS "/" PROXY_PROBE_ID
            "\",\"kind\":\"status\",\"status\":418,\"count\":100}");
  sdrs_pg *pg = NULL;
  ST_ERR(sdrs_pg_get(&pg, c, PROXY_PROBE_ID, NULL, &err), err, SDRS_ETRANSPORT);
  assert_null(pg);
  sdrs_error_free(err);
  err = NULL;
  assert_int_equal(fault_hits(), 0); /* nothing reached the emulator */
  faults_clear();
  sdrs_client_free(c);
  /* ...unless the host is on the no-proxy list. */
  ST_OK(sdrs_config_set_proxy(cfg, proxy, "localhost,127.0.0.1", &err), err);
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  ST_OK(get_domains(c, NULL, &err), err);
  sdrs_client_free(c);
  /* The environment is honoured when no proxy is set explicitly. */
  setenv("http_proxy", proxy, 1);
  ST_OK(sdrs_config_set_proxy(cfg, NULL, NULL, &err), err);
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_ETRANSPORT);
  sdrs_error_free(err);
  err = NULL;
  sdrs_client_free(c);
  /* The environment is read when the client is made: a later change does not reach it. */
  unsetenv("http_proxy");
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  setenv("http_proxy", proxy, 1);
  ST_OK(get_domains(c, NULL, &err), err); /* still direct */
  sdrs_client_free(c);
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  unsetenv("http_proxy");
  ST_ERR(get_domains(c, NULL, &err), err, SDRS_ETRANSPORT); /* still the proxy */
  sdrs_error_free(err);
  err = NULL;
  sdrs_client_free(c);
  setenv("http_proxy", proxy, 1);
  /* An empty proxy URL means "direct", whatever the environment says. */
  ST_OK(sdrs_config_set_proxy(cfg, "", NULL, &err), err);
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  ST_OK(get_domains(c, NULL, &err), err);
  sdrs_client_free(c);
  unsetenv("http_proxy");
  sdrs_config_free(cfg);
}

/* ---- logging ---- */

struct log_capture {
  char lines[64][1024];
  int n;
};

static void capture(int32_t level, const char *message, void *userdata) {
  struct log_capture *lc = userdata;
  (void)level;
  if (lc->n < 64) snprintf(lc->lines[lc->n++], sizeof lc->lines[0], "%s", message);
}

static void test_log_lines_carry_context_and_mask_secrets(void **state) {
  (void)state;
  static struct log_capture lc;
  memset(&lc, 0, sizeof lc);
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_log_sink(cfg, capture, SDRS_LOG_DEBUG, &lc, &err), err);
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"status\",\"status\":503,\"count\":1}");
  ST_OK(get_domains(c, NULL, &err), err);
  int first = 0, second = 0, retry = 0;
  for (int i = 0; i < lc.n; i++) {
    const char *l = lc.lines[i];
    assert_false(st_contains(l, ST_TOKEN)); /* the token never appears */
    if (st_contains(l, "X-Auth-Token")) assert_true(st_contains(l, "X-Auth-Token: ***"));
    if (st_contains(l, "GET " PATH_DOMAINS " -> 503 (attempt 1/4") &&
        st_contains(l, "request id ")) {
      first = 1;
    }
    if (st_contains(l, "GET " PATH_DOMAINS " -> 200 (attempt 2/4") &&
        st_contains(l, "request id ") && !st_contains(l, "request id -")) {
      second = 1;
    }
    if (st_contains(l, "retrying in")) retry = 1;
  }
  if (!(first && second && retry)) {
    for (int i = 0; i < lc.n; i++) fprintf(stderr, "log: %s\n", lc.lines[i]);
  }
  assert_true(first && second && retry);
  sdrs_client_free(c);
  sdrs_config_free(cfg);
}

static void test_no_sink_no_output(void **state) {
  (void)state;
  /* Without a sink nothing is printed: stderr stays untouched by a failing call. */
  fflush(stderr);
  int saved = dup(2);
  char path[] = "/tmp/sdrs-capi-stderr-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0 && saved >= 0);
  dup2(fd, 2);
  sdrs_client *c = client_with(2, 20000);
  fault_add("{\"path\":\"" PATH_DOMAINS "\",\"kind\":\"status\",\"status\":502,\"count\":-1}");
  sdrs_error *err = NULL;
  int rc = get_domains(c, NULL, &err);
  sdrs_client_free(c);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  off_t size = lseek(fd, 0, SEEK_END);
  close(fd);
  unlink(path);
  assert_int_equal(rc, SDRS_ESERVER);
  sdrs_error_free(err);
  assert_int_equal(size, 0);
}

/* ---- setters ---- */

static void test_setters_validate(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_ERR_FIELD(sdrs_config_set_max_attempts(cfg, 0, &err), err, SDRS_EVALIDATION, "max_attempts");
  ST_ERR_FIELD(sdrs_config_set_max_attempts(cfg, 11, &err), err, SDRS_EVALIDATION, "max_attempts");
  ST_OK(sdrs_config_set_max_attempts(cfg, 1, &err), err);
  ST_ERR_FIELD(sdrs_config_set_http_version(cfg, 3, &err), err, SDRS_EVALIDATION, "http_version");
  ST_OK(sdrs_config_set_http_version(cfg, SDRS_HTTP_VERSION_1_1, &err), err);
  ST_ERR_FIELD(sdrs_config_set_low_speed(cfg, -1, 10, &err), err, SDRS_EVALIDATION,
               "low_speed_bytes_per_second");
  ST_ERR_FIELD(sdrs_config_set_low_speed(cfg, 10, 0, &err), err, SDRS_EVALIDATION,
               "low_speed_seconds");
  ST_OK(sdrs_config_set_low_speed(cfg, 0, 30, &err), err);
  ST_ERR_FIELD(sdrs_config_set_ca_dir(cfg, "/nonexistent-dir", &err), err, SDRS_EVALIDATION,
               "ca_dir");
  ST_ERR_FIELD(sdrs_config_set_ca_dir(cfg, "/etc/hostname", &err), err, SDRS_EVALIDATION, "ca_dir");
  ST_OK(sdrs_config_set_ca_dir(cfg, "/tmp", &err), err);
  ST_OK(sdrs_config_set_ca_dir(cfg, NULL, &err), err);
  ST_ERR_FIELD(sdrs_config_set_client_cert(cfg, "/nonexistent.pem", "/etc/hostname", NULL, &err),
               err, SDRS_EVALIDATION, "cert_file");
  ST_ERR_FIELD(sdrs_config_set_client_cert(cfg, "/etc/hostname", NULL, NULL, &err), err,
               SDRS_EVALIDATION, "key_file");
  ST_ERR_FIELD(sdrs_config_set_client_cert(cfg, NULL, "/etc/hostname", NULL, &err), err,
               SDRS_EVALIDATION, "cert_file");
  ST_OK(sdrs_config_set_client_cert(cfg, NULL, NULL, NULL, &err), err);
  ST_ERR_FIELD(sdrs_config_set_proxy(cfg, "ftp://proxy:21", NULL, &err), err, SDRS_EVALIDATION,
               "proxy_url");
  ST_ERR(sdrs_config_set_proxy(cfg, "http://user:hunter2@proxy\r\nX: y", NULL, &err), err,
         SDRS_EVALIDATION);
  assert_false(st_contains(sdrs_error_message(err), "hunter2")); /* credentials never echoed */
  sdrs_error_free(err);
  err = NULL;
  ST_OK(sdrs_config_set_proxy(cfg, "http://user:pw@proxy.example:3128", "localhost", &err), err);
  ST_OK(sdrs_config_set_insecure_skip_tls_verify(cfg, 0, &err), err);
  sdrs_config_free(cfg);
  /* NULL handles. */
  ST_EINVAL(sdrs_config_set_max_attempts(NULL, 2, &err), err);
  ST_EINVAL(sdrs_config_set_http_version(NULL, 0, &err), err);
  ST_EINVAL(sdrs_config_set_low_speed(NULL, 0, 1, &err), err);
  ST_EINVAL(sdrs_config_set_ca_dir(NULL, NULL, &err), err);
  ST_EINVAL(sdrs_config_set_client_cert(NULL, NULL, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_config_set_proxy(NULL, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_config_set_insecure_skip_tls_verify(NULL, 1, &err), err);
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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_429_retry_after_seconds_then_success),
      T(test_503_retry_after_http_date),
      T(test_429_retry_after_beyond_deadline),
      T(test_500_get_retried_then_success),
      T(test_502_html_exhausts_budget),
      T(test_503_post_create_retried),
      T(test_504_get_budget_of_two),
      T(test_500_post_create_not_retried),
      T(test_delay_deadline_aborts_promptly),
      T(test_delay_cancel_aborts_promptly),
      T(test_stall_mid_body_times_out_then_retried),
      T(test_stall_mid_body_until_deadline),
      T(test_low_speed_abort),
      T(test_cut_mid_body_get_retried),
      T(test_close_before_get_retried),
      T(test_close_before_post_not_retried),
      T(test_close_after_post_never_sent_twice),
      T(test_close_after_post_reused_connection),
      T(test_close_after_get_retried),
      T(test_truncated_json),
      T(test_malformed_json_on_create),
      T(test_oversized_body),
      T(test_wrong_content_type),
      T(test_connection_refused_post_retried),
      T(test_reconcile_lost_create_that_was_made),
      T(test_reconcile_lost_create_that_was_not),
      T(test_reauth_401_counts_both_posts),
      T(test_proxy_option_and_no_proxy),
      T(test_log_lines_carry_context_and_mask_secrets),
      T(test_no_sink_no_output),
      T(test_setters_validate),
  };
  return cmocka_run_group_tests_name("capi_transport", tests, group_setup, group_teardown);
}
