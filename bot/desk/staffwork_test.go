package desk_test

import (
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

func TestStaffPermissions(t *testing.T) {
	e := newEnv(t, desk.Config{})
	e.desk.PutTeam(e.ctx, banban.Team{ID: "a", Name: "甲组", General: true})
	e.desk.PutTeam(e.ctx, banban.Team{ID: "b", Name: "乙组"})
	zhang, li, wu := e.staff("zhang", "a"), e.staff("li", "a"), e.staff("wu", "b")
	id := e.send("", "转人工").Conversation.ID
	if _, err := e.desk.Claim(e.ctx, wu, id); banban.ErrorCode(err) != banban.ECONFLICT {
		t.Errorf("claim by another team: %v, want ECONFLICT", err)
	}
	if _, err := e.desk.Reply(e.ctx, zhang, id, "您好"); banban.ErrorCode(err) != banban.ECONFLICT {
		t.Errorf("reply before claim: %v, want ECONFLICT", err)
	}
	if _, err := e.desk.Claim(e.ctx, zhang, id); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if _, err := e.desk.Claim(e.ctx, li, id); banban.ErrorCode(err) != banban.ECONFLICT {
		t.Errorf("second claim: %v, want ECONFLICT", err)
	}
	if _, err := e.desk.Reply(e.ctx, li, id, "您好"); banban.ErrorCode(err) != banban.ECONFLICT {
		t.Errorf("reply by a colleague who has not got it: %v, want ECONFLICT", err)
	}
	c, err := e.desk.Transfer(e.ctx, zhang, id, "b", "")
	if err != nil || c.State != banban.StateWaiting || c.Team != "b" || c.Assignee != "" {
		t.Fatalf("transfer to team b: %v state %s team %s assignee %q", err, c.State, c.Team, c.Assignee)
	}
	if _, err := e.desk.Claim(e.ctx, wu, id); err != nil {
		t.Fatalf("claim by team b: %v", err)
	}
	c, err = e.desk.Transfer(e.ctx, wu, id, "", "li")
	if err != nil || c.State != banban.StateWithStaff || c.Assignee != "li" {
		t.Fatalf("transfer to li: %v state %s assignee %q", err, c.State, c.Assignee)
	}
	if _, err := e.desk.Transfer(e.ctx, li, id, "", "nobody"); banban.ErrorCode(err) != banban.ENOTFOUND {
		t.Errorf("transfer to an unknown colleague: %v, want ENOTFOUND", err)
	}
	if err := e.desk.SetStaffDisabled(e.ctx, "zhang", true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Transfer(e.ctx, li, id, "", "zhang"); banban.ErrorCode(err) != banban.ENOTFOUND {
		t.Errorf("transfer to a disabled colleague: %v, want ENOTFOUND", err)
	}
}

func TestMessageLimitsAndRating(t *testing.T) {
	e := newEnv(t, desk.Config{MaxMessageRunes: 50})
	_, err := e.desk.Send(e.ctx, desk.Incoming{Channel: "web", Text: string(make([]rune, 51))}, nil)
	wantCode(t, err, banban.ETOOLARGE)
	_, err = e.desk.Send(e.ctx, desk.Incoming{Channel: "web", Text: "   "}, nil)
	wantCode(t, err, banban.EINVALID)
	_, err = e.desk.Send(e.ctx, desk.Incoming{ConversationID: "../../etc", Channel: "web", Text: "你好"}, nil)
	wantCode(t, err, banban.EINVALID)
	id := e.send("", "你好").Conversation.ID
	for _, score := range []int{0, 6} {
		_, err := e.desk.Rate(e.ctx, id, score, "")
		wantCode(t, err, banban.EINVALID)
	}
	c, err := e.desk.Rate(e.ctx, id, 5, "很方便")
	if err != nil || c.Rating == nil || c.Rating.Score != 5 || c.Rating.Comment != "很方便" {
		t.Fatalf("Rate: %v %+v", err, c.Rating)
	}
	if got := e.conv(id).Rating; got == nil || got.Score != 5 {
		t.Errorf("stored rating = %+v, want 5", got)
	}
}

func TestSubscribersHearChanges(t *testing.T) {
	e := newEnv(t, desk.Config{})
	e.staff("he")
	all, stopAll := e.desk.Subscribe("")
	defer stopAll()
	out := e.send("", "你好")
	one, stop := e.desk.Subscribe(out.Conversation.ID)
	defer stop()
	e.send(out.Conversation.ID, "转人工")
	for name, ch := range map[string]<-chan desk.Update{"all": all, "one": one} {
		var last desk.Update
		for len(ch) > 0 {
			last = <-ch
		}
		if last.ConversationID != out.Conversation.ID || last.State != banban.StateWaiting {
			t.Errorf("%s subscriber's last update = %+v, want the conversation waiting", name, last)
		}
	}
}

func TestTicketStatusFromOutside(t *testing.T) {
	e := newEnv(t, desk.Config{})
	e.staff("feng")
	c := e.send("", "转人工").Conversation
	got, err := e.desk.UpdateTicket(e.ctx, c.Handoff.Ticket, "processing", "已派至区市场监管局")
	if err != nil || got.Handoff.Status != "processing" || !got.Messages[len(got.Messages)-1].Private {
		t.Fatalf("UpdateTicket: %v %+v", err, got.Handoff)
	}
	_, err = e.desk.UpdateTicket(e.ctx, "BB000000-9999", "closed", "")
	wantCode(t, err, banban.ENOTFOUND)
	_, err = e.desk.UpdateTicket(e.ctx, c.Handoff.Ticket, " ", "")
	wantCode(t, err, banban.EINVALID)
}

// TestMessageRefsAnswerOnce sends the same channel message twice, also
// while a human has the conversation: it is recorded and answered once.
func TestMessageRefsAnswerOnce(t *testing.T) {
	e := newEnv(t, desk.Config{})
	in := desk.Incoming{ConversationID: "wxkf-ref-test", Channel: "wecom-kf", Citizen: "kf/u1", Text: "结婚登记要带什么材料", Ref: "msg-1"}
	first, err := e.desk.Send(e.ctx, in, nil)
	if err != nil || first.Duplicate || first.Answer == nil {
		t.Fatalf("first send: %v %+v", err, first)
	}
	again, err := e.desk.Send(e.ctx, in, nil)
	if err != nil || !again.Duplicate || again.Answer != nil {
		t.Fatalf("second send: %v, duplicate %v", err, again.Duplicate)
	}
	c := e.conv(in.ConversationID)
	if len(c.Messages) != 2 || c.Messages[0].Ref != "msg-1" {
		t.Fatalf("messages = %+v, want one question (ref msg-1) and one answer", c.Messages)
	}
	next := in
	next.Text, next.Ref = "那要收费吗", "msg-2"
	if out, err := e.desk.Send(e.ctx, next, nil); err != nil || out.Duplicate {
		t.Fatalf("a new ref: %v, duplicate %v", err, out.Duplicate)
	}
	if n := len(e.conv(in.ConversationID).Messages); n != 4 {
		t.Errorf("%d messages after a new message, want 4", n)
	}
}
