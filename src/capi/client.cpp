// sdrs/client.h: the client handle, per-call options, the token and project id.
#include "capi/handles.hpp"
#include "core/validate.hpp"

using sdrs::capi::guarded;
using sdrs::capi::need;
using sdrs::capi::new_handle;

extern "C" {

SDRS_API int sdrs_client_new(sdrs_client **out, const sdrs_config *cfg, sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::ClientConfig &c = need(cfg, "cfg")->config;
    *out = new sdrs_client{std::make_shared<sdrs::Client>(c)};
  });
}

SDRS_API void sdrs_client_free(sdrs_client *client) {
  delete client;
}

SDRS_API int sdrs_client_token(char **out, sdrs_client *client, const sdrs_call_opts *opts,
                               sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    const sdrs::Secret t = need(client, "client")->impl->token(sdrs::capi::call_context(opts));
    *out = sdrs::capi::dup_string(t.get());
  });
}

SDRS_API int sdrs_client_project_id(char **out, sdrs_client *client, const sdrs_call_opts *opts,
                                    sdrs_error **err) {
  return guarded(err, [&] {
    need(out, "out");
    *out = sdrs::capi::dup_string(
        need(client, "client")->impl->project_id(sdrs::capi::call_context(opts)));
  });
}

SDRS_API int sdrs_call_opts_new(sdrs_call_opts **out, sdrs_error **err) {
  return guarded(err, [&] { new_handle(out); });
}

SDRS_API void sdrs_call_opts_free(sdrs_call_opts *opts) {
  delete opts;
}

SDRS_API int sdrs_call_opts_set_timeout_ms(sdrs_call_opts *opts, int64_t ms, sdrs_error **err) {
  return guarded(err, [&] {
    need(opts, "opts");
    sdrs::validate_range("timeout_ms", ms, 0, INT64_C(86400000) * 365);
    opts->timeout_ms = ms;
  });
}

SDRS_API int sdrs_call_opts_set_cancel(sdrs_call_opts *opts, sdrs_cancel *cancel,
                                       sdrs_error **err) {
  return guarded(err, [&] { need(opts, "opts")->cancel = cancel; });
}

}  // extern "C"
