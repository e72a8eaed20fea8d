package postgres

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// The benchmark knowledge base: 10,000 documents of 10 chunks (the flag
// -bench.chunks sets another size), vectors of dimension 256, about 60
// terms a chunk from a 20,000-word vocabulary, as in the embedded store's
// benchmark (both use storetest.Corpus, whose vectors are clustered).
//
// Building it through Put takes a few minutes. Set BANBAN_BENCH_SCHEMA to
// keep it in that schema between runs; a schema that already holds it is
// used as it is; BANBAN_BENCH_DROP drops it at the end. deploy/bench.sh
// runs these benchmarks.
var benchChunksFlag = flag.Int("bench.chunks", 100_000, "chunks in the benchmark store (a multiple of 10)")

// benchDocs is the number of documents in the benchmark store.
func benchDocs() int { return *benchChunksFlag / benchChunks }

const (
	benchChunks  = 10
	benchDim     = 256
	benchVocab   = 20_000
	benchTerms   = 60
	benchBatch   = 64 // documents per Put, as the importer sends them
	benchK       = 40 // retrieval asks each retriever for 40 candidates
	benchQueries = 512
	recallK      = 10
	recallN      = 100 // queries for recall
)

var bench struct {
	once     sync.Once
	schema   string
	keep     bool
	st       *Store
	buildErr error
	built    int           // chunks put by this run's build
	putTime  time.Duration // time spent in Put during the build
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.st != nil {
		bench.st.Close()
	}
	// BANBAN_BENCH_DROP drops a kept schema too: the last run of several.
	schema := bench.schema
	if os.Getenv("BANBAN_BENCH_DROP") != "" {
		schema, bench.keep = os.Getenv("BANBAN_BENCH_SCHEMA"), false
	}
	if schema != "" && !bench.keep && os.Getenv("DATABASE_URL") != "" {
		if err := dropSchema(schema); err != nil {
			fmt.Fprintf(os.Stderr, "drop benchmark schema %s: %v\n", schema, err)
		}
	}
	os.Exit(code)
}

func dropSchema(schema string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
	return err
}

func benchCorpus(seed uint64) *storetest.Corpus {
	return storetest.NewCorpus(seed, benchDim, benchVocab, benchChunks, benchTerms)
}

// benchStore returns the store holding the benchmark knowledge base,
// building it on first use.
func benchStore(b *testing.B) *Store {
	b.Helper()
	url := testURL(b)
	bench.once.Do(func() {
		bench.schema, bench.keep = os.Getenv("BANBAN_BENCH_SCHEMA"), true
		if bench.schema == "" {
			bench.schema, bench.keep = fmt.Sprintf("banban_bench_%d", time.Now().UnixNano()), false
		}
		bench.st, bench.buildErr = buildBench(url, bench.schema)
	})
	if bench.buildErr != nil {
		b.Fatalf("build the benchmark store: %v", bench.buildErr)
	}
	return bench.st
}

