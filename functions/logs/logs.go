// Package logs builds the JSON logger the CLI (--log-format json) and the
// Lambda functions write with: one object per line, durations as seconds.
package logs

import (
	"io"
	"log/slog"
	"time"
)

// JSON is a logger writing one JSON object per line to w. A duration
// attribute is written as seconds, its key ending in _seconds
// ("duration": 650ms becomes "duration_seconds": 0.65), so log queries
// can sum and compare it.
func JSON(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: seconds}))
}

func seconds(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.Float64(a.Key+"_seconds", a.Value.Duration().Round(time.Microsecond).Seconds())
	}
	return a
}
