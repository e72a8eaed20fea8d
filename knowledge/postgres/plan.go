package postgres

import (
	"cmp"
	"slices"
	"strings"
)

// A keyword search finds its exact top k in one or two passes, each scoring
// the candidates of a tsquery (see KeywordSearch):
//
//  1. The champion pass scores the chunks where the query's terms weigh
//     most: whole (term, tier) groups in decreasing order of their weight
//     bound, until they hold a few times k chunks. Every chunk outside them
//     scores at most the sum, over terms, of the bound of the term's first
//     group left out. When the k-th best score found exceeds that sum, no
//     chunk outside can enter the top k, and the search is done: the usual
//     case when a query has a rare term. When a filter lets fewer than k
//     through, the pass is repeated, larger by the share it let through.
//  2. Otherwise the k-th best score found, θ, is a lower bound of the final
//     one, and the second pass scores every chunk whose bound, summed over
//     the tiers it holds its terms at, reaches θ: a tsquery that is an OR of
//     ANDs of terms and tier lexemes (see dnf). That is hundreds of chunks
//     for most queries of common terms only, where a plain "any of the
//     terms" would be tens of thousands. (Options.KeywordBudget caps this
//     pass, giving up exactness.)
//
// The bounds come from the highest saturation each (term, tier) has had
// (term_stats.smax), adjusted for the drift of the average length, and are
// inflated by boundSlack against rounding. A chunk is left out only when
// its bound is below the k-th best score, so it scores below it: the result
// is exact, ties included.

// boundSlack inflates weight bounds against floating-point rounding.
const boundSlack = 1 + 1e-9

// kwTerm is a distinct query term some chunk holds. A search keeps its
// terms in query order, the order their weights are summed in.
type kwTerm struct {
	lex    string
	idf    float64
	df     int64                 // chunks holding the term
	tierDF [numTiers + 1]int64   // chunks holding it at tier t, for t >= 1
	smax   [numTiers + 1]float64 // its highest saturation at tier t
	ceil   [numTiers + 1]float64 // bound of its weight in a chunk holding it at tier t
}

// setCeilings computes the term's weight bounds for the current average
// length avg, tiers having been computed with tierAvg.
func (t *kwTerm) setCeilings(tierAvg, avg float64) {
	for i := range t.ceil {
		t.ceil[i] = t.idf * (bm25K1 + 1) * tierCeiling(t.smax[i], tierAvg, avg) * boundSlack
	}
}

// group is the chunks holding a term at a tier (tier 0: at any tier below
// the term's lowest tier taken).
type group struct {
	term  int
	tier  int
	count int64
	bound float64
}

// cut is a champion candidate set: for each term, from tier from[i] up
// (0: the whole term; numTiers+1: none of it).
type cut struct {
	from  []int
	count int64   // chunks in it, counting overlaps twice
	bound float64 // every chunk outside scores below this
}

// champions takes (term, tier) groups in decreasing order of bound until
// stop, asked before each group, reports true.
func champions(terms []kwTerm, stop func(c *cut, next group) bool) *cut {
	var groups []group
	for i, t := range terms {
		rest := t.df
		for tier := numTiers; tier >= 1; tier-- {
			if t.tierDF[tier] > 0 {
				groups = append(groups, group{i, tier, t.tierDF[tier], t.ceil[tier]})
				rest -= t.tierDF[tier]
			}
		}
		groups = append(groups, group{i, 0, max(rest, 0), t.ceil[0]})
	}
	slices.SortStableFunc(groups, func(a, b group) int { return cmp.Compare(b.bound, a.bound) })
	c := &cut{from: make([]int, len(terms))}
	for i := range c.from {
		c.from[i] = numTiers + 1
	}
	c.bound = c.outside(terms)
	for _, g := range groups {
		if stop(c, g) {
			break
		}
		c.from[g.term] = g.tier
		c.count += g.count
		c.bound = c.outside(terms)
	}
	return c
}

// outside is the bound of a chunk outside the cut: for each term, the bound
// of the highest tier left out.
func (c *cut) outside(terms []kwTerm) float64 {
	var b float64
	for i := range terms {
		b += terms[i].below(c.from[i])
	}
	return b
}

// below bounds the term's weight in a chunk holding it below tier from: the
// ceiling of the highest such tier some chunk has; 0 when none has.
func (t *kwTerm) below(from int) float64 {
	rest := t.df
	for tier := numTiers; tier >= 1; tier-- {
		rest -= t.tierDF[tier]
	}
	for tier := min(from, numTiers+1) - 1; tier >= 1; tier-- {
		if t.tierDF[tier] > 0 {
			return t.ceil[tier]
		}
	}
	if from > 0 && rest > 0 {
		return t.ceil[0]
	}
	return 0
}

// query renders the cut as a tsquery.
func (c *cut) query(terms []kwTerm) string {
	var parts []string
	for i, t := range terms {
		switch from := c.from[i]; {
		case from == 0:
			parts = append(parts, quoteLexeme(t.lex))
		case from <= numTiers:
			for tier := from; tier <= numTiers; tier++ {
				if t.tierDF[tier] > 0 {
					parts = append(parts, quoteLexeme(tierLexeme(t.lex, tier)))
				}
			}
		}
	}
	return strings.Join(parts, " | ")
}

// allTerms is the tsquery matching every chunk holding a query term.
func allTerms(terms []kwTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = quoteLexeme(t.lex)
	}
	return strings.Join(parts, " | ")
}

// quoteLexeme quotes a lexeme for a tsquery: no parsing, no stemming.
func quoteLexeme(l string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(l) + "'"
}
