//! `Config` (client configuration builder), `Client`, `CallOptions` and `CancelToken`.

use std::ffi::{c_char, c_void, CStr};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, ErrorKind};
use crate::util::{c_string, check, millis, new_handle, opt_c_string, opt_ptr};

// ---------------------------------------------------------------------------------------------
// Cancel token
// ---------------------------------------------------------------------------------------------

struct CancelHandle(NonNull<sdrs_sys::sdrs_cancel>);

// SAFETY: cancel.h: "all functions are safe from any thread".
unsafe impl Send for CancelHandle {}
unsafe impl Sync for CancelHandle {}

impl Drop for CancelHandle {
    fn drop(&mut self) {
        // SAFETY: we own the handle; every call that borrowed it holds an Arc clone, so none is
        // running any more.
        unsafe { sdrs_sys::sdrs_cancel_free(self.0.as_ptr()) }
    }
}

/// A cancel token: trigger it from any thread to make every call using it return
/// [`ErrorKind::Canceled`] promptly (an HTTP transfer is aborted, a wait wakes up at once).
///
/// Clones share the same token. Pass it to calls through [`CallOptions::cancel`] or
/// [`WaitOptions::cancel`](crate::WaitOptions::cancel).
///
/// ```
/// let token = sdrs::CancelToken::new();
/// let other = token.clone();
/// std::thread::spawn(move || other.cancel()).join().unwrap();
/// assert!(token.is_canceled());
/// token.reset();
/// assert!(!token.is_canceled());
/// ```
#[derive(Clone)]
pub struct CancelToken(Arc<CancelHandle>);

impl CancelToken {
    /// Creates an untriggered token.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the token (out of memory), like any Rust allocation.
    pub fn new() -> CancelToken {
        // SAFETY: sdrs_cancel_new is an sdrs_X_new function.
        match unsafe { new_handle(sdrs_sys::sdrs_cancel_new) } {
            Ok(p) => CancelToken(Arc::new(CancelHandle(p))),
            Err(e) => panic!("sdrs_cancel_new failed: {e}"),
        }
    }

    /// Marks the token canceled (idempotent). Safe from any thread.
    pub fn cancel(&self) {
        // SAFETY: valid handle; trigger is thread-safe.
        unsafe { sdrs_sys::sdrs_cancel_trigger(self.raw()) }
    }

    /// Whether the token has been triggered.
    pub fn is_canceled(&self) -> bool {
        // SAFETY: valid handle.
        unsafe { sdrs_sys::sdrs_cancel_is_triggered(self.raw()) != 0 }
    }

    /// Clears the triggered state so the token can be reused.
    pub fn reset(&self) {
        // SAFETY: valid handle.
        unsafe { sdrs_sys::sdrs_cancel_reset(self.raw()) }
    }

    pub(crate) fn raw(&self) -> *mut sdrs_sys::sdrs_cancel {
        self.0 .0.as_ptr()
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        CancelToken::new()
    }
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken").field("canceled", &self.is_canceled()).finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Per-call options
// ---------------------------------------------------------------------------------------------

/// Per-call options: an overall deadline and a cancel token. Cheap to clone, shareable
/// between threads.
///
/// ```
/// use std::time::Duration;
/// let token = sdrs::CancelToken::new();
/// let opts = sdrs::CallOptions::new().timeout(Duration::from_secs(5)).cancel(&token);
/// assert_eq!(opts.get_timeout(), Some(Duration::from_secs(5)));
/// ```
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    cancel: Option<CancelToken>,
}

