/*
 * A minimal libsdrs consumer, built against an *installed* libsdrs (pkg-config or
 * find_package) by tests/packaging and by the Debian autopkgtest. Lists the active-active
 * domains of the emulator at <endpoint> and checks the header and library versions agree.
 *   consumer <endpoint-url>     exit 0 on success
 */
#include <sdrs.h>
#include <stdio.h>
#include <string.h>

#define EMULATOR_PROJECT "0123456789abcdef0123456789abcdef"
#define EMULATOR_TOKEN "emulator-token"

static int fail(const char *what, sdrs_error *err) {
  fprintf(stderr, "consumer: %s failed: %s\n", what, err ? sdrs_error_message(err) : "(no detail)");
  sdrs_error_free(err);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: consumer <endpoint-url>\n");
    return 2;
  }
  if (strcmp(sdrs_version(), SDRS_VERSION_STRING) != 0 ||
      sdrs_version_number() != SDRS_VERSION_NUMBER) {
    fprintf(stderr, "consumer: header version %s, library version %s\n", SDRS_VERSION_STRING,
            sdrs_version());
    return 1;
  }

  sdrs_error *err = NULL;
  sdrs_config *cfg = NULL;
  if (sdrs_config_new(&cfg, &err) != 0 || sdrs_config_set_allow_http(cfg, 1, &err) != 0 ||
      sdrs_config_set_endpoint(cfg, argv[1], &err) != 0 ||
      sdrs_config_set_project_id(cfg, EMULATOR_PROJECT, &err) != 0 ||
      sdrs_config_set_token(cfg, EMULATOR_TOKEN, &err) != 0 ||
      sdrs_config_set_timeout_ms(cfg, 20000, &err) != 0) {
    sdrs_config_free(cfg);
    return fail("configuration", err);
  }
  sdrs_client *client = NULL;
  int rc = sdrs_client_new(&client, cfg, &err);
  sdrs_config_free(cfg);
  if (rc != 0) {
    return fail("sdrs_client_new", err);
  }

  sdrs_domain_list *domains = NULL;
  if (sdrs_domain_list_get(&domains, client, NULL, &err) != 0) {
    sdrs_client_free(client);
    return fail("sdrs_domain_list_get", err);
  }
  size_t n = sdrs_domain_list_size(domains);
  for (size_t i = 0; i < n; i++) {
    const char *name = sdrs_domain_name(sdrs_domain_list_at(domains, i));
    printf("domain %s\n", name ? name : "(unnamed)");
  }
  sdrs_domain_list_free(domains);
  sdrs_client_free(client);
  if (n == 0) {
    fprintf(stderr, "consumer: the service listed no domain\n");
    return 1;
  }
  printf("consumer: libsdrs %s, %zu domains\n", sdrs_version(), n);
  return 0;
}
