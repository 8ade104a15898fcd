package starter

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

//go:embed project
var embedded embed.FS

// FS returns the starter project's files, rooted at the project folder
// (config.yml, domain.yml, data/..., tests/...).
func FS() fs.FS {
	sub, err := fs.Sub(embedded, "project")
	if err != nil {
		// fs.Sub fails only for an invalid path; "project" is a constant.
		panic(fmt.Sprintf("starter: %v", err))
	}
	return sub
}

// Files lists the starter project's files, slash-separated and sorted.
func Files() []string {
	var out []string
	_ = fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	return out
}

// Write copies the starter project into dir, creating folders as needed.
// Unless force is set it writes nothing when any of its files already
// exists, and returns an error wrapping ErrExists that names them.
func Write(dir string, force bool) error {
	files := Files()
	if !force {
		var existing []string
		for _, f := range files {
			_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f)))
			if err == nil {
				existing = append(existing, f)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("check %s: %w", f, err)
			}
		}
		if len(existing) > 0 {
			return fmt.Errorf("%w in %s: %s", ErrExists, dir, strings.Join(existing, ", "))
		}
	}
	for _, f := range files {
		if err := writeOne(dir, f); err != nil {
			return err
		}
	}
	return nil
}

func writeOne(dir, name string) error {
	data, err := fs.ReadFile(FS(), name)
	if err != nil {
		return fmt.Errorf("read starter file %s: %w", name, err)
	}
	target := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", name, err)
	}
	if err := os.WriteFile(target, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
