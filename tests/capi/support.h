/*
 * Shared helpers of the C API tests: emulator address, clients, admin calls (libcurl),
 * clocks and assertion macros. Every test program includes this after <cmocka.h>.
 */
#ifndef SDRS_TEST_SUPPORT_H
#define SDRS_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <sdrs.h>

/* The project id and token the emulator accepts by default. */
#define ST_PROJECT_ID "0123456789abcdef0123456789abcdef"
#define ST_TOKEN "emulator-token"
#define ST_DOMAIN_A "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11"
#define ST_DOMAIN_B "7a1e9c3d-2b4f-4d6a-8e0c-1f3b5d7a9c2e"
#define ST_VPC "9a0e6c2f-1b4d-4e8a-b3c7-5f2d8e1a0b96"
/* Job durations the fixture starts the emulator with (ms). */
#define ST_JOB_INIT_MS 20
#define ST_JOB_RUN_MS 80

/* Process-wide init/cleanup (curl_global_init); call from main() around the test run. */
void st_global_init(void);
void st_global_cleanup(void);

/* The client most tests share; st_group_setup/st_group_teardown are the cmocka group
 * fixtures that create it (after st_global_init) and free it. */
extern sdrs_client *g_client;
int st_group_setup(void **state);
int st_group_teardown(void **state);

/* Port of the emulator, read from the file named by $SDRS_EMULATOR_PORT_FILE (fails the test
 * when unset or unreadable). */
int st_port(void);
/* "http://127.0.0.1:PORT" (static buffer). */
const char *st_base_url(void);

/* A config for the emulator (allow_http, endpoint, project id, token). token NULL: the right
 * one. */
sdrs_config *st_config_new(const char *token);
/* A client for the emulator; token NULL: the right one. */
sdrs_client *st_client_new(const char *token);
/* A client made from cfg, which it frees. */
sdrs_client *st_client_of(sdrs_config *cfg);

/* The IAM user the test emulators are started with (tests/capi/emulator-ctl.sh). */
#define ST_USER "alice"
#define ST_PASSWORD "alice-Pa55word-x"
#define ST_DOMAIN "emulator-domain"
#define ST_PROJECT_NAME "eu-de_emulator"
/* Password config: IAM URL = the emulator, ST_USER with this password in ST_DOMAIN, project
 * by name; no endpoint and no project id (both come from the token). */
sdrs_config *st_password_config(const char *password);

/* Wait options for fast emulator jobs: 10 ms initial, 50 ms max interval, given deadline. */
sdrs_wait_opts *st_wait_opts_new(int64_t timeout_ms);

/* A complete valid spec (domain A, eu-de-01 -> eu-de-02) with the given name. */
sdrs_pg_spec *st_spec_new(const char *name);
/* A unique, valid group name "<prefix>-<pid>-<n>" (static per call: copy it if needed). */
void st_unique_name(char *buf, size_t size, const char *prefix);
/* Creates a group through sdrs_pg_create_and_wait; fails the test on error. */
sdrs_pg *st_create_group(sdrs_client *client, const char *name);
/* Waits for a job with st_wait_opts_new(15000) and asserts SUCCESS; returns the job. */
sdrs_job *st_wait_ok(sdrs_client *client, const char *job_id);

/* ---- emulator admin endpoints (loopback, plain libcurl) ---- */

/* Sends METHOD path with an optional JSON body; returns the HTTP status, *resp (if not NULL)
 * the malloc'd body. Fails the test on a transport error. */
long st_admin(const char *method, const char *path, const char *body, char **resp);
/* A numeric field of GET /_emulator/stats ("requests", "api_requests", ...). */
long long st_stat(const char *field);
void st_reset(void);
void st_set_job_times(int init_ms, int run_ms);
void st_fail_next_jobs(int count, const char *error_code, const char *fail_reason);
/* PUT /_emulator/server-groups/{id} with a JSON object body. */
void st_set_group(const char *id, const char *json);
void st_seed_groups(int count, const char *prefix, const char *status);

/* ---- emulator fixtures (GET /_emulator/servers, GET /_emulator/volumes): ids only ---- */

/* Id of the production fixture server / the fixture volume with this name (the first one listed:
 * fixtures come before the DR servers and disks the emulator creates, which share the name).
 * Fails the test when there is none. Returns a malloc'd string. */
char *st_fixture_server_id(const char *name);
char *st_fixture_volume_id(const char *name);
/* A string field ("vpc_id", "availability_zone", "status", ...) of the fixture server / volume
 * with this name; malloc'd; fails the test when absent. */
char *st_fixture_server_field(const char *name, const char *field);
char *st_fixture_volume_field(const char *name, const char *field);
/* A string field of the server / volume with this id (DR ones included), NULL when the id is
 * not listed (e.g. a DR server deleted with its instance); malloc'd. */
char *st_server_field_by_id(const char *id, const char *field);
char *st_volume_field_by_id(const char *id, const char *field);

/* A group (sdrs_pg_create_and_wait, public API) in the fixture servers' VPC, so that they can be
 * protected in it: st_spec_new(name) with source_vpc_id = the VPC of fixture server "app-1". */
sdrs_pg *st_create_fixture_group(sdrs_client *client, const char *name);
/* The id (malloc'd) of a new st_create_fixture_group group named "<prefix>-<pid>-<n>", made
 * with g_client. */
