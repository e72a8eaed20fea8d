package wechat_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban/channels/wechat"
)

func TestOneAnswerPerMessageDespiteRetries(t *testing.T) {
	tests := []struct {
		name         string
		opts         []option
		attemptWait  time.Duration // how long WeChat waits per attempt
		lose         int           // replies lost on the way back
		event        bool
		wantAttempts int
		wantVia      string
	}{
		{name: "fast answer, two replies lost", lose: 2, wantAttempts: 3, wantVia: "passive"},
		{name: "slow answer, WeChat hangs up and the retry waits for it",
			opts:        []option{slowLLM(time.Minute, time.Second), withConfig(func(c *wechat.Config) { c.Budget = 3 * time.Second })},
			attemptWait: 600 * time.Millisecond, wantAttempts: 2, wantVia: "passive"},
		{name: "answer past the budget, two acknowledgements lost",
			opts: []option{slowLLM(time.Minute, 1500*time.Millisecond), withConfig(func(c *wechat.Config) { c.Budget = 400 * time.Millisecond })},
			lose: 2, wantAttempts: 3, wantVia: "custom"},
		{name: "welcome event, reply lost", event: true, lose: 1, wantAttempts: 2, wantVia: "passive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts...)
			e.wx.Lose = tt.lose
			if tt.attemptWait > 0 {
				e.wx.AttemptTimeout = tt.attemptWait
			}
			var res result
			if tt.event {
				res = e.wx.post("o-retry", `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>`)
			} else {
				res = e.wx.send("o-retry", question)
			}
			if res.status != http.StatusOK || res.attempts != tt.wantAttempts {
				t.Fatalf("status %d after %d attempts, want 200 after %d", res.status, res.attempts, tt.wantAttempts)
			}
			e.wx.waitReceived(1, 5*time.Second)
			time.Sleep(500 * time.Millisecond) // room for a duplicate to show up
			got := e.wx.received()
			if len(got) != 1 || got[0].via != tt.wantVia {
				t.Fatalf("users received %d texts %+v, want 1 by %s", len(got), got, tt.wantVia)
			}
			if !tt.event {
				if c := e.conv(oaID(e, "o-retry")); roles(c) != "citizen,bot" {
					t.Errorf("conversation roles %q, want one question and one answer", roles(c))
				}
				if !strings.Contains(got[0].text, "结婚登记") {
					t.Errorf("answer %q", got[0].text)
				}
			}
		})
	}
}

// TestSlowAnswerIsAcknowledgedWithinFiveSeconds runs with the production
// budget: the model takes far longer than WeChat waits.
func TestSlowAnswerIsAcknowledgedWithinFiveSeconds(t *testing.T) {
	e := newEnv(t, slowLLM(time.Minute, 6*time.Second), withConfig(func(c *wechat.Config) { c.Budget = 0 }))
	res := e.wx.send("o-patient", question)
	if res.status != http.StatusOK || res.attempts != 1 || res.reply != "" {
		t.Fatalf("got %d %q after %d attempts, want a bare acknowledgement on the first", res.status, res.reply, res.attempts)
	}
	if res.took >= 5*time.Second {
		t.Errorf("acknowledged after %v; WeChat gives up at 5s", res.took)
	}
	got := e.wx.waitReceived(1, 5*time.Second)
	if got[0].via != "custom" || !strings.Contains(got[0].text, "结婚登记") {
		t.Errorf("answer %+v, want the answer as a customer-service message", got[0])
	}
}

func TestMessagesInARowEachGetOneAnswer(t *testing.T) {
	e := newEnv(t)
	for i, q := range []string{question, "那要收费吗", "在哪里办"} {
		res := e.wx.send("o-chatty", q)
		if res.reply == "" {
			t.Fatalf("message %d got no passive answer", i+1)
		}
	}
	c := e.conv(oaID(e, "o-chatty"))
	if want := "citizen,bot,citizen,bot,citizen,bot"; roles(c) != want {
		t.Errorf("roles %q, want %q", roles(c), want)
	}
	if got := len(e.wx.received()); got != 3 {
		t.Errorf("%d texts reached the user, want 3", got)
	}
}

// TestRetryToARestartedProcessIsAnsweredOnce: WeChat retries a message
// that a process answered before it restarted; the new process finds the
// MsgId in the conversation and only acknowledges it.
func TestRetryToARestartedProcessIsAnsweredOnce(t *testing.T) {
	e := newEnv(t)
	fields := `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[` + question + `]]></Content><MsgId>777001</MsgId>`
	if res := e.wx.post("o-restart", fields); !strings.Contains(res.reply, "结婚登记") {
		t.Fatalf("first delivery: %+v", res)
	}
	again, err := wechat.New(e.desk, e.store, e.setup(nil).cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	again.Routes(mux)
	e.wx.target = newServer(t, mux) + "/wechat/oa"
	res := e.wx.post("o-restart", fields)
	again.Close()
	time.Sleep(300 * time.Millisecond)
	if res.status != http.StatusOK || res.reply != "" {
		t.Errorf("retry to the new process: %d %q, want a bare acknowledgement", res.status, res.reply)
	}
	if got := e.wx.received(); len(got) != 1 {
		t.Errorf("%d texts reached the user, want the one answer: %+v", len(got), got)
	}
	if r := roles(e.conv(oaID(e, "o-restart"))); r != "citizen,bot" {
		t.Errorf("roles %s, want one turn", r)
	}
}
