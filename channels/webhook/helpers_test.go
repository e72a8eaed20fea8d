package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/webhook"
	"github.com/banban-gov/banban/knowledge/bolt"
)

var _ banban.DeskStore = (*bolt.Store)(nil)

const secret = "test-secret-不要外传"

// start is when every test's clock starts (9:00 in Beijing).
var start = time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)

// clock is a time source the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openStore(t *testing.T) *bolt.Store {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "desk.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// payload is a ticket body with personal data in it, which must never
// reach a log line or LastError.
func payload(ticket string) []byte {
	return fmt.Appendf(nil, `{"ticket":%q,"name":"张三","phone":"13800000000"}`, ticket)
}

// enqueue stores one new conversation per kind list, with an outbox item
// per kind, as the desk does; it returns the items in the order stored.
func enqueue(t *testing.T, st banban.DeskStore, at time.Time, convs ...[]string) []banban.OutboxItem {
	t.Helper()
	var all []banban.OutboxItem
	for i, kinds := range convs {
		var items []banban.OutboxItem
		for _, kind := range kinds {
			ticket := fmt.Sprintf("BB%04d", i+1)
			items = append(items, banban.OutboxItem{ID: ticket + "-" + kind, Kind: kind,
				Payload: payload(ticket), Created: at, NextAt: at})
		}
		c := banban.Conversation{ID: "conv-" + items[0].ID, Channel: "web", Created: at, Updated: at}
		if err := st.SaveConversation(context.Background(), &c, items...); err != nil {
			t.Fatalf("SaveConversation: %v", err)
		}
		all = append(all, items...)
	}
	return all
}

// pending returns every undelivered item, due or not.
func pending(t *testing.T, st banban.DeskStore) []banban.OutboxItem {
	t.Helper()
	items, err := st.DueOutbox(context.Background(), start.AddDate(10, 0, 0), 1000)
	if err != nil {
		t.Fatalf("DueOutbox: %v", err)
	}
	return items
}

// receiver is a webhook endpoint on a fixed address that can go down and
// come back. It verifies every request and keeps the first body of each
// delivery id.
type receiver struct {
	t     *testing.T
	clock *clock
	addr  string
	srv   *httptest.Server
	// behave returns the status for the nth request (from 1) and whether
	// to hang until the sender gives up first.
	behave func(n int) (status int, hang bool)

	mu       sync.Mutex
	requests int
	hits     map[string]int    // delivery id -> requests seen
	bodies   map[string]string // delivery id -> first body accepted
	kinds    map[string]string // delivery id -> X-Banban-Event
	bad      []string          // why requests were refused
}

func newReceiver(t *testing.T, c *clock, behave func(n int) (int, bool)) *receiver {
	t.Helper()
	r := &receiver{t: t, clock: c, behave: behave, hits: map[string]int{},
		bodies: map[string]string{}, kinds: map[string]string{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	r.addr = l.Addr().String()
	r.serve(l)
	t.Cleanup(func() { r.down() })
	return r
}

func (r *receiver) URL() string { return "http://" + r.addr + "/hook?token=t0ken" }

func (r *receiver) serve(l net.Listener) {
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.handle))
	r.srv.Listener.Close()
	r.srv.Listener = l
	r.srv.Start()
}

// down closes the listener: connections are refused.
func (r *receiver) down() {
	if r.srv != nil {
		r.srv.Close()
		r.srv = nil
	}
}

// up listens again on the same address.
func (r *receiver) up() {
	r.t.Helper()
	l, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatalf("listen again on %s: %v", r.addr, err)
	}
	r.serve(l)
}

func (r *receiver) handle(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	id := req.Header.Get(webhook.HeaderDelivery)
	err := webhook.Verify(secret, req.Header.Get(webhook.HeaderTimestamp), string(body),
		req.Header.Get(webhook.HeaderSignature), r.clock.Now(), time.Minute)
	r.mu.Lock()
	r.requests++
	n := r.requests
	switch {
	case err != nil:
		r.bad = append(r.bad, fmt.Sprintf("%s: %v", id, err))
	case req.Header.Get("Content-Type") != "application/json":
		r.bad = append(r.bad, fmt.Sprintf("%s: Content-Type %q", id, req.Header.Get("Content-Type")))
	}
	r.hits[id]++
	r.mu.Unlock()
	status, hang := r.behave(n)
	if hang {
		<-req.Context().Done() // the sender timed out or was cancelled
		return
	}
	switch status / 100 {
	case 2:
		r.accept(id, req.Header.Get(webhook.HeaderEvent), string(body))
	case 3:
		w.Header().Set("Location", "/elsewhere") // must not be followed
	}
	w.WriteHeader(status)
}

// accept keeps the first body of a delivery id, dropping duplicates as a
// real receiver would.
func (r *receiver) accept(id, kind, body string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.bodies[id]; !dup {
		r.bodies[id], r.kinds[id] = body, kind
	}
}

// check reports refused requests and compares what was accepted with want.
func (r *receiver) check(want []banban.OutboxItem) {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.bad {
		r.t.Errorf("receiver refused a request: %s", b)
	}
	if len(r.bodies) != len(want) {
		r.t.Errorf("receiver accepted %d distinct deliveries, want %d", len(r.bodies), len(want))
	}
	for _, it := range want {
		if got := r.bodies[it.ID]; got != string(it.Payload) {
			r.t.Errorf("delivery %s: got body %q, want %q", it.ID, got, it.Payload)
		}
		if got := r.kinds[it.ID]; got != it.Kind {
			r.t.Errorf("delivery %s: got %s %q, want %q", it.ID, webhook.HeaderEvent, got, it.Kind)
		}
	}
}

// always answers every request the same way.
func always(status int) func(int) (int, bool) {
	return func(int) (int, bool) { return status, false }
}

// newSender returns a sender on the test clock, logging into a buffer.
func newSender(t *testing.T, st webhook.Outbox, url string, c *clock, cfg webhook.Config) (*webhook.Sender, *logBuffer) {
	t.Helper()
	cfg.URL, cfg.Secret = url, secret
	s, err := webhook.New(st, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s.Now = c.Now
	logs := &logBuffer{}
	s.Logger = logs.logger()
	return s, logs
}

// logBuffer collects a sender's JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// records returns the log lines decoded.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var recs []map[string]any
	for line := range bytes.Lines(b.buf.Bytes()) {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		recs = append(recs, rec)
	}
	return recs
}

// checkNoPersonalData fails if a log line or a LastError holds anything of
// a payload beyond the ticket number, or the URL's token.
func checkNoPersonalData(t *testing.T, logs *logBuffer, items []banban.OutboxItem) {
	t.Helper()
	logs.mu.Lock()
	text := logs.buf.String()
	logs.mu.Unlock()
	for _, it := range items {
		text += "\n" + it.LastError
	}
	for _, secretBit := range []string{"张三", "13800000000", "t0ken", secret} {
		if strings.Contains(text, secretBit) {
			t.Errorf("logs or LastError contain %q:\n%s", secretBit, text)
		}
	}
}

// seen returns how many requests came in, and how many for delivery id.
func (r *receiver) seen(id string) (requests, hits int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests, r.hits[id]
}

// waitFor polls cond until it holds, failing after five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
