/*
 * Transport-level behaviour against a tiny scripted HTTP server on 127.0.0.1 (no emulator):
 * the request on the wire, the mapping of HTTP errors to codes, non-JSON and malformed
 * bodies, connection failures, call deadlines, the configured timeout, cancel in the middle
 * of a transfer, and the job waiter retrying transient poll failures.
 */
#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the scripted server ---- */

struct stub {
  int listen_fd;
  int port;
  pthread_t thread;
  pthread_mutex_t mu;
  int stop;
  /* what to answer: a full raw HTTP response, or hang (never answer) when NULL */
  char *response;
  int requests;
  char last_request[8192];
  /* a scripted sequence: request n gets script[min(n, script_len - 1)]; kStubClose closes
   * the connection after reading the request, without any answer */
  char *script[16];
  int script_len;
};

static const char kStubClose[] = "CLOSE";

static struct stub g_stub;

static int stub_stopping(void) {
  pthread_mutex_lock(&g_stub.mu);
  int s = g_stub.stop;
  pthread_mutex_unlock(&g_stub.mu);
  return s;
}

/* Reads one request (headers + Content-Length body) into buf; 0 when the peer went away. */
static size_t read_request(int fd, char *buf, size_t cap) {
  size_t len = 0;
  for (;;) {
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, 50);
    if (r == 0) {
      if (stub_stopping()) return 0;
      continue;
    }
    if (r < 0) return 0;
    ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
    if (n <= 0) return 0;
    len += (size_t)n;
    buf[len] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    if (end != NULL) {
      size_t have = len - (size_t)(end + 4 - buf);
      const char *cl = strstr(buf, "Content-Length:");
      if (cl == NULL) cl = strstr(buf, "content-length:");
      size_t want = cl != NULL ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
      if (have >= want || len >= cap - 1) return len;
    }
    if (len >= cap - 1) return len;
  }
}

