package langchain

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/banban-gov/banban"
)

// doer is the HTTP client handed to langchaingo. langchaingo reports an
// error status only as message text and replaces network errors with
// generic ones; doer returns typed errors instead, so that Embed can branch
// on the status code and keep the real cause for the log.
type doer struct{ c *http.Client }

// Do sends req and turns a transport failure or a status other than 200
// into an error.
func (d doer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if err != nil {
		return nil, &transportError{cause: err}
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	return nil, &statusError{status: resp.StatusCode, message: errorMessage(resp.Body)}
}

// transportError is a request that got no response. It has no Unwrap on
// purpose: langchaingo rewrites any error that unwraps to a network or
// context error into a generic one, losing the cause.
type transportError struct{ cause error }

func (e *transportError) Error() string { return "embedding request: " + e.cause.Error() }

// statusError is an error status from the endpoint.
type statusError struct {
	status  int
	message string
}

func (e *statusError) Error() string {
	if e.message == "" {
		return fmt.Sprintf("embedding endpoint returned status %d", e.status)
	}
	return fmt.Sprintf("embedding endpoint returned status %d: %s", e.status, e.message)
}

// code is the error code for the status: EUNAVAILABLE for an overloaded or
// failing endpoint, ETOOLARGE for a request too large for it, and EINTERNAL
// for any other refusal (bad key, unknown model).
func (e *statusError) code() string {
	switch {
	case e.status == http.StatusTooManyRequests || e.status >= 500:
		return banban.EUNAVAILABLE
	case e.status == http.StatusRequestEntityTooLarge:
		return banban.ETOOLARGE
	}
	return banban.EINTERNAL
}

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 4 << 10

// errorMessage extracts the message of an OpenAI-style error body
// ({"error": {"message": ...}}), or returns the start of any other body.
func errorMessage(body io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(body, maxErrorBody))
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
