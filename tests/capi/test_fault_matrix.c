/* The fault matrix of issue 19 (docs/reliability.md, "Fault matrix"): every C API operation
 * that sends a request x every fault kind the emulator injects. Each cell checks the error
 * code, the retryable and outcome-unknown flags, the attempt count (against the requests the
 * emulator saw as well) and the service-side effect (what exists afterwards).
 *
 * The expectations are read from the Markdown tables of docs/reliability.md itself, so the
 * document and the test cannot drift apart: test_doc_tables_match fails on a missing, extra or
 * different row (operation, fault rule, expectation), and every cell fails when it disagrees
 * with its row. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#ifndef SDRS_RELIABILITY_DOC
#error "SDRS_RELIABILITY_DOC (path of docs/reliability.md) must be defined by the build"
#endif

/* The default emulator fixtures (tools/sdrs-emulator README, "Fixtures"). */
#define FIXTURE_VPC "a0000000-0000-4000-8000-00000000000a"
#define SERVER_APP1 "5e000000-0000-4000-8000-000000000001" /* disks vda, vdb */
#define DISK_DATA1 "d0000000-0000-4000-8000-000000000022"  /* 20 GB, unattached */
#define NIC_SUBNET "c0000000-0000-4000-8000-00000000000c"
#define DRILL_VPC "c0000000-0000-4000-8000-00000000000c"
#define SETUP_TAG "fm-tag" /* the tag the "tag" set-up puts on the instance */

/* The matrix client: retries are cheap (2 attempts: the backoff before the second is at most
 * 100 ms) and responses above 64 KiB are refused, so the oversized 200 is quick. */
#define MATRIX_MAX_ATTEMPTS 2
#define MATRIX_MAX_RESPONSE_BYTES 65536
/* Call deadline of every cell, and of the "slow response past the deadline" cells. */
#define CELL_DEADLINE_MS 10000
#define SLOW_DEADLINE_MS 300

/* ---- the faults (columns) ---- */

typedef struct fault_kind {
  const char *name; /* as in the doc's tables */
  const char *rule; /* the emulator rule, completed per cell with count -1 and the scope */
  int processed;    /* 1: the emulator acts on the request before the fault shows */
  int64_t deadline_ms;
} fault_kind;

static const fault_kind kFaults[] = {
    {"500 + SDRS code", "{\"kind\":\"status\",\"status\":500,\"code\":\"SDRS.0013\"}", 0,
     CELL_DEADLINE_MS},
    {"500 empty", "{\"kind\":\"status\",\"status\":500,\"body\":\"\"}", 0, CELL_DEADLINE_MS},
    {"502 + SDRS code", "{\"kind\":\"status\",\"status\":502,\"code\":\"SDRS.0013\"}", 0,
     CELL_DEADLINE_MS},
    {"502 HTML", "{\"kind\":\"status\",\"status\":502}", 0, CELL_DEADLINE_MS},
    {"503 + SDRS code", "{\"kind\":\"status\",\"status\":503,\"code\":\"SDRS.0013\"}", 0,
     CELL_DEADLINE_MS},
    {"503 empty", "{\"kind\":\"status\",\"status\":503,\"body\":\"\"}", 0, CELL_DEADLINE_MS},
    {"504 + SDRS code", "{\"kind\":\"status\",\"status\":504,\"code\":\"SDRS.0013\"}", 0,
     CELL_DEADLINE_MS},
    {"504 empty", "{\"kind\":\"status\",\"status\":504,\"body\":\"\"}", 0, CELL_DEADLINE_MS},
    {"429", "{\"kind\":\"status\",\"status\":429}", 0, CELL_DEADLINE_MS},
    {"429 + Retry-After", "{\"kind\":\"status\",\"status\":429,\"retry_after\":\"30\"}", 0,
     CELL_DEADLINE_MS},
    {"close before processing", "{\"kind\":\"close_before\"}", 0, CELL_DEADLINE_MS},
    {"close after processing", "{\"kind\":\"close_after\"}", 1, CELL_DEADLINE_MS},
    {"truncated body", "{\"kind\":\"truncated_body\"}", 1, CELL_DEADLINE_MS},
    {"garbage 200", "{\"kind\":\"garbage_200\"}", 0, CELL_DEADLINE_MS},
    {"oversized 200", "{\"kind\":\"oversized_200\",\"size\":1048576}", 0, CELL_DEADLINE_MS},
    {"stalled transfer", "{\"kind\":\"stalled_transfer\",\"delay_ms\":50}", 1, CELL_DEADLINE_MS},
    {"slow past deadline", "{\"kind\":\"slow_response\",\"delay_ms\":600}", 1, SLOW_DEADLINE_MS},
};
#define N_FAULTS (sizeof kFaults / sizeof kFaults[0])

/* ---- per-cell state: what the set-up made ---- */

typedef struct cell_ctx {
  char group_id[64];
  char group_job_id[64]; /* the group's create job (for sdrs_job_poll) */
  char pair_id[64];      /* an unattached pair of disk data-1 */
  char instance_id[64];  /* an instance of server app-1 */
  char vdb_pair_id[64];  /* the instance's own pair at /dev/vdb */
  char nic_id[64];       /* a second NIC of the instance */
  char drill_id[64];     /* a drill of the group */
  char failure_id[64];   /* the job id of a group-level failure record */
  char name[80];         /* this cell's name: of the resource a create makes, or a rename's */
} cell_ctx;

enum {
  NEED_GROUP = 1,
  NEED_PAIR = 2,
  NEED_PROTECTED = 4,
  NEED_INSTANCE = 8,
  NEED_NIC = 16,
  NEED_DRILL = 32,
  NEED_TAG = 64,
  NEED_FAILURES = 128
};

typedef enum effect_kind {
  FX_JOBS,          /* jobs started */
  FX_GROUPS,        /* groups that exist */
  FX_INSTANCES,     /* protected instances that exist */
  FX_PAIRS,         /* replication pairs that exist */
  FX_RENAMED_GROUP, /* 1 when the group has the cell's name */
  FX_RENAMED_INSTANCE,
  FX_RENAMED_PAIR,
  FX_RENAMED_DRILL,
  FX_DRILLS,          /* drills that exist */
  FX_TAGS_ADDED,      /* tags on the instance, more than before */
  FX_TAGS_REMOVED,    /* tags on the instance, fewer than before */
  FX_RECORDS_REMOVED, /* task-center failure records, fewer than before */
} effect_kind;

static const char *effect_text(effect_kind fx) {
  switch (fx) {
    case FX_JOBS:
      return "jobs started";
    case FX_GROUPS:
      return "groups created";
    case FX_INSTANCES:
      return "instances created";
    case FX_PAIRS:
      return "pairs created";
    case FX_RENAMED_GROUP:
    case FX_RENAMED_INSTANCE:
    case FX_RENAMED_PAIR:
    case FX_RENAMED_DRILL:
      return "renamed";
    case FX_DRILLS:
      return "drills created";
    case FX_TAGS_ADDED:
      return "tags added";
    case FX_TAGS_REMOVED:
      return "tags removed";
    case FX_RECORDS_REMOVED:
      return "records removed";
  }
  return "?";
}

typedef int (*op_fn)(const cell_ctx *c, sdrs_client *client, const sdrs_call_opts *opts,
                     sdrs_error **err);

typedef struct operation {
  const char *name;
  const char *method;
  const char *scope; /* the rule members that select this operation's requests */
  unsigned needs;
  effect_kind fx;
  op_fn call;
} operation;

/* ---- the operations (rows) ---- */