static void *stub_main(void *arg) {
  (void)arg;
  while (!stub_stopping()) {
    struct pollfd p = {g_stub.listen_fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept(g_stub.listen_fd, NULL, NULL);
    if (fd < 0) continue;
    char buf[8192];
    size_t len = read_request(fd, buf, sizeof buf);
    if (len > 0) {
      pthread_mutex_lock(&g_stub.mu);
      g_stub.requests++;
      memcpy(g_stub.last_request, buf, len + 1);
      const char *pick = g_stub.response;
      if (g_stub.script_len > 0) {
        int i = g_stub.requests - 1;
        pick = g_stub.script[i < g_stub.script_len ? i : g_stub.script_len - 1];
      }
      char *resp = pick ? strdup(pick) : NULL;
      pthread_mutex_unlock(&g_stub.mu);
      if (resp != NULL && strcmp(resp, kStubClose) == 0) {
        free(resp); /* the request was read in full: close without a word */
      } else if (resp != NULL) {
        size_t off = 0, total = strlen(resp);
        while (off < total) {
          ssize_t n = send(fd, resp + off, total - off, MSG_NOSIGNAL);
          if (n <= 0) break;
          off += (size_t)n;
        }
        free(resp);
      } else {
        /* hang: hold the connection until the client gives up or the stub stops */
        char sink[256];
        for (;;) {
          struct pollfd q = {fd, POLLIN, 0};
          int r = poll(&q, 1, 50);
          if (stub_stopping()) break;
          if (r > 0 && recv(fd, sink, sizeof sink, 0) <= 0) break;
        }
      }
    }
    close(fd);
  }
  return NULL;
}

static void stub_start(void) {
  memset(&g_stub, 0, sizeof g_stub);
  pthread_mutex_init(&g_stub.mu, NULL);
  g_stub.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(g_stub.listen_fd >= 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  assert_int_equal(bind(g_stub.listen_fd, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(listen(g_stub.listen_fd, 16), 0);
  socklen_t alen = sizeof a;
  assert_int_equal(getsockname(g_stub.listen_fd, (struct sockaddr *)&a, &alen), 0);
  g_stub.port = ntohs(a.sin_port);
  assert_int_equal(pthread_create(&g_stub.thread, NULL, stub_main, NULL), 0);
}

static void stub_stop(void) {
  pthread_mutex_lock(&g_stub.mu);
  g_stub.stop = 1;
  pthread_mutex_unlock(&g_stub.mu);
  pthread_join(g_stub.thread, NULL);
  close(g_stub.listen_fd);
  free(g_stub.response);
  for (int i = 0; i < g_stub.script_len; i++) free(g_stub.script[i]);
  pthread_mutex_destroy(&g_stub.mu);
}

/* Sets the answer: status line text, extra headers (each ending in \r\n) and body. */
static void stub_answer(const char *status, const char *headers, const char *body) {
  size_t n = strlen(status) + strlen(headers) + strlen(body) + 200;
  char *r = malloc(n);
  assert_non_null(r);
  snprintf(r, n, "HTTP/1.1 %s\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n%s", status,
           strlen(body), headers, body);
  pthread_mutex_lock(&g_stub.mu);
  for (int i = 0; i < g_stub.script_len; i++) free(g_stub.script[i]);
  g_stub.script_len = 0;
  free(g_stub.response);
  g_stub.response = r;
  g_stub.requests = 0;
  g_stub.last_request[0] = '\0';
  pthread_mutex_unlock(&g_stub.mu);
}

static char *format_response(const char *status, const char *body) {
  if (strcmp(status, kStubClose) == 0) return strdup(kStubClose);
  size_t n = strlen(status) + strlen(body) + 200;
  char *r = malloc(n);
  assert_non_null(r);
  snprintf(r, n, "HTTP/1.1 %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", status,
           strlen(body), body);
  return r;
}

/* Scripts the answers of the next requests: pairs of status line and body (status kStubClose:
 * no answer); the last pair answers every request after it. */
static void stub_script(int pairs, ...) {
  va_list ap;
  va_start(ap, pairs);
  pthread_mutex_lock(&g_stub.mu);
  for (int i = 0; i < g_stub.script_len; i++) free(g_stub.script[i]);
  assert_true(pairs > 0 && pairs <= 16);
  for (int i = 0; i < pairs; i++) {
    const char *status = va_arg(ap, const char *);
    const char *body = va_arg(ap, const char *);
    g_stub.script[i] = format_response(status, body);
  }
  g_stub.script_len = pairs;
  g_stub.requests = 0;
  g_stub.last_request[0] = '\0';
  pthread_mutex_unlock(&g_stub.mu);
  va_end(ap);
}

static void stub_hang(void) {
  pthread_mutex_lock(&g_stub.mu);
  for (int i = 0; i < g_stub.script_len; i++) free(g_stub.script[i]);
  g_stub.script_len = 0;
  free(g_stub.response);
  g_stub.response = NULL;
  g_stub.requests = 0;
  pthread_mutex_unlock(&g_stub.mu);
}

static int stub_requests(void) {
  pthread_mutex_lock(&g_stub.mu);
  int n = g_stub.requests;
  pthread_mutex_unlock(&g_stub.mu);
  return n;
}

/* A copy of the last request with the whitespace outside JSON strings removed, so checks do
 * not depend on how the body is formatted. Headers keep their "Name: value" space. */
static void stub_last_request(char *out, size_t cap) {
  pthread_mutex_lock(&g_stub.mu);
  const char *src = g_stub.last_request;
  const char *body = strstr(src, "\r\n\r\n");
  size_t n = 0;
  int in_str = 0, esc = 0;
  for (const char *p = src; *p != '\0' && n + 1 < cap; p++) {
    if (body != NULL && p >= body + 4) {
      if (in_str) {
        if (esc) {
          esc = 0;
        } else if (*p == '\\') {
          esc = 1;
        } else if (*p == '"') {
          in_str = 0;
        }
      } else if (*p == '"') {
        in_str = 1;
      } else if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
        continue;
      }
    }
    out[n++] = *p;
  }
  out[n] = '\0';
  pthread_mutex_unlock(&g_stub.mu);
}

static sdrs_client *stub_client_attempts(const char *ua_suffix, int64_t timeout_ms,
                                         int32_t max_attempts);

static sdrs_client *stub_client(const char *ua_suffix, int64_t timeout_ms) {
  /* One exchange per call: most tests here look at a single answer (test_transport.c covers
   * the retry budget against the emulator's faults). */
  return stub_client_attempts(ua_suffix, timeout_ms, 1);
}

static sdrs_client *stub_client_attempts(const char *ua_suffix, int64_t timeout_ms,
                                         int32_t max_attempts) {
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", g_stub.port);
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_allow_http(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, url, &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_OK(sdrs_config_set_token(cfg, "stub-secret-token", &err), err);
  if (ua_suffix != NULL) {
    ST_OK(sdrs_config_set_user_agent_suffix(cfg, ua_suffix, &err), err);
  }
  ST_OK(sdrs_config_set_timeout_ms(cfg, timeout_ms, &err), err);
  ST_OK(sdrs_config_set_max_attempts(cfg, max_attempts, &err), err);
  sdrs_client *client = NULL;
  ST_OK(sdrs_client_new(&client, cfg, &err), err);
  sdrs_config_free(cfg);
  return client;
}

static int setup(void **state) {
  (void)state;
  stub_start();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  stub_stop();
  return 0;
}

/* ---- the request on the wire ---- */

static void test_request_on_the_wire(void **state) {
  (void)state;
  stub_answer("200 OK", "Content-Type: application/json\r\n",
              "{\"job_id\":\"0123456789abcdef0123456789abcdef\"}");
  sdrs_client *client = stub_client("capi-tests/9.9", 10000);
  sdrs_error *err = NULL;
  sdrs_pg_spec *spec = st_spec_new("wire-name");
  ST_OK(sdrs_pg_spec_set_description(spec, "quote \" and \\ backslash", &err), err);
  char *job_id = NULL;
  ST_OK(sdrs_pg_create(&job_id, client, spec, NULL, &err), err);
  ST_STR(job_id, "0123456789abcdef0123456789abcdef");
  sdrs_string_free(job_id);
  sdrs_pg_spec_free(spec);
  assert_int_equal(stub_requests(), 1);
  static char req[8192];
  stub_last_request(req, sizeof req);
  assert_true(strncmp(req, "POST /v1/" ST_PROJECT_ID "/server-groups HTTP/1.1\r\n",
                      strlen("POST /v1/" ST_PROJECT_ID "/server-groups HTTP/1.1\r\n")) == 0);
  assert_true(st_contains(req, "X-Auth-Token: stub-secret-token\r\n"));
  char ua[64];
  snprintf(ua, sizeof ua, "User-Agent: libsdrs/%s capi-tests/9.9\r\n", sdrs_version());
  assert_true(st_contains(req, ua));
  assert_true(st_contains(req, "\"server_group\""));
  assert_true(st_contains(req, "\"name\":\"wire-name\""));
  assert_true(st_contains(req, "\"source_availability_zone\":\"eu-de-01\""));
  assert_true(st_contains(req, "\"domain_id\":\"" ST_DOMAIN_A "\""));
  /* JSON escaping of the description */
  assert_true(st_contains(req, "quote \\\" and \\\\ backslash"));
  sdrs_client_free(client);
}

/* ---- error mapping ---- */

struct mapping {
  const char *status;
  const char *body;
  int code;
  int32_t http;
  const char *api_code;
  int retryable;
};

static void test_error_mapping(void **state) {
  (void)state;
  static const struct mapping cases[] = {
      {"400 Bad Request", "{\"badrequest\":{\"code\":\"SDRS.0202\",\"message\":\"invalid name\"}}",
       SDRS_EREQUEST, 400, "SDRS.0202", 0},
      {"400 Bad Request", "{\"itemNotFound\":{\"code\":\"SDRS.1013\",\"message\":\"nope\"}}",
       SDRS_ENOTFOUND, 400, "SDRS.1013", 0},
      {"400 Bad Request", "{\"error\":{\"code\":\"SDRS.1010\",\"message\":\"pairs\"}}",
       SDRS_ECONFLICT, 400, "SDRS.1010", 0},
      {"400 Bad Request", "{\"error\":{\"code\":\"SDRS.0305\",\"message\":\"quota\"}}", SDRS_EQUOTA,
       400, "SDRS.0305", 0},
      {"400 Bad Request", "{\"error\":{\"code\":\"SDRS.0004\",\"message\":\"role\"}}",
       SDRS_EFORBIDDEN, 400, "SDRS.0004", 0},
      {"400 Bad Request", "{\"error\":{\"code\":\"SDRS.0001\",\"message\":\"project\"}}",
       SDRS_EAUTH, 400, "SDRS.0001", 0},
      {"500 Internal Server Error", "{\"error\":{\"code\":\"SDRS.1011\",\"message\":\"domain\"}}",
       SDRS_ESERVER, 500, "SDRS.1011", 1},
      /* a 404 is a not-found whatever code rides along */
      {"404 Not Found", "{\"itemNotFound\":{\"code\":\"SDRS.0408\",\"message\":\"no job\"}}",
       SDRS_ENOTFOUND, 404, "SDRS.0408", 0},
      {"401 Unauthorized", "", SDRS_EAUTH, 401, NULL, 0},
      {"403 Forbidden", "", SDRS_EFORBIDDEN, 403, NULL, 0},
      {"404 Not Found", "", SDRS_ENOTFOUND, 404, NULL, 0},
      {"408 Request Timeout", "", SDRS_ETIMEOUT, 408, NULL, 0},
      {"409 Conflict", "", SDRS_ECONFLICT, 409, NULL, 0},
      {"418 I'm a teapot", "", SDRS_EREQUEST, 418, NULL, 0},
      {"429 Too Many Requests", "", SDRS_ERATELIMIT, 429, NULL, 1},
      {"503 Service Unavailable", "", SDRS_ESERVER, 503, NULL, 1},
      {"504 Gateway Timeout", "", SDRS_ESERVER, 504, NULL, 1},
      /* flat error shape and an unknown code fall back to the status */
      {"400 Bad Request", "{\"error_code\":\"XYZ.0001\",\"error_msg\":\"other\"}", SDRS_EREQUEST,
       400, "XYZ.0001", 0},
  };
  sdrs_client *client = stub_client(NULL, 10000);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const struct mapping *c = &cases[i];
    stub_answer(c->status, "X-Request-Id: req-4711\r\n", c->body);
    sdrs_domain_list *list = NULL;
    sdrs_error *err = NULL;
    int rc = sdrs_domain_list_get(&list, client, NULL, &err);
    if (rc != c->code) {
      fprintf(stderr, "case %zu (%s %s)\n", i, c->status, c->body);
    }
    ST_ERR(rc, err, c->code);
    assert_null(list);
    assert_int_equal(sdrs_error_http_status(err), c->http);
    if (c->api_code != NULL) {
      ST_STR(sdrs_error_api_code(err), c->api_code);
    } else {
      assert_null(sdrs_error_api_code(err));
    }
    assert_int_equal(sdrs_error_retryable(err), c->retryable);
    ST_STR(sdrs_error_request_id(err), "req-4711");
    assert_int_equal(sdrs_error_attempts(err), 1);
    if (c->body[0] != '\0') {
      ST_STR(sdrs_error_body(err), c->body);
    }
    assert_false(st_contains(sdrs_error_message(err), "stub-secret-token"));
    sdrs_error_free(err);
  }
  /* the OpenStack request id header is read too */
  stub_answer("404 Not Found", "X-Openstack-Request-Id: req-os-1\r\n", "");
  sdrs_domain_list *list = NULL;
  sdrs_error *err = NULL;
  ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_ENOTFOUND);
  ST_STR(sdrs_error_request_id(err), "req-os-1");
  sdrs_error_free(err);
  sdrs_client_free(client);
}

static void test_bad_bodies(void **state) {
  (void)state;
  sdrs_client *client = stub_client(NULL, 10000);
  sdrs_domain_list *list = NULL;
  sdrs_error *err = NULL;
  /* an HTML gateway page: ESERVER, the start of the body in the message */
  const char *html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
  stub_answer("502 Bad Gateway", "Content-Type: text/html\r\n", html);
  ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_ESERVER);
  assert_int_equal(sdrs_error_http_status(err), 502);
  assert_int_equal(sdrs_error_retryable(err), 1);
  assert_true(st_contains(sdrs_error_message(err), "502 Bad Gateway"));
  ST_STR(sdrs_error_body(err), html);
  assert_null(sdrs_error_api_code(err));
  sdrs_error_free(err);
  err = NULL;
  /* 2xx with a body that is not JSON, or JSON of the wrong shape: EPROTOCOL */
  const char *bad[] = {"not json at all", "{\"domains\": 5}", "[1,2,3]", "{\"domains\": [", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    stub_answer("200 OK", "Content-Type: application/json\r\n", bad[i]);
    ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_EPROTOCOL);
    assert_null(list);
    assert_int_equal(sdrs_error_http_status(err), 200);
    sdrs_error_free(err);
    err = NULL;
  }
  /* a create answer without job_id */
  stub_answer("200 OK", "", "{\"id\":\"x\"}");
  sdrs_pg_spec *spec = st_spec_new("no-job-id");
  char *job_id = NULL;
  ST_ERR(sdrs_pg_create(&job_id, client, spec, NULL, &err), err, SDRS_EPROTOCOL);
  assert_null(job_id);
  sdrs_error_free(err);
  sdrs_pg_spec_free(spec);
  sdrs_client_free(client);
}

