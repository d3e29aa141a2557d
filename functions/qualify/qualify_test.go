package qualify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

func rubric(t *testing.T) quality.Rubric {
	t.Helper()
	cfg, err := quality.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Intake
}

// The committed example, totals computed by hand from the common rubric
// (weights market_alignment 3, technical_capability 3, positioning 2, lead
// quality 2, portfolio fit 1, customer success 2, reach 1).
func TestCommittedExample(t *testing.T) {
	res, err := File("../../testdata/qualify/applications.csv", rubric(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id      string
		band    schema.IntakeBand
		total   int
		missing string
	}{
		{"APP-101", schema.BandTier1, 3*3 + 3*3 + 2*2 + 3*2 + 2*1 + 3*2 + 2*1, ""},             // 38
		{"APP-102", schema.BandProbationary, 2*3 + 2*3 + 2*2 + 2*2 + 1*1 + 1*2 + 1*1, ""},      // 24
		{"APP-103", schema.BandDecline, 1*3 + 1*3 + 1*2 + 1*2 + 2*1 + 1*2 + 1*1, ""},           // 15
		{"APP-104", schema.BandIncomplete, 3*3 + 2*3 + 3*2 + 2*2 + 2*2 + 1*1, "portfolio_fit"}, // 30
	}
	if len(res.Applications) != len(want) || len(res.Rejected) != 0 {
		t.Fatalf("%d applications, %d rejected (%v); want %d, 0", len(res.Applications), len(res.Rejected), res.Rejected, len(want))
	}
	for i, w := range want {
		a := res.Applications[i]
		if a.ID != w.id || a.Result.Total != w.total || a.Result.Band != w.band || a.Result.Max != 42 || strings.Join(a.Result.Missing, ",") != w.missing {
			t.Errorf("%s: total %d/%d band %s missing %v; want %s %d/42 %s missing %q", a.ID, a.Result.Total, a.Result.Max, a.Result.Band,
				a.Result.Missing, w.id, w.total, w.band, w.missing)
		}
	}
	if got := res.Applications[0].Evidence[0]; got != "80% of pipeline in our ICP verticals" {
		t.Errorf("evidence note %q", got)
	}
	if strings.Join(res.Ignored, ",") != "timestamp" {
		t.Errorf("ignored columns %v, want the form's timestamp", res.Ignored)
	}
	// "2 - adequate" is a form's label for 2
	if p := res.Applications[1].Result.Points[2]; p != 4 {
		t.Errorf("positioning_discipline \"2 - adequate\" gave %d points, want 4", p)
	}
}

// Bad rows are rejected with their row and column, and nothing is lost:
// every data row is either scored or rejected.
func TestRejectedRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "apps.csv")
	body := "\ufeffApplicant_ID,applicant_name,assessed_date,market_alignment,technical_capability\n" +
		"A1,Good,2026-09-01,3,3\n" +
		"A2,Bad score,2026-09-01,high,3\n" +
		"A3,Out of range,2026-09-01,3,4\n" +
		"A1,Duplicate,2026-09-01,1,1\n" +
		",No id,2026-09-01,1,1\n" +
		"A6,Bad date,31/09/2026,1,1\n" +
		"\n" +
		"A7,Half a point,2026-09-01,2.5,1\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := File(path, rubric(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applications)+len(res.Rejected) != 7 {
		t.Fatalf("%d scored + %d rejected, want 7 rows accounted for", len(res.Applications), len(res.Rejected))
	}
	want := []string{
		`row 3, column market_alignment: "high" is not a score`,
		`row 4, column technical_capability: "4" is not a score`,
		`row 5, column applicant_id: "A1" is also on row 2`,
		`row 6, column applicant_id: empty`,
		`row 7, column assessed_date: "31/09/2026"`,
		`row 9, column market_alignment: "2.5" is not a score`,
	}
	for i, w := range want {
		if i >= len(res.Rejected) || !strings.HasPrefix(res.Rejected[i].String(), w) {
			t.Errorf("rejection %d: %v, want it to start %q", i, res.Rejected, w)
		}
	}
	a := res.Applications[0]
	if a.Result.Total != 18 || a.Result.Band != schema.BandIncomplete || len(res.Absent) != 5 {
		t.Errorf("A1: %+v, absent %v; want 18 points, incomplete, 5 criteria with no column", a.Result, res.Absent)
	}
}

func TestBadHeader(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"empty":     "",
		"no id":     "name,market_alignment\nX,3\n",
		"duplicate": "applicant_id,market_alignment,Market_Alignment\nX,3,2\n",
		"xlsx":      "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".csv")
		os.WriteFile(path, []byte(body), 0o644)
		if _, err := File(path, rubric(t)); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming the file", name, err)
		}
	}
}

// The applications file is read as every export is (sources.CSVRecords):
// a quote inside an unquoted note is part of the note, as a spreadsheet
// writes it, and a workbook saved under a .csv name is refused saying so.
func TestReadLikeExports(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "apps.csv")
	body := "applicant_id,market_alignment,market_alignment_evidence\nA1,3,team of 12 incl. a 6'4\" ex-SE\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := File(path, rubric(t))
	if err != nil || len(res.Applications) != 1 {
		t.Fatalf("%v, %+v; want one application", err, res)
	}
	if got := res.Applications[0].Evidence[0]; got != `team of 12 incl. a 6'4" ex-SE` {
		t.Errorf("evidence %q, want the note with its quote", got)
	}
	xlsx := filepath.Join(dir, "book.csv")
	os.WriteFile(xlsx, []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"), 0o644)
	if _, err := File(xlsx, rubric(t)); err == nil || !strings.Contains(err.Error(), "fix:") {
		t.Errorf("a workbook named .csv: %v, want an error saying what it is and the fix", err)
	}
}
