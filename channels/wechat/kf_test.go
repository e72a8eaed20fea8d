package wechat_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/wechat"
)

func kfConv(user string) string {
	return wechat.ConversationID(wechat.ChannelKF, kfCorpID+"|"+kfID, user)
}

func TestKFURLVerification(t *testing.T) {
	e := newEnv(t)
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), randomHex(8)
	echo := encrypt(testAESKey, kfCorpID, []byte("echo-1234567"))
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "echostr": {echo}, "msg_signature": {sign(kfToken, ts, nonce, echo)}}
	if status, body := e.wx.kfRaw(http.MethodGet, q, ""); status != http.StatusOK || body != "echo-1234567" {
		t.Fatalf("verification: %d %q, want the decrypted echostr", status, body)
	}
	q.Set("msg_signature", sign("wrong-token", ts, nonce, echo))
	if status, _ := e.wx.kfRaw(http.MethodGet, q, ""); status != http.StatusForbidden {
		t.Errorf("verification with a bad signature: %d, want 403", status)
	}
}

func TestKFTextIsAnsweredOnceEvenAfterARestart(t *testing.T) {
	e := newEnv(t)
	if status := e.wx.kfWrite("wm-alice", "结婚登记要带什么材料"); status != http.StatusOK {
		t.Fatalf("callback: %d", status)
	}
	got := e.wx.waitReceived(1, 5*time.Second)
	if got[0].openID != "wm-alice" || got[0].via != "kf" || !strings.Contains(got[0].text, "身份证") {
		t.Fatalf("answer %+v, want the marriage materials by send_msg", got[0])
	}
	c := e.conv(kfConv("wm-alice"))
	if c.Channel != wechat.ChannelKF || roles(c) != "citizen,bot" || c.Messages[0].Ref == "" {
		t.Fatalf("conversation %s %s, ref %q; want one turn with the msgid", c.Channel, roles(c), c.Messages[0].Ref)
	}
	// A new process syncs from the start of WeCom's log again.
	again, err := wechat.New(e.desk, e.store, e.setup(nil).cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	again.Routes(mux)
	srv := newServer(t, mux)
	e.wx.kfTarget = srv + "/wechat/kf"
	syncs := e.wx.syncCount()
	e.wx.kfCallback()
	eventually(t, 3*time.Second, func() error {
		if e.wx.syncCount() == syncs {
			return errString("no sync after the callback")
		}
		return nil
	})
	again.Close()
	time.Sleep(200 * time.Millisecond)
	if got := e.wx.received(); len(got) != 1 {
		t.Errorf("%d texts after the restart, want the one answer: %+v", len(got), got)
	}
	if r := roles(e.conv(kfConv("wm-alice"))); r != "citizen,bot" {
		t.Errorf("roles after the restart %s, want one turn", r)
	}
}

func TestKFForgedOrTamperedCallbacksAreRefused(t *testing.T) {
	e := newEnv(t)
	e.wx.mu.Lock()
	e.wx.kfLog = append(e.wx.kfLog, kfLogEntry{"msgid": "m-1", "open_kfid": kfID, "external_userid": "wm-mallory",
		"send_time": e.clock().Unix(), "origin": 3, "msgtype": "text", "text": map[string]string{"content": "你好"}})
	e.wx.mu.Unlock()
	plain := `<xml><ToUserName>ww-corp-test</ToUserName><MsgType>event</MsgType><Event>kf_msg_or_event</Event><Token>t</Token><OpenKfId>wk-banban-desk</OpenKfId></xml>`
	q, body := e.wx.kfSigned(plain)
	tampered := strings.Replace(body, "<Encrypt><![CDATA[", "<Encrypt><![CDATA[AAAA", 1)
	forged := url.Values{"timestamp": q["timestamp"], "nonce": q["nonce"], "msg_signature": {sign("guess", q.Get("timestamp"), q.Get("nonce"))}}
	old := url.Values{"timestamp": {strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)}, "nonce": q["nonce"]}
	oldBody := body
	for name, req := range map[string]struct {
		q    url.Values
		body string
	}{
		"tampered body":          {q, tampered},
		"forged signature":       {forged, body},
		"replayed an hour later": {old, oldBody},
		"broken XML":             {q, "<xml><Encrypt>"},
	} {
		if name == "replayed an hour later" {
			enc := body[strings.Index(body, "CDATA[")+6 : strings.Index(body, "]]></Encrypt>")]
			req.q.Set("msg_signature", sign(kfToken, req.q.Get("timestamp"), req.q.Get("nonce"), enc))
		}
		if status, _ := e.wx.kfRaw(http.MethodPost, req.q, req.body); status != http.StatusForbidden && status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want refused", name, status)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := e.wx.syncCount(); n != 0 {
		t.Errorf("%d syncs after refused callbacks, want none", n)
	}
	if _, err := e.desk.Conversation(e.ctx, kfConv("wm-mallory")); banban.ErrorCode(err) != banban.ENOTFOUND {
		t.Errorf("conversation stored after refused callbacks: %v", err)
	}
}

