package wechat_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban/channels/wechat"
)

// login signs a mini-program user in and returns the session token.
func (e *env) login(openID string) string {
	e.t.Helper()
	status, v := e.api(http.MethodPost, "/api/mp/login", "", map[string]string{"code": e.wx.loginCode(openID)})
	token, _ := v["token"].(string)
	if status != http.StatusOK || token == "" {
		e.t.Fatalf("login: %d %v", status, v)
	}
	return token
}

func mpID(e *env, openID string) string {
	return wechat.ConversationID(wechat.ChannelMP, e.wx.mpApp, openID)
}

func TestMiniProgramLogin(t *testing.T) {
	e := newEnv(t)
	used := e.wx.loginCode("o-mp-used")
	e.api(http.MethodPost, "/api/mp/login", "", map[string]string{"code": used})
	tests := []struct {
		name   string
		body   any
		status int
	}{
		{"valid code", map[string]string{"code": e.wx.loginCode("o-mp-1")}, http.StatusOK},
		{"code used before", map[string]string{"code": used}, http.StatusUnauthorized},
		{"unknown code", map[string]string{"code": "forged"}, http.StatusUnauthorized},
		{"no code", map[string]string{}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, v := e.api(http.MethodPost, "/api/mp/login", "", tt.body)
			if status != tt.status {
				t.Fatalf("status %d %v, want %d", status, v, tt.status)
			}
			if s := fmt.Sprint(v); strings.Contains(s, sessionKey) || strings.Contains(s, "o-mp-") {
				t.Errorf("login answer %v leaks the session key or openid", v)
			}
			if status != http.StatusOK {
				return
			}
			sum := sha256.Sum256([]byte(v["token"].(string)))
			sess, err := e.store.Session(e.ctx, hex.EncodeToString(sum[:]), monday10)
			if err != nil || !strings.HasPrefix(sess.Username, "mp:") || strings.Contains(sess.Username, "o-mp-1") {
				t.Errorf("stored session %+v (%v), want the token's hash under a hashed mp: name", sess, err)
			}
		})
	}
}

func TestMiniProgramRefusesWithoutSession(t *testing.T) {
	e := newEnv(t)
	e.staff("zhang")
	staffToken, _, err := e.desk.SignIn(e.ctx, "zhang", "correct horse")
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	for _, tt := range []struct{ name, token string }{
		{"no token", ""}, {"forged token", "not-a-token"}, {"staff session token", staffToken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, v := e.api(http.MethodPost, "/api/mp/chat", tt.token, map[string]string{"text": question})
			if status != http.StatusUnauthorized {
				t.Errorf("status %d %v, want 401", status, v)
			}
		})
	}
}

// webChatKeys are the keys of the web chat's reply (README, HTTP API).
var webChatKeys = "action,answer,conversation_id,draft,notices,offer_message,options,position,seq,sources,state,state_label,ticket"

func TestMiniProgramChatHandoffAndRating(t *testing.T) {
	e := newEnv(t)
	s := e.staff("zhang")
	token := e.login("o-mp-grace")
	status, v := e.api(http.MethodPost, "/api/mp/chat", token, map[string]string{"text": question})
	if status != http.StatusOK || v["action"] != "answer" || !strings.Contains(v["answer"].(string), "结婚登记") {
		t.Fatalf("chat: %d %v", status, v)
	}
	if got := keys(v); got != webChatKeys {
		t.Errorf("chat keys %s, want the web chat's %s", got, webChatKeys)
	}
	status, v = e.api(http.MethodPost, "/api/mp/handoff", token, nil)
	if status != http.StatusOK || v["state"] != "waiting" || v["ticket"] == "" {
		t.Fatalf("handoff: %d %v", status, v)
	}
	id := mpID(e, "o-mp-grace")
	if _, err := e.desk.Claim(e.ctx, s, id); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	e.reply(s, id, "您好，请问还有什么问题？")
	status, v = e.api(http.MethodGet, "/api/mp/conversation?after=2", token, nil)
	msgs, _ := v["messages"].([]any)
	if status != http.StatusOK || v["state"] != "with_staff" || len(msgs) != 3 {
		t.Fatalf("conversation: %d %v, want with_staff and 3 messages after seq 2", status, v)
	}
	if last := msgs[2].(map[string]any); last["role"] != "staff" || last["author"] != "工作人员zhang" {
		t.Errorf("last message %v, want the staff reply under the staff name", last)
	}
	status, v = e.api(http.MethodPost, "/api/mp/rating", token, map[string]any{"score": 5, "comment": "很及时"})
	if status != http.StatusOK || v["ok"] != true {
		t.Fatalf("rating: %d %v", status, v)
	}
	c := e.conv(id)
	if c.Channel != wechat.ChannelMP || c.Citizen != "o-mp-grace" || c.Rating == nil || c.Rating.Score != 5 {
		t.Errorf("conversation channel %q citizen %q rating %+v", c.Channel, c.Citizen, c.Rating)
	}
}