impl CallOptions {
    /// No deadline beyond the configured timeouts, no cancel token.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }
    /// Deadline for the whole call, from its start; on expiry the call fails with
    /// [`ErrorKind::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> CallOptions {
        self.timeout = Some(timeout);
        self
    }
    /// Cancel token observed by the call.
    pub fn cancel(mut self, token: &CancelToken) -> CallOptions {
        self.cancel = Some(token.clone());
        self
    }
    /// The configured deadline.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Builds the C options; they keep a clone of the cancel token alive.
    pub(crate) fn to_raw(&self) -> Result<RawCallOpts, Error> {
        // SAFETY: sdrs_call_opts_new is an sdrs_X_new function.
        let raw = RawCallOpts { ptr: unsafe { new_handle(sdrs_sys::sdrs_call_opts_new)? }, _cancel: self.cancel.clone() };
        let mut err = ptr::null_mut();
        if let Some(t) = self.timeout {
            // SAFETY: valid builder handle owned by `raw`.
            unsafe { check(sdrs_sys::sdrs_call_opts_set_timeout_ms(raw.ptr.as_ptr(), millis(t), &mut err), err)? };
        }
        if let Some(token) = &self.cancel {
            // SAFETY: the token outlives `raw` (which holds a clone).
            unsafe { check(sdrs_sys::sdrs_call_opts_set_cancel(raw.ptr.as_ptr(), token.raw(), &mut err), err)? };
        }
        Ok(raw)
    }
}

/// An `sdrs_call_opts` built for one call (or one iterator), freed on drop.
pub(crate) struct RawCallOpts {
    ptr: NonNull<sdrs_sys::sdrs_call_opts>,
    // Declared after `ptr`, so dropped after the C options that borrow it are freed.
    _cancel: Option<CancelToken>,
}

impl RawCallOpts {
    pub(crate) fn as_ptr(&self) -> *const sdrs_sys::sdrs_call_opts {
        self.ptr.as_ptr()
    }
}

impl Drop for RawCallOpts {
    fn drop(&mut self) {
        // SAFETY: owned handle, no call is using it any more.
        unsafe { sdrs_sys::sdrs_call_opts_free(self.ptr.as_ptr()) }
    }
}

