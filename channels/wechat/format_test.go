package wechat

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

func TestSplit(t *testing.T) {
	long := strings.Repeat("办理结婚登记需要双方本人到场。", 20) // one line of 900 bytes
	tests := []struct {
		name      string
		text      string
		max, most int
		wantParts int
		wantCut   bool
	}{
		{"empty", "  ", 100, 5, 0, false},
		{"fits", "你好", 100, 5, 1, false},
		{"exactly the limit", strings.Repeat("好", 10), 30, 5, 1, false},
		{"split at line ends", strings.Repeat("第一行内容\n", 10), 40, 5, 5, false},
		{"one long line cut between characters", long, 100, 20, 10, false},
		{"past the part limit", long, 100, 3, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := split(tt.text, tt.max, tt.most)
			if len(parts) != tt.wantParts {
				t.Fatalf("%d parts, want %d: %q", len(parts), tt.wantParts, parts)
			}
			for i, p := range parts {
				if len(p) > tt.max || !utf8.ValidString(p) || p == "" {
					t.Errorf("part %d: %d bytes, valid %v, want 1 to %d bytes of UTF-8", i, len(p), utf8.ValidString(p), tt.max)
				}
			}
			cut := len(parts) > 0 && strings.HasSuffix(parts[len(parts)-1], msgCut)
			if cut != tt.wantCut {
				t.Errorf("cut notice %v, want %v", cut, tt.wantCut)
			}
			if !tt.wantCut && strings.Join(parts, "") != strings.NewReplacer("\n", "", " ", "").Replace(tt.text) &&
				strings.Join(parts, "\n") != strings.TrimSpace(tt.text) {
				t.Errorf("parts %q lose text of %q", parts, tt.text)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	cits := []banban.Citation{
		{DocID: "hy-marriage", Title: "结婚登记", Section: "申请材料", URL: "https://zwfw.example.gov.cn/hy"},
		{DocID: "hy-marriage", Title: "结婚登记", Section: "申请材料"},
		{DocID: "no-url", Title: "无链接"},
	}
	tests := []struct {
		name, public string
		want         []string
		notWant      string
	}{
		{"Banban's pages", "https://banban.example.gov.cn",
			[]string{"相关链接：", "1. 《结婚登记》申请材料\nhttps://banban.example.gov.cn/docs/hy-marriage#", "2. 《无链接》"}, "zwfw"},
		{"official pages only", "", []string{"1. 《结婚登记》申请材料\nhttps://zwfw.example.gov.cn/hy"}, "无链接"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Channel{cfg: Config{PublicURL: tt.public}}
			got := c.links(cits)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("links lack %q:\n%s", w, got)
				}
			}
			if strings.Contains(got, tt.notWant) {
				t.Errorf("links hold %q:\n%s", tt.notWant, got)
			}
		})
	}
}

func TestGuessDeliveredAfterRestart(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	conv := banban.Conversation{}
	conv.Append(
		banban.Message{Role: banban.RoleCitizen, At: at},
		banban.Message{Role: banban.RoleBot, At: at},
		banban.Message{Role: banban.RoleStaff, At: at.Add(time.Hour)},      // within the window: sent
		banban.Message{Role: banban.RoleStaff, At: at.Add(50 * time.Hour)}, // after it: held
		banban.Message{Role: banban.RoleCitizen, At: at.Add(60 * time.Hour)},
	)
	tests := []struct {
		name   string
		before int
		want   int
	}{
		{"at the citizen's return", 5, 3},
		{"everything", 6, 5},
		{"first message", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := guessDelivered(conv, tt.before, 48*time.Hour); got != tt.want {
				t.Errorf("guessDelivered(before %d) = %d, want %d", tt.before, got, tt.want)
			}
		})
	}
}

func TestAbandonedAttemptWithoutRetryGoesAsCustomerService(t *testing.T) {
	sent := make(chan []string, 1)
	p := &pending{done: make(chan struct{}), grace: 50 * time.Millisecond, late: func(parts []string) { sent <- parts }}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // WeChat hung up
	if reply, later := p.claim(ctx, time.Now().Add(time.Second)); reply != "" || later != nil {
		t.Fatalf("claim after hang-up = %q, %q; want nothing", reply, later)
	}
	p.finish([]string{"答复"})
	select {
	case got := <-sent:
		if len(got) != 1 || got[0] != "答复" {
			t.Errorf("sent %q, want the answer", got)
		}
	case <-time.After(time.Second):
		t.Fatal("the answer was never sent")
	}
}
