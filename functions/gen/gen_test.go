package gen

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

var defaultAsOf = schema.DayOf(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC))

func generate(t *testing.T, cfg Config) (string, Summary) {
	t.Helper()
	if cfg.Out == "" {
		cfg.Out = t.TempDir()
	}
	sum, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Out, sum
}

// big is one shared generation with the defaults and 2,000 partners, for the
// structural checks.
var big = struct {
	once sync.Once
	dir  string
	err  error
}{}

func bigRun(t *testing.T) string {
	t.Helper()
	big.once.Do(func() {
		big.dir, big.err = os.MkdirTemp("", "pqigen")
		if big.err == nil {
			_, big.err = Run(context.Background(), Config{Partners: 2000, Out: big.dir})
		}
	})
	if big.err != nil {
		t.Fatal(big.err)
	}
	return big.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for _, cfg := range []Config{
		{Out: dir, AsOf: time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC)},
		{Out: dir, AsOf: time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)},
		{Out: dir, Format: "xml"},
		{Out: dir, BadRows: 0.7},
		{},
	} {
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

func digests(t *testing.T, dir string) map[string][sha256.Size]byte {
	t.Helper()
	out := map[string][sha256.Size]byte{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = sha256.Sum256(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		cfg := Config{Partners: 300, Seed: 7, DealsPerPartner: 20, BadRows: 0.02, Format: format}
		a, _ := generate(t, cfg)
		b, _ := generate(t, cfg)
		da, db := digests(t, a), digests(t, b)
		if want := len(schema.InputOrder) + 3; len(da) != want { // every input and three truth files
			t.Errorf("%s: %d files written, want %d: %v", format, len(da), want, da)
		}
		for name, d := range da {
			if db[name] != d {
				t.Errorf("%s: %s differs between two runs with the same seed", format, name)
			}
		}
		cfg.Seed = 8
		c, _ := generate(t, cfg)
		dc := digests(t, c)
		for _, name := range []string{"deals." + format, "partners." + format, "truth/partner_truth.csv"} {
			if dc[name] == da[name] {
				t.Errorf("%s is the same for seeds 7 and 8", name)
			}
		}
	}
}

// With no broken rows, every row obeys the contract, and the broken rows of a
// run with BadRows > 0 are inserted around the same good rows.
func TestContract(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		dir, sum := generate(t, Config{Partners: 400, Format: format, Seed: 3})
		bad, acc := checkExports(t, dir, format, defaultAsOf)
		for i, v := range bad {
			if i < 10 {
				t.Errorf("%s row %d: %s", v.file, v.line, v.why)
			}
		}
		if len(bad) > 0 {
			t.Fatalf("%s: %d rows break the contract", format, len(bad))
		}
		if sum.Deals != len(acc[schema.Deals]) || sum.Partners != 400 {
			t.Errorf("summary says %d deals, %d partners; files hold %d deals", sum.Deals, sum.Partners, len(acc[schema.Deals]))
		}
		checkConsistency(t, acc)
	}
}

// checkConsistency checks rules beyond the row-level contract.
func checkConsistency(t *testing.T, acc map[string][]record) {
	t.Helper()
	sourced := map[string]int{}
	partnered := map[string]bool{}
	for _, r := range acc[schema.DealPartners] {
		partnered[r.vals[schema.DealID]] = true
		if r.vals[schema.Role] == schema.RoleSourced.String() {
			sourced[r.vals[schema.DealID]]++
		}
	}
	for d, n := range sourced {
		if n > 1 {
			t.Errorf("deal %s has %d sourced partners", d, n)
		}
	}
	deals := acc[schema.Deals]
	direct := 0
	open := map[string]bool{}
	for _, r := range deals {
		if !partnered[r.vals[schema.DealID]] {
			direct++
		}
		c, reg, cl := r.vals[schema.CreatedDate], r.vals[schema.RegisteredDate], r.vals[schema.ClosedDate]
		if reg != "" && (reg < c || (cl != "" && reg > cl)) {
			t.Errorf("deal %s registered %s outside created %s .. closed %s", r.vals[schema.DealID], reg, c, cl)
		}
		if c < "2024-10-01" || c > "2026-09-30" || cl > "2026-09-30" || r.vals[schema.FirstValueDate] > "2026-09-30" {
			t.Errorf("deal %s dates outside the window", r.vals[schema.DealID])
		}
		if r.vals[schema.Status] == schema.StatusOpen.String() {
			open[r.vals[schema.DealID]] = true
		}
	}
	if share := float64(direct) / float64(len(deals)); share < 0.25 || share > 0.35 {
		t.Errorf("direct deals are %.3f of deals, want about 0.30", share)
	}
	if len(open) == 0 {
		t.Error("no open deals")
	}
	for _, r := range acc[schema.CSAT] {
		if r.vals[schema.RespondedDate] > "2026-09-30" {
			t.Errorf("csat response %s after as-of", r.vals[schema.ResponseID])
		}
	}
	for _, r := range acc[schema.Partners] {
		if !utf8.ValidString(r.vals[schema.PartnerName]) {
			t.Errorf("partner name %q is not UTF-8", r.vals[schema.PartnerName])
		}
	}
}

// readCSV reads a CSV file into maps.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = row[i]
		}
		out = append(out, m)
	}
	return out
}

