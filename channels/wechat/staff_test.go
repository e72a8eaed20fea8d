package wechat_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/wechat"
)

// withStaff has openID ask for a human and staff member zhang claim the
// conversation; it returns the staff member and the conversation id.
func (e *env) withStaff(openID string) (banban.Staff, string) {
	e.t.Helper()
	s := e.staff("zhang")
	if res := e.wx.send(openID, "转人工"); !strings.Contains(res.reply, "工单号") {
		e.t.Fatalf("handoff reply %q lacks the ticket", res.reply)
	}
	id := oaID(e, openID)
	if _, err := e.desk.Claim(e.ctx, s, id); err != nil {
		e.t.Fatalf("Claim: %v", err)
	}
	return s, id
}

func (e *env) reply(s banban.Staff, id, text string) {
	e.t.Helper()
	if _, err := e.desk.Reply(e.ctx, s, id, text); err != nil {
		e.t.Fatalf("Reply: %v", err)
	}
}

func (e *env) window(id string) wechat.Window {
	e.t.Helper()
	w, ok := e.ch.Window(e.conv(id))
	if !ok {
		e.t.Fatalf("no window for %s", id)
	}
	return w
}

func TestStaffReplyReachesWeChatUser(t *testing.T) {
	e := newEnv(t)
	s, id := e.withStaff("o-bob")
	e.reply(s, id, "您好，我是帮办工作人员，请问您想办理哪项业务？")
	got := e.wx.waitReceived(3, 3*time.Second) // handoff reply, claim notice, staff reply
	if !strings.Contains(got[1].text, "已接入") || got[1].via != "custom" {
		t.Errorf("claim notice %+v, want it as a customer-service message", got[1])
	}
	want := "【人工帮办 工作人员zhang】\n您好，我是帮办工作人员"
	if !strings.HasPrefix(got[2].text, want) || got[2].via != "custom" || got[2].openID != "o-bob" {
		t.Errorf("staff reply %+v, want %q by customer-service message to o-bob", got[2], want)
	}
	if w := e.window(id); !w.Open || w.Remaining != 3 || w.Pending != 0 || !w.ClosesAt.Equal(monday10.Add(48*time.Hour)) {
		t.Errorf("window %+v, want open with 3 left until %v", w, monday10.Add(48*time.Hour))
	}
	queue, err := e.desk.Queue(e.ctx, s)
	if err != nil || len(queue) != 1 || queue[0].Conversation.Channel != wechat.ChannelOA {
		t.Errorf("staff queue %+v (%v), want the WeChat conversation with its channel", queue, err)
	}
}

func TestStaffReplyWaitsForTheCitizenWhenTheWindowIsClosed(t *testing.T) {
	tests := []struct {
		name string
		opts []option
	}{
		{"our clock says closed", nil},
		// We think the window is open; WeChat refuses (45015).
		{"WeChat says closed", []option{withConfig(func(c *wechat.Config) { c.Window = 72 * time.Hour })}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts...)
			s, id := e.withStaff("o-carol")
			e.wx.waitReceived(2, 3*time.Second)
			e.advance(49 * time.Hour)
			e.reply(s, id, "材料已核对，请于下周一上午到窗口领取。")
			time.Sleep(300 * time.Millisecond)
			if got := e.wx.received(); len(got) != 2 {
				t.Fatalf("users received %d texts, want the reply held: %+v", len(got), got)
			}
			if w := e.window(id); w.Open || w.Pending != 1 {
				t.Errorf("window %+v, want closed with 1 pending", w)
			}
			res := e.wx.send("o-carol", "你好，还在吗")
			if !strings.Contains(res.reply, "材料已核对") || !strings.Contains(res.reply, "【人工帮办") {
				t.Errorf("next passive reply %q lacks the held staff reply", res.reply)
			}
			if w := e.window(id); !w.Open || w.Pending != 0 {
				t.Errorf("window %+v after the citizen wrote, want open with none pending", w)
			}
		})
	}
}

func TestQuotaHoldsTheRestForTheNextMessage(t *testing.T) {
	e := newEnv(t)
	s, id := e.withStaff("o-dave")
	for i := 1; i <= 5; i++ {
		e.reply(s, id, fmt.Sprintf("第%d条回复", i))
	}
	// The claim notice and four replies use the quota of five.
	eventually(t, 3*time.Second, func() error {
		if w := e.window(id); w.Pending != 1 || w.Open {
			return fmt.Errorf("window %+v, want closed by quota with 1 pending", w)
		}
		return nil
	})
	if got := e.wx.received(); len(got) != 6 || !strings.Contains(got[5].text, "第4条回复") {
		t.Fatalf("users received %d texts, want handoff, claim and four replies: %+v", len(got), got)
	}
	if res := e.wx.send("o-dave", "好的"); !strings.Contains(res.reply, "第5条回复") {
		t.Errorf("next passive reply %q lacks the fifth reply", res.reply)
	}
}

func TestRevokedAccessTokenIsRenewed(t *testing.T) {
	e := newEnv(t)
	s, id := e.withStaff("o-erin")
	e.wx.waitReceived(2, 3*time.Second)
	e.wx.revokeTokens()
	e.reply(s, id, "请稍等，我帮您查询。")
	got := e.wx.waitReceived(3, 3*time.Second)
	if !strings.Contains(got[2].text, "请稍等") {
		t.Errorf("reply after the token was revoked: %+v", got[2])
	}
	if n := e.wx.tokenFetches(); n != 2 {
		t.Errorf("%d access tokens fetched, want 2 (one cached, one renewed)", n)
	}
}

func TestResolveNoticeReachesWeChatUser(t *testing.T) {
	e := newEnv(t)
	s, id := e.withStaff("o-frank")
	if _, err := e.desk.Resolve(e.ctx, s, id); err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	got := e.wx.waitReceived(3, 3*time.Second)
	if !strings.Contains(got[2].text, "欢迎对本次服务作出评价") {
		t.Errorf("resolve notice %+v", got[2])
	}
}

func TestLeaveAMessageWhenNobodyCanAnswer(t *testing.T) {
	e := newEnv(t) // no staff online
	res := e.wx.send("o-gina", "转人工")
	if !strings.Contains(res.reply, "没有工作人员在线") || !strings.Contains(res.reply, "请发送“留言”") {
		t.Fatalf("reply %q, want the desk's notice and how to leave a message", res.reply)
	}
	res = e.wx.send("o-gina", "留言：想咨询公积金提取，电话13812345678")
	if !strings.Contains(res.reply, "您的留言已收到") {
		t.Fatalf("reply %q, want the message confirmed with its ticket", res.reply)
	}
	c := e.conv(oaID(e, "o-gina"))
	if c.Handoff == nil || c.Handoff.Reason != banban.ReasonMessage || !strings.HasPrefix(c.Handoff.Message, "想咨询公积金提取") {
		t.Errorf("handoff %+v, want the left message", c.Handoff)
	}
	if _, ok := e.ch.Window(banban.Conversation{ID: "web-123", Channel: "web"}); ok {
		t.Error("a web conversation has a WeChat window")
	}
}
