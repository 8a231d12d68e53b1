// sdrs/cancel.h: cancel tokens.
#include "capi/handles.hpp"

using sdrs::capi::guarded;
using sdrs::capi::new_handle;

extern "C" {

SDRS_API int sdrs_cancel_new(sdrs_cancel **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}

SDRS_API void sdrs_cancel_free(sdrs_cancel *cancel) {
  delete cancel;
}

SDRS_API void sdrs_cancel_trigger(sdrs_cancel *cancel) {
  if (cancel != nullptr) cancel->token.trigger();
}

SDRS_API int sdrs_cancel_is_triggered(const sdrs_cancel *cancel) {
  return cancel != nullptr && cancel->token.triggered() ? 1 : 0;
}

SDRS_API void sdrs_cancel_reset(sdrs_cancel *cancel) {
  if (cancel != nullptr) cancel->token.reset();
}

}  // extern "C"
