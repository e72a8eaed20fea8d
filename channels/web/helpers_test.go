package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/bottest"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/bot/forms"
	"github.com/banban-gov/banban/channels/web"
	"github.com/banban-gov/banban/knowledge/bolt"
)

// kb is the sample knowledge base in a real embedded store with real jieba
// (bot/bottest, built once for the package's tests), and the bot over it.
type kb struct {
	store *bolt.Store
	bot   *bot.Bot
}

func TestMain(m *testing.M) {
	desk.Iterations = 1000 // PBKDF2 at full strength would dominate the tests
	code := m.Run()
	bottest.Cleanup()
	os.Exit(code)
}

func sampleKB(t testing.TB) *kb {
	t.Helper()
	f := bottest.Sample(t)
	return &kb{store: f.Store, bot: f.Bot(bot.Config{})}
}

// setup is what a test may change about the server it gets.
type setup struct {
	cfg      web.Config
	calendar *desk.Calendar
}

// option changes the setup.
type option func(*setup)

// withConfig replaces the server config.
func withConfig(cfg web.Config) option { return func(s *setup) { s.cfg = cfg } }

// closed makes the desk's business hours never open.
func closed() option {
	return func(s *setup) { s.calendar = &desk.Calendar{Open: 9 * 60, Close: 17 * 60} }
}

// alwaysOpen is a calendar open at every hour of every day, so tests do
// not depend on when they run.
func alwaysOpen() *desk.Calendar {
	return &desk.Calendar{Open: 0, Close: 24 * 60, Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
}

// Test accounts: alice works the civil-affairs team (where marriage
// questions route), bob the general team; carol is disabled.
const password = "correct-horse-1"

// harness is one running server over a real desk over a fresh embedded
// desk store, with the shared knowledge base and bot.
type harness struct {
	t     *testing.T
	kb    *kb
	setup setup
	path  string // the desk store file, reopened by restart
	store *bolt.Store
	desk  *desk.Desk
	srv   *web.Server
	http  *httptest.Server
}

// newHarness starts a server. By default the rate limits are off (the
// limit tests turn them on), heartbeats come every 100 ms and staff are
// always within business hours.
func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	su := setup{calendar: alwaysOpen(), cfg: web.Config{RatePerIP: web.Rate{PerSecond: -1},
		RatePerConversation: web.Rate{PerSecond: -1}, Heartbeat: 100 * time.Millisecond, TicketSecret: ticketSecret}}
	for _, o := range opts {
		o(&su)
	}
	h := &harness{t: t, kb: sampleKB(t), setup: su, path: filepath.Join(t.TempDir(), "desk.db")}
	h.open()
	h.seed()
	t.Cleanup(h.shutdown)
	return h
}

// open opens the desk store and starts a desk and server over it.
func (h *harness) open() {
	h.t.Helper()
	st, err := bolt.Open(h.path, bolt.Options{})
	if err != nil {
		h.t.Fatalf("open desk store: %v", err)
	}
	h.store = st
	h.desk = desk.New(st, h.kb.bot, h.kb.store, desk.Config{Calendar: h.setup.calendar,
		Forms: &forms.Filler{Docs: h.kb.store, Names: h.kb.store}})
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	h.srv = web.New(h.desk, h.kb.store, h.setup.cfg, logger)
	h.http = httptest.NewServer(h.srv.Handler())
}

// shutdown stops the server and closes the desk store.
func (h *harness) shutdown() {
	if h.srv == nil {
		return
	}
	h.srv.Close()
	h.http.Close()
	if err := h.store.Close(); err != nil {
		h.t.Errorf("close desk store: %v", err)
	}
	h.srv = nil
}

// restart closes everything and opens the same store file again, as a
// process restart would.
func (h *harness) restart() {
	h.t.Helper()
	h.shutdown()
	h.open()
}

func (h *harness) seed() {
	h.t.Helper()
	ctx := context.Background()
	teams := []banban.Team{
		{ID: "general", Name: "综合服务组", General: true},
		{ID: "civil", Name: "民政业务组", Departments: []string{"示例市民政局"}},
	}
	for _, tm := range teams {
		if err := h.desk.PutTeam(ctx, tm); err != nil {
			h.t.Fatalf("PutTeam: %v", err)
		}
	}
	accounts := []struct{ user, name, team string }{
		{"alice", "李敏", "civil"}, {"bob", "王强", "general"}, {"carol", "张丽", "general"},
	}
	for _, a := range accounts {
		if _, err := h.desk.AddStaff(ctx, a.user, a.name, password, []string{a.team}); err != nil {
			h.t.Fatalf("AddStaff(%s): %v", a.user, err)
		}
	}
	if err := h.desk.SetStaffDisabled(ctx, "carol", true); err != nil {
		h.t.Fatalf("disable carol: %v", err)
	}
}