static int op_apiversion_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                                  sdrs_error **e) {
  (void)c;
  sdrs_apiversion_list *out = NULL;
  int rc = sdrs_apiversion_list_get(&out, cl, o, e);
  sdrs_apiversion_list_free(out);
  return rc;
}
static int op_apiversion_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                             sdrs_error **e) {
  (void)c;
  sdrs_apiversion *out = NULL;
  int rc = sdrs_apiversion_get(&out, cl, "v1", o, e);
  sdrs_apiversion_free(out);
  return rc;
}
static int op_domain_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                              sdrs_error **e) {
  (void)c;
  sdrs_domain_list *out = NULL;
  int rc = sdrs_domain_list_get(&out, cl, o, e);
  sdrs_domain_list_free(out);
  return rc;
}
static sdrs_pg_spec *group_spec(const char *name) {
  sdrs_pg_spec *spec = st_spec_new(name);
  sdrs_error *err = NULL;
  ST_OK(sdrs_pg_spec_set_source_vpc_id(spec, FIXTURE_VPC, &err), err);
  return spec;
}
static int op_pg_create(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  sdrs_pg_spec *spec = group_spec(c->name);
  char *job = NULL;
  int rc = sdrs_pg_create(&job, cl, spec, o, e);
  sdrs_string_free(job);
  sdrs_pg_spec_free(spec);
  return rc;
}
static int op_pg_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  (void)c;
  sdrs_pg_list *out = NULL;
  int rc = sdrs_pg_list_get(&out, cl, NULL, o, e);
  sdrs_pg_list_free(out);
  return rc;
}
static int op_pg_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o, sdrs_error **e) {
  sdrs_pg *out = NULL;
  int rc = sdrs_pg_get(&out, cl, c->group_id, o, e);
  sdrs_pg_free(out);
  return rc;
}
static int op_pg_rename(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  sdrs_pg *out = NULL;
  int rc = sdrs_pg_rename(&out, cl, c->group_id, c->name, o, e);
  sdrs_pg_free(out);
  return rc;
}
/* The asynchronous calls all return a job id. */
#define JOB_CALL(expr)     \
  do {                     \
    char *job = NULL;      \
    int rc_ = (expr);      \
    sdrs_string_free(job); \
    return rc_;            \
  } while (0)
static int op_pg_delete(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  JOB_CALL(sdrs_pg_delete(&job, cl, c->group_id, o, e));
}
static int op_pg_enable(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  JOB_CALL(sdrs_pg_enable(&job, cl, c->group_id, o, e));
}
static int op_pg_disable(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                         sdrs_error **e) {
  JOB_CALL(sdrs_pg_disable(&job, cl, c->group_id, o, e));
}
static int op_pg_failover(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  JOB_CALL(sdrs_pg_failover(&job, cl, c->group_id, o, e));
}
static int op_pg_planned_failover(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                                  sdrs_error **e) {
  JOB_CALL(sdrs_pg_planned_failover(&job, cl, c->group_id, "target", o, e));
}
static int op_job_poll(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                       sdrs_error **e) {
  sdrs_job *out = NULL;
  int rc = sdrs_job_poll(&out, cl, c->group_job_id, o, e);
  sdrs_job_free(out);
  return rc;
}
static sdrs_pi_spec *instance_spec(const char *group_id, const char *name) {
  sdrs_pi_spec *spec = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_spec_new(&spec, &err), err);
  ST_OK(sdrs_pi_spec_set_server_group_id(spec, group_id, &err), err);
  ST_OK(sdrs_pi_spec_set_server_id(spec, SERVER_APP1, &err), err);
  ST_OK(sdrs_pi_spec_set_name(spec, name, &err), err);
  return spec;
}
static int op_pi_create(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  sdrs_pi_spec *spec = instance_spec(c->group_id, c->name);
  char *job = NULL;
  int rc = sdrs_pi_create(&job, cl, spec, o, e);
  sdrs_string_free(job);
  sdrs_pi_spec_free(spec);
  return rc;
}
static int op_pi_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  (void)c;
  sdrs_pi_list *out = NULL;
  int rc = sdrs_pi_list_get(&out, cl, NULL, o, e);
  sdrs_pi_list_free(out);
  return rc;
}
static int op_pi_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o, sdrs_error **e) {
  sdrs_pi *out = NULL;
  int rc = sdrs_pi_get(&out, cl, c->instance_id, o, e);
  sdrs_pi_free(out);
  return rc;
}
static int op_pi_rename(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  sdrs_pi *out = NULL;
  int rc = sdrs_pi_rename(&out, cl, c->instance_id, c->name, o, e);
  sdrs_pi_free(out);
  return rc;
}
static int op_pi_delete(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  JOB_CALL(sdrs_pi_delete(&job, cl, c->instance_id, 0, 0, o, e));
}
static int op_pi_attach(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  JOB_CALL(sdrs_pi_attach(&job, cl, c->instance_id, c->pair_id, "/dev/vdd", o, e));
}
static int op_pi_detach(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  JOB_CALL(sdrs_pi_detach(&job, cl, c->instance_id, c->vdb_pair_id, o, e));
}
static sdrs_pi_nic_spec *nic_spec(void) {
  sdrs_pi_nic_spec *nic = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_pi_nic_spec_new(&nic, &err), err);
  ST_OK(sdrs_pi_nic_spec_set_subnet_id(nic, NIC_SUBNET, &err), err);
  return nic;
}
static int op_pi_add_nic(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                         sdrs_error **e) {
  sdrs_pi_nic_spec *nic = nic_spec();
  char *job = NULL;
  int rc = sdrs_pi_add_nic(&job, cl, c->instance_id, nic, o, e);
  sdrs_string_free(job);
  sdrs_pi_nic_spec_free(nic);
  return rc;
}
static int op_pi_delete_nic(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                            sdrs_error **e) {
  JOB_CALL(sdrs_pi_delete_nic(&job, cl, c->instance_id, c->nic_id, o, e));
}
static int op_pi_resize(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  /* Only the DR server's flavor: it is SHUTOFF, as a resize requires. */
  JOB_CALL(sdrs_pi_resize(&job, cl, c->instance_id, NULL, NULL, "s3.xlarge.2", o, e));
}
static sdrs_pair_spec *pair_spec(const char *group_id, const char *name) {
  return st_pair_spec_new(group_id, DISK_DATA1, name);
}
static int op_pair_create(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  sdrs_pair_spec *spec = pair_spec(c->group_id, c->name);
  char *job = NULL;
  int rc = sdrs_pair_create(&job, cl, spec, o, e);
  sdrs_string_free(job);
  sdrs_pair_spec_free(spec);
  return rc;
}
static int op_pair_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                            sdrs_error **e) {
  (void)c;
  sdrs_pair_list *out = NULL;
  int rc = sdrs_pair_list_get(&out, cl, NULL, o, e);
  sdrs_pair_list_free(out);
  return rc;
}
static int op_pair_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                       sdrs_error **e) {
  sdrs_pair *out = NULL;
  int rc = sdrs_pair_get(&out, cl, c->pair_id, o, e);
  sdrs_pair_free(out);
  return rc;
}
static int op_pair_rename(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  sdrs_pair *out = NULL;
  int rc = sdrs_pair_rename(&out, cl, c->pair_id, c->name, o, e);
  sdrs_pair_free(out);
  return rc;
}
static int op_pair_delete(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  JOB_CALL(sdrs_pair_delete(&job, cl, c->pair_id, c->group_id, 0, o, e));
}
static int op_pair_expand(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  JOB_CALL(sdrs_pair_expand(&job, cl, c->pair_id, 30, o, e));
}
static sdrs_drill_spec *drill_spec(const char *group_id, const char *name) {
  sdrs_drill_spec *spec = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_drill_spec_new(&spec, &err), err);
  ST_OK(sdrs_drill_spec_set_server_group_id(spec, group_id, &err), err);
  ST_OK(sdrs_drill_spec_set_name(spec, name, &err), err);
  ST_OK(sdrs_drill_spec_set_drill_vpc_id(spec, DRILL_VPC, &err), err);
  return spec;
}
static int op_drill_create(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                           sdrs_error **e) {
  sdrs_drill_spec *spec = drill_spec(c->group_id, c->name);
  char *job = NULL;
  int rc = sdrs_drill_create(&job, cl, spec, o, e);
  sdrs_string_free(job);
  sdrs_drill_spec_free(spec);
  return rc;
}
static int op_drill_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                             sdrs_error **e) {
  (void)c;
  sdrs_drill_list *out = NULL;
  int rc = sdrs_drill_list_get(&out, cl, NULL, o, e);
  sdrs_drill_list_free(out);
  return rc;
}
static int op_drill_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  sdrs_drill *out = NULL;
  int rc = sdrs_drill_get(&out, cl, c->drill_id, o, e);
  sdrs_drill_free(out);
  return rc;
}
static int op_drill_rename(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                           sdrs_error **e) {
  sdrs_drill *out = NULL;
  int rc = sdrs_drill_rename(&out, cl, c->drill_id, c->name, o, e);
  sdrs_drill_free(out);
  return rc;
}
static int op_drill_delete(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                           sdrs_error **e) {
  JOB_CALL(sdrs_drill_delete(&job, cl, c->drill_id, o, e));
}
static int op_tag_add(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o, sdrs_error **e) {
  return sdrs_tag_add(cl, c->instance_id, "fm-added", "v", o, e);
}
static int op_tag_delete(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                         sdrs_error **e) {
  return sdrs_tag_delete(cl, c->instance_id, SETUP_TAG, o, e);
}
static sdrs_tag_set *tag_set(const char *key, const char *value) {
  sdrs_tag_set *set = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_tag_set_new(&set, &err), err);
  ST_OK(sdrs_tag_set_add(set, key, value, &err), err);
  return set;
}
static int op_tag_batch_add(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                            sdrs_error **e) {
  sdrs_tag_set *set = tag_set("fm-added", "v");
  int rc = sdrs_tag_batch_add(cl, c->instance_id, set, o, e);
  sdrs_tag_set_free(set);
  return rc;
}
static int op_tag_batch_delete(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                               sdrs_error **e) {
  sdrs_tag_set *set = tag_set(SETUP_TAG, NULL);
  int rc = sdrs_tag_batch_delete(cl, c->instance_id, set, o, e);
  sdrs_tag_set_free(set);
  return rc;
}
static int op_tag_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                           sdrs_error **e) {
  sdrs_tag_list *out = NULL;
  int rc = sdrs_tag_list_get(&out, cl, c->instance_id, o, e);
  sdrs_tag_list_free(out);
  return rc;
}
static int op_tag_project_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                                   sdrs_error **e) {
  (void)c;
  sdrs_tag_project_list *out = NULL;
  int rc = sdrs_tag_project_list_get(&out, cl, o, e);
  sdrs_tag_project_list_free(out);
  return rc;
}
static sdrs_tag_query *tag_query(void) {
  sdrs_tag_query *q = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_tag_query_new(&q, &err), err);
  ST_OK(sdrs_tag_query_add(q, SDRS_TAG_MATCH_ANY, SETUP_TAG, NULL, &err), err);
  return q;
}
static int op_tag_query_filter(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                               sdrs_error **e) {
  (void)c;
  sdrs_tag_query *q = tag_query();
  sdrs_tag_query_result *out = NULL;
  int rc = sdrs_tag_query_filter(&out, cl, q, o, e);
  sdrs_tag_query_result_free(out);
  sdrs_tag_query_free(q);
  return rc;
}
static int op_tag_query_count(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                              sdrs_error **e) {
  (void)c;
  sdrs_tag_query *q = tag_query();
  int64_t n = -1;
  int rc = sdrs_tag_query_count(&n, cl, q, o, e);
  sdrs_tag_query_free(q);
  return rc;
}
static int op_task_list_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                            sdrs_error **e) {
  (void)c;
  sdrs_task_list *out = NULL;
  int rc = sdrs_task_list_get(&out, cl, NULL, o, e);
  sdrs_task_list_free(out);
  return rc;
}
static int op_task_delete(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                          sdrs_error **e) {
  return sdrs_task_delete(cl, c->failure_id, o, e);
}
static int op_task_delete_group(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                                sdrs_error **e) {
  return sdrs_task_delete_group(cl, c->group_id, o, e);
}
static int op_task_delete_group_level(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                                      sdrs_error **e) {
  (void)c;
  return sdrs_task_delete_group_level(cl, o, e);
}
static int op_quota_get(const cell_ctx *c, sdrs_client *cl, const sdrs_call_opts *o,
                        sdrs_error **e) {
  (void)c;
  sdrs_quota *out = NULL;
  int rc = sdrs_quota_get(&out, cl, o, e);
  sdrs_quota_free(out);
  return rc;
}

