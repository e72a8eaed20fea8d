package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// Latencies records the duration of each operation of a benchmark.
type Latencies []time.Duration

// Report reports the median and the 99th percentile of l in milliseconds,
// as the metrics p50-ms and p99-ms; it reports nothing when l is empty. It
// sorts l.
func (l Latencies) Report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.ReportMetric(float64(l[len(l)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(l[len(l)*99/100])/1e6, "p99-ms")
}

// BenchLoop calls op once per benchmark iteration, i counting the calls
// from 0 (to pick a query), stops the benchmark at op's first error, and
// reports the latencies of the calls.
func BenchLoop(b *testing.B, op func(i int) error) {
	b.Helper()
	lat := make(Latencies, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.Report(b)
}

// BenchFilter is a filter a search benchmark runs under, and the name of
// its sub-benchmark.
type BenchFilter struct {
	Name   string
	Filter banban.Filter
}

// BenchFilters are the filters the search benchmarks run under: none, the
// validity filter retrieval always passes, and a region and a kind besides.
var BenchFilters = []BenchFilter{
	{"NoFilter", banban.Filter{}},
	{"At", banban.Filter{At: time.Now()}},
	{"RegionKind", banban.Filter{Region: "深圳市", Kinds: []banban.Kind{banban.KindItem}, At: time.Now()}},
}

// BenchPerFilter runs search as a sub-benchmark under each of BenchFilters
// and reports its latencies; i counts the calls, to pick a query.
func BenchPerFilter(b *testing.B, search func(ctx context.Context, i int, f banban.Filter) error) {
	for _, bf := range BenchFilters {
		b.Run(bf.Name, func(b *testing.B) {
			ctx := context.Background()
			BenchLoop(b, func(i int) error { return search(ctx, i, bf.Filter) })
		})
	}
}

// BenchmarkMatchNames matches questions that each name one of the
// documents 0 to docs-1 of a Corpus against the names of st, with the
// validity filter, and reports the latencies.
func BenchmarkMatchNames(b *testing.B, st banban.Store, docs int) {
	ctx := context.Background()
	f := banban.Filter{At: time.Now()}
	BenchLoop(b, func(i int) error {
		q := fmt.Sprintf("请问事项%d需要准备哪些材料，在哪里办理", i%docs)
		_, err := st.MatchNames(ctx, q, f)
		return err
	})
}

// BenchmarkPut puts batch(i) into st in iteration i, building each batch
// with the timer stopped, and reports chunks per second (chunks/s) besides
// the latencies of the Put calls.
func BenchmarkPut(b *testing.B, st banban.Store, batch func(i int) []banban.Entry) {
	ctx := context.Background()
	var elapsed time.Duration
	var lat Latencies
	chunks := 0
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		entries := batch(i)
		for _, e := range entries {
			chunks += len(e.Chunks)
		}
		b.StartTimer()
		start := time.Now()
		if err := st.Put(ctx, entries); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		elapsed += lat[len(lat)-1]
	}
	b.ReportMetric(float64(chunks)/elapsed.Seconds(), "chunks/s")
	lat.Report(b)
}

// BenchmarkVectorSearch runs VectorSearch on st for k chunks under each of
// BenchFilters, taking the queries in turn, and reports the latencies.
func BenchmarkVectorSearch(b *testing.B, st banban.Store, queries [][]float32, k int) {
	BenchPerFilter(b, func(ctx context.Context, i int, f banban.Filter) error {
		_, err := st.VectorSearch(ctx, queries[i%len(queries)], k, f)
		return err
	})
}

// BenchmarkKeywordSearch runs KeywordSearch on st for k chunks under each
// of BenchFilters, taking the queries in turn, and reports the latencies.
func BenchmarkKeywordSearch(b *testing.B, st banban.Store, queries [][]string, k int) {
	BenchPerFilter(b, func(ctx context.Context, i int, f banban.Filter) error {
		_, err := st.KeywordSearch(ctx, queries[i%len(queries)], k, f)
		return err
	})
}
