package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// rank orders the structural levels of a policy text, outermost first.
type rank int

const (
	rankHeading rank = iota // a document heading that is not numbered
	rankChapter             // 第X章
	rankSection             // 第X节 (節)
	rankArticle             // 第X条 (條)
	rankEnum1               // 一、
	rankEnum2               // （一）
)

// numeral matches Chinese and Arabic numbers; traditional forms are
// included because text keeps its original characters.
const numeral = `[一二三四五六七八九十百千零〇两兩0-9０-９]+`

var (
	// markerRe matches a numbered line; the group that matched gives its rank.
	markerRe = regexp.MustCompile(`^(?:(第` + numeral + `章)|(第` + numeral + `[节節])|(第` + numeral +
		`[条條])|([一二三四五六七八九十百]+、)|([（(][一二三四五六七八九十百]+[）)]))`)
	// inlineMarkerRe finds numbered items run together on one line, as text
	// copied from web pages often is: "……要求。 二、支持……". Only a marker
	// after white space (ideographic space included) counts, so
	// "依照第五条规定" is not cut.
	inlineMarkerRe = regexp.MustCompile(`[\s\x{3000}\x{a0}]+(第` + numeral + `[章节節条條]|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)])`)
)

// marker returns the rank and marker text ("第五条", "（一）") of a numbered line.
func marker(line string) (rank, string, bool) {
	m := markerRe.FindStringSubmatch(line)
	for i := 1; i < len(m); i++ {
		if m[i] != "" {
			return rank(i), m[i], true
		}
	}
	return 0, "", false
}

// splitInline cuts a line before each numbered item that follows white space.
func splitInline(line string) []string {
	var out []string
	start := 0
	for _, m := range inlineMarkerRe.FindAllStringSubmatchIndex(line, -1) {
		out = append(out, line[start:m[0]])
		start = m[2]
	}
	return append(out, line[start:])
}

// entry is one level of the structure a line sits in.
type entry struct {
	rank rank
	text string // label text; "" for a numbered item without a title
	doc  bool   // from a document heading (Markdown, HTML, Word)
}

// ppiece is a structural piece of a policy: the lines under one heading or
// numbered marker.
type ppiece struct {
	entries []entry
	lines   []string
	// titleOnly is true while the piece holds nothing but a title line
	// ("第一章 总则") or the document title: such lines travel with the text
	// they head instead of becoming a chunk of their own.
	titleOnly bool
	// carried holds the title lines of the title-only pieces before it.
	carried []string
}

func (p *ppiece) text() string { return strings.Join(append(slices.Clip(p.carried), p.lines...), "\n") }

// group is what pieces must share to be merged: their document headings and
// chapter and section, not their article or item numbers.
func (p *ppiece) group() string {
	var b strings.Builder
	for _, e := range p.entries {
		if e.doc || e.rank <= rankSection {
			b.WriteString(e.text)
			b.WriteByte(0)
		}
	}
	return b.String()
}

// policyWalker turns a policy's headings and lines into pieces.
type policyWalker struct {
	title  string // the document title, spaces removed
	stack  []entry
	cur    *ppiece
	pieces []*ppiece
}

func (w *policyWalker) push(e entry) {
	i := len(w.stack)
	for i > 0 && w.stack[i-1].rank >= e.rank {
		i--
	}
	w.stack = append(slices.Clip(w.stack[:i]), e)
	w.cur = nil
}

func (w *policyWalker) heading(h string) {
	r, _, ok := marker(h)
	if !ok {
		r = rankHeading
	}
	w.push(entry{rank: r, text: h, doc: true})
}

func (w *policyWalker) line(l string) {
	if l = strings.TrimSpace(l); l == "" {
		return
	}
	title := len(w.pieces) == 0 && w.title != "" && noSpace(l) == w.title
	if r, m, ok := marker(l); ok {
		lbl := markerLabel(r, m, l)
		w.push(entry{rank: r, text: lbl})
		title = lbl == l && r != rankArticle
	}
	if w.cur == nil {
		w.cur = &ppiece{entries: w.stack, titleOnly: title}
		w.pieces = append(w.pieces, w.cur)
	} else if !title {
		w.cur.titleOnly = false
	}
	w.cur.lines = append(w.cur.lines, l)
}

// carryTitles moves title-only pieces into the piece after them.
func carryTitles(ps []*ppiece) []*ppiece {
	var out []*ppiece
	var carry []string
	for i, p := range ps {
		if p.titleOnly && i+1 < len(ps) {
			carry = append(carry, p.text())
			continue
		}
		p.carried, carry = carry, nil
		out = append(out, p)
	}
	return out
}

