package sdrs

/*
#include <stdlib.h>
#include <sdrs.h>
*/
import "C"

import "context"

// APIVersion describes one API version the endpoint serves (spec 2).
type APIVersion struct {
	ID         string // "v1"
	Status     string // "CURRENT", ...
	Version    string
	MinVersion string
	Updated    string
	SelfLink   string // href of the "self" link
	JSON       string
}

func apiVersionFromC(v *C.sdrs_apiversion) APIVersion {
	return APIVersion{
		ID:         goString(C.sdrs_apiversion_id(v)),
		Status:     goString(C.sdrs_apiversion_status(v)),
		Version:    goString(C.sdrs_apiversion_version(v)),
		MinVersion: goString(C.sdrs_apiversion_min_version(v)),
		Updated:    goString(C.sdrs_apiversion_updated(v)),
		SelfLink:   goString(C.sdrs_apiversion_self_link(v)),
		JSON:       goString(C.sdrs_apiversion_json(v)),
	}
}

// APIVersions lists every API version the endpoint serves (GET /).
func (c *Client) APIVersions(ctx context.Context) ([]APIVersion, error) {
	var out *C.sdrs_apiversion_list
	err := c.do(ctx, "sdrs_apiversion_list_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_apiversion_list_get(&out, cl, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_apiversion_list_free(out)
	n := C.sdrs_apiversion_list_size(out)
	res := make([]APIVersion, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if v := C.sdrs_apiversion_list_at(out, i); v != nil {
			res = append(res, apiVersionFromC(v))
		}
	}
	return res, nil
}

// APIVersion reads one API version (GET /{versionID}, e.g. "v1").
func (c *Client) APIVersion(ctx context.Context, versionID string) (*APIVersion, error) {
	id := cString(versionID)
	defer cFree(id)
	var out *C.sdrs_apiversion
	err := c.do(ctx, "sdrs_apiversion_get", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_apiversion_get(&out, cl, id, o, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.sdrs_apiversion_free(out)
	v := apiVersionFromC(out)
	return &v, nil
}
