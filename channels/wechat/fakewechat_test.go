package wechat_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeWeChat is WeChat in-process, over its real protocols and written
// from its documentation, not from the SDK: it signs and (in safe mode)
// encrypts what it posts to the account's message server, retries when it
// gets no reply in time, and serves the API the SDK calls — access tokens,
// customer-service and subscribe messages, code2session — enforcing the
// 48-hour window, the quota and the 2,048-byte text limit.
type fakeWeChat struct {
	t      *testing.T
	URL    string
	target string // the message server the account configured
	appID  string
	secret string
	token  string
	aesKey string // empty: plaintext mode
	mpApp  string
	mpKey  string
	now    func() time.Time
	// AttemptTimeout is how long one attempt waits for the reply (5s).
	AttemptTimeout time.Duration
	// Lose is how many replies, from the first, get lost on the way back.
	Lose int

	mu       sync.Mutex
	got      []received
	lastIn   map[string]time.Time
	quota    map[string]int
	tokens   map[string]string // token -> app id
	tokenN   int
	subs     []subscribeSent
	codes    map[string]string // login code -> openid
	msgID    int64
	attempts int

	// 微信客服 (fakekf_test.go)
	kfTarget         string // Banban's callback address
	kfLog            []kfLogEntry
	kfCallbackTokens map[string]bool
	welcomeCodes     map[string]string // welcome code -> external_userid
	syncs            int
}

// received is a text that reached a user: in a passive reply or as a
// customer-service message.
type received struct {
	openID, text, via string
}

type subscribeSent struct {
	ToUser     string                       `json:"touser"`
	TemplateID string                       `json:"template_id"`
	Page       string                       `json:"page"`
	Data       map[string]map[string]string `json:"data"`
}

func newFakeWeChat(t *testing.T, now func() time.Time) *fakeWeChat {
	t.Helper()
	f := &fakeWeChat{t: t, appID: "wx-oa-test", secret: "oa-secret-value", token: "tok3n",
		mpApp: "wx-mp-test", mpKey: "mp-secret-value", now: now, AttemptTimeout: 5 * time.Second,
		lastIn: map[string]time.Time{}, quota: map[string]int{}, tokens: map[string]string{},
		codes: map[string]string{}, msgID: 1000, kfCallbackTokens: map[string]bool{}, welcomeCodes: map[string]string{}}
	mux := http.NewServeMux()
	f.kfRoutes(mux)
	mux.HandleFunc("GET /cgi-bin/token", f.serveToken)
	mux.HandleFunc("POST /cgi-bin/message/custom/send", f.serveCustom)
	mux.HandleFunc("POST /cgi-bin/message/subscribe/send", f.serveSubscribe)
	mux.HandleFunc("GET /sns/jscode2session", f.serveCode2Session)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// result is what posting one message came to.
type result struct {
	status   int
	reply    string // the text reply WeChat accepted, "" for an acknowledgement
	attempts int
	took     time.Duration // of the accepted attempt
}

// send posts a user's text message like WeChat.
func (f *fakeWeChat) send(openID, text string) result {
	f.mu.Lock()
	f.msgID++
	id := f.msgID
	f.mu.Unlock()
	return f.post(openID, fmt.Sprintf(`<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId>`, text, id))
}

// post posts one message body (the fields after CreateTime) from a user,
// retrying like WeChat: three attempts, each given AttemptTimeout.
func (f *fakeWeChat) post(openID, fields string) result {
	f.t.Helper()
	created := f.now().Unix()
	plain := fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_banban]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime>%s</xml>`, openID, created, fields)
	f.mu.Lock()
	f.lastIn[openID], f.quota[openID] = f.now(), 5 // the 2023 rule: 5 messages within 48 hours
	f.mu.Unlock()
	var res result
	for res.attempts < 3 {
		res.attempts++
		f.mu.Lock()
		f.attempts++
		f.mu.Unlock()
		start := time.Now()
		status, body, err := f.attempt(openID, plain)
		if err != nil || f.lost() {
			continue
		}
		res.status, res.took = status, time.Since(start)
		if status == http.StatusOK {
			res.reply = f.readReply(openID, body)
		}
		return res
	}
	return res
}

// lost reports whether this reply is one of those lost on the way.
func (f *fakeWeChat) lost() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Lose > 0 {
		f.Lose--
		return true
	}
	return false
}

// attempt makes one signed request.
func (f *fakeWeChat) attempt(openID, plain string) (int, []byte, error) {
	q, body := f.signed(openID, plain)
	client := &http.Client{Timeout: f.AttemptTimeout}
	resp, err := client.Post(f.target+"?"+q.Encode(), "text/xml", strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// signed returns the query and body WeChat sends for plain.
func (f *fakeWeChat) signed(openID, plain string) (url.Values, string) {
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), randomHex(8)
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {sign(f.token, ts, nonce)}, "openid": {openID}}
	if f.aesKey == "" {
		return q, plain
	}
	enc := encrypt(f.aesKey, f.appID, []byte(plain))
	q.Set("encrypt_type", "aes")
	q.Set("msg_signature", sign(f.token, ts, nonce, enc))
	return q, fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_banban]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt></xml>`, enc)
}

