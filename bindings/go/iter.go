package sdrs

/*
#include <sdrs.h>
*/
import "C"

import (
	"context"
	"runtime"
)

// cIter drives one C paging iterator (sdrs_pg_iter, sdrs_pi_iter, ...) for a pager. The closures own the C iterator; they never refer back to the typed iterator, so
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

// cPaging names one resource's C paging-iterator calls for newPager (cgo functions are not
// values, so each is a small closure): I is the C iterator, Q the C query it is made from
// (list options), E the C item and T the Go item.
type cPaging[I, Q, E, T any] struct {
	opNew, opNext string
	// query builds the C query from the Go options; a bad option fails here (at the first Next).
	query     func() (*Q, error)
	freeQuery func(*Q)
	newIter   func(it **I, cl *C.sdrs_client, q *Q, cerr **C.sdrs_error) C.int
	next      func(item **E, it *I, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int
	freeIter  func(*I)
	fromC     func(*E) T
}

// pager is the Go side of every exported list iterator (GroupIterator, DrillIterator, ...):
// each wraps one and only adds its item type to the method docs.
type pager[T any] struct {
	core   cIter
	cur    T
	latest *T // written by core.next; kept apart from the pager, see cIter
}

// newPager returns a pager over the C iterator f describes; it is opened at the first advance.
// A finalizer closes it if its owner drops it unclosed.
func newPager[I, Q, E, T any](c *Client, f cPaging[I, Q, E, T]) *pager[T] {
	var iter *I
	latest := new(T)
	p := &pager[T]{latest: latest, core: cIter{c: c, opNew: f.opNew, opNext: f.opNext,
		open: func(cl *C.sdrs_client) error {
			q, err := f.query()
			if err != nil {
				return err
			}
			defer f.freeQuery(q)
			var cerr *C.sdrs_error
			if rc := f.newIter(&iter, cl, q, &cerr); rc != 0 {
				iter = nil
				return takeError(f.opNew, rc, cerr)
			}
			return nil
		},
		next: func(o *C.sdrs_call_opts, cerr **C.sdrs_error) (bool, C.int) {
			var item *E
			if rc := f.next(&item, iter, o, cerr); rc != 0 {
				return false, rc
			}
			if item == nil {
				return false, 0
			}
			*latest = f.fromC(item)
			return true, 0
		},
		free: func() {
			if iter != nil {
				f.freeIter(iter)
				iter = nil
			}
		},
	}}
	runtime.SetFinalizer(p, (*pager[T]).close)
	return p
}

// advance moves to the next item (fetching a page when needed) and reports whether there is one.
func (p *pager[T]) advance(ctx context.Context) bool {
	var zero T
	p.cur = zero
	ok := p.core.step(ctx)
	if ok {
		p.cur = *p.latest
	}
	if p.core.done {
		runtime.SetFinalizer(p, nil)
	}
	runtime.KeepAlive(p)
	return ok
}

// value is the item advance moved to.
func (p *pager[T]) value() T { return p.cur }

// err is the error that ended the iteration, nil at a normal end.
func (p *pager[T]) err() error { return p.core.err }

// close releases the C iterator; advance then returns false. Idempotent.
func (p *pager[T]) close() error {
	p.core.close()
	runtime.SetFinalizer(p, nil)
	return nil
}

// all reads every page, closes the pager and returns every item.
func (p *pager[T]) all(ctx context.Context) ([]T, error) {
	defer p.close()
	var all []T
	for p.advance(ctx) {
		all = append(all, p.value())
	}
	return all, p.err()
}
