package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// EnsureDatabase connects to loginURL (a database that exists, such as
// "postgres") and creates the database name there when it is missing, as
// Rasa does with login_db.
func EnsureDatabase(ctx context.Context, loginURL, name string) error {
	conn, err := pgx.Connect(ctx, loginURL)
	if err != nil {
		return wrap("connecting to the login database", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`,
		name).Scan(&exists)
	if err != nil {
		return wrap("looking for database "+name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil && !alreadyExists(err) {
		return wrap(fmt.Sprintf("creating database %q", name), err)
	}
	return nil
}

// alreadyExists reports a CREATE DATABASE that lost a race with another
// replica's.
func alreadyExists(err error) bool {
	var pgErr *pgconn.PgError
	// 42P04: duplicate database; 23505: the catalog's unique index.
	return errors.As(err, &pgErr) && (pgErr.Code == "42P04" || pgErr.Code == "23505")
}
