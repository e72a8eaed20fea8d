// Package storetest is the conformance suite every banban.Store runs, in the
// spirit of go-cloud's drivertest: the embedded bolt store and the PostgreSQL
// store pass the same tests, so retrieval can use either without knowing
// which. The suite pins down what the Store interface leaves to prose: the
// error codes, cosine and BM25 ranking, filters, name matching, and that a
// reader never sees half of a re-imported document.
//
// Persistence across reopening is not the suite's business; each
// implementation tests that itself.
//
// The package also holds what the stores' benchmarks share, so that their
// numbers compare: a synthetic corpus (Corpus), the benchmarks that run the
// same way on either store, and latency reporting (Latencies).
package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// Dim is the vector dimension of the suite's fixtures. The suite records it
// with SetIndexInfo on every store it opens, except where it tests IndexInfo
// itself.
const Dim = 4

// Embedder is the embedder name the suite records in IndexInfo.
const Embedder = "storetest-embedder"

// Opener returns a fresh, empty store. The suite may call it several times
// and closes every store it gets.
type Opener func(t *testing.T) banban.Store

// RunStoreTests runs the conformance suite against the stores open returns.
func RunStoreTests(t *testing.T, open Opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"RoundTrip", testRoundTrip},
		{"Replace", testReplace},
		{"Delete", testDelete},
		{"NotFound", testNotFound},
		{"InvalidEntries", testInvalidEntries},
		{"Sources", testSources},
		{"Stats", testStats},
		{"VectorSearch", testVectorSearch},
		{"VectorFilters", testVectorFilters},
		{"KeywordSearch", testKeywordSearch},
		{"KeywordFilters", testKeywordFilters},
		{"MatchNames", testMatchNames},
		{"NameFilters", testNameFilters},
		{"IndexInfo", testIndexInfo},
		{"DimensionMismatch", testDimensionMismatch},
		{"FailedBatch", testFailedBatch},
		{"ConcurrentReimport", testConcurrentReimport},
		{"ContextCancelled", testContextCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open) })
	}
}

// ChunkSpec is the part of a fixture chunk a test chooses; NewEntry fills
// in the rest from the document.
type ChunkSpec struct {
	Section string
	Text    string
	Terms   []string
	Vector  []float32
}

// NewEntry builds a store entry for doc with one chunk per spec: chunk ids,
// ordinals and copies of the document's metadata filled in, and the
// lower-cased title and aliases as its names.
func NewEntry(doc banban.Document, specs ...ChunkSpec) banban.Entry {
	chunks := make([]banban.Chunk, len(specs))
	for i, s := range specs {
		chunks[i] = banban.Chunk{
			ID:         banban.ChunkID(doc.ID, i),
			DocID:      doc.ID,
			Ordinal:    i,
			Kind:       doc.Kind,
			Title:      doc.Title,
			Section:    s.Section,
			Text:       s.Text,
			Terms:      s.Terms,
			Vector:     s.Vector,
			Department: doc.Department,
			Region:     doc.Region,
			Effective:  doc.Effective,
			Expires:    doc.Expires,
		}
	}
	names := doc.Names()
	for i, n := range names {
		names[i] = strings.ToLower(n)
	}
	return banban.Entry{Doc: doc, Chunks: chunks, Names: names}
}

// Day returns midnight UTC of the given date, the way the suite writes
// effective and expiry dates.
func Day(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// harness holds one open store and the context its calls use.
type harness struct {
	t   *testing.T
	ctx context.Context
	st  banban.Store
}

// newStore opens a fresh store, closes it when the test ends, and records
// the suite's index info unless raw is set.
func newStore(t *testing.T, open Opener, raw bool) *harness {
	t.Helper()
	st := open(t)
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	h := &harness{t: t, ctx: t.Context(), st: st}
	if !raw {
		info := banban.IndexInfo{Embedder: Embedder, Dim: Dim, CreatedAt: Day(2025, 1, 1)}
		if err := st.SetIndexInfo(h.ctx, info); err != nil {
			t.Fatalf("SetIndexInfo(%+v): %v", info, err)
		}
	}
	return h
}

func (h *harness) put(entries ...banban.Entry) {
	h.t.Helper()
	if err := h.st.Put(h.ctx, entries); err != nil {
		h.t.Fatalf("Put(%d entries): %v", len(entries), err)
	}
}

func (h *harness) chunks(docID string) []banban.Chunk {
	h.t.Helper()
	got, err := h.st.Chunks(h.ctx, docID)
	if err != nil {
		h.t.Fatalf("Chunks(%q): %v", docID, err)
	}
	return got
}

func (h *harness) stats() banban.Stats {
	h.t.Helper()
	got, err := h.st.Stats(h.ctx)
	if err != nil {
		h.t.Fatalf("Stats: %v", err)
	}
	return got
}

func (h *harness) vectorSearch(vec []float32, k int, f banban.Filter) []banban.Hit {
	h.t.Helper()
	hits, err := h.st.VectorSearch(h.ctx, vec, k, f)
	if err != nil {
		h.t.Fatalf("VectorSearch(%v, %d, %+v): %v", vec, k, f, err)
	}
	return hits
}

func (h *harness) keywordSearch(terms []string, k int, f banban.Filter) []banban.Hit {
	h.t.Helper()
	hits, err := h.st.KeywordSearch(h.ctx, terms, k, f)
	if err != nil {
		h.t.Fatalf("KeywordSearch(%q, %d, %+v): %v", terms, k, f, err)
	}
	return hits
}

func (h *harness) matchNames(query string, f banban.Filter) []banban.NameMatch {
	h.t.Helper()
	got, err := h.st.MatchNames(h.ctx, query, f)
	if err != nil {
		h.t.Fatalf("MatchNames(%q, %+v): %v", query, f, err)
	}
	return got
}

// wantCode fails the test unless err carries the given banban error code.
func wantCode(t *testing.T, call string, err error, code string) {
	t.Helper()
	if got := banban.ErrorCode(err); got != code {
		t.Errorf("%s: got error %v (code %q), want code %q", call, err, got, code)
	}
}
