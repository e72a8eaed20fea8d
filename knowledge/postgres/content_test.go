package postgres

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

// TestUnusualTerms stores terms PostgreSQL's tsvector cannot hold as they
// are (too long, or holding the tier separator) or must quote, and checks
// that keyword search finds each and returns the terms unchanged.
func TestUnusualTerms(t *testing.T) {
	ctx := t.Context()
	st := openTest(t, Options{})
	if err := st.SetIndexInfo(ctx, banban.IndexInfo{Embedder: "terms", Dim: 2, CreatedAt: time.Now()}); err != nil {
		t.Fatalf("SetIndexInfo: %v", err)
	}
	terms := []string{strings.Repeat("长", 1000), "a" + tierSep + "1", `it's`, `back\slash`, "含 空格", "a & b | !c", "'"}
	var entries []banban.Entry
	for i, term := range terms {
		doc := banban.Document{ID: "odd/" + string(rune('a'+i)), Kind: banban.KindFAQ, Title: "怪词"}
		entries = append(entries, storetest.NewEntry(doc,
			storetest.ChunkSpec{Text: "x", Terms: []string{term, "常见", term}, Vector: []float32{1, 0}}))
	}
	if err := st.Put(ctx, entries); err != nil {
		t.Fatalf("Put: %v", err)
	}
	for i, term := range terms {
		hits, err := st.KeywordSearch(ctx, []string{term}, 5, banban.Filter{})
		if err != nil {
			t.Fatalf("KeywordSearch(%.20q): %v", term, err)
		}
		if len(hits) != 1 || hits[0].Chunk.DocID != entries[i].Doc.ID || !slices.Equal(hits[0].Chunk.Terms, entries[i].Chunks[0].Terms) {
			t.Errorf("KeywordSearch(%.20q): got %v, want %s with its terms", term, ids(hits), entries[i].Doc.ID)
		}
	}
}

// TestTextPostgreSQLRefuses checks that text PostgreSQL cannot store is an
// EINVALID error that changes nothing.
func TestTextPostgreSQLRefuses(t *testing.T) {
	ctx := t.Context()
	st := openTest(t, Options{})
	if err := st.SetIndexInfo(ctx, banban.IndexInfo{Embedder: "text", Dim: 2, CreatedAt: time.Now()}); err != nil {
		t.Fatalf("SetIndexInfo: %v", err)
	}
	good := storetest.NewEntry(banban.Document{ID: "ok", Kind: banban.KindFAQ, Title: "好"},
		storetest.ChunkSpec{Text: "好", Terms: []string{"好"}, Vector: []float32{1, 0}})
	if err := st.Put(ctx, []banban.Entry{good}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	tests := []struct {
		name string
		spec storetest.ChunkSpec
		doc  func(*banban.Document)
	}{
		{"NULInText", storetest.ChunkSpec{Text: "a\x00b", Terms: []string{"a"}, Vector: []float32{1, 0}}, nil},
		{"NULInTerm", storetest.ChunkSpec{Text: "a", Terms: []string{"a\x00"}, Vector: []float32{1, 0}}, nil},
		{"BadUTF8InRegion", storetest.ChunkSpec{Text: "a", Terms: []string{"a"}, Vector: []float32{1, 0}},
			func(d *banban.Document) { d.Region = "\xff\xfe" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := banban.Document{ID: "bad/" + tc.name, Kind: banban.KindFAQ, Title: "坏"}
			if tc.doc != nil {
				tc.doc(&doc)
			}
			err := st.Put(ctx, []banban.Entry{storetest.NewEntry(doc, tc.spec)})
			if got := banban.ErrorCode(err); got != banban.EINVALID {
				t.Errorf("Put: got %v (code %q), want code %q", err, got, banban.EINVALID)
			}
			if stats, err := st.Stats(ctx); err != nil || stats != (banban.Stats{Documents: 1, Chunks: 1}) {
				t.Errorf("Stats after the refused Put: got %+v, %v", stats, err)
			}
		})
	}
}