/* ---- connection failure, deadlines, cancel mid-transfer ---- */

static void test_connection_refused(void **state) {
  (void)state;
  /* a port that was free a moment ago and has no listener */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  socklen_t alen = sizeof a;
  assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
  close(fd);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_allow_http(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, url, &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_OK(sdrs_config_set_token(cfg, "t", &err), err);
  sdrs_client *client = NULL;
  ST_OK(sdrs_client_new(&client, cfg, &err), err);
  sdrs_config_free(cfg);
  sdrs_domain_list *list = NULL;
  ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_ETRANSPORT);
  assert_int_equal(sdrs_error_http_status(err), 0);
  assert_int_equal(sdrs_error_retryable(err), 1);
  assert_null(sdrs_error_body(err));
  assert_null(list);
  sdrs_error_free(err);
  sdrs_client_free(client);
}

static void test_call_deadline(void **state) {
  (void)state;
  stub_hang();
  sdrs_client *client = stub_client(NULL, 60000);
  sdrs_error *err = NULL;
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 300, &err), err);
  sdrs_domain_list *list = NULL;
  int64_t t0 = st_now_ms();
  int rc = sdrs_domain_list_get(&list, client, copts, &err);
  int64_t elapsed = st_now_ms() - t0;
  printf("call deadline 300 ms: returned after %lld ms\n", (long long)elapsed);
  ST_ERR(rc, err, SDRS_ETIMEOUT);
  assert_null(list);
  assert_true(elapsed >= 290);
  assert_true(elapsed <= 300 + 1000 * st_time_scale());
  sdrs_error_free(err);
  sdrs_call_opts_free(copts);
  sdrs_client_free(client);
}

