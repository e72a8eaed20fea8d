package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered .sql file: NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the migrations of fsys in version order. Versions
// must be unique and positive.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	paths, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, p := range paths {
		base := path.Base(p)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: want a name like 0001_init.sql", base)
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(raw)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].name, out[i].name, out[i].version)
		}
	}
	return out, nil
}

// migrations are the embedded migrations; an error here is a build fault.
var migrations = func() []migration {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		panic("postgres: " + err.Error())
	}
	return ms
}()

// latestVersion is the schema version this program needs.
func latestVersion(ms []migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate brings the database up to date: it enables pgvector if the server
// has it, creates opts.Schema, and applies each embedded migration not yet
// recorded in the schema's schema_migrations table, in order, each in its own
// transaction. It holds a PostgreSQL advisory lock throughout, so several
// processes may run it at once; running it again changes nothing.
func Migrate(ctx context.Context, databaseURL string, opts Options) error {
	cfg, err := parseConfig(databaseURL)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return connectError(cfg.ConnConfig, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return migrate(ctx, conn, schemaName(opts), migrations)
}

// migrate applies ms on conn under the advisory lock. The lock is one for
// the whole database, since enabling the extension is database-wide; it is
// a session lock, which the server releases if the connection dies.
func migrate(ctx context.Context, conn *pgx.Conn, schema string, ms []migration) (err error) {
	key := lockKey("migrate", "")
	if _, err := conn.Exec(ctx, query("advisory_lock"), key); err != nil {
		return dbError(ctx, "take the migration lock", err)
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), query("advisory_unlock"), key); uerr != nil && err == nil {
			err = dbError(ctx, "release the migration lock", uerr)
		}
	}()
	if err := enableExtension(ctx, conn); err != nil {
		return err
	}
	quoted := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, strings.ReplaceAll(query("create_schema"), "{schema}", quoted)); err != nil {
		return dbError(ctx, "create schema "+quoted, err)
	}
	ext, err := checkExtension(ctx, conn, vectorExtension)
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "SET search_path = "+searchPath(schema, ext.schema)); err != nil {
		return dbError(ctx, "set search_path", err)
	}
	if _, err := conn.Exec(ctx, query("create_migrations_table")); err != nil {
		return dbError(ctx, "create schema_migrations", err)
	}
	applied, err := appliedVersions(ctx, conn)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if err := apply(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

func appliedVersions(ctx context.Context, conn *pgx.Conn) (map[int]bool, error) {
	rows, _ := conn.Query(ctx, query("applied_migrations"))
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, dbError(ctx, "read schema_migrations", err)
	}
	out := make(map[int]bool, len(versions))
	for _, v := range versions {
		out[v] = true
	}
	return out, nil
}

// apply runs one migration and records it in one transaction.
func apply(ctx context.Context, conn *pgx.Conn, m migration) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// The simple protocol runs a file of several statements.
		if _, err := tx.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, query("record_migration"), m.version, m.name)
		return err
	})
	return dbError(ctx, "apply migration "+m.name, err)
}

// checkSchemaVersion refuses a schema that Migrate has not brought to this
// program's version, or that a newer program has migrated further.
func checkSchemaVersion(ctx context.Context, conn *pgx.Conn, schema string) error {
	have, err := schemaVersion(ctx, conn, schema)
	if err != nil {
		return err
	}
	want := latestVersion(migrations)
	switch {
	case have < want:
		return banban.Errorf(banban.ECONFLICT, "数据库结构版本为 %d，需要 %d：请先运行 banban migrate", have, want)
	case have > want:
		return banban.Errorf(banban.ECONFLICT, "数据库结构版本为 %d，高于本程序支持的 %d：请升级 banban", have, want)
	}
	return nil
}

// schemaVersion is the highest migration recorded in schema, 0 for none.
func schemaVersion(ctx context.Context, conn *pgx.Conn, schema string) (int, error) {
	var exists bool
	if err := conn.QueryRow(ctx, query("migrations_table"), schema).Scan(&exists); err != nil {
		return 0, dbError(ctx, "look for schema_migrations", err)
	}
	if !exists {
		return 0, nil
	}
	q := strings.Replace(query("schema_version"), "schema_migrations",
		pgx.Identifier{schema, "schema_migrations"}.Sanitize(), 1)
	var v int
	if err := conn.QueryRow(ctx, q).Scan(&v); err != nil {
		return 0, dbError(ctx, "read the schema version", err)
	}
	return v, nil
}
