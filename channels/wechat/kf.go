package wechat

import (
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/banban-gov/banban/bot/desk"
	"github.com/silenceper/wechat/v2/util"
)

// 微信客服 (WeChat Customer Service, run from WeCom) differs from the 公众号
// in how messages travel: WeCom's callback only says that there are new
// messages, Banban pulls them with sync_msg and answers every one with
// send_msg, within the same 48-hour window and 5-message quota as the
// 公众号's customer-service messages (so the same delivery code serves
// both). A citizen is "open_kfid|external_userid".

// kfSyncer pulls 微信客服 messages one sync at a time; callbacks during a
// sync ask for one more.
type kfSyncer struct {
	mu      sync.Mutex
	cursor  string // where the last sync ended; kept in memory only
	token   string // the latest callback's token, which lifts sync_msg's rate limit
	kfID    string
	running bool
	again   bool
}

// kfCallback is the envelope of WeCom's encrypted callback.
type kfCallback struct {
	ToUserName string `xml:"ToUserName"`
	Encrypt    string `xml:"Encrypt"`
}

// kfEvent is the decrypted callback.
type kfEvent struct {
	MsgType  string `xml:"MsgType"`
	Event    string `xml:"Event"`
	Token    string `xml:"Token"`
	OpenKfID string `xml:"OpenKfId"`
}

// serveKF is the 微信客服 callback: GET verifies the address, POST says
// there are new messages. Both are signed (msg_signature over the
// encrypted text) and encrypted for the company (CorpID).
func (c *Channel) serveKF(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ts, nonce, sig := q.Get("timestamp"), q.Get("nonce"), q.Get("msg_signature")
	var enc string
	if r.Method == http.MethodGet {
		enc = q.Get("echostr")
	} else {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		var cb kfCallback
		if err != nil || xml.Unmarshal(body, &cb) != nil {
			c.log.Warn("wecom kf bad request")
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		enc = cb.Encrypt
	}
	if enc == "" || sig != util.Signature(string(c.cfg.KF.Token), ts, nonce, enc) || !fresh(ts, time.Now()) {
		c.log.Warn("wecom kf refused", slog.String("method", r.Method))
		http.Error(w, "invalid signature", http.StatusForbidden)
		return
	}
	_, plain, err := util.DecryptMsg(c.cfg.KF.CorpID, enc, string(c.cfg.KF.AESKey))
	if err != nil {
		c.log.Warn("wecom kf undecryptable", errAttr(err))
		http.Error(w, "invalid signature", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodGet {
		_, _ = w.Write(plain)
		return
	}
	var ev kfEvent
	if err := xml.Unmarshal(plain, &ev); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	_, _ = w.Write([]byte("success"))
	if ev.Event == "kf_msg_or_event" {
		c.kfKick(ev.Token, ev.OpenKfID)
	}
}

// kfKick starts a sync unless one is running, which then syncs again.
func (c *Channel) kfKick(token, kfID string) {
	s := &c.kf
	s.mu.Lock()
	if token != "" {
		s.token, s.kfID = token, kfID
	}
	if s.running {
		s.again = true
		s.mu.Unlock()
		return
	}
	s.running = true
	s.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for {
			c.kfSyncAll()
			s.mu.Lock()
			if !s.again {
				s.running = false
				s.mu.Unlock()
				return
			}
			s.again = false
			s.mu.Unlock()
		}
	}()
}

// kfSyncAll pulls every page of new messages and answers them in order.
func (c *Channel) kfSyncAll() {
	s := &c.kf
	for page := 0; page < kfMaxPages; page++ {
		s.mu.Lock()
		cursor, token, kfID := s.cursor, s.token, s.kfID
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), httpTimeout)
		res, err := c.api.kfSync(ctx, cursor, token, kfID)
		cancel()
		if err != nil {
			c.log.Warn("wecom kf sync", errAttr(err))
			return
		}
		for _, m := range res.MsgList {
			c.kfMessage(m)
		}
		s.mu.Lock()
		if res.NextCursor != "" {
			s.cursor = res.NextCursor
		}
		s.mu.Unlock()
		if res.HasMore == 0 {
			return
		}
	}
}

// kfMaxPages bounds one sync (1,000 messages a page).
const kfMaxPages = 100

// kfMessage answers one pulled message: a citizen's text goes to the desk
// (once, by its msgid), a voice or other message gets a note, and a
// citizen entering the session gets the welcome. Messages too old for the
// window (after a long outage) are left: no answer could reach them.
func (c *Channel) kfMessage(m kfMessage) {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.TurnTimeout)
	defer cancel()
	if m.MsgType == "event" {
		if m.Event.EventType == "enter_session" && m.Event.WelcomeCode != "" {
			if err := c.api.kfWelcome(ctx, m.Event.WelcomeCode, c.welcome()); err != nil {
				c.log.Warn("wecom kf welcome", errAttr(err))
			}
		}
		return
	}
	if m.Origin != kfOriginCitizen || m.ExternalUserID == "" || c.now().Sub(time.Unix(m.SendTime, 0)) > c.cfg.Window {
		return
	}
	citizen := m.OpenKfID + "|" + m.ExternalUserID
	id := ConversationID(ChannelKF, c.cfg.KF.CorpID+"|"+m.OpenKfID, m.ExternalUserID)
	start := time.Now()
	kind := m.MsgType
	switch m.MsgType {
	case "text":
		c.kfTurn(ctx, id, citizen, m.Text.Content, m.MsgID)
	case "voice":
		c.kfNote(ctx, id, citizen, msgVoice)
	default:
		c.kfNote(ctx, id, citizen, msgOther)
	}
	c.log.Info("wecom kf", slog.String("kind", kind), slog.String("conversation", id),
		slog.Duration("took", time.Since(start)))
}

// kfTurn gives a citizen's text to the desk and sends what they read:
// replies held for them, the answer and the desk's notices. A message the
// conversation already holds (a sync repeated after a restart) is skipped.
func (c *Channel) kfTurn(ctx context.Context, id, citizen, text, ref string) {
	if c.kfAnswer(ctx, id, citizen, text, ref) {
		c.kick(id, 0) // a staff reply that came during the turn
	}
}

// kfAnswer is kfTurn under the conversation's delivery lock; it reports
// whether the message was new.
func (c *Channel) kfAnswer(ctx context.Context, id, citizen, text, ref string) bool {
	tr := c.tracks.get(id)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	defer tr.publish()
	reply, fresh := c.answerLocked(ctx, tr, desk.Incoming{ConversationID: id, Channel: ChannelKF, Citizen: citizen, Text: text, Ref: ref})
	if !fresh {
		return false
	}
	if reply != "" {
		if err := c.sendLocked(ctx, tr, ChannelKF, citizen, split(reply, c.cfg.MaxBytes, c.cfg.MaxParts)); err != nil {
			c.log.Warn("wecom kf send", slog.String("conversation", id), errAttr(err))
		}
	}
	return true
}

// kfNote answers a message Banban cannot read; the citizen just wrote, so
// the window is open.
func (c *Channel) kfNote(ctx context.Context, id, citizen, text string) {
	if err := c.api.kfSend(ctx, citizen, text); err != nil {
		c.log.Warn("wecom kf send", slog.String("conversation", id), errAttr(err))
	}
}

// splitKFCitizen reads "open_kfid|external_userid".
func splitKFCitizen(s string) (kfID, user string, ok bool) {
	kfID, user, ok = strings.Cut(s, "|")
	return kfID, user, ok && kfID != "" && user != ""
}
