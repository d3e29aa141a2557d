package score

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/ingest/ingesttest"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

// optionalDealColumns are the deal columns an export may leave blank.
var optionalDealColumns = []string{schema.AmountUSD, schema.Segment, schema.ProductCount, schema.CustomerMaturity, schema.DeliveryScope,
	schema.Qualified, schema.RegisteredDate, schema.AEInvited, schema.ServicesAttached, schema.FirstValueDate, schema.ViaMarketplace}

// dealColumnComponents are the components that need an optional deal column.
var dealColumnComponents = []schema.Component{schema.CompTimeToValue, schema.CompAttachRate, schema.CompLeadQuality,
	schema.CompRegistration, schema.CompAEPullThrough, schema.CompMarketplace}

// TestScoresWhateverTheExportsHold ingests and scores a generated
// ecosystem with every subset of the optional sources removed (csat,
// churn, cost_to_serve, deal_partners, and the optional deal columns
// blanked): every run succeeds, partner_quality says per partner which
// components were measured and why the others were not, and the finance
// tables are published, with ROI not_measured when there is no cost.
func TestScoresWhateverTheExportsHold(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "exports")
	if _, err := gen.Run(context.Background(), gen.Config{Partners: 150, Seed: 4, Quarters: 8, AsOf: asOf.Time(),
		DealsPerPartner: 40, Format: "csv", Out: out, TruthDir: filepath.Join(dir, "truth")}); err != nil {
		t.Fatal(err)
	}
	full := fstest.MapFS{}
	if err := fs.WalkDir(os.DirFS(out), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join(out, p))
		full[p] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	blanked := blankColumns(t, full["deals.csv"].Data, optionalDealColumns)
	optional := []string{schema.CSAT, schema.Churn, schema.CostToServe, schema.DealPartners, "deal columns"}
	for mask := range 1 << len(optional) {
		var gone []string
		for i, o := range optional {
			if mask&(1<<i) != 0 {
				gone = append(gone, o)
			}
		}
		name := "all"
		if len(gone) > 0 {
			name = "without " + strings.Join(gone, "+")
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			exports := fstest.MapFS{}
			for p, f := range full {
				exports[p] = f
			}
			for _, g := range gone {
				if g == "deal columns" {
					exports["deals.csv"] = &fstest.MapFile{Data: blanked}
				} else {
					delete(exports, g+".csv")
				}
			}
			checkScoresWithout(t, exports, gone)
		})
	}
}

