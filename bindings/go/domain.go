package sdrs

/*
#include <stdlib.h>
#include <sdrs.h>
*/
import "C"

import "context"

// Tristate is a boolean the service may leave out: TristateTrue, TristateFalse or
// TristateUnknown. Its numbers are those of the C getters (1, 0, -1).
type Tristate int

// The Tristate values.
const (
	TristateUnknown Tristate = -1 // absent from the response (or not a boolean)
	TristateFalse   Tristate = 0
	TristateTrue    Tristate = 1
)

// Bool returns the value and whether it is known; an unknown value gives (false, false).
func (t Tristate) Bool() (value, known bool) {
	switch t {
	case TristateTrue:
		return true, true
	case TristateFalse:
		return false, true
	}
	return false, false
}

// IsTrue reports whether the value is known and true.
func (t Tristate) IsTrue() bool { return t == TristateTrue }

// IsFalse reports whether the value is known and false.
func (t Tristate) IsFalse() bool { return t == TristateFalse }

// String returns "true", "false" or "unknown".
func (t Tristate) String() string {
	switch t {
	case TristateTrue:
		return "true"
	case TristateFalse:
		return "false"
	}
	return "unknown"
}

// Domain is an active-active domain (spec 3). A group is created inside one domain; its two
// AZs are the domain's LocalAZ and RemoteAZ.
type Domain struct {
	ID          string
	Name        string
	Description string
	// SoldOut tells whether the domain has no capacity left: TristateTrue (sold out),
	// TristateFalse (capacity left) or TristateUnknown (the service sent no sold_out). It is a
	// Tristate rather than a bool so that a missing value is not read as "capacity left".
	// The numbers are the former int's (1, 0, -1), so comparisons such as SoldOut == 0 still
	// compile and mean the same.
	SoldOut  Tristate
	LocalAZ  string
	RemoteAZ string
	JSON     string
}

// DomainList is the answer of Client.Domains.
type DomainList struct {
	Domains []Domain
	JSON    string // the whole response
}

// Domains lists the active-active domains of the project.
func (c *Client) Domains(ctx context.Context) (*DomainList, error) {
	var out *C.sdrs_domain_list
	err := c.do(ctx, "sdrs_domain_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_domain_list_get(&out, cl, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_domain_list_free(out)
	n := C.sdrs_domain_list_size(out)
	res := &DomainList{Domains: make([]Domain, 0, int(n)), JSON: goString(C.sdrs_domain_list_json(out))}
	for i := C.size_t(0); i < n; i++ {
		d := C.sdrs_domain_list_at(out, i)
		if d == nil {
			continue
		}
		res.Domains = append(res.Domains, Domain{
			ID:          goString(C.sdrs_domain_id(d)),
			Name:        goString(C.sdrs_domain_name(d)),
			Description: goString(C.sdrs_domain_description(d)),
			SoldOut:     Tristate(C.sdrs_domain_sold_out(d)),
			LocalAZ:     goString(C.sdrs_domain_local_az(d)),
			RemoteAZ:    goString(C.sdrs_domain_remote_az(d)),
			JSON:        goString(C.sdrs_domain_json(d)),
		})
	}
	return res, nil
}
