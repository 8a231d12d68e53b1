/*
 * Binding libsdrs by hand with dlopen/dlsym, without its headers: the way an FFI layer
 * (a scripting language, a plugin host) sees the C ABI. docs/ffi.md explains every rule used
 * here. Creates a protection group on the service at <endpoint-url>, waits for its job and
 * prints the group; exits 0 only if every step returned what it must.
 *
 *   dlopen_example <endpoint-url> [<library>]     library default: libsdrs.so.1
 *
 * Run by ctest (packaging_ffi_dlopen) against the sdrs-emulator with LD_LIBRARY_PATH naming
 * an installed libdir; with libsdrs installed system-wide no LD_LIBRARY_PATH is needed.
 */
#define _GNU_SOURCE /* dlvsym, dladdr */
#include <dlfcn.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The emulator's default project and token (sdrs-emulator(1)). */
#define PROJECT_ID "0123456789abcdef0123456789abcdef"
#define TOKEN "emulator-token"
#define SDRS_ENOTFOUND (-5)
#define SDRS_LOG_INFO 3

/* Every handle is an opaque pointer; the binding only passes it back. */
typedef void sdrs_handle;
typedef void (*log_sink_fn)(int32_t level, const char *message, void *userdata);
typedef int (*progress_fn)(const sdrs_handle *job, void *userdata);

/* The functions this program calls, with the C types of include/sdrs/ *.h. */
static struct {
  const char *(*version)(void);
  const char *(*error_name)(int code);
  int (*error_code)(const sdrs_handle *err);
  const char *(*error_message)(const sdrs_handle *err);
  void (*error_free)(sdrs_handle *err);
  void (*string_free)(char *s);
  int (*config_new)(sdrs_handle **out, sdrs_handle **err);
  int (*config_set_allow_http)(sdrs_handle *cfg, int allow, sdrs_handle **err);
  int (*config_set_endpoint)(sdrs_handle *cfg, const char *url, sdrs_handle **err);
  int (*config_set_project_id)(sdrs_handle *cfg, const char *id, sdrs_handle **err);
  int (*config_set_token)(sdrs_handle *cfg, const char *token, sdrs_handle **err);
  int (*config_set_log_sink)(sdrs_handle *cfg, log_sink_fn sink, int32_t level, void *userdata,
                             sdrs_handle **err);
  void (*config_free)(sdrs_handle *cfg);
  int (*client_new)(sdrs_handle **out, const sdrs_handle *cfg, sdrs_handle **err);
  void (*client_free)(sdrs_handle *client);
  int (*domain_list_get)(sdrs_handle **out, sdrs_handle *client, const sdrs_handle *opts,
                         sdrs_handle **err);
  size_t (*domain_list_size)(const sdrs_handle *list);
  const sdrs_handle *(*domain_list_at)(const sdrs_handle *list, size_t index);
  void (*domain_list_free)(sdrs_handle *list);
  const char *(*domain_id)(const sdrs_handle *domain);
  const char *(*domain_name)(const sdrs_handle *domain);
  int (*domain_sold_out)(const sdrs_handle *domain);
  const char *(*domain_local_az)(const sdrs_handle *domain);
  const char *(*domain_remote_az)(const sdrs_handle *domain);
  int (*pg_spec_new)(sdrs_handle **out, sdrs_handle **err);
  int (*pg_spec_set_name)(sdrs_handle *spec, const char *v, sdrs_handle **err);
  int (*pg_spec_set_source_az)(sdrs_handle *spec, const char *v, sdrs_handle **err);
  int (*pg_spec_set_target_az)(sdrs_handle *spec, const char *v, sdrs_handle **err);
  int (*pg_spec_set_domain_id)(sdrs_handle *spec, const char *v, sdrs_handle **err);
  int (*pg_spec_set_source_vpc_id)(sdrs_handle *spec, const char *v, sdrs_handle **err);
  void (*pg_spec_free)(sdrs_handle *spec);
  int (*pg_create)(char **job_id, sdrs_handle *client, const sdrs_handle *spec,
                   const sdrs_handle *opts, sdrs_handle **err);
  int (*wait_opts_new)(sdrs_handle **out, sdrs_handle **err);
  int (*wait_opts_set_initial_interval_ms)(sdrs_handle *opts, int64_t ms, sdrs_handle **err);
  int (*wait_opts_set_progress)(sdrs_handle *opts, progress_fn cb, void *userdata,
                                sdrs_handle **err);
  void (*wait_opts_free)(sdrs_handle *opts);
  int (*job_wait)(sdrs_handle **out, sdrs_handle *client, const char *job_id,
                  const sdrs_handle *opts, sdrs_handle **err);
  const char *(*job_status_str)(const sdrs_handle *job);
  const char *(*job_entity)(const sdrs_handle *job, const char *key);
  void (*job_free)(sdrs_handle *job);
  int (*pg_get)(sdrs_handle **out, sdrs_handle *client, const char *id, const sdrs_handle *opts,
                sdrs_handle **err);
  const char *(*pg_id)(const sdrs_handle *pg);
  const char *(*pg_name)(const sdrs_handle *pg);
  const char *(*pg_status_str)(const sdrs_handle *pg);
  const char *(*pg_source_az)(const sdrs_handle *pg);
  const char *(*pg_target_az)(const sdrs_handle *pg);
  int64_t (*pg_created_at_ms)(const sdrs_handle *pg);
  void (*pg_free)(sdrs_handle *pg);
} api;

