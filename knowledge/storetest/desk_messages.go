package storetest

import (
	"fmt"
	"testing"

	"github.com/banban-gov/banban"
)

// The suite's cases for transcripts: messages are append-only, a save
// stores those after the stored ones, and every read returns them all, in
// order and whole.

// botTurn is a citizen's question and the bot's cited answer, whose text
// is the message's, as the bot writes it.
func botTurn(n int) []banban.Message {
	text := fmt.Sprintf("第%d问的回答：请携带居民身份证和户口簿到户籍窗口办理。", n)
	return []banban.Message{
		{Role: banban.RoleCitizen, Text: fmt.Sprintf("第%d问：身份证怎么办？", n), At: deskAt(2 * n)},
		{Role: banban.RoleBot, Text: text, At: deskAt(2*n + 1), Answer: &banban.Answer{Action: banban.ActionAnswer,
			Text: text, Citations: []banban.Citation{{DocID: "gd/id-card", Title: "居民身份证申领", Score: 0.75}}}},
	}
}

// testAppendMessages saves a conversation turn by turn: each save adds the
// new messages to the stored ones, and a read returns them all.
func testAppendMessages(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	c := banban.Conversation{ID: "web-turns", Channel: "web", Created: deskT0, Updated: deskT0}
	h.save(&c)
	for turn := 1; turn <= 3; turn++ {
		c.Append(botTurn(turn)...)
		c.Updated = deskAt(2*turn + 1)
		h.save(&c)
		got := h.conversation(c.ID)
		if len(got.Messages) != 2*turn {
			t.Fatalf("turn %d: got %d messages, want %d", turn, len(got.Messages), 2*turn)
		}
		if d := diffJSON(got, c); d != "" {
			t.Errorf("turn %d: stored conversation: %s", turn, d)
		}
	}
}

// testChangedMessages saves a conversation whose stored messages were
// changed. Removing or replacing one (another count, or another Seq at the
// last stored position) is EINVALID and writes nothing, not even the
// outbox item; an edit of a stored message's content is ignored: the
// store keeps the stored message and appends the new ones.
func testChangedMessages(t *testing.T, open DeskOpener) {
	refused := []struct {
		name   string
		change func(c *banban.Conversation)
	}{
		{"RemoveLast", func(c *banban.Conversation) { c.Messages = c.Messages[:len(c.Messages)-1] }},
		{"RemoveAll", func(c *banban.Conversation) { c.Messages = nil }},
		{"RemoveFirst", func(c *banban.Conversation) { c.Messages = c.Messages[1:] }},
		{"RenumberLast", func(c *banban.Conversation) { c.Messages[len(c.Messages)-1].Seq = 99 }},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			h := newDesk(t, open)
			c := textConv("web-1", "原问题", deskAt(0))
			c.Append(botTurn(1)...)
			h.save(&c)
			want := h.conversation(c.ID)
			tc.change(&c)
			err := h.st.SaveConversation(t.Context(), &c, outboxItem("out-1", 0, 0))
			wantCode(t, "SaveConversation", err, banban.EINVALID)
			if c.Version != 1 {
				t.Errorf("Version after a refused save: got %d, want 1 (unchanged)", c.Version)
			}
			if d := diffJSON(h.conversation(c.ID), want); d != "" {
				t.Errorf("stored conversation after a refused save: %s", d)
			}
			wantIDs(t, "DueOutbox after a refused save", h.dueIDs(deskAt(1000), 10), nil)
		})
	}
	t.Run("EditIgnored", func(t *testing.T) {
		h := newDesk(t, open)
		c := textConv("web-1", "原问题", deskAt(0))
		h.save(&c)
		want := h.conversation(c.ID)
		c.Messages[0].Text = "改过的问题"
		c.Append(botTurn(1)...)
		h.save(&c)
		want.Append(botTurn(1)...)
		want.Version = 2
		if d := diffJSON(h.conversation(c.ID), want); d != "" {
			t.Errorf("stored conversation after editing a stored message: %s", d)
		}
	})
}

// testLongTranscript saves 200 messages over saves of different sizes and
// wants them back in order and whole, from every read.
func testLongTranscript(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	c := banban.Conversation{ID: "web-long", Channel: "web", Created: deskT0, Updated: deskT0}
	for _, n := range []int{1, 2, 7, 40, 50, 100} { // 200 messages in all
		for range n {
			turn := botTurn(len(c.Messages))
			m := turn[len(c.Messages)%2]
			if len(c.Messages)%10 == 3 {
				m.Answer.Text = "回答与消息不同" // not a repeat: stored in full
			}
			c.Append(m)
		}
		c.Updated = deskAt(len(c.Messages))
		h.save(&c)
	}
	ctx := t.Context()
	reads := []struct {
		name string
		read func() (banban.Conversation, error)
	}{
		{"Conversation", func() (banban.Conversation, error) { return h.st.Conversation(ctx, c.ID) }},
		{"Conversations", func() (banban.Conversation, error) {
			convs, err := h.st.Conversations(ctx, banban.ConversationQuery{})
			if err != nil || len(convs) != 1 {
				return banban.Conversation{}, fmt.Errorf("got %d conversations, %v; want 1", len(convs), err)
			}
			return convs[0], nil
		}},
	}
	for _, r := range reads {
		got, err := r.read()
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		if len(got.Messages) != 200 {
			t.Errorf("%s: got %d messages, want 200", r.name, len(got.Messages))
		}
		if d := diffJSON(got, c); d != "" {
			t.Errorf("%s of 200 messages: %s", r.name, d)
		}
	}
}

// testQueryMessages lists conversations with no, one and several turns:
// each comes with its own messages, in order.
func testQueryMessages(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	convs := make([]banban.Conversation, 6)
	for i := range convs {
		convs[i] = banban.Conversation{ID: fmt.Sprintf("web-%d", i), Channel: "web", Created: deskT0, Updated: deskAt(i)}
		for turn := range i {
			convs[i].Append(botTurn(10*i + turn)...)
		}
	}
	h.saveAll(convs)
	got, err := h.st.Conversations(t.Context(), banban.ConversationQuery{})
	if err != nil {
		t.Fatalf("Conversations: %v", err)
	}
	wantIDs(t, "Conversations", convIDs(got), []string{"web-5", "web-4", "web-3", "web-2", "web-1", "web-0"})
	for _, g := range got {
		want := h.conversation(g.ID)
		if len(g.Messages) != len(want.Messages) {
			t.Errorf("Conversations: %s has %d messages, want %d", g.ID, len(g.Messages), len(want.Messages))
		}
		if d := diffJSON(g, want); d != "" {
			t.Errorf("Conversations: %s: %s", g.ID, d)
		}
	}
}
