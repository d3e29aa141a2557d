package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The clock of pqi() is 2026-11-15: the last closed quarter is Q3.
func TestAsOfOfAQuarterNotClosedIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	wh := filepath.Join(dir, "wh")
	code, _, errs := pqi("ingest", "--in", "../../testdata/csv-edge/exports", "--warehouse", wh, "--as-of", "2026-12-31")
	if code != 2 || !strings.Contains(errs, "has not closed yet") || !strings.Contains(errs, "2026-09-30") || !strings.Contains(errs, "--any-date") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(wh); err == nil {
		t.Error("the refused ingest made the warehouse")
	}
	if code, _, errs := pqi("ingest", "--in", "../../testdata/csv-edge/exports", "--warehouse", wh, "--as-of", "2026-12-31", "--any-date"); code != 0 {
		t.Errorf("--any-date: exit %d: %s", code, errs)
	}
	if code, _, errs := pqi("ingest", "--in", "../../testdata/csv-edge/exports", "--warehouse", wh, "--as-of", "2026-09-30"); code != 0 {
		t.Errorf("the closed quarter: exit %d: %s", code, errs)
	}
}

// Commands that read a warehouse refuse one that does not exist, create
// nothing and name the warehouse beside a typo.
func TestMissingWarehouseIsRefusedAndNotCreated(t *testing.T) {
	dir := t.TempDir()
	wh := filepath.Join(dir, "warehouse")
	if code, _, errs := pqi("ingest", "--in", "../../testdata/csv-edge/exports", "--warehouse", wh); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	typo := filepath.Join(dir, "warehous")
	for _, args := range [][]string{
		{"score", "--warehouse", typo},
		{"report", "--warehouse", typo, "--out", filepath.Join(dir, "b.pdf")},
		{"scorecards", "--warehouse", typo, "--out", filepath.Join(dir, "cards")},
		{"runs", "--warehouse", typo},
		{"sql", "--warehouse", typo, "--query", "SELECT 1"},
	} {
		code, _, errs := pqi(args...)
		if code != 2 || !strings.Contains(errs, "--warehouse "+typo+" does not exist") || !strings.Contains(errs, "did you mean "+wh+"?") {
			t.Errorf("pqi %s: exit %d: %s", args[0], code, errs)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("pqi %s made the mistyped warehouse", args[0])
		}
	}
	if code, _, errs := pqi("score", "--warehouse", dir); code != 2 || !strings.Contains(errs, "is not a pqi warehouse") {
		t.Errorf("a folder that is not a warehouse: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "runs")); err == nil {
		t.Error("score wrote runs into a folder that is not a warehouse")
	}
}

// A run that replaces a published snapshot says whose, and runs records it.
func TestIngestSaysWhoseSnapshotItReplaced(t *testing.T) {
	wh := filepath.Join(t.TempDir(), "wh")
	ingest := func(in string) string {
		t.Helper()
		code, out, errs := pqi("ingest", "--in", in, "--warehouse", wh)
		if code != 0 {
			t.Fatalf("ingest %s: exit %d: %s", in, code, errs)
		}
		return out
	}
	first := ingest("../../testdata/csv-edge/exports")
	if strings.Contains(first, "Replaced the") || strings.Contains(first, "snapshot again") {
		t.Errorf("the first load replaced something:\n%s", first)
	}
	firstID := strings.TrimSuffix(strings.SplitN(strings.SplitN(first, "(run ", 2)[1], ")", 2)[0], ")")
	if again := ingest("../../testdata/csv-edge/exports"); !strings.Contains(again, "Published the 2026-09-30 snapshot again: run "+firstID) {
		t.Errorf("the same inputs again:\n%s", again)
	}
	if other := ingest("../../testdata/crm/exports"); !strings.Contains(other, "Replaced the 2026-09-30 snapshot published by run "+firstID+".") {
		t.Errorf("other inputs:\n%s", other)
	}
	_, runs, _ := pqi("runs", "--warehouse", wh)
	lines := strings.Split(strings.TrimSpace(runs), "\n")
	replaced := func(line string) string { return strings.Fields(line)[7] } // started is two fields
	if len(lines) != 4 || replaced(lines[1]) != "-" || !strings.Contains(lines[2], "itself (same inputs)") || replaced(lines[3]) != firstID {
		t.Errorf("pqi runs:\n%s", runs)
	}
}

// --mappings naming a folder with no mapping files is refused before
// anything is read or created.
func TestMappingsFolderWithoutMappingsIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes")
	os.Mkdir(notes, 0o755)
	os.WriteFile(filepath.Join(notes, "README.txt"), []byte("no mappings here"), 0o644)
	wh := filepath.Join(dir, "wh")
	code, _, errs := pqi("ingest", "--in", "../../testdata/crm/exports", "--mappings", notes, "--warehouse", wh)
	if code != 2 || !strings.Contains(errs, "--mappings "+notes+" holds no mapping files") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(wh); err == nil {
		t.Error("the refused ingest made the warehouse")
	}
}

