/**
 * @file
 * sdrs/cancel.h: cancel tokens.
 *
 * A token is passed to blocking calls through sdrs_call_opts or sdrs_wait_opts. Triggering it
 * from any thread makes every call using it return SDRS_ECANCELED promptly: an HTTP transfer in
 * progress is aborted, and a wait between polls wakes up at once.
 *
 * Threading: all functions are safe from any thread; free the token only after every call
 * using it has returned.
 */
#ifndef SDRS_CANCEL_H
#define SDRS_CANCEL_H

#include "sdrs/common.h"
#include "sdrs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdrs_cancel sdrs_cancel;

/** A new, untriggered token (*out; free with sdrs_cancel_free). */
SDRS_API int sdrs_cancel_new(sdrs_cancel **out, sdrs_error **err);
SDRS_API void sdrs_cancel_free(sdrs_cancel *cancel);

/** Marks the token canceled (idempotent). NULL is ignored. */
SDRS_API void sdrs_cancel_trigger(sdrs_cancel *cancel);

/** 1 when triggered, 0 otherwise (also for NULL). */
SDRS_API int sdrs_cancel_is_triggered(const sdrs_cancel *cancel);

/** Clears the triggered state so the token can be reused. */
SDRS_API void sdrs_cancel_reset(sdrs_cancel *cancel);

#ifdef __cplusplus
}
#endif

#endif /* SDRS_CANCEL_H */
