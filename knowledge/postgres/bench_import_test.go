package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkBulkImport imports the benchmark knowledge base in one Put with
// Options.BulkImport into an empty schema of its own, as `banban import`
// of a whole knowledge base could, and reports chunks per second, the
// index builds included.
func BenchmarkBulkImport(b *testing.B) {
	url := testURL(b)
	ctx := context.Background()
	entries := benchCorpus(1).Entries(0, benchDocs())
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		schema := fmt.Sprintf("banban_bulk_%d", time.Now().UnixNano())
		opts := Options{Schema: schema, Dim: benchDim, BulkImport: true}
		if err := Migrate(ctx, url, opts); err != nil {
			b.Fatal(err)
		}
		st, err := Open(ctx, url, opts)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		err = st.Put(ctx, entries)
		took += time.Since(start)
		b.StopTimer()
		st.Close()
		if derr := dropSchema(schema); err == nil {
			err = derr
		}
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*len(entries)*benchChunks)/took.Seconds(), "chunks/s")
}
