package wechat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/chatview"
)

// delivery is where delivering one conversation to WeChat stands. It
// lives in memory only (see guessDelivered for a restart).
type delivery struct {
	known     bool
	delivered int       // the last message handed to WeChat
	since     time.Time // the citizen message the quota counts from
	used      int       // customer-service messages sent since then
}

// follow restarts the quota count when the citizen wrote since.
func (d *delivery) follow(conv banban.Conversation) {
	if cm, ok := lastCitizen(conv, chatview.LastSeq(conv)+1); ok && !d.since.Equal(cm.At) {
		d.since, d.used = cm.At, 0
	}
}

// track is what this process knows of one WeChat conversation.
type track struct {
	// mu serialises deliveries to the citizen, so messages go out in order
	// and once; it guards delivery.
	mu sync.Mutex
	delivery

	// kmu guards what follows and is held only briefly.
	kmu sync.Mutex
	// snap is a copy of delivery for readers that must not wait for a
	// delivery in progress (the staff console).
	snap delivery
	// Mini-program users: when they last polled, and whether they were
	// told of a staff reply since.
	seen     time.Time
	notified bool
	// kick's coalescing of updates.
	kseq           int
	running, again bool

	touched time.Time // guarded by tracks.mu
}

// publish copies delivery for readers; call it with mu held.
func (tr *track) publish() {
	tr.kmu.Lock()
	defer tr.kmu.Unlock()
	tr.snap = tr.delivery
}

// trackIdle is how long an untouched track is kept; after it a
// conversation is handled as after a restart.
const trackIdle = 7 * 24 * time.Hour

type tracks struct {
	mu    sync.Mutex
	m     map[string]*track
	swept time.Time
}

func (ts *tracks) get(id string) *track {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	now := time.Now()
	if ts.m == nil {
		ts.m = make(map[string]*track)
	}
	if now.Sub(ts.swept) > time.Hour {
		for k, tr := range ts.m {
			if tr.mu.TryLock() {
				if now.Sub(tr.touched) > trackIdle {
					delete(ts.m, k)
				}
				tr.mu.Unlock()
			}
		}
		ts.swept = now
	}
	tr := ts.m[id]
	if tr == nil {
		tr = &track{}
		ts.m[id] = tr
	}
	tr.touched = now
	return tr
}

// outgoing reports whether a message is for the citizen: replies and desk
// notices, never their own words or private notes.
func outgoing(m banban.Message) bool { return m.Role != banban.RoleCitizen && !m.Private }

func undelivered(c banban.Conversation, after int) []banban.Message {
	var out []banban.Message
	for _, m := range c.Messages {
		if m.Seq > after && outgoing(m) {
			out = append(out, m)
		}
	}
	return out
}

// lastCitizen is the last citizen message before seq `before`.
func lastCitizen(c banban.Conversation, before int) (banban.Message, bool) {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		if m := c.Messages[i]; m.Seq < before && m.Role == banban.RoleCitizen {
			return m, true
		}
	}
	return banban.Message{}, false
}

// guessDelivered is where delivery stood before message `before` when this
// process has no record of the conversation (it restarted): what was
// written while the window was open counts as delivered, and what was
// written after it closed cannot have been, so it stays pending.
func guessDelivered(c banban.Conversation, before int, window time.Duration) int {
	base := 0
	var opened time.Time
	for _, m := range c.Messages {
		if m.Seq >= before {
			break
		}
		switch {
		case m.Role == banban.RoleCitizen:
			opened, base = m.At, m.Seq
		case !opened.IsZero() && m.At.Sub(opened) < window:
			base = m.Seq
		}
	}
	return base
}

// take hands a citizen's turn to delivery: everything outgoing not yet
// delivered, which the passive reply carries. The citizen just wrote, so
// the window is open and the quota fresh.
func (c *Channel) take(tr *track, conv banban.Conversation) []banban.Message {
	defer tr.publish()
	cm, _ := lastCitizen(conv, chatview.LastSeq(conv)+1)
	if !tr.known {
		tr.delivered, tr.known = guessDelivered(conv, cm.Seq, c.cfg.Window), true
	}
	msgs := undelivered(conv, tr.delivered)
	tr.delivered = chatview.LastSeq(conv)
	tr.follow(conv)
	return msgs
}

