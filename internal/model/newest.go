package model

import (
	"cmp"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Newest returns the path of the newest readable archive in dir, judged by
// modification time. Broken archives are skipped with one warning each.
// It returns ErrNoModel when there is none.
func Newest(dir string, logger *slog.Logger) (string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return "", fmt.Errorf("%w: the folder %s does not exist", ErrNoModel, dir)
	}
	if err != nil {
		return "", fmt.Errorf("listing models in %s: %w", dir, err)
	}
	type candidate struct {
		path  string
		mtime time.Time
	}
	var cands []candidate
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !IsArchiveName(name) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		cands = append(cands, candidate{filepath.Join(dir, e.Name()), info.ModTime()})
	}
	// Newest first; names break ties (they start with the training time).
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := b.mtime.Compare(a.mtime); c != 0 {
			return c
		}
		return cmp.Compare(b.path, a.path)
	})
	for _, c := range cands {
		if _, err := ReadMetadata(c.path); err != nil {
			logger.Warn("skipping a model archive that cannot be used", "model", c.path,
				"error", err.Error())
			continue
		}
		return c.path, nil
	}
	return "", fmt.Errorf("%w in %s: train one with `parley train`", ErrNoModel, dir)
}

// Resolve turns the -m/--model argument into an archive path: a file is
// used as it is, a folder means its newest archive.
func Resolve(path string, logger *slog.Logger) (string, error) {
	info, err := os.Stat(path)
	if os.IsNotExist(err) {
		return "", fmt.Errorf("%w: %s does not exist", ErrNoModel, path)
	}
	if err != nil {
		return "", err
	}
	if info.IsDir() {
		return Newest(path, logger)
	}
	return path, nil
}

// IsArchiveName reports whether a file name is that of a model archive:
// it ends with .tar.gz and is not hidden (archives being written have a
// hidden temporary name).
func IsArchiveName(name string) bool {
	return strings.HasSuffix(name, ".tar.gz") && !strings.HasPrefix(name, ".")
}
