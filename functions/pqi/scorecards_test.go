package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestScorecardsShowOnlyThePartnersOwn writes every partner's scorecard
// of a generated ecosystem twice: each names its own partner and no
// other (no other name, no other id), and the second run writes the same
// bytes.
func TestScorecardsShowOnlyThePartnersOwn(t *testing.T) {
	dir := t.TempDir()
	exports, wh := filepath.Join(dir, "exports"), filepath.Join(dir, "wh")
	if code, out, errs := pqi("--log-level", "error", "gen", "--out", exports, "--partners", "60", "--quarters", "8"); code != 0 {
		t.Fatalf("gen: %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := pqi("--log-level", "error", "run", "--in", exports, "--warehouse", wh, "--as-of", "2026-09-30", "--quarters", "2",
		"--report", filepath.Join(dir, "board.pdf")); code != 0 {
		t.Fatalf("run: %d\n%s\n%s", code, out, errs)
	}
	write := func(out string) {
		code, stdout, errs := pqi("--log-level", "error", "scorecards", "--warehouse", wh, "--as-of", "2026-09-30", "--out", out, "--workers", "3")
		if code != 0 || !strings.Contains(stdout, "Scorecards for 2026-Q3: ") {
			t.Fatalf("scorecards: %d\n%s\n%s", code, stdout, errs)
		}
	}
	first, second := filepath.Join(dir, "cards1"), filepath.Join(dir, "cards2")
	write(first)
	write(second)
	partners := sqlRows(t, wh, "SELECT partner_id, partner_name FROM partners WHERE as_of_date = DATE '2026-09-30' ORDER BY 1")
	if len(partners) < 50 {
		t.Fatalf("%d partners", len(partners))
	}
	idPattern := regexp.MustCompile(`\bP\d{5}\b`)
	for _, p := range partners {
		id, name := p[0], p[1]
		rel := filepath.Join(id, "scorecard-2026-Q3.pdf")
		a, err := os.ReadFile(filepath.Join(first, rel))
		if err != nil {
			t.Fatalf("partner %s has no scorecard: %v", id, err)
		}
		b, _ := os.ReadFile(filepath.Join(second, rel))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the scorecard differs between two runs", id)
		}
		raw, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", filepath.Join(first, rel), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(raw)), " ")
		if !strings.Contains(text, name+" ("+id+")") {
			t.Errorf("%s: the scorecard does not name its partner %q with its id", id, name)
		}
		for _, m := range idPattern.FindAllString(text, -1) {
			if m != id {
				t.Errorf("%s: the scorecard shows another partner's id %s", id, m)
			}
		}
		for _, o := range partners {
			if o[0] != id && o[1] != name && !strings.Contains(name, o[1]) && strings.Contains(text, o[1]) {
				t.Errorf("%s: the scorecard shows another partner's name %q", id, o[1])
			}
		}
	}
}
