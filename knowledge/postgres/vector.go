package postgres

import (
	"cmp"
	"context"
	"github.com/banban-gov/banban/knowledge/vecmath"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// vectorMargin is how many candidates beyond k a vector search fetches
// before ranking them exactly: rows whose pgvector distance and float32
// cosine disagree in the last bits still reach the top k.
const vectorMargin = 8

// maxEfSearch is pgvector's upper bound for hnsw.ef_search.
const maxEfSearch = 1000

// VectorSearch returns the k chunks passing f nearest to vec by cosine
// similarity, best first. The database finds candidates (by the HNSW index
// when the planner prefers it); they are ranked here by the cosine of the
// unit vectors in float32, exactly as the embedded store ranks them.
func (s *Store) VectorSearch(ctx context.Context, vec []float32, k int, f banban.Filter) ([]banban.Hit, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	dim, err := s.queryDim(ctx, len(vec))
	if err != nil || dim == 0 {
		return nil, err // dim 0: nothing stored, nothing to compare with
	}
	if len(vec) != dim {
		return nil, banban.Errorf(banban.ECONFLICT, "查询向量为 %d 维，与索引的 %d 维不一致", len(vec), dim)
	}
	if k <= 0 {
		return nil, nil
	}
	q := unit(vec)
	if s.cache != nil {
		hits, ok, err := s.cachedNearest(ctx, q, dim, k, f)
		if err != nil || ok {
			return hits, s.fail(ctx, "vector search", err)
		}
	}
	cands, err := s.nearest(ctx, q, dim, k, f)
	if err != nil {
		if errorCode(err) == banban.ECONFLICT {
			s.dim.Store(0) // another process changed the dimension
		}
		return nil, s.fail(ctx, "vector search", err)
	}
	return rank(q, cands, k), nil
}

// queryDim returns the dimension queries must have, from the cache when it
// agrees with the query's, else from the database.
func (s *Store) queryDim(ctx context.Context, n int) (int, error) {
	if d := int(s.dim.Load()); d != 0 && d == n {
		return d, nil
	}
	return s.storedDim(ctx)
}

// candidate is a chunk a vector search fetched, with its position.
type candidate struct {
	chunk banban.Chunk
	pos   int
}

// nearest fetches k+vectorMargin candidates: by the index, or by an exact
// scan in a small store (see Options.ExactScanLimit), or when the index
// finds fewer (a filter few chunks pass), which is then cheap.
func (s *Store) nearest(ctx context.Context, q []float32, dim, k int, f banban.Filter) ([]candidate, error) {
	want := k + vectorMargin
	if isZero(q) {
		sql, args := withFilter(query("vector_search_first"), f, "c", []any{k})
		return collectCandidates(s.pool.Query(ctx, sql, args...))
	}
	small, err := s.small(ctx, dim)
	if err != nil {
		return nil, err
	}
	if dim <= maxIndexedDim && !small {
		cands, err := s.indexed(ctx, q, dim, want, f)
		if err != nil || len(cands) == want {
			return cands, err
		}
	}
	sql, args := withFilter(query("vector_search_exact"), f, "c", []any{pgvector.NewVector(q), want})
	return collectCandidates(s.pool.Query(ctx, sql, args...))
}

// indexed runs the HNSW search in a transaction of its own, for its
// settings, sending the transaction's four statements in one round trip.
func (s *Store) indexed(ctx context.Context, q []float32, dim, want int, f banban.Filter) (cands []candidate, err error) {
	ef := min(max(s.efSearch, want), maxEfSearch)
	sql, args := vectorQuery(dim, q, want, f)
	b := &pgx.Batch{}
	b.Queue("BEGIN READ ONLY")
	b.Queue(query("search_settings"), strconv.Itoa(ef))
	b.Queue(sql, args...)
	b.Queue("COMMIT")
	br := s.pool.SendBatch(ctx, b)
	defer func() {
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	}()
	for range 2 {
		if _, err := br.Exec(); err != nil {
			return nil, err
		}
	}
	if cands, err = collectCandidates(br.Query()); err != nil {
		return nil, err
	}
	_, err = br.Exec()
	return cands, err
}

// small reports whether the store is small enough to scan exactly.
func (s *Store) small(ctx context.Context, dim int) (bool, error) {
	if s.scanLimit < 0 {
		return false, nil
	}
	n := s.chunks.Load()
	if age := s.chunksAge.Load(); age == 0 || time.Since(time.Unix(0, age)) > countTTL {
		var docs int64
		if err := s.pool.QueryRow(ctx, query("stats")).Scan(&docs, &n); err != nil {
			return false, err
		}
		s.chunks.Store(n)
		s.chunksAge.Store(time.Now().UnixNano())
	}
	return n*int64(dim) <= s.scanLimit, nil
}

// vectorQuery is the query for the n candidates nearest to the unit vector
// q by the HNSW index of a store of dimension dim.
func vectorQuery(dim int, q []float32, n int, f banban.Filter) (string, []any) {
	return withFilter(withDim("vector_search", dim), f, "c", []any{pgvector.NewHalfVector(q), n})
}

func collectCandidates(rows pgx.Rows, err error) ([]candidate, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var r chunkRow
		if err := rows.Scan(r.targets(true)...); err != nil {
			return nil, err
		}
		c, pos, _ := r.chunk()
		out = append(out, candidate{chunk: c, pos: pos})
	}
	return out, rows.Err()
}

// rank scores the candidates against the unit query q and returns the best
// k, equal scores in document id and position order.
func rank(q []float32, cands []candidate, k int) []banban.Hit {
	type scored struct {
		candidate
		score float64
	}
	all := make([]scored, len(cands))
	for i, c := range cands {
		all[i] = scored{c, float64(dot(q, unit(c.chunk.Vector)))}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.chunk.DocID, b.chunk.DocID); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	hits := make([]banban.Hit, 0, min(k, len(all)))
	for _, s := range all[:min(k, len(all))] {
		hits = append(hits, banban.Hit{Chunk: s.chunk, Score: s.score})
	}
	return hits
}

// unit returns a copy of v scaled to length one, computed as the embedded
// store computes it; a zero vector stays zero.
func unit(v []float32) []float32 {
	out := slices.Clone(v)
	var sum float64
	for _, x := range out {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return out
	}
	inv := 1 / math.Sqrt(sum)
	for i, x := range out {
		out[i] = float32(float64(x) * inv)
	}
	return out
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// dot is the inner product both stores share.
func dot(a, b []float32) float32 { return vecmath.Dot(a, b) }
