package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/banban-gov/banban"
)

// extractPDF reads the text of a PDF, page by page, as lines. PDFs carry no
// reliable heading structure, so the text is one section; the policy
// segmenter finds 章/条 structure in its lines.
func extractPDF(p string, data []byte) (sections []banban.Section, err error) {
	// ledongthuc/pdf reports malformed input by panicking.
	defer func() {
		if r := recover(); r != nil {
			sections, err = nil, invalidWrap(p, fmt.Errorf("pdf: %v", r), "无法读取 PDF 文件：文件已损坏或格式不受支持")
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if errors.Is(err, pdf.ErrInvalidPassword) {
		return nil, invalidWrap(p, err, "无法读取 PDF 文件：文件有密码保护，请去掉密码后再导入")
	}
	if err != nil {
		return nil, invalidWrap(p, err, "无法读取 PDF 文件：文件已损坏或不是有效的 PDF")
	}
	var lines []string
	for i := 1; i <= r.NumPage(); i++ {
		lines = append(lines, dropPageNumbers(pdfPageLines(r.Page(i)))...)
	}
	sections = textSections(strings.Join(joinWrapped(lines), "\n"))
	if sections == nil {
		return nil, invalidf(p, "PDF 中没有可提取的文字（扫描件需要先做文字识别）")
	}
	return sections, nil
}

// decoder turns a font's character codes into text; pdf.TextEncoding and
// *toUnicode both implement it.
type decoder interface{ Decode(raw string) string }

// pageDecoders returns a decoder for each font of a page: its ToUnicode CMap
// when it has one, else the encoding ledongthuc/pdf derives.
func pageDecoders(page pdf.Page) map[string]decoder {
	fonts := page.Resources().Key("Font")
	decs := map[string]decoder{}
	for _, name := range fonts.Keys() {
		v := fonts.Key(name)
		if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
			rc := tu.Reader()
			m := parseToUnicode(rc)
			rc.Close()
			if m != nil {
				decs[name] = m
				continue
			}
		}
		f := pdf.Font{V: v}
		decs[name] = f.Encoder()
	}
	return decs
}

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// pdfPage follows the text state of one page's content stream far enough to
// know where lines begin.
type pdfPage struct {
	decs     map[string]decoder
	dec      decoder
	size     float64 // font size
	ctm      matrix
	saved    []matrix
	tm, tlm  matrix
	leading  float64
	marks    []string // ActualText of open marked-content sequences
	lines    []string
	line     strings.Builder
	lastY    float64
	lastSize float64
	haveY    bool
}

// pdfPageLines returns the text lines of a page in content order.
func pdfPageLines(page pdf.Page) []string {
	contents := page.V.Key("Contents")
	if contents.Kind() == pdf.Null {
		return nil
	}
	st := &pdfPage{decs: pageDecoders(page), ctm: identity, tm: identity, tlm: identity}
	props := page.Resources().Key("Properties")
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		st.do(op, args, props)
	})
	st.newLine()
	return st.lines
}

func (st *pdfPage) do(op string, args []pdf.Value, props pdf.Value) {
	switch op {
	case "q":
		st.saved = append(st.saved, st.ctm)
	case "Q":
		if n := len(st.saved); n > 0 {
			st.ctm, st.saved = st.saved[n-1], st.saved[:n-1]
		}
	case "cm":
		if m, ok := matrixArgs(args); ok {
			st.ctm = m.mul(st.ctm)
		}
	case "BT":
		st.tm, st.tlm = identity, identity
	case "Tm":
		if m, ok := matrixArgs(args); ok {
			st.tm, st.tlm = m, m
		}
	case "Td", "TD":
		if len(args) == 2 {
			if op == "TD" {
				st.leading = -args[1].Float64()
			}
			st.move(args[0].Float64(), args[1].Float64())
		}
	case "TL":
		if len(args) == 1 {
			st.leading = args[0].Float64()
		}
	case "T*":
		st.move(0, -st.leading)
	case "Tf":
		if len(args) == 2 {
			st.dec, st.size = st.decs[args[0].Name()], args[1].Float64()
		}
	default:
		st.doText(op, args, props)
	}
}

// doText handles the text-showing and marked-content operators.
func (st *pdfPage) doText(op string, args []pdf.Value, props pdf.Value) {
	switch op {
	case "Tj":
		if len(args) == 1 {
			st.show(args[0].RawString())
		}
	case "'", "\"":
		st.move(0, -st.leading)
		if len(args) > 0 {
			st.show(args[len(args)-1].RawString())
		}
	case "TJ":
		if len(args) == 1 {
			for i := 0; i < args[0].Len(); i++ {
				if s := args[0].Index(i); s.Kind() == pdf.String {
					st.show(s.RawString())
				}
			}
		}
	case "BMC":
		st.marks = append(st.marks, "")
	case "BDC":
		st.marks = append(st.marks, actualText(args, props))
	case "EMC":
		if n := len(st.marks); n > 0 {
			actual := st.marks[n-1]
			st.marks = st.marks[:n-1]
			st.emit(actual)
		}
	}
}

// actualText returns the ActualText of a BDC operator's properties: the
// text a span of glyphs stands for, which producers add when glyphs alone do
// not say it (Chromium does so for CJK characters sharing a glyph).
func actualText(args []pdf.Value, props pdf.Value) string {
	if len(args) != 2 {
		return ""
	}
	d := args[1]
	if d.Kind() == pdf.Name {
		d = props.Key(d.Name())
	}
	return d.Key("ActualText").Text()
}

func (st *pdfPage) move(tx, ty float64) {
	st.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(st.tlm)
	st.tm = st.tlm
}

// show decodes glyphs with the current font, unless an ActualText replaces them.
func (st *pdfPage) show(raw string) {
	for _, m := range st.marks {
		if m != "" {
			return
		}
	}
	if st.dec == nil {
		return
	}
	st.emit(st.dec.Decode(raw))
}

// emit adds text at the current position, starting a new line when the
// baseline moved by more than half the font height.
func (st *pdfPage) emit(text string) {
	if text == "" {
		return
	}
	trm := st.tm.mul(st.ctm)
	y := trm[5]
	size := math.Abs(st.size) * math.Hypot(trm[2], trm[3])
	if st.haveY && math.Abs(y-st.lastY) > 0.5*max(size, st.lastSize, 1) {
		st.newLine()
	}
	st.lastY, st.lastSize, st.haveY = y, size, true
	st.line.WriteString(fixRadicals(text))
}

func (st *pdfPage) newLine() {
	if l := strings.TrimSpace(st.line.String()); l != "" {
		st.lines = append(st.lines, l)
	}
	st.line.Reset()
}

func matrixArgs(args []pdf.Value) (matrix, bool) {
	if len(args) != 6 {
		return matrix{}, false
	}
	var m matrix
	for i, a := range args {
		m[i] = a.Float64()
	}
	return m, true
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
