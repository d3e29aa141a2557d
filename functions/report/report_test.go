package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/ingest/ingesttest"
	"github.com/partnerq/pqi/functions/report"
	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

var asOf = schema.DayOf(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC))

// ecosystem is a generated export folder and a local warehouse.
type ecosystem struct {
	exports string
	wh      *local.Warehouse
	clock   time.Time
}

func generate(t *testing.T, partners int) *ecosystem {
	t.Helper()
	dir := t.TempDir()
	e := &ecosystem{exports: filepath.Join(dir, "exports"), clock: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	_, err := gen.Run(context.Background(), gen.Config{Partners: partners, Seed: 7, Quarters: 8, AsOf: asOf.Time(),
		DealsPerPartner: 40, BadRows: 0.01, Out: e.exports, TruthDir: filepath.Join(dir, "truth")})
	if err != nil {
		t.Fatal(err)
	}
	if e.wh, err = local.Open(filepath.Join(dir, "wh"), memory.NewGoAllocator()); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *ecosystem) now() time.Time { e.clock = e.clock.Add(time.Second); return e.clock }

// load ingests and scores the exports as they are now.
func (e *ecosystem) load(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, err := ingest.Run(ctx, ingest.Config{AsOf: asOf, Exports: os.DirFS(e.exports), ExportsName: e.exports, CodeVersion: "test"},
		ingest.Deps{Deps: warehouse.Deps{Warehouse: e.wh, Alloc: memory.NewGoAllocator(), Now: e.now}}); err != nil {
		t.Fatal(err)
	}
	s, err := settings.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := score.Run(ctx, score.NewConfig(asOf, s, "test"), score.Deps{Warehouse: e.wh, Now: e.now}); err != nil {
		t.Fatal(err)
	}
}

// render writes the report and returns the PDF.
func (e *ecosystem) render(t *testing.T, size pdf.Size) []byte {
	t.Helper()
	s, err := settings.Default()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	sum, err := report.Run(context.Background(), report.Config{AsOf: asOf, Company: "Acme Partners GmbH", PageSize: size, Settings: &s, CodeVersion: "test"},
		report.Deps{Deps: warehouse.Deps{Warehouse: e.wh, Alloc: alloc, Now: e.now}, Output: &b})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Bytes != b.Len() || !strings.HasPrefix(sum.RunID, "rep-") {
		t.Errorf("summary says %d bytes, run %q; wrote %d", sum.Bytes, sum.RunID, b.Len())
	}
	return b.Bytes()
}

// tool runs a poppler or qpdf command on the PDF (args, then the file,
// then after) and returns its output.
func tool(t *testing.T, name string, pdfBytes []byte, args []string, after ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is not installed (apt-get install poppler-utils qpdf; .ci/run installs them): %v", name, err)
	}
	f := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(f, pdfBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(name, append(append(args, f), after...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// pdfText is the PDF's text as pdftotext extracts it keeping the layout
// (a table row stays on its line), with every run of spaces made one.
func pdfText(t *testing.T, b []byte) string {
	var lines []string
	for _, l := range strings.Split(tool(t, "pdftotext", b, []string{"-layout", "-enc", "UTF-8"}, "-"), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	return strings.Join(lines, "\n")
}

func rows(t *testing.T, w warehouse.Warehouse, table string) []map[string]string {
	return ingesttest.Rows(t, w, table, asOf)
}

// unicodeNames are partner names the report must print exactly.
var unicodeNames = []string{"Zürich Daten AG", "São Paulo Integradores", "Ελληνικά Συστήματα", "東京システム"}

// rename gives the partners ids the names in partners.csv.
func rename(t *testing.T, exports string, names map[string]string) {
	t.Helper()
	path := filepath.Join(exports, "partners.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	id, name := -1, -1
	for i, h := range recs[0] {
		switch h {
		case schema.PartnerID:
			id = i
		case schema.PartnerName:
			name = i
		}
	}
	done := 0
	for _, rec := range recs[1:] {
		if id < len(rec) && name < len(rec) {
			if n, ok := names[rec[id]]; ok {
				rec[name] = n
				done++
			}
		}
	}
	if done != len(names) {
		t.Fatalf("renamed %d of %d partners", done, len(names))
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// top are the scored partners in overall rank order.
func top(t *testing.T, w warehouse.Warehouse) []map[string]string {
	var out []map[string]string
	for _, r := range rows(t, w, schema.PartnerQuality) {
		if r[schema.EvidenceStatus] == schema.EvidenceScored.String() {
			out = append(out, r)
		}
	}
	rank := func(r map[string]string) int { n, _ := strconv.Atoi(r[schema.OverallRank]); return n }
	sort.Slice(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

// dollars writes an amount as the report does, for amounts of $1M and up.
func dollars(v float64) string {
	if v >= 1e9 {
		return fmt.Sprintf("$%.1fB", v/1e9)
	}
	return fmt.Sprintf("$%.1fM", v/1e6)
}

// TestBoardReport scores a generated ecosystem whose leading partners
// have names in four scripts and checks the report against the tables
// it was read from.
func TestBoardReport(t *testing.T) {
	e := generate(t, 300)
	e.load(t)
	names := map[string]string{}
	for i, r := range top(t, e.wh)[:len(unicodeNames)] {
		names[r[schema.PartnerID]] = unicodeNames[i]
	}
	rename(t, e.exports, names)
	e.load(t) // names do not change a score
	b := e.render(t, pdf.A4)
	text := pdfText(t, b)
	for _, s := range board.Sections[1:] { // the cover has no title, only an outline entry
		if !strings.Contains(text, s) {
			t.Errorf("no section %q in the text", s)
		}
	}
	for _, n := range unicodeNames {
		if !strings.Contains(text, n) {
			t.Errorf("partner name %q is not printed as written", n)
		}
	}
	// The league table equals partner_quality.
	ranked := top(t, e.wh)
	for _, r := range ranked[:10] {
		want := fmt.Sprintf("%.1f %.1f–%.1f", num(t, r[schema.PQI]), num(t, r[schema.PQILow]), num(t, r[schema.PQIHigh]))
		if !strings.Contains(text, want) {
			t.Errorf("top ten: PQI and interval %q of %s not in the report", want, r[schema.PartnerID])
		}
	}
	var pqis []float64
	for _, r := range ranked {
		pqis = append(pqis, num(t, r[schema.PQI]))
	}
	sort.Float64s(pqis)
	med := (pqis[(len(pqis)-1)/2] + pqis[len(pqis)/2]) / 2
	if want := fmt.Sprintf("median %.1f", med); !strings.Contains(text, want) {
		t.Errorf("the histogram does not mark the %s of partner_quality", want)
	}
	all := rows(t, e.wh, schema.PartnerQuality)
	if want := fmt.Sprintf("%d of %d partners (%.0f%%) have enough evidence", len(ranked), len(all), 100*float64(len(ranked))/float64(len(all))); !strings.Contains(text, want) {
		t.Errorf("no %q", want)
	}
	flags := rows(t, e.wh, schema.Interventions)
	flagged := map[string]bool{}
	for _, r := range flags {
		flagged[r[schema.PartnerID]] = true
	}
	if want := fmt.Sprintf("%d partners are flagged, with %d flags between them", len(flagged), len(flags)); !strings.Contains(text, want) {
		t.Errorf("no %q", want)
	}
	// The healthy-target table counts partner_quality's results.
	checked, met := 0, 0
	for _, r := range all {
		switch r[schema.ComponentColumn(schema.CompWinRate, schema.SufTargetMet)] {
		case "met":
			checked, met = checked+1, met+1
		case "missed":
			checked++
		}
	}
	if want := regexp.MustCompile(fmt.Sprintf(`win rate +over 25%% +%d +%d \(%.0f%%\)`, checked, met, 100*float64(met)/float64(checked))); checked == 0 || !want.MatchString(text) {
		t.Errorf("the healthy targets table lacks win rate: %d checked, %d met (%s)", checked, met, want)
	}
	// The finance roll-up equals segment_roi over the window.
	for _, r := range rows(t, e.wh, schema.SegmentROI) {
		if r[schema.Quarter] != schema.WindowQuarter {
			continue
		}
		won, pipe, commission := num(t, r[schema.WonRevenueUSD]), num(t, r[schema.PipelineCreatedUSD]), num(t, r[schema.CostCommissionUSD])
		if r[schema.CommissionBasis] != "exported" {
			t.Errorf("segment %s: commission %s, want the generator's commission rows exported", r[schema.TailSegment], r[schema.CommissionBasis])
		}
		for _, v := range []float64{won, pipe, commission} {
			if v >= 1e6 && !strings.Contains(text, dollars(v)) {
				t.Errorf("segment %s: %s not in the finance table", r[schema.TailSegment], dollars(v))
			}
		}
	}
	// Document metadata and structure.
	info := tool(t, "pdfinfo", b, nil)
	for _, want := range []string{"Title:           Acme Partners GmbH partner quality board report 2026-Q3", "Author:          Acme Partners GmbH",
		"Subject:         Partner Quality Index", "Keywords:        partner quality, PQI, board report, 2026-Q3", "Creator:         pqi test",
		"CreationDate:    Wed Sep 30 00:00:00 2026 UTC", "Page size:       595.28 x 841.89 pts (A4)"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	pages := pageCount(t, info)
	if !strings.Contains(text, fmt.Sprintf("Page %d of %d", pages, pages)) {
		t.Errorf("no \"Page %d of %d\" footer", pages, pages)
	}
	tool(t, "qpdf", b, []string{"--check"})
	// Every section is an outline entry, in order, on its own page.
	var doc struct {
		Outlines []struct {
			Title string `json:"title"`
			Page  int    `json:"destpageposfrom1"`
		} `json:"outlines"`
	}
	if err := json.Unmarshal([]byte(tool(t, "qpdf", b, []string{"--json", "--json-key=outlines"})), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Outlines) != len(board.Sections) {
		t.Fatalf("outline %+v, want the sections %v", doc.Outlines, board.Sections)
	}
	for i, o := range doc.Outlines {
		if o.Title != board.Sections[i] || (i > 0 && o.Page <= doc.Outlines[i-1].Page) {
			t.Errorf("outline entry %d: %q on page %d, want %q on a page of its own", i, o.Title, o.Page, board.Sections[i])
		}
	}
	// The body stays a board pack's length; the decisions appendix grows
	// with the decisions it lists, and the pages after it do not.
	decided := 0
	for _, r := range all {
		if r[schema.TierRecommendation] != schema.RecHold.String() {
			decided++
		}
	}
	appendix := 0
	for i, o := range doc.Outlines {
		if o.Title == "Decisions to approve" {
			appendix = doc.Outlines[i+1].Page - o.Page
			if body := o.Page - 1; body < len(board.Sections)-3 || body > 20 {
				t.Errorf("%d pages before the decisions appendix, want %d to 20", body, len(board.Sections)-3)
			}
		}
	}
	if appendix < 1 || appendix > 1+decided/10 || pages-appendix > 24 {
		t.Errorf("%d pages, %d of them listing %d decisions", pages, appendix, decided)
	}
	// Deterministic: the same tables give the same bytes.
	if again := e.render(t, pdf.A4); !bytes.Equal(b, again) {
		t.Error("rendering the same tables twice gave different PDFs")
	}
	letter := tool(t, "pdfinfo", e.render(t, pdf.Letter), nil)
	if !strings.Contains(letter, "612 x 792 pts (letter)") {
		t.Errorf("Letter report: %s", letter)
	}
}

func pageCount(t *testing.T, info string) int {
	for _, l := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no page count in %s", info)
	return 0
}

// An ecosystem without CSAT and cost exports still reports, and the
// report says what that leaves unmeasured.
func TestBoardReportWithoutCSATAndCost(t *testing.T) {
	e := generate(t, 150)
	for _, f := range []string{"csat.csv", "cost_to_serve.csv"} {
		if err := os.Remove(filepath.Join(e.exports, f)); err != nil {
			t.Fatal(err)
		}
	}
	e.load(t)
	b := e.render(t, pdf.A4)
	text := strings.ReplaceAll(pdfText(t, b), "\n", " ")
	for _, want := range []string{
		"csat not exported", "cost to serve not exported",
		"CSAT no export no csat export was scored",
		"Not measured this quarter, so not in any score: CSAT (no export)",
		"Cost to serve was not measured: no cost-to-serve export was scored",
		"head: not measured, because cost to serve was not exported.",
		"No commission was exported and no commission rates are configured",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	if strings.Contains(text, "NaN") {
		t.Error("a NaN is printed")
	}
	tool(t, "qpdf", b, []string{"--check"})
}

// The report of a warehouse with no scores is an error that says what to
// run, and writes nothing.
func TestBoardReportNeedsScores(t *testing.T) {
	e := generate(t, 20)
	var b bytes.Buffer
	s, _ := settings.Default()
	_, err := report.Run(context.Background(), report.Config{AsOf: asOf, Settings: &s, PageSize: pdf.A4},
		report.Deps{Deps: warehouse.Deps{Warehouse: e.wh}, Output: &b})
	if err == nil || !strings.Contains(err.Error(), "run pqi score") || b.Len() != 0 {
		t.Errorf("err %v, wrote %d bytes", err, b.Len())
	}
	// a configuration other than the scores' is refused
	e.load(t)
	s.Quality.Evidence.MinClosedDeals++
	_, err = report.Run(context.Background(), report.Config{AsOf: asOf, Settings: &s, PageSize: pdf.A4},
		report.Deps{Deps: warehouse.Deps{Warehouse: e.wh}, Output: &b})
	if err == nil || !strings.Contains(err.Error(), "pass the --config the score run used") || b.Len() != 0 {
		t.Errorf("other configuration: err %v, wrote %d bytes", err, b.Len())
	}
}

// The report reads the configuration the score run used from its run
// record: given none, a report of scores computed with a custom
// configuration shows that configuration's settings, and checks its digest.
func TestBoardReportReadsTheConfigurationTheScoreRunUsed(t *testing.T) {
	e := generate(t, 30)
	ctx := context.Background()
	if _, err := ingest.Run(ctx, ingest.Config{AsOf: asOf, Exports: os.DirFS(e.exports), ExportsName: e.exports, CodeVersion: "test"},
		ingest.Deps{Deps: warehouse.Deps{Warehouse: e.wh, Alloc: memory.NewGoAllocator(), Now: e.now}}); err != nil {
		t.Fatal(err)
	}
	custom, err := settings.Parse([]byte("interval_level: 0.8\nevidence:\n  min_closed_deals: 7\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := score.Run(ctx, score.NewConfig(asOf, custom, "test"), score.Deps{Warehouse: e.wh, Now: e.now}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	sum, err := report.Run(ctx, report.Config{AsOf: asOf, PageSize: pdf.A4}, report.Deps{Deps: warehouse.Deps{Warehouse: e.wh, Now: e.now}, Output: &b})
	if err != nil {
		t.Fatalf("a report given no configuration: %v", err)
	}
	text := pdfText(t, b.Bytes())
	for _, want := range []string{"80% interval", "7, weighted by age"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not show the score run's setting %q", want)
		}
	}
	runs, err := warehouse.ReadRuns(ctx, e.wh, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.RunID == sum.RunID && r.ConfigDigest != custom.Digest() {
			t.Errorf("the report run records digest %s, the scores were computed with %s", r.ConfigDigest, custom.Digest())
		}
	}
	def, _ := settings.Default()
	if _, err := report.Run(ctx, report.Config{AsOf: asOf, Settings: &def, PageSize: pdf.A4}, report.Deps{Deps: warehouse.Deps{Warehouse: e.wh}, Output: &b}); err == nil ||
		!strings.Contains(err.Error(), "not the one given") {
		t.Errorf("a report given another configuration than the scores': %v", err)
	}
}
