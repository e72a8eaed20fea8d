package wechat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/bottest"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/bot/langchain"
	"github.com/banban-gov/banban/bot/langchain/openaitest"
	"github.com/banban-gov/banban/channels/wechat"
	"github.com/banban-gov/banban/knowledge/bolt"
	"github.com/silenceper/wechat/v2/util"
)

func TestMain(m *testing.M) {
	desk.Iterations = 1000 // keep sign-in fast; production uses 600,000
	code := m.Run()
	bottest.Cleanup()
	os.Exit(code)
}

// testAESKey is a 43-character EncodingAESKey.
const testAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// monday10 is within business hours.
var monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// env is the WeChat channels over a real desk, bot and embedded store,
// talking to a fake WeChat, on a clock the test moves. None of these tests
// may run in parallel: the SDK's API address is process-wide.
type env struct {
	t     *testing.T
	desk  *desk.Desk
	store *bolt.Store
	ch    *wechat.Channel
	wx    *fakeWeChat
	srv   *httptest.Server
	ctx   context.Context
	logs  *syncBuffer

	mu  sync.Mutex
	now time.Time
}

// setup tunes an env before it starts.
type setup struct {
	cfg      wechat.Config
	botCfg   bot.Config
	plain    bool // plaintext mode instead of safe mode
	llmDelay time.Duration
}

type option func(*setup)

// slowLLM answers through a fake OpenAI-compatible model that takes delay;
// the bot gives up on it after timeout and sends the extracted answer.
func slowLLM(delay, timeout time.Duration) option {
	return func(s *setup) { s.llmDelay, s.botCfg.LLMTimeout = delay, timeout }
}

func withConfig(fn func(*wechat.Config)) option { return func(s *setup) { fn(&s.cfg) } }

func plaintext() option { return func(s *setup) { s.plain = true } }

func newEnv(t *testing.T, opts ...option) *env {
	t.Helper()
	e := &env{t: t, now: monday10, ctx: context.Background(), logs: &syncBuffer{}}
	e.wx = newFakeWeChat(t, e.clock)
	s := e.setup(opts)
	f := bottest.Sample(t)
	e.store = bottest.EmptyStore(t)
	b := f.Bot(s.botCfg)
	b.Now = e.clock // the bot stamps the messages it records
	e.desk = desk.New(e.store, b, f.Store, desk.Config{Calendar: &desk.Calendar{Open: 0,
		Close: 24 * 60, Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}})
	e.desk.Now = e.clock
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ch, err := wechat.New(e.desk, e.store, s.cfg, logger)
	if err != nil {
		t.Fatalf("wechat.New: %v", err)
	}
	e.ch = ch
	mux := http.NewServeMux()
	ch.Routes(mux)
	e.srv = httptest.NewServer(mux)
	e.wx.target = e.srv.URL + "/wechat/oa"
	e.wx.kfTarget = e.srv.URL + "/wechat/kf"
	ctx, cancel := context.WithCancel(context.Background())
	ch.Start(ctx)
	t.Cleanup(func() {
		cancel()
		e.srv.Close()
		ch.Close()
		util.SetURIModifier(nil)
	})
	return e
}

// setup is the configuration for the fake WeChat, with opts applied.
func (e *env) setup(opts []option) setup {
	s := setup{cfg: wechat.Config{
		OA: wechat.OfficialAccount{AppID: e.wx.appID, Secret: wechat.Secret(e.wx.secret),
			Token: wechat.Secret(e.wx.token), AESKey: testAESKey},
		MP:        wechat.MiniProgram{AppID: e.wx.mpApp, Secret: wechat.Secret(e.wx.mpKey), TemplateID: "TPL-reply"},
		KF:        wechat.CustomerService{CorpID: kfCorpID, Secret: kfSecret, Token: kfToken, AESKey: testAESKey},
		PublicURL: "https://banban.example.gov.cn", APIBase: e.wx.URL, Budget: 1500 * time.Millisecond,
	}}
	for _, o := range opts {
		o(&s)
	}
	if !s.plain {
		e.wx.aesKey = testAESKey
	} else {
		s.cfg.OA.AESKey = ""
	}
	if s.llmDelay > 0 {
		s.botCfg.LLM = fakeLLM(e.t, s.llmDelay)
	}
	return s
}

func fakeLLM(t *testing.T, delay time.Duration) bot.Generator {
	t.Helper()
	srv := openaitest.New(t, openaitest.Options{Delay: delay})
	chat, err := langchain.NewChat(langchain.ChatConfig{BaseURL: srv.URL, APIKey: openaitest.Key, Model: "fake"})
	if err != nil {
		t.Fatalf("NewChat: %v", err)
	}
	return chat
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// staff adds a staff member and marks them online.
func (e *env) staff(username string) banban.Staff {
	e.t.Helper()
	s, err := e.desk.AddStaff(e.ctx, username, "工作人员"+username, "correct horse", nil)
	if err != nil {
		e.t.Fatalf("AddStaff: %v", err)
	}
	e.desk.Touch(username)
	return s
}

func (e *env) conv(id string) banban.Conversation {
	e.t.Helper()
	c, err := e.desk.Conversation(e.ctx, id)
	if err != nil {
		e.t.Fatalf("Conversation(%s): %v", id, err)
	}
	return c
}

// noConversation fails unless nothing was stored for the user.
func (e *env) noConversation(openID string) {
	e.t.Helper()
	id := wechat.ConversationID(wechat.ChannelOA, e.wx.appID, openID)
	if _, err := e.desk.Conversation(e.ctx, id); banban.ErrorCode(err) != banban.ENOTFOUND {
		e.t.Errorf("conversation of %s: err = %v, want not found", openID, err)
	}
}

func oaID(e *env, openID string) string {
	return wechat.ConversationID(wechat.ChannelOA, e.wx.appID, openID)
}

// roles lists a conversation's message roles, to count turns.
func roles(c banban.Conversation) string {
	var rs []string
	for _, m := range c.Messages {
		rs = append(rs, string(m.Role))
	}
	return strings.Join(rs, ",")
}

// api calls the mini-program API and decodes the JSON answer.
func (e *env) api(method, path, token string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		e.t.Fatalf("%s %s: decode: %v", method, path, err)
	}
	return resp.StatusCode, v
}

// eventually retries check until it passes or within ends.
func eventually(t *testing.T, within time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
