package knowledge

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
)

// toUnicode is a parsed ToUnicode CMap: it maps a font's character codes to
// text. ledongthuc/pdf only consults ToUnicode for some fonts (not for the
// Type 3 fonts headless Chromium writes), and the PDF standard says ToUnicode
// wins whenever it is present, so we read it ourselves.
type toUnicode struct {
	spaces []codeSpace
	chars  map[string]string
	ranges []cmapRange
}

type codeSpace struct{ lo, hi []byte }

type cmapRange struct {
	lo, hi []byte
	dst    []byte   // UTF-16BE start value, incremented through the range
	array  []string // or one decoded string per code
}

// maxCMap caps how much of a ToUnicode stream is read.
const maxCMap = 4 << 20

// parseToUnicode reads the bfchar, bfrange and codespacerange sections of a
// CMap; it returns nil when the CMap maps nothing.
func parseToUnicode(r io.Reader) *toUnicode {
	data, err := io.ReadAll(io.LimitReader(r, maxCMap))
	if err != nil && len(data) == 0 {
		return nil
	}
	m := &toUnicode{chars: map[string]string{}}
	var ops []cmapToken
	lx := cmapLexer{data: data}
	for tok, ok := lx.next(); ok; tok, ok = lx.next() {
		if tok.kind != cmapKeyword {
			ops = append(ops, tok)
			continue
		}
		m.apply(tok.text, ops)
		ops = ops[:0]
	}
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil
	}
	return m
}

// apply runs one CMap operator on its operands.
func (m *toUnicode) apply(op string, args []cmapToken) {
	switch op {
	case "endcodespacerange":
		for i := 0; i+1 < len(args); i += 2 {
			m.spaces = append(m.spaces, codeSpace{[]byte(args[i].text), []byte(args[i+1].text)})
		}
	case "endbfchar":
		for i := 0; i+1 < len(args); i += 2 {
			m.chars[args[i].text] = decodeUTF16BE([]byte(args[i+1].text))
		}
	case "endbfrange":
		for i := 0; i+2 < len(args); i += 3 {
			r := cmapRange{lo: []byte(args[i].text), hi: []byte(args[i+1].text)}
			if args[i+2].kind == cmapArray {
				for _, s := range args[i+2].items {
					r.array = append(r.array, decodeUTF16BE([]byte(s)))
				}
			} else {
				r.dst = []byte(args[i+2].text)
			}
			m.ranges = append(m.ranges, r)
		}
	}
}

// Decode implements the decoding interface of ledongthuc/pdf's TextEncoding.
func (m *toUnicode) Decode(raw string) string {
	var b strings.Builder
	for len(raw) > 0 {
		n := m.codeLen(raw)
		code := raw[:n]
		raw = raw[n:]
		b.WriteString(m.lookup(code))
	}
	return b.String()
}

// codeLen is the byte length of the code at the start of raw: the length of
// the first matching code space range, else the length of the mapped codes.
func (m *toUnicode) codeLen(raw string) int {
	for n := 1; n <= 4 && n <= len(raw); n++ {
		for _, s := range m.spaces {
			if len(s.lo) == n && inRange([]byte(raw[:n]), s.lo, s.hi) {
				return n
			}
		}
	}
	for k := range m.chars {
		return min(max(len(k), 1), len(raw))
	}
	for _, r := range m.ranges {
		return min(max(len(r.lo), 1), len(raw))
	}
	return 1
}

func (m *toUnicode) lookup(code string) string {
	if s, ok := m.chars[code]; ok {
		return s
	}
	c := []byte(code)
	for _, r := range m.ranges {
		if len(r.lo) != len(c) || !inRange(c, r.lo, r.hi) {
			continue
		}
		off := codeValue(c) - codeValue(r.lo)
		if r.array != nil {
			if off < len(r.array) {
				return r.array[off]
			}
			return ""
		}
		if len(r.dst) < 2 {
			return ""
		}
		dst := bytes.Clone(r.dst)
		last := int(dst[len(dst)-2])<<8 | int(dst[len(dst)-1]) + off
		dst[len(dst)-2], dst[len(dst)-1] = byte(last>>8), byte(last)
		return decodeUTF16BE(dst)
	}
	return "" // an unmapped glyph is dropped rather than shown as garbage
}

// inRange compares byte by byte, as CMap code space ranges are defined.
func inRange(c, lo, hi []byte) bool {
	for i := range c {
		if c[i] < lo[i] || c[i] > hi[i] {
			return false
		}
	}
	return true
}

func codeValue(c []byte) int {
	v := 0
	for _, b := range c {
		v = v<<8 | int(b)
	}
	return v
}

