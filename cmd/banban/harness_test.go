package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"testing"
)

// stores are the two stores every end-to-end test runs on.
var stores = []string{"bolt", "postgres"}

// testConfig returns the configuration of a fresh Banban on the named
// store: a new data directory, or a new PostgreSQL schema dropped at the
// end. PostgreSQL tests skip without DATABASE_URL, except on CI.
func testConfig(tb testing.TB, store string) Config {
	tb.Helper()
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	cfg.DataDir = tb.TempDir()
	if store != "postgres" {
		return cfg
	}
	cfg.DatabaseURL = os.Getenv("DATABASE_URL")
	if cfg.DatabaseURL == "" {
		const how = `start it from the module root with: eval "export $(deploy/testdb.sh start)"`
		if os.Getenv("CI") == "true" {
			tb.Fatal("DATABASE_URL is not set, and CI must run the PostgreSQL tests: " + how)
		}
		tb.Skip("DATABASE_URL is not set; " + how)
	}
	drop, err := freshSchema(context.Background(), &cfg)
	if err != nil {
		tb.Fatalf("fresh schema: %v", err)
	}
	tb.Cleanup(drop)
	return cfg
}

// server is Banban serving on a loopback port, as `banban serve` does.
type server struct {
	URL  string
	App  *App
	stop func()
}

// launch opens Banban on cfg (importing the sample knowledge base into an
// empty store) and serves it until stop or the end of the test. A second
// launch on the same cfg after stop is a restart.
func launch(tb testing.TB, cfg Config) *server {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("BANBAN_TEST_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		cancel()
		tb.Fatalf("open: %v", err)
	}
	if err := app.loadSampleIfEmpty(ctx); err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.serve(ctx, ln) }()
	var once sync.Once
	s := &server{URL: "http://" + ln.Addr().String(), App: app}
	s.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				tb.Errorf("serve: %v", err)
			}
			app.Close()
		})
	}
	tb.Cleanup(s.stop)
	return s
}