#define G NEED_GROUP
#define I (NEED_GROUP | NEED_INSTANCE)
static const operation kOps[] = {
    {"sdrs_apiversion_list_get", "GET", "\"method\":\"GET\",\"path_regex\":\"^/$\"", 0, FX_JOBS,
     op_apiversion_list_get},
    {"sdrs_apiversion_get", "GET", "\"method\":\"GET\",\"path_regex\":\"^/v1$\"", 0, FX_JOBS,
     op_apiversion_get},
    {"sdrs_domain_list_get", "GET", "\"route\":\"GET /active-domains\"", 0, FX_JOBS,
     op_domain_list_get},
    {"sdrs_pg_create", "POST", "\"route\":\"POST /server-groups\"", 0, FX_GROUPS, op_pg_create},
    {"sdrs_pg_list_get", "GET", "\"route\":\"GET /server-groups\"", G, FX_JOBS, op_pg_list_get},
    {"sdrs_pg_get", "GET", "\"route\":\"GET /server-groups/*\"", G, FX_JOBS, op_pg_get},
    {"sdrs_pg_rename", "PUT", "\"route\":\"PUT /server-groups/*\"", G, FX_RENAMED_GROUP,
     op_pg_rename},
    {"sdrs_pg_delete", "DELETE", "\"route\":\"DELETE /server-groups/*\"", G, FX_JOBS, op_pg_delete},
    {"sdrs_pg_enable", "POST", "\"route\":\"POST /server-groups/*/action\"", G | NEED_PAIR, FX_JOBS,
     op_pg_enable},
    {"sdrs_pg_disable", "POST", "\"route\":\"POST /server-groups/*/action\"",
     G | NEED_PAIR | NEED_PROTECTED, FX_JOBS, op_pg_disable},
    {"sdrs_pg_failover", "POST", "\"route\":\"POST /server-groups/*/action\"",
     G | NEED_PAIR | NEED_PROTECTED, FX_JOBS, op_pg_failover},
    {"sdrs_pg_planned_failover", "POST", "\"route\":\"POST /server-groups/*/action\"",
     G | NEED_PAIR | NEED_PROTECTED, FX_JOBS, op_pg_planned_failover},
    {"sdrs_job_poll", "GET", "\"route\":\"GET /jobs/*\"", G, FX_JOBS, op_job_poll},
    {"sdrs_pi_create", "POST", "\"route\":\"POST /protected-instances\"", G, FX_INSTANCES,
     op_pi_create},
    {"sdrs_pi_list_get", "GET", "\"route\":\"GET /protected-instances\"", G | NEED_INSTANCE,
     FX_JOBS, op_pi_list_get},
    {"sdrs_pi_get", "GET", "\"route\":\"GET /protected-instances/*\"", G | NEED_INSTANCE, FX_JOBS,
     op_pi_get},
    {"sdrs_pi_rename", "PUT", "\"route\":\"PUT /protected-instances/*\"", G | NEED_INSTANCE,
     FX_RENAMED_INSTANCE, op_pi_rename},
    {"sdrs_pi_delete", "DELETE", "\"route\":\"DELETE /protected-instances/*\"", G | NEED_INSTANCE,
     FX_JOBS, op_pi_delete},
    {"sdrs_pi_attach", "POST", "\"route\":\"POST /protected-instances/*/attachreplication\"",
     G | NEED_INSTANCE | NEED_PAIR, FX_JOBS, op_pi_attach},
    {"sdrs_pi_detach", "DELETE", "\"route\":\"DELETE /protected-instances/*/detachreplication/*\"",
     G | NEED_INSTANCE, FX_JOBS, op_pi_detach},
    {"sdrs_pi_add_nic", "POST", "\"route\":\"POST /protected-instances/*/nic\"", G | NEED_INSTANCE,
     FX_JOBS, op_pi_add_nic},
    {"sdrs_pi_delete_nic", "POST", "\"route\":\"POST /protected-instances/*/nic/delete\"",
     G | NEED_INSTANCE | NEED_NIC, FX_JOBS, op_pi_delete_nic},
    {"sdrs_pi_resize", "POST", "\"route\":\"POST /protected-instances/*/resize\"",
     G | NEED_INSTANCE, FX_JOBS, op_pi_resize},
    {"sdrs_pair_create", "POST", "\"route\":\"POST /replications\"", G, FX_PAIRS, op_pair_create},
    {"sdrs_pair_list_get", "GET", "\"route\":\"GET /replications\"", G | NEED_PAIR, FX_JOBS,
     op_pair_list_get},
    {"sdrs_pair_get", "GET", "\"route\":\"GET /replications/*\"", G | NEED_PAIR, FX_JOBS,
     op_pair_get},
    {"sdrs_pair_rename", "PUT", "\"route\":\"PUT /replications/*\"", G | NEED_PAIR, FX_RENAMED_PAIR,
     op_pair_rename},
    {"sdrs_pair_delete", "DELETE", "\"route\":\"DELETE /replications/*\"", G | NEED_PAIR, FX_JOBS,
     op_pair_delete},
    {"sdrs_pair_expand", "POST", "\"route\":\"POST /replications/*/action\"", G | NEED_PAIR,
     FX_JOBS, op_pair_expand},
    {"sdrs_drill_create", "POST", "\"route\":\"POST /disaster-recovery-drills\"", G, FX_DRILLS,
     op_drill_create},
    {"sdrs_drill_list_get", "GET", "\"route\":\"GET /disaster-recovery-drills\"", G | NEED_DRILL,
     FX_JOBS, op_drill_list_get},
    {"sdrs_drill_get", "GET", "\"route\":\"GET /disaster-recovery-drills/*\"", G | NEED_DRILL,
     FX_JOBS, op_drill_get},
    {"sdrs_drill_rename", "PUT", "\"route\":\"PUT /disaster-recovery-drills/*\"", G | NEED_DRILL,
     FX_RENAMED_DRILL, op_drill_rename},
    {"sdrs_drill_delete", "DELETE", "\"route\":\"DELETE /disaster-recovery-drills/*\"",
     G | NEED_DRILL, FX_JOBS, op_drill_delete},
    {"sdrs_tag_add", "POST (no body)", "\"route\":\"POST /protected-instances/*/tags\"", I,
     FX_TAGS_ADDED, op_tag_add},
    {"sdrs_tag_delete", "DELETE (no body)", "\"route\":\"DELETE /protected-instances/*/tags/*\"",
     I | NEED_TAG, FX_TAGS_REMOVED, op_tag_delete},
    {"sdrs_tag_batch_add", "POST (no body)",
     "\"route\":\"POST /protected-instances/*/tags/action\"", I, FX_TAGS_ADDED, op_tag_batch_add},
    {"sdrs_tag_batch_delete", "POST (no body)",
     "\"route\":\"POST /protected-instances/*/tags/action\"", I | NEED_TAG, FX_TAGS_REMOVED,
     op_tag_batch_delete},
    {"sdrs_tag_list_get", "GET", "\"route\":\"GET /protected-instances/*/tags\"", I | NEED_TAG,
     FX_JOBS, op_tag_list_get},
    {"sdrs_tag_project_list_get", "GET", "\"route\":\"GET /protected-instances/tags\"",
     I | NEED_TAG, FX_JOBS, op_tag_project_list_get},
    {"sdrs_tag_query_filter", "POST (read)",
     "\"route\":\"POST /protected-instances/resource_instances/action\"", I | NEED_TAG, FX_JOBS,
     op_tag_query_filter},
    {"sdrs_tag_query_count", "POST (read)",
     "\"route\":\"POST /protected-instances/resource_instances/action\"", I | NEED_TAG, FX_JOBS,
     op_tag_query_count},
    {"sdrs_task_list_get", "GET", "\"route\":\"GET /task-center/failure-jobs\"", G | NEED_FAILURES,
     FX_JOBS, op_task_list_get},
    {"sdrs_task_delete", "DELETE (no body)", "\"route\":\"DELETE /task-center/failure-jobs/*\"",
     G | NEED_FAILURES, FX_RECORDS_REMOVED, op_task_delete},
    {"sdrs_task_delete_group", "DELETE (no body)",
     "\"route\":\"DELETE /task-center/*/failure-jobs/batch\"", G | NEED_FAILURES,
     FX_RECORDS_REMOVED, op_task_delete_group},
    {"sdrs_task_delete_group_level", "DELETE (no body)",
     "\"route\":\"DELETE /task-center/failure-jobs/batch\"", G | NEED_FAILURES, FX_RECORDS_REMOVED,
     op_task_delete_group_level},
    {"sdrs_quota_get", "GET", "\"route\":\"GET /sdrs/quotas\"", 0, FX_JOBS, op_quota_get},
};
#undef I
#undef G
#define N_OPS (sizeof kOps / sizeof kOps[0])

