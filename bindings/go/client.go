package sdrs

/*
#include <stdint.h>
#include <stdlib.h>
#include <sdrs.h>

extern void sdrsGoLog(int32_t level, char *message, void *userdata);
static inline sdrs_log_sink sdrs_go_log_sink2(void) { return (sdrs_log_sink)sdrsGoLog; }
static inline void *sdrs_go_handle_ptr2(uintptr_t h) { return (void *)h; }
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"time"
)

// LogLevel is an sdrs_log_level.
type LogLevel int32

// Log levels, from the least to the most verbose.
const (
	LogError LogLevel = C.SDRS_LOG_ERROR
	LogWarn  LogLevel = C.SDRS_LOG_WARN
	LogInfo  LogLevel = C.SDRS_LOG_INFO  // one line per HTTP exchange
	LogDebug LogLevel = C.SDRS_LOG_DEBUG // adds headers (secrets masked) and bodies
)

// Config holds the client settings. Credentials are a Token, a Password (with Username and
// UserDomainName/ID, or UserID, and ProjectID or ProjectName), or AccessKey+SecretKey; see
// sdrs/config.h for the rules. Zero values keep libsdrs' defaults. Every field is validated
// by libsdrs (sdrs_config_*).
type Config struct {
	Endpoint  string // "https://host[:port][/base-path]"; default: token catalog or region
	AllowHTTP bool   // accept plain http:// endpoints and IAM URLs (local emulator only)
	ProjectID string // IAM project id of every /v1/{project_id}/ path
	Token     string // IAM token sent as X-Auth-Token; never logged

	AuthURL        string // IAM, e.g. https://iam.eu-de.otc.t-systems.com/v3
	Username       string
	UserID         string
	Password       string // never logged
	UserDomainName string
	UserDomainID   string
	ProjectName    string // project scope by name when ProjectID is unknown
	Region         string // e.g. "eu-de"
	AccessKey      string // AK/SK request signing
	SecretKey      string // never logged
	SecurityToken  string // of temporary AK/SK credentials; never logged
	// TokenRefreshMargin: how long before expiry an IAM token is replaced (nil: 5 min).
	TokenRefreshMargin *time.Duration

	// LoadEnv reads the OS_* environment variables (weaker than the fields above).
	LoadEnv bool
	// LoadCloudsYAML reads clouds.yaml (weakest): CloudsYAMLPath or the standard search path,
	// cloud Cloud or $OS_CLOUD.
	LoadCloudsYAML bool
	CloudsYAMLPath string
	Cloud          string

	ConnectTimeout   time.Duration // default 10 s
	Timeout          time.Duration // total time of one HTTP exchange, default 60 s
	CAFile           string        // PEM CA bundle; default: the system store
	UserAgentSuffix  string        // appended to "libsdrs/<version>"
	MaxResponseBytes int64         // largest accepted body, default 8 MiB

	CADir string // hashed CA directory (c_rehash), in addition to CAFile
	// Mutual TLS: client certificate and key (PEM files), both or neither; the password
	// decrypts an encrypted key and is never logged.
	ClientCertFile    string
	ClientKeyFile     string
	ClientKeyPassword string
	// InsecureSkipTLSVerify turns off certificate and host name checks. DANGEROUS: for
	// throw-away test setups only; the client logs a warning at creation and on every request.
	InsecureSkipTLSVerify bool
	// Proxy URL ("http://host:port", "socks5h://..."); empty: the environment (HTTPS_PROXY,
	// NO_PROXY). NoProxy: comma-separated hosts reached directly; empty: the environment.
	// DirectConnection: no proxy at all, whatever the environment says.
	Proxy            string
	NoProxy          string
	DirectConnection bool
	// Low-speed abort: an exchange slower than LowSpeedBytesPerSecond for LowSpeedTime fails
	// (default 1 byte/s for 30 s). Applied when LowSpeedTime is non-zero; 0 bytes disables it.
	LowSpeedBytesPerSecond int64
	LowSpeedTime           time.Duration
	// MaxAttempts per call, retries included (1..10, default 4; 0 keeps the default).
	MaxAttempts int32
	HTTPVersion HTTPVersion

	// Logger receives libsdrs' log lines up to LogLevel (default LogInfo). It runs on the
	// goroutine making the call, so it may run on several goroutines at once.
	Logger   func(level LogLevel, line string)
	LogLevel LogLevel
}

// HTTPVersion is an sdrs_http_version.
type HTTPVersion int32

// HTTP version preferences.
const (
	HTTPVersionAuto HTTPVersion = C.SDRS_HTTP_VERSION_AUTO // HTTP/2 when offered over TLS
	HTTPVersion11   HTTPVersion = C.SDRS_HTTP_VERSION_1_1
	HTTPVersion2    HTTPVersion = C.SDRS_HTTP_VERSION_2
)

type logState struct {
	fn func(LogLevel, string)
}

// Client is an SDRS client. It is safe for concurrent use by many goroutines. Close it when
// done; a finalizer frees it if it becomes unreachable unclosed.
type Client struct {
	mu     sync.Mutex
	ptr    *C.sdrs_client
	refs   int // calls in flight
	closed bool
	logH   cgo.Handle
}

// NewClient validates cfg and creates a client.
func NewClient(cfg Config) (*Client, error) {
	if err := checkRuntimeVersion(); err != nil {
		return nil, err
	}
	var ccfg *C.sdrs_config
	var cerr *C.sdrs_error
	if rc := C.sdrs_config_new(&ccfg, &cerr); rc != 0 {
		return nil, takeError("sdrs_config_new", rc, cerr)
	}
	defer C.sdrs_config_free(ccfg)

	setStr := func(op string, v string, set func(*C.char) C.int) error {
		p := cString(v)
		defer cFree(p)
		if rc := set(p); rc != 0 {
			return takeError(op, rc, cerr)
		}
		return nil
	}
	setMs := func(op string, d time.Duration, set func(C.int64_t) C.int) error {
		if d == 0 {
			return nil
		}
		ms := durationMs(d)
		if d < 0 {
			ms = -1 // let libsdrs reject it with its own message
		}
		if rc := set(C.int64_t(ms)); rc != 0 {
			return takeError(op, rc, cerr)
		}
		return nil
	}
	// allow_http first: the endpoint setter checks the scheme against it.
	if cfg.AllowHTTP {
		if rc := C.sdrs_config_set_allow_http(ccfg, 1, &cerr); rc != 0 {
			return nil, takeError("sdrs_config_set_allow_http", rc, cerr)
		}
	}
	// Empty strings mean "not set"; the table keeps the order (endpoint after allow_http).
	strSetters := []struct {
		op  string
		v   string
		set func(*C.char) C.int
	}{
		{"sdrs_config_set_endpoint", cfg.Endpoint, func(p *C.char) C.int { return C.sdrs_config_set_endpoint(ccfg, p, &cerr) }},
		{"sdrs_config_set_project_id", cfg.ProjectID, func(p *C.char) C.int { return C.sdrs_config_set_project_id(ccfg, p, &cerr) }},
		{"sdrs_config_set_token", cfg.Token, func(p *C.char) C.int { return C.sdrs_config_set_token(ccfg, p, &cerr) }},
		{"sdrs_config_set_ca_file", cfg.CAFile, func(p *C.char) C.int { return C.sdrs_config_set_ca_file(ccfg, p, &cerr) }},
		{"sdrs_config_set_user_agent_suffix", cfg.UserAgentSuffix, func(p *C.char) C.int { return C.sdrs_config_set_user_agent_suffix(ccfg, p, &cerr) }},
		{"sdrs_config_set_auth_url", cfg.AuthURL, func(p *C.char) C.int { return C.sdrs_config_set_auth_url(ccfg, p, &cerr) }},
		{"sdrs_config_set_username", cfg.Username, func(p *C.char) C.int { return C.sdrs_config_set_username(ccfg, p, &cerr) }},
		{"sdrs_config_set_user_id", cfg.UserID, func(p *C.char) C.int { return C.sdrs_config_set_user_id(ccfg, p, &cerr) }},
		{"sdrs_config_set_password", cfg.Password, func(p *C.char) C.int { return C.sdrs_config_set_password(ccfg, p, &cerr) }},
		{"sdrs_config_set_user_domain_name", cfg.UserDomainName, func(p *C.char) C.int { return C.sdrs_config_set_user_domain_name(ccfg, p, &cerr) }},
		{"sdrs_config_set_user_domain_id", cfg.UserDomainID, func(p *C.char) C.int { return C.sdrs_config_set_user_domain_id(ccfg, p, &cerr) }},
		{"sdrs_config_set_project_name", cfg.ProjectName, func(p *C.char) C.int { return C.sdrs_config_set_project_name(ccfg, p, &cerr) }},
		{"sdrs_config_set_region", cfg.Region, func(p *C.char) C.int { return C.sdrs_config_set_region(ccfg, p, &cerr) }},
	}
	for _, s := range strSetters {
		if s.v == "" {
			continue
		}
		if err := setStr(s.op, s.v, s.set); err != nil {
			return nil, err
		}
	}
	if err := setMs("sdrs_config_set_connect_timeout_ms", cfg.ConnectTimeout, func(ms C.int64_t) C.int {
		return C.sdrs_config_set_connect_timeout_ms(ccfg, ms, &cerr)
	}); err != nil {
		return nil, err
	}
	if err := setMs("sdrs_config_set_timeout_ms", cfg.Timeout, func(ms C.int64_t) C.int {
		return C.sdrs_config_set_timeout_ms(ccfg, ms, &cerr)
	}); err != nil {
		return nil, err
	}
	if cfg.AccessKey != "" || cfg.SecretKey != "" {
		ak, sk := cString(cfg.AccessKey), cString(cfg.SecretKey)
		var st *C.char
		if cfg.SecurityToken != "" {
			st = cString(cfg.SecurityToken)
		}
		rc := C.sdrs_config_set_access_key(ccfg, ak, sk, st, &cerr)
		cFree(ak)
		cFree(sk)
		if st != nil {
			cFree(st)
		}
		if rc != 0 {
			return nil, takeError("sdrs_config_set_access_key", rc, cerr)
		}
	}
	if cfg.TokenRefreshMargin != nil {
		secs := int64(*cfg.TokenRefreshMargin / time.Second)
		if *cfg.TokenRefreshMargin < 0 {
			secs = -1 // let libsdrs reject it with its own message
		}
		if rc := C.sdrs_config_set_token_refresh_margin_s(ccfg, C.int64_t(secs), &cerr); rc != 0 {
			return nil, takeError("sdrs_config_set_token_refresh_margin_s", rc, cerr)
		}
	}
	if cfg.LoadEnv {
		if rc := C.sdrs_config_load_env(ccfg, &cerr); rc != 0 {
			return nil, takeError("sdrs_config_load_env", rc, cerr)
		}
	}
	if cfg.LoadCloudsYAML {
		var path, cloud *C.char
		if cfg.CloudsYAMLPath != "" {
			path = cString(cfg.CloudsYAMLPath)
			defer cFree(path)
		}
		if cfg.Cloud != "" {
			cloud = cString(cfg.Cloud)
			defer cFree(cloud)
		}
		if rc := C.sdrs_config_load_clouds_yaml(ccfg, path, cloud, &cerr); rc != 0 {
			return nil, takeError("sdrs_config_load_clouds_yaml", rc, cerr)
		}
	}
	if cfg.MaxResponseBytes != 0 {
		if rc := C.sdrs_config_set_max_response_bytes(ccfg, C.int64_t(cfg.MaxResponseBytes), &cerr); rc != 0 {
			return nil, takeError("sdrs_config_set_max_response_bytes", rc, cerr)
		}
	}
	if err := applyTransport(ccfg, &cerr, cfg); err != nil {
		return nil, err
	}
	c := &Client{}
	if cfg.Logger != nil {
		level := cfg.LogLevel
		if level == 0 {
			level = LogInfo
		}
		c.logH = cgo.NewHandle(&logState{fn: cfg.Logger})
		if rc := C.sdrs_config_set_log_sink(ccfg, C.sdrs_go_log_sink2(), C.int32_t(level),
			C.sdrs_go_handle_ptr2(C.uintptr_t(c.logH)), &cerr); rc != 0 {
			c.logH.Delete()
			return nil, takeError("sdrs_config_set_log_sink", rc, cerr)
		}
	}
	if rc := C.sdrs_client_new(&c.ptr, ccfg, &cerr); rc != 0 {
		if c.logH != 0 {
			c.logH.Delete()
		}
		return nil, takeError("sdrs_client_new", rc, cerr)
	}
	atomic.AddInt64(&liveClients, 1)
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close frees the client. Calls still in flight finish first (the C client is freed when the
// last one returns); later calls fail with ErrInvalid. Close is idempotent and always
// returns nil.
func (c *Client) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	runtime.SetFinalizer(c, nil)
	if c.refs == 0 {
		c.free()
	}
	return nil
}

// liveClients counts C clients not yet freed (read by the tests through export_test.go).
var liveClients int64

// free releases the C client; c.mu is held.
func (c *Client) free() {
	if c.ptr != nil {
		C.sdrs_client_free(c.ptr)
		c.ptr = nil
		atomic.AddInt64(&liveClients, -1)
	}
	if c.logH != 0 {
		c.logH.Delete()
		c.logH = 0
	}
}

// acquire pins the C client for one call; release must follow.
func (c *Client) acquire(op string) (*C.sdrs_client, error) {
	if c == nil {
		return nil, errInvalidf(op, "client: must not be nil")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errInvalidf(op, "client: used after Close")
	}
	c.refs++
	return c.ptr, nil
}

func (c *Client) release() {
	c.mu.Lock()
	c.refs--
	if c.closed && c.refs == 0 {
		c.free()
	}
	c.mu.Unlock()
	runtime.KeepAlive(c)
}

// enter makes the client and a scope for ctx ready for one C call of op; leave ends both.
func (c *Client) enter(ctx context.Context, op string) (cl *C.sdrs_client, s *scope, leave func(), err error) {
	cl, err = c.acquire(op)
	if err != nil {
		return nil, nil, nil, err
	}
	s, err = begin(ctx, op)
	if err != nil {
		c.release()
		return nil, nil, nil, err
	}
	return cl, s, func() {
		s.end()
		c.release()
	}, nil
}

// do runs one C call that takes sdrs_call_opts under ctx.
func (c *Client) do(ctx context.Context, op string,
	call func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int) error {
	cl, s, leave, err := c.enter(ctx, op)
	if err != nil {
		return err
	}
	defer leave()
	o, err := s.callOpts()
	if err != nil {
		return err
	}
	if o != nil {
		defer C.sdrs_call_opts_free(o)
	}
	var cerr *C.sdrs_error
	if rc := call(cl, o, &cerr); rc != 0 {
		return s.fail(op, rc, cerr)
	}
	return nil
}

// doWait runs one C call that takes sdrs_wait_opts under ctx.
func (c *Client) doWait(ctx context.Context, op string, wo *WaitOpts,
	call func(cl *C.sdrs_client, w *C.sdrs_wait_opts, cerr **C.sdrs_error) C.int) error {
	cl, s, leave, err := c.enter(ctx, op)
	if err != nil {
		return err
	}
	defer leave()
	w, ps, h, err := s.waitOpts(wo)
	if err != nil {
		return err
	}
	defer C.sdrs_wait_opts_free(w)
	var cerr *C.sdrs_error
	var ferr error
	if rc := call(cl, w, &cerr); rc != 0 {
		ferr = s.fail(op, rc, cerr)
	}
	finishProgress(ps, h)
	return ferr
}

// takeString copies and frees a string libsdrs handed over through an out-parameter.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.sdrs_string_free(p)
	return s
}

// applyTransport sets the TLS, proxy, retry and speed settings that differ from the defaults.
func applyTransport(ccfg *C.sdrs_config, cerr **C.sdrs_error, cfg Config) error {
	check := func(op string, rc C.int) error {
		if rc != 0 {
			return takeError(op, rc, *cerr)
		}
		return nil
	}
	if cfg.CADir != "" {
		p := cString(cfg.CADir)
		defer cFree(p)
		if err := check("sdrs_config_set_ca_dir", C.sdrs_config_set_ca_dir(ccfg, p, cerr)); err != nil {
			return err
		}
	}
	if cfg.ClientCertFile != "" || cfg.ClientKeyFile != "" {
		var cert, key, pw *C.char
		if cfg.ClientCertFile != "" {
			cert = cString(cfg.ClientCertFile)
			defer cFree(cert)
		}
		if cfg.ClientKeyFile != "" {
			key = cString(cfg.ClientKeyFile)
			defer cFree(key)
		}
		if cfg.ClientKeyPassword != "" {
			pw = cString(cfg.ClientKeyPassword)
			defer cFree(pw)
		}
		if err := check("sdrs_config_set_client_cert",
			C.sdrs_config_set_client_cert(ccfg, cert, key, pw, cerr)); err != nil {
			return err
		}
	}
	if cfg.InsecureSkipTLSVerify {
		if err := check("sdrs_config_set_insecure_skip_tls_verify",
			C.sdrs_config_set_insecure_skip_tls_verify(ccfg, 1, cerr)); err != nil {
			return err
		}
	}
	if cfg.Proxy != "" || cfg.NoProxy != "" || cfg.DirectConnection {
		var proxy, noProxy *C.char
		if cfg.DirectConnection {
			proxy = cString("")
			defer cFree(proxy)
		} else if cfg.Proxy != "" {
			proxy = cString(cfg.Proxy)
			defer cFree(proxy)
		}
		if cfg.NoProxy != "" {
			noProxy = cString(cfg.NoProxy)
			defer cFree(noProxy)
		}
		if err := check("sdrs_config_set_proxy",
			C.sdrs_config_set_proxy(ccfg, proxy, noProxy, cerr)); err != nil {
			return err
		}
	}
	if cfg.LowSpeedTime != 0 {
		secs := int64(cfg.LowSpeedTime / time.Second)
		if cfg.LowSpeedTime < 0 {
			secs = -1 // let libsdrs reject it with its own message
		}
		if err := check("sdrs_config_set_low_speed", C.sdrs_config_set_low_speed(ccfg,
			C.int64_t(cfg.LowSpeedBytesPerSecond), C.int64_t(secs), cerr)); err != nil {
			return err
		}
	}
	if cfg.MaxAttempts != 0 {
		if err := check("sdrs_config_set_max_attempts",
			C.sdrs_config_set_max_attempts(ccfg, C.int32_t(cfg.MaxAttempts), cerr)); err != nil {
			return err
		}
	}
	if cfg.HTTPVersion != HTTPVersionAuto {
		if err := check("sdrs_config_set_http_version",
			C.sdrs_config_set_http_version(ccfg, C.int32_t(cfg.HTTPVersion), cerr)); err != nil {
			return err
		}
	}
	return nil
}
