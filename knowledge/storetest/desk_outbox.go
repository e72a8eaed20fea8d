package storetest

import (
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// testSaveWithOutbox checks that the outbox items of a save are stored
// whole, with the conversation.
func testSaveWithOutbox(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	c := textConv("web-1", "转人工", deskAt(0))
	full := fullOutboxItem("out-full", cst)
	full.Delivered = time.Time{}
	h.save(&c, outboxItem("out-1", 0, 0), full)
	got, err := h.st.DueOutbox(t.Context(), deskAt(10), 10)
	if err != nil {
		t.Fatalf("DueOutbox: %v", err)
	}
	want := []banban.OutboxItem{outboxItem("out-1", 0, 0), full}
	want[1].Created, want[1].NextAt = full.Created.UTC(), full.NextAt.UTC()
	if d := diffJSON(got, want); d != "" {
		t.Errorf("DueOutbox after saving with two items: %s", d)
	}
	c.Updated = deskAt(1)
	h.save(&c, outboxItem("out-2", 2, 2))
	wantIDs(t, "DueOutbox after an update with an item", h.dueIDs(deskAt(10), 10), []string{"out-1", "out-full", "out-2"})
}

// testDuplicateOutbox checks that an outbox id already used is a conflict,
// and that the conversation saved with it is not written either.
func testDuplicateOutbox(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	a := textConv("web-a", "第一次", deskAt(0))
	h.save(&a, outboxItem("out-1", 0, 0))
	cases := []struct {
		name string
		c    banban.Conversation
		out  []banban.OutboxItem
	}{
		{"NewConversation", textConv("web-b", "第二个会话", deskAt(1)), []banban.OutboxItem{outboxItem("out-1", 1, 1)}},
		{"Update", a, []banban.OutboxItem{outboxItem("out-1", 1, 1)}},
		{"TwiceInOneSave", textConv("web-c", "同一次保存", deskAt(1)), []banban.OutboxItem{outboxItem("out-2", 1, 1), outboxItem("out-2", 1, 1)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.Messages[0].Text = "不应保存"
			err := h.st.SaveConversation(t.Context(), &tc.c, tc.out...)
			wantCode(t, "SaveConversation", err, banban.ECONFLICT)
			got, err := h.st.Conversation(t.Context(), tc.c.ID)
			if err == nil && got.Messages[0].Text == "不应保存" {
				t.Errorf("Conversation(%q) after a refused save: got it written", tc.c.ID)
			}
		})
	}
	wantIDs(t, "DueOutbox after refused saves", h.dueIDs(deskAt(10), 10), []string{"out-1"})
}

// outboxFixture saves outbox items with a conversation: due at various
// times, one already delivered. By creation: o2, then o1 and o5 (the same
// minute: by id), o3, o4.
func outboxFixture(h *deskHarness) {
	h.t.Helper()
	delivered := outboxItem("o4", 3, 5)
	delivered.Delivered = deskAt(6)
	c := textConv("web-1", "外发", deskAt(0))
	h.save(&c, outboxItem("o1", 1, 5), outboxItem("o2", 0, 10), outboxItem("o3", 2, 30), delivered, outboxItem("o5", 1, 20))
}

func testDueOutbox(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	outboxFixture(h)
	cases := []struct {
		name  string
		now   int
		limit int
		want  []string
	}{
		{"NothingDue", 4, 10, nil},
		{"DueAtNow", 20, 10, []string{"o2", "o1", "o5"}},
		{"Limit", 20, 2, []string{"o2", "o1"}},
		{"ZeroLimit", 20, 0, nil},
		{"AllUndelivered", 1000, 10, []string{"o2", "o1", "o5", "o3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantIDs(t, "DueOutbox", h.dueIDs(deskAt(tc.now), tc.limit), tc.want)
		})
	}
}

// testUpdateOutbox records delivery attempts: only Attempts, NextAt,
// LastError and Delivered change, and a delivered item is no longer due.
func testUpdateOutbox(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	outboxFixture(h)
	failed := outboxItem("o1", 1, 25)
	failed.Attempts, failed.LastError = 1, "连接超时"
	changed := failed
	changed.Kind, changed.Payload, changed.Created = "other.kind", []byte("{}"), deskAt(99)
	if err := h.st.UpdateOutbox(t.Context(), changed); err != nil {
		t.Fatalf("UpdateOutbox(o1): %v", err)
	}
	wantIDs(t, "DueOutbox after a failed attempt", h.dueIDs(deskAt(20), 10), []string{"o2", "o5"})
	got, err := h.st.DueOutbox(t.Context(), deskAt(25), 10)
	if err != nil || len(got) != 3 || got[1].ID != "o1" {
		t.Fatalf("DueOutbox at the retry: got %d items, %v; want 3, o1 second", len(got), err)
	}
	if d := diffJSON(got[1], failed); d != "" {
		t.Errorf("outbox item after UpdateOutbox: %s", d)
	}
	sent := outboxItem("o2", 0, 10)
	sent.Attempts, sent.Delivered = 1, deskAt(11)
	if err := h.st.UpdateOutbox(t.Context(), sent); err != nil {
		t.Fatalf("UpdateOutbox(o2): %v", err)
	}
	wantIDs(t, "DueOutbox after a delivery", h.dueIDs(deskAt(1000), 10), []string{"o1", "o5", "o3"})
	failed.LastError, failed.Attempts = "", 2
	if err := h.st.UpdateOutbox(t.Context(), failed); err != nil {
		t.Fatalf("UpdateOutbox(o1) again: %v", err)
	}
	got, err = h.st.DueOutbox(t.Context(), deskAt(1000), 1)
	if err != nil || len(got) != 1 || got[0].LastError != "" || got[0].Attempts != 2 {
		t.Errorf("DueOutbox after clearing the error: got %+v, %v; want o1 with no error, 2 attempts", got, err)
	}
}
