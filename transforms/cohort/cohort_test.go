package cohort

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/attribution/attributiontest"
	"github.com/partnerq/pqi/transforms/schema"
)

func run(t *testing.T, alloc memory.Allocator, partners, deals, dps []arrow.Record, asOf schema.Day, cfg Config) arrow.Record {
	t.Helper()
	ctx := context.Background()
	ar, err := attributiontest.Compute(ctx, alloc, attribution.Inputs{Partners: partners, Deals: deals, DealPartners: dps}, attribution.Default(), asOf, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Release()
	rec, err := Compute(ctx, alloc, Inputs{Attribution: ar.Ledger}, cfg, asOf, "r")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// handRecords: PA joins 2026-01-15 (healthcare, staffing) and registers D1
// on 2026-02-12 (created 02-10, AE-invited, won 05-01 for 1,000), then
// creates D2 (500, open) on 07-05; PB joins 2026-02-01 (retail, no
// capability) and does nothing; PC joins 2026-04-10 (healthcare, advisory)
// and registers D3 on 06-01 (created 04-20, lost 06-30, 200).
func handRecords(t *testing.T, alloc memory.Allocator) ([]arrow.Record, func()) {
	p := arrowtest.Record(t, alloc, schema.Partners,
		arrowtest.Row{schema.PartnerID: "PA", schema.PartnerName: "A", schema.JoinedDate: "2026-01-15", schema.Vertical: "healthcare", schema.Capability: "staffing"},
		arrowtest.Row{schema.PartnerID: "PB", schema.PartnerName: "B", schema.JoinedDate: "2026-02-01", schema.Vertical: "retail"},
		arrowtest.Row{schema.PartnerID: "PC", schema.PartnerName: "C", schema.JoinedDate: "2026-04-10", schema.Vertical: "healthcare", schema.Capability: "advisory"})
	d := arrowtest.Record(t, alloc, schema.Deals,
		arrowtest.Row{schema.DealID: "D1", schema.CustomerID: "X", schema.CreatedDate: "2026-02-10", schema.RegisteredDate: "2026-02-12", schema.Status: "won", schema.ClosedDate: "2026-05-01", schema.AmountUSD: "1000", schema.AEInvited: true},
		arrowtest.Row{schema.DealID: "D2", schema.CustomerID: "X", schema.CreatedDate: "2026-07-05", schema.Status: "open", schema.AmountUSD: "500"},
		arrowtest.Row{schema.DealID: "D3", schema.CustomerID: "Y", schema.CreatedDate: "2026-04-20", schema.RegisteredDate: "2026-06-01", schema.Status: "lost", schema.ClosedDate: "2026-06-30", schema.AmountUSD: "200"})
	x := arrowtest.Record(t, alloc, schema.DealPartners,
		arrowtest.Row{schema.DealID: "D1", schema.PartnerID: "PA", schema.Role: "sourced"},
		arrowtest.Row{schema.DealID: "D2", schema.PartnerID: "PA", schema.Role: "sourced"},
		arrowtest.Row{schema.DealID: "D3", schema.PartnerID: "PC", schema.Role: "sourced"})
	return []arrow.Record{p, d, x}, func() { p.Release(); d.Release(); x.Release() }
}

func TestHandComputedCohorts(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	recs, release := handRecords(t, alloc)
	defer release()
	asOf, _ := schema.ParseDay("2026-09-30")
	rec := run(t, alloc, recs[:1], recs[1:2], recs[2:], asOf, Default())
	defer rec.Release()
	got := map[string]string{}
	var order []string
	for _, r := range arrowtest.Rows(rec) {
		k := r[schema.CohortType] + "/" + r[schema.Cohort] + "/" + r[schema.Period]
		order = append(order, k)
		got[k] = fmt.Sprintf("n=%s act=%s rate=%s days=%s active=%s ret=%s rrate=%s deals=%s pipe=%s won=%s rev=%s wdays=%s ae=%s",
			r[schema.PartnerCount], r[schema.ActivatedPartners], r[schema.ActivationRate], r[schema.AvgDaysToFirstDeal], r[schema.ActivePartners],
			r[schema.RetainedPartners], r[schema.RetentionRate], r[schema.DealsCreated], r[schema.PipelineUSD], r[schema.WonDeals],
			r[schema.WonRevenueUSD], r[schema.AvgWinDays], r[schema.AEInvitedDeals])
	}
	// days to first deal: PA 2026-02-12 - 01-15 = 28, PC 06-01 - 04-10 = 52;
	// win velocity of D1: 05-01 - 02-10 = 80 days. Retention: active in the
	// period and the one before, over active in the one before.
	want := map[string]string{
		"join_quarter/2026-Q1/0": "n=2 act=1 rate=0.5 days=28 active=1 ret=0 rrate= deals=1 pipe=1000 won=0 rev=0 wdays= ae=1",
		"join_quarter/2026-Q1/1": "n=2 act=1 rate=0.5 days=28 active=0 ret=0 rrate=0 deals=0 pipe=0 won=1 rev=1000 wdays=80 ae=0",
		"join_quarter/2026-Q1/2": "n=2 act=1 rate=0.5 days=28 active=1 ret=0 rrate= deals=1 pipe=500 won=0 rev=0 wdays= ae=0",
		"join_quarter/2026-Q2/0": "n=1 act=1 rate=1 days=52 active=1 ret=0 rrate= deals=1 pipe=200 won=0 rev=0 wdays= ae=0",
		"join_quarter/2026-Q2/1": "n=1 act=1 rate=1 days=52 active=0 ret=0 rrate=0 deals=0 pipe=0 won=0 rev=0 wdays= ae=0",
		"stage/awareness/0":      "n=1 act=0 rate=0 days= active=0 ret=0 rrate= deals=0 pipe=0 won=0 rev=0 wdays= ae=0",
		"stage/activation/0":     "n=2 act=2 rate=1 days=40 active=2 ret=0 rrate= deals=2 pipe=1200 won=0 rev=0 wdays= ae=1",
		"stage/activation/1":     "n=2 act=2 rate=1 days=40 active=0 ret=0 rrate=0 deals=0 pipe=0 won=1 rev=1000 wdays=80 ae=0",
		"stage/activation/2":     "n=1 act=1 rate=1 days=28 active=1 ret=0 rrate= deals=1 pipe=500 won=0 rev=0 wdays= ae=0",
		"vertical/healthcare/2":  "n=1 act=1 rate=1 days=28 active=1 ret=0 rrate= deals=1 pipe=500 won=0 rev=0 wdays= ae=0",
		"capability/unknown/1":   "n=1 act=0 rate=0 days= active=0 ret=0 rrate= deals=0 pipe=0 won=0 rev=0 wdays= ae=0",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], w)
		}
	}
	if _, ok := got["join_quarter/2026-Q2/2"]; ok {
		t.Error("the 2026-Q2 cohort has a period 2 beyond the as-of quarter (the triangle)")
	}
	if _, ok := got["stage/acceleration/0"]; ok {
		t.Error("an empty stage has rows")
	}
	wantOrder := []string{"join_quarter/2026-Q1/0", "join_quarter/2026-Q1/1", "join_quarter/2026-Q1/2", "join_quarter/2026-Q2/0", "join_quarter/2026-Q2/1",
		"stage/awareness/0", "stage/awareness/1", "stage/awareness/2", "stage/activation/0"}
	for i, k := range wantOrder {
		if order[i] != k {
			t.Fatalf("row %d is %s, want %s (order %v)", i, order[i], k, order)
		}
	}

	// one won deal in the last 4 quarters makes PA accelerate
	cfg := Default()
	cfg.AccelerationWonDeals = 1
	rec2 := run(t, alloc, recs[:1], recs[1:2], recs[2:], asOf, cfg)
	defer rec2.Release()
	found := false
	for _, r := range arrowtest.Rows(rec2) {
		if r[schema.CohortType] == "stage" && r[schema.Cohort] == "acceleration" && r[schema.Period] == "0" {
			found = r[schema.PartnerCount] == "1" && r[schema.PipelineUSD] == "1000"
		}
	}
	if !found {
		t.Error("PA is not the one acceleration partner with acceleration_won_deals 1")
	}
}