static void test_config_timeout(void **state) {
  (void)state;
  stub_hang();
  sdrs_client *client = stub_client(NULL, 300);
  sdrs_error *err = NULL;
  sdrs_domain_list *list = NULL;
  int64_t t0 = st_now_ms();
  int rc = sdrs_domain_list_get(&list, client, NULL, &err);
  int64_t elapsed = st_now_ms() - t0;
  printf("configured timeout 300 ms: returned after %lld ms\n", (long long)elapsed);
  ST_ERR(rc, err, SDRS_ETIMEOUT);
  assert_true(elapsed >= 290);
  assert_true(elapsed <= 300 + 1000 * st_time_scale());
  sdrs_error_free(err);
  sdrs_client_free(client);
}

struct trig {
  sdrs_cancel *cancel;
  int64_t at;
};

static void *trigger_after_200ms(void *arg) {
  struct trig *t = arg;
  st_sleep_ms(200);
  t->at = st_now_ms();
  sdrs_cancel_trigger(t->cancel);
  return NULL;
}

static void test_cancel_mid_transfer(void **state) {
  (void)state;
  stub_hang();
  sdrs_client *client = stub_client(NULL, 60000);
  sdrs_error *err = NULL;
  sdrs_cancel *cancel = NULL;
  sdrs_call_opts *copts = NULL;
  ST_OK(sdrs_cancel_new(&cancel, &err), err);
  ST_OK(sdrs_call_opts_new(&copts, &err), err);
  ST_OK(sdrs_call_opts_set_cancel(copts, cancel, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(copts, 20000, &err), err);
  struct trig t = {cancel, 0};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, trigger_after_200ms, &t), 0);
  sdrs_domain_list *list = NULL;
  int rc = sdrs_domain_list_get(&list, client, copts, &err);
  int64_t returned = st_now_ms();
  assert_int_equal(pthread_join(th, NULL), 0);
  printf("cancel during a transfer: returned %lld ms after the trigger\n",
         (long long)(returned - t.at));
  ST_ERR(rc, err, SDRS_ECANCELED);
  assert_null(list);
  assert_int_equal(stub_requests(), 1);
  assert_true(returned - t.at <= 500 * st_time_scale());
  sdrs_error_free(err);
  sdrs_call_opts_free(copts);
  sdrs_cancel_free(cancel);
  sdrs_client_free(client);
}

