package webhook_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban/channels/webhook"
)

// startRun runs s until the returned cancel; done closes when Run returns.
func startRun(t *testing.T, s *webhook.Sender) (cancel func(), done <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		s.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-ch
	})
	return cancel, ch
}

func TestNotifyWakesRun(t *testing.T) {
	st, c := openStore(t), &clock{t: start}
	rcv := newReceiver(t, c, always(http.StatusOK))
	s, _ := newSender(t, st, rcv.URL(), c, webhook.Config{PollEvery: time.Hour})
	first := enqueue(t, st, start, []string{"ticket.created"})
	startRun(t, s)
	waitFor(t, "the first pass to deliver", func() bool { return len(pending(t, st)) == 0 })

	// The first pass read the outbox before this item existed, and the next
	// poll is an hour away: only Notify can get it out now.
	second := enqueue(t, st, start, []string{"ticket.closed"})
	for range 3 {
		s.Notify() // never blocks, however often called
	}
	waitFor(t, "Notify to wake Run", func() bool { return len(pending(t, st)) == 0 })
	rcv.check(append(first, second...))
}

func TestRunStopsWhenContextCancelled(t *testing.T) {
	tests := []struct {
		name string
		// hang makes the receiver hold the request until the sender gives
		// up, so the cancel lands in the middle of a delivery.
		hang bool
	}{
		{"while idle", false},
		{"during a delivery", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, c := openStore(t), &clock{t: start}
			rcv := newReceiver(t, c, func(int) (int, bool) { return http.StatusOK, tt.hang })
			s, logs := newSender(t, st, rcv.URL(), c, webhook.Config{PollEvery: time.Hour, Timeout: time.Minute})
			if tt.hang {
				enqueue(t, st, start, []string{"ticket.created"})
			}
			cancel, done := startRun(t, s)
			if tt.hang {
				waitFor(t, "the delivery to start", func() bool { n, _ := rcv.seen(""); return n > 0 })
			}
			cancel()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Run still running 5s after its context was cancelled")
			}
			for _, it := range pending(t, st) {
				if it.Attempts != 0 {
					t.Errorf("a cancelled delivery counted as a failed attempt: %+v", it)
				}
			}
			if out := logs.records(t); len(out) != 0 {
				t.Errorf("shutting down logged %v, want nothing", out)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  webhook.Config
	}{
		{"no URL", webhook.Config{Secret: "s"}},
		{"relative URL", webhook.Config{URL: "/hook?token=t0ken", Secret: "s"}},
		{"not http", webhook.Config{URL: "ftp://example.org/hook?token=t0ken", Secret: "s"}},
		{"unparsable URL", webhook.Config{URL: "http://[::1/hook?token=t0ken", Secret: "s"}},
		{"no secret", webhook.Config{URL: "https://example.org/hook?token=t0ken"}},
		{"negative timeout", webhook.Config{URL: "https://example.org/hook", Secret: "s", Timeout: -time.Second}},
		{"negative batch", webhook.Config{URL: "https://example.org/hook", Secret: "s", Batch: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := webhook.New(nil, tt.cfg)
			if err == nil {
				t.Fatal("New accepted the config, want an error")
			}
			if strings.Contains(err.Error(), "t0ken") {
				t.Errorf("error %q repeats the URL's token", err)
			}
		})
	}
}
