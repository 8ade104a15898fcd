package storeconfig

import (
	"errors"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/project"
)

var testPos = project.Pos{File: "endpoints.yml", Line: 4, Column: 1}

// env returns a LookupEnv over vars.
func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func TestParseSQL(t *testing.T) {
	cases := []struct {
		name    string
		section map[string]any
		vars    map[string]string
		want    SQLSettings
	}{
		{"postgres parts", map[string]any{"dialect": "postgresql", "url": "db.example",
			"port": 5433, "db": "bot", "username": "rasa", "password": "p@ss/word",
			"login_db": "postgres", "query": map[string]any{"sslmode": "disable"}},
			map[string]string{"POSTGRESQL_SCHEMA": "s1", "SQL_POOL_SIZE": "10",
				"SQL_MAX_OVERFLOW": "5"},
			SQLSettings{Dialect: DialectPostgres, DB: "bot", Schema: "s1", MaxConns: 15,
				URL: "postgres://rasa:p%40ss%2Fword@db.example:5433/bot?sslmode=disable",
				LoginURL: "postgres://rasa:p%40ss%2Fword@db.example:5433/postgres" +
					"?sslmode=disable"}},
		{"postgres URL", map[string]any{"dialect": "postgresql+psycopg2",
			"url": "postgresql://u:pw@h:1234/conv"}, nil,
			SQLSettings{Dialect: DialectPostgres, DB: "conv", URL: "postgres://u:pw@h:1234/conv"}},
		{"postgres defaults", map[string]any{"dialect": "postgres"}, nil,
			SQLSettings{Dialect: DialectPostgres, DB: "rasa.db",
				URL: "postgres://localhost:5432/rasa.db"}},
		{"mysql parts", map[string]any{"dialect": "mysql+pymysql", "url": "10.0.0.2",
			"db": "bot", "username": "root", "password": "pw", "query": map[string]any{
				"tls": "skip-verify"}}, nil,
			SQLSettings{Dialect: DialectMySQL, DB: "bot",
				URL: "root:pw@tcp(10.0.0.2:3306)/bot?tls=skip-verify"}},
		{"mysql URL", map[string]any{"dialect": "mariadb", "url": "mysql://a:b@h/d"}, nil,
			SQLSettings{Dialect: DialectMySQL, DB: "d", URL: "a:b@tcp(h:3306)/d"}},
		{"mysql DSN", map[string]any{"dialect": "mysql", "url": "a:b@tcp(h:1)/d"}, nil,
			SQLSettings{Dialect: DialectMySQL, DB: "d", URL: "a:b@tcp(h:1)/d"}},
		{"sqlite", map[string]any{"db": "conversations"}, nil,
			SQLSettings{Dialect: DialectSQLite, URL: "conversations"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseSQL(newSection("tracker_store", testPos, c.section), env(c.vars))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestParseSQLErrors(t *testing.T) {
	cases := []struct {
		name    string
		section map[string]any
		vars    map[string]string
		want    error
		words   string
	}{
		{"dialect", map[string]any{"dialect": "oracle"}, nil, ErrUnknownType,
			`endpoints.yml:4:1 tracker_store: dialect "oracle"`},
		{"port", map[string]any{"dialect": "postgresql", "port": "fifty"}, nil, ErrBadSetting,
			"endpoints.yml:4:1 tracker_store: port: must be a whole number"},
		{"query", map[string]any{"dialect": "mysql", "query": []any{"x"}}, nil, ErrBadSetting,
			"query: must be a mapping"},
		{"pool", map[string]any{"dialect": "postgresql"}, map[string]string{
			"SQL_POOL_SIZE": "many"}, ErrBadSetting, "SQL_POOL_SIZE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseSQL(newSection("tracker_store", testPos, c.section), env(c.vars))
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("error %v, want %v saying %q", err, c.want, c.words)
			}
		})
	}
}
