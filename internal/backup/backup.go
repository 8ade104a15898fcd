package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// Info describes a database file.
type Info struct {
	// Path is the file.
	Path string
	// Bytes is its size.
	Bytes int64
	// SchemaVersion is the newest migration applied.
	SchemaVersion int
	// Conversations and Events count what it holds.
	Conversations int
	Events        int
}

// String is the summary the CLI prints.
func (i Info) String() string {
	return fmt.Sprintf("%s: %d bytes, schema version %d, %d conversations, %d events",
		i.Path, i.Bytes, i.SchemaVersion, i.Conversations, i.Events)
}

// Backup writes a consistent copy of the database at dbPath to out, while
// other connections go on writing. An existing out is refused unless
// overwrite is true. The copy is written under a temporary name, checked,
// synced and renamed, so out is never a half-written file.
func Backup(ctx context.Context, dbPath, out string, overwrite bool) (Info, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return Info{}, fmt.Errorf("%w at %s: %w", ErrNoDatabase, dbPath, err)
	}
	if _, err := os.Stat(out); err == nil && !overwrite {
		return Info{}, fmt.Errorf("%w: %s (choose another name, or overwrite it with --force)",
			ErrExists, out)
	}
	if info, err := os.Stat(filepath.Dir(out)); err != nil || !info.IsDir() {
		return Info{}, fmt.Errorf("backup: the folder %s of %s does not exist: create it "+
			"(mkdir -p %s) or name a file in a folder that does", filepath.Dir(out), out,
			filepath.Dir(out))
	}
	tmp := out + ".tmp-" + strconv.Itoa(os.Getpid())
	os.Remove(tmp)
	if err := vacuumInto(ctx, dbPath, tmp); err != nil {
		os.Remove(tmp)
		return Info{}, err
	}
	info, err := Inspect(ctx, tmp)
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		os.Remove(tmp)
		return Info{}, fmt.Errorf("backup: writing %s: %w", out, err)
	}
	info.Path = out
	return info, nil
}

// vacuumInto copies the database at src into the new file dst.
func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := open(src, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("backup: copying %s to %s: %w", src, dst, err)
	}
	return nil
}

// open opens a SQLite file that must exist, waiting on locks like the
// store does.
func open(path string, readOnly bool) (*sql.DB, error) {
	u := url.URL{Path: path}
	dsn := "file:" + u.EscapedPath() + "?_pragma=busy_timeout(10000)"
	if readOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("backup: opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Inspect checks that path is a sound Parley database (integrity check,
// the events and schema_version tables) and counts what it holds.
func Inspect(ctx context.Context, path string) (Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	db, err := open(path, true)
	if err != nil {
		return Info{}, err
	}
	defer db.Close()
	info := Info{Path: path, Bytes: st.Size()}
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return Info{}, fmt.Errorf("%w: %s: %w", ErrNotADatabase, path, err)
	}
	if check != "ok" {
		return Info{}, fmt.Errorf("%w: %s fails the integrity check: %s", ErrNotADatabase,
			path, check)
	}
	row := db.QueryRowContext(ctx, `SELECT
		(SELECT COALESCE(MAX(version), 0) FROM schema_version),
		(SELECT COUNT(DISTINCT sender_id) FROM events),
		(SELECT COUNT(*) FROM events)`)
	if err := row.Scan(&info.SchemaVersion, &info.Conversations, &info.Events); err != nil {
		return Info{}, fmt.Errorf("%w: %s has no Parley tables: %w", ErrNotADatabase, path, err)
	}
	return info, nil
}

// syncFile flushes a file to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// syncDir flushes a folder's entries (the renames) to disk.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	// Some file systems cannot sync a folder; the rename still happened.
	f.Sync()
	return f.Close()
}

// walFiles are the files SQLite keeps beside a database in WAL mode.
func walFiles(dbPath string) []string {
	return []string{dbPath + "-wal", dbPath + "-shm", filepath.Clean(dbPath) + "-journal"}
}
