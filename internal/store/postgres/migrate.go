package postgres

import (
	"context"
	"embed"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// schemaFiles are the migrations, applied in the order of their numeric
// prefix.
//
//go:embed schema/*.sql
var schemaFiles embed.FS

// dialect is PostgreSQL's side of the shared migration, for a connection
// whose search path is the store's schema.
func dialect(conn *pgx.Conn) sqlstore.Dialect {
	return sqlstore.Dialect{
		Tables: `SELECT to_regclass('schema_version') IS NOT NULL,
			to_regclass('events') IS NOT NULL`,
		Step: func(ctx context.Context, run func(sqlstore.Conn) error) error {
			return inTx(ctx, conn, run)
		},
		Wrap:            wrap,
		ErrForeignTable: ErrForeignTable,
		ErrSchemaTooNew: ErrSchemaTooNew,
		Elsewhere:       "another database or schema",
	}
}

// migrate creates schema when it is not empty and missing, then applies
// the missing steps, all under an advisory lock so that replicas starting
// together take turns.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	steps, err := sqlstore.ReadMigrations(schemaFiles, "schema", false)
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return wrap("connecting to migrate", err)
	}
	defer conn.Release()
	key := "parley-migrate:" + schema
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext($1))", key); err != nil {
		return wrap("taking the migration lock", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext($1))", key)
	if schema != "" {
		stmt := "CREATE SCHEMA IF NOT EXISTS " + pgx.Identifier{schema}.Sanitize()
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return wrap("creating schema "+schema, err)
		}
	}
	return sqlstore.Migrate(ctx, pgConn{conn.Conn()}, steps, dialect(conn.Conn()))
}

// inTx runs one migration step in a transaction on conn.
func inTx(ctx context.Context, conn *pgx.Conn, run func(sqlstore.Conn) error) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return wrap("starting a migration", err)
	}
	defer tx.Rollback(ctx)
	if err := run(pgConn{tx}); err != nil {
		return err
	}
	return wrap("committing a migration", tx.Commit(ctx))
}

// pgConn is a sqlstore.Conn on a pgx connection or transaction.
type pgConn struct{ c execQuerier }

// execQuerier is what *pgx.Conn and pgx.Tx have in common.
type execQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Exec implements sqlstore.Conn.
func (p pgConn) Exec(ctx context.Context, query string) error {
	_, err := p.c.Exec(ctx, query)
	return err
}

// QueryRow implements sqlstore.Conn.
func (p pgConn) QueryRow(ctx context.Context, query string, dest ...any) error {
	return p.c.QueryRow(ctx, query).Scan(dest...)
}
