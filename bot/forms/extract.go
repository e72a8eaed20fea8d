package forms

import (
	"sort"
	"strings"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// How a message is read.
const (
	// readAnswer reads an answer to the question asked: what no label or
	// shape claims answers it.
	readAnswer = iota
	// readFree reads a message that is not an answer (a question that
	// also gives values).
	readFree
	// readStrict reads messages written before the form was opened, and
	// the wish to apply itself: only values after linking words (我叫,
	// 电话是) or with an unmistakable shape count.
	readStrict
)

// claim is a raw value a message gives for a field.
type claim struct {
	field string
	raw   string
}

// extraction is what one message says about a form: values, and fields
// named without a value (身份证号写错了), which the flow asks for next.
type extraction struct {
	claims   []claim
	mentions []string
	// ambiguous are the fields a generic word named with a value could
	// belong to, when the form has several.
	ambiguous []string
}

// extractor reads one message against a form. orig keeps the citizen's
// characters (for names and addresses); norm is the same text normalised
// rune for rune (for matching).
type extractor struct {
	fields []banban.FormField
	filled map[string]bool
	asking []string
	now    time.Time
	orig   []rune
	norm   []rune
	used   []bool
	taken  map[string]bool
	strict bool
	out    extraction
}

// extract finds values for fields in text, read in the given mode. filled
// are the fields that already have a value; asking the fields the last
// question asked for.
func extract(fields []banban.FormField, filled map[string]bool, asking []string, text string, now time.Time, mode int) extraction {
	text = correctionRe.ReplaceAllString(fold(text), "是")
	bare := mode == readAnswer
	x := &extractor{fields: fields, filled: filled, asking: asking, now: now, strict: mode == readStrict,
		orig: []rune(text), norm: []rune(textnorm.Normalize(text)), taken: map[string]bool{}}
	x.used = make([]bool, len(x.norm))
	if c, ok := x.choice(); bare && ok {
		x.out.claims = append(x.out.claims, c)
		return x.out
	}
	whole := bare && x.wantsWholeText()
	if !whole {
		x.options() // first, so that 邮寄到家 is an option, not 寄到 an address
	}
	x.labelled(whole)
	x.shaped(whole)
	if bare {
		x.bare()
	}
	return x.out
}

// choice reads a short message as the answer to the one choice asked
// (寄到家里 for 领证方式), before any word in it (寄到) is taken for
// another field.
func (x *extractor) choice() (claim, bool) {
	if len(x.asking) != 1 {
		return claim{}, false
	}
	f, ok := x.field(x.asking[0])
	s := trimFillers(strings.TrimSpace(string(x.orig)))
	if !ok || f.Type != banban.FieldEnum || len([]rune(s)) > 10 {
		return claim{}, false
	}
	if _, err := Enum(f.Options, s); err != nil {
		return claim{}, false
	}
	return claim{field: f.Name, raw: s}, true
}

// hit is a keyword found in the message.
type hit struct {
	k          keyword
	start, end int
}

// labelled takes values that follow a label or a generic word, each up to
// the next word found (or the end of its clause, for text). A word that
// gives no value frees its text for the other passes; it is recorded as a
// mention unless a free-text answer is expected (申请理由 may say 收入低).
func (x *extractor) labelled(wholeText bool) {
	var hits []hit
	for _, k := range keywords(x.fields) {
		w := []rune(k.word)
		for _, p := range x.find(w) {
			x.mark(p, p+len(w))
			hits = append(hits, hit{k: k, start: p, end: p + len(w)})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	for i, h := range hits {
		limit := len(x.norm)
		if i+1 < len(hits) {
			limit = hits[i+1].start
		}
		if !x.labelValue(h, limit, wholeText) {
			for p := h.start; p < h.end; p++ {
				x.used[p] = false
			}
		}
	}
}

// labelValue claims the value after a hit, reporting whether it did.
func (x *extractor) labelValue(h hit, limit int, wholeText bool) bool {
	f, ok := x.target(h.k, h.start, true)
	if !ok {
		if cands := x.candidates(h.k.ftype); h.k.field == "" && len(cands) > 1 && !x.strict && len(x.out.ambiguous) == 0 {
			for _, c := range cands {
				x.out.ambiguous = append(x.out.ambiguous, c.Name)
			}
		}
		return false
	}
	start, linked := x.connector(h.end, limit)
	linked = linked || h.k.self
	end := start
	if shaped(f) {
		if s, e, ok := x.findShape(f, start, limit); ok {
			start, end = s, e
		} else {
			end = clauseEnd(x.norm, start, limit)
		}
	} else {
		end = textEnd(x.norm, start, limit, f)
	}
	raw := strings.TrimSpace(string(x.orig[start:end]))
	raw = trimFillers(raw)
	switch {
	case (wholeText || x.strict) && !linked && !shaped(f):
		return false
	case raw == "" || !linked && !plausible(f, raw):
		if !wholeText && !h.k.role {
			x.out.mentions = append(x.out.mentions, f.Name)
		}
		return false
	}
	x.mark(start, end)
	x.add(f, raw)
	return true
}

// connector skips 是, 为, a colon and the like after a word, reporting
// whether there was one.
func (x *extractor) connector(p, limit int) (int, bool) {
	linked := false
	for p < limit {
		for p < limit && (x.norm[p] == ' ' || x.norm[p] == '的') {
			p++
		}
		found := false
		for _, c := range connectors {
			if hasPrefixAt(x.norm[:limit], p, []rune(c)) {
				p += len([]rune(c))
				found, linked = true, true
				break
			}
		}
		if !found {
			return p, linked
		}
	}
	return p, linked
}

// target resolves a keyword to a field: its own, or for a generic word the
// field whose role precedes it (男方的身份证), the only one of its kind, the
// one asked for, or the first without a value.
func (x *extractor) target(k keyword, pos int, strong bool) (banban.FormField, bool) {
	if k.field != "" {
		f, ok := x.field(k.field)
		return f, ok && !x.taken[f.Name]
	}
	return x.resolve(x.candidates(k.ftype), pos, strong)
}

func (x *extractor) candidates(ftype string) []banban.FormField {
	var out []banban.FormField
	for _, f := range x.fields {
		if f.Type == ftype || ftype == typeName && f.Type == banban.FieldText && isPersonName(f) {
			out = append(out, f)
		}
	}
	return out
}

// resolve picks among fields of one kind; a strong value (an ID number, a
// labelled one) may replace a value given earlier, a weak one (3人, 明天)
// only fills an empty or asked field.
func (x *extractor) resolve(cands []banban.FormField, pos int, strong bool) (banban.FormField, bool) {
	var free []banban.FormField
	for _, f := range cands {
		if !x.taken[f.Name] {
			free = append(free, f)
		}
	}
	if f, ok := x.byRole(free, pos); ok {
		return f, true
	}
	for _, f := range free {
		if x.isAsked(f.Name) {
			return f, true
		}
	}
	for _, f := range free {
		if !x.filled[f.Name] {
			return f, true
		}
	}
	if len(cands) == 1 && len(free) == 1 && strong {
		return free[0], true
	}
	return banban.FormField{}, false
}

// byRole finds the field whose role (or a synonym) is written just before pos.
func (x *extractor) byRole(free []banban.FormField, pos int) (banban.FormField, bool) {
	before := string(x.norm[max(0, pos-6):pos])
	for _, f := range free {
		r := role(f)
		if r == "" {
			continue
		}
		for _, w := range append([]string{r}, roleSynonyms[r]...) {
			if strings.Contains(before, w) {
				return f, true
			}
		}
	}
	return banban.FormField{}, false
}

func (x *extractor) add(f banban.FormField, raw string) {
	x.taken[f.Name] = true
	x.out.claims = append(x.out.claims, claim{field: f.Name, raw: raw})
}

func (x *extractor) field(name string) (banban.FormField, bool) {
	for _, f := range x.fields {
		if f.Name == name {
			return f, true
		}
	}
	return banban.FormField{}, false
}

func (x *extractor) isAsked(name string) bool {
	for _, a := range x.asking {
		if a == name {
			return true
		}
	}
	return false
}

// find returns the unused positions where w occurs.
func (x *extractor) find(w []rune) []int {
	var out []int
	for p := 0; p+len(w) <= len(x.norm); p++ {
		if hasPrefixAt(x.norm, p, w) && !x.isUsed(p, p+len(w)) {
			out = append(out, p)
			p += len(w) - 1
		}
	}
	return out
}

func (x *extractor) isUsed(s, e int) bool {
	for i := s; i < e; i++ {
		if x.used[i] {
			return true
		}
	}
	return false
}

func (x *extractor) mark(s, e int) {
	for i := s; i < e; i++ {
		x.used[i] = true
	}
}

func hasPrefixAt(rs []rune, p int, w []rune) bool {
	if len(w) == 0 || p+len(w) > len(rs) {
		return false
	}
	for i, r := range w {
		if rs[p+i] != r {
			return false
		}
	}
	return true
}
