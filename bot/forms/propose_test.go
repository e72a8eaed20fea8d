package forms

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/bottest"
	"github.com/banban-gov/banban/bot/langchain"
	"github.com/banban-gov/banban/bot/langchain/openaitest"
)

// proposing is a filler over the sample knowledge base whose chat model is
// a fake OpenAI-compatible server answering with reply.
func proposing(t *testing.T, opts openaitest.Options, timeout time.Duration) (*Filler, *openaitest.Server) {
	t.Helper()
	srv := openaitest.New(t, opts)
	chat, err := langchain.NewChat(langchain.ChatConfig{BaseURL: srv.URL, APIKey: openaitest.Key, Model: "fake"})
	if err != nil {
		t.Fatal(err)
	}
	st := bottest.Sample(t).Store
	return &Filler{Docs: st, Names: st, Proposer: &Proposer{LLM: chat, Timeout: timeout}}, srv
}

// converse sends msgs through fl in one conversation and returns the
// draft and the last reply.
func converse(t *testing.T, fl *Filler, msgs ...string) (*banban.FormDraft, string) {
	t.Helper()
	var conv banban.Conversation
	reply := ""
	for _, m := range msgs {
		st, err := fl.Handle(context.Background(), &conv, m, monday)
		if err != nil {
			t.Fatalf("Handle(%q): %v", m, err)
		}
		if !st.Handled {
			t.Fatalf("Handle(%q) left the message to the bot", m)
		}
		conv.Draft, reply = st.Draft, st.Reply
		conv.Append(banban.Message{Role: banban.RoleCitizen, Text: m, At: monday})
	}
	return conv.Draft, reply
}

// toDisabilityType opens a disability card application and answers up to
// the question for the kind of disability.
var toDisabilityType = []string{"我要申请残疾证，帮我填表", "我叫吴敏，身份证610113198309094461，电话13800138000"}

func TestModelProposesWhatTheRulesMiss(t *testing.T) {
	fl, srv := proposing(t, openaitest.Options{Reply: func(openaitest.Request) string {
		return "```json\n[{\"field\":\"disability_type\",\"value\":\"肢体残疾\",\"evidence\":\"腿脚不好使\"}]\n```"
	}}, time.Second)
	d, reply := converse(t, fl, append(toDisabilityType, "腿脚不好使，走路要拄拐")...)
	if d.Values["disability_type"] != "肢体残疾" || !strings.Contains(reply, "已记录残疾类别") {
		t.Fatalf("disability_type = %q (reply %q), want the model's 肢体残疾", d.Values["disability_type"], reply)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the model was asked %d times, want once (only for the answer the rules missed)", len(reqs))
	}
	if u := reqs[0].User; !strings.Contains(u, "disability_type") || !strings.Contains(u, "肢体残疾") || !strings.Contains(u, "腿脚不好使") {
		t.Errorf("the prompt lacks the open field, its options or the message:\n%s", u)
	}
}

func TestModelCannotPutWordsInTheCitizensMouth(t *testing.T) {
	fl, _ := proposing(t, openaitest.Options{Reply: func(openaitest.Request) string {
		return `[{"field":"hukou_address","value":"示例市东城区长安街3号","evidence":"腿脚不好使"},
			{"field":"guardian_name","value":"吴大海","evidence":"吴大海"},
			{"field":"phone","value":"13900139000","evidence":"走路"},
			{"field":"disability_type","value":"残疾","evidence":"腿脚不好使"},
			{"field":"no_such_field","value":"x","evidence":"走路"}]`
	}}, time.Second)
	d, reply := converse(t, fl, append(toDisabilityType, "腿脚不好使，走路要拄拐")...)
	for _, name := range []string{"hukou_address", "guardian_name", "disability_type", "no_such_field"} {
		if v, ok := d.Values[name]; ok {
			t.Errorf("%s = %q was taken from the model, but the citizen never said it", name, v)
		}
	}
	if d.Values["phone"] != "13800138000" {
		t.Errorf("phone = %q, want the citizen's 13800138000 kept", d.Values["phone"])
	}
	if !strings.Contains(reply, "请重新提供残疾类别") {
		t.Errorf("reply = %q, want the question asked again", reply)
	}
}

func TestModelNeverSeesPersonalNumbers(t *testing.T) {
	fl, srv := proposing(t, openaitest.Options{Reply: func(openaitest.Request) string { return "[]" }}, time.Second)
	converse(t, fl, "我要申请残疾证，帮我填表", "吴敏", "身份证610113198309094461，这个是我本人", "我的手机13800138000，就这个号码")
	for _, r := range srv.Requests() {
		for _, pii := range []string{"610113198309094461", "13800138000"} {
			if strings.Contains(r.User, pii) || strings.Contains(r.System, pii) {
				t.Errorf("a prompt holds %s:\n%s", pii, r.User)
			}
		}
	}
}

func TestSlowOrBrokenModelLeavesTheRules(t *testing.T) {
	for name, opts := range map[string]openaitest.Options{
		"slow":   {Delay: 3 * time.Second, Reply: func(openaitest.Request) string { return `[]` }},
		"error":  {Status: 500},
		"prose":  {Reply: func(openaitest.Request) string { return "这位市民应该是肢体残疾。" }},
		"broken": {Reply: func(openaitest.Request) string { return `[{"field":"disability_type","value":` }},
	} {
		t.Run(name, func(t *testing.T) {
			fl, _ := proposing(t, opts, 200*time.Millisecond)
			start := time.Now()
			d, reply := converse(t, fl, append(toDisabilityType, "腿脚不好使，走路要拄拐")...)
			if _, ok := d.Values["disability_type"]; ok || !strings.Contains(reply, "请重新提供残疾类别") {
				t.Errorf("disability_type = %q, reply %q; want nothing taken and the question again", d.Values["disability_type"], reply)
			}
			if el := time.Since(start); el > 2*time.Second {
				t.Errorf("the turn took %v; the proposer's timeout is 200ms", el)
			}
		})
	}
}
