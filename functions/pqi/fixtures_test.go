package main

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/ingest/ingesttest"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

var update = flag.Bool("update", false, "rewrite the fixtures' expected summaries (and the crm-only board report)")

// fixture runs `pqi run` on one committed export case and compares what it
// prints with testdata/<case>/expected/summary.txt (-update rewrites it).
// It returns the warehouse for further checks.
func fixture(t *testing.T, name string, args ...string) warehouse.Warehouse {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", name)
	wh := t.TempDir()
	pdfPath := filepath.Join(t.TempDir(), "board.pdf")
	cmd := append([]string{"run", "--in", filepath.Join(dir, "exports"), "--warehouse", wh, "--as-of", "2026-09-30", "--report", pdfPath}, args...)
	code, out, errs := pqi(append([]string{"--log-level", "error"}, cmd...)...)
	if code != 0 {
		t.Fatalf("pqi %s: exit %d\n%s\n%s", strings.Join(cmd, " "), code, out, errs)
	}
	abs, _ := filepath.Abs(wh)
	got := strings.ReplaceAll(strings.ReplaceAll(out, abs, "<warehouse>"), pdfPath, "<report>")
	checkGoldenPDF(t, pdfPath, filepath.Join(dir, "expected", "board.pdf"))
	checkGolden(t, filepath.Join(dir, "expected", "summary.txt"), got, "pqi "+strings.Join(cmd, " ")+" prints")
	w, err := local.Open(wh, memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// checkGoldenPDF compares the report with the case's golden PDF, byte for
// byte, when the case has one (-update rewrites it): the same exports and
// configuration give the same PDF.
func checkGoldenPDF(t *testing.T, got, golden string) {
	t.Helper()
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if *update && strings.Contains(golden, "crm-only") {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("the board report differs from %s (%d bytes, want %d); look at both, then -update if the change is meant", golden, len(b), len(want))
	}
}

// checkGolden compares got with the golden file (-update rewrites it);
// what names what was compared, for the failure.
func checkGolden(t *testing.T, golden, got, what string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./functions/pqi -run %s -update)", err, strings.Split(t.Name(), "/")[0])
	}
	if got != string(want) {
		t.Errorf("%s, against %s:\n%s", what, golden, diffLines(string(want), got))
	}
}

// diffLines lists the lines that differ, for a readable failure.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("- " + wl + "\n+ " + gl + "\n")
		}
	}
	return b.String()
}

func rows(t *testing.T, w warehouse.Warehouse, table string) []map[string]string {
	asOf, _ := schema.ParseDay("2026-09-30")
	return ingesttest.Rows(t, w, table, asOf)
}

// The README's own example: a CRM export with mappings inside it, no CSAT,
// churn or cost file, scores end to end.
func TestFixtureCRM(t *testing.T) {
	w := fixture(t, "crm")
	if n := len(rows(t, w, schema.PartnerQuality)); n != 4 {
		t.Errorf("%d partners scored, want 4", n)
	}
}

// A CRM-only export: reps as partners without joined dates, amounts zeroed
// on lost deals, one product spelled two ways, one report feeding deals
// and deal_partners, mappings outside the export folder. The zeroed
// amount is dropped from the win-rate adjustment (and said so), and the
// PQIs spread away from 50 in the order of the reps' win rates.
func TestFixtureCRMOnly(t *testing.T) {
	w := fixture(t, "crm-only", "--mappings", filepath.Join("..", "..", "testdata", "crm-only", "mappings"))
	pq := rows(t, w, schema.PartnerQuality)
	var pqi, win []float64
	for _, r := range pq {
		if r[schema.EvidenceStatus] != schema.EvidenceScored.String() {
			continue
		}
		p, _ := strconv.ParseFloat(r[schema.PQI], 64)
		wr, _ := strconv.ParseFloat(r[schema.ComponentColumn(schema.CompWinRate, schema.SufObserved)], 64)
		pqi, win = append(pqi, p), append(win, wr)
	}
	if len(pqi) < 20 {
		t.Fatalf("%d of %d reps scored", len(pqi), len(pq))
	}
	var far int
	for _, p := range pqi {
		if math.Abs(p-50) > 10 {
			far++
		}
	}
	if far < len(pqi)/2 {
		t.Errorf("only %d of %d PQIs are more than 10 points from 50: the zeroed amounts still explain the wins away", far, len(pqi))
	}
	if rho := arrowtest.Spearman(pqi, win); rho < 0.9 {
		t.Errorf("Spearman(PQI, win rate) = %.3f over %d reps, want >= 0.9", rho, len(pqi))
	}
	for _, r := range rows(t, w, schema.Partners) {
		if r[schema.JoinedDateSource] != schema.JoinedFromFirstDeal.String() || r[schema.JoinedDate] == "" {
			t.Errorf("rep %s: joined %q from %q, want derived from the first deal", r[schema.PartnerID], r[schema.JoinedDate], r[schema.JoinedDateSource])
		}
	}
	priced := 0
	for _, r := range rows(t, w, schema.Deals) {
		if r[schema.Status] == "open" && r[schema.AmountUSD] != "" {
			priced++
		}
	}
	if priced == 0 {
		t.Error("no open deal took its product's list price from the lookup")
	}
}

// A marketplace export of order line items: the grain makes one deal per
// order (prices summed) and one deal partner per order and seller.
func TestFixtureMarketplace(t *testing.T) {
	w := fixture(t, "marketplace", "--mappings", filepath.Join("..", "..", "testdata", "marketplace", "mappings"))
	deals := rows(t, w, schema.Deals)
	lines := 0
	for _, d := range deals {
		n, _ := strconv.Atoi(d[schema.SourceLines])
		lines += n
	}
	orders, err := os.ReadFile(filepath.Join("..", "..", "testdata", "marketplace", "exports", "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Count(string(orders), "\n") - 1; len(deals) != want || lines != 986 {
		t.Errorf("%d deals from %d lines, want %d orders from 986 lines", len(deals), lines, want)
	}
}
