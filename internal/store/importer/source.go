package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store/storeconfig"
)

// OpenSource opens the Rasa tracker store that a tracker_store section
// (from Rasa's endpoints.yml, found at pos) describes: `type: SQL` with
// any dialect, where a SQLite db is Rasa's database file, or `type:
// redis`. env reads POSTGRESQL_SCHEMA (nil means the process's).
func OpenSource(ctx context.Context, m map[string]any, pos project.Pos, baseDir string,
	env func(string) (string, bool)) (Source, error) {
	typ, _ := m["type"].(string)
	switch strings.ToLower(typ) {
	case "sql":
		cfg, err := storeconfig.ParseSQL(m, pos, env)
		if err != nil {
			return nil, err
		}
		if cfg.Dialect == storeconfig.DialectSQLite && cfg.URL != "" && !filepath.IsAbs(cfg.URL) {
			cfg.URL = filepath.Join(baseDir, cfg.URL)
		}
		driver, dsn := sqlDriver(cfg)
		return asSource(OpenSQL(ctx, driver, dsn))
	case "redis":
		opts, prefix, err := storeconfig.ParseRedis(m, pos, baseDir)
		if err != nil {
			return nil, err
		}
		return asSource(OpenRedis(ctx, redis.NewClient(opts), prefix))
	}
	return nil, fmt.Errorf("%w: %s tracker_store type %q: use SQL or redis", ErrNotRasaStore,
		pos, typ)
}

// asSource returns src as a Source, or a nil Source with err.
func asSource[S Source](src S, err error) (Source, error) {
	if err != nil {
		return nil, err
	}
	return src, nil
}
