package storeconfig

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/parley-chat/parley/internal/project"
)

// SQL dialects, as the dialect key names them (SQLAlchemy's names; a
// "+driver" suffix such as postgresql+psycopg2 is ignored).
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgresql"
	DialectMySQL    = "mysql"
)

// rasaDefaultDB is the db of Rasa's SQL tracker store when none is given.
const rasaDefaultDB = "rasa.db"

// SQLSettings is a `type: SQL` section, read.
type SQLSettings struct {
	Dialect string
	// URL is the postgres:// URL, or the MySQL driver's DSN, of the
	// database; for SQLite the db value (a path), empty when not given.
	URL string
	// LoginURL is the database to connect to first to create DB
	// (PostgreSQL's login_db), empty when not set.
	LoginURL string
	// DB is the database name.
	DB string
	// Schema is PostgreSQL's schema (env POSTGRESQL_SCHEMA).
	Schema string
	// MaxConns is SQL_POOL_SIZE + SQL_MAX_OVERFLOW from the environment,
	// 0 when neither is set.
	MaxConns int
}

// dialectOf normalises a dialect name.
func dialectOf(name string) string {
	name, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(name)), "+")
	switch name {
	case "", "sqlite", "sqlite3":
		return DialectSQLite
	case "postgres", "postgresql", "pgsql":
		return DialectPostgres
	case "mysql", "mariadb":
		return DialectMySQL
	}
	return name
}

// ParseSQL reads a `type: SQL` tracker_store section found at pos, with
// env for POSTGRESQL_SCHEMA, SQL_POOL_SIZE and SQL_MAX_OVERFLOW (nil means
// os.LookupEnv).
func ParseSQL(m map[string]any, pos project.Pos, env func(string) (string, bool)) (
	SQLSettings, error) {
	if env == nil {
		env = os.LookupEnv
	}
	return parseSQL(newSection("tracker_store", pos, m), env)
}

// parseSQL reads a `type: SQL` section.
func parseSQL(s *section, env func(string) (string, bool)) (SQLSettings, error) {
	raw, err := s.str("dialect", DialectSQLite)
	if err != nil {
		return SQLSettings{}, err
	}
	out := SQLSettings{Dialect: dialectOf(raw)}
	switch out.Dialect {
	case DialectSQLite:
		out.URL, err = s.str("db", "")
		return out, err
	case DialectPostgres:
		err = postgresURL(s, &out)
	case DialectMySQL:
		err = mysqlDSN(s, &out)
	default:
		return out, fmt.Errorf("%w: %s: dialect %q: use %s, %s or %s", ErrUnknownType,
			s.where(), raw, DialectSQLite, DialectPostgres, DialectMySQL)
	}
	if err != nil {
		return out, err
	}
	return out, poolSettings(s, env, &out)
}

// serverSettings are the keys that name a database server.
type serverSettings struct {
	host, user, password, db string
	port                     int
	query                    map[string]string
}

// readServer reads url, port, username, password, db and query.
func readServer(s *section, defPort int) (serverSettings, error) {
	var v serverSettings
	var err error
	get := func(dst *string, key, def string) {
		if err == nil {
			*dst, err = s.str(key, def)
		}
	}
	get(&v.host, "url", "localhost")
	get(&v.user, "username", "")
	get(&v.password, "password", "")
	get(&v.db, "db", rasaDefaultDB)
	if err == nil {
		v.port, err = s.integer("port", defPort)
	}
	if err == nil {
		v.query, err = s.mapping("query")
	}
	return v, err
}

// postgresURL fills out.URL (and LoginURL) from the section: either url
// is a whole postgresql:// URL, or the URL is made of the parts.
func postgresURL(s *section, out *SQLSettings) error {
	v, err := readServer(s, 5432)
	if err != nil {
		return err
	}
	login, err := s.str("login_db", "")
	if err != nil {
		return err
	}
	u := &url.URL{Scheme: "postgres", Host: net.JoinHostPort(v.host, strconv.Itoa(v.port)),
		Path: "/" + v.db}
	if strings.Contains(v.host, "://") {
		if u, err = url.Parse(v.host); err != nil {
			return s.errorf("url", "not a URL: %v", err)
		}
		u.Scheme = "postgres"
	}
	if v.user != "" {
		u.User = url.UserPassword(v.user, v.password)
	}
	if len(v.query) > 0 {
		q := u.Query()
		for k, val := range v.query {
			q.Set(k, val)
		}
		u.RawQuery = q.Encode()
	}
	out.DB = strings.TrimPrefix(u.Path, "/")
	out.URL = u.String()
	if login != "" {
		lu := *u
		lu.Path = "/" + login
		out.LoginURL = lu.String()
	}
	return nil
}

// mysqlDSN fills out.URL with the driver's DSN: url may be a mysql:// URL
// or a driver DSN (user:pass@tcp(host:port)/db), or the parts are given.
func mysqlDSN(s *section, out *SQLSettings) error {
	v, err := readServer(s, 3306)
	if err != nil {
		return err
	}
	cfg := mysql.NewConfig()
	switch {
	case strings.Contains(v.host, "@tcp(") || strings.Contains(v.host, "@unix("):
		if cfg, err = mysql.ParseDSN(v.host); err != nil {
			return s.errorf("url", "not a MySQL DSN: %v", err)
		}
	case strings.Contains(v.host, "://"):
		u, err := url.Parse(v.host)
		if err != nil {
			return s.errorf("url", "not a URL: %v", err)
		}
		cfg.Addr, cfg.DBName = u.Host, strings.TrimPrefix(u.Path, "/")
		if u.Port() == "" {
			cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
		}
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
		for k := range u.Query() {
			v.query = withParam(v.query, k, u.Query().Get(k))
		}
	default:
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(v.host, strconv.Itoa(v.port))
		cfg.User, cfg.Passwd, cfg.DBName = v.user, v.password, v.db
	}
	dsn := cfg.FormatDSN()
	if len(v.query) > 0 {
		q := url.Values{}
		for k, val := range v.query {
			q.Set(k, val)
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + q.Encode()
	}
	parsed, err := mysql.ParseDSN(dsn)
	if err != nil {
		return s.errorf("query", "%v", err)
	}
	out.DB, out.URL = parsed.DBName, parsed.FormatDSN()
	return nil
}

// withParam adds k=val to m, making m when nil.
func withParam(m map[string]string, k, val string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = val
	return m
}

// poolSettings reads POSTGRESQL_SCHEMA, SQL_POOL_SIZE and SQL_MAX_OVERFLOW.
func poolSettings(s *section, env func(string) (string, bool), out *SQLSettings) error {
	if schema, ok := env("POSTGRESQL_SCHEMA"); ok && out.Dialect == DialectPostgres {
		out.Schema = schema
	}
	for _, name := range []string{"SQL_POOL_SIZE", "SQL_MAX_OVERFLOW"} {
		raw, ok := env(name)
		if !ok || raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: environment variable %s=%q must be a whole number (%s)",
				ErrBadSetting, name, raw, s.where())
		}
		out.MaxConns += n
	}
	return nil
}
