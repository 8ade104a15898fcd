package cli

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// tinyProject is a small valid Rasa project.
var tinyProject = map[string]string{
	"config.yml": "recipe: default.v1\nlanguage: en\npipeline:\npolicies:\n",
	"domain.yml": `version: "3.1"
intents: [greet, goodbye]
responses:
  utter_greet:
  - text: "Hello! 👋"
  utter_goodbye:
  - text: "Bye"
`,
	"data/nlu.yml": `version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi
    - good morning
- intent: goodbye
  examples: |
    - bye
    - see you
    - good night
`,
	"data/stories.yml": `version: "3.1"
stories:
- story: greet
  steps:
  - intent: greet
  - action: utter_greet
- story: bye
  steps:
  - intent: goodbye
  - action: utter_goodbye
`,
}

// writeProject writes files into a new temporary folder.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	return testenv.WriteFiles(t, files)
}

// output is what one CLI run printed and its exit code.
type output struct {
	code           int
	stdout, stderr string
}

// run runs the CLI in dir with args and stdin.
func run(t *testing.T, dir, stdin string, args ...string) output {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(context.Background(), args, Env{Dir: dir, Stdin: strings.NewReader(stdin),
		Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return output{code: code, stdout: out.String(), stderr: errOut.String()}
}

func TestRefusedFlags(t *testing.T) {
	dir := writeProject(t, tinyProject)
	cases := [][]string{
		{"train", "--augmentation", "20"},
		{"train", "--finetune"},
		{"train", "nlu", "--persist-nlu-data"},
		{"train", "core", "--debug-plots"},
		{"run", "--jwt-private-key", "x"},
		{"run", "--remote-storage", "aws"},
		{"run", "--use-syslog"},
		{"run", "--sanic-backlog", "5"},
		{"run", "--ssl-password", "p"},
		{"test", "--runs", "2"},
		{"test", "nlu", "-r", "3"},
		{"test", "nlu", "--percentages", "0,25"},
		{"test", "core", "--evaluate-model-directory"},
		{"test", "--successes"},
		{"shell", "-p", "5006"},
		{"data", "validate", "--max-history", "5"},
		{"--logging-config-file", "x.yml", "version"},
	}
	for _, args := range cases {
		r := run(t, dir, "", args...)
		if r.code != 1 || !strings.Contains(r.stderr, "not supported by Parley: ") {
			t.Errorf("parley %s: exit %d, stderr %q; want a refusal with a reason",
				strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

func TestConnectorAndActions(t *testing.T) {
	dir := writeProject(t, tinyProject)
	r := run(t, dir, "", "run", "--connector", "slack")
	if r.code != 1 || !strings.Contains(r.stderr, "not supported by Parley") {
		t.Errorf("run --connector slack: %+v", r)
	}
	r = run(t, dir, "", "run", "actions")
	if r.code != 1 || !strings.Contains(r.stderr, "registers no custom actions") {
		t.Errorf("run actions: %+v", r)
	}
}

func TestTrainReuseForceDryRun(t *testing.T) {
	dir := writeProject(t, tinyProject)
	if r := run(t, dir, "", "train", "--dry-run"); r.code != 1 ||
		!strings.Contains(r.stdout, "Training needed") {
		t.Errorf("dry run before training: %+v", r)
	}
	r := run(t, dir, "", "train")
	if r.code != 0 || !strings.Contains(r.stdout, "trained and saved at models/") {
		t.Fatalf("train: %+v", r)
	}
	if r := run(t, dir, "", "train", "--dry-run"); r.code != 0 {
		t.Errorf("dry run after training: %+v", r)
	}
	if r := run(t, dir, "", "train"); !strings.Contains(r.stdout, "Nothing changed") {
		t.Errorf("second train: %+v", r)
	}
	if r := run(t, dir, "", "train", "--force"); !strings.Contains(r.stdout, "trained and saved") {
		t.Errorf("train --force: %+v", r)
	}
	r = run(t, dir, "", "train", "--fixed-model-name", "mine", "--force")
	if _, err := os.Stat(filepath.Join(dir, "models", "mine.tar.gz")); r.code != 0 || err != nil {
		t.Errorf("--fixed-model-name: %+v, %v", r, err)
	}
	r = run(t, dir, "", "train", "nlu", "--out", "nlu-models")
	if entries, _ := os.ReadDir(filepath.Join(dir, "nlu-models")); r.code != 0 || len(entries) != 1 {
		t.Errorf("train nlu --out: %+v, %d files", r, len(entries))
	}
}

func TestDataDirProblems(t *testing.T) {
	dir := writeProject(t, tinyProject)
	if err := os.WriteFile(filepath.Join(dir, ".parley"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "", "run", "--port", "0")
	if r.code != 1 || !strings.Contains(r.stderr, "not a directory") {
		t.Errorf("run with .parley as a file: %+v", r)
	}
	r = run(t, dir, "", "run", "--port", "0", "--data-dir", "data/db")
	if r.code != 1 || !strings.Contains(r.stderr, "inside the training data folder") {
		t.Errorf("run with the data dir inside data/: %+v", r)
	}
}

func TestShellNLUOneLinePerInput(t *testing.T) {
	dir := writeProject(t, tinyProject)
	r := run(t, dir, "hello\n\n   \nsee you 👋\n", "shell", "nlu")
	if r.code != 0 {
		t.Fatalf("shell nlu: %+v", r)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d output lines for 4 input lines:\n%s", len(lines), r.stdout)
	}
	if !strings.Contains(lines[1], `"intent":{"name":null,"confidence":0}`) {
		t.Errorf("an empty line parses as %s, want a null intent", lines[1])
	}
	if !strings.Contains(lines[3], `"text":"see you 👋"`) {
		t.Errorf("emoji did not come back as written: %s", lines[3])
	}
	if !strings.Contains(r.stderr, "No model found") {
		t.Errorf("shell nlu without a model did not say it trains one: %s", r.stderr)
	}
}

func TestTestWithoutTestsFolder(t *testing.T) {
	dir := writeProject(t, tinyProject)
	r := run(t, dir, "", "test", "--fail-on-prediction-errors=false")
	if r.code != 0 || !strings.Contains(r.stdout, "No tests folder") {
		t.Errorf("test without tests/: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "results")); err != nil {
		t.Errorf("no results folder: %v", err)
	}
}

func TestValidateReportsErrors(t *testing.T) {
	files := map[string]string{}
	for k, v := range tinyProject {
		files[k] = v
	}
	files["domain.yml"] = "version: \"3.1\"\nintents: [greet\n"
	r := run(t, writeProject(t, files), "", "data", "validate")
	if r.code != 1 || !strings.Contains(r.stderr, "domain.yml:") {
		t.Errorf("validate a broken domain: %+v", r)
	}
}

// TestValidateReportsPipelineOptions: a pipeline option training refuses is
// an error of `parley data validate` too, at the component's line.
func TestValidateReportsPipelineOptions(t *testing.T) {
	files := maps.Clone(tinyProject)
	files["config.yml"] = "language: en\npipeline:\n- name: WhitespaceTokenizer\n" +
		"- name: DucklingEntityExtractor\n  timezone: Mars/Olympus\npolicies: []\n"
	r := run(t, writeProject(t, files), "", "data", "validate")
	if r.code != 1 || !strings.Contains(r.stderr, "config.yml:4:3: error:") ||
		!strings.Contains(r.stderr, `option "timezone"`) {
		t.Errorf("validate a bad DucklingEntityExtractor timezone: %+v", r)
	}
}

// TestTestCoreStoriesNamedExplicitly: --stories names a training file or a
// folder, and its stories are evaluated though training read them too; a
// place with no stories is an error of `test core`, not "0 of 0 passed".
func TestTestCoreStoriesNamedExplicitly(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model; not in -short")
	}
	dir := trainedProject(t, tinyProject)
	for _, stories := range []string{"data/stories.yml", "data"} {
		r := run(t, dir, "", "test", "core", "--stories", stories)
		if r.code != 0 || !strings.Contains(r.stdout, "Stories: 2 of 2 passed") {
			t.Errorf("--stories %s: %+v", stories, r)
		}
	}
	empty := t.TempDir()
	r := run(t, dir, "", "test", "core", "--stories", empty)
	if r.code == 0 || !strings.Contains(r.stderr, "no stories to evaluate") {
		t.Errorf("--stories of an empty folder: %+v", r)
	}
}

// TestUnknownSubcommandsFail: a command that groups others answers a word
// it does not know with exit 1, and prints its help when called alone.
func TestUnknownSubcommandsFail(t *testing.T) {
	dir := writeProject(t, tinyProject)
	for _, group := range []string{"data", "user", "db", "bench", "train", "test"} {
		if r := run(t, dir, "", group, "frobnicate"); r.code != 1 ||
			!strings.Contains(r.stderr, `unknown command "frobnicate"`) {
			t.Errorf("parley %s frobnicate: %+v", group, r)
		}
	}
	for _, group := range []string{"data", "user", "bench"} {
		if r := run(t, dir, "", group); r.code != 0 || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("parley %s alone: %+v", group, r)
		}
	}
}