char *st_new_fixture_group(const char *prefix);
/* Specs with the required fields set; fail the test on error. */
sdrs_pi_spec *st_pi_spec_new(const char *group_id, const char *server_id, const char *name);
sdrs_pair_spec *st_pair_spec_new(const char *group_id, const char *volume_id, const char *name);
/* A real replication pair (sdrs_pair_create_and_wait, public API) of the fixture disk named
 * volume_name in the group, with this name; fails the test on error and checks the pair's group
 * and production disk. wopts NULL: st_wait_opts_new(15000). Returns the pair id, malloc'd. The
 * disk stays paired until st_delete_pair (or a reset). */
char *st_create_pair(sdrs_client *client, const char *group_id, const char *volume_name,
                     const char *name, const sdrs_wait_opts *wopts);
/* sdrs_pair_delete (delete_target_volume 0: a group at its target site refuses 1) and waits for
 * the job's success; frees pair_id. */
void st_delete_pair(sdrs_client *client, char *pair_id);

/* ---- fault rules (tools/sdrs-emulator README, "Fault injection") ---- */

/* DELETE /_emulator/faults: removes every rule. */
void st_faults_clear(void);
/* POST /_emulator/faults with one rule (a JSON object); fails the test if it is rejected. */
void st_fault_add(const char *json);
/* The sum of "hits" (faults applied) over the rules installed. */
long long st_faults_hits(void);

/* The integer value of "field" in a flat JSON object text (fails the test when absent). */
long long st_json_int(const char *json, const char *field);

/* Request counter helper: how much "requests" grows by a bare stats call (0 or 1). */
long long st_stats_self_delta(void);

/* ---- misc ---- */

/* Waits for *job_id on g_client (SUCCESS, this type), frees it and clears the variable. */
void st_wait_job(char **job_id, const char *type);
/* An SDRS error answered with HTTP 400: rc and the handle carry code, the api code and the body
 * name api_code, a request id is set, not retryable. Reads and frees *errp, clears it. */
void st_expect_api(int rc, sdrs_error **errp, int code, const char *api_code);
/* n copies of c and a terminating NUL (buf holds n + 1). */
void st_fill(char *buf, size_t n, char c);

int64_t st_now_ms(void);
void st_sleep_ms(int64_t ms);
/* Multiplier for timing margins (env SDRS_TEST_TIME_SCALE, default 1; valgrind runs use more). */
int64_t st_time_scale(void);
/* 1 when s is 32 lowercase hex digits. */
int st_is_hex32(const char *s);
/* 1 when haystack contains needle (NULL haystack: 0). */
int st_contains(const char *haystack, const char *needle);

/* Prints an error handle to stderr (for diagnosing failures). */
void st_print_error(const char *what, const sdrs_error *err);

/* rc must be 0; otherwise print err and fail. Frees err on failure. */
#define ST_OK(rc, err)            \
  do {                            \
    int st_rc_ = (rc);            \
    if (st_rc_ != 0) {            \
      st_print_error(#rc, (err)); \
    }                             \
    assert_int_equal(st_rc_, 0);  \
  } while (0)

/* rc must equal code and err must carry the same code and a non-empty message. err stays
 * allocated (the caller checks more and frees it). */
#define ST_ERR(rc, err, code)                                              \
  do {                                                                     \
    int st_rc_ = (rc);                                                     \
    if (st_rc_ != (code)) {                                                \
      fprintf(stderr, "expected %s, got %s (%d)\n", sdrs_error_name(code), \
              sdrs_error_name(st_rc_), st_rc_);                            \
      st_print_error(#rc, (err));                                          \
    }                                                                      \
    assert_int_equal(st_rc_, (code));                                      \
    assert_non_null(err);                                                  \
    assert_int_equal(sdrs_error_code(err), (code));                        \
    assert_non_null(sdrs_error_message(err));                              \
    assert_true(sdrs_error_message(err)[0] != '\0');                       \
  } while (0)

/* Like ST_ERR, and the message must contain `field`; frees err. */
#define ST_ERR_FIELD(rc, err, code, field)                                                        \
  do {                                                                                            \
    ST_ERR(rc, err, code);                                                                        \
    if (!st_contains(sdrs_error_message(err), (field))) {                                         \
      fprintf(stderr, "message \"%s\" does not name \"%s\"\n", sdrs_error_message(err), (field)); \
    }                                                                                             \
    assert_true(st_contains(sdrs_error_message(err), (field)));                                   \
    sdrs_error_free(err);                                                                         \
    (err) = NULL;                                                                                 \
  } while (0)

/* SDRS_EINVAL with an error handle; frees it. */
#define ST_EINVAL(rc, err)        \
  do {                            \
    ST_ERR(rc, err, SDRS_EINVAL); \
    sdrs_error_free(err);         \
    (err) = NULL;                 \
  } while (0)

/* Compares two C strings, both possibly NULL-checked first for a clearer failure. */
#define ST_STR(actual, expected)            \
  do {                                      \
    const char *st_a_ = (actual);           \
    assert_non_null(st_a_);                 \
    assert_string_equal(st_a_, (expected)); \
  } while (0)

#endif /* SDRS_TEST_SUPPORT_H */
