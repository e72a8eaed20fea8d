package knowledge

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/banban-gov/banban"
)

// extractHTML turns an HTML page into sections: each h1-h6 heading starts a
// section, block elements end lines, and scripts, styles and navigation are
// dropped.
func extractHTML(p string, data []byte) ([]banban.Section, error) {
	text, err := decodeText(p, data)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, invalidWrap(p, err, "无法解析 HTML")
	}
	var b sectionBuilder
	walkHTML(&b, root, false)
	return b.finish(), nil
}

// skippedElements hold no document text.
var skippedElements = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Iframe: true, atom.Object: true,
	atom.Nav: true, atom.Button: true, atom.Select: true,
}

// blockElements end the current line before and after their content.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Main: true, atom.Aside: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true,
	atom.Dd: true, atom.Table: true, atom.Tr: true, atom.Blockquote: true,
	atom.Pre: true, atom.Br: true, atom.Hr: true, atom.Figure: true,
	atom.Figcaption: true, atom.Form: true, atom.Address: true, atom.Center: true,
	atom.Caption: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
}

var headingElements = map[atom.Atom]bool{
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

func walkHTML(b *sectionBuilder, n *html.Node, pre bool) {
	switch n.Type {
	case html.TextNode:
		if pre {
			b.write(n.Data)
		} else {
			b.write(collapseSpace(n.Data))
		}
		return
	case html.ElementNode:
		switch {
		case skippedElements[n.DataAtom]:
			return
		case headingElements[n.DataAtom]:
			var hb sectionBuilder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walkHTML(&hb, c, false)
			}
			b.heading(strings.Join(strings.Fields(hb.allText()), " "))
			return
		case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
			b.write(" ")
		}
	}
	pre = pre || n.DataAtom == atom.Pre || n.DataAtom == atom.Textarea
	block := n.Type == html.ElementNode && blockElements[n.DataAtom]
	if block {
		b.endLine()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkHTML(b, c, pre)
	}
	if block {
		b.endLine()
	}
}

// collapseSpace replaces runs of ASCII white space by one space, as a browser
// renders them; other spaces (U+3000, no-break space) are text. A line break
// between two Chinese characters is removed instead (CSS Text 3 segment
// break rule), so that "创新创业，\n制定" does not gain a space.
func collapseSpace(s string) string {
	var out strings.Builder
	var prev rune
	space, newline := false, false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			space = true
			newline = newline || r == '\n' || r == '\r'
			continue
		}
		if space && !(newline && isWide(prev) && isWide(r)) {
			out.WriteByte(' ')
		}
		space, newline = false, false
		out.WriteRune(r)
		prev = r
	}
	if space {
		out.WriteByte(' ')
	}
	return out.String()
}

// isWide reports whether r is a CJK character or full-width punctuation.
func isWide(r rune) bool {
	return r >= 0x2E80 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0xFF00 && r <= 0xFF60 ||
		r >= 0x20000 && r <= 0x3FFFF
}

// sectionBuilder collects the lines and headings of an extracted document.
type sectionBuilder struct {
	sections []banban.Section
	cur      banban.Section
	headed   bool
	lines    []string
	line     strings.Builder
}

func (b *sectionBuilder) write(s string) { b.line.WriteString(s) }

// endLine finishes the current line; blank lines are dropped.
func (b *sectionBuilder) endLine() {
	for _, l := range strings.Split(b.line.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			b.lines = append(b.lines, l)
		}
	}
	b.line.Reset()
}

// heading starts a new section; an empty heading is ignored.
func (b *sectionBuilder) heading(h string) {
	if h = strings.TrimSpace(h); h == "" {
		return
	}
	b.endSection()
	b.cur, b.headed = banban.Section{Heading: h}, true
}

func (b *sectionBuilder) endSection() {
	b.endLine()
	b.cur.Text = strings.Join(b.lines, "\n")
	if b.headed || b.cur.Text != "" {
		b.sections = append(b.sections, b.cur)
	}
	b.lines = nil
}

func (b *sectionBuilder) finish() []banban.Section {
	b.endSection()
	return b.sections
}

// allText returns everything written so far as one string.
func (b *sectionBuilder) allText() string {
	b.endLine()
	return strings.Join(b.lines, " ")
}
