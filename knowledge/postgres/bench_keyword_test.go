package postgres

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
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
	queries := benchCorpus(3).Queries(benchQueries)
	for _, mode := range keywordModes {
		b.Run(mode.name, func(b *testing.B) {
			mode.setup(b, st)
			storetest.BenchmarkKeywordSearch(b, st, queries, benchK)
		})
	}
}

// BenchmarkKeywordBudget runs keyword searches with Options.KeywordBudget
// set, and reports, besides the latencies, the share of queries whose
// results are exactly those of an unbudgeted (exact) search.
func BenchmarkKeywordBudget(b *testing.B) {
	st := benchStore(b)
	inDatabase(b, st)
	ctx := context.Background()
	queries := benchCorpus(3).Queries(benchQueries)
	exact := make([][]string, benchQueries)
	for i := range queries {
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
			calls, same := 0, 0
			storetest.BenchLoop(b, func(i int) error {
				hits, err := st.KeywordSearch(ctx, queries[i%benchQueries], benchK, banban.Filter{})
				calls++
				if err == nil && slices.Equal(ids(hits), exact[i%benchQueries]) {
					same++
				}
				return err
			})
			b.ReportMetric(float64(same)/float64(calls), "same-as-exact")
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
