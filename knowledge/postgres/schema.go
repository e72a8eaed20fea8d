package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/banban-gov/banban"
)

// DropSchema removes a schema and everything in it, as `banban eval` does
// with the fresh schema it built for one run. It refuses the public schema,
// which holds a deployment's real data.
func DropSchema(ctx context.Context, databaseURL, schema string) error {
	if schema == "" || schema == "public" {
		return banban.Errorf(banban.EINVALID, "不能删除 schema %q", schema)
	}
	cfg, err := parseConfig(databaseURL)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return connectError(cfg.ConnConfig, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		return dbError(ctx, "drop schema "+schema, err)
	}
	return nil
}