/// Runs `f` with the C form of `opts` (NULL for `None`).
pub(crate) fn with_call_opts<R>(
    opts: Option<&CallOptions>,
    f: impl FnOnce(*const sdrs_sys::sdrs_call_opts) -> R,
) -> Result<R, Error> {
    match opts {
        None => Ok(f(ptr::null())),
        Some(o) => {
            let raw = o.to_raw()?;
            Ok(f(raw.as_ptr()))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Log levels and sink
// ---------------------------------------------------------------------------------------------

/// HTTP version preference (`enum sdrs_http_version`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HttpVersion {
    /// HTTP/2 when the server offers it over TLS, else HTTP/1.1 (the default).
    #[default]
    Auto,
    /// HTTP/1.1 only.
    Http1_1,
    /// Prefer HTTP/2, falling back to HTTP/1.1.
    Http2,
}

impl HttpVersion {
    fn to_raw(self) -> i32 {
        match self {
            HttpVersion::Auto => sdrs_sys::SDRS_HTTP_VERSION_AUTO,
            HttpVersion::Http1_1 => sdrs_sys::SDRS_HTTP_VERSION_1_1,
            HttpVersion::Http2 => sdrs_sys::SDRS_HTTP_VERSION_2,
        }
    }
}

/// Log levels of the log sink (`enum sdrs_log_level`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// `SDRS_LOG_ERROR`
    Error,
    /// `SDRS_LOG_WARN`
    Warn,
    /// `SDRS_LOG_INFO`: one line per HTTP exchange.
    Info,
    /// `SDRS_LOG_DEBUG`: adds headers (secrets masked) and bodies.
    Debug,
}

impl LogLevel {
    fn to_raw(self) -> i32 {
        match self {
            LogLevel::Error => sdrs_sys::SDRS_LOG_ERROR,
            LogLevel::Warn => sdrs_sys::SDRS_LOG_WARN,
            LogLevel::Info => sdrs_sys::SDRS_LOG_INFO,
            LogLevel::Debug => sdrs_sys::SDRS_LOG_DEBUG,
        }
    }
    fn from_raw(level: i32) -> LogLevel {
        match level {
            sdrs_sys::SDRS_LOG_ERROR => LogLevel::Error,
            sdrs_sys::SDRS_LOG_WARN => LogLevel::Warn,
            sdrs_sys::SDRS_LOG_INFO => LogLevel::Info,
            _ => LogLevel::Debug,
        }
    }
}

type SinkFn = dyn Fn(LogLevel, &str) + Send + Sync;

/// The boxed closure behind the C sink; kept alive by the config and every client made from it.
pub(crate) struct LogSink(Box<SinkFn>);

unsafe extern "C" fn log_trampoline(level: i32, message: *const c_char, userdata: *mut c_void) {
    if userdata.is_null() || message.is_null() {
        return;
    }
    // SAFETY: userdata is the LogSink the config/client keeps alive; message is valid now.
    let sink = &*(userdata as *const LogSink);
    let text = CStr::from_ptr(message).to_string_lossy();
    // A panicking sink must not unwind into C; logging is best effort, so the panic is dropped.
    let _ = catch_unwind(AssertUnwindSafe(|| (sink.0)(LogLevel::from_raw(level), &text)));
}

// ---------------------------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------------------------

/// Client configuration builder (`sdrs_config`). Setters validate their own value at once and
/// fail with [`ErrorKind::Validation`] naming the setting; rules that involve two settings
/// (a plain `http://` endpoint needs [`allow_http(true)`](Config::allow_http)) are checked by
/// [`Client::new`].
///
/// ```
/// let err = sdrs::Config::new()?.endpoint("not a url").unwrap_err();
/// assert_eq!(err.kind(), sdrs::ErrorKind::Validation);
/// assert!(err.message().starts_with("endpoint"), "{err}");
///
/// let plain = sdrs::Config::new()?
///     .endpoint("http://127.0.0.1:8080")?
///     .project_id("0123456789abcdef0123456789abcdef")?
///     .token("emulator-token")?;
/// // Plain HTTP needs allow_http(true), before or after the endpoint.
/// assert_eq!(sdrs::Client::new(&plain).unwrap_err().kind(), sdrs::ErrorKind::Validation);
///
/// let cfg = sdrs::Config::new()?
///     .allow_http(true)?
///     .endpoint("http://127.0.0.1:8080")?
///     .project_id("0123456789abcdef0123456789abcdef")?
///     .token("emulator-token")?
///     .timeout(std::time::Duration::from_secs(30))?;
/// # drop(cfg);
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct Config {
    ptr: NonNull<sdrs_sys::sdrs_config>,
    sink: Option<Arc<LogSink>>,
}

// SAFETY: config.h: a config is a single-threaded builder; moving it between threads is fine,
// sharing it is not (no Sync). The sink closure is Send + Sync.
unsafe impl Send for Config {}

impl Drop for Config {
    fn drop(&mut self) {
        // SAFETY: owned handle.
        unsafe { sdrs_sys::sdrs_config_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config").field("log_sink", &self.sink.is_some()).finish_non_exhaustive()
    }
}

macro_rules! config_setter {
    ($self:ident, $func:ident, $($arg:expr),*) => {{
        let mut err = ptr::null_mut();
        // SAFETY: valid owned builder handle; string arguments outlive the call.
        unsafe { check(sdrs_sys::$func($self.ptr.as_ptr(), $($arg,)* &mut err), err)? };
        Ok($self)
    }};
}

impl Config {
    /// A new, empty configuration. Fails when the libsdrs loaded at run time is older than
    /// the 1.0.0 this binding needs.
    pub fn new() -> Result<Config, Error> {
        let have = crate::version_number();
        if have < sdrs_sys::SDRS_MIN_VERSION_NUMBER {
            return Err(Error::new(
                ErrorKind::Internal,
                format!("libsdrs {} loaded at run time is older than 1.0.0, which this binding needs", crate::version()),
            ));
        }
        // SAFETY: sdrs_config_new is an sdrs_X_new function.
        let ptr = unsafe { new_handle(sdrs_sys::sdrs_config_new)? };
        Ok(Config { ptr, sink: None })
    }

    /// Service endpoint `https://host[:port][/base-path]`; `http://` only with
    /// [`allow_http(true)`](Config::allow_http), set before or after (checked by
    /// [`Client::new`]).
    pub fn endpoint(self, url: &str) -> Result<Config, Error> {
        let url = c_string("endpoint", url)?;
        config_setter!(self, sdrs_config_set_endpoint, url.as_ptr())
    }
    /// Allows `http://` endpoints (for tests against a local emulator).
    pub fn allow_http(self, allow: bool) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_set_allow_http, i32::from(allow))
    }
    /// IAM project id used in every `/v1/{project_id}/` path.
    pub fn project_id(self, project_id: &str) -> Result<Config, Error> {
        let p = c_string("project_id", project_id)?;
        config_setter!(self, sdrs_config_set_project_id, p.as_ptr())
    }
    /// IAM token sent as `X-Auth-Token` (never logged).
    pub fn token(self, token: &str) -> Result<Config, Error> {
        let t = c_string("token", token)?;
        config_setter!(self, sdrs_config_set_token, t.as_ptr())
    }
    /// IAM endpoint for password authentication, e.g. `https://iam.eu-de.otc.t-systems.com/v3`.
    pub fn auth_url(self, url: &str) -> Result<Config, Error> {
        let u = c_string("auth_url", url)?;
        config_setter!(self, sdrs_config_set_auth_url, u.as_ptr())
    }
    /// IAM user name (with a user domain) for password authentication.
    pub fn username(self, name: &str) -> Result<Config, Error> {
        let v = c_string("username", name)?;
        config_setter!(self, sdrs_config_set_username, v.as_ptr())
    }
    /// IAM user id for password authentication.
    pub fn user_id(self, user_id: &str) -> Result<Config, Error> {
        let v = c_string("user_id", user_id)?;
        config_setter!(self, sdrs_config_set_user_id, v.as_ptr())
    }
    /// IAM password (never logged; wiped when freed).
    pub fn password(self, password: &str) -> Result<Config, Error> {
        let v = c_string("password", password)?;
        config_setter!(self, sdrs_config_set_password, v.as_ptr())
    }
    /// The user's domain (account) by name.
    pub fn user_domain_name(self, name: &str) -> Result<Config, Error> {
        let v = c_string("user_domain_name", name)?;
        config_setter!(self, sdrs_config_set_user_domain_name, v.as_ptr())
    }
    /// The user's domain (account) by id.
    pub fn user_domain_id(self, domain_id: &str) -> Result<Config, Error> {
        let v = c_string("user_domain_id", domain_id)?;
        config_setter!(self, sdrs_config_set_user_domain_id, v.as_ptr())
    }
    /// Project scope by name when the project id is not known.
    pub fn project_name(self, name: &str) -> Result<Config, Error> {
        let v = c_string("project_name", name)?;
        config_setter!(self, sdrs_config_set_project_name, v.as_ptr())
    }
    /// Region (e.g. `eu-de`): derives endpoints that are not set.
    pub fn region(self, region: &str) -> Result<Config, Error> {
        let v = c_string("region", region)?;
        config_setter!(self, sdrs_config_set_region, v.as_ptr())
    }
    /// Access key pair for AK/SK request signing, with the security token of temporary
    /// credentials if any (secrets never logged).
    pub fn access_key(self, access_key: &str, secret_key: &str, security_token: Option<&str>) -> Result<Config, Error> {
        let ak = c_string("access_key", access_key)?;
        let sk = c_string("secret_key", secret_key)?;
        let st = opt_c_string("security_token", security_token)?;
        config_setter!(self, sdrs_config_set_access_key, ak.as_ptr(), sk.as_ptr(), opt_ptr(&st))
    }
    /// How long before expiry an IAM token is replaced (default 5 min).
    pub fn token_refresh_margin(self, margin: Duration) -> Result<Config, Error> {
        let secs = i64::try_from(margin.as_secs()).unwrap_or(i64::MAX);
        config_setter!(self, sdrs_config_set_token_refresh_margin_s, secs)
    }
    /// Reads the `OS_*` environment variables (weaker than setters, stronger than clouds.yaml).
    pub fn load_env(self) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_load_env,)
    }
    /// Reads one cloud of a clouds.yaml (`None`: the standard search path / `$OS_CLOUD`).
    pub fn load_clouds_yaml(self, path: Option<&str>, cloud: Option<&str>) -> Result<Config, Error> {
        let p = opt_c_string("path", path)?;
        let c = opt_c_string("cloud", cloud)?;
        config_setter!(self, sdrs_config_load_clouds_yaml, opt_ptr(&p), opt_ptr(&c))
    }
    /// Connect timeout (default 10 s).
    pub fn connect_timeout(self, timeout: Duration) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_set_connect_timeout_ms, millis(timeout))
    }
    /// Total timeout of one HTTP exchange (default 60 s).
    pub fn timeout(self, timeout: Duration) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_set_timeout_ms, millis(timeout))
    }
    /// PEM file with the CA certificates that verify the server; `None` restores the system
    /// store.
    pub fn ca_file(self, path: Option<&str>) -> Result<Config, Error> {
        let p = opt_c_string("ca_file", path)?;
        config_setter!(self, sdrs_config_set_ca_file, opt_ptr(&p))
    }
    /// Directory of CA certificates in OpenSSL's hashed format, in addition to the CA file;
    /// `None` restores the default (none).
    pub fn ca_dir(self, path: Option<&str>) -> Result<Config, Error> {
        let p = opt_c_string("ca_dir", path)?;
        config_setter!(self, sdrs_config_set_ca_dir, opt_ptr(&p))
    }
    /// Client certificate and key (PEM files) for mutual TLS, with an optional password for
    /// an encrypted key (never logged). `client_cert(None, None, None)` removes them.
    pub fn client_cert(
        self,
        cert_file: Option<&str>,
        key_file: Option<&str>,
        key_password: Option<&str>,
    ) -> Result<Config, Error> {
        let c = opt_c_string("cert_file", cert_file)?;
        let k = opt_c_string("key_file", key_file)?;
        let p = opt_c_string("key_password", key_password)?;
        config_setter!(self, sdrs_config_set_client_cert, opt_ptr(&c), opt_ptr(&k), opt_ptr(&p))
    }
    /// DANGEROUS: turns off the server certificate and host name checks. For throw-away test
    /// setups only; the client logs a warning at creation and on every request.
    pub fn insecure_skip_tls_verify(self, skip: bool) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_set_insecure_skip_tls_verify, i32::from(skip))
    }
    /// Proxy URL (`None`: the environment's `HTTPS_PROXY`, ..., read once when the client is
    /// made; `Some("")`: no proxy at all) and
    /// the comma-separated hosts reached directly (`None`: the environment's `NO_PROXY`).
    pub fn proxy(self, proxy_url: Option<&str>, no_proxy: Option<&str>) -> Result<Config, Error> {
        let u = opt_c_string("proxy_url", proxy_url)?;
        let n = opt_c_string("no_proxy", no_proxy)?;
        config_setter!(self, sdrs_config_set_proxy, opt_ptr(&u), opt_ptr(&n))
    }
    /// Low-speed abort: an exchange slower than `bytes_per_second` for `time` fails
    /// (default 1 byte/s for 30 s; 0 bytes disables it).
    pub fn low_speed(self, bytes_per_second: i64, time: Duration) -> Result<Config, Error> {
        let secs = i64::try_from(time.as_secs()).unwrap_or(i64::MAX);
        config_setter!(self, sdrs_config_set_low_speed, bytes_per_second, secs)
    }
    /// Attempts per call, retries included (1..=10, default 4).
    pub fn max_attempts(self, attempts: i32) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_set_max_attempts, attempts)
    }
    /// HTTP version preference.
    pub fn http_version(self, version: HttpVersion) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_set_http_version, version.to_raw())
    }
    /// Text appended to the User-Agent; `None` clears it.
    pub fn user_agent_suffix(self, suffix: Option<&str>) -> Result<Config, Error> {
        let s = opt_c_string("user_agent_suffix", suffix)?;
        config_setter!(self, sdrs_config_set_user_agent_suffix, opt_ptr(&s))
    }
    /// Largest response body accepted, in bytes (default 8 MiB).
    pub fn max_response_bytes(self, bytes: i64) -> Result<Config, Error> {
        config_setter!(self, sdrs_config_set_max_response_bytes, bytes)
    }
    /// Sends log lines up to `level` to `sink`. The sink runs on the thread making a call,
    /// inside it, possibly on many threads at once; a panic in it is swallowed.
    pub fn log_sink<F>(mut self, level: LogLevel, sink: F) -> Result<Config, Error>
    where
        F: Fn(LogLevel, &str) + Send + Sync + 'static,
    {
        let sink = Arc::new(LogSink(Box::new(sink)));
        let userdata = Arc::as_ptr(&sink) as *mut c_void;
        let mut err = ptr::null_mut();
        // SAFETY: the sink lives in `self.sink` (and in every client made afterwards).
        unsafe {
            check(
                sdrs_sys::sdrs_config_set_log_sink(self.ptr.as_ptr(), Some(log_trampoline), level.to_raw(), userdata, &mut err),
                err,
            )?
        };
        self.sink = Some(sink);
        Ok(self)
    }
    /// Disables logging (the default).
    pub fn clear_log_sink(mut self) -> Result<Config, Error> {
        let mut err = ptr::null_mut();
        // SAFETY: valid handle; NULL sink disables logging.
        unsafe { check(sdrs_sys::sdrs_config_set_log_sink(self.ptr.as_ptr(), None, 0, ptr::null_mut(), &mut err), err)? };
        self.sink = None;
        Ok(self)
    }

    /// Creates a client from this configuration (same as [`Client::new`]).
    pub fn build(&self) -> Result<Client, Error> {
        Client::new(self)
    }
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/// A client: cheap to share (`&Client` or `Arc<Client>`) between many threads at once.
///
/// The calls are methods on `Client` grouped by resource: jobs ([`Client::poll_job`],
/// [`Client::wait_job`]), protection groups ([`Client::create_group`], ...), domains and API
/// versions.
pub struct Client {
    ptr: NonNull<sdrs_sys::sdrs_client>,
    _sink: Option<Arc<LogSink>>,
}