func TestBadRows(t *testing.T) {
	want := map[string][]string{ // file -> kinds it must contain
		schema.Partners:     {badDuplicateKey, badFuture, badEnum, badCertified, badMissing, badDate},
		schema.Deals:        {badDuplicateKey, badClosedOnOpen, badNoClosedDate, badClosedEarly, badDate, badNegative, badEnum, badMissing, badOutOfRange},
		schema.DealPartners: {badUnknownRef, badDuplicateKey, badEnum, badMissing},
		schema.CSAT:         {badOutOfRange, badUnknownRef, badDuplicateKey, badDate, badMissing},
		schema.Churn:        {badChurnEarly, badUnknownRef, badDuplicateKey, badNegative, badDate, badMissing},
		schema.CostToServe:  {badUnknownRef, badNotFirstOfMnth, badNegative, badEnum, badDuplicateKey, badMissing, badDate},
	}
	for _, format := range []string{"csv", "jsonl"} {
		dir, sum := generate(t, Config{Partners: 400, Format: format, Seed: 5, BadRows: 0.02})
		found, _ := checkExports(t, dir, format, defaultAsOf)
		listed := readCSV(t, filepath.Join(dir, "truth", badRowsFile))

		got := map[string]bool{}
		for _, v := range found {
			got[v.file+":"+strconv.Itoa(v.line)] = true
		}
		kinds := map[string]map[string]bool{}
		perFile := map[string]int{}
		for _, b := range listed {
			key := b[schema.File] + ":" + b["row"]
			if !got[key] {
				t.Errorf("%s: listed as %s but obeys the contract", key, b["kind"])
			}
			delete(got, key)
			if kinds[b[schema.File]] == nil {
				kinds[b[schema.File]] = map[string]bool{}
			}
			kinds[b[schema.File]][b["kind"]] = true
			perFile[b[schema.File]]++
		}
		for key := range got {
			t.Errorf("%s breaks the contract but is not listed in bad_rows.csv", key)
		}
		for table, ks := range want {
			file := table + "." + format
			for _, k := range ks {
				if !kinds[file][k] {
					t.Errorf("%s: no broken row of kind %s", file, k)
				}
			}
		}
		for _, f := range sum.Files {
			if f.BadRows != perFile[f.Name] {
				t.Errorf("%s: summary says %d bad rows, bad_rows.csv lists %d", f.Name, f.BadRows, perFile[f.Name])
			}
			if f.Rows >= 2000 {
				if share := float64(f.BadRows) / float64(f.Rows); math.Abs(share-0.02) > 0.003 {
					t.Errorf("%s: %.4f of rows broken, want 0.02", f.Name, share)
				}
			}
		}
	}
}

// The good rows do not depend on BadRows: removing the listed rows of a run
// with broken rows gives the run without.
func TestBadRowsLeaveGoodRowsAlone(t *testing.T) {
	clean, _ := generate(t, Config{Partners: 200, Seed: 9})
	dirty, _ := generate(t, Config{Partners: 200, Seed: 9, BadRows: 0.05})
	drop := map[string]map[int]bool{}
	for _, b := range readCSV(t, filepath.Join(dirty, "truth", badRowsFile)) {
		if drop[b[schema.File]] == nil {
			drop[b[schema.File]] = map[int]bool{}
		}
		n, _ := strconv.Atoi(b["row"])
		drop[b[schema.File]][n] = true
	}
	for _, table := range schema.InputOrder {
		file := table + ".csv"
		a, _ := os.ReadFile(filepath.Join(clean, file))
		b, _ := os.ReadFile(filepath.Join(dirty, file))
		var kept []string
		for i, line := range strings.SplitAfter(string(b), "\n") {
			if !drop[file][i+1] {
				kept = append(kept, line)
			}
		}
		if strings.Join(kept, "") != string(a) {
			t.Errorf("%s: good rows differ with broken rows inserted", file)
		}
	}
	ta, _ := os.ReadFile(filepath.Join(clean, "truth", truthFile))
	tb, _ := os.ReadFile(filepath.Join(dirty, "truth", truthFile))
	if string(ta) != string(tb) {
		t.Error("truth differs with broken rows inserted")
	}
}

