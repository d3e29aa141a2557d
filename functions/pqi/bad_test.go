package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/ingest/ingesttest"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// TestBadInputs runs `pqi ingest` on every case in testdata/bad: exports
// that once loaded wrong, lost rows, hung or failed without saying how to
// fix them. Each case's expected.txt holds the exit code, what pqi
// printed, the quarantined rows with their reasons and the runs recorded
// (-update rewrites it). A case may hold an args file with extra flags.
func TestBadInputs(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "bad")
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join(root, c.Name())
			checkGolden(t, filepath.Join(dir, "expected.txt"), badCase(t, dir), "pqi ingest")
		})
	}
}

// badCase ingests one case and describes the outcome.
func badCase(t *testing.T, dir string) string {
	wh := t.TempDir()
	args := []string{"--log-level", "warn", "--log-format", "json", "ingest", "--in", filepath.Join(dir, "exports"), "--warehouse", wh, "--as-of", "2026-09-30"}
	if b, err := os.ReadFile(filepath.Join(dir, "args")); err == nil {
		args = append(args, strings.Fields(string(b))...)
	}
	code, out, errs := pqi(args...)
	clean := func(s string) string {
		s = strings.ReplaceAll(s, wh, "<warehouse>")
		s = strings.ReplaceAll(s, dir, "<case>")
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "exit %d\n\n# stdout\n%s\n\n# stderr\n%s\n", code, clean(out), clean(logMessages(errs)))
	w, err := local.Open(wh, memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	asOf, _ := schema.ParseDay("2026-09-30")
	if _, err := w.Read(t.Context(), schema.Quarantine, asOf); err == nil {
		b.WriteString("\n# quarantine\n")
		q := ingesttest.Rows(t, w, schema.Quarantine, asOf)
		sort.Slice(q, func(i, j int) bool {
			if q[i][schema.File] != q[j][schema.File] {
				return q[i][schema.File] < q[j][schema.File]
			}
			return q[i][schema.SourceRow] < q[j][schema.SourceRow]
		})
		for _, r := range q {
			fmt.Fprintf(&b, "%s row %s: %s [%s] %s\n", r[schema.File], r[schema.SourceRow], r[schema.ReasonCodeCol], r[schema.ColumnName], r[schema.Reason])
		}
	}
	b.WriteString("\n# runs\n")
	runs, err := warehouse.ReadRuns(t.Context(), w, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		fmt.Fprintf(&b, "%s %s %s\n", r.Job, r.Outcome, clean(r.Error))
	}
	return b.String()
}

// logMessages keeps each JSON log line's level, message and attributes,
// without the time and the run's identity.
func logMessages(s string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			out = append(out, line)
			continue
		}
		parts := []string{fmt.Sprint(m["level"]), fmt.Sprint(m["msg"])}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			switch k {
			case "time", "level", "msg", "run_id", "as_of":
			default:
				parts = append(parts, fmt.Sprintf("%s=%v", k, m[k]))
			}
		}
		out = append(out, strings.Join(parts, " "))
	}
	return strings.Join(out, "\n")
}
