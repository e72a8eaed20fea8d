package forms

import (
	"maps"
	"strings"
	"testing"

	"github.com/banban-gov/banban"
)

// dibao is the form of the sample knowledge base's 最低生活保障申请, with an
// optional field added.
var dibao = []banban.FormField{
	{Name: "applicant_name", Label: "申请人姓名", Type: banban.FieldText, Required: true},
	{Name: "applicant_id", Label: "申请人身份证号", Type: banban.FieldIDCard, Required: true},
	{Name: "phone", Label: "联系电话", Type: banban.FieldPhone, Required: true},
	{Name: "household_size", Label: "共同生活家庭人口数", Type: banban.FieldNumber, Required: true},
	{Name: "monthly_income", Label: "家庭月总收入（元）", Type: banban.FieldNumber, Required: true},
	{Name: "hukou_address", Label: "户籍地址", Type: banban.FieldAddress, Required: true},
	{Name: "category", Label: "申请类别", Type: banban.FieldEnum, Required: true, Options: []string{"城市低保", "农村低保"}},
	{Name: "reason", Label: "申请理由", Type: banban.FieldText, Required: true},
	{Name: "mail_address", Label: "邮寄地址", Type: banban.FieldAddress},
}

// filled are valid values for every dibao field but the optional one.
var filled = map[string]string{
	"applicant_name": "王秀英", "applicant_id": "11010519491231002X", "phone": "13800138000",
	"household_size": "3", "monthly_income": "2000", "hukou_address": "示例市东城区和平路12号",
	"category": "城市低保", "reason": "因病致贫",
}

func newDraft(values map[string]string, asking ...string) *banban.FormDraft {
	d := &banban.FormDraft{DocID: "mz-dibao", Title: "最低生活保障申请", Fields: dibao,
		State: banban.DraftCollecting, Values: maps.Clone(values), Warnings: map[string]string{}, Asking: asking}
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	return d
}

