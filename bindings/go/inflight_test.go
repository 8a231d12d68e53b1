package sdrs_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// hangingServer accepts connections on 127.0.0.1 and never answers, so that a request stays
// in flight until it is canceled.
func hangingServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "http://" + ln.Addr().String()
}

// Canceling the context aborts an HTTP transfer in progress, not only a wait between polls.
func TestCancelInFlightRequest(t *testing.T) {
	cfg := testConfig()
	cfg.Endpoint = hangingServer(t)
	c, err := sdrs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		err error
		at  time.Time
	}
	done := make(chan result, 1)
	go func() {
		_, err := c.GetProtectionGroup(ctx, unknownGroup)
		done <- result{err, time.Now()}
	}()
	time.Sleep(300 * time.Millisecond) // the request is sent and waits for an answer
	canceledAt := time.Now()
	cancel()
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the request did not return within 5 s of the cancel")
	}
	if el := r.at.Sub(canceledAt); el > 200*time.Millisecond {
		t.Fatalf("returned %v after the cancel (limit 200 ms)", el)
	}
	if !errors.Is(r.err, sdrs.ErrCanceled) || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("want ErrCanceled+context.Canceled, got %v", r.err)
	}

	// The context's deadline becomes the call's deadline.
	dctx, dcancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer dcancel()
	start := time.Now()
	_, err = c.Domains(dctx)
	el := time.Since(start)
	if !errors.Is(err, sdrs.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want ErrTimeout+DeadlineExceeded, got %v", err)
	}
	if el < 200*time.Millisecond || el > 1500*time.Millisecond {
		t.Fatalf("a 250 ms deadline ended the call after %v", el)
	}
}
