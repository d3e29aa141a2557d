package roi

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/attribution/attributiontest"
	"github.com/partnerq/pqi/transforms/schema"
)

func num(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }

type fixture struct {
	partners, deals, dps, costs []arrowtest.Row
	n                           int
}

func (f *fixture) partner(id, joined, tier string) {
	f.partners = append(f.partners, arrowtest.Row{schema.PartnerID: id, schema.PartnerName: id, schema.JoinedDate: joined, schema.ProgramTier: tier})
}

// deal adds a deal p sourced alone.
func (f *fixture) deal(p, created, status, closed, amount string, ae, market bool) {
	f.n++
	id := fmt.Sprintf("D%d", f.n)
	r := arrowtest.Row{schema.DealID: id, schema.CustomerID: "C", schema.CreatedDate: created, schema.Status: status,
		schema.AmountUSD: amount, schema.AEInvited: ae, schema.ViaMarketplace: market}
	if closed != "" {
		r[schema.ClosedDate] = closed
	}
	f.deals = append(f.deals, r)
	f.dps = append(f.dps, arrowtest.Row{schema.DealID: id, schema.PartnerID: p, schema.Role: "sourced"})
}

func (f *fixture) cost(p, month, category, amount string) {
	f.costs = append(f.costs, arrowtest.Row{schema.PartnerID: p, schema.PeriodStart: month, schema.Category: category, schema.AmountUSD: amount})
}

