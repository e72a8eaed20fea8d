package storetest

import (
	"fmt"
	"testing"

	"github.com/banban-gov/banban"
)

// kwDoc is a one-chunk document whose terms are the given terms padded to
// length with terms no other chunk has.
func kwDoc(id string, length int, terms ...string) banban.Entry {
	all := append([]string(nil), terms...)
	for i := len(all); i < length; i++ {
		all = append(all, fmt.Sprintf("%s-pad%d", id, i))
	}
	doc := banban.Document{ID: id, Kind: banban.KindFAQ, Title: id}
	return NewEntry(doc, ChunkSpec{Text: id, Terms: all, Vector: []float32{1, 0, 0, 0}})
}

// repeat returns n copies of term.
func repeat(term string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = term
	}
	return out
}

// scores maps each hit's document id to its score.
func scores(hits []banban.Hit) map[string]float64 {
	m := make(map[string]float64, len(hits))
	for _, h := range hits {
		m[h.Chunk.DocID] = h.Score
	}
	return m
}

func testKeywordSearch(t *testing.T, open Opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"RarerTermRanksHigher", testRarerTerm},
		{"TermFrequencySaturates", testSaturation},
		{"ShorterChunkWinsAtEqualTF", testShorterChunk},
		{"NoMatch", testNoMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t, open, false)) })
	}
}

func testRarerTerm(t *testing.T, h *harness) {
	h.put(kwDoc("kw/rare", 5, "罕见"))
	for i := range 10 {
		h.put(kwDoc(fmt.Sprintf("kw/common-%d", i), 5, "常见"))
	}
	hits := h.keywordSearch([]string{"常见", "罕见"}, 20, banban.Filter{})
	if len(hits) != 11 {
		t.Fatalf("KeywordSearch(常见 罕见): got %d hits, want 11 (every chunk with a query term, no other)", len(hits))
	}
	if got := hits[0].Chunk.DocID; got != "kw/rare" {
		t.Errorf("KeywordSearch(常见 罕见): got %s first, want kw/rare", got)
	}
	checkBestFirst(h, "KeywordSearch", hits)
	if top := h.keywordSearch([]string{"常见"}, 3, banban.Filter{}); len(top) != 3 {
		t.Errorf("KeywordSearch(常见, k=3): got %d hits, want 3", len(top))
	}
}

func testSaturation(t *testing.T, h *harness) {
	for _, tf := range []int{1, 2, 4, 16} {
		h.put(kwDoc(fmt.Sprintf("kw/tf%d", tf), 20, repeat("词", tf)...))
	}
	for i := range 4 {
		h.put(kwDoc(fmt.Sprintf("kw/other-%d", i), 20))
	}
	hits := h.keywordSearch([]string{"词"}, 10, banban.Filter{})
	if got, want := docOrder(hits), []string{"kw/tf16", "kw/tf4", "kw/tf2", "kw/tf1"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("KeywordSearch(词): got order %v, want %v", got, want)
	}
	s := scores(hits)
	s1, s2, s4, s16 := s["kw/tf1"], s["kw/tf2"], s["kw/tf4"], s["kw/tf16"]
	if s16 >= 4*s1 {
		t.Errorf("score at tf 16 = %.4f, want under 4 x score at tf 1 = %.4f: term frequency must saturate", s16, 4*s1)
	}
	if g1, g2, g3 := s2-s1, (s4-s2)/2, (s16-s4)/12; g1 <= g2 || g2 <= g3 {
		t.Errorf("score gain per extra occurrence: got %.4f, %.4f, %.4f, want decreasing", g1, g2, g3)
	}
}

func testShorterChunk(t *testing.T, h *harness) {
	h.put(kwDoc("kw/long", 50, "词"), kwDoc("kw/short", 5, "词"), kwDoc("kw/other", 20))
	hits := h.keywordSearch([]string{"词"}, 10, banban.Filter{})
	if got, want := docOrder(hits), []string{"kw/short", "kw/long"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("KeywordSearch(词): got order %v, want %v", got, want)
	}
	if hits[0].Score <= hits[1].Score {
		t.Errorf("short chunk score %.4f, long chunk score %.4f: want the short one strictly higher", hits[0].Score, hits[1].Score)
	}
}

func testNoMatch(t *testing.T, h *harness) {
	h.put(kwDoc("kw/a", 5, "词"))
	tests := []struct {
		name  string
		terms []string
	}{
		{"UnknownTerm", []string{"不存在"}},
		{"NoTerms", nil},
		{"EmptyTerm", []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if hits := h.keywordSearch(tc.terms, 10, banban.Filter{}); len(hits) != 0 {
				t.Errorf("KeywordSearch(%q): got %v, want no hits", tc.terms, hitIDs(hits))
			}
		})
	}
}

func docOrder(hits []banban.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Chunk.DocID
	}
	return ids
}

func testKeywordFilters(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(filterWorld()...)
	for _, tc := range filterCases() {
		t.Run(tc.name, func(t *testing.T) {
			hits := h.keywordSearch([]string{filterTerm}, 20, tc.filter)
			if got := hitDocs(hits); !sameSet(got, tc.want) {
				t.Errorf("KeywordSearch with %+v: got docs %v, want %v", tc.filter, got, tc.want)
			}
			checkBestFirst(h, "KeywordSearch", hits)
		})
	}
	t.Run("FilterBeforeTopK", func(t *testing.T) {
		h.put(decoys()...)
		f := banban.Filter{Region: "广州市"}
		hits := h.keywordSearch([]string{filterTerm}, 2, f)
		if got, want := hitDocs(hits), []string{fItemGZ, fPolicyGZ}; !sameSet(got, want) {
			t.Errorf("KeywordSearch(k=2) with %+v among better decoys: got docs %v, want %v", f, got, want)
		}
	})
}
