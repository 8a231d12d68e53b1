/*
 * Protected instances (sdrs/pi.h): argument checks, every validation rule (no request sent,
 * the literal-segment trap included), the documented preconditions with their SDRS codes
 * (spec-more 3, 10) for create, attach, detach, delete, NICs and resize, rename, the delete
 * flags reaching the service, lists, filters and the iterator.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#define MISSING_ID "00000000-0000-0000-0000-000000000000"

static sdrs_wait_opts *g_wait;

/* Protects a fixture server (by name); the caller frees the instance. */
static sdrs_pi *protect(const char *group_id, const char *server_name, const char *name) {
  char *server = st_fixture_server_id(server_name);
  sdrs_pi_spec *spec = st_pi_spec_new(group_id, server, name);
  sdrs_pi *pi = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_create_and_wait(&pi, g_client, spec, g_wait, &err), err);
  assert_non_null(pi);
  ST_STR(sdrs_pi_source_server(pi), server);
  sdrs_pi_spec_free(spec);
  free(server);
  return pi;
}

static int32_t pi_status(const char *id) {
  sdrs_pi *pi = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_get(&pi, g_client, id, NULL, &err), err);
  int32_t s = sdrs_pi_status(pi);
  sdrs_pi_free(pi);
  return s;
}

static void group_action(const char *gid, const char *what) {
  char *job = NULL;
  sdrs_error *err = NULL;
  if (strcmp(what, "enable") == 0) {
    ST_OK(sdrs_pg_enable(&job, g_client, gid, NULL, &err), err);
  } else if (strcmp(what, "failover") == 0) {
    ST_OK(sdrs_pg_failover(&job, g_client, gid, NULL, &err), err);
  } else if (strcmp(what, "source") == 0) {
    ST_OK(sdrs_pg_planned_failover(&job, g_client, gid, "source", NULL, &err), err);
  } else {
    ST_OK(sdrs_pg_disable(&job, g_client, gid, NULL, &err), err);
  }
  sdrs_job_free(st_wait_ok(g_client, job));
  sdrs_string_free(job);
}

static void delete_pi(const char *id) {
  char *job = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_delete(&job, g_client, id, 1, 0, NULL, &err), err);
  st_wait_job(&job, "deleteProtectedInstanceNoCG");
}

/* Every pair of the group (none may be attached any more) and the group itself. */
static void drop_group(const char *gid) {
  sdrs_error *err = NULL;
  sdrs_pair_list_opts *o = NULL;
  ST_OK(sdrs_pair_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pair_list_opts_set_server_group_id(o, gid, &err), err);
  sdrs_pair_list *l = NULL;
  ST_OK(sdrs_pair_list_get(&l, g_client, o, NULL, &err), err);
  char *job = NULL;
  for (size_t i = 0; i < sdrs_pair_list_size(l); i++) {
    ST_OK(
        sdrs_pair_delete(&job, g_client, sdrs_pair_id(sdrs_pair_list_at(l, i)), gid, 1, NULL, &err),
        err);
    st_wait_job(&job, "deleteReplicationPairNoCG");
  }
  sdrs_pair_list_free(l);
  sdrs_pair_list_opts_free(o);
  ST_OK(sdrs_pg_delete(&job, g_client, gid, NULL, &err), err);
  st_wait_job(&job, "deleteProtectionGroupNoCG");
}

/* ---- argument checks ---- */

