package webhook_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/webhook"
)

// TestOutageEveryTicketOnce takes the receiver through an outage (503s,
// then no listener at all, then back) and checks that it ends up with
// every ticket exactly once, each signed.
func TestOutageEveryTicketOnce(t *testing.T) {
	st, c := openStore(t), &clock{t: start}
	const unavailable, refused = 4, 3
	rcv := newReceiver(t, c, func(n int) (int, bool) {
		if n <= unavailable {
			return http.StatusServiceUnavailable, false
		}
		return http.StatusOK, false
	})
	items := enqueue(t, st, start, []string{"ticket.created"}, []string{"ticket.created", "ticket.closed"},
		[]string{"ticket.created", "ticket.expired"}, []string{"ticket.created"})
	s, logs := newSender(t, st, rcv.URL(), c, webhook.Config{Batch: 3, MaxBackoff: time.Minute})
	if n := flushLater(t, s, c, unavailable); n != 0 {
		t.Fatalf("delivered %d while the receiver answers 503, want 0", n)
	}
	rcv.down()
	if n := flushLater(t, s, c, refused); n != 0 {
		t.Fatalf("delivered %d while the receiver is down, want 0", n)
	}
	checkFailures(t, pending(t, st), unavailable+refused)
	checkNoPersonalData(t, logs, pending(t, st))

	rcv.up()
	delivered := 0
	for i := 0; len(pending(t, st)) > 0; i++ {
		if i == 10 {
			t.Fatalf("%d items undelivered after 10 flushes", len(pending(t, st)))
		}
		delivered += flushLater(t, s, c, 1)
	}
	if delivered != len(items) {
		t.Errorf("Flush reported %d delivered in all, want %d", delivered, len(items))
	}
	rcv.check(items)
}

// flushLater flushes times times, each a MaxBackoff (one minute here)
// after the last, so every item is due; it returns the number delivered.
func flushLater(t *testing.T, s *webhook.Sender, c *clock, times int) (delivered int) {
	t.Helper()
	for range times {
		c.Advance(time.Minute)
		n, err := s.Flush(context.Background())
		if err != nil {
			t.Fatalf("Flush: %v", err)
		}
		delivered += n
	}
	return delivered
}

// checkFailures checks that a down receiver was tried once per flush (not
// once per item) and that the attempts were recorded.
func checkFailures(t *testing.T, items []banban.OutboxItem, wantAttempts int) {
	t.Helper()
	attempts, refused := 0, false
	for _, it := range items {
		attempts += it.Attempts
		if it.Attempts > 0 && it.LastError == "" {
			t.Errorf("item %s: %d attempts but no LastError", it.ID, it.Attempts)
		}
		refused = refused || strings.Contains(it.LastError, "refused")
	}
	if attempts != wantAttempts {
		t.Errorf("attempts recorded: got %d, want %d (one per flush)", attempts, wantAttempts)
	}
	if !refused {
		t.Errorf("no LastError says the connection was refused: %+v", items)
	}
}

func TestSlowReceiverIsAFailure(t *testing.T) {
	st, c := openStore(t), &clock{t: start}
	rcv := newReceiver(t, c, func(n int) (int, bool) { return http.StatusOK, n == 1 })
	items := enqueue(t, st, start, []string{"ticket.created"})
	s, logs := newSender(t, st, rcv.URL(), c, webhook.Config{Timeout: 200 * time.Millisecond})
	ctx := context.Background()
	if n, err := s.Flush(ctx); n != 0 || err != nil {
		t.Fatalf("Flush to a slow receiver = %d, %v; want 0, nil", n, err)
	}
	got := pending(t, st)
	if len(got) != 1 || got[0].Attempts != 1 || got[0].LastError != "timeout" || !got[0].NextAt.After(c.Now()) {
		t.Fatalf("after a timeout: got %+v, want 1 attempt, LastError timeout, NextAt after now", got)
	}
	checkNoPersonalData(t, logs, got)
	if n, err := s.Flush(ctx); n != 0 || err != nil {
		t.Fatalf("Flush before the backoff ends = %d, %v; want 0, nil", n, err)
	}
	c.Advance(time.Minute)
	if n, err := s.Flush(ctx); n != 1 || err != nil {
		t.Fatalf("Flush after the backoff = %d, %v; want 1, nil", n, err)
	}
	// The slow attempt reached the receiver too: only the delivery id
	// keeps it from acting twice.
	if _, hits := rcv.seen(items[0].ID); hits != 2 {
		t.Errorf("receiver saw delivery %s %d times, want 2", items[0].ID, hits)
	}
	rcv.check(items)
}

