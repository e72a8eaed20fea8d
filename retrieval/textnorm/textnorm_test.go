package textnorm

import "testing"

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
	if got, want := ToTraditional("结婚登记需要什么材料"), "結婚登記需要什麼材料"; got != want {
		t.Errorf("ToTraditional = %q, want %q", got, want)
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
