package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Session is one browser session: the conversation it chats in and the
// inspector user logged in with it, if any.
type Session struct {
	ConversationID string
	User           string
	Created        time.Time
	LastSeen       time.Time
}

// Store keeps sessions, keyed by the hash of their id, and inspector
// logins. SQLStore and MemoryStore implement it.
type Store interface {
	// SaveSession inserts or replaces the session under key.
	SaveSession(ctx context.Context, key string, s Session) error
	// Session returns the session under key, or ErrNoSession.
	Session(ctx context.Context, key string) (Session, error)
	// TouchSession records that the session was used at t.
	TouchSession(ctx context.Context, key string, t time.Time) error
	// DeleteSession removes the session under key, if any.
	DeleteSession(ctx context.Context, key string) error
	// DeleteIdleSessions removes the sessions last used before t and
	// returns how many.
	DeleteIdleSessions(ctx context.Context, before time.Time) (int64, error)
	// AddUser stores a login with a password hash; ErrUserExists when the
	// name is taken, unless replace is set.
	AddUser(ctx context.Context, name string, hash []byte, at time.Time, replace bool) error
	// PasswordHash returns the user's password hash, or ErrNoUser.
	PasswordHash(ctx context.Context, name string) ([]byte, error)
}

// SQLStore is a Store in the web_sessions and web_users tables of the
// store's database (SQLite or PostgreSQL: the SQL is the same).
type SQLStore struct {
	db *sql.DB
}

var _ Store = (*SQLStore)(nil)

// NewSQLStore returns the Store in db, which the store package has
// migrated.
func NewSQLStore(db *sql.DB) *SQLStore { return &SQLStore{db: db} }

// SaveSession implements Store.
func (s *SQLStore) SaveSession(ctx context.Context, key string, sess Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO web_sessions
		(id_hash, conversation_id, user_name, created_at, last_seen) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id_hash) DO UPDATE SET conversation_id = excluded.conversation_id,
		user_name = excluded.user_name, last_seen = excluded.last_seen`,
		key, sess.ConversationID, sess.User, sess.Created.Unix(), sess.LastSeen.Unix())
	if err != nil {
		return fmt.Errorf("web: saving a session: %w", err)
	}
	return nil
}

// Session implements Store.
func (s *SQLStore) Session(ctx context.Context, key string) (Session, error) {
	var sess Session
	var created, seen int64
	err := s.db.QueryRowContext(ctx, `SELECT conversation_id, user_name, created_at, last_seen
		FROM web_sessions WHERE id_hash = $1`, key).
		Scan(&sess.ConversationID, &sess.User, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, ErrNoSession
	}
	if err != nil {
		return sess, fmt.Errorf("web: reading a session: %w", err)
	}
	sess.Created, sess.LastSeen = time.Unix(created, 0), time.Unix(seen, 0)
	return sess, nil
}

// TouchSession implements Store.
func (s *SQLStore) TouchSession(ctx context.Context, key string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE web_sessions SET last_seen = $1 WHERE id_hash = $2`,
		t.Unix(), key)
	if err != nil {
		return fmt.Errorf("web: touching a session: %w", err)
	}
	return nil
}

// DeleteSession implements Store.
func (s *SQLStore) DeleteSession(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE id_hash = $1`,
		key); err != nil {
		return fmt.Errorf("web: deleting a session: %w", err)
	}
	return nil
}

// DeleteIdleSessions implements Store.
func (s *SQLStore) DeleteIdleSessions(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE last_seen < $1`,
		before.Unix())
	if err != nil {
		return 0, fmt.Errorf("web: deleting idle sessions: %w", err)
	}
	return res.RowsAffected()
}

// AddUser implements Store.
func (s *SQLStore) AddUser(ctx context.Context, name string, hash []byte, at time.Time,
	replace bool) error {
	q := `INSERT INTO web_users (name, password_hash, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO NOTHING`
	if replace {
		q = `INSERT INTO web_users (name, password_hash, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash`
	}
	res, err := s.db.ExecContext(ctx, q, name, string(hash), at.Unix())
	if err != nil {
		return fmt.Errorf("web: adding user %s: %w", name, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: %s", ErrUserExists, name)
	}
	return nil
}

// PasswordHash implements Store.
func (s *SQLStore) PasswordHash(ctx context.Context, name string) ([]byte, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM web_users WHERE name = $1`,
		name).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNoUser, name)
	}
	if err != nil {
		return nil, fmt.Errorf("web: reading user %s: %w", name, err)
	}
	return []byte(hash), nil
}

// normalUser returns the stored form of a user name (lower case).
func normalUser(name string) string { return strings.ToLower(strings.TrimSpace(name)) }
