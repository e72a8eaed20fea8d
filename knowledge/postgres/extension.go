package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// vectorExtension is pgvector's extension name. Tests check the "not
// available" path by asking for a name no server has.
const vectorExtension = "vector"

// minVectorVersion is the oldest pgvector with iterative HNSW scans, which
// filtered vector searches rely on.
var minVectorVersion = [2]int{0, 8}

// extension is what the database says of an extension.
type extension struct {
	installed bool
	schema    string // where its objects live, when installed
	version   string
}

// checkExtension looks the extension up. An extension the server does not
// have at all is an EUNAVAILABLE error that says how to install pgvector;
// an installed one older than 0.8 is ECONFLICT.
func checkExtension(ctx context.Context, conn *pgx.Conn, name string) (extension, error) {
	var ext extension
	err := conn.QueryRow(ctx, query("extension_installed"), name).Scan(&ext.version, &ext.schema)
	if err == nil {
		ext.installed = true
		if !versionAtLeast(ext.version, minVectorVersion) {
			return ext, banban.Errorf(banban.ECONFLICT,
				"数据库的 pgvector 扩展版本为 %s，需要 0.8.0 或更高：请升级 pgvector 后执行 ALTER EXTENSION vector UPDATE", ext.version)
		}
		return ext, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return ext, dbError(ctx, "look up extension "+name, err)
	}
	var available string
	err = conn.QueryRow(ctx, query("extension_available"), name).Scan(&available)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return ext, errNoPgvector()
	case err != nil:
		return ext, dbError(ctx, "look up extension "+name, err)
	}
	ext.version = available
	return ext, nil
}

// errNoPgvector is the error for a server without pgvector.
func errNoPgvector() error {
	return banban.Errorf(banban.EUNAVAILABLE,
		"数据库服务器没有安装 pgvector 扩展（vector）：请在数据库服务器上安装 pgvector 0.8 或更高版本"+
			"（Debian/Ubuntu：apt install postgresql-15-pgvector，或运行 deploy/pgvector.sh；"+
			"也可从 https://github.com/pgvector/pgvector 编译安装），然后运行 banban migrate")
}

// enableExtension creates the vector extension if the server has it and the
// database does not use it yet.
func enableExtension(ctx context.Context, conn *pgx.Conn) error {
	ext, err := checkExtension(ctx, conn, vectorExtension)
	if err != nil || ext.installed {
		return err
	}
	if _, err := conn.Exec(ctx, query("create_extension")); err != nil {
		return banban.WrapError(banban.EUNAVAILABLE, dbError(ctx, "create extension vector", err),
			"无法在数据库中启用 pgvector 扩展：请由数据库管理员执行 CREATE EXTENSION vector")
	}
	return nil
}

// versionAtLeast compares a dotted version with major.minor.
func versionAtLeast(v string, want [2]int) bool {
	parts := strings.SplitN(v, ".", 3)
	var got [2]int
	for i := 0; i < 2 && i < len(parts); i++ {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			return false
		}
		got[i] = n
	}
	return got[0] > want[0] || got[0] == want[0] && got[1] >= want[1]
}
