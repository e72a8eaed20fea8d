package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// connectError reports a failed connection attempt as EUNAVAILABLE, naming
// the server by host and port only: the URL may hold a password.
func connectError(cc *pgx.ConnConfig, err error) error {
	addr := net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port)))
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "3D000":
			return banban.WrapError(banban.EUNAVAILABLE, err, "数据库 %s 上没有库 %s", addr, cc.Database)
		case pe.Code == "28000" || pe.Code == "28P01":
			return banban.WrapError(banban.EUNAVAILABLE, err, "数据库 %s 拒绝了用户 %s 的登录：请检查用户名和密码", addr, cc.User)
		}
	}
	return banban.WrapError(banban.EUNAVAILABLE, err, "无法连接数据库 %s：请检查数据库是否启动、地址和端口是否正确", addr)
}

// dbError gives a failed database call its error code:
//   - a cancelled or expired context gives ctx.Err();
//   - a lost connection or a server shutting down gives EUNAVAILABLE;
//   - text the database cannot store (a NUL byte, invalid UTF-8, a date out
//     of range) gives EINVALID; a value over a size limit ETOOLARGE;
//   - a vector of another dimension than the column's gives ECONFLICT;
//   - anything else is wrapped with op as context (EINTERNAL).
func dbError(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("postgres: %s: %w", op, cerr)
	}
	var be *banban.Error
	if errors.As(err, &be) {
		return err
	}
	if code := errorCode(err); code != "" {
		return banban.WrapError(code, fmt.Errorf("postgres: %s: %w", op, err), "%s", errorMessage(code))
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// errorCode returns the banban code of err, or "" for an internal error.
func errorCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pgErrorCode(pe)
	}
	if connectionLost(err) {
		return banban.EUNAVAILABLE
	}
	return ""
}

func pgErrorCode(pe *pgconn.PgError) string {
	switch {
	case strings.HasPrefix(pe.Code, "08"), // connection exception
		pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutdown, crash, starting
		pe.Code == "53300",                     // too many connections
		pe.Code == "40001", pe.Code == "40P01": // serialization failure, deadlock: try again
		return banban.EUNAVAILABLE
	case pe.Code == "22021", pe.Code == "22P05", pe.Code == "22008": // bad encoding, NUL, date
		return banban.EINVALID
	case pe.Code == "54000", pe.Code == "22001": // program limit, value too long
		return banban.ETOOLARGE
	case pe.Code == "22000" && strings.Contains(pe.Message, "dimensions"):
		return banban.ECONFLICT // pgvector: "expected 4 dimensions, not 3"
	}
	return ""
}

// connectionLost reports an error of the connection rather than of the
// query: the server went away, or the pool was closed.
func connectionLost(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	}
	// pgconn reports the use of a connection it has closed, and pgxpool
	// (through puddle) an acquire from a closed pool, with errors that
	// have no exported type.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "closed pool")
}

func errorMessage(code string) string {
	switch code {
	case banban.EUNAVAILABLE:
		return "数据库暂时不可用，请稍后再试"
	case banban.EINVALID:
		return "内容含有数据库无法保存的字符或日期"
	case banban.ETOOLARGE:
		return "内容过长，数据库无法保存"
	case banban.ECONFLICT:
		return "向量维度与知识库索引不一致"
	}
	return "数据库出错"
}
