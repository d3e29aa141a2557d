package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

var asOf, _ = schema.ParseDay("2026-09-30")

// generate writes a small synthetic ecosystem and returns its export dir
// and truth dir.
func generate(t *testing.T, seed uint64, bad float64) (string, string) {
	t.Helper()
	dir := t.TempDir()
	out, truth := filepath.Join(dir, "exports"), filepath.Join(dir, "truth")
	_, err := gen.Run(context.Background(), gen.Config{
		Partners: 80, Seed: seed, Quarters: 4, AsOf: asOf.Time(), DealsPerPartner: 12,
		BadRows: bad, Format: "csv", Out: out, TruthDir: truth,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, truth
}

type fixture struct {
	clock time.Time
	alloc *memory.CheckedAllocator
	wh    *local.Warehouse
	root  string
}

func newFixture(t *testing.T, opts local.Options) *fixture {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	root := filepath.Join(t.TempDir(), "wh")
	wh, err := local.OpenWith(root, alloc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{alloc: alloc, wh: wh, root: root, clock: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
}

func (f *fixture) ingest(dir string) (Summary, error) {
	return Run(context.Background(), Config{AsOf: asOf, Exports: os.DirFS(dir), ExportsName: dir, CodeVersion: "test", BatchRows: 100},
		Deps{Deps: warehouse.Deps{Warehouse: f.wh, Alloc: f.alloc, Now: func() time.Time { f.clock = f.clock.Add(time.Second); return f.clock }}})
}

// rows reads a whole table partition as string maps.
func (f *fixture) rows(t *testing.T, table string) []map[string]string {
	t.Helper()
	rr, err := f.wh.Read(context.Background(), table, asOf)
	if err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	defer rr.Release()
	var out []map[string]string
	for rr.Next() {
		rec := rr.Record()
		for r := 0; r < int(rec.NumRows()); r++ {
			m := map[string]string{}
			for c := 0; c < int(rec.NumCols()); c++ {
				col := rec.Column(c)
				if col.IsNull(r) {
					continue
				}
				m[rec.ColumnName(c)] = col.ValueStr(r)
			}
			out = append(out, m)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableHashes fingerprints every published data file (runs excluded: it
// is the append-only log of attempts).
func tableHashes(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && (rel == "runs" || strings.HasPrefix(rel, "_")) {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := sha256.Sum256(b)
		out[rel] = hex.EncodeToString(s[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func csvRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestEveryRowIsLoadedOrQuarantined(t *testing.T) {
	exports, truth := generate(t, 7, 0.03)
	f := newFixture(t, local.Options{})
	sum, err := f.ingest(exports)
	if err != nil {
		t.Fatal(err)
	}
	quarantined := f.rows(t, schema.Quarantine)
	perSource := map[string]int64{}
	for _, q := range quarantined {
		perSource[q[schema.Source]]++
	}
	if len(sum.Sources) != len(schema.InputOrder) {
		t.Fatalf("summary has %d sources, want %d", len(sum.Sources), len(schema.InputOrder))
	}
	for _, s := range sum.Sources {
		lines := int64(len(csvRows(t, filepath.Join(exports, s.Source+".csv"))) - 1)
		if s.Read != lines {
			t.Errorf("%s: read %d rows, the file has %d", s.Source, s.Read, lines)
		}
		if s.Read != s.Accepted+s.Quarantined {
			t.Errorf("%s: read %d != accepted %d + quarantined %d", s.Source, s.Read, s.Accepted, s.Quarantined)
		}
		if got := int64(len(f.rows(t, s.Source))); got != s.Accepted {
			t.Errorf("%s: table holds %d rows, summary says %d accepted", s.Source, got, s.Accepted)
		}
		if perSource[s.Source] != s.Quarantined {
			t.Errorf("%s: quarantine table holds %d rows, summary says %d", s.Source, perSource[s.Source], s.Quarantined)
		}
		if s.Quarantined == 0 {
			t.Errorf("%s: no row quarantined although the generator broke 3%%", s.Source)
		}
	}

	// Every row the generator broke is in quarantine, at its file and row.
	byLoc := map[string]map[string]string{}
	for _, q := range quarantined {
		byLoc[q[schema.File]+":"+q[schema.SourceRow]] = q
	}
	bad := csvRows(t, filepath.Join(truth, "bad_rows.csv"))
	planted := map[string]bool{}
	for _, b := range bad[1:] {
		key := b[0] + ":" + b[1]
		planted[key] = true
		q, ok := byLoc[key]
		if !ok {
			t.Errorf("broken row %s (%s) was loaded, not quarantined", key, b[2])
			continue
		}
		if q[schema.Reason] == "" || q[schema.Record] == "" {
			t.Errorf("quarantine row %s lacks a reason or the original record: %v", key, q)
		}
		if want := plantedCodes[b[2]]; !strings.Contains(want, q[schema.ReasonCodeCol]) || q[schema.ReasonCodeCol] == "" {
			t.Errorf("broken row %s (%s) has reason_code %q, want %s", key, b[2], q[schema.ReasonCodeCol], want)
		}
	}
	// Anything else quarantined is a row that depends on a broken one.
	for key, q := range byLoc {
		if planted[key] {
			continue
		}
		if code := q[schema.ReasonCodeCol]; code != schema.ReasonParentQuarantined.String() && code != schema.ReasonUnknownReference.String() && code != schema.ReasonDuplicateKey.String() {
			t.Errorf("row %s quarantined (%s) but the generator did not break it: %s", key, code, q[schema.Reason])
		}
	}
}

func TestRerunIsByteIdentical(t *testing.T) {
	exports, _ := generate(t, 3, 0.01)
	f := newFixture(t, local.Options{})
	first, err := f.ingest(exports)
	if err != nil {
		t.Fatal(err)
	}
	before := tableHashes(t, f.root)
	second, err := f.ingest(exports)
	if err != nil {
		t.Fatal(err)
	}
	after := tableHashes(t, f.root)
	if first.RunID != second.RunID {
		t.Errorf("run id changed on the same inputs: %s then %s", first.RunID, second.RunID)
	}
	if len(before) < len(schema.InputOrder)+1 {
		t.Fatalf("only %d files published", len(before))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s changed on re-run", p)
		}
	}
	if len(after) != len(before) {
		t.Errorf("re-run left %d files, first run %d: a partition was duplicated", len(after), len(before))
	}
	runs, err := warehouse.AllRuns(context.Background(), f.wh)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Outcome != "succeeded" || runs[1].Outcome != "succeeded" {
		t.Fatalf("runs = %+v, want two succeeded runs", runs)
	}
	if !strings.Contains(runs[0].Inputs, `"sha256"`) || runs[0].ConfigDigest == "" {
		t.Errorf("run lacks input checksums or config digest: %+v", runs[0])
	}
}

func TestUnreadableFileFailsAndPublishesNothing(t *testing.T) {
	exports, _ := generate(t, 5, 0)
	f := newFixture(t, local.Options{})
	if _, err := f.ingest(exports); err != nil {
		t.Fatal(err)
	}
	before := tableHashes(t, f.root)

	// A new export whose deals file lost its customer_id column.
	broken := t.TempDir()
	copyDir(t, exports, broken)
	recs := csvRows(t, filepath.Join(broken, "deals.csv"))
	drop := -1
	for i, h := range recs[0] {
		if h == schema.CustomerID {
			drop = i
		}
	}
	writeCSV(t, filepath.Join(broken, "deals.csv"), recs, drop)
	_, err := f.ingest(broken)
	if err == nil {
		t.Fatal("a deals file without customer_id loaded")
	}
	for _, want := range []string{"deals.csv", `missing required column "customer_id"`, "fix:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	after := tableHashes(t, f.root)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("a failed run changed published tables")
	}
	runs, _ := warehouse.AllRuns(context.Background(), f.wh)
	if len(runs) != 2 || runs[1].Outcome != "failed" || !strings.Contains(runs[1].Error, "customer_id") {
		t.Errorf("the failed run is not recorded: %+v", runs)
	}
}

func TestCrashBeforePublishKeepsPreviousData(t *testing.T) {
	first, _ := generate(t, 11, 0)
	second, _ := generate(t, 12, 0)
	var calls int
	published := len(schema.InputOrder) + 1
	f := newFixture(t, local.Options{BeforePublish: func(table string) error {
		calls++
		if calls == published+2 { // the second run's second table
			return errors.New("injected crash")
		}
		return nil
	}})
	if _, err := f.ingest(first); err != nil {
		t.Fatal(err)
	}
	if calls != published {
		t.Fatalf("first run published %d tables, want %d (the inputs and quarantine)", calls, published)
	}
	before := tableHashes(t, f.root)
	partnersBefore := f.rows(t, schema.Partners)
	if _, err := f.ingest(second); err == nil || !strings.Contains(err.Error(), "injected crash") {
		t.Fatalf("got %v, want the injected crash", err)
	}
	// Reopen as a restarted process would, then read.
	wh, err := local.Open(f.root, f.alloc)
	if err != nil {
		t.Fatal(err)
	}
	f.wh = wh
	if after := tableHashes(t, f.root); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("tables changed after a crash before publish:\nbefore %v\nafter  %v", before, after)
	}
	if got := f.rows(t, schema.Partners); len(got) != len(partnersBefore) {
		t.Errorf("partners readable rows %d, want %d", len(got), len(partnersBefore))
	}
}

func TestCRMExportLoadsThroughMappings(t *testing.T) {
	f := newFixture(t, local.Options{})
	sum, err := f.ingest("../../testdata/crm/exports")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][3]int64{}
	for _, s := range sum.Sources {
		got[s.Source] = [3]int64{s.Read, s.Accepted, s.Quarantined}
	}
	want := map[string][3]int64{
		schema.Partners: {4, 4, 0}, schema.Deals: {5, 4, 1}, schema.DealPartners: {6, 5, 1},
		schema.CSAT: {}, schema.Churn: {}, schema.CostToServe: {}, schema.Applications: {}, schema.Decisions: {},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("read/accepted/quarantined = %v, want %v", got, want)
	}
	if fmt.Sprint(sum.Missing) != "[csat churn cost_to_serve applications decisions]" {
		t.Errorf("missing sources %v", sum.Missing)
	}
	names := map[string]string{}
	for _, p := range f.rows(t, schema.Partners) {
		names[p[schema.PartnerID]] = p[schema.PartnerName]
		if p[schema.PartnerID] == "0015g00001" && (p[schema.PartnerType] != "si" || p[schema.JoinedDate] != "2021-03-14" || p[schema.Capability] != "solution_builder") {
			t.Errorf("partner 0015g00001 mapped wrongly: %v", p)
		}
	}
	for id, want := range map[string]string{
		"0015g00001": "Zürich Daten AG", "0015g00002": "東京システム株式会社",
		"0015g00003": "GTX Pro Consulting", "0015g00004": "Αθήνα Cloud Partners",
	} {
		if names[id] != want {
			t.Errorf("partner %s name %q, want %q", id, names[id], want)
		}
	}
	deals := map[string]map[string]string{}
	for _, d := range f.rows(t, schema.Deals) {
		deals[d[schema.DealID]] = d
	}
	d1 := deals["006A000001"]
	if d1[schema.Status] != "won" || d1[schema.AmountUSD] != "125000" && d1[schema.AmountUSD] != "125000.00" || d1[schema.CreatedDate] != "2026-01-15" || d1[schema.Qualified] != "true" {
		t.Errorf("deal 006A000001 mapped wrongly: %v", d1)
	}
	if d := deals["006A000002"]; d[schema.Segment] != "mid_market" || d[schema.Status] != "lost" {
		t.Errorf("deal 006A000002 mapped wrongly: %v", d)
	}
	if d := deals["006A000003"]; d[schema.Status] != "open" {
		t.Errorf("deal 006A000003 mapped wrongly: %v", d)
	}
	q := f.rows(t, schema.Quarantine)
	sort.Slice(q, func(i, j int) bool { return q[i][schema.Source] > q[j][schema.Source] })
	if len(q) != 2 || q[0][schema.Source] != schema.Deals || q[0][schema.SourceRow] != "5" ||
		q[0][schema.ColumnName] != schema.FirstValueDate || q[0][schema.Value] != "3/1/2026" ||
		!strings.Contains(q[0][schema.Reason], "first_value_date is before closed_date") {
		t.Errorf("deal quarantine row wrong: %v", q)
	}
	if len(q) == 2 && !strings.Contains(q[1][schema.Reason], `deal_id "006A000004" was quarantined in deals`) {
		t.Errorf("deal_partners quarantine row wrong: %v", q[1])
	}
}

func TestUnicodeNamesRoundTrip(t *testing.T) {
	exports, _ := generate(t, 9, 0)
	f := newFixture(t, local.Options{})
	if _, err := f.ingest(exports); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	recs := csvRows(t, filepath.Join(exports, "partners.csv"))
	for _, r := range recs[1:] {
		want[r[0]] = r[1]
	}
	nonASCII := 0
	for _, p := range f.rows(t, schema.Partners) {
		name := p[schema.PartnerName]
		if name != want[p[schema.PartnerID]] {
			t.Errorf("partner %s: stored %q, exported %q", p[schema.PartnerID], name, want[p[schema.PartnerID]])
		}
		for _, r := range name {
			if r > 127 {
				nonASCII++
				break
			}
		}
	}
	if nonASCII == 0 {
		t.Fatal("no non-ASCII partner name in the sample: the test proves nothing")
	}
}

func TestMissingPartnersExportFails(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "deals.csv"), []byte("deal_id\n"), 0o644)
	f := newFixture(t, local.Options{})
	_, err := f.ingest(dir)
	if err == nil || !strings.Contains(err.Error(), "no partners export") {
		t.Fatalf("got %v", err)
	}
	if parts, _ := f.wh.Partitions(context.Background(), schema.Deals); len(parts) != 0 {
		t.Fatal("something was published")
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeCSV(t *testing.T, path string, recs [][]string, dropCol int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	for _, r := range recs {
		if dropCol >= 0 {
			r = append(append([]string(nil), r[:dropCol]...), r[dropCol+1:]...)
		}
		w.Write(r)
	}
	w.Flush()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// plantedCodes are the reason codes each kind of row the generator breaks
// may get (a row broken one way can also fail a reference first).
var plantedCodes = map[string]string{
	"duplicate_key": "duplicate_key", "unknown_reference": "unknown_reference", "missing_required": "missing_required",
	"unknown_enum": "unknown_enum", "unparseable_date": "not_a_date", "negative_value": "out_of_range", "out_of_range": "out_of_range",
	"future_date": "future_date", "certified_gt_total": "inconsistent_counts", "closed_date_on_open_deal": "status_date_mismatch",
	"closed_deal_without_closed_date": "status_date_mismatch", "closed_before_created": "date_order", "churn_before_start": "date_order",
	"period_not_first_of_month": "not_first_of_month",
}

// A partners export without joined dates: each partner's joined_date is
// its earliest deal's created_date (any role), recorded as first_deal; a
// partner without deals keeps none; a date the export gives is kept.
func TestJoinedDateDerivedFromFirstDeal(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"partners.csv": "partner_id,partner_name,joined_date\nPA,Alpha,\nPB,Beta,2024-05-01\nPC,Gamma,\n",
		"deals.csv": "deal_id,customer_id,created_date,closed_date,status\n" +
			"D1,C1,2026-03-10,,open\nD2,C2,2025-11-02,2026-01-05,won\nD3,C3,2026-01-20,,open\n",
		"deal_partners.csv": "deal_id,partner_id,role\nD1,PA,sourced\nD2,PA,influenced\nD3,PB,sourced\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := newFixture(t, local.Options{})
	if _, err := f.ingest(dir); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range f.rows(t, schema.Partners) {
		got[r[schema.PartnerID]] = r[schema.JoinedDate] + "/" + r[schema.JoinedDateSource]
	}
	want := map[string]string{"PA": "2025-11-02/first_deal", "PB": "2024-05-01/export", "PC": "/"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s joined %q, want %q", id, got[id], w)
		}
	}
}

// The committed edge-case set (testdata/csv-edge): a hand-made partners
// export through a mapping, one file with a byte-order mark and CRLF line
// endings, one with LF and no newline at the end. Every cell is loaded as
// a spreadsheet would show it: a line break inside a quoted cell is kept
// (CRLF stored as LF), an empty quoted cell is null like an empty one, and
// a quote inside a cell that is not quoted is part of the cell.
func TestCSVEdgeCasesLoadCellByCell(t *testing.T) {
	f := newFixture(t, local.Options{})
	sum, err := f.ingest("../../testdata/csv-edge/exports")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sum.Sources {
		if s.Source == schema.Partners && (s.Read != 13 || s.Accepted != 13) {
			t.Errorf("partners read %d, accepted %d; want 13 and 13", s.Read, s.Accepted)
		}
	}
	const null = "<null>"
	want := map[string][5]string{ // partner_id: name, region, vertical, file, row
		"E01": {"Smith, Jones & Co", "EMEA", "consulting", "partners.csv", "2"},
		"E02": {`The "Best" Partners`, "NA", `retail, "omni"-channel`, "partners.csv", "3"},
		"E03": {"Line one\nLine two", "APAC", "healthcare", "partners.csv", "4"},
		"E04": {"Line one\nLine two", "APAC", "healthcare", "partners.csv", "5"},
		"E05": {"Empty Quoted Ltd", null, null, "partners.csv", "6"},
		"E06": {`37°36'37.8"N Survey Ltd`, "EMEA", "geospatial", "partners.csv", "7"},
		"E07": {`5'11" Consulting`, "NA", `{"focus": "retail", "tags": ["a", "b"]}`, "partners.csv", "8"},
		"U01": {"Zürich Daten AG", "EMEA", "finance", "partners-lf.csv", "2"},
		"U02": {"東京システム株式会社", "APAC", "製造業", "partners-lf.csv", "3"},
		"U03": {"🚀 Rocket Partners", "LATAM", null, "partners-lf.csv", "4"},
		"U04": {"Cafe\u0301 Conseil", "EMEA", "hospitality", "partners-lf.csv", "5"},
		"U05": {"Q\"uote, \"line\"\nbreak", "NA", "a,b", "partners-lf.csv", "6"},
		"U06": {`He said "hi" twice`, "NA", `x"y"z`, "partners-lf.csv", "7"},
	}
	got := map[string][5]string{}
	for _, p := range f.rows(t, schema.Partners) {
		cell := func(c string) string {
			if v, ok := p[c]; ok {
				return v
			}
			return null
		}
		got[p[schema.PartnerID]] = [5]string{cell(schema.PartnerName), cell(schema.Region), cell(schema.Vertical), cell(schema.SourceFile), cell(schema.SourceRow)}
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("partner %s loaded as %q, want %q", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("loaded %d partners, want %d: %v", len(got), len(want), got)
	}
	if q := f.rows(t, schema.Quarantine); len(q) != 0 {
		t.Errorf("quarantined %v, want nothing", q)
	}
}

// Mappings given explicitly (PQI_MAPPINGS, --mappings) must hold a mapping
// file: a folder without one is a mistake, not "no mappings".
func TestGivenMappingsFolderWithoutMappingsFails(t *testing.T) {
	f := newFixture(t, local.Options{})
	_, err := Run(context.Background(), Config{AsOf: asOf, Exports: os.DirFS("../../testdata/crm/exports"), ExportsName: "crm/exports",
		Mappings: fstest.MapFS{"README.txt": {Data: []byte("x")}}, MappingsName: "/etc", CodeVersion: "test"},
		Deps{Deps: warehouse.Deps{Warehouse: f.wh, Alloc: f.alloc, Now: func() time.Time { return f.clock }}})
	if err == nil || !strings.Contains(err.Error(), "the mappings folder /etc holds no mapping files") {
		t.Fatalf("ingest with an empty mappings folder: %v", err)
	}
}
