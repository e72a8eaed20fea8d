package wechat

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/banban-gov/banban"
)

// codeUnauthorized is the HTTP layer's own refusal: no valid mini-program
// session, or WeChat refused the login code.
const codeUnauthorized = "unauthorized"

// statusOf maps every error code to its HTTP status, as channels/web does.
var statusOf = map[string]int{
	banban.EINVALID:     http.StatusBadRequest,
	banban.ENOTFOUND:    http.StatusNotFound,
	banban.ECONFLICT:    http.StatusConflict,
	banban.ETOOLARGE:    http.StatusRequestEntityTooLarge,
	banban.EUNAVAILABLE: http.StatusServiceUnavailable,
	banban.EINTERNAL:    http.StatusInternalServerError,
	codeUnauthorized:    http.StatusUnauthorized,
	codeRateLimited:     http.StatusTooManyRequests,
}

type errorView struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// fail answers with err's status and safe message, and logs the cause
// with credentials and personal data removed.
func (c *Channel) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, ok := statusOf[banban.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	c.log.LogAttrs(r.Context(), level, "wechat mp", slog.String("route", r.Pattern),
		slog.Int("status", status), errAttr(err))
	writeJSON(w, status, errorView{Error: errorDetail{Code: banban.ErrorCode(err), Message: banban.ErrorMessage(err)}})
}

// writeJSON writes v; API answers are private and never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body of at most maxBody bytes into v; an empty body
// leaves v as it is.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(v)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &tooBig):
		return banban.Errorf(banban.ETOOLARGE, msgTooBig, maxBody)
	}
	return banban.WrapError(banban.EINVALID, err, msgBadJSON)
}