/* The set-up column of the doc's operations table. */
static void setup_text(unsigned needs, char *buf, size_t size) {
  buf[0] = '\0';
  static const struct {
    unsigned flag;
    const char *text;
  } parts[] = {
      {NEED_GROUP, "group"},       {NEED_PAIR, "pair"},        {NEED_PROTECTED, "protected"},
      {NEED_INSTANCE, "instance"}, {NEED_NIC, "second NIC"},   {NEED_DRILL, "drill"},
      {NEED_TAG, "tag"},           {NEED_FAILURES, "failures"}};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    if (needs & parts[i].flag) {
      if (buf[0] != '\0') strncat(buf, ", ", size - strlen(buf) - 1);
      strncat(buf, parts[i].text, size - strlen(buf) - 1);
    }
  }
  if (buf[0] == '\0') snprintf(buf, size, "-");
}

/* The method class of the doc's expectations table. A read-only POST (the tag query) follows
 * the GET rules; a call answered without a body ("POST (no body)", "DELETE (no body)") those
 * of its method, except where the table has a row for "<class>, no body". */
static const char *method_class(const char *method) {
  if (strcmp(method, "GET") == 0 || strcmp(method, "POST (read)") == 0) return "GET";
  if (strncmp(method, "POST", 4) == 0) return "POST";
  return "PUT, DELETE";
}
static int no_body(const char *method) {
  return strstr(method, "(no body)") != NULL;
}