static void test_null_args(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  ST_EINVAL(sdrs_pi_spec_new(NULL, &err), err);
  ST_EINVAL(sdrs_pi_spec_set_server_group_id(NULL, "g", &err), err);
  ST_EINVAL(sdrs_pi_spec_set_server_id(NULL, "s", &err), err);
  ST_EINVAL(sdrs_pi_spec_set_name(NULL, "n", &err), err);
  ST_EINVAL(sdrs_pi_spec_set_description(NULL, "d", &err), err);
  ST_EINVAL(sdrs_pi_spec_set_primary_subnet_id(NULL, "s", &err), err);
  ST_EINVAL(sdrs_pi_spec_set_primary_ip_address(NULL, "10.0.0.1", &err), err);
  ST_EINVAL(sdrs_pi_spec_set_flavor_ref(NULL, "f", &err), err);
  ST_EINVAL(sdrs_pi_spec_add_tag(NULL, "k", "v", &err), err);
  ST_EINVAL(sdrs_pi_spec_clear_tags(NULL, &err), err);
  sdrs_pi_spec *spec = NULL;
  ST_OK(sdrs_pi_spec_new(&spec, &err), err);
  ST_EINVAL(sdrs_pi_spec_set_server_group_id(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pi_spec_set_server_id(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pi_spec_set_name(spec, NULL, &err), err);
  ST_EINVAL(sdrs_pi_spec_add_tag(spec, NULL, "v", &err), err);
  ST_EINVAL(sdrs_pi_spec_add_tag(spec, "k", NULL, &err), err);
  /* optional fields: NULL clears */
  ST_OK(sdrs_pi_spec_set_description(spec, NULL, &err), err);
  ST_OK(sdrs_pi_spec_set_primary_subnet_id(spec, NULL, &err), err);
  ST_OK(sdrs_pi_spec_set_primary_ip_address(spec, NULL, &err), err);
  ST_OK(sdrs_pi_spec_set_flavor_ref(spec, NULL, &err), err);
  ST_OK(sdrs_pi_spec_clear_tags(spec, &err), err);

  char *job = NULL;
  sdrs_pi *pi = NULL;
  ST_EINVAL(sdrs_pi_create(NULL, g_client, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pi_create(&job, NULL, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pi_create(&job, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pi_create_and_wait(NULL, g_client, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pi_create_and_wait(&pi, NULL, spec, NULL, &err), err);
  ST_EINVAL(sdrs_pi_create_and_wait(&pi, g_client, NULL, NULL, &err), err);
  sdrs_pi_spec_free(spec);

  const char *id = MISSING_ID;
  ST_EINVAL(sdrs_pi_get(NULL, g_client, id, NULL, &err), err);
  ST_EINVAL(sdrs_pi_get(&pi, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pi_get(&pi, g_client, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pi_rename(NULL, g_client, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pi_rename(&pi, NULL, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pi_rename(&pi, g_client, NULL, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pi_rename(&pi, g_client, id, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pi_delete(NULL, g_client, id, 0, 0, NULL, &err), err);
  ST_EINVAL(sdrs_pi_delete(&job, NULL, id, 0, 0, NULL, &err), err);
  ST_EINVAL(sdrs_pi_delete(&job, g_client, NULL, 0, 0, NULL, &err), err);
  ST_EINVAL(sdrs_pi_attach(NULL, g_client, id, id, "/dev/vdb", NULL, &err), err);
  ST_EINVAL(sdrs_pi_attach(&job, NULL, id, id, "/dev/vdb", NULL, &err), err);
  ST_EINVAL(sdrs_pi_attach(&job, g_client, NULL, id, "/dev/vdb", NULL, &err), err);
  ST_EINVAL(sdrs_pi_attach(&job, g_client, id, NULL, "/dev/vdb", NULL, &err), err);
  ST_EINVAL(sdrs_pi_attach(&job, g_client, id, id, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pi_detach(NULL, g_client, id, id, NULL, &err), err);
  ST_EINVAL(sdrs_pi_detach(&job, NULL, id, id, NULL, &err), err);
  ST_EINVAL(sdrs_pi_detach(&job, g_client, NULL, id, NULL, &err), err);
  ST_EINVAL(sdrs_pi_detach(&job, g_client, id, NULL, NULL, &err), err);
  sdrs_pi_nic_spec *nic = NULL;
  ST_EINVAL(sdrs_pi_nic_spec_new(NULL, &err), err);
  ST_EINVAL(sdrs_pi_nic_spec_set_subnet_id(NULL, "s", &err), err);
  ST_EINVAL(sdrs_pi_nic_spec_set_ip_address(NULL, "10.0.0.1", &err), err);
  ST_EINVAL(sdrs_pi_nic_spec_add_security_group(NULL, "sg", &err), err);
  ST_OK(sdrs_pi_nic_spec_new(&nic, &err), err);
  ST_EINVAL(sdrs_pi_nic_spec_set_subnet_id(nic, NULL, &err), err);
  ST_EINVAL(sdrs_pi_nic_spec_add_security_group(nic, NULL, &err), err);
  ST_OK(sdrs_pi_nic_spec_set_ip_address(nic, NULL, &err), err);
  ST_EINVAL(sdrs_pi_add_nic(NULL, g_client, id, nic, NULL, &err), err);
  ST_EINVAL(sdrs_pi_add_nic(&job, NULL, id, nic, NULL, &err), err);
  ST_EINVAL(sdrs_pi_add_nic(&job, g_client, NULL, nic, NULL, &err), err);
  ST_EINVAL(sdrs_pi_add_nic(&job, g_client, id, NULL, NULL, &err), err);
  sdrs_pi_nic_spec_free(nic);
  ST_EINVAL(sdrs_pi_delete_nic(NULL, g_client, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pi_delete_nic(&job, NULL, id, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pi_delete_nic(&job, g_client, NULL, "n", NULL, &err), err);
  ST_EINVAL(sdrs_pi_delete_nic(&job, g_client, id, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pi_resize(NULL, g_client, id, "f", NULL, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pi_resize(&job, NULL, id, "f", NULL, NULL, NULL, &err), err);
  ST_EINVAL(sdrs_pi_resize(&job, g_client, NULL, "f", NULL, NULL, NULL, &err), err);
  assert_null(job);
  assert_null(pi);

  sdrs_pi_list_opts *o = NULL;
  sdrs_pi_list *list = NULL;
  sdrs_pi_iter *it = NULL;
  const sdrs_pi *item = NULL;
  ST_EINVAL(sdrs_pi_list_opts_new(NULL, &err), err);
  ST_EINVAL(sdrs_pi_list_opts_set_limit(NULL, 1, &err), err);
  ST_EINVAL(sdrs_pi_list_opts_set_offset(NULL, 1, &err), err);
  ST_EINVAL(sdrs_pi_list_opts_set_server_group_id(NULL, "g", &err), err);
  ST_EINVAL(sdrs_pi_list_opts_add_server_group_id(NULL, "g", &err), err);
  ST_EINVAL(sdrs_pi_list_opts_add_instance_id(NULL, "i", &err), err);
  ST_EINVAL(sdrs_pi_list_opts_set_status(NULL, "protected", &err), err);
  ST_EINVAL(sdrs_pi_list_opts_set_name(NULL, "n", &err), err);
  ST_EINVAL(sdrs_pi_list_opts_set_query_type(NULL, "general", &err), err);
  ST_EINVAL(sdrs_pi_list_opts_set_availability_zone(NULL, "eu-de-01", &err), err);
  ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
  ST_EINVAL(sdrs_pi_list_opts_add_server_group_id(o, NULL, &err), err);
  ST_EINVAL(sdrs_pi_list_opts_add_instance_id(o, NULL, &err), err);
  ST_EINVAL(sdrs_pi_list_get(NULL, g_client, o, NULL, &err), err);
  ST_EINVAL(sdrs_pi_list_get(&list, NULL, o, NULL, &err), err);
  ST_EINVAL(sdrs_pi_iter_new(NULL, g_client, o, &err), err);
  ST_EINVAL(sdrs_pi_iter_new(&it, NULL, o, &err), err);
  ST_EINVAL(sdrs_pi_iter_next(&item, NULL, NULL, &err), err);
  ST_OK(sdrs_pi_iter_new(&it, g_client, o, &err), err);
  ST_EINVAL(sdrs_pi_iter_next(NULL, it, NULL, &err), err);
  sdrs_pi_iter_free(it);
  sdrs_pi_list_opts_free(o);
  assert_null(list);

  assert_null(sdrs_pi_id(NULL));
  assert_int_equal(sdrs_pi_attachment_count(NULL), 0);
  assert_int_equal(sdrs_pi_tag_count(NULL), 0);
  assert_int_equal(sdrs_pi_list_size(NULL), 0);
  assert_null(sdrs_pi_list_at(NULL, 0));
  ST_STR(sdrs_pi_status_name(SDRS_PI_NIC_CREATING), "nic-creating");
  ST_STR(sdrs_pi_status_name(SDRS_PI_FAULT), "fault");
  ST_STR(sdrs_pi_status_name(-1), "unknown");
  sdrs_pi_free(NULL);
  sdrs_pi_list_free(NULL);
  sdrs_pi_spec_free(NULL);
  sdrs_pi_nic_spec_free(NULL);
  sdrs_pi_list_opts_free(NULL);
  sdrs_pi_iter_free(NULL);
  assert_int_equal(sdrs_pi_get(&pi, NULL, id, NULL, NULL), SDRS_EINVAL);
}

/* ---- validation: nothing reaches the emulator ---- */

static void test_spec_validation(void **state) {
  (void)state;
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  sdrs_error *err = NULL;
  sdrs_pi_spec *spec = NULL;
  char buf[300];
  ST_OK(sdrs_pi_spec_new(&spec, &err), err);
  st_fill(buf, 64, 'n');
  ST_OK(sdrs_pi_spec_set_name(spec, buf, &err), err);
  st_fill(buf, 65, 'n');
  ST_ERR_FIELD(sdrs_pi_spec_set_name(spec, buf, &err), err, SDRS_EVALIDATION, "name");
  const char *bad_names[] = {"", "a b", "a/b", "a<b", "caf\xc3\xa9", "x;y", "tab\there"};
  for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
    ST_ERR_FIELD(sdrs_pi_spec_set_name(spec, bad_names[i], &err), err, SDRS_EVALIDATION, "name");
  }
  st_fill(buf, 64, 'd');
  ST_OK(sdrs_pi_spec_set_description(spec, buf, &err), err);
  st_fill(buf, 65, 'd');
  ST_ERR_FIELD(sdrs_pi_spec_set_description(spec, buf, &err), err, SDRS_EVALIDATION, "description");
  ST_ERR_FIELD(sdrs_pi_spec_set_description(spec, "<b>", &err), err, SDRS_EVALIDATION,
               "description");
  ST_ERR_FIELD(sdrs_pi_spec_set_server_group_id(spec, "", &err), err, SDRS_EVALIDATION,
               "server_group_id");
  ST_ERR_FIELD(sdrs_pi_spec_set_server_id(spec, "", &err), err, SDRS_EVALIDATION, "server_id");
  ST_ERR_FIELD(sdrs_pi_spec_set_primary_subnet_id(spec, "", &err), err, SDRS_EVALIDATION,
               "primary_subnet_id");
  ST_ERR_FIELD(sdrs_pi_spec_set_flavor_ref(spec, "", &err), err, SDRS_EVALIDATION, "flavorRef");
  /* primary_ip_address: a dotted-quad IPv4 address */
  ST_OK(sdrs_pi_spec_set_primary_ip_address(spec, "10.20.1.15", &err), err);
  ST_OK(sdrs_pi_spec_set_primary_ip_address(spec, "0.0.0.0", &err), err);
  ST_OK(sdrs_pi_spec_set_primary_ip_address(spec, "255.255.255.255", &err), err);
  const char *bad_ips[] = {"",    "10.0.0",    "10.0.0.256", "10.0.0.1.2", "a.b.c.d",
                           "::1", "10.0.0.1 ", "10..0.1",    "-1.0.0.1",   "fe80::1"};
  for (size_t i = 0; i < sizeof bad_ips / sizeof bad_ips[0]; i++) {
    ST_ERR_FIELD(sdrs_pi_spec_set_primary_ip_address(spec, bad_ips[i], &err), err, SDRS_EVALIDATION,
                 "primary_ip_address");
  }
  /* tags: key 1..127 and value 0..255 characters, UTF-8 without controls, unique, at most 20 */
  st_fill(buf, 127, 'k');
  ST_OK(sdrs_pi_spec_add_tag(spec, buf, "", &err), err);
  st_fill(buf, 128, 'k');
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, buf, "v", &err), err, SDRS_EVALIDATION, "key");
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, "", "v", &err), err, SDRS_EVALIDATION, "key");
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, "a\x01", "v", &err), err, SDRS_EVALIDATION, "key");
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, "bad\xff", "v", &err), err, SDRS_EVALIDATION, "key");
  st_fill(buf, 255, 'v');
  ST_OK(sdrs_pi_spec_add_tag(spec, "v255", buf, &err), err);
  st_fill(buf, 256, 'v');
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, "v256", buf, &err), err, SDRS_EVALIDATION, "value");
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, "ctl", "a\nb", &err), err, SDRS_EVALIDATION, "value");
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, "v255", "again", &err), err, SDRS_EVALIDATION, "key");
  ST_OK(sdrs_pi_spec_clear_tags(spec, &err), err);
  char key[16];
  for (int i = 0; i < 20; i++) {
    snprintf(key, sizeof key, "k%02d", i);
    ST_OK(sdrs_pi_spec_add_tag(spec, key, "v", &err), err);
  }
  ST_ERR_FIELD(sdrs_pi_spec_add_tag(spec, "k20", "v", &err), err, SDRS_EVALIDATION, "tags");
  sdrs_pi_spec_free(spec);

  /* create: each required field missing, and an IP without a subnet */
  const char *fields[] = {"server_group_id", "server_id", "name"};
  for (size_t skip = 0; skip < 4; skip++) {
    ST_OK(sdrs_pi_spec_new(&spec, &err), err);
    if (skip != 0) {
      ST_OK(sdrs_pi_spec_set_server_group_id(spec, MISSING_ID, &err), err);
    }
    if (skip != 1) {
      ST_OK(sdrs_pi_spec_set_server_id(spec, MISSING_ID, &err), err);
    }
    if (skip != 2) {
      ST_OK(sdrs_pi_spec_set_name(spec, "missing", &err), err);
    }
    const char *field = skip < 3 ? fields[skip] : "primary_ip_address";
    if (skip == 3) {
      ST_OK(sdrs_pi_spec_set_primary_ip_address(spec, "10.0.0.5", &err), err);
    }
    char *job = NULL;
    ST_ERR_FIELD(sdrs_pi_create(&job, g_client, spec, NULL, &err), err, SDRS_EVALIDATION, field);
    assert_null(job);
    sdrs_pi *pi = NULL;
    ST_ERR_FIELD(sdrs_pi_create_and_wait(&pi, g_client, spec, NULL, &err), err, SDRS_EVALIDATION,
                 field);
    assert_null(pi);
    sdrs_pi_spec_free(spec);
  }

  /* NIC spec */
  sdrs_pi_nic_spec *nic = NULL;
  ST_OK(sdrs_pi_nic_spec_new(&nic, &err), err);
  ST_ERR_FIELD(sdrs_pi_nic_spec_set_subnet_id(nic, "", &err), err, SDRS_EVALIDATION, "subnet_id");
  ST_ERR_FIELD(sdrs_pi_nic_spec_set_ip_address(nic, "300.1.1.1", &err), err, SDRS_EVALIDATION,
               "ip_address");
  ST_ERR_FIELD(sdrs_pi_nic_spec_add_security_group(nic, "", &err), err, SDRS_EVALIDATION,
               "security_groups");
  char *job = NULL;
  ST_ERR_FIELD(sdrs_pi_add_nic(&job, g_client, MISSING_ID, nic, NULL, &err), err, SDRS_EVALIDATION,
               "subnet_id");
  assert_null(job);
  sdrs_pi_nic_spec_free(nic);
  assert_int_equal(st_stat("requests") - before, self);
}

static void test_call_validation(void **state) {
  (void)state;
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  sdrs_error *err = NULL;
  sdrs_pi *pi = NULL;
  char *job = NULL;
  char long_id[140];
  st_fill(long_id, 129, 'i');
  sdrs_pi_nic_spec *nic = NULL;
  ST_OK(sdrs_pi_nic_spec_new(&nic, &err), err);
  ST_OK(sdrs_pi_nic_spec_set_subnet_id(nic, MISSING_ID, &err), err);
  /* instance ids in paths: one segment, and never a literal route segment */
  const char *bad_ids[] = {
      "",      "a/b",  "..",    "../jobs", "a b",  "a?b",   "a%2f",   "a\x01",
      long_id, "tags", "batch", "delete",  "TAGS", "Batch", "DELETE", "resource_instances"};
  for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
    const char *id = bad_ids[i];
    const char *f = "protected_instance_id";
    ST_ERR_FIELD(sdrs_pi_get(&pi, g_client, id, NULL, &err), err, SDRS_EVALIDATION, f);
    ST_ERR_FIELD(sdrs_pi_rename(&pi, g_client, id, "new-name", NULL, &err), err, SDRS_EVALIDATION,
                 f);
    ST_ERR_FIELD(sdrs_pi_delete(&job, g_client, id, 1, 0, NULL, &err), err, SDRS_EVALIDATION, f);
    ST_ERR_FIELD(sdrs_pi_attach(&job, g_client, id, MISSING_ID, "/dev/vdb", NULL, &err), err,
                 SDRS_EVALIDATION, f);
    ST_ERR_FIELD(sdrs_pi_detach(&job, g_client, id, MISSING_ID, NULL, &err), err, SDRS_EVALIDATION,
                 f);
    ST_ERR_FIELD(sdrs_pi_add_nic(&job, g_client, id, nic, NULL, &err), err, SDRS_EVALIDATION, f);
    ST_ERR_FIELD(sdrs_pi_delete_nic(&job, g_client, id, MISSING_ID, NULL, &err), err,
                 SDRS_EVALIDATION, f);
    ST_ERR_FIELD(sdrs_pi_resize(&job, g_client, id, "s3.xlarge.2", NULL, NULL, NULL, &err), err,
                 SDRS_EVALIDATION, f);
  }
  /* the pair id of a detach is a path segment too */
  const char *bad_pair_ids[] = {"", "a/b", "..", "a b", long_id};
  for (size_t i = 0; i < sizeof bad_pair_ids / sizeof bad_pair_ids[0]; i++) {
    ST_ERR_FIELD(sdrs_pi_detach(&job, g_client, MISSING_ID, bad_pair_ids[i], NULL, &err), err,
                 SDRS_EVALIDATION, "replication_id");
  }
  ST_ERR_FIELD(sdrs_pi_attach(&job, g_client, MISSING_ID, "", "/dev/vdb", NULL, &err), err,
               SDRS_EVALIDATION, "replication_id");
  ST_ERR_FIELD(sdrs_pi_delete_nic(&job, g_client, MISSING_ID, "", NULL, &err), err,
               SDRS_EVALIDATION, "nic_id");
  /* device names: /dev/ + sd|vd|xvd + one or more of a-z */
  const char *bad_devices[] = {"",          "/dev/",   "/dev/vd",   "/dev/hda",     "/dev/vdB",
                               "/dev/vd1",  "dev/vdb", "/dev/vdb ", "/dev/nvme0n1", "/dev/xvd",
                               "/dev/sd-a", "vdb"};
  for (size_t i = 0; i < sizeof bad_devices / sizeof bad_devices[0]; i++) {
    ST_ERR_FIELD(sdrs_pi_attach(&job, g_client, MISSING_ID, MISSING_ID, bad_devices[i], NULL, &err),
                 err, SDRS_EVALIDATION, "device");
  }
  /* rename: the name rule */
  char name65[70];
  st_fill(name65, 65, 'r');
  const char *bad_names[] = {name65, "", "two words", "a/b"};
  for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
    ST_ERR_FIELD(sdrs_pi_rename(&pi, g_client, MISSING_ID, bad_names[i], NULL, &err), err,
                 SDRS_EVALIDATION, "name");
  }
  /* resize: at least one flavor; flavorRef excludes the other two; none empty */
  ST_ERR_FIELD(sdrs_pi_resize(&job, g_client, MISSING_ID, NULL, NULL, NULL, NULL, &err), err,
               SDRS_EVALIDATION, "resize");
  ST_ERR_FIELD(sdrs_pi_resize(&job, g_client, MISSING_ID, "a", "b", NULL, NULL, &err), err,
               SDRS_EVALIDATION, "flavorRef");
  ST_ERR_FIELD(sdrs_pi_resize(&job, g_client, MISSING_ID, "a", NULL, "c", NULL, &err), err,
               SDRS_EVALIDATION, "flavorRef");
  ST_ERR_FIELD(sdrs_pi_resize(&job, g_client, MISSING_ID, "", NULL, NULL, NULL, &err), err,
               SDRS_EVALIDATION, "flavorRef");
  ST_ERR_FIELD(sdrs_pi_resize(&job, g_client, MISSING_ID, NULL, "", NULL, NULL, &err), err,
               SDRS_EVALIDATION, "production_flavorRef");
  ST_ERR_FIELD(sdrs_pi_resize(&job, g_client, MISSING_ID, NULL, NULL, "", NULL, &err), err,
               SDRS_EVALIDATION, "dr_flavorRef");
  assert_null(pi);
  assert_null(job);
  sdrs_pi_nic_spec_free(nic);
  assert_int_equal(st_stat("requests") - before, self);
}

