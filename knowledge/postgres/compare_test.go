package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/bolt"
	"github.com/banban-gov/banban/knowledge/storetest"
)

// TestSameResultsAsBolt puts the same knowledge base into the embedded
// store and into PostgreSQL and checks that every search returns the same
// chunks in the same order with the same scores, to the last bit: BM25 with
// its statistics, the score-tier shortcuts of keyword search, cosine
// ranking, filters, ties and name matching. It compares again after a
// re-import that makes chunks much longer (the average length drifts away
// from the one the score tiers were computed with) and deletions.
func TestSameResultsAsBolt(t *testing.T) {
	modes := []struct {
		name  string
		opts  Options
		paths []string // the ways keyword searches must end, each at least once
	}{
		{"Memory", Options{}, []string{"memory"}},
		{"Database", Options{NoKeywordCache: true, NoChunkCache: true}, []string{"champions", "dnf", "all"}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { compareWithBolt(t, m.opts, m.paths) })
	}
}

func compareWithBolt(t *testing.T, opts Options, wantPaths []string) {
	ctx := t.Context()
	pg := openTest(t, opts)
	bs, err := bolt.Open(filepath.Join(t.TempDir(), "kb.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	t.Cleanup(func() { bs.Close() })
	stores := map[string]banban.Store{"bolt": bs, "postgres": pg}
	info := banban.IndexInfo{Embedder: "compare", Dim: cmpDim, CreatedAt: time.Now()}
	for name, st := range stores {
		if err := st.SetIndexInfo(ctx, info); err != nil {
			t.Fatalf("%s SetIndexInfo: %v", name, err)
		}
	}
	paths := make(map[string]int)
	traceKeyword = func(p string) { paths[p]++ }
	t.Cleanup(func() { traceKeyword = nil })

	g := newCmpCorpus(7)
	putBoth(t, bs, pg, g.entries(0, 300, 1))
	compareStores(t, bs, pg, g, "after import")

	// New, longer versions of a third of the documents, and deletions.
	putBoth(t, bs, pg, g.entries(0, 100, 4))
	var gone []string
	for i := 150; i < 300; i += 7 {
		gone = append(gone, cmpDocID(i))
	}
	for name, st := range stores {
		if err := st.Delete(ctx, gone...); err != nil {
			t.Fatalf("%s Delete: %v", name, err)
		}
	}
	compareStores(t, bs, pg, g, "after re-import and deletions")

	// Every document again, most chunks replaced: the in-memory index
	// drops its dead chunks.
	putBoth(t, bs, pg, g.entries(0, 300, 2))
	compareStores(t, bs, pg, g, "after a second re-import")
	t.Logf("keyword search paths: %v", paths)
	for _, p := range wantPaths {
		if paths[p] == 0 {
			t.Errorf("no keyword search ended by way of %q: the comparison does not cover it", p)
		}
	}
	if len(paths) != len(wantPaths) && slices.Equal(wantPaths, []string{"memory"}) {
		t.Errorf("keyword searches ended by way of %v, want all from memory", paths)
	}
}

const cmpDim = 8

// cmpCorpus generates a small knowledge base that is hard to rank the same:
// a small vocabulary, so that most queries are of common terms; chunk
// lengths from 1 to 150 terms; repeated terms; chunks sharing terms and
// vectors exactly, so that scores tie; metadata for every filter.
type cmpCorpus struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func newCmpCorpus(seed uint64) *cmpCorpus {
	rng := rand.New(rand.NewPCG(seed, seed))
	vocab := make([]string, 300)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%d", i)
	}
	vocab[5] = `引号'与\反斜杠` // quoting in tsquery and tsvector
	vocab[6] = "含 空格"
	return &cmpCorpus{rng: rng, zipf: rand.NewZipf(rng, 1.05, 1.5, uint64(len(vocab)-1)), vocab: vocab}
}

func cmpDocID(i int) string { return fmt.Sprintf("doc/%04d", i) }

// entries returns documents lo..hi-1; stretch multiplies chunk lengths.
func (g *cmpCorpus) entries(lo, hi, stretch int) []banban.Entry {
	var out []banban.Entry
	var prev []storetest.ChunkSpec
	for i := lo; i < hi; i++ {
		doc := banban.Document{
			ID: cmpDocID(i), Kind: []banban.Kind{banban.KindItem, banban.KindFAQ, banban.KindPolicy}[i%3],
			Title: fmt.Sprintf("事项%d", i), Region: []string{"广州市", "深圳市"}[i%2],
			Department: fmt.Sprintf("部门%d", i%5),
		}
		if i%4 == 1 {
			doc.Effective = storetest.Day(2025, time.Month(1+i%12), 1)
		}
		if i%5 == 2 {
			doc.Expires = storetest.Day(2025, time.Month(1+i%12), 28)
		}
		specs := make([]storetest.ChunkSpec, 1+g.rng.IntN(5))
		for j := range specs {
			specs[j] = g.chunk(stretch)
			if len(prev) > 0 && g.rng.IntN(8) == 0 {
				specs[j] = prev[g.rng.IntN(len(prev))] // an exact tie with another chunk
			}
		}
		prev = specs
		e := storetest.NewEntry(doc, specs...)
		e.Names = append(e.Names, fmt.Sprintf("名%d", i%40), fmt.Sprintf("名%d", i%40+100))
		out = append(out, e)
	}
	return out
}

func (g *cmpCorpus) chunk(stretch int) storetest.ChunkSpec {
	n := 1 + int(150*g.rng.Float64()*g.rng.Float64()) // mostly short, some long
	n *= stretch
	terms := make([]string, 0, n)
	for len(terms) < n {
		w := g.vocab[g.zipf.Uint64()]
		for r := 1 + g.rng.IntN(3)*g.rng.IntN(2); r > 0 && len(terms) < n; r-- {
			terms = append(terms, w)
		}
	}
	vec := make([]float32, cmpDim)
	for i := range vec {
		vec[i] = float32(g.rng.IntN(5) - 2) // small integers: many exact ties
	}
	vec[g.rng.IntN(cmpDim)] += 3 // never the zero vector
	return storetest.ChunkSpec{Text: strings.Join(terms, ""), Terms: terms, Vector: vec}
}

func (g *cmpCorpus) query() []string {
	n := 1 + g.rng.IntN(7)
	q := make([]string, 0, n+1)
	for range n {
		if g.rng.IntN(3) == 0 {
			q = append(q, g.vocab[g.rng.IntN(12)]) // the most common terms
		} else {
			q = append(q, g.vocab[g.zipf.Uint64()])
		}
	}
	switch g.rng.IntN(10) {
	case 0:
		q = append(q, "未知词")
	case 1:
		q = append(q, q[0]) // a repeated term counts once
	case 2:
		q = append(q, "")
	}
	return q
}

func putBoth(t *testing.T, a, b banban.Store, entries []banban.Entry) {
	t.Helper()
	for lo := 0; lo < len(entries); lo += 50 {
		batch := entries[lo:min(lo+50, len(entries))]
		for _, st := range []banban.Store{a, b} {
			if err := st.Put(t.Context(), batch); err != nil {
				t.Fatalf("Put: %v", err)
			}
		}
	}
}

func cmpFilters() []banban.Filter {
	at := time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)
	return []banban.Filter{
		{},
		{At: at},
		{Region: "深圳市", Kinds: []banban.Kind{banban.KindItem, banban.KindPolicy}},
		{Department: "部门2", At: at},
		{DocIDs: []string{cmpDocID(3), cmpDocID(8), cmpDocID(120), cmpDocID(299)}},
	}
}

