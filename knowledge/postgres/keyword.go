package postgres

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// BM25 parameters: the usual defaults, as in the embedded store.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// championFactor sizes the champion pass: a few times k chunks.
const (
	championFactor = 8
	championMin    = 64
)

// KeywordSearch ranks the chunks passing f by BM25 over their terms, best
// first; chunks sharing no term with the query are not returned. The
// collection statistics count every chunk, filtered or not, so a filter
// never changes a chunk's score. Statistics and chunks are read in one
// repeatable-read transaction, so they always agree. See plan.go for how
// the candidates are chosen.
func (s *Store) KeywordSearch(ctx context.Context, terms []string, k int, f banban.Filter) ([]banban.Hit, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	lex := distinctLexemes(terms)
	if k <= 0 || len(lex) == 0 {
		return nil, nil
	}
	var hits []banban.Hit
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		ks, err := termStats(ctx, tx, lex)
		if err != nil || len(ks.terms) == 0 {
			return err
		}
		top, err := ks.search(ctx, tx, k, f)
		if err != nil {
			return err
		}
		hits, err = hitsOf(ctx, tx, top)
		return err
	})
	if err != nil {
		return nil, s.fail(ctx, "keyword search", err)
	}
	return hits, nil
}

// distinctLexemes returns the lexemes of the non-empty terms, each once, in
// query order: the order the embedded store sums their weights in.
func distinctLexemes(terms []string) []string {
	var out []string
	seen := make(map[string]bool, len(terms))
	for _, t := range terms {
		if t == "" {
			continue
		}
		l := lexeme(t)
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// keywordSearch is one search's terms and statistics.
type keywordSearch struct {
	terms []kwTerm
	n     int64 // chunks
	avg   float64
}

// termStats returns the known terms of lex with their statistics, in lex
// order; no terms when the store has no chunk with terms.
func termStats(ctx context.Context, tx pgx.Tx, lex []string) (*keywordSearch, error) {
	names := make([]string, 0, len(lex)*(numTiers+1))
	for _, l := range lex {
		names = append(names, l)
		for t := 1; t <= numTiers; t++ {
			names = append(names, tierLexeme(l, t))
		}
	}
	rows, _ := tx.Query(ctx, query("keyword_stats"), names)
	var n, totalLen int64
	var tierAvg *float64
	var term *string
	var freq *int64
	df := make(map[string]int64)
	_, err := pgx.ForEachRow(rows, []any{&n, &totalLen, &tierAvg, &term, &freq}, func() error {
		if term != nil {
			df[*term] = *freq
		}
		return nil
	})
	ks := &keywordSearch{}
	if err != nil || n == 0 || totalLen == 0 || tierAvg == nil {
		return ks, err
	}
	ks.n, ks.avg = n, float64(totalLen)/float64(n)
	for i, l := range lex {
		d, ok := df[l]
		if !ok {
			continue
		}
		t := kwTerm{lex: l, ord: int32(i), df: d,
			idf: math.Log(1 + (float64(n)-float64(d)+0.5)/(float64(d)+0.5))}
		for tier := 1; tier <= numTiers; tier++ {
			t.tierDF[tier] = df[tierLexeme(l, tier)]
		}
		t.setCeilings(*tierAvg, ks.avg)
		ks.terms = append(ks.terms, t)
	}
	return ks, nil
}

// scored is a chunk a keyword search ranked.
type scored struct {
	docID string
	pos   int
	score float64
}

// search runs the passes of plan.go and returns the best k.
func (ks *keywordSearch) search(ctx context.Context, tx pgx.Tx, k int, f banban.Filter) ([]scored, error) {
	target := int64(max(championFactor*k, championMin))
	for range 3 {
		c := champions(ks.terms, func(c *cut) bool { return c.count >= target })
		top, err := ks.run(ctx, tx, c.query(ks.terms), k, f)
		if err != nil {
			return nil, err
		}
		switch {
		case c.bound == 0:
			trace("all")
			return top, nil // every chunk holding a term was scored
		case len(top) == k && top[k-1].score >= c.bound:
			trace("champions")
			return top, nil
		case len(top) == k:
			return ks.refine(ctx, tx, top[k-1].score, k, f)
		}
		target *= championFactor // too few passed the filter: widen
	}
	trace("fallback")
	return ks.run(ctx, tx, allTerms(ks.terms), k, f)
}

// traceKeyword, when set (by tests), learns which way each keyword search
// ended.
var traceKeyword func(path string)

func trace(path string) {
	if traceKeyword != nil {
		traceKeyword(path)
	}
}

// refine is the second pass: every chunk whose bound reaches theta, a
// score k chunks already have.
func (ks *keywordSearch) refine(ctx context.Context, tx pgx.Tx, theta float64, k int, f banban.Filter) ([]scored, error) {
	q := dnf(ks.terms, theta, ks.n)
	trace("dnf")
	if q == "" {
		trace("cut")
		q = champions(ks.terms, func(c *cut) bool { return c.bound <= theta }).query(ks.terms)
	}
	return ks.run(ctx, tx, q, k, f)
}

// run scores the chunks matching the tsquery q and passing f, and returns
// the best k. The database finds the candidates and each one's frequencies
// of the query's terms; the arithmetic is the embedded store's, operation
// for operation, so that both give the same scores to the last bit.
func (ks *keywordSearch) run(ctx context.Context, tx pgx.Tx, q string, k int, f banban.Filter) ([]scored, error) {
	lex := make([]string, len(ks.terms))
	for i, t := range ks.terms {
		lex[i] = t.lex
	}
	sql, args := withFilter(query("keyword_candidates"), f, "t", []any{lex, q})
	rows, _ := tx.Query(ctx, sql, args...)
	var all []scored
	var s scored
	var length int
	var tsv pgtype.TSVector
	_, err := pgx.ForEachRow(rows, []any{&s.docID, &s.pos, &length, &tsv}, func() error {
		s.score = ks.bm25(tsv, length)
		all = append(all, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.docID, b.docID); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	return all[:min(k, len(all))], nil
}

// bm25 scores a chunk of the given length from its tsvector cut down to the
// query's terms, summing the terms' weights in query order.
func (ks *keywordSearch) bm25(tsv pgtype.TSVector, length int) float64 {
	lenNorm := bm25K1 * bm25B / ks.avg
	var sum float64
	for i := range ks.terms {
		t := &ks.terms[i]
		j, ok := slices.BinarySearchFunc(tsv.Lexemes, t.lex, func(l pgtype.TSVectorLexeme, w string) int {
			return strings.Compare(l.Word, w)
		})
		if !ok {
			continue
		}
		tf := float64(frequency(tsv.Lexemes[j].Positions))
		sum += t.idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B) + lenNorm*float64(length))
	}
	return sum
}

// hits reads the chunks of the ranked keys.
func hitsOf(ctx context.Context, tx pgx.Tx, top []scored) ([]banban.Hit, error) {
	if len(top) == 0 {
		return nil, nil
	}
	docs := make([]string, len(top))
	poss := make([]int32, len(top))
	for i, s := range top {
		docs[i], poss[i] = s.docID, int32(s.pos)
	}
	rows, _ := tx.Query(ctx, query("chunks_by_key"), docs, poss)
	defer rows.Close()
	hits := make([]banban.Hit, len(top))
	for rows.Next() {
		var r chunkRow
		if err := rows.Scan(r.targets(false)...); err != nil {
			return nil, err
		}
		c, pos, _ := r.chunk()
		i := slices.IndexFunc(top, func(s scored) bool { return s.docID == c.DocID && s.pos == pos })
		hits[i] = banban.Hit{Chunk: c, Score: top[i].score}
	}
	return hits, rows.Err()
}
