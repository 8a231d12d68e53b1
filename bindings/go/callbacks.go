package sdrs

// The C callback trampolines. They live in their own file because a file with //export may
// only declare (not define) C functions in its preamble.

/*
#include <stdint.h>
#include <sdrs.h>
*/
import "C"

import (
	"runtime/cgo"
)

// sdrsGoProgress is the sdrs_progress_cb of every wait with a Go Progress function. It runs on
// the goroutine that called into sdrs_job_wait. A panic of the Go callback must not unwind
// through libsdrs' C++ frames: it is recorded, the wait is stopped, and the caller re-panics.
//
//export sdrsGoProgress
func sdrsGoProgress(job *C.sdrs_job, userdata C.uintptr_t) (rc C.int) {
	ps := cgo.Handle(userdata).Value().(*progressState)
	if ps.panicked {
		return 1
	}
	defer func() {
		if r := recover(); r != nil {
			ps.panicked = true
			ps.panicVal = r
			rc = 1
		}
	}()
	if ps.fn(jobFromC(job)) {
		return 0
	}
	return 1
}

// sdrsGoLog is the sdrs_log_sink of clients with a Config.Logger.
//
//export sdrsGoLog
func sdrsGoLog(level C.int32_t, message *C.char, userdata C.uintptr_t) {
	// A panicking logger must not unwind through libsdrs; the line is dropped instead. The
	// recover also covers a stale handle: a watcher shut down from one of its own callbacks
	// finishes after the Go client (and its logger's handle) may be gone.
	defer func() { _ = recover() }()
	ls := cgo.Handle(userdata).Value().(*logState)
	ls.fn(LogLevel(level), C.GoString(message))
}

// sdrsGoWatchDone is the sdrs_watch_cb of every job added by this package (watcher.go). It
// runs where the watcher runs callbacks: its own thread, or a Dispatch call.
//
//export sdrsGoWatchDone
func sdrsGoWatchDone(ticket C.uint64_t, jobID *C.char, rc C.int, job *C.sdrs_job, cerr *C.sdrs_error, userdata C.uintptr_t) {
	watchDone(cgo.Handle(userdata), rc, job, cerr)
}

// sdrsGoWatchProgress is the sdrs_progress_cb of watcher jobs with a Progress function.
//
//export sdrsGoWatchProgress
func sdrsGoWatchProgress(job *C.sdrs_job, userdata C.uintptr_t) C.int {
	return watchProgress(cgo.Handle(userdata), job)
}
