package textnorm

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"traditional", "開飯店要辦什麼證？", "开饭店要办什么证?"},
		{"fullwidth ascii", "ＡＢＣ１２３", "abc123"},
		{"ideographic space", "社保\u3000卡", "社保 卡"},
		{"simplified unchanged", "社会保障卡补办", "社会保障卡补办"},
		{"latin lower", "APP办理", "app办理"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestToTraditional(t *testing.T) {
	tests := []struct{ in, want string }{
		{"结婚登记需要什么材料", "結婚登記需要什麼材料"},
		// Characters with several traditional forms take the word's.
		{"普通护照签发", "普通護照簽發"},
		{"联系电话：0999-86023110", "聯繫電話：0999-86023110"},
		{"无需重复填写，回复序号即可", "無需重複填寫，回覆序號即可"},
		{"请在申请表上签名", "請在申請表上簽名"},
		{"头发和发票", "頭髮和發票"},
		{"一周内办结", "一週內辦結"},
		{"", ""},
		{"ok 123", "ok 123"},
	}
	for _, tt := range tests {
		if got := ToTraditional(tt.in); got != tt.want {
			t.Errorf("ToTraditional(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsTraditional(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"結婚登記需要什麼材料？", true},
		{"结婚登记需要什么材料？", false},
		{"社保", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsTraditional(tt.in); got != tt.want {
			t.Errorf("IsTraditional(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func BenchmarkToTraditional(b *testing.B) {
	s := strings.Repeat("申请人需要携带居民身份证原件，填写申请表并签名；如需补发，请联系办理窗口，无需重复提交材料。", 10)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		ToTraditional(s)
	}
}
