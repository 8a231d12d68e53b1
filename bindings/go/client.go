package sdrs

/*
#include <stdint.h>
#include <stdlib.h>
#include <sdrs.h>

// A runtime/cgo.Handle crosses into C as an integer and becomes the void *userdata only in
// C: in Go it must never be held as an unsafe.Pointer, whose small value the runtime rejects
// as an invalid pointer when it copies a goroutine's stack.
extern void sdrsGoLog(int32_t level, char *message, uintptr_t userdata);
static void sdrs_go_log_tramp(int32_t level, const char *message, void *userdata) {
  sdrsGoLog(level, (char *)message, (uintptr_t)userdata);
}
static inline int sdrs_go_set_log_sink(sdrs_config *cfg, int32_t level, uintptr_t h,
                                       sdrs_error **err) {
  return sdrs_config_set_log_sink(cfg, sdrs_go_log_tramp, level, (void *)h, err);
}
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
	// NO_PROXY, ... read once by NewClient). NoProxy: comma-separated hosts reached directly;
	// empty: the environment.
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
	// goroutine making the call, so it may run on several goroutines at once; the polls of
	// WaitJob and of a Watcher log from the watcher's thread.
	Logger   func(level LogLevel, line string)
	LogLevel LogLevel
}

// HTTPVersion is an sdrs_http_version.
type HTTPVersion int32

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
	// watcher polls for WaitJob; started by the first WaitJob, freed by Close once no WaitJob
	// uses it (waits counts them), or with the C client.
	watcher *Watcher
	waits   int
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

	c := &Client{}
	var strs cStrings
	defer strs.free()
	for _, s := range configSettings(cfg, c) {
		if !s.given {
			continue
		}
		if rc := s.apply(ccfg, &strs, &cerr); rc != 0 {
			if c.logH != 0 {
				c.logH.Delete()
			}
			return nil, takeError(s.op, rc, cerr)
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

// cStrings owns the C strings handed to the config setters of one NewClient.
type cStrings []*C.char

// str returns s as a C string freed by free.
func (a *cStrings) str(s string) *C.char {
	p := cString(s)
	*a = append(*a, p)
	return p
}

// opt is str, but NULL for "" (the setters' "unset / environment default").
func (a *cStrings) opt(s string) *C.char {
	p := cStringOpt(s)
	if p != nil {
		*a = append(*a, p)
	}
	return p
}

func (a *cStrings) free() {
	for _, p := range *a {
		cFree(p)
	}
}

// configSetting is one Config field (or group of fields) and its sdrs_config setter.
type configSetting struct {
	op    string // the C setter, named in errors
	given bool   // zero values keep libsdrs' defaults: the setter is not called
	apply func(ccfg *C.sdrs_config, strs *cStrings, cerr **C.sdrs_error) C.int
}

// orReject passes a negative duration on as -1 so libsdrs rejects it with its own message.
func orReject(d time.Duration, whole func(time.Duration) int64) C.int64_t {
	if d < 0 {
		return -1
	}
	return C.int64_t(whole(d))
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// configSettings is every setting of cfg, applied in this order. allow_http comes first: the
// endpoint setter checks the scheme against it. The log sink registers its state on c.
func configSettings(cfg Config, c *Client) []configSetting {
	type cfgp = *C.sdrs_config
	type errp = **C.sdrs_error
	return []configSetting{
		{"sdrs_config_set_allow_http", cfg.AllowHTTP, func(p cfgp, _ *cStrings, e errp) C.int { return C.sdrs_config_set_allow_http(p, 1, e) }},
		{"sdrs_config_set_endpoint", cfg.Endpoint != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_endpoint(p, s.str(cfg.Endpoint), e) }},
		{"sdrs_config_set_project_id", cfg.ProjectID != "", func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_set_project_id(p, s.str(cfg.ProjectID), e)
		}},
		{"sdrs_config_set_token", cfg.Token != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_token(p, s.str(cfg.Token), e) }},
		{"sdrs_config_set_ca_file", cfg.CAFile != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_ca_file(p, s.str(cfg.CAFile), e) }},
		{"sdrs_config_set_user_agent_suffix", cfg.UserAgentSuffix != "", func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_set_user_agent_suffix(p, s.str(cfg.UserAgentSuffix), e)
		}},
		{"sdrs_config_set_auth_url", cfg.AuthURL != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_auth_url(p, s.str(cfg.AuthURL), e) }},
		{"sdrs_config_set_username", cfg.Username != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_username(p, s.str(cfg.Username), e) }},
		{"sdrs_config_set_user_id", cfg.UserID != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_user_id(p, s.str(cfg.UserID), e) }},
		{"sdrs_config_set_password", cfg.Password != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_password(p, s.str(cfg.Password), e) }},
		{"sdrs_config_set_user_domain_name", cfg.UserDomainName != "", func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_set_user_domain_name(p, s.str(cfg.UserDomainName), e)
		}},
		{"sdrs_config_set_user_domain_id", cfg.UserDomainID != "", func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_set_user_domain_id(p, s.str(cfg.UserDomainID), e)
		}},
		{"sdrs_config_set_project_name", cfg.ProjectName != "", func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_set_project_name(p, s.str(cfg.ProjectName), e)
		}},
		{"sdrs_config_set_region", cfg.Region != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_region(p, s.str(cfg.Region), e) }},
		{"sdrs_config_set_connect_timeout_ms", cfg.ConnectTimeout != 0, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_connect_timeout_ms(p, orReject(cfg.ConnectTimeout, durationMs), e)
		}},
		{"sdrs_config_set_timeout_ms", cfg.Timeout != 0, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_timeout_ms(p, orReject(cfg.Timeout, durationMs), e)
		}},
		{"sdrs_config_set_access_key", cfg.AccessKey != "" || cfg.SecretKey != "", func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_set_access_key(p, s.str(cfg.AccessKey), s.str(cfg.SecretKey), s.opt(cfg.SecurityToken), e)
		}},
		{"sdrs_config_set_token_refresh_margin_s", cfg.TokenRefreshMargin != nil, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_token_refresh_margin_s(p, orReject(*cfg.TokenRefreshMargin, seconds), e)
		}},
		{"sdrs_config_load_env", cfg.LoadEnv, func(p cfgp, _ *cStrings, e errp) C.int { return C.sdrs_config_load_env(p, e) }},
		{"sdrs_config_load_clouds_yaml", cfg.LoadCloudsYAML, func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_load_clouds_yaml(p, s.opt(cfg.CloudsYAMLPath), s.opt(cfg.Cloud), e)
		}},
		{"sdrs_config_set_max_response_bytes", cfg.MaxResponseBytes != 0, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_max_response_bytes(p, C.int64_t(cfg.MaxResponseBytes), e)
		}},
		{"sdrs_config_set_ca_dir", cfg.CADir != "", func(p cfgp, s *cStrings, e errp) C.int { return C.sdrs_config_set_ca_dir(p, s.str(cfg.CADir), e) }},
		{"sdrs_config_set_client_cert", cfg.ClientCertFile != "" || cfg.ClientKeyFile != "", func(p cfgp, s *cStrings, e errp) C.int {
			return C.sdrs_config_set_client_cert(p, s.opt(cfg.ClientCertFile), s.opt(cfg.ClientKeyFile), s.opt(cfg.ClientKeyPassword), e)
		}},
		{"sdrs_config_set_insecure_skip_tls_verify", cfg.InsecureSkipTLSVerify, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_insecure_skip_tls_verify(p, 1, e)
		}},
		{"sdrs_config_set_proxy", cfg.Proxy != "" || cfg.NoProxy != "" || cfg.DirectConnection, func(p cfgp, s *cStrings, e errp) C.int {
			proxy := s.opt(cfg.Proxy)
			if cfg.DirectConnection {
				proxy = s.str("") // no proxy at all; NULL would mean the environment's
			}
			return C.sdrs_config_set_proxy(p, proxy, s.opt(cfg.NoProxy), e)
		}},
		{"sdrs_config_set_low_speed", cfg.LowSpeedTime != 0, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_low_speed(p, C.int64_t(cfg.LowSpeedBytesPerSecond), orReject(cfg.LowSpeedTime, seconds), e)
		}},
		{"sdrs_config_set_max_attempts", cfg.MaxAttempts != 0, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_max_attempts(p, C.int32_t(cfg.MaxAttempts), e)
		}},
		{"sdrs_config_set_http_version", cfg.HTTPVersion != HTTPVersionAuto, func(p cfgp, _ *cStrings, e errp) C.int {
			return C.sdrs_config_set_http_version(p, C.int32_t(cfg.HTTPVersion), e)
		}},
		{"sdrs_config_set_log_sink", cfg.Logger != nil, func(p cfgp, _ *cStrings, e errp) C.int {
			level := cfg.LogLevel
			if level == 0 {
				level = LogInfo
			}
			c.logH = cgo.NewHandle(&logState{fn: cfg.Logger})
			return C.sdrs_go_set_log_sink(p, C.int32_t(level), C.uintptr_t(c.logH), e)
		}},
	}
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
	if c.waits == 0 {
		c.closeOwnWatcher()
	}
	if c.refs == 0 {
		c.free()
	}
	return nil
}

// liveClients counts C clients not yet freed (read by the tests through export_test.go).
var liveClients int64

// free releases the C client; c.mu is held.
func (c *Client) free() {
	c.closeOwnWatcher()
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

// heldKey marks a context whose call sequence holds a reference on a client (the value):
// calls made with it run even after Close, as one C call in progress does (createAndWait).
type heldKey struct{}

// pin adds a reference to a client the caller already holds one on (closed or not).
func (c *Client) pin() *C.sdrs_client {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refs++
	return c.ptr
}

// enter makes the client and a scope for ctx ready for one C call of op; leave ends both.
func (c *Client) enter(ctx context.Context, op string) (cl *C.sdrs_client, s *scope, leave func(), err error) {
	if ctx != nil && c != nil && ctx.Value(heldKey{}) == c {
		cl = c.pin()
	} else {
		cl, err = c.acquire(op)
	}
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
