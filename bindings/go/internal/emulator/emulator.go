// Package emulator starts an sdrs-emulator on a free loopback port, for the binding's tests
// and its benchmark command (internal: not part of the binding's API).
package emulator

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"time"
)

// Start runs bin --port 0 with args added, waits up to 15 s for its "listening on" line and
// returns its base URL and a function that stops it (SIGTERM, SIGKILL after 5 s). With
// dieWithParent the emulator gets SIGTERM when the OS thread that started it ends, even if
// the process is killed: the caller keeps that thread for the process's life
// (runtime.LockOSThread on a goroutine that never returns, as TestMain's does).
func Start(bin string, args []string, dieWithParent bool) (url string, stop func(), err error) {
	cmd := exec.Command(bin, append([]string{"--port", "0"}, args...)...)
	// Through a pipe of this process, not this process's own stderr: an emulator left behind
	// by a crashed test binary would otherwise keep `go test`'s output pipe open, and go test
	// waits for it (a hang instead of a FAIL).
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	if dieWithParent {
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, fmt.Errorf("emulator pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	exited := make(chan struct{})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		re := regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				port <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
		_ = cmd.Wait()
		close(exited)
	}()
	stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p, stop, nil
	case <-exited:
		return "", nil, errors.New("the emulator exited before listening")
	case <-time.After(15 * time.Second):
		stop()
		return "", nil, errors.New("the emulator did not report its port within 15 s")
	}
}
