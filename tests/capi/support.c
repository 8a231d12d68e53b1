#include "support.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int g_port;
static char g_base_url[64];

void st_global_init(void) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "curl_global_init failed\n");
    exit(1);
  }
}

void st_global_cleanup(void) {
  curl_global_cleanup();
}

sdrs_client *g_client;

int st_group_setup(void **state) {
  (void)state;
  st_global_init();
  g_client = st_client_new(NULL);
  return 0;
}

int st_group_teardown(void **state) {
  (void)state;
  sdrs_client_free(g_client);
  g_client = NULL;
  st_global_cleanup();
  return 0;
}

int st_port(void) {
  if (g_port > 0) {
    return g_port;
  }
  const char *path = getenv("SDRS_EMULATOR_PORT_FILE");
  if (path == NULL || path[0] == '\0') {
    fprintf(stderr, "SDRS_EMULATOR_PORT_FILE is not set (run the tests through ctest)\n");
    fail();
  }
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "cannot open port file %s: %s\n", path, strerror(errno));
    fail();
  }
  int port = 0;
  int n = fscanf(f, "%d", &port);
  fclose(f);
  if (n != 1 || port <= 0 || port > 65535) {
    fprintf(stderr, "port file %s has no valid port\n", path);
    fail();
  }
  g_port = port;
  snprintf(g_base_url, sizeof g_base_url, "http://127.0.0.1:%d", port);
  return g_port;
}

const char *st_base_url(void) {
  st_port();
  return g_base_url;
}

void st_print_error(const char *what, const sdrs_error *err) {
  if (err == NULL) {
    fprintf(stderr, "%s: failed, no error handle\n", what);
    return;
  }
  const char *api = sdrs_error_api_code(err);
  const char *body = sdrs_error_body(err);
  fprintf(stderr, "%s: %s (%d): %s [http %d, api %s, attempts %d]\n  body: %.400s\n", what,
          sdrs_error_name(sdrs_error_code(err)), sdrs_error_code(err), sdrs_error_message(err),
          (int)sdrs_error_http_status(err), api ? api : "-", (int)sdrs_error_attempts(err),
          body ? body : "-");
}

sdrs_config *st_config_new(const char *token) {
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  assert_non_null(cfg);
  ST_OK(sdrs_config_set_allow_http(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_endpoint(cfg, st_base_url(), &err), err);
  ST_OK(sdrs_config_set_project_id(cfg, ST_PROJECT_ID, &err), err);
  ST_OK(sdrs_config_set_token(cfg, token ? token : ST_TOKEN, &err), err);
  ST_OK(sdrs_config_set_connect_timeout_ms(cfg, 5000, &err), err);
  ST_OK(sdrs_config_set_timeout_ms(cfg, 20000, &err), err);
  return cfg;
}

sdrs_client *st_client_of(sdrs_config *cfg) {
  sdrs_client *client = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_client_new(&client, cfg, &err), err);
  assert_non_null(client);
  sdrs_config_free(cfg);
  return client;
}

sdrs_client *st_client_new(const char *token) {
  return st_client_of(st_config_new(token));
}

sdrs_config *st_password_config(const char *password) {
  sdrs_config *cfg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_new(&cfg, &err), err);
  ST_OK(sdrs_config_set_allow_http(cfg, 1, &err), err);
  ST_OK(sdrs_config_set_auth_url(cfg, st_base_url(), &err), err);
  ST_OK(sdrs_config_set_username(cfg, ST_USER, &err), err);
  ST_OK(sdrs_config_set_password(cfg, password, &err), err);
  ST_OK(sdrs_config_set_user_domain_name(cfg, ST_DOMAIN, &err), err);
  ST_OK(sdrs_config_set_project_name(cfg, ST_PROJECT_NAME, &err), err);
  return cfg;
}

