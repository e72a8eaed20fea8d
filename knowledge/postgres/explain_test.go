package postgres

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// TestPlansUseIndexes runs EXPLAIN on the queries searches send, built by
// the same code, on a store of 4,000 chunks after VACUUM ANALYZE, and
// checks that the planner chooses the HNSW index for vector search and
// the GIN index for keyword candidates, with no setting forced.
func TestPlansUseIndexes(t *testing.T) {
	const dim = 32
	st, c, rare := explainStore(t, dim, Options{})
	tsq := quoteLexeme(rare[0]) + " | " + quoteLexeme(tierLexeme(rare[1], 1))
	filters := map[string]banban.Filter{
		"NoFilter":   {},
		"At":         {At: time.Now()},
		"RegionKind": {Region: "深圳市", Kinds: []banban.Kind{banban.KindItem}, At: time.Now()},
	}
	for name, f := range filters {
		t.Run("Vector"+name, func(t *testing.T) {
			sql, args := vectorQuery(dim, unit(c.Vector()), 40+vectorMargin, f)
			plan := explain(t, st, strconv.Itoa(defaultEfSearch), sql, args)
			if !strings.Contains(plan, "Index Scan using chunks_embedding") {
				t.Errorf("vector search plan does not use the HNSW index:\n%s", plan)
			}
		})
		t.Run("Keyword"+name, func(t *testing.T) {
			sql, args := candidatesQuery(rare, tsq, f)
			plan := explain(t, st, "", sql, args)
			if !strings.Contains(plan, "Bitmap Index Scan on chunk_terms_tsv") {
				t.Errorf("keyword candidates plan does not use the GIN index:\n%s", plan)
			}
		})
	}
	t.Run("ExactVectorSearchScans", func(t *testing.T) {
		sql, args := withFilter(query("vector_search_exact"), banban.Filter{}, "c", []any{pgvector.NewVector(c.Vector()), 48})
		if plan := explain(t, st, "", sql, args); strings.Contains(plan, "chunks_embedding") {
			t.Errorf("the exact vector search uses the approximate index:\n%s", plan)
		}
	})
}

// explainStore fills a store with 4,000 chunks of the given dimension and
// returns it with its corpus and two terms held by a few chunks: the
// candidates of a keyword search's passes are few (terms few chunks hold,
// tier lexemes); for a term most chunks hold, a scan is cheaper, and the
// planner rightly takes it.
func explainStore(t *testing.T, dim int, opts Options) (*Store, *storetest.Corpus, []string) {
	t.Helper()
	ctx := t.Context()
	st := openTest(t, opts)
	if err := st.SetIndexInfo(ctx, banban.IndexInfo{Embedder: "explain", Dim: dim, CreatedAt: time.Now()}); err != nil {
		t.Fatalf("SetIndexInfo: %v", err)
	}
	c := storetest.NewCorpus(21, dim, 3000, 10, 40)
	for n := 0; n < 400; n += 100 {
		if err := st.Put(ctx, c.Entries(n, 100)); err != nil {
			t.Fatalf("Put: %v", err)
		}
	}
	// What autovacuum does after an import: planner statistics, and the GIN
	// pending list merged into the index (see the migration).
	if _, err := st.pool.Exec(ctx, "VACUUM ANALYZE chunks, chunk_terms"); err != nil {
		t.Fatalf("VACUUM ANALYZE: %v", err)
	}
	rows, _ := st.pool.Query(ctx, `SELECT term FROM term_stats
		WHERE df BETWEEN 5 AND 15 AND strpos(term, chr(31)) = 0 ORDER BY term LIMIT 2`)
	rare, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(rare) != 2 {
		t.Fatalf("rare terms: got %v, %v", rare, err)
	}
	return st, c, rare
}

// explain returns the plan of sql, in a transaction with the vector search
// settings when ef is set.
func explain(t *testing.T, st *Store, ef, sql string, args []any) string {
	t.Helper()
	var lines []string
	err := pgx.BeginFunc(t.Context(), st.pool, func(tx pgx.Tx) error {
		if ef != "" {
			if _, err := tx.Exec(t.Context(), query("search_settings"), ef); err != nil {
				return err
			}
		}
		rows, _ := tx.Query(t.Context(), "EXPLAIN "+sql, args...)
		var err error
		lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatalf("EXPLAIN: %v", err)
	}
	return fmt.Sprint(strings.Join(lines, "\n"))
}

// TestIndexedVectorSearch runs vector searches through the HNSW index on a
// store small enough that it would otherwise scan: the index path returns
// k hits, best first, passing the filter, and nearly all of the exact
// ones.
func TestIndexedVectorSearch(t *testing.T) {
	ctx := t.Context()
	const dim = 32
	schema := newSchema(t)
	indexed, c, _ := explainStore(t, dim, Options{Schema: schema, ExactScanLimit: -1})
	exact := openTest(t, Options{Schema: schema})
	filters := []banban.Filter{{}, {At: time.Now()}, {Region: "深圳市", Kinds: []banban.Kind{banban.KindItem}}}
	found, total := 0, 0
	for i := range 60 {
		f := filters[i%len(filters)]
		q := c.Vector()
		got, err := indexed.VectorSearch(ctx, q, 10, f)
		if err != nil {
			t.Fatalf("VectorSearch by the index: %v", err)
		}
		want, err := exact.VectorSearch(ctx, q, 10, f)
		if err != nil {
			t.Fatalf("VectorSearch by a scan: %v", err)
		}
		if len(got) != 10 {
			t.Fatalf("VectorSearch by the index with %+v: got %d hits, want 10", f, len(got))
		}
		for j, h := range got {
			if !f.Match(&h.Chunk) || j > 0 && h.Score > got[j-1].Score {
				t.Fatalf("hit %d %s (%.4f): fails the filter %+v or is out of order", j, h.Chunk.ID, h.Score, f)
			}
			total++
			if slices.Contains(ids(want), h.Chunk.ID) {
				found++
			}
		}
	}
	if recall := float64(found) / float64(total); recall < 0.9 {
		t.Errorf("recall@10 of the index against a scan: %.3f, want at least 0.9", recall)
	}
}