func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// markerLabel is the label a numbered line gives its piece: a short line is
// a title ("第二章 申请条件", "一、总则"); an article is named by its number;
// an item keeps a leading title ("一、支持物资供应 对生产……").
func markerLabel(r rank, m, line string) string {
	switch {
	case r == rankArticle:
		return m
	case isTitle(line, 40):
		return line
	case r == rankChapter || r == rankSection:
		return m
	}
	rest := line[len(m):]
	if i := strings.IndexFunc(rest, unicode.IsSpace); i > 0 && isTitle(rest[:i], 30) {
		return m + rest[:i]
	}
	return ""
}

// isTitle reports whether s is short and has no sentence punctuation.
func isTitle(s string, maxRunes int) bool {
	return utf8.RuneCountInString(s) <= maxRunes && !strings.ContainsAny(s, "。；！？，;!?,")
}

// label joins the entries into a section label. When a chapter or section
// is known, an unnumbered heading above it (often the document title) is left
// out: "第二章 申请条件 第五条".
func label(entries []entry) string {
	numbered := slices.ContainsFunc(entries, func(e entry) bool {
		return e.rank == rankChapter || e.rank == rankSection
	})
	var parts []string
	for _, e := range entries {
		if e.text != "" && !(numbered && e.rank == rankHeading) {
			parts = append(parts, strings.Join(strings.Fields(e.text), " "))
		}
	}
	return strings.Join(parts, " ")
}

// policyPieces splits a policy at its structure, merges small neighbours of
// one group up to maxRunes and splits long pieces at sentence ends.
func policyPieces(title string, sections []banban.Section, maxRunes int) []piece {
	w := policyWalker{title: noSpace(title)}
	for _, s := range sections {
		if h := strings.TrimSpace(s.Heading); h != "" {
			w.heading(h)
		}
		for _, line := range strings.Split(s.Text, "\n") {
			for _, l := range splitInline(line) {
				w.line(l)
			}
		}
	}
	return mergePieces(carryTitles(w.pieces), maxRunes)
}

// mergePieces merges neighbours of one group while they fit in maxRunes and
// splits pieces longer than that at sentence ends.
func mergePieces(pieces []*ppiece, maxRunes int) []piece {
	var out []piece
	for i := 0; i < len(pieces); {
		j, size := i+1, utf8.RuneCountInString(pieces[i].text())
		for j < len(pieces) && pieces[j].group() == pieces[i].group() {
			n := utf8.RuneCountInString(pieces[j].text())
			if size+1+n > maxRunes {
				break
			}
			size, j = size+1+n, j+1
		}
		group := pieces[i:j]
		section := mergedLabel(group)
		if size <= maxRunes {
			texts := make([]string, len(group))
			for k, p := range group {
				texts[k] = p.text()
			}
			out = append(out, piece{section, strings.Join(texts, "\n")})
		} else {
			for _, t := range pack(pieceUnits(group[0], maxRunes), maxRunes) {
				out = append(out, piece{section, t})
			}
		}
		i = j
	}
	return out
}

// pieceUnits splits a long piece into sentences, keeping the title lines
// carried into it with its first sentence.
func pieceUnits(p *ppiece, maxRunes int) []unit {
	units := sentenceUnits(strings.Join(p.lines, "\n"), maxRunes)
	if len(p.carried) > 0 && len(units) > 0 {
		units[0].text = strings.Join(p.carried, "\n") + "\n" + units[0].text
	}
	return units
}

// mergedLabel labels merged pieces by the structure they share, naming a run
// of articles by its first and last: "第二章 申请条件 第五条至第七条".
func mergedLabel(ps []*ppiece) string {
	if len(ps) == 1 {
		return label(ps[0].entries)
	}
	k := 0
	for ; ; k++ {
		same := true
		for _, p := range ps {
			if len(p.entries) <= k || p.entries[k] != ps[0].entries[k] {
				same = false
				break
			}
		}
		if !same {
			break
		}
	}
	var articles []string
	for _, p := range ps {
		if len(p.entries) <= k {
			continue
		}
		if p.entries[k].rank != rankArticle {
			return label(ps[0].entries[:k])
		}
		articles = append(articles, p.entries[k].text)
	}
	prefix := slices.Clone(ps[0].entries[:k])
	if n := len(articles); n > 0 {
		a := articles[0]
		if articles[n-1] != a {
			a += "至" + articles[n-1]
		}
		prefix = append(prefix, entry{rank: rankArticle, text: a})
	}
	return label(prefix)
}
