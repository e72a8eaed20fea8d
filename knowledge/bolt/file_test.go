package bolt

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
	bbolt "go.etcd.io/bbolt"
)

func openPath(t *testing.T, path string) *Store {
	t.Helper()
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return st
}

func mustPut(t *testing.T, st *Store, entries ...banban.Entry) {
	t.Helper()
	if err := st.Put(t.Context(), entries); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

// observe renders what searches, stats, sources and index info return, to
// compare a store before and after something.
func observe(t *testing.T, st *Store, c *storetest.Corpus, queries int) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	stats, _ := st.Stats(ctx)
	info, ok, _ := st.IndexInfo(ctx)
	srcs, _ := st.Sources(ctx)
	fmt.Fprintf(&b, "stats %+v\ninfo %v %s %d\nsources %d\n", stats, ok, info.Embedder, info.Dim, len(srcs))
	rng := rand.New(rand.NewPCG(7, 7))
	filters := []banban.Filter{{}, {Region: "深圳市"}, {Kinds: []banban.Kind{banban.KindFAQ}, At: time.Now()}}
	for i := range queries {
		f := filters[i%len(filters)]
		vec := make([]float32, c.Dim())
		for j := range vec {
			vec[j] = float32(rng.NormFloat64())
		}
		vh, err := st.VectorSearch(ctx, vec, 5, f)
		if err != nil {
			t.Fatalf("VectorSearch: %v", err)
		}
		vocab := c.Vocab()
		terms := []string{vocab[rng.IntN(50)], vocab[rng.IntN(len(vocab))]}
		kh, err := st.KeywordSearch(ctx, terms, 5, f)
		if err != nil {
			t.Fatalf("KeywordSearch: %v", err)
		}
		names, _ := st.MatchNames(ctx, fmt.Sprintf("事项%d怎么办", rng.IntN(200)), f)
		fmt.Fprintf(&b, "q%d vector %s\nq%d keyword %s\nq%d names %v\n", i, renderHits(vh), i, renderHits(kh), i, names)
	}
	return b.String()
}

func renderHits(hits []banban.Hit) string {
	var b strings.Builder
	for _, h := range hits {
		fmt.Fprintf(&b, "%s=%.5f ", h.Chunk.ID, h.Score)
	}
	return b.String()
}

func TestPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	c := storetest.NewCorpus(1, 16, 500, 5, 30)
	st := openPath(t, path)
	info := banban.IndexInfo{Embedder: "test-embedder", Dim: c.Dim(), CreatedAt: time.Now().UTC()}
	if err := st.SetIndexInfo(t.Context(), info); err != nil {
		t.Fatalf("SetIndexInfo: %v", err)
	}
	for n := 0; n < 200; n += 20 {
		mustPut(t, st, c.Entries(n, 20)...)
	}
	// Replace and delete some documents, leaving tombstones in memory that
	// a reopened store does not have.
	mustPut(t, st, c.Entry(3), c.Entry(50), c.Entry(51))
	if err := st.Delete(t.Context(), "gen/000007", "gen/000100"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	before := observe(t, st, c, 30)
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st = openPath(t, path)
	defer st.Close()
	if after := observe(t, st, c, 30); after != before {
		t.Errorf("after reopening:\ngot  %s\nwant %s", after, before)
	}
}

func TestOpenBadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		path string
		want string // in the error message
	}{
		{"Text", write("notes.txt", bytes.Repeat([]byte("这不是知识库。\n"), 2000)), "not a knowledge store, or corrupted"},
		{"Random", write("random.db", randomBytes(64<<10)), "not a knowledge store, or corrupted"},
		{"OtherBoltFile", otherBoltFile(t, filepath.Join(dir, "other.db")), "not a knowledge store"},
		{"DamagedPages", damagedStore(t, filepath.Join(dir, "damaged.db")), "corrupted"},
		{"Directory", dir, "bolt: open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Open(tc.path, Options{})
			if err == nil {
				st.Close()
				t.Fatalf("Open(%s): got no error, want one containing %q", tc.name, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open(%s): got error %q, want it to contain %q", tc.name, err, tc.want)
			}
		})
	}
}

