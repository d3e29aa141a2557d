package quality

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

// TestRegistrationConflictsByHand: three customers whose registrations
// were checked by hand against the default protection (90 days, 180 from
// $100,000, the first qualified registration wins), as-of 2026-09-30.
func TestRegistrationConflictsByHand(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	type reg struct {
		deal, cust, partner, date string
		amount                    any // nil = no amount
		qualified                 bool
	}
	regs := []reg{
		// C1: P1 registers first (90 days, to 2026-04-10); P2 inside it is a
		// conflict; P1's own second registration is not; P3 after P1's
		// protection ended but inside P2's (to 2026-05-30) conflicts with P2.
		{"A", "C1", "P1", "2026-01-10", 1000.0, true},
		{"B", "C1", "P2", "2026-03-01", 1000.0, true},
		{"C", "C1", "P1", "2026-03-05", 1000.0, true},
		{"D", "C1", "P3", "2026-05-01", nil, true},
		// C2: a $200,000 deal protects 180 days: P2 at day 165 conflicts;
		// P2's deal is not qualified, so P3 at day 185 conflicts with nobody.
		{"F", "C2", "P1", "2026-01-01", 200000.0, true},
		{"G", "C2", "P2", "2026-06-15", 5000.0, false},
		{"H", "C2", "P3", "2026-07-05", 5000.0, true},
		// C3: the first registration is before the window, the later inside
		// it: listed. A registration of exactly day 90 is still protected.
		{"J", "C3", "P1", "2025-09-15", 99999.99, true},
		{"K", "C3", "P2", "2025-12-14", 1000.0, true},
	}
	var deals, dps []arrowtest.Row
	for _, r := range regs {
		d := arrowtest.Row{schema.DealID: r.deal, schema.CustomerID: r.cust, schema.CreatedDate: r.date, schema.RegisteredDate: r.date,
			schema.Status: "open", schema.Qualified: r.qualified, schema.Segment: "smb", schema.ProductCount: 1,
			schema.CustomerMaturity: "mature", schema.DeliveryScope: "advisory"}
		if r.amount != nil {
			d[schema.AmountUSD] = r.amount
		}
		deals = append(deals, d)
		dps = append(dps, arrowtest.Row{schema.DealID: r.deal, schema.PartnerID: r.partner, schema.Role: "sourced"})
	}
	var partners []arrowtest.Row
	for _, id := range []string{"P1", "P2", "P3"} {
		partners = append(partners, arrowtest.Row{schema.PartnerID: id, schema.PartnerName: id, schema.PartnerType: "si",
			schema.ProgramTier: "silver", schema.JoinedDate: "2020-01-01"})
	}
	tables := Tables{
		Partners:     []arrow.Record{arrowtest.Record(t, alloc, schema.Partners, partners...)},
		Deals:        []arrow.Record{arrowtest.Record(t, alloc, schema.Deals, deals...)},
		DealPartners: []arrow.Record{arrowtest.Record(t, alloc, schema.DealPartners, dps...)},
	}
	defer release(tables)
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	s := scoreSmall(t, tables, cfg)
	res, err := s.result(alloc, Params{AsOf: schema.Day(day(t, "2026-09-30")), RunID: "sco-test", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	got := arrowtest.Rows(res.Conflicts)
	want := []map[string]string{
		{"customer": "C1", "first": "A", "firstP": "P1", "days": "90", "until": "2026-04-10", "deal": "B", "partner": "P2", "after": "50"},
		{"customer": "C1", "first": "B", "firstP": "P2", "days": "90", "until": "2026-05-30", "deal": "D", "partner": "P3", "after": "61"},
		{"customer": "C2", "first": "F", "firstP": "P1", "days": "180", "until": "2026-06-30", "deal": "G", "partner": "P2", "after": "165"},
		{"customer": "C3", "first": "J", "firstP": "P1", "days": "90", "until": "2025-12-14", "deal": "K", "partner": "P2", "after": "90"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d conflicts, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g[schema.CustomerID] != w["customer"] || g[schema.FirstDealID] != w["first"] || g[schema.FirstPartnerID] != w["firstP"] ||
			g[schema.ProtectionDays] != w["days"] || g[schema.ProtectedUntil] != w["until"] || g[schema.DealID] != w["deal"] ||
			g[schema.PartnerID] != w["partner"] || g[schema.DaysAfterFirst] != w["after"] {
			t.Errorf("conflict %d is %v, want %v", i, g, w)
		}
	}
	counts := map[string][2]string{"P1": {"3", "0"}, "P2": {"1", "3"}, "P3": {"0", "1"}}
	for _, r := range arrowtest.Rows(res.PartnerQuality) {
		if g := [2]string{r[schema.ConflictsAsFirst], r[schema.ConflictsAsLater]}; g != counts[r[schema.PartnerID]] {
			t.Errorf("%s: conflicts first/later %v, want %v", r[schema.PartnerID], g, counts[r[schema.PartnerID]])
		}
	}
}
