package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/banban-gov/banban/knowledge/postgres"
)

// cmdMigrate brings the PostgreSQL schema up to date.
func cmdMigrate(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := newFlags("migrate")
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL 连接串")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errors.New("banban migrate 需要 DATABASE_URL 或 --database-url；嵌入式存储无需迁移")
	}
	if err := migrate(ctx, cfg); err != nil {
		return err
	}
	logger.Info("database schema is up to date", slog.String("schema", cfg.DatabaseSchema))
	return nil
}

func migrate(ctx context.Context, cfg Config) error {
	if err := postgres.Migrate(ctx, cfg.DatabaseURL, postgres.Options{Schema: cfg.DatabaseSchema}); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// freshSchema creates an empty, migrated schema for one evaluation run and
// returns a function that drops it.
func freshSchema(ctx context.Context, cfg *Config) (drop func(), err error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	cfg.DatabaseSchema = "banban_eval_" + hex.EncodeToString(b[:])
	if err := migrate(ctx, *cfg); err != nil {
		return nil, err
	}
	url, schema := cfg.DatabaseURL, cfg.DatabaseSchema
	return func() {
		if err := postgres.DropSchema(context.Background(), url, schema); err != nil {
			fmt.Println("banban: drop evaluation schema:", err)
		}
	}, nil
}
