package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/store"
)

// CheckOutage uses s, a store connected through proxy, while its server
// goes away and comes back: during the outage every call fails with
// store.ErrUnavailable, and afterwards the store works again by itself,
// with nothing lost.
func CheckOutage(t *testing.T, proxy *Proxy, s store.TrackerStore) {
	t.Helper()
	ctx := t.Context()
	before := Conversation(3, "before")
	mustAppend(t, s, "c", before)
	proxy.Down()
	if _, err := s.Load(ctx, "c"); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Load while the server is away = %v, want store.ErrUnavailable", err)
	}
	err := s.Append(ctx, "c", Conversation(1, "lost"))
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Append while the server is away = %v, want store.ErrUnavailable", err)
	}
	proxy.Up()
	// Pools may first hand out a connection that broke; the store must get
	// past them without help.
	for {
		if _, err = s.Load(ctx, "c"); err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the store did not recover: %v", err)
	}
	after := Conversation(2, "after")
	for {
		if err = s.Append(ctx, "c", after); err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("Append after the outage: %v", err)
	}
	got, err := s.Load(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	SameEvents(t, got, append(before, after...))
}
