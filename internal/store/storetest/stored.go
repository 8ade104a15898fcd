package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// WantStored opens the SQLite tracker store in dataDir, as `parley run`
// left it, and wants conversation id to hold each of want, written
// "user:<text>", "bot:<text>" or "action:<name>"; it fails t for each one
// missing.
func WantStored(t testing.TB, dataDir, id string, want ...string) {
	t.Helper()
	ts, err := store.Open(context.Background(), store.KindSQLite, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	events, err := ts.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, e := range events {
		switch e.Type {
		case event.User, event.Bot:
			seen = append(seen, e.Type+":"+e.Text)
		case event.Action:
			seen = append(seen, "action:"+e.Name)
		}
	}
	for _, w := range want {
		if !slices.Contains(seen, w) {
			t.Errorf("conversation %s lacks %s; stored: %v", id, w, seen)
		}
	}
}
