package postgres

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
	"github.com/jackc/pgx/v5"
)

// withURL returns the test database's URL changed by edit.
func withURL(t *testing.T, edit func(u *url.URL)) string {
	t.Helper()
	u, err := url.Parse(testURL(t))
	if err != nil {
		t.Fatalf("parse DATABASE_URL: %v", err)
	}
	edit(u)
	return u.String()
}

func TestOpenErrors(t *testing.T) {
	const secret = "s3cret-password"
	tests := []struct {
		name     string
		url      string
		wantCode string
		wantText string // in the safe message
	}{
		{"NothingListens", withURL(t, func(u *url.URL) {
			u.User = url.UserPassword("postgres", secret)
			u.Host = "127.0.0.1:1"
		}), banban.EUNAVAILABLE, "127.0.0.1:1"},
		{"Unparsable", "postgres://postgres:" + secret + "@127.0.0.1:notaport/db", banban.EINVALID, "数据库地址无法解析"},
		{"NoSuchDatabase", withURL(t, func(u *url.URL) {
			u.User = url.UserPassword("postgres", secret)
			u.Path = "/banban_no_such_database"
		}), banban.EUNAVAILABLE, "banban_no_such_database"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			st, err := Open(t.Context(), tc.url, Options{})
			if err == nil {
				st.Close()
				t.Fatalf("Open(%s): got a store, want an error", tc.name)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("Open took %v, want a quick failure", took)
			}
			if got := banban.ErrorCode(err); got != tc.wantCode {
				t.Errorf("Open: got error %v (code %q), want code %q", err, got, tc.wantCode)
			}
			if msg := banban.ErrorMessage(err); !strings.Contains(msg, tc.wantText) {
				t.Errorf("Open: got message %q, want it to name %q", msg, tc.wantText)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Open: error %q shows the password", err)
			}
			if err := Migrate(t.Context(), tc.url, Options{}); banban.ErrorCode(err) != tc.wantCode {
				t.Errorf("Migrate: got error %v, want code %q", err, tc.wantCode)
			}
		})
	}
}

