package desk

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/forms"
)

// Bot answers a citizen within a conversation (bot.Bot).
type Bot interface {
	Respond(ctx context.Context, conv *banban.Conversation, text string, emit func(bot.Delta) error) (banban.Answer, error)
}

// Documents reads documents, to route a handoff by the department of the
// item in focus.
type Documents interface {
	Document(ctx context.Context, id string) (banban.Document, error)
}

// Config tunes the desk. Zero values take the defaults.
type Config struct {
	// Calendar says when staff work (default: Monday to Friday, 9:00 to
	// 17:30, China Standard Time, no holidays).
	Calendar *Calendar
	// WaitExpiry is how long a handoff may wait unclaimed before the
	// citizen is told and the ticket goes to the outside system for a call
	// back (default 30m).
	WaitExpiry time.Duration
	// MaxMessageRunes is the longest message a citizen or staff member may
	// send (default 2,000).
	MaxMessageRunes int
	// TicketPrefix starts every ticket number (default "BB").
	TicketPrefix string
	// PresenceTTL is how long a staff member counts as online after their
	// console last reported (default 90s).
	PresenceTTL time.Duration
	// Canned are the ready replies offered in the staff console.
	Canned []string
	// Notify, when set, is called after outbox items were stored (to wake
	// the webhook sender).
	Notify func()
	// Forms, when set, fills application forms in the dialogue (forms.go).
	Forms *forms.Filler
	// Sealer encrypts form drafts' values for storage (default: a random
	// key held in memory, so drafts do not survive a restart).
	Sealer Sealer
}

// Desk is the help desk.
type Desk struct {
	store banban.DeskStore
	bot   Bot
	docs  Documents
	cfg   Config
	hub   hub
	// Now gives the current time (default time.Now).
	Now func() time.Time

	locks    sync.Map // conversation id -> *sync.Mutex
	presence presence
}

// New returns a desk.
func New(store banban.DeskStore, b Bot, docs Documents, cfg Config) *Desk {
	if cfg.Calendar == nil {
		cfg.Calendar = DefaultCalendar()
	}
	if cfg.WaitExpiry <= 0 {
		cfg.WaitExpiry = 30 * time.Minute
	}
	if cfg.MaxMessageRunes <= 0 {
		cfg.MaxMessageRunes = 2000
	}
	if cfg.TicketPrefix == "" {
		cfg.TicketPrefix = "BB"
	}
	if cfg.Canned == nil {
		cfg.Canned = defaultCanned
	}
	if cfg.PresenceTTL <= 0 {
		cfg.PresenceTTL = 90 * time.Second
	}
	if cfg.Sealer == nil {
		cfg.Sealer = ephemeralSealer()
	}
	return &Desk{store: store, bot: b, docs: docs, cfg: cfg, Now: time.Now}
}

// Canned returns the ready replies for staff.
func (d *Desk) Canned() []string { return d.cfg.Canned }

// Calendar returns the business-hours calendar in use.
func (d *Desk) Calendar() *Calendar { return d.cfg.Calendar }

// Conversation returns one conversation, its form draft opened.
func (d *Desk) Conversation(ctx context.Context, id string) (banban.Conversation, error) {
	c, err := d.store.Conversation(ctx, id)
	if err == nil {
		d.openDraft(&c)
	}
	return c, err
}

// lock serialises changes to one conversation within this process; the
// store's version check catches writers in other processes.
func (d *Desk) lock(id string) func() {
	m, _ := d.locks.LoadOrStore(id, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// change loads a conversation, applies fn and saves it with the outbox
// items fn returns, then tells subscribers.
func (d *Desk) change(ctx context.Context, id string, fn func(c *banban.Conversation) ([]banban.OutboxItem, error)) (banban.Conversation, error) {
	defer d.lock(id)()
	c, err := d.store.Conversation(ctx, id)
	if err != nil {
		return c, fmt.Errorf("load conversation: %w", err)
	}
	d.openDraft(&c)
	out, err := fn(&c)
	if err != nil {
		return c, err
	}
	if err := d.save(ctx, &c, out); err != nil {
		return c, err
	}
	return c, nil
}

// save stores c with its outbox items and publishes the change.
func (d *Desk) save(ctx context.Context, c *banban.Conversation, out []banban.OutboxItem) error {
	c.Updated = d.Now()
	if err := d.sealDraft(c); err != nil {
		return err
	}
	if err := d.store.SaveConversation(ctx, c, out...); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	if len(out) > 0 && d.cfg.Notify != nil {
		d.cfg.Notify()
	}
	d.hub.publish(Update{ConversationID: c.ID, Seq: len(c.Messages), State: c.CurrentState(), Team: c.Team})
	return nil
}

// system appends a message from the desk that both sides see.
func (d *Desk) system(c *banban.Conversation, text string) banban.Message {
	m := banban.Message{Role: banban.RoleSystem, Text: text, At: d.Now()}
	c.Append(m)
	return c.Messages[len(c.Messages)-1]
}
