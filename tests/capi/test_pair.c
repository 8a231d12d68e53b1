/*
 * Replication pairs (sdrs/pair.h): argument checks, every validation rule (no request sent),
 * the documented preconditions with their SDRS codes (spec-more 4, 10), job failure, expand,
 * rename, lenient decoding of record_metadata.volume_size, lists, filters and the iterator.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#define MISSING_ID "00000000-0000-0000-0000-000000000000"

static sdrs_wait_opts *g_wait;

static void delete_pair(const char *id) {
  char *job = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pair_delete(&job, g_client, id, NULL, 1, NULL, &err), err);
  st_wait_job(&job, "deleteReplicationPairNoCG");
}

static sdrs_pair *get_pair(const char *id) {
  sdrs_pair *p = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pair_get(&p, g_client, id, NULL, &err), err);
  return p;
}

static void group_action(const char *gid, const char *what) {
  char *job = NULL;
  sdrs_error *err = NULL;
  if (strcmp(what, "enable") == 0) {
    ST_OK(sdrs_pg_enable(&job, g_client, gid, NULL, &err), err);
  } else if (strcmp(what, "failover") == 0) {
    ST_OK(sdrs_pg_failover(&job, g_client, gid, NULL, &err), err);
  } else {
    ST_OK(sdrs_pg_disable(&job, g_client, gid, NULL, &err), err);
  }
  sdrs_job_free(st_wait_ok(g_client, job));
  sdrs_string_free(job);
}

/* ---- argument checks ---- */

