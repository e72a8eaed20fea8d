package postgres

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
)

// appliedIn returns the versions recorded in schema's schema_migrations.
func appliedIn(t *testing.T, conn *pgx.Conn, schema string) []int {
	t.Helper()
	rows, _ := conn.Query(t.Context(), "SELECT version FROM "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+" ORDER BY version")
	got, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return got
}

func TestMigrateTwice(t *testing.T) {
	schema := newSchema(t)
	mustMigrate(t, schema)
	mustMigrate(t, schema)
	got := appliedIn(t, adminConn(t), schema)
	if len(got) != len(migrations) || got[len(got)-1] != latestVersion(migrations) {
		t.Errorf("versions after migrating twice: got %v, want each of %d migrations once", got, len(migrations))
	}
	st := openTest(t, Options{Schema: schema})
	if _, err := st.Stats(t.Context()); err != nil {
		t.Errorf("Stats on the migrated schema: %v", err)
	}
}

// TestMigrateConcurrently runs Migrate from several goroutines, as several
// processes starting at once would: all succeed and each migration is
// applied once.
func TestMigrateConcurrently(t *testing.T) {
	schema := newSchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = Migrate(t.Context(), testURL(t), Options{Schema: schema}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Migrate %d: %v", i, err)
		}
	}
	if got := appliedIn(t, adminConn(t), schema); len(got) != len(migrations) {
		t.Errorf("versions: got %v, want each of %d migrations once", got, len(migrations))
	}
}

// TestMigrateWaitsForTheLock holds the migration lock from another session
// and checks that Migrate waits for it.
func TestMigrateWaitsForTheLock(t *testing.T) {
	ctx := t.Context()
	holder := adminConn(t)
	key := lockKey("migrate", "")
	if _, err := holder.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		t.Fatalf("take the lock: %v", err)
	}
	schema := newSchema(t)
	done := make(chan error, 1)
	go func() { done <- Migrate(ctx, testURL(t), Options{Schema: schema}) }()
	select {
	case err := <-done:
		t.Fatalf("Migrate returned %v while another session held the lock", err)
	case <-time.After(500 * time.Millisecond):
	}
	if _, err := holder.Exec(ctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
		t.Fatalf("release the lock: %v", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Migrate after the lock was released: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Migrate still waits after the lock was released")
	}
}

// TestMigrationOrderAndFailure runs a set of test migrations: they apply in
// version order (not name order), and one that fails leaves neither its
// changes nor its record, so that a fixed version applies later.
func TestMigrationOrderAndFailure(t *testing.T) {
	ctx := t.Context()
	conn := adminConn(t)
	schema := newSchema(t)
	fsys := fstest.MapFS{
		"migrations/0001_log.sql":  {Data: []byte("CREATE TABLE log (n serial, v int);\nINSERT INTO log (v) VALUES (1);")},
		"migrations/0010_ten.sql":  {Data: []byte("INSERT INTO log (v) VALUES (10);")},
		"migrations/0002_two.sql":  {Data: []byte("INSERT INTO log (v) VALUES (2);")},
		"migrations/0011_bad.sql":  {Data: []byte("CREATE TABLE half (x int);\nSELECT no_such_function();")},
		"migrations/README.txt":    {Data: []byte("not a migration")},
		"migrations/0003_three.sq": {Data: []byte("not a migration either")},
	}
	ms, err := loadMigrations(fsys)
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	if err := migrate(ctx, conn, schema, ms); err == nil || !strings.Contains(err.Error(), "0011_bad.sql") {
		t.Fatalf("migrate with a bad migration: got %v, want an error naming 0011_bad.sql", err)
	}
	if got := appliedIn(t, conn, schema); len(got) != 3 || got[2] != 10 {
		t.Errorf("versions after the failure: got %v, want [1 2 10]", got)
	}
	var order string
	q := "SELECT string_agg(v::text, ',' ORDER BY n) FROM " + pgx.Identifier{schema, "log"}.Sanitize()
	if err := conn.QueryRow(ctx, q).Scan(&order); err != nil || order != "1,2,10" {
		t.Errorf("order applied: got %q, %v, want 1,2,10", order, err)
	}
	var half bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", schema+".half").Scan(&half); err != nil || half {
		t.Errorf("table of the failed migration: exists %v (%v), want rolled back", half, err)
	}
	fsys["migrations/0011_bad.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE half (x int);")}
	if ms, err = loadMigrations(fsys); err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	if err := migrate(context.Background(), conn, schema, ms); err != nil {
		t.Fatalf("migrate after the fix: %v", err)
	}
	if got := appliedIn(t, conn, schema); len(got) != 4 {
		t.Errorf("versions after the fix: got %v, want [1 2 10 11]", got)
	}
}

func TestLoadMigrationsRejects(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"NoNumber", fstest.MapFS{"migrations/init.sql": {}}},
		{"Zero", fstest.MapFS{"migrations/0000_zero.sql": {}}},
		{"SameVersion", fstest.MapFS{"migrations/0001_a.sql": {}, "migrations/1_b.sql": {}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if ms, err := loadMigrations(tc.fsys); err == nil {
				t.Errorf("loadMigrations: got %d migrations, want an error", len(ms))
			}
		})
	}
}