func TestMiniProgramConversationBeforeFirstMessage(t *testing.T) {
	e := newEnv(t)
	status, v := e.api(http.MethodGet, "/api/mp/conversation", e.login("o-mp-new"), nil)
	if msgs, _ := v["messages"].([]any); status != http.StatusOK || v["state"] != "bot" || len(msgs) != 0 {
		t.Errorf("got %d %v, want an empty conversation with the bot", status, v)
	}
}

func TestSubscribeMessageWhenStaffRepliesToAnAbsentUser(t *testing.T) {
	e := newEnv(t)
	s := e.staff("zhang")
	token := e.login("o-mp-henry")
	e.api(http.MethodPost, "/api/mp/chat", token, map[string]string{"text": "转人工"})
	id := mpID(e, "o-mp-henry")
	if _, err := e.desk.Claim(e.ctx, s, id); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	steps := []struct {
		name    string
		away    time.Duration
		poll    bool
		reply   string
		wantSub int
	}{
		{"user present", 0, false, "第一条：请问办理哪项？", 0},
		{"user away", 3 * time.Minute, false, second, 1},
		{"still away: one notice per absence", time.Minute, false, "第三条", 1},
		{"back, then away again", 3 * time.Minute, true, "第四条", 2},
	}
	for _, st := range steps {
		if st.poll {
			e.api(http.MethodGet, "/api/mp/conversation", token, nil)
		}
		e.advance(st.away)
		e.reply(s, id, st.reply)
		eventually(t, 3*time.Second, func() error {
			if got := e.wx.subscribes(); len(got) != st.wantSub {
				return fmt.Errorf("%s: %d subscribe messages, want %d", st.name, len(got), st.wantSub)
			}
			return nil
		})
		time.Sleep(100 * time.Millisecond) // room for a second one to show up
	}
	got := e.wx.subscribes()[0]
	want := string([]rune(second)[:19]) + "…"
	if got.ToUser != "o-mp-henry" || got.TemplateID != "TPL-reply" || got.Page != "pages/index/index" {
		t.Errorf("subscribe message to %q template %q page %q", got.ToUser, got.TemplateID, got.Page)
	}
	if thing := got.Data["thing2"]["value"]; thing != want {
		t.Errorf("thing2 %q, want the reply cut to 20 characters", thing)
	}
}

const second = "第二条：您的材料已经齐全，可以直接到政务服务中心综合窗口办理，无需预约。"

func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func TestMiniProgramRateLimit(t *testing.T) {
	e := newEnv(t)
	token := e.login("o-mp-hasty")
	var statuses []int
	for range 8 {
		status, _ := e.api(http.MethodPost, "/api/mp/rating", token, map[string]any{"score": 0})
		statuses = append(statuses, status)
	}
	if got := fmt.Sprint(statuses); !strings.HasPrefix(got, "[400 400 400 400 400 400 429") {
		t.Errorf("statuses %s, want six refusals of the bad score, then 429", got)
	}
}
