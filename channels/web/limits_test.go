package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/banban-gov/banban/channels/web"
)

func TestFloodFromOneConversationIsLimited(t *testing.T) {
	h := newHarness(t, withConfig(web.Config{})) // the default limits
	flood := h.chat("", "你好").ConversationID
	other := h.chat("", "你好").ConversationID
	limited, retry := 0, ""
	for range 20 {
		var e apiError
		st, hdr := call(t, http.DefaultClient, http.MethodPost, h.url("/api/chat"),
			map[string]string{"conversation_id": flood, "text": "你好"}, nil, &e)
		if st == http.StatusTooManyRequests {
			limited++
			retry = hdr.Get("Retry-After")
			if e.Error.Code != "rate_limited" || e.Error.Message == "" {
				t.Errorf("429 body = %+v", e)
			}
		}
	}
	if limited == 0 {
		t.Fatal("20 messages at once from one conversation were all served, want some refused")
	}
	if n, err := strconv.Atoi(retry); err != nil || n < 1 {
		t.Errorf("Retry-After = %q, want whole seconds", retry)
	}
	if r := h.chat(other, "你好"); r.ConversationID != other {
		t.Errorf("other conversation: %+v", r)
	}
}

func TestAddressLimitAndTrustedProxy(t *testing.T) {
	tests := []struct {
		name       string
		trustProxy bool
		// statuses of requests forwarded for these addresses, in order
		from []string
		want []int
	}{
		{"peer address when not behind a proxy", false, []string{"192.0.2.1", "192.0.2.2"}, []int{200, 429}},
		{"forwarded address behind a proxy", true, []string{"192.0.2.1", "192.0.2.2", "192.0.2.1"}, []int{200, 200, 429}},
		{"IPv6 counts per /64", true, []string{"2001:db8::1", "2001:db8::2", "2001:db8:0:1::1"}, []int{200, 429, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withConfig(web.Config{RatePerIP: web.Rate{PerSecond: 0.001, Burst: 1},
				RatePerConversation: web.Rate{PerSecond: -1}, TrustProxy: tt.trustProxy}))
			for i, addr := range tt.from {
				hdr := http.Header{"X-Forwarded-For": {"203.0.113.9, " + addr}}
				st, _ := call(t, http.DefaultClient, http.MethodGet, h.url("/api/availability"), nil, hdr, nil)
				if st != tt.want[i] {
					t.Errorf("request %d for %s: status %d, want %d", i, addr, st, tt.want[i])
				}
			}
		})
	}
}

func TestFailedLoginsAreLimited(t *testing.T) {
	h := newHarness(t)
	c := h.newBrowser()
	login := func(pass string) int {
		st, _ := call(t, c, http.MethodPost, h.url("/api/staff/login"),
			map[string]string{"username": "alice", "password": pass}, nil, nil)
		return st
	}
	for i := range 5 {
		if st := login("wrong-password"); st != http.StatusUnauthorized {
			t.Fatalf("failed try %d: status %d, want 401", i+1, st)
		}
	}
	if st := login(password); st != http.StatusTooManyRequests {
		t.Errorf("after 5 failures: status %d, want 429 even with the right password", st)
	}
}
