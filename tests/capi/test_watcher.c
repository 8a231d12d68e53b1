/*
 * The job watcher (sdrs/watcher.h) against the emulator: each added job's callback runs exactly
 * once with what sdrs_job_wait would have returned (SUCCESS, FAIL with the job's code, deadline,
 * cancel by ticket, cancel token, progress callback stop, shutdown), callbacks that add and
 * cancel, token expiry and revocation during a long watch, AK/SK signing, transient 5xx/429
 * ridden out, the caps on polls per second and on connections, the event-loop path
 * (DISPATCH_MANUAL: poll() on the fd, callbacks on the caller's thread), freeing from a
 * callback, and bad arguments. Runs under TSan too (64 jobs added from 8 threads, cancels racing
 * completions).
 */
#include "support.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define USER ST_USER
#define PASSWORD ST_PASSWORD
#define DOMAIN ST_DOMAIN
#define PROJECT_NAME ST_PROJECT_NAME
#define AK "OTCEXAMPLEAK00000001"
#define SK "OtcExampleSecretKey0000000000000000000001"

/* Promptness bound for a cancel or a shutdown: the jobs involved still have seconds to run, so
 * anything under this proves the watcher reacted, with room for a loaded 2-core machine. */
#define PROMPT_MS 1000

/* ---- what callbacks saw ---- */

typedef struct {
  pthread_mutex_t mu;
  int calls;
  int rc;
  uint64_t ticket;
  char job_id[80];
  char message[512];
  sdrs_job *job;
  sdrs_error *err;
  pthread_t thread;
  int64_t at_ms;
  /* Optional actions the callback takes (callback_adds, free_from_callback...). */
  sdrs_watcher *watcher;
  const char *add_job_id;
  void *add_userdata;
  uint64_t cancel_ticket;
  int free_watcher;
  int try_shutdown;
  int shutdown_rc;
  char shutdown_message[512];
  int add_rc;
  int cancel_rc;
  long pending_in_callback; /* sdrs_watcher_pending(watcher) as the callback started, -1: unset */
  /* Progress reports. */
  int progress_calls;
  int progress_stop_at;
  pthread_t progress_thread;
} outcome;

static void outcome_init(outcome *o) {
  memset(o, 0, sizeof *o);
  pthread_mutex_init(&o->mu, NULL);
  o->add_rc = 1;
  o->cancel_rc = 1;
  o->shutdown_rc = 1;
  o->pending_in_callback = -1;
}

static void outcome_free(outcome *o) {
  sdrs_job_free(o->job);
  sdrs_error_free(o->err);
  pthread_mutex_destroy(&o->mu);
}

static int outcome_calls(outcome *o) {
  pthread_mutex_lock(&o->mu);
  int calls = o->calls;
  pthread_mutex_unlock(&o->mu);
  return calls;
}

static void on_done(uint64_t ticket, const char *job_id, int rc, sdrs_job *job, sdrs_error *err,
                    void *userdata) {
  outcome *o = userdata;
  if (o->watcher != NULL) o->pending_in_callback = (long)sdrs_watcher_pending(o->watcher);
  /* Actions first (they must work from inside a callback), then the record. */
  if (o->add_job_id != NULL) {
    sdrs_error *e = NULL;
    o->add_rc =
        sdrs_watcher_add(o->watcher, o->add_job_id, NULL, on_done, o->add_userdata, NULL, &e);
    sdrs_error_free(e);
  }
  if (o->cancel_ticket != 0) {
    sdrs_error *e = NULL;
    o->cancel_rc = sdrs_watcher_cancel(o->watcher, o->cancel_ticket, &e);
    sdrs_error_free(e);
  }
  if (o->try_shutdown) {
    sdrs_error *e = NULL;
    o->shutdown_rc = sdrs_watcher_shutdown(o->watcher, &e);
    snprintf(o->shutdown_message, sizeof o->shutdown_message, "%s",
             e != NULL ? sdrs_error_message(e) : "");
    sdrs_error_free(e);
  }
  if (o->free_watcher) sdrs_watcher_free(o->watcher);
  pthread_mutex_lock(&o->mu);
  o->calls++;
  if (o->calls == 1) {
    o->rc = rc;
    o->ticket = ticket;
    snprintf(o->job_id, sizeof o->job_id, "%s", job_id);
    snprintf(o->message, sizeof o->message, "%s", err != NULL ? sdrs_error_message(err) : "");
    o->job = job;
    o->err = err;
    o->thread = pthread_self();
    o->at_ms = st_now_ms();
  } else { /* a second call fails the test (calls is checked); nothing leaks meanwhile */
    sdrs_job_free(job);
    sdrs_error_free(err);
  }
  pthread_mutex_unlock(&o->mu);
}

static int on_progress(const sdrs_job *job, void *userdata) {
  outcome *o = userdata;
  pthread_mutex_lock(&o->mu);
  int n = ++o->progress_calls;
  o->progress_thread = pthread_self();
  pthread_mutex_unlock(&o->mu);
  if (job == NULL || sdrs_job_id(job) == NULL) return 1;
  return o->progress_stop_at != 0 && n >= o->progress_stop_at;
}

/* Waits until every outcome's callback ran once (fails the test after timeout_ms). */
static void wait_all(outcome *o, int n, int64_t timeout_ms) {
  const int64_t until = st_now_ms() + timeout_ms * st_time_scale();
  for (int i = 0; i < n; i++) {
    while (outcome_calls(&o[i]) == 0 && st_now_ms() < until) st_sleep_ms(2);
    if (outcome_calls(&o[i]) != 1) fprintf(stderr, "outcome %d: %d calls\n", i, o[i].calls);
    assert_int_equal(outcome_calls(&o[i]), 1);
  }
}

static void expect_rc(outcome *o, int rc) {
  if (o->rc != rc) {
    fprintf(stderr, "expected %s, got %s: %s\n", sdrs_error_name(rc), sdrs_error_name(o->rc),
            o->message);
  }
  assert_int_equal(o->rc, rc);
  if (rc == 0) {
    assert_null(o->err);
  } else {
    assert_non_null(o->err);
    assert_int_equal(sdrs_error_code(o->err), rc);
  }
}

/* ---- jobs, clients, watchers ---- */

/* A new job (a group create) that runs for run_ms. */
static char *new_job_running(int run_ms) {
  if (run_ms != ST_JOB_RUN_MS) st_set_job_times(ST_JOB_INIT_MS, run_ms);
  char name[64];
  st_unique_name(name, sizeof name, "watch");
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_error *err = NULL;
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, g_client, spec, NULL, &err), err);
  sdrs_pg_spec_free(spec);
  if (run_ms != ST_JOB_RUN_MS) st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  return job_id;
}

