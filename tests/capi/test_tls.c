/* TLS: the library verifies the server's chain and host name by default, takes a CA file or
 * directory, does mutual TLS, and only the explicitly named insecure switch (tested here, and
 * nowhere else) turns verification off; the job watcher's polls follow the same settings.
 * Certificates are generated at test time (gen-certs.sh, openssl CLI) and each test starts its
 * own HTTPS emulator. */
#include "support.h"

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char g_dir[256];  /* certificates */
static pid_t g_pids[16]; /* emulators still running (stopped in the group teardown too) */

struct emu {
  pid_t pid;
  int port;
};

static const char *need_env(const char *name) {
  const char *v = getenv(name);
  if (v == NULL || v[0] == '\0') {
    fprintf(stderr, "%s is not set (run through ctest)\n", name);
    fail();
  }
  return v;
}

static void cert_path(char *buf, size_t size, const char *file) {
  snprintf(buf, size, "%s/%s", g_dir, file);
}

/* Starts an HTTPS emulator with the given certificate pair (and optional client CA). */
static struct emu emu_start(const char *cert, const char *key, const char *client_ca) {
  static int seq;
  char port_file[300], cert_file[300], key_file[300], ca_file[300];
  snprintf(port_file, sizeof port_file, "%s/port.%d", g_dir, ++seq);
  cert_path(cert_file, sizeof cert_file, cert);
  cert_path(key_file, sizeof key_file, key);
  const char *argv[16];
  int n = 0;
  argv[n++] = need_env("SDRS_EMULATOR_BIN");
  argv[n++] = "--port";
  argv[n++] = "0";
  argv[n++] = "--port-file";
  argv[n++] = port_file;
  argv[n++] = "--quiet";
  argv[n++] = "--tls-cert";
  argv[n++] = cert_file;
  argv[n++] = "--tls-key";
  argv[n++] = key_file;
  if (client_ca != NULL) {
    cert_path(ca_file, sizeof ca_file, client_ca);
    argv[n++] = "--tls-client-ca";
    argv[n++] = ca_file;
  }
  argv[n] = NULL;
  struct emu e = {0, 0};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  /* No inherited pipes: ctest must not wait for a leftover emulator's output. */
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1 /* O_WRONLY */, 0);
  assert_int_equal(posix_spawn(&e.pid, argv[0], &fa, NULL, (char *const *)argv, environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  for (size_t i = 0; i < sizeof g_pids / sizeof g_pids[0]; i++) {
    if (g_pids[i] == 0) {
      g_pids[i] = e.pid;
      break;
    }
  }
  for (int i = 0; i < 1000 && e.port == 0; i++) {
    FILE *f = fopen(port_file, "r");
    if (f != NULL) {
      if (fscanf(f, "%d", &e.port) != 1) e.port = 0;
      fclose(f);
    }
    if (e.port == 0) st_sleep_ms(10);
  }
  assert_true(e.port > 0);
  return e;
}

static void emu_stop(struct emu e) {
  kill(e.pid, SIGTERM);
  int status = 0;
  waitpid(e.pid, &status, 0);
  for (size_t i = 0; i < sizeof g_pids / sizeof g_pids[0]; i++) {
    if (g_pids[i] == e.pid) g_pids[i] = 0;
  }
}

/* A config for https://HOST:PORT with the CA file (relative to the cert dir) or none. */
static sdrs_config *tls_config(const char *host, int port, const char *ca_file) {
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  char url[128];
  snprintf(url, sizeof url, "https://%s:%d", host, port);
  ST_OK(sdrs_config_set_endpoint(cfg, url, &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_OK(sdrs_config_set_token(cfg, ST_TOKEN, &err), err);
  ST_OK(sdrs_config_set_timeout_ms(cfg, 10000, &err), err);
  if (ca_file != NULL) {
    char path[300];
    cert_path(path, sizeof path, ca_file);
    ST_OK(sdrs_config_set_ca_file(cfg, path, &err), err);
  }
  return cfg;
}

/* One GET through a client made from cfg; returns the code, *err on failure. */
static int call(const sdrs_config *cfg, sdrs_error **err) {
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, err), *err);
  sdrs_domain_list *list = NULL;
  int rc = sdrs_domain_list_get(&list, c, NULL, err);
  if (rc == 0) assert_int_equal(sdrs_domain_list_size(list), 2);
  sdrs_domain_list_free(list);
  sdrs_client_free(c);
  return rc;
}

static void expect_tls_error(const sdrs_config *cfg) {
  sdrs_error *err = NULL;
  ST_ERR(call(cfg, &err), err, SDRS_ETLS);
  fprintf(stderr, "  rejected as expected: %s\n", sdrs_error_message(err));
  assert_int_equal(sdrs_error_attempts(err), 1); /* a TLS failure is not retried */
  sdrs_error_free(err);
}

static void test_self_signed_rejected_by_default(void **state) {
  (void)state;
  struct emu e = emu_start("selfsigned.pem", "selfsigned.key", NULL);
  sdrs_config *cfg = tls_config("127.0.0.1", e.port, NULL);
  expect_tls_error(cfg);
  sdrs_config_free(cfg);
  /* The same server is trusted once its certificate is given as the CA. */
  cfg = tls_config("127.0.0.1", e.port, "selfsigned.pem");
  sdrs_error *err = NULL;
  ST_OK(call(cfg, &err), err);
  sdrs_config_free(cfg);
  emu_stop(e);
}

static void test_ca_file_and_ca_dir(void **state) {
  (void)state;
  struct emu e = emu_start("server.pem", "server.key", NULL);
  sdrs_error *err = NULL;
  /* Unknown CA (the system store does not have it). */
  sdrs_config *cfg = tls_config("127.0.0.1", e.port, NULL);
  expect_tls_error(cfg);
  sdrs_config_free(cfg);
  /* CA file, by IP and by name. */
  cfg = tls_config("127.0.0.1", e.port, "ca.pem");
  ST_OK(call(cfg, &err), err);
  sdrs_config_free(cfg);
  cfg = tls_config("localhost", e.port, "ca.pem");
  ST_OK(call(cfg, &err), err);
  sdrs_config_free(cfg);
  /* CA directory (hashed) with a CA file that does not contain the CA. */
  cfg = tls_config("127.0.0.1", e.port, "selfsigned.pem");
  char dir[300];
  cert_path(dir, sizeof dir, "cadir");
  ST_OK(sdrs_config_set_ca_dir(cfg, dir, &err), err);
  ST_OK(call(cfg, &err), err);
  sdrs_config_free(cfg);
  emu_stop(e);
}

static void test_wrong_host_rejected(void **state) {
  (void)state;
  /* Signed by the trusted CA, but for wrong.example. */
  struct emu e = emu_start("wronghost.pem", "wronghost.key", NULL);
  sdrs_config *cfg = tls_config("127.0.0.1", e.port, "ca.pem");
  expect_tls_error(cfg);
  sdrs_config_free(cfg);
  cfg = tls_config("localhost", e.port, "ca.pem");
  expect_tls_error(cfg);
  sdrs_config_free(cfg);
  emu_stop(e);
}

/* A refused client certificate: with TLS 1.3 the server checks it after the client considers
 * the handshake done, so the refusal reaches the client either as the server's alert (ETLS)
 * or, when the server has already closed, as a connection reset (ETRANSPORT). Either way the
 * call fails. */
static void expect_client_cert_refused(sdrs_config *cfg) {
  sdrs_error *err = NULL;
  int rc = call(cfg, &err);
  fprintf(stderr, "  client certificate refused: %s\n", err ? sdrs_error_message(err) : "-");
  assert_true(rc == SDRS_ETLS || rc == SDRS_ETRANSPORT);
  assert_int_equal(sdrs_error_code(err), rc);
  sdrs_error_free(err);
}

static void test_mutual_tls(void **state) {
  (void)state;
  struct emu e = emu_start("server.pem", "server.key", "ca.pem");
  sdrs_error *err = NULL;
  sdrs_config *cfg = tls_config("127.0.0.1", e.port, "ca.pem");
  ST_OK(sdrs_config_set_max_attempts(cfg, 1, &err), err);
  /* No client certificate: the server refuses the handshake. */
  expect_client_cert_refused(cfg);
  char cert[300], key[300];
  cert_path(cert, sizeof cert, "client.pem");
  cert_path(key, sizeof key, "client.key");
  ST_OK(sdrs_config_set_client_cert(cfg, cert, key, NULL, &err), err);
  ST_OK(call(cfg, &err), err);
  /* An encrypted key with its password; a wrong password fails before anything is sent. */
  char enc_key[300];
  cert_path(enc_key, sizeof enc_key, "client-enc.key");
  ST_OK(sdrs_config_set_client_cert(cfg, cert, enc_key, "test-pass", &err), err);
  ST_OK(call(cfg, &err), err);
  ST_OK(sdrs_config_set_client_cert(cfg, cert, enc_key, "wrong-pass", &err), err);
  ST_ERR(call(cfg, &err), err, SDRS_ETLS);
  assert_false(st_contains(sdrs_error_message(err), "wrong-pass")); /* never echoed */
  sdrs_error_free(err);
  err = NULL;
  /* A certificate the server's CA did not sign is refused too. */
  char other[300], other_key[300];
  cert_path(other, sizeof other, "selfsigned.pem");
  cert_path(other_key, sizeof other_key, "selfsigned.key");
  ST_OK(sdrs_config_set_client_cert(cfg, other, other_key, NULL, &err), err);
  expect_client_cert_refused(cfg);
  sdrs_config_free(cfg);
  emu_stop(e);
}

struct log_capture {
  int warn_create;
  int warn_use;
};

static void capture(int32_t level, const char *message, void *userdata) {
  struct log_capture *lc = userdata;
  if (level != SDRS_LOG_WARN) return;
  if (st_contains(message, "verification is DISABLED")) lc->warn_create++;
  if (st_contains(message, "TLS verification disabled")) lc->warn_use++;
}

/* The only test that turns verification off: it checks the switch and its warnings. */
static void test_insecure_switch_warns(void **state) {
  (void)state;
  struct emu e = emu_start("selfsigned.pem", "selfsigned.key", NULL);
  sdrs_config *cfg = tls_config("127.0.0.1", e.port, NULL);
  sdrs_error *err = NULL;
  struct log_capture lc = {0, 0};
  ST_OK(sdrs_config_set_log_sink(cfg, capture, SDRS_LOG_WARN, &lc, &err), err);
  ST_OK(sdrs_config_set_insecure_skip_tls_verify(cfg, 1, &err), err);
  ST_OK(call(cfg, &err), err);
  assert_int_equal(lc.warn_create, 1);
  assert_int_equal(lc.warn_use, 1);
  /* Switched back off, the self-signed server is refused again. */
  ST_OK(sdrs_config_set_insecure_skip_tls_verify(cfg, 0, &err), err);
  expect_tls_error(cfg);
  sdrs_config_free(cfg);
  emu_stop(e);
}

static void test_plain_http_needs_opt_in(void **state) {
  (void)state;
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  /* Judged when the client is built (issue 17 item 3: setters in any order). */
  ST_OK(sdrs_config_set_endpoint(cfg, "http://127.0.0.1:1", &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, "0123456789abcdef0123456789abcdef", &err), err);
  ST_OK(sdrs_config_set_token(cfg, "t", &err), err);
  sdrs_client *client = NULL;
  ST_ERR_FIELD(sdrs_client_new(&client, cfg, &err), err, SDRS_EVALIDATION, "http");
  assert_null(client);
  sdrs_config_free(cfg);
}

static void test_connection_and_session_reuse(void **state) {
  (void)state;
  struct emu e = emu_start("server.pem", "server.key", NULL);
  sdrs_config *cfg = tls_config("127.0.0.1", e.port, "ca.pem");
  sdrs_error *err = NULL;
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  for (int i = 0; i < 20; i++) {
    sdrs_domain_list *list = NULL;
    ST_OK(sdrs_domain_list_get(&list, c, NULL, &err), err);
    sdrs_domain_list_free(list);
  }
  sdrs_client_free(c);
  sdrs_config_free(cfg);
  /* 20 sequential calls over one kept-alive TLS connection; read the counter over https. */
  char cmd[512];
  snprintf(cmd, sizeof cmd,
           "curl -s --noproxy '*' --cacert %s/ca.pem https://127.0.0.1:%d/_emulator/stats", g_dir,
           e.port);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char out[512] = {0};
  size_t n = fread(out, 1, sizeof out - 1, p);
  pclose(p);
  assert_true(n > 0);
  const char *conn = strstr(out, "\"connections\":");
  assert_non_null(conn);
  long connections = strtol(conn + 14, NULL, 10);
  fprintf(stderr, "  20 calls over TLS used %ld connection(s) (+1 for this stats call)\n",
          connections - 1);
  assert_int_equal(connections, 2);
  emu_stop(e);
}

/* The job watcher's polls (its curl multi handle) follow the client's TLS settings: trusted
 * with the CA file; without it the poll fails with SDRS_ETLS, which ends the wait at once (a
 * TLS failure is not transient). */
static void on_watched(uint64_t ticket, const char *job_id, int rc, sdrs_job *job, sdrs_error *err,
                       void *userdata) {
  (void)ticket;
  (void)job_id;
  *(int *)userdata = rc;
  sdrs_job_free(job);
  sdrs_error_free(err);
}

/* Watches job_id with a client made from cfg; returns the callback's rc. */
static int watch(const sdrs_config *cfg, const char *job_id) {
  sdrs_error *err = NULL;
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  sdrs_watcher *w = NULL;
  ST_OK(sdrs_watcher_new(&w, c, NULL, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  int rc = 1;
  ST_OK(sdrs_watcher_add(w, job_id, wopts, on_watched, &rc, NULL, &err), err);
  const int64_t until = st_now_ms() + 10000 * st_time_scale();
  while (sdrs_watcher_pending(w) > 0 && st_now_ms() < until) st_sleep_ms(5);
  assert_int_equal(sdrs_watcher_pending(w), 0);
  sdrs_watcher_free(w); /* joins the watcher's thread: rc is settled */
  sdrs_wait_opts_free(wopts);
  sdrs_client_free(c);
  return rc;
}

static void test_watcher_over_tls(void **state) {
  (void)state;
  struct emu e = emu_start("server.pem", "server.key", NULL);
  sdrs_config *cfg = tls_config("127.0.0.1", e.port, "ca.pem");
  sdrs_error *err = NULL;
  sdrs_client *c = NULL;
  ST_OK(sdrs_client_new(&c, cfg, &err), err);
  char name[64];
  st_unique_name(name, sizeof name, "tls-watch");
  sdrs_pg_spec *spec = st_spec_new(name);
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, c, spec, NULL, &err), err);
  sdrs_pg_spec_free(spec);
  sdrs_client_free(c);
  assert_int_equal(watch(cfg, job_id), 0);
  sdrs_config_free(cfg);
  cfg = tls_config("127.0.0.1", e.port, NULL);
  assert_int_equal(watch(cfg, job_id), SDRS_ETLS);
  sdrs_config_free(cfg);
  sdrs_string_free(job_id);
  emu_stop(e);
}

static int group_setup(void **state) {
  (void)state;
  st_global_init();
  snprintf(g_dir, sizeof g_dir, "/tmp/sdrs-capi-tls-%d", (int)getpid());
  char cmd[600];
  snprintf(cmd, sizeof cmd, "sh '%s/gen-certs.sh' '%s'", need_env("SDRS_CAPI_SOURCE_DIR"), g_dir);
  if (system(cmd) != 0) {
    fprintf(stderr, "gen-certs.sh failed\n");
    return -1;
  }
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof g_pids / sizeof g_pids[0]; i++) {
    if (g_pids[i] != 0) emu_stop((struct emu){g_pids[i], 0});
  }
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
  st_global_cleanup();
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_self_signed_rejected_by_default),
      cmocka_unit_test(test_ca_file_and_ca_dir),
      cmocka_unit_test(test_wrong_host_rejected),
      cmocka_unit_test(test_mutual_tls),
      cmocka_unit_test(test_insecure_switch_warns),
      cmocka_unit_test(test_plain_http_needs_opt_in),
      cmocka_unit_test(test_connection_and_session_reuse),
      cmocka_unit_test(test_watcher_over_tls),
  };
  return cmocka_run_group_tests_name("capi_tls", tests, group_setup, group_teardown);
}
