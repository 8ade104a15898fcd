package storeconfig

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/redis/go-redis/v9"
)

// LogRedisTo sends what the Redis client library prints itself (failed
// dials, pool trouble) to log at debug level, instead of raw lines on
// stderr before Parley's own message about the same failure. The library
// has one logger for the whole process.
func LogRedisTo(log *slog.Logger) {
	redis.SetLogger(redisLog{log})
}

// redisLog is the Redis library's logger interface over slog.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis client", "detail",
		strings.TrimSpace(fmt.Sprintf(format, v...)))
}
