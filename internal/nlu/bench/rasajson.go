package bench

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/parley-chat/parley/internal/project"
)

// rasaJSON is the legacy Rasa NLU JSON training data format.
type rasaJSON struct {
	Data struct {
		Examples []struct {
			Text     string `json:"text"`
			Intent   string `json:"intent"`
			Entities []struct {
				Start  int    `json:"start"`
				End    int    `json:"end"`
				Value  any    `json:"value"`
				Entity string `json:"entity"`
				Role   string `json:"role"`
				Group  string `json:"group"`
			} `json:"entities"`
		} `json:"common_examples"`
		Regexes []struct {
			Name    string `json:"name"`
			Pattern string `json:"pattern"`
		} `json:"regex_features"`
	} `json:"rasa_nlu_data"`
}

// Options chooses what ReadRasaJSON keeps.
type Options struct {
	// Regexes keeps the regex_features (benchmark protocols leave them out).
	Regexes bool
}

// ReadRasaJSON reads a Rasa NLU JSON file. Its code point offsets become the
// byte offsets project.EntityAnnotation uses.
func ReadRasaJSON(path string, opts Options) (project.NLUData, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return project.NLUData{}, fmt.Errorf("reading benchmark data: %w", err)
	}
	var doc rasaJSON
	if err := json.Unmarshal(raw, &doc); err != nil {
		return project.NLUData{}, fmt.Errorf("%s: %w", path, err)
	}
	var data project.NLUData
	for i, e := range doc.Data.Examples {
		ex := project.Example{Text: e.Text, Intent: e.Intent,
			Pos: project.Pos{File: path, Line: i + 1}}
		bytesAt := byteOffsets(e.Text)
		for _, a := range e.Entities {
			if a.Start < 0 || a.End > len(bytesAt)-1 || a.Start >= a.End {
				return data, fmt.Errorf("%s: example %d: entity %q offsets %d-%d out of range",
					path, i+1, a.Entity, a.Start, a.End)
			}
			s, t := bytesAt[a.Start], bytesAt[a.End]
			value := e.Text[s:t]
			if v, ok := a.Value.(string); ok {
				value = v
			}
			ex.Entities = append(ex.Entities, project.EntityAnnotation{Start: s, End: t,
				Entity: a.Entity, Value: value, Role: a.Role, Group: a.Group})
		}
		data.Examples = append(data.Examples, ex)
	}
	if opts.Regexes {
		for _, r := range doc.Data.Regexes {
			data.Regexes = append(data.Regexes,
				project.Pattern{Name: r.Name, Elements: []string{r.Pattern}})
		}
	}
	return data, nil
}

// byteOffsets maps each code point index (and the end) to its byte offset.
func byteOffsets(s string) []int {
	out := make([]int, 0, len(s)+1)
	for i := range s {
		out = append(out, i)
	}
	return append(out, len(s))
}