static void test_list_opts_validation(void **state) {
  (void)state;
  long long self = st_stats_self_delta();
  long long before = st_stat("requests");
  sdrs_error *err = NULL;
  sdrs_pi_list_opts *o = NULL;
  ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pi_list_opts_set_limit(o, 1000, &err), err);
  ST_ERR_FIELD(sdrs_pi_list_opts_set_limit(o, 0, &err), err, SDRS_EVALIDATION, "limit");
  ST_ERR_FIELD(sdrs_pi_list_opts_set_limit(o, 1001, &err), err, SDRS_EVALIDATION, "limit");
  ST_ERR_FIELD(sdrs_pi_list_opts_set_offset(o, -1, &err), err, SDRS_EVALIDATION, "offset");
  ST_ERR_FIELD(sdrs_pi_list_opts_set_query_type(o, "all", &err), err, SDRS_EVALIDATION,
               "query_type");
  ST_ERR_FIELD(sdrs_pi_list_opts_set_status(o, "a b", &err), err, SDRS_EVALIDATION, "status");
  ST_ERR_FIELD(sdrs_pi_list_opts_add_server_group_id(o, "a,b", &err), err, SDRS_EVALIDATION,
               "server_group_ids");
  ST_ERR_FIELD(sdrs_pi_list_opts_add_instance_id(o, "'x'", &err), err, SDRS_EVALIDATION,
               "protected_instance_ids");
  ST_ERR_FIELD(sdrs_pi_list_opts_add_instance_id(o, "", &err), err, SDRS_EVALIDATION,
               "protected_instance_ids");
  char id[40];
  for (int i = 0; i < 30; i++) {
    snprintf(id, sizeof id, "g-%02d", i);
    ST_OK(sdrs_pi_list_opts_add_server_group_id(o, id, &err), err);
    snprintf(id, sizeof id, "i-%02d", i);
    ST_OK(sdrs_pi_list_opts_add_instance_id(o, id, &err), err);
  }
  ST_ERR_FIELD(sdrs_pi_list_opts_add_server_group_id(o, "g-30", &err), err, SDRS_EVALIDATION,
               "server_group_ids");
  ST_ERR_FIELD(sdrs_pi_list_opts_add_instance_id(o, "i-30", &err), err, SDRS_EVALIDATION,
               "protected_instance_ids");
  sdrs_pi_list_opts_free(o);
  assert_int_equal(st_stat("requests") - before, self);
}