func compareStores(t *testing.T, a, b banban.Store, g *cmpCorpus, when string) {
	t.Helper()
	ctx := t.Context()
	for _, k := range []int{1, 3, 10, 40, 1000} {
		for fi, f := range cmpFilters() {
			for range 30 {
				q := g.query()
				call := fmt.Sprintf("%s: KeywordSearch(%q, k=%d, filter %d)", when, q, k, fi)
				sameHits(t, call, search(t, call, func() ([]banban.Hit, error) { return a.KeywordSearch(ctx, q, k, f) }),
					search(t, call, func() ([]banban.Hit, error) { return b.KeywordSearch(ctx, q, k, f) }))
				vec := g.chunk(1).Vector
				call = fmt.Sprintf("%s: VectorSearch(%v, k=%d, filter %d)", when, vec, k, fi)
				sameHits(t, call, search(t, call, func() ([]banban.Hit, error) { return a.VectorSearch(ctx, vec, k, f) }),
					search(t, call, func() ([]banban.Hit, error) { return b.VectorSearch(ctx, vec, k, f) }))
			}
			zero := make([]float32, cmpDim)
			call := fmt.Sprintf("%s: VectorSearch(zero, k=%d, filter %d)", when, k, fi)
			sameHits(t, call, search(t, call, func() ([]banban.Hit, error) { return a.VectorSearch(ctx, zero, k, f) }),
				search(t, call, func() ([]banban.Hit, error) { return b.VectorSearch(ctx, zero, k, f) }))
		}
	}
	compareNames(t, a, b, when)
	sa, _ := a.Stats(ctx)
	sb, _ := b.Stats(ctx)
	if sa != sb {
		t.Errorf("%s: Stats: bolt %+v, postgres %+v", when, sa, sb)
	}
}

func compareNames(t *testing.T, a, b banban.Store, when string) {
	t.Helper()
	queries := []string{"名3", "我要办名12和名112", "名1", "事项", "名39名139名7", "",
		strings.Repeat("很长的问题", 20) + "名21", "名\xff5"}
	for fi, f := range cmpFilters() {
		for _, q := range queries {
			ma, errA := a.MatchNames(t.Context(), q, f)
			mb, errB := b.MatchNames(t.Context(), q, f)
			if errA != nil || errB != nil {
				t.Fatalf("%s: MatchNames(%q): %v, %v", when, q, errA, errB)
			}
			if fmt.Sprint(ma) != fmt.Sprint(mb) {
				t.Errorf("%s: MatchNames(%q, filter %d):\nbolt     %v\npostgres %v", when, q, fi, ma, mb)
			}
		}
	}
}

func search(t *testing.T, call string, fn func() ([]banban.Hit, error)) []banban.Hit {
	t.Helper()
	hits, err := fn()
	if err != nil {
		t.Fatalf("%s: %v", call, err)
	}
	return hits
}

// sameHits fails unless both stores return the same chunks, in the same
// order, with the same scores and terms.
func sameHits(t *testing.T, call string, want, got []banban.Hit) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: bolt %d hits %v, postgres %d %v", call, len(want), ids(want), len(got), ids(got))
		return
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.Chunk.ID != g.Chunk.ID || w.Score != g.Score || !slices.Equal(w.Chunk.Terms, g.Chunk.Terms) {
			t.Errorf("%s: hit %d: bolt %s %.17g, postgres %s %.17g\nbolt     %v\npostgres %v",
				call, i, w.Chunk.ID, w.Score, g.Chunk.ID, g.Score, ids(want), ids(got))
			return
		}
	}
}

func ids(hits []banban.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Chunk.ID
	}
	return out
}

var _ = context.Background