sdrs_wait_opts *st_wait_opts_new(int64_t timeout_ms) {
  sdrs_wait_opts *opts = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_wait_opts_new(&opts, &err), err);
  ST_OK(sdrs_wait_opts_set_initial_interval_ms(opts, 10, &err), err);
  ST_OK(sdrs_wait_opts_set_max_interval_ms(opts, 50, &err), err);
  ST_OK(sdrs_wait_opts_set_timeout_ms(opts, timeout_ms, &err), err);
  return opts;
}

sdrs_pg_spec *st_spec_new(const char *name) {
  sdrs_pg_spec *spec = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_spec_new(&spec, &err), err);
  ST_OK(sdrs_pg_spec_set_name(spec, name, &err), err);
  ST_OK(sdrs_pg_spec_set_source_az(spec, "eu-de-01", &err), err);
  ST_OK(sdrs_pg_spec_set_target_az(spec, "eu-de-02", &err), err);
  ST_OK(sdrs_pg_spec_set_domain_id(spec, ST_DOMAIN_A, &err), err);
  ST_OK(sdrs_pg_spec_set_source_vpc_id(spec, ST_VPC, &err), err);
  return spec;
}

void st_unique_name(char *buf, size_t size, const char *prefix) {
  static int counter;
  snprintf(buf, size, "%s-%ld-%d", prefix, (long)getpid(), ++counter);
}

sdrs_pg *st_create_group(sdrs_client *client, const char *name) {
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  sdrs_pg *pg = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_create_and_wait(&pg, client, spec, wopts, &err), err);
  assert_non_null(pg);
  sdrs_wait_opts_free(wopts);
  sdrs_pg_spec_free(spec);
  return pg;
}

sdrs_job *st_wait_ok(sdrs_client *client, const char *job_id) {
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  sdrs_job *job = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_job_wait(&job, client, job_id, wopts, &err), err);
  assert_non_null(job);
  assert_int_equal(sdrs_job_status(job), SDRS_JOB_SUCCESS);
  sdrs_wait_opts_free(wopts);
  return job;
}

/* ---- admin endpoints ---- */

struct st_buf {
  char *data;
  size_t len;
};

static size_t st_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata) {
  struct st_buf *b = userdata;
  size_t n = size * nmemb;
  char *p = realloc(b->data, b->len + n + 1);
  if (p == NULL) {
    return 0;
  }
  memcpy(p + b->len, ptr, n);
  b->len += n;
  p[b->len] = '\0';
  b->data = p;
  return n;
}

long st_admin(const char *method, const char *path, const char *body, char **resp) {
  char url[512];
  snprintf(url, sizeof url, "%s%s", st_base_url(), path);
  CURL *h = curl_easy_init();
  assert_non_null(h);
  struct st_buf b = {NULL, 0};
  struct curl_slist *hdrs = NULL;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, st_write_cb);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  if (body != NULL) {
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
  }
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(h);
  if (rc != CURLE_OK) {
    free(b.data);
    fprintf(stderr, "admin %s %s: %s\n", method, path, curl_easy_strerror(rc));
    fail();
  }
  if (resp != NULL) {
    *resp = b.data ? b.data : calloc(1, 1);
  } else {
    free(b.data);
  }
  return status;
}

static void st_admin_ok(const char *method, const char *path, const char *body) {
  char *resp = NULL;
  long status = st_admin(method, path, body, &resp);
  if (status < 200 || status > 299) {
    fprintf(stderr, "admin %s %s -> %ld: %s\n", method, path, status, resp);
  }
  free(resp);
  assert_in_range(status, 200, 299);
}

long long st_stat(const char *field) {
  char *resp = NULL;
  long status = st_admin("GET", "/_emulator/stats", NULL, &resp);
  assert_int_equal(status, 200);
  char key[64];
  snprintf(key, sizeof key, "\"%s\"", field);
  const char *p = strstr(resp, key);
  if (p == NULL) {
    fprintf(stderr, "stats without %s: %s\n", field, resp);
    free(resp);
    fail();
  }
  p += strlen(key);
  while (*p == ' ' || *p == ':' || *p == '\t' || *p == '\n' || *p == '\r') {
    p++;
  }
  char *end = NULL;
  long long v = strtoll(p, &end, 10);
  int ok = end != p;
  free(resp);
  assert_true(ok);
  return v;
}

