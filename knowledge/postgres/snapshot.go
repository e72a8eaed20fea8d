package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A keyword search reads its statistics, sometimes candidates, and its
// hits from one snapshot: a read-only repeatable-read transaction on one
// connection. Its BEGIN is sent with the first query and its COMMIT with
// the last, in batches, so that a search from memory costs two round trips
// to the server instead of four: on a busy machine each one waits for the
// server process to be scheduled.

// querier is a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// beginWith begins the snapshot on conn and runs the query sql in it,
// handing its rows to read.
func beginWith(ctx context.Context, conn *pgxpool.Conn, read func(pgx.Rows) error, sql string, args ...any) error {
	b := &pgx.Batch{}
	b.Queue(query("begin_snapshot"))
	b.Queue(sql, args...)
	return sendBatch(ctx, conn, b, 1, read)
}

// commitWith runs the query sql in the snapshot, handing its rows to read,
// and ends the snapshot.
func commitWith(ctx context.Context, conn *pgxpool.Conn, read func(pgx.Rows) error, sql string, args ...any) error {
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	b.Queue("COMMIT")
	return sendBatch(ctx, conn, b, 0, read)
}

// sendBatch sends b, statements and the one query at position at, and
// hands the query's rows to read.
func sendBatch(ctx context.Context, conn *pgxpool.Conn, b *pgx.Batch, at int, read func(pgx.Rows) error) (err error) {
	br := conn.SendBatch(ctx, b)
	defer func() {
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	}()
	for i := range b.Len() {
		if i != at {
			if _, err := br.Exec(); err != nil {
				return err
			}
			continue
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		if err := read(rows); err != nil {
			return err
		}
	}
	return nil
}

// abort ends the snapshot of a search that failed, if the connection
// still works; otherwise the pool closes it on release.
func abort(ctx context.Context, conn *pgxpool.Conn) {
	pc := conn.Conn().PgConn()
	if !pc.IsClosed() && pc.TxStatus() != 'I' {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
}