/* ---- the doc's tables ---- */

#define CELL_MAX 256
typedef struct doc_row {
  char cell[8][CELL_MAX];
  int ncells;
  int used;
} doc_row;

typedef struct doc_tables {
  doc_row ops[96];
  int nops;
  doc_row faults[64];
  int nfaults;
  doc_row expect[128];
  int nexpect;
  char problem[512]; /* the first thing wrong with the document itself */
} doc_tables;

static doc_tables g_doc;

/* Copies a cell without the surrounding blanks and Markdown backticks. */
static void cell_copy(char *dst, const char *start, const char *end) {
  while (start < end && (*start == ' ' || *start == '`')) start++;
  while (end > start && (end[-1] == ' ' || end[-1] == '`')) end--;
  size_t n = (size_t)(end - start);
  if (n >= CELL_MAX) n = CELL_MAX - 1;
  memcpy(dst, start, n);
  dst[n] = '\0';
}

static int split_row(const char *line, doc_row *row) {
  memset(row, 0, sizeof *row);
  const char *p = line + 1; /* after the leading '|' */
  while (*p != '\0' && *p != '\n' && row->ncells < 8) {
    const char *bar = strchr(p, '|');
    if (bar == NULL) break;
    cell_copy(row->cell[row->ncells++], p, bar);
    p = bar + 1;
  }
  return row->ncells;
}

static void load_doc(void) {
  memset(&g_doc, 0, sizeof g_doc);
  const char *path = getenv("SDRS_RELIABILITY_DOC");
  if (path == NULL || path[0] == '\0') path = SDRS_RELIABILITY_DOC;
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    snprintf(g_doc.problem, sizeof g_doc.problem, "cannot open %s", path);
    return;
  }
  char line[1024];
  int in_section = 0;
  enum { T_NONE, T_OPS, T_FAULTS, T_EXPECT, T_OTHER } table = T_NONE;
  int header_next = 1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "## ", 3) == 0) {
      in_section = strncmp(line, "## Fault matrix", 15) == 0;
      continue;
    }
    if (!in_section) continue;
    if (line[0] != '|') {
      header_next = 1;
      table = T_NONE;
      continue;
    }
    doc_row row;
    split_row(line, &row);
    if (header_next) {
      header_next = 0;
      if (strcmp(row.cell[0], "operation") == 0) {
        table = T_OPS;
      } else if (strcmp(row.cell[0], "fault") == 0 && strcmp(row.cell[1], "rule") == 0) {
        table = T_FAULTS;
      } else if (strcmp(row.cell[0], "fault") == 0 && strcmp(row.cell[1], "methods") == 0) {
        table = T_EXPECT;
      } else {
        table = T_OTHER;
      }
      continue;
    }
    if (strspn(row.cell[0], "-:") == strlen(row.cell[0]) && row.cell[0][0] != '\0') continue;
    if (table == T_OPS && g_doc.nops < 96) g_doc.ops[g_doc.nops++] = row;
    if (table == T_FAULTS && g_doc.nfaults < 64) g_doc.faults[g_doc.nfaults++] = row;
    if (table == T_EXPECT && g_doc.nexpect < 128) g_doc.expect[g_doc.nexpect++] = row;
  }
  fclose(f);
  if (g_doc.nops == 0 || g_doc.nfaults == 0 || g_doc.nexpect == 0) {
    snprintf(g_doc.problem, sizeof g_doc.problem,
             "%s: section \"## Fault matrix\" lacks a table (operations %d, faults %d, "
             "expectations %d rows)",
             path, g_doc.nops, g_doc.nfaults, g_doc.nexpect);
  }
}

/* An expectation row, parsed. */
typedef struct expectation {
  char code[40]; /* "SDRS_ESERVER" */
  int retryable;
  int unknown;
  int attempts;
  int effect;
} expectation;

/* "0", "1", or "-" (-1: no error to ask, in a success row). */
static int parse_flag(const char *s, int *out) {
  if (strcmp(s, "0") == 0 || strcmp(s, "1") == 0) {
    *out = s[0] - '0';
    return 1;
  }
  if (strcmp(s, "-") == 0) {
    *out = -1;
    return 1;
  }
  return 0;
}

/* The doc's expectation for one fault and method class; 0 when there is none or it does not
 * parse (the caller reports it). */
static int find_expectation(const char *fault, const char *mclass, expectation *out, char *why,
                            size_t why_size) {
  int found = 0;
  for (int i = 0; i < g_doc.nexpect; i++) {
    doc_row *r = &g_doc.expect[i];
    if (r->ncells < 7 || strcmp(r->cell[0], fault) != 0 || strcmp(r->cell[1], mclass) != 0) {
      continue;
    }
    found++;
    memset(out, 0, sizeof *out);
    /* A code name is short; a longer cell cannot be a code and fails the comparison anyway. */
    if (strlen(r->cell[2]) >= sizeof out->code - 5) {
      snprintf(why, why_size, "row \"%s | %s\": code cell too long", fault, mclass);
      return 0;
    }
    if (strcmp(r->cell[2], "success") == 0) {
      snprintf(out->code, sizeof out->code, "success");
    } else {
      memcpy(out->code, "SDRS_", 5);
      memcpy(out->code + 5, r->cell[2], strlen(r->cell[2]) + 1);
    }
    char *end = NULL;
    long attempts = strtol(r->cell[5], &end, 10);
    long effect = strtol(r->cell[6], &end, 10);
    if (!parse_flag(r->cell[3], &out->retryable) || !parse_flag(r->cell[4], &out->unknown) ||
        attempts < 1 || effect < 0) {
      snprintf(why, why_size, "row \"%s | %s\" does not parse", fault, mclass);
      return 0;
    }
    out->attempts = (int)attempts;
    out->effect = (int)effect;
  }
  if (found != 1) {
    snprintf(why, why_size, "%d rows for \"%s | %s\" in the expectations table (want 1)", found,
             fault, mclass);
    return 0;
  }
  return 1;
}

/* Rows of the expectations table for one fault and class. */
static int expectation_rows(const char *fault, const char *mclass) {
  int n = 0;
  for (int i = 0; i < g_doc.nexpect; i++) {
    const doc_row *r = &g_doc.expect[i];
    if (strcmp(r->cell[0], fault) == 0 && strcmp(r->cell[1], mclass) == 0) n++;
  }
  return n;
}

/* The expectation for an operation's method: its "no body" row when there is one. */
static int find_expectation_for(const char *fault, const char *method, expectation *out, char *why,
                                size_t why_size) {
  char mclass[64];
  snprintf(mclass, sizeof mclass, "%s, no body", method_class(method));
  if (no_body(method) && expectation_rows(fault, mclass) > 0) {
    return find_expectation(fault, mclass, out, why, why_size);
  }
  return find_expectation(fault, method_class(method), out, why, why_size);
}

/* ---- set-up and effects ---- */

static sdrs_client *g_setup;  /* normal settings: set-up and checks */
static sdrs_client *g_matrix; /* the client under test */

static void entity(char *dst, size_t size, sdrs_client *client, const char *job_id,
                   const char *key) {
  sdrs_job *job = st_wait_ok(client, job_id);
  const char *v = sdrs_job_entity(job, key);
  assert_non_null(v);
  snprintf(dst, size, "%s", v);
  sdrs_job_free(job);
}

