package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/parley-chat/parley/internal/store"
)

// Restored says what Restore did.
type Restored struct {
	// Info describes the database now in place.
	Info Info
	// Kept is where the database it replaced was moved, or "" when there
	// was none.
	Kept string
}

// Restore puts the copy at in back as the database of dataDir. It refuses
// (ErrInUse) while a Parley process holds the data directory, and refuses
// (ErrNotADatabase) a file that is not a sound Parley database, leaving the
// current one untouched. The current database is kept beside the new one
// as parley.db.before-restore-<time>.
func Restore(ctx context.Context, in, dataDir string, now time.Time) (Restored, error) {
	release, err := Lock(dataDir, true)
	if err != nil {
		return Restored{}, fmt.Errorf("%w: stop `parley run` (and every other Parley "+
			"process using %s) before restoring", err, dataDir)
	}
	defer release()
	if _, err := Inspect(ctx, in); err != nil {
		return Restored{}, err
	}
	db := filepath.Join(dataDir, store.DBFile)
	tmp := db + ".restore-tmp"
	os.Remove(tmp)
	info, err := prepareCopy(ctx, in, tmp)
	if err != nil {
		os.Remove(tmp)
		return Restored{}, err
	}
	kept, err := setAside(ctx, db, now)
	if err != nil {
		os.Remove(tmp)
		return Restored{}, err
	}
	// A -wal or -shm file left beside the new database would be applied
	// to it: remove them before it takes the name.
	for _, f := range walFiles(db) {
		os.Remove(f)
	}
	if err := os.Rename(tmp, db); err != nil {
		return Restored{}, fmt.Errorf("backup: putting the copy in place: %w (the previous "+
			"database is %s)", err, kept)
	}
	info.Path = db
	return Restored{Info: info, Kept: kept}, syncDir(dataDir)
}

// prepareCopy copies in to tmp beside the database and checks the copy.
func prepareCopy(ctx context.Context, in, tmp string) (Info, error) {
	if err := vacuumInto(ctx, in, tmp); err != nil {
		return Info{}, err
	}
	info, err := Inspect(ctx, tmp)
	if err != nil {
		return Info{}, err
	}
	return info, syncFile(tmp)
}

// setAside checkpoints the current database (so its file holds every
// committed write) and renames it; it returns "" when there is none.
func setAside(ctx context.Context, db string, now time.Time) (string, error) {
	if _, err := os.Stat(db); os.IsNotExist(err) {
		return "", nil
	}
	conn, err := open(db, false)
	if err != nil {
		return "", err
	}
	_, err = conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	conn.Close()
	if err != nil {
		return "", fmt.Errorf("backup: checkpointing %s: %w", db, err)
	}
	kept := db + ".before-restore-" + now.UTC().Format("20060102-150405")
	if err := os.Rename(db, kept); err != nil {
		return "", fmt.Errorf("backup: keeping the current database: %w", err)
	}
	return kept, nil
}
