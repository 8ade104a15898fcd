package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
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
	// Throttle returns the login throttle's record under key; a zero
	// record when there is none.
	Throttle(ctx context.Context, key string) (ThrottleRecord, error)
	// UpdateThrottle changes the record under key with update and saves
	// it, as one step for every process that shares the Store.
	UpdateThrottle(ctx context.Context, key string, update func(*ThrottleRecord)) error
	// ClearThrottle forgets the record under key.
	ClearThrottle(ctx context.Context, key string) error
	// DeleteStaleThrottles removes the records whose last failure and
	// lockout both ended before t, and returns how many.
	DeleteStaleThrottles(ctx context.Context, before time.Time) (int64, error)
}

// SQLStore is a Store in the web_sessions, web_users and
// web_login_throttle tables of the tracker store's database: SQLite,
// PostgreSQL or MySQL/MariaDB.
type SQLStore struct {
	db *sql.DB
	q  *sqlQueries
}

var _ Store = (*SQLStore)(nil)

// NewSQLStore returns the Store in db, which the store package has
// migrated. It speaks the SQL of db's driver.
func NewSQLStore(db *sql.DB) *SQLStore {
	return &SQLStore{db: db, q: queriesFor(driverName(db))}
}

// SaveSession implements Store.
func (s *SQLStore) SaveSession(ctx context.Context, key string, sess Session) error {
	_, err := s.db.ExecContext(ctx, s.q.saveSession,
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
	err := s.db.QueryRowContext(ctx, s.q.session, key).
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
	_, err := s.db.ExecContext(ctx, s.q.touchSession, t.Unix(), key)
	if err != nil {
		return fmt.Errorf("web: touching a session: %w", err)
	}
	return nil
}

// DeleteSession implements Store.
func (s *SQLStore) DeleteSession(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, s.q.deleteSession, key); err != nil {
		return fmt.Errorf("web: deleting a session: %w", err)
	}
	return nil
}

// DeleteIdleSessions implements Store.
func (s *SQLStore) DeleteIdleSessions(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q.deleteIdle, before.Unix())
	if err != nil {
		return 0, fmt.Errorf("web: deleting idle sessions: %w", err)
	}
	return res.RowsAffected()
}

// AddUser implements Store.
func (s *SQLStore) AddUser(ctx context.Context, name string, hash []byte, at time.Time,
	replace bool) error {
	q := s.q.addUser
	if replace {
		q = s.q.replaceUser
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

// UserInfo is one inspector login as Users lists it.
type UserInfo struct {
	Name    string
	Created time.Time
}

// Users lists the inspector logins, by name.
func (s *SQLStore) Users(ctx context.Context) ([]UserInfo, error) {
	rows, err := s.db.QueryContext(ctx, s.q.listUsers)
	if err != nil {
		return nil, fmt.Errorf("web: listing users: %w", err)
	}
	defer rows.Close()
	var out []UserInfo
	for rows.Next() {
		var u UserInfo
		var created int64
		if err := rows.Scan(&u.Name, &created); err != nil {
			return nil, fmt.Errorf("web: listing users: %w", err)
		}
		u.Created = time.Unix(created, 0).UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

// RemoveUser deletes the login name and ends its sessions, so that whoever
// is logged in with it is logged out at the next request; ErrNoUser when
// there is no such login.
func (s *SQLStore) RemoveUser(ctx context.Context, name string) error {
	name = normalUser(name)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("web: removing a user: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q.removeUser, name)
	if err != nil {
		return fmt.Errorf("web: removing a user: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: %s", ErrNoUser, name)
	}
	if _, err := tx.ExecContext(ctx, s.q.userSessions, name); err != nil {
		return fmt.Errorf("web: ending the user's sessions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("web: removing a user: %w", err)
	}
	return nil
}

// PasswordHash implements Store.
func (s *SQLStore) PasswordHash(ctx context.Context, name string) ([]byte, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, s.q.passwordHash, name).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNoUser, name)
	}
	if err != nil {
		return nil, fmt.Errorf("web: reading user %s: %w", name, err)
	}
	return []byte(hash), nil
}

// Throttle implements Store.
func (s *SQLStore) Throttle(ctx context.Context, key string) (ThrottleRecord, error) {
	rec, err := scanThrottle(s.db.QueryRowContext(ctx, s.q.throttle, key))
	if err != nil {
		return rec, fmt.Errorf("web: reading the login throttle: %w", err)
	}
	return rec, nil
}

// UpdateThrottle implements Store: a transaction that locks the record's
// row (SQLite locks the whole database for it), run again when the
// database ends it to break a deadlock.
func (s *SQLStore) UpdateThrottle(ctx context.Context, key string,
	update func(*ThrottleRecord)) error {
	err := retryConflicts(func() error { return s.updateThrottle(ctx, key, update) })
	if err != nil {
		return fmt.Errorf("web: counting a failed login: %w", err)
	}
	return nil
}

// conflictTries is how often a statement that the database rolled back to
// break a deadlock or a serialization conflict is run.
const conflictTries = 5

// retryConflicts runs fn until it succeeds, fails otherwise than by a
// conflict, or has been tried conflictTries times.
func retryConflicts(fn func() error) error {
	var err error
	for range conflictTries {
		if err = fn(); !conflict(err) {
			return err
		}
	}
	return err
}

// conflict reports an error by which the database rolled a transaction
// back to break a deadlock or a serialization conflict (SQLSTATE 40001,
// PostgreSQL's 40P01): running it again is safe.
func conflict(err error) bool {
	if err == nil {
		return false
	}
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		return pg.SQLState() == "40001" || pg.SQLState() == "40P01"
	}
	var my *mysql.MySQLError
	return errors.As(err, &my) && string(my.SQLState[:]) == "40001"
}

// updateThrottle is UpdateThrottle without the error's context.
func (s *SQLStore) updateThrottle(ctx context.Context, key string,
	update func(*ThrottleRecord)) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.q.ensureThrottle, key); err != nil {
		return err
	}
	rec, err := scanThrottle(tx.QueryRowContext(ctx, s.q.lockThrottle, key))
	if err != nil {
		return err
	}
	update(&rec)
	_, err = tx.ExecContext(ctx, s.q.saveThrottle, encodeFailures(rec.Failures),
		milliOf(rec.LockedUntil), rec.Lockout.Milliseconds(), milliOf(rec.lastActive()), key)
	if err != nil {
		return err
	}
	return tx.Commit()
}

