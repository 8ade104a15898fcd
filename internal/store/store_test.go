package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// sampleEvents is a short conversation with non-ASCII text and names.
func sampleEvents() []event.Event {
	conf := 0.93
	return []event.Event{
		{Type: event.Action, Timestamp: 1690000000.5, Name: "action_session_start"},
		{Type: event.SessionStarted, Timestamp: 1690000000.6},
		{Type: event.User, Timestamp: 1690000001.25, Text: "Größe 42 bitte 👍🏽",
			Parse: &nlu.Parse{Text: "Größe 42 bitte 👍🏽",
				Intent:   nlu.Intent{Name: "größe", Confidence: conf},
				Entities: []nlu.Entity{{Entity: "größe", Start: 6, End: 8, Value: "42"}}},
			InputChannel: "rest", Metadata: map[string]any{"k": "v"}},
		{Type: event.Action, Timestamp: 1690000001.5, Name: "utter_greet", Confidence: &conf},
		{Type: event.Bot, Timestamp: 1690000001.6, Text: "Hallo 🇩🇪 👨‍👩‍👧",
			Data: &event.BotData{Image: "https://example.org/x.png"}},
		{Type: event.Slot, Timestamp: 1690000001.7, Name: "größe", Value: "42"},
	}
}

// viaCodec passes events through their JSON codec, as a store does, so
// that the expected value matches what any codec gives back.
func viaCodec(t *testing.T, events []event.Event) []event.Event {
	t.Helper()
	out := make([]event.Event, len(events))
	for i := range events {
		data, err := json.Marshal(&events[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// stores opens one store of each kind for a test.
func stores(t *testing.T) map[string]TrackerStore {
	t.Helper()
	sq, err := OpenSQLite(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	return map[string]TrackerStore{"memory": NewMemory(), "sqlite": sq}
}

func TestAppendLoadOrder(t *testing.T) {
	for kind, s := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := t.Context()
			evs := sampleEvents()
			if err := s.Append(ctx, "a", evs[:2]); err != nil {
				t.Fatal(err)
			}
			if err := s.Append(ctx, "b", evs[2:3]); err != nil {
				t.Fatal(err)
			}
			if err := s.Append(ctx, "a", evs[2:]); err != nil {
				t.Fatal(err)
			}
			got, err := s.Load(ctx, "a")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(viaCodec(t, evs), viaCodec(t, got)); diff != "" {
				t.Errorf("conversation a (-want +got):\n%s", diff)
			}
			empty, err := s.Load(ctx, "nobody")
			if err != nil || len(empty) != 0 {
				t.Errorf("unknown conversation: %v, %v; want empty", empty, err)
			}
			ids, err := s.Conversations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"a", "b"}, ids); diff != "" {
				t.Errorf("conversations, most recent first (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplace(t *testing.T) {
	for kind, s := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := t.Context()
			evs := sampleEvents()
			if err := s.Append(ctx, "a", evs); err != nil {
				t.Fatal(err)
			}
			if err := s.Replace(ctx, "a", evs[3:4]); err != nil {
				t.Fatal(err)
			}
			got, err := s.Load(ctx, "a")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(viaCodec(t, evs[3:4]), viaCodec(t, got)); diff != "" {
				t.Errorf("after Replace (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClosed(t *testing.T) {
	for kind, s := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load(t.Context(), "a")
			if !errors.Is(err, ErrClosed) {
				t.Errorf("Load after Close: %v, want ErrClosed", err)
			}
			err = s.Append(t.Context(), "a", sampleEvents())
			if !errors.Is(err, ErrClosed) {
				t.Errorf("Append after Close: %v, want ErrClosed", err)
			}
		})
	}
}

func TestConcurrentAppends(t *testing.T) {
	const writers, perWriter = 16, 20
	for kind, s := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := t.Context()
			var wg sync.WaitGroup
			errs := make(chan error, writers*perWriter)
			for w := range writers {
				wg.Go(func() {
					id := fmt.Sprintf("c%d", w%4)
					for i := range perWriter {
						ev := event.Event{Type: event.Bot, Timestamp: float64(i), Text: id}
						errs <- s.Append(ctx, id, []event.Event{ev})
						if _, err := s.Load(ctx, id); err != nil {
							errs <- err
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("concurrent use: %v", err)
				}
			}
			total := 0
			for c := range 4 {
				evs, err := s.Load(ctx, fmt.Sprintf("c%d", c))
				if err != nil {
					t.Fatal(err)
				}
				total += len(evs)
			}
			if total != writers*perWriter {
				t.Errorf("stored %d events, want %d", total, writers*perWriter)
			}
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "a", sampleEvents()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Load(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(viaCodec(t, sampleEvents()), viaCodec(t, got)); diff != "" {
		t.Errorf("after reopening (-want +got):\n%s", diff)
	}
}

func TestConcurrentMigrations(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", ".parley")
	const opens = 6
	var wg sync.WaitGroup
	errs := make([]error, opens)
	opened := make([]*SQLite, opens)
	for i := range opens {
		wg.Go(func() { opened[i], errs[i] = OpenSQLite(context.Background(), dir) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer opened[i].Close()
	}
	var rows int
	err := opened[0].db.read.QueryRow(`SELECT COUNT(*) FROM schema_version`).Scan(&rows)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := sqlstore.ReadMigrations(schemaFiles, "schema", false)
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(steps) {
		t.Errorf("schema_version has %d rows, want %d (each step applied once)", rows, len(steps))
	}
}

func TestDataDirIsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".parley")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), KindSQLite, path)
	if !errors.Is(err, ErrDataDirIsFile) {
		t.Fatalf("Open on a file: %v, want ErrDataDirIsFile", err)
	}
}

func TestOpenKinds(t *testing.T) {
	s, err := Open(t.Context(), KindMemory, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*Memory); !ok {
		t.Errorf("memory kind gave %T", s)
	}
	if _, err := Open(t.Context(), "redis", ""); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("unknown kind: %v, want ErrUnknownKind", err)
	}
}

// TestIndexColumns: the intent of a user event and the name of an action
// event are copied out into their columns, as Rasa's SQL store has them.
func TestIndexColumns(t *testing.T) {
	s, err := OpenSQLite(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Append(t.Context(), "c", sampleEvents()); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.read.QueryContext(t.Context(), `SELECT COALESCE(intent_name, '-'),
		COALESCE(action_name, '-') FROM events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var intent, action string
		if err := rows.Scan(&intent, &action); err != nil {
			t.Fatal(err)
		}
		got = append(got, intent+" "+action)
	}
	want := []string{"- action_session_start", "- -", "größe -", "- utter_greet", "- -", "- -"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("intent_name action_name columns (-want +got):\n%s", diff)
	}
}
