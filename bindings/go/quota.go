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

// The quota types the service reports (QuotaResource.Type).
const (
	QuotaServerGroups = "server_groups" // protection groups
	QuotaReplications = "replications"  // replication pairs
)

// QuotaKind is an sdrs_quota_kind: what a QuotaLimit is.
type QuotaKind int32

// String returns "absent", "limited" or "unlimited".
func (k QuotaKind) String() string {
	switch k {
	case QuotaAbsent:
		return "absent"
	case QuotaLimited:
		return "limited"
	case QuotaUnlimited:
		return "unlimited"
	}
	return "QuotaKind(" + strconv.Itoa(int(k)) + ")"
}

// QuotaLimit is a quota limit (or the lowest/highest value one may be set to). The service's
// -1 ("unlimited") never appears as a number: the value is only handed out together with the
// knowledge that it is a real limit, so no caller can compare against -1 by mistake. The zero
// QuotaLimit is absent.
type QuotaLimit struct {
	kind  QuotaKind
	value int64
}

// Kind tells whether the limit is a number, unlimited or absent.
func (l QuotaLimit) Kind() QuotaKind { return l.kind }

// IsUnlimited reports whether there is no limit (the service's -1).
func (l QuotaLimit) IsUnlimited() bool { return l.kind == QuotaUnlimited }

// Value returns the limit and true when it is a number; 0 and false when it is unlimited or
// absent.
func (l QuotaLimit) Value() (int64, bool) {
	if l.kind != QuotaLimited {
		return 0, false
	}
	return l.value, true
}

// String returns the number, "unlimited" or "absent".
func (l QuotaLimit) String() string {
	if l.kind == QuotaLimited {
		return strconv.FormatInt(l.value, 10)
	}
	return l.kind.String()
}

// quotaLimit reads one limit through a kind-returning C getter.
func quotaLimit(get func(v *C.int64_t) C.int32_t) QuotaLimit {
	var v C.int64_t
	k := QuotaKind(get(&v))
	if k != QuotaLimited {
		return QuotaLimit{kind: k}
	}
	return QuotaLimit{kind: k, value: int64(v)}
}

// QuotaResource is one quota entry (spec part 2, 8).
type QuotaResource struct {
	Type  string     // QuotaServerGroups, QuotaReplications (or a type this binding does not know)
	Used  int64      // resources in use, -1 when absent
	Limit QuotaLimit // the limit (the wire's "quota")
	Min   QuotaLimit // the lowest value the limit may be set to
	Max   QuotaLimit // the highest value the limit may be set to
}

// Allows reports whether n more resources fit under the limit: always with an unlimited
// quota, never when the limit or the used count is absent (nothing is known).
func (r QuotaResource) Allows(n int64) bool {
	switch r.Limit.kind {
	case QuotaUnlimited:
		return true
	case QuotaLimited:
		return r.Used >= 0 && r.Used+n <= r.Limit.value
	}
	return false
}

// Quotas is the tenant's quota (GET .../sdrs/quotas).
type Quotas struct {
	Resources []QuotaResource // in the service's order
	JSON      string          // the quota object as JSON
	byType    map[string]int  // index into Resources, as libsdrs' lookup picks it
}

// Get returns the entry of a type (QuotaServerGroups, QuotaReplications) and whether there is
// one. A type the service sent twice gives the entry libsdrs' own lookup gives.
func (q *Quotas) Get(quotaType string) (QuotaResource, bool) {
	if q == nil {
		return QuotaResource{}, false
	}
	i, ok := q.byType[quotaType]
	if !ok {
		return QuotaResource{}, false
	}
	return q.Resources[i], true
}

// quotasFromC copies a quota handle.
func quotasFromC(h *C.sdrs_quota) *Quotas {
	n := C.sdrs_quota_size(h)
	q := &Quotas{Resources: make([]QuotaResource, 0, int(n)), JSON: goString(C.sdrs_quota_json(h)),
		byType: make(map[string]int, int(n))}
	for i := C.size_t(0); i < n; i++ {
		r := QuotaResource{
			Type:  goString(C.sdrs_quota_type(h, i)),
			Used:  int64(C.sdrs_quota_used(h, i)),
			Limit: quotaLimit(func(v *C.int64_t) C.int32_t { return C.sdrs_quota_limit(h, i, v) }),
			Min:   quotaLimit(func(v *C.int64_t) C.int32_t { return C.sdrs_quota_min(h, i, v) }),
			Max:   quotaLimit(func(v *C.int64_t) C.int32_t { return C.sdrs_quota_max(h, i, v) }),
		}
		q.Resources = append(q.Resources, r)
		if _, seen := q.byType[r.Type]; !seen {
			ct := cString(r.Type)
			if j := int64(C.sdrs_quota_find(h, ct)); j >= 0 && j < int64(n) {
				q.byType[r.Type] = int(j)
			}
			cFree(ct)
		}
	}
	return q
}

// Quotas reads the tenant's quotas: protection groups and replication pairs, each with used,
// limit, min and max.
func (c *Client) Quotas(ctx context.Context) (*Quotas, error) {
	var out *C.sdrs_quota
	err := c.do(ctx, "sdrs_quota_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_quota_get(&out, cl, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_quota_free(out)
	return quotasFromC(out), nil
}
