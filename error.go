package banban

import (
	"errors"
	"fmt"
)

// Error codes. Callers branch on these, never on message text.
const (
	ECONFLICT    = "conflict"    // state does not allow it (e.g. embedder mismatch)
	EINTERNAL    = "internal"    // a fault of ours or of an outside system
	EINVALID     = "invalid"     // bad input from the caller
	ENOTFOUND    = "not_found"   // no such thing
	ETOOLARGE    = "too_large"   // input over a size limit
	EUNAVAILABLE = "unavailable" // an outside system is down; try again later
)

// Error is an error whose Message is safe to show to a citizen, staff member
// or editor. Err holds the internal cause, which is logged but not shown.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with the given code and message wrapping err.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe-to-show message of err, or a generic one for
// internal errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后再试。"
}