// truthByPartner reads partner_truth.csv.
func truthByPartner(t *testing.T, dir string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range readCSV(t, filepath.Join(dir, "truth", truthFile)) {
		out[r[schema.PartnerID]] = r
	}
	return out
}

func num(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }

// dealComplexity is the complexity score k of an exported deal, computed from
// its columns as documented in truth/model.csv.
func dealComplexity(r map[string]string) float64 {
	ord := func(list []string, v string, rev bool) float64 {
		for i, x := range list {
			if x == v {
				if rev {
					return float64(len(list) - 1 - i)
				}
				return float64(i)
			}
		}
		panic(v)
	}
	pc := num(r[schema.ProductCount])
	raw := ord(schema.Segments, r[schema.Segment], true) + 0.4*(pc-1) +
		ord(schema.CustomerMaturities, r[schema.CustomerMaturity], true) + ord(schema.DeliveryScopes, r[schema.DeliveryScope], false)
	return (raw - complexityMean) / complexitySD
}

// primaryDeals groups deals by their first listed partner.
func primaryDeals(t *testing.T, dir string) (map[string][]map[string]string, map[string]int) {
	deals := map[string]map[string]string{}
	for _, r := range readCSV(t, filepath.Join(dir, "deals.csv")) {
		deals[r[schema.DealID]] = r
	}
	by := map[string][]map[string]string{}
	any := map[string]int{}
	done := map[string]bool{}
	for _, r := range readCSV(t, filepath.Join(dir, "deal_partners.csv")) {
		any[r[schema.PartnerID]]++
		if d := r[schema.DealID]; !done[d] {
			done[d] = true
			by[r[schema.PartnerID]] = append(by[r[schema.PartnerID]], deals[d])
		}
	}
	return by, any
}

func TestLongTail(t *testing.T) {
	dir := bigRun(t)
	truth := truthByPartner(t, dir)
	by, any := primaryDeals(t, dir)
	var won []float64
	var total float64
	few := 0
	for id := range truth {
		w := 0.0
		for _, d := range by[id] {
			if d[schema.Status] == schema.StatusWon.String() {
				w += num(d[schema.AmountUSD])
			}
		}
		won = append(won, w)
		total += w
		if any[id] <= 3 {
			few++
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(won)))
	top := 0.0
	for _, w := range won[:len(won)/5] {
		top += w
	}
	if share := top / total; share <= 0.6 {
		t.Errorf("top 20%% of partners hold %.2f of won revenue, want > 0.6", share)
	}
	if share := float64(few) / float64(len(truth)); share < 0.2 {
		t.Errorf("%.2f of partners have <= 3 deals, want >= 0.2", share)
	}
}

// Harder deals go to stronger partners, so raw win rates and CSAT under-rate
// them: the complexity-adjusted observed/expected ratio tracks quality better.
func TestComplexityBiasesNaiveMetrics(t *testing.T) {
	dir := bigRun(t)
	truth := truthByPartner(t, dir)
	by, _ := primaryDeals(t, dir)
	var qc, cx, qw, raw, adj, eff []float64
	for id, ds := range by {
		q := num(truth[id]["quality"])
		if len(ds) >= 5 {
			k := 0.0
			for _, d := range ds {
				k += dealComplexity(d)
			}
			qc = append(qc, q)
			cx = append(cx, k/float64(len(ds)))
		}
		var closed, wins, expected float64
		for _, d := range ds {
			if d[schema.Status] == schema.StatusOpen.String() {
				continue
			}
			closed++
			if d[schema.Status] == schema.StatusWon.String() {
				wins++
			}
			qual := 0.0
			if d[schema.Qualified] == "true" {
				qual = 1
			}
			expected += 1 / (1 + math.Exp(-(winBase - winComplexity*dealComplexity(d) + winQualified*qual)))
		}
		if closed >= 10 {
			qw = append(qw, q)
			raw = append(raw, wins/closed)
			adj = append(adj, wins/expected)
			eff = append(eff, num(truth[id]["win_effect"]))
		}
	}
	if c := arrowtest.Pearson(qc, cx); c <= 0.2 {
		t.Errorf("arrowtest.Pearson(quality, mean deal complexity) = %.3f, want > 0.2", c)
	}
	cRaw, cAdj := arrowtest.Pearson(qw, raw), arrowtest.Pearson(qw, adj)
	t.Logf("arrowtest.Pearson(q, raw win rate) %.3f, arrowtest.Pearson(q, adjusted O/E) %.3f, arrowtest.Pearson(q, win_effect) %.3f, n=%d", cRaw, cAdj, arrowtest.Pearson(qw, eff), len(qw))
	if cRaw >= cAdj-0.05 {
		t.Errorf("raw win rate tracks quality (%.3f) about as well as the complexity-adjusted ratio (%.3f): no naive bias", cRaw, cAdj)
	}
	if cRaw >= arrowtest.Pearson(qw, eff) {
		t.Errorf("raw win rate tracks quality (%.3f) better than the true win effect (%.3f)", cRaw, arrowtest.Pearson(qw, eff))
	}
}

