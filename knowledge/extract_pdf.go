package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"math"
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
// when it has one, else one for the predefined Chinese CMap it names, else
// the encoding ledongthuc/pdf derives. A composite font with none of these
// has no decoder: its codes are glyph numbers, and guessing gives garbage.
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
		if d, ok := cjkCMaps[v.Key("Encoding").Name()]; ok {
			decs[name] = d
			continue
		}
		if v.Key("Subtype").Name() == "Type0" {
			continue
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
