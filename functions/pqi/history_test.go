package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sqlValue runs one query that returns one value through pqi sql.
func sqlValue(t *testing.T, wh, query string) string {
	t.Helper()
	code, out, errs := pqi("--log-level", "error", "sql", "--warehouse", wh, "--query", query)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 {
		t.Fatalf("pqi sql %q: exit %d\n%s\n%s", query, code, out, errs)
	}
	return strings.TrimSpace(lines[1])
}

// tableHashes is the sha256 of every table file of the warehouse but the
// runs log (which records every run, the same or not).
func tableHashes(t *testing.T, wh string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(wh, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".parquet") || strings.Contains(p, string(filepath.Separator)+"runs"+string(filepath.Separator)) {
			return err
		}
		b, err := os.ReadFile(p)
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHistoryFromTheFirstRun rebuilds 8 quarters from one set of exports:
// every quarter is scored, nothing is quarantined for being dated after a
// past quarter's end, a partner there from the start has a row in every
// quarter of the trend, and running it again changes no table.
func TestHistoryFromTheFirstRun(t *testing.T) {
	dir := t.TempDir()
	exports, wh := filepath.Join(dir, "exports"), filepath.Join(dir, "wh")
	if code, out, errs := pqi("--log-level", "error", "gen", "--out", exports, "--partners", "80", "--quarters", "8", "--bad-rows", "0.02"); code != 0 {
		t.Fatalf("gen: %d\n%s\n%s", code, out, errs)
	}
	runArgs := []string{"--log-level", "error", "run", "--in", exports, "--warehouse", wh, "--as-of", "2026-09-30", "--quarters", "8", "--report", filepath.Join(dir, "board.pdf")}
	code, out, errs := pqi(runArgs...)
	if code != 0 || !strings.Contains(out, "Rebuilding the 7 quarters before 2026-09-30") || !strings.Contains(out, "2024-12-31: ") {
		t.Fatalf("run --quarters 8: exit %d\n%s\n%s", code, out, errs)
	}
	if n := sqlValue(t, wh, "SELECT count(DISTINCT as_of_date) FROM partner_quality"); n != "8" {
		t.Errorf("%s quarters scored, want 8", n)
	}
	// the generator breaks some dates on purpose (after the exports' own
	// date); a row dated between a past quarter's end and the exports' is
	// not yet known then, never quarantined
	if n := sqlValue(t, wh, "SELECT count(*) FROM quarantine WHERE reason_code = 'future_date' AND as_of_date < DATE '2026-09-30' AND value <= '2026-09-30'"); n != "0" {
		t.Errorf("%s rows quarantined for being after a past quarter's end", n)
	}
	if n := sqlValue(t, wh, "SELECT count(*) FROM quarantine WHERE reason_code = 'future_date' AND as_of_date = DATE '2024-12-31'"); n == "0" {
		t.Error("the generator's dates after the exports' own date were not quarantined in the oldest quarter")
	}
	first := "SELECT partner_id FROM partner_quality WHERE as_of_date = DATE '2024-12-31'"
	if n := sqlValue(t, wh, "SELECT count(*) FROM ("+first+")"); n == "0" {
		t.Fatal("no partner in the oldest quarter")
	}
	if n := sqlValue(t, wh, "SELECT count(*) FROM (SELECT partner_id, count(*) AS quarters FROM mart_pqi_trend WHERE partner_id IN ("+first+") GROUP BY 1) WHERE quarters <> 8"); n != "0" {
		t.Errorf("%s partners there from the oldest quarter lack a trend row for a quarter", n)
	}
	// a deal won after a past quarter's end was open at it
	if n := sqlValue(t, wh, "SELECT count(*) FROM deals WHERE as_of_date < DATE '2026-09-30' AND (closed_date > as_of_date OR created_date > as_of_date OR registered_date > as_of_date)"); n != "0" {
		t.Errorf("%s deals of a past quarter carry a date after it", n)
	}
	before := tableHashes(t, wh)
	if code, out, errs := pqi(runArgs...); code != 0 {
		t.Fatalf("run again: exit %d\n%s\n%s", code, out, errs)
	}
	after := tableHashes(t, wh)
	if len(after) != len(before) || len(before) < 8*10 {
		t.Errorf("%d table files, then %d", len(before), len(after))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s changed when the history was rebuilt again", p)
		}
	}
}