// Window says whether staff replies reach a 公众号 citizen now.
type Window struct {
	// Open is true while WeChat accepts customer-service messages to them.
	Open bool `json:"open"`
	// ClosesAt is 48 hours after the citizen's last message.
	ClosesAt time.Time `json:"closes_at,omitzero"`
	// Remaining is how many more messages the quota allows.
	Remaining int `json:"remaining"`
	// Pending counts replies held for the citizen's next message.
	Pending int `json:"pending"`
}

// Window reports the customer-service window of a 公众号 or 微信客服
// conversation; ok is false for conversations of other channels. It never waits for a
// delivery in progress.
func (c *Channel) Window(conv banban.Conversation) (w Window, ok bool) {
	if ch := channelOf(conv.ID); ch != ChannelOA && ch != ChannelKF {
		return Window{}, false
	}
	tr := c.tracks.get(conv.ID)
	tr.kmu.Lock()
	d := tr.snap
	tr.kmu.Unlock()
	w = c.window(d, conv)
	if !d.known {
		d.delivered = guessDelivered(conv, chatview.LastSeq(conv)+1, c.cfg.Window)
	}
	w.Pending = len(undelivered(conv, d.delivered))
	return w, true
}

// window is the customer-service window of conv as d counts it.
func (c *Channel) window(d delivery, conv banban.Conversation) Window {
	cm, ok := lastCitizen(conv, chatview.LastSeq(conv)+1)
	if !ok {
		return Window{}
	}
	used := 0
	if d.since.Equal(cm.At) {
		used = d.used
	}
	w := Window{ClosesAt: cm.At.Add(c.cfg.Window), Remaining: max(c.cfg.Quota-used, 0)}
	w.Open = c.now().Before(w.ClosesAt) && w.Remaining > 0
	if !w.Open {
		w.Remaining = 0
	}
	return w
}

// flush sends a conversation's undelivered replies as customer-service (or
// 微信客服) messages while the window is open; the rest wait for the
// citizen's next message, whose reply carries them.
func (c *Channel) flush(ctx context.Context, id string, seq int) error {
	tr := c.tracks.get(id)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	defer tr.publish()
	conv, err := c.desk.Conversation(ctx, id)
	if err != nil {
		return fmt.Errorf("load conversation: %w", err)
	}
	if !tr.known {
		// The update that woke us carried message seq; it is new.
		tr.delivered = min(guessDelivered(conv, chatview.LastSeq(conv)+1, c.cfg.Window), max(seq-1, 0))
		tr.known = true
	}
	tr.follow(conv)
	for _, m := range undelivered(conv, tr.delivered) {
		parts := split(c.render(ctx, []banban.Message{m}), c.cfg.MaxBytes, c.cfg.MaxParts)
		if w := c.window(tr.delivery, conv); len(parts) > w.Remaining {
			return nil // held for the citizen's next message
		}
		if err := c.sendLocked(ctx, tr, channelOf(id), conv.Citizen, parts); err != nil {
			if errors.Is(err, errWindowClosed) {
				return nil
			}
			return err
		}
		tr.delivered = m.Seq
	}
	return nil
}

// sendParts sends a turn's parts, taking the conversation's delivery lock.
func (c *Channel) sendParts(ctx context.Context, id, openID string, parts []string) {
	tr := c.tracks.get(id)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	defer tr.publish()
	if err := c.sendLocked(ctx, tr, channelOf(id), openID, parts); err != nil {
		c.log.Warn("wechat customer-service send", slog.String("conversation", id), errAttr(err))
	}
}

// sendLocked sends parts in order, counting them against the quota; on a
// closed window it uses the quota up so nothing more is tried.
func (c *Channel) sendLocked(ctx context.Context, tr *track, channel, to string, parts []string) error {
	for _, p := range parts {
		err := c.api.send(ctx, channel, to, p)
		if errors.Is(err, errWindowClosed) {
			tr.used = c.cfg.Quota
		}
		if err != nil {
			return err
		}
		tr.used++
	}
	return nil
}