/* A job poll answering 503 is retried until the wait's deadline. */
static void test_wait_retries_transient(void **state) {
  (void)state;
  stub_answer("503 Service Unavailable", "", "");
  sdrs_client *client = stub_client(NULL, 10000);
  sdrs_wait_opts *wopts = st_wait_opts_new(500);
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  int64_t t0 = st_now_ms();
  int rc = sdrs_job_wait(&job, client, "0123456789abcdef0123456789abcdef", wopts, &err);
  int64_t elapsed = st_now_ms() - t0;
  ST_ERR(rc, err, SDRS_ETIMEOUT);
  assert_null(job);
  assert_true(stub_requests() >= 2);
  assert_true(sdrs_error_attempts(err) >= 2);
  assert_true(elapsed >= 490 && elapsed <= 500 + 1000 * st_time_scale());
  sdrs_error_free(err);
  err = NULL;

  /* ... while a definite answer (401) ends the wait at once */
  stub_answer("401 Unauthorized", "", "");
  ST_ERR(sdrs_job_wait(&job, client, "0123456789abcdef0123456789abcdef", wopts, &err), err,
         SDRS_EAUTH);
  assert_int_equal(stub_requests(), 1);
  sdrs_error_free(err);
  sdrs_wait_opts_free(wopts);
  sdrs_client_free(client);
}

/* ---- issue 19: one retry classification, unknown outcomes, attempt counts ---- */

#define JOB_ID "0123456789abcdef0123456789abcdef"
#define SDRS_0013 "{\"error\":{\"code\":\"SDRS.0013\",\"message\":\"internal error\"}}"
#define JOB_RUNNING "{\"job_id\":\"" JOB_ID "\",\"job_type\":\"x\",\"status\":\"RUNNING\"}"
#define JOB_SUCCESS \
  "{\"job_id\":\"" JOB_ID "\",\"job_type\":\"x\",\"status\":\"SUCCESS\",\"entities\":{}}"
#define JOB_FAIL                                              \
  "{\"job_id\":\"" JOB_ID                                     \
  "\",\"job_type\":\"x\",\"status\":\"FAIL\",\"error_code\":" \
  "\"SDRS.1014\",\"fail_reason\":\"no\"}"

static int create_on(sdrs_client *client, sdrs_error **err) {
  sdrs_pg_spec *spec = st_spec_new("outcome");
  char *job_id = NULL;
  int rc = sdrs_pg_create(&job_id, client, spec, NULL, err);
  sdrs_string_free(job_id);
  sdrs_pg_spec_free(spec);
  return rc;
}

/* Finding 1: a 500 whose body carries an SDRS code of the "internal" class is a transient poll
 * failure like any 5xx: the wait rides it out until the job answers or the deadline passes. */
static void test_wait_rides_out_500_with_sdrs_code(void **state) {
  (void)state;
  sdrs_client *client = stub_client(NULL, 10000);
  sdrs_wait_opts *wopts = st_wait_opts_new(10000);
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  stub_script(5, "500 Internal Server Error", SDRS_0013, "500 Internal Server Error", SDRS_0013,
              "500 Internal Server Error", SDRS_0013, "500 Internal Server Error", SDRS_0013,
              "200 OK", JOB_SUCCESS);
  ST_OK(sdrs_job_wait(&job, client, JOB_ID, wopts, &err), err);
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_SUCCESS);
  assert_int_equal(stub_requests(), 5);
  sdrs_job_free(job);
  job = NULL;
  sdrs_wait_opts_free(wopts);

  /* Only the deadline ends it; the last poll's answer is in the message. */
  wopts = st_wait_opts_new(400);
  stub_script(1, "500 Internal Server Error", SDRS_0013);
  ST_ERR(sdrs_job_wait(&job, client, JOB_ID, wopts, &err), err, SDRS_ETIMEOUT);
  assert_null(job);
  assert_true(stub_requests() >= 2);
  assert_int_equal(sdrs_error_attempts(err), stub_requests());
  assert_true(st_contains(sdrs_error_message(err), "SDRS.0013"));
  sdrs_error_free(err);
  sdrs_wait_opts_free(wopts);
  sdrs_client_free(client);
}

/* Finding 2: sdrs_error_retryable() says what the library itself decided: 1 exactly when the
 * library retried (or would have, with budget left). */
static void test_retryable_agrees_with_the_library(void **state) {
  (void)state;
  sdrs_client *client = stub_client_attempts(NULL, 10000, 3);
  sdrs_domain_list *list = NULL;
  sdrs_error *err = NULL;
  /* GET + 500 with an internal-class code: retried, so retryable. */
  stub_script(1, "500 Internal Server Error", SDRS_0013);
  ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_ESERVER);
  assert_int_equal(stub_requests(), 3);
  assert_int_equal(sdrs_error_attempts(err), 3);
  assert_int_equal(sdrs_error_retryable(err), 1);
  ST_STR(sdrs_error_api_code(err), "SDRS.0013");
  sdrs_error_free(err);
  err = NULL;
  /* GET + any 5xx (501 too) is transient. */
  stub_script(1, "501 Not Implemented", "");
  ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_ESERVER);
  assert_int_equal(stub_requests(), 3);
  assert_int_equal(sdrs_error_retryable(err), 1);
  sdrs_error_free(err);
  err = NULL;
  /* POST + 500 (empty body, or an SDRS code): not retried, so not retryable. */
  stub_script(1, "500 Internal Server Error", "");
  ST_ERR(create_on(client, &err), err, SDRS_ESERVER);
  assert_int_equal(stub_requests(), 1);
  assert_int_equal(sdrs_error_attempts(err), 1);
  assert_int_equal(sdrs_error_retryable(err), 0);
  sdrs_error_free(err);
  err = NULL;
  stub_script(1, "500 Internal Server Error", SDRS_0013);
  ST_ERR(create_on(client, &err), err, SDRS_ESERVER);
  assert_int_equal(stub_requests(), 1);
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_int_equal(sdrs_error_outcome_unknown(err), 0); /* the service said it failed */
  sdrs_error_free(err);
  err = NULL;
  /* POST + 503: retried (the service refused without acting). */
  stub_script(1, "503 Service Unavailable", SDRS_0013);
  ST_ERR(create_on(client, &err), err, SDRS_ESERVER);
  assert_int_equal(stub_requests(), 3);
  assert_int_equal(sdrs_error_retryable(err), 1);
  assert_int_equal(sdrs_error_outcome_unknown(err), 0);
  sdrs_error_free(err);
  sdrs_client_free(client);
}

