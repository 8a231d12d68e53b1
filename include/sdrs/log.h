/**
 * @file
 * sdrs/log.h: log levels and the log sink callback.
 *
 * libsdrs prints nothing by itself. A sink set on the config (sdrs_config_set_log_sink)
 * receives one line per event. The sink runs on the thread that made the call, inside that
 * call. Tokens, passwords, secret keys and signatures are masked before any line is formed.
 */
#ifndef SDRS_LOG_H
#define SDRS_LOG_H

#include "sdrs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, most severe first; a sink receives the levels up to the configured one. */
enum sdrs_log_level {
  SDRS_LOG_ERROR = 1,
  SDRS_LOG_WARN = 2,
  SDRS_LOG_INFO = 3, /**< one line per HTTP exchange: method, path, status, attempt, request id */
  SDRS_LOG_DEBUG = 4 /**< adds headers (secrets masked) and bodies */
};

/** level is an sdrs_log_level; message is NUL-terminated and only valid during the call. */
typedef void (*sdrs_log_sink)(int32_t level, const char *message, void *userdata);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_LOG_H */
