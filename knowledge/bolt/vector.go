package bolt

import (
	"context"
	"github.com/banban-gov/banban/knowledge/vecmath"
	"runtime"
	"slices"
	"sync"

	"github.com/banban-gov/banban"
)

// parallelMin is the number of vectors below which one goroutine scans
// them all: under it, starting goroutines costs more than it saves.
const parallelMin = 16384

// ctxEvery is how many slots a scan visits between context checks.
const ctxEvery = 4096

// selector applies a filter during a scan. The filter is evaluated once per
// metadata group (about once per document), not once per chunk.
type selector struct {
	allowed []bool // by group; nil lets every live slot through
}

func (x *index) selector(f *banban.Filter) selector {
	if len(f.Kinds) == 0 && f.Region == "" && f.Department == "" && len(f.DocIDs) == 0 && f.At.IsZero() {
		return selector{}
	}
	allowed := make([]bool, len(x.groups))
	for i := range x.groups {
		allowed[i] = x.groups[i].match(f)
	}
	return selector{allowed: allowed}
}

func (sel selector) ok(x *index, s int32) bool {
	g := x.slots[s].group
	return g >= 0 && (sel.allowed == nil || sel.allowed[g])
}

// candidates lists the slots of the documents a filter names, so that a
// search within a few documents does not scan the whole slab; nil means
// all slots.
func (x *index) candidates(f *banban.Filter) []int32 {
	if len(f.DocIDs) == 0 {
		return nil
	}
	out := []int32{}
	for i, id := range f.DocIDs {
		if d, ok := x.docs[id]; ok && !slices.Contains(f.DocIDs[:i], id) {
			out = append(out, d.slots...)
		}
	}
	return out
}

// nearest returns the k live slots passing f whose vectors are nearest to
// the unit vector q, best first. Large scans are split across GOMAXPROCS
// goroutines, each keeping its own top k.
func (x *index) nearest(ctx context.Context, q []float32, k int, f *banban.Filter) ([]scored, error) {
	if x.live == 0 {
		return nil, nil
	}
	sel, cand := x.selector(f), x.candidates(f)
	n := len(x.slots)
	if cand != nil {
		n = len(cand)
	}
	workers := 1
	if n >= parallelMin {
		workers = runtime.GOMAXPROCS(0)
	}
	tops := make([]topK, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { tops[w], errs[w] = x.scan(ctx, q, k, sel, cand, lo, hi) })
	}
	wg.Wait()
	all := newTopK(x, k)
	for w := range tops {
		if errs[w] != nil {
			return nil, errs[w]
		}
		for _, s := range tops[w].items {
			all.push(s.score, s.slot)
		}
	}
	return all.best(), nil
}

// scan scores the slots lo..hi (of cand, or of the slab when cand is nil).
func (x *index) scan(ctx context.Context, q []float32, k int, sel selector, cand []int32, lo, hi int) (topK, error) {
	t := newTopK(x, k)
	dim := x.dim
	for i := lo; i < hi; i++ {
		if (i-lo)%ctxEvery == ctxEvery-1 {
			if err := ctx.Err(); err != nil {
				return t, err
			}
		}
		s := int32(i)
		if cand != nil {
			s = cand[i]
		}
		if !sel.ok(x, s) {
			continue
		}
		off := int(s) * dim
		t.push(float64(dot(q, x.vecs[off:off+dim])), s)
	}
	return t, nil
}

// dot is the inner product both stores share.
func dot(a, b []float32) float32 { return vecmath.Dot(a, b) }

// VectorSearch returns the k chunks passing f nearest to vec by cosine
// similarity, best first.
func (s *Store) VectorSearch(ctx context.Context, vec []float32, k int, f banban.Filter) ([]banban.Hit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q := unit(vec)
	return s.search(func(x *index) ([]scored, error) {
		if dim := s.dim(); len(vec) != dim {
			if dim == 0 {
				return nil, nil // nothing stored, nothing to compare with
			}
			return nil, banban.Errorf(banban.ECONFLICT, "查询向量为 %d 维，与索引的 %d 维不一致", len(vec), dim)
		}
		if k <= 0 {
			return nil, nil
		}
		return x.nearest(ctx, q, k, &f)
	})
}
