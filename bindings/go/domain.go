package sdrs

/*
#include <stdlib.h>
#include <sdrs.h>
*/
import "C"

import "context"

// Domain is an active-active domain (spec 3). A group is created inside one domain; its two
// AZs are the domain's LocalAZ and RemoteAZ.
type Domain struct {
	ID          string
	Name        string
	Description string
	// SoldOut is 1 when the domain has no capacity left, 0 when it has, -1 when absent.
	SoldOut  int
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
			SoldOut:     int(C.sdrs_domain_sold_out(d)),
			LocalAZ:     goString(C.sdrs_domain_local_az(d)),
			RemoteAZ:    goString(C.sdrs_domain_remote_az(d)),
			JSON:        goString(C.sdrs_domain_json(d)),
		})
	}
	return res, nil
}
