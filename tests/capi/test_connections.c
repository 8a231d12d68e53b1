/* Connection reuse: 8 threads x 500 calls through one client open no more connections than
 * there are threads (the emulator counts accepted TCP connections). Runs under TSan too. */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define CALLS 500

struct worker {
  int failures;
  char first_error[256];
};

/* No cmocka assertions here: they longjmp and must stay on the main thread. */
static void *work(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < CALLS; i++) {
    sdrs_error *err = NULL;
    sdrs_domain_list *list = NULL;
    int rc = sdrs_domain_list_get(&list, g_client, NULL, &err);
    if (rc != 0 && w->failures++ == 0) {
      snprintf(w->first_error, sizeof w->first_error, "%s: %s", sdrs_error_name(rc),
               sdrs_error_message(err));
    }
    sdrs_domain_list_free(list);
    sdrs_error_free(err);
  }
  return NULL;
}

static void test_threads_share_a_bounded_pool(void **state) {
  (void)state;
  long long requests = st_stat("api_requests");
  long long before = st_stat("connections"); /* counts its own connection */
  pthread_t threads[THREADS];
  struct worker workers[THREADS];
  memset(workers, 0, sizeof workers);
  int64_t t0 = st_now_ms();
  for (int i = 0; i < THREADS; i++) {
    assert_int_equal(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
  }
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  int64_t took = st_now_ms() - t0;
  int failures = 0;
  for (int i = 0; i < THREADS; i++) {
    if (workers[i].failures > 0) fprintf(stderr, "thread %d: %s\n", i, workers[i].first_error);
    failures += workers[i].failures;
  }
  /* Each admin call opens a connection of its own: this one counts itself. */
  long long opened = st_stat("connections") - before - 1;
  long long served = st_stat("api_requests") - requests;
  fprintf(stderr, "%d threads x %d calls: %lld ms, %lld connections, %lld requests\n", THREADS,
          CALLS, (long long)took, opened, served);
  assert_int_equal(failures, 0);
  /* At least: a request an earlier test left sleeping in a delay fault may land meanwhile. */
  assert_true(served >= THREADS * CALLS);
  assert_true(opened >= 1);
  assert_true(opened <= THREADS);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_threads_share_a_bounded_pool),
  };
  return cmocka_run_group_tests_name("capi_connections", tests, st_group_setup, st_group_teardown);
}
