// Package backup copies Parley's SQLite database out and puts a copy back,
// while keeping both safe.
//
// Backup uses SQLite's VACUUM INTO, which reads one consistent snapshot of
// the database (writers go on meanwhile; WAL mode lets them) and writes it as
// a single compact file, checked with PRAGMA integrity_check before it is
// renamed into place.
//
// Restore refuses while a Parley process holds the data directory (its lock
// file), checks the copy, keeps the current database beside it under a dated
// name, and swaps the files so that no stale -wal or -shm file is ever
// applied to the restored database.
package backup
