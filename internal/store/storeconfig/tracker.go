package storeconfig

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/mysql"
	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/redisstore"
)

// Kinds of tracker store, as Stores.TrackerKind reports them.
const (
	KindMemory   = "memory"
	KindSQLite   = DialectSQLite
	KindPostgres = DialectPostgres
	KindMySQL    = DialectMySQL
	KindRedis    = "redis"
)

// Options are what the sections do not say.
type Options struct {
	// BaseDir is the project folder; relative paths are taken from it.
	BaseDir string
	// DataDir is the SQLite data directory when tracker_store names none.
	DataDir string
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
	// LookupEnv reads environment variables; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// OpenSQLite opens Parley's SQLite store in a data directory; nil
	// means store.OpenSQLite.
	OpenSQLite func(ctx context.Context, dir string) (store.TrackerStore, error)
}

// withDefaults fills in the nil fields of o.
func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.LookupEnv == nil {
		o.LookupEnv = os.LookupEnv
	}
	if o.OpenSQLite == nil {
		o.OpenSQLite = func(ctx context.Context, dir string) (store.TrackerStore, error) {
			return store.OpenSQLite(ctx, dir)
		}
	}
	return o
}

// OpenTrackerStore builds the tracker store of a tracker_store section
// found at pos, and returns its kind. An empty section gives (nil, "",
// nil): the caller uses its default store.
func OpenTrackerStore(ctx context.Context, m map[string]any, pos project.Pos,
	opts Options) (store.TrackerStore, string, error) {
	if len(m) == 0 {
		return nil, "", nil
	}
	opts = opts.withDefaults()
	s := newSection("tracker_store", pos, m)
	typ, err := s.str("type", "")
	if err != nil {
		return nil, "", err
	}
	var ts store.TrackerStore
	var kind string
	switch strings.ToLower(typ) {
	case "sql":
		ts, kind, err = openSQL(ctx, s, opts)
	case "redis":
		ts, err = openRedisStore(ctx, s, opts)
		kind = KindRedis
	case "memory", "in_memory", "inmemory":
		ts, kind = store.NewMemory(), KindMemory
	default:
		return nil, "", fmt.Errorf("%w: %s: type %q: use SQL, redis or in_memory", ErrUnknownType,
			s.where(), typ)
	}
	if err != nil {
		return nil, "", err
	}
	warnUnknown(opts.Logger, s)
	return ts, kind, nil
}

// SQLiteDir returns the data directory of the SQLite tracker store that a
// tracker_store section names, without opening it: db, resolved against
// opts.BaseDir, or opts.DataDir without one. An empty section gives
// opts.DataDir, the default store's. A section naming another store gives
// an error wrapping ErrNotSQLite that says which.
func SQLiteDir(m map[string]any, pos project.Pos, opts Options) (string, error) {
	if len(m) == 0 {
		return opts.DataDir, nil
	}
	opts = opts.withDefaults()
	s := newSection("tracker_store", pos, m)
	typ, err := s.str("type", "")
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(typ, "sql") {
		return "", fmt.Errorf("%w: %s is type %s", ErrNotSQLite, s.where(), typ)
	}
	cfg, err := parseSQL(s, opts.LookupEnv)
	if err != nil {
		return "", err
	}
	switch {
	case cfg.Dialect != DialectSQLite:
		return "", fmt.Errorf("%w: %s is %s", ErrNotSQLite, s.where(), cfg.Dialect)
	case cfg.URL == "":
		return opts.DataDir, nil
	}
	return resolve(opts.BaseDir, cfg.URL), nil
}

// warnUnknown logs the keys of s that Parley does not read.
func warnUnknown(log *slog.Logger, s *section) {
	if keys := s.unknown(); len(keys) > 0 {
		log.Warn("endpoints.yml: keys Parley does not use are ignored", "section", s.where(),
			"keys", strings.Join(keys, ", "))
	}
}

// openSQL opens a `type: SQL` store.
func openSQL(ctx context.Context, s *section, opts Options) (store.TrackerStore, string, error) {
	cfg, err := parseSQL(s, opts.LookupEnv)
	if err != nil {
		return nil, "", err
	}
	where := s.where()
	switch cfg.Dialect {
	case DialectPostgres:
		if cfg.LoginURL != "" {
			if err := postgres.EnsureDatabase(ctx, cfg.LoginURL, cfg.DB); err != nil {
				return nil, "", fmt.Errorf("%s: login_db: %w", where, err)
			}
		}
		st, err := postgres.Open(ctx, postgres.Config{URL: cfg.URL, Schema: cfg.Schema,
			MaxConns: int32(cfg.MaxConns)})
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", where, err)
		}
		return st, KindPostgres, nil
	case DialectMySQL:
		st, err := mysql.Open(ctx, mysql.Config{DSN: cfg.URL, MaxConns: cfg.MaxConns})
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", where, err)
		}
		return st, KindMySQL, nil
	}
	st, err := openSQLite(ctx, s, cfg.URL, opts)
	return st, KindSQLite, err
}

// openSQLite opens Parley's SQLite store; db, when given, names its data
// directory.
func openSQLite(ctx context.Context, s *section, db string, opts Options) (
	store.TrackerStore, error) {
	dir := opts.DataDir
	if db == "" && dir == "" {
		return nil, fmt.Errorf("%w: %s: db: name the data directory for SQLite",
			ErrBadSetting, s.where())
	}
	if db != "" {
		dir = resolve(opts.BaseDir, db)
		if info, err := os.Stat(dir); err == nil && !info.IsDir() {
			return nil, fmt.Errorf("%w: %s: db: %s is a database file (Rasa's?); Parley keeps "+
				"SQLite in a data directory: name a directory, and bring the old "+
				"conversations over with parley data import-trackers", ErrRasaSQLiteFile,
				s.where(), db)
		}
	}
	st, err := opts.OpenSQLite(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.where(), err)
	}
	return st, nil
}

// openRedisStore opens a `type: redis` store.
func openRedisStore(ctx context.Context, s *section, opts Options) (store.TrackerStore, error) {
	ro, err := redisOptions(s, opts.BaseDir)
	if err != nil {
		return nil, err
	}
	prefix, err := redisPrefix(s, "tracker")
	if err != nil {
		return nil, err
	}
	exp, err := s.seconds("record_exp")
	if err != nil {
		return nil, err
	}
	client := redis.NewClient(ro)
	st, err := redisstore.Open(ctx, redisstore.Config{Client: client,
		KeyPrefix: prefix, RecordExp: time.Duration(exp * float64(time.Second))})
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("%s: %s: %w", s.where(), redisWhere(ro), err)
	}
	return st, nil
}
