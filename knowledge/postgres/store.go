// Package postgres is Banban's production knowledge store: a banban.Store on
// PostgreSQL 15 or later with the pgvector extension (0.8 or later). It is
// the only package that imports pgx and pgvector-go.
//
// Documents, names, sources and chunks are rows of a schema that Migrate
// creates from embedded, numbered .sql files (migrations/); Open refuses a
// schema that is out of date. The SQL the store runs is in queries.sql.
// Every write is one transaction, holding a per-schema advisory lock, so a
// reader sees each document either before or after it, and the BM25
// statistics kept in tables (chunk count, total length, document
// frequencies) always match the chunks.
//
// Searches return what the embedded store (knowledge/bolt) returns for the
// same data, scores included to the last bit (compare_test.go checks it):
//   - vector search finds candidates by pgvector's HNSW index (over
//     half-precision unit vectors) when the planner prefers it, and ranks
//     them by the same float32 cosine as the embedded store;
//   - keyword search does the BM25 arithmetic in Go, operation for
//     operation as the embedded store does, over the term frequencies of
//     a tsvector of each chunk's terms (its positions carry them). It
//     scores from an in-memory copy of those frequencies that follows the
//     store by a generation counter (memindex.go), or, while that copy is
//     being read and with Options.NoKeywordCache, from candidates found by
//     a GIN index over the tsvectors, where score tiers (tiers.go,
//     plan.go, dnf.go) let a search for common terms score hundreds of
//     chunks instead of tens of thousands and still return the exact top k;
//   - name matching finds the stored names contained in the query.
//
// Equal scores rank by document id, then chunk position, in byte order.
// The vector column's type carries the dimension, so the store adds it (and
// its index) when the dimension is first known: from Options.Dim, from
// SetIndexInfo, or from the first Put.
package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync/atomic"
	"time"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
)

var _ banban.Store = (*Store)(nil)

// Options configures Open and Migrate.
type Options struct {
	// Schema holds the store's tables; Migrate creates it. Empty means
	// "public".
	Schema string
	// Dim, when set, is the vector dimension the caller will use: Open
	// gives the store an embedding column of that dimension if it has
	// none, and refuses (ECONFLICT) a store whose index info or stored
	// chunks have another. Zero leaves the dimension to SetIndexInfo or
	// the first Put.
	Dim int
	// MaxConns bounds the connection pool; zero means pgxpool's default
	// (the larger of 4 and the number of CPUs).
	MaxConns int32
	// EfSearch is the HNSW candidate list size of a vector search; zero
	// means 100. A search for more results than that uses a larger list.
	EfSearch int
	// ExactScanLimit decides when vector search scans every vector instead
	// of using the HNSW index: when the store's chunks times the dimension
	// is at most this. A scan returns exactly what the embedded store
	// returns; the index, on the synthetic benchmark 99.8% of it (recall@10,
	// m = 8), on real hashed-word vectors 98.5% (recall@40, measured with
	// m = 16). Zero means 4,000,000: about
	// 15,000 chunks of 256 dimensions, a scan of about 12 ms. Negative
	// means always the index.
	ExactScanLimit int
	// KeywordBudget, when positive, bounds the work of a keyword search
	// whose terms are all common: one that would have to score more than
	// this many chunks in its second pass scores only the ones where the
	// terms weigh most, and may then rank differently from the embedded
	// store in its last places. Zero means exact results always, the
	// Store contract; see bench_test.go for what the budget buys. It only
	// applies to searches the database scores (see NoKeywordCache).
	KeywordBudget int
	// NoKeywordCache makes every keyword search score the candidates the
	// database finds (GIN index, score tiers) instead of using the
	// in-memory keyword index (memindex.go), which costs about 12 bytes a
	// distinct term of a chunk: some 56 MB at 100,000 chunks of 60 terms.
	// Results are the same either way.
	NoKeywordCache bool
	// NoChunkCache makes vector searches of a store small enough to scan
	// (see ExactScanLimit) scan it in the database, and keyword searches
	// read their hits from it, instead of using the copy of its chunks in
	// memory (chunkcache.go), which costs about twice the vectors' size.
	// Results are the same either way.
	NoChunkCache bool
	// BulkImport lets a Put bringing many chunks, at least as many as the
	// store holds, rebuild the search indexes instead of adding to them
	// (see bulk.go): several times faster for a first import, but every
	// reader waits until the Put commits. For `banban import` into an
	// empty or small store, never for a store that serves questions.
	BulkImport bool
}

// HNSW build parameters of the embedding index. Adding a chunk costs in
// proportion to m²: on the benchmark store of 100,000 chunks (bench_test.go)
// m = 8 adds a chunk in about half the time of m = 16, and still finds
// 99.8% of the exact top 10 with the default ef_search (m = 16: 99.9%);
// lower ef_construction lost recall (m = 16, ef_construction = 40: 97%).
const (
	hnswM              = 8
	hnswEfConstruction = 64
	defaultEfSearch    = 100
)

