package mysql

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// schemaFiles are the migrations, applied in the order of their numeric
// prefix. Statements in a file end with a semicolon at the end of a line.
//
//go:embed schema/*.sql
var schemaFiles embed.FS

// migrationLockSeconds is how long Open waits for another process's
// migration.
const migrationLockSeconds = 120

// dialect is MySQL's side of the shared migration.
var dialect = sqlstore.Dialect{
	Tables: `SELECT
		COUNT(CASE WHEN table_name = 'schema_version' THEN 1 END) > 0,
		COUNT(CASE WHEN table_name = 'events' THEN 1 END) > 0
		FROM information_schema.tables WHERE table_schema = DATABASE()`,
	Wrap:            wrap,
	ErrForeignTable: ErrForeignTable,
	ErrSchemaTooNew: ErrSchemaTooNew,
	Elsewhere:       "another database",
}

// migrate applies the missing steps while holding a named server lock, so
// that replicas starting together take turns. MySQL commits each schema
// statement on its own: a step that fails half way leaves what it had
// created, and the error says which step failed.
func migrate(ctx context.Context, db *sql.DB) error {
	steps, err := sqlstore.ReadMigrations(schemaFiles, "schema", true)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return wrap("connecting to migrate", err)
	}
	defer conn.Close()
	release, err := migrationLock(ctx, conn)
	if err != nil {
		return err
	}
	defer release()
	return sqlstore.Migrate(ctx, sqlstore.DBConn(conn), steps, dialect)
}

// migrationLock takes the database's migration lock on conn.
func migrationLock(ctx context.Context, conn *sql.Conn) (release func(), err error) {
	const name = "CONCAT('parley-migrate:', LEFT(DATABASE(), 40))"
	var got sql.NullInt64
	err = conn.QueryRowContext(ctx, "SELECT GET_LOCK("+name+", ?)", migrationLockSeconds).
		Scan(&got)
	if err != nil {
		return nil, wrap("taking the migration lock", err)
	}
	if got.Int64 != 1 {
		return nil, fmt.Errorf("%w (%d s)", ErrMigrationLock, migrationLockSeconds)
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK("+name+")")
	}, nil
}