/* Finding 3: HTTP 429 is SDRS_ERATELIMIT whatever code the body carries (as 404 is
 * SDRS_ENOTFOUND); the code still goes into the error. */
static void test_429_with_sdrs_code_is_ratelimit(void **state) {
  (void)state;
  sdrs_client *client = stub_client(NULL, 10000);
  sdrs_domain_list *list = NULL;
  sdrs_error *err = NULL;
  stub_script(1, "429 Too Many Requests", SDRS_0013);
  ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_ERATELIMIT);
  assert_int_equal(sdrs_error_http_status(err), 429);
  ST_STR(sdrs_error_api_code(err), "SDRS.0013");
  assert_int_equal(sdrs_error_retryable(err), 1);
  sdrs_error_free(err);
  err = NULL;
  stub_script(1, "429 Too Many Requests", "{\"error\":{\"code\":\"SDRS.0202\",\"message\":\"x\"}}");
  ST_ERR(create_on(client, &err), err, SDRS_ERATELIMIT);
  ST_STR(sdrs_error_api_code(err), "SDRS.0202");
  assert_int_equal(sdrs_error_retryable(err), 1);
  sdrs_error_free(err);
  sdrs_client_free(client);
}

/* Finding 4: a create sent in full that got no answer may have been acted on: the error says
 * so (outcome unknown, not retryable, when it was sent) instead of inviting a second create. */
static void test_lost_create_outcome_unknown(void **state) {
  (void)state;
  sdrs_client *client = stub_client_attempts(NULL, 10000, 4);
  sdrs_error *err = NULL;
  stub_script(1, kStubClose, "");
  int64_t before = (int64_t)time(NULL) * 1000 - 1000;
  ST_ERR(create_on(client, &err), err, SDRS_ETRANSPORT);
  int64_t after = (int64_t)time(NULL) * 1000 + 1000;
  assert_int_equal(stub_requests(), 1); /* never sent twice */
  assert_int_equal(sdrs_error_attempts(err), 1);
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_int_equal(sdrs_error_outcome_unknown(err), 1);
  assert_true(st_contains(sdrs_error_message(err), "may have acted"));
  int64_t sent = sdrs_error_sent_at_ms(err);
  assert_true(sent >= before && sent <= after);
  sdrs_error_free(err);
  err = NULL;

  /* A gateway's 502/504 after the request went through: the upstream may have acted. */
  stub_script(1, "504 Gateway Timeout", "");
  ST_ERR(create_on(client, &err), err, SDRS_ESERVER);
  assert_int_equal(stub_requests(), 1);
  assert_int_equal(sdrs_error_retryable(err), 0);
  assert_int_equal(sdrs_error_outcome_unknown(err), 1);
  assert_true(sdrs_error_sent_at_ms(err) != SDRS_TIME_NONE);
  sdrs_error_free(err);
  err = NULL;

  /* A 2xx whose body cannot be read: the service accepted the create, its answer is lost. */
  stub_script(1, "200 OK", "{\"job_id\":");
  ST_ERR(create_on(client, &err), err, SDRS_EPROTOCOL);
  assert_int_equal(sdrs_error_outcome_unknown(err), 1);
  assert_int_equal(sdrs_error_retryable(err), 0);
  sdrs_error_free(err);
  err = NULL;

  /* The same loss on a GET is retried (idempotent) and the outcome is no question. */
  stub_script(1, kStubClose, "");
  sdrs_domain_list *list = NULL;
  ST_ERR(sdrs_domain_list_get(&list, client, NULL, &err), err, SDRS_ETRANSPORT);
  assert_int_equal(stub_requests(), 4);
  assert_int_equal(sdrs_error_retryable(err), 1);
  assert_int_equal(sdrs_error_outcome_unknown(err), 0);
  assert_true(sdrs_error_sent_at_ms(err) == SDRS_TIME_NONE);
  sdrs_error_free(err);
  sdrs_client_free(client);
}

/* Finding 5 (job part): SDRS_EJOBFAILED reports the polls made and the last poll's status. */
static void test_job_failed_reports_polls(void **state) {
  (void)state;
  sdrs_client *client = stub_client(NULL, 10000);
  sdrs_wait_opts *wopts = st_wait_opts_new(10000);
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  stub_script(3, "200 OK", JOB_RUNNING, "200 OK", JOB_RUNNING, "200 OK", JOB_FAIL);
  ST_ERR(sdrs_job_wait(&job, client, JOB_ID, wopts, &err), err, SDRS_EJOBFAILED);
  assert_int_equal(stub_requests(), 3);
  assert_int_equal(sdrs_error_attempts(err), 3);
  assert_int_equal(sdrs_error_http_status(err), 200);
  ST_STR(sdrs_error_api_code(err), "SDRS.1014");
  sdrs_error_free(err);
  sdrs_job_free(job);
  sdrs_wait_opts_free(wopts);
  sdrs_client_free(client);
}

/* ---- payloads the emulator never sends: sub-jobs, odd values, documented time formats ---- */

