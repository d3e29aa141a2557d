package quality

import (
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

// small is a hand-made snapshot whose components are computed by hand in
// the test below (as-of 2026-09-30, window 2025-10-01..2026-09-30).
func small(t *testing.T, alloc memory.Allocator) Tables {
	same := arrowtest.Row{schema.Segment: "smb", schema.ProductCount: 1, schema.CustomerMaturity: "mature",
		schema.DeliveryScope: "advisory", schema.AmountUSD: 1000.0}
	deal := func(r arrowtest.Row) arrowtest.Row {
		for k, v := range same {
			r[k] = v
		}
		return r
	}
	return Tables{
		Partners: []arrow.Record{arrowtest.Record(t, alloc, schema.Partners,
			arrowtest.Row{schema.PartnerID: "P1", schema.PartnerName: "One", schema.PartnerType: "si", schema.ProgramTier: "silver",
				schema.JoinedDate: "2020-01-01", schema.CertifiedStaff: 2, schema.TotalStaff: 4, schema.CaseStudies: 1},
			arrowtest.Row{schema.PartnerID: "P2", schema.PartnerName: "Two", schema.PartnerType: "reseller", schema.ProgramTier: "registered",
				schema.JoinedDate: "2020-01-01", schema.CertifiedStaff: 0, schema.TotalStaff: 10},
		)},
		Deals: []arrow.Record{arrowtest.Record(t, alloc, schema.Deals,
			deal(arrowtest.Row{schema.DealID: "D1", schema.CustomerID: "C1", schema.CreatedDate: "2026-01-10", schema.ClosedDate: "2026-03-01", schema.Status: "won",
				schema.Qualified: true, schema.RegisteredDate: "2026-01-12", schema.AEInvited: true, schema.ServicesAttached: true,
				schema.FirstValueDate: "2026-03-21", schema.ViaMarketplace: false}),
			deal(arrowtest.Row{schema.DealID: "D2", schema.CustomerID: "C2", schema.CreatedDate: "2026-02-01", schema.ClosedDate: "2026-04-01", schema.Status: "lost",
				schema.Qualified: false, schema.RegisteredDate: "2026-02-20", schema.AEInvited: false, schema.ServicesAttached: false, schema.ViaMarketplace: true}),
			deal(arrowtest.Row{schema.DealID: "D3", schema.CustomerID: "C3", schema.CreatedDate: "2026-09-28", schema.Status: "open",
				schema.Qualified: true, schema.AEInvited: false, schema.ServicesAttached: false, schema.ViaMarketplace: false}),
			deal(arrowtest.Row{schema.DealID: "D4", schema.CustomerID: "C4", schema.CreatedDate: "2026-03-01", schema.ClosedDate: "2026-05-01", schema.Status: "won",
				schema.Qualified: true, schema.RegisteredDate: "2026-03-01", schema.AEInvited: false, schema.ServicesAttached: true,
				schema.FirstValueDate: "2026-05-11", schema.ViaMarketplace: false}),
			deal(arrowtest.Row{schema.DealID: "D5", schema.CustomerID: "CX", schema.CreatedDate: "2026-01-01", schema.ClosedDate: "2026-02-01", schema.Status: "won"}),
			deal(arrowtest.Row{schema.DealID: "D6", schema.CustomerID: "C6", schema.CreatedDate: "2025-03-01", schema.ClosedDate: "2025-05-01", schema.Status: "won"}),
		)},
		DealPartners: []arrow.Record{arrowtest.Record(t, alloc, schema.DealPartners,
			arrowtest.Row{schema.DealID: "D1", schema.PartnerID: "P2", schema.Role: "influenced"}, // listed first, but P1 sourced it
			arrowtest.Row{schema.DealID: "D1", schema.PartnerID: "P1", schema.Role: "sourced"},
			arrowtest.Row{schema.DealID: "D2", schema.PartnerID: "P1", schema.Role: "co_sell"},
			arrowtest.Row{schema.DealID: "D3", schema.PartnerID: "P1", schema.Role: "sourced"},
			arrowtest.Row{schema.DealID: "D4", schema.PartnerID: "P2", schema.Role: "sourced"},
			arrowtest.Row{schema.DealID: "D6", schema.PartnerID: "P1", schema.Role: "sourced"},
		)},
		CSAT: []arrow.Record{arrowtest.Record(t, alloc, schema.CSAT,
			arrowtest.Row{schema.ResponseID: "R1", schema.PartnerID: "P1", schema.CustomerID: "C1", schema.DealID: "D1", schema.RespondedDate: "2026-03-15", schema.Score: 4},
			arrowtest.Row{schema.ResponseID: "R2", schema.PartnerID: "P1", schema.CustomerID: "C1", schema.RespondedDate: "2026-06-01", schema.Score: 2},
			arrowtest.Row{schema.ResponseID: "R3", schema.PartnerID: "P2", schema.CustomerID: "C4", schema.DealID: "D4", schema.RespondedDate: "2026-06-01", schema.Score: 5},
			arrowtest.Row{schema.ResponseID: "R4", schema.PartnerID: "P1", schema.CustomerID: "C6", schema.RespondedDate: "2025-01-01", schema.Score: 1},
		)},
		Churn: []arrow.Record{arrowtest.Record(t, alloc, schema.Churn,
			arrowtest.Row{schema.CustomerID: "C1", schema.PartnerID: "P1", schema.ContractStart: "2026-03-01", schema.ChurnDate: "2026-09-01", schema.ARRUSD: 1000.0},
			arrowtest.Row{schema.CustomerID: "C0", schema.PartnerID: "P1", schema.ContractStart: "2024-10-01", schema.ARRUSD: 1000.0},
			arrowtest.Row{schema.CustomerID: "CX", schema.ContractStart: "2026-02-01", schema.ARRUSD: 1000.0},
			arrowtest.Row{schema.CustomerID: "C4", schema.PartnerID: "P2", schema.ContractStart: "2026-05-01", schema.ARRUSD: 1000.0},
		)},
	}
}

// scoreSmall scores the small tables for 2026-09-30.
func scoreSmall(t *testing.T, tables Tables, cfg Config) *scored {
	t.Helper()
	snap, err := SnapshotOf(tables)
	if err != nil {
		t.Fatal(err)
	}
	s, err := compute(snap, Params{AsOf: schema.Day(day(t, "2026-09-30")), RunID: "sco-test", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func release(t Tables) {
	for _, rs := range [][]arrow.Record{t.Partners, t.Deals, t.DealPartners, t.CSAT, t.Churn} {
		for _, r := range rs {
			r.Release()
		}
	}
}

func TestComponentsByHand(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tables := small(t, alloc)
	defer release(tables)
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.History = History{Quarters: 4} // the window alone; TestHistoryDecayByHand weighs the older rows
	cfg.RegistrationDeadlineDays = 5   // the rows below were counted by hand against 5 days
	s := scoreSmall(t, tables, cfg)
	in, r := s.in, s.cur
	p1, p2 := in.pIndex["P1"], in.pIndex["P2"]
	if r.w.Start != day(t, "2025-10-01") || r.w.End != day(t, "2026-09-30") {
		t.Fatalf("window %s..%s", fmtDate(r.w.Start), fmtDate(r.w.End))
	}
	deal := func(id string) int32 {
		d, ok := in.dealIndex.Lookup(id)
		if !ok {
			t.Fatalf("deal %s is not in the snapshot", id)
		}
		return d
	}
	d1, d5 := deal("D1"), deal("D5")
	if in.dPrimary[d1] != p1 {
		t.Fatal("D1's primary partner should be P1, who sourced it")
	}
	if in.dPrimary[d5] != -1 {
		t.Fatal("D5 has no partner: direct")
	}
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s = %.12g, want %.12g", name, got, want)
		}
	}
	// evidence: P1 has D1, D2, D3 created in the window, D1 and D2 closed
	check("P1 deals", float64(r.deals[p1]), 3)
	check("P1 closed", float64(r.closed[p1]), 2)
	check("P1 csat responses", float64(r.csatN[p1]), 2)
	check("P1 contracts", float64(r.contracts[p1]), 2)
	check("P1 customers", float64(r.customers[p1]), 2)
	obs := func(c schema.Component, p int32) float64 { return r.comp[c].obs[p] }
	n := func(c schema.Component, p int32) float64 { return float64(r.comp[c].n[p]) }
	check("P1 win rate", obs(schema.CompWinRate, p1), 0.5)                         // D1 won, D2 lost
	check("P2 win rate", obs(schema.CompWinRate, p2), 1)                           // D4 won
	check("P1 lead quality", obs(schema.CompLeadQuality, p1), 2.0/3)               // D1, D3 qualified of 3
	check("P1 registration n", n(schema.CompRegistration, p1), 2)                  // D3 created after 2026-09-25: too recent
	check("P1 registration", obs(schema.CompRegistration, p1), 0.5)                // D1 in 2 days, D2 in 19
	check("P1 ae pull-through", obs(schema.CompAEPullThrough, p1), 1.0/3)          // D1
	check("P1 attach", obs(schema.CompAttachRate, p1), 1.0/3)                      // D1
	check("P1 marketplace", obs(schema.CompMarketplace, p1), 1.0/3)                // D2
	check("P1 time to value (days)", obs(schema.CompTimeToValue, p1), 20)          // D1: 2026-03-01 -> 2026-03-21
	check("P2 time to value (days)", obs(schema.CompTimeToValue, p2), 10)          // D4: 2026-05-01 -> 2026-05-11
	check("P1 csat", obs(schema.CompCSAT, p1), 3)                                  // R1 4, R2 2 (R4 is before the window)
	check("P1 churn per customer-year", obs(schema.CompChurnRate, p1), 365.25/549) // 1 event over 184 + 365 days
	check("P2 churn per customer-year", obs(schema.CompChurnRate, p2), 0)          // 153 days, no event
	check("P1 certification", obs(schema.CompCertification, p1), 0.5)              // 2 of 4
	check("P2 certification", obs(schema.CompCertification, p2), 0)                // 0 of 10
	check("P1 case studies", obs(schema.CompCaseStudies, p1), 1)
	check("P2 case studies n", n(schema.CompCaseStudies, p2), 0) // null: no evidence
	for c := range schema.Component(schema.NumComponents) {
		e := r.comp[c]
		for _, p := range []int32{p1, p2} {
			if e.n[p] > 0 && !(e.low[p] <= e.shrunk[p] && e.shrunk[p] <= e.high[p]) {
				t.Errorf("%s: shrunk %g outside its interval %g-%g", c.String(), e.shrunk[p], e.low[p], e.high[p])
			}
		}
	}
	// two partners, 2 and 1 closed deals: neither has enough evidence
	if r.scored[p1] || r.scored[p2] {
		t.Error("partners with under 5 closed deals must be insufficient_evidence")
	}
	res, err := s.result(alloc, Params{AsOf: schema.Day(day(t, "2026-09-30")), RunID: "sco-test", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.PartnerQuality.NumRows() != 2 || res.Insufficient != 2 || len(res.Top) != 0 {
		t.Fatalf("rows %d, insufficient %d, top %d", res.PartnerQuality.NumRows(), res.Insufficient, len(res.Top))
	}
	pq := schema.Get(schema.PartnerQuality)
	if !res.PartnerQuality.Schema().Equal(pq.StoredArrow()) {
		t.Fatal("partner_quality record does not match the stored schema")
	}
}

// With the default history, rows before the window count with their decay
// weight 2^(-days before the window / 365.25) (half-life 4 quarters).
func TestHistoryDecayByHand(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tables := small(t, alloc)
	defer release(tables)
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.History != (History{Quarters: 12, HalfLifeQuarters: 4}) {
		t.Fatalf("default history %+v; this test's weights assume 12 quarters, half-life 4", cfg.History)
	}
	cfg.RegistrationDeadlineDays = 5 // the rows were counted by hand against 5 days
	s := scoreSmall(t, tables, cfg)
	in, r := s.in, s.cur
	p1 := in.pIndex["P1"]
	window := day(t, "2025-10-01")
	w := func(date string) float64 { return math.Pow(2, -float64(window-day(t, date))/365.25) }
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %.12g, want %.12g", name, got, want)
		}
	}
	obs := func(c schema.Component) float64 { return r.comp[c].obs[p1] }
	// D6, won, created 2025-03-01 and closed 2025-05-01, before the window
	w6 := w("2025-05-01")
	check("P1 closed in the window", float64(r.closed[p1]), 2)
	check("P1 weighted closed deals", r.closedW[p1], 2+w6)
	check("P1 win rate", obs(schema.CompWinRate), (1+w6)/(2+w6))                        // D1 won, D2 lost, D6 won
	check("P1 registration", obs(schema.CompRegistration), 1/(2+w("2025-03-01")))       // D6 never registered
	check("P1 csat", obs(schema.CompCSAT), (4+2+1*w("2025-01-01"))/(2+w("2025-01-01"))) // R4 scored 1
	check("P1 win rate rows", float64(r.comp[schema.CompWinRate].n[p1]), 3)
	if r.scored[p1] {
		t.Error("2.7 weighted closed deals must stay insufficient_evidence")
	}
	// the history reaches back to 2023-10-01, but the deals begin with D6
	// on 2025-03-01: the count is said from where the data begin
	if got := r.evReason[p1]; !strings.Contains(got, "closed deals weighted by age since 2025-03-01 (2 in the window)") {
		t.Errorf("evidence reason %q does not say what was counted, since when", got)
	}
}

// A deal_partners row numbered beyond what the primary partner's tie-break
// keeps is refused with the fix, not ordered wrongly.
func TestSourceRowBeyondRangeRefused(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	tables := small(t, alloc)
	defer func() { release(tables) }()
	far := arrowtest.Record(t, alloc, schema.DealPartners,
		arrowtest.Row{schema.DealID: "D2", schema.PartnerID: "P2", schema.Role: "co_sell", schema.SourceFile: "dp-2.csv", schema.SourceRow: 1 << 33})
	tables.DealPartners = append(tables.DealPartners, far)
	_, err := SnapshotOf(tables)
	if err == nil || !strings.Contains(err.Error(), "dp-2.csv has source_row 8589934592") || !strings.Contains(err.Error(), "fix:") {
		t.Fatalf("err = %v, want the file, the row number and the fix", err)
	}
}

// A churn contract takes its case mix from the customer's first won deal
// closed on the contract's start: the first in input order when two are,
// none when no deal of the customer closed that day or no deal names it.
func TestChurnContractsFindTheirWonDeal(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	tables := small(t, alloc)
	defer func() { release(tables) }()
	tables.Deals = append(tables.Deals, arrowtest.Record(t, alloc, schema.Deals,
		arrowtest.Row{schema.DealID: "D7", schema.CustomerID: "C1", schema.CreatedDate: "2026-01-20", schema.ClosedDate: "2026-03-01", schema.Status: "won"},
		arrowtest.Row{schema.DealID: "D8", schema.CustomerID: "C4", schema.CreatedDate: "2026-01-20", schema.ClosedDate: "2026-05-02", schema.Status: "won"},
	))
	snap, err := SnapshotOf(tables)
	if err != nil {
		t.Fatal(err)
	}
	in := snap.in
	// churn rows C1 (2026-03-01), C0 (no deal), CX (2026-02-01), C4 (2026-05-01)
	want := []string{"D1", "", "D5", "D4"}
	for i, d := range in.hDeal {
		got := ""
		if d >= 0 {
			got = in.dealIndex.Key(d)
		}
		if got != want[i] {
			t.Errorf("churn row %d: deal %q, want %q", i, got, want[i])
		}
	}
}
