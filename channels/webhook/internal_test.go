package webhook

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const ceiling = 10 * time.Minute
	tests := []struct {
		name     string
		attempts int
		lo, hi   time.Duration
	}{
		{"first failure", 1, time.Second, 2 * time.Second},
		{"second failure", 2, 2 * time.Second, 4 * time.Second},
		{"third failure", 3, 4 * time.Second, 8 * time.Second},
		{"capped", 12, ceiling / 2, ceiling},
		{"far past any shift", 200, ceiling / 2, ceiling},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 200 {
				if got := backoff(tt.attempts, ceiling); got < tt.lo || got > tt.hi {
					t.Fatalf("backoff(%d) = %v, want within [%v, %v]", tt.attempts, got, tt.lo, tt.hi)
				}
			}
		})
	}
}

func TestTicketOf(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    string
	}{
		{"top-level ticket", `{"ticket":"BB0001","phone":"13800000000"}`, "BB0001"},
		{"no ticket", `{"id":"x"}`, ""},
		{"ticket not a string", `{"ticket":{"number":"BB0001"}}`, ""},
		{"not JSON", `ticket=BB0001`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticketOf([]byte(tt.payload)); got != tt.want {
				t.Errorf("ticketOf(%s) = %q, want %q", tt.payload, got, tt.want)
			}
		})
	}
}
