package forms

import (
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

func FuzzIDCard(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "350102199003071234", "110105194912310021", "3501021990130712３４", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := IDCard(s, monday)
		if err != nil {
			return
		}
		if !idRe.MatchString(got) || idCheckChar(got[:17]) != got[17] || !provinces[got[:2]] {
			t.Fatalf("IDCard(%q) = %q accepted a malformed number", s, got)
		}
		if again, err := IDCard(got, monday); err != nil || again != got {
			t.Fatalf("IDCard(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}

func FuzzUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350100M000100Y44", "92350102ma2y3k8l1x", "IOSVZ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := USCC(s)
		if err != nil {
			return
		}
		if !usccRe.MatchString(got.Text) || (got.Warning == "") != (usccCheckChar(got.Text[:17]) == got.Text[17]) {
			t.Fatalf("USCC(%q) = %+v: malformed or warning wrong", s, got)
		}
		if again, err := USCC(got.Text); err != nil || again != got {
			t.Fatalf("USCC(%q) = %+v, %v; want it unchanged", got.Text, again, err)
		}
	})
}

var phoneOut = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-\d{7,8})$`)

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"13800138000", "+86 138-0013-8000", "0591-87654321", "01087654321", "86", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Phone(s)
		if err != nil {
			return
		}
		if !phoneOut.MatchString(got) {
			t.Fatalf("Phone(%q) = %q, not a normalised number", s, got)
		}
		if again, err := Phone(got); err != nil || again != got {
			t.Fatalf("Phone(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2026年3月5日", "下周一", "3月5日", "二〇二六年十二月八号", "10天后", "20260230", "周日"} {
		f.Add(s, false)
	}
	f.Add("11月20日", true)
	f.Fuzz(func(t *testing.T, s string, past bool) {
		got, err := Date(s, monday, past)
		if err != nil {
			return
		}
		d, perr := time.ParseInLocation("2006-01-02", got, CST)
		if perr != nil || past && d.After(monday) {
			t.Fatalf("Date(%q, past %v) = %q: %v", s, past, got, perr)
		}
		if again, err := Date(got, monday, past); err != nil || again != got {
			t.Fatalf("Date(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}

func FuzzNumber(f *testing.F) {
	for _, s := range []string{"3万元", "四千五", "1.5万", "2,500元", "一家三口", "十万八千", "点五"} {
		f.Add(s, false)
	}
	f.Add("3口人", true)
	f.Fuzz(func(t *testing.T, s string, whole bool) {
		got, err := Number(s, whole)
		if err != nil {
			return
		}
		v, ok := new(big.Rat).SetString(got)
		if !ok || v.Sign() < 0 || whole && !v.IsInt() {
			t.Fatalf("Number(%q, %v) = %q: not a plain non-negative number", s, whole, got)
		}
		if again, err := Number(got, whole); err != nil || again != got {
			t.Fatalf("Number(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}

func FuzzEnum(f *testing.F) {
	options := []string{"本市户籍", "非本市户籍", "C1", "男", "示例农商银行"}
	for _, s := range []string{"本市", "2", "第三个", "c1", "农商行", "女孩"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Enum(options, s)
		if err == nil && !slices.Contains(options, got) {
			t.Fatalf("Enum(%q) = %q, not an option", s, got)
		}
	})
}

// FuzzFill sends two messages to a half-filled draft: whatever they say,
// the draft stays consistent, every stored value passes its check, and the
// reply shows no ID or phone number in full.
func FuzzFill(f *testing.F) {
	for _, s := range []string{"我叫王秀英，身份证11010519491231002X", "电话改成13912345678", "跳过", "确认", "不办了",
		"2", "家里3口人，月收入2000元", "地址不对", "身份证号写错了", "需要什么材料？", "110105194912310021"} {
		f.Add(s, "确认")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		d := newDraft(filledBut("phone", "category"), "phone")
		for _, text := range []string{a, b} {
			reply, ok := Fill(d, text, monday)
			if ok && reply == "" {
				t.Fatalf("Fill(%q) handled with an empty reply", text)
			}
			checkDraft(t, d, reply)
		}
	})
}

func checkDraft(t *testing.T, d *banban.FormDraft, reply string) {
	t.Helper()
	switch d.State {
	case banban.DraftCollecting, banban.DraftConfirming, banban.DraftConfirmed, banban.DraftCancelled:
	default:
		t.Fatalf("state %q", d.State)
	}
	for name, v := range d.Values {
		fd, ok := field(d, name)
		if !ok {
			t.Fatalf("value for unknown field %s", name)
		}
		if v == "" {
			continue
		}
		if got, err := Validate(fd, v, monday); err != nil || got.Text != v {
			t.Fatalf("stored %s = %q does not pass its check: %q, %v", name, v, got.Text, err)
		}
		if (fd.Type == banban.FieldIDCard || fd.Type == banban.FieldPhone) && strings.Contains(reply, v) {
			t.Fatalf("reply %q shows %s in full", reply, name)
		}
	}
	for _, name := range d.Asking {
		if _, ok := field(d, name); !ok {
			t.Fatalf("asking for unknown field %s", name)
		}
	}
}

func FuzzSeal(f *testing.F) {
	f.Add("applicant_id", "11010519491231002X", "校验位")
	f.Fuzz(func(t *testing.T, k, v, w string) {
		s := Sealer{Key: NewKey()}
		d := newDraft(map[string]string{k: v})
		d.Warnings[k] = w
		want := maps.Clone(d.Values)
		if err := s.Seal(d); err != nil {
			t.Fatal(err)
		}
		d.Values, d.Warnings = nil, nil
		if err := s.Open(d); err != nil {
			t.Fatal(err)
		}
		// JSON turns invalid UTF-8 into U+FFFD; compare what JSON keeps.
		if utf8.ValidString(k) && utf8.ValidString(v) && !maps.Equal(d.Values, want) {
			t.Fatalf("opened %q, sealed %q", d.Values, want)
		}
	})
}

var longDigits = regexp.MustCompile(`\d(?: ?\d){6,}`)

func FuzzMaskText(f *testing.F) {
	for _, s := range []string{"身份证11010519491231002X，电话13800138000", "138 0013 8000", "卡号6222021234567890123", "１３８００１３８０００"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskText(s)
		if longDigits.MatchString(got) {
			t.Fatalf("MaskText(%q) = %q keeps a long number", s, got)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(s) {
			t.Fatalf("MaskText(%q) = %q changed the length", s, got)
		}
	})
}
