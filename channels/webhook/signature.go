package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The headers of every delivery.
const (
	// HeaderEvent carries the item's kind, for example "ticket.created".
	HeaderEvent = "X-Banban-Event"
	// HeaderDelivery carries the outbox item id; it is the same on every
	// attempt, so the receiver can drop duplicates.
	HeaderDelivery = "X-Banban-Delivery"
	// HeaderTimestamp carries the sending time in Unix seconds.
	HeaderTimestamp = "X-Banban-Timestamp"
	// HeaderSignature carries Sign of the timestamp and body.
	HeaderSignature = "X-Banban-Signature"
)

// DefaultMaxSkew is the clock skew Verify allows when given none.
const DefaultMaxSkew = 5 * time.Minute

const signaturePrefix = "sha256="

// Errors Verify returns; receivers answer both with 401.
var (
	// ErrSignature means the signature header is missing, malformed or does
	// not match the body.
	ErrSignature = errors.New("webhook: bad signature")
	// ErrTimestamp means the timestamp header is missing, malformed or too
	// far from the receiver's clock (a replayed or delayed request).
	ErrTimestamp = errors.New("webhook: bad timestamp")
)

// Sign returns the X-Banban-Signature value for body sent at timestamp (Unix
// seconds, as in X-Banban-Timestamp): "sha256=" and the hex HMAC-SHA256,
// keyed with secret, of the timestamp, a dot and the body. Signing the
// timestamp with the body stops a captured request from being replayed later
// with a fresh timestamp.
func Sign(secret, timestamp string, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(timestamp))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a delivery as a receiver gets it: the X-Banban-Timestamp,
// the raw body and the X-Banban-Signature headers. It returns ErrTimestamp
// (wrapped) when the timestamp is more than maxSkew away from now (maxSkew
// <= 0 means DefaultMaxSkew) and ErrSignature (wrapped) when the signature
// does not match; the comparison takes constant time.
func Verify(secret, timestamp, body, signatureHeader string, now time.Time, maxSkew time.Duration) error {
	if maxSkew <= 0 {
		maxSkew = DefaultMaxSkew
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: not unix seconds", ErrTimestamp)
	}
	if skew := now.Sub(time.Unix(sec, 0)).Abs(); skew > maxSkew {
		return fmt.Errorf("%w: %s away from now", ErrTimestamp, skew.Truncate(time.Second))
	}
	hexSig, ok := strings.CutPrefix(signatureHeader, signaturePrefix)
	if !ok {
		return fmt.Errorf("%w: want %q prefix", ErrSignature, signaturePrefix)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return fmt.Errorf("%w: not hex", ErrSignature)
	}
	if !hmac.Equal(got, mac(secret, timestamp, []byte(body))) {
		return fmt.Errorf("%w: mismatch", ErrSignature)
	}
	return nil
}
