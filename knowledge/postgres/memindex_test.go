package postgres

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
	"github.com/jackc/pgx/v5"
)

// memFixture is a schema with three stores on it, as three processes would
// hold them: one that writes, one that searches from memory (the keyword
// index and the chunk copy of chunkcache.go) and one that searches in the
// database only, the reference.
type memFixture struct {
	schema          string
	writer, mem, db *Store
	c               *storetest.Corpus
	paths           map[string]int
}

func newMemFixture(t *testing.T) *memFixture {
	t.Helper()
	schema := newSchema(t)
	m := &memFixture{schema: schema, c: storetest.NewCorpus(31, 8, 400, 3, 20), paths: map[string]int{}}
	dbOnly := Options{Schema: schema, NoKeywordCache: true, NoChunkCache: true}
	m.writer = openTest(t, dbOnly)
	m.mem = openTest(t, Options{Schema: schema})
	m.db = openTest(t, dbOnly)
	traceKeyword = func(p string) { m.paths[p]++ }
	t.Cleanup(func() { traceKeyword = nil })
	return m
}

// put stores documents lo..hi-1 of the corpus.
func (m *memFixture) put(t *testing.T, lo, hi int) {
	t.Helper()
	if err := m.writer.Put(t.Context(), m.c.Entries(lo, hi-lo)); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

// compare runs keyword and vector searches on the memory and database
// stores and fails unless they agree; it returns how many keyword searches
// came from memory.
func (m *memFixture) compare(t *testing.T, when string) int {
	t.Helper()
	before := m.paths["memory"]
	filters := []banban.Filter{{}, {At: time.Now()}, {Region: "深圳市", Kinds: []banban.Kind{banban.KindItem}}}
	for i := range 30 {
		q, f := m.c.Query(), filters[i%len(filters)]
		call := fmt.Sprintf("%s: KeywordSearch(%q, filter %d)", when, q, i%len(filters))
		got, err := m.mem.KeywordSearch(t.Context(), q, 10, f)
		if err != nil {
			t.Fatalf("%s: %v", call, err)
		}
		want, err := m.db.KeywordSearch(t.Context(), q, 10, f)
		if err != nil {
			t.Fatalf("%s in the database: %v", call, err)
		}
		sameHits(t, call, want, got)
		m.compareVectors(t, fmt.Sprintf("%s: VectorSearch(filter %d)", when, i%len(filters)), f)
	}
	return m.paths["memory"] - before
}

// compareVectors runs one vector search on the memory and database stores
// and fails unless they agree.
func (m *memFixture) compareVectors(t *testing.T, call string, f banban.Filter) {
	t.Helper()
	v := m.c.Vector()
	got, err := m.mem.VectorSearch(t.Context(), v, 10, f)
	if err != nil {
		t.Fatalf("%s: %v", call, err)
	}
	want, err := m.db.VectorSearch(t.Context(), v, 10, f)
	if err != nil {
		t.Fatalf("%s in the database: %v", call, err)
	}
	sameHits(t, call, want, got)
	for i := range min(len(want), len(got)) {
		if !reflect.DeepEqual(want[i].Chunk, got[i].Chunk) {
			t.Errorf("%s: hit %d from memory differs:\n got %+v\nwant %+v", call, i, got[i].Chunk, want[i].Chunk)
		}
	}
}

// TestMemIndexFollowsWriters changes the store from another store, as
// another process would, and checks that searches from memory see each
// change: new documents, new versions, deletions, a schema made again.
func TestMemIndexFollowsWriters(t *testing.T) {
	m := newMemFixture(t)
	m.put(t, 0, 60)
	if n := m.compare(t, "first read"); n != 30 {
		t.Errorf("first read: %d of 30 searches from memory, want all", n)
	}
	first := m.mem.mem.idx.Load()
	m.put(t, 40, 90) // new versions of 40..59, and new documents
	if err := m.writer.Delete(t.Context(), "gen/000003", "gen/000050"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if n := m.compare(t, "after two writes"); n != 30 {
		t.Errorf("after two writes: %d of 30 searches from memory, want all", n)
	}
	if m.mem.mem.idx.Load() != first {
		t.Errorf("two writes read the index again whole, want it brought up to date")
	}

	// Most chunks replaced: the dead ones are dropped.
	m.put(t, 0, 90)
	m.put(t, 0, 90)
	m.compare(t, "after re-importing everything twice")
	x := m.mem.mem.idx.Load()
	stats, err := m.writer.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if x.dead > x.live() || x.live() != stats.Chunks {
		t.Errorf("index after re-imports: %d live and %d dead chunks, want %d live and fewer dead", x.live(), x.dead, stats.Chunks)
	}
	if cs := m.mem.cache.set.Load(); cs == nil || len(cs.chunks) != stats.Chunks || cs.key != x.key {
		t.Errorf("chunk copy after re-imports: %+v, want %d chunks of version %v", cs, stats.Chunks, x.key)
	}
}

// TestChunkCacheOnlyWhileSmall grows a store past Options.ExactScanLimit:
// its copy in memory is dropped and searches use the index, with the same
// results as before for the chunks that were there.
func TestChunkCacheOnlyWhileSmall(t *testing.T) {
	m := newMemFixture(t)
	m.mem = openTest(t, Options{Schema: m.schema, ExactScanLimit: 8 * 200})
	m.put(t, 0, 40) // 120 chunks of 8 dimensions
	m.compare(t, "small")
	if m.mem.cache.set.Load() == nil {
		t.Fatalf("a store of 120 chunks under a limit of 200 is not kept in memory")
	}
	m.put(t, 40, 80)
	v := m.c.Vector()
	if _, err := m.mem.VectorSearch(t.Context(), v, 10, banban.Filter{}); err != nil {
		t.Fatal(err)
	}
	if cs := m.mem.cache.set.Load(); cs != nil {
		t.Errorf("a store of 240 chunks is still kept in memory (%d chunks), want it dropped", len(cs.chunks))
	}
}

// TestMemIndexFarBehind gives the store more generations than doc_changes
// keeps since the index was read: it is read again whole.
func TestMemIndexFarBehind(t *testing.T) {
	m := newMemFixture(t)
	m.put(t, 0, 30)
	m.compare(t, "first read")
	first := m.mem.mem.idx.Load()
	m.put(t, 20, 40)
	// What more than memLogGenerations writes would leave, quickly.
	_, err := adminConn(t).Exec(t.Context(), "UPDATE "+pgx.Identifier{m.schema, "corpus_stats"}.Sanitize()+
		" SET generation = generation + $1", memLogGenerations)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.compare(t, "far behind"); n != 30 {
		t.Errorf("far behind: %d of 30 searches from memory, want all", n)
	}
	if m.mem.mem.idx.Load() == first {
		t.Errorf("an index %d generations behind was brought up to date, want it read again", memLogGenerations+1)
	}
}

// TestMemIndexNewerThanSnapshot ranks in a transaction whose snapshot is
// older than the index: the database answers, with the old version.
func TestMemIndexNewerThanSnapshot(t *testing.T) {
	ctx := t.Context()
	m := newMemFixture(t)
	m.put(t, 0, 30)
	q := m.c.Query()
	want, err := m.db.KeywordSearch(ctx, q, 10, banban.Filter{})
	if err != nil || len(want) == 0 {
		t.Fatalf("KeywordSearch(%q): %d hits, %v", q, len(want), err)
	}
	conn, err := m.mem.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var ks *keywordSearch
	err = beginWith(ctx, conn, func(rows pgx.Rows) (err error) {
		ks, err = readTermStats(rows, distinctLexemes(q))
		return err
	}, query("keyword_stats"), statNames(distinctLexemes(q)))
	if err != nil {
		t.Fatal(err)
	}
	m.put(t, 0, 30) // new versions of every document
	if err := m.writer.Delete(ctx, want[0].Chunk.DocID); err != nil {
		t.Fatal(err)
	}
	m.compare(t, "after the snapshot") // the index moves past it
	before := m.paths["memory"]
	top, err := m.mem.rank(ctx, conn, ks, 10, banban.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := hitsOf(ctx, conn, top)
	if err != nil {
		t.Fatal(err)
	}
	if m.paths["memory"] != before {
		t.Errorf("a search of an older snapshot was scored from a newer index")
	}
	sameHits(t, "search in the older snapshot", want, got)
}

// TestMemIndexSchemaMadeAgain drops the schema under open stores and makes
// it again with other documents: its generations start over, and the index
// must not take the new store for the old one.
func TestMemIndexSchemaMadeAgain(t *testing.T) {
	ctx := t.Context()
	m := newMemFixture(t)
	m.put(t, 0, 30)
	m.compare(t, "first read")
	gen := m.mem.mem.idx.Load().key.gen
	if err := DropSchema(ctx, testURL(t), m.schema); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, testURL(t), Options{Schema: m.schema}); err != nil {
		t.Fatal(err)
	}
	for range gen {
		m.put(t, 100, 130)
	}
	if n := m.compare(t, "schema made again"); n != 30 {
		t.Errorf("schema made again: %d of 30 searches from memory, want all", n)
	}
}
