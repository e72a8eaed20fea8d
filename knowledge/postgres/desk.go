package postgres

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

var _ banban.DeskStore = (*Store)(nil)

// The help desk (banban.DeskStore) keeps its rows in the tables of
// migrations/0002_desk.sql, each value whole as JSON beside the columns its
// queries filter and sort on; a conversation's messages are rows of their
// own, written once each (see desk_messages.go). SaveConversation's version
// check is the UPDATE's WHERE clause, so concurrent saves need no lock: the
// server's group commit lets them share WAL flushes.

//go:embed desk.sql
var deskSQL string

var deskQueries = parseQueries(deskSQL)

// deskQuery returns the named query of desk.sql; a missing name is a
// programming error.
func deskQuery(name string) string {
	q, ok := deskQueries[name]
	if !ok {
		panic(fmt.Sprintf("postgres: no query %q in desk.sql", name))
	}
	return q
}

// readDoc runs a query for one JSON document and decodes it into v; no row
// returns notFound.
func (s *Store) readDoc(ctx context.Context, op string, v any, notFound error, sql string, args ...any) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	var raw []byte
	err := s.pool.QueryRow(ctx, sql, args...).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound
	}
	if err != nil {
		return dbError(ctx, op, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("postgres: %s: decode: %w", op, err)
	}
	return nil
}

// readDocs runs a query for JSON documents and decodes each.
func readDocs[T any](ctx context.Context, s *Store, op, sql string, args ...any) ([]T, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	rows, _ := s.pool.Query(ctx, sql, args...)
	raws, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, dbError(ctx, op, err)
	}
	out := make([]T, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("postgres: %s: decode: %w", op, err)
		}
	}
	return out, nil
}

// exec runs one statement after the usual checks.
func (s *Store) exec(ctx context.Context, op, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := s.start(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := s.pool.Exec(ctx, sql, args...)
	return tag, dbError(ctx, op, err)
}

// encodeDoc encodes v for a jsonb column.
func encodeDoc(v any, what string) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, err, "%s无法保存", what)
	}
	return raw, nil
}

// checkKey refuses an empty id, with what names for the error.
func checkKey(key, what string) error {
	if key == "" {
		return banban.Errorf(banban.EINVALID, "%s不能为空", what)
	}
	return nil
}

// nullText is s for a nullable text column: NULL for "".
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// uniqueViolation returns the constraint a unique violation broke, or "".
func uniqueViolation(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName
	}
	return ""
}
