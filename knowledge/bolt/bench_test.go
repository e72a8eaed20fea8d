package bolt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/banban-gov/banban"
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

func benchCorpus(seed uint64) *corpus {
	return newCorpus(seed, benchDim, benchVocab, benchChunks, benchTerms)
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
		batch := make([]banban.Entry, 0, benchBatch)
		for i := n; i < min(n+benchBatch, benchDocs); i++ {
			batch = append(batch, c.entry(i))
		}
		if err := st.Put(ctx, batch); err != nil {
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

// latencies records the duration of each operation and reports the median
// and the 99th percentile in milliseconds.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.ReportMetric(float64(l[len(l)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(l[len(l)*99/100])/1e6, "p99-ms")
}

var benchFilters = []struct {
	name string
	f    banban.Filter
}{
	{"NoFilter", banban.Filter{}},
	{"At", banban.Filter{At: time.Now()}}, // what retrieval always passes
	{"RegionKind", banban.Filter{Region: "深圳市", Kinds: []banban.Kind{banban.KindItem}, At: time.Now()}},
}

func BenchmarkVectorSearch(b *testing.B) {
	st := benchStore(b)
	c := benchCorpus(2)
	queries := make([][]float32, benchQueries)
	for i := range queries {
		queries[i] = c.vector()
	}
	for _, bf := range benchFilters {
		b.Run(bf.name, func(b *testing.B) {
			lat := make(latencies, 0, b.N)
			ctx := context.Background()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := st.VectorSearch(ctx, queries[i%len(queries)], benchK, bf.f); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			lat.report(b)
		})
	}
}

func BenchmarkKeywordSearch(b *testing.B) {
	st := benchStore(b)
	c := benchCorpus(3)
	queries := make([][]string, benchQueries)
	for i := range queries {
		queries[i] = c.query()
	}
	for _, bf := range benchFilters {
		b.Run(bf.name, func(b *testing.B) {
			lat := make(latencies, 0, b.N)
			ctx := context.Background()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := st.KeywordSearch(ctx, queries[i%len(queries)], benchK, bf.f); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			lat.report(b)
		})
	}
}

// BenchmarkHybridSearch runs what one question costs the store: a vector
// and a keyword search, one after the other, with the validity filter.
func BenchmarkHybridSearch(b *testing.B) {
	st := benchStore(b)
	c := benchCorpus(4)
	vecs, terms := make([][]float32, benchQueries), make([][]string, benchQueries)
	for i := range vecs {
		vecs[i], terms[i] = c.vector(), c.query()
	}
	f := banban.Filter{At: time.Now()}
	lat := make(latencies, 0, b.N)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := st.VectorSearch(ctx, vecs[i%benchQueries], benchK, f); err != nil {
			b.Fatal(err)
		}
		if _, err := st.KeywordSearch(ctx, terms[i%benchQueries], benchK, f); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
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
	ctx := context.Background()
	var elapsed time.Duration
	var lat latencies
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		batch := make([]banban.Entry, benchBatch)
		for j := range batch {
			batch[j] = c.entry(i*benchBatch + j)
		}
		b.StartTimer()
		start := time.Now()
		if err := st.Put(ctx, batch); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		elapsed += lat[len(lat)-1]
	}
	b.ReportMetric(float64(b.N*benchBatch*benchChunks)/elapsed.Seconds(), "chunks/s")
	lat.report(b)
}

// BenchmarkHybridSearchDuringImport is BenchmarkHybridSearch while another
// goroutine re-imports documents in batches of 64, as an editor's import
// would: searches wait while a batch commits.
func BenchmarkHybridSearchDuringImport(b *testing.B) {
	st := benchStore(b)
	c := benchCorpus(6)
	vecs, terms := make([][]float32, benchQueries), make([][]string, benchQueries)
	for i := range vecs {
		vecs[i], terms[i] = c.vector(), c.query()
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		w := benchCorpus(7)
		for n := 0; ctx.Err() == nil; n = (n + benchBatch) % benchDocs {
			batch := make([]banban.Entry, benchBatch)
			for j := range batch {
				batch[j] = w.entry(n + j)
			}
			if err := st.Put(ctx, batch); err != nil && ctx.Err() == nil {
				b.Error(err)
				return
			}
		}
	})
	f := banban.Filter{At: time.Now()}
	lat := make(latencies, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := st.VectorSearch(ctx, vecs[i%benchQueries], benchK, f); err != nil {
			b.Fatal(err)
		}
		if _, err := st.KeywordSearch(ctx, terms[i%benchQueries], benchK, f); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	cancel()
	wg.Wait()
	lat.report(b)
}

// BenchmarkMatchNames matches a question against the names of 10,000
// documents.
func BenchmarkMatchNames(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	f := banban.Filter{At: time.Now()}
	lat := make(latencies, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		q := fmt.Sprintf("请问事项%d需要准备哪些材料，在哪里办理", i%benchDocs)
		if _, err := st.MatchNames(ctx, q, f); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}
