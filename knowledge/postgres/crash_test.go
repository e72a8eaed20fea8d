package postgres

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

// TestConnectionKilledDuringPut starts a large Put and, once its
// transaction has written, kills its connection from another session, as a
// database restart or a network cut would. The Put must fail with
// EUNAVAILABLE and leave everything as it was: the earlier version of a
// document it was replacing, the statistics, the search results. The store
// must then work again.
func TestConnectionKilledDuringPut(t *testing.T) {
	ctx := t.Context()
	st, app := crashStore(t)
	c := storetest.NewCorpus(11, 16, 500, 5, 30)
	old := c.Entry(0)
	old.Doc.Title = "旧版本"
	if err := st.Put(ctx, []banban.Entry{old, c.Entry(1)}); err != nil {
		t.Fatalf("Put the first version: %v", err)
	}
	before := observe(t, st, old.Doc.ID)

	next := c.Entry(0)
	next.Doc.Title = "新版本"
	next.Chunks[0].Terms = append(next.Chunks[0].Terms, "只在新版本")
	batch := append([]banban.Entry{next}, c.Entries(2, 2998)...)
	done := make(chan error, 1)
	go func() { done <- st.Put(ctx, batch) }()
	killWriter(t, app, done)
	err := <-done
	t.Logf("Put whose connection was killed: %v", err)
	if got := banban.ErrorCode(err); got != banban.EUNAVAILABLE {
		t.Fatalf("Put whose connection was killed: got %v (code %q), want code %q", err, got, banban.EUNAVAILABLE)
	}
	if after := observe(t, st, old.Doc.ID); after != before {
		t.Errorf("store after the failed Put:\ngot  %s\nwant %s", after, before)
	}
	if hits, err := st.KeywordSearch(ctx, []string{"只在新版本"}, 5, banban.Filter{}); err != nil || len(hits) != 0 {
		t.Errorf("KeywordSearch for a term of the lost version: got %v, %v, want none", ids(hits), err)
	}
	if err := st.Put(ctx, []banban.Entry{next}); err != nil {
		t.Fatalf("Put after the connection was killed: %v", err)
	}
	if doc, err := st.Document(ctx, next.Doc.ID); err != nil || doc.Title != "新版本" {
		t.Errorf("Document after a new Put: got %q, %v, want 新版本", doc.Title, err)
	}
}

// crashStore opens a store of 16-dimensional vectors whose connections
// carry an application name of their own, returned too.
func crashStore(t *testing.T) (*Store, string) {
	t.Helper()
	app := "banban_crash_" + newSchemaName(t)[len("banban_test_"):]
	dbURL := withURL(t, func(u *url.URL) {
		q := u.Query()
		q.Set("application_name", app)
		u.RawQuery = q.Encode()
	})
	schema := newSchema(t)
	mustMigrate(t, schema)
	st, err := Open(t.Context(), dbURL, Options{Schema: schema})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetIndexInfo(t.Context(), banban.IndexInfo{Embedder: "crash", Dim: 16, CreatedAt: time.Now()}); err != nil {
		t.Fatalf("SetIndexInfo: %v", err)
	}
	return st, app
}

// killWriter waits until the application's session has written in a
// transaction, then terminates it.
func killWriter(t *testing.T, app string, done <-chan error) {
	t.Helper()
	admin := adminConn(t)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("Put ended (%v) before its connection could be killed: make the batch larger", err)
		default:
		}
		var killed bool
		err := admin.QueryRow(t.Context(), `SELECT coalesce(bool_or(pg_terminate_backend(pid)), false)
			FROM pg_stat_activity WHERE application_name = $1 AND backend_xid IS NOT NULL`, app).Scan(&killed)
		if err != nil {
			t.Fatalf("terminate the writer: %v", err)
		}
		if killed {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the Put never started writing")
}

// observe describes what readers see of a store and of one document.
func observe(t *testing.T, st *Store, docID string) string {
	t.Helper()
	ctx := t.Context()
	doc, err := st.Document(ctx, docID)
	if err != nil {
		t.Fatalf("Document(%q): %v", docID, err)
	}
	chunks, err := st.Chunks(ctx, docID)
	if err != nil {
		t.Fatalf("Chunks(%q): %v", docID, err)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		t.Fatalf("Sources: %v", err)
	}
	kw, err := st.KeywordSearch(ctx, chunks[0].Terms[:3], 10, banban.Filter{})
	if err != nil {
		t.Fatalf("KeywordSearch: %v", err)
	}
	vec, err := st.VectorSearch(ctx, chunks[0].Vector, 10, banban.Filter{})
	if err != nil {
		t.Fatalf("VectorSearch: %v", err)
	}
	return fmt.Sprintf("title %s, chunks %v, stats %+v, %d sources, keyword %v %v, vector %v",
		doc.Title, chunkKeys(chunks), stats, len(srcs), ids(kw), scoresOf(kw), ids(vec))
}

func chunkKeys(cs []banban.Chunk) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s:%d", c.ID, len(c.Terms))
	}
	return out
}

func scoresOf(hits []banban.Hit) []float64 {
	out := make([]float64, len(hits))
	for i, h := range hits {
		out[i] = h.Score
	}
	return out
}