// connectTimeout bounds a connection attempt when the URL sets none, so
// that a wrong host fails in seconds rather than after the TCP timeout.
const connectTimeout = 5 * time.Second

// Store is a banban.Store in a PostgreSQL schema. It is safe for concurrent
// use.
type Store struct {
	pool      *pgxpool.Pool
	writeKey  int64 // advisory lock key of the schema's writers
	efSearch  int
	kwBudget  int
	scanLimit int64
	bulk      bool
	mem       *memCache   // nil: keyword search in the database only
	cache     *chunkCache // nil: chunks read from the database only
	closed    atomic.Bool
	// dim caches the vector dimension searches check queries against; 0
	// means unknown. Another process may change the dimension of an empty
	// store, so a mismatch is checked again against the database.
	dim atomic.Int64
	// chunks caches the chunk count that decides between a scan and the
	// index, read again when older than countTTL.
	chunks    atomic.Int64
	chunksAge atomic.Int64 // unix nanoseconds of the reading; 0: none
}

// defaultScanLimit is Options.ExactScanLimit's default.
const defaultScanLimit = 4_000_000

// countTTL is how long a vector search trusts the cached chunk count.
const countTTL = 5 * time.Second

// Open connects to the database at databaseURL and returns the store in
// opts.Schema. It checks that pgvector is installed and that Migrate has
// brought the schema up to date; it never changes the schema itself, except
// to add the embedding column of opts.Dim to a store that has none.
func Open(ctx context.Context, databaseURL string, opts Options) (*Store, error) {
	cfg, err := parseConfig(databaseURL)
	if err != nil {
		return nil, err
	}
	schema := schemaName(opts)
	extSchema, err := checkDatabase(ctx, cfg.ConnConfig, schema)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = searchPath(schema, extSchema)
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error { return pgxvec.RegisterTypes(ctx, c) }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(cfg.ConnConfig, err)
	}
	s := &Store{pool: pool, writeKey: lockKey("write", schema),
		efSearch: cmp.Or(opts.EfSearch, defaultEfSearch), kwBudget: opts.KeywordBudget,
		scanLimit: int64(cmp.Or(opts.ExactScanLimit, defaultScanLimit)), bulk: opts.BulkImport}
	if !opts.NoKeywordCache {
		s.mem = &memCache{}
	}
	if !opts.NoChunkCache && s.scanLimit >= 0 {
		s.cache = &chunkCache{}
	}
	if opts.Dim > 0 {
		if err := s.ensureDim(ctx, opts.Dim); err != nil {
			pool.Close()
			return nil, err
		}
	}
	return s, nil
}

// checkDatabase connects once, outside the pool, to check the pgvector
// extension and the schema version. It returns the extension's schema,
// which the pool's search_path must include.
func checkDatabase(ctx context.Context, cc *pgx.ConnConfig, schema string) (string, error) {
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return "", connectError(cc, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	ext, err := checkExtension(ctx, conn, vectorExtension)
	if err != nil {
		return "", err
	}
	if !ext.installed {
		return "", banban.Errorf(banban.ECONFLICT, "数据库尚未启用 pgvector 扩展：请先运行 banban migrate")
	}
	if err := checkSchemaVersion(ctx, conn, schema); err != nil {
		return "", err
	}
	return ext.schema, nil
}

// Close releases the connections. It may be called more than once.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.pool.Close()
	if s.mem != nil {
		s.mem.idx.Store(nil)
	}
	return nil
}

// errClosed reports a call on a closed store.
func errClosed() error { return banban.Errorf(banban.EUNAVAILABLE, "知识库已关闭") }

// start checks what every call checks first: the context and the store.
func (s *Store) start(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return errClosed()
	}
	return nil
}

// parseConfig parses a database URL. Its error never quotes the URL, which
// may hold a password.
func parseConfig(databaseURL string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, errors.New("unparsable database URL"),
			"数据库地址无法解析，应形如 postgres://用户:密码@主机:5432/库名")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "banban"
	}
	return cfg, nil
}

func schemaName(opts Options) string { return cmp.Or(opts.Schema, "public") }

// searchPath puts the store's schema first, then the extension's, so that
// tables resolve to the store's and the vector type and operators to
// pgvector's.
func searchPath(schema, extSchema string) string {
	p := pgx.Identifier{schema}.Sanitize()
	if extSchema != "" && extSchema != schema {
		p += ", " + pgx.Identifier{extSchema}.Sanitize()
	}
	return p
}

// lockKey is the advisory lock key of a kind of work on a schema.
func lockKey(kind, schema string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "banban/%s/%s", kind, schema)
	return int64(h.Sum64())
}
