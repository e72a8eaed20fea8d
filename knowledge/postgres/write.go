package postgres

import (
	"context"
	"errors"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// Put stores the entries in one transaction, each replacing any earlier
// version of its document; a later entry for the same id wins. The corpus
// statistics change in the same transaction, so a search sees the counts
// that go with the chunks it ranks.
func (s *Store) Put(ctx context.Context, entries []banban.Entry) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	b, err := newBatch(entries)
	if err != nil {
		return err
	}
	var dim int
	err = s.write(ctx, "put", func(tx pgx.Tx, st writeState) error {
		if dim, err = checkEntries(entries, st.storeDim()); err != nil {
			return err
		}
		if b.nChunks > 0 {
			if err := st.useDim(ctx, tx, dim); err != nil {
				return err
			}
		}
		avg := b.average()
		if st.chunks > 0 && st.tierAvg != nil {
			avg = *st.tierAvg
		}
		if s.bulkWorthIt(b.nChunks, st.chunks) {
			return writeBulk(ctx, tx, b, avg, dim, st.chunks)
		}
		return writeBatch(ctx, tx, b, avg)
	})
	if err == nil && b.nChunks > 0 {
		s.dim.Store(int64(dim))
	}
	s.chunksAge.Store(0) // count again
	return err
}

// writeBatch replaces the batch's documents; avg is the tier average.
func writeBatch(ctx context.Context, tx pgx.Tx, b *batch, avg float64) error {
	termRows, terms, counts, smax := b.termRows(avg)
	ch := change{docs: int64(len(b.ids)), chunks: b.nChunks, totalLen: b.totalLen, tierAvg: &avg,
		terms: terms, counts: counts, smax: smax}
	if err := removeDocuments(ctx, tx, b.ids, ch); err != nil {
		return err
	}
	copies := []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"documents", docColumns, b.docs},
		{"names", nameColumns, b.names},
		{"chunks", chunkColumns, b.chunks},
		{"chunk_terms", termColumns, termRows},
	}
	for _, c := range copies {
		if len(c.rows) == 0 {
			continue
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
			return err
		}
	}
	if len(b.sources[0]) > 0 {
		if _, err := tx.Exec(ctx, query("upsert_sources"), b.sources[0], b.sources[1], b.sources[2]); err != nil {
			return err
		}
	}
	return nil
}

// change is what a write brings in place of the documents it removes.
type change struct {
	docs, chunks, totalLen int64
	tierAvg                *float64
	terms                  []string  // lexemes of the new chunks
	counts                 []int64   // how many new chunks hold each
	smax                   []float64 // the highest saturation of each
}

// removeDocuments deletes documents with their names, chunks and sources,
// first taking their chunks out of the statistics and putting in those of
// ch, and records the write's generation (see memindex.go).
func removeDocuments(ctx context.Context, tx pgx.Tx, ids []string, ch change) error {
	if ch.terms == nil {
		ch.terms, ch.counts, ch.smax = []string{}, []int64{}, []float64{}
	}
	var gen int64
	err := tx.QueryRow(ctx, query("update_corpus_stats"), ids, ch.docs, ch.chunks, ch.totalLen, ch.tierAvg).Scan(&gen)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, query("log_changes"), gen, ids, memLogGenerations); err != nil {
		return err
	}
	var unused []string
	if err := tx.QueryRow(ctx, query("update_term_stats"), ids, ch.terms, ch.counts, ch.smax).Scan(&unused); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, query("delete_documents"), ids); err != nil {
		return err
	}
	if len(unused) > 0 {
		if _, err := tx.Exec(ctx, query("drop_unused_terms"), unused); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes documents and their chunks; unknown ids are ignored.
func (s *Store) Delete(ctx context.Context, docIDs ...string) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	if len(docIDs) == 0 {
		return nil
	}
	err := s.write(ctx, "delete", func(tx pgx.Tx, st writeState) error {
		return removeDocuments(ctx, tx, docIDs, change{tierAvg: st.tierAvg})
	})
	if err == nil {
		s.dim.Store(0) // the store may be empty now: look again
	}
	s.chunksAge.Store(0)
	return err
}

// writeState is what a writer reads under the writer lock.
type writeState struct {
	chunks    int64
	tierAvg   *float64
	hasInfo   bool
	info      banban.IndexInfo
	columnDim int // 0: no embedding column yet
}

// storeDim is the dimension every stored vector must have, as the
// embedded store defines it: the index info's, else that of the stored
// chunks, else 0 (the next Put decides).
func (w writeState) storeDim() int {
	switch {
	case w.hasInfo:
		return w.info.Dim
	case w.chunks > 0:
		return w.columnDim
	}
	return 0
}

// write runs fn in a transaction holding the schema's writer lock.
func (s *Store) write(ctx context.Context, op string, fn func(pgx.Tx, writeState) error) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, query("lock_writer"), s.writeKey); err != nil {
			return err
		}
		st, err := readWriteState(ctx, tx)
		if err != nil {
			return err
		}
		return fn(tx, st)
	})
	return s.fail(ctx, op, err)
}

func readWriteState(ctx context.Context, tx querier) (writeState, error) {
	var st writeState
	var embedder *string
	var dim, columnDim *int
	err := tx.QueryRow(ctx, query("write_state")).Scan(&st.chunks, &st.tierAvg, &embedder, &dim, &columnDim)
	if err != nil {
		return st, err
	}
	if embedder != nil && dim != nil {
		st.hasInfo, st.info.Embedder, st.info.Dim = true, *embedder, *dim
	}
	if columnDim != nil {
		st.columnDim = *columnDim
	}
	return st, nil
}

// fail gives the error of a call its code (see dbError); a call that
// failed because the store was closed meanwhile reports that.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var be *banban.Error
	if s.closed.Load() && ctx.Err() == nil && !errors.As(err, &be) {
		return errClosed()
	}
	return dbError(ctx, op, err)
}