long long st_json_int(const char *json, const char *field) {
  char key[64];
  snprintf(key, sizeof key, "\"%s\"", field);
  const char *p = json != NULL ? strstr(json, key) : NULL;
  if (p == NULL) {
    fprintf(stderr, "no %s in %s\n", field, json != NULL ? json : "(null)");
    fail();
  }
  p += strlen(key);
  while (*p == ' ' || *p == ':' || *p == '\t' || *p == '\n' || *p == '\r') {
    p++;
  }
  char *end = NULL;
  long long v = strtoll(p, &end, 10);
  assert_true(end != p);
  return v;
}

void st_faults_clear(void) {
  st_admin_ok("DELETE", "/_emulator/faults", NULL);
}

void st_fault_add(const char *json) {
  char *resp = NULL;
  long status = st_admin("POST", "/_emulator/faults", json, &resp);
  if (status != 200) {
    fprintf(stderr, "fault rule %s rejected (%ld): %s\n", json, status, resp);
  }
  free(resp);
  assert_int_equal(status, 200);
}

long long st_faults_hits(void) {
  char *resp = NULL;
  assert_int_equal(st_admin("GET", "/_emulator/faults", NULL, &resp), 200);
  long long total = 0;
  for (const char *p = strstr(resp, "\"hits\""); p != NULL; p = strstr(p + 1, "\"hits\"")) {
    total += st_json_int(p, "hits");
  }
  free(resp);
  return total;
}

long long st_stats_self_delta(void) {
  long long a = st_stat("requests");
  long long b = st_stat("requests");
  return b - a;
}

void st_reset(void) {
  st_admin_ok("POST", "/_emulator/reset", "{}");
}

void st_set_job_times(int init_ms, int run_ms) {
  char body[128];
  snprintf(body, sizeof body, "{\"job_init_ms\": %d, \"job_run_ms\": %d}", init_ms, run_ms);
  st_admin_ok("POST", "/_emulator/config", body);
}

void st_fail_next_jobs(int count, const char *error_code, const char *fail_reason) {
  char body[512];
  snprintf(body, sizeof body, "{\"count\": %d, \"error_code\": \"%s\", \"fail_reason\": \"%s\"}",
           count, error_code, fail_reason);
  st_admin_ok("POST", "/_emulator/fail-next-jobs", body);
}

void st_set_group(const char *id, const char *json) {
  char path[256];
  snprintf(path, sizeof path, "/_emulator/server-groups/%s", id);
  st_admin_ok("PUT", path, json);
}

void st_seed_groups(int count, const char *prefix, const char *status) {
  char body[256];
  snprintf(body, sizeof body, "{\"count\": %d, \"name_prefix\": \"%s\", \"status\": \"%s\"}", count,
           prefix, status);
  st_admin_ok("POST", "/_emulator/seed-groups", body);
}

/* ---- misc ---- */

void st_wait_job(char **job_id, const char *type) {
  sdrs_job *job = st_wait_ok(g_client, *job_id);
  ST_STR(sdrs_job_type(job), type);
  sdrs_job_free(job);
  sdrs_string_free(*job_id);
  *job_id = NULL;
}

void st_expect_api(int rc, sdrs_error **errp, int code, const char *api_code) {
  sdrs_error *err = *errp;
  *errp = NULL;
  ST_ERR(rc, err, code);
  ST_STR(sdrs_error_api_code(err), api_code);
  assert_int_equal(sdrs_error_http_status(err), 400);
  assert_non_null(sdrs_error_request_id(err));
  assert_true(st_contains(sdrs_error_body(err), api_code));
  assert_int_equal(sdrs_error_retryable(err), 0);
  sdrs_error_free(err);
}