// SAFETY: client.h: "an sdrs_client is safe to use from many threads at once"; the log sink
// closure is Send + Sync.
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

impl Client {
    /// Creates a client from `config` (copied: the config may be dropped or changed later).
    /// Fails with [`ErrorKind::Validation`] when endpoint, project id or token is missing.
    pub fn new(config: &Config) -> Result<Client, Error> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid config handle.
        unsafe { check(sdrs_sys::sdrs_client_new(&mut out, config.ptr.as_ptr(), &mut err), err)? };
        let ptr = NonNull::new(out).ok_or_else(|| Error::new(ErrorKind::Internal, "sdrs_client_new returned NULL"))?;
        Ok(Client { ptr, _sink: config.sink.clone() })
    }

    /// A valid IAM token of the client (password authentication: cached or refreshed). Fails
    /// with [`ErrorKind::InvalidArgument`] for an AK/SK client. It is a secret: do not log it.
    pub fn token(&self, opts: Option<&CallOptions>) -> Result<String, Error> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client; out receives a string we free with take_string.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_client_token(&mut out, self.raw(), o, &mut err) })?;
        // SAFETY: outputs of the call just made.
        unsafe {
            check(rc, err)?;
            Ok(crate::util::take_string(out))
        }
    }

    /// The project id in use (configured, or learned from the IAM token's scope).
    pub fn project_id(&self, opts: Option<&CallOptions>) -> Result<String, Error> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client; out receives a string we free with take_string.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_client_project_id(&mut out, self.raw(), o, &mut err) })?;
        // SAFETY: outputs of the call just made.
        unsafe {
            check(rc, err)?;
            Ok(crate::util::take_string(out))
        }
    }

    pub(crate) fn raw(&self) -> *mut sdrs_sys::sdrs_client {
        self.ptr.as_ptr()
    }

    /// The log sink the C client calls; whoever keeps the C client alive keeps this too.
    pub(crate) fn log_sink(&self) -> Option<Arc<LogSink>> {
        self._sink.clone()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: owned handle; `&self` borrows of running calls have ended.
        unsafe { sdrs_sys::sdrs_client_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

/// Shared implementation of the calls returning an owned job id string.
pub(crate) fn job_id_call(
    client: &Client,
    opts: Option<&CallOptions>,
    f: impl FnOnce(*mut *mut c_char, *mut sdrs_sys::sdrs_client, *const sdrs_sys::sdrs_call_opts, *mut *mut sdrs_sys::sdrs_error) -> i32,
) -> Result<String, Error> {
    let mut id = ptr::null_mut();
    let mut err = ptr::null_mut();
    let rc = with_call_opts(opts, |o| f(&mut id, client.raw(), o, &mut err))?;
    // SAFETY: err/id come from the call just made.
    unsafe {
        check(rc, err)?;
        Ok(crate::util::take_string(id))
    }
}
