package postgres

import (
	"cmp"
	"slices"
	"strings"
)

// maxDNFTerms is how many of the query's terms (those that weigh most) the
// second pass's tsquery distinguishes by tier; the others count with their
// full weight bound. More terms make fewer candidates but a larger tsquery,
// which GIN evaluates for every item of its posting lists: three was best
// on the benchmark.
const maxDNFTerms = 3

// maxDNFNodes caps the work of building the tsquery; past it the search
// falls back to a champion cut.
const maxDNFNodes = 20000

// expr is a tsquery built bottom-up; its text is its identity. est is an
// estimate of the chunks it matches, terms being taken as independent.
type expr struct {
	text string // "" for the constants
	val  int8   // 1 true, -1 false, 0 neither
	est  float64
}

var (
	exprTrue  = &expr{val: 1}
	exprFalse = &expr{val: -1}
)

func lexExpr(l string, df int64) *expr { return &expr{text: quoteLexeme(l), est: float64(df)} }

func (d *dnfBuilder) or(parts ...*expr) *expr {
	var texts []string
	var est float64
	for _, p := range parts {
		switch {
		case p.val > 0:
			return exprTrue
		case p.val < 0:
			continue
		}
		if !slices.Contains(texts, p.text) {
			texts = append(texts, p.text)
			est += p.est
		}
	}
	switch len(texts) {
	case 0:
		return exprFalse
	case 1:
		return &expr{text: texts[0], est: est}
	}
	return &expr{text: "(" + strings.Join(texts, " | ") + ")", est: min(est, d.n)}
}

func (d *dnfBuilder) and(a, b *expr) *expr {
	switch {
	case a.val < 0 || b.val < 0:
		return exprFalse
	case a.val > 0:
		return b
	case b.val > 0:
		return a
	}
	return &expr{text: "(" + a.text + " & " + b.text + ")", est: a.est * b.est / d.n}
}

func (e *expr) same(o *expr) bool { return e.val == o.val && e.text == o.text }

// dnf builds the tsquery of the chunks whose score can reach theta: those
// where the weight bounds of the tiers they hold the terms at sum to theta
// or more, and an estimate of how many chunks it matches. It returns ""
// when it would match every chunk holding a query term, or when building it
// takes too long. Wide allows a larger tsquery when a small one would match
// every chunk.
func dnf(terms []kwTerm, theta float64, n int64, wide bool) (string, float64) {
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(terms[b].below(numTiers+1), terms[a].below(numTiers+1))
	})
	// When the terms left out could reach theta on their own, every chunk
	// would be a candidate: distinguish more terms, if wide.
	sizes := []int{maxDNFTerms}
	if wide {
		sizes = append(sizes, maxDNFTermsWide)
	}
	for _, sig := range sizes {
		e, ok := dnfOf(terms, order, min(sig, len(terms)), theta, n)
		if !ok {
			break
		}
		if e.val == 0 {
			return e.text, e.est
		}
		if e.val < 0 || sig >= len(terms) {
			break
		}
	}
	return "", float64(n)
}

// maxDNFTermsWide is how many terms dnf distinguishes when maxDNFTerms are
// not enough.
const maxDNFTermsWide = 6

// dnfOf builds the tsquery distinguishing the first sig terms of order; ok
// is false when that takes too long.
func dnfOf(terms []kwTerm, order []int, sig int, theta float64, n int64) (*expr, bool) {
	d := &dnfBuilder{memo: make(map[dnfKey]*expr), n: float64(max(n, 1))}
	slack := 0.0
	for j, i := range order {
		if j < sig {
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
	return e, d.nodes <= maxDNFNodes
}

type dnfKey struct {
	i    int
	need float64
}

type dnfBuilder struct {
	n      float64 // chunks in the store
	sig    []*kwTerm
	suffix []float64 // suffix[i]: sum of the full bounds of sig[i:]
	memo   map[dnfKey]*expr
	nodes  int
}

// f returns a tsquery matching every chunk whose bounds over the terms
// sig[i:] sum to need or more. For term t, such a chunk either lacks t
// (the part for the other terms, f(i+1, need)), holds it at tier 0 (t AND
// the part with need lowered by ceil[0]), or holds it at tier k >= 1 (its
// tier lexeme AND the part with need lowered by ceil[k]). Tiers whose parts
// are alike are merged into one OR of tier lexemes, and left out where the
// tier-0 part covers them (t matches a chunk at any tier).
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
	if sub0.val > 0 {
		e = d.or(lexExpr(t.lex, t.df), d.f(i+1, need))
	} else {
		parts := []*expr{d.f(i+1, need), d.and(lexExpr(t.lex, t.df), sub0)}
		e = d.or(append(parts, d.tierParts(i, need, sub0)...)...)
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
		lexes[j] = append(lexes[j], lexExpr(tierLexeme(t.lex, tier), t.tierDF[tier]))
	}
	parts := make([]*expr, len(subs))
	for j, sub := range subs {
		parts[j] = d.and(d.or(lexes[j]...), sub)
	}
	return parts
}
