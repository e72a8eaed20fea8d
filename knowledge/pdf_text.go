package knowledge

import (
	"regexp"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// cjkCMaps decode the predefined CMaps of Chinese PDFs whose codes are
// Unicode or a national encoding.
var cjkCMaps = map[string]decoder{
	"UniGB-UCS2-H": utf16Decoder{}, "UniGB-UCS2-V": utf16Decoder{},
	"UniGB-UTF16-H": utf16Decoder{}, "UniGB-UTF16-V": utf16Decoder{},
	"UniCNS-UCS2-H": utf16Decoder{}, "UniCNS-UCS2-V": utf16Decoder{},
	"UniCNS-UTF16-H": utf16Decoder{}, "UniCNS-UTF16-V": utf16Decoder{},
	"GB-EUC-H": textDecoder{simplifiedchinese.GBK}, "GB-EUC-V": textDecoder{simplifiedchinese.GBK},
	"GBK-EUC-H": textDecoder{simplifiedchinese.GBK}, "GBK-EUC-V": textDecoder{simplifiedchinese.GBK},
	"GBKp-EUC-H": textDecoder{simplifiedchinese.GBK}, "GBKp-EUC-V": textDecoder{simplifiedchinese.GBK},
	"GBK2K-H": textDecoder{simplifiedchinese.GB18030}, "GBK2K-V": textDecoder{simplifiedchinese.GB18030},
	"B5pc-H": textDecoder{traditionalchinese.Big5}, "B5pc-V": textDecoder{traditionalchinese.Big5},
	"ETen-B5-H": textDecoder{traditionalchinese.Big5}, "ETen-B5-V": textDecoder{traditionalchinese.Big5},
}

type utf16Decoder struct{}

func (utf16Decoder) Decode(raw string) string { return decodeUTF16BE([]byte(raw)) }

// textDecoder decodes codes that are text in a national encoding.
type textDecoder struct{ enc encoding.Encoding }

func (d textDecoder) Decode(raw string) string {
	s, err := d.enc.NewDecoder().String(raw)
	if err != nil {
		return ""
	}
	return s
}

// kangxi holds the unified ideographs of the Kangxi radicals U+2F00-U+2FD5.
// Some PDF producers map a glyph to the radical that shares it (⽰ for 示);
// no policy text means the radical.
const kangxi = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠"

var kangxiRunes = []rune(kangxi)

func fixRadicals(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x2F00 && int(r-0x2F00) < len(kangxiRunes) {
			return kangxiRunes[r-0x2F00]
		}
		if r == 0xFFFD || r < ' ' && r != '\t' {
			return -1
		}
		return r
	}, s)
}

// pageNumber matches page-number lines: "- 3 -", "— 3 —", "第 3 页", "3/12".
var pageNumber = regexp.MustCompile(`^[\s\-—–·]*(第\s*)?\d+(\s*页)?(\s*(/|共)\s*\d+\s*页?)?[\s\-—–·]*$`)

// dropPageNumbers removes a page number at the top or bottom of a page, so
// that a sentence running over a page break can be joined.
func dropPageNumbers(lines []string) []string {
	if n := len(lines); n > 0 && pageNumber.MatchString(lines[n-1]) {
		lines = lines[:n-1]
	}
	if len(lines) > 0 && pageNumber.MatchString(lines[0]) {
		lines = lines[1:]
	}
	return lines
}

// joinWrapped joins lines that a PDF wrapped at the right margin: a line at
// least nearly as wide as the widest line, not ending a sentence, continues
// on the next line.
func joinWrapped(lines []string) []string {
	widest := 0
	for _, l := range lines {
		widest = max(widest, displayWidth(l))
	}
	var out []string
	joining := false
	for _, l := range lines {
		if joining {
			out[len(out)-1] = joinLine(out[len(out)-1], l)
		} else {
			out = append(out, l)
		}
		joining = widest >= 20 && displayWidth(l)*100 >= widest*85 && !endsSentence(l)
	}
	return out
}

// displayWidth counts a wide (CJK) character as 2 and others as 1.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func endsSentence(l string) bool {
	return strings.ContainsRune("。！？；：!?;:", lastRune(l))
}

func lastRune(s string) rune {
	r := []rune(strings.TrimSpace(s))
	if len(r) == 0 {
		return 0
	}
	return r[len(r)-1]
}

// joinLine joins a wrapped line: Chinese needs no space, Latin words do.
func joinLine(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	if lastRune(a) < 0x80 && []rune(b)[0] < 0x80 {
		return a + " " + b
	}
	return a + b
}
