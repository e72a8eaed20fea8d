package postgres

import (
	"strings"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
	"github.com/jackc/pgx/v5"
)

// TestBulkImport puts bulkMinChunks chunks into an empty store with
// Options.BulkImport, which rebuilds the search indexes, and checks that
// they come out as a store built chunk by chunk has them, that searches
// use them, and that a small Put afterwards adds to them instead.
func TestBulkImport(t *testing.T) {
	ctx := t.Context()
	const dim = 8
	bulk := openTest(t, Options{Dim: dim, BulkImport: true})
	plain := openTest(t, Options{Dim: dim})
	c := storetest.NewCorpus(41, dim, 500, 10, 20)
	entries := c.Entries(0, bulkMinChunks/10)
	if err := bulk.Put(ctx, entries); err != nil {
		t.Fatalf("bulk Put: %v", err)
	}
	if err := plain.Put(ctx, entries[:10]); err != nil {
		t.Fatalf("Put: %v", err)
	}
	got, want := indexDefs(t, bulk), indexDefs(t, plain)
	if len(got) != len(want) || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indexes after a bulk Put:\n%s\nwant, as after a Put:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if stats, err := bulk.Stats(ctx); err != nil || stats.Chunks != bulkMinChunks {
		t.Errorf("Stats after a bulk Put: got %+v, %v, want %d chunks", stats, err, bulkMinChunks)
	}
	if _, err := bulk.pool.Exec(ctx, "ANALYZE chunks, chunk_terms"); err != nil {
		t.Fatal(err)
	}
	sql, args := vectorQuery(dim, unit(c.Vector()), 48, banban.Filter{})
	plan := explain(t, bulk, "100", sql, args)
	if !strings.Contains(plan, "Index Scan using chunks_embedding") {
		t.Errorf("vector search after a bulk Put does not use the HNSW index:\n%s", plan)
	}
	before := indexOIDs(t, bulk)
	if err := bulk.Put(ctx, []banban.Entry{c.Entry(0)}); err != nil {
		t.Fatalf("a small Put with BulkImport: %v", err)
	}
	if after := indexOIDs(t, bulk); after != before {
		t.Errorf("a small Put with BulkImport rebuilt the indexes (oids %s, then %s)", before, after)
	}
	hits, err := bulk.KeywordSearch(ctx, entries[5].Chunks[3].Terms[:3], 10, banban.Filter{})
	if err != nil || len(hits) == 0 {
		t.Errorf("KeywordSearch after a bulk Put: %d hits, %v", len(hits), err)
	}
}

// indexDefs returns the definitions of the search indexes of st's schema,
// the schema's name left out.
func indexDefs(t *testing.T, st *Store) []string {
	t.Helper()
	rows, _ := st.pool.Query(t.Context(), `SELECT regexp_replace(indexdef, ' ON \S+\.', ' ON ')
		FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('chunks_embedding', 'chunk_terms_tsv')
		ORDER BY indexname`)
	defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("read index definitions: %v", err)
	}
	return defs
}

// indexOIDs identifies the search indexes: a rebuilt index has a new oid.
func indexOIDs(t *testing.T, st *Store) string {
	t.Helper()
	var oids string
	err := st.pool.QueryRow(t.Context(), `SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid)
		FROM pg_index WHERE indexrelid IN ('chunks_embedding'::regclass, 'chunk_terms_tsv'::regclass)`).Scan(&oids)
	if err != nil {
		t.Fatalf("read index oids: %v", err)
	}
	return oids
}
