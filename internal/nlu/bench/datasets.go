package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/project"
)

// ReadSNIPS reads one split (train, dev or test) of the joint SNIPS data:
// seq.in holds whitespace-separated tokens, seq.out one BIO tag per token
// and label the intent, one message per line.
func ReadSNIPS(dir string) (project.NLUData, error) {
	var lines [3][]string
	for i, name := range []string{"seq.in", "seq.out", "label"} {
		l, err := readLines(filepath.Join(dir, name))
		if err != nil {
			return project.NLUData{}, err
		}
		lines[i] = l
	}
	in, out, label := lines[0], lines[1], lines[2]
	if len(in) != len(out) || len(in) != len(label) {
		return project.NLUData{}, fmt.Errorf("%s: %d, %d and %d lines in seq.in, seq.out "+
			"and label", dir, len(in), len(out), len(label))
	}
	var data project.NLUData
	for i := range in {
		ex, err := bioExample(in[i], out[i], strings.TrimSpace(label[i]))
		if err != nil {
			return data, fmt.Errorf("%s: line %d: %w", dir, i+1, err)
		}
		ex.Pos = project.Pos{File: filepath.Join(dir, "seq.in"), Line: i + 1}
		data.Examples = append(data.Examples, ex)
	}
	return data, nil
}

// bioExample joins tokens with single spaces and turns BIO tags into
// entity annotations.
func bioExample(tokens, tags, intent string) (project.Example, error) {
	words, labels := strings.Fields(tokens), strings.Fields(tags)
	if len(words) != len(labels) {
		return project.Example{}, fmt.Errorf("%d tokens but %d tags", len(words), len(labels))
	}
	ex := project.Example{Intent: intent}
	var b strings.Builder
	open := -1
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		tag := labels[i]
		inside := strings.HasPrefix(tag, "I-") && open >= 0 &&
			ex.Entities[open].Entity == tag[2:]
		if !inside {
			open = -1
		}
		start := b.Len()
		b.WriteString(w)
		switch {
		case inside:
			ex.Entities[open].End = b.Len()
		case tag != "O":
			ex.Entities = append(ex.Entities, project.EntityAnnotation{Start: start,
				End: b.Len(), Entity: tag[min(2, len(tag)):]})
			open = len(ex.Entities) - 1
		}
	}
	ex.Text = b.String()
	for i := range ex.Entities {
		e := &ex.Entities[i]
		e.Value = ex.Text[e.Start:e.End]
	}
	return ex, nil
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading benchmark data: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return out, nil
}

// snipsChunk is one piece of a Snips 2017 query: plain text, or an entity.
type snipsChunk struct {
	Text   string `json:"text"`
	Entity string `json:"entity"`
}

// ReadSnips2017 reads a Snips 2017 benchmark file (train_<Intent>.json,
// train_<Intent>_full.json or validate_<Intent>.json) of one intent; limit
// above zero keeps the first limit queries. A file that is not UTF-8 is
// read as Latin-1.
func ReadSnips2017(path, intent string, limit int) (project.NLUData, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return project.NLUData{}, fmt.Errorf("reading benchmark data: %w", err)
	}
	if !utf8.Valid(raw) {
		raw = latin1(raw)
	}
	var doc map[string][]struct {
		Data []snipsChunk `json:"data"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return project.NLUData{}, fmt.Errorf("%s: %w", path, err)
	}
	queries, ok := doc[intent]
	if !ok {
		return project.NLUData{}, fmt.Errorf("%s: no queries of intent %q", path, intent)
	}
	if limit > 0 && len(queries) > limit {
		queries = queries[:limit]
	}
	var data project.NLUData
	for i, q := range queries {
		ex := project.Example{Intent: intent, Pos: project.Pos{File: path, Line: i + 1}}
		var b strings.Builder
		for _, c := range q.Data {
			start := b.Len()
			b.WriteString(c.Text)
			if c.Entity != "" {
				ex.Entities = append(ex.Entities, trimmedEntity(c, start))
			}
		}
		ex.Text = b.String()
		data.Examples = append(data.Examples, ex)
	}
	return data, nil
}

// trimmedEntity annotates a chunk without its surrounding spaces.
func trimmedEntity(c snipsChunk, start int) project.EntityAnnotation {
	lead := len(c.Text) - len(strings.TrimLeft(c.Text, " "))
	value := strings.TrimSpace(c.Text)
	return project.EntityAnnotation{Start: start + lead, End: start + lead + len(value),
		Entity: c.Entity, Value: value}
}

func latin1(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// ReadBraun reads one corpus of the Braun et al. data and returns its
// training and test sentences (intents only: the protocol measures intent
// accuracy).
func ReadBraun(path string) (train, test project.NLUData, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return train, test, fmt.Errorf("reading benchmark data: %w", err)
	}
	var doc struct {
		Sentences []struct {
			Text     string `json:"text"`
			Intent   string `json:"intent"`
			Training bool   `json:"training"`
		} `json:"sentences"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return train, test, fmt.Errorf("%s: %w", path, err)
	}
	for i, s := range doc.Sentences {
		ex := project.Example{Text: s.Text, Intent: s.Intent,
			Pos: project.Pos{File: path, Line: i + 1}}
		if s.Training {
			train.Examples = append(train.Examples, ex)
		} else {
			test.Examples = append(test.Examples, ex)
		}
	}
	return train, test, nil
}