static void cell_setup(cell_ctx *c, unsigned needs) {
  sdrs_error *err = NULL;
  char name[80];
  char *job = NULL;
  st_reset();
  memset(c, 0, sizeof *c);
  if (needs & NEED_GROUP) {
    st_unique_name(name, sizeof name, "fm-group");
    sdrs_pg_spec *spec = group_spec(name);
    ST_OK(sdrs_pg_create(&job, g_setup, spec, NULL, &err), err);
    snprintf(c->group_job_id, sizeof c->group_job_id, "%s", job);
    entity(c->group_id, sizeof c->group_id, g_setup, job, "server_group_id");
    sdrs_string_free(job);
    sdrs_pg_spec_free(spec);
  }
  if (needs & NEED_PAIR) {
    st_unique_name(name, sizeof name, "fm-pair");
    sdrs_pair_spec *spec = pair_spec(c->group_id, name);
    ST_OK(sdrs_pair_create(&job, g_setup, spec, NULL, &err), err);
    entity(c->pair_id, sizeof c->pair_id, g_setup, job, "replication_pair_id");
    sdrs_string_free(job);
    sdrs_pair_spec_free(spec);
  }
  if (needs & NEED_PROTECTED) {
    ST_OK(sdrs_pg_enable(&job, g_setup, c->group_id, NULL, &err), err);
    sdrs_job_free(st_wait_ok(g_setup, job));
    sdrs_string_free(job);
  }
  if (needs & NEED_INSTANCE) {
    st_unique_name(name, sizeof name, "fm-instance");
    sdrs_pi_spec *spec = instance_spec(c->group_id, name);
    ST_OK(sdrs_pi_create(&job, g_setup, spec, NULL, &err), err);
    entity(c->instance_id, sizeof c->instance_id, g_setup, job, "protected_instance_id");
    sdrs_string_free(job);
    sdrs_pi_spec_free(spec);
    sdrs_pi *pi = NULL;
    ST_OK(sdrs_pi_get(&pi, g_setup, c->instance_id, NULL, &err), err);
    for (size_t i = 0; i < sdrs_pi_attachment_count(pi); i++) {
      if (strcmp(sdrs_pi_attachment_device(pi, i), "/dev/vdb") == 0) {
        snprintf(c->vdb_pair_id, sizeof c->vdb_pair_id, "%s",
                 sdrs_pi_attachment_replication_id(pi, i));
      }
    }
    sdrs_pi_free(pi);
    assert_true(c->vdb_pair_id[0] != '\0');
  }
  if (needs & NEED_NIC) {
    sdrs_pi_nic_spec *nic = nic_spec();
    ST_OK(sdrs_pi_add_nic(&job, g_setup, c->instance_id, nic, NULL, &err), err);
    entity(c->nic_id, sizeof c->nic_id, g_setup, job, "nic_id");
    sdrs_string_free(job);
    sdrs_pi_nic_spec_free(nic);
  }
  if (needs & NEED_DRILL) {
    st_unique_name(name, sizeof name, "fm-drill");
    sdrs_drill_spec *spec = drill_spec(c->group_id, name);
    ST_OK(sdrs_drill_create(&job, g_setup, spec, NULL, &err), err);
    entity(c->drill_id, sizeof c->drill_id, g_setup, job, "disaster_recovery_drill_id");
    sdrs_string_free(job);
    sdrs_drill_spec_free(spec);
  }
  if (needs & NEED_TAG)
    ST_OK(sdrs_tag_add(g_setup, c->instance_id, SETUP_TAG, "x", NULL, &err), err);
  if (needs & NEED_FAILURES) {
    /* A group-level record (a failed group create: a "fail-" name) and one inside the group
     * (a pair create failed through fail-next-jobs). */
    st_unique_name(name, sizeof name, "fail-fm");
    sdrs_pg_spec *spec = group_spec(name);
    ST_OK(sdrs_pg_create(&job, g_setup, spec, NULL, &err), err);
    sdrs_job *failed = NULL;
    assert_int_equal(sdrs_job_wait(&failed, g_setup, job, NULL, &err), SDRS_EJOBFAILED);
    sdrs_error_free(err);
    err = NULL;
    sdrs_job_free(failed);
    snprintf(c->failure_id, sizeof c->failure_id, "%s", job);
    sdrs_string_free(job);
    sdrs_pg_spec_free(spec);
    st_fail_next_jobs(1, "SDRS.1609", "fault matrix set-up");
    st_unique_name(name, sizeof name, "fm-failing-pair");
    sdrs_pair_spec *ps = pair_spec(c->group_id, name);
    ST_OK(sdrs_pair_create(&job, g_setup, ps, NULL, &err), err);
    assert_int_equal(sdrs_job_wait(&failed, g_setup, job, NULL, &err), SDRS_EJOBFAILED);
    sdrs_error_free(err);
    sdrs_job_free(failed);
    sdrs_string_free(job);
    sdrs_pair_spec_free(ps);
    assert_int_equal(st_stat("failure_jobs"), 2);
  }
}

typedef struct counts {
  long long groups, jobs, instances, pairs, drills, tags, failures;
} counts;

static long long drills_now(void) {
  sdrs_drill_list *l = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_drill_list_get(&l, g_setup, NULL, NULL, &err), err);
  long long n = (long long)sdrs_drill_list_size(l);
  sdrs_drill_list_free(l);
  return n;
}

static long long tags_now(const char *instance_id) {
  if (instance_id[0] == '\0') return 0;
  sdrs_tag_list *l = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_tag_list_get(&l, g_setup, instance_id, NULL, &err), err);
  long long n = (long long)sdrs_tag_list_size(l);
  sdrs_tag_list_free(l);
  return n;
}

/* What exists now; drills and tags only when op's effect counts them (the calls cost requests,
 * and an instance an operation deleted has no tags to list). */
static counts count_now(const operation *op, const cell_ctx *c) {
  char *resp = NULL;
  assert_int_equal(st_admin("GET", "/_emulator/stats", NULL, &resp), 200);
  counts n;
  n.groups = st_json_int(resp, "groups");
  n.jobs = st_json_int(resp, "jobs");
  n.instances = st_json_int(resp, "protected_instances");
  n.pairs = st_json_int(resp, "replications");
  n.failures = st_json_int(resp, "failure_jobs");
  free(resp);
  n.drills = op->fx == FX_DRILLS ? drills_now() : 0;
  n.tags = op->fx == FX_TAGS_ADDED || op->fx == FX_TAGS_REMOVED ? tags_now(c->instance_id) : 0;
  return n;
}

static int renamed(const operation *op, const cell_ctx *c) {
  sdrs_error *err = NULL;
  int same = 0;
  if (op->fx == FX_RENAMED_GROUP) {
    sdrs_pg *pg = NULL;
    ST_OK(sdrs_pg_get(&pg, g_setup, c->group_id, NULL, &err), err);
    same = strcmp(sdrs_pg_name(pg), c->name) == 0;
    sdrs_pg_free(pg);
  } else if (op->fx == FX_RENAMED_INSTANCE) {
    sdrs_pi *pi = NULL;
    ST_OK(sdrs_pi_get(&pi, g_setup, c->instance_id, NULL, &err), err);
    same = strcmp(sdrs_pi_name(pi), c->name) == 0;
    sdrs_pi_free(pi);
  } else if (op->fx == FX_RENAMED_DRILL) {
    sdrs_drill *d = NULL;
    ST_OK(sdrs_drill_get(&d, g_setup, c->drill_id, NULL, &err), err);
    same = strcmp(sdrs_drill_name(d), c->name) == 0;
    sdrs_drill_free(d);
  } else {
    sdrs_pair *pair = NULL;
    ST_OK(sdrs_pair_get(&pair, g_setup, c->pair_id, NULL, &err), err);
    same = strcmp(sdrs_pair_name(pair), c->name) == 0;
    sdrs_pair_free(pair);
  }
  return same;
}

