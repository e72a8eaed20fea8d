package postgres

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// BM25 parameters: the usual defaults, as in the embedded store.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// championFactor sizes the champion pass: a few times k chunks.
const (
	championFactor = 4
	championMin    = 64
)

// KeywordSearch ranks the chunks passing f by BM25 over their terms, best
// first; chunks sharing no term with the query are not returned. The
// collection statistics count every chunk, filtered or not, so a filter
// never changes a chunk's score. Statistics and chunks are read in one
// repeatable-read transaction, so they always agree. The chunks are scored
// from the in-memory index when it is of the snapshot's version (see
// memindex.go), else from candidates the database finds (see plan.go);
// both give the same results.
func (s *Store) KeywordSearch(ctx context.Context, terms []string, k int, f banban.Filter) ([]banban.Hit, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	lex := distinctLexemes(terms)
	if k <= 0 || len(lex) == 0 {
		return nil, nil
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, s.fail(ctx, "keyword search", err)
	}
	defer conn.Release()
	hits, err := s.keywordSearch(ctx, conn, lex, k, f)
	if err != nil {
		abort(ctx, conn)
		return nil, s.fail(ctx, "keyword search", err)
	}
	return hits, nil
}

// keywordSearch runs a search in a snapshot on conn (see snapshot.go),
// unless it can be answered from memory in one statement.
func (s *Store) keywordSearch(ctx context.Context, conn *pgxpool.Conn, lex []string, k int, f banban.Filter) ([]banban.Hit, error) {
	if hits, ok, err := s.keywordFromMemory(ctx, conn, lex, k, f); err != nil || ok {
		return hits, err
	}
	var ks *keywordSearch
	err := beginWith(ctx, conn, func(rows pgx.Rows) (err error) {
		ks, err = readTermStats(rows, lex)
		return err
	}, query("keyword_stats"), statNames(lex))
	if err != nil {
		return nil, err
	}
	var top []scored
	if len(ks.terms) > 0 {
		if top, err = s.rank(ctx, conn, ks, k, f); err != nil {
			return nil, err
		}
	}
	if hits, ok := s.cachedHits(ks.key, top); ok {
		_, err := conn.Exec(ctx, "COMMIT")
		return hits, err
	}
	return hitsOf(ctx, conn, top)
}

// keywordFromMemory reads the statistics in a statement of its own, and
// when both the keyword index and the chunk copy are of the version it
// read, ranks and returns the hits from them: one round trip to the
// server instead of two, the common case. ok is false otherwise, and the
// caller searches in a snapshot.
func (s *Store) keywordFromMemory(ctx context.Context, conn *pgxpool.Conn, lex []string, k int, f banban.Filter) (hits []banban.Hit, ok bool, err error) {
	if s.mem == nil || s.cache == nil || s.cache.set.Load() == nil {
		return nil, false, nil
	}
	rows, _ := conn.Query(ctx, query("keyword_stats"), statNames(lex))
	ks, err := readTermStats(rows, lex)
	if err != nil || len(ks.terms) == 0 {
		return nil, err == nil, err
	}
	top, ok := s.mem.score(ks, k, f)
	if !ok {
		return nil, false, nil
	}
	hits, ok = s.cachedHits(ks.key, top)
	return hits, ok, nil
}

// rank returns the best k chunks for the search's terms: from memory when
// it can, else from the database.
func (s *Store) rank(ctx context.Context, tx querier, ks *keywordSearch, k int, f banban.Filter) ([]scored, error) {
	if s.mem != nil {
		top, ok, err := s.mem.search(ctx, tx, ks, k, f)
		if err != nil || ok {
			return top, err
		}
	}
	ks.budget = s.kwBudget
	return ks.search(ctx, tx, k, f)
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
	budget int    // see Options.KeywordBudget
	key    genKey // the version of the store the statistics are of
	terms  []kwTerm
	index  map[string]int // position of each term's lexeme in terms
	n      int64          // chunks
	avg    float64
	tfs    []int // scratch for frequencies
}

// lexStat is what term_stats holds of a lexeme.
type lexStat struct {
	df   int64
	smax float64
}

// statNames are the lexemes whose statistics a search of lex reads: each
// term's, and its tier lexemes.
func statNames(lex []string) []string {
	names := make([]string, 0, len(lex)*(numTiers+1))
	for _, l := range lex {
		names = append(names, l)
		for t := 1; t <= numTiers; t++ {
			names = append(names, tierLexeme(l, t))
		}
	}
	return names
}