void st_fill(char *buf, size_t n, char c) {
  memset(buf, c, n);
  buf[n] = '\0';
}

int64_t st_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void st_sleep_ms(int64_t ms) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)((ms % 1000) * 1000000);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

int64_t st_time_scale(void) {
  const char *s = getenv("SDRS_TEST_TIME_SCALE");
  if (s == NULL || s[0] == '\0') {
    return 1;
  }
  long v = strtol(s, NULL, 10);
  return v >= 1 ? v : 1;
}

int st_is_hex32(const char *s) {
  if (s == NULL || strlen(s) != 32) {
    return 0;
  }
  for (const char *p = s; *p; p++) {
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
      return 0;
    }
  }
  return 1;
}

int st_contains(const char *haystack, const char *needle) {
  return haystack != NULL && needle != NULL && strstr(haystack, needle) != NULL;
}

/* ---- emulator fixtures ---- */

/* The compact JSON of the admin listings is scanned, not parsed: every item is an object that
 * starts with {"id":"..." and holds "key":"value" string members (rapidjson writer output). */
static char *st_admin_listing(const char *path) {
  /* Not a local: GCC 12's -Wdangling-pointer takes the scans of the returned text for uses of
   * the local whose address went to st_admin. Single-threaded use only. */
  static char *slot;
  long status = st_admin("GET", path, NULL, &slot);
  char *resp = slot;
  slot = NULL;
  if (status != 200) {
    fprintf(stderr, "GET %s -> %ld: %s\n", path, status, resp);
  }
  assert_int_equal(status, 200);
  return resp;
}

/* Copies the JSON string value that starts at p (just after the opening quote). */
static char *st_copy_json_string(const char *p) {
  const char *end = strchr(p, '"');
  if (end == NULL) {
    return NULL;
  }
  size_t n = (size_t)(end - p);
  char *out = malloc(n + 1);
  assert_non_null(out);
  memcpy(out, p, n);
  out[n] = '\0';
  return out;
}

/* Offset of the item object whose member `key` equals `value` (first match), or -1. */
static long st_find_item(const char *doc, const char *key, const char *value) {
  char needle[256];
  snprintf(needle, sizeof needle, "\"%s\":\"%s\"", key, value);
  const char *hit = strstr(doc, needle);
  if (hit == NULL) {
    return -1;
  }
  /* The item's own {"id":" is the last one before the match (ids of nested NICs come after
   * the name, and those of earlier items before the item's own). */
  long hit_at = (long)(hit - doc);
  long start = -1;
  for (const char *p = strstr(doc, "{\"id\":\""); p != NULL && (long)(p - doc) <= hit_at;
       p = strstr(p + 1, "{\"id\":\"")) {
    start = (long)(p - doc);
  }
  return start;
}

/* String member `field` of the item starting at item. Scalar members come before any nested
 * object (NICs also start with {"id":"), so the search stops at the next such object. */
static char *st_item_field(const char *item, const char *field) {
  char needle[128];
  snprintf(needle, sizeof needle, "\"%s\":\"", field);
  const char *next = strstr(item + 1, "{\"id\":\"");
  const char *p = strstr(item, needle);
  if (p == NULL || (next != NULL && p > next)) {
    return NULL;
  }
  return st_copy_json_string(p + strlen(needle));
}

static char *st_listing_field(const char *path, const char *key, const char *value,
                              const char *field, int must_exist) {
  char *doc = st_admin_listing(path);
  long at = st_find_item(doc, key, value);
  char *out = at >= 0 ? st_item_field(doc + at, field) : NULL;
  if (out == NULL && must_exist) {
    fprintf(stderr, "%s: no item with %s=%s and a string %s\n", path, key, value, field);
  }
  assert_true(out != NULL || !must_exist);
  free(doc);
  return out;
}

char *st_fixture_server_id(const char *name) {
  return st_listing_field("/_emulator/servers", "name", name, "id", 1);
}