// TestCohortsBeforeTheDataAreUnknown: the deals begin in 2026-Q1 (D1,
// created 2026-02-10). PZ joined in 2025-Q2, three quarters before; it
// registers D4 in 2026-Q3. Its periods before 2026-Q1 are unknown, not
// empty, and its activation (which runs from its join quarter) is unknown
// at every period; the cohorts that joined since keep their figures.
func TestCohortsBeforeTheDataAreUnknown(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	recs, release := handRecords(t, alloc)
	defer release()
	pz := arrowtest.Record(t, alloc, schema.Partners,
		arrowtest.Row{schema.PartnerID: "PZ", schema.PartnerName: "Z", schema.JoinedDate: "2025-05-20", schema.Vertical: "healthcare", schema.Capability: "staffing"})
	d4 := arrowtest.Record(t, alloc, schema.Deals,
		arrowtest.Row{schema.DealID: "D4", schema.CustomerID: "W", schema.CreatedDate: "2026-07-01", schema.RegisteredDate: "2026-07-02", schema.Status: "open", schema.AmountUSD: "300"})
	x4 := arrowtest.Record(t, alloc, schema.DealPartners, arrowtest.Row{schema.DealID: "D4", schema.PartnerID: "PZ", schema.Role: "sourced"})
	defer func() { pz.Release(); d4.Release(); x4.Release() }()
	asOf, _ := schema.ParseDay("2026-09-30")
	rec := run(t, alloc, []arrow.Record{recs[0], pz}, []arrow.Record{recs[1], d4}, []arrow.Record{recs[2], x4}, asOf, Default())
	defer rec.Release()
	got := map[string]string{}
	for _, r := range arrowtest.Rows(rec) {
		got[r[schema.CohortType]+"/"+r[schema.Cohort]+"/"+r[schema.Period]] = fmt.Sprintf("n=%s known=%s act=%s rate=%s active=%s deals=%s pipe=%s before=%s",
			r[schema.PartnerCount], r[schema.ActivationPartners], r[schema.ActivatedPartners], r[schema.ActivationRate], r[schema.ActivePartners],
			r[schema.DealsCreated], r[schema.PipelineUSD], r[schema.BeforeData])
	}
	want := map[string]string{
		// 2025-Q2, Q3, Q4: before the data, nothing is known but who joined
		"join_quarter/2025-Q2/0": "n=1 known=0 act=0 rate= active= deals= pipe= before=true",
		"join_quarter/2025-Q2/2": "n=1 known=0 act=0 rate= active= deals= pipe= before=true",
		// 2026-Q1 on: the period is observed, the activation still not
		"join_quarter/2025-Q2/3": "n=1 known=0 act=0 rate= active=0 deals=0 pipe=0 before=true",
		"join_quarter/2025-Q2/5": "n=1 known=0 act=0 rate= active=1 deals=1 pipe=300 before=true",
		// cohorts that joined since the data began are unchanged
		"join_quarter/2026-Q1/0": "n=2 known=2 act=1 rate=0.5 active=1 deals=1 pipe=1000 before=false",
		// a vertical mixes them: PZ counts in n, not in the activation
		"vertical/healthcare/0": "n=3 known=2 act=2 rate=1 active=2 deals=2 pipe=1200 before=true",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], w)
		}
	}
}
