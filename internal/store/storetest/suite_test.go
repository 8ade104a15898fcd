package storetest_test

import (
	"testing"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.TrackerStore {
		s := store.NewMemory()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.TrackerStore {
		s, err := store.Open(t.Context(), store.KindSQLite, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
