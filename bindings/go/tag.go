package sdrs

/*
#include <stdlib.h>
#include <sdrs.h>
*/
import "C"

import (
	"context"
	"strconv"
)

// Tags live on protected instances (spec part 2, section 6). libsdrs enforces the most
// tolerant documented limits before sending: a key of 1..127 characters, a value of 0..255,
// valid UTF-8 without control characters, keys unique within one request, at most 20 tags per
// batch.

// AddTag adds one tag to an instance, or sets the value of an existing key (synchronous).
func (c *Client) AddTag(ctx context.Context, instanceID, key, value string) error {
	var a cStrings
	defer a.free()
	id, k, v := a.str(instanceID), a.str(key), a.str(value)
	return c.do(ctx, "sdrs_tag_add", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_add(cl, id, k, v, o, cerr)
	})
}

// DeleteTag deletes one tag by key; the key is percent-encoded in the request path, so any
// key the key rule allows works ("app/tier", "50%", "a b"). A key the instance does not have
// gives ErrNotFound (the service's HTTP 404, SDRS.2206).
func (c *Client) DeleteTag(ctx context.Context, instanceID, key string) error {
	var a cStrings
	defer a.free()
	id, k := a.str(instanceID), a.str(key)
	return c.do(ctx, "sdrs_tag_delete", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_delete(cl, id, k, o, cerr)
	})
}

// TagRef selects a tag for DeleteTags: by key whatever its value (Value nil), or by key and
// value (the tag is removed only when both match). TagKey and TagKeyValue build one.
type TagRef struct {
	Key   string
	Value *string
}

// TagKey selects the tag with this key, whatever its value.
func TagKey(key string) TagRef { return TagRef{Key: key} }

// TagKeyValue selects the tag with this key only when its value is value ("" included).
func TagKeyValue(key, value string) TagRef { return TagRef{Key: key, Value: &value} }

// newTagSet builds an sdrs_tag_set from key/value pairs (a nil value: any value); free with
// C.sdrs_tag_set_free.
func newTagSet(n int, at func(i int) (key string, value *string)) (*C.sdrs_tag_set, error) {
	var set *C.sdrs_tag_set
	var cerr *C.sdrs_error
	if rc := C.sdrs_tag_set_new(&set, &cerr); rc != 0 {
		return nil, takeError("sdrs_tag_set_new", rc, cerr)
	}
	for i := 0; i < n; i++ {
		key, value := at(i)
		k := cString(key)
		var v *C.char
		if value != nil {
			v = cString(*value)
		}
		rc := C.sdrs_tag_set_add(set, k, v, &cerr)
		cFree(k)
		cFree(v)
		if rc != 0 {
			C.sdrs_tag_set_free(set)
			return nil, takeError("sdrs_tag_set_add", rc, cerr)
		}
	}
	return set, nil
}

// AddTags adds tags to an instance in one request (action "create"; synchronous). Existing
// keys get the new values. tags must not be empty and its keys must be unique.
func (c *Client) AddTags(ctx context.Context, instanceID string, tags []Tag) error {
	set, err := newTagSet(len(tags), func(i int) (string, *string) { return tags[i].Key, &tags[i].Value })
	if err != nil {
		return err
	}
	defer C.sdrs_tag_set_free(set)
	id := cString(instanceID)
	defer cFree(id)
	return c.do(ctx, "sdrs_tag_batch_add", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_batch_add(cl, id, set, o, cerr)
	})
}

// DeleteTags removes tags from an instance in one request (action "delete"; synchronous).
// Tags the instance does not have are ignored by the service. tags must not be empty.
func (c *Client) DeleteTags(ctx context.Context, instanceID string, tags []TagRef) error {
	set, err := newTagSet(len(tags), func(i int) (string, *string) { return tags[i].Key, tags[i].Value })
	if err != nil {
		return err
	}
	defer C.sdrs_tag_set_free(set)
	id := cString(instanceID)
	defer cFree(id)
	return c.do(ctx, "sdrs_tag_batch_delete", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_batch_delete(cl, id, set, o, cerr)
	})
}