// scanThrottle reads a record; no row is a zero record.
func scanThrottle(row *sql.Row) (ThrottleRecord, error) {
	var rec ThrottleRecord
	var failures string
	var locked, lockout int64
	err := row.Scan(&failures, &locked, &lockout)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, nil
	}
	if err != nil {
		return rec, err
	}
	if rec.Failures, err = decodeFailures(failures); err != nil {
		return rec, err
	}
	rec.LockedUntil = timeOfMilli(locked)
	rec.Lockout = time.Duration(lockout) * time.Millisecond
	return rec, nil
}

// ClearThrottle implements Store.
func (s *SQLStore) ClearThrottle(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, s.q.clearThrottle, key); err != nil {
		return fmt.Errorf("web: clearing the login throttle: %w", err)
	}
	return nil
}

// staleBatch is how many quiet throttle records one statement removes (a
// variable so that tests can make batches small).
var staleBatch = 500

// DeleteStaleThrottles implements Store. It reads the keys of quiet
// records first and deletes them by key, so that it locks only those rows
// and never the index range that failures being counted are updating.
func (s *SQLStore) DeleteStaleThrottles(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for {
		n, err := s.deleteStaleBatch(ctx, milliOf(before))
		total += n
		if err != nil {
			return total, fmt.Errorf("web: removing old login throttle records: %w", err)
		}
		if n < int64(staleBatch) {
			return total, nil
		}
	}
}

