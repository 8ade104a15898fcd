package watch

import (
	"io/fs"
	"path/filepath"
	"slices"
	"time"
)

// fileState is what a change alters: size, modification time, mode.
type fileState struct {
	size  int64
	mtime time.Time
	mode  fs.FileMode
}

// snapshot maps each watched file to its state.
type snapshot map[string]fileState

// scan records the state of every file under paths. Paths that do not
// exist are left out, so that their appearing is a change; unreadable
// folders are skipped.
func scan(paths []string) snapshot {
	snap := snapshot{}
	for _, root := range paths {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // gone or unreadable: not part of the snapshot
			}
			if path != root && ignored(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			snap[path] = fileState{size: info.Size(), mtime: info.ModTime(), mode: info.Mode()}
			return nil
		})
	}
	return snap
}

// changes lists, sorted, the files added, removed or altered from old to
// cur.
func changes(old, cur snapshot) []string {
	var out []string
	for path, st := range cur {
		if prev, ok := old[path]; !ok || !prev.same(st) {
			out = append(out, path)
		}
	}
	for path := range old {
		if _, ok := cur[path]; !ok {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// same reports whether two states are equal.
func (a fileState) same(b fileState) bool {
	return a.size == b.size && a.mode == b.mode && a.mtime.Equal(b.mtime)
}
