package webhook_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/banban-gov/banban/channels/webhook"
)

// TestSignKnownVector pins the scheme receivers implement in other
// languages; the digest was computed with Python's hmac module.
func TestSignKnownVector(t *testing.T) {
	got := webhook.Sign("topsecret", "1767574800", []byte(`{"ticket":"BB0001"}`))
	want := "sha256=c79c0b5b5c8b108b09469e7406a48a5116c962f8cb2b44116810509c16cd1362"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	const secret = "topsecret"
	const body = `{"ticket":"BB0001","kind":"ticket.created"}`
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	ts := strconv.FormatInt(now.Unix(), 10)
	old := strconv.FormatInt(now.Add(-10*time.Minute).Unix(), 10)
	ahead := strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10)
	sign := func(secret, ts, body string) string { return webhook.Sign(secret, ts, []byte(body)) }
	tests := []struct {
		name      string
		timestamp string
		body      string
		signature string
		maxSkew   time.Duration
		want      error
	}{
		{"good", ts, body, sign(secret, ts, body), time.Minute, nil},
		{"outside the default skew", old, body, sign(secret, old, body), 0, webhook.ErrTimestamp},
		{"good with a wide skew", old, body, sign(secret, old, body), 15 * time.Minute, nil},
		{"tampered body", ts, `{"ticket":"BB0002","kind":"ticket.created"}`, sign(secret, ts, body), 0, webhook.ErrSignature},
		{"wrong secret", ts, body, sign("other", ts, body), 0, webhook.ErrSignature},
		{"timestamp swapped under a valid signature", old, body, sign(secret, ts, body), time.Hour, webhook.ErrSignature},
		{"skewed into the past", old, body, sign(secret, old, body), 5 * time.Minute, webhook.ErrTimestamp},
		{"skewed into the future", ahead, body, sign(secret, ahead, body), 5 * time.Minute, webhook.ErrTimestamp},
		{"timestamp not a number", "yesterday", body, sign(secret, "yesterday", body), 0, webhook.ErrTimestamp},
		{"missing signature", ts, body, "", 0, webhook.ErrSignature},
		{"missing prefix", ts, body, sign(secret, ts, body)[len("sha256="):], 0, webhook.ErrSignature},
		{"not hex", ts, body, "sha256=zz", 0, webhook.ErrSignature},
		{"truncated digest", ts, body, sign(secret, ts, body)[:20], 0, webhook.ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(secret, tt.timestamp, tt.body, tt.signature, now, tt.maxSkew)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}
