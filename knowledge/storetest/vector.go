package storetest

import (
	"math"
	"testing"

	"github.com/banban-gov/banban"
)

// vectorWorld holds five one-chunk documents whose cosine similarity to
// (1, 0, 0, 0) is known. "v/long" points almost the same way as the query
// but is twice as long: a store that ranked by dot product instead of
// cosine would put it first.
func vectorWorld() []banban.Entry {
	vecs := []struct {
		id  string
		vec []float32
	}{
		{"v/same", []float32{1, 0, 0, 0}},
		{"v/long", []float32{2, 0.2, 0, 0}},
		{"v/diagonal", []float32{1, 1, 0, 0}},
		{"v/orthogonal", []float32{0, 0, 1, 0}},
		{"v/opposite", []float32{-1, 0, 0, 0}},
	}
	entries := make([]banban.Entry, len(vecs))
	for i, v := range vecs {
		doc := banban.Document{ID: v.id, Kind: banban.KindFAQ, Title: v.id}
		entries[i] = NewEntry(doc, ChunkSpec{Text: v.id, Terms: []string{v.id}, Vector: v.vec})
	}
	return entries
}

func testVectorSearch(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(vectorWorld()...)
	cosLong := 2 / math.Sqrt(4.04)
	type ranked struct {
		doc   string
		score float64
	}
	all := []ranked{{"v/same", 1}, {"v/long", cosLong}, {"v/diagonal", math.Sqrt2 / 2}, {"v/orthogonal", 0}, {"v/opposite", -1}}
	tests := []struct {
		name  string
		query []float32
		k     int
		want  []ranked
	}{
		{"AllBestFirst", []float32{1, 0, 0, 0}, 10, all},
		{"QueryLengthDoesNotMatter", []float32{3, 0, 0, 0}, 10, all},
		{"KLimit", []float32{1, 0, 0, 0}, 2, all[:2]},
		{"KOne", []float32{0, 0, 5, 0}, 1, []ranked{{"v/orthogonal", 1}}},
		{"OtherDirection", []float32{-1, 0, 0, 0}, 3, []ranked{{"v/opposite", 1}, {"v/orthogonal", 0}, {"v/diagonal", -math.Sqrt2 / 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hits := h.vectorSearch(tc.query, tc.k, banban.Filter{})
			if len(hits) != len(tc.want) {
				t.Fatalf("VectorSearch(%v, %d): got %d hits %v, want %d", tc.query, tc.k, len(hits), hitIDs(hits), len(tc.want))
			}
			for i, w := range tc.want {
				got := hits[i]
				if got.Chunk.DocID != w.doc || math.Abs(got.Score-w.score) > 1e-5 {
					t.Errorf("hit %d: got %s with score %.6f, want %s with score %.6f", i, got.Chunk.DocID, got.Score, w.doc, w.score)
				}
			}
		})
	}
	t.Run("WrongQueryDimension", func(t *testing.T) {
		_, err := h.st.VectorSearch(h.ctx, []float32{1, 0, 0}, 3, banban.Filter{})
		wantCode(t, "VectorSearch with a 3-dimensional query", err, banban.ECONFLICT)
	})
}

func testVectorFilters(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(filterWorld()...)
	for _, tc := range filterCases() {
		t.Run(tc.name, func(t *testing.T) {
			hits := h.vectorSearch(filterVector, 20, tc.filter)
			if got := hitDocs(hits); !sameSet(got, tc.want) {
				t.Errorf("VectorSearch with %+v: got docs %v, want %v", tc.filter, got, tc.want)
			}
			checkBestFirst(h, "VectorSearch", hits)
		})
	}
	t.Run("FilterBeforeTopK", func(t *testing.T) {
		h.put(decoys()...)
		f := banban.Filter{Region: "广州市"}
		hits := h.vectorSearch(filterVector, 2, f)
		if got, want := hitDocs(hits), []string{fItemGZ, fPolicyGZ}; !sameSet(got, want) {
			t.Errorf("VectorSearch(k=2) with %+v among better decoys: got docs %v, want %v", f, got, want)
		}
	})
}
