package web

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/banban-gov/banban"
)

// Codes of the HTTP layer's own refusals, beside banban's error codes.
const (
	codeUnauthorized = "unauthorized" // no valid staff session, bad sign-in or bad signature
	codeForbidden    = "forbidden"    // CSRF or cross-site check failed
	codeRateLimited  = "rate_limited" // too many requests
)

// statusOf maps every error code to its HTTP status, in this one place.
var statusOf = map[string]int{
	banban.EINVALID:     http.StatusBadRequest,
	banban.ENOTFOUND:    http.StatusNotFound,
	banban.ECONFLICT:    http.StatusConflict,
	banban.ETOOLARGE:    http.StatusRequestEntityTooLarge,
	banban.EUNAVAILABLE: http.StatusServiceUnavailable,
	banban.EINTERNAL:    http.StatusInternalServerError,
	codeUnauthorized:    http.StatusUnauthorized,
	codeForbidden:       http.StatusForbidden,
	codeRateLimited:     http.StatusTooManyRequests,
}

// What clients read when the HTTP layer refuses a request.
const (
	msgCrossSite   = "跨站请求已被拒绝。"
	msgCSRF        = "安全校验失败，请刷新页面后重试。"
	msgSignInFirst = "请先登录。"
	msgTooMany     = "请求过于频繁，请稍后再试。"
	msgBadJSON     = "请求格式错误，需要 JSON。"
	msgTooLarge    = "请求内容过大（上限 %d 字节）。"
	msgBadSig      = "签名校验失败。"
	msgNoCallback  = "未启用工单状态回调。"
)

// errorView is the body of every error response.
type errorView struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func statusFor(err error) int {
	if st, ok := statusOf[banban.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

func errorBody(err error) errorView {
	return errorView{Error: errorDetail{Code: banban.ErrorCode(err), Message: banban.ErrorMessage(err)}}
}

// fail answers with err's status and safe message; the cause goes to the
// request's log line.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	noteError(r, err)
	writeJSON(w, statusFor(err), errorBody(err))
}

// tooMany answers 429 with Retry-After in whole seconds.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	s.fail(w, r, banban.Errorf(codeRateLimited, msgTooMany))
}

// writeJSON writes v; API answers are private and never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body no larger than MaxBody into v. An empty body
// leaves v as it is, for actions that take no arguments.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	err := json.NewDecoder(r.Body).Decode(v)
	switch {
	case err == nil, errors.Is(err, io.EOF):
		return nil
	case isTooLarge(err):
		return banban.Errorf(banban.ETOOLARGE, msgTooLarge, s.cfg.MaxBody)
	}
	return banban.WrapError(banban.EINVALID, err, msgBadJSON)
}

// readBody reads a raw body no larger than MaxBody.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if isTooLarge(err) {
		return nil, banban.Errorf(banban.ETOOLARGE, msgTooLarge, s.cfg.MaxBody)
	}
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, err, msgBadJSON)
	}
	return body, nil
}

func isTooLarge(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}

// errAttr is an error for a log line, with personal data masked: causes
// may quote what a citizen wrote.
func errAttr(err error) slog.Attr {
	return slog.String("err", banban.MaskPII(err.Error()))
}