static long long effect_now(const operation *op, const cell_ctx *c, const counts *before) {
  counts now = count_now(op, c);
  switch (op->fx) {
    case FX_JOBS:
      return now.jobs - before->jobs;
    case FX_GROUPS:
      return now.groups - before->groups;
    case FX_INSTANCES:
      return now.instances - before->instances;
    case FX_PAIRS:
      return now.pairs - before->pairs;
    case FX_DRILLS:
      return now.drills - before->drills;
    case FX_TAGS_ADDED:
      return now.tags - before->tags;
    case FX_TAGS_REMOVED:
      return before->tags - now.tags;
    case FX_RECORDS_REMOVED:
      return before->failures - now.failures;
    default:
      return renamed(op, c);
  }
}

/* ---- one cell ---- */

/* Runs op under fault f; returns 1 when the cell agrees with the doc, else prints why. Sets
 * *changed when the service state may differ from the set-up afterwards. */
static int run_cell(const operation *op, const fault_kind *f, cell_ctx *c, int *changed) {
  char why[256] = "";
  expectation want;
  if (!find_expectation_for(f->name, op->method, &want, why, sizeof why)) {
    fprintf(stderr, "DISAGREE %s x %s: %s\n", op->name, f->name, why);
    *changed = 1;
    return 0;
  }
  st_unique_name(c->name, sizeof c->name, "fm-cell");
  char rule[512];
  /* The rule without its closing brace, then every matching request and the scope. */
  snprintf(rule, sizeof rule, "%.*s,\"count\":-1,%s}", (int)(strlen(f->rule) - 1), f->rule,
           op->scope);
  counts before = count_now(op, c);
  st_fault_add(rule);

  sdrs_call_opts *opts = NULL;
  sdrs_error *err = NULL;
  ST_OK(sdrs_call_opts_new(&opts, &err), err);
  ST_OK(sdrs_call_opts_set_timeout_ms(opts, f->deadline_ms * st_time_scale(), &err), err);
  int rc = op->call(c, g_matrix, opts, &err);
  sdrs_call_opts_free(opts);
  long long hits = st_faults_hits();
  st_faults_clear();

  /* A request the service acts on after a delay (slow response) is waited for: its effect
   * must show before the next cell resets the emulator. */
  long long effect = effect_now(op, c, &before);
  for (int64_t until = st_now_ms() + 10000 * st_time_scale();
       effect < want.effect && st_now_ms() < until;) {
    st_sleep_ms(20);
    effect = effect_now(op, c, &before);
  }
  *changed = f->processed || effect != 0;

  int ok = 1;
  const char *got_code = rc == 0 ? "success" : sdrs_error_name(rc);
  int retryable = err ? sdrs_error_retryable(err) : -1;
  int unknown = err ? sdrs_error_outcome_unknown(err) : -1;
  int attempts = err ? (int)sdrs_error_attempts(err) : -1;
  if (strcmp(want.code, "success") == 0) {
    /* A success row: no error, and the emulator saw the row's requests. */
    if (rc != 0 || err != NULL || hits != want.attempts || effect != want.effect) ok = 0;
  } else {
    if (rc == 0 || err == NULL || strcmp(got_code, want.code) != 0 || sdrs_error_code(err) != rc ||
        retryable != want.retryable || unknown != want.unknown || attempts != want.attempts ||
        effect != want.effect) {
      ok = 0;
    }
    /* The emulator saw exactly the requests the error reports. */
    if (hits != attempts) ok = 0;
  }
  /* An unknown outcome carries the send time and says what may have happened. */
  if (err != NULL && unknown == 1 &&
      (sdrs_error_sent_at_ms(err) <= 0 ||
       !st_contains(sdrs_error_message(err), "may have acted"))) {
    ok = 0;
  }
  if (!ok) {
    fprintf(stderr,
            "DISAGREE %s x %s:\n  doc: %s retryable %d unknown %d attempts %d effect %d\n"
            "  got: %s retryable %d unknown %d attempts %d effect %lld (emulator saw %lld "
            "requests)\n  message: %s\n",
            op->name, f->name, want.code, want.retryable, want.unknown, want.attempts, want.effect,
            got_code, retryable, unknown, attempts, effect, hits,
            err ? sdrs_error_message(err) : "-");
  }
  sdrs_error_free(err);
  return ok;
}

static void run_row(const operation *op) {
  assert_true(g_doc.problem[0] == '\0');
  cell_ctx c;
  int dirty = 1;
  int disagree = 0;
  int64_t t0 = st_now_ms();
  for (size_t i = 0; i < N_FAULTS; i++) {
    if (dirty) cell_setup(&c, op->needs);
    if (!run_cell(op, &kFaults[i], &c, &dirty)) disagree++;
  }
  fprintf(stderr, "%-26s %s: %d cells, %d disagree (%lld ms)\n", op->name, op->method,
          (int)N_FAULTS, disagree, (long long)(st_now_ms() - t0));
  assert_int_equal(disagree, 0);
}

/* ---- tests ---- */

/* Every row of the doc's three tables is one the test knows, with the same values, and every
 * operation x method class has its rows. */
