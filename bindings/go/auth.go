package sdrs

/*
#include <stdlib.h>
#include <sdrs.h>
*/
import "C"

import "context"

// Token returns a valid IAM token of the client: the configured one, or with password
// authentication the cached one (refreshed when due). It fails with ErrInvalid for a client
// that signs requests with an access key. The token is a secret: do not log it.
func (c *Client) Token(ctx context.Context) (string, error) {
	var out *C.char
	err := c.do(ctx, "sdrs_client_token", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_client_token(&out, cl, o, cerr)
	})
	if err != nil {
		return "", err
	}
	defer C.sdrs_string_free(out)
	return C.GoString(out), nil
}

// ProjectID returns the project id in use: the configured one, or the one the IAM token names
// when only a project name was given (may request a token).
func (c *Client) ProjectID(ctx context.Context) (string, error) {
	var out *C.char
	err := c.do(ctx, "sdrs_client_project_id", func(cl *C.sdrs_client, o *C.sdrs_call_opts, cerr **C.sdrs_error) C.int {
		return C.sdrs_client_project_id(&out, cl, o, cerr)
	})
	if err != nil {
		return "", err
	}
	defer C.sdrs_string_free(out)
	return C.GoString(out), nil
}
