package sdrs_test

import (
	"errors"
	"net"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// TestTransportSettings: every transport setting reaches libsdrs' checks, and the valid ones
// give a working client.
func TestTransportSettings(t *testing.T) {
	ctx := testCtx(t, 30*time.Second)
	bad := []struct {
		name  string
		field string
		edit  func(*sdrs.Config)
	}{
		{"max attempts", "max_attempts", func(c *sdrs.Config) { c.MaxAttempts = 11 }},
		{"http version", "http_version", func(c *sdrs.Config) { c.HTTPVersion = 7 }},
		{"low speed", "low_speed_seconds", func(c *sdrs.Config) { c.LowSpeedTime = -time.Second }},
		{"ca dir", "ca_dir", func(c *sdrs.Config) { c.CADir = "/nonexistent-dir" }},
		{"client key", "key_file", func(c *sdrs.Config) { c.ClientCertFile = "/etc/hostname" }},
		{"proxy", "proxy_url", func(c *sdrs.Config) { c.Proxy = "ftp://proxy" }},
	}
	for _, b := range bad {
		cfg := testConfig()
		b.edit(&cfg)
		_, err := sdrs.NewClient(cfg)
		if !errors.Is(err, sdrs.ErrValidation) {
			t.Fatalf("%s: want ErrValidation, got %v", b.name, err)
		}
		wantContains(t, err.Error(), b.field)
	}

	cfg := testConfig()
	cfg.MaxAttempts = 2
	cfg.HTTPVersion = sdrs.HTTPVersion11
	cfg.LowSpeedBytesPerSecond = 1
	cfg.LowSpeedTime = 10 * time.Second
	cfg.NoProxy = "127.0.0.1"
	cfg.CADir = t.TempDir()
	c, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Domains(ctx); err != nil {
		t.Fatal(err)
	}

	// A dead proxy is used (and a GET retried MaxAttempts times); DirectConnection bypasses it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	cfg = testConfig()
	cfg.Proxy = dead
	cfg.MaxAttempts = 2
	viaProxy, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer viaProxy.Close()
	_, err = viaProxy.Domains(ctx)
	if !errors.Is(err, sdrs.ErrTransport) {
		t.Fatalf("dead proxy: want ErrTransport, got %v", err)
	}
	if e := asError(t, err); e.Attempts != 2 {
		t.Fatalf("attempts: want 2, got %d", e.Attempts)
	}
	cfg.Proxy = ""
	cfg.DirectConnection = true
	direct, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if _, err := direct.Domains(ctx); err != nil {
		t.Fatal(err)
	}
}
