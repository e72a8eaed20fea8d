package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/banban-gov/banban"
)

func testNextSeq(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	steps := []struct {
		name string
		want int64
	}{
		{"ticket-20250303", 1},
		{"ticket-20250303", 2},
		{"ticket-20250304", 1},
		{"ticket-20250303", 3},
	}
	for i, s := range steps {
		got, err := h.st.NextSeq(t.Context(), s.name)
		if err != nil || got != s.want {
			t.Errorf("step %d: NextSeq(%q): got %d, %v; want %d", i+1, s.name, got, err, s.want)
		}
	}
	_, err := h.st.NextSeq(t.Context(), "")
	wantCode(t, "NextSeq without a name", err, banban.EINVALID)
}

// testConcurrentNextSeq takes numbers from several goroutines at once:
// together they get 1 to n, each once.
func testConcurrentNextSeq(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	const workers, each = 8, 50
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				n, err := h.st.NextSeq(t.Context(), "ticket")
				if err != nil {
					t.Errorf("NextSeq: %v", err)
					return
				}
				mu.Lock()
				got = append(got, n)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	for i, n := range got {
		if n != int64(i+1) {
			t.Fatalf("NextSeq from %d goroutines: sorted value %d is %d, want %d (each of 1 to %d once)",
				workers, i, n, i+1, workers*each)
		}
	}
	if len(got) != workers*each {
		t.Errorf("NextSeq from %d goroutines: got %d values, want %d", workers, len(got), workers*each)
	}
}

// testConcurrentSave appends messages to one conversation from several
// goroutines, each reading, appending and saving, and starting again on
// ECONFLICT: no message is lost, and each version is written once.
func testConcurrentSave(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	c := banban.Conversation{ID: "web-busy", Channel: "web", Created: deskT0, Updated: deskT0}
	h.save(&c)
	const workers, each = 8, 10
	var conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := 0; i < each; {
				err := appendOne(t.Context(), h.st, c.ID, fmt.Sprintf("g%d-%d", w, i))
				switch banban.ErrorCode(err) {
				case "":
					i++
				case banban.ECONFLICT:
					conflicts.Add(1)
				default:
					t.Errorf("goroutine %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	got := h.conversation(c.ID)
	t.Logf("%d conflicts retried", conflicts.Load())
	if got.Version != 1+workers*each {
		t.Errorf("Version: got %d, want %d", got.Version, 1+workers*each)
	}
	seen := make(map[string]bool)
	for i, m := range got.Messages {
		if m.Seq != i+1 || seen[m.Text] {
			t.Errorf("message %d: got seq %d, text %q (seen before: %v); want seq %d", i, m.Seq, m.Text, seen[m.Text], i+1)
		}
		seen[m.Text] = true
	}
	if len(got.Messages) != workers*each {
		t.Errorf("messages: got %d, want %d", len(got.Messages), workers*each)
	}
}

// appendOne reads a conversation, appends a citizen message and saves it.
func appendOne(ctx context.Context, st banban.DeskStore, id, text string) error {
	c, err := st.Conversation(ctx, id)
	if err != nil {
		return err
	}
	c.Append(banban.Message{Role: banban.RoleCitizen, Text: text, At: deskAt(len(c.Messages))})
	c.Updated = deskAt(len(c.Messages))
	return st.SaveConversation(ctx, &c)
}

// deskCall is a named call of a DeskStore method.
type deskCall struct {
	name string
	call func() error
}

// deskCalls are one call of each DeskStore method on ctx, against the
// fixture of testDeskContextCancelled.
func deskCalls(ctx context.Context, st banban.DeskStore) []deskCall {
	c := textConv("web-new", "新会话", deskAt(0))
	return []deskCall{
		{"Conversation", func() error { _, err := st.Conversation(ctx, "web-1"); return err }},
		{"ConversationByTicket", func() error { _, err := st.ConversationByTicket(ctx, "T1"); return err }},
		{"SaveConversation", func() error { return st.SaveConversation(ctx, &c, outboxItem("out-new", 0, 0)) }},
		{"Conversations", func() error { _, err := st.Conversations(ctx, banban.ConversationQuery{}); return err }},
		{"DeleteConversations", func() error { return st.DeleteConversations(ctx, "web-1") }},
		{"NextSeq", func() error { _, err := st.NextSeq(ctx, "ticket"); return err }},
		{"PutStaff", func() error { return st.PutStaff(ctx, fullStaff("new", cst)) }},
		{"StaffMember", func() error { _, err := st.StaffMember(ctx, "li"); return err }},
		{"StaffList", func() error { _, err := st.StaffList(ctx); return err }},
		{"PutTeam", func() error { return st.PutTeam(ctx, fullTeam("new")) }},
		{"Teams", func() error { _, err := st.Teams(ctx); return err }},
		{"PutSession", func() error { return st.PutSession(ctx, banban.Session{ID: "new", Expires: deskAt(60)}) }},
		{"Session", func() error { _, err := st.Session(ctx, "5e55", deskAt(1)); return err }},
		{"DeleteSession", func() error { return st.DeleteSession(ctx, "5e55") }},
		{"DueOutbox", func() error { _, err := st.DueOutbox(ctx, deskAt(10), 10); return err }},
		{"UpdateOutbox", func() error { return st.UpdateOutbox(ctx, outboxItem("out-1", 0, 99)) }},
	}
}

// deskFixture stores one of everything for deskCalls.
func deskFixture(h *deskHarness) {
	h.t.Helper()
	ctx := h.t.Context()
	c := textConv("web-1", "你好", deskAt(0))
	c.Handoff = &banban.Handoff{Ticket: "T1"}
	h.save(&c, outboxItem("out-1", 0, 0))
	err := errors.Join(h.st.PutStaff(ctx, fullStaff("li", cst)), h.st.PutTeam(ctx, fullTeam("tax")),
		h.st.PutSession(ctx, banban.Session{ID: "5e55", Username: "li", Expires: deskAt(60)}))
	if err != nil {
		h.t.Fatalf("fixture: %v", err)
	}
}

// testDeskContextCancelled calls every method with a cancelled context:
// each returns context.Canceled and writes nothing.
func testDeskContextCancelled(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	deskFixture(h)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tc := range deskCalls(ctx, h.st) {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: got %v, want context.Canceled", tc.name, err)
			}
		})
	}
	h.conversation("web-1")
	if _, err := h.st.Conversation(t.Context(), "web-new"); banban.ErrorCode(err) != banban.ENOTFOUND {
		t.Errorf("Conversation saved with a cancelled context: got %v, want code %q", err, banban.ENOTFOUND)
	}
	if n, err := h.st.NextSeq(t.Context(), "ticket"); n != 1 || err != nil {
		t.Errorf("NextSeq after a cancelled call: got %d, %v; want 1", n, err)
	}
	if _, err := h.st.Session(t.Context(), "5e55", deskAt(1)); err != nil {
		t.Errorf("Session after a cancelled DeleteSession: %v", err)
	}
	wantIDs(t, "DueOutbox after a cancelled UpdateOutbox", h.dueIDs(deskAt(10), 10), []string{"out-1"})
}

// testDeskClosed calls every method of a closed store: each returns
// EUNAVAILABLE. Stores that are not an io.Closer skip it.
func testDeskClosed(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	closer, ok := h.st.(io.Closer)
	if !ok {
		t.Skip("the store has no Close method")
	}
	deskFixture(h)
	if err := closer.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, tc := range deskCalls(t.Context(), h.st) {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name+" after Close", tc.call(), banban.EUNAVAILABLE) })
	}
}
