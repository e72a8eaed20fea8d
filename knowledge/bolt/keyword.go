package bolt

import (
	"context"
	"math"
	"slices"

	"github.com/banban-gov/banban"
)

// BM25 parameters: the usual defaults.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// scratch is a dense score array reused across keyword searches; touched
// lists the slots to reset afterwards.
type scratch struct {
	scores  []float64
	touched []int32
}

// bm25 ranks the live slots passing f by BM25 over the query's distinct
// terms. Collection statistics (N, df, average length) count every live
// chunk, filtered or not, so a filter never changes a chunk's score.
func (x *index) bm25(ctx context.Context, terms []string, k int, f *banban.Filter, sc *scratch) ([]scored, error) {
	if x.live == 0 || x.totalLen == 0 {
		return nil, nil
	}
	if len(sc.scores) < len(x.slots) {
		sc.scores = make([]float64, len(x.slots)+len(x.slots)/4)
	}
	sel := x.selector(f)
	n, avg := float64(x.live), float64(x.totalLen)/float64(x.live)
	seen := make([]int32, 0, len(terms))
	for _, term := range terms {
		id, ok := x.termIDs[term]
		if !ok || slices.Contains(seen, id) {
			continue
		}
		seen = append(seen, id)
		if err := ctx.Err(); err != nil {
			x.reset(sc)
			return nil, err
		}
		x.accumulate(x.postings[id], n, avg, sel, sc)
	}
	t := newTopK(x, k)
	for _, s := range sc.touched {
		t.push(sc.scores[s], s)
	}
	x.reset(sc)
	return t.best(), nil
}

// accumulate adds one term's BM25 weight to the scores of its live slots.
func (x *index) accumulate(ps []posting, n, avg float64, sel selector, sc *scratch) {
	df := 0
	for _, p := range ps {
		if x.slots[p.slot].group >= 0 {
			df++
		}
	}
	if df == 0 {
		return
	}
	idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
	lenNorm := bm25K1 * bm25B / avg
	for _, p := range ps {
		if !sel.ok(x, p.slot) {
			continue
		}
		tf := float64(p.tf)
		w := idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B) + lenNorm*float64(x.slots[p.slot].length))
		if sc.scores[p.slot] == 0 {
			sc.touched = append(sc.touched, p.slot)
		}
		sc.scores[p.slot] += w
	}
}

func (x *index) reset(sc *scratch) {
	for _, s := range sc.touched {
		sc.scores[s] = 0
	}
	sc.touched = sc.touched[:0]
}

// KeywordSearch ranks the chunks passing f by BM25 over their terms, best
// first; chunks sharing no term with the query are not returned.
func (s *Store) KeywordSearch(ctx context.Context, terms []string, k int, f banban.Filter) ([]banban.Hit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if k <= 0 || len(terms) == 0 {
		return nil, nil
	}
	return s.search(func(x *index) ([]scored, error) {
		sc, _ := s.scratch.Get().(*scratch)
		if sc == nil {
			sc = &scratch{}
		}
		defer s.scratch.Put(sc)
		return x.bm25(ctx, terms, k, &f, sc)
	})
}
