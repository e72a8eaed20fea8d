package wechat

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/silenceper/wechat/v2/officialaccount/message"
)

// maxSkew is how far a request's timestamp may be from our clock: a
// captured request cannot be replayed later (retries come within seconds).
const maxSkew = 5 * time.Minute

// oaRequest is what one request to the message server did: for its log
// line, and the parts to send after its reply.
type oaRequest struct {
	conversation string
	kind         string
	reply        string // "passive", "ack", "verify" or "refused"
	openID       string
	later        []string
}

// serveOA is the 公众号 message server. WeChat waits 5 seconds for an
// answer and then retries, so every request is answered within Budget:
// passively when the answer is ready, else with a bare acknowledgement and
// the answer as customer-service messages once ready.
func (c *Channel) serveOA(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	note := &oaRequest{reply: "refused"}
	defer func() {
		c.log.Info("wechat", slog.String("kind", note.kind), slog.String("reply", note.reply),
			slog.String("conversation", note.conversation), slog.Duration("took", time.Since(start)))
	}()
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	srv := c.api.oa.GetServer(r, w)
	if !srv.Validate() || !fresh(r.URL.Query().Get("timestamp"), time.Now()) || c.plainRefused(r) {
		http.Error(w, "invalid signature", http.StatusForbidden)
		return
	}
	ww := &wroteWriter{ResponseWriter: w}
	srv.Writer = ww
	note.reply = "verify" // until a message arrives
	srv.SetMessageHandler(c.handler(r.Context(), note, start.Add(c.cfg.Budget)))
	if err := srv.Serve(); err != nil {
		note.reply = "refused"
		c.log.Warn("wechat bad request", errAttr(err))
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	// Without a reply the SDK's safe mode would encrypt an empty one.
	if srv.ResponseMsg != nil {
		if err := srv.Send(); err != nil {
			c.log.Error("wechat reply", errAttr(err))
		}
	}
	if !ww.wrote {
		_, _ = ww.Write([]byte("success"))
	}
	if len(note.later) > 0 {
		c.followUp(note.conversation, note.openID, note.later)
	}
}

// handler answers the message the SDK decoded and checked.
func (c *Channel) handler(ctx context.Context, note *oaRequest, deadline time.Time) func(*message.MixMessage) *message.Reply {
	return func(msg *message.MixMessage) *message.Reply {
		note.openID = string(msg.FromUserName)
		note.kind, note.conversation = kindOf(msg), ConversationID(ChannelOA, c.cfg.OA.AppID, note.openID)
		var text string
		text, note.later = c.onMessage(ctx, msg, deadline)
		if note.reply = "ack"; text == "" {
			return nil
		}
		note.reply = "passive"
		return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(text)}
	}
}

// followUpDelay lets WeChat show a passive reply before the parts that
// follow it as customer-service messages, which it would otherwise be free
// to show first.
const followUpDelay = 500 * time.Millisecond

func (c *Channel) followUp(id, openID string, parts []string) {
	c.wg.Add(1)
	time.AfterFunc(followUpDelay, func() {
		defer c.wg.Done()
		c.goSend(id, openID, parts)
	})
}

// plainRefused reports a plaintext message to an account in safe mode: a
// plaintext signature covers the query only, so with an AES key set only
// encrypted (and so authenticated) bodies are taken.
func (c *Channel) plainRefused(r *http.Request) bool {
	return c.cfg.OA.AESKey != "" && r.Method == http.MethodPost && r.URL.Query().Get("encrypt_type") != "aes"
}

// fresh reports whether a request timestamp is within maxSkew of now.
func fresh(ts string, now time.Time) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.Unix(sec, 0))
	return d < maxSkew && d > -maxSkew
}

// wroteWriter remembers whether anything was written.
type wroteWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *wroteWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *wroteWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// onMessage starts work on a message unless an earlier attempt did, and
// waits for its answer until deadline. It returns the passive reply and
// the parts to send as customer-service messages after it.
func (c *Channel) onMessage(ctx context.Context, msg *message.MixMessage, deadline time.Time) (string, []string) {
	openID := string(msg.FromUserName)
	id := ConversationID(ChannelOA, c.cfg.OA.AppID, openID)
	p, first := c.seen.begin(dedupeKey(msg), func() *pending {
		return &pending{grace: c.cfg.Budget, late: func(parts []string) { c.goSend(id, openID, parts) }}
	})
	if first {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.work(p, id, msg)
		}()
	}
	return p.claim(ctx, deadline)
}

// dedupeKey identifies a message across WeChat's retries: its MsgId, or
// for events (which have none) the sender and creation time.
func dedupeKey(msg *message.MixMessage) string {
	if msg.MsgID != 0 {
		return "m" + strconv.FormatInt(msg.MsgID, 10)
	}
	return fmt.Sprintf("e%s|%d|%s", msg.FromUserName, msg.CreateTime, msg.Event)
}