static void test_null_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pair_spec *spec = NULL;
  ST_EINVAL(sdrs_pair_spec_new(NULL, &err), err);
  ST_EINVAL(sdrs_pair_spec_set_server_group_id(NULL, "g", &err), err);
  ST_EINVAL(sdrs_pair_spec_set_volume_id(NULL, "v", &err), err);
  ST_EINVAL(sdrs_pair_spec_set_name(NULL, "n", &err), err);
  ST_EINVAL(sdrs_pair_spec_set_description(NULL, "d", &err), err);
  ST_EINVAL(sdrs_pair_spec_set_cluster_id(NULL, "c", &err), err);
  ST_OK(sdrs_pair_spec_new(&spec, &err), err);
  ST_EINVAL(sdrs_pair_spec_set_server_group_id(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pair_spec_set_volume_id(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pair_spec_set_name(spec, NULL, &err), err);
  /* optional fields: NULL clears */
  ST_OK(sdrs_pair_spec_set_description(spec, NULL, &err), err);
  ST_OK(sdrs_pair_spec_set_cluster_id(spec, NULL, &err), err);

  char *job = NULL;
  sdrs_pair *p = NULL;
  ST_EINVAL(sdrs_pair_create(NULL, g_client, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pair_create(&job, NULL, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pair_create(&job, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pair_create_and_wait(NULL, g_client, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pair_create_and_wait(&p, NULL, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pair_create_and_wait(&p, g_client, NULL, NULL, &err), err);
  sdrs_pair_spec_free(spec);

  const char *id = MISSING_ID;
  ST_EINVAL(sdrs_pair_get(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_pair_get(&p, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pair_get(&p, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pair_rename(NULL, g_client, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pair_rename(&p, NULL, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pair_rename(&p, g_client, NULL, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pair_rename(&p, g_client, id, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pair_delete(NULL, g_client, id, NULL, 0, NULL, &err), err);
  ST_EINVAL(sdrs_pair_delete(&job, NULL, id, NULL, 0, NULL, &err), err);
  ST_EINVAL(sdrs_pair_delete(&job, g_client, NULL, NULL, 0, NULL, &err), err);
  ST_EINVAL(sdrs_pair_expand(NULL, g_client, id, 10, NULL, &err), err);
  ST_EINVAL(sdrs_pair_expand(&job, NULL, id, 10, NULL, &err), err);
  ST_EINVAL(sdrs_pair_expand(&job, g_client, NULL, 10, NULL, &err), err);
  assert_null(job);
  assert_null(p);

  sdrs_pair_list_opts *o = NULL;
  sdrs_pair_list *list = NULL;
  sdrs_pair_iter *it = NULL;
  const sdrs_pair *item = NULL;
  ST_EINVAL(sdrs_pair_list_opts_new(NULL, &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_limit(NULL, 1, &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_offset(NULL, 1, &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_server_group_id(NULL, "g", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_add_server_group_id(NULL, "g", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_instance_id(NULL, "i", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_add_instance_id(NULL, "i", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_name(NULL, "n", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_status(NULL, "available", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_query_type(NULL, "general", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_availability_zone(NULL, "eu-de-01", &err), err);
  ST_EINVAL(sdrs_pair_list_opts_set_volume_id(NULL, "v", &err), err);
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_EINVAL(sdrs_pair_list_opts_add_server_group_id(o, NULL, &err), err);
  ST_EINVAL(sdrs_pair_list_opts_add_instance_id(o, NULL, &err), err);
  ST_EINVAL(sdrs_pair_list_get(NULL, g_client, o, NULL, &err), err);
  ST_EINVAL(sdrs_pair_list_get(&list, NULL, o, NULL, &err), err);
  ST_EINVAL(sdrs_pair_iter_new(NULL, g_client, o, &err), err);
  ST_EINVAL(sdrs_pair_iter_new(&it, NULL, o, &err), err);
  ST_EINVAL(sdrs_pair_iter_next(&item, NULL, NULL, &err), err);
  ST_OK(sdrs_pair_iter_new(&it, g_client, o, &err), err);
  ST_EINVAL(sdrs_pair_iter_next(NULL, it, NULL, &err), err);
  sdrs_pair_iter_free(it);
  sdrs_pair_list_opts_free(o);
  assert_null(list);

  /* NULL handles: getters answer NULL/-1/0, frees are no-ops */
  assert_null(sdrs_pair_id(NULL));
  assert_null(sdrs_pair_volume_ids(NULL));
  assert_int_equal(sdrs_pair_volume_id_count(NULL), 0);
  assert_int_equal(sdrs_pair_attachment_count(NULL), 0);
  assert_int_equal(sdrs_pair_list_size(NULL), 0);
  assert_null(sdrs_pair_list_at(NULL, 0));
  ST_STR(sdrs_pair_status_name(SDRS_PAIR_ERROR_ATTACHING), "error-attaching");
  ST_STR(sdrs_pair_status_name(SDRS_PAIR_EXTENDING), "extending");
  ST_STR(sdrs_pair_status_name(999), "unknown");
  sdrs_pair_free(NULL);
  sdrs_pair_list_free(NULL);
  sdrs_pair_spec_free(NULL);
  sdrs_pair_list_opts_free(NULL);
  sdrs_pair_iter_free(NULL);
  /* err NULL: code only */
  assert_int_equal(sdrs_pair_get(&p, NULL, id, NULL, NULL), SDRS_EINVAL);
}

/* ---- validation: nothing reaches the emulator ---- */

static void test_spec_validation(void **state) {
  (void)state;
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  sdrs_error *err = NULL;
  sdrs_pair_spec *spec = NULL;
  char buf[300];
  ST_OK(sdrs_pair_spec_new(&spec, &err), err);

  /* name: 1..64 bytes of A-Z a-z 0-9 . _ - */
  st_fill(buf, 64, 'n');
  ST_OK(sdrs_pair_spec_set_name(spec, buf, &err), err);
  st_fill(buf, 65, 'n');
  ST_ERR_FIELD(sdrs_pair_spec_set_name(spec, buf, &err), err, SDRS_EVALIDATION, "name");
  const char *bad_names[] = {"", "a b", "a/b", "a<b", "caf\xc3\xa9", "x;y"};
  for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
    ST_ERR_FIELD(sdrs_pair_spec_set_name(spec, bad_names[i], &err), err, SDRS_EVALIDATION, "name");
  }
  /* description: at most 64 bytes, no < > */
  st_fill(buf, 64, 'd');
  ST_OK(sdrs_pair_spec_set_description(spec, buf, &err), err);
  st_fill(buf, 65, 'd');
  ST_ERR_FIELD(sdrs_pair_spec_set_description(spec, buf, &err), err, SDRS_EVALIDATION,
               "description");
  ST_ERR_FIELD(sdrs_pair_spec_set_description(spec, "a<b", &err), err, SDRS_EVALIDATION,
               "description");
  ST_ERR_FIELD(sdrs_pair_spec_set_description(spec, "a>b", &err), err, SDRS_EVALIDATION,
               "description");
  /* required ids and the cluster id are non-empty */
  ST_ERR_FIELD(sdrs_pair_spec_set_server_group_id(spec, "", &err), err, SDRS_EVALIDATION,
               "server_group_id");
  ST_ERR_FIELD(sdrs_pair_spec_set_volume_id(spec, "", &err), err, SDRS_EVALIDATION, "volume_id");
  ST_ERR_FIELD(sdrs_pair_spec_set_cluster_id(spec, "", &err), err, SDRS_EVALIDATION, "cluster_id");
  sdrs_pair_spec_free(spec);

  /* create: each required field missing */
  const char *fields[] = {"server_group_id", "volume_id", "name"};
  for (size_t skip = 0; skip < 3; skip++) {
    ST_OK(sdrs_pair_spec_new(&spec, &err), err);
    if (skip != 0) {
      ST_OK(sdrs_pair_spec_set_server_group_id(spec, MISSING_ID, &err), err);
    }
    if (skip != 1) {
      ST_OK(sdrs_pair_spec_set_volume_id(spec, MISSING_ID, &err), err);
    }
    if (skip != 2) {
      ST_OK(sdrs_pair_spec_set_name(spec, "missing", &err), err);
    }
    char *job = NULL;
    ST_ERR_FIELD(sdrs_pair_create(&job, g_client, spec, NULL, &err), err, SDRS_EVALIDATION,
                 fields[skip]);
    assert_null(job);
    sdrs_pair *p = NULL;
    ST_ERR_FIELD(sdrs_pair_create_and_wait(&p, g_client, spec, NULL, &err), err, SDRS_EVALIDATION,
                 fields[skip]);
    assert_null(p);
    sdrs_pair_spec_free(spec);
  }
  assert_int_equal(st_stat("requests") - before, self);
}

static void test_call_validation(void **state) {
  (void)state;
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  sdrs_error *err = NULL;
  sdrs_pair *p = NULL;
  char *job = NULL;
  char long_id[140];
  st_fill(long_id, 129, 'p');
  /* replication ids in paths: one segment */
  const char *bad_ids[] = {"",    "a/b", "..",   "../jobs", "a b",
                           "a?b", "a#b", "a%2f", "a\x01",   long_id};
  for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
    const char *id = bad_ids[i];
    ST_ERR_FIELD(sdrs_pair_get(&p, g_client, id, NULL, &err), err, SDRS_EVALIDATION,
                 "replication_id");
    ST_ERR_FIELD(sdrs_pair_rename(&p, g_client, id, "new-name", NULL, &err), err, SDRS_EVALIDATION,
                 "replication_id");
    ST_ERR_FIELD(sdrs_pair_delete(&job, g_client, id, NULL, 0, NULL, &err), err, SDRS_EVALIDATION,
                 "replication_id");
    ST_ERR_FIELD(sdrs_pair_expand(&job, g_client, id, 100, NULL, &err), err, SDRS_EVALIDATION,
                 "replication_id");
  }
  /* rename: the name rule */
  char name65[70];
  st_fill(name65, 65, 'r');
  const char *bad_names[] = {name65, "", "two words", "a/b"};
  for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
    ST_ERR_FIELD(sdrs_pair_rename(&p, g_client, MISSING_ID, bad_names[i], NULL, &err), err,
                 SDRS_EVALIDATION, "name");
  }
  /* delete: a group id given must not be empty */
  ST_ERR_FIELD(sdrs_pair_delete(&job, g_client, MISSING_ID, "", 0, NULL, &err), err,
               SDRS_EVALIDATION, "server_group_id");
  /* expand: a whole number of GB in 1..32768 */
  const int64_t bad_sizes[] = {0, -1, 32769, INT64_MAX, INT64_MIN};
  for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
    ST_ERR_FIELD(sdrs_pair_expand(&job, g_client, MISSING_ID, bad_sizes[i], NULL, &err), err,
                 SDRS_EVALIDATION, "new_size");
  }
  assert_null(p);
  assert_null(job);
  assert_int_equal(st_stat("requests") - before, self);
}

static void test_list_opts_validation(void **state) {
  (void)state;
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  sdrs_error *err = NULL;
  sdrs_pair_list_opts *o = NULL;
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_limit(o, 1, &err), err);
  ST_OK(sdrs_pair_list_opts_set_limit(o, 1000, &err), err);
  ST_ERR_FIELD(sdrs_pair_list_opts_set_limit(o, 0, &err), err, SDRS_EVALIDATION, "limit");
  ST_ERR_FIELD(sdrs_pair_list_opts_set_limit(o, 1001, &err), err, SDRS_EVALIDATION, "limit");
  ST_ERR_FIELD(sdrs_pair_list_opts_set_limit(o, -1, &err), err, SDRS_EVALIDATION, "limit");
  ST_OK(sdrs_pair_list_opts_set_offset(o, 0, &err), err);
  ST_ERR_FIELD(sdrs_pair_list_opts_set_offset(o, -1, &err), err, SDRS_EVALIDATION, "offset");
  ST_ERR_FIELD(sdrs_pair_list_opts_set_query_type(o, "abnormal", &err), err, SDRS_EVALIDATION,
               "query_type");
  ST_ERR_FIELD(sdrs_pair_list_opts_set_status(o, "not a status", &err), err, SDRS_EVALIDATION,
               "status");
  /* ids: one path-safe token each, no list syntax, at most 30 per list */
  ST_ERR_FIELD(sdrs_pair_list_opts_add_server_group_id(o, "", &err), err, SDRS_EVALIDATION,
               "server_group_ids");
  ST_ERR_FIELD(sdrs_pair_list_opts_add_server_group_id(o, "a\",\"b", &err), err, SDRS_EVALIDATION,
               "server_group_ids");
  ST_ERR_FIELD(sdrs_pair_list_opts_add_instance_id(o, "a,b", &err), err, SDRS_EVALIDATION,
               "protected_instance_ids");
  ST_ERR_FIELD(sdrs_pair_list_opts_add_instance_id(o, "[x]", &err), err, SDRS_EVALIDATION,
               "protected_instance_ids");
  char id[40];
  for (int i = 0; i < 30; i++) {
    snprintf(id, sizeof id, "group-%02d", i);
    ST_OK(sdrs_pair_list_opts_add_server_group_id(o, id, &err), err);
    snprintf(id, sizeof id, "instance-%02d", i);
    ST_OK(sdrs_pair_list_opts_add_instance_id(o, id, &err), err);
  }
  ST_ERR_FIELD(sdrs_pair_list_opts_add_server_group_id(o, "group-30", &err), err, SDRS_EVALIDATION,
               "server_group_ids");
  ST_ERR_FIELD(sdrs_pair_list_opts_add_instance_id(o, "instance-30", &err), err, SDRS_EVALIDATION,
               "protected_instance_ids");
  sdrs_pair_list_opts_free(o);
  assert_int_equal(st_stat("requests") - before, self);
}

/* ---- preconditions (spec-more 4.1, 4.5, 4.6, 10) ---- */

static void test_create_preconditions(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pair-pre");
  sdrs_error *err = NULL;
  char *job = NULL;
  char *vol = st_fixture_volume_id("data-1");

  /* unknown group */
  sdrs_pair_spec *spec = st_pair_spec_new(MISSING_ID, vol, "pair-pre");
  st_expect_api(sdrs_pair_create(&job, g_client, spec, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1013");
  sdrs_pair_spec_free(spec);
  /* unknown disk */
  spec = st_pair_spec_new(gid, MISSING_ID, "pair-pre");
  st_expect_api(sdrs_pair_create(&job, g_client, spec, NULL, &err), &err, SDRS_EREQUEST,
                "SDRS.0211");
  sdrs_pair_spec_free(spec);
  /* disks that cannot be paired */
  struct {
    const char *volume;
    int code;
    const char *api;
  } cases[] = {
      {"data-encrypted", SDRS_EREQUEST, "SDRS.1802"}, /* encrypted */
      {"data-wrong-az", SDRS_EREQUEST, "SDRS.1810"},  /* other AZ than the production one */
      {"data-error", SDRS_ECONFLICT, "SDRS.1801"},    /* status error */
      {"app-3-data", SDRS_ECONFLICT, "SDRS.1801"},    /* in-use (attached to a server) */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *v = st_fixture_volume_id(cases[i].volume);
    spec = st_pair_spec_new(gid, v, "pair-pre");
    st_expect_api(sdrs_pair_create(&job, g_client, spec, NULL, &err), &err, cases[i].code,
                  cases[i].api);
    sdrs_pair_spec_free(spec);
    free(v);
  }
  /* a disk already paired */
  char *pid = st_create_pair(g_client, gid, "data-1", "pair-pre-1", g_wait);
  spec = st_pair_spec_new(gid, vol, "pair-pre-2");
  st_expect_api(sdrs_pair_create(&job, g_client, spec, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1811");
  sdrs_pair_spec_free(spec);
  /* group neither available nor protected (a transitional status) */
  char *vol2 = st_fixture_volume_id("data-2");
  st_set_group(gid, "{\"status\": \"starting\"}");
  spec = st_pair_spec_new(gid, vol2, "pair-pre-3");
  st_expect_api(sdrs_pair_create(&job, g_client, spec, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1024");
  sdrs_pair_spec_free(spec);
  assert_null(job);
  st_set_group(gid, "{\"status\": \"available\"}");

  delete_pair(pid);
  free(pid);
  free(vol2);
  free(vol);
  free(gid);
}

static void test_not_found(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pair *p = NULL;
  char *job = NULL;
  st_expect_api(sdrs_pair_get(&p, g_client, MISSING_ID, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1608");
  st_expect_api(sdrs_pair_rename(&p, g_client, MISSING_ID, "x", NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1608");
  st_expect_api(sdrs_pair_delete(&job, g_client, MISSING_ID, NULL, 0, NULL, &err), &err,
                SDRS_ENOTFOUND, "SDRS.1608");
  st_expect_api(sdrs_pair_expand(&job, g_client, MISSING_ID, 100, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1608");
  assert_null(p);
  assert_null(job);
}

static void test_delete_preconditions(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pair-del");
  char *other = st_new_fixture_group("pair-del-other");
  sdrs_error *err = NULL;
  char *job = NULL;
  char *pid = st_create_pair(g_client, gid, "data-1", "pair-del", g_wait);

  /* the group named in the body is not the pair's */
  st_expect_api(sdrs_pair_delete(&job, g_client, pid, other, 0, NULL, &err), &err, SDRS_EREQUEST,
                "SDRS.1611");
  /* group in a status that forbids deleting pairs */
  st_set_group(gid, "{\"status\": \"stopping\"}");
  st_expect_api(sdrs_pair_delete(&job, g_client, pid, gid, 0, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1002");
  st_set_group(gid, "{\"status\": \"available\"}");

  /* pair in a transient status (creating) */
  st_set_job_times(300, 700);
  char *vol2 = st_fixture_volume_id("data-2");
  sdrs_pair_spec *spec = st_pair_spec_new(gid, vol2, "pair-del-creating");
  char *create_job = NULL;
  ST_OK(sdrs_pair_create(&create_job, g_client, spec, NULL, &err), err);
  sdrs_job *j = NULL;
  ST_OK(sdrs_job_poll(&j, g_client, create_job, NULL, &err), err);
  const char *creating_id = sdrs_job_entity(j, "replication_pair_id");
  char *creating = NULL;
  if (creating_id == NULL) {
    /* the entity may only come with SUCCESS: find it by name */
    sdrs_pair_list_opts *o = NULL;
    ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
    ST_OK(sdrs_pair_list_opts_set_name(o, "pair-del-creating", &err), err);
    sdrs_pair_list *l = NULL;
    ST_OK(sdrs_pair_list_get(&l, g_client, o, NULL, &err), err);
    assert_int_equal(sdrs_pair_list_size(l), 1);
    creating = strdup(sdrs_pair_id(sdrs_pair_list_at(l, 0)));
    assert_int_equal(sdrs_pair_status(sdrs_pair_list_at(l, 0)), SDRS_PAIR_CREATING);
    sdrs_pair_list_free(l);
    sdrs_pair_list_opts_free(o);
  } else {
    creating = strdup(creating_id);
  }
  sdrs_job_free(j);
  st_expect_api(sdrs_pair_delete(&job, g_client, creating, NULL, 0, NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.0214");
  /* and expanding it */
  st_expect_api(sdrs_pair_expand(&job, g_client, creating, 100, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.0214");
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  sdrs_job_free(st_wait_ok(g_client, create_job));
  sdrs_string_free(create_job);
  sdrs_pair_spec_free(spec);

  /* sites switched: the DR-site disk may not be deleted (SDRS.1809), the pair may */
  group_action(gid, "enable");
  group_action(gid, "failover");
  sdrs_pair *p = get_pair(pid);
  assert_int_equal(sdrs_pair_status(p), SDRS_PAIR_FAILED_OVER);
  ST_STR(sdrs_pair_priority_station(p), "target");
  sdrs_pair_free(p);
  /* failed-over: no expand */
  st_expect_api(sdrs_pair_expand(&job, g_client, pid, 200, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.0214");
  st_expect_api(sdrs_pair_delete(&job, g_client, pid, gid, 1, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1809");
  assert_null(job);
  ST_OK(sdrs_pair_delete(&job, g_client, pid, gid, 0, NULL, &err), err);
  st_wait_job(&job, "deleteReplicationPairNoCG");
  ST_OK(sdrs_pair_delete(&job, g_client, creating, NULL, 0, NULL, &err), err);
  st_wait_job(&job, "deleteReplicationPairNoCG");
  p = NULL;
  st_expect_api(sdrs_pair_get(&p, g_client, pid, NULL, &err), &err, SDRS_ENOTFOUND, "SDRS.1608");

  free(creating);
  free(vol2);
  free(pid);
  free(other);
  free(gid);
}

/* An attached pair cannot be deleted (spec-more 4.5): a shared disk attached to an instance. */
static void test_delete_attached(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pair-att");
  sdrs_error *err = NULL;
  char *job = NULL;
  char *server = st_fixture_server_id("db-1");
  sdrs_pi_spec *ps = st_pi_spec_new(gid, server, "pair-att-db");
  sdrs_pi *pi = NULL;
  ST_OK(sdrs_pi_create_and_wait(&pi, g_client, ps, g_wait, &err), err);
  sdrs_pi_spec_free(ps);
  /* the instance's own pairs are attached */
  const char *own = sdrs_pi_attachment_replication_id(pi, 1);
  st_expect_api(sdrs_pair_delete(&job, g_client, own, NULL, 0, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1605");
  /* a shared pair attached, then in use: no online expand of a shared disk (SDRS.1818) */
  char *pid = st_create_pair(g_client, gid, "shared-2", "pair-att-shared", g_wait);
  ST_OK(sdrs_pi_attach(&job, g_client, sdrs_pi_id(pi), pid, "/dev/vdc", NULL, &err), err);
  st_wait_job(&job, "attachReplicationPairNew");
  st_expect_api(sdrs_pair_delete(&job, g_client, pid, gid, 1, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1605");
  st_expect_api(sdrs_pair_expand(&job, g_client, pid, 100, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1818");
  assert_null(job);
  /* a non-shared attached pair grows online */
  ST_OK(sdrs_pair_expand(&job, g_client, own, 250, NULL, &err), err);
  st_wait_job(&job, "expandReplicationPairNew");
  sdrs_pair *p = get_pair(own);
  assert_int_equal(sdrs_pair_volume_size_gb(p), 250);
  sdrs_pair_free(p);

  /* teardown: instance (its pairs go or stay), then every pair left, then the group */
  ST_OK(sdrs_pi_delete(&job, g_client, sdrs_pi_id(pi), 1, 0, NULL, &err), err);
  st_wait_job(&job, "deleteProtectedInstanceNoCG");
  sdrs_pair_list_opts *o = NULL;
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, gid, &err), err);
  sdrs_pair_list *l = NULL;
  ST_OK(sdrs_pair_list_get(&l, g_client, o, NULL, &err), err);
  for (size_t i = 0; i < sdrs_pair_list_size(l); i++) {
    delete_pair(sdrs_pair_id(sdrs_pair_list_at(l, i)));
  }
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);
  sdrs_pi_free(pi);
  free(pid);
  free(server);
  free(gid);
}

/* ---- expand, rename, lenient volume_size ---- */

static void test_expand_and_rename(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pair-exp");
  sdrs_error *err = NULL;
  char *job = NULL;
  char *pid = st_create_pair(g_client, gid, "data-2", "pair-exp", g_wait);
  sdrs_pair *p = get_pair(pid);
  assert_int_equal(sdrs_pair_volume_size_gb(p), 30);
  ST_STR(sdrs_pair_volume_type(p), "SAS");
  sdrs_pair_free(p);

  /* not larger than now: refused by the service */
  st_expect_api(sdrs_pair_expand(&job, g_client, pid, 30, NULL, &err), &err, SDRS_EREQUEST,
                "SDRS.0201");
  st_expect_api(sdrs_pair_expand(&job, g_client, pid, 20, NULL, &err), &err, SDRS_EREQUEST,
                "SDRS.0201");
  assert_null(job);
  /* larger: both disks grow */
  ST_OK(sdrs_pair_expand(&job, g_client, pid, 32768, NULL, &err), err);
  sdrs_job *j = st_wait_ok(g_client, job);
  ST_STR(sdrs_job_type(j), "expandReplicationPairNew");
  ST_STR(sdrs_job_entity(j, "replication_pair_id"), pid);
  ST_STR(sdrs_job_entity(j, "server_group_id"), gid);
  sdrs_job_free(j);
  sdrs_string_free(job);
  p = get_pair(pid);
  assert_int_equal(sdrs_pair_volume_size_gb(p), 32768);
  assert_int_equal(sdrs_pair_status(p), SDRS_PAIR_AVAILABLE);
  sdrs_pair_free(p);

  /* rename (synchronous) returns the renamed pair */
  char newname[64];
  st_unique_name(newname, sizeof newname, "pair-renamed");
  p = NULL;
  ST_OK(sdrs_pair_rename(&p, g_client, pid, newname, NULL, &err), err);
  ST_STR(sdrs_pair_id(p), pid);
  ST_STR(sdrs_pair_name(p), newname);
  sdrs_pair_free(p);
  p = get_pair(pid);
  ST_STR(sdrs_pair_name(p), newname);
  sdrs_pair_free(p);

  /* record_metadata.volume_size sent as a string ("32768") reads the same */
  char *resp = NULL;
  assert_int_equal(
      st_admin("POST", "/_emulator/config", "{\"volume_size_as_string\": true}", &resp), 200);
  free(resp);
  p = get_pair(pid);
  assert_true(st_contains(sdrs_pair_json(p), "\"volume_size\":\"32768\""));
  assert_int_equal(sdrs_pair_volume_size_gb(p), 32768);
  sdrs_pair_free(p);
  assert_int_equal(
      st_admin("POST", "/_emulator/config", "{\"volume_size_as_string\": false}", &resp), 200);
  free(resp);

  delete_pair(pid);
  free(pid);
  free(gid);
}

/* A failed create: SDRS_EJOBFAILED, the pair in "error" with failure_detail (spec-more 4.1). */
static void test_create_job_failure(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pair-fail");
  sdrs_error *err = NULL;
  char *vol = st_fixture_volume_id("data-1");
  sdrs_pair_spec *spec = st_pair_spec_new(gid, vol, "pair-fail");
  ST_OK(sdrs_pair_spec_set_description(spec, "fails", &err), err);
  ST_OK(sdrs_pair_spec_set_cluster_id(spec, "cluster-0001", &err), err);
  char *resp = NULL;
  assert_int_equal(st_admin("POST", "/_emulator/fail-next-jobs",
                            "{\"count\": 1, \"job_type\": \"createReplicationPairNoCG\"}", &resp),
                   200);
  free(resp);
  sdrs_pair *p = NULL;
  ST_ERR(sdrs_pair_create_and_wait(&p, g_client, spec, g_wait, &err), err, SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(err), "SDRS.1609");
  assert_non_null(sdrs_error_job_id(err));
  sdrs_error_free(err);
  err = NULL;
  assert_null(p);
  sdrs_pair_spec_free(spec);

  sdrs_pair_list_opts *o = NULL;
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, gid, &err), err);
  ST_OK(sdrs_pair_list_opts_set_query_type(o, "status_abnormal", &err), err);
  sdrs_pair_list *l = NULL;
  ST_OK(sdrs_pair_list_get(&l, g_client, o, NULL, &err), err);
  assert_int_equal(sdrs_pair_list_size(l), 1);
  const sdrs_pair *failed = sdrs_pair_list_at(l, 0);
  assert_int_equal(sdrs_pair_status(failed), SDRS_PAIR_ERROR);
  ST_STR(sdrs_pair_failure_detail(failed), "SDRS.1609");
  ST_STR(sdrs_pair_description(failed), "fails");
  char *fid = strdup(sdrs_pair_id(failed));
  sdrs_pair_list_free(l);
  /* "general" is no filter: the same one pair */
  ST_OK(sdrs_pair_list_opts_set_query_type(o, "general", &err), err);
  ST_OK(sdrs_pair_list_get(&l, g_client, o, NULL, &err), err);
  assert_int_equal(sdrs_pair_list_size(l), 1);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);

  /* error: no expand; delete allowed */
  char *job = NULL;
  st_expect_api(sdrs_pair_expand(&job, g_client, fid, 100, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.0214");
  delete_pair(fid);
  free(fid);
  free(vol);
  free(gid);
}

/* ---- lists, filters, iterator ---- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every pair of the group listed once through the iterator with this page size. */
static size_t walk(const char *gid, int64_t limit, char **ids, size_t cap) {
  sdrs_pair_list_opts *o = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, gid, &err), err);
  ST_OK(sdrs_pair_list_opts_set_limit(o, limit, &err), err);
  sdrs_pair_iter *it = NULL;
  ST_OK(sdrs_pair_iter_new(&it, g_client, o, &err), err);
  sdrs_pair_list_opts_free(o);
  size_t n = 0;
  for (;;) {
    const sdrs_pair *p = NULL;
    ST_OK(sdrs_pair_iter_next(&p, it, NULL, &err), err);
    if (p == NULL) {
      break;
    }
    assert_true(n < cap);
    ST_STR(sdrs_pair_server_group_id(p), gid);
    ids[n++] = strdup(sdrs_pair_id(p));
  }
  /* the end stays the end */
  const sdrs_pair *p = NULL;
  ST_OK(sdrs_pair_iter_next(&p, it, NULL, &err), err);
  assert_null(p);
  sdrs_pair_iter_free(it);
  qsort(ids, n, sizeof ids[0], cmp_str);
  for (size_t i = 1; i < n; i++) {
    assert_string_not_equal(ids[i - 1], ids[i]);
  }
  return n;
}

static sdrs_pair_list *list_with(sdrs_pair_list_opts *o) {
  sdrs_pair_list *l = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pair_list_get(&l, g_client, o, NULL, &err), err);
  return l;
}

static void test_lists(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char *g1 = st_new_fixture_group("pair-list-a");
  char *g2 = st_new_fixture_group("pair-list-b");
  /* g1: an instance (app-3: 2 pairs) + 2 explicit pairs; g2: 1 explicit pair */
  char *server = st_fixture_server_id("app-3");
  sdrs_pi_spec *ps = st_pi_spec_new(g1, server, "pair-list-app3");
  sdrs_pi *pi = NULL;
  ST_OK(sdrs_pi_create_and_wait(&pi, g_client, ps, g_wait, &err), err);
  sdrs_pi_spec_free(ps);
  char *a = st_create_pair(g_client, g1, "data-1", "listed-alpha", g_wait);
  char *b = st_create_pair(g_client, g1, "data-2", "listed-beta", g_wait);
  char *c = st_create_pair(g_client, g2, "shared-1", "listed-gamma", g_wait);

  /* paging: every pair of g1 exactly once with page sizes 1, 2 and 1000 */
  char *ids1[8], *ids2[8], *ids3[8];
  size_t n1 = walk(g1, 1, ids1, 8);
  size_t n2 = walk(g1, 2, ids2, 8);
  size_t n3 = walk(g1, 1000, ids3, 8);
  assert_int_equal(n1, 4);
  assert_int_equal(n2, 4);
  assert_int_equal(n3, 4);
  for (size_t i = 0; i < 4; i++) {
    assert_string_equal(ids1[i], ids2[i]);
    assert_string_equal(ids1[i], ids3[i]);
    free(ids1[i]);
    free(ids2[i]);
    free(ids3[i]);
  }

  /* one page with limit/offset: pages of 2 cover the group, count is the total */
  sdrs_pair_list_opts *o = NULL;
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, g1, &err), err);
  ST_OK(sdrs_pair_list_opts_set_limit(o, 2, &err), err);
  ST_OK(sdrs_pair_list_opts_set_offset(o, 2, &err), err);
  sdrs_pair_list *l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 2);
  assert_true(sdrs_pair_list_count(l) == 4);
  sdrs_pair_list_free(l);
  ST_OK(sdrs_pair_list_opts_set_offset(o, 4, &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 0);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);

  /* name (substring) */
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_name(o, "listed-", &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 3);
  sdrs_pair_list_free(l);
  ST_OK(sdrs_pair_list_opts_set_name(o, "listed-beta", &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 1);
  ST_STR(sdrs_pair_id(sdrs_pair_list_at(l, 0)), b);
  sdrs_pair_list_free(l);
  /* the name filter with a group that has no such pair */
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, g2, &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 0);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);

  /* several groups (server_group_ids) */
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_add_server_group_id(o, g1, &err), err);
  ST_OK(sdrs_pair_list_opts_add_server_group_id(o, g2, &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 5);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_add_server_group_id(o, g2, &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 1);
  ST_STR(sdrs_pair_id(sdrs_pair_list_at(l, 0)), c);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);

  /* attached to one instance / to a list of instances */
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_instance_id(o, sdrs_pi_id(pi), &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 2);
  for (size_t i = 0; i < 2; i++) {
    ST_STR(sdrs_pair_attachment_instance_id(sdrs_pair_list_at(l, i), 0), sdrs_pi_id(pi));
  }
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_add_instance_id(o, sdrs_pi_id(pi), &err), err);
  ST_OK(sdrs_pair_list_opts_add_instance_id(o, MISSING_ID, &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 2);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);

  /* status, AZ, production disk */
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, g1, &err), err);
  ST_OK(sdrs_pair_list_opts_set_status(o, "available", &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 4);
  sdrs_pair_list_free(l);
  ST_OK(sdrs_pair_list_opts_set_status(o, "protected", &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 0);
  sdrs_pair_list_free(l);
  ST_OK(sdrs_pair_list_opts_set_status(o, NULL, &err), err);
  ST_OK(sdrs_pair_list_opts_set_availability_zone(o, "eu-de-01", &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 4);
  sdrs_pair_list_free(l);
  ST_OK(sdrs_pair_list_opts_set_availability_zone(o, "eu-de-02", &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 0);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);
  char *vol = st_fixture_volume_id("data-1");
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_volume_id(o, vol, &err), err);
  l = list_with(o);
  assert_int_equal(sdrs_pair_list_size(l), 1);
  ST_STR(sdrs_pair_id(sdrs_pair_list_at(l, 0)), a);
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);

  /* clean up */
  char *job = NULL;
  ST_OK(sdrs_pi_delete(&job, g_client, sdrs_pi_id(pi), 1, 0, NULL, &err), err);
  st_wait_job(&job, "deleteProtectedInstanceNoCG");
  delete_pair(a);
  delete_pair(b);
  delete_pair(c);
  sdrs_pi_free(pi);
  free(vol);
  free(server);
  free(a);
  free(b);
  free(c);
  free(g1);
  free(g2);
}

static int setup(void **state) {
  st_group_setup(state);
  st_reset(); /* the fixture disks unpaired again */
  g_wait = st_wait_opts_new(15000);
  return 0;
}

static int teardown(void **state) {
  sdrs_wait_opts_free(g_wait);
  return st_group_teardown(state);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_null_args),
      cmocka_unit_test(test_spec_validation),
      cmocka_unit_test(test_call_validation),
      cmocka_unit_test(test_list_opts_validation),
      cmocka_unit_test(test_create_preconditions),
      cmocka_unit_test(test_not_found),
      cmocka_unit_test(test_delete_preconditions),
      cmocka_unit_test(test_delete_attached),
      cmocka_unit_test(test_expand_and_rename),
      cmocka_unit_test(test_create_job_failure),
      cmocka_unit_test(test_lists),
  };
  return cmocka_run_group_tests_name("capi_pair", tests, setup, teardown);
}