/* Symbol name -> slot in api. POSIX lets a dlsym result be stored through a void **. */
#define SYM(field) \
  { "sdrs_" #field, (void **)&api.field }
static const struct {
  const char *name;
  void **slot;
} symbols[] = {
    SYM(version),
    SYM(error_name),
    SYM(error_code),
    SYM(error_message),
    SYM(error_free),
    SYM(string_free),
    SYM(config_new),
    SYM(config_set_allow_http),
    SYM(config_set_endpoint),
    SYM(config_set_project_id),
    SYM(config_set_token),
    SYM(config_set_log_sink),
    SYM(config_free),
    SYM(client_new),
    SYM(client_free),
    SYM(domain_list_get),
    SYM(domain_list_size),
    SYM(domain_list_at),
    SYM(domain_list_free),
    SYM(domain_id),
    SYM(domain_name),
    SYM(domain_sold_out),
    SYM(domain_local_az),
    SYM(domain_remote_az),
    SYM(pg_spec_new),
    SYM(pg_spec_set_name),
    SYM(pg_spec_set_source_az),
    SYM(pg_spec_set_target_az),
    SYM(pg_spec_set_domain_id),
    SYM(pg_spec_set_source_vpc_id),
    SYM(pg_spec_free),
    SYM(pg_create),
    SYM(wait_opts_new),
    SYM(wait_opts_set_initial_interval_ms),
    SYM(wait_opts_set_progress),
    SYM(wait_opts_free),
    SYM(job_wait),
    SYM(job_status_str),
    SYM(job_entity),
    SYM(job_free),
    SYM(pg_get),
    SYM(pg_id),
    SYM(pg_name),
    SYM(pg_status_str),
    SYM(pg_source_az),
    SYM(pg_target_az),
    SYM(pg_created_at_ms),
    SYM(pg_free),
};

/* Userdata of the log sink: must outlive every client made from the config (docs/ffi.md). */
struct log_counter {
  int lines;
};

static void count_log_line(int32_t level, const char *message, void *userdata) {
  struct log_counter *counter = userdata;
  counter->lines++;
  /* message is only valid during this call: print or copy it, never keep the pointer. */
  fprintf(stderr, "log[%d] %s\n", (int)level, message);
}

static int count_progress(const sdrs_handle *job, void *userdata) {
  int *polls = userdata;
  (*polls)++;
  printf("progress: job is %s\n", api.job_status_str(job));
  return 0; /* nonzero would stop the wait with SDRS_ECANCELED */
}

/* Prints the failure with the error's detail and frees the error handle. */
static int fail(const char *what, int rc, sdrs_handle *err) {
  fprintf(stderr, "dlopen_example: %s failed: %s (%d): %s\n", what, api.error_name(rc), rc,
          err ? api.error_message(err) : "(no detail)");
  api.error_free(err); /* NULL is fine */
  return 1;
}

static int check(int ok, const char *what) {
  if (!ok) fprintf(stderr, "dlopen_example: check failed: %s\n", what);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: dlopen_example <endpoint-url> [<library>]\n");
    return 2;
  }
  const char *library = argc == 3 ? argv[2] : "libsdrs.so.1";
  void *lib = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "dlopen_example: %s\n", dlerror());
    return 1;
  }
  for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
    /* dlvsym asks for the version node explicitly; plain dlsym gives the default one. */
    *symbols[i].slot = dlvsym(lib, symbols[i].name, "SDRS_1");
    if (*symbols[i].slot == NULL) {
      fprintf(stderr, "dlopen_example: %s@SDRS_1 not found: %s\n", symbols[i].name, dlerror());
      return 1;
    }
  }
  Dl_info info;
  if (dladdr(*symbols[0].slot, &info) != 0) printf("loaded %s\n", info.dli_fname);
  printf("libsdrs %s\n", api.version());

  int rc;
  sdrs_handle *err = NULL;
  struct log_counter log_lines = {0};
  sdrs_handle *cfg = NULL;
  if ((rc = api.config_new(&cfg, &err)) != 0) return fail("sdrs_config_new", rc, err);
  /* A plain-http endpoint such as the emulator needs allow_http. */
  if ((rc = api.config_set_allow_http(cfg, 1, &err)) != 0 ||
      (rc = api.config_set_endpoint(cfg, argv[1], &err)) != 0 ||
      (rc = api.config_set_project_id(cfg, PROJECT_ID, &err)) != 0 ||
      (rc = api.config_set_token(cfg, TOKEN, &err)) != 0 ||
      (rc = api.config_set_log_sink(cfg, count_log_line, SDRS_LOG_INFO, &log_lines, &err)) != 0) {
    api.config_free(cfg);
    return fail("configuration", rc, err);
  }
  sdrs_handle *client = NULL;
  rc = api.client_new(&client, cfg, &err);
  api.config_free(cfg); /* the client keeps a copy; log_lines must stay valid, it does */
  if (rc != 0) return fail("sdrs_client_new", rc, err);

  /* Borrowed strings: valid while their handle (the list) lives; copy what is kept longer. */
  sdrs_handle *domains = NULL;
  if ((rc = api.domain_list_get(&domains, client, NULL, &err)) != 0) {
    api.client_free(client);
    return fail("sdrs_domain_list_get", rc, err);
  }
  char domain_id[128] = "", source_az[64] = "", target_az[64] = "";
  for (size_t i = 0; i < api.domain_list_size(domains); i++) {
    const sdrs_handle *d = api.domain_list_at(domains, i);
    printf("domain %s: sold_out %d\n", api.domain_name(d), api.domain_sold_out(d));
    if (domain_id[0] == '\0' && api.domain_sold_out(d) == 0) {
      snprintf(domain_id, sizeof domain_id, "%s", api.domain_id(d));
      snprintf(source_az, sizeof source_az, "%s", api.domain_local_az(d));
      snprintf(target_az, sizeof target_az, "%s", api.domain_remote_az(d));
    }
  }
  api.domain_list_free(domains);
  if (!check(domain_id[0] != '\0', "a domain that is not sold out")) {
    api.client_free(client);
    return 1;
  }

  sdrs_handle *spec = NULL;
  char *job_id = NULL; /* owned: freed with sdrs_string_free */
  if ((rc = api.pg_spec_new(&spec, &err)) != 0 ||
      (rc = api.pg_spec_set_name(spec, "ffi-dlopen-pg", &err)) != 0 ||
      (rc = api.pg_spec_set_source_az(spec, source_az, &err)) != 0 ||
      (rc = api.pg_spec_set_target_az(spec, target_az, &err)) != 0 ||
      (rc = api.pg_spec_set_domain_id(spec, domain_id, &err)) != 0 ||
      (rc = api.pg_spec_set_source_vpc_id(spec, "9a0e6c2f-1b4d-4e8a-b3c7-5f2d8e1a0b96", &err)) !=
          0 ||
      (rc = api.pg_create(&job_id, client, spec, NULL, &err)) != 0) {
    api.pg_spec_free(spec);
    api.client_free(client);
    return fail("creating the protection group", rc, err);
  }
  api.pg_spec_free(spec);
  printf("job %s\n", job_id);

  int polls = 0;
  sdrs_handle *wait_opts = NULL, *job = NULL;
  if ((rc = api.wait_opts_new(&wait_opts, &err)) != 0 ||
      (rc = api.wait_opts_set_initial_interval_ms(wait_opts, 50, &err)) != 0 ||
      (rc = api.wait_opts_set_progress(wait_opts, count_progress, &polls, &err)) != 0 ||
      (rc = api.job_wait(&job, client, job_id, wait_opts, &err)) != 0) {
    api.job_free(job);
    api.wait_opts_free(wait_opts);
    api.string_free(job_id);
    api.client_free(client);
    return fail("waiting for the job", rc, err);
  }
  api.wait_opts_free(wait_opts);
  api.string_free(job_id);

  char group_id[128] = "";
  const char *entity = api.job_entity(job, "server_group_id");
  int ok = check(strcmp(api.job_status_str(job), "SUCCESS") == 0, "job status SUCCESS") &
           check(entity != NULL, "the job names the group (entities.server_group_id)") &
           check(polls > 0, "the progress callback ran");
  if (entity != NULL) snprintf(group_id, sizeof group_id, "%s", entity);
  api.job_free(job); /* entity pointed into the job: not used after this */

  sdrs_handle *pg = NULL;
  if (ok && (rc = api.pg_get(&pg, client, group_id, NULL, &err)) != 0) {
    api.client_free(client);
    return fail("sdrs_pg_get", rc, err);
  }
  if (ok) {
    printf("group %s: name %s, status %s, %s -> %s, created_at_ms %" PRId64 "\n", api.pg_id(pg),
           api.pg_name(pg), api.pg_status_str(pg), api.pg_source_az(pg), api.pg_target_az(pg),
           api.pg_created_at_ms(pg));
    ok = check(strcmp(api.pg_id(pg), group_id) == 0, "the group id") &
         check(strcmp(api.pg_name(pg), "ffi-dlopen-pg") == 0, "the group name") &
         check(strcmp(api.pg_status_str(pg), "available") == 0, "status available") &
         check(strcmp(api.pg_source_az(pg), source_az) == 0, "the source AZ") &
         check(api.pg_created_at_ms(pg) > 0, "a creation time");
    api.pg_free(pg);
  }

  /* A failing call: negative code, and an error handle that this program frees. */
  rc = api.pg_get(&pg, client, "00000000-0000-4000-8000-000000000000", NULL, &err);
  ok &= check(rc == SDRS_ENOTFOUND && api.error_code(err) == SDRS_ENOTFOUND, "unknown group");
  printf("unknown group: %s: %s\n", api.error_name(rc), err ? api.error_message(err) : "-");
  api.error_free(err);

  api.client_free(client);
  ok &= check(log_lines.lines > 0, "the log sink received lines");
  printf("log sink: %d lines, progress callback: %d calls\n", log_lines.lines, polls);
  dlclose(lib);
  if (!ok) return 1;
  printf("dlopen_example: OK\n");
  return 0;
}
