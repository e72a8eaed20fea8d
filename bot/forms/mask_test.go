package forms

import (
	"testing"

	"github.com/banban-gov/banban"
)

func TestMaskValue(t *testing.T) {
	tests := []struct {
		name string
		f    banban.FormField
		in   string
		want string
	}{
		{"ID", banban.FormField{Type: banban.FieldIDCard}, "11010519491231002X", "110***********002X"},
		{"mobile", banban.FormField{Type: banban.FieldPhone}, "13800138000", "138****8000"},
		{"landline", banban.FormField{Type: banban.FieldPhone}, "0591-87654321", "0591-****4321"},
		{"credit code", banban.FormField{Type: banban.FieldUSCC}, "91350100M000100Y43", "9135**********0Y43"},
		{"card number", banban.FormField{Type: banban.FieldText, Label: "收款银行卡号"}, "6222021234567890123", "62*************0123"},
		{"name", banban.FormField{Type: banban.FieldText, Label: "姓名"}, "张三", "张三"},
		{"empty", banban.FormField{Type: banban.FieldIDCard}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskValue(tt.f, tt.in); got != tt.want {
				t.Errorf("MaskValue(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ID and phone", "身份证11010519491231002X，电话13800138000", "身份证110***********002X，电话138****8000"},
		{"spaced phone", "手机138 0013 8000", "手机138 **** **00"},
		{"full-width", "１３８００１３８０００", "138****8000"},
		{"credit code", "代码92350102MA2Y3K8L1X", "代码923*************1X"},
		{"bank card", "卡号6222021234567890123", "卡号622***********90123"},
		{"short numbers stay", "家里3口人，月收入2000元，2026年3月5日", "家里3口人，月收入2000元，2026年3月5日"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskText(tt.in); got != tt.want {
				t.Errorf("MaskText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
