/* Guards a one-line bug could remove without the rest of the suite noticing (issue 19, item 8;
 * scripts/mutate measures it): sdrs_job_wait's *out on every way out, the POST re-send guard
 * on fault paths the transport tests do not take, and how promptly a deadline or a cancel ends
 * a transfer, measured so a loaded machine cannot fail the correct code (best of three). */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PATH_API "/v1/" ST_PROJECT_ID
#define PATH_DOMAINS PATH_API "/active-domains"
#define PATH_GROUPS PATH_API "/server-groups"

/* What *out holds before each wait: any non-NULL value the library must overwrite. */
static int g_sentinel_target;
#define SENTINEL ((sdrs_job *)(void *)&g_sentinel_target)

static int teardown(void **state) {
  (void)state;
  st_faults_clear();
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  return 0;
}

/* The promptness tests abandon requests the emulator holds for 3 s (delay faults). The emulator
 * counts a request when its handler finishes, so an abandoned one would land in the request
 * counters of whatever test program runs next (capi_list counts its API requests): wait it out. */
static int teardown_after_delay(void **state) {
  teardown(state);
  st_sleep_ms(3100);
  return 0;
}

/* A create whose job runs for 30 s. */
static char *create_long_job(void) {
  st_set_job_times(20, 30000);
  char name[64];
  st_unique_name(name, sizeof name, "guard-long");
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_error *err = NULL;
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_pg_spec_free(spec);
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  return job_id;
}

/* sdrs_job_wait from a sentinel *out; returns rc, *out after the call in *job. */
static int wait_from_sentinel(sdrs_job **job, sdrs_client *client, const char *job_id,
                              const sdrs_wait_opts *opts, sdrs_error **err) {
  *job = SENTINEL;
  return sdrs_job_wait(job, client, job_id, opts, err);
}

/* ---- sdrs_job_wait: *out is NULL after every failure but a FAIL job (job.h) ---- */

static void test_wait_out_null_on_argument_errors(void **state) {
  (void)state;
  sdrs_wait_opts *wopts = st_wait_opts_new(5000);
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  ST_EINVAL(wait_from_sentinel(&job, g_client, NULL, wopts, &err), err);
  assert_null(job);
  ST_EINVAL(wait_from_sentinel(&job, NULL, "0123456789abcdef0123456789abcdef", wopts, &err), err);
  assert_null(job);
  ST_ERR_FIELD(wait_from_sentinel(&job, g_client, "../jobs", wopts, &err), err, SDRS_EVALIDATION,
               "job_id");
  assert_null(job);
  ST_ERR_FIELD(wait_from_sentinel(&job, g_client, "", wopts, &err), err, SDRS_EVALIDATION,
               "job_id");
  assert_null(job);
  sdrs_wait_opts_free(wopts);
}

static void test_wait_out_null_on_not_found(void **state) {
  (void)state;
  sdrs_wait_opts *wopts = st_wait_opts_new(5000);
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  ST_ERR(wait_from_sentinel(&job, g_client, "ffffffffffffffffffffffffffffffff", wopts, &err), err,
         SDRS_ENOTFOUND);
  assert_null(job);
  sdrs_error_free(err);
  sdrs_wait_opts_free(wopts);
}

static void test_wait_out_null_on_deadline_and_cancel(void **state) {
  (void)state;
  char *job_id = create_long_job();
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;

  sdrs_wait_opts *wopts = st_wait_opts_new(150);
  ST_ERR(wait_from_sentinel(&job, g_client, job_id, wopts, &err), err, SDRS_ETIMEOUT);
  assert_null(job);
  sdrs_error_free(err);
  err = NULL;
  sdrs_wait_opts_free(wopts);

  /* A cancel token triggered before the call. */
  sdrs_cancel *cancel = NULL;
  ST_OK(sdrs_cancel_new(&cancel, &err), err);
  wopts = st_wait_opts_new(20000);
  ST_OK(sdrs_wait_opts_set_cancel(wopts, cancel, &err), err);
  sdrs_cancel_trigger(cancel);
  ST_ERR(wait_from_sentinel(&job, g_client, job_id, wopts, &err), err, SDRS_ECANCELED);
  assert_null(job);
  sdrs_error_free(err);
  err = NULL;
  sdrs_wait_opts_free(wopts);
  sdrs_cancel_free(cancel);
  sdrs_string_free(job_id);
}

static int stop_at_first(const sdrs_job *job, void *userdata) {
  (void)job;
  ++*(int *)userdata;
  return 1;
}

