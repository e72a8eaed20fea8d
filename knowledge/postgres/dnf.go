package postgres

import (
	"cmp"
	"slices"
	"strings"
)

// maxDNFTerms is how many of the query's terms (those that weigh most) the
// second pass's tsquery distinguishes by tier; the others count with their
// full weight bound.
const maxDNFTerms = 4

// A term held by at most 1/keepFraction of the chunks (or keepMin) stays
// in the ANDs of the tsquery; a more common one is left out, letting more
// chunks through, because GIN would have to walk its long posting list.
const (
	keepFraction = 8
	keepMin      = 1000
)

// maxDNFNodes caps the work of building the tsquery; past it the search
// falls back to a champion cut.
const maxDNFNodes = 20000

// expr is a tsquery built bottom-up; its text is its identity.
type expr struct {
	text string // "" for the constants
	val  int8   // 1 true, -1 false, 0 neither
}

var (
	exprTrue  = &expr{val: 1}
	exprFalse = &expr{val: -1}
)

func lexExpr(l string) *expr { return &expr{text: quoteLexeme(l)} }

func orExpr(parts ...*expr) *expr {
	var texts []string
	for _, p := range parts {
		switch {
		case p.val > 0:
			return exprTrue
		case p.val < 0:
			continue
		}
		if !slices.Contains(texts, p.text) {
			texts = append(texts, p.text)
		}
	}
	switch len(texts) {
	case 0:
		return exprFalse
	case 1:
		return &expr{text: texts[0]}
	}
	return &expr{text: "(" + strings.Join(texts, " | ") + ")"}
}

func andExpr(a, b *expr) *expr {
	switch {
	case a.val < 0 || b.val < 0:
		return exprFalse
	case a.val > 0:
		return b
	case b.val > 0:
		return a
	}
	return &expr{text: "(" + a.text + " & " + b.text + ")"}
}

func (e *expr) same(o *expr) bool { return e.val == o.val && e.text == o.text }

// dnf builds the tsquery of the chunks whose score can reach theta: those
// where the weight bounds of the tiers they hold the terms at sum to theta
// or more. It returns "" when it would match every chunk holding a query
// term, or when building it takes too long.
func dnf(terms []kwTerm, theta float64, n int64) string {
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(terms[b].below(numTiers+1), terms[a].below(numTiers+1))
	})
	d := &dnfBuilder{memo: make(map[dnfKey]*expr), keepDF: max(n/keepFraction, keepMin)}
	slack := 0.0
	for n, i := range order {
		if n < maxDNFTerms {
			d.sig = append(d.sig, &terms[i])
		} else {
			slack += terms[i].below(numTiers + 1)
		}
	}
	d.suffix = make([]float64, len(d.sig)+1)
	for i := len(d.sig) - 1; i >= 0; i-- {
		d.suffix[i] = d.suffix[i+1] + d.sig[i].below(numTiers+1)
	}
	e := d.f(0, theta-slack)
	if e.val != 0 || d.nodes > maxDNFNodes {
		return ""
	}
	return e.text
}

type dnfKey struct {
	i    int
	need float64
}

type dnfBuilder struct {
	keepDF int64 // a term in at most this many chunks stays in ANDs
	sig    []*kwTerm
	suffix []float64 // suffix[i]: sum of the full bounds of sig[i:]
	memo   map[dnfKey]*expr
	nodes  int
}

// f returns a tsquery matching every chunk whose bounds over the terms
// sig[i:] sum to need or more. For term t, such a chunk either lacks t
// (the part for the other terms, f(i+1, need)), holds it at tier 0 (t AND
// the part with need lowered by ceil[0]), or holds it at tier k >= 1 (its
// tier lexeme AND the part with need lowered by ceil[k]). A common t is
// left out of its AND (see keepDF): the part with need lowered by ceil[0]
// then also covers the chunks lacking t. Tiers whose parts are alike are
// merged into one OR of tier lexemes, and left out where the tier-0 part
// covers them.
func (d *dnfBuilder) f(i int, need float64) *expr {
	if need <= 0 {
		return exprTrue
	}
	if i == len(d.sig) || d.suffix[i] < need || d.nodes > maxDNFNodes {
		return exprFalse
	}
	key := dnfKey{i, need}
	if e, ok := d.memo[key]; ok {
		return e
	}
	d.nodes++
	t := d.sig[i]
	sub0 := d.f(i+1, need-t.ceil[0])
	var e *expr
	switch {
	case sub0.val > 0:
		e = orExpr(lexExpr(t.lex), d.f(i+1, need))
	case t.df <= d.keepDF:
		parts := []*expr{d.f(i+1, need), andExpr(lexExpr(t.lex), sub0)}
		e = orExpr(append(parts, d.tierParts(i, need, sub0)...)...)
	default:
		e = orExpr(append([]*expr{sub0}, d.tierParts(i, need, sub0)...)...)
	}
	d.memo[key] = e
	return e
}

// tierParts returns, for the tiers of sig[i] whose part differs from sub0,
// the OR of their lexemes AND their part.
func (d *dnfBuilder) tierParts(i int, need float64, sub0 *expr) []*expr {
	t := d.sig[i]
	var subs []*expr
	var lexes [][]*expr
	for tier := numTiers; tier >= 1; tier-- {
		if t.tierDF[tier] == 0 {
			continue
		}
		sub := d.f(i+1, need-t.ceil[tier])
		if sub.val < 0 || sub.same(sub0) {
			continue
		}
		j := slices.IndexFunc(subs, sub.same)
		if j < 0 {
			subs, lexes = append(subs, sub), append(lexes, nil)
			j = len(subs) - 1
		}
		lexes[j] = append(lexes[j], lexExpr(tierLexeme(t.lex, tier)))
	}
	parts := make([]*expr, len(subs))
	for j, sub := range subs {
		parts[j] = andExpr(orExpr(lexes[j]...), sub)
	}
	return parts
}
