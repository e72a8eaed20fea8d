package wechat_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban/channels/wechat"
)

const question = "结婚登记要带什么材料"

func TestURLVerification(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name       string
		token      string
		wantStatus int
		wantBody   string
	}{
		{"right token", e.wx.token, http.StatusOK, "echo-123"},
		{"wrong token", "not-the-token", http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "n1"
			q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {sign(tt.token, ts, nonce)},
				"echostr": {"echo-123"}}
			status, body := e.wx.raw(http.MethodGet, q, "")
			if status != tt.wantStatus || (tt.wantBody != "" && body != tt.wantBody) {
				t.Errorf("got %d %q, want %d %q", status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestForgedOrTamperedRequestsAreRefused(t *testing.T) {
	e := newEnv(t)
	const openID = "o-forger"
	tests := []struct {
		name   string
		forge  func(q url.Values, body string) (url.Values, string)
		status int
	}{
		{"bad signature", func(q url.Values, body string) (url.Values, string) {
			q.Set("signature", sign("guessed", q.Get("timestamp"), q.Get("nonce")))
			return q, body
		}, http.StatusForbidden},
		{"tampered ciphertext", func(q url.Values, body string) (url.Values, string) {
			return q, strings.Replace(body, "<Encrypt><![CDATA[", "<Encrypt><![CDATA[QUJD", 1)
		}, http.StatusBadRequest},
		{"ciphertext for another app, re-signed", func(q url.Values, _ string) (url.Values, string) {
			enc := encrypt(testAESKey, "wx-other-app", []byte(e.wx.textXML(openID, question)))
			q.Set("msg_signature", sign(e.wx.token, q.Get("timestamp"), q.Get("nonce"), enc))
			return q, "<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
		}, http.StatusBadRequest},
		{"garbage ciphertext, re-signed", func(q url.Values, _ string) (url.Values, string) {
			enc := "bm90IGEgcmVhbCBjaXBoZXJ0ZXh0IGF0IGFsbCEhIQ=="
			q.Set("msg_signature", sign(e.wx.token, q.Get("timestamp"), q.Get("nonce"), enc))
			return q, "<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
		}, http.StatusBadRequest},
		{"plaintext to a safe-mode account", func(q url.Values, _ string) (url.Values, string) {
			q.Del("encrypt_type")
			q.Del("msg_signature")
			return q, e.wx.textXML(openID, question)
		}, http.StatusForbidden},
		{"replayed old request", func(q url.Values, body string) (url.Values, string) {
			ts := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
			q.Set("timestamp", ts)
			q.Set("signature", sign(e.wx.token, ts, q.Get("nonce")))
			return q, body
		}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, body := e.wx.signed(openID, e.wx.textXML(openID, question))
			q, body = tt.forge(q, body)
			if status, _ := e.wx.raw(http.MethodPost, q, body); status != tt.status {
				t.Errorf("status %d, want %d", status, tt.status)
			}
		})
	}
	time.Sleep(100 * time.Millisecond) // anything accepted would be stored by now
	e.noConversation(openID)
	if got := e.wx.received(); len(got) != 0 {
		t.Errorf("users received %+v, want nothing", got)
	}
}

func TestTextMessageIsAnsweredPassively(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []option
	}{{"safe mode", nil}, {"plaintext mode", []option{plaintext()}}} {
		t.Run(mode.name, func(t *testing.T) {
			e := newEnv(t, mode.opts...)
			res := e.wx.send("o-alice", question)
			if res.status != http.StatusOK || res.attempts != 1 {
				t.Fatalf("status %d after %d attempts, want 200 after 1", res.status, res.attempts)
			}
			for _, want := range []string{"结婚登记", "依据：", "相关链接：", "https://banban.example.gov.cn/docs/"} {
				if !strings.Contains(res.reply, want) {
					t.Errorf("reply lacks %q:\n%s", want, res.reply)
				}
			}
			c := e.conv(oaID(e, "o-alice"))
			if c.Channel != wechat.ChannelOA || c.Citizen != "o-alice" || roles(c) != "citizen,bot" {
				t.Errorf("conversation channel %q citizen %q roles %q, want wechat-oa o-alice citizen,bot",
					c.Channel, c.Citizen, roles(c))
			}
		})
	}
}

func TestConversationIDs(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	a := wechat.ConversationID(wechat.ChannelOA, "app1", "o-1")
	tests := []struct {
		name string
		id   string
		same bool
	}{
		{"same user again", wechat.ConversationID(wechat.ChannelOA, "app1", "o-1"), true},
		{"another user", wechat.ConversationID(wechat.ChannelOA, "app1", "o-2"), false},
		{"another app", wechat.ConversationID(wechat.ChannelOA, "app2", "o-1"), false},
		{"mini-program", wechat.ConversationID(wechat.ChannelMP, "app1", "o-1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !valid.MatchString(tt.id) || strings.Contains(tt.id, "o-1") {
				t.Errorf("id %q is not a valid opaque conversation id", tt.id)
			}
			if got := tt.id == a; got != tt.same {
				t.Errorf("%q == %q is %v, want %v", tt.id, a, got, tt.same)
			}
		})
	}
}

