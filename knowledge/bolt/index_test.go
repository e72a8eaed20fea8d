package bolt

import (
	"cmp"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

// TestFailedTransaction makes bbolt itself fail in the middle of a write
// (a key over its 32 KiB limit, after two entries were already written)
// and checks that neither the file nor the in-memory index changed.
func TestFailedTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	c := storetest.NewCorpus(5, 8, 200, 4, 20)
	st := openPath(t, path)
	for n := range 20 {
		mustPut(t, st, c.Entry(n))
	}
	before := observe(t, st, c, 20)
	huge := c.Entry(99)
	huge.Doc.ID = strings.Repeat("长", 12000)
	for i := range huge.Chunks {
		huge.Chunks[i].DocID = huge.Doc.ID
	}
	err := st.Put(t.Context(), []banban.Entry{c.Entry(20), c.Entry(3), huge})
	if got := banban.ErrorCode(err); got != banban.ETOOLARGE {
		t.Fatalf("Put with a 36 KB document id: got %v (code %q), want code %q", err, got, banban.ETOOLARGE)
	}
	if after := observe(t, st, c, 20); after != before {
		t.Errorf("in memory after the failed Put:\ngot  %s\nwant %s", after, before)
	}
	st.Close()
	st = openPath(t, path)
	defer st.Close()
	if after := observe(t, st, c, 20); after != before {
		t.Errorf("in the file after the failed Put:\ngot  %s\nwant %s", after, before)
	}
}

// TestBM25Score checks one score against the formula worked by hand:
// N = 3 chunks of lengths 4, 2 and 6 (average 4); the query term occurs
// twice in the first chunk and in no other, so df = 1.
func TestBM25Score(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	doc := func(id string, terms ...string) banban.Entry {
		return storetest.NewEntry(banban.Document{ID: id, Kind: banban.KindFAQ, Title: id},
			storetest.ChunkSpec{Text: id, Terms: terms, Vector: []float32{1, 0}})
	}
	mustPut(t, st,
		doc("a", "社保", "社保", "转移", "办理"),
		doc("b", "转移", "办理"),
		doc("c", "户口", "迁移", "办理", "材料", "时限", "地点"))
	idf := math.Log(1 + (3-1+0.5)/(1+0.5))
	wantA := idf * 2 * 2.2 / (2 + 1.2*(1-0.75+0.75*4.0/4.0))
	idfMove := math.Log(1 + (3-2+0.5)/(2+0.5))
	wantB := idfMove * 1 * 2.2 / (1 + 1.2*(1-0.75+0.75*2.0/4.0))
	tests := []struct {
		name  string
		terms []string
		want  map[string]float64
	}{
		{"OneTerm", []string{"社保"}, map[string]float64{"a": wantA}},
		{"DuplicateQueryTerm", []string{"社保", "社保"}, map[string]float64{"a": wantA}},
		{"TwoTerms", []string{"社保", "转移"}, map[string]float64{
			"a": wantA + idfMove*2.2/(1+1.2), "b": wantB}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := st.KeywordSearch(t.Context(), tc.terms, 10, banban.Filter{})
			if err != nil {
				t.Fatalf("KeywordSearch: %v", err)
			}
			if len(hits) != len(tc.want) {
				t.Fatalf("KeywordSearch(%q): got %d hits, want %d", tc.terms, len(hits), len(tc.want))
			}
			for _, h := range hits {
				if want := tc.want[h.Chunk.DocID]; math.Abs(h.Score-want) > 1e-9 {
					t.Errorf("score of %s: got %.9f, want %.9f", h.Chunk.DocID, h.Score, want)
				}
			}
		})
	}
}

// TestCompaction re-imports one document many times and checks that dead
// slots are dropped once they pass a quarter, with search unaffected.
func TestCompaction(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	c := storetest.NewCorpus(9, 8, 100, 4, 10)
	for n := range 10 {
		mustPut(t, st, c.Entry(n))
	}
	var last banban.Entry
	for range 50 {
		last = c.Entry(3) // new vectors and terms each time
		mustPut(t, st, last)
	}
	x := st.idx
	if dead := len(x.slots) - x.live; dead*4 > len(x.slots) {
		t.Errorf("after 50 re-imports: %d of %d slots dead, want at most a quarter", dead, len(x.slots))
	}
	if x.live != 40 {
		t.Errorf("live slots: got %d, want 40", x.live)
	}
	for term, id := range x.termIDs {
		for _, p := range x.postings[id] {
			if int(p.slot) >= len(x.slots) {
				t.Fatalf("term %q: posting for slot %d of %d", term, p.slot, len(x.slots))
			}
		}
	}
	hits, err := st.VectorSearch(t.Context(), last.Chunks[2].Vector, 1, banban.Filter{})
	if err != nil || len(hits) != 1 || hits[0].Chunk.ID != "gen/000003#2" {
		t.Errorf("VectorSearch for a re-imported chunk's vector: got %v, %v, want gen/000003#2", renderHits(hits), err)
	}
}

// TestNearestParallel checks the parallel scan against a plain sort, with
// and without a filter, on an index large enough to be split.
func TestNearestParallel(t *testing.T) {
	c := storetest.NewCorpus(11, 16, 100, 10, 5)
	x := newIndex()
	for n := range 2 * parallelMin / 10 {
		e := c.Entry(n)
		u, _, err := (&Store{idx: x}).prepare([]banban.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		x.add(u[0])
	}
	q := unit(c.Vector())
	filters := []struct {
		name string
		f    banban.Filter
	}{{"None", banban.Filter{}}, {"Region", banban.Filter{Region: "佛山市"}}}
	for _, tc := range filters {
		t.Run(tc.name, func(t *testing.T) {
			got, err := x.nearest(t.Context(), q, 25, &tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var want []scored
			sel := x.selector(&tc.f)
			for s := range x.slots {
				if sel.ok(x, int32(s)) {
					want = append(want, scored{float64(dot(q, x.vecs[s*x.dim:(s+1)*x.dim])), int32(s)})
				}
			}
			slices.SortFunc(want, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
			want = want[:25]
			if slices.Compare(slotsOf(got), slotsOf(want)) != 0 {
				t.Errorf("nearest: got slots %v, want %v", slotsOf(got), slotsOf(want))
			}
		})
	}
}

func slotsOf(s []scored) []int32 {
	out := make([]int32, len(s))
	for i := range s {
		out[i] = s[i].slot
	}
	return out
}

func TestDot(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 16, 255, 256, 1024} {
		a, b := make([]float32, n), make([]float32, n)
		var want float64
		for i := range a {
			a[i], b[i] = float32(i%13)-6, float32(i%7)/3
			want += float64(a[i]) * float64(b[i])
		}
		if got := float64(dot(a, b)); math.Abs(got-want) > 1e-3*math.Max(1, math.Abs(want)) {
			t.Errorf("dot of length %d: got %v, want %v", n, got, want)
		}
	}
}
