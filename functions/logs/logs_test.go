package logs

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"time"
)

func TestDurationsAreSeconds(t *testing.T) {
	var b bytes.Buffer
	JSON(&b, slog.LevelInfo).With("run_id", "sco-1").Info("score finished", "partners", 40000, "duration", 1500*time.Millisecond)
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, b.String())
	}
	if got["duration_seconds"] != 1.5 || got["run_id"] != "sco-1" || got["partners"] != 40000.0 || got["msg"] != "score finished" {
		t.Errorf("logged %s", b.String())
	}
	if _, ok := got["duration"]; ok {
		t.Errorf("duration kept as text: %s", b.String())
	}
}
