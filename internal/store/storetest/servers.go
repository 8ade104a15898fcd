package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/testenv"
)

// Environment variables naming the test servers, and their defaults (the
// servers of a development machine).
const (
	PostgresURLVar = "PARLEY_TEST_POSTGRES_URL"
	MySQLDSNVar    = "PARLEY_TEST_MYSQL_DSN"
	RedisURLVar    = "PARLEY_TEST_REDIS_URL"
	AMQPURLVar     = "PARLEY_TEST_AMQP_URL"

	DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	DefaultMySQLDSN    = "root@tcp(127.0.0.1:3306)/"
	DefaultRedisURL    = "redis://127.0.0.1:6379/0"
	DefaultAMQPURL     = "amqp://guest:guest@127.0.0.1:5672/"
)

// reachTimeout bounds the check that a server is there.
const reachTimeout = 5 * time.Second

// UniqueName returns prefix followed by random lowercase hex digits: a
// name for a schema, database, key prefix or queue of one test.
func UniqueName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// setting returns the environment variable name or def.
func setting(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// PostgresURL returns the test PostgreSQL server's URL, or skips the test
// when the server does not answer.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := setting(PostgresURLVar, DefaultPostgresURL)
	ctx, cancel := context.WithTimeout(context.Background(), reachTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		testenv.Missing(t, "PostgreSQL is not reachable at "+redact(u)+" ("+err.Error()+
			"); start it or set "+PostgresURLVar)
	}
	conn.Close(ctx)
	return u
}

// PostgresSchema creates a schema of its own for the test on the test
// server, dropped with everything in it when the test ends. It returns the
// server URL and the schema name.
func PostgresSchema(t testing.TB) (serverURL, schema string) {
	t.Helper()
	serverURL = PostgresURL(t)
	schema = UniqueName("parley_test_")
	execPostgres(t, serverURL, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { execPostgres(t, serverURL, "DROP SCHEMA IF EXISTS "+schema+" CASCADE") })
	return serverURL, schema
}

// PostgresDatabaseName returns a fresh database name and drops a database
// of that name, if one was made, when the test ends.
func PostgresDatabaseName(t testing.TB) string {
	t.Helper()
	serverURL := PostgresURL(t)
	name := UniqueName("parley_test_")
	t.Cleanup(func() {
		execPostgres(t, serverURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return name
}

// execPostgres runs one statement on the server at serverURL.
func execPostgres(t testing.TB, serverURL, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// MySQLDatabase creates a database of its own for the test on the test
// MySQL or MariaDB server, dropped when the test ends. It returns the
// server's DSN (no database in it) and the database name.
func MySQLDatabase(t testing.TB) (serverDSN, name string) {
	t.Helper()
	serverDSN = setting(MySQLDSNVar, DefaultMySQLDSN)
	db, err := sql.Open("mysql", serverDSN)
	if err != nil {
		t.Fatalf("bad %s %q: %v", MySQLDSNVar, serverDSN, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), reachTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		testenv.Missing(t, "MySQL/MariaDB is not reachable at "+mysqlAddr(serverDSN)+
			" ("+err.Error()+"); start it or set "+MySQLDSNVar)
	}
	name = UniqueName("parley_test_")
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating database %s: %v", name, err)
	}
	t.Cleanup(func() { dropMySQL(t, serverDSN, name) })
	return serverDSN, name
}

// MySQLDSN creates a database of its own for the test, as MySQLDatabase
// does, and returns the DSN that names it.
func MySQLDSN(t testing.TB) string {
	t.Helper()
	serverDSN, name := MySQLDatabase(t)
	return MySQLDSNFor(t, serverDSN, name)
}

// MySQLDSNFor is the DSN of database name on the server of serverDSN.
func MySQLDSNFor(t testing.TB, serverDSN, name string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(serverDSN)
	if err != nil {
		t.Fatalf("bad %s %q: %v", MySQLDSNVar, serverDSN, err)
	}
	cfg.DBName = name
	return cfg.FormatDSN()
}

// dropMySQL drops database name on the server.
func dropMySQL(t testing.TB, serverDSN, name string) {
	db, err := sql.Open("mysql", serverDSN)
	if err != nil {
		t.Errorf("dropping %s: %v", name, err)
		return
	}
	defer db.Close()
	if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
		t.Errorf("dropping %s: %v", name, err)
	}
}

// mysqlAddr is the server address of a DSN, for messages.
func mysqlAddr(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "?"
	}
	return cfg.Addr
}

// RedisURL returns the test Redis server's URL, or skips the test when the
// server does not answer. Tests keep apart by key prefix (KeyPrefix).
func RedisURL(t testing.TB) string {
	t.Helper()
	u := setting(RedisURLVar, DefaultRedisURL)
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("bad %s %q: %v", RedisURLVar, u, err)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), reachTimeout)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		testenv.Missing(t, "Redis is not reachable at "+opts.Addr+" ("+err.Error()+
			"); start it or set "+RedisURLVar)
	}
	return u
}

// KeyPrefix returns a Redis key prefix of the test's own and deletes every
// key whose name contains it when the test ends.
func KeyPrefix(t testing.TB, redisURL string) string {
	t.Helper()
	prefix := UniqueName("parley-test-") + ":"
	DeleteKeysWith(t, redisURL, prefix)
	return prefix
}

// DeleteKeysWith deletes every Redis key whose name contains part when the
// test ends.
func DeleteKeysWith(t testing.TB, redisURL, part string) {
	t.Cleanup(func() {
		opts, err := redis.ParseURL(redisURL)
		if err != nil {
			return
		}
		client := redis.NewClient(opts)
		defer client.Close()
		ctx := context.Background()
		iter := client.Scan(ctx, 0, "*"+part+"*", 500).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	})
}

// AMQPURL returns the test RabbitMQ server's URL, or skips the test when
// nothing listens at its address.
func AMQPURL(t testing.TB) string {
	t.Helper()
	raw := setting(AMQPURLVar, DefaultAMQPURL)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("bad %s %q: %v", AMQPURLVar, raw, err)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "5672")
	}
	conn, err := net.DialTimeout("tcp", host, reachTimeout)
	if err != nil {
		testenv.Missing(t, "RabbitMQ is not reachable at "+host+" ("+err.Error()+
			"); start it or set "+AMQPURLVar)
	}
	conn.Close()
	return raw
}

// redact hides the password of a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return u.Redacted()
}
