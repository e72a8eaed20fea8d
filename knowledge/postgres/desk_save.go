package postgres

import (
	"context"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
)

// sendWindow is how many of a conversation's last messages a save sends,
// guessing that the others are stored. A chat turn adds two or three
// messages; a save that adds more than the window learns the stored count
// from its first statement and sends the rest in a second.
const sendWindow = 4

// convSave is a conversation encoded for saving: its record without the
// messages, and what the save statements check the messages with.
type convSave struct {
	c *banban.Conversation
	// args are the arguments the insert and update statements share.
	args []any
	// seqs are the Seq of every message, by position: the update checks
	// the one at the last stored position.
	seqs []int64
}

func newConvSave(c *banban.Conversation) (*convSave, error) {
	next := *c
	next.Version++
	next.Messages = nil
	doc, err := encodeDoc(&next, "会话 "+c.ID)
	if err != nil {
		return nil, err
	}
	seqs := make([]int64, len(c.Messages))
	for i, m := range c.Messages {
		seqs[i] = int64(m.Seq)
	}
	var lastSeq int64
	if n := len(seqs); n > 0 {
		lastSeq = seqs[n-1]
	}
	var ticket string
	var requested any
	if h := c.Handoff; h != nil {
		ticket, requested = h.Ticket, nullTime(h.RequestedAt)
	}
	args := []any{c.ID, next.Version, len(c.Messages), lastSeq, c.Channel, c.Citizen, string(c.CurrentState()),
		c.Team, c.Assignee, nullText(ticket), requested, c.Updated, doc}
	return &convSave{c: c, args: args, seqs: seqs}, nil
}

// exec saves the conversation in one statement, or two when more messages
// than sendWindow are new. It returns errStale when the stored version is
// not the caller's, and EINVALID when c's messages do not extend the
// stored ones; either way having written nothing.
func (w *convSave) exec(ctx context.Context, db querier) error {
	if w.c.Version == 0 {
		msgs, err := deskrec.EncodeMessages(w.c, 0)
		if err != nil {
			return err
		}
		var n int64
		if err := db.QueryRow(ctx, deskQuery("insert_conversation"), append(w.args, msgs)...).Scan(&n); err != nil {
			return err
		}
		return wrote(n)
	}
	first := max(0, len(w.c.Messages)-sendWindow)
	for range 3 {
		msgs, err := deskrec.EncodeMessages(w.c, first)
		if err != nil {
			return err
		}
		var n int64
		var stored, lastSeq *int64
		args := append(w.args[:len(w.args):len(w.args)], w.c.Version, first, w.seqs, msgs)
		if err := db.QueryRow(ctx, deskQuery("update_conversation"), args...).Scan(&n, &stored, &lastSeq); err != nil {
			return err
		}
		switch {
		case n > 0:
			return nil
		case stored == nil:
			return errStale // gone, or another version
		}
		if err := deskrec.CheckAppend(w.c, int(*stored), *lastSeq); err != nil {
			return err
		}
		if int(*stored) >= first {
			return errStale // changed since the statement began
		}
		first = int(*stored) // sent too few: send what is not stored
	}
	return errStale
}

// wrote returns errStale unless the save statement wrote the conversation.
func wrote(n int64) error {
	if n == 0 {
		return errStale
	}
	return nil
}
