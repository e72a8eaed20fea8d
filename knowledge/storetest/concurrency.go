package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/banban-gov/banban"
)

const reimportDoc = "concurrent/doc"

// versionEntry is version v of the re-imported document: 2 to 5 chunks,
// each with text "v<N> ..." and the terms 版本 and v<N>.
func versionEntry(v int) banban.Entry {
	specs := make([]ChunkSpec, versionChunks(v))
	for i := range specs {
		specs[i] = ChunkSpec{
			Text:   fmt.Sprintf("v%d 第%d段", v, i),
			Terms:  []string{"版本", fmt.Sprintf("v%d", v)},
			Vector: []float32{1, float32(i), float32(v % 7), 1},
		}
	}
	doc := banban.Document{ID: reimportDoc, Kind: banban.KindItem, Title: fmt.Sprintf("版本%d", v)}
	return NewEntry(doc, specs...)
}

func versionChunks(v int) int { return 2 + v%4 }

// oneVersion returns a problem unless all chunks belong to one version of
// the re-imported document and are all of that version's chunks.
func oneVersion(chunks []banban.Chunk) string {
	if len(chunks) == 0 {
		return "no chunks"
	}
	var v int
	if _, err := fmt.Sscanf(chunks[0].Text, "v%d", &v); err != nil {
		return fmt.Sprintf("chunk text %q has no version", chunks[0].Text)
	}
	prefix := fmt.Sprintf("v%d ", v)
	for _, c := range chunks {
		if !strings.HasPrefix(c.Text, prefix) {
			return fmt.Sprintf("got a mix of versions: %q and %q", chunks[0].Text, c.Text)
		}
	}
	if want := versionChunks(v); len(chunks) != want {
		return fmt.Sprintf("got %d chunks of version %d, want %d", len(chunks), v, want)
	}
	return ""
}

func testConcurrentReimport(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(versionEntry(0), bundleEntry())
	only := banban.Filter{DocIDs: []string{reimportDoc}}
	readers := map[string]func() ([]banban.Chunk, error){
		"Chunks": func() ([]banban.Chunk, error) { return h.st.Chunks(h.ctx, reimportDoc) },
		"KeywordSearch": func() ([]banban.Chunk, error) {
			hits, err := h.st.KeywordSearch(h.ctx, []string{"版本"}, 100, banban.Filter{})
			return hitChunks(hits), err
		},
		"VectorSearch": func() ([]banban.Chunk, error) {
			hits, err := h.st.VectorSearch(h.ctx, []float32{1, 1, 1, 1}, 100, only)
			return hitChunks(hits), err
		},
	}
	const versions = 40
	done := make(chan struct{})
	var wg sync.WaitGroup
	var reads atomic.Int64
	for name, read := range readers {
		wg.Go(func() { readUntil(t, done, name, read, &reads) })
	}
	for v := 1; v <= versions; v++ {
		if err := h.st.Put(h.ctx, []banban.Entry{versionEntry(v)}); err != nil {
			t.Errorf("Put version %d: %v", v, err)
			break
		}
	}
	close(done)
	wg.Wait()
	if p := oneVersion(h.chunks(reimportDoc)); p != "" || !strings.HasPrefix(h.chunks(reimportDoc)[0].Text, fmt.Sprintf("v%d ", versions)) {
		t.Errorf("Chunks after re-import: %s, want version %d", p, versions)
	}
	t.Logf("%d consistent reads during %d re-imports", reads.Load(), versions)
}

// readUntil reads until done is closed, checking that every read sees one
// whole version of the re-imported document.
func readUntil(t *testing.T, done <-chan struct{}, name string, read func() ([]banban.Chunk, error), reads *atomic.Int64) {
	for {
		select {
		case <-done:
			return
		default:
		}
		chunks, err := read()
		if err != nil {
			t.Errorf("%s during re-import: %v", name, err)
			return
		}
		if p := oneVersion(chunks); p != "" {
			t.Errorf("%s during re-import: %s", name, p)
			return
		}
		reads.Add(1)
	}
}

func testContextCancelled(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	item := itemEntry()
	h.put(item)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	info := banban.IndexInfo{Embedder: Embedder, Dim: Dim}
	calls := []struct {
		name string
		call func() error
	}{
		{"Put", func() error { return h.st.Put(ctx, []banban.Entry{bundleEntry()}) }},
		{"Delete", func() error { return h.st.Delete(ctx, item.Doc.ID) }},
		{"Document", func() error { _, err := h.st.Document(ctx, item.Doc.ID); return err }},
		{"Chunks", func() error { _, err := h.st.Chunks(ctx, item.Doc.ID); return err }},
		{"Sources", func() error { _, err := h.st.Sources(ctx); return err }},
		{"VectorSearch", func() error { _, err := h.st.VectorSearch(ctx, []float32{1, 0, 0, 0}, 5, banban.Filter{}); return err }},
		{"KeywordSearch", func() error { _, err := h.st.KeywordSearch(ctx, []string{"身份证"}, 5, banban.Filter{}); return err }},
		{"MatchNames", func() error { _, err := h.st.MatchNames(ctx, "居民身份证申领", banban.Filter{}); return err }},
		{"IndexInfo", func() error { _, _, err := h.st.IndexInfo(ctx); return err }},
		{"SetIndexInfo", func() error { return h.st.SetIndexInfo(ctx, info) }},
		{"Stats", func() error { _, err := h.st.Stats(ctx); return err }},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: got %v, want context.Canceled", tc.name, err)
			}
		})
	}
	if got, want := h.stats(), (banban.Stats{Documents: 1, Chunks: 3}); got != want {
		t.Errorf("Stats after cancelled calls: got %+v, want %+v", got, want)
	}
	if d := diffChunks(h.chunks(item.Doc.ID), item.Chunks, true); d != "" {
		t.Errorf("Chunks after a cancelled Delete: %s", d)
	}
}
