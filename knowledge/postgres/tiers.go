package postgres

import (
	"strconv"
)

// Score tiers make exact BM25 top-k searches cheap when every query term is
// common. BM25 weighs a term in a chunk by idf × (k1+1) × s, where the
// saturation s = tf / (tf + k1(1-b) + k1·b·length/avg) lies in [0, 1).
// Without more, a search for common terms ("办理 需要 材料") would have to
// score every chunk holding one of them: tens of thousands.
//
// So each chunk's tsvector also holds, for each term whose s (computed with
// the reference average tierAvg, fixed while the store holds chunks) reaches
// tierFloors[0], one tier lexeme "<term>\x1f<t>": s lies in
// [tierFloors[t-1], tierFloors[t]). A term without one has s below
// tierFloors[0]. Tier lexemes are ordinary lexemes to the GIN index and the
// document frequency table, so a search knows how many chunks each tier
// holds and finds them by index. It can then bound the score of a chunk by
// the tiers of its terms and only score the chunks whose bound reaches the
// k-th best score (see plan.go). "\x1f" never occurs in a term's lexeme
// (see lexeme), so tier lexemes never collide with terms.
var tierFloors = [...]float64{0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95}

// numTiers is the highest tier; tier 0 has no lexeme.
const numTiers = len(tierFloors)

// tierSep separates a term from its tier in a tier lexeme.
const tierSep = "\x1f"

// saturation is BM25's tf component without idf and k1+1, for a chunk of
// the given length when the average length is avg.
func saturation(tf, length int, avg float64) float64 {
	t := float64(tf)
	return t / (t + bm25K1*(1-bm25B) + bm25K1*bm25B*float64(length)/avg)
}

// tierOf returns the tier of a saturation.
func tierOf(s float64) int {
	t := 0
	for t < numTiers && s >= tierFloors[t] {
		t++
	}
	return t
}

// tierLexeme is the lexeme marking that a chunk holds lex at tier t >= 1.
func tierLexeme(lex string, t int) string { return lex + tierSep + strconv.Itoa(t) }

// tierCeiling bounds the saturation of a term in a search, in chunks where
// it was at most smax when the tiers were computed with the average
// tierAvg, the average now being avg. With avg <= tierAvg, lengths weigh
// more now than then, so saturations only fell. With avg > tierAvg they
// may have risen: the length part of the denominator shrank by at most
// r = tierAvg/avg, and s <= σ becomes s <= σ / (σ + r(1-σ)).
func tierCeiling(smax, tierAvg, avg float64) float64 {
	r := min(1, tierAvg/avg)
	return smax / (smax + r*(1-smax))
}
