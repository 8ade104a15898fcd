package web

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/mysql"
	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// stores returns openers of the Stores to test: memory, and SQL in a
// fresh SQLite database, a fresh PostgreSQL schema and a fresh MySQL
// database, all migrated by the store packages. The server ones skip
// without a server.
func stores() map[string]func(t *testing.T) Store {
	return map[string]func(t *testing.T) Store{
		"memory": func(*testing.T) Store { return NewMemoryStore() },
		"sqlite": func(t *testing.T) Store {
			db, err := store.OpenSQLite(t.Context(), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return NewSQLStore(db.WebDB())
		},
		"postgres": func(t *testing.T) Store {
			url, schema := storetest.PostgresSchema(t)
			db, err := postgres.Open(t.Context(), postgres.Config{URL: url, Schema: schema})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return NewSQLStore(db.WebDB())
		},
		"mysql": func(t *testing.T) Store {
			db, err := mysql.Open(t.Context(), mysql.Config{DSN: storetest.MySQLDSN(t)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return NewSQLStore(db.WebDB())
		},
	}
}

func TestStoreSessions(t *testing.T) {
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			ctx, st := t.Context(), open(t)
			t0 := time.Unix(1700000000, 0)
			if _, err := st.Session(ctx, "k1"); !errors.Is(err, ErrNoSession) {
				t.Fatalf("unknown session: %v", err)
			}
			s := Session{ConversationID: "c1", Created: t0, LastSeen: t0}
			if err := st.SaveSession(ctx, "k1", s); err != nil {
				t.Fatal(err)
			}
			s.User, s.ConversationID, s.LastSeen = "ann", "c2", t0.Add(time.Hour)
			if err := st.SaveSession(ctx, "k1", s); err != nil {
				t.Fatal(err)
			}
			got, err := st.Session(ctx, "k1")
			if err != nil || got != s {
				t.Fatalf("session = %+v %v, want %+v", got, err, s)
			}
			if err := st.TouchSession(ctx, "k1", t0.Add(48*time.Hour)); err != nil {
				t.Fatal(err)
			}
			st.SaveSession(ctx, "k2", Session{ConversationID: "c3", Created: t0, LastSeen: t0})
			n, err := st.DeleteIdleSessions(ctx, t0.Add(24*time.Hour))
			if err != nil || n != 1 {
				t.Fatalf("DeleteIdleSessions = %d %v, want 1", n, err)
			}
			if _, err := st.Session(ctx, "k2"); !errors.Is(err, ErrNoSession) {
				t.Errorf("idle session kept: %v", err)
			}
			st.DeleteSession(ctx, "k1")
			if _, err := st.Session(ctx, "k1"); !errors.Is(err, ErrNoSession) {
				t.Errorf("deleted session kept: %v", err)
			}
		})
	}
}

func TestStoreUsers(t *testing.T) {
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			ctx, st := t.Context(), open(t)
			if err := AddUser(ctx, st, "Ann", "correct horse", 4, false); err != nil {
				t.Fatal(err)
			}
			err := AddUser(ctx, st, "ann", "another one", 4, false)
			if !errors.Is(err, ErrUserExists) {
				t.Fatalf("second add: %v", err)
			}
			for pw, want := range map[string]bool{"correct horse": true, "another one": false,
				"": false} {
				if ok, err := verifyUser(ctx, st, "ANN", pw); ok != want || err != nil {
					t.Errorf("verify %q = %v %v, want %v", pw, ok, err, want)
				}
			}
			if err := AddUser(ctx, st, "ann", "another one", 4, true); err != nil {
				t.Fatal(err)
			}
			if ok, _ := verifyUser(ctx, st, "ann", "another one"); !ok {
				t.Error("replaced password refused")
			}
			if ok, err := verifyUser(ctx, st, "bob", "correct horse"); ok || err != nil {
				t.Errorf("unknown user: %v %v", ok, err)
			}
		})
	}
}

// TestSQLStoreListAndRemoveUsers: Users and RemoveUser in every SQL
// dialect; a removed user's sessions end with it.
func TestSQLStoreListAndRemoveUsers(t *testing.T) {
	for name, open := range stores() {
		if name == "memory" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			st := open(t).(*SQLStore)
			for _, u := range []string{"bob", "Ann"} {
				if err := AddUser(ctx, st, u, "correct horse", 4, false); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Now()
			if err := st.SaveSession(ctx, "k1", Session{ConversationID: "c", User: "ann",
				Created: now, LastSeen: now}); err != nil {
				t.Fatal(err)
			}
			list, err := st.Users(ctx)
			if err != nil || len(list) != 2 || list[0].Name != "ann" || list[1].Name != "bob" {
				t.Fatalf("Users = %+v, %v", list, err)
			}
			if err := st.RemoveUser(ctx, "ANN"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Session(ctx, "k1"); !errors.Is(err, ErrNoSession) {
				t.Errorf("the removed user's session: %v", err)
			}
			if err := st.RemoveUser(ctx, "ann"); !errors.Is(err, ErrNoUser) {
				t.Errorf("removing again: %v, want ErrNoUser", err)
			}
		})
	}
}

func TestUserRules(t *testing.T) {
	st := NewMemoryStore()
	cases := []struct {
		name, password string
		want           error
	}{
		{"", "long enough", ErrBadUserName},
		{"a b", "long enough", ErrBadUserName},
		{"<script>", "long enough", ErrBadUserName},
		{"ops@example.com", "short", ErrWeakPassword},
		{"ops", string(make([]byte, MaxPasswordLength+1)), ErrWeakPassword},
		{"ops.team_1-x", "long enough", nil},
	}
	for _, c := range cases {
		err := AddUser(t.Context(), st, c.name, c.password, 4, false)
		if !errors.Is(err, c.want) {
			t.Errorf("AddUser(%q, %q) = %v, want %v", c.name, c.password, err, c.want)
		}
	}
}

// TestDeleteStaleThrottles removes quiet records in more than one batch
// and keeps the active ones.
func TestDeleteStaleThrottles(t *testing.T) {
	defer func(n int) { staleBatch = n }(staleBatch)
	staleBatch = 10
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			ctx, st := t.Context(), open(t)
			t0 := time.Unix(1700000000, 0)
			for i := range staleBatch + 3 {
				at := t0.Add(time.Duration(i%2) * time.Hour) // odd ones stay active
				err := st.UpdateThrottle(ctx, fmt.Sprint("k", i), func(r *ThrottleRecord) {
					r.Failures = append(r.Failures, at)
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			n, err := st.DeleteStaleThrottles(ctx, t0.Add(time.Minute))
			if want := int64(staleBatch+3+1) / 2; err != nil || n != want {
				t.Fatalf("DeleteStaleThrottles = %d, %v; want %d", n, err, want)
			}
			for key, kept := range map[string]bool{"k0": false, "k1": true,
				fmt.Sprint("k", staleBatch+2): false} {
				rec, err := st.Throttle(ctx, key)
				if err != nil || (len(rec.Failures) == 1) != kept {
					t.Errorf("%s: %+v %v, want kept %v", key, rec, err, kept)
				}
			}
		})
	}
}