// Help goes to stdout when asked for; a mistake is said once, on stderr,
// with the nearest flag or command.
func TestHelpOnStdoutAndSuggestions(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"score", "--help"}, {"help", "sql"}} {
		code, out, errs := pqi(args...)
		if code != 0 || !strings.HasPrefix(out, "Usage: pqi") || errs != "" {
			t.Errorf("pqi %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"score", "--warehose", "x"}, "pqi score: unknown flag --warehose (did you mean --warehouse?)\nRun 'pqi score --help' for usage.\n"},
		{[]string{"scroe"}, "pqi: unknown command \"scroe\" (did you mean score?)\nRun 'pqi --help' for the commands.\n"},
		{[]string{"--log-levle", "debug", "runs"}, "pqi: unknown flag --log-levle (did you mean --log-level?)\nRun 'pqi --help' for usage.\n"},
		{[]string{"runs", "--frobnicate"}, "pqi runs: unknown flag --frobnicate\nRun 'pqi runs --help' for usage.\n"},
	} {
		code, out, errs := pqi(c.args...)
		if code != 2 || out != "" || errs != c.want {
			t.Errorf("pqi %s: exit %d\nstdout: %s\nstderr: %q\nwant:   %q", strings.Join(c.args, " "), code, out, errs, c.want)
		}
	}
	_, out, _ := pqi("--help")
	if !strings.Contains(out, "sql         run SQL on the warehouse (DuckDB over a local one, or BigQuery)") ||
		!strings.Contains(out, "scorecards  write every partner's own scorecard") {
		t.Errorf("the command lines (aligned, the sql one true for both warehouses):\n%s", out)
	}
}

// pqi sql for people: floats to six significant digits and columns
// aligned as a terminal shows them (a CJK character is two columns wide)
// in text; full precision in csv and json; --list and --describe.
func TestSQLOutputForPeople(t *testing.T) {
	wh := filepath.Join(t.TempDir(), "wh")
	if code, _, errs := pqi("ingest", "--in", "../../testdata/csv-edge/exports", "--warehouse", wh); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	q := "SELECT partner_name, region, 85.37535964529526::DOUBLE AS pqi FROM partners WHERE partner_id IN ('U01', 'U02', 'U03', 'U04') ORDER BY partner_id"
	code, out, errs := pqi("sql", "--warehouse", wh, "--query", q)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || strings.Contains(out, "85.37535964529526") || !strings.Contains(out, "85.3754") {
		t.Fatalf("text output:\n%s", out)
	}
	// The region column starts at the same terminal column on every line.
	for i, region := range []string{"region", "EMEA", "APAC", "LATAM", "EMEA"} {
		cut := strings.Index(lines[i], "  "+region) + 2
		if w := displayWidth(lines[i][:cut]); cut < 2 || w != 22 {
			t.Errorf("line %d: %s starts at terminal column %d, want 22 (the widest name, 20, and two spaces):\n%s", i, region, w, out)
		}
	}
	for format, want := range map[string]string{
		"csv":  "partner_name,region,pqi\nZürich Daten AG,EMEA,85.37535964529526\n",
		"json": "[\n{\"partner_name\":\"Zürich Daten AG\",\"region\":\"EMEA\",\"pqi\":85.37535964529526},\n",
	} {
		_, out, _ := pqi("sql", "--warehouse", wh, "--query", q, "--format", format)
		if !strings.HasPrefix(out, want) {
			t.Errorf("--format %s:\n%s\nwant it to start\n%s", format, out, want)
		}
	}
	_, out, _ = pqi("sql", "--warehouse", wh, "--query", q, "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 4 || rows[1]["partner_name"] != "東京システム株式会社" {
		t.Errorf("--format json is not the rows: %v\n%s", err, out)
	}
	_, list, _ := pqi("sql", "--warehouse", wh, "--list")
	for _, want := range []string{"partners ", " table ", "Partners in the program", "mart_latest_scorecard ", " view "} {
		if !strings.Contains(list, want) {
			t.Errorf("--list lacks %q:\n%s", want, list)
		}
	}
	_, desc, _ := pqi("sql", "--warehouse", wh, "--describe", "partners")
	if !strings.HasPrefix(desc, "partners (table): Partners in the program") || !strings.Contains(desc, "partner_name") || !strings.Contains(desc, "Partner's name, any Unicode.") {
		t.Errorf("--describe partners:\n%s", desc)
	}
	if code, _, errs := pqi("sql", "--warehouse", wh, "--describe", "partner"); code != 2 || !strings.Contains(errs, "did you mean partners?") {
		t.Errorf("--describe of a typo: exit %d: %s", code, errs)
	}
}

func TestHumanFloat(t *testing.T) {
	for f, want := range map[float64]string{
		85.37535964529526: "85.3754", 3: "3", -2.5: "-2.5", 1234567.891: "1234567.89", 0.123456789: "0.123457",
		0.00123456789: "0.00123457", 0.000012345: "1.2345e-05", 1e16: "1e+16", 0.1 + 0.2: "0.3",
	} {
		if got := humanFloat(f); got != want {
			t.Errorf("humanFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