/* ---- create preconditions (spec-more 3.1) ---- */

static void test_create_preconditions(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pi-pre");
  sdrs_error *err = NULL;
  char *job = NULL;
  char *app1 = st_fixture_server_id("app-1");

  sdrs_pi_spec *spec = st_pi_spec_new(MISSING_ID, app1, "pi-pre");
  st_expect_api(sdrs_pi_create(&job, g_client, spec, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1013");
  sdrs_pi_spec_free(spec);
  spec = st_pi_spec_new(gid, MISSING_ID, "pi-pre");
  st_expect_api(sdrs_pi_create(&job, g_client, spec, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1326");
  sdrs_pi_spec_free(spec);

  struct {
    const char *server;
    int code;
    const char *api;
  } cases[] = {
      {"other-vpc", SDRS_EREQUEST, "SDRS.1304"},       /* not in the group's VPC */
      {"wrong-az", SDRS_EREQUEST, "SDRS.1303"},        /* not in the production AZ */
      {"broken", SDRS_ECONFLICT, "SDRS.1333"},         /* status ERROR */
      {"diskless", SDRS_ECONFLICT, "SDRS.1321"},       /* no disk */
      {"no-system-disk", SDRS_ECONFLICT, "SDRS.1339"}, /* no system disk */
      {"cluster-1", SDRS_EREQUEST, "SDRS.1806"},       /* a shared disk attached */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *sid = st_fixture_server_id(cases[i].server);
    spec = st_pi_spec_new(gid, sid, "pi-pre");
    st_expect_api(sdrs_pi_create(&job, g_client, spec, NULL, &err), &err, cases[i].code,
                  cases[i].api);
    sdrs_pi_spec_free(spec);
    free(sid);
  }

  /* a stopped (SHUTOFF) server can be protected; once protected, not again */
  sdrs_pi *pi = protect(gid, "stopped-1", "pi-pre-stopped");
  char *stopped = st_fixture_server_id("stopped-1");
  spec = st_pi_spec_new(gid, stopped, "pi-pre-again");
  st_expect_api(sdrs_pi_create(&job, g_client, spec, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1305");
  sdrs_pi_spec_free(spec);
  /* nor can its DR server */
  spec = st_pi_spec_new(gid, sdrs_pi_target_server(pi), "pi-pre-dr");
  st_expect_api(sdrs_pi_create(&job, g_client, spec, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1305");
  sdrs_pi_spec_free(spec);

  /* group neither available nor protected */
  st_set_group(gid, "{\"status\": \"failed-over\"}");
  spec = st_pi_spec_new(gid, app1, "pi-pre-group");
  st_expect_api(sdrs_pi_create(&job, g_client, spec, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1323");
  sdrs_pi_spec_free(spec);
  st_set_group(gid, "{\"status\": \"available\"}");
  assert_null(job);

  delete_pi(sdrs_pi_id(pi));
  sdrs_pi_free(pi);
  drop_group(gid);
  free(stopped);
  free(app1);
  free(gid);
}

/* Create with every optional field; a failed create leaves the instance in "error". */
static void test_create_fields_and_failure(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pi-fields");
  sdrs_error *err = NULL;
  char *server = st_fixture_server_id("app-3");
  sdrs_pi_spec *spec = st_pi_spec_new(gid, server, "pi-fields");
  ST_OK(sdrs_pi_spec_set_primary_subnet_id(spec, "e2c4a8f1-6b3d-4d0e-9f27-81a5c6d3e940", &err),
        err);
  ST_OK(sdrs_pi_spec_set_primary_ip_address(spec, "10.20.1.15", &err), err);
  ST_OK(sdrs_pi_spec_set_flavor_ref(spec, "s3.xlarge.2", &err), err);
  ST_OK(sdrs_pi_spec_add_tag(spec, "app", "erp", &err), err);

  /* the job fails: SDRS_EJOBFAILED with the job's code */
  char *resp = NULL;
  assert_int_equal(st_admin("POST", "/_emulator/fail-next-jobs",
                            "{\"count\": 1, \"job_type\": \"createProtectedInstanceNoCG\"}", &resp),
                   200);
  free(resp);
  sdrs_pi *pi = NULL;
  ST_ERR(sdrs_pi_create_and_wait(&pi, g_client, spec, g_wait, &err), err, SDRS_EJOBFAILED);
  ST_STR(sdrs_error_api_code(err), "SDRS.1350");
  sdrs_error_free(err);
  err = NULL;
  assert_null(pi);
  sdrs_pi_list_opts *o = NULL;
  ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pi_list_opts_set_server_group_id(o, gid, &err), err);
  ST_OK(sdrs_pi_list_opts_set_query_type(o, "status_abnormal", &err), err);
  sdrs_pi_list *l = NULL;
  ST_OK(sdrs_pi_list_get(&l, g_client, o, NULL, &err), err);
  assert_int_equal(sdrs_pi_list_size(l), 1);
  const sdrs_pi *failed = sdrs_pi_list_at(l, 0);
  assert_int_equal(sdrs_pi_status(failed), SDRS_PI_ERROR);
  assert_int_equal(sdrs_pi_attachment_count(failed), 0);
  char *fid = strdup(sdrs_pi_id(failed));
  sdrs_pi_list_free(l);
  sdrs_pi_list_opts_free(o);
  /* an instance in error: no attach (SDRS.1328), delete allowed */
  char *pid = st_create_pair(g_client, gid, "data-1", "pi-fields-data", g_wait);
  char *job = NULL;
  st_expect_api(sdrs_pi_attach(&job, g_client, fid, pid, "/dev/vdc", NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1328");
  ST_OK(sdrs_pi_delete(&job, g_client, fid, 0, 0, NULL, &err), err);
  st_wait_job(&job, "deleteProtectedInstanceNoCG");
  free(fid);

  /* again, succeeding: the DR server gets the flavor asked for */
  ST_OK(sdrs_pi_create_and_wait(&pi, g_client, spec, g_wait, &err), err);
  char *flavor = st_server_field_by_id(sdrs_pi_target_server(pi), "flavor");
  ST_STR(flavor, "s3.xlarge.2");
  free(flavor);
  assert_int_equal(sdrs_pi_tag_count(pi), 1);
  ST_STR(sdrs_pi_tag_key(pi, 0), "app");
  assert_null(sdrs_pi_description(pi));
  sdrs_pi_spec_free(spec);

  delete_pi(sdrs_pi_id(pi));
  sdrs_pi_free(pi);
  drop_group(gid);
  free(pid);
  free(server);
  free(gid);
}

static void test_not_found(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  sdrs_pi *pi = NULL;
  char *job = NULL;
  st_expect_api(sdrs_pi_get(&pi, g_client, MISSING_ID, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1320");
  st_expect_api(sdrs_pi_rename(&pi, g_client, MISSING_ID, "x", NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1320");
  st_expect_api(sdrs_pi_delete(&job, g_client, MISSING_ID, 0, 0, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1320");
  st_expect_api(sdrs_pi_attach(&job, g_client, MISSING_ID, MISSING_ID, "/dev/vdb", NULL, &err),
                &err, SDRS_ENOTFOUND, "SDRS.1320");
  st_expect_api(sdrs_pi_detach(&job, g_client, MISSING_ID, MISSING_ID, NULL, &err), &err,
                SDRS_ENOTFOUND, "SDRS.1320");
  sdrs_pi_nic_spec *nic = NULL;
  ST_OK(sdrs_pi_nic_spec_new(&nic, &err), err);
  ST_OK(sdrs_pi_nic_spec_set_subnet_id(nic, MISSING_ID, &err), err);
  st_expect_api(sdrs_pi_add_nic(&job, g_client, MISSING_ID, nic, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1320");
  sdrs_pi_nic_spec_free(nic);
  st_expect_api(sdrs_pi_delete_nic(&job, g_client, MISSING_ID, MISSING_ID, NULL, &err), &err,
                SDRS_ENOTFOUND, "SDRS.1320");
  st_expect_api(sdrs_pi_resize(&job, g_client, MISSING_ID, "s3.xlarge.2", NULL, NULL, NULL, &err),
                &err, SDRS_ENOTFOUND, "SDRS.1320");
  assert_null(pi);
  assert_null(job);
}

/* ---- attach and detach (spec-more 3.6, 3.7) ---- */

static void test_attach_detach_preconditions(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pi-att");
  char *other = st_new_fixture_group("pi-att-other");
  sdrs_error *err = NULL;
  char *job = NULL;
  sdrs_pi *a = protect(gid, "app-1", "pi-att-a");
  sdrs_pi *b = protect(gid, "db-1", "pi-att-b");
  const char *ia = sdrs_pi_id(a);
  const char *ib = sdrs_pi_id(b);
  const char *a_sys = sdrs_pi_attachment_replication_id(a, 0);  /* /dev/vda */
  const char *a_data = sdrs_pi_attachment_replication_id(a, 1); /* /dev/vdb, not shared */

  /* unknown pair; a pair of another group */
  st_expect_api(sdrs_pi_attach(&job, g_client, ia, MISSING_ID, "/dev/vdc", NULL, &err), &err,
                SDRS_ENOTFOUND, "SDRS.1608");
  char *foreign = st_create_pair(g_client, other, "data-1", "pi-att-foreign", g_wait);
  st_expect_api(sdrs_pi_attach(&job, g_client, ia, foreign, "/dev/vdc", NULL, &err), &err,
                SDRS_EREQUEST, "SDRS.1611");
  /* already attached to this instance; non-shared pair attached elsewhere; device in use */
  st_expect_api(sdrs_pi_attach(&job, g_client, ia, a_data, "/dev/vdc", NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1605");
  st_expect_api(sdrs_pi_attach(&job, g_client, ib, a_data, "/dev/vdc", NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1603");
  char *shared = st_create_pair(g_client, gid, "shared-1", "pi-att-shared", g_wait);
  st_expect_api(sdrs_pi_attach(&job, g_client, ia, shared, "/dev/vdb", NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1603");
  /* detach: unknown pair, a pair not attached to this instance */
  st_expect_api(sdrs_pi_detach(&job, g_client, ia, MISSING_ID, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1608");
  st_expect_api(sdrs_pi_detach(&job, g_client, ia, shared, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1604");
  st_expect_api(sdrs_pi_detach(&job, g_client, ib, a_data, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1604");
  /* the system disk only while the production server is stopped */
  st_expect_api(sdrs_pi_detach(&job, g_client, ia, a_sys, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1316");
  assert_null(job);

  /* a pair in a transient status: attach (attaching) then detach at once -> SDRS.0214 */
  st_set_job_times(300, 700);
  ST_OK(sdrs_pi_attach(&job, g_client, ia, shared, "/dev/sdc", NULL, &err), err);
  char *attaching_job = job;
  job = NULL;
  st_expect_api(sdrs_pi_detach(&job, g_client, ia, shared, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.0214");
  /* and attaching it elsewhere meanwhile: not available (SDRS.1601) */
  st_expect_api(sdrs_pi_attach(&job, g_client, ib, shared, "/dev/vdc", NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1601");
  /* an instance in a transient status (nic-creating): no detach (SDRS.1328), no NIC op
   * (SDRS.1327) */
  sdrs_pi_nic_spec *nic = NULL;
  ST_OK(sdrs_pi_nic_spec_new(&nic, &err), err);
  ST_OK(sdrs_pi_nic_spec_set_subnet_id(nic, "e2c4a8f1-6b3d-4d0e-9f27-81a5c6d3e940", &err), err);
  ST_OK(sdrs_pi_add_nic(&job, g_client, ib, nic, NULL, &err), err);
  char *nic_job = job;
  job = NULL;
  assert_int_equal(pi_status(ib), SDRS_PI_NIC_CREATING);
  st_expect_api(
      sdrs_pi_detach(&job, g_client, ib, sdrs_pi_attachment_replication_id(b, 1), NULL, &err), &err,
      SDRS_ECONFLICT, "SDRS.1328");
  st_expect_api(sdrs_pi_add_nic(&job, g_client, ib, nic, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1327");
  /* ... and no delete (SDRS.1301) */
  st_expect_api(sdrs_pi_delete(&job, g_client, ib, 1, 0, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1301");
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  st_wait_job(&attaching_job, "attachReplicationPairNew");
  st_wait_job(&nic_job, "addNicNew");
  sdrs_pi_nic_spec_free(nic);
  /* /dev/sdc was taken as /dev/vdc (KVM) */
  sdrs_pi *got = NULL;
  ST_OK(sdrs_pi_get(&got, g_client, ia, NULL, &err), err);
  assert_int_equal(sdrs_pi_attachment_count(got), 3);
  ST_STR(sdrs_pi_attachment_replication_id(got, 2), shared);
  ST_STR(sdrs_pi_attachment_device(got, 2), "/dev/vdc");
  sdrs_pi_free(got);

  /* group states: failed-over allows detach but no attach (SDRS.1024); a group action
   * running refuses detach (SDRS.1002) */
  group_action(gid, "enable");
  group_action(gid, "failover");
  assert_int_equal(pi_status(ia), SDRS_PI_FAILED_OVER);
  st_expect_api(sdrs_pi_attach(&job, g_client, ib, shared, "/dev/vdc", NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1024");
  st_set_group(gid, "{\"status\": \"reprotecting\"}");
  st_expect_api(sdrs_pi_detach(&job, g_client, ia, shared, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1002");
  /* and no instance delete (SDRS.1324) */
  st_expect_api(sdrs_pi_delete(&job, g_client, ia, 0, 0, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1324");
  st_set_group(gid, "{\"status\": \"failed-over\"}");
  ST_OK(sdrs_pi_detach(&job, g_client, ia, shared, NULL, &err), err);
  st_wait_job(&job, "detachReplicationPairNew");
  /* sites switched: the DR server is production now, it and its EIP stay */
  st_expect_api(sdrs_pi_delete(&job, g_client, ia, 1, 0, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1330");
  st_expect_api(sdrs_pi_delete(&job, g_client, ia, 0, 1, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1338");
  assert_null(job);

  /* back to the source site, then tear down */
  group_action(gid, "enable");
  group_action(gid, "source");
  group_action(gid, "disable");
  delete_pi(ia);
  delete_pi(ib);
  drop_group(gid);
  drop_group(other);
  sdrs_pi_free(a);
  sdrs_pi_free(b);
  free(shared);
  free(foreign);
  free(other);
  free(gid);
}

/* ---- delete flags, rename ---- */

static void test_delete_flags_and_rename(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pi-del");
  sdrs_error *err = NULL;
  char *job = NULL;
  sdrs_pi *keep = protect(gid, "app-1", "pi-del-keep");
  sdrs_pi *drop = protect(gid, "app-2", "pi-del-drop");

  /* rename: synchronous, the ".S" time format of the rename page still reads */
  char newname[64];
  st_unique_name(newname, sizeof newname, "pi-renamed");
  sdrs_pi *renamed = NULL;
  ST_OK(sdrs_pi_rename(&renamed, g_client, sdrs_pi_id(keep), newname, NULL, &err), err);
  ST_STR(sdrs_pi_id(renamed), sdrs_pi_id(keep));
  ST_STR(sdrs_pi_name(renamed), newname);
  assert_true(sdrs_pi_created_at_ms(renamed) != SDRS_TIME_NONE);
  assert_true(sdrs_pi_created_at_ms(renamed) / 1000 == sdrs_pi_created_at_ms(keep) / 1000);
  assert_true(sdrs_pi_updated_at_ms(renamed) != SDRS_TIME_NONE);
  sdrs_pi_free(renamed);

  /* without delete_target_server the DR server stays; with it, it goes */
  char *dr_keep = strdup(sdrs_pi_target_server(keep));
  char *dr_drop = strdup(sdrs_pi_target_server(drop));
  ST_OK(sdrs_pi_delete(&job, g_client, sdrs_pi_id(keep), 0, 0, NULL, &err), err);
  sdrs_job *j = st_wait_ok(g_client, job);
  ST_STR(sdrs_job_type(j), "deleteProtectedInstanceNoCG");
  ST_STR(sdrs_job_entity(j, "protected_instance_id"), sdrs_pi_id(keep));
  sdrs_job_free(j);
  sdrs_string_free(job);
  job = NULL;
  ST_OK(sdrs_pi_delete(&job, g_client, sdrs_pi_id(drop), 1, 1, NULL, &err), err);
  st_wait_job(&job, "deleteProtectedInstanceNoCG");
  char *kept_status = st_server_field_by_id(dr_keep, "status");
  ST_STR(kept_status, "SHUTOFF");
  free(kept_status);
  assert_null(st_server_field_by_id(dr_drop, "status"));

  sdrs_pg *pg = NULL;
  ST_OK(sdrs_pg_get(&pg, g_client, gid, NULL, &err), err);
  assert_int_equal(sdrs_pg_protected_instance_num(pg), 0);
  sdrs_pg_free(pg);
  drop_group(gid);
  sdrs_pi_free(keep);
  sdrs_pi_free(drop);
  free(dr_keep);
  free(dr_drop);
  free(gid);
}

/* ---- NICs and resize (spec-more 3.8-3.10) ---- */

static void test_nics_and_resize(void **state) {
  (void)state;
  char *gid = st_new_fixture_group("pi-nic");
  sdrs_error *err = NULL;
  char *job = NULL;
  sdrs_pi *pi = protect(gid, "app-2", "pi-nic");
  const char *id = sdrs_pi_id(pi);
  const char *subnet = "e2c4a8f1-6b3d-4d0e-9f27-81a5c6d3e940";

  /* add a NIC with a fixed IP and security groups; its id is the job entity nic_id */
  sdrs_pi_nic_spec *nic = NULL;
  ST_OK(sdrs_pi_nic_spec_new(&nic, &err), err);
  ST_OK(sdrs_pi_nic_spec_set_subnet_id(nic, subnet, &err), err);
  ST_OK(sdrs_pi_nic_spec_set_ip_address(nic, "10.20.1.40", &err), err);
  ST_OK(sdrs_pi_nic_spec_add_security_group(nic, "0d9f4b6e-1c2a-4e83-a5f7-3b8d2c6e9a10", &err),
        err);
  ST_OK(sdrs_pi_add_nic(&job, g_client, id, nic, NULL, &err), err);
  sdrs_job *j = st_wait_ok(g_client, job);
  ST_STR(sdrs_job_type(j), "addNicNew");
  assert_non_null(sdrs_job_entity(j, "nic_id"));
  char *nic_id = strdup(sdrs_job_entity(j, "nic_id"));
  sdrs_job_free(j);
  sdrs_string_free(job);
  job = NULL;
  assert_int_equal(pi_status(id), SDRS_PI_AVAILABLE);
  /* the same IP again in the subnet */
  st_expect_api(sdrs_pi_add_nic(&job, g_client, id, nic, NULL, &err), &err, SDRS_EREQUEST,
                "SDRS.1334");
  /* delete: unknown NIC, the primary NIC (its id only the emulator's server listing shows) */
  st_expect_api(sdrs_pi_delete_nic(&job, g_client, id, MISSING_ID, NULL, &err), &err,
                SDRS_ENOTFOUND, "SDRS.1310");
  char *docs = NULL;
  assert_int_equal(st_admin("GET", "/_emulator/servers", NULL, &docs), 200);
  char needle[200];
  snprintf(needle, sizeof needle, "\"id\":\"%s\"", sdrs_pi_target_server(pi));
  const char *dr = strstr(docs, needle);
  assert_non_null(dr);
  const char *nics = strstr(dr, "\"nics\":[{\"id\":\"");
  assert_non_null(nics);
  char primary[64];
  const char *start = nics + strlen("\"nics\":[{\"id\":\"");
  size_t len = (size_t)(strchr(start, '"') - start);
  assert_true(len < sizeof primary);
  memcpy(primary, start, len);
  primary[len] = '\0';
  free(docs);
  assert_true(strcmp(primary, nic_id) != 0);
  st_expect_api(sdrs_pi_delete_nic(&job, g_client, id, primary, NULL, &err), &err, SDRS_EREQUEST,
                "SDRS.1311");
  ST_OK(sdrs_pi_delete_nic(&job, g_client, id, nic_id, NULL, &err), err);
  st_wait_job(&job, "deleteNicNew");
  st_expect_api(sdrs_pi_delete_nic(&job, g_client, id, nic_id, NULL, &err), &err, SDRS_ENOTFOUND,
                "SDRS.1310");
  /* at most 12 NICs, the primary included */
  ST_OK(sdrs_pi_nic_spec_set_ip_address(nic, NULL, &err), err);
  for (int i = 0; i < 11; i++) {
    ST_OK(sdrs_pi_add_nic(&job, g_client, id, nic, NULL, &err), err);
    st_wait_job(&job, "addNicNew");
  }
  st_expect_api(sdrs_pi_add_nic(&job, g_client, id, nic, NULL, &err), &err, SDRS_EQUOTA,
                "SDRS.1340");

  /* resize: same flavor; the production server running; the DR server (stopped) changes */
  st_expect_api(sdrs_pi_resize(&job, g_client, id, "s3.large.2", NULL, NULL, NULL, &err), &err,
                SDRS_EREQUEST, "SDRS.1341");
  st_expect_api(sdrs_pi_resize(&job, g_client, id, NULL, "s3.xlarge.2", NULL, NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1352");
  st_expect_api(sdrs_pi_resize(&job, g_client, id, "s3.xlarge.2", NULL, NULL, NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1352");
  ST_OK(sdrs_pi_resize(&job, g_client, id, NULL, NULL, "s3.xlarge.2", NULL, &err), err);
  st_wait_job(&job, "resizeProtectedInstanceNew");
  char *flavor = st_server_field_by_id(sdrs_pi_target_server(pi), "flavor");
  ST_STR(flavor, "s3.xlarge.2");
  free(flavor);
  assert_int_equal(pi_status(id), SDRS_PI_AVAILABLE);
  /* a group that is not available/protected refuses NIC changes and resizes (SDRS.1024) */
  group_action(gid, "enable");
  st_set_group(gid, "{\"status\": \"failed-over\"}");
  st_expect_api(sdrs_pi_resize(&job, g_client, id, NULL, NULL, "s3.large.2", NULL, &err), &err,
                SDRS_ECONFLICT, "SDRS.1024");
  st_expect_api(sdrs_pi_add_nic(&job, g_client, id, nic, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1024");
  st_expect_api(sdrs_pi_delete_nic(&job, g_client, id, primary, NULL, &err), &err, SDRS_ECONFLICT,
                "SDRS.1024");
  st_set_group(gid, "{\"status\": \"protected\"}");
  assert_null(job);

  group_action(gid, "disable");
  delete_pi(id);
  drop_group(gid);
  sdrs_pi_nic_spec_free(nic);
  sdrs_pi_free(pi);
  free(nic_id);
  free(gid);
}

/* ---- lists, filters, iterator ---- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t walk(sdrs_pi_list_opts *o, char **ids, size_t cap) {
  sdrs_error *err = NULL;
  sdrs_pi_iter *it = NULL;
  ST_OK(sdrs_pi_iter_new(&it, g_client, o, &err), err);
  size_t n = 0;
  for (;;) {
    const sdrs_pi *pi = NULL;
    ST_OK(sdrs_pi_iter_next(&pi, it, NULL, &err), err);
    if (pi == NULL) {
      break;
    }
    assert_true(n < cap);
    ids[n++] = strdup(sdrs_pi_id(pi));
  }
  const sdrs_pi *pi = NULL;
  ST_OK(sdrs_pi_iter_next(&pi, it, NULL, &err), err);
  assert_null(pi);
  sdrs_pi_iter_free(it);
  qsort(ids, n, sizeof ids[0], cmp_str);
  for (size_t i = 1; i < n; i++) {
    assert_string_not_equal(ids[i - 1], ids[i]);
  }
  return n;
}

static size_t count(sdrs_pi_list_opts *o) {
  sdrs_pi_list *l = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_list_get(&l, g_client, o, NULL, &err), err);
  size_t n = sdrs_pi_list_size(l);
  for (size_t i = 0; i < n; i++) {
    assert_non_null(sdrs_pi_id(sdrs_pi_list_at(l, i)));
  }
  assert_null(sdrs_pi_list_at(l, n));
  sdrs_pi_list_free(l);
  return n;
}

static void test_lists(void **state) {
  (void)state;
  sdrs_error *err = NULL;
  char *g1 = st_new_fixture_group("pi-list-a");
  char *g2 = st_new_fixture_group("pi-list-b");
  sdrs_pi *p[5];
  p[0] = protect(g1, "app-1", "listed-one");
  p[1] = protect(g1, "app-2", "listed-two");
  p[2] = protect(g1, "app-3", "listed-three");
  p[3] = protect(g2, "db-1", "listed-four");
  p[4] = protect(g2, "stopped-1", "other-five");

  /* every instance of g1 exactly once with page sizes 1, 2, 1000 */
  const int64_t limits[] = {1, 2, 1000};
  for (size_t k = 0; k < 3; k++) {
    sdrs_pi_list_opts *o = NULL;
    ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
    ST_OK(sdrs_pi_list_opts_set_server_group_id(o, g1, &err), err);
    ST_OK(sdrs_pi_list_opts_set_limit(o, limits[k], &err), err);
    char *ids[8];
    size_t n = walk(o, ids, 8);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
      int found = 0;
      for (size_t m = 0; m < 3; m++) {
        found += strcmp(ids[i], sdrs_pi_id(p[m])) == 0;
      }
      assert_int_equal(found, 1);
      free(ids[i]);
    }
    sdrs_pi_list_opts_free(o);
  }
  /* the iterator starts at the offset */
  sdrs_pi_list_opts *o = NULL;
  ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pi_list_opts_set_server_group_id(o, g1, &err), err);
  ST_OK(sdrs_pi_list_opts_set_limit(o, 1, &err), err);
  ST_OK(sdrs_pi_list_opts_set_offset(o, 1, &err), err);
  char *ids[8];
  size_t n = walk(o, ids, 8);
  assert_int_equal(n, 2);
  free(ids[0]);
  free(ids[1]);
  /* one page: limit 1 offset 1, count the total */
  sdrs_pi_list *l = NULL;
  ST_OK(sdrs_pi_list_get(&l, g_client, o, NULL, &err), err);
  assert_int_equal(sdrs_pi_list_size(l), 1);
  assert_true(sdrs_pi_list_count(l) == 3);
  ST_STR(sdrs_pi_id(sdrs_pi_list_at(l, 0)), sdrs_pi_id(p[1]));
  sdrs_pi_list_free(l);
  sdrs_pi_list_opts_free(o);

  /* name, status, query_type, AZ */
  ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pi_list_opts_set_name(o, "listed-", &err), err);
  assert_int_equal(count(o), 4);
  ST_OK(sdrs_pi_list_opts_set_name(o, "listed-two", &err), err);
  assert_int_equal(count(o), 1);
  ST_OK(sdrs_pi_list_opts_set_name(o, NULL, &err), err);
  ST_OK(sdrs_pi_list_opts_set_server_group_id(o, g2, &err), err);
  assert_int_equal(count(o), 2);
  ST_OK(sdrs_pi_list_opts_set_status(o, "available", &err), err);
  assert_int_equal(count(o), 2);
  ST_OK(sdrs_pi_list_opts_set_status(o, "protected", &err), err);
  assert_int_equal(count(o), 0);
  ST_OK(sdrs_pi_list_opts_set_status(o, NULL, &err), err);
  ST_OK(sdrs_pi_list_opts_set_query_type(o, "status_abnormal", &err), err);
  assert_int_equal(count(o), 0);
  ST_OK(sdrs_pi_list_opts_set_query_type(o, "general", &err), err);
  assert_int_equal(count(o), 2);
  ST_OK(sdrs_pi_list_opts_set_availability_zone(o, "eu-de-01", &err), err);
  assert_int_equal(count(o), 2);
  ST_OK(sdrs_pi_list_opts_set_availability_zone(o, "eu-de-02", &err), err);
  assert_int_equal(count(o), 0);
  sdrs_pi_list_opts_free(o);

  /* group lists, instance lists (ignored next to a group filter) */
  ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pi_list_opts_add_server_group_id(o, g1, &err), err);
  ST_OK(sdrs_pi_list_opts_add_server_group_id(o, g2, &err), err);
  assert_int_equal(count(o), 5);
  sdrs_pi_list_opts_free(o);
  ST_OK(sdrs_pi_list_opts_new(&o, &err), err);
  ST_OK(sdrs_pi_list_opts_add_instance_id(o, sdrs_pi_id(p[0]), &err), err);
  ST_OK(sdrs_pi_list_opts_add_instance_id(o, MISSING_ID, &err), err);
  assert_int_equal(count(o), 1);
  ST_OK(sdrs_pi_list_opts_add_instance_id(o, sdrs_pi_id(p[3]), &err), err);
  assert_int_equal(count(o), 2);
  /* ignored next to a group filter: all of g2 */
  ST_OK(sdrs_pi_list_opts_set_server_group_id(o, g2, &err), err);
  ST_OK(sdrs_pi_list_opts_set_name(o, "other-", &err), err);
  assert_int_equal(count(o), 1);
  sdrs_pi_list_opts_free(o);

  for (size_t i = 0; i < 5; i++) {
    delete_pi(sdrs_pi_id(p[i]));
    sdrs_pi_free(p[i]);
  }
  drop_group(g1);
  drop_group(g2);
  free(g1);
  free(g2);
}

static int setup(void **state) {
  st_group_setup(state);
  st_reset(); /* the fixture servers unprotected again */
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
      cmocka_unit_test(test_create_fields_and_failure),
      cmocka_unit_test(test_not_found),
      cmocka_unit_test(test_attach_detach_preconditions),
      cmocka_unit_test(test_delete_flags_and_rename),
      cmocka_unit_test(test_nics_and_resize),
      cmocka_unit_test(test_lists),
  };
  return cmocka_run_group_tests_name("capi_pi", tests, setup, teardown);
}
