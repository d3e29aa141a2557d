package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerq/pqi/functions/bucket/s3test"
)

func pqi(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb, false, func() time.Time { return time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC) })
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	exports := filepath.Join(dir, "exports")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage: pqi"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"ingest", "--help"}, 0, "--warehouse"},
		{[]string{"score", "--help"}, 0, `default: the last quarter end before today (UTC) (default "2026-09-30")`},
		{[]string{"report", "--help"}, 0, `default: the last quarter end before today (UTC) (default "2026-09-30")`},
		{[]string{"gen", "--help"}, 0, "--bad-rows"},
		{[]string{"ingest"}, 2, "--in and --warehouse are required"},
		{[]string{"qualify"}, 2, "--file is required"},
		{[]string{"qualify", "--file", filepath.Join(dir, "none.csv")}, 2, "--file"},
		{[]string{"qualify", "--file", "../../testdata/qualify/applications.csv"}, 0, "APP-101    Northwind Integration GmbH  2026-08-12  j.alvarez  38/42  tier1_candidate"},
		{[]string{"ingest", "--in", dir, "--warehouse", dir, "--as-of", "30/09/2026"}, 2, "--as-of"},
		{[]string{"gen", "--out", exports, "--partners", "30", "--quarters", "4", "--bad-rows", "0.02"}, 0, "Generated 30 partners"},
		{[]string{"ingest", "--in", exports, "--warehouse", filepath.Join(dir, "wh")}, 0, "quarantined"},
		{[]string{"ingest", "--in", filepath.Join(dir, "missing"), "--warehouse", filepath.Join(dir, "wh")}, 2, "is not a directory"},
		{[]string{"runs", "--warehouse", filepath.Join(dir, "wh")}, 0, "succeeded"},
		{[]string{"report", "--warehouse", filepath.Join(dir, "wh")}, 2, "--warehouse and --out are required"},
		{[]string{"report", "--warehouse", filepath.Join(dir, "wh"), "--out", filepath.Join(dir, "b.pdf"), "--page-size", "a5"}, 2, "a4 or letter"},
		{[]string{"report", "--warehouse", filepath.Join(dir, "wh"), "--out", filepath.Join(dir, "b.pdf")}, 1, "run pqi score --as-of 2026-09-30 first"},
		{[]string{"score", "--warehouse", filepath.Join(dir, "wh")}, 0, "Scored 30 partners"},
		{[]string{"report", "--warehouse", filepath.Join(dir, "wh"), "--out", filepath.Join(dir, "b.pdf"), "--page-size", "letter"}, 0, "b.pdf"},
	} {
		code, out, errs := pqi(c.args...)
		if code != c.code || !strings.Contains(out+errs, c.want) {
			t.Errorf("pqi %s: exit %d, want %d with %q\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), code, c.code, c.want, out, errs)
		}
	}
}

func TestQualifyRejectsExitOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "apps.csv")
	os.WriteFile(path, []byte("applicant_id,market_alignment\nA1,3\nA2,yes\n"), 0o644)
	code, out, errs := pqi("qualify", "--file", path)
	if code != 1 || !strings.Contains(out, "row 3, column market_alignment") || !strings.Contains(errs, "1 of 2 applications") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

func TestBadExportExitsOne(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "partners.csv"), []byte("partner_id,partner_name,joined_date\nP1,\xff\xfe,2020-01-01\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "deals.csv"), []byte("deal_id\n"), 0o644)
	code, _, errs := pqi("ingest", "--in", dir, "--warehouse", filepath.Join(dir, "wh"))
	if code != 1 || !strings.Contains(errs, "partners.csv") || !strings.Contains(errs, "UTF-8") || !strings.Contains(errs, "fix:") {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
}

func TestJSONLogs(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := pqi("--log-format", "json", "demo", "--dir", dir, "--partners", "20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if report := filepath.Join(dir, "board-report-2026-Q3.pdf"); !strings.Contains(out, report) {
		t.Errorf("demo does not end with the report's path %s:\n%s", report, out)
	} else if b, err := os.ReadFile(report); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("demo's report: %v", err)
	}
	first := strings.SplitN(errs, "\n", 2)[0]
	if !strings.HasPrefix(first, `{"time":`) {
		t.Fatalf("log line is not JSON: %s", first)
	}
}

// pqi ingest reads an S3 prefix as it reads a folder.
func TestIngestFromS3(t *testing.T) {
	s3test.Start(t)
	c := s3test.Client(t)
	s3test.MakeBucket(t, c, "landing")
	dir := t.TempDir()
	if code, _, errs := pqi("gen", "--out", filepath.Join(dir, "exports"), "--partners", "25", "--quarters", "4", "--as-of", "2026-09-30"); code != 0 {
		t.Fatal(errs)
	}
	s3test.Upload(t, c, filepath.Join(dir, "exports"), "landing", "crm/exports")
	code, out, errs := pqi("ingest", "--in", "s3://landing/crm/exports", "--warehouse", filepath.Join(dir, "wh"), "--as-of", "2026-09-30")
	if code != 0 || !strings.Contains(out, "partners") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	local := filepath.Join(dir, "wh-local")
	_, want, _ := pqi("ingest", "--in", filepath.Join(dir, "exports"), "--warehouse", local, "--as-of", "2026-09-30")
	run := func(s string) string { // the run id line
		return strings.SplitN(s, "\n", 2)[0]
	}
	if run(out) != run(want) {
		t.Errorf("the same exports from S3 and from a folder: %q, %q", run(out), run(want))
	}
	if code, _, errs := pqi("ingest", "--in", "s3://landing", "--warehouse", filepath.Join(dir, "wh2"), "--mappings", "m"); code != 2 || !strings.Contains(errs, "mappings") {
		t.Errorf("--mappings with s3: exit %d %s", code, errs)
	}
}
