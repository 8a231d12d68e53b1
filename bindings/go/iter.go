package sdrs

/*
#include <sdrs.h>
*/
import "C"

import "context"

// cIter drives one C paging iterator (sdrs_pi_iter, sdrs_pair_iter) for the typed Go
// iterators. The closures own the C iterator; they never refer back to the typed iterator, so
// the typed iterator's finalizer is not part of a reference cycle.
type cIter struct {
	c      *Client
	opNew  string
	opNext string
	// open creates the C iterator (building the list options first; a bad option fails here).
	open func(cl *C.sdrs_client) error
	// next advances the C iterator and copies the current item; more is false at the end.
	next func(o *C.sdrs_call_opts, cerr **C.sdrs_error) (more bool, rc C.int)
	// free releases the C iterator if open created it; called once.
	free func()

	opened bool
	done   bool
	pinned bool // holds a reference on c while the C iterator exists
	err    error
}

// step moves to the next item, fetching a page when needed, and reports whether there is one.
func (it *cIter) step(ctx context.Context) bool {
	if it.done {
		return false
	}
	if !it.opened {
		cl, err := it.c.acquire(it.opNew)
		if err != nil {
			return it.finish(err)
		}
		it.pinned = true // released in close: the C iterator uses the client
		it.opened = true
		if err := it.open(cl); err != nil {
			return it.finish(err)
		}
	}
	s, err := begin(ctx, it.opNext)
	if err != nil {
		return it.finish(err)
	}
	defer s.end()
	o, err := s.callOpts()
	if err != nil {
		return it.finish(err)
	}
	if o != nil {
		defer C.sdrs_call_opts_free(o)
	}
	var cerr *C.sdrs_error
	more, rc := it.next(o, &cerr)
	if rc != 0 {
		return it.finish(s.fail(it.opNext, rc, cerr))
	}
	if !more {
		return it.finish(nil)
	}
	return true
}

func (it *cIter) finish(err error) bool {
	it.err = err
	it.close()
	return false
}

// close releases the C iterator and the client reference; idempotent.
func (it *cIter) close() {
	it.done = true
	if it.opened && it.free != nil {
		it.free()
		it.free = nil
	}
	if it.pinned {
		it.pinned = false
		it.c.release()
	}
}
