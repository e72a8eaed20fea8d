package storetest

import (
	"maps"
	"slices"
	"testing"

	"github.com/banban-gov/banban"
)

// itemDoc is a document with every field set.
func itemDoc() banban.Document {
	return banban.Document{
		ID:         "items/id-card",
		Kind:       banban.KindItem,
		Title:      "居民身份证申领",
		Aliases:    []string{"办身份证", "ID Card"},
		Code:       "11440000MB2C92021G",
		Department: "公安厅",
		Region:     "广东省",
		Updated:    Day(2025, 3, 1),
		Effective:  Day(2025, 1, 1),
		Expires:    Day(2030, 12, 31),
		URL:        "https://example.gov.cn/items/id-card",
		Form: []banban.FormField{
			{Name: "name", Label: "姓名", Type: "text", Required: true},
			{Name: "reason", Label: "申领原因", Type: "enum", Options: []string{"首次申领", "换领"}},
		},
		Sections: []banban.Section{
			{Heading: "", Text: "本事项适用于户籍居民。"},
			{Heading: banban.SecConditions, Text: "年满十六周岁。"},
			{Heading: banban.SecMaterials, Text: "1. 户口簿原件"},
		},
		Source: "items/id-card.md",
		Hash:   "sha256:0011",
	}
}

// itemEntry is itemDoc with three chunks.
func itemEntry() banban.Entry {
	doc := itemDoc()
	return NewEntry(doc,
		ChunkSpec{Text: "本事项适用于户籍居民。", Terms: []string{"身份证", "户籍", "居民"}, Vector: []float32{1, 0, 0, 0}},
		ChunkSpec{Section: banban.SecConditions, Text: "年满十六周岁。", Terms: []string{"身份证", "十六", "周岁"}, Vector: []float32{0, 1, 0, 0}},
		ChunkSpec{Section: banban.SecMaterials, Text: "1. 户口簿原件", Terms: []string{"身份证", "户口簿", "户口簿", "原件"}, Vector: []float32{0.5, -0.25, 0.125, 3}},
	)
}

func bundleEntry() banban.Entry {
	doc := banban.Document{
		ID: "bundles/birth", Kind: banban.KindBundle, Title: "出生一件事",
		Items:    []string{"items/id-card", "items/hukou"},
		Sections: []banban.Section{{Heading: "说明", Text: "新生儿出生后一次办理。"}},
	}
	return NewEntry(doc, ChunkSpec{Section: "说明", Text: "新生儿出生后一次办理。", Terms: []string{"出生", "新生儿"}, Vector: []float32{0, 0, 1, 0}})
}

func testRoundTrip(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	item, bundle := itemEntry(), bundleEntry()
	h.put(item, bundle)
	for _, want := range []banban.Entry{item, bundle} {
		got, err := h.st.Document(h.ctx, want.Doc.ID)
		if err != nil {
			t.Fatalf("Document(%q): %v", want.Doc.ID, err)
		}
		if d := diffDocument(got, want.Doc); d != "" {
			t.Errorf("Document(%q): %s", want.Doc.ID, d)
		}
		if d := diffChunks(h.chunks(want.Doc.ID), want.Chunks, true); d != "" {
			t.Errorf("Chunks(%q): %s", want.Doc.ID, d)
		}
	}
	// Hits carry the stored chunk, terms included (retrieval measures query
	// coverage with them); only the vector may be left out.
	hits := h.keywordSearch([]string{"原件"}, 10, banban.Filter{})
	if d := diffChunks(hitChunks(hits), item.Chunks[2:], false); d != "" {
		t.Errorf("KeywordSearch hit chunks: %s", d)
	}
	hits = h.vectorSearch([]float32{0, 1, 0, 0}, 1, banban.Filter{})
	if d := diffChunks(hitChunks(hits), item.Chunks[1:2], false); d != "" {
		t.Errorf("VectorSearch hit chunks: %s", d)
	}
	if err := h.st.Put(h.ctx, nil); err != nil {
		t.Errorf("Put(nil): got %v, want nil", err)
	}
}

