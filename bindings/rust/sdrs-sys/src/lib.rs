//! Raw declarations of the libsdrs C API (`include/sdrs.h` and `include/sdrs/*.h`).
//!
//! Everything here is `unsafe` and mirrors the C headers one to one: opaque handle types,
//! the enum values as constants, and every exported `sdrs_` function. The safe binding is
//! the `sdrs` crate. The build script locates libsdrs with `pkg-config` and refuses to build
//! against a version older than 1.0.0.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_void};
use core::marker::{PhantomData, PhantomPinned};

/// The libsdrs version pkg-config reported when this crate was built.
pub const SDRS_SYS_BUILD_VERSION: &str = env!("SDRS_SYS_BUILD_VERSION");
/// Oldest run-time `sdrs_version_number()` these declarations work with (1.0.0).
pub const SDRS_MIN_VERSION_NUMBER: i32 = 10000;

macro_rules! opaque {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[repr(C)]
        pub struct $name {
            _private: [u8; 0],
            // Not Send, Sync or Unpin: the safe crate states thread safety per type.
            _marker: PhantomData<(*mut u8, PhantomPinned)>,
        }
    )*};
}

opaque! {
    /// Error detail of a failed call (error.h).
    sdrs_error;
    /// Client configuration builder (config.h).
    sdrs_config;
    /// Client (client.h); safe to share between threads.
    sdrs_client;
    /// Per-call options builder (client.h).
    sdrs_call_opts;
    /// Cancel token (cancel.h).
    sdrs_cancel;
    /// Job result handle (job.h).
    sdrs_job;
    /// Job wait options builder (job.h).
    sdrs_wait_opts;
    /// Protection group create request builder (pg.h).
    sdrs_pg_spec;
    /// Protection group result handle (pg.h).
    sdrs_pg;
    /// Protection group list options builder (pg.h).
    sdrs_pg_list_opts;
    /// One page of protection groups (pg.h).
    sdrs_pg_list;
    /// Iterator over all matching protection groups (pg.h).
    sdrs_pg_iter;
    /// List of active-active domains (domain.h).
    sdrs_domain_list;
    /// One active-active domain (domain.h).
    sdrs_domain;
    /// List of API versions (apiversion.h).
    sdrs_apiversion_list;
    /// One API version (apiversion.h).
    sdrs_apiversion;
}

// ---- common.h: enum sdrs_result ----
pub const SDRS_OK: c_int = 0;
pub const SDRS_EINVAL: c_int = -1;
pub const SDRS_EVALIDATION: c_int = -2;
pub const SDRS_EAUTH: c_int = -3;
pub const SDRS_EFORBIDDEN: c_int = -4;
pub const SDRS_ENOTFOUND: c_int = -5;
pub const SDRS_ECONFLICT: c_int = -6;
pub const SDRS_ERATELIMIT: c_int = -7;
pub const SDRS_ESERVER: c_int = -8;
pub const SDRS_ETIMEOUT: c_int = -9;
pub const SDRS_ECANCELED: c_int = -10;
pub const SDRS_ETRANSPORT: c_int = -11;
pub const SDRS_ETLS: c_int = -12;
pub const SDRS_EPROTOCOL: c_int = -13;
pub const SDRS_EJOBFAILED: c_int = -14;
pub const SDRS_ENOMEM: c_int = -15;
pub const SDRS_EINTERNAL: c_int = -16;
pub const SDRS_EREQUEST: c_int = -17;
pub const SDRS_EQUOTA: c_int = -18;

/// "No time" value of the time getters.
pub const SDRS_TIME_NONE: i64 = i64::MIN;

// ---- version.h ----
/// The ABI generation, as in the SONAME libsdrs.so.1.
pub const SDRS_ABI_VERSION: c_int = 1;

// ---- log.h: enum sdrs_log_level ----
pub const SDRS_LOG_ERROR: i32 = 1;
pub const SDRS_LOG_WARN: i32 = 2;
pub const SDRS_LOG_INFO: i32 = 3;
pub const SDRS_LOG_DEBUG: i32 = 4;

// enum sdrs_http_version
pub const SDRS_HTTP_VERSION_AUTO: i32 = 0;
pub const SDRS_HTTP_VERSION_1_1: i32 = 1;
pub const SDRS_HTTP_VERSION_2: i32 = 2;

// ---- job.h: enum sdrs_job_status ----
pub const SDRS_JOB_UNKNOWN: i32 = 0;
pub const SDRS_JOB_INIT: i32 = 1;
pub const SDRS_JOB_RUNNING: i32 = 2;
pub const SDRS_JOB_SUCCESS: i32 = 3;
pub const SDRS_JOB_FAIL: i32 = 4;

