package server

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/store"
)

// trainBot trains testdata/bot.yml, the one-document training payload of
// a small moodbot with a city slot, into dir/models and returns the model.
func trainBot(t *testing.T, dir string) *model.Model {
	t.Helper()
	return trainPayload(t, dir, botPayload(t))
}

// botPayload is testdata/bot.yml.
func botPayload(t *testing.T) string {
	t.Helper()
	body, err := os.ReadFile("testdata/bot.yml")
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// trainPayload trains a one-document training payload into dir/models.
func trainPayload(t *testing.T, dir, payload string) *model.Model {
	t.Helper()
	p, err := loadPayload([]byte(payload), filepath.Join(dir, "project"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := model.Train(context.Background(), p,
		model.TrainOptions{Out: filepath.Join(dir, "models"), FixedName: "bot"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Model
}

// botServer returns a server with the trained test bot, the real agent and
// a fresh memory store; opts.ModelsDir is the models folder of the bot.
func botServer(t *testing.T, opts Options) (*Server, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	m := trainBot(t, dir)
	var logs bytes.Buffer
	opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts.Store = store.NewMemory()
	if opts.ModelsDir == "" {
		opts.ModelsDir = filepath.Join(dir, "models")
	}
	s := New(opts)
	t.Cleanup(s.Close)
	s.SetModel(m)
	return s, &logs
}
