package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
)

// Outbox event kinds sent to the ticket webhook.
const (
	EventTicketCreated = "ticket.created"
	EventTicketClosed  = "ticket.closed"
	EventTicketExpired = "ticket.expired"
	EventTicketRated   = "ticket.rated"
)

// TicketCancelled is the status of a ticket the citizen took back.
const TicketCancelled = "cancelled"

// newTicket numbers a ticket: prefix, date and a daily sequence
// (BB261122-0001), so citizens can read it out over the phone.
func (d *Desk) newTicket(ctx context.Context) (string, error) {
	day := d.Now().In(d.cfg.Calendar.loc()).Format("060102")
	n, err := d.store.NextSeq(ctx, "ticket-"+day)
	if err != nil {
		return "", fmt.Errorf("number ticket: %w", err)
	}
	return fmt.Sprintf("%s%s-%04d", d.cfg.TicketPrefix, day, n), nil
}

// TicketPayload is the JSON body the ticket webhook receives.
type TicketPayload struct {
	// ID is the delivery id (also in the X-Banban-Delivery header).
	ID             string            `json:"id"`
	Event          string            `json:"event"`
	At             time.Time         `json:"at"`
	Ticket         string            `json:"ticket"`
	ConversationID string            `json:"conversation_id"`
	Channel        string            `json:"channel"`
	State          banban.ConvState  `json:"state"`
	Reason         string            `json:"reason"`
	Team           string            `json:"team"`
	Assignee       string            `json:"assignee,omitempty"`
	Status         string            `json:"status"`
	Summary        string            `json:"summary"`
	Message        string            `json:"message,omitempty"`
	Contact        string            `json:"contact,omitempty"`
	RequestedAt    time.Time         `json:"requested_at"`
	DueAt          time.Time         `json:"due_at,omitzero"`
	ClosedAt       time.Time         `json:"closed_at,omitzero"`
	Sources        []banban.Citation `json:"sources"`
	Rating         *banban.Rating    `json:"rating,omitempty"`
	Transcript     []TranscriptLine  `json:"transcript"`
}

// TranscriptLine is one message the citizen saw.
type TranscriptLine struct {
	Role banban.Role `json:"role"`
	Text string      `json:"text"`
	At   time.Time   `json:"at"`
}

// ticketItem builds the outbox item for a ticket event.
func (d *Desk) ticketItem(c *banban.Conversation, event string) (banban.OutboxItem, error) {
	now := d.Now()
	h := c.Handoff
	p := TicketPayload{ID: bot.NewConversationID(), Event: event, At: now, Ticket: h.Ticket,
		ConversationID: c.ID, Channel: c.Channel, State: c.CurrentState(), Reason: string(h.Reason),
		Team: c.Team, Assignee: c.Assignee, Status: h.Status, Summary: h.Summary, Message: h.Message,
		Contact: h.Contact, RequestedAt: h.RequestedAt, DueAt: h.DueAt, ClosedAt: h.ClosedAt,
		Sources: h.Sources, Rating: c.Rating, Transcript: transcript(c)}
	if p.Sources == nil {
		p.Sources = []banban.Citation{}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return banban.OutboxItem{}, fmt.Errorf("encode ticket: %w", err)
	}
	return banban.OutboxItem{ID: p.ID, Kind: event, Payload: body, Created: now, NextAt: now}, nil
}

// transcript is what the citizen saw: no private staff notes.
func transcript(c *banban.Conversation) []TranscriptLine {
	out := []TranscriptLine{}
	for _, m := range c.Messages {
		if !m.Private {
			out = append(out, TranscriptLine{Role: m.Role, Text: m.Text, At: m.At})
		}
	}
	return out
}