func buildBench(url, schema string) (*Store, error) {
	ctx := context.Background()
	opts := Options{Schema: schema, Dim: benchDim}
	if err := Migrate(ctx, url, opts); err != nil {
		return nil, err
	}
	st, err := Open(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	stats, err := st.Stats(ctx)
	if err != nil || stats.Chunks == benchDocs()*benchChunks {
		return st, err
	}
	info := banban.IndexInfo{Embedder: "bench", Dim: benchDim, CreatedAt: time.Now()}
	if err := st.SetIndexInfo(ctx, info); err != nil {
		return st, err
	}
	c := benchCorpus(1)
	for n := 0; n < benchDocs(); n += benchBatch {
		batch := c.Entries(n, min(benchBatch, benchDocs()-n))
		start := time.Now()
		if err := st.Put(ctx, batch); err != nil {
			return st, err
		}
		bench.putTime += time.Since(start)
		bench.built += len(batch) * benchChunks
	}
	// What autovacuum does after a large import: planner statistics, and
	// the GIN pending list merged into the index.
	_, err = st.pool.Exec(ctx, "VACUUM ANALYZE chunks, chunk_terms, documents, names, sources, term_stats")
	return st, err
}

// warm reads the in-memory keyword index, as a server's first question
// does, so that the benchmarks measure searches, not that.
func warm(b *testing.B, st *Store) {
	b.Helper()
	if _, err := st.KeywordSearch(context.Background(), []string{"词0"}, 1, banban.Filter{}); err != nil {
		b.Fatal(err)
	}
}

// inDatabase makes st's keyword searches score in the database until the
// benchmark ends.
func inDatabase(b *testing.B, st *Store) {
	b.Helper()
	mem := st.mem
	st.mem = nil
	b.Cleanup(func() { st.mem = mem })
}

// BenchmarkImport reports the Put throughput of building the benchmark
// knowledge base from empty, in batches of 64 documents (640 chunks) as
// the importer sends them; 0 when an existing schema was reused.
func BenchmarkImport(b *testing.B) {
	benchStore(b)
	for b.Loop() {
	}
	if bench.built > 0 {
		b.ReportMetric(float64(bench.built)/bench.putTime.Seconds(), "chunks/s")
	}
}

// BenchmarkPut re-imports batches of 64 documents into the full store, new
// versions replacing old ones, and reports chunks per second.
func BenchmarkPut(b *testing.B) {
	st := benchStore(b)
	c := benchCorpus(5)
	storetest.BenchmarkPut(b, st, func(i int) []banban.Entry {
		batch := make([]banban.Entry, benchBatch)
		for j := range batch {
			batch[j] = c.Entry((i*benchBatch + j) % benchDocs())
		}
		return batch
	})
}

func BenchmarkVectorSearch(b *testing.B) {
	st := benchStore(b)
	storetest.BenchmarkVectorSearch(b, st, benchCorpus(2).Vectors(benchQueries), benchK)
}

// BenchmarkHybridSearch runs what one question costs the store, as
// retrieval.Searcher asks it: a vector search beside a keyword search
// followed by name matching, with the validity filter; keyword searches
// from memory, and in the database.
func BenchmarkHybridSearch(b *testing.B) {
	st := benchStore(b)
	vecs, terms := benchCorpus(4).Questions(benchQueries)
	f := banban.Filter{At: time.Now()}
	for _, mode := range keywordModes {
		b.Run(mode.name, func(b *testing.B) {
			mode.setup(b, st)
			storetest.BenchLoop(b, func(i int) error {
				return hybrid(st, vecs[i%benchQueries], terms[i%benchQueries], i, f)
			})
		})
	}
}

// hybrid runs the searches of one question concurrently, as
// retrieval.Searcher does.
func hybrid(st *Store, vec []float32, terms []string, i int, f banban.Filter) error {
	ctx := context.Background()
	var vecErr error
	var wg sync.WaitGroup
	wg.Go(func() { _, vecErr = st.VectorSearch(ctx, vec, benchK, f) })
	_, err := st.KeywordSearch(ctx, terms, benchK, f)
	if err == nil {
		_, err = st.MatchNames(ctx, fmt.Sprintf("事项%d怎么办理", i%benchDocs()), f)
	}
	wg.Wait()
	return cmp.Or(err, vecErr)
}

// BenchmarkRecall measures the recall@10 of VectorSearch (HNSW candidates
// ranked exactly) against an exact scan, over 100 queries, for a few sizes
// of the HNSW candidate list.
func BenchmarkRecall(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	queries := benchCorpus(6).Vectors(recallN)
	exact := make([][]string, recallN)
	for i := range queries {
		ids, err := exactNearest(ctx, st, queries[i], recallK)
		if err != nil {
			b.Fatal(err)
		}
		exact[i] = ids
	}
	for _, ef := range []int{40, 100, 150, 200} {
		b.Run(fmt.Sprintf("ef_search=%d", ef), func(b *testing.B) {
			defer func(old int) { st.efSearch = old }(st.efSearch)
			st.efSearch = ef
			var recall float64
			for b.Loop() {
				found := 0
				for i, q := range queries {
					hits, err := st.VectorSearch(ctx, q, recallK, banban.Filter{})
					if err != nil {
						b.Fatal(err)
					}
					for _, h := range hits {
						if slices.Contains(exact[i], h.Chunk.ID) {
							found++
						}
					}
				}
				recall = float64(found) / float64(recallN*recallK)
			}
			b.ReportMetric(recall, "recall@10")
		})
	}
}

// exactNearest returns the ids of the k chunks nearest to vec by an exact
// scan: index scans off, in a transaction of its own.
func exactNearest(ctx context.Context, st *Store, vec []float32, k int) ([]string, error) {
	var ids []string
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL enable_indexscan = off"); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "SELECT id FROM chunks ORDER BY embedding <=> $1 LIMIT $2", pgvector.NewVector(vec), k)
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return ids, err
}

// BenchmarkMatchNames matches a question against the names of 10,000
// documents.
func BenchmarkMatchNames(b *testing.B) {
	storetest.BenchmarkMatchNames(b, benchStore(b), benchDocs())
}
