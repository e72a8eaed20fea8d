package forms

import (
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// monday is 2026-11-23 10:00 in China, a Monday.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, CST)

func TestIDCard(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{"GB 11643 example", "11010519491231002X", "11010519491231002X", ""},
		{"lower-case x", "11010519491231002x", "11010519491231002X", ""},
		{"digit check", "350102199003071234", "350102199003071234", ""},
		{"spaces", "4403 0519 8511 1245 63", "440305198511124563", ""},
		{"full-width", "３５０１０２１９９００３０７１２３４", "350102199003071234", ""},
		{"wrong check digit", "110105194912310021", "", "校验位"},
		{"month 13", "350102199013071234", "", "出生日期"},
		{"30 February", "350102199002301234", "", "出生日期"},
		{"born tomorrow", "350102202611240021", "", "出生日期"},
		{"before 1900", "350102189912310014", "", "出生日期"},
		{"no such province", "991105194912310021", "", "地区码"},
		{"15 digits", "110105491231002", "", "15位"},
		{"17 digits", "35010219900307123", "", "18位"},
		{"X inside", "3501021990X3071234", "", "18位"},
		{"empty", "", "", "18位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IDCard(tt.in, monday)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("IDCard(%q) = %q, %v; want an error about %s", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("IDCard(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestIDCardBornToday(t *testing.T) {
	id := "35010220261123002"
	id += string(idCheckChar(id))
	if _, err := IDCard(id, monday); err != nil {
		t.Errorf("IDCard(%s) born on the day checked: %v, want valid", id, err)
	}
}

func TestUSCC(t *testing.T) {
	tests := []struct {
		name, in, want string
		warn           bool
		wantErr        bool
	}{
		{"commonly cited example", "91350100M000100Y43", "91350100M000100Y43", false, false},
		{"individual business", "92350102MA2Y3K8L1X", "92350102MA2Y3K8L1X", false, false},
		{"lower case", "91350200ma31abcd2k", "91350200MA31ABCD2K", false, false},
		{"check character fails softly", "91350100M000100Y44", "91350100M000100Y44", true, false},
		{"letter O not allowed", "91350100MO00100Y43", "", false, true},
		{"17 characters", "91350100M000100Y4", "", false, true},
		{"letters in region code", "9135A100M000100Y43", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := USCC(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("USCC(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got.Text != tt.want || (got.Warning != "") != tt.warn {
				t.Errorf("USCC(%q) = %+v, want %q with warning %v", tt.in, got, tt.want, tt.warn)
			}
		})
	}
}

func TestPhone(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"mobile", "13800138000", "13800138000", false},
		{"with +86", "+86 138-0013-8000", "13800138000", false},
		{"spaced", "138 0013 8000", "13800138000", false},
		{"Beijing landline", "01087654321", "010-87654321", false},
		{"Fuzhou landline", "0591-87654321", "0591-87654321", false},
		{"ten digits", "1380013800", "", true},
		{"starts with 12", "12800138000", "", true},
		{"words", "等会给你", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Phone(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Phone(%q) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		name, in string
		past     bool
		want     string
	}{
		{"full", "2026年3月5日", false, "2026-03-05"},
		{"dashes", "2026-12-01", false, "2026-12-01"},
		{"compact", "20261201", false, "2026-12-01"},
		{"Chinese numerals", "二〇二六年十二月八号", false, "2026-12-08"},
		{"month and day ahead", "12月8号", false, "2026-12-08"},
		{"month and day gone: next year", "3月5日", false, "2027-03-05"},
		{"birth: this year", "11月20日", true, "2026-11-20"},
		{"birth: last year", "12月20日", true, "2025-12-20"},
		{"tomorrow", "明天", false, "2026-11-24"},
		{"day after tomorrow", "后天上午", false, "2026-11-25"},
		{"next Monday", "下周一", false, "2026-11-30"},
		{"next Sunday", "下星期天", false, "2026-12-06"},
		{"this Friday", "这周五", false, "2026-11-27"},
		{"bare weekday", "周三", false, "2026-11-25"},
		{"in ten days", "10天后", false, "2026-12-03"},
		{"traditional", "下週一", false, "2026-11-30"},
		{"next month", "从下个月1号开始", false, "2026-12-01"},
		{"this month", "本月28日", false, "2026-11-28"},
		{"the month after next", "下下个月十五号", false, "2027-01-15"},
		{"next month has no 31st", "下个月31号", false, "2026-12-31"},
		{"30 February", "2026年2月30日", false, ""},
		{"birth in the future", "2026年12月1日", true, ""},
		{"nonsense", "过几天吧", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Date(tt.in, monday, tt.past)
			if (err != nil) != (tt.want == "") || got != tt.want {
				t.Errorf("Date(%q, past %v) = %q, %v; want %q", tt.in, tt.past, got, err, tt.want)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		name, in string
		whole    bool
		want     string
	}{
		{"yuan", "3000元", false, "3000"},
		{"wan yuan", "3万元", false, "30000"},
		{"decimal wan", "1.2万", false, "12000"},
		{"commas", "2,500块", false, "2500"},
		{"colloquial thousands", "四千五", false, "4500"},
		{"colloquial ten thousands", "一万二", false, "12000"},
		{"zero inside", "两千零五十", false, "2050"},
		{"decimal", "45.5平米", false, "45.5"},
		{"people", "3口人", true, "3"},
		{"household", "一家三口", true, "3"},
		{"not whole", "2.5", true, ""},
		{"too many people", "120人", true, ""},
		{"negative", "-5", false, ""},
		{"two numbers", "3000到4000", false, ""},
		{"none", "不清楚", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Number(tt.in, tt.whole)
			if (err != nil) != (tt.want == "") || got != tt.want {
				t.Errorf("Number(%q, whole %v) = %q, %v; want %q", tt.in, tt.whole, got, err, tt.want)
			}
		})
	}
}

func TestEnum(t *testing.T) {
	banks := []string{"工商银行", "农业银行", "建设银行", "示例农商银行"}
	hukou := []string{"本市户籍", "非本市户籍"}
	tests := []struct {
		name    string
		options []string
		in      string
		want    string
	}{
		{"exact", banks, "建设银行", "建设银行"},
		{"number", banks, "2", "农业银行"},
		{"ordinal", banks, "第三个", "建设银行"},
		{"abbreviation", banks, "工行", "工商银行"},
		{"shared part", banks, "农商行", "示例农商银行"},
		{"longest contained", hukou, "我是非本市户籍的", "非本市户籍"},
		{"prefix", hukou, "本市", "本市户籍"},
		{"shared part with another word", hukou, "本市户口", "本市户籍"},
		{"case", []string{"C1", "C2"}, "c1", "C1"},
		{"one character", []string{"男", "女"}, "女孩", "女"},
		{"everyday words: 外地户口", hukou, "外地户口", "非本市户籍"},
		{"everyday words: 第一次办", []string{"首次申请", "换发", "补发"}, "第一次办", "首次申请"},
		{"everyday words: 寄到家里", []string{"窗口领取", "邮寄送证"}, "寄到家里", "邮寄送证"},
		{"everyday words: 按季度", []string{"按月提取", "按季提取", "按年提取"}, "按季度", "按季提取"},
		{"tie", banks, "银行", ""},
		{"none", banks, "中国银行", ""},
		{"out of range", banks, "5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Enum(tt.options, tt.in)
			if (err != nil) != (tt.want == "") || got != tt.want {
				t.Errorf("Enum(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestLeadIns(t *testing.T) {
	addr := banban.FormField{Name: "a", Label: "经营场所", Type: banban.FieldAddress}
	operator := banban.FormField{Name: "o", Label: "经营者名称", Type: banban.FieldText}
	reasonF := banban.FormField{Name: "r", Label: "申请理由", Type: banban.FieldText}
	name := banban.FormField{Name: "n", Label: "申请人姓名", Type: banban.FieldText}
	tests := []struct {
		f       banban.FormField
		in, out string
	}{
		{addr, "户口在示例市西城区光明街5号", "示例市西城区光明街5号"},
		{addr, "现在住示例市东城区人民路7号", "示例市东城区人民路7号"},
		{addr, "店在示例市西城区美食街6号", "示例市西城区美食街6号"},
		{addr, "租的房子在示例市新区幸福路88号", "示例市新区幸福路88号"},
		{addr, "示例市东城区和平路12号", "示例市东城区和平路12号"},
		{operator, "经营者是示例市好味道餐饮店", "示例市好味道餐饮店"},
		{operator, "名称：示例市邻里便利店", "示例市邻里便利店"},
		{reasonF, "因为我是残疾人", "因为我是残疾人"},
		{reasonF, "理由是收入低", "收入低"},
		{name, "孩子叫周小川", "周小川"},
		{name, "欧阳娜娜", "欧阳娜娜"},
	}
	for _, tt := range tests {
		v, err := Validate(tt.f, tt.in, monday)
		if err != nil || v.Text != tt.out {
			t.Errorf("Validate(%s, %q) = %q, %v; want %q", tt.f.Label, tt.in, v.Text, err, tt.out)
		}
	}
}

func TestValidateText(t *testing.T) {
	name := banban.FormField{Name: "n", Label: "申请人姓名", Type: banban.FieldText}
	code := banban.FormField{Name: "c", Label: "驾驶证档案编号", Type: banban.FieldText}
	addr := banban.FormField{Name: "a", Label: "户籍地址", Type: banban.FieldAddress}
	tests := []struct {
		name string
		f    banban.FormField
		in   string
		want string
	}{
		{"name", name, "张三", "张三"},
		{"name with middle dot", name, "阿依古丽·买买提", "阿依古丽·买买提"},
		{"one character", name, "张", ""},
		{"digits in name", name, "张3", ""},
		{"code", code, "3501 0012 3456", "350100123456"},
		{"code with letters", code, "q350123456", "Q350123456"},
		{"code without digits", code, "不知道", ""},
		{"address", addr, "示例市东城区和平路12号", "示例市东城区和平路12号"},
		{"vague address", addr, "我家附近", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.f, tt.in, monday)
			if (err != nil) != (tt.want == "") || got.Text != tt.want {
				t.Errorf("Validate(%s, %q) = %+v, %v; want %q", tt.f.Label, tt.in, got, err, tt.want)
			}
			if err != nil && (banban.ErrorCode(err) != banban.EINVALID || !strings.Contains(err.Error(), tt.f.Label)) {
				t.Errorf("error %v: want an EINVALID error naming %s", err, tt.f.Label)
			}
		})
	}
}
