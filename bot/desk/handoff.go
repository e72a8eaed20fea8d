package desk

import (
	"context"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
)

// handoff hands c to a human when one can answer now; otherwise it tells
// the citizen honestly and offers to leave a message.
func (d *Desk) handoff(ctx context.Context, c *banban.Conversation, reason banban.HandoffReason, actor string, out Outcome) (Outcome, []banban.OutboxItem, error) {
	if avail := d.Availability(); !avail.Available() {
		text := msgNoStaff
		if !avail.Open {
			text = fmt.Sprintf(msgClosedHours, avail.Hours, dayLabel(avail.NextOpen))
		}
		out.Notices = append(out.Notices, d.system(c, text))
		out.OfferMessage = true
		return out, nil, nil
	}
	now := d.Now()
	ticket, err := d.newTicket(ctx)
	if err != nil {
		return out, nil, err
	}
	team, err := d.route(ctx, c)
	if err != nil {
		return out, nil, err
	}
	c.Handoff = &banban.Handoff{Ticket: ticket, Reason: reason, RequestedAt: now, Team: team,
		Summary: summarize(c), Sources: sources(c), Status: banban.TicketOpen}
	c.Team, c.Assignee = team, ""
	if err := c.Move(banban.StateWaiting, actor, string(reason), team, now); err != nil {
		return out, nil, err
	}
	if out.Position, err = d.position(ctx, c); err != nil {
		return out, nil, err
	}
	out.Notices = append(out.Notices, d.system(c, fmt.Sprintf(msgQueued, ticket, out.Position-1)))
	item, err := d.ticketItem(c, EventTicketCreated)
	return out, []banban.OutboxItem{item}, err
}

// RequestHuman hands a conversation to a human at the citizen's request
// (the 转人工 button). While waiting it only reports the queue position.
func (d *Desk) RequestHuman(ctx context.Context, id string) (Outcome, error) {
	var out Outcome
	c, err := d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		switch c.CurrentState() {
		case banban.StateWithStaff:
			return nil, banban.Errorf(banban.ECONFLICT, errAlreadyHuman)
		case banban.StateWaiting:
			if c.Handoff != nil && c.Handoff.Reason != banban.ReasonMessage {
				var err error
				out.Position, err = d.position(ctx, c)
				return nil, err
			}
		}
		var items []banban.OutboxItem
		var err error
		out, items, err = d.handoff(ctx, c, banban.ReasonRequested, "citizen", out)
		return items, err
	})
	out.Conversation = c
	return out, err
}

// LeaveMessage records a message for staff when nobody can answer now: it
// becomes a ticket due at the next opening time.
func (d *Desk) LeaveMessage(ctx context.Context, id, text, contact string) (banban.Conversation, error) {
	text = strings.TrimSpace(text)
	if err := d.checkText(text); err != nil {
		return banban.Conversation{}, err
	}
	return d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		if s := c.CurrentState(); s == banban.StateWithStaff || s == banban.StateWaiting && c.Handoff.Reason != banban.ReasonMessage {
			return nil, banban.Errorf(banban.ECONFLICT, errAlreadyHuman)
		}
		now := d.Now()
		ticket, err := d.newTicket(ctx)
		if err != nil {
			return nil, err
		}
		team, err := d.route(ctx, c)
		if err != nil {
			return nil, err
		}
		due := d.cfg.Calendar.NextOpen(now)
		c.Handoff = &banban.Handoff{Ticket: ticket, Reason: banban.ReasonMessage, RequestedAt: now, Team: team,
			Summary: summarize(c), Sources: sources(c), Message: text, Contact: strings.TrimSpace(contact),
			DueAt: due, Status: banban.TicketOpen}
		c.Team, c.Assignee = team, ""
		c.Append(banban.Message{Role: banban.RoleCitizen, Text: text, At: now})
		if err := c.Move(banban.StateWaiting, "citizen", string(banban.ReasonMessage), team, now); err != nil {
			return nil, err
		}
		d.system(c, fmt.Sprintf(msgLeft, ticket, dayLabel(due)))
		item, err := d.ticketItem(c, EventTicketCreated)
		return []banban.OutboxItem{item}, err
	})
}

// CancelWait takes back a handoff nobody has claimed yet.
func (d *Desk) CancelWait(ctx context.Context, id string) (banban.Conversation, error) {
	return d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		if c.CurrentState() != banban.StateWaiting {
			return nil, banban.Errorf(banban.ECONFLICT, errNotWaiting)
		}
		now := d.Now()
		if err := c.Move(banban.StateBot, "citizen", "cancelled", "", now); err != nil {
			return nil, err
		}
		c.Handoff.Status, c.Handoff.ClosedAt = TicketCancelled, now
		c.Team, c.Assignee = "", ""
		d.system(c, msgCancelled)
		item, err := d.ticketItem(c, EventTicketClosed)
		return []banban.OutboxItem{item}, err
	})
}

// changeOut is change for conversations that must exist.
func (d *Desk) changeOut(ctx context.Context, id string, fn func(c *banban.Conversation) ([]banban.OutboxItem, error)) (banban.Conversation, error) {
	if !validID(id) {
		return banban.Conversation{}, banban.Errorf(banban.EINVALID, "会话编号格式不正确")
	}
	return d.change(ctx, id, fn)
}

// position is c's place in its team's queue (1 = next).
func (d *Desk) position(ctx context.Context, c *banban.Conversation) (int, error) {
	waiting, err := d.store.Conversations(ctx, banban.ConversationQuery{States: []banban.ConvState{banban.StateWaiting}, Team: c.Team, Limit: 10000})
	if err != nil {
		return 0, fmt.Errorf("read queue: %w", err)
	}
	n := 1
	for _, w := range waiting {
		if w.ID == c.ID {
			break
		}
		// The store orders the queue; c is not in it yet during its handoff.
		if w.Handoff != nil && w.Handoff.Reason != banban.ReasonMessage && !w.Handoff.RequestedAt.After(c.Handoff.RequestedAt) {
			n++
		}
	}
	return n, nil
}

// Position returns a conversation's place in the queue (1 = next), or 0
// when it is not waiting for a human.
func (d *Desk) Position(ctx context.Context, c banban.Conversation) (int, error) {
	if c.CurrentState() != banban.StateWaiting || c.Handoff == nil || c.Handoff.Reason == banban.ReasonMessage {
		return 0, nil
	}
	return d.position(ctx, &c)
}
