package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/channels/wechat"
)

// pageView is what deploy/miniprogram/test/run.js prints: the chat page's
// data after a scenario.
type pageView struct {
	Seen struct {
		Options []string `json:"options"`
	} `json:"seen"`
	Messages []struct {
		Role    string `json:"role"`
		Text    string `json:"text"`
		Author  string `json:"author"`
		Sources []struct {
			Title string `json:"title"`
		} `json:"sources"`
	} `json:"messages"`
	State  string `json:"state"`
	Ticket string `json:"ticket"`
	Error  string `json:"error"`
}

// TestMiniProgramPage runs the sample mini-program's chat page (its own
// JavaScript, in Node, with wx.request over real HTTP) against `banban
// serve` with the mini-program API on: a question with its sources, a
// question answered back with quick replies and one of them tapped, 转人工,
// then a staff reply that the page's next refresh shows.
func TestMiniProgramPage(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is needed for the mini-program page test")
		}
		t.Skip("node not installed")
	}
	wx := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		code := r.URL.Query().Get("js_code")
		if r.URL.Path != "/sns/jscode2session" || !strings.HasPrefix(code, "code-") {
			_ = json.NewEncoder(w).Encode(map[string]any{"errcode": 40029, "errmsg": "invalid code"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"openid": strings.TrimPrefix(code, "code-"), "session_key": "k"})
	}))
	defer wx.Close()
	cfg := testConfig(t, "bolt")
	openAllHours(&cfg)
	cfg.WeChat = wechat.Config{MP: wechat.MiniProgram{AppID: "wx-mp-page", Secret: "mp-secret"}, APIBase: wx.URL}
	desk.Iterations = 1000
	srv := launch(t, cfg)
	ctx := context.Background()
	s, err := srv.App.Desk.AddStaff(ctx, "zhang", "张三", "password123", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.App.Desk.Touch("zhang")

	v := runPage(t, node, srv.URL, "chat")
	if v.Error != "" || len(v.Messages) < 6 {
		t.Fatalf("page after the chat: error %q, %d messages", v.Error, len(v.Messages))
	}
	if m := v.Messages[1]; m.Role != "bot" || !strings.Contains(m.Text, "身份证") || len(m.Sources) == 0 || m.Sources[0].Title != "结婚登记" {
		t.Errorf("first answer %+v, want the marriage guide with its source", m)
	}
	if len(v.Seen.Options) < 2 {
		t.Errorf("营业执照怎么办 offered %v, want quick replies", v.Seen.Options)
	}
	if v.State != "waiting" || v.Ticket == "" {
		t.Errorf("after 转人工: state %q ticket %q, want waiting with a ticket", v.State, v.Ticket)
	}

	id := wechat.ConversationID(wechat.ChannelMP, "wx-mp-page", "o-page-user")
	if _, err := srv.App.Desk.Claim(ctx, s, id); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if _, err := srv.App.Desk.Reply(ctx, s, id, "您好，我是帮办工作人员，请讲。"); err != nil {
		t.Fatalf("Reply: %v", err)
	}
	v = runPage(t, node, srv.URL, "poll")
	last := v.Messages[len(v.Messages)-1]
	if v.State != "with_staff" || last.Role != "staff" || last.Author != "张三" || !strings.Contains(last.Text, "请讲") {
		t.Errorf("page after the staff reply: state %q, last message %+v", v.State, last)
	}
}

func runPage(t *testing.T, node, base, scenario string) pageView {
	t.Helper()
	out, err := exec.Command(node, "../../deploy/miniprogram/test/run.js", base, "o-page-user", scenario).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("node %s: %v\n%s", scenario, err, ee.Stderr)
		}
		t.Fatalf("node %s: %v", scenario, err)
	}
	var v pageView
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("page output: %v\n%s", err, out)
	}
	return v
}