// ---- pg.h: enum sdrs_pg_status ----
pub const SDRS_PG_UNKNOWN: i32 = 0;
pub const SDRS_PG_CREATING: i32 = 1;
pub const SDRS_PG_AVAILABLE: i32 = 2;
pub const SDRS_PG_PROTECTED: i32 = 3;
pub const SDRS_PG_DELETING: i32 = 4;
pub const SDRS_PG_ERROR_DELETING: i32 = 5;
pub const SDRS_PG_ERROR: i32 = 6;
pub const SDRS_PG_STARTING: i32 = 7;
pub const SDRS_PG_ERROR_STARTING: i32 = 8;
pub const SDRS_PG_REPROTECTING: i32 = 9;
pub const SDRS_PG_ERROR_REPROTECTING: i32 = 10;
pub const SDRS_PG_STOPPING: i32 = 11;
pub const SDRS_PG_ERROR_STOPPING: i32 = 12;
pub const SDRS_PG_REVERSING: i32 = 13;
pub const SDRS_PG_ERROR_REVERSING: i32 = 14;
pub const SDRS_PG_FAILING_OVER: i32 = 15;
pub const SDRS_PG_FAILED_OVER: i32 = 16;
pub const SDRS_PG_ERROR_FAILING_OVER: i32 = 17;

/// Log sink: `level` is an `SDRS_LOG_*`, `message` is valid only during the call.
pub type sdrs_log_sink =
    Option<unsafe extern "C" fn(level: i32, message: *const c_char, userdata: *mut c_void)>;

/// Progress callback of `sdrs_job_wait`; nonzero stops the wait with `SDRS_ECANCELED`.
pub type sdrs_progress_cb =
    Option<unsafe extern "C" fn(job: *const sdrs_job, userdata: *mut c_void) -> c_int>;