func TestKFStaffReplyReachesTheCitizenWithinTheWindow(t *testing.T) {
	e := newEnv(t)
	s := e.staff("zhang")
	e.wx.kfWrite("wm-bob", "转人工")
	e.wx.waitReceived(1, 5*time.Second)
	id := kfConv("wm-bob")
	if _, err := e.desk.Claim(e.ctx, s, id); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	e.reply(s, id, "您好，我是帮办工作人员，请问您想办理哪项业务？")
	got := e.wx.waitReceived(3, 3*time.Second) // handoff reply, claim notice, staff reply
	if !strings.Contains(got[2].text, "您好，我是帮办工作人员") || got[2].via != "kf" || got[2].openID != "wm-bob" {
		t.Fatalf("staff reply %+v, want it by send_msg to wm-bob", got[2])
	}
	if w := e.window(id); !w.Open || w.Remaining != 2 {
		t.Errorf("window %+v, want open with 2 of 5 left", w)
	}
	queue, err := e.desk.Queue(e.ctx, s)
	if err != nil || len(queue) != 1 || queue[0].Conversation.Channel != wechat.ChannelKF {
		t.Errorf("staff queue %+v (%v), want the 微信客服 conversation with its channel", queue, err)
	}
	// After 48 hours WeCom takes nothing: the reply waits for the citizen.
	e.advance(49 * time.Hour)
	e.reply(s, id, "材料已核对，请于下周一上午到窗口领取。")
	time.Sleep(300 * time.Millisecond)
	if n := len(e.wx.received()); n != 3 {
		t.Fatalf("%d texts, want the late reply held", n)
	}
	if w := e.window(id); w.Open || w.Pending != 1 {
		t.Errorf("window %+v, want closed with 1 pending", w)
	}
	e.wx.kfWrite("wm-bob", "你好，还在吗")
	got = e.wx.waitReceived(4, 5*time.Second)
	if !strings.Contains(got[3].text, "材料已核对") {
		t.Errorf("after the citizen wrote: %+v, want the held reply", got[3])
	}
}

func TestKFWelcomeAndUnreadableMessages(t *testing.T) {
	e := newEnv(t)
	e.wx.kfEnter("wm-carol")
	got := e.wx.waitReceived(1, 5*time.Second)
	if got[0].via != "welcome" || got[0].openID != "wm-carol" || !strings.Contains(got[0].text, "欢迎") {
		t.Fatalf("welcome %+v", got[0])
	}
	e.wx.mu.Lock()
	e.wx.kfLog = append(e.wx.kfLog, kfLogEntry{"msgid": "v-1", "open_kfid": kfID, "external_userid": "wm-carol",
		"send_time": e.clock().Unix(), "origin": 3, "msgtype": "voice", "voice": map[string]string{"media_id": "m"}})
	e.wx.lastIn["wm-carol"], e.wx.quota["wm-carol"] = e.clock(), 5
	e.wx.mu.Unlock()
	e.wx.kfCallback()
	got = e.wx.waitReceived(2, 5*time.Second)
	if !strings.Contains(got[1].text, "语音") {
		t.Errorf("voice message answered %q, want the note that voice is not understood", got[1].text)
	}
}

// newServer serves mux on a loopback port until the test ends.
func newServer(t *testing.T, mux *http.ServeMux) string {
	t.Helper()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

type errString string

func (e errString) Error() string { return string(e) }