static char *new_job(void) {
  return new_job_running(ST_JOB_RUN_MS);
}

static sdrs_watcher *watcher_with(sdrs_client *client, int32_t dispatch, int32_t polls_per_sec,
                                  int32_t in_flight) {
  sdrs_watcher_opts *opts = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_watcher_opts_new(&opts, &err), err);
  ST_OK(sdrs_watcher_opts_set_dispatch(opts, dispatch, &err), err);
  if (polls_per_sec > 0)
    ST_OK(sdrs_watcher_opts_set_max_polls_per_sec(opts, polls_per_sec, &err), err);
  if (in_flight > 0) ST_OK(sdrs_watcher_opts_set_max_in_flight(opts, in_flight, &err), err);
  sdrs_watcher *w = NULL;
  ST_OK(sdrs_watcher_new(&w, client, opts, &err), err);
  sdrs_watcher_opts_free(opts);
  return w;
}

static sdrs_watcher *watcher_new(int32_t dispatch) {
  return watcher_with(g_client, dispatch, 0, 0);
}

static uint64_t add(sdrs_watcher *w, const char *job_id, const sdrs_wait_opts *wopts, outcome *o) {
  sdrs_error *err = NULL;
  uint64_t ticket = 0;
  ST_OK(sdrs_watcher_add(w, job_id, wopts, on_done, o, &ticket, &err), err);
  assert_true(ticket != 0);
  return ticket;
}

/* Password config: IAM = the emulator, project by name; tokens refreshed with no margin. */
static sdrs_client *password_client(void) {
  sdrs_config *cfg = st_password_config(PASSWORD);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_token_refresh_margin_s(cfg, 0, &err), err);
  return st_client_of(cfg);
}