static void test_wait_out_null_when_progress_stops(void **state) {
  (void)state;
  char *job_id = create_long_job();
  sdrs_wait_opts *wopts = st_wait_opts_new(20000);
  sdrs_error *err = NULL;
  int calls = 0;
  ST_OK(sdrs_wait_opts_set_progress(wopts, stop_at_first, &calls, &err), err);
  sdrs_job *job = NULL;
  ST_ERR(wait_from_sentinel(&job, g_client, job_id, wopts, &err), err, SDRS_ECANCELED);
  assert_null(job);
  assert_int_equal(calls, 1);
  sdrs_error_free(err);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

static void test_wait_out_is_the_final_job_on_fail_and_success(void **state) {
  (void)state;
  char name[64];
  st_unique_name(name, sizeof name, "fail-guard");
  sdrs_pg_spec *spec = st_spec_new(name); /* "fail-" names make the create job FAIL */
  sdrs_error *err = NULL;
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  sdrs_job *job = NULL;
  ST_ERR(wait_from_sentinel(&job, g_client, job_id, wopts, &err), err, SDRS_EJOBFAILED);
  assert_non_null(job);
  assert_ptr_not_equal(job, SENTINEL);
  ST_STR(sdrs_job_id(job), job_id);
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_FAIL);
  ST_STR(sdrs_job_error_code(job), "SDRS.1014");
  ST_STR(sdrs_error_api_code(err), "SDRS.1014");
  sdrs_job_free(job);
  sdrs_error_free(err);
  err = NULL;
  sdrs_string_free(job_id);
  job_id = NULL;

  st_unique_name(name, sizeof name, "ok-guard");
  ST_OK(sdrs_pg_spec_set_name(spec, name, &err), err);
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  ST_OK(wait_from_sentinel(&job, g_client, job_id, wopts, &err), err);
  assert_non_null(job);
  assert_ptr_not_equal(job, SENTINEL);
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_SUCCESS);
  sdrs_job_free(job);
  sdrs_string_free(job_id);
  sdrs_wait_opts_free(wopts);
  sdrs_pg_spec_free(spec);
}

/* ---- the POST re-send guard on other fault paths ---- */

static int get_domains(sdrs_client *client, const sdrs_call_opts *opts, sdrs_error **err) {
  sdrs_domain_list *list = NULL;
  int rc = sdrs_domain_list_get(&list, client, opts, err);
  sdrs_domain_list_free(list);
  return rc;
}

/* The server drops the create unprocessed on a kept-alive connection: libcurl would send it
 * again on a fresh one (and succeed). The library cannot know the server did nothing, so it
 * must not: the call fails and no group exists. */
static void test_close_before_create_on_reused_connection_not_resent(void **state) {
  (void)state;
  sdrs_client *c = st_client_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(get_domains(c, NULL, &err), err); /* warms the connection */
  long long creates = st_stat("creates");
  st_fault_add("{\"path\":\"" PATH_GROUPS
               "\",\"method\":\"POST\",\"kind\":\"close_before\",\"count\":1}");
  char name[64];
  st_unique_name(name, sizeof name, "guard-cb");
  sdrs_pg_spec *spec = st_spec_new(name);
  char *job_id = NULL;
  int rc = sdrs_pg_create(&job_id, c, spec, NULL, &err);
  if (rc == 0) fprintf(stderr, "the create was sent again after the connection closed\n");
  assert_int_not_equal(rc, 0);
  assert_null(job_id);
  assert_non_null(err);
  sdrs_error_free(err);
  assert_int_equal(st_stat("creates") - creates, 0);
  sdrs_pg_spec_free(spec);
  sdrs_client_free(c);
}

/* An action POST (enable) processed, then its connection dropped, on a kept-alive connection:
 * exactly one action request reached the service. */
static void test_close_after_action_on_reused_connection_sent_once(void **state) {
  (void)state;
  char name[64];
  st_unique_name(name, sizeof name, "guard-act");
  /* a real pair (public API) so that the group can be enabled */
  sdrs_pg *pg = st_create_fixture_group(g_client, name);
  char id[64];
  snprintf(id, sizeof id, "%s", sdrs_pg_id(pg));
  sdrs_pg_free(pg);
  char *pair = st_create_pair(g_client, id, "data-1", "test-pair", NULL);

  sdrs_client *c = st_client_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(get_domains(c, NULL, &err), err); /* warms the connection */
  char path[160];
  snprintf(path, sizeof path, "%s/%s/action", PATH_GROUPS, id);
  char rule[320];
  snprintf(rule, sizeof rule,
           "{\"path\":\"%s\",\"method\":\"POST\",\"kind\":\"close_after\",\"count\":1}", path);
  st_fault_add(rule);
  long long api0 = st_stat("api_requests");
  long long jobs0 = st_stat("jobs");
  char *job_id = NULL;
  int rc = sdrs_pg_enable(&job_id, c, id, NULL, &err);
  long long api = st_stat("api_requests") - api0;
  fprintf(stderr, "enable with a lost answer: rc %d, %lld API request(s)\n", rc, api);
  assert_int_not_equal(rc, 0);
  assert_null(job_id);
  sdrs_error_free(err);
  assert_int_equal(api, 1);
  assert_int_equal(st_stat("jobs") - jobs0, 1);
  sdrs_client_free(c);

  /* The enable's job id was lost with the answer: wait for the group to leave "starting",
   * then delete the pair so the disk is free again. */
  int32_t status = SDRS_PG_STARTING;
  for (int64_t t0 = st_now_ms(); status == SDRS_PG_STARTING && st_now_ms() - t0 < 15000;) {
    st_sleep_ms(20);
    sdrs_pg *now = NULL;
    sdrs_error *get_err = NULL;
    ST_OK(sdrs_pg_get(&now, g_client, id, NULL, &get_err), get_err);
    status = sdrs_pg_status(now);
    sdrs_pg_free(now);
  }
  assert_int_equal(status, SDRS_PG_PROTECTED);
  st_delete_pair(g_client, pair);
}

