package desk_test

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

func TestHandoffRoundTrip(t *testing.T) {
	e := newEnv(t, desk.Config{})
	zhang := e.staff("zhang")
	out := e.send("", "开个体户要准备哪些材料？")
	if out.Answer == nil || out.Answer.Action != banban.ActionAnswer || len(out.Answer.Citations) == 0 {
		t.Fatalf("first answer = %+v, want a cited answer", out.Answer)
	}
	id := out.Conversation.ID
	hand := e.send(id, "转人工")
	c := hand.Conversation
	if c.State != banban.StateWaiting || hand.Position != 1 || c.Handoff == nil {
		t.Fatalf("after 转人工: state %s position %d handoff %+v, want waiting at 1", c.State, hand.Position, c.Handoff)
	}
	if !regexp.MustCompile(`^BB261123-0001$`).MatchString(c.Handoff.Ticket) {
		t.Errorf("ticket = %q, want BB261123-0001", c.Handoff.Ticket)
	}
	if c.Handoff.Reason != banban.ReasonRequested || len(c.Handoff.Sources) == 0 || !contains(c.Handoff.Summary, "个体户") {
		t.Errorf("handoff = %+v, want reason requested, the bot's sources and a summary", c.Handoff)
	}
	silent := e.send(id, "请快一点")
	if silent.Answer != nil || silent.Position != 1 {
		t.Errorf("message while waiting: answer %+v position %d, want the bot silent and position 1", silent.Answer, silent.Position)
	}
	if _, err := e.desk.Claim(e.ctx, zhang, id); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if _, err := e.desk.Reply(e.ctx, zhang, id, "您好，请问您的经营场所是租的吗？"); err != nil {
		t.Fatalf("Reply: %v", err)
	}
	if out := e.send(id, "是租的"); out.Answer != nil {
		t.Errorf("message with staff got a bot answer %q", out.Answer.Text)
	}
	if _, err := e.desk.Resolve(e.ctx, zhang, id); err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	again := e.send(id, "注册公司多久能办好？")
	if again.Answer == nil || again.Conversation.State != banban.StateBot {
		t.Fatalf("after resolve: answer %+v state %s, want the bot back", again.Answer, again.Conversation.State)
	}
	wantEvents(t, again.Conversation, []string{"bot>waiting bot requested", "waiting>with_staff staff:zhang claim",
		"with_staff>resolved staff:zhang resolve", "resolved>bot citizen new_message"})
}

// wantEvents compares the conversation's events as "from>to actor reason".
func wantEvents(t *testing.T, c banban.Conversation, want []string) {
	t.Helper()
	var got []string
	for _, ev := range c.Events {
		got = append(got, string(ev.From)+">"+string(ev.To)+" "+ev.Actor+" "+ev.Reason)
	}
	if len(got) != len(want) {
		t.Fatalf("events = %q, want %q", got, want)
	}
	for i := range want {
		if ok, _ := regexp.MatchString("^"+want[i]+"$", got[i]); !ok {
			t.Errorf("event %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestQueuePositionsAndOutbox(t *testing.T) {
	e := newEnv(t, desk.Config{})
	e.staff("li")
	var ids []string
	for i := range 3 {
		out := e.send("", "我要转人工")
		if out.Position != i+1 {
			t.Errorf("conversation %d position = %d, want %d", i, out.Position, i+1)
		}
		ids = append(ids, out.Conversation.ID)
		e.now = e.now.Add(time.Minute)
		e.desk.Touch("li") // the console reports every 20 s
	}
	if _, err := e.desk.CancelWait(e.ctx, ids[0]); err != nil {
		t.Fatalf("CancelWait: %v", err)
	}
	if pos, _ := e.desk.Position(e.ctx, e.conv(ids[2])); pos != 2 {
		t.Errorf("after one cancel, last position = %d, want 2", pos)
	}
	items := e.outbox()
	kinds := map[string]int{}
	for _, it := range items {
		kinds[it.Kind]++
		var p desk.TicketPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil || p.ID != it.ID || p.Ticket == "" {
			t.Errorf("payload %s: %v / %+v, want its id and a ticket", it.Kind, err, p)
		}
	}
	if kinds[desk.EventTicketCreated] != 3 || kinds[desk.EventTicketClosed] != 1 {
		t.Errorf("outbox kinds = %v, want 3 created and 1 closed", kinds)
	}
}

func TestPrivateNotesStayOutOfTickets(t *testing.T) {
	e := newEnv(t, desk.Config{})
	wang := e.staff("wang")
	id := e.send("", "人工客服").Conversation.ID
	e.desk.Claim(e.ctx, wang, id)
	if _, err := e.desk.Note(e.ctx, wang, id, "内部：此人已来电三次"); err != nil {
		t.Fatalf("Note: %v", err)
	}
	if _, err := e.desk.HandBack(e.ctx, wang, id); err != nil {
		t.Fatalf("HandBack: %v", err)
	}
	for _, it := range e.outbox() {
		if contains(string(it.Payload), "来电三次") {
			t.Errorf("%s payload carries a private note", it.Kind)
		}
	}
	c := e.conv(id)
	if c.State != banban.StateBot || c.Handoff.Status != banban.TicketClosed {
		t.Errorf("after handback: state %s ticket %s, want bot and closed", c.State, c.Handoff.Status)
	}
}