// readTermStats reads the rows of keyword_stats for statNames(lex): the
// known terms of lex with their statistics, in lex order; no terms when
// the store has no chunk with terms.
func readTermStats(rows pgx.Rows, lex []string) (*keywordSearch, error) {
	ks := &keywordSearch{}
	var totalLen int64
	var tierAvg *float64
	stats := make(map[string]lexStat)
	var term *string
	var df *int64
	var smax *float64
	scan := []any{&ks.n, &totalLen, &tierAvg, &ks.key.table, &ks.key.gen, &term, &df, &smax}
	_, err := pgx.ForEachRow(rows, scan, func() error {
		if term != nil {
			stats[*term] = lexStat{df: *df, smax: *smax}
		}
		return nil
	})
	if err != nil || ks.n == 0 || totalLen == 0 || tierAvg == nil {
		return ks, err
	}
	ks.avg = float64(totalLen) / float64(ks.n)
	ks.addTerms(lex, stats, *tierAvg)
	return ks, nil
}

// addTerms adds the terms of lex that some chunk holds, in lex order.
func (ks *keywordSearch) addTerms(lex []string, stats map[string]lexStat, tierAvg float64) {
	n := float64(ks.n)
	ks.index = make(map[string]int, len(lex))
	for _, l := range lex {
		st, ok := stats[l]
		if !ok {
			continue
		}
		t := kwTerm{lex: l, df: st.df, idf: math.Log(1 + (n-float64(st.df)+0.5)/(float64(st.df)+0.5))}
		t.smax[0] = st.smax
		for tier := 1; tier <= numTiers; tier++ {
			ts := stats[tierLexeme(l, tier)]
			t.tierDF[tier], t.smax[tier] = ts.df, ts.smax
		}
		t.setCeilings(tierAvg, ks.avg)
		ks.index[l] = len(ks.terms)
		ks.terms = append(ks.terms, t)
	}
}

// scored is a chunk a keyword search ranked.
type scored struct {
	docID string
	pos   int
	score float64
}

// search runs the passes of plan.go and returns the best k.
func (ks *keywordSearch) search(ctx context.Context, tx querier, k int, f banban.Filter) ([]scored, error) {
	target := int64(max(championFactor*k, championMin))
	for range 3 {
		c := champions(ks.terms, func(c *cut, _ group) bool { return c.count >= target })
		top, err := ks.run(ctx, tx, c.query(ks.terms), k, f)
		if err != nil {
			return nil, err
		}
		switch {
		case c.bound == 0:
			trace("all")
			return top, nil // every chunk holding a term was scored
		case len(top) == k && top[k-1].score > c.bound:
			trace("champions")
			return top, nil
		case len(top) == k:
			return ks.refine(ctx, tx, top[k-1].score, k, f)
		}
		target = c.count * widen(len(top), k)
	}
	trace("fallback")
	return ks.run(ctx, tx, allTerms(ks.terms), k, f)
}

