package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

func testCreateAndUpdate(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	c := textConv("web-1", "怎么办理身份证？", deskAt(0))
	h.save(&c)
	if c.Version != 1 {
		t.Errorf("Version after creating: got %d, want 1", c.Version)
	}
	for want := int64(2); want <= 3; want++ {
		c.Append(banban.Message{Role: banban.RoleBot, Text: fmt.Sprintf("第%d次回答", want), At: deskAt(int(want))})
		c.Updated = deskAt(int(want))
		h.save(&c)
		if c.Version != want {
			t.Errorf("Version after update: got %d, want %d", c.Version, want)
		}
	}
	got := h.conversation("web-1")
	if got.Version != 3 || len(got.Messages) != 3 || !got.Updated.Equal(deskAt(3)) {
		t.Errorf("stored conversation: got version %d, %d messages, updated %v; want 3, 3, %v",
			got.Version, len(got.Messages), got.Updated, deskAt(3))
	}
}

// testVersionConflicts saves with each kind of wrong version: the call
// returns ECONFLICT and writes neither the conversation nor its outbox
// items, and leaves the caller's Version alone.
func testVersionConflicts(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	c := textConv("web-1", "原问题", deskAt(0))
	h.save(&c)
	h.save(&c) // version 2
	cases := []struct {
		name    string
		id      string
		version int64
	}{
		{"StaleVersion", "web-1", 1},
		{"NewerVersion", "web-1", 5},
		{"ZeroOnExisting", "web-1", 0},
		{"VersionOnMissing", "web-missing", 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := textConv(tc.id, "覆盖", deskAt(5))
			w.Version = tc.version
			err := h.st.SaveConversation(t.Context(), &w, outboxItem("out-"+tc.name, 0, 0))
			wantCode(t, "SaveConversation", err, banban.ECONFLICT)
			if w.Version != tc.version {
				t.Errorf("Version after a conflict: got %d, want %d (unchanged)", w.Version, tc.version)
			}
		})
	}
	got := h.conversation("web-1")
	if got.Version != 2 || got.Messages[0].Text != "原问题" {
		t.Errorf("after conflicts: got version %d, text %q; want 2, %q", got.Version, got.Messages[0].Text, "原问题")
	}
	_, err := h.st.Conversation(t.Context(), "web-missing")
	wantCode(t, "Conversation of a refused new conversation", err, banban.ENOTFOUND)
	wantIDs(t, "DueOutbox after conflicts", h.dueIDs(deskAt(1000), 100), nil)
}

func testInvalidConversation(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	cases := []struct {
		name string
		c    banban.Conversation
		out  []banban.OutboxItem
	}{
		{"EmptyID", textConv("", "无编号", deskAt(0)), nil},
		{"OutboxWithoutID", textConv("web-2", "外发消息无编号", deskAt(0)), []banban.OutboxItem{outboxItem("", 0, 0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := h.st.SaveConversation(t.Context(), &tc.c, tc.out...)
			wantCode(t, "SaveConversation", err, banban.EINVALID)
			if tc.c.ID == "" {
				return
			}
			_, err = h.st.Conversation(t.Context(), tc.c.ID)
			wantCode(t, "Conversation after a refused save", err, banban.ENOTFOUND)
		})
	}
}

func testDeskNotFound(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	ctx := t.Context()
	calls := []struct {
		name string
		call func() error
	}{
		{"Conversation", func() error { _, err := h.st.Conversation(ctx, "web-none"); return err }},
		{"ConversationEmptyID", func() error { _, err := h.st.Conversation(ctx, ""); return err }},
		{"ConversationByTicket", func() error { _, err := h.st.ConversationByTicket(ctx, "BB-none"); return err }},
		{"ConversationByEmptyTicket", func() error { _, err := h.st.ConversationByTicket(ctx, ""); return err }},
		{"StaffMember", func() error { _, err := h.st.StaffMember(ctx, "nobody"); return err }},
		{"StaffMemberEmptyName", func() error { _, err := h.st.StaffMember(ctx, ""); return err }},
		{"Session", func() error { _, err := h.st.Session(ctx, "0badc0de", deskT0); return err }},
		{"UpdateOutbox", func() error { return h.st.UpdateOutbox(ctx, outboxItem("out-none", 0, 0)) }},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name, tc.call(), banban.ENOTFOUND) })
	}
}

