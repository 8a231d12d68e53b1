/*
 * The job watcher (sdrs/watcher.h) against the emulator: completions of SUCCESS and FAIL
 * delivered exactly once with what sdrs_job_wait would return.
 */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* What one job's completion callback saw. */
typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int calls;
  int rc;
  uint64_t ticket;
  char job_id[80];
  sdrs_job *job;
  sdrs_error *err;
  pthread_t thread;
  int64_t at_ms;
} outcome;

static void outcome_init(outcome *o) {
  memset(o, 0, sizeof *o);
  pthread_mutex_init(&o->mu, NULL);
  pthread_cond_init(&o->cv, NULL);
}

static void outcome_free(outcome *o) {
  sdrs_job_free(o->job);
  sdrs_error_free(o->err);
  pthread_mutex_destroy(&o->mu);
  pthread_cond_destroy(&o->cv);
}

static void on_done(uint64_t ticket, const char *job_id, int rc, sdrs_job *job, sdrs_error *err,
                    void *userdata) {
  outcome *o = userdata;
  pthread_mutex_lock(&o->mu);
  o->calls++;
  o->rc = rc;
  o->ticket = ticket;
  snprintf(o->job_id, sizeof o->job_id, "%s", job_id);
  if (o->calls == 1) {
    o->job = job;
    o->err = err;
  } else { /* a second call is a failure the test reports; do not leak */
    sdrs_job_free(job);
    sdrs_error_free(err);
  }
  o->thread = pthread_self();
  o->at_ms = st_now_ms();
  pthread_cond_broadcast(&o->cv);
  pthread_mutex_unlock(&o->mu);
}

/* Waits until the callback ran (fails the test after timeout_ms). */
static void outcome_wait(outcome *o, int64_t timeout_ms) {
  const int64_t until = st_now_ms() + timeout_ms * st_time_scale();
  pthread_mutex_lock(&o->mu);
  while (o->calls == 0 && st_now_ms() < until) {
    pthread_mutex_unlock(&o->mu);
    st_sleep_ms(5);
    pthread_mutex_lock(&o->mu);
  }
  const int calls = o->calls;
  pthread_mutex_unlock(&o->mu);
  assert_int_equal(calls, 1);
}

/* A new job: a group create (the emulator runs it for the configured durations). */
static char *new_job(void) {
  char name[64];
  st_unique_name(name, sizeof name, "watch");
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_error *err = NULL;
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_pg_spec_free(spec);
  return job_id;
}

static sdrs_watcher *watcher_new(sdrs_client *client, int32_t dispatch) {
  sdrs_watcher_opts *opts = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_watcher_opts_new(&opts, &err), err);
  ST_OK(sdrs_watcher_opts_set_dispatch(opts, dispatch, &err), err);
  sdrs_watcher *w = NULL;
  ST_OK(sdrs_watcher_new(&w, client, opts, &err), err);
  sdrs_watcher_opts_free(opts);
  return w;
}

static int setup(void **state) {
  (void)state;
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  st_faults_clear();
  return 0;
}

static void test_success(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(g_client, SDRS_WATCHER_DISPATCH_THREAD);
  char *job_id = new_job();
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  outcome o;
  outcome_init(&o);
  sdrs_error *err = NULL;
  uint64_t ticket = 0;
  ST_OK(sdrs_watcher_add(w, job_id, wopts, on_done, &o, &ticket, &err), err);
  assert_true(ticket != 0);
  outcome_wait(&o, 10000);
  if (o.rc != 0) st_print_error("completion", o.err);
  assert_int_equal(o.rc, 0);
  assert_null(o.err);
  assert_non_null(o.job);
  assert_int_equal(sdrs_job_status(o.job), SDRS_JOB_SUCCESS);
  ST_STR(sdrs_job_id(o.job), job_id);
  ST_STR(o.job_id, job_id);
  assert_true(o.ticket == ticket);
  assert_false(pthread_equal(o.thread, pthread_self()));
  assert_int_equal(sdrs_watcher_pending(w), 0);
  /* The callback ran: the ticket is gone. */
  ST_ERR(sdrs_watcher_cancel(w, ticket, &err), err, SDRS_ENOTFOUND);
  sdrs_error_free(err);
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

static void test_fail(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(g_client, SDRS_WATCHER_DISPATCH_THREAD);
  st_fail_next_jobs(1, "SDRS.1030", "disk attach failed in the emulator");
  char *job_id = new_job();
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  outcome o;
  outcome_init(&o);
  sdrs_error *err = NULL;
  ST_OK(sdrs_watcher_add(w, job_id, wopts, on_done, &o, NULL, &err), err);
  outcome_wait(&o, 10000);
  assert_int_equal(o.rc, SDRS_EJOBFAILED);
  assert_non_null(o.err);
  assert_int_equal(sdrs_error_code(o.err), SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(o.err), "SDRS.1030");
  assert_true(st_contains(sdrs_error_message(o.err), "disk attach failed in the emulator"));
  ST_STR(sdrs_error_job_id(o.err), job_id);
  assert_true(sdrs_error_attempts(o.err) >= 1);
  assert_int_equal(sdrs_error_http_status(o.err), 200);
  assert_non_null(o.job);
  assert_int_equal(sdrs_job_status(o.job), SDRS_JOB_FAIL);
  ST_STR(sdrs_job_error_code(o.job), "SDRS.1030");
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_success, setup),
      cmocka_unit_test_setup(test_fail, setup),
  };
  return cmocka_run_group_tests_name("capi_watcher", tests, st_group_setup, st_group_teardown);
}