// InstanceTags returns the tags of one instance.
func (c *Client) InstanceTags(ctx context.Context, instanceID string) ([]Tag, error) {
	id := cString(instanceID)
	defer cFree(id)
	var out *C.sdrs_tag_list
	err := c.do(ctx, "sdrs_tag_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_list_get(&out, cl, id, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_tag_list_free(out)
	n := C.sdrs_tag_list_size(out)
	tags := make([]Tag, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		tags = append(tags, Tag{Key: goString(C.sdrs_tag_list_key(out, i)), Value: goString(C.sdrs_tag_list_value(out, i))})
	}
	return tags, nil
}

// ProjectTag is one tag key used in the project with every value it has.
type ProjectTag struct {
	Key    string
	Values []string
}

// ProjectTags returns every tag key used on the project's protected instances, each with all
// its values.
func (c *Client) ProjectTags(ctx context.Context) ([]ProjectTag, error) {
	var out *C.sdrs_tag_project_list
	err := c.do(ctx, "sdrs_tag_project_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_project_list_get(&out, cl, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_tag_project_list_free(out)
	n := C.sdrs_tag_project_list_size(out)
	tags := make([]ProjectTag, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		nv := C.sdrs_tag_project_list_value_count(out, i)
		pt := ProjectTag{Key: goString(C.sdrs_tag_project_list_key(out, i)), Values: make([]string, 0, int(nv))}
		for j := C.size_t(0); j < nv; j++ {
			pt.Values = append(pt.Values, goString(C.sdrs_tag_project_list_value(out, i, j)))
		}
		tags = append(tags, pt)
	}
	return tags, nil
}

// TagMatch is an sdrs_tag_match: which of the four condition lists of a tag query a condition
// belongs to. TagQuery names the lists All, Any, NotAll and NotAny.
type TagMatch int32

// String returns the request's list name: "tags", "tags_any", "not_tags" or "not_tags_any".
func (m TagMatch) String() string {
	switch m {
	case TagMatchAll:
		return "tags"
	case TagMatchAny:
		return "tags_any"
	case TagMatchNotAll:
		return "not_tags"
	case TagMatchNotAny:
		return "not_tags_any"
	}
	return "TagMatch(" + strconv.Itoa(int(m)) + ")"
}

// TagCondition is one key of a tag query with the values it accepts: none means any value; a
// value "*x" is a fuzzy match on x (a lone "*" is refused).
type TagCondition struct {
	Key    string
	Values []string
}

// TagQuery selects protected instances by tag (spec part 2, 6.8). With no condition every
// instance matches. Each list holds at most 20 keys, each key at most 20 unique values; a key
// given twice in one list adds its values to it.
//
//	q := sdrs.TagQuery{
//		All:    []sdrs.TagCondition{{Key: "app", Values: []string{"erp"}}},
//		NotAny: []sdrs.TagCondition{{Key: "env", Values: []string{"*test"}}},
//	}
type TagQuery struct {
	All    []TagCondition // "tags": has every listed key, each with one of its values
	Any    []TagCondition // "tags_any": has any listed key with one of its values
	NotAll []TagCondition // "not_tags": excluded when it would match as All
	NotAny []TagCondition // "not_tags_any": excluded when it has any listed key/value
	// Name, when not nil, is a case-insensitive substring match on the instance name (at most
	// 255 characters); a pointer to "" matches the exact empty name.
	Name *string
	// Limit (page size 1..1000) and Offset (records to skip) page QueryInstancesByTag and set
	// the iterator's page size and start; zero means "not set". CountInstancesByTag refuses a
	// query with either set, as the service does.
	Limit  int64
	Offset int64
}

// build makes the sdrs_tag_query (free with C.sdrs_tag_query_free).
func (q *TagQuery) build() (*C.sdrs_tag_query, error) {
	var tq *C.sdrs_tag_query
	var cerr *C.sdrs_error
	if rc := C.sdrs_tag_query_new(&tq, &cerr); rc != 0 {
		return nil, takeError("sdrs_tag_query_new", rc, cerr)
	}
	add := func(m TagMatch, key string, value *string) error {
		k := cString(key)
		defer cFree(k)
		var v *C.char
		if value != nil {
			v = cString(*value)
			defer cFree(v)
		}
		if rc := C.sdrs_tag_query_add(tq, C.int32_t(m), k, v, &cerr); rc != 0 {
			return takeError("sdrs_tag_query_add", rc, cerr)
		}
		return nil
	}
	err := func() error {
		for _, list := range []struct {
			m     TagMatch
			conds []TagCondition
		}{{TagMatchAll, q.All}, {TagMatchAny, q.Any}, {TagMatchNotAll, q.NotAll}, {TagMatchNotAny, q.NotAny}} {
			for _, cond := range list.conds {
				if len(cond.Values) == 0 {
					if err := add(list.m, cond.Key, nil); err != nil {
						return err
					}
				}
				for i := range cond.Values {
					if err := add(list.m, cond.Key, &cond.Values[i]); err != nil {
						return err
					}
				}
			}
		}
		if q.Name != nil {
			n := cString(*q.Name)
			rc := C.sdrs_tag_query_set_name(tq, n, &cerr)
			cFree(n)
			if rc != 0 {
				return takeError("sdrs_tag_query_set_name", rc, cerr)
			}
		}
		if q.Limit != 0 {
			if rc := C.sdrs_tag_query_set_limit(tq, C.int64_t(q.Limit), &cerr); rc != 0 {
				return takeError("sdrs_tag_query_set_limit", rc, cerr)
			}
		}
		if q.Offset != 0 {
			if rc := C.sdrs_tag_query_set_offset(tq, C.int64_t(q.Offset), &cerr); rc != 0 {
				return takeError("sdrs_tag_query_set_offset", rc, cerr)
			}
		}
		return nil
	}()
	if err != nil {
		C.sdrs_tag_query_free(tq)
		return nil, err
	}
	return tq, nil
}

// TagQueryMatch is one instance of a TagQueryPage.
type TagQueryMatch struct {
	ResourceID   string             // the instance id
	ResourceName string             // the instance name ("" when none)
	Instance     *ProtectedInstance // the full instance (resource_detail), nil when absent
}

// TagQueryPage is one page of QueryInstancesByTag.
type TagQueryPage struct {
	Matches []TagQueryMatch
	// TotalCount is the number of all matches (not only this page), -1 when absent.
	TotalCount int64
	JSON       string // the result as JSON
}

// QueryInstancesByTag returns one page of the instances matching q (action "filter"). See
// InstancesByTag and AllInstancesByTag for all pages.
func (c *Client) QueryInstancesByTag(ctx context.Context, q TagQuery) (*TagQueryPage, error) {
	tq, err := q.build()
	if err != nil {
		return nil, err
	}
	defer C.sdrs_tag_query_free(tq)
	var out *C.sdrs_tag_query_result
	err = c.do(ctx, "sdrs_tag_query_filter", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_query_filter(&out, cl, tq, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_tag_query_result_free(out)
	n := C.sdrs_tag_query_result_size(out)
	page := &TagQueryPage{Matches: make([]TagQueryMatch, 0, int(n)),
		TotalCount: int64(C.sdrs_tag_query_result_total_count(out)), JSON: goString(C.sdrs_tag_query_result_json(out))}
	for i := C.size_t(0); i < n; i++ {
		m := TagQueryMatch{ResourceID: goString(C.sdrs_tag_query_result_resource_id(out, i)),
			ResourceName: goString(C.sdrs_tag_query_result_resource_name(out, i))}
		if p := C.sdrs_tag_query_result_instance(out, i); p != nil {
			m.Instance = piFromC(p)
		}
		page.Matches = append(page.Matches, m)
	}
	return page, nil
}

// CountInstancesByTag returns the number of instances matching q (action "count"). q must not
// set Limit or Offset.
func (c *Client) CountInstancesByTag(ctx context.Context, q TagQuery) (int64, error) {
	tq, err := q.build()
	if err != nil {
		return 0, err
	}
	defer C.sdrs_tag_query_free(tq)
	var n C.int64_t
	err = c.do(ctx, "sdrs_tag_query_count", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_tag_query_count(&n, cl, tq, o, cerr)
	})
	if err != nil {
		return 0, err
	}
	return int64(n), nil
}

// TagQueryIterator walks every instance matching a TagQuery, page by page
// (sdrs_tag_query_iter). It is for one goroutine at a time.
type TagQueryIterator struct{ p *pager[*ProtectedInstance] }

// InstancesByTag returns an iterator over every instance matching q (q.Limit is the page size,
// default 1000; q.Offset the starting point). Close it when stopping early; it closes itself
// at the end or on an error.
func (c *Client) InstancesByTag(q TagQuery) *TagQueryIterator {
	return &TagQueryIterator{newPager(c, cPaging[C.sdrs_tag_query_iter, C.sdrs_tag_query, C.sdrs_pi, *ProtectedInstance]{
		opNew: "sdrs_tag_query_iter_new", opNext: "sdrs_tag_query_iter_next",
		query:     q.build,
		freeQuery: func(q *C.sdrs_tag_query) { C.sdrs_tag_query_free(q) },
		newIter: func(it **C.sdrs_tag_query_iter, cl *C.sdrs_client, q *C.sdrs_tag_query, cerr **C.sdrs_error) C.int {
			return C.sdrs_tag_query_iter_new(it, cl, q, cerr)
		},
		next: func(item **C.sdrs_pi, it *C.sdrs_tag_query_iter, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
			return C.sdrs_tag_query_iter_next(item, it, o, cerr)
		},
		freeIter: func(it *C.sdrs_tag_query_iter) { C.sdrs_tag_query_iter_free(it) },
		fromC:    piFromC,
	})}
}

// Next fetches the next matching instance (fetching a page when needed) and reports whether
// there is one.
func (it *TagQueryIterator) Next(ctx context.Context) bool { return it.p.advance(ctx) }

// Value returns the instance Next moved to.
func (it *TagQueryIterator) Value() *ProtectedInstance { return it.p.value() }

// Err returns the error that ended the iteration, nil at a normal end.
func (it *TagQueryIterator) Err() error { return it.p.err() }

// Close releases the iterator; Next then returns false. Idempotent.
func (it *TagQueryIterator) Close() error { return it.p.close() }

// AllInstancesByTag reads every page and returns all matching instances.
func (c *Client) AllInstancesByTag(ctx context.Context, q TagQuery) ([]*ProtectedInstance, error) {
	return c.InstancesByTag(q).p.all(ctx)
}
