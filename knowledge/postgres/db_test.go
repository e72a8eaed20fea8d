package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// testURL returns the test database's URL. Without one the tests skip, or
// fail on CI, where skipping would hide that nothing ran.
func testURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DATABASE_URL")
	if u != "" {
		return u
	}
	const how = `start the test database from the module root with: eval "export $(deploy/testdb.sh start)"`
	if os.Getenv("CI") == "true" {
		t.Fatal("DATABASE_URL is not set, and CI must run the PostgreSQL tests: " + how)
	}
	t.Skip("DATABASE_URL is not set; to run the PostgreSQL tests, " + how)
	return ""
}

// adminConn is a plain connection to the test database, closed at the end
// of the test.
func adminConn(t testing.TB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), testURL(t))
	if err != nil {
		t.Fatalf("connect to the test database: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// newSchema returns a fresh random schema name, dropped with everything in
// it when the test ends.
func newSchema(t testing.TB) string {
	t.Helper()
	name := newSchemaName(t)
	url := testURL(t)
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Errorf("drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}

// newSchemaName returns a random name for a schema or database.
func newSchemaName(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "banban_test_" + hex.EncodeToString(b[:])
}

// openTest migrates a fresh schema and opens a store on it, closed when the
// test ends (before the schema is dropped).
func openTest(t testing.TB, opts Options) *Store {
	t.Helper()
	url := testURL(t)
	if opts.Schema == "" {
		opts.Schema = newSchema(t)
	}
	if opts.MaxConns == 0 {
		opts.MaxConns = 4
	}
	if err := Migrate(context.Background(), url, opts); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	st, err := Open(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