func TestVoiceEventsAndOtherMessages(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name     string
		fields   string
		want     string
		wantConv bool
	}{
		{"voice with recognition", `<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[结婚登记要带什么材料？]]></Recognition><MsgId>501</MsgId>`,
			"结婚登记", true},
		{"voice without recognition", `<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m2]]></MediaId><MsgId>502</MsgId>`,
			"听不懂", false},
		{"image", `<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MsgId>503</MsgId>`,
			"只能处理文字", false},
		{"subscribe event", `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>`,
			"1. 结婚登记要带什么材料？", false},
		{"menu click", `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[FAQ]]></EventKey>`,
			"转人工", false},
		{"unsubscribe event", `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event>`,
			"", false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			openID := fmt.Sprintf("o-kind-%d", i)
			res := e.wx.post(openID, tt.fields)
			if res.status != http.StatusOK || !strings.Contains(res.reply, tt.want) || (tt.want == "" && res.reply != "") {
				t.Errorf("got %d %q, want 200 containing %q", res.status, res.reply, tt.want)
			}
			if tt.wantConv {
				e.conv(oaID(e, openID))
			} else {
				e.noConversation(openID)
			}
		})
	}
}

func TestLongAnswerIsSplitToWeChatLimits(t *testing.T) {
	const limit = 300
	e := newEnv(t, withConfig(func(c *wechat.Config) { c.MaxBytes, c.MaxParts = limit, 6 }))
	res := e.wx.send("o-long", question)
	c := e.conv(oaID(e, "o-long"))
	answer := c.Messages[len(c.Messages)-1].Text
	if len(answer) <= limit {
		t.Fatalf("answer of %d bytes does not test splitting", len(answer))
	}
	got := e.wx.waitReceived(2, 3*time.Second)
	time.Sleep(200 * time.Millisecond)
	got = e.wx.received()
	var all strings.Builder
	for i, r := range got {
		if len(r.text) > limit {
			t.Errorf("part %d has %d bytes, want at most %d", i, len(r.text), limit)
		}
		if want := map[bool]string{true: "passive", false: "custom"}[i == 0]; r.via != want {
			t.Errorf("part %d went %s, want %s", i, r.via, want)
		}
		all.WriteString(r.text + "\n")
	}
	if got[0].text != res.reply {
		t.Errorf("first part %q is not the passive reply %q", got[0].text, res.reply)
	}
	squash := strings.NewReplacer("\n", "", " ", "")
	if !strings.Contains(squash.Replace(all.String()), squash.Replace(answer)) {
		t.Errorf("the parts do not carry the whole answer:\n%s\nparts:\n%s", answer, all.String())
	}
}
