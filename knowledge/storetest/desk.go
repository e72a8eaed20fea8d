package storetest

import (
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// The desk suite: RunDeskTests pins down the banban.DeskStore contract the
// way RunStoreTests does the Store's: version checks on conversations,
// outbox items written with them or not at all, the queue order, counters
// that never repeat, sessions that expire, and the error codes.
//
// Stores may drop the monotonic clock and sub-microsecond precision of the
// times they keep, and return them in UTC: the suite writes times of whole
// microseconds and compares instants.

// DeskOpener returns a fresh, empty desk store. The suite may call it
// several times, and closes every store it gets that is an io.Closer.
type DeskOpener func(t *testing.T) banban.DeskStore

// RunDeskTests runs the desk conformance suite against the stores open
// returns.
func RunDeskTests(t *testing.T, open DeskOpener) {
	tests := []struct {
		name string
		run  func(t *testing.T, open DeskOpener)
	}{
		{"CreateAndUpdate", testCreateAndUpdate},
		{"VersionConflicts", testVersionConflicts},
		{"InvalidConversation", testInvalidConversation},
		{"NotFound", testDeskNotFound},
		{"RoundTrip", testConversationRoundTrip},
		{"AppendMessages", testAppendMessages},
		{"ChangedMessages", testChangedMessages},
		{"LongTranscript", testLongTranscript},
		{"QueryMessages", testQueryMessages},
		{"Tickets", testTickets},
		{"DeleteConversations", testDeleteConversations},
		{"QueryFilters", testQueryFilters},
		{"QueryDefaultLimit", testQueryDefaultLimit},
		{"NextSeq", testNextSeq},
		{"ConcurrentNextSeq", testConcurrentNextSeq},
		{"ConcurrentSave", testConcurrentSave},
		{"Staff", testStaff},
		{"Teams", testTeams},
		{"Sessions", testSessions},
		{"SaveWithOutbox", testSaveWithOutbox},
		{"DuplicateOutbox", testDuplicateOutbox},
		{"DueOutbox", testDueOutbox},
		{"UpdateOutbox", testUpdateOutbox},
		{"ContextCancelled", testDeskContextCancelled},
		{"Closed", testDeskClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open) })
	}
}

// deskT0 is the suite's reference time; deskAt(m) is m minutes after it.
var deskT0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func deskAt(minutes int) time.Time { return deskT0.Add(time.Duration(minutes) * time.Minute) }

// deskHarness holds one open desk store and the context its calls use.
type deskHarness struct {
	t  *testing.T
	st banban.DeskStore
}

// newDesk opens a fresh desk store and closes it when the test ends.
func newDesk(t *testing.T, open DeskOpener) *deskHarness {
	t.Helper()
	st := open(t)
	if c, ok := st.(io.Closer); ok {
		t.Cleanup(func() {
			if err := c.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	return &deskHarness{t: t, st: st}
}

// save stores c and fails the test on an error.
func (h *deskHarness) save(c *banban.Conversation, out ...banban.OutboxItem) {
	h.t.Helper()
	if err := h.st.SaveConversation(h.t.Context(), c, out...); err != nil {
		h.t.Fatalf("SaveConversation(%q, version %d): %v", c.ID, c.Version, err)
	}
}

// saveAll stores new conversations from several goroutines, since a store
// may make a lone writer wait for company (bbolt's Batch does).
func (h *deskHarness) saveAll(convs []banban.Conversation) {
	h.t.Helper()
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				if err := h.st.SaveConversation(h.t.Context(), &convs[i]); err != nil {
					h.t.Errorf("SaveConversation(%q): %v", convs[i].ID, err)
				}
			}
		})
	}
	for i := range convs {
		next <- i
	}
	close(next)
	wg.Wait()
	if h.t.Failed() {
		h.t.FailNow()
	}
}

func (h *deskHarness) conversation(id string) banban.Conversation {
	h.t.Helper()
	c, err := h.st.Conversation(h.t.Context(), id)
	if err != nil {
		h.t.Fatalf("Conversation(%q): %v", id, err)
	}
	return c
}

// queryIDs returns the ids of the conversations q selects, in order.
func (h *deskHarness) queryIDs(q banban.ConversationQuery) []string {
	h.t.Helper()
	convs, err := h.st.Conversations(h.t.Context(), q)
	if err != nil {
		h.t.Fatalf("Conversations(%+v): %v", q, err)
	}
	return convIDs(convs)
}

// dueIDs returns the ids of the outbox items due at now, in order.
func (h *deskHarness) dueIDs(now time.Time, limit int) []string {
	h.t.Helper()
	items, err := h.st.DueOutbox(h.t.Context(), now, limit)
	if err != nil {
		h.t.Fatalf("DueOutbox(%v, %d): %v", now, limit, err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

func convIDs(convs []banban.Conversation) []string {
	ids := make([]string, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	return ids
}

// wantIDs fails the test unless got lists the want ids in order.
func wantIDs(t *testing.T, call string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
		t.Errorf("%s: got %q, want %q", call, got, want)
	}
}

// textConv is a new web conversation with one citizen message.
func textConv(id, text string, updated time.Time) banban.Conversation {
	c := banban.Conversation{ID: id, Channel: "web", Created: deskT0, Updated: updated}
	c.Append(banban.Message{Role: banban.RoleCitizen, Text: text, At: updated})
	return c
}

// outboxItem is an undelivered outbox item created and due at the given
// minutes.
func outboxItem(id string, created, next int) banban.OutboxItem {
	return banban.OutboxItem{ID: id, Kind: "ticket.created", Payload: []byte(`{"ticket":"` + id + `"}`),
		Created: deskAt(created), NextAt: deskAt(next)}
}
