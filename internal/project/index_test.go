package project

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// indexEntry is one file line of the shared data INDEX.md.
type indexEntry struct {
	path   string // relative to the data folder
	status string
}

func readIndex(t *testing.T) (string, []indexEntry) {
	t.Helper()
	index := testenv.Shared(t, "data/INDEX.md")
	f, err := os.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []indexEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "- `") {
			continue
		}
		fields := strings.Split(line, " | ")
		if len(fields) < 3 {
			continue
		}
		path := strings.Trim(strings.TrimPrefix(fields[0], "- "), "`")
		out = append(out, indexEntry{path: path, status: strings.TrimSpace(fields[2])})
	}
	if len(out) < 50 {
		t.Fatalf("INDEX.md lists only %d files; the format may have changed", len(out))
	}
	return filepath.Dir(index), out
}

// expectation says what a file's status in INDEX.md asks of the loader.
type expectation int

const (
	expectValid expectation = iota
	expectInvalid
	expectLegacy
)

func expectationOf(status string) expectation {
	switch {
	case strings.HasPrefix(status, "legacy"):
		return expectLegacy
	case strings.HasPrefix(status, "INVALID") && strings.Contains(status, "removed"):
		return expectLegacy
	case strings.HasPrefix(status, "INVALID"):
		return expectInvalid
	}
	return expectValid
}

// legacyReplacements are words the migration warnings of each legacy file
// must mention: the 3.x replacement.
var legacyReplacements = map[string][]string{
	"bots/concertbot/config.yml":                             {"FallbackClassifier", "RulePolicy"},
	"bots/concertbot/domain.yml":                             {"mappings:"},
	"bots/knowledgebasebot/domain.yml":                       {"responses:", "type: any"},
	"bots/responseselectorbot/_legacy_2x/data/responses.yml": {"utter_"},
	"fixtures/test_domains/form.yml":                         {"responses:", "required_slots"},
	"fixtures/test_domains/restaurant_form.yml":              {"responses:", "type: any"},
	"fixtures/test_multi_domain/domain.yml":                  {"responses:"},
}

// loadByKind loads one file with the loader its name calls for.
func loadByKind(path string) (Diagnostics, error) {
	base := filepath.Base(path)
	var diags Diagnostics
	var err error
	switch {
	case strings.HasPrefix(base, "config"):
		_, diags, err = LoadConfigFile(path)
	case base == "endpoints.yml":
		_, diags, err = LoadEndpointsFile(path, nil)
	case base == "credentials.yml":
		_, diags, err = LoadCredentialsFile(path, nil)
	case base == "domain.yml" || strings.Contains(path, "test_domains"):
		_, diags, err = LoadDomainFile(path)
	default:
		_, diags, err = LoadDataFile(path)
	}
	return diags, err
}

func TestIndexFiles(t *testing.T) {
	dataDir, entries := readIndex(t)
	for _, e := range entries {
		t.Run(e.path, func(t *testing.T) {
			path := filepath.Join(dataDir, e.path)
			diags, err := loadByKind(path)
			for _, d := range diags {
				t.Log(d)
			}
			switch expectationOf(e.status) {
			case expectValid:
				if err != nil {
					t.Fatalf("valid file failed to load: %v", err)
				}
			case expectInvalid:
				checkInvalid(t, path, diags, err)
			case expectLegacy:
				checkLegacy(t, e.path, diags, err)
			}
		})
	}
}

func checkInvalid(t *testing.T, path string, diags Diagnostics, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("invalid file loaded without an error")
	}
	name := filepath.ToSlash(path)
	if !strings.Contains(err.Error(), name+":") {
		t.Errorf("error does not name the file %s: %v", name, err)
	}
	for _, d := range diags.Errors() {
		if d.Pos.File == name && d.Pos.Line > 0 {
			return
		}
	}
	t.Errorf("no error names a line of %s: %v", name, diags)
}

func checkLegacy(t *testing.T, rel string, diags Diagnostics, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("legacy file must load with warnings, got: %v", err)
	}
	var text []string
	for _, d := range diags.Warnings() {
		if strings.Contains(d.Message, "removed in Rasa 3") {
			text = append(text, d.Message+" "+d.Hint)
		}
	}
	if len(text) == 0 {
		t.Fatal("no migration warning")
	}
	all := strings.Join(text, "\n")
	for _, word := range legacyReplacements[rel] {
		if !strings.Contains(all, word) {
			t.Errorf("migration warnings do not mention %q:\n%s", word, all)
		}
	}
}
