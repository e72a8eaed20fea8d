package wechat

import (
	"context"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/chatview"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
)

// maxThingRunes is the longest text a template's "thing" keyword takes.
const maxThingRunes = 20

// cst is China Standard Time, the time citizens read.
var cst = time.FixedZone("CST", 8*3600)

// seenNow records that a mini-program user is looking at the conversation:
// they read staff replies by polling, so they need no notification, and
// the next absence may notify again.
func (c *Channel) seenNow(id string) {
	tr := c.tracks.get(id)
	tr.kmu.Lock()
	defer tr.kmu.Unlock()
	tr.seen, tr.notified = c.now(), false
}

// notifyMP tells a mini-program user who has not polled for Away that a
// staff member replied, with one subscribe message per absence (each one
// uses up one of the user's one-time subscriptions).
func (c *Channel) notifyMP(ctx context.Context, id string, seq int) error {
	tr := c.tracks.get(id)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	conv, err := c.desk.Conversation(ctx, id)
	if err != nil {
		return fmt.Errorf("load conversation: %w", err)
	}
	if !tr.known {
		tr.delivered, tr.known = max(seq-1, 0), true
	}
	reply, ok := firstStaffReply(conv, tr.delivered)
	tr.delivered = chatview.LastSeq(conv)
	if !ok || c.cfg.MP.TemplateID == "" || conv.Citizen == "" {
		return nil
	}
	tr.kmu.Lock()
	away := !tr.notified && c.now().Sub(tr.seen) >= c.cfg.Away
	tr.notified = tr.notified || away
	tr.kmu.Unlock()
	if !away {
		return nil
	}
	f := c.cfg.MP.Fields
	msg := &subscribe.Message{ToUser: conv.Citizen, TemplateID: c.cfg.MP.TemplateID, Page: c.cfg.MP.Page,
		Lang: "zh_CN", Data: map[string]*subscribe.DataItem{
			f.Who:  {Value: notifyWho},
			f.Text: {Value: clip(reply.Text, maxThingRunes)},
			f.Time: {Value: reply.At.In(cst).Format("2006-01-02 15:04")},
		}}
	if err := c.api.notify(msg); err != nil {
		return fmt.Errorf("send subscribe message: %w", err)
	}
	return nil
}

// firstStaffReply is the first staff reply the citizen sees after seq.
func firstStaffReply(c banban.Conversation, after int) (banban.Message, bool) {
	for _, m := range c.Messages {
		if m.Seq > after && m.Role == banban.RoleStaff && !m.Private {
			return m, true
		}
	}
	return banban.Message{}, false
}

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