static void test_doc_tables_match(void **state) {
  (void)state;
  if (g_doc.problem[0] != '\0') fprintf(stderr, "%s\n", g_doc.problem);
  assert_true(g_doc.problem[0] == '\0');
  int bad = 0;
  for (size_t i = 0; i < N_OPS; i++) {
    const operation *op = &kOps[i];
    char setup[128];
    setup_text(op->needs, setup, sizeof setup);
    int n = 0;
    for (int j = 0; j < g_doc.nops; j++) {
      doc_row *r = &g_doc.ops[j];
      if (strcmp(r->cell[0], op->name) != 0) continue;
      n++;
      r->used = 1;
      if (r->ncells < 5 || strcmp(r->cell[1], op->method) != 0 ||
          strcmp(r->cell[2], op->scope) != 0 || strcmp(r->cell[3], setup) != 0 ||
          strcmp(r->cell[4], effect_text(op->fx)) != 0) {
        fprintf(stderr, "doc operation row %s differs; want: | `%s` | %s | `%s` | %s | %s |\n",
                op->name, op->name, op->method, op->scope, setup, effect_text(op->fx));
        bad++;
      }
    }
    if (n != 1) {
      fprintf(stderr, "doc has %d rows for operation %s (want 1)\n", n, op->name);
      bad++;
    }
  }
  static const char *const kClasses[] = {"GET", "PUT, DELETE", "POST"};
  for (size_t i = 0; i < N_FAULTS; i++) {
    const fault_kind *f = &kFaults[i];
    int n = 0;
    for (int j = 0; j < g_doc.nfaults; j++) {
      doc_row *r = &g_doc.faults[j];
      if (strcmp(r->cell[0], f->name) != 0) continue;
      n++;
      r->used = 1;
      if (r->ncells < 3 || strcmp(r->cell[1], f->rule) != 0 ||
          strcmp(r->cell[2], f->processed ? "yes" : "no") != 0) {
        fprintf(stderr, "doc fault row %s differs; want: | %s | `%s` | %s |\n", f->name, f->name,
                f->rule, f->processed ? "yes" : "no");
        bad++;
      }
    }
    if (n != 1) {
      fprintf(stderr, "doc has %d rows for fault %s (want 1)\n", n, f->name);
      bad++;
    }
    for (size_t k = 0; k < 3; k++) {
      expectation e;
      char why[256];
      if (!find_expectation(f->name, kClasses[k], &e, why, sizeof why)) {
        fprintf(stderr, "doc expectations: %s\n", why);
        bad++;
      }
      for (int j = 0; j < g_doc.nexpect; j++) {
        doc_row *r = &g_doc.expect[j];
        if (strcmp(r->cell[0], f->name) == 0 && strcmp(r->cell[1], kClasses[k]) == 0) r->used = 1;
      }
    }
    /* The optional "no body" rows, of a class some operation has. */
    for (size_t o = 0; o < N_OPS; o++) {
      if (!no_body(kOps[o].method)) continue;
      char mclass[64];
      snprintf(mclass, sizeof mclass, "%s, no body", method_class(kOps[o].method));
      if (expectation_rows(f->name, mclass) == 0) continue;
      expectation e;
      char why[256];
      if (!find_expectation(f->name, mclass, &e, why, sizeof why)) {
        fprintf(stderr, "doc expectations: %s\n", why);
        bad++;
      }
      for (int j = 0; j < g_doc.nexpect; j++) {
        doc_row *r = &g_doc.expect[j];
        if (strcmp(r->cell[0], f->name) == 0 && strcmp(r->cell[1], mclass) == 0) r->used = 1;
      }
    }
  }
  /* Rows the test does not know (a renamed operation or fault, a typo) are errors too. */
  for (int j = 0; j < g_doc.nops; j++) {
    if (!g_doc.ops[j].used) {
      fprintf(stderr, "doc operation row %s is not in the test\n", g_doc.ops[j].cell[0]);
      bad++;
    }
  }
  for (int j = 0; j < g_doc.nfaults; j++) {
    if (!g_doc.faults[j].used) {
      fprintf(stderr, "doc fault row %s is not in the test\n", g_doc.faults[j].cell[0]);
      bad++;
    }
  }
  for (int j = 0; j < g_doc.nexpect; j++) {
    if (!g_doc.expect[j].used) {
      fprintf(stderr, "doc expectation row %s | %s is not in the test\n", g_doc.expect[j].cell[0],
              g_doc.expect[j].cell[1]);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

static const operation *op_named(const char *name) {
  for (size_t i = 0; i < N_OPS; i++) {
    if (strcmp(kOps[i].name, name) == 0) return &kOps[i];
  }
  fail_msg("no operation %s in kOps", name);
  return NULL;
}

#define ROW(fn)                         \
  static void test_##fn(void **state) { \
    (void)state;                        \
    run_row(op_named("sdrs_" #fn));     \
  }
ROW(apiversion_list_get)
ROW(apiversion_get)
ROW(domain_list_get)
ROW(pg_create)
ROW(pg_list_get)
ROW(pg_get)
ROW(pg_rename)
ROW(pg_delete)
ROW(pg_enable)
ROW(pg_disable)
ROW(pg_failover)
ROW(pg_planned_failover)
ROW(job_poll)
ROW(pi_create)
ROW(pi_list_get)
ROW(pi_get)
ROW(pi_rename)
ROW(pi_delete)
ROW(pi_attach)
ROW(pi_detach)
ROW(pi_add_nic)
ROW(pi_delete_nic)
ROW(pi_resize)
ROW(pair_create)
ROW(pair_list_get)
ROW(pair_get)
ROW(pair_rename)
ROW(pair_delete)
ROW(pair_expand)
ROW(drill_create)
ROW(drill_list_get)
ROW(drill_get)
ROW(drill_rename)
ROW(drill_delete)
ROW(tag_add)
ROW(tag_delete)
ROW(tag_batch_add)
ROW(tag_batch_delete)
ROW(tag_list_get)
ROW(tag_project_list_get)
ROW(tag_query_filter)
ROW(tag_query_count)
ROW(task_list_get)
ROW(task_delete)
ROW(task_delete_group)
ROW(task_delete_group_level)
ROW(quota_get)

static int group_setup(void **state) {
  (void)state;
  st_global_init();
  load_doc();
  g_setup = st_client_new(NULL);
  sdrs_config *cfg = st_config_new(NULL);
  sdrs_error *err = NULL;
  ST_OK(sdrs_config_set_max_attempts(cfg, MATRIX_MAX_ATTEMPTS, &err), err);
  ST_OK(sdrs_config_set_max_response_bytes(cfg, MATRIX_MAX_RESPONSE_BYTES, &err), err);
  ST_OK(sdrs_client_new(&g_matrix, cfg, &err), err);
  sdrs_config_free(cfg);
  st_faults_clear();
  /* Jobs finish at once: set-ups take a few requests, not job durations. */
  st_set_job_times(0, 0);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  st_faults_clear();
  st_set_job_times(ST_JOB_INIT_MS, ST_JOB_RUN_MS);
  st_reset();
  sdrs_client_free(g_matrix);
  sdrs_client_free(g_setup);
  st_global_cleanup();
  return 0;
}

int main(void) {
  /* One test per operation; a row runs all its fault cells and reports every disagreement. */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_doc_tables_match),
      cmocka_unit_test(test_apiversion_list_get),
      cmocka_unit_test(test_apiversion_get),
      cmocka_unit_test(test_domain_list_get),
      cmocka_unit_test(test_pg_create),
      cmocka_unit_test(test_pg_list_get),
      cmocka_unit_test(test_pg_get),
      cmocka_unit_test(test_pg_rename),
      cmocka_unit_test(test_pg_delete),
      cmocka_unit_test(test_pg_enable),
      cmocka_unit_test(test_pg_disable),
      cmocka_unit_test(test_pg_failover),
      cmocka_unit_test(test_pg_planned_failover),
      cmocka_unit_test(test_job_poll),
      cmocka_unit_test(test_pi_create),
      cmocka_unit_test(test_pi_list_get),
      cmocka_unit_test(test_pi_get),
      cmocka_unit_test(test_pi_rename),
      cmocka_unit_test(test_pi_delete),
      cmocka_unit_test(test_pi_attach),
      cmocka_unit_test(test_pi_detach),
      cmocka_unit_test(test_pi_add_nic),
      cmocka_unit_test(test_pi_delete_nic),
      cmocka_unit_test(test_pi_resize),
      cmocka_unit_test(test_pair_create),
      cmocka_unit_test(test_pair_list_get),
      cmocka_unit_test(test_pair_get),
      cmocka_unit_test(test_pair_rename),
      cmocka_unit_test(test_pair_delete),
      cmocka_unit_test(test_pair_expand),
      cmocka_unit_test(test_drill_create),
      cmocka_unit_test(test_drill_list_get),
      cmocka_unit_test(test_drill_get),
      cmocka_unit_test(test_drill_rename),
      cmocka_unit_test(test_drill_delete),
      cmocka_unit_test(test_tag_add),
      cmocka_unit_test(test_tag_delete),
      cmocka_unit_test(test_tag_batch_add),
      cmocka_unit_test(test_tag_batch_delete),
      cmocka_unit_test(test_tag_list_get),
      cmocka_unit_test(test_tag_project_list_get),
      cmocka_unit_test(test_tag_query_filter),
      cmocka_unit_test(test_tag_query_count),
      cmocka_unit_test(test_task_list_get),
      cmocka_unit_test(test_task_delete),
      cmocka_unit_test(test_task_delete_group),
      cmocka_unit_test(test_task_delete_group_level),
      cmocka_unit_test(test_quota_get),
  };
  return cmocka_run_group_tests_name("capi_fault_matrix", tests, group_setup, group_teardown);
}