/* ---- promptness, immune to a loaded machine ---- */

/* Each measurement repeats up to three times and keeps the best: a correct library is prompt
 * in every round, a loaded machine is slow in some; a library that only notices the deadline
 * or a cancel at its 1 s backstop is late in all three. The bound is far above scheduling
 * noise and below that backstop. */
#define ROUNDS 3
#define PROMPT_MS 400

static void test_deadline_ends_a_stalled_transfer_promptly(void **state) {
  (void)state;
  sdrs_client *c = st_client_new(NULL);
  sdrs_call_opts *o = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_call_opts_new(&o, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(o, 300, &err), err);
  int64_t best = INT64_MAX;
  for (int round = 0; round < ROUNDS && best > PROMPT_MS * st_time_scale(); round++) {
    st_faults_clear();
    st_fault_add("{\"path\":\"" PATH_DOMAINS
                 "\",\"kind\":\"delay\",\"delay_ms\":3000,\"count\":1}");
    int64_t t0 = st_now_ms();
    ST_ERR(get_domains(c, o, &err), err, SDRS_ETIMEOUT); /* ended by the deadline */
    int64_t late = st_now_ms() - t0 - 300;
    sdrs_error_free(err);
    err = NULL;
    fprintf(stderr, "round %d: deadline 300 ms, returned %lld ms after it\n", round,
            (long long)late);
    if (late < best) best = late;
  }
  assert_true(best <= PROMPT_MS * st_time_scale());
  sdrs_call_opts_free(o);
  sdrs_client_free(c);
}

struct canceler {
  sdrs_cancel *cancel;
  int64_t fired_at;
};

static void *cancel_after_300ms(void *arg) {
  struct canceler *k = arg;
  st_sleep_ms(300);
  k->fired_at = st_now_ms();
  sdrs_cancel_trigger(k->cancel);
  return NULL;
}

static void test_cancel_ends_a_stalled_transfer_promptly(void **state) {
  (void)state;
  sdrs_client *c = st_client_new(NULL);
  sdrs_error *err = NULL;
  int64_t best = INT64_MAX;
  for (int round = 0; round < ROUNDS && best > PROMPT_MS * st_time_scale(); round++) {
    st_faults_clear();
    st_fault_add("{\"path\":\"" PATH_DOMAINS
                 "\",\"kind\":\"delay\",\"delay_ms\":3000,\"count\":1}");
    sdrs_cancel *cancel = NULL;
    ST_OK(sdrs_cancel_new(&cancel, &err), err);
    sdrs_call_opts *o = NULL;
    ST_OK(sdrs_call_opts_new(&o, &err), err);
    ST_OK(sdrs_call_opts_set_cancel(o, cancel, &err), err);
    struct canceler k = {cancel, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, cancel_after_300ms, &k), 0);
    ST_ERR(get_domains(c, o, &err), err, SDRS_ECANCELED); /* ended by the cancel */
    int64_t returned = st_now_ms();
    assert_int_equal(pthread_join(t, NULL), 0);
    sdrs_error_free(err);
    err = NULL;
    fprintf(stderr, "round %d: returned %lld ms after the cancel\n", round,
            (long long)(returned - k.fired_at));
    if (returned - k.fired_at < best) best = returned - k.fired_at;
    sdrs_call_opts_free(o);
    sdrs_cancel_free(cancel);
  }
  assert_true(best <= PROMPT_MS * st_time_scale());
  sdrs_client_free(c);
}

static int setup(void **state) {
  st_group_setup(state);
  st_reset(); /* the fixture disks unpaired again (other programs may leave pairs) */
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_wait_out_null_on_argument_errors, teardown),
      cmocka_unit_test_teardown(test_wait_out_null_on_not_found, teardown),
      cmocka_unit_test_teardown(test_wait_out_null_on_deadline_and_cancel, teardown),
      cmocka_unit_test_teardown(test_wait_out_null_when_progress_stops, teardown),
      cmocka_unit_test_teardown(test_wait_out_is_the_final_job_on_fail_and_success, teardown),
      cmocka_unit_test_teardown(test_close_before_create_on_reused_connection_not_resent, teardown),
      cmocka_unit_test_teardown(test_close_after_action_on_reused_connection_sent_once, teardown),
      cmocka_unit_test_teardown(test_deadline_ends_a_stalled_transfer_promptly,
                                teardown_after_delay),
      cmocka_unit_test_teardown(test_cancel_ends_a_stalled_transfer_promptly, teardown_after_delay),
  };
  return cmocka_run_group_tests_name("capi_guards", tests, setup, st_group_teardown);
}
