package postgres

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// keywordModes are where keyword searches score: from the in-memory index
// (the default) or in the database (Options.NoKeywordCache).
var keywordModes = []struct {
	name  string
	setup func(*testing.B, *Store)
}{
	{"Memory", warm},
	{"Database", inDatabase},
}

func BenchmarkKeywordSearch(b *testing.B) {
	st := benchStore(b)
	c := benchCorpus(3)
	queries := make([][]string, benchQueries)
	for i := range queries {
		queries[i] = c.query()
	}
	for _, mode := range keywordModes {
		b.Run(mode.name, func(b *testing.B) {
			mode.setup(b, st)
			benchKeywordFilters(b, st, queries)
		})
	}
}

func benchKeywordFilters(b *testing.B, st *Store, queries [][]string) {
	benchPerFilter(b, func(ctx context.Context, i int, f banban.Filter) error {
		_, err := st.KeywordSearch(ctx, queries[i%len(queries)], benchK, f)
		return err
	})
}

// BenchmarkKeywordBudget runs keyword searches with Options.KeywordBudget
// set, and reports, besides the latencies, the share of queries whose
// results are exactly those of an unbudgeted (exact) search.
func BenchmarkKeywordBudget(b *testing.B) {
	st := benchStore(b)
	inDatabase(b, st)
	c := benchCorpus(3)
	ctx := context.Background()
	queries := make([][]string, benchQueries)
	exact := make([][]string, benchQueries)
	for i := range queries {
		queries[i] = c.query()
		hits, err := st.KeywordSearch(ctx, queries[i], benchK, banban.Filter{})
		if err != nil {
			b.Fatal(err)
		}
		exact[i] = ids(hits)
	}
	for _, budget := range []int{1000, 2000, 4000} {
		b.Run(fmt.Sprintf("budget=%d", budget), func(b *testing.B) {
			defer func(old int) { st.kwBudget = old }(st.kwBudget)
			st.kwBudget = budget
			lat := make(latencies, 0, b.N)
			same := 0
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				hits, err := st.KeywordSearch(ctx, queries[i%benchQueries], benchK, banban.Filter{})
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				if slices.Equal(ids(hits), exact[i%benchQueries]) {
					same++
				}
			}
			lat.report(b)
			b.ReportMetric(float64(same)/float64(len(lat)), "same-as-exact")
		})
	}
}

// BenchmarkMemIndexLoad reads the in-memory keyword index of the benchmark
// store whole, as the first keyword search of a process does, and reports
// the heap it holds per chunk.
func BenchmarkMemIndexLoad(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	var heap float64
	for b.Loop() {
		st.mem.idx.Store(nil)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		warm(b, st)
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(heap/float64(stats.Chunks), "heap-B/chunk")
}
