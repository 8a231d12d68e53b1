// One signing vector of auth.md's appendix (auth_vectors.inc holds them all, generated from
// the spec). Shared by the library's signer test and the emulator's verifier test.
#pragma once

#include <string>
#include <utility>
#include <vector>

struct Vector {
  const char *name, *variant, *ak, *sk, *date, *method, *wire_path, *wire_query;
  std::vector<std::pair<std::string, std::string>> headers;
  const char *body;
  std::vector<std::string> signed_headers;
  const char *scope_region, *scope_service;
  const char *canonical_uri, *canonical_query, *canonical_headers, *signed_headers_str,
      *body_sha256;
  const char *canonical_request;
  const char *canonical_request_sha256, *string_to_sign, *signature, *authorization, *scope;
  const char *k_date, *k_region, *k_service, *k_signing;
};
