package desk

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// Resolve ends the human service: the conversation is resolved and the
// citizen is asked for a rating. Their next message goes to the bot.
func (d *Desk) Resolve(ctx context.Context, s banban.Staff, id string) (banban.Conversation, error) {
	return d.finish(ctx, s, id, banban.StateResolved, "resolve", msgResolved)
}

// HandBack returns the conversation to the bot.
func (d *Desk) HandBack(ctx context.Context, s banban.Staff, id string) (banban.Conversation, error) {
	return d.finish(ctx, s, id, banban.StateBot, "handback", msgHandedBack)
}

func (d *Desk) finish(ctx context.Context, s banban.Staff, id string, to banban.ConvState, reason, notice string) (banban.Conversation, error) {
	return d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		if err := d.mayAct(s, c); err != nil {
			return nil, err
		}
		now := d.Now()
		if err := c.Move(to, actor(s), reason, "", now); err != nil {
			return nil, err
		}
		c.Handoff.Status, c.Handoff.ClosedAt = banban.TicketClosed, now
		if c.Assignee == "" {
			c.Assignee = s.Username
		}
		c.Failures = 0
		d.system(c, notice)
		item, err := d.ticketItem(c, EventTicketClosed)
		return []banban.OutboxItem{item}, err
	})
}

// UpdateTicket records a ticket status reported by an outside system
// (12345 协同) or staff, as a note staff see.
func (d *Desk) UpdateTicket(ctx context.Context, ticket, status, note string) (banban.Conversation, error) {
	status, note = strings.TrimSpace(status), strings.TrimSpace(note)
	if status == "" {
		return banban.Conversation{}, banban.Errorf(banban.EINVALID, errBadStatus)
	}
	if utf8.RuneCountInString(status) > 32 || utf8.RuneCountInString(note) > d.cfg.MaxMessageRunes {
		return banban.Conversation{}, banban.Errorf(banban.ETOOLARGE, errTooLong, d.cfg.MaxMessageRunes)
	}
	c, err := d.store.ConversationByTicket(ctx, ticket)
	if err != nil {
		return c, err
	}
	return d.change(ctx, c.ID, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		if c.Handoff == nil || c.Handoff.Ticket != ticket {
			return nil, banban.Errorf(banban.ECONFLICT, "工单已被新的转接替代：%s", ticket)
		}
		c.Handoff.Status, c.Handoff.StatusNote = status, note
		if note != "" {
			note = "：" + note
		}
		c.Append(banban.Message{Role: banban.RoleSystem, Text: fmt.Sprintf(msgTicketStatus, status, note),
			At: d.Now(), Private: true})
		return nil, nil
	})
}

// maxCommentRunes bounds a rating's comment.
const maxCommentRunes = 500

// Rate stores the citizen's satisfaction rating (1 to 5) and comment; a
// later rating replaces an earlier one.
func (d *Desk) Rate(ctx context.Context, id string, score int, comment string) (banban.Conversation, error) {
	comment = strings.TrimSpace(comment)
	if score < 1 || score > 5 {
		return banban.Conversation{}, banban.Errorf(banban.EINVALID, errBadScore)
	}
	if utf8.RuneCountInString(comment) > maxCommentRunes {
		return banban.Conversation{}, banban.Errorf(banban.ETOOLARGE, errCommentLong, maxCommentRunes)
	}
	return d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		c.Rating = &banban.Rating{Score: score, Comment: comment, At: d.Now()}
		if c.Handoff == nil {
			return nil, nil
		}
		item, err := d.ticketItem(c, EventTicketRated)
		return []banban.OutboxItem{item}, err
	})
}

// ExpireWaits ends the waits nobody took within WaitExpiry: the citizen is
// told, the conversation returns to the bot, and the ticket goes out for a
// call back. Left messages wait for the next working day and do not expire.
func (d *Desk) ExpireWaits(ctx context.Context) (int, error) {
	waiting, err := d.store.Conversations(ctx, banban.ConversationQuery{States: []banban.ConvState{banban.StateWaiting}, Limit: 10000})
	if err != nil {
		return 0, fmt.Errorf("read queue: %w", err)
	}
	n := 0
	for _, c := range waiting {
		if c.Handoff == nil || c.Handoff.Reason == banban.ReasonMessage || d.Now().Sub(c.Handoff.RequestedAt) < d.cfg.WaitExpiry {
			continue
		}
		_, err := d.change(ctx, c.ID, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
			if c.CurrentState() != banban.StateWaiting {
				return nil, errSkip
			}
			if err := c.Move(banban.StateBot, "system", "expired", "", d.Now()); err != nil {
				return nil, err
			}
			d.system(c, fmt.Sprintf(msgExpired, c.Handoff.Ticket))
			item, err := d.ticketItem(c, EventTicketExpired)
			return []banban.OutboxItem{item}, err
		})
		switch {
		case err == nil:
			n++
		case err != errSkip:
			return n, err
		}
	}
	return n, nil
}

// errSkip leaves a conversation unchanged.
var errSkip = banban.Errorf(banban.ECONFLICT, "skip")