func decodeUTF16BE(b []byte) string {
	if len(b)%2 == 1 {
		b = append(b, 0)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// cmapToken is a token of a CMap program.
type cmapToken struct {
	kind  int
	text  string   // a string's bytes, a keyword, a name or a number
	items []string // the strings of an array
}

const (
	cmapString = iota
	cmapKeyword
	cmapArray
	cmapOther
)

// cmapLexer splits a CMap program into the tokens parseToUnicode needs.
type cmapLexer struct {
	data []byte
	pos  int
}

func (lx *cmapLexer) next() (cmapToken, bool) {
	lx.skipSpace()
	if lx.pos >= len(lx.data) {
		return cmapToken{}, false
	}
	c := lx.data[lx.pos]
	switch {
	case c == '<' && lx.peek(1) == '<', c == '>' && lx.peek(1) == '>':
		lx.pos += 2
		return cmapToken{kind: cmapOther}, true
	case c == '<':
		return cmapToken{kind: cmapString, text: lx.hexString()}, true
	case c == '(':
		return cmapToken{kind: cmapString, text: lx.literalString()}, true
	case c == '[':
		lx.pos++
		return lx.array(), true
	case c == ']' || c == '{' || c == '}' || c == '>' || c == ')':
		lx.pos++
		return cmapToken{kind: cmapOther}, true
	case c == '/':
		lx.pos++
		return cmapToken{kind: cmapOther, text: lx.word()}, true
	}
	w := lx.word()
	if _, err := strconv.ParseFloat(w, 64); err == nil {
		return cmapToken{kind: cmapOther, text: w}, true
	}
	return cmapToken{kind: cmapKeyword, text: w}, true
}

func (lx *cmapLexer) peek(n int) byte {
	if lx.pos+n < len(lx.data) {
		return lx.data[lx.pos+n]
	}
	return 0
}

func (lx *cmapLexer) skipSpace() {
	for lx.pos < len(lx.data) {
		switch c := lx.data[lx.pos]; {
		case c == '%':
			for lx.pos < len(lx.data) && lx.data[lx.pos] != '\n' && lx.data[lx.pos] != '\r' {
				lx.pos++
			}
		case isPDFSpace(c):
			lx.pos++
		default:
			return
		}
	}
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	return strings.IndexByte("()<>[]{}/%", c) >= 0
}

func (lx *cmapLexer) word() string {
	start := lx.pos
	for lx.pos < len(lx.data) && !isPDFSpace(lx.data[lx.pos]) && !isPDFDelim(lx.data[lx.pos]) {
		lx.pos++
	}
	if lx.pos == start { // a stray delimiter: step over it
		lx.pos++
	}
	return string(lx.data[start:lx.pos])
}

func (lx *cmapLexer) hexString() string {
	lx.pos++ // '<'
	var digits []byte
	for lx.pos < len(lx.data) && lx.data[lx.pos] != '>' {
		if c := lx.data[lx.pos]; !isPDFSpace(c) {
			digits = append(digits, c)
		}
		lx.pos++
	}
	lx.pos++ // '>'
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	out := make([]byte, 0, len(digits)/2)
	for i := 0; i+1 < len(digits); i += 2 {
		v, err := strconv.ParseUint(string(digits[i:i+2]), 16, 8)
		if err != nil {
			return string(out)
		}
		out = append(out, byte(v))
	}
	return string(out)
}

func (lx *cmapLexer) literalString() string {
	lx.pos++ // '('
	var out []byte
	for depth := 1; lx.pos < len(lx.data); lx.pos++ {
		c := lx.data[lx.pos]
		switch {
		case c == '\\' && lx.pos+1 < len(lx.data):
			lx.pos++
			out = append(out, lx.escape())
			continue
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				lx.pos++
				return string(out)
			}
		}
		out = append(out, c)
	}
	return string(out)
}

// escape decodes the escape sequence at lx.pos (after the backslash),
// leaving lx.pos on its last byte.
func (lx *cmapLexer) escape() byte {
	c := lx.data[lx.pos]
	if c >= '0' && c <= '7' {
		v := 0
		for n := 0; n < 3 && lx.pos < len(lx.data) && lx.data[lx.pos] >= '0' && lx.data[lx.pos] <= '7'; n++ {
			v = v*8 + int(lx.data[lx.pos]-'0')
			lx.pos++
		}
		lx.pos--
		return byte(v)
	}
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	return c
}

func (lx *cmapLexer) array() cmapToken {
	t := cmapToken{kind: cmapArray}
	for {
		lx.skipSpace()
		if lx.pos >= len(lx.data) {
			return t
		}
		if lx.data[lx.pos] == ']' {
			lx.pos++
			return t
		}
		tok, ok := lx.next()
		if !ok {
			return t
		}
		if tok.kind == cmapString {
			t.items = append(t.items, tok.text)
		}
	}
}
