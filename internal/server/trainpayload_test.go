package server

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/model"
)

func TestTrainPayloadTrains(t *testing.T) {
	body, err := os.ReadFile("testdata/bot.yml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, err := loadPayload(body, filepath.Join(dir, "project"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := model.Train(context.Background(), p,
		model.TrainOptions{Out: filepath.Join(dir, "models")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained %s in %s; intents %d", res.Model.Path, time.Since(start), len(p.Domain.Intents))
}

// FuzzSplitPayload feeds arbitrary bodies to the training payload splitter:
// it must answer an error or write the files, never panic.
func FuzzSplitPayload(f *testing.F) {
	body, _ := os.ReadFile("testdata/bot.yml")
	f.Add(body)
	f.Add([]byte("version: \"3.1\"\nnlu: []\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("a: 1\n\tb: 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = splitPayload(data, t.TempDir())
	})
}

func TestSplitPayloadKeepsLines(t *testing.T) {
	dir := t.TempDir()
	body := "version: \"3.1\"\npolicies:\n  - name: RulePolicy\nintents:\n  - greet\n" +
		"nlu:\n  - intent: greet\n    examples: |\n      - hi\n"
	if err := splitPayload([]byte(body), dir); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"config.yml":       "version: \"3.1\"\npolicies:\n  - name: RulePolicy\n\n\n\n\n\n\n",
		"domain.yml":       "version: \"3.1\"\n\n\nintents:\n  - greet\n\n\n\n\n",
		"data/nlu.yml":     "version: \"3.1\"\n\n\n\n\nnlu:\n  - intent: greet\n    examples: |\n      - hi\n",
		"data/stories.yml": "version: \"3.1\"\n\n\n\n\n\n\n\n\n",
	}
	for file, w := range want {
		got, _ := os.ReadFile(filepath.Join(dir, file))
		if string(got) != w {
			t.Errorf("%s:\n%q\nwant\n%q", file, got, w)
		}
	}
}