// deleteStaleBatch removes up to staleBatch records quiet since before
// (unix ms) and returns how many.
func (s *SQLStore) deleteStaleBatch(ctx context.Context, before int64) (int64, error) {
	keys, err := s.staleKeys(ctx, before)
	if err != nil || len(keys) == 0 {
		return 0, err
	}
	marks := strings.Repeat(", ?", len(keys))[2:]
	if s.q.numbered {
		marks = numberedMarks(2, len(keys))
	}
	stmt := s.q.deleteStale + " AND key_hash IN (" + marks + ")"
	args := append([]any{before}, keys...)
	var res sql.Result
	err = retryConflicts(func() (err error) {
		res, err = s.db.ExecContext(ctx, stmt, args...)
		return err
	})
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// staleKeys reads the keys of up to staleBatch records quiet since before
// (unix ms), without locking them.
func (s *SQLStore) staleKeys(ctx context.Context, before int64) ([]any, error) {
	rows, err := s.db.QueryContext(ctx, s.q.staleThrottles, before, staleBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []any
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	return keys, rows.Err()
}

// numberedMarks is "$from, $from+1, ..." for n parameters.
func numberedMarks(from, n int) string {
	marks := make([]string, n)
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(marks, ", ")
}

// normalUser returns the stored form of a user name (lower case).
func normalUser(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// sqlQueries are the SQLStore's statements in one database's dialect.
type sqlQueries struct {
	saveSession, session, touchSession, deleteSession, deleteIdle string
	addUser, replaceUser, passwordHash                            string
	listUsers, removeUser, userSessions                           string
	throttle, ensureThrottle, lockThrottle, saveThrottle          string
	clearThrottle, staleThrottles, deleteStale                    string
	// numbered is set when placeholders are $1, $2, ... rather than ?.
	numbered bool
}

// driverName tells the database of db from its driver: "mysql",
// "postgres" or "sqlite" (the default).
func driverName(db *sql.DB) string {
	switch name := fmt.Sprintf("%T", db.Driver()); {
	case strings.Contains(name, "mysql."):
		return "mysql"
	case strings.Contains(name, "stdlib."):
		return "postgres"
	}
	return "sqlite"
}

// placeholder matches the $n placeholders that MySQL writes as ?.
var placeholder = regexp.MustCompile(`\$[0-9]+`)

// queriesFor returns the statements for the database named by driverName.
// They are written once with $n placeholders, in order, and upserts
// differ: ON CONFLICT for SQLite and PostgreSQL, ON DUPLICATE KEY for
// MySQL. SQLite has no FOR UPDATE: its write transactions lock the whole
// database instead.
func queriesFor(driver string) *sqlQueries {
	q := &sqlQueries{
		saveSession: `INSERT INTO web_sessions
			(id_hash, conversation_id, user_name, created_at, last_seen)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id_hash) DO UPDATE SET conversation_id = excluded.conversation_id,
			user_name = excluded.user_name, last_seen = excluded.last_seen`,
		session: `SELECT conversation_id, user_name, created_at, last_seen
			FROM web_sessions WHERE id_hash = $1`,
		touchSession:  `UPDATE web_sessions SET last_seen = $1 WHERE id_hash = $2`,
		deleteSession: `DELETE FROM web_sessions WHERE id_hash = $1`,
		deleteIdle:    `DELETE FROM web_sessions WHERE last_seen < $1`,
		addUser: `INSERT INTO web_users (name, password_hash, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO NOTHING`,
		replaceUser: `INSERT INTO web_users (name, password_hash, created_at)
			VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash`,
		passwordHash: `SELECT password_hash FROM web_users WHERE name = $1`,
		listUsers:    `SELECT name, created_at FROM web_users ORDER BY name`,
		removeUser:   `DELETE FROM web_users WHERE name = $1`,
		userSessions: `DELETE FROM web_sessions WHERE user_name = $1`,
		throttle: `SELECT failures, locked_until, lockout_ms FROM web_login_throttle
			WHERE key_hash = $1`,
		ensureThrottle: `INSERT INTO web_login_throttle (key_hash) VALUES ($1)
			ON CONFLICT (key_hash) DO NOTHING`,
		lockThrottle: `SELECT failures, locked_until, lockout_ms FROM web_login_throttle
			WHERE key_hash = $1 FOR UPDATE`,
		saveThrottle: `UPDATE web_login_throttle SET failures = $1, locked_until = $2,
			lockout_ms = $3, last_active = $4 WHERE key_hash = $5`,
		clearThrottle: `DELETE FROM web_login_throttle WHERE key_hash = $1`,
		staleThrottles: `SELECT key_hash FROM web_login_throttle WHERE last_active < $1
			LIMIT $2`,
		deleteStale: `DELETE FROM web_login_throttle WHERE last_active < $1`,
		numbered:    true,
	}
	switch driver {
	case "sqlite":
		q.lockThrottle = strings.TrimSuffix(q.lockThrottle, " FOR UPDATE")
	case "mysql":
		q.saveSession = `INSERT INTO web_sessions
			(id_hash, conversation_id, user_name, created_at, last_seen)
			VALUES ($1, $2, $3, $4, $5)
			ON DUPLICATE KEY UPDATE conversation_id = VALUES(conversation_id),
			user_name = VALUES(user_name), last_seen = VALUES(last_seen)`
		q.addUser = `INSERT INTO web_users (name, password_hash, created_at)
			VALUES ($1, $2, $3) ON DUPLICATE KEY UPDATE name = name`
		q.replaceUser = `INSERT INTO web_users (name, password_hash, created_at)
			VALUES ($1, $2, $3) ON DUPLICATE KEY UPDATE password_hash = VALUES(password_hash)`
		q.ensureThrottle = `INSERT INTO web_login_throttle (key_hash) VALUES ($1)
			ON DUPLICATE KEY UPDATE key_hash = key_hash`
		for _, p := range q.all() {
			*p = placeholder.ReplaceAllString(*p, "?")
		}
		q.numbered = false
	}
	return q
}

// all returns pointers to every statement.
func (q *sqlQueries) all() []*string {
	return []*string{&q.saveSession, &q.session, &q.touchSession, &q.deleteSession,
		&q.deleteIdle, &q.addUser, &q.replaceUser, &q.passwordHash, &q.listUsers,
		&q.removeUser, &q.userSessions, &q.throttle,
		&q.ensureThrottle, &q.lockThrottle, &q.saveThrottle, &q.clearThrottle,
		&q.staleThrottles, &q.deleteStale}
}
