package banban

import "testing"

func TestMaskPII(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"id card", "身份证号110101199003071234，请核对", "身份证号110***********1234，请核对"},
		{"id card with X", "11010119900307123X", "110***********123X"},
		{"mobile", "电话13812345678", "电话138****5678"},
		{"hotline untouched", "请拨打12345或0999-86001234", "请拨打12345或0999-86001234"},
		{"both", "110101199003071234 13900001111", "110***********1234 139****1111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPII(tt.in); got != tt.want {
				t.Errorf("MaskPII(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