func TestFill(t *testing.T) {
	tests := []struct {
		name      string
		draft     *banban.FormDraft
		confirm   bool // start in the confirming state
		text      string
		unhandled bool
		state     string
		want      map[string]string // values to check ("" = absent or skipped)
		reply     []string          // parts of the reply
	}{
		{"group answered in one message", newDraft(nil, "applicant_name", "applicant_id", "phone"), false,
			"王秀英，11010519491231002X，13800138000", false, banban.DraftCollecting,
			map[string]string{"applicant_name": "王秀英", "applicant_id": "11010519491231002X", "phone": "13800138000"},
			[]string{"已记录申请人姓名、申请人身份证号、联系电话", "请提供共同生活家庭人口数"}},
		{"invalid ID refused and asked again", newDraft(nil, "applicant_name", "applicant_id", "phone"), false,
			"我叫王秀英，身份证110105194912310021", false, banban.DraftCollecting,
			map[string]string{"applicant_name": "王秀英", "applicant_id": ""},
			[]string{"校验位不正确", "请重新提供申请人身份证号"}},
		{"mixed order answers beyond the question", newDraft(nil, "applicant_name", "applicant_id", "phone"), false,
			"家里3口人，月收入2000元，电话13800138000", false, banban.DraftCollecting,
			map[string]string{"household_size": "3", "monthly_income": "2000", "phone": "13800138000"}, nil},
		{"enum by number", newDraft(filledBut("category", "reason"), "category"), false,
			"2", false, banban.DraftCollecting, map[string]string{"category": "农村低保"}, []string{"请提供申请理由"}},
		{"optional skipped: summary", newDraft(filled, "mail_address"), false,
			"跳过", false, banban.DraftConfirming, map[string]string{"mail_address": ""},
			[]string{"已跳过邮寄地址", "110***********002X", "138****8000", "邮寄地址：未填写", "回复“确认”"}},
		{"required not skipped", newDraft(nil, "applicant_name"), false,
			"跳过", false, banban.DraftCollecting, nil, []string{"申请人姓名是必填项"}},
		{"correction while confirming", newDraft(withMail(filled)), true,
			"电话写错了，应该是13912345678", false, banban.DraftConfirming, map[string]string{"phone": "13912345678"},
			[]string{"已更新联系电话", "139****5678"}},
		{"invalid correction clears the value", newDraft(withMail(filled)), true,
			"身份证号改成110105194912310021", false, banban.DraftCollecting, map[string]string{"applicant_id": ""},
			[]string{"校验位不正确", "请重新提供申请人身份证号"}},
		{"field named as wrong is asked for", newDraft(withMail(filled)), true,
			"户籍地址不对", false, banban.DraftCollecting, map[string]string{"hukou_address": filled["hukou_address"]},
			[]string{"请重新提供户籍地址"}},
		{"generic word with two fields", newDraft(withMail(filled)), true,
			"地址不对", false, banban.DraftConfirming, map[string]string{"hukou_address": filled["hukou_address"]},
			[]string{"户籍地址还是邮寄地址"}},
		{"confirmed", newDraft(withMail(filled)), true,
			"确认", false, banban.DraftConfirmed, filled, []string{"已确认", "还没有正式提交"}},
		{"deny without a field", newDraft(withMail(filled)), true,
			"不对", false, banban.DraftConfirming, filled, []string{"需要修改哪一项"}},
		{"cancelled: values cleared", newDraft(filled, "mail_address"), false,
			"算了，不办了", false, banban.DraftCancelled, map[string]string{"applicant_name": ""}, []string{"已取消"}},
		{"question left to the bot", newDraft(nil, "applicant_name"), false,
			"低保每个月能领多少钱？", true, banban.DraftCollecting, nil, nil},
		{"staff request left to the desk", newDraft(nil, "applicant_name"), false,
			"转人工", true, banban.DraftCollecting, nil, nil},
		{"free-text answer keeps its numbers", newDraft(filledBut("reason"), "reason"), false,
			"家里3口人只有我有收入，收入低", false, banban.DraftCollecting,
			map[string]string{"reason": "家里3口人只有我有收入，收入低", "household_size": "3"}, nil},
		{"partial answer: rest of the question", newDraft(nil, "applicant_name", "applicant_id", "phone"), false,
			"王秀英", false, banban.DraftCollecting, map[string]string{"applicant_name": "王秀英"},
			[]string{"请提供申请人身份证号、联系电话（"}},
		{"unclear", newDraft(nil, "phone"), false,
			"等一下", false, banban.DraftCollecting, nil, []string{"没有识别出", "请提供联系电话"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.draft
			if tt.confirm {
				d.State = banban.DraftConfirming
			}
			before := clone(d)
			reply, ok := Fill(d, tt.text, monday)
			if ok == tt.unhandled {
				t.Fatalf("Fill(%q) handled = %v, want %v (reply %q)", tt.text, ok, !tt.unhandled, reply)
			}
			if tt.unhandled {
				if d.State != before.State || !maps.Equal(d.Values, before.Values) {
					t.Errorf("unhandled message changed the draft: %+v", d)
				}
				return
			}
			if d.State != tt.state {
				t.Errorf("state = %s, want %s (reply %q)", d.State, tt.state, reply)
			}
			for k, v := range tt.want {
				if d.Values[k] != v {
					t.Errorf("value %s = %q, want %q (reply %q)", k, d.Values[k], v, reply)
				}
			}
			for _, part := range tt.reply {
				if !strings.Contains(reply, part) {
					t.Errorf("reply %q does not contain %q", reply, part)
				}
			}
			if strings.Contains(reply, "11010519491231002X") || strings.Contains(reply, "13800138000") {
				t.Errorf("reply %q shows a number unmasked", reply)
			}
		})
	}
}

func filledBut(names ...string) map[string]string {
	m := maps.Clone(filled)
	for _, n := range names {
		delete(m, n)
	}
	return m
}

func withMail(m map[string]string) map[string]string {
	m = maps.Clone(m)
	m["mail_address"] = ""
	return m
}

func TestGroup(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]string
		want   []string
	}{
		{"first three plain fields", nil, []string{"applicant_name", "applicant_id", "phone"}},
		{"stops before an option", filledBut("hukou_address", "category", "reason"), []string{"hukou_address"}},
		{"option alone", filledBut("category", "reason"), []string{"category"}},
		{"optional alone", filled, []string{"mail_address"}},
		{"nothing left", withMail(filled), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := group(newDraft(tt.values)); !equal(got, tt.want) {
				t.Errorf("group = %q, want %q", got, tt.want)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