func kindOf(msg *message.MixMessage) string {
	if msg.MsgType == message.MsgTypeEvent {
		return "event:" + string(msg.Event)
	}
	return string(msg.MsgType)
}

// work answers one message, off the request: WeChat may hang up, and the
// answer must still be recorded and delivered.
func (c *Channel) work(p *pending, id string, msg *message.MixMessage) {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.TurnTimeout)
	defer cancel()
	p.finish(split(c.answer(ctx, id, msg), c.cfg.MaxBytes, c.cfg.MaxParts))
}

// answer is the text a message gets.
func (c *Channel) answer(ctx context.Context, id string, msg *message.MixMessage) string {
	switch msg.MsgType {
	case message.MsgTypeText:
		return c.turn(ctx, id, string(msg.FromUserName), msg.Content, dedupeKey(msg))
	case message.MsgTypeVoice:
		// WeChat's speech recognition, when the account has it on.
		if t := strings.TrimSpace(msg.Recognition); t != "" {
			return c.turn(ctx, id, string(msg.FromUserName), t, dedupeKey(msg))
		}
		return msgVoice
	case message.MsgTypeEvent:
		if msg.Event == message.EventSubscribe || msg.Event == message.EventClick {
			return c.welcome()
		}
		return ""
	}
	return msgOther
}

func (c *Channel) welcome() string {
	var sb strings.Builder
	sb.WriteString(msgWelcome)
	for i, q := range c.cfg.CommonQuestions {
		fmt.Fprintf(&sb, "\n%d. %s", i+1, q)
	}
	sb.WriteString("\n\n" + msgHuman)
	return sb.String()
}

// turn gives a citizen's text to the desk and returns what they read:
// replies held for them, the answer and the desk's notices. The delivery
// lock is held throughout, so nothing in it also goes out separately. A
// message the conversation already holds (WeChat retrying it to a process
// restarted since) gets a bare acknowledgement.
func (c *Channel) turn(ctx context.Context, id, openID, text, ref string) string {
	reply, fresh := c.oaAnswer(ctx, id, openID, text, ref)
	if fresh {
		c.kick(id, 0) // a staff reply that came during the turn
	}
	return reply
}

func (c *Channel) oaAnswer(ctx context.Context, id, openID, text, ref string) (string, bool) {
	tr := c.tracks.get(id)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return c.answerLocked(ctx, tr, desk.Incoming{ConversationID: id, Channel: ChannelOA, Citizen: openID, Text: text, Ref: ref})
}

// answerLocked gives a citizen's message to the desk, with the
// conversation's delivery lock held, and returns what they read: replies
// held for them, the answer and the desk's notices, or why the desk
// refused. fresh is false for a message the conversation already holds.
func (c *Channel) answerLocked(ctx context.Context, tr *track, in desk.Incoming) (reply string, fresh bool) {
	out, err := c.send(ctx, in)
	switch {
	case err != nil:
		return c.failText(in.ConversationID, err), true
	case out.Duplicate:
		return "", false
	}
	return joinText(c.render(ctx, c.take(tr, out.Conversation)), extras(out)), true
}

// send hands the text to the desk; "留言……" leaves a message for staff
// while nobody can answer, as the desk's notice offered.
func (c *Channel) send(ctx context.Context, in desk.Incoming) (desk.Outcome, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(in.Text), leavePrefix)
	if ok && !c.desk.Availability().Available() {
		conv, err := c.desk.LeaveMessage(ctx, in.ConversationID, strings.TrimLeft(rest, " ：:，,"), "")
		if banban.ErrorCode(err) != banban.ENOTFOUND { // a first message goes to the bot
			return desk.Outcome{Conversation: conv}, err
		}
	}
	return c.desk.Send(ctx, in, nil)
}

// extras are what the web chat shows as state: the queue position while
// waiting, and how to leave a message when nobody can answer.
func extras(out desk.Outcome) string {
	var parts []string
	if out.Answer == nil && out.Conversation.CurrentState() == banban.StateWaiting && out.Position > 0 {
		parts = append(parts, fmt.Sprintf(msgWaiting, out.Position-1))
	}
	if out.OfferMessage {
		parts = append(parts, msgLeave)
	}
	return strings.Join(parts, "\n\n")
}

func joinText(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n\n" + b
}

// failText is what the citizen reads when the desk refused or failed.
func (c *Channel) failText(id string, err error) string {
	switch banban.ErrorCode(err) {
	case banban.EINVALID, banban.ETOOLARGE, banban.ECONFLICT:
		return banban.ErrorMessage(err)
	}
	c.log.Error("wechat turn", slog.String("conversation", id), errAttr(err))
	return msgBusy
}
