package forms

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/bottest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	bottest.Cleanup()
	os.Exit(code)
}

func fieldNames(fs []banban.FormField) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, ",")
}

func TestNew(t *testing.T) {
	st := bottest.Sample(t).Store
	tests := []struct {
		name, doc string
		want      string // field names, "" for no form
	}{
		{"item", "cr-passport", "applicant_name,applicant_id,phone,apply_type,delivery,mail_address"},
		{"bundle: union without duplicates", "bd-restaurant",
			"operator_name,operator_id,phone,organization,premises,business_scope,employees,operator,uscc,principal_id,business_type,area"},
		{"bundle whose items have no form", "bd-retirement", ""},
		{"faq", "faq-hall", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(context.Background(), st, tt.doc, monday)
			if err != nil {
				t.Fatalf("New(%s): %v", tt.doc, err)
			}
			if tt.want == "" {
				if d != nil {
					t.Fatalf("New(%s) = draft of %s, want none", tt.doc, fieldNames(d.Fields))
				}
				return
			}
			if d == nil || fieldNames(d.Fields) != tt.want || d.State != banban.DraftCollecting || d.Values == nil {
				t.Fatalf("New(%s) = %+v, want a collecting draft of %s", tt.doc, d, tt.want)
			}
		})
	}
	if _, err := New(context.Background(), st, "no-such-item", monday); banban.ErrorCode(err) != banban.ENOTFOUND {
		t.Errorf("New(no-such-item) error = %v, want ENOTFOUND", err)
	}
}

func TestHandle(t *testing.T) {
	st := bottest.Sample(t).Store
	fl := &Filler{Docs: st, Names: st}
	tests := []struct {
		name    string
		conv    banban.Conversation
		text    string
		wantDoc string // "" = not handled, "-" = handled without a draft
	}{
		{"wish names the item", banban.Conversation{}, "我要办护照，帮我填表", "cr-passport"},
		{"item in focus", banban.Conversation{Focus: banban.Focus{DocIDs: []string{"mz-dibao"}}}, "帮我填表", "mz-dibao"},
		{"named item wins over focus", banban.Conversation{Focus: banban.Focus{DocIDs: []string{"mz-dibao"}}}, "我要申请公租房", "zf-public-rental"},
		{"nothing in focus: which item?", banban.Conversation{}, "我要办", "-"},
		{"item in focus without a form", banban.Conversation{Focus: banban.Focus{DocIDs: []string{"faq-hall"}}}, "帮我填表", "-"},
		{"named item without a form is the bot's", banban.Conversation{}, "我要办离婚登记", ""},
		{"the one offered item with a form", banban.Conversation{Focus: banban.Focus{Options: []string{"sb-card-apply", "sb-card-replace"}}}, "帮我填表", "sb-card-apply"},
		{"clarification pending without forms", banban.Conversation{Focus: banban.Focus{Options: []string{"hy-divorce", "faq-hall"}}}, "帮我填表", "-"},
		{"question about applying", banban.Conversation{Focus: banban.Focus{DocIDs: []string{"mz-dibao"}}}, "我要申请低保需要什么材料？", ""},
		{"no draft, no wish", banban.Conversation{Focus: banban.Focus{DocIDs: []string{"mz-dibao"}}}, "我叫王秀英", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := fl.Handle(context.Background(), &tt.conv, tt.text, monday)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantDoc == "" {
				if st.Handled {
					t.Fatalf("Handle(%q) took the message for %s, want it left to the bot", tt.text, st.Draft.DocID)
				}
				return
			}
			if tt.wantDoc == "-" {
				if !st.Handled || st.Draft != nil || st.Reply == "" {
					t.Fatalf("Handle(%q) = %+v, want a reply without a draft", tt.text, st)
				}
				return
			}
			if !st.Handled || st.Draft.DocID != tt.wantDoc || st.Cite.DocID != tt.wantDoc || st.Cite.URL == "" {
				t.Fatalf("Handle(%q) = %+v, want a draft of %s cited with its URL", tt.text, st, tt.wantDoc)
			}
			if tt.conv.Draft != nil {
				t.Errorf("Handle changed the conversation's draft")
			}
		})
	}
}

func TestHandlePrefills(t *testing.T) {
	st := bottest.Sample(t).Store
	conv := banban.Conversation{Focus: banban.Focus{DocIDs: []string{"zf-public-rental"}}, Messages: []banban.Message{
		{Role: banban.RoleCitizen, Text: "我叫赵磊，电话18611112222"},
		{Role: banban.RoleBot, Text: "我叫帮办，电话12345"},
		{Role: banban.RoleCitizen, Text: "公租房申请需要什么条件？"},
	}}
	step, err := (&Filler{Docs: st}).Handle(context.Background(), &conv, "帮我填表", monday)
	if err != nil || !step.Handled {
		t.Fatalf("Handle: %+v, %v", step, err)
	}
	if v := step.Draft.Values; v["applicant_name"] != "赵磊" || v["phone"] != "18611112222" || len(v) != 2 {
		t.Errorf("prefilled values = %v, want the name and phone from the citizen's message", v)
	}
	for _, part := range []string{"已从前面的对话中获取：申请人姓名、联系电话", "请提供申请人身份证号"} {
		if !strings.Contains(step.Reply, part) {
			t.Errorf("reply %q lacks %q", step.Reply, part)
		}
	}
}
