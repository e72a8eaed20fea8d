package forms

import (
	"testing"

	"github.com/banban-gov/banban"
)

// marriage is the sample knowledge base's 结婚登记 form: two people.
var marriage = []banban.FormField{
	{Name: "male_name", Label: "男方姓名", Type: banban.FieldText, Required: true},
	{Name: "male_id", Label: "男方身份证号", Type: banban.FieldIDCard, Required: true},
	{Name: "female_name", Label: "女方姓名", Type: banban.FieldText, Required: true},
	{Name: "female_id", Label: "女方身份证号", Type: banban.FieldIDCard, Required: true},
	{Name: "appointment_date", Label: "预约登记日期", Type: banban.FieldDate, Required: true},
	{Name: "phone", Label: "联系电话", Type: banban.FieldPhone, Required: true},
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name   string
		fields []banban.FormField
		asking []string
		mode   int
		text   string
		want   map[string]string // field -> raw value
	}{
		{"free text", dibao, nil, readFree, "我叫王秀英，身份证11010519491231002X，手机138 0013 8000，住在示例市东城区和平路12号",
			map[string]string{"applicant_name": "王秀英", "applicant_id": "11010519491231002X", "phone": "138 0013 8000",
				"hukou_address": "示例市东城区和平路12号"}},
		{"labelled", dibao, nil, readFree, "电话是13800138000。户籍地址：示例市新区光明路9号",
			map[string]string{"phone": "13800138000", "hukou_address": "示例市新区光明路9号"}},
		{"name runs into a verb", dibao, nil, readFree, "我叫李华想申请低保",
			map[string]string{"applicant_name": "李华"}},
		{"amount and people", dibao, nil, readFree, "一家三口，每月收入1.5万元",
			map[string]string{"household_size": "三口", "monthly_income": "1.5万"}},
		{"option in a sentence", dibao, nil, readFree, "我们是农村低保户",
			map[string]string{"category": "农村低保"}},
		{"correction phrase", dibao, nil, readFree, "身份证号写错了，改成11010519491231002X",
			map[string]string{"applicant_id": "11010519491231002X"}},
		{"bank card is no phone", dibao, nil, readFree, "卡号6222021234567890123",
			map[string]string{}},
		{"roles", marriage, nil, readFree, "男方叫陈刚，身份证320106197805237815；女方林芳，女方的身份证510107199210083328",
			map[string]string{"male_name": "陈刚", "male_id": "320106197805237815", "female_name": "林芳",
				"female_id": "510107199210083328"}},
		{"two IDs in order", marriage, []string{"male_id", "female_id"}, readAnswer, "320106197805237815，510107199210083328",
			map[string]string{"male_id": "320106197805237815", "female_id": "510107199210083328"}},
		{"relative date", marriage, nil, readFree, "我们想下周一去登记",
			map[string]string{"appointment_date": "下周一"}},
		{"bare answers in order", dibao, []string{"applicant_name", "hukou_address"}, readAnswer, "王秀英，示例市东城区和平路12号",
			map[string]string{"applicant_name": "王秀英", "hukou_address": "示例市东城区和平路12号"}},
		{"strict: no bare role", marriage, nil, readStrict, "男方陈刚想问问",
			map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := extract(tt.fields, map[string]bool{}, tt.asking, tt.text, monday, tt.mode)
			got := map[string]string{}
			for _, c := range ex.claims {
				got[c.field] = c.raw
			}
			if len(got) != len(tt.want) {
				t.Errorf("extract(%q) = %v, want %v", tt.text, got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("extract(%q)[%s] = %q, want %q (all %v)", tt.text, k, got[k], v, got)
				}
			}
		})
	}
}