func TestChurnBaseline(t *testing.T) {
	dir := bigRun(t)
	truth := truthByPartner(t, dir)
	var n, churned [3]float64 // direct, bad, other
	for _, r := range readCSV(t, filepath.Join(dir, "churn.csv")) {
		g := 2
		switch {
		case r[schema.PartnerID] == "":
			g = 0
		case truth[r[schema.PartnerID]]["bad_churn"] == "true":
			g = 1
		}
		n[g]++
		if r[schema.ChurnDate] != "" {
			churned[g]++
		}
	}
	if n[0] < 1000 || n[1] < 100 {
		t.Fatalf("too few contracts: %v direct, %v with bad-churn partners", n[0], n[1])
	}
	direct, bad := churned[0]/n[0], churned[1]/n[1]
	t.Logf("churned: direct %.3f, bad partners %.3f, other partners %.3f", direct, bad, churned[2]/n[2])
	if bad < 2*direct {
		t.Errorf("bad partners' customers churn %.3f, direct %.3f: want >= 2x", bad, direct)
	}
}

func TestNamesAndTruthLocation(t *testing.T) {
	dir := bigRun(t)
	rows := readCSV(t, filepath.Join(dir, "partners.csv"))
	nonASCII := 0
	for _, r := range rows {
		name := r[schema.PartnerName]
		if !utf8.ValidString(name) {
			t.Fatalf("invalid UTF-8 name %q", name)
		}
		for _, c := range name {
			if c > 127 {
				nonASCII++
				break
			}
		}
	}
	if share := float64(nonASCII) / float64(len(rows)); share < 0.05 {
		t.Errorf("%.3f of names are non-ASCII, want >= 0.05", share)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".csv") {
			t.Errorf("unexpected file %s in Out", e.Name())
		}
		if e.Name() == truthFile || e.Name() == badRowsFile || e.Name() == modelFile {
			t.Errorf("truth file %s in Out's top level", e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "truth", truthFile)); err != nil {
		t.Error(err)
	}
}

// The planted return on spend is visible: invested partners' mdf and
// enablement rise by the extra spend from invest_start, and responsive
// partners' sourced pipeline after the step-up holds at least the planted
// extra pipeline.
func TestPlantedROI(t *testing.T) {
	dir := bigRun(t)
	truth := truthByPartner(t, dir)
	invested, responsive := 0, 0
	for _, tr := range truth {
		if tr["invested"] != "true" {
			continue
		}
		invested++
		start := tr["invest_start"]
		quarters := 0
		for q := 0; q < 8; q++ {
			if d := time.Date(2024, time.Month(10+3*q), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); d >= start {
				quarters++
			}
		}
		want := num(tr["true_roi"]) * num(tr["extra_spend_usd_per_quarter"]) * float64(quarters)
		if math.Abs(num(tr["extra_pipeline_usd"])-want) > 0.01*float64(quarters)+0.01 {
			t.Errorf("%s: extra pipeline %s, want %.2f", tr[schema.PartnerID], tr["extra_pipeline_usd"], want)
		}
		if tr["responsive"] == "true" {
			responsive++
		}
	}
	if n := len(truth); invested < n/20 || responsive == 0 {
		t.Errorf("%d invested, %d responsive partners of %d", invested, responsive, n)
	}
	// extra spend appears in cost_to_serve
	spend := map[string]float64{}
	for _, r := range readCSV(t, filepath.Join(dir, "cost_to_serve.csv")) {
		tr := truth[r[schema.PartnerID]]
		c := r[schema.Category]
		if tr["invested"] == "true" && r[schema.PeriodStart] >= tr["invest_start"] &&
			(c == schema.CostMDF.String() || c == schema.CostEnablement.String()) {
			spend[r[schema.PartnerID]] += num(r[schema.AmountUSD])
		}
	}
	for id, tr := range truth {
		if tr["invested"] != "true" {
			continue
		}
		months := 0
		for m := 0; m < 24; m++ {
			if time.Date(2024, time.Month(10+m), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly) >= tr["invest_start"] {
				months++
			}
		}
		if want := num(tr["extra_spend_usd_per_quarter"]) / 3 * float64(months); spend[id] < want {
			t.Errorf("%s: mdf+enablement since step-up %.0f < extra spend %.0f", id, spend[id], want)
		}
	}
}

func BenchmarkRun2000Partners(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Run(context.Background(), Config{Partners: 2000, Out: dir}); err != nil {
			b.Fatal(err)
		}
	}
}