func randomBytes(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func otherBoltFile(t *testing.T, path string) string {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("sessions"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	return path
}

// damagedStore writes a store and then overwrites its data pages, leaving
// the meta pages intact, as a disk fault might.
func damagedStore(t *testing.T, path string) string {
	t.Helper()
	st := openPath(t, path)
	c := storetest.NewCorpus(3, 8, 100, 3, 10)
	for n := range 30 {
		mustPut(t, st, c.Entry(n))
	}
	st.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	junk := randomBytes(len(data))
	copy(data[2*page:], junk[2*page:])
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	st := openPath(t, path)
	defer st.Close()
	_, err := Open(path, Options{Timeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "locked by another process") {
		t.Errorf("second Open: got %v, want a locked-file error", err)
	}
}

func TestClose(t *testing.T) {
	st := openPath(t, filepath.Join(t.TempDir(), "kb.db"))
	for i := range 2 {
		if err := st.Close(); err != nil {
			t.Errorf("Close #%d: got %v, want nil", i+1, err)
		}
	}
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
	}{
		{"Put", func() error { return st.Put(ctx, []banban.Entry{{Doc: banban.Document{ID: "x"}}}) }},
		{"Document", func() error { _, err := st.Document(ctx, "x"); return err }},
		{"Chunks", func() error { _, err := st.Chunks(ctx, "x"); return err }},
		{"KeywordSearch", func() error { _, err := st.KeywordSearch(ctx, []string{"x"}, 3, banban.Filter{}); return err }},
		{"Stats", func() error { _, err := st.Stats(ctx); return err }},
	}
	for _, tc := range calls {
		if got := banban.ErrorCode(tc.call()); got != banban.EUNAVAILABLE {
			t.Errorf("%s after Close: got code %q, want %q", tc.name, got, banban.EUNAVAILABLE)
		}
	}
}

// TestReopenOtherEmbedder opens a file indexed with an embedder the caller
// does not use: Open succeeds, IndexInfo says what the file holds, and a
// query of the caller's dimension is refused.
func TestReopenOtherEmbedder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	st := openPath(t, path)
	info := banban.IndexInfo{Embedder: "other-model", Dim: 8, CreatedAt: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)}
	if err := st.SetIndexInfo(t.Context(), info); err != nil {
		t.Fatalf("SetIndexInfo: %v", err)
	}
	mustPut(t, st, storetest.NewCorpus(2, 8, 50, 2, 5).Entry(1))
	st.Close()

	st = openPath(t, path)
	defer st.Close()
	got, ok, err := st.IndexInfo(t.Context())
	if err != nil || !ok || got.Embedder != info.Embedder || got.Dim != info.Dim || !got.CreatedAt.Equal(info.CreatedAt) {
		t.Errorf("IndexInfo after reopening: got %+v, %v, %v, want %+v", got, ok, err, info)
	}
	_, err = st.VectorSearch(t.Context(), make([]float32, 4), 5, banban.Filter{})
	if code := banban.ErrorCode(err); code != banban.ECONFLICT {
		t.Errorf("VectorSearch with a 4-dimensional query: got %v, want code %q", err, banban.ECONFLICT)
	}
}

// TestDimensionWithoutIndexInfo checks that without index info the first
// stored vectors fix the dimension until the store is empty again.
func TestDimensionWithoutIndexInfo(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	three, five := storetest.NewCorpus(1, 3, 50, 2, 5), storetest.NewCorpus(1, 5, 50, 2, 5)
	steps := []struct {
		name     string
		do       func() error
		wantCode string
	}{
		{"FirstFixesDim", func() error { return st.Put(t.Context(), []banban.Entry{three.Entry(1)}) }, ""},
		{"OtherDimRefused", func() error { return st.Put(t.Context(), []banban.Entry{five.Entry(2)}) }, banban.ECONFLICT},
		{"InfoOfOtherDimRefused", func() error {
			return st.SetIndexInfo(t.Context(), banban.IndexInfo{Embedder: "e", Dim: 5})
		}, banban.ECONFLICT},
		{"Empty", func() error { return st.Delete(t.Context(), "gen/000001") }, ""},
		{"NewDimAfterEmpty", func() error { return st.Put(t.Context(), []banban.Entry{five.Entry(2)}) }, ""},
		{"SearchNewDim", func() error { _, err := st.VectorSearch(t.Context(), five.Vector(), 3, banban.Filter{}); return err }, ""},
	}
	for _, s := range steps {
		if got := banban.ErrorCode(s.do()); got != s.wantCode {
			t.Errorf("step %s: got code %q, want %q", s.name, got, s.wantCode)
		}
	}
}

// TestOpenOldFormat opens a store whose format marker is not this
// version's and expects a clear error naming both.
func TestOpenOldFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	openPath(t, path).Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyFormat, []byte("banban-store/1")) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), `"banban-store/1" is not "banban-store/2"`) {
		t.Errorf("Open of a format 1 file: got %v, want an error naming both formats", err)
	}
}