char *st_fixture_volume_id(const char *name) {
  return st_listing_field("/_emulator/volumes", "name", name, "id", 1);
}

char *st_fixture_server_field(const char *name, const char *field) {
  return st_listing_field("/_emulator/servers", "name", name, field, 1);
}

char *st_fixture_volume_field(const char *name, const char *field) {
  return st_listing_field("/_emulator/volumes", "name", name, field, 1);
}

char *st_server_field_by_id(const char *id, const char *field) {
  return st_listing_field("/_emulator/servers", "id", id, field, 0);
}

char *st_volume_field_by_id(const char *id, const char *field) {
  return st_listing_field("/_emulator/volumes", "id", id, field, 0);
}

sdrs_pg *st_create_fixture_group(sdrs_client *client, const char *name) {
  char *vpc = st_fixture_server_field("app-1", "vpc_id");
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_spec_set_source_vpc_id(spec, vpc, &err), err);
  sdrs_wait_opts *wopts = st_wait_opts_new(15000);
  sdrs_pg *pg = NULL;
  ST_OK(sdrs_pg_create_and_wait(&pg, client, spec, wopts, &err), err);
  assert_non_null(pg);
  ST_STR(sdrs_pg_source_vpc_id(pg), vpc);
  sdrs_wait_opts_free(wopts);
  sdrs_pg_spec_free(spec);
  free(vpc);
  return pg;
}

char *st_new_fixture_group(const char *prefix) {
  char name[64];
  st_unique_name(name, sizeof name, prefix);
  sdrs_pg *pg = st_create_fixture_group(g_client, name);
  char *id = strdup(sdrs_pg_id(pg));
  sdrs_pg_free(pg);
  return id;
}

sdrs_pi_spec *st_pi_spec_new(const char *group_id, const char *server_id, const char *name) {
  sdrs_pi_spec *spec = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_spec_new(&spec, &err), err);
  ST_OK(sdrs_pi_spec_set_server_group_id(spec, group_id, &err), err);
  ST_OK(sdrs_pi_spec_set_server_id(spec, server_id, &err), err);
  ST_OK(sdrs_pi_spec_set_name(spec, name, &err), err);
  return spec;
}

sdrs_pair_spec *st_pair_spec_new(const char *group_id, const char *volume_id, const char *name) {
  sdrs_pair_spec *spec = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pair_spec_new(&spec, &err), err);
  ST_OK(sdrs_pair_spec_set_server_group_id(spec, group_id, &err), err);
  ST_OK(sdrs_pair_spec_set_volume_id(spec, volume_id, &err), err);
  ST_OK(sdrs_pair_spec_set_name(spec, name, &err), err);
  return spec;
}

char *st_create_pair(sdrs_client *client, const char *group_id, const char *volume_name,
                     const char *name, const sdrs_wait_opts *wopts) {
  char *vol = st_fixture_volume_id(volume_name);
  sdrs_pair_spec *spec = st_pair_spec_new(group_id, vol, name);
  sdrs_wait_opts *own_wopts = wopts == NULL ? st_wait_opts_new(15000) : NULL;
  sdrs_pair *pair = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pair_create_and_wait(&pair, client, spec, wopts != NULL ? wopts : own_wopts, &err),
        err);
  ST_STR(sdrs_pair_server_group_id(pair), group_id);
  ST_STR(sdrs_pair_production_volume_id(pair), vol);
  char *id = strdup(sdrs_pair_id(pair));
  sdrs_pair_free(pair);
  sdrs_wait_opts_free(own_wopts);
  sdrs_pair_spec_free(spec);
  free(vol);
  return id;
}

void st_delete_pair(sdrs_client *client, char *pair_id) {
  char *job = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pair_delete(&job, client, pair_id, NULL, 0, NULL, &err), err);
  sdrs_job_free(st_wait_ok(client, job));
  sdrs_string_free(job);
  free(pair_id);
}
