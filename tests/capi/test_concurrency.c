/* One client shared by 8 threads: each creates 20 groups and waits for their jobs. */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define PER_THREAD 20

struct worker {
  int index;
  const sdrs_wait_opts *wopts; /* shared, read-only */
  const sdrs_call_opts *copts; /* shared, read-only */
  char prefix[64];
  int ok;
  int failures;
  char first_error[256];
  char *ids[PER_THREAD];
};

static void record(struct worker *w, const char *what, int rc, sdrs_error *err) {
  w->failures++;
  if (w->first_error[0] == '\0') {
    snprintf(w->first_error, sizeof w->first_error, "thread %d: %s: %s: %s", w->index, what,
             sdrs_error_name(rc), err ? sdrs_error_message(err) : "(no error)");
  }
  sdrs_error_free(err);
}

/* No cmocka assertions here: they longjmp and must stay on the main thread. */
static void *work(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < PER_THREAD; i++) {
    char name[96];
    snprintf(name, sizeof name, "%s%02d", w->prefix, i);
    sdrs_error *err = NULL;
    sdrs_pg_spec *spec = NULL;
    int rc = sdrs_pg_spec_new(&spec, &err);
    if (rc == 0) rc = sdrs_pg_spec_set_name(spec, name, &err);
    if (rc == 0) rc = sdrs_pg_spec_set_source_az(spec, "eu-de-01", &err);
    if (rc == 0) rc = sdrs_pg_spec_set_target_az(spec, "eu-de-02", &err);
    if (rc == 0) rc = sdrs_pg_spec_set_domain_id(spec, ST_DOMAIN_A, &err);
    if (rc == 0) rc = sdrs_pg_spec_set_source_vpc_id(spec, ST_VPC, &err);
    char *job_id = NULL;
    if (rc == 0) rc = sdrs_pg_create(&job_id, g_client, spec, w->copts, &err);
    sdrs_pg_spec_free(spec);
    if (rc != 0) {
      record(w, "create", rc, err);
      continue;
    }
    sdrs_job *job = NULL;
    rc = sdrs_job_wait(&job, g_client, job_id, w->wopts, &err);
    sdrs_string_free(job_id);
    if (rc != 0) {
      sdrs_job_free(job);
      record(w, "wait", rc, err);
      continue;
    }
    const char *gid = sdrs_job_entity(job, "server_group_id");
    if (sdrs_job_status(job) != SDRS_JOB_SUCCESS || gid == NULL) {
      record(w, "job result", 0, NULL);
    } else {
      /* read the group back through the shared client too */
      sdrs_pg *pg = NULL;
      rc = sdrs_pg_get(&pg, g_client, gid, w->copts, &err);
      if (rc != 0) {
        record(w, "get", rc, err);
      } else if (strcmp(sdrs_pg_name(pg), name) != 0 || sdrs_pg_status(pg) != SDRS_PG_AVAILABLE) {
        record(w, "group content", 0, NULL);
      } else {
        w->ids[w->ok++] = strdup(gid);
      }
      sdrs_pg_free(pg);
    }
    sdrs_job_free(job);
  }
  return NULL;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_shared_client(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_wait_opts *wopts = st_wait_opts_new(30000);
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 20000, &err), err);
  char base[32];
  st_unique_name(base, sizeof base, "conc");
  long long creates = st_stat("creates");

  static struct worker workers[THREADS];
  pthread_t threads[THREADS];
  memset(workers, 0, sizeof workers);
  int64_t t0 = st_now_ms();
  for (int i = 0; i < THREADS; i++) {
    workers[i].index = i;
    workers[i].wopts = wopts;
    workers[i].copts = copts;
    snprintf(workers[i].prefix, sizeof workers[i].prefix, "%s-t%d-", base, i);
    assert_int_equal(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
  }
  for (int i = 0; i < THREADS; i++) {
    assert_int_equal(pthread_join(threads[i], NULL), 0);
  }
  printf("%d threads x %d groups created and waited for in %lld ms\n", THREADS, PER_THREAD,
         (long long)(st_now_ms() - t0));

  int total = 0, failures = 0;
  char *all[THREADS * PER_THREAD];
  for (int i = 0; i < THREADS; i++) {
    if (workers[i].failures) {
      fprintf(stderr, "%s (%d failures)\n", workers[i].first_error, workers[i].failures);
    }
    failures += workers[i].failures;
    for (int k = 0; k < workers[i].ok; k++) {
      all[total++] = workers[i].ids[k];
    }
  }
  assert_int_equal(failures, 0);
  assert_int_equal(total, THREADS * PER_THREAD);
  assert_int_equal(st_stat("creates") - creates, THREADS * PER_THREAD);
  qsort(all, (size_t)total, sizeof all[0], cmp_str);
  for (int i = 1; i < total; i++) {
    assert_string_not_equal(all[i - 1], all[i]);
  }

  /* and the list agrees */
  sdrs_pg_list_opts *lo = NULL;
  ST_OK(sdrs_pg_list_opts_new(&lo, &err), err);
  ST_OK(sdrs_pg_list_opts_set_name(lo, base, &err), err);
  sdrs_pg_list *list = NULL;
  ST_OK(sdrs_pg_list_get(&list, g_client, lo, NULL, &err), err);
  assert_int_equal(sdrs_pg_list_size(list), THREADS * PER_THREAD);
  sdrs_pg_list_free(list);
  sdrs_pg_list_opts_free(lo);

  for (int i = 0; i < total; i++) {
    free(all[i]);
  }
  sdrs_call_opts_free(copts);
  sdrs_wait_opts_free(wopts);
}

