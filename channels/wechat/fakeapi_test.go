package wechat_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

// The fake WeChat's API side: what the SDK calls, and WeChat's signatures
// and safe-mode encryption.

func (f *fakeWeChat) serveToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	app, secret := q.Get("appid"), q.Get("secret")
	if !(app == f.appID && secret == f.secret) && !(app == f.mpApp && secret == f.mpKey) {
		writeAPI(w, map[string]any{"errcode": 40125, "errmsg": "invalid appsecret"})
		return
	}
	f.mu.Lock()
	f.tokenN++
	tok := fmt.Sprintf("ACCESS-%d-%s", f.tokenN, randomHex(4))
	f.tokens[tok] = app
	f.mu.Unlock()
	writeAPI(w, map[string]any{"access_token": tok, "expires_in": 7200})
}

// revokeTokens invalidates every access token, as fetching a new one
// elsewhere does.
func (f *fakeWeChat) revokeTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]string{}
}

func (f *fakeWeChat) tokenFetches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenN
}

func (f *fakeWeChat) validToken(r *http.Request, app string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[r.URL.Query().Get("access_token")] == app
}

func (f *fakeWeChat) serveCustom(w http.ResponseWriter, r *http.Request) {
	if !f.validToken(r, f.appID) {
		writeAPI(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
		return
	}
	var msg struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil || msg.MsgType != "text" {
		writeAPI(w, map[string]any{"errcode": 40008, "errmsg": "invalid message type"})
		return
	}
	writeAPI(w, f.admit(msg.ToUser, msg.Text.Content))
}

// admit applies WeChat's rules to a customer-service text and records it.
func (f *fakeWeChat) admit(openID, text string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	last, ok := f.lastIn[openID]
	switch {
	case len(text) > 2048:
		return map[string]any{"errcode": 45002, "errmsg": "content size out of limit"}
	case !ok || f.now().Sub(last) >= 48*time.Hour:
		return map[string]any{"errcode": 45015, "errmsg": "response out of time limit or subscription is canceled"}
	case f.quota[openID] <= 0:
		return map[string]any{"errcode": 45047, "errmsg": "out of response count limit"}
	}
	f.quota[openID]--
	f.got = append(f.got, received{openID: openID, text: text, via: "custom"})
	return map[string]any{"errcode": 0, "errmsg": "ok"}
}

func (f *fakeWeChat) serveSubscribe(w http.ResponseWriter, r *http.Request) {
	if !f.validToken(r, f.mpApp) {
		writeAPI(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
		return
	}
	var msg subscribeSent
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil || msg.ToUser == "" || msg.TemplateID == "" {
		writeAPI(w, map[string]any{"errcode": 47003, "errmsg": "argument invalid"})
		return
	}
	f.mu.Lock()
	f.subs = append(f.subs, msg)
	f.mu.Unlock()
	writeAPI(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": 1})
}

func (f *fakeWeChat) subscribes() []subscribeSent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]subscribeSent(nil), f.subs...)
}

// loginCode issues a wx.login code for a mini-program user.
func (f *fakeWeChat) loginCode(openID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	code := "code-" + randomHex(6)
	f.codes[code] = openID
	return code
}

func (f *fakeWeChat) serveCode2Session(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	openID, ok := f.codes[q.Get("js_code")]
	delete(f.codes, q.Get("js_code")) // a code works once
	f.mu.Unlock()
	if q.Get("appid") != f.mpApp || q.Get("secret") != f.mpKey || q.Get("grant_type") != "authorization_code" || !ok {
		writeAPI(w, map[string]any{"errcode": 40029, "errmsg": "invalid code"})
		return
	}
	writeAPI(w, map[string]any{"openid": openID, "session_key": sessionKey})
}

// sessionKey is the key code2session returns; it must never reach a client.
const sessionKey = "SESSION-KEY-must-stay-on-server"

func writeAPI(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// sign is WeChat's signature: SHA-1 of the sorted, concatenated parts.
func sign(parts ...string) string {
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// encrypt is WeChat's safe mode: AES-256-CBC, IV the key's first 16
// bytes, over random(16) | length(4, big-endian) | message | appid, padded
// PKCS#7 to 32 bytes, in base64.
func encrypt(aesKey, appID string, msg []byte) string {
	key, _ := base64.StdEncoding.DecodeString(aesKey + "=")
	var buf bytes.Buffer
	buf.WriteString(randomHex(8))
	_ = binary.Write(&buf, binary.BigEndian, uint32(len(msg)))
	buf.Write(msg)
	buf.WriteString(appID)
	pad := 32 - buf.Len()%32
	buf.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	block, _ := aes.NewCipher(key)
	out := make([]byte, buf.Len())
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(out, buf.Bytes())
	return base64.StdEncoding.EncodeToString(out)
}

func decrypt(t *testing.T, aesKey, appID, enc string) []byte {
	t.Helper()
	key, _ := base64.StdEncoding.DecodeString(aesKey + "=")
	data, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(data)%aes.BlockSize != 0 || len(data) < 32 {
		t.Fatalf("bad ciphertext: %v", err)
	}
	block, _ := aes.NewCipher(key)
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(data, data)
	data = data[:len(data)-int(data[len(data)-1])]
	n := binary.BigEndian.Uint32(data[16:20])
	if got := string(data[20+n:]); got != appID {
		t.Fatalf("reply encrypted for app %q, want %q", got, appID)
	}
	return data[20 : 20+n]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
