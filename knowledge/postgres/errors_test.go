package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestDBError(t *testing.T) {
	pg := func(code, msg string) error { return &pgconn.PgError{Code: code, Message: msg} }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"AdminShutdown", pg("57P01", "terminating connection due to administrator command"), banban.EUNAVAILABLE},
		{"ConnectionFailure", pg("08006", "connection failure"), banban.EUNAVAILABLE},
		{"TooManyConnections", pg("53300", "too many clients"), banban.EUNAVAILABLE},
		{"Deadlock", pg("40P01", "deadlock detected"), banban.EUNAVAILABLE},
		{"EOF", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), banban.EUNAVAILABLE},
		{"NUL", pg("22021", `invalid byte sequence for encoding "UTF8": 0x00`), banban.EINVALID},
		{"DateOutOfRange", pg("22008", "timestamp out of range"), banban.EINVALID},
		{"ProgramLimit", pg("54000", "index row requires 9000 bytes"), banban.ETOOLARGE},
		{"VectorDimension", pg("22000", "expected 4 dimensions, not 3"), banban.ECONFLICT},
		{"SyntaxError", pg("42601", "syntax error"), banban.EINTERNAL},
		{"Coded", banban.Errorf(banban.ENOTFOUND, "找不到"), banban.ENOTFOUND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := dbError(context.Background(), "op", tc.err)
			if got := banban.ErrorCode(err); got != tc.want {
				t.Errorf("dbError(%v): got code %q, want %q", tc.err, got, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("dbError(%v) = %v: the cause is lost", tc.err, err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := dbError(ctx, "op", pg("57014", "canceling statement due to user request")); !errors.Is(err, context.Canceled) {
		t.Errorf("dbError with a cancelled context: got %v, want context.Canceled", err)
	}
	if err := dbError(ctx, "op", nil); err != nil {
		t.Errorf("dbError(nil): got %v", err)
	}
}
