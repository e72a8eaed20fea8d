package bolt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

// The benchmark knowledge base: 10,000 documents of 10 chunks, vectors of
// dimension 256, about 60 terms a chunk from a 20,000-word vocabulary.
const (
	benchDocs    = 10_000
	benchChunks  = 10
	benchDim     = 256
	benchVocab   = 20_000
	benchTerms   = 60
	benchBatch   = 64 // documents per Put
	benchK       = 40 // retrieval asks each retriever for 40 candidates
	benchQueries = 512
)

var bench struct {
	once     sync.Once
	dir      string
	path     string
	buildErr error
	st       *Store // opened lazily, shared by the search benchmarks
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.st != nil {
		bench.st.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func benchCorpus(seed uint64) *storetest.Corpus {
	return storetest.NewCorpus(seed, benchDim, benchVocab, benchChunks, benchTerms)
}

// benchFile builds the benchmark knowledge base once per test binary,
// through Put like a real import.
func benchFile(b *testing.B) string {
	b.Helper()
	bench.once.Do(func() {
		bench.dir, bench.buildErr = os.MkdirTemp("", "banban-bolt-bench-")
		if bench.buildErr != nil {
			return
		}
		bench.path = filepath.Join(bench.dir, "kb.db")
		bench.buildErr = buildBenchFile(bench.path)
	})
	if bench.buildErr != nil {
		b.Fatalf("build benchmark store: %v", bench.buildErr)
	}
	return bench.path
}

func buildBenchFile(path string) error {
	st, err := Open(path, Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	info := banban.IndexInfo{Embedder: "bench", Dim: benchDim, CreatedAt: time.Now()}
	if err := st.SetIndexInfo(ctx, info); err != nil {
		return err
	}
	c := benchCorpus(1)
	start := time.Now()
	for n := 0; n < benchDocs; n += benchBatch {
		if err := st.Put(ctx, c.Entries(n, min(benchBatch, benchDocs-n))); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "built %d chunks in %v\n", benchDocs*benchChunks, time.Since(start).Round(time.Millisecond))
	return nil
}

// benchStore returns the shared store on the benchmark file.
func benchStore(b *testing.B) *Store {
	b.Helper()
	path := benchFile(b)
	if bench.st == nil {
		st, err := Open(path, Options{})
		if err != nil {
			b.Fatalf("Open: %v", err)
		}
		bench.st = st
	}
	return bench.st
}

func BenchmarkVectorSearch(b *testing.B) {
	st := benchStore(b)
	storetest.BenchmarkVectorSearch(b, st, benchCorpus(2).Vectors(benchQueries), benchK)
}

func BenchmarkKeywordSearch(b *testing.B) {
	st := benchStore(b)
	storetest.BenchmarkKeywordSearch(b, st, benchCorpus(3).Queries(benchQueries), benchK)
}

// BenchmarkHybridSearch runs what one question costs the store: a vector
// and a keyword search, one after the other, with the validity filter.
func BenchmarkHybridSearch(b *testing.B) {
	st := benchStore(b)
	vecs, terms := benchCorpus(4).Questions(benchQueries)
	f := banban.Filter{At: time.Now()}
	ctx := context.Background()
	storetest.BenchLoop(b, func(i int) error {
		return hybrid(ctx, st, vecs[i%benchQueries], terms[i%benchQueries], f)
	})
}

// hybrid runs the searches of one question one after the other.
func hybrid(ctx context.Context, st *Store, vec []float32, terms []string, f banban.Filter) error {
	if _, err := st.VectorSearch(ctx, vec, benchK, f); err != nil {
		return err
	}
	_, err := st.KeywordSearch(ctx, terms, benchK, f)
	return err
}

// BenchmarkOpen loads the benchmark file and reports the heap the loaded
// index takes per chunk.
func BenchmarkOpen(b *testing.B) {
	path := benchFile(b)
	if bench.st != nil {
		bench.st.Close() // the file lock allows one Store at a time
		bench.st = nil
	}
	var perChunk float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		st, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perChunk = float64(after.HeapAlloc-before.HeapAlloc) / float64(st.idx.live)
		st.Close()
	}
	b.ReportMetric(perChunk, "heap-B/chunk")
}

// BenchmarkPut imports batches of 64 documents of 10 chunks into a store
// that grows as it goes, and reports chunks per second.
func BenchmarkPut(b *testing.B) {
	st, err := Open(filepath.Join(b.TempDir(), "kb.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c := benchCorpus(5)
	storetest.BenchmarkPut(b, st, func(i int) []banban.Entry { return c.Entries(i*benchBatch, benchBatch) })
}

// BenchmarkHybridSearchDuringImport is BenchmarkHybridSearch while another
// goroutine re-imports documents in batches of 64, as an editor's import
// would: searches wait while a batch commits.
func BenchmarkHybridSearchDuringImport(b *testing.B) {
	st := benchStore(b)
	vecs, terms := benchCorpus(6).Questions(benchQueries)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		w := benchCorpus(7)
		for n := 0; ctx.Err() == nil; n = (n + benchBatch) % benchDocs {
			if err := st.Put(ctx, w.Entries(n, benchBatch)); err != nil && ctx.Err() == nil {
				b.Error(err)
				return
			}
		}
	})
	f := banban.Filter{At: time.Now()}
	storetest.BenchLoop(b, func(i int) error {
		return hybrid(ctx, st, vecs[i%benchQueries], terms[i%benchQueries], f)
	})
	cancel()
	wg.Wait()
}

// BenchmarkMatchNames matches a question against the names of 10,000
// documents.
func BenchmarkMatchNames(b *testing.B) {
	storetest.BenchmarkMatchNames(b, benchStore(b), benchDocs)
}