func TestStatusOutcomes(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		delivered int
		requests  int    // one failure stops the pass unless it is about the item
		lastError string // of the first item
		level     string // of the failure log lines
	}{
		{"200 delivers", http.StatusOK, 2, 2, "", ""},
		{"204 delivers", http.StatusNoContent, 2, 2, "", ""},
		{"redirect is not followed", http.StatusMovedPermanently, 0, 1, "HTTP 301", "INFO"},
		{"400 retries later and warns", http.StatusBadRequest, 0, 2, "HTTP 400", "WARN"},
		{"404 retries later and warns", http.StatusNotFound, 0, 2, "HTTP 404", "WARN"},
		{"408 is the receiver's load", http.StatusRequestTimeout, 0, 1, "HTTP 408", "INFO"},
		{"429 is the receiver's load", http.StatusTooManyRequests, 0, 1, "HTTP 429", "INFO"},
		{"500 stops the pass", http.StatusInternalServerError, 0, 1, "HTTP 500", "INFO"},
		{"503 stops the pass", http.StatusServiceUnavailable, 0, 1, "HTTP 503", "INFO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, c := openStore(t), &clock{t: start}
			rcv := newReceiver(t, c, always(tt.status))
			items := enqueue(t, st, start, []string{"ticket.created"}, []string{"ticket.created"})
			s, logs := newSender(t, st, rcv.URL(), c, webhook.Config{})
			n, err := s.Flush(context.Background())
			if n != tt.delivered || err != nil {
				t.Fatalf("Flush = %d, %v; want %d, nil", n, err, tt.delivered)
			}
			if requests, _ := rcv.seen(""); requests != tt.requests {
				t.Errorf("receiver got %d requests, want %d", requests, tt.requests)
			}
			if tt.delivered == len(items) {
				rcv.check(items)
				return
			}
			if left := pending(t, st); left[0].LastError != tt.lastError {
				t.Errorf("LastError = %q, want %q", left[0].LastError, tt.lastError)
			}
			checkFailureLog(t, logs, tt.requests, tt.level, tt.status)
		})
	}
}

// checkFailureLog checks the failure lines: one per request, at level,
// with the status, attempts and ticket number.
func checkFailureLog(t *testing.T, logs *logBuffer, lines int, level string, status int) {
	t.Helper()
	recs := logs.records(t)
	if len(recs) != lines {
		t.Fatalf("got %d log lines, want %d: %v", len(recs), lines, recs)
	}
	rec := recs[0]
	if rec["level"] != level || rec["status"] != float64(status) || rec["attempts"] != float64(1) ||
		rec["ticket"] != "BB0001" {
		t.Errorf("log line %v: want level %s, status %d, attempts 1, ticket BB0001", rec, level, status)
	}
}

// TestEmptyPayloadDoesNotBlockOthers: an item stored without a body (a bug
// upstream) fails on its own and warns; the items behind it still go.
func TestEmptyPayloadDoesNotBlockOthers(t *testing.T) {
	st, c := openStore(t), &clock{t: start}
	rcv := newReceiver(t, c, always(http.StatusOK))
	empty := banban.OutboxItem{ID: "BB0000-ticket.created", Kind: "ticket.created", Created: start, NextAt: start}
	conv := banban.Conversation{ID: "conv-empty", Channel: "web", Created: start, Updated: start}
	if err := st.SaveConversation(context.Background(), &conv, empty); err != nil {
		t.Fatalf("SaveConversation: %v", err)
	}
	items := enqueue(t, st, start, []string{"ticket.created"})
	s, logs := newSender(t, st, rcv.URL(), c, webhook.Config{})
	if n, err := s.Flush(context.Background()); n != 1 || err != nil {
		t.Fatalf("Flush = %d, %v; want 1, nil", n, err)
	}
	rcv.check(items)
	left := pending(t, st)
	if len(left) != 1 || left[0].ID != empty.ID || left[0].LastError != "empty payload" {
		t.Errorf("undelivered: got %+v, want only %s with LastError \"empty payload\"", left, empty.ID)
	}
	if recs := logs.records(t); len(recs) != 1 || recs[0]["level"] != "WARN" {
		t.Errorf("log lines: got %v, want one at WARN", recs)
	}
}