// testConversationRoundTrip saves a conversation with every field set, its
// times in China Standard Time, and wants it back whole, in UTC.
func testConversationRoundTrip(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	c := fullConversation(cst)
	h.save(&c)
	want := fullConversation(time.UTC)
	want.Version = 1
	reads := map[string]func() (banban.Conversation, error){
		"Conversation": func() (banban.Conversation, error) { return h.st.Conversation(t.Context(), c.ID) },
		"ConversationByTicket": func() (banban.Conversation, error) {
			return h.st.ConversationByTicket(t.Context(), c.Handoff.Ticket)
		},
		"Conversations": func() (banban.Conversation, error) {
			convs, err := h.st.Conversations(t.Context(), banban.ConversationQuery{})
			if err == nil && len(convs) != 1 {
				err = fmt.Errorf("got %d conversations, want 1", len(convs))
			}
			if err != nil {
				return banban.Conversation{}, err
			}
			return convs[0], nil
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			got, err := read()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, p := range fieldProblems(got) {
				t.Errorf("%s: %s", name, p)
			}
			if d := diffJSON(got, want); d != "" {
				t.Errorf("%s after a round trip: %s", name, d)
			}
		})
	}
}

// testTickets checks that a ticket finds the conversation whose latest
// handoff holds it, and belongs to one conversation only.
func testTickets(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	withTicket := func(id, ticket string) banban.Conversation {
		c := textConv(id, "转人工", deskAt(0))
		c.State, c.Handoff = banban.StateWaiting, &banban.Handoff{Ticket: ticket, RequestedAt: deskAt(0), Status: banban.TicketOpen}
		return c
	}
	a, b := withTicket("web-a", "T1"), withTicket("web-b", "T1")
	h.save(&a)
	wantCode(t, "SaveConversation of a second conversation with ticket T1", h.st.SaveConversation(t.Context(), &b), banban.ECONFLICT)
	a.Handoff.Ticket = "T2"
	h.save(&a)
	h.save(&b)
	noTicket1, noTicket2 := withTicket("web-c", ""), withTicket("web-d", "")
	h.save(&noTicket1)
	h.save(&noTicket2)
	steps := []struct {
		ticket, wantID string
	}{
		{"T1", "web-b"},
		{"T2", "web-a"},
	}
	for _, s := range steps {
		got, err := h.st.ConversationByTicket(t.Context(), s.ticket)
		if err != nil || got.ID != s.wantID {
			t.Errorf("ConversationByTicket(%q): got %q, %v; want %q", s.ticket, got.ID, err, s.wantID)
		}
	}
	a.Handoff = nil
	h.save(&a)
	_, err := h.st.ConversationByTicket(t.Context(), "T2")
	wantCode(t, "ConversationByTicket of a dropped ticket", err, banban.ENOTFOUND)
}

func testDeleteConversations(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	convs := []banban.Conversation{textConv("web-a", "一", deskAt(1)), textConv("web-b", "二", deskAt(2)), textConv("web-c", "三", deskAt(3))}
	convs[0].State, convs[0].Handoff = banban.StateWaiting, &banban.Handoff{Ticket: "T1", RequestedAt: deskAt(1)}
	for i := range convs {
		h.save(&convs[i])
	}
	if err := h.st.DeleteConversations(t.Context(), "web-a", "web-unknown", "web-c"); err != nil {
		t.Fatalf("DeleteConversations: %v", err)
	}
	if err := h.st.DeleteConversations(t.Context()); err != nil {
		t.Errorf("DeleteConversations of nothing: %v", err)
	}
	_, err := h.st.Conversation(t.Context(), "web-a")
	wantCode(t, "Conversation of a deleted conversation", err, banban.ENOTFOUND)
	_, err = h.st.ConversationByTicket(t.Context(), "T1")
	wantCode(t, "ConversationByTicket of a deleted conversation", err, banban.ENOTFOUND)
	wantIDs(t, "Conversations after deleting", h.queryIDs(banban.ConversationQuery{}), []string{"web-b"})
	again := textConv("web-a", "重新开始", deskAt(5))
	again.Handoff = &banban.Handoff{Ticket: "T1"}
	h.save(&again)
	if again.Version != 1 {
		t.Errorf("Version of a conversation created again after deleting: got %d, want 1", again.Version)
	}
}