static const char kFailedJob[] =
    "{\"job_id\":\"8b1d0e7a2f6c4a90b5e3c7d9a1f20e64\",\"job_type\":\"failoverProtectionGroupNoCG\","
    "\"status\":\"FAIL\",\"begin_time\":\"2024-03-12T14:02:40.003Z\","
    "\"end_time\":\"2024-03-12T14:03:55.871Z\",\"error_code\":\"SDRS.1030\","
    "\"fail_reason\":\"failover of server group failed\",\"entities\":{\"sub_jobs\":[{"
    "\"job_id\":\"8b1d0e7a2f6c4a90b5e3c7d9a1f20e65\",\"job_type\":"
    "\"failoverProtectionGroupRepNoCG\","
    "\"status\":\"FAIL\",\"begin_time\":\"2024-03-12T14:02:41.250Z\",\"end_time\":null,"
    "\"error_code\":\"SDRS.1030\",\"fail_reason\":\"failover of server group failed\","
    "\"entities\":{\"server_group_id\":\"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3\"}}],"
    "\"count\":5,\"flag\":true}}";

static void test_job_payloads(void **state) {
  (void)state;
  sdrs_client *client = stub_client(NULL, 10000);
  sdrs_error *err = NULL;
  sdrs_job *job = NULL;
  const char *id = "8b1d0e7a2f6c4a90b5e3c7d9a1f20e64";
  stub_answer("200 OK", "", kFailedJob);
  ST_OK(sdrs_job_poll(&job, client, id, NULL, &err), err);
  ST_STR(sdrs_job_id(job), id);
  ST_STR(sdrs_job_type(job), "failoverProtectionGroupNoCG");
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_FAIL);
  ST_STR(sdrs_job_begin_time(job), "2024-03-12T14:02:40.003Z");
  assert_true(sdrs_job_begin_time_ms(job) == 1710252160003LL);
  assert_true(sdrs_job_end_time_ms(job) == 1710252235871LL);
  ST_STR(sdrs_job_error_code(job), "SDRS.1030");
  ST_STR(sdrs_job_fail_reason(job), "failover of server group failed");
  /* a parent with sub-jobs carries no server_group_id itself */
  assert_null(sdrs_job_entity(job, "server_group_id"));
  ST_STR(sdrs_job_entity(job, "count"), "5");
  ST_STR(sdrs_job_entity(job, "flag"), "true");
  assert_int_equal(sdrs_job_sub_job_count(job), 1);
  const sdrs_job *sub = sdrs_job_sub_job(job, 0);
  assert_non_null(sub);
  assert_null(sdrs_job_sub_job(job, 1));
  ST_STR(sdrs_job_id(sub), "8b1d0e7a2f6c4a90b5e3c7d9a1f20e65");
  ST_STR(sdrs_job_type(sub), "failoverProtectionGroupRepNoCG");
  assert_int_equal(sdrs_job_status(sub), SDRS_JOB_FAIL);
  assert_null(sdrs_job_end_time(sub));
  assert_true(sdrs_job_end_time_ms(sub) == SDRS_TIME_NONE);
  ST_STR(sdrs_job_entity(sub, "server_group_id"), "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3");
  assert_true(st_contains(sdrs_job_json(sub), "8b1d0e7a2f6c4a90b5e3c7d9a1f20e65"));
  sdrs_job_free(job);
  job = NULL;

  /* waiting on it: EJOBFAILED at the first poll, with the job's code and reason */
  sdrs_wait_opts *wopts = st_wait_opts_new(5000);
  stub_answer("200 OK", "", kFailedJob); /* resets the request counter */
  ST_ERR(sdrs_job_wait(&job, client, id, wopts, &err), err, SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(err), "SDRS.1030");
  ST_STR(sdrs_error_fail_reason(err), "failover of server group failed");
  ST_STR(sdrs_error_job_id(err), id);
  assert_int_equal(stub_requests(), 1);
  assert_non_null(job);
  assert_int_equal(sdrs_job_sub_job_count(job), 1);
  sdrs_error_free(err);
  err = NULL;
  sdrs_job_free(job);
  job = NULL;

  /* a status this library does not know: UNKNOWN with the raw text; the wait keeps polling */
  stub_answer("200 OK", "",
              "{\"job_id\":\"8b1d0e7a2f6c4a90b5e3c7d9a1f20e64\",\"job_type\":\"x\","
              "\"status\":\"PAUSED\",\"begin_time\":\"garbage\",\"entities\":{}}");
  ST_OK(sdrs_job_poll(&job, client, id, NULL, &err), err);
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_UNKNOWN);
  ST_STR(sdrs_job_status_str(job), "PAUSED");
  ST_STR(sdrs_job_begin_time(job), "garbage");
  assert_true(sdrs_job_begin_time_ms(job) == SDRS_TIME_NONE);
  assert_null(sdrs_job_end_time(job));
  assert_null(sdrs_job_error_code(job));
  assert_int_equal(sdrs_job_sub_job_count(job), 0);
  sdrs_job_free(job);
  job = NULL;
  sdrs_wait_opts_free(wopts);
  wopts = st_wait_opts_new(300);
  ST_ERR(sdrs_job_wait(&job, client, id, wopts, &err), err, SDRS_ETIMEOUT);
  assert_true(stub_requests() >= 2);
  sdrs_error_free(err);
  sdrs_wait_opts_free(wopts);
  sdrs_client_free(client);
}

