package wechat_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The fake's WeCom side, for 微信客服, written from WeCom's documentation:
// access tokens by corpid and secret, a message log that sync_msg pages
// through by cursor, send_msg under the 48-hour window and 5-message quota,
// send_msg_on_event for welcome codes, and callbacks signed (msg_signature
// over the encrypted text) and encrypted for the CorpID.

const (
	kfCorpID = "ww-corp-test"
	kfSecret = "kf-secret-value"
	kfToken  = "kfTok3n"
	kfID     = "wk-banban-desk"
)

// kfLogEntry is one message in WeCom's log, as sync_msg returns it.
type kfLogEntry map[string]any

func (f *fakeWeChat) kfRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /cgi-bin/gettoken", f.serveWorkToken)
	mux.HandleFunc("POST /cgi-bin/kf/sync_msg", f.serveSyncMsg)
	mux.HandleFunc("POST /cgi-bin/kf/send_msg", f.serveKFSend)
	mux.HandleFunc("POST /cgi-bin/kf/send_msg_on_event", f.serveKFEvent)
}

func (f *fakeWeChat) serveWorkToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("corpid") != kfCorpID || q.Get("corpsecret") != kfSecret {
		writeAPI(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
		return
	}
	f.mu.Lock()
	f.tokenN++
	tok := fmt.Sprintf("WORK-%d-%s", f.tokenN, randomHex(4))
	f.tokens[tok] = kfCorpID
	f.mu.Unlock()
	writeAPI(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": 7200})
}

func (f *fakeWeChat) serveSyncMsg(w http.ResponseWriter, r *http.Request) {
	if !f.validToken(r, kfCorpID) {
		writeAPI(w, map[string]any{"errcode": 40014, "errmsg": "invalid access_token"})
		return
	}
	var req struct {
		Cursor   string `json:"cursor"`
		Token    string `json:"token"`
		Limit    int    `json:"limit"`
		OpenKfID string `json:"open_kfid"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Limit <= 0 || req.Limit > 1000 {
		writeAPI(w, map[string]any{"errcode": 40058, "errmsg": "invalid parameter"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncs++
	if req.Token != "" && !f.kfCallbackTokens[req.Token] {
		writeAPI(w, map[string]any{"errcode": 95007, "errmsg": "invalid msg token"})
		return
	}
	from, _ := strconv.Atoi(req.Cursor)
	from = min(from, len(f.kfLog))
	to := min(from+req.Limit, len(f.kfLog))
	page := append([]kfLogEntry{}, f.kfLog[from:to]...)
	more := 0
	if to < len(f.kfLog) {
		more = 1
	}
	writeAPI(w, map[string]any{"errcode": 0, "errmsg": "ok", "next_cursor": strconv.Itoa(to), "has_more": more, "msg_list": page})
}

func (f *fakeWeChat) serveKFSend(w http.ResponseWriter, r *http.Request) {
	if !f.validToken(r, kfCorpID) {
		writeAPI(w, map[string]any{"errcode": 40014, "errmsg": "invalid access_token"})
		return
	}
	var msg struct {
		ToUser   string `json:"touser"`
		OpenKfID string `json:"open_kfid"`
		MsgType  string `json:"msgtype"`
		Text     struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil || msg.MsgType != "text" || msg.OpenKfID != kfID {
		writeAPI(w, map[string]any{"errcode": 95000, "errmsg": "invalid open_kfid or message"})
		return
	}
	res := f.admit(msg.ToUser, msg.Text.Content)
	if res["errcode"] != 0 {
		res = map[string]any{"errcode": 95001, "errmsg": "send msg count exceeds limit or out of time"}
	} else {
		f.mu.Lock()
		f.got[len(f.got)-1].via = "kf"
		f.mu.Unlock()
	}
	writeAPI(w, res)
}

func (f *fakeWeChat) serveKFEvent(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Code string `json:"code"`
		Text struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if !f.validToken(r, kfCorpID) || json.NewDecoder(r.Body).Decode(&msg) != nil {
		writeAPI(w, map[string]any{"errcode": 40014, "errmsg": "invalid access_token"})
		return
	}
	f.mu.Lock()
	user, ok := f.welcomeCodes[msg.Code]
	delete(f.welcomeCodes, msg.Code) // a code works once
	f.mu.Unlock()
	if !ok {
		writeAPI(w, map[string]any{"errcode": 95016, "errmsg": "invalid welcome code"})
		return
	}
	f.record(user, msg.Text.Content, "welcome")
	writeAPI(w, map[string]any{"errcode": 0, "errmsg": "ok"})
}

// kfWrite logs a citizen's text to the 微信客服 account and calls Banban
// back, as WeCom does; it returns the callback's status.
func (f *fakeWeChat) kfWrite(user, text string) int {
	f.mu.Lock()
	f.msgID++
	f.kfLog = append(f.kfLog, kfLogEntry{"msgid": fmt.Sprintf("kfmsg-%d", f.msgID), "open_kfid": kfID,
		"external_userid": user, "send_time": f.now().Unix(), "origin": 3, "msgtype": "text",
		"text": map[string]string{"content": text}})
	f.lastIn[user], f.quota[user] = f.now(), 5
	f.mu.Unlock()
	return f.kfCallback()
}

// kfEnter logs a citizen opening the chat, with a welcome code.
func (f *fakeWeChat) kfEnter(user string) int {
	f.mu.Lock()
	code := "welcome-" + randomHex(4)
	f.welcomeCodes[code] = user
	f.kfLog = append(f.kfLog, kfLogEntry{"msgid": "ev-" + code, "open_kfid": kfID, "send_time": f.now().Unix(),
		"origin": 4, "msgtype": "event", "event": map[string]string{"event_type": "enter_session",
			"open_kfid": kfID, "external_userid": user, "welcome_code": code}})
	f.mu.Unlock()
	return f.kfCallback()
}

// kfCallback tells Banban there are new messages.
func (f *fakeWeChat) kfCallback() int {
	f.mu.Lock()
	token := "cbtoken-" + randomHex(4)
	f.kfCallbackTokens[token] = true
	f.mu.Unlock()
	plain := fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[%s]]></Token><OpenKfId><![CDATA[%s]]></OpenKfId></xml>`,
		kfCorpID, f.now().Unix(), token, kfID)
	q, body := f.kfSigned(plain)
	status, _ := f.kfRaw(http.MethodPost, q, body)
	return status
}

// kfSigned encrypts plain for the CorpID and signs it like WeCom.
func (f *fakeWeChat) kfSigned(plain string) (url.Values, string) {
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), randomHex(8)
	enc := encrypt(testAESKey, kfCorpID, []byte(plain))
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "msg_signature": {sign(kfToken, ts, nonce, enc)}}
	return q, fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`, kfCorpID, enc)
}

// kfRaw makes one request to the 微信客服 callback.
func (f *fakeWeChat) kfRaw(method string, q url.Values, body string) (int, string) {
	f.t.Helper()
	return f.rawTo(f.kfTarget, method, q, body)
}

func (f *fakeWeChat) syncCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.syncs
}
