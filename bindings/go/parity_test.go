package sdrs_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// exportedFunctions lists the sdrs_ functions of the C library: the dynamic symbols of
// $SDRS_LIB (libsdrs.so.1) and the SDRS_API declarations of the public headers.
func exportedFunctions(t *testing.T) map[string]string {
	t.Helper()
	fns := map[string]string{}
	lib := os.Getenv("SDRS_LIB")
	if lib == "" {
		t.Fatal("SDRS_LIB must name libsdrs.so.1 (see run-tests.sh)")
	}
	out, err := exec.Command("nm", "-D", "--defined-only", lib).Output()
	if err != nil {
		t.Fatalf("nm -D --defined-only %s: %v", lib, err)
	}
	sym := regexp.MustCompile(`(?m)^[0-9a-fA-F]+\s+[TtWi]\s+(sdrs_\w+)(@.*)?$`)
	for _, m := range sym.FindAllStringSubmatch(string(out), -1) {
		fns[m[1]] = lib
	}
	if len(fns) == 0 {
		t.Fatalf("no sdrs_ functions in %s", lib)
	}

	inc := os.Getenv("SDRS_INCLUDE_DIR")
	if inc == "" {
		inc = filepath.Join("..", "..", "include")
	}
	headers, _ := filepath.Glob(filepath.Join(inc, "sdrs", "*.h"))
	if len(headers) == 0 {
		t.Fatalf("no headers under %s/sdrs", inc)
	}
	decl := regexp.MustCompile(`SDRS_API\s+[^;(]*?\b(sdrs_\w+)\s*\(`)
	for _, h := range headers {
		src, err := os.ReadFile(h)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			fns[m[1]] = filepath.Base(h)
		}
	}
	return fns
}

// TestParity fails when an exported C function has no Go wrapper (no `C.<name>(` call in the
// package's non-test sources).
func TestParity(t *testing.T) {
	fns := exportedFunctions(t)
	files, _ := filepath.Glob("*.go")
	var src strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	all := src.String()
	var missing []string
	for name, where := range fns {
		// Called from Go, or from a C helper in a cgo preamble (the functions taking a Go
		// callback's userdata are called there, so that the cgo.Handle becomes a pointer in C).
		if !strings.Contains(all, "C."+name+"(") && !strings.Contains(all, "return "+name+"(") {
			missing = append(missing, name+" ("+where+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("%d of %d C functions have no Go wrapper:\n  %s", len(missing), len(fns), strings.Join(missing, "\n  "))
	}
	t.Logf("all %d exported sdrs_ functions are wrapped", len(fns))
}