#[link(name = "sdrs")]
extern "C" {
    // ---- common.h ----
    pub fn sdrs_strerror(code: c_int) -> *const c_char;
    pub fn sdrs_error_name(code: c_int) -> *const c_char;
    pub fn sdrs_string_free(s: *mut c_char);

    // ---- version.h ----
    pub fn sdrs_version() -> *const c_char;
    pub fn sdrs_version_number() -> i32;

    // ---- error.h ----
    pub fn sdrs_error_code(err: *const sdrs_error) -> c_int;
    pub fn sdrs_error_message(err: *const sdrs_error) -> *const c_char;
    pub fn sdrs_error_http_status(err: *const sdrs_error) -> i32;
    pub fn sdrs_error_api_code(err: *const sdrs_error) -> *const c_char;
    pub fn sdrs_error_request_id(err: *const sdrs_error) -> *const c_char;
    pub fn sdrs_error_body(err: *const sdrs_error) -> *const c_char;
    pub fn sdrs_error_job_id(err: *const sdrs_error) -> *const c_char;
    pub fn sdrs_error_fail_reason(err: *const sdrs_error) -> *const c_char;
    pub fn sdrs_error_retryable(err: *const sdrs_error) -> c_int;
    pub fn sdrs_error_attempts(err: *const sdrs_error) -> i32;
    pub fn sdrs_error_free(err: *mut sdrs_error);

    // ---- cancel.h ----
    pub fn sdrs_cancel_new(out: *mut *mut sdrs_cancel, err: *mut *mut sdrs_error) -> c_int;
    pub fn sdrs_cancel_free(cancel: *mut sdrs_cancel);
    pub fn sdrs_cancel_trigger(cancel: *mut sdrs_cancel);
    pub fn sdrs_cancel_is_triggered(cancel: *const sdrs_cancel) -> c_int;
    pub fn sdrs_cancel_reset(cancel: *mut sdrs_cancel);

    // ---- config.h ----
    pub fn sdrs_config_new(out: *mut *mut sdrs_config, err: *mut *mut sdrs_error) -> c_int;
    pub fn sdrs_config_free(cfg: *mut sdrs_config);
    pub fn sdrs_config_set_endpoint(
        cfg: *mut sdrs_config,
        url: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_allow_http(
        cfg: *mut sdrs_config,
        allow: c_int,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_project_id(
        cfg: *mut sdrs_config,
        project_id: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_token(
        cfg: *mut sdrs_config,
        token: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_auth_url(
        cfg: *mut sdrs_config,
        url: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_username(
        cfg: *mut sdrs_config,
        name: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_user_id(
        cfg: *mut sdrs_config,
        user_id: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_password(
        cfg: *mut sdrs_config,
        password: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_user_domain_name(
        cfg: *mut sdrs_config,
        name: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_user_domain_id(
        cfg: *mut sdrs_config,
        domain_id: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_project_name(
        cfg: *mut sdrs_config,
        name: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_region(
        cfg: *mut sdrs_config,
        region: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_access_key(
        cfg: *mut sdrs_config,
        access_key: *const c_char,
        secret_key: *const c_char,
        security_token: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_token_refresh_margin_s(
        cfg: *mut sdrs_config,
        seconds: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_load_env(cfg: *mut sdrs_config, err: *mut *mut sdrs_error) -> c_int;
    pub fn sdrs_config_load_clouds_yaml(
        cfg: *mut sdrs_config,
        path: *const c_char,
        cloud: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_connect_timeout_ms(
        cfg: *mut sdrs_config,
        ms: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_timeout_ms(
        cfg: *mut sdrs_config,
        ms: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_ca_file(
        cfg: *mut sdrs_config,
        path: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_ca_dir(
        cfg: *mut sdrs_config,
        path: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_client_cert(
        cfg: *mut sdrs_config,
        cert_file: *const c_char,
        key_file: *const c_char,
        key_password: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_insecure_skip_tls_verify(
        cfg: *mut sdrs_config,
        skip: c_int,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_proxy(
        cfg: *mut sdrs_config,
        proxy_url: *const c_char,
        no_proxy: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_low_speed(
        cfg: *mut sdrs_config,
        bytes_per_second: i64,
        seconds: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_max_attempts(
        cfg: *mut sdrs_config,
        attempts: i32,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_http_version(
        cfg: *mut sdrs_config,
        version: i32,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_user_agent_suffix(
        cfg: *mut sdrs_config,
        suffix: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_max_response_bytes(
        cfg: *mut sdrs_config,
        bytes: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_config_set_log_sink(
        cfg: *mut sdrs_config,
        sink: sdrs_log_sink,
        level: i32,
        userdata: *mut c_void,
        err: *mut *mut sdrs_error,
    ) -> c_int;

    // ---- client.h ----
    pub fn sdrs_client_new(
        out: *mut *mut sdrs_client,
        cfg: *const sdrs_config,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_client_free(client: *mut sdrs_client);
    pub fn sdrs_client_token(
        out: *mut *mut c_char,
        client: *mut sdrs_client,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_client_project_id(
        out: *mut *mut c_char,
        client: *mut sdrs_client,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_call_opts_new(out: *mut *mut sdrs_call_opts, err: *mut *mut sdrs_error) -> c_int;
    pub fn sdrs_call_opts_free(opts: *mut sdrs_call_opts);
    pub fn sdrs_call_opts_set_timeout_ms(
        opts: *mut sdrs_call_opts,
        ms: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_call_opts_set_cancel(
        opts: *mut sdrs_call_opts,
        cancel: *mut sdrs_cancel,
        err: *mut *mut sdrs_error,
    ) -> c_int;

    // ---- job.h ----
    pub fn sdrs_job_poll(
        out: *mut *mut sdrs_job,
        client: *mut sdrs_client,
        job_id: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_job_free(job: *mut sdrs_job);
    pub fn sdrs_job_id(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_type(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_status(job: *const sdrs_job) -> i32;
    pub fn sdrs_job_status_str(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_begin_time(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_end_time(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_begin_time_ms(job: *const sdrs_job) -> i64;
    pub fn sdrs_job_end_time_ms(job: *const sdrs_job) -> i64;
    pub fn sdrs_job_error_code(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_fail_reason(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_entity(job: *const sdrs_job, key: *const c_char) -> *const c_char;
    pub fn sdrs_job_sub_job_count(job: *const sdrs_job) -> usize;
    pub fn sdrs_job_sub_job(job: *const sdrs_job, index: usize) -> *const sdrs_job;
    pub fn sdrs_job_json(job: *const sdrs_job) -> *const c_char;
    pub fn sdrs_job_status_name(status: i32) -> *const c_char;
    pub fn sdrs_wait_opts_new(out: *mut *mut sdrs_wait_opts, err: *mut *mut sdrs_error) -> c_int;
    pub fn sdrs_wait_opts_free(opts: *mut sdrs_wait_opts);
    pub fn sdrs_wait_opts_set_initial_interval_ms(
        opts: *mut sdrs_wait_opts,
        ms: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_wait_opts_set_max_interval_ms(
        opts: *mut sdrs_wait_opts,
        ms: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_wait_opts_set_multiplier_pct(
        opts: *mut sdrs_wait_opts,
        pct: i32,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_wait_opts_set_jitter_pct(
        opts: *mut sdrs_wait_opts,
        pct: i32,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_wait_opts_set_timeout_ms(
        opts: *mut sdrs_wait_opts,
        ms: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_wait_opts_set_cancel(
        opts: *mut sdrs_wait_opts,
        cancel: *mut sdrs_cancel,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_wait_opts_set_progress(
        opts: *mut sdrs_wait_opts,
        cb: sdrs_progress_cb,
        userdata: *mut c_void,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_job_wait(
        out: *mut *mut sdrs_job,
        client: *mut sdrs_client,
        job_id: *const c_char,
        opts: *const sdrs_wait_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;

    // ---- pg.h: create request builder ----
    pub fn sdrs_pg_spec_new(out: *mut *mut sdrs_pg_spec, err: *mut *mut sdrs_error) -> c_int;
    pub fn sdrs_pg_spec_free(spec: *mut sdrs_pg_spec);
    pub fn sdrs_pg_spec_set_name(
        spec: *mut sdrs_pg_spec,
        name: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_spec_set_description(
        spec: *mut sdrs_pg_spec,
        description: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_spec_set_source_az(
        spec: *mut sdrs_pg_spec,
        az: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_spec_set_target_az(
        spec: *mut sdrs_pg_spec,
        az: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_spec_set_domain_id(
        spec: *mut sdrs_pg_spec,
        domain_id: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_spec_set_source_vpc_id(
        spec: *mut sdrs_pg_spec,
        vpc_id: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_spec_set_dr_type(
        spec: *mut sdrs_pg_spec,
        dr_type: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_spec_set_server_type(
        spec: *mut sdrs_pg_spec,
        server_type: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_create(
        job_id: *mut *mut c_char,
        client: *mut sdrs_client,
        spec: *const sdrs_pg_spec,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_create_and_wait(
        out: *mut *mut sdrs_pg,
        client: *mut sdrs_client,
        spec: *const sdrs_pg_spec,
        wait_opts: *const sdrs_wait_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;

    // ---- pg.h: the protection group object ----
    pub fn sdrs_pg_free(pg: *mut sdrs_pg);
    pub fn sdrs_pg_id(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_name(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_description(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_status(pg: *const sdrs_pg) -> i32;
    pub fn sdrs_pg_status_str(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_source_az(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_target_az(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_domain_id(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_domain_name(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_priority_station(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_protected_status(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_replication_status(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_health_status(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_source_vpc_id(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_target_vpc_id(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_test_vpc_id(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_dr_type(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_server_type(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_protection_type(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_replication_model(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_created_at(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_updated_at(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_created_at_ms(pg: *const sdrs_pg) -> i64;
    pub fn sdrs_pg_updated_at_ms(pg: *const sdrs_pg) -> i64;
    pub fn sdrs_pg_progress(pg: *const sdrs_pg) -> i64;
    pub fn sdrs_pg_protected_instance_num(pg: *const sdrs_pg) -> i64;
    pub fn sdrs_pg_replication_num(pg: *const sdrs_pg) -> i64;
    pub fn sdrs_pg_disaster_recovery_drill_num(pg: *const sdrs_pg) -> i64;
    pub fn sdrs_pg_json(pg: *const sdrs_pg) -> *const c_char;
    pub fn sdrs_pg_status_name(status: i32) -> *const c_char;

    // ---- pg.h: calls on one group ----
    pub fn sdrs_pg_get(
        out: *mut *mut sdrs_pg,
        client: *mut sdrs_client,
        group_id: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_rename(
        out: *mut *mut sdrs_pg,
        client: *mut sdrs_client,
        group_id: *const c_char,
        new_name: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_delete(
        job_id: *mut *mut c_char,
        client: *mut sdrs_client,
        group_id: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_enable(
        job_id: *mut *mut c_char,
        client: *mut sdrs_client,
        group_id: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_disable(
        job_id: *mut *mut c_char,
        client: *mut sdrs_client,
        group_id: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_failover(
        job_id: *mut *mut c_char,
        client: *mut sdrs_client,
        group_id: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_planned_failover(
        job_id: *mut *mut c_char,
        client: *mut sdrs_client,
        group_id: *const c_char,
        priority_station: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;

    // ---- pg.h: listing ----
    pub fn sdrs_pg_list_opts_new(
        out: *mut *mut sdrs_pg_list_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_opts_free(opts: *mut sdrs_pg_list_opts);
    pub fn sdrs_pg_list_opts_set_limit(
        opts: *mut sdrs_pg_list_opts,
        limit: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_opts_set_offset(
        opts: *mut sdrs_pg_list_opts,
        offset: i64,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_opts_set_status(
        opts: *mut sdrs_pg_list_opts,
        status: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_opts_set_name(
        opts: *mut sdrs_pg_list_opts,
        name: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_opts_set_query_type(
        opts: *mut sdrs_pg_list_opts,
        query_type: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_opts_set_availability_zone(
        opts: *mut sdrs_pg_list_opts,
        az: *const c_char,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_get(
        out: *mut *mut sdrs_pg_list,
        client: *mut sdrs_client,
        opts: *const sdrs_pg_list_opts,
        call_opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_list_free(list: *mut sdrs_pg_list);
    pub fn sdrs_pg_list_size(list: *const sdrs_pg_list) -> usize;
    pub fn sdrs_pg_list_at(list: *const sdrs_pg_list, index: usize) -> *const sdrs_pg;
    pub fn sdrs_pg_list_count(list: *const sdrs_pg_list) -> i64;
    pub fn sdrs_pg_iter_new(
        out: *mut *mut sdrs_pg_iter,
        client: *mut sdrs_client,
        opts: *const sdrs_pg_list_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_pg_iter_free(iter: *mut sdrs_pg_iter);
    pub fn sdrs_pg_iter_next(
        pg: *mut *const sdrs_pg,
        iter: *mut sdrs_pg_iter,
        call_opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;

    // ---- domain.h ----
    pub fn sdrs_domain_list_get(
        out: *mut *mut sdrs_domain_list,
        client: *mut sdrs_client,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_domain_list_free(list: *mut sdrs_domain_list);
    pub fn sdrs_domain_list_size(list: *const sdrs_domain_list) -> usize;
    pub fn sdrs_domain_list_at(list: *const sdrs_domain_list, index: usize) -> *const sdrs_domain;
    pub fn sdrs_domain_list_json(list: *const sdrs_domain_list) -> *const c_char;
    pub fn sdrs_domain_id(domain: *const sdrs_domain) -> *const c_char;
    pub fn sdrs_domain_name(domain: *const sdrs_domain) -> *const c_char;
    pub fn sdrs_domain_description(domain: *const sdrs_domain) -> *const c_char;
    pub fn sdrs_domain_sold_out(domain: *const sdrs_domain) -> c_int;
    pub fn sdrs_domain_local_az(domain: *const sdrs_domain) -> *const c_char;
    pub fn sdrs_domain_remote_az(domain: *const sdrs_domain) -> *const c_char;
    pub fn sdrs_domain_json(domain: *const sdrs_domain) -> *const c_char;

    // ---- apiversion.h ----
    pub fn sdrs_apiversion_list_get(
        out: *mut *mut sdrs_apiversion_list,
        client: *mut sdrs_client,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_apiversion_list_free(list: *mut sdrs_apiversion_list);
    pub fn sdrs_apiversion_list_size(list: *const sdrs_apiversion_list) -> usize;
    pub fn sdrs_apiversion_list_at(
        list: *const sdrs_apiversion_list,
        index: usize,
    ) -> *const sdrs_apiversion;
    pub fn sdrs_apiversion_get(
        out: *mut *mut sdrs_apiversion,
        client: *mut sdrs_client,
        version_id: *const c_char,
        opts: *const sdrs_call_opts,
        err: *mut *mut sdrs_error,
    ) -> c_int;
    pub fn sdrs_apiversion_free(version: *mut sdrs_apiversion);
    pub fn sdrs_apiversion_id(version: *const sdrs_apiversion) -> *const c_char;
    pub fn sdrs_apiversion_status(version: *const sdrs_apiversion) -> *const c_char;
    pub fn sdrs_apiversion_version(version: *const sdrs_apiversion) -> *const c_char;
    pub fn sdrs_apiversion_min_version(version: *const sdrs_apiversion) -> *const c_char;
    pub fn sdrs_apiversion_updated(version: *const sdrs_apiversion) -> *const c_char;
    pub fn sdrs_apiversion_self_link(version: *const sdrs_apiversion) -> *const c_char;
    pub fn sdrs_apiversion_json(version: *const sdrs_apiversion) -> *const c_char;
}