// widen is how many times larger the next champion pass is when only n of
// the k results wanted passed the filter: enough for k at the rate the
// filter let chunks through, twice over.
func widen(n, k int) int64 {
	if n == 0 {
		return 4 * championFactor
	}
	return int64(max(championFactor, 2*k/n+1))
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
// score k chunks already have. With a budget, a pass that would score more
// chunks than the budget scores the best-bounded groups that fit in it
// instead, and returns the best of those.
func (ks *keywordSearch) refine(ctx context.Context, tx querier, theta float64, k int, f banban.Filter) ([]scored, error) {
	// A budgeted search keeps to the small tsquery: GIN evaluates a larger
	// one for every item of its posting lists, a cost the estimate misses.
	q, est := dnf(ks.terms, theta, ks.n, ks.budget == 0)
	switch {
	case ks.budget > 0 && (q == "" || est > float64(ks.budget)):
		budget := int64(ks.budget)
		c := champions(ks.terms, func(c *cut, g group) bool { return c.count+g.count > budget })
		top, err := ks.run(ctx, tx, c.query(ks.terms), k, f)
		if len(top) == k && top[k-1].score > c.bound {
			trace("champions")
		} else {
			trace("budget")
		}
		return top, err
	case q == "":
		trace("cut")
		q = champions(ks.terms, func(c *cut, _ group) bool { return c.bound <= theta }).query(ks.terms)
	default:
		trace("dnf")
	}
	return ks.run(ctx, tx, q, k, f)
}

// run scores the chunks matching the tsquery q and passing f, and returns
// the best k. The database finds the candidates and each one's frequencies
// of the query's terms; the arithmetic is the embedded store's, operation
// for operation, so that both give the same scores to the last bit.
func (ks *keywordSearch) run(ctx context.Context, tx querier, q string, k int, f banban.Filter) ([]scored, error) {
	lex := make([]string, len(ks.terms))
	for i, t := range ks.terms {
		lex[i] = t.lex
	}
	sql, args := candidatesQuery(lex, q, f)
	rows, _ := tx.Query(ctx, sql, args...)
	defer rows.Close()
	lenNorm := bm25K1 * bm25B / ks.avg
	var all []scored
	// The document id reads the same in both formats; the rest must be
	// binary.
	for _, fd := range rows.FieldDescriptions()[1:] {
		if fd.Format != pgx.BinaryFormatCode {
			return nil, errBadRow
		}
	}
	for rows.Next() {
		c, err := ks.candidate(rows.RawValues(), lenNorm)
		if err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
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

// candidatesQuery is the query for the chunks passing f that match the
// tsquery q, with their frequencies of the lexemes lex.
func candidatesQuery(lex []string, q string, f banban.Filter) (string, []any) {
	return withFilter(query("keyword_candidates"), f, "t", []any{lex, q})
}

// candidate decodes a row of keyword_candidates (binary format: text,
// int4, int4, tsvector) and scores it. Decoding the tsvector here, without
// building a pgtype.TSVector, is several times cheaper, and a search may
// read thousands of rows.
func (ks *keywordSearch) candidate(raw [][]byte, lenNorm float64) (scored, error) {
	if len(raw) != 4 || len(raw[1]) != 4 || len(raw[2]) != 4 {
		return scored{}, errBadRow
	}
	s := scored{docID: string(raw[0]), pos: int(int32(binary.BigEndian.Uint32(raw[1])))}
	length := float64(int32(binary.BigEndian.Uint32(raw[2])))
	tfs, err := ks.frequencies(raw[3])
	if err != nil {
		return s, err
	}
	for i := range ks.terms {
		if tf := tfs[i]; tf > 0 {
			s.score += bm25Weight(ks.terms[i].idf, tf, length, lenNorm)
		}
	}
	return s, nil
}

// bm25Weight is a term's BM25 weight in a chunk of the given length where it
// occurs tf times, lenNorm being k1·b over the average length: the embedded
// store's expression, operation for operation.
func bm25Weight(idf float64, tf int, length, lenNorm float64) float64 {
	ftf := float64(tf)
	return idf * ftf * (bm25K1 + 1) / (ftf + bm25K1*(1-bm25B) + lenNorm*length)
}

// frequencies reads the frequency of each query term from a tsvector in
// PostgreSQL's binary format.
func (ks *keywordSearch) frequencies(b []byte) ([]int, error) {
	tfs := ks.tfs[:0]
	tfs = append(tfs, make([]int, len(ks.terms))...)
	ks.tfs = tfs
	err := eachLexeme(b, func(word []byte, tf int) {
		if i, ok := ks.index[string(word)]; ok {
			tfs[i] = tf
		}
	})
	return tfs, err
}

var errBadRow = errors.New("postgres: malformed keyword candidate row")

// hitsOf reads the chunks of the ranked keys, and ends the snapshot.
func hitsOf(ctx context.Context, conn *pgxpool.Conn, top []scored) ([]banban.Hit, error) {
	if len(top) == 0 {
		_, err := conn.Exec(ctx, "COMMIT")
		return nil, err
	}
	docs := make([]string, len(top))
	poss := make([]int32, len(top))
	for i, s := range top {
		docs[i], poss[i] = s.docID, int32(s.pos)
	}
	hits := make([]banban.Hit, len(top))
	err := commitWith(ctx, conn, func(rows pgx.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var r chunkRow
			if err := rows.Scan(r.targets(false)...); err != nil {
				return err
			}
			c, pos, _ := r.chunk()
			i := slices.IndexFunc(top, func(s scored) bool { return s.docID == c.DocID && s.pos == pos })
			hits[i] = banban.Hit{Chunk: c, Score: top[i].score}
		}
		return rows.Err()
	}, query("chunks_by_key"), docs, poss)
	return hits, err
}