// readReply checks a passive reply like WeChat and records its text.
func (f *fakeWeChat) readReply(openID string, body []byte) string {
	f.t.Helper()
	if s := string(body); s == "" || s == "success" {
		return ""
	}
	if f.aesKey != "" {
		var env struct{ Encrypt, MsgSignature, TimeStamp, Nonce string }
		if err := xml.Unmarshal(body, &env); err != nil {
			f.t.Errorf("encrypted reply: %v: %s", err, body)
			return ""
		}
		if got := sign(f.token, env.TimeStamp, env.Nonce, env.Encrypt); got != env.MsgSignature {
			f.t.Errorf("reply signature %s, want %s", env.MsgSignature, got)
		}
		body = decrypt(f.t, f.aesKey, f.appID, env.Encrypt)
	}
	var r struct{ ToUserName, FromUserName, MsgType, Content string }
	if err := xml.Unmarshal(body, &r); err != nil {
		f.t.Errorf("reply: %v: %s", err, body)
		return ""
	}
	if r.ToUserName != openID || r.FromUserName != "gh_banban" || r.MsgType != "text" {
		f.t.Errorf("reply to %q from %q type %q", r.ToUserName, r.FromUserName, r.MsgType)
	}
	if len(r.Content) > 2048 {
		f.t.Errorf("passive reply of %d bytes; WeChat takes 2048", len(r.Content))
	}
	f.record(openID, r.Content, "passive")
	return r.Content
}

func (f *fakeWeChat) record(openID, text, via string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, received{openID: openID, text: text, via: via})
}

// received returns what reached users so far.
func (f *fakeWeChat) received() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.got...)
}

// waitReceived waits until n texts have reached users.
func (f *fakeWeChat) waitReceived(n int, within time.Duration) []received {
	f.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if got := f.received(); len(got) >= n {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := f.received()
	f.t.Fatalf("after %v, %d texts reached users, want %d: %+v", within, len(got), n, got)
	return got
}

// raw makes one request to the message server with the given query and
// body, as a forger might, and returns the status.
func (f *fakeWeChat) raw(method string, q url.Values, body string) (int, string) {
	f.t.Helper()
	return f.rawTo(f.target, method, q, body)
}

// rawTo makes one request to target.
func (f *fakeWeChat) rawTo(target, method string, q url.Values, body string) (int, string) {
	f.t.Helper()
	req, _ := http.NewRequest(method, target+"?"+q.Encode(), strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// textXML is a user's text message as WeChat writes it.
func (f *fakeWeChat) textXML(openID, text string) string {
	f.mu.Lock()
	f.msgID++
	id := f.msgID
	f.mu.Unlock()
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_banban]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId></xml>`,
		openID, f.now().Unix(), text, id)
}
