package sdrs_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

const (
	testUser     = "alice"
	testPassword = "alice-Pa55word-x"
	testDomain   = "emulator-domain"
	testAK       = "OTCEXAMPLEAK00000001"
	testSK       = "OtcExampleSecretKey0000000000000000000001"
)

func passwordConfig(password string) sdrs.Config {
	return sdrs.Config{AllowHTTP: true, AuthURL: endpoint, Username: testUser, Password: password,
		UserDomainName: testDomain, ProjectName: "eu-de_emulator", Timeout: 20 * time.Second}
}

func TestPasswordAuth(t *testing.T) {
	var logged strings.Builder
	cfg := passwordConfig(testPassword)
	margin := time.Minute
	cfg.TokenRefreshMargin = &margin
	cfg.Logger = func(_ sdrs.LogLevel, line string) { logged.WriteString(line + "\n") }
	cfg.LogLevel = sdrs.LogDebug
	c, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	defer c.Close()
	ctx := testCtx(t, 20*time.Second)
	if _, err := c.Domains(ctx); err != nil {
		t.Fatalf("Domains with a password-issued token: %v", err)
	}
	tok, err := c.Token(ctx)
	if err != nil || !strings.HasPrefix(tok, "MIIemu") {
		t.Fatalf("Token = %q, %v", tok, err)
	}
	pid, err := c.ProjectID(ctx)
	if err != nil || pid != testProject {
		t.Fatalf("ProjectID = %q, %v (want %s)", pid, err, testProject)
	}
	if strings.Contains(logged.String(), tok) || strings.Contains(logged.String(), testPassword) {
		t.Fatal("a secret appeared in the debug log")
	}

	bad, err := sdrs.NewClient(passwordConfig("wrong"))
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := bad.Domains(ctx); !errors.Is(err, sdrs.ErrAuth) {
		t.Fatalf("wrong password: got %v, want ErrAuth", err)
	}
}

func TestAccessKeyAuth(t *testing.T) {
	c, err := sdrs.NewClient(sdrs.Config{Endpoint: endpoint, AllowHTTP: true, ProjectID: testProject,
		AccessKey: testAK, SecretKey: testSK})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testCtx(t, 20*time.Second)
	if _, err := c.Domains(ctx); err != nil {
		t.Fatalf("Domains signed with AK/SK: %v", err)
	}
	if _, err := c.Token(ctx); !errors.Is(err, sdrs.ErrInvalid) {
		t.Fatalf("Token of an AK/SK client: got %v, want ErrInvalid", err)
	}
	wrong, err := sdrs.NewClient(sdrs.Config{Endpoint: endpoint, AllowHTTP: true, ProjectID: testProject,
		AccessKey: testAK, SecretKey: testSK + "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if _, err := wrong.Domains(ctx); !errors.Is(err, sdrs.ErrAuth) {
		t.Fatalf("wrong secret key: got %v, want ErrAuth", err)
	}
	m := -time.Second
	if _, err := sdrs.NewClient(sdrs.Config{TokenRefreshMargin: &m}); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("negative margin: got %v", err)
	}
}

func TestCloudsYAMLAndEnv(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "clouds.yaml")
	yaml := "clouds:\n  emu:\n    auth:\n      auth_url: " + endpoint + "\n      username: " + testUser +
		"\n      password: file-password-wrong\n      user_domain_name: " + testDomain +
		"\n      project_name: eu-de_emulator\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OS_PASSWORD", testPassword) // the environment beats the file
	c, err := sdrs.NewClient(sdrs.Config{AllowHTTP: true, LoadEnv: true, LoadCloudsYAML: true,
		CloudsYAMLPath: path, Cloud: "emu"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Domains(testCtx(t, 20*time.Second)); err != nil {
		t.Fatalf("Domains with env+clouds.yaml settings: %v", err)
	}
	if _, err := sdrs.NewClient(sdrs.Config{LoadCloudsYAML: true, CloudsYAMLPath: path, Cloud: "nope"}); !errors.Is(err, sdrs.ErrValidation) {
		t.Fatalf("missing cloud: got %v", err)
	}
}
