package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

func testIndexInfo(t *testing.T, open Opener) {
	h := newStore(t, open, true)
	if info, ok, err := h.st.IndexInfo(h.ctx); err != nil || ok {
		t.Fatalf("IndexInfo of a new store: got %+v, %v, %v, want ok false and no error", info, ok, err)
	}
	at := time.Date(2025, 5, 1, 8, 30, 0, 0, time.UTC)
	a := banban.IndexInfo{Embedder: "emb-a", Dim: 4, CreatedAt: at}
	b := banban.IndexInfo{Embedder: "emb-b", Dim: 8, CreatedAt: at.Add(time.Hour)}
	b2 := banban.IndexInfo{Embedder: "emb-b", Dim: 8, CreatedAt: at.Add(2 * time.Hour)}
	set := func(info banban.IndexInfo) func() error {
		return func() error { return h.st.SetIndexInfo(h.ctx, info) }
	}
	eight := NewEntry(banban.Document{ID: "dim/eight", Kind: banban.KindFAQ, Title: "八维"},
		ChunkSpec{Text: "八维", Terms: []string{"八维"}, Vector: []float32{1, 2, 3, 4, 5, 6, 7, 8}})
	// Steps run in order on one store; want is what IndexInfo reports after.
	steps := []struct {
		name     string
		do       func() error
		wantCode string
		want     banban.IndexInfo
	}{
		{"First", set(a), "", a},
		{"ChangeWhileEmpty", set(b), "", b},
		{"PutChunks", func() error { return h.st.Put(h.ctx, []banban.Entry{eight}) }, "", b},
		{"SameEmbedderAgain", set(b2), "", b2},
		{"OtherEmbedder", set(banban.IndexInfo{Embedder: "emb-c", Dim: 8, CreatedAt: at}), banban.ECONFLICT, b2},
		{"OtherDim", set(banban.IndexInfo{Embedder: "emb-b", Dim: 4, CreatedAt: at}), banban.ECONFLICT, b2},
		{"ZeroDim", set(banban.IndexInfo{Embedder: "emb-b", CreatedAt: at}), banban.EINVALID, b2},
		{"DeleteChunks", func() error { return h.st.Delete(h.ctx, eight.Doc.ID) }, "", b2},
		{"ChangeAfterDelete", set(a), "", a},
	}
	for _, s := range steps {
		err := s.do()
		if got := banban.ErrorCode(err); got != s.wantCode {
			t.Errorf("step %s: got error %v (code %q), want code %q", s.name, err, got, s.wantCode)
		}
		got, ok, err := h.st.IndexInfo(h.ctx)
		if err != nil || !ok || !sameInfo(got, s.want) {
			t.Errorf("step %s: IndexInfo: got %+v, %v, %v, want %+v, true, nil", s.name, got, ok, err, s.want)
		}
	}
}

func sameInfo(a, b banban.IndexInfo) bool {
	return a.Embedder == b.Embedder && a.Dim == b.Dim && a.CreatedAt.Equal(b.CreatedAt)
}

// snapshot is everything a reader can observe of a store, to check that a
// refused call changed nothing.
type snapshot struct {
	stats   banban.Stats
	vector  []string
	keyword []string
	names   []banban.NameMatch
	sources map[string]banban.SourceInfo
	chunks  []banban.Chunk
}

func (h *harness) snapshot(terms []string, name, docID string) snapshot {
	h.t.Helper()
	srcs, err := h.st.Sources(h.ctx)
	if err != nil {
		h.t.Fatalf("Sources: %v", err)
	}
	return snapshot{
		stats:   h.stats(),
		vector:  hitIDs(h.vectorSearch([]float32{1, 1, 1, 1}, 50, banban.Filter{})),
		keyword: hitIDs(h.keywordSearch(terms, 50, banban.Filter{})),
		names:   h.matchNames(name, banban.Filter{}),
		sources: srcs,
		chunks:  h.chunks(docID),
	}
}

func (s snapshot) diff(o snapshot) string {
	if d := diffChunks(o.chunks, s.chunks, true); d != "" {
		return "chunks: " + d
	}
	a := fmt.Sprintf("%+v %v %v %+v %v", s.stats, s.vector, s.keyword, s.names, s.sources)
	b := fmt.Sprintf("%+v %v %v %+v %v", o.stats, o.vector, o.keyword, o.names, o.sources)
	if a != b {
		return fmt.Sprintf("got %s\nwant %s", b, a)
	}
	return ""
}

// refusedBatch puts a new document and a new version of an existing one,
// then a bad entry, and checks the store refuses all three with code.
func refusedBatch(t *testing.T, open Opener, bad banban.Entry, code string) {
	h := newStore(t, open, false)
	old := itemEntry()
	h.put(old, bundleEntry())
	terms := []string{"身份证", "新版", "新文档", "坏"}
	before := h.snapshot(terms, "居民身份证申领新版文档", old.Doc.ID)

	next := itemEntry()
	next.Doc.Title, next.Doc.Source = "新版", "items/id-card-new.md"
	next.Chunks = next.Chunks[:1]
	next.Chunks[0].Terms = []string{"新版"}
	next.Names = []string{"新版"}
	fresh := NewEntry(banban.Document{ID: "new/doc", Kind: banban.KindFAQ, Title: "新文档", Source: "new.md"},
		ChunkSpec{Text: "新文档", Terms: []string{"新文档"}, Vector: []float32{1, 1, 1, 1}})
	err := h.st.Put(h.ctx, []banban.Entry{fresh, next, bad})
	wantCode(t, "Put of a batch with a bad entry", err, code)
	if d := before.diff(h.snapshot(terms, "居民身份证申领新版文档", old.Doc.ID)); d != "" {
		t.Errorf("store changed by a refused Put: %s", d)
	}
	_, err = h.st.Document(h.ctx, fresh.Doc.ID)
	wantCode(t, "Document of the refused new entry", err, banban.ENOTFOUND)
}

func testDimensionMismatch(t *testing.T, open Opener) {
	tests := []struct {
		name string
		vec  []float32
	}{
		{"Shorter", []float32{1, 0, 0}},
		{"Longer", []float32{1, 0, 0, 0, 0}},
		{"Missing", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := NewEntry(banban.Document{ID: "bad/dim", Kind: banban.KindFAQ, Title: "坏"},
				ChunkSpec{Text: "好", Terms: []string{"坏"}, Vector: []float32{0, 0, 0, 1}},
				ChunkSpec{Text: "坏", Terms: []string{"坏"}, Vector: tc.vec})
			refusedBatch(t, open, bad, banban.ECONFLICT)
		})
	}
}

func testFailedBatch(t *testing.T, open Opener) {
	bad := NewEntry(banban.Document{Kind: banban.KindFAQ, Title: "坏"},
		ChunkSpec{Text: "坏", Terms: []string{"坏"}, Vector: []float32{0, 0, 0, 1}})
	refusedBatch(t, open, bad, banban.EINVALID)
}