static const char kGroupList[] =
    "{\"count\":2,\"server_groups\":[{\"id\":\"c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3\","
    "\"name\":\"erp-prod-pg\",\"description\":null,\"status\":\"failed-over-back\",\"progress\":"
    "42,\"source_availability_zone\":\"eu-de-01\",\"target_availability_zone\":\"eu-de-02\","
    "\"domain_id\":\"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11\",\"domain_name\":\"dr-domain-a\","
    "\"priority_station\":\"target\",\"protected_instance_num\":3,\"replication_num\":4,"
    "\"disaster_recovery_drill_num\":5,\"protected_status\":\"started\",\"replication_status\":"
    "\"active\",\"health_status\":\"normal\",\"source_vpc_id\":\"vpc-1\",\"target_vpc_id\":"
    "\"vpc-2\",\"test_vpc_id\":\"vpc-3\",\"dr_type\":\"migration\",\"server_type\":\"ECS\","
    "\"created_at\":\"2024-03-11 09:15:02.118\",\"updated_at\":\"2024-03-11 09:15:09.7\","
    "\"protection_type\":\"replication-pair\",\"replication_model\":\"sync\"},"
    "{\"id\":\"g2\",\"name\":\"minimal\",\"status\":\"protected\","
    "\"created_at\":\"2024-03-11T09:15:02.118Z\"}]}";

static void test_group_payloads(void **state) {
  (void)state;
  sdrs_client *client = stub_client(NULL, 10000);
  sdrs_error *err = NULL;
  stub_answer("200 OK", "", kGroupList);
  sdrs_pg_list *list = NULL;
  ST_OK(sdrs_pg_list_get(&list, client, NULL, NULL, &err), err);
  assert_int_equal(sdrs_pg_list_size(list), 2);
  assert_true(sdrs_pg_list_count(list) == 2);
  const sdrs_pg *pg = sdrs_pg_list_at(list, 0);
  ST_STR(sdrs_pg_id(pg), "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3");
  ST_STR(sdrs_pg_name(pg), "erp-prod-pg");
  assert_null(sdrs_pg_description(pg)); /* JSON null */
  /* a status outside the appendix: UNKNOWN, raw text kept */
  assert_int_equal(sdrs_pg_status(pg), SDRS_PG_UNKNOWN);
  ST_STR(sdrs_pg_status_str(pg), "failed-over-back");
  assert_true(sdrs_pg_progress(pg) == 42);
  ST_STR(sdrs_pg_priority_station(pg), "target");
  assert_true(sdrs_pg_protected_instance_num(pg) == 3);
  assert_true(sdrs_pg_replication_num(pg) == 4);
  assert_true(sdrs_pg_disaster_recovery_drill_num(pg) == 5);
  ST_STR(sdrs_pg_protected_status(pg), "started");
  ST_STR(sdrs_pg_replication_status(pg), "active");
  ST_STR(sdrs_pg_health_status(pg), "normal");
  ST_STR(sdrs_pg_source_vpc_id(pg), "vpc-1");
  ST_STR(sdrs_pg_target_vpc_id(pg), "vpc-2");
  ST_STR(sdrs_pg_test_vpc_id(pg), "vpc-3");
  ST_STR(sdrs_pg_protection_type(pg), "replication-pair");
  ST_STR(sdrs_pg_replication_model(pg), "sync");
  ST_STR(sdrs_pg_created_at(pg), "2024-03-11 09:15:02.118");
  assert_true(sdrs_pg_created_at_ms(pg) == 1710148502118LL);
  assert_true(sdrs_pg_updated_at_ms(pg) == 1710148509700LL);

  /* absent fields: NULL strings, -1 numbers, SDRS_TIME_NONE; ISO-8601 accepted too */
  pg = sdrs_pg_list_at(list, 1);
  ST_STR(sdrs_pg_id(pg), "g2");
  assert_int_equal(sdrs_pg_status(pg), SDRS_PG_PROTECTED);
  assert_null(sdrs_pg_description(pg));
  assert_null(sdrs_pg_source_az(pg));
  assert_null(sdrs_pg_domain_name(pg));
  assert_true(sdrs_pg_progress(pg) == -1);
  assert_true(sdrs_pg_replication_num(pg) == -1);
  assert_true(sdrs_pg_created_at_ms(pg) == 1710148502118LL);
  assert_null(sdrs_pg_updated_at(pg));
  assert_true(sdrs_pg_updated_at_ms(pg) == SDRS_TIME_NONE);
  sdrs_pg_list_free(list);

  /* a list without "count" */
  stub_answer("200 OK", "", "{\"server_groups\":[]}");
  ST_OK(sdrs_pg_list_get(&list, client, NULL, NULL, &err), err);
  assert_int_equal(sdrs_pg_list_size(list), 0);
  assert_true(sdrs_pg_list_count(list) == -1);
  sdrs_pg_list_free(list);
  sdrs_client_free(client);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_request_on_the_wire),
      cmocka_unit_test(test_error_mapping),
      cmocka_unit_test(test_bad_bodies),
      cmocka_unit_test(test_connection_refused),
      cmocka_unit_test(test_call_deadline),
      cmocka_unit_test(test_config_timeout),
      cmocka_unit_test(test_cancel_mid_transfer),
      cmocka_unit_test(test_wait_retries_transient),
      cmocka_unit_test(test_job_payloads),
      cmocka_unit_test(test_group_payloads),
      cmocka_unit_test(test_wait_rides_out_500_with_sdrs_code),
      cmocka_unit_test(test_retryable_agrees_with_the_library),
      cmocka_unit_test(test_429_with_sdrs_code_is_ratelimit),
      cmocka_unit_test(test_lost_create_outcome_unknown),
      cmocka_unit_test(test_job_failed_reports_polls),
  };
  st_global_init();
  int rc = cmocka_run_group_tests_name("capi_http", tests, setup, teardown);
  st_global_cleanup();
  return rc;
}