// blankColumns empties the named columns of a CSV export.
func blankColumns(t *testing.T, data []byte, cols []string) []byte {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for j, h := range rows[0] {
		for _, c := range cols {
			if h == c {
				for _, r := range rows[1:] {
					r[j] = ""
				}
			}
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkScoresWithout(t *testing.T, exports fs.FS, gone []string) {
	ctx := context.Background()
	alloc := arrowtest.Alloc(t)
	wh, err := local.Open(t.TempDir(), alloc)
	if err != nil {
		t.Fatal(err)
	}
	now := clock()
	if _, err := ingest.Run(ctx, ingest.Config{AsOf: asOf, Exports: exports, ExportsName: "exports", CodeVersion: "test"},
		ingest.Deps{Deps: warehouse.Deps{Warehouse: wh, Alloc: alloc, Now: now}}); err != nil {
		t.Fatal(err)
	}
	def, err := settings.Default()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(ctx, NewConfig(asOf, def, "test"), Deps{Warehouse: wh, Alloc: alloc, Now: now})
	if err != nil {
		t.Fatalf("scoring failed: %v", err)
	}
	if len(sum.Tables) != len(scoredTables) {
		t.Fatalf("published %v", sum.Tables)
	}
	missing := map[string]bool{}
	for _, g := range gone {
		missing[g] = true
	}
	// what each component's status must be, partner by partner
	want := func(c schema.Component) []schema.ComponentStatus {
		switch {
		case c == schema.CompCSAT && missing[schema.CSAT], c == schema.CompChurnRate && missing[schema.Churn]:
			return []schema.ComponentStatus{schema.NoExport}
		case componentOfDeals(c) && missing[schema.DealPartners]:
			return []schema.ComponentStatus{schema.NoExport}
		case contains(dealColumnComponents, c) && missing["deal columns"]:
			return []schema.ComponentStatus{schema.NoColumn}
		}
		return []schema.ComponentStatus{schema.Measured, schema.NoPartnerRows}
	}
	rows := ingesttest.Rows(t, wh, schema.PartnerQuality, asOf)
	if len(rows) != 150 {
		t.Fatalf("%d partner_quality rows", len(rows))
	}
	measuredAny := 0
	for _, r := range rows {
		var notMeasured []string
		for c := range schema.Component(schema.NumComponents) {
			st, _ := schema.ParseComponentStatus(r[schema.ComponentColumn(c, schema.SufStatus)])
			if !containsStatus(want(c), st) {
				t.Fatalf("%s %s_status = %s, want one of %v", r[schema.PartnerID], c, st, want(c))
			}
			if st == schema.Measured {
				measuredAny++
			} else {
				notMeasured = append(notMeasured, fmt.Sprintf("%s (%s)", c, st))
			}
		}
		if got := r[schema.NotMeasured]; got != strings.Join(notMeasured, "; ") {
			t.Fatalf("%s components_not_measured %q, statuses say %q", r[schema.PartnerID], got, strings.Join(notMeasured, "; "))
		}
		if p := number(t, r[schema.PQI]); p < 0 || p > 100 {
			t.Fatalf("%s pqi %v", r[schema.PartnerID], p)
		}
		if missing[schema.DealPartners] && r[schema.EvidenceStatus] == schema.EvidenceScored.String() {
			t.Fatalf("%s scored without a single deal", r[schema.PartnerID])
		}
	}
	if measuredAny == 0 {
		t.Error("nothing measured for any partner")
	}
	for _, r := range ingesttest.Rows(t, wh, schema.PartnerROI, asOf) {
		_, hasCost := r[schema.CostTotalUSD]
		if state := r[schema.ROIState]; missing[schema.CostToServe] != (state == schema.ROINotMeasured.String()) || missing[schema.CostToServe] == hasCost {
			t.Fatalf("partner_roi %s %s: roi_state %s, cost_total_usd %q, with cost_to_serve missing %v",
				r[schema.PartnerID], r[schema.Quarter], state, r[schema.CostTotalUSD], missing[schema.CostToServe])
		}
	}
	// one note per missing source, saying what it costs
	for _, g := range gone {
		if g == "deal columns" || (g != schema.DealPartners && missing[schema.DealPartners] && g == schema.CostToServe) {
			continue
		}
		found := false
		for _, n := range sum.Notes {
			found = found || strings.Contains(n, g)
		}
		if !found {
			t.Errorf("no note about the missing %s: %q", g, sum.Notes)
		}
	}
}

func componentOfDeals(c schema.Component) bool { return componentSource(c) == schema.DealPartners }

// componentSource mirrors the contract: the source a component is computed from.
func componentSource(c schema.Component) string {
	switch c {
	case schema.CompCSAT:
		return schema.CSAT
	case schema.CompChurnRate:
		return schema.Churn
	case schema.CompCertification, schema.CompCaseStudies:
		return schema.Partners
	}
	return schema.DealPartners
}

func contains(cs []schema.Component, c schema.Component) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func containsStatus(ss []schema.ComponentStatus, s schema.ComponentStatus) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// A score of a date nothing was ingested for fails saying what to run,
// and the failed run is recorded.
func TestScoreWithoutIngestIsRecorded(t *testing.T) {
	w, err := local.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	asOf, _ := schema.ParseDay("2026-09-30")
	_, err = Run(context.Background(), Config{AsOf: asOf, Finance: settings.DefaultFinance(), CodeVersion: "test"}, Deps{Warehouse: w})
	if err == nil || !strings.Contains(err.Error(), "fix: run pqi ingest --as-of 2026-09-30 first") {
		t.Fatalf("got %v", err)
	}
	runs, err := warehouse.ReadRuns(context.Background(), w, asOf)
	if err != nil || len(runs) != 1 || runs[0].Job != "score" || runs[0].Outcome != "failed" || !strings.HasPrefix(runs[0].RunID, "sco-") {
		t.Fatalf("runs %+v (%v), want the failed score run", runs, err)
	}
}