func (f *fixture) run(t *testing.T, alloc memory.Allocator, cfg Config) *Result {
	t.Helper()
	recs := []arrow.Record{
		arrowtest.Record(t, alloc, schema.Partners, f.partners...), arrowtest.Record(t, alloc, schema.Deals, f.deals...),
		arrowtest.Record(t, alloc, schema.DealPartners, f.dps...), arrowtest.Record(t, alloc, schema.CostToServe, f.costs...),
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	asOf, _ := schema.ParseDay("2026-09-30")
	ctx := context.Background()
	ar, err := attributiontest.Compute(ctx, alloc, attribution.Inputs{Partners: recs[:1], Deals: recs[1:2], DealPartners: recs[2:3]}, attribution.Default(), asOf, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Release()
	costs, err := CostsOf(&ar.Ledger.Partners, cfg, asOf, recs[3:])
	if err != nil {
		t.Fatal(err)
	}
	res, err := Compute(ctx, alloc, Inputs{Attribution: ar.Ledger, Costs: costs}, cfg, asOf, "r")
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var quarterStarts = []string{"2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01"}

// revenueShares is ROI over four quarters of five partners joined in 2024
// with 2026-Q3 won revenue of 70, 20, 6, 4 and 0 (PD also won 9 in Q2),
// and PF, joined in Q3.
func revenueShares(t *testing.T, alloc memory.Allocator) *Result {
	var f fixture
	for _, p := range []string{"PA", "PB", "PC", "PD", "PE"} {
		f.partner(p, "2024-01-01", "gold")
	}
	f.partner("PF", "2026-08-01", "gold") // joins in the last quarter: new
	for p, amt := range map[string]string{"PA": "70", "PB": "20", "PC": "6", "PD": "4"} {
		f.deal(p, "2026-07-02", "won", "2026-08-01", amt, false, false)
	}
	f.deal("PD", "2026-04-02", "won", "2026-05-01", "9", false, false)
	cfg := Default()
	cfg.Quarters, cfg.SegmentQuarters = 4, 1
	return f.run(t, alloc, cfg)
}

// TestSegmentationByRevenueShare: won revenue in 2026-Q3 of 70, 20, 6, 4
// and 0: cumulative shares before each partner 0, .70, .90, .96 -> head,
// head, torso (below .95), long_tail; no revenue -> long_tail. In 2026-Q2
// only PD won, so it was head and moves down; PA was long_tail and moves up.
func TestSegmentationByRevenueShare(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	res := revenueShares(t, alloc)
	defer res.Release()
	pr := res.PartnerRecord()
	defer pr.Release()
	want := map[string][4]string{ // segment, prev, move, cumulative share
		"PA": {"head", "long_tail", "up", "0"}, "PB": {"head", "long_tail", "up", "0.7"}, "PC": {"torso", "long_tail", "up", "0.9"},
		"PD": {"long_tail", "head", "down", "0.96"}, "PE": {"long_tail", "long_tail", "same", "1"}, "PF": {"long_tail", "", "new", "1"},
	}
	seen := 0
	for _, r := range arrowtest.Rows(pr) {
		if r[schema.Quarter] != "2026-Q3" {
			continue
		}
		seen++
		w := want[r[schema.PartnerID]]
		if r[schema.TailSegment] != w[0] || r[schema.PrevTailSegment] != w[1] || r[schema.SegmentMove] != w[2] || math.Abs(num(r[schema.CumulativeShare])-num(w[3])) > 1e-9 {
			t.Errorf("%s: %s (prev %q, %s, cum %s), want %v", r[schema.PartnerID], r[schema.TailSegment], r[schema.PrevTailSegment], r[schema.SegmentMove], r[schema.CumulativeShare], w)
		}
	}
	if seen != 6 {
		t.Errorf("%d partner rows in 2026-Q3, want 6", seen)
	}
}

// TestLiftHandComputed: PI's investment steps up from 1,000 to 5,000 a
// quarter in 2026-Q2 and its sourced pipeline from 10,000 to 30,000. The
// comparison partner PC (same tier, flat 1,000 spend) grows its pipeline
// from 20,000 to 22,000 (x1.1). Counterfactual: 10,000 x 1.1 = 11,000, lift
// 19,000 a quarter; incremental spend 5,000 - 1,000 x 1 = 4,000; roi 4.75.
func TestLiftHandComputed(t *testing.T) {
	var f fixture
	f.partner("PC", "2024-01-01", "gold")
	f.partner("PI", "2024-01-01", "gold")
	pipeI := []string{"10000", "10000", "30000", "30000"}
	pipeC := []string{"20000", "20000", "22000", "22000"}
	spendI := []string{"1000", "1000", "5000", "5000"}
	for q, s := range quarterStarts {
		day := s[:8] + "05"
		f.deal("PI", day, "open", "", pipeI[q], q == 0 || q == 2, q >= 2 || q == 1)
		f.deal("PC", day, "open", "", pipeC[q], false, false)
		f.cost("PI", s, "mdf", spendI[q])
		f.cost("PC", s, "mdf", "1000")
		f.cost("PI", s, "support", "123.45") // not investment
	}
	f.deal("PI", "2026-07-20", "open", "", "0", false, true) // second marketplace deal in Q3
	cfg := Default()
	cfg.Quarters, cfg.MinComparison, cfg.MinDeals = 4, 1, 1
	alloc := arrowtest.Alloc(t)
	res := f.run(t, alloc, cfg)
	defer res.Release()
	pr := res.PartnerRecord()
	defer pr.Release()
	rows := map[string]map[string]string{}
	for _, r := range arrowtest.Rows(pr) {
		rows[r[schema.PartnerID]+" "+r[schema.Quarter]] = r
	}
	if g := rows["PC 2026-Q3"][schema.ROIGroup]; g != "comparison" {
		t.Fatalf("PC is %s, want comparison", g)
	}
	pre := rows["PI 2026-Q1"]
	if pre[schema.ROIGroup] != "invested" || pre[schema.ROIState] != "pre_period" || pre[schema.InvestmentStart] != "2026-04-01" {
		t.Fatalf("PI 2026-Q1: %v", pre)
	}
	for _, q := range []string{"2026-Q2", "2026-Q3"} {
		r := rows["PI "+q]
		if r[schema.BaselinePipeline] != "10000" || r[schema.ExpectedPipeline] != "11000" || r[schema.PipelineLiftUSD] != "19000" ||
			r[schema.IncrementalSpend] != "4000" || r[schema.ComparisonPartners] != "1" {
			t.Errorf("PI %s: baseline %s expected %s lift %s incremental %s comparison %s", q, r[schema.BaselinePipeline],
				r[schema.ExpectedPipeline], r[schema.PipelineLiftUSD], r[schema.IncrementalSpend], r[schema.ComparisonPartners])
		}
		if r[schema.ROIState] != "estimated" || math.Abs(num(r[schema.ROI])-4.75) > 1e-9 {
			t.Errorf("PI %s: state %s roi %s, want estimated 4.75", q, r[schema.ROIState], r[schema.ROI])
		}
		if lo, hi := num(r[schema.ROILow]), num(r[schema.ROIHigh]); !(lo <= hi) {
			t.Errorf("PI %s: interval [%v, %v]", q, lo, hi)
		}
	}
	q3 := rows["PI 2026-Q3"]
	if q3[schema.CostMDFUSD] != "5000" || q3[schema.CostSupportUSD] != "123.45" || q3[schema.CostTotalUSD] != "5123.45" || q3[schema.InvestmentUSD] != "5000" {
		t.Errorf("PI 2026-Q3 cost: %v", q3)
	}
	if q3[schema.PipelinePerDollar] != "6" {
		t.Errorf("pipeline per dollar %s, want 30000/5000 = 6", q3[schema.PipelinePerDollar])
	}
	// leading indicators: marketplace 1 deal in Q1 and Q2, 2 in Q3 (growth
	// 1 = +100%, momentum); AE invites in 2025-Q4 (the first: no repeat)
	// and 2026-Q2 (a repeat)
	if q3[schema.MarketplaceDeals] != "2" || q3[schema.MarketplaceGrowth] != "1" || q3[schema.Momentum] != "true" {
		t.Errorf("PI 2026-Q3 marketplace %s growth %s momentum %s", q3[schema.MarketplaceDeals], q3[schema.MarketplaceGrowth], q3[schema.Momentum])
	}
	if r := rows["PI 2025-Q4"]; r[schema.AEInvitedDeals] != "1" || r[schema.AERepeatInvites] != "0" || r[schema.Momentum] != "false" {
		t.Errorf("PI 2025-Q4 ae %s repeat %s momentum %s", r[schema.AEInvitedDeals], r[schema.AERepeatInvites], r[schema.Momentum])
	}
	if r := rows["PI 2026-Q2"]; r[schema.AEInvitedDeals] != "1" || r[schema.AERepeatInvites] != "1" || r[schema.Momentum] != "true" {
		t.Errorf("PI 2026-Q2 ae %s repeat %s momentum %s", r[schema.AEInvitedDeals], r[schema.AERepeatInvites], r[schema.Momentum])
	}
	// the segment roll-up pools the same lift: 38,000 / 8,000 over the window
	for _, r := range arrowtest.Rows(res.SegmentROI) {
		if r[schema.Quarter] == schema.WindowQuarter && r[schema.InvestedPartnerQuarters] != "0" {
			if r[schema.PipelineLiftUSD] != "38000" || r[schema.IncrementalSpend] != "8000" || math.Abs(num(r[schema.MarginalROI])-4.75) > 1e-9 {
				t.Errorf("segment window row: %v", r)
			}
		}
	}
}

// TestIntervalHandComputed: the nearest-rank 5th and 95th percentiles of
// 1..20 / 1 are the 1st and 19th values; too many non-positive
// denominators make the interval meaningless.
func TestIntervalHandComputed(t *testing.T) {
	num, den := make([]float64, 20), make([]float64, 20)
	for i := range num {
		num[i], den[i] = float64(20-i), 1
	}
	buf := make([]float64, 20)
	lo, hi, ok := interval(num, den, buf, 0.05, 0.95, 0.05)
	if !ok || lo != 1 || hi != 19 {
		t.Errorf("interval %v %v %v, want 1 19 true", lo, hi, ok)
	}
	den[0], den[1] = 0, -1
	if _, _, ok := interval(num, den, buf, 0.05, 0.95, 0.05); ok {
		t.Error("2 of 20 denominators <= 0 (10% > 5%) still gave an interval")
	}
}

func TestStepUpDetection(t *testing.T) {
	cfg := Default()
	for _, c := range []struct {
		s  []float64
		t0 int
		ok bool
	}{
		{[]float64{1000, 1100, 900, 1000, 4000, 4200, 3900, 4100}, 4, true},
		{[]float64{1000, 1100, 900, 1000, 1200, 1100, 900, 1000}, -1, false}, // noise
		{[]float64{100, 100, 100, 100, 100, 600, 600, 600}, 5, false},        // +500: below min_step_up_usd
		{[]float64{5000, 5000, 5000, 1000, 1000, 1000, 1000, 1000}, -1, false},
	} {
		t0, ok := stepUp(c.s, cfg)
		if ok != c.ok || (ok && t0 != c.t0) {
			t.Errorf("%v: step-up at %d %v, want %d %v", c.s, t0, ok, c.t0, c.ok)
		}
	}
}

// TestCommissionBases: commission comes from the export when it has any
// commission row (then it is in cost_total_usd), else from the configured
// tier rate x attributed won revenue (an estimate kept out of the total),
// else it is unknown. PA (gold) wins 1,000 in 2026-Q3 and costs 50 of
// support; PB (silver, no rate) wins 400.
func TestCommissionBases(t *testing.T) {
	build := func(exported bool) *fixture {
		f := &fixture{}
		f.partner("PA", "2024-01-01", "gold")
		f.partner("PB", "2024-01-01", "silver")
		f.deal("PA", "2026-07-02", "won", "2026-08-01", "1000", false, false)
		f.deal("PB", "2026-07-02", "won", "2026-08-01", "400", false, false)
		f.cost("PA", "2026-07-01", "support", "50")
		if exported {
			f.cost("PA", "2026-08-01", "commission", "120")
		}
		return f
	}
	rates := Default()
	rates.Quarters = 4
	rates.CommissionRates = map[string]float64{"gold": 0.2}
	none := rates
	none.CommissionRates = nil
	type want struct{ commission, total, basis string }
	for _, c := range []struct {
		name     string
		exported bool
		cfg      Config
		pa, pb   want
		segment  want // 2026-Q3 summed over the segments
	}{
		{"exported wins over rates", true, rates, want{"120", "170", "exported"}, want{"0", "0", "exported"}, want{"120", "170", "exported"}},
		{"estimated from the gold rate", false, rates, want{"200", "50", "estimated"}, want{"", "0", "not_exported"}, want{"200", "50", "estimated"}},
		{"no rows, no rates", false, none, want{"", "50", "not_exported"}, want{"", "0", "not_exported"}, want{"", "50", "not_exported"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			alloc := arrowtest.Alloc(t)
			res := build(c.exported).run(t, alloc, c.cfg)
			defer res.Release()
			pr := res.PartnerRecord()
			defer pr.Release()
			for _, r := range arrowtest.Rows(pr) {
				w := map[string]want{"PA": c.pa, "PB": c.pb}[r[schema.PartnerID]]
				if r[schema.Quarter] != "2026-Q3" {
					continue
				}
				if g := (want{r[schema.CostCommissionUSD], r[schema.CostTotalUSD], r[schema.CommissionBasis]}); g != w {
					t.Errorf("%s: commission, total, basis %v, want %v", r[schema.PartnerID], g, w)
				}
			}
			var commission, total int64
			known, basis := false, ""
			for _, r := range arrowtest.Rows(res.SegmentROI) {
				if r[schema.Quarter] != "2026-Q3" {
					continue
				}
				basis = r[schema.CommissionBasis]
				if r[schema.CostCommissionUSD] != "" {
					commission += int64(num(r[schema.CostCommissionUSD]))
					known = true
				}
				total += int64(num(r[schema.CostTotalUSD]))
			}
			got := want{"", strconv.FormatInt(total, 10), basis}
			if known {
				got.commission = strconv.FormatInt(commission, 10)
			}
			if got != c.segment {
				t.Errorf("2026-Q3 segments: commission, total, basis %v, want %v", got, c.segment)
			}
		})
	}
}

func TestCommissionRatesRejected(t *testing.T) {
	for rates, msg := range map[string]map[string]float64{
		"unknown program tier \"diamond\"": {"diamond": 0.1},
		"e.g. 0.125 for 12.5%, got 25":     {"gold": 25},
	} {
		cfg := Default()
		cfg.CommissionRates = msg
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), rates) {
			t.Errorf("%v: %v, want an error naming %q", msg, err, rates)
		}
	}
}

// partner_roi streamed in records of a few rows is the whole table, row
// for row in the same order, each record at most the chunk.
func TestPartnerROIInChunks(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	res := revenueShares(t, alloc)
	defer res.Release()
	whole := res.PartnerRecord()
	defer whole.Release()
	want := arrowtest.Rows(whole)
	if len(want) != 21 { // five partners in four quarters, PF in one
		t.Fatalf("%d rows, want 21", len(want))
	}
	for _, chunk := range []int{1, 4, 21, 100} {
		var got []map[string]string
		records := 0
		err := res.PartnerROI(chunk, func(rec arrow.Record) error {
			defer rec.Release()
			records++
			if rec.NumRows() > int64(chunk) || rec.NumRows() == 0 {
				t.Errorf("chunk %d: a record of %d rows", chunk, rec.NumRows())
			}
			got = append(got, arrowtest.Rows(rec)...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if records != (21+chunk-1)/chunk || !reflect.DeepEqual(got, want) {
			t.Errorf("chunk %d: %d records, rows equal %v", chunk, records, reflect.DeepEqual(got, want))
		}
	}
}

// A program whose only partner joins after the window has no partner_roi
// rows: one empty record comes, so an empty table is still written.
func TestPartnerROIEmpty(t *testing.T) {
	var f fixture
	f.partner("PZ", "2027-01-01", "gold")
	cfg := Default()
	cfg.Quarters, cfg.SegmentQuarters = 4, 1
	alloc := arrowtest.Alloc(t)
	res := f.run(t, alloc, cfg)
	defer res.Release()
	records := 0
	err := res.PartnerROI(8, func(rec arrow.Record) error {
		defer rec.Release()
		records++
		if rec.NumRows() != 0 {
			t.Errorf("%d rows for a partner not yet joined", rec.NumRows())
		}
		return nil
	})
	if err != nil || records != 1 {
		t.Fatalf("%d records (err %v), want one empty record", records, err)
	}
}