func hitChunks(hits []banban.Hit) []banban.Chunk {
	cs := make([]banban.Chunk, len(hits))
	for i, hit := range hits {
		cs[i] = hit.Chunk
	}
	return cs
}

func testReplace(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(itemEntry())
	doc := itemDoc()
	doc.Title = "居民身份证申领（新版）"
	doc.Hash = "sha256:0022"
	next := NewEntry(doc,
		ChunkSpec{Text: "新版说明。", Terms: []string{"身份证", "新版"}, Vector: []float32{0, 0, 1, 0}},
		ChunkSpec{Section: banban.SecFees, Text: "不收费。", Terms: []string{"身份证", "收费"}, Vector: []float32{0, 0, 0, 1}},
	)
	h.put(next)

	got, err := h.st.Document(h.ctx, doc.ID)
	if err != nil {
		t.Fatalf("Document(%q): %v", doc.ID, err)
	}
	if d := diffDocument(got, doc); d != "" {
		t.Errorf("Document after replace: %s", d)
	}
	if d := diffChunks(h.chunks(doc.ID), next.Chunks, true); d != "" {
		t.Errorf("Chunks after replace: %s", d)
	}
	if got, want := h.stats(), (banban.Stats{Documents: 1, Chunks: 2}); got != want {
		t.Errorf("Stats after replace: got %+v, want %+v", got, want)
	}
	if hits := h.keywordSearch([]string{"户口簿", "周岁"}, 10, banban.Filter{}); len(hits) != 0 {
		t.Errorf("KeywordSearch for old terms: got hits %v, want none", hitIDs(hits))
	}
	hits := h.keywordSearch([]string{"身份证"}, 10, banban.Filter{})
	if got, want := hitIDs(hits), chunkIDs(next.Chunks); !sameSet(got, want) {
		t.Errorf("KeywordSearch(身份证) after replace: got %v, want %v", got, want)
	}
	for _, hit := range h.vectorSearch([]float32{1, 0, 0, 0}, 10, banban.Filter{}) {
		if hit.Chunk.Text != "新版说明。" && hit.Chunk.Text != "不收费。" {
			t.Errorf("VectorSearch after replace: got old chunk %s %q", hit.Chunk.ID, hit.Chunk.Text)
		}
	}
}

func testDelete(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	item, bundle := itemEntry(), bundleEntry()
	h.put(item, bundle)
	if err := h.st.Delete(h.ctx, item.Doc.ID, "no/such-doc"); err != nil {
		t.Fatalf("Delete(%q, unknown): %v", item.Doc.ID, err)
	}
	if err := h.st.Delete(h.ctx); err != nil {
		t.Errorf("Delete(): got %v, want nil", err)
	}
	_, err := h.st.Document(h.ctx, item.Doc.ID)
	wantCode(t, "Document after Delete", err, banban.ENOTFOUND)
	_, err = h.st.Chunks(h.ctx, item.Doc.ID)
	wantCode(t, "Chunks after Delete", err, banban.ENOTFOUND)
	if got, want := h.stats(), (banban.Stats{Documents: 1, Chunks: 1}); got != want {
		t.Errorf("Stats after Delete: got %+v, want %+v", got, want)
	}
	if got := hitDocs(h.vectorSearch([]float32{1, 1, 1, 1}, 10, banban.Filter{})); !sameSet(got, []string{bundle.Doc.ID}) {
		t.Errorf("VectorSearch after Delete: got docs %v, want only %s", got, bundle.Doc.ID)
	}
	if hits := h.keywordSearch([]string{"身份证"}, 10, banban.Filter{}); len(hits) != 0 {
		t.Errorf("KeywordSearch after Delete: got %v, want none", hitIDs(hits))
	}
	if got := h.matchNames("居民身份证申领", banban.Filter{}); len(got) != 0 {
		t.Errorf("MatchNames after Delete: got %+v, want none", got)
	}
	srcs, err := h.st.Sources(h.ctx)
	if err != nil {
		t.Fatalf("Sources: %v", err)
	}
	if _, ok := srcs[item.Doc.Source]; ok {
		t.Errorf("Sources after Delete: got %q still listed", item.Doc.Source)
	}
}