static sdrs_client *aksk_client(void) {
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_allow_http(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, st_base_url(), &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_OK(sdrs_config_set_access_key(cfg, AK, SK, NULL, &err), err);
  return st_client_of(cfg);
}

static void set_token_lifetime_ms(long ms) {
  char body[64];
  snprintf(body, sizeof body, "{\"token_lifetime_ms\":%ld}", ms);
  assert_int_equal(st_admin("POST", "/_emulator/config", body, NULL), 200);
}

static int setup(void **state) {
  (void)state;
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  st_faults_clear();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  st_faults_clear();
  st_reset(); /* token lifetime, pending fail-next-jobs */
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  return 0;
}

/* ---- completions ---- */

static void test_success(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  char *job_id = new_job();
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  outcome o;
  outcome_init(&o);
  o.watcher = w;
  const uint64_t ticket = add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  expect_rc(&o, 0);
  /* A job no longer counts as pending once its callback started: whatever the callback wakes
   * may read the count before the callback returns. */
  assert_int_equal(o.pending_in_callback, 0);
  assert_non_null(o.job);
  assert_int_equal(sdrs_job_status(o.job), SDRS_JOB_SUCCESS);
  ST_STR(sdrs_job_id(o.job), job_id);
  ST_STR(o.job_id, job_id);
  assert_true(o.ticket == ticket);
  /* DISPATCH_THREAD: on the watcher's thread. */
  assert_false(pthread_equal(o.thread, pthread_self()));
  assert_int_equal(sdrs_watcher_pending(w), 0);
  /* The callback ran: the ticket is gone. */
  sdrs_error *err = NULL;
  ST_ERR_FIELD(sdrs_watcher_cancel(w, ticket, &err), err, SDRS_ENOTFOUND, "ticket");
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

static void test_fail(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  st_fail_next_jobs(1, "SDRS.1030", "disk attach failed in the emulator");
  char *job_id = new_job();
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  outcome o;
  outcome_init(&o);
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  expect_rc(&o, SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(o.err), "SDRS.1030");
  assert_true(st_contains(sdrs_error_message(o.err), "disk attach failed in the emulator"));
  ST_STR(sdrs_error_job_id(o.err), job_id);
  assert_true(sdrs_error_attempts(o.err) >= 1);
  assert_int_equal(sdrs_error_http_status(o.err), 200);
  /* The final job comes too, as sdrs_job_wait hands it out. */
  assert_non_null(o.job);
  assert_int_equal(sdrs_job_status(o.job), SDRS_JOB_FAIL);
  ST_STR(sdrs_job_error_code(o.job), "SDRS.1030");
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* A job that does not exist: the 404 is not transient and ends the wait at the first poll. */
static void test_unknown_job(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  outcome o;
  outcome_init(&o);
  add(w, "0000000000000000000000000000dead", wopts, &o);
  wait_all(&o, 1, 5000);
  expect_rc(&o, SDRS_ENOTFOUND);
  assert_null(o.job);
  assert_int_equal(sdrs_error_http_status(o.err), 404);
  assert_int_equal(sdrs_error_attempts(o.err), 1);
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
}

static void test_deadline(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  char *job_id = new_job_running(20000);
  sdrs_wait_opts *wopts = st_wait_opts_new(400);
  outcome o;
  outcome_init(&o);
  const int64_t t0 = st_now_ms();
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  const int64_t took = o.at_ms - t0;
  printf("deadline of 400 ms reported after %lld ms\n", (long long)took);
  expect_rc(&o, SDRS_ETIMEOUT);
  assert_null(o.job);
  /* sdrs_job_wait's message. */
  assert_true(st_contains(o.message, "deadline of 400 ms expired after"));
  assert_true(st_contains(o.message, "polls (last: status"));
  ST_STR(sdrs_error_job_id(o.err), job_id);
  assert_true(sdrs_error_attempts(o.err) >= 2);
  assert_true(took >= 390);
  assert_true(took <= 400 + PROMPT_MS * st_time_scale());
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* ---- cancels ---- */

static void test_cancel_ticket(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  char *long_job = new_job_running(20000);
  char *short_job = new_job_running(400);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  outcome o[2];
  outcome_init(&o[0]);
  outcome_init(&o[1]);
  const uint64_t t_long = add(w, long_job, wopts, &o[0]);
  add(w, short_job, wopts, &o[1]);
  assert_int_equal(sdrs_watcher_pending(w), 2);
  st_sleep_ms(150);
  sdrs_error *err = NULL;
  const int64_t t0 = st_now_ms();
  ST_OK(sdrs_watcher_cancel(w, t_long, &err), err);
  wait_all(o, 2, 10000);
  printf("canceled job's callback ran %lld ms after sdrs_watcher_cancel\n",
         (long long)(o[0].at_ms - t0));
  expect_rc(&o[0], SDRS_ECANCELED);
  assert_null(o[0].job);
  assert_true(st_contains(o[0].message, long_job));
  assert_true(o[0].at_ms - t0 <= PROMPT_MS * st_time_scale());
  expect_rc(&o[1], 0); /* the other job was not touched */
  assert_int_equal(sdrs_watcher_pending(w), 0);
  ST_ERR_FIELD(sdrs_watcher_cancel(w, t_long, &err), err, SDRS_ENOTFOUND, "ticket");
  ST_ERR_FIELD(sdrs_watcher_cancel(w, 987654321, &err), err, SDRS_ENOTFOUND, "ticket");
  sdrs_watcher_free(w);
  outcome_free(&o[0]);
  outcome_free(&o[1]);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(long_job);
  sdrs_string_free(short_job);
}

static void test_cancel_token(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_error *err = NULL;
  sdrs_cancel *shared = NULL, *other = NULL, *fired = NULL;
  ST_OK(sdrs_cancel_new(&shared, &err), err);
  ST_OK(sdrs_cancel_new(&other, &err), err);
  ST_OK(sdrs_cancel_new(&fired, &err), err);
  sdrs_wait_opts *w_shared = st_wait_opts_new(30000);
  sdrs_wait_opts *w_other = st_wait_opts_new(30000);
  sdrs_wait_opts *w_fired = st_wait_opts_new(30000);
  ST_OK(sdrs_wait_opts_set_cancel(w_shared, shared, &err), err);
  ST_OK(sdrs_wait_opts_set_cancel(w_other, other, &err), err);
  ST_OK(sdrs_wait_opts_set_cancel(w_fired, fired, &err), err);
  char *jobs[4];
  for (int i = 0; i < 4; i++) jobs[i] = new_job_running(20000);
  outcome o[4];
  for (int i = 0; i < 4; i++) outcome_init(&o[i]);
  add(w, jobs[0], w_shared, &o[0]);
  add(w, jobs[1], w_shared, &o[1]);
  const uint64_t t_other = add(w, jobs[2], w_other, &o[2]);
  /* A token triggered before the add: canceled before any poll, as sdrs_job_wait does. */
  sdrs_cancel_trigger(fired);
  add(w, jobs[3], w_fired, &o[3]);
  wait_all(&o[3], 1, 2000);
  expect_rc(&o[3], SDRS_ECANCELED);
  assert_int_equal(sdrs_error_attempts(o[3].err), 0);
  st_sleep_ms(150);
  const int64_t t0 = st_now_ms();
  sdrs_cancel_trigger(shared);
  wait_all(o, 2, 5000);
  for (int i = 0; i < 2; i++) {
    expect_rc(&o[i], SDRS_ECANCELED);
    assert_true(o[i].at_ms - t0 <= PROMPT_MS * st_time_scale());
  }
  printf("token trigger -> callbacks after %lld and %lld ms\n", (long long)(o[0].at_ms - t0),
         (long long)(o[1].at_ms - t0));
  /* The job on the other token goes on. */
  st_sleep_ms(100);
  assert_int_equal(outcome_calls(&o[2]), 0);
  assert_int_equal(sdrs_watcher_pending(w), 1);
  ST_OK(sdrs_watcher_cancel(w, t_other, &err), err);
  wait_all(&o[2], 1, 5000);
  expect_rc(&o[2], SDRS_ECANCELED);
  sdrs_watcher_free(w);
  for (int i = 0; i < 4; i++) {
    outcome_free(&o[i]);
    sdrs_string_free(jobs[i]);
  }
  sdrs_wait_opts_free(w_shared);
  sdrs_wait_opts_free(w_other);
  sdrs_wait_opts_free(w_fired);
  sdrs_cancel_free(shared);
  sdrs_cancel_free(other);
  sdrs_cancel_free(fired);
}

static void test_progress_stop(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  char *job_id = new_job_running(20000);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  outcome o;
  outcome_init(&o);
  o.progress_stop_at = 3;
  sdrs_error *err = NULL;
  ST_OK(sdrs_wait_opts_set_progress(wopts, on_progress, &o, &err), err);
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  expect_rc(&o, SDRS_ECANCELED);
  assert_true(st_contains(o.message, "progress callback"));
  assert_int_equal(o.progress_calls, 3);
  assert_true(sdrs_error_attempts(o.err) >= 3);
  /* Both on the watcher's thread. */
  assert_true(pthread_equal(o.progress_thread, o.thread));
  assert_false(pthread_equal(o.progress_thread, pthread_self()));
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* ---- shutdown ---- */

#define SHUTDOWN_JOBS 20

static void test_shutdown_pending(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(60000);
  char *jobs[SHUTDOWN_JOBS];
  outcome o[SHUTDOWN_JOBS];
  st_set_job_times(ST_JOB_INIT_MS, 20000);
  for (int i = 0; i < SHUTDOWN_JOBS; i++) {
    jobs[i] = new_job();
    outcome_init(&o[i]);
    add(w, jobs[i], wopts, &o[i]);
  }
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  assert_int_equal(sdrs_watcher_pending(w), SHUTDOWN_JOBS);
  st_sleep_ms(200); /* some polls in flight or scheduled */
  sdrs_error *err = NULL;
  const int64_t t0 = st_now_ms();
  ST_OK(sdrs_watcher_shutdown(w, &err), err);
  const int64_t took = st_now_ms() - t0;
  printf("shutdown with %d jobs pending took %lld ms\n", SHUTDOWN_JOBS, (long long)took);
  assert_true(took <= PROMPT_MS * st_time_scale());
  /* DISPATCH_THREAD: every callback ran before shutdown returned, once each. */
  for (int i = 0; i < SHUTDOWN_JOBS; i++) {
    assert_int_equal(outcome_calls(&o[i]), 1);
    expect_rc(&o[i], SDRS_ECANCELED);
    assert_true(st_contains(o[i].message, "shut down"));
    ST_STR(o[i].job_id, jobs[i]);
  }
  assert_int_equal(sdrs_watcher_pending(w), 0);
  /* Adds are refused now and their callback never runs. */
  outcome late;
  outcome_init(&late);
  ST_ERR(sdrs_watcher_add(w, jobs[0], wopts, on_done, &late, NULL, &err), err, SDRS_ECANCELED);
  sdrs_error_free(err);
  err = NULL;
  ST_OK(sdrs_watcher_shutdown(w, &err), err); /* idempotent */
  sdrs_watcher_free(w);
  assert_int_equal(late.calls, 0);
  for (int i = 0; i < SHUTDOWN_JOBS; i++) {
    assert_int_equal(o[i].calls, 1);
    outcome_free(&o[i]);
    sdrs_string_free(jobs[i]);
  }
  outcome_free(&late);
  sdrs_wait_opts_free(wopts);
}

/* sdrs_watcher_free with jobs pending: shutdown, then every callback once. */
static void test_free_pending(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(60000);
  char *job_id = new_job_running(20000);
  outcome o[3];
  for (int i = 0; i < 3; i++) {
    outcome_init(&o[i]);
    add(w, job_id, wopts, &o[i]); /* the same job thrice: three waits */
  }
  sdrs_watcher_free(w);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(o[i].calls, 1);
    expect_rc(&o[i], SDRS_ECANCELED);
    outcome_free(&o[i]);
  }
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* ---- callbacks calling the library ---- */

static void test_callback_adds_and_cancels(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *first = new_job();
  char *second = new_job();
  char *victim = new_job_running(20000);
  outcome o[3];
  for (int i = 0; i < 3; i++) outcome_init(&o[i]);
  const uint64_t t_victim = add(w, victim, wopts, &o[2]);
  /* first's callback adds second (with o[1]) and cancels victim. */
  o[0].watcher = w;
  o[0].add_job_id = second;
  o[0].add_userdata = &o[1];
  o[0].cancel_ticket = t_victim;
  add(w, first, wopts, &o[0]);
  wait_all(o, 3, 15000);
  expect_rc(&o[0], 0);
  assert_int_equal(o[0].add_rc, 0);
  assert_int_equal(o[0].cancel_rc, 0);
  expect_rc(&o[1], 0);
  ST_STR(o[1].job_id, second);
  expect_rc(&o[2], SDRS_ECANCELED);
  assert_int_equal(sdrs_watcher_pending(w), 0);
  sdrs_watcher_free(w);
  for (int i = 0; i < 3; i++) outcome_free(&o[i]);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(first);
  sdrs_string_free(second);
  sdrs_string_free(victim);
}

/* Shutdown from a callback on the watcher's own thread would wait for itself: SDRS_EINVAL. */
static void test_shutdown_from_callback(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *job_id = new_job();
  outcome o;
  outcome_init(&o);
  o.watcher = w;
  o.try_shutdown = 1;
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  expect_rc(&o, 0);
  assert_int_equal(o.shutdown_rc, SDRS_EINVAL);
  assert_true(st_contains(o.shutdown_message, "sdrs_watcher_shutdown"));
  /* The watcher still works. */
  outcome again;
  outcome_init(&again);
  add(w, job_id, wopts, &again);
  wait_all(&again, 1, 10000);
  expect_rc(&again, 0);
  sdrs_watcher_free(w);
  outcome_free(&o);
  outcome_free(&again);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* sdrs_watcher_free from a callback on the watcher's thread: deferred; the thread completes the
 * other jobs (canceled) and releases the watcher (LeakSanitizer checks the release). */
static void test_free_from_thread_callback(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *quick = new_job();
  char *slow = new_job_running(20000);
  outcome o[3];
  for (int i = 0; i < 3; i++) outcome_init(&o[i]);
  add(w, slow, wopts, &o[1]);
  add(w, slow, wopts, &o[2]);
  o[0].watcher = w;
  o[0].free_watcher = 1;
  add(w, quick, wopts, &o[0]);
  wait_all(o, 3, 10000);
  expect_rc(&o[0], 0);
  expect_rc(&o[1], SDRS_ECANCELED);
  expect_rc(&o[2], SDRS_ECANCELED);
  st_sleep_ms(100); /* the thread releases the watcher after the last callback */
  for (int i = 0; i < 3; i++) outcome_free(&o[i]);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(quick);
  sdrs_string_free(slow);
}

/* The last callback frees the watcher while the main thread is inside sdrs_watcher_shutdown
 * (joining the watcher's thread): the release happens after that join, no deadlock. */
static struct {
  pthread_mutex_t mu;
  int left;
  int ran;
  sdrs_watcher *w;
} g_last = {PTHREAD_MUTEX_INITIALIZER, 0, 0, NULL};

static void free_when_last(uint64_t ticket, const char *job_id, int rc, sdrs_job *job,
                           sdrs_error *err, void *userdata) {
  (void)ticket;
  (void)job_id;
  (void)rc;
  (void)userdata;
  sdrs_job_free(job);
  sdrs_error_free(err);
  pthread_mutex_lock(&g_last.mu);
  const int last = --g_last.left == 0;
  g_last.ran++;
  pthread_mutex_unlock(&g_last.mu);
  if (last) sdrs_watcher_free(g_last.w);
}

static void test_free_during_shutdown(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *slow = new_job_running(20000);
  g_last.w = w;
  g_last.left = 4;
  g_last.ran = 0;
  sdrs_error *err = NULL;
  for (int i = 0; i < 4; i++) {
    ST_OK(sdrs_watcher_add(w, slow, wopts, free_when_last, NULL, NULL, &err), err);
  }
  st_sleep_ms(50);
  const int64_t t0 = st_now_ms();
  ST_OK(sdrs_watcher_shutdown(w, &err), err); /* w is freed when this returns */
  assert_true(st_now_ms() - t0 <= PROMPT_MS * st_time_scale());
  assert_int_equal(g_last.ran, 4);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(slow);
}

/* The watcher keeps its client alive. */
static void test_client_freed_first(void **state) {
  (void)state;
  sdrs_client *client = st_client_new(NULL);
  sdrs_watcher *w = watcher_with(client, SDRS_WATCHER_DISPATCH_THREAD, 0, 0);
  sdrs_client_free(client);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  char *job_id = new_job();
  outcome o;
  outcome_init(&o);
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  expect_rc(&o, 0);
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* ---- authentication on the watcher's thread ---- */

#define AUTH_JOBS 6

/* Tokens live 700 ms and jobs run 3 s: the watcher's polls refresh the token several times
 * on its thread, and a revocation midway is met by the 401 rule (one refresh, one re-send). */
static void test_token_expiry(void **state) {
  (void)state;
  set_token_lifetime_ms(700);
  sdrs_client *client = password_client();
  sdrs_watcher *w = watcher_with(client, SDRS_WATCHER_DISPATCH_THREAD, 0, 0);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  sdrs_error *err = NULL;
  ST_OK(sdrs_wait_opts_set_max_interval_ms(wopts, 100, &err), err);
  char *jobs[AUTH_JOBS];
  outcome o[AUTH_JOBS];
  st_set_job_times(ST_JOB_INIT_MS, 3000);
  for (int i = 0; i < AUTH_JOBS; i++) jobs[i] = new_job();
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  const long long iam0 = st_stat("iam_token_requests");
  const long long rejected0 = st_stat("auth_failures");
  for (int i = 0; i < AUTH_JOBS; i++) {
    outcome_init(&o[i]);
    add(w, jobs[i], wopts, &o[i]);
  }
  st_sleep_ms(1200);
  assert_int_equal(st_admin("POST", "/_emulator/revoke-tokens", "{}", NULL), 200);
  wait_all(o, AUTH_JOBS, 15000);
  for (int i = 0; i < AUTH_JOBS; i++) expect_rc(&o[i], 0);
  const long long refreshes = st_stat("iam_token_requests") - iam0;
  const long long rejected = st_stat("auth_failures") - rejected0;
  printf("token expiry: %lld IAM token requests, %lld requests rejected with 401\n", refreshes,
         rejected);
  assert_true(refreshes >= 3);
  assert_true(rejected >= 1);
  sdrs_watcher_free(w);
  sdrs_client_free(client);
  for (int i = 0; i < AUTH_JOBS; i++) {
    outcome_free(&o[i]);
    sdrs_string_free(jobs[i]);
  }
  sdrs_wait_opts_free(wopts);
}

/* AK/SK: every poll is signed on the watcher's thread (the emulator checks each signature). */
static void test_aksk(void **state) {
  (void)state;
  sdrs_client *client = aksk_client();
  sdrs_watcher *w = watcher_with(client, SDRS_WATCHER_DISPATCH_THREAD, 0, 0);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  char *job_id = new_job_running(500);
  const long long rejected0 = st_stat("auth_failures");
  outcome o;
  outcome_init(&o);
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  expect_rc(&o, 0);
  assert_int_equal(st_stat("auth_failures"), rejected0);
  sdrs_watcher_free(w);
  sdrs_client_free(client);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* ---- transient failures, caps ---- */

/* 500, 503 and 429 answers to the polls (more in a row than one poll's retry budget of 4
 * attempts, so whole polls fail too) are ridden out; the job still completes. */
static void test_transient_failures(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *job_id = new_job_running(300);
  st_fault_add(
      "{\"kind\":\"status\",\"status\":500,\"code\":\"SDRS.0013\",\"route\":\"GET /jobs/*\","
      "\"count\":5}");
  st_fault_add("{\"kind\":\"status\",\"status\":503,\"route\":\"GET /jobs/*\",\"count\":3}");
  st_fault_add("{\"kind\":\"status\",\"status\":429,\"route\":\"GET /jobs/*\",\"count\":3}");
  outcome o;
  outcome_init(&o);
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 20000);
  expect_rc(&o, 0);
  assert_int_equal(sdrs_job_status(o.job), SDRS_JOB_SUCCESS);
  assert_int_equal(st_faults_hits(), 11);
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* Transient failures until the deadline: the deadline error, not the last 503. */
static void test_transient_until_deadline(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_THREAD);
  sdrs_wait_opts *wopts = st_wait_opts_new(600);
  char *job_id = new_job();
  st_fault_add("{\"kind\":\"status\",\"status\":503,\"route\":\"GET /jobs/*\",\"count\":-1}");
  outcome o;
  outcome_init(&o);
  add(w, job_id, wopts, &o);
  wait_all(&o, 1, 10000);
  expect_rc(&o, SDRS_ETIMEOUT);
  assert_true(st_contains(o.message, "deadline of 600 ms expired"));
  assert_true(st_contains(o.message, "HTTP 503"));
  assert_true(sdrs_error_attempts(o.err) >= 2);
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

#define CAP_JOBS 10

/* 10 jobs polled every 10 ms would make ~1000 polls/s; the cap of 20/s holds them to it. */
static void test_rate_cap(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_with(g_client, SDRS_WATCHER_DISPATCH_THREAD, 20, 0);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  sdrs_error *err = NULL;
  ST_OK(sdrs_wait_opts_set_max_interval_ms(wopts, 10, &err), err);
  char *jobs[CAP_JOBS];
  outcome o[CAP_JOBS];
  st_set_job_times(ST_JOB_INIT_MS, 1000);
  for (int i = 0; i < CAP_JOBS; i++) jobs[i] = new_job();
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  const long long before = st_stat("api_requests"); /* admin calls are not under /v1/ */
  const int64_t t0 = st_now_ms();
  for (int i = 0; i < CAP_JOBS; i++) {
    outcome_init(&o[i]);
    add(w, jobs[i], wopts, &o[i]);
  }
  wait_all(o, CAP_JOBS, 20000);
  int64_t last = t0;
  for (int i = 0; i < CAP_JOBS; i++) {
    expect_rc(&o[i], 0);
    if (o[i].at_ms > last) last = o[i].at_ms;
  }
  const long long polls = st_stat("api_requests") - before;
  const double seconds = (double)(last - t0) / 1000.0;
  printf("rate cap 20/s: %lld polls in %.2f s (%.1f/s)\n", polls, seconds, (double)polls / seconds);
  /* A burst of 2 (a tenth of a second's worth), then 20 per second. */
  assert_true(polls >= CAP_JOBS);
  assert_true((double)polls <= 2.0 + 20.0 * seconds + 1.0);
  sdrs_watcher_free(w);
  for (int i = 0; i < CAP_JOBS; i++) {
    outcome_free(&o[i]);
    sdrs_string_free(jobs[i]);
  }
  sdrs_wait_opts_free(wopts);
}

/* 16 jobs through a watcher with 2 requests in flight open at most 2 connections. */
static void test_in_flight_cap(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_with(g_client, SDRS_WATCHER_DISPATCH_THREAD, 1000, 2);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *jobs[16];
  outcome o[16];
  st_set_job_times(ST_JOB_INIT_MS, 500);
  for (int i = 0; i < 16; i++) jobs[i] = new_job();
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  const long long c0 = st_stat("connections");
  const long long a0 = st_stat("api_requests");
  for (int i = 0; i < 16; i++) {
    outcome_init(&o[i]);
    add(w, jobs[i], wopts, &o[i]);
  }
  wait_all(o, 16, 20000);
  for (int i = 0; i < 16; i++) expect_rc(&o[i], 0);
  /* The stats calls open a connection each: 2 here (c1 and the a0 read). */
  const long long conns = st_stat("connections") - c0 - 2;
  const long long polls = st_stat("api_requests") - a0;
  printf("in-flight cap 2: %lld polls over %lld connections\n", polls, conns);
  assert_true(polls >= 16);
  assert_true(conns >= 1);
  assert_true(conns <= 2);
  sdrs_watcher_free(w);
  for (int i = 0; i < 16; i++) {
    outcome_free(&o[i]);
    sdrs_string_free(jobs[i]);
  }
  sdrs_wait_opts_free(wopts);
}

/* ---- DISPATCH_MANUAL: an event loop on the test's thread ---- */

/* Runs the loop until n outcomes have their callback, or the time is up. */
static void event_loop(sdrs_watcher *w, int fd, outcome *o, int n, int64_t timeout_ms) {
  const int64_t until = st_now_ms() + timeout_ms * st_time_scale();
  for (;;) {
    int done = 0;
    for (int i = 0; i < n; i++) done += o[i].calls > 0;
    if (done == n || st_now_ms() >= until) break;
    struct pollfd p = {fd, POLLIN, 0};
    const int ready = poll(&p, 1, 100);
    assert_true(ready >= 0);
    if (ready == 0) continue;
    assert_true(p.revents & POLLIN);
    size_t ran = 0;
    sdrs_error *err = NULL;
    ST_OK(sdrs_watcher_dispatch(w, 0, &ran, &err), err);
    assert_true(ran >= 1); /* readable means something was queued */
  }
}

static int fd_readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_manual_dispatch(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_MANUAL);
  sdrs_error *err = NULL;
  int fd = -1;
  ST_OK(sdrs_watcher_fd(w, &fd, &err), err);
  assert_true(fd >= 0);
  assert_false(fd_readable(fd));
  size_t ran = 99;
  ST_OK(sdrs_watcher_dispatch(w, 0, &ran, &err), err);
  assert_int_equal(ran, 0);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  sdrs_wait_opts *wprog = st_wait_opts_new(15000);
  outcome o[4];
  for (int i = 0; i < 4; i++) outcome_init(&o[i]);
  ST_OK(sdrs_wait_opts_set_progress(wprog, on_progress, &o[3], &err), err);
  char *jobs[4];
  for (int i = 0; i < 3; i++) jobs[i] = new_job();
  st_fail_next_jobs(1, "SDRS.1030", "manual mode failure");
  jobs[3] = new_job_running(300);
  for (int i = 0; i < 4; i++) add(w, jobs[i], i == 3 ? wprog : wopts, &o[i]);
  event_loop(w, fd, o, 4, 10000);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(o[i].calls, 1);
    /* On this thread, inside sdrs_watcher_dispatch. */
    assert_true(pthread_equal(o[i].thread, pthread_self()));
  }
  for (int i = 0; i < 3; i++) expect_rc(&o[i], 0);
  expect_rc(&o[3], SDRS_EJOBFAILED);
  ST_STR(sdrs_job_error_code(o[3].job), "SDRS.1030");
  assert_true(o[3].progress_calls >= 1);
  assert_true(pthread_equal(o[3].progress_thread, pthread_self()));
  assert_int_equal(sdrs_watcher_pending(w), 0);
  assert_false(fd_readable(fd)); /* drained */
  sdrs_watcher_free(w);
  for (int i = 0; i < 4; i++) {
    outcome_free(&o[i]);
    sdrs_string_free(jobs[i]);
  }
  sdrs_wait_opts_free(wopts);
  sdrs_wait_opts_free(wprog);
}

/* dispatch with max = 1 runs one callback per call; the fd stays readable until the last. */
static void test_manual_dispatch_max(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_MANUAL);
  sdrs_error *err = NULL;
  int fd = -1;
  ST_OK(sdrs_watcher_fd(w, &fd, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  char *job_id = new_job_running(20000);
  outcome o[3];
  uint64_t tickets[3];
  for (int i = 0; i < 3; i++) {
    outcome_init(&o[i]);
    tickets[i] = add(w, job_id, wopts, &o[i]);
  }
  for (int i = 0; i < 3; i++) ST_OK(sdrs_watcher_cancel(w, tickets[i], &err), err);
  /* All three completions queued (canceled), none run yet. */
  const int64_t until = st_now_ms() + 2000 * st_time_scale();
  while (!fd_readable(fd) && st_now_ms() < until) st_sleep_ms(2);
  st_sleep_ms(50);
  assert_true(fd_readable(fd));
  assert_int_equal(sdrs_watcher_pending(w), 3);
  /* Ended with its callback still queued: cancel is a no-op, not ENOTFOUND. */
  ST_OK(sdrs_watcher_cancel(w, tickets[0], &err), err);
  for (int i = 0; i < 3; i++) {
    size_t ran = 0;
    assert_true(fd_readable(fd));
    ST_OK(sdrs_watcher_dispatch(w, 1, &ran, &err), err);
    assert_int_equal(ran, 1);
  }
  assert_false(fd_readable(fd));
  for (int i = 0; i < 3; i++) expect_rc(&o[i], SDRS_ECANCELED);
  assert_int_equal(sdrs_watcher_pending(w), 0);
  ST_ERR_FIELD(sdrs_watcher_cancel(w, tickets[0], &err), err, SDRS_ENOTFOUND, "ticket");
  sdrs_watcher_free(w);
  for (int i = 0; i < 3; i++) outcome_free(&o[i]);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* A manual-mode progress callback returning nonzero stops the wait (canceled). */
static void test_manual_progress_stop(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_MANUAL);
  sdrs_error *err = NULL;
  int fd = -1;
  ST_OK(sdrs_watcher_fd(w, &fd, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  outcome o;
  outcome_init(&o);
  o.progress_stop_at = 1;
  ST_OK(sdrs_wait_opts_set_progress(wopts, on_progress, &o, &err), err);
  char *job_id = new_job_running(20000);
  add(w, job_id, wopts, &o);
  event_loop(w, fd, &o, 1, 10000);
  assert_int_equal(o.calls, 1);
  expect_rc(&o, SDRS_ECANCELED);
  assert_true(st_contains(o.message, "progress callback"));
  assert_true(o.progress_calls >= 1);
  sdrs_watcher_free(w);
  outcome_free(&o);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(job_id);
}

/* Manual mode: shutdown queues the cancellations; free runs them on the caller's thread. And
 * sdrs_watcher_free from a dispatched callback is deferred until that callback returns. */
static void test_manual_shutdown_and_free(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_new(SDRS_WATCHER_DISPATCH_MANUAL);
  sdrs_error *err = NULL;
  int fd = -1;
  ST_OK(sdrs_watcher_fd(w, &fd, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *slow = new_job_running(20000);
  char *quick = new_job();
  outcome o[4];
  for (int i = 0; i < 4; i++) outcome_init(&o[i]);
  add(w, slow, wopts, &o[0]);
  add(w, slow, wopts, &o[1]);
  ST_OK(sdrs_watcher_shutdown(w, &err), err);
  assert_int_equal(o[0].calls + o[1].calls, 0); /* queued, not run */
  assert_true(fd_readable(fd));
  assert_int_equal(sdrs_watcher_pending(w), 2);
  sdrs_watcher_free(w); /* runs them here */
  for (int i = 0; i < 2; i++) {
    assert_int_equal(o[i].calls, 1);
    expect_rc(&o[i], SDRS_ECANCELED);
    assert_true(pthread_equal(o[i].thread, pthread_self()));
  }

  /* Free from inside a dispatched callback. */
  w = watcher_new(SDRS_WATCHER_DISPATCH_MANUAL);
  ST_OK(sdrs_watcher_fd(w, &fd, &err), err);
  o[2].watcher = w;
  o[2].free_watcher = 1;
  add(w, quick, wopts, &o[2]);
  add(w, slow, wopts, &o[3]);
  const int64_t until = st_now_ms() + 10000 * st_time_scale();
  while (o[2].calls == 0 && st_now_ms() < until) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 100) == 1) {
      size_t ran = 0;
      ST_OK(sdrs_watcher_dispatch(w, 0, &ran, &err), err); /* frees w on its way out */
    }
  }
  assert_int_equal(o[2].calls, 1);
  expect_rc(&o[2], 0);
  assert_int_equal(o[3].calls, 1); /* canceled by the deferred free, run by it */
  expect_rc(&o[3], SDRS_ECANCELED);
  for (int i = 0; i < 4; i++) outcome_free(&o[i]);
  sdrs_wait_opts_free(wopts);
  sdrs_string_free(slow);
  sdrs_string_free(quick);
}

/* ---- many threads (TSan) ---- */

#define MANY_JOBS 64
#define ADDERS 8

struct adder {
  sdrs_watcher *w;
  char **jobs;
  outcome *o;
  uint64_t *tickets;
  int first;
  const sdrs_wait_opts *wopts;
  int failures;
  char first_error[256];
};

/* No cmocka assertions off the main thread: failures are counted and checked there. */
static void *add_many(void *arg) {
  struct adder *a = arg;
  for (int i = a->first; i < a->first + MANY_JOBS / ADDERS; i++) {
    sdrs_error *err = NULL;
    const int rc =
        sdrs_watcher_add(a->w, a->jobs[i], a->wopts, on_done, &a->o[i], &a->tickets[i], &err);
    if (rc != 0 && a->failures++ == 0) {
      snprintf(a->first_error, sizeof a->first_error, "%s", sdrs_error_message(err));
    }
    sdrs_error_free(err);
  }
  return NULL;
}

struct canceler {
  sdrs_watcher *w;
  uint64_t *tickets;
  int64_t *created_at;
  int parity;
  int results[MANY_JOBS]; /* rc of sdrs_watcher_cancel, 1 = not called */
};

/* Job i runs for this long (ms; plus the init time). */
static int many_run_ms(int i) {
  return 100 + 100 * (i / 8);
}

/* Cancels every other ticket around the time its job ends (a little before, at, or after), so
 * cancels race completions. */
static void *cancel_many(void *arg) {
  struct canceler *c = arg;
  for (int i = c->parity; i < MANY_JOBS; i += 2) {
    const int64_t at = c->created_at[i] + many_run_ms(i) + ST_JOB_INIT_MS - 30 + 20 * (i % 4);
    const int64_t now = st_now_ms();
    if (at > now) st_sleep_ms(at - now);
    sdrs_error *err = NULL;
    c->results[i] = sdrs_watcher_cancel(c->w, c->tickets[i], &err);
    sdrs_error_free(err);
  }
  return NULL;
}

static void test_many_threads(void **state) {
  (void)state;
  sdrs_watcher *w = watcher_with(g_client, SDRS_WATCHER_DISPATCH_THREAD, 1000, 8);
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  char *jobs[MANY_JOBS];
  outcome o[MANY_JOBS];
  uint64_t tickets[MANY_JOBS];
  int64_t created_at[MANY_JOBS];
  /* Durations from 100 to 800 ms so the completions spread out. */
  for (int i = 0; i < MANY_JOBS; i++) {
    jobs[i] = new_job_running(many_run_ms(i));
    created_at[i] = st_now_ms();
    outcome_init(&o[i]);
    tickets[i] = 0;
  }
  struct adder adders[ADDERS];
  pthread_t threads[ADDERS];
  for (int t = 0; t < ADDERS; t++) {
    adders[t] = (struct adder){w, jobs, o, tickets, t * (MANY_JOBS / ADDERS), wopts, 0, ""};
    assert_int_equal(pthread_create(&threads[t], NULL, add_many, &adders[t]), 0);
  }
  for (int t = 0; t < ADDERS; t++) {
    assert_int_equal(pthread_join(threads[t], NULL), 0);
    if (adders[t].failures != 0) fprintf(stderr, "adder %d: %s\n", t, adders[t].first_error);
    assert_int_equal(adders[t].failures, 0);
  }
  /* Tickets are unique. */
  for (int i = 0; i < MANY_JOBS; i++) {
    for (int j = i + 1; j < MANY_JOBS; j++) assert_true(tickets[i] != tickets[j]);
  }
  /* A thread cancels the odd tickets while the jobs complete; the even ones are left alone. */
  static struct canceler canceler;
  canceler.w = w;
  canceler.tickets = tickets;
  canceler.created_at = created_at;
  canceler.parity = 1;
  for (int i = 0; i < MANY_JOBS; i++) canceler.results[i] = 1;
  pthread_t cthread;
  assert_int_equal(pthread_create(&cthread, NULL, cancel_many, &canceler), 0);
  assert_int_equal(pthread_join(cthread, NULL), 0);
  wait_all(o, MANY_JOBS, 30000);
  int succeeded = 0, canceled = 0;
  for (int i = 0; i < MANY_JOBS; i++) {
    assert_int_equal(o[i].calls, 1);
    assert_true(o[i].ticket == tickets[i]);
    ST_STR(o[i].job_id, jobs[i]);
    const int cancel_rc = canceler.results[i];
    if (i % 2 == 0) {
      expect_rc(&o[i], 0);
    } else if (cancel_rc == SDRS_ENOTFOUND) {
      expect_rc(&o[i], 0); /* it had completed before the cancel */
    } else {
      assert_int_equal(cancel_rc, 0);
      assert_true(o[i].rc == 0 || o[i].rc == SDRS_ECANCELED);
    }
    succeeded += o[i].rc == 0;
    canceled += o[i].rc == SDRS_ECANCELED;
  }
  int missed = 0;
  for (int i = 1; i < MANY_JOBS; i += 2) missed += canceler.results[i] == SDRS_ENOTFOUND;
  printf(
      "%d jobs from %d threads: %d succeeded, %d canceled (%d cancels came after the callback)\n",
      MANY_JOBS, ADDERS, succeeded, canceled, missed);
  assert_int_equal(succeeded + canceled, MANY_JOBS);
  assert_true(canceled >= 1);
  assert_int_equal(sdrs_watcher_pending(w), 0);
  sdrs_watcher_free(w);
  for (int i = 0; i < MANY_JOBS; i++) {
    outcome_free(&o[i]);
    sdrs_string_free(jobs[i]);
  }
  sdrs_wait_opts_free(wopts);
}

/* ---- bad arguments: a code and a message naming the field; the callback never runs ---- */

static void test_bad_arguments(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_watcher_opts *opts = NULL;
  ST_ERR_FIELD(sdrs_watcher_opts_new(NULL, &err), err, SDRS_EINVAL, "out");
  ST_OK(sdrs_watcher_opts_new(&opts, &err), err);
  ST_ERR_FIELD(sdrs_watcher_opts_set_max_polls_per_sec(opts, 0, &err), err, SDRS_EVALIDATION,
               "max_polls_per_sec");
  ST_ERR_FIELD(sdrs_watcher_opts_set_max_polls_per_sec(opts, 100001, &err), err, SDRS_EVALIDATION,
               "max_polls_per_sec");
  ST_ERR_FIELD(sdrs_watcher_opts_set_max_in_flight(opts, 0, &err), err, SDRS_EVALIDATION,
               "max_in_flight");
  ST_ERR_FIELD(sdrs_watcher_opts_set_max_in_flight(opts, 257, &err), err, SDRS_EVALIDATION,
               "max_in_flight");
  ST_ERR_FIELD(sdrs_watcher_opts_set_dispatch(opts, 2, &err), err, SDRS_EVALIDATION, "dispatch");
  ST_ERR_FIELD(sdrs_watcher_opts_set_dispatch(opts, -1, &err), err, SDRS_EVALIDATION, "dispatch");
  ST_ERR_FIELD(sdrs_watcher_opts_set_max_in_flight(NULL, 4, &err), err, SDRS_EINVAL, "opts");
  ST_OK(sdrs_watcher_opts_set_max_polls_per_sec(opts, 100000, &err), err);
  ST_OK(sdrs_watcher_opts_set_max_in_flight(opts, 256, &err), err);

  sdrs_watcher *w = (sdrs_watcher *)&err; /* must be overwritten with NULL */
  ST_ERR_FIELD(sdrs_watcher_new(&w, NULL, opts, &err), err, SDRS_EINVAL, "client");
  assert_null(w);
  ST_ERR_FIELD(sdrs_watcher_new(NULL, g_client, opts, &err), err, SDRS_EINVAL, "out");
  ST_OK(sdrs_watcher_new(&w, g_client, opts, &err), err);
  sdrs_watcher_opts_free(opts);

  outcome o;
  outcome_init(&o);
  uint64_t ticket = 0;
  ST_ERR_FIELD(sdrs_watcher_add(NULL, "abc", NULL, on_done, &o, &ticket, &err), err, SDRS_EINVAL,
               "watcher");
  ST_ERR_FIELD(sdrs_watcher_add(w, NULL, NULL, on_done, &o, &ticket, &err), err, SDRS_EINVAL,
               "job_id");
  ST_ERR_FIELD(sdrs_watcher_add(w, "abc", NULL, NULL, &o, &ticket, &err), err, SDRS_EINVAL, "cb");
  ST_ERR_FIELD(sdrs_watcher_add(w, "a/b", NULL, on_done, &o, &ticket, &err), err, SDRS_EVALIDATION,
               "job_id");
  ST_ERR_FIELD(sdrs_watcher_add(w, "", NULL, on_done, &o, &ticket, &err), err, SDRS_EVALIDATION,
               "job_id");
  assert_true(ticket == 0);
  assert_int_equal(sdrs_watcher_pending(w), 0);

  /* fd and dispatch belong to DISPATCH_MANUAL. */
  int fd = -1;
  ST_ERR_FIELD(sdrs_watcher_fd(w, &fd, &err), err, SDRS_EINVAL, "DISPATCH_MANUAL");
  assert_int_equal(fd, -1);
  size_t ran = 7;
  ST_ERR_FIELD(sdrs_watcher_dispatch(w, 0, &ran, &err), err, SDRS_EINVAL, "DISPATCH_MANUAL");
  assert_int_equal(ran, 0);
  ST_ERR_FIELD(sdrs_watcher_fd(NULL, &fd, &err), err, SDRS_EINVAL, "watcher");
  ST_ERR_FIELD(sdrs_watcher_fd(w, NULL, &err), err, SDRS_EINVAL, "out_fd");
  ST_ERR_FIELD(sdrs_watcher_dispatch(NULL, 0, NULL, &err), err, SDRS_EINVAL, "watcher");
  ST_ERR_FIELD(sdrs_watcher_cancel(NULL, 1, &err), err, SDRS_EINVAL, "watcher");
  ST_ERR_FIELD(sdrs_watcher_shutdown(NULL, &err), err, SDRS_EINVAL, "watcher");
  assert_int_equal(sdrs_watcher_pending(NULL), 0);
  sdrs_watcher_free(NULL);
  st_sleep_ms(50);
  assert_int_equal(o.calls, 0);
  sdrs_watcher_free(w);
  assert_int_equal(o.calls, 0);
  outcome_free(&o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_success, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fail, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_job, setup, teardown),
      cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cancel_ticket, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cancel_token, setup, teardown),
      cmocka_unit_test_setup_teardown(test_progress_stop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shutdown_pending, setup, teardown),
      cmocka_unit_test_setup_teardown(test_free_pending, setup, teardown),
      cmocka_unit_test_setup_teardown(test_callback_adds_and_cancels, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shutdown_from_callback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_free_from_thread_callback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_free_during_shutdown, setup, teardown),
      cmocka_unit_test_setup_teardown(test_client_freed_first, setup, teardown),
      cmocka_unit_test_setup_teardown(test_token_expiry, setup, teardown),
      cmocka_unit_test_setup_teardown(test_aksk, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transient_failures, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transient_until_deadline, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rate_cap, setup, teardown),
      cmocka_unit_test_setup_teardown(test_in_flight_cap, setup, teardown),
      cmocka_unit_test_setup_teardown(test_manual_dispatch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_manual_dispatch_max, setup, teardown),
      cmocka_unit_test_setup_teardown(test_manual_progress_stop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_manual_shutdown_and_free, setup, teardown),
      cmocka_unit_test_setup_teardown(test_many_threads, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
  };
  return cmocka_run_group_tests_name("capi_watcher", tests, st_group_setup, st_group_teardown);
}
