package desk_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/bottest"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/bot/forms"
)

// formEnv is a desk with the form filler over the sample knowledge base.
func formEnv(t *testing.T, sealer desk.Sealer) *env {
	t.Helper()
	f := bottest.Sample(t)
	return newEnv(t, desk.Config{Forms: &forms.Filler{Docs: f.Store, Names: f.Store}, Sealer: sealer})
}

func TestFormFilledInTheDialogue(t *testing.T) {
	e := formEnv(t, nil)
	id := e.send("", "办社保卡需要什么材料？").Conversation.ID
	start := e.send(id, "我要申请")
	if a := start.Answer; a == nil || a.Action != banban.ActionAnswer || len(a.Citations) != 1 ||
		a.Citations[0].DocID != "sb-card-apply" || !contains(a.Text, "请提供姓名、身份证号、联系电话") {
		t.Fatalf("start answer = %+v, want the first question cited to sb-card-apply", a)
	}
	out := e.send(id, "我叫李明，身份证11010519491231002X，手机13800138000")
	if c := out.Conversation; c.Draft == nil || c.Draft.Values["id_number"] != "11010519491231002X" {
		t.Fatalf("draft after values = %+v", c.Draft)
	}
	c := out.Conversation
	if msg := c.Messages[len(c.Messages)-2]; msg.Role != banban.RoleCitizen || msg.Text != "我叫李明，身份证110***********002X，手机138****8000" {
		t.Errorf("stored citizen message = %q, want its numbers masked", msg.Text)
	}
	for _, text := range []string{"城乡居民", "工行", "网点自取", "跳过"} {
		out = e.send(id, text)
	}
	if !contains(out.Answer.Text, "110***********002X") || contains(out.Answer.Text, "13800138000") {
		t.Errorf("summary = %q, want masked numbers", out.Answer.Text)
	}
	done := e.send(id, "确认").Conversation
	if d := done.Draft; d.State != banban.DraftConfirmed || d.Values["bank"] != "工商银行" || d.ConfirmedAt.IsZero() {
		t.Fatalf("draft after 确认 = %+v, want confirmed", d)
	}
	stored, err := e.store.Conversation(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(stored)
	if stored.Draft.Values != nil || len(stored.Draft.Sealed) == 0 || bytes.Contains(raw, []byte("1101051949")) {
		t.Errorf("stored draft holds values in clear: %s", raw)
	}
	if got := e.conv(id).Draft.Values["id_number"]; got != "11010519491231002X" {
		t.Errorf("Desk.Conversation draft id_number = %q, want it opened", got)
	}
}

func TestFormLeavesOtherMessagesToTheBot(t *testing.T) {
	tests := []struct {
		name  string
		forms bool
		turns []string
		draft string // state of the draft after the turns, "" for none
	}{
		{"wish with nothing in focus", true, []string{"我要办"}, ""},
		{"no filler configured", false, []string{"办社保卡需要什么材料？", "帮我填表"}, ""},
		{"question while filling", true, []string{"办社保卡需要什么材料？", "帮我填表", "社保卡多久能拿到？"}, banban.DraftCollecting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, desk.Config{})
			if tt.forms {
				e = formEnv(t, nil)
			}
			var out desk.Outcome
			for _, text := range tt.turns {
				out = e.send(out.Conversation.ID, text)
			}
			c := out.Conversation
			if d := c.Draft; (d == nil) != (tt.draft == "") || d != nil && d.State != tt.draft {
				t.Fatalf("draft = %+v, want state %q", d, tt.draft)
			}
			if last := c.Messages[len(c.Messages)-1]; last.Role != banban.RoleBot || contains(last.Text, "请提供") {
				t.Errorf("last message %q, want the bot's own answer", last.Text)
			}
		})
	}
}

func TestPurgeDrafts(t *testing.T) {
	e := formEnv(t, nil)
	old := e.send("", "我要办护照，帮我填表").Conversation.ID
	e.now = e.now.Add(20 * 24 * time.Hour)
	recent := e.send("", "我要申请低保，帮我填表").Conversation.ID
	e.now = e.now.Add(15 * 24 * time.Hour)
	n, err := e.desk.PurgeDrafts(e.ctx, 30*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("PurgeDrafts = %d, %v; want 1", n, err)
	}
	if c := e.conv(old); c.Draft != nil || !c.Updated.Equal(monday10) {
		t.Errorf("old conversation: draft %+v, updated %v; want no draft and the old time kept", c.Draft, c.Updated)
	}
	if c := e.conv(recent); c.Draft == nil {
		t.Errorf("recent conversation lost its draft")
	}
}

func TestDraftSealedUnderAnotherKey(t *testing.T) {
	f := bottest.Sample(t)
	e := formEnv(t, forms.Sealer{Key: forms.NewKey()})
	id := e.send("", "我要办护照，帮我填表").Conversation.ID
	e.send(id, "我叫孙丽")
	sealed := e.conv(id).Draft.Sealed

	other := desk.New(e.store, f.Bot(bot.Config{}), f.Store, desk.Config{Forms: &forms.Filler{Docs: f.Store},
		Sealer: forms.Sealer{Key: forms.NewKey()}})
	other.Now = func() time.Time { return e.now }
	c, err := other.Conversation(e.ctx, id)
	if err != nil || c.Draft.Values != nil {
		t.Fatalf("other key: draft values %v, %v; want none", c.Draft.Values, err)
	}
	if _, err := other.Send(e.ctx, desk.Incoming{ConversationID: id, Text: "护照多久能办好？"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := e.conv(id).Draft; !bytes.Equal(got.Sealed, sealed) || got.Values["applicant_name"] != "孙丽" {
		t.Errorf("draft after a save under another key: values %v, want the sealed values kept", got.Values)
	}
}
