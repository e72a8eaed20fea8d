package desk

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
)

// Incoming is a citizen's message from a channel.
type Incoming struct {
	// ConversationID continues a conversation; empty starts one.
	ConversationID string
	Channel        string
	// Citizen identifies the sender within the channel (a WeChat openid).
	Citizen string
	Text    string
	// Ref is the channel's id of the message, when it has one: a message
	// whose Ref the conversation already holds is not answered again.
	Ref string
}

// Outcome is what a citizen's message led to.
type Outcome struct {
	Conversation banban.Conversation
	// Answer is the bot's answer; nil when a human has the conversation and
	// the bot stayed silent.
	Answer *banban.Answer
	// Notices are the desk's own messages this turn added (queue position,
	// hours), which the citizen sees after the answer.
	Notices []banban.Message
	// Position is the place in the queue while waiting (1 = next).
	Position int
	// OfferMessage is set when a human was wanted but none can answer now:
	// the channel should offer to leave a message.
	OfferMessage bool
	// Duplicate is set when the message (by its Ref) was taken before:
	// nothing was done.
	Duplicate bool
}

// Send takes a citizen's message: the bot answers it unless a human has
// the conversation, and a handoff follows when the citizen asked for one,
// complained, raised a sensitive topic or the bot failed twice in a row.
// emit, when not nil, streams the bot's answer as it is written.
func (d *Desk) Send(ctx context.Context, in Incoming, emit func(bot.Delta) error) (Outcome, error) {
	text := strings.TrimSpace(in.Text)
	if err := d.checkText(text); err != nil {
		return Outcome{}, err
	}
	id := in.ConversationID
	if id == "" {
		id = bot.NewConversationID()
	}
	defer d.lock(id)()
	c, err := d.loadOrStart(ctx, id, in)
	if err != nil {
		return Outcome{}, err
	}
	if in.Ref != "" && hasRef(c, in.Ref) {
		return Outcome{Conversation: c, Duplicate: true}, nil
	}
	before := len(c.Messages)
	out, items, err := d.turn(ctx, &c, in.Text, emit)
	if err != nil {
		return Outcome{}, err
	}
	markRef(&c, before, in.Ref)
	if err := d.save(ctx, &c, items); err != nil {
		return Outcome{}, err
	}
	out.Conversation = c
	return out, nil
}

// hasRef reports whether c holds the citizen message ref.
func hasRef(c banban.Conversation, ref string) bool {
	for _, m := range c.Messages {
		if m.Role == banban.RoleCitizen && m.Ref == ref {
			return true
		}
	}
	return false
}

// markRef stamps the citizen message this turn added (after the first
// `before` messages) with the channel's ref.
func markRef(c *banban.Conversation, before int, ref string) {
	if ref == "" {
		return
	}
	for i := before; i < len(c.Messages); i++ {
		if c.Messages[i].Role == banban.RoleCitizen {
			c.Messages[i].Ref = ref
			return
		}
	}
}

// turn handles one message within a loaded conversation.
func (d *Desk) turn(ctx context.Context, c *banban.Conversation, text string, emit func(bot.Delta) error) (Outcome, []banban.OutboxItem, error) {
	now := d.Now()
	switch c.CurrentState() {
	case banban.StateWithStaff:
		c.Append(banban.Message{Role: banban.RoleCitizen, Text: text, At: now})
		return Outcome{}, nil, nil
	case banban.StateWaiting:
		if c.Handoff == nil || c.Handoff.Reason != banban.ReasonMessage {
			c.Append(banban.Message{Role: banban.RoleCitizen, Text: text, At: now})
			pos, err := d.position(ctx, c)
			return Outcome{Position: pos}, nil, err
		}
	case banban.StateResolved:
		if err := c.Move(banban.StateBot, "citizen", "new_message", "", now); err != nil {
			return Outcome{}, nil, err
		}
	}
	if out, ok, err := d.formTurn(ctx, c, text, emit); ok || err != nil {
		return out, nil, err
	}
	ans, err := d.bot.Respond(ctx, c, text, emit)
	if err != nil {
		return Outcome{}, nil, fmt.Errorf("answer: %w", err)
	}
	out := Outcome{Answer: &ans}
	reason := d.trigger(c, ans)
	if reason == "" {
		return out, nil, nil
	}
	return d.handoff(ctx, c, reason, "bot", out)
}

// trigger decides whether an answer leads to a handoff, counting the
// bot's failures in a row.
func (d *Desk) trigger(c *banban.Conversation, ans banban.Answer) banban.HandoffReason {
	if c.CurrentState() == banban.StateWaiting {
		return "" // a left message is already waiting for staff
	}
	switch ans.Action {
	case banban.ActionHandoff:
		c.Failures = 0
		switch ans.Reason {
		case "complaint":
			return banban.ReasonComplaint
		case "crisis":
			return banban.ReasonSensitive
		}
		return banban.ReasonRequested
	case banban.ActionDecline:
		if !helpFailure(ans.Reason) {
			return ""
		}
		if c.Failures++; c.Failures >= 2 {
			c.Failures = 0
			return banban.ReasonFailed
		}
		return ""
	}
	c.Failures = 0
	return ""
}

// helpFailure reports whether a decline means the bot could not help, as
// opposed to refusing an attack, abuse or an empty message.
func helpFailure(reason string) bool {
	switch reason {
	case "injection", "illegal", "abuse", "empty", "too_long":
		return false
	}
	return true
}

// loadOrStart loads a conversation or starts one under id.
func (d *Desk) loadOrStart(ctx context.Context, id string, in Incoming) (banban.Conversation, error) {
	c, err := d.store.Conversation(ctx, id)
	if err == nil {
		d.openDraft(&c)
		return c, nil
	}
	if banban.ErrorCode(err) != banban.ENOTFOUND {
		return c, fmt.Errorf("load conversation: %w", err)
	}
	if !validID(id) {
		return c, banban.Errorf(banban.EINVALID, "会话编号格式不正确")
	}
	now := d.Now()
	return banban.Conversation{ID: id, Channel: in.Channel, Citizen: in.Citizen, Created: now, Updated: now,
		State: banban.StateBot}, nil
}

// validID accepts the ids bot.NewConversationID makes and channel ids made
// of letters, digits, '-' and '_' (at most 128 characters).
func validID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (d *Desk) checkText(text string) error {
	if text == "" {
		return banban.Errorf(banban.EINVALID, errEmpty)
	}
	if utf8.RuneCountInString(text) > d.cfg.MaxMessageRunes {
		return banban.Errorf(banban.ETOOLARGE, errTooLong, d.cfg.MaxMessageRunes)
	}
	return nil
}
