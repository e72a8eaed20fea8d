package desk_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/bottest"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/knowledge/bolt"
)

func TestMain(m *testing.M) {
	desk.Iterations = 1000 // keep sign-in tests fast; production uses 600,000
	code := m.Run()
	bottest.Cleanup()
	os.Exit(code)
}

var cst = time.FixedZone("CST", 8*3600)

// monday10 is within business hours.
var monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, cst)

// env is a desk over the sample knowledge base and a fresh embedded store,
// on a clock the test moves.
type env struct {
	t     *testing.T
	desk  *desk.Desk
	store *bolt.Store
	now   time.Time
	ctx   context.Context
}

func newEnv(t *testing.T, cfg desk.Config) *env {
	t.Helper()
	f := bottest.Sample(t)
	e := &env{t: t, store: bottest.EmptyStore(t), now: monday10, ctx: context.Background()}
	e.desk = desk.New(e.store, f.Bot(bot.Config{}), f.Store, cfg)
	e.desk.Now = func() time.Time { return e.now }
	return e
}

// staff adds a signed-up staff member in the given teams and marks them online.
func (e *env) staff(username string, teams ...string) banban.Staff {
	e.t.Helper()
	s, err := e.desk.AddStaff(e.ctx, username, "工作人员"+username, "correct horse", teams)
	if err != nil {
		e.t.Fatalf("AddStaff(%s): %v", username, err)
	}
	e.desk.Touch(username)
	return s
}

// send sends a citizen message and fails the test on error.
func (e *env) send(conv, text string) desk.Outcome {
	e.t.Helper()
	out, err := e.desk.Send(e.ctx, desk.Incoming{ConversationID: conv, Channel: "web", Text: text}, nil)
	if err != nil {
		e.t.Fatalf("Send(%q): %v", text, err)
	}
	return out
}

func (e *env) conv(id string) banban.Conversation {
	e.t.Helper()
	c, err := e.desk.Conversation(e.ctx, id)
	if err != nil {
		e.t.Fatalf("Conversation(%s): %v", id, err)
	}
	return c
}

func (e *env) outbox() []banban.OutboxItem {
	e.t.Helper()
	items, err := e.store.DueOutbox(e.ctx, e.now.Add(time.Hour), 100)
	if err != nil {
		e.t.Fatalf("DueOutbox: %v", err)
	}
	return items
}

func lastText(c banban.Conversation) string {
	if len(c.Messages) == 0 {
		return ""
	}
	return c.Messages[len(c.Messages)-1].Text
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if banban.ErrorCode(err) != code {
		t.Fatalf("error = %v (code %q), want code %s", err, banban.ErrorCode(err), code)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
