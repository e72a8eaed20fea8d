package wechat

import (
	"context"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/channels/chatview"
)

// The mini-program reads the same JSON as the web chat (channels/chatview),
// so one front-end model serves both.

// publicMessages renders what the citizen sees after seq `after`: no
// private notes, staff under their display names.
func (c *Channel) publicMessages(ctx context.Context, msgs []banban.Message, after int) []chatview.Message {
	names := c.staffNames(ctx, msgs)
	return chatview.Public(msgs, after, func(u string) string { return names[u] })
}

// stateOf is conv's state; a zero pos is looked up in the queue.
func (c *Channel) stateOf(ctx context.Context, conv banban.Conversation, pos int) (chatview.State, error) {
	if pos == 0 {
		var err error
		if pos, err = c.desk.Position(ctx, conv); err != nil {
			return chatview.State{}, err
		}
	}
	return chatview.StateOf(conv, pos), nil
}

func (c *Channel) chatResponse(ctx context.Context, out desk.Outcome) (chatview.Chat, error) {
	st, err := c.stateOf(ctx, out.Conversation, out.Position)
	if err != nil {
		return chatview.Chat{}, err
	}
	names := c.staffNames(ctx, out.Notices)
	// The draft has no printable page here: the mini-program has no
	// browser session to open it with.
	return chatview.ChatOf(out, st, func(u string) string { return names[u] }, chatview.DraftOf(out.Conversation, "")), nil
}