func testNotFound(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(itemEntry())
	tests := []struct {
		name string
		call func() error
	}{
		{"Document", func() error { _, err := h.st.Document(h.ctx, "no/such-doc"); return err }},
		{"Chunks", func() error { _, err := h.st.Chunks(h.ctx, "no/such-doc"); return err }},
		{"DocumentPrefix", func() error { _, err := h.st.Document(h.ctx, "items/id"); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name, tc.call(), banban.ENOTFOUND) })
	}
}

func testInvalidEntries(t *testing.T, open Opener) {
	mismatched := itemEntry()
	mismatched.Chunks[1].DocID = "items/other"
	tests := []struct {
		name  string
		entry banban.Entry
	}{
		{"EmptyDocID", NewEntry(banban.Document{Kind: banban.KindFAQ, Title: "无编号"},
			ChunkSpec{Text: "x", Terms: []string{"x"}, Vector: []float32{1, 0, 0, 0}})},
		{"ChunkOfAnotherDocument", mismatched},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newStore(t, open, false)
			h.put(bundleEntry())
			err := h.st.Put(h.ctx, []banban.Entry{tc.entry})
			wantCode(t, "Put", err, banban.EINVALID)
			if got, want := h.stats(), (banban.Stats{Documents: 1, Chunks: 1}); got != want {
				t.Errorf("Stats after refused Put: got %+v, want %+v", got, want)
			}
		})
	}
}

func testSources(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	noSource := bundleEntry()
	h.put(itemEntry(), noSource)
	faq := NewEntry(banban.Document{ID: "faq/hours", Kind: banban.KindFAQ, Title: "办理时间", Source: "faq/hours.md", Hash: "h-faq"})
	h.put(faq)
	sources := func() map[string]banban.SourceInfo {
		t.Helper()
		got, err := h.st.Sources(h.ctx)
		if err != nil {
			t.Fatalf("Sources: %v", err)
		}
		return got
	}
	want := map[string]banban.SourceInfo{
		"items/id-card.md": {DocID: "items/id-card", Hash: "sha256:0011"},
		"faq/hours.md":     {DocID: "faq/hours", Hash: "h-faq"},
	}
	if got := sources(); !maps.Equal(got, want) {
		t.Errorf("Sources: got %v, want %v", got, want)
	}
	moved := itemEntry()
	moved.Doc.Source, moved.Doc.Hash = "items/id-card-2025.md", "sha256:0033"
	h.put(moved)
	want = map[string]banban.SourceInfo{
		"items/id-card-2025.md": {DocID: "items/id-card", Hash: "sha256:0033"},
		"faq/hours.md":          {DocID: "faq/hours", Hash: "h-faq"},
	}
	if got := sources(); !maps.Equal(got, want) {
		t.Errorf("Sources after the source moved: got %v, want %v", got, want)
	}
}

func testStats(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	if got, want := h.stats(), (banban.Stats{}); got != want {
		t.Errorf("Stats of an empty store: got %+v, want %+v", got, want)
	}
	empty := NewEntry(banban.Document{ID: "faq/empty", Kind: banban.KindFAQ, Title: "空文档"})
	h.put(itemEntry(), bundleEntry(), empty)
	if got, want := h.stats(), (banban.Stats{Documents: 3, Chunks: 4}); got != want {
		t.Errorf("Stats: got %+v, want %+v", got, want)
	}
	if got := h.chunks(empty.Doc.ID); len(got) != 0 {
		t.Errorf("Chunks of a document without chunks: got %d, want 0", len(got))
	}
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