/* Cancel tokens are per call: triggering one thread's token leaves the others alone. */
struct canceler {
  sdrs_cancel *cancel;
  sdrs_wait_opts *wopts;
  char *job_id;
  int rc;
  int64_t returned_at;
};

static void *wait_job(void *arg) {
  struct canceler *c = arg;
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  c->rc = sdrs_job_wait(&job, g_client, c->job_id, c->wopts, &err);
  c->returned_at = st_now_ms();
  sdrs_job_free(job);
  sdrs_error_free(err);
  return NULL;
}

static void test_cancel_one_of_many(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  st_set_job_times(20, 1500);
  struct canceler c[4];
  pthread_t t[4];
  for (int i = 0; i < 4; i++) {
    char name[64];
    st_unique_name(name, sizeof name, "cancel-one");
    sdrs_pg_spec *spec = st_spec_new(name);
    c[i].job_id = NULL;
    ST_OK(sdrs_pg_create(&c[i].job_id, g_client, spec, NULL, &err), err);
    sdrs_pg_spec_free(spec);
    ST_OK(sdrs_cancel_new(&c[i].cancel, &err), err);
    c[i].wopts = st_wait_opts_new(20000);
    ST_OK(sdrs_wait_opts_set_cancel(c[i].wopts, c[i].cancel, &err), err);
    c[i].rc = 1;
  }
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(pthread_create(&t[i], NULL, wait_job, &c[i]), 0);
  }
  st_sleep_ms(200);
  int64_t trig = st_now_ms();
  sdrs_cancel_trigger(c[0].cancel);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
  }
  printf("canceled waiter returned %lld ms after the trigger\n",
         (long long)(c[0].returned_at - trig));
  assert_int_equal(c[0].rc, SDRS_ECANCELED);
  /* The code says the cancel ended it; the bound only has to stay below the 1.3 s the job
   * still had to run, with room for a loaded machine. */
  assert_true(c[0].returned_at - trig <= 1000 * st_time_scale());
  for (int i = 1; i < 4; i++) {
    assert_int_equal(c[i].rc, 0);
  }
  for (int i = 0; i < 4; i++) {
    sdrs_string_free(c[i].job_id);
    sdrs_wait_opts_free(c[i].wopts);
    sdrs_cancel_free(c[i].cancel);
  }
}

static int restore_job_times(void **state) {
  (void)state;
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shared_client),
      cmocka_unit_test_teardown(test_cancel_one_of_many, restore_job_times),
  };
  return cmocka_run_group_tests_name("capi_concurrency", tests, st_group_setup, st_group_teardown);
}
