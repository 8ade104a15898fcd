package sqlstore

import (
	"context"
	"database/sql"
)

// execQuerier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type execQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DBConn is a Conn on a database/sql connection or transaction.
func DBConn(c execQuerier) Conn { return dbConn{c} }

// dbConn is the Conn DBConn returns.
type dbConn struct{ c execQuerier }

// Exec implements Conn.
func (d dbConn) Exec(ctx context.Context, query string) error {
	_, err := d.c.ExecContext(ctx, query)
	return err
}

// QueryRow implements Conn.
func (d dbConn) QueryRow(ctx context.Context, query string, dest ...any) error {
	return d.c.QueryRowContext(ctx, query).Scan(dest...)
}

// QueryDB runs a read on a database/sql handle, as Backend.Query does.
func QueryDB(ctx context.Context, db *sql.DB, query string, args ...any) (Rows, func(),
	error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	return rows, func() { rows.Close() }, nil
}
