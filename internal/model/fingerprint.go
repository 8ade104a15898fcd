package model

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parley-chat/parley/internal/project"
)

// Fingerprint identifies what a model is trained from: Parley's version and
// the content of the project's config, domain and training data files. Test
// stories, endpoints.yml and credentials.yml do not change a model and are
// left out. When the loader recorded no files, the parsed project itself is
// hashed instead.
func Fingerprint(p *project.Project) (string, error) {
	h := sha256.New()
	writeField(h, "parley "+Version)
	files := trainingFiles(p)
	if len(files) == 0 {
		parsed, err := json.Marshal([]any{p.Config, p.Domain, p.NLU, p.Stories, p.Rules})
		if err != nil {
			return "", fmt.Errorf("fingerprinting the project: %w", err)
		}
		writeField(h, string(parsed))
	}
	for _, rel := range files {
		path := rel
		if !filepath.IsAbs(path) {
			path = filepath.Join(p.Root, rel)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("fingerprinting the project: %w", err)
		}
		writeField(h, filepath.ToSlash(rel))
		writeField(h, string(data))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// trainingFiles returns the project files that shape a model, sorted.
func trainingFiles(p *project.Project) []string {
	var out []string
	for _, f := range p.Files {
		slash := filepath.ToSlash(f)
		base := filepath.Base(slash)
		if strings.HasPrefix(slash, "tests/") || strings.HasPrefix(base, "test_") ||
			base == "endpoints.yml" || base == "credentials.yml" {
			continue
		}
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// writeField adds a length-prefixed string, so that field boundaries count.
func writeField(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}