// TestOutOfDateSchema checks that Open refuses a schema Migrate has not
// brought to this program's version, and one a newer program migrated.
func TestOutOfDateSchema(t *testing.T) {
	ctx := t.Context()
	admin := adminConn(t)
	schema := newSchema(t)
	want := latestVersion(migrations)
	open := func() error {
		st, err := Open(ctx, testURL(t), Options{Schema: schema})
		if err == nil {
			st.Close()
		}
		return err
	}
	exec := func(sql string) {
		t.Helper()
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	table := pgx.Identifier{schema, "schema_migrations"}.Sanitize()
	steps := []struct {
		name     string
		prepare  func()
		wantCode string
		wantText string
	}{
		{"NeverMigrated", func() { exec("CREATE SCHEMA " + pgx.Identifier{schema}.Sanitize()) },
			banban.ECONFLICT, "数据库结构版本为 0，需要 " + itoa(want) + "：请先运行 banban migrate"},
		{"Migrated", func() { mustMigrate(t, schema) }, "", ""},
		{"LastMigrationMissing", func() { exec("DELETE FROM " + table + " WHERE version = " + itoa(want)) },
			banban.ECONFLICT, "数据库结构版本为 " + itoa(want-1) + "，需要 " + itoa(want)},
		{"Restored", func() {
			exec("INSERT INTO " + table + " (version, name) VALUES (" + itoa(want) + ", 'restored')")
		}, "", ""},
		{"NewerProgram", func() { exec("INSERT INTO " + table + " (version, name) VALUES (9999, '9999_future.sql')") },
			banban.ECONFLICT, "请升级 banban"},
	}
	for _, s := range steps {
		s.prepare()
		err := open()
		if got := banban.ErrorCode(err); got != s.wantCode {
			t.Fatalf("step %s: Open: got error %v (code %q), want code %q", s.name, err, got, s.wantCode)
		}
		if msg := banban.ErrorMessage(err); err != nil && !strings.Contains(msg, s.wantText) {
			t.Errorf("step %s: Open: got message %q, want %q in it", s.name, msg, s.wantText)
		}
	}
}

func mustMigrate(t *testing.T, schema string) {
	t.Helper()
	if err := Migrate(t.Context(), testURL(t), Options{Schema: schema}); err != nil {
		t.Fatalf("Migrate(%s): %v", schema, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestNoPgvector covers the two ways a database can lack pgvector. A server
// without it cannot be made for the test (the extension's files are on the
// test server), so that path is checked by asking for an extension name no
// server has, through the same lookup Open and Migrate use. A database
// where the server has pgvector but nobody enabled it is real: Open refuses
// it and Migrate enables it.
func TestNoPgvector(t *testing.T) {
	ctx := t.Context()
	t.Run("ServerWithoutIt", func(t *testing.T) {
		_, err := checkExtension(ctx, adminConn(t), "banban_no_such_extension")
		if got := banban.ErrorCode(err); got != banban.EUNAVAILABLE {
			t.Fatalf("checkExtension: got error %v (code %q), want code %q", err, got, banban.EUNAVAILABLE)
		}
		for _, want := range []string{"pgvector", "安装", "banban migrate"} {
			if msg := banban.ErrorMessage(err); !strings.Contains(msg, want) {
				t.Errorf("checkExtension: message %q does not say %q", msg, want)
			}
		}
	})
	t.Run("DatabaseWithoutIt", func(t *testing.T) {
		dbURL := freshDatabase(t)
		_, err := Open(ctx, dbURL, Options{})
		if got := banban.ErrorCode(err); got != banban.ECONFLICT || !strings.Contains(banban.ErrorMessage(err), "pgvector") {
			t.Fatalf("Open without the extension: got %v (code %q), want ECONFLICT naming pgvector", err, got)
		}
		if err := Migrate(ctx, dbURL, Options{}); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		st, err := Open(ctx, dbURL, Options{})
		if err != nil {
			t.Fatalf("Open after Migrate: %v", err)
		}
		st.Close()
	})
}

// freshDatabase creates an empty database (without the vector extension),
// dropped when the test ends, and returns its URL.
func freshDatabase(t *testing.T) string {
	t.Helper()
	name := strings.ReplaceAll(newSchemaName(t), "banban_test_", "banban_db_")
	admin := adminConn(t)
	if _, err := admin.Exec(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withURL(t, func(u *url.URL) { u.Path = "/" + name })
}

func TestOptionsDim(t *testing.T) {
	ctx := t.Context()
	schema := newSchema(t)
	mustMigrate(t, schema)
	open := func(dim int) (*Store, error) {
		st, err := Open(ctx, testURL(t), Options{Schema: schema, Dim: dim})
		if err == nil {
			t.Cleanup(func() { st.Close() })
		}
		return st, err
	}
	st, err := open(8)
	if err != nil {
		t.Fatalf("Open(Dim 8) on a new schema: %v", err)
	}
	entry := storetest.NewEntry(banban.Document{ID: "dim/a", Kind: banban.KindFAQ, Title: "维度"},
		storetest.ChunkSpec{Text: "维度", Terms: []string{"维度"}, Vector: []float32{1, 2, 3, 4, 5, 6, 7, 8}})
	if err := st.Put(ctx, []banban.Entry{entry}); err != nil {
		t.Fatalf("Put of 8-dimensional vectors: %v", err)
	}
	if _, err := open(4); banban.ErrorCode(err) != banban.ECONFLICT {
		t.Errorf("Open(Dim 4) on a store of 8-dimensional chunks: got %v, want ECONFLICT", err)
	}
	if _, err := open(8); err != nil {
		t.Errorf("Open(Dim 8) again: %v", err)
	}
}

// TestReopen checks that what one Store wrote another one opened later on
// the same schema reads: the suite opens fresh stores only.
func TestReopen(t *testing.T) {
	ctx := t.Context()
	schema := newSchema(t)
	first := openTest(t, Options{Schema: schema})
	info := banban.IndexInfo{Embedder: "reopen", Dim: 4, CreatedAt: storetest.Day(2025, 2, 3)}
	if err := first.SetIndexInfo(ctx, info); err != nil {
		t.Fatalf("SetIndexInfo: %v", err)
	}
	entry := storetest.NewEntry(banban.Document{ID: "re/open", Kind: banban.KindFAQ, Title: "重开", Source: "re.md", Hash: "h"},
		storetest.ChunkSpec{Text: "重开", Terms: []string{"重开"}, Vector: []float32{0, 1, 0, 0}})
	if err := first.Put(ctx, []banban.Entry{entry}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	second := openTest(t, Options{Schema: schema})
	if got, ok, err := second.IndexInfo(ctx); err != nil || !ok || got.Embedder != info.Embedder || !got.CreatedAt.Equal(info.CreatedAt) {
		t.Errorf("IndexInfo after reopening: got %+v, %v, %v, want %+v", got, ok, err, info)
	}
	hits, err := second.VectorSearch(ctx, []float32{0, 1, 0, 0}, 1, banban.Filter{})
	if err != nil || len(hits) != 1 || hits[0].Chunk.ID != entry.Chunks[0].ID {
		t.Errorf("VectorSearch after reopening: got %v, %v, want %s", ids(hits), err, entry.Chunks[0].ID)
	}
	hits, err = second.KeywordSearch(ctx, []string{"重开"}, 1, banban.Filter{})
	if err != nil || len(hits) != 1 {
		t.Errorf("KeywordSearch after reopening: got %v, %v, want one hit", ids(hits), err)
	}
}

func TestClosed(t *testing.T) {
	st := openTest(t, Options{})
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	ctx := t.Context()
	calls := map[string]func() error{
		"Put":           func() error { return st.Put(ctx, []banban.Entry{{Doc: banban.Document{ID: "x"}}}) },
		"Document":      func() error { _, err := st.Document(ctx, "x"); return err },
		"KeywordSearch": func() error { _, err := st.KeywordSearch(ctx, []string{"x"}, 1, banban.Filter{}); return err },
		"VectorSearch":  func() error { _, err := st.VectorSearch(ctx, []float32{1}, 1, banban.Filter{}); return err },
		"Stats":         func() error { _, err := st.Stats(ctx); return err },
	}
	for name, call := range calls {
		if err := call(); banban.ErrorCode(err) != banban.EUNAVAILABLE {
			t.Errorf("%s after Close: got %v, want EUNAVAILABLE", name, err)
		}
	}
	var be *banban.Error
	if err := calls["Stats"](); !errors.As(err, &be) {
		t.Errorf("Stats after Close: got %T, want *banban.Error", err)
	}
}
