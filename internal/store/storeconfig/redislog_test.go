package storeconfig

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestRedisLibraryLogsGoToSlog: what the Redis library prints when it
// cannot dial goes to the given logger at debug level.
func TestRedisLibraryLogsGoToSlog(t *testing.T) {
	var logs bytes.Buffer
	LogRedisTo(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer redis.SetLogger(discardRedis{})
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond,
		MaxRetries: -1})
	defer client.Close()
	_ = client.Ping(context.Background()).Err()
	client.Close()
	time.Sleep(300 * time.Millisecond) // the pool logs from its own goroutine
	if !strings.Contains(logs.String(), "level=DEBUG msg=\"redis client\"") {
		t.Errorf("the Redis library's dial failure did not reach the logger: %q", logs.String())
	}
}

type discardRedis struct{}

func (discardRedis) Printf(context.Context, string, ...any) {}
