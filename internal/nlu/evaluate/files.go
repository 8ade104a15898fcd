package evaluate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFiles writes intent_report.json, the entity reports and error files
// into dir, creating it if needed.
func (r *Report) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	files := map[string]any{
		"intent_report.json": r.Intent,
		"intent_errors.json": nonNil(r.IntentErrors),
	}
	for _, x := range r.Extractors {
		files[x+"_report.json"] = r.Entities[x]
		files[x+"_errors.json"] = nonNil(r.EntityErrors[x])
	}
	for name, v := range files {
		if err := writeJSON(filepath.Join(dir, name), v); err != nil {
			return err
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", filepath.Base(path), err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
