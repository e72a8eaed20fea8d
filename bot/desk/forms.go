package desk

import (
	"context"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/forms"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Sealer encrypts a form draft's values before a conversation is stored
// and decrypts them after it is loaded (forms.Sealer).
type Sealer interface {
	Seal(d *banban.FormDraft) error
	Open(d *banban.FormDraft) error
}

// ephemeralSealer seals with a random key kept in memory, for a desk
// configured without one: drafts then do not survive a restart, but their
// values are still never stored in clear.
func ephemeralSealer() Sealer { return forms.Sealer{Key: forms.NewKey()} }

var _ Sealer = forms.Sealer{}

// formTurn lets the form flow take a message meant for it (a wish to apply
// for the item in focus, an answer while a draft is open). The citizen's
// message is kept with its personal numbers masked: the values live only
// in the sealed draft.
func (d *Desk) formTurn(ctx context.Context, c *banban.Conversation, text string, emit func(bot.Delta) error) (Outcome, bool, error) {
	if d.cfg.Forms == nil {
		return Outcome{}, false, nil
	}
	now := d.Now()
	st, err := d.cfg.Forms.Handle(ctx, c, text, now)
	if err != nil || !st.Handled {
		return Outcome{}, false, err
	}
	reply := st.Reply
	if textnorm.IsTraditional(text) {
		reply = textnorm.ToTraditional(reply)
	}
	ans := banban.Answer{Action: banban.ActionAnswer, Text: reply, Citations: []banban.Citation{}}
	if st.Cite.DocID != "" {
		ans.Citations = append(ans.Citations, st.Cite)
	}
	if len(st.Options) > 0 {
		ans.Action, ans.Options = banban.ActionClarify, st.Options
	}
	if st.Draft != nil {
		if c.Draft == nil || c.Draft.DocID != st.Draft.DocID {
			// A new application puts its item in focus, so that questions
			// asked while filling in (办卡要钱吗?) are about it.
			c.Focus = banban.Focus{DocIDs: []string{st.Draft.DocID}}
		}
		c.Draft = st.Draft
	}
	c.Failures = 0
	c.Append(banban.Message{Role: banban.RoleCitizen, Text: forms.MaskText(text), At: now},
		banban.Message{Role: banban.RoleBot, Text: reply, At: now, Answer: &ans})
	if emit != nil {
		if err := emit(bot.Delta{Text: reply}); err != nil {
			return Outcome{}, true, fmt.Errorf("send reply: %w", err)
		}
	}
	return Outcome{Answer: &ans}, true, nil
}

// openDraft decrypts the draft of a loaded conversation. A draft that does
// not open (sealed under another key) keeps its sealed values untouched and
// is inactive: nil Values tell save not to seal it again.
func (d *Desk) openDraft(c *banban.Conversation) {
	if c.Draft == nil {
		return
	}
	if err := d.cfg.Sealer.Open(c.Draft); err != nil {
		c.Draft.Values, c.Draft.Warnings = nil, nil
	}
}

// sealDraft encrypts the draft's values before c is stored.
func (d *Desk) sealDraft(c *banban.Conversation) error {
	if c.Draft == nil || c.Draft.Values == nil {
		return nil
	}
	if err := d.cfg.Sealer.Seal(c.Draft); err != nil {
		return fmt.Errorf("seal draft: %w", err)
	}
	return nil
}

// PurgeDrafts deletes the form drafts of conversations idle for longer
// than olderThan (the retention period for personal data), leaving the
// conversations themselves. It returns how many drafts it deleted.
func (d *Desk) PurgeDrafts(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := d.Now().Add(-olderThan)
	const page = 1000
	n := 0
	for before := cutoff; ; {
		convs, err := d.store.Conversations(ctx, banban.ConversationQuery{UpdatedBefore: before, Limit: page})
		if err != nil {
			return n, fmt.Errorf("list idle conversations: %w", err)
		}
		for _, c := range convs {
			if c.Draft == nil {
				continue
			}
			done, err := d.purgeDraft(ctx, c.ID, cutoff)
			if err != nil {
				return n, err
			}
			if done {
				n++
			}
		}
		if len(convs) < page || !convs[len(convs)-1].Updated.Before(before) {
			return n, nil
		}
		before = convs[len(convs)-1].Updated // the store lists newest first
	}
}

// purgeDraft clears one conversation's draft if it is still idle, without
// counting the purge as activity (Updated is kept).
func (d *Desk) purgeDraft(ctx context.Context, id string, cutoff time.Time) (bool, error) {
	defer d.lock(id)()
	c, err := d.store.Conversation(ctx, id)
	switch {
	case banban.ErrorCode(err) == banban.ENOTFOUND:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("load conversation: %w", err)
	case c.Draft == nil || !c.Updated.Before(cutoff):
		return false, nil
	}
	c.Draft = nil
	err = d.store.SaveConversation(ctx, &c)
	switch {
	case banban.ErrorCode(err) == banban.ECONFLICT:
		return false, nil // changed meanwhile: active again
	case err != nil:
		return false, fmt.Errorf("save conversation: %w", err)
	}
	return true, nil
}
