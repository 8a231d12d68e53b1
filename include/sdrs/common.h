/*
 * libsdrs - client library for the Open Telekom Cloud Storage Disaster Recovery Service.
 *
 * sdrs/common.h: export macro, stable error codes, owned strings.
 *
 * Threading: everything in this header is safe to call from any thread.
 */
#ifndef SDRS_COMMON_H
#define SDRS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#if defined(SDRS_BUILDING_LIBRARY)
#define SDRS_API __declspec(dllexport)
#else
#define SDRS_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define SDRS_API __attribute__((visibility("default")))
#else
#define SDRS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Result codes. Every fallible call returns 0 (SDRS_OK) or one of these negative
 * numbers. The numbers are part of the ABI: they are never renumbered or reused,
 * and new codes are only ever appended. Callers must treat an unknown negative
 * number as a generic failure.
 * (Maintainers: src/core/result_codes.def lists the same codes for the library's internal
 * enum and texts; tests/unit/result_codes_test.cpp fails when the two disagree.)
 */
enum sdrs_result {
  SDRS_OK = 0,
  SDRS_EINVAL = -1,      /* a bad argument: NULL handle, NULL required string, ... */
  SDRS_EVALIDATION = -2, /* input rejected before sending (the message names the field) */
  SDRS_EAUTH = -3,       /* not authenticated (HTTP 401, SDRS token errors) */
  SDRS_EFORBIDDEN = -4,  /* authenticated but not allowed (HTTP 403, SDRS role errors) */
  SDRS_ENOTFOUND = -5,   /* resource does not exist (HTTP 404, SDRS.1013, ...) */
  SDRS_ECONFLICT = -6,   /* resource is in the wrong state for this call (HTTP 409, SDRS.10xx) */
  SDRS_ERATELIMIT = -7,  /* too many requests (HTTP 429) */
  SDRS_ESERVER = -8,     /* the service failed (HTTP 5xx, SDRS internal errors) */
  SDRS_ETIMEOUT = -9,    /* a timeout or the per-call deadline expired */
  SDRS_ECANCELED = -10,  /* canceled through a cancel token or a callback */
  SDRS_ETRANSPORT = -11, /* network failure: connect, DNS, reset, ... */
  SDRS_ETLS = -12,       /* TLS handshake or certificate verification failed */
  SDRS_EPROTOCOL = -13,  /* the response could not be understood (bad JSON, too big) */
  SDRS_EJOBFAILED = -14, /* an asynchronous job ended in FAIL */
  SDRS_ENOMEM = -15,     /* out of memory */
  SDRS_EINTERNAL = -16,  /* a bug in libsdrs; the message has the detail */
  SDRS_EREQUEST = -17,   /* the service rejected the request parameters (HTTP 400, SDRS.02xx) */
  SDRS_EQUOTA = -18      /* a quota is exhausted (SDRS.0305, SDRS.0306) */
};

/* Static, never-NULL English description of any int (unknown codes included). */
SDRS_API const char *sdrs_strerror(int code);

/* Static, never-NULL symbolic name ("SDRS_ENOTFOUND"); "SDRS_UNKNOWN" for unknown codes. */
SDRS_API const char *sdrs_error_name(int code);

/* Frees a string that libsdrs handed to the caller through an out-parameter. NULL is fine. */
SDRS_API void sdrs_string_free(char *s);

/* "No time" value of the time getters (absent or unparseable timestamp). */
#define SDRS_TIME_NONE INT64_MIN

#ifdef __cplusplus
}
#endif

#endif /* SDRS_COMMON_H */
