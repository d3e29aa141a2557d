package quality

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

// TestQualifyByHand scores three applications in the contract's long form
// against the default rubric (weights 3,3,2,2,1,2,1, maximum 42) and
// checks the totals and bands counted by hand, an incomplete application
// (a null score), an unknown criterion and a re-assessment.
func TestQualifyByHand(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	order := []string{"market_alignment", "technical_capability", "positioning_discipline", "lead_quality", "portfolio_fit", "customer_success_focus", "geographic_vertical_reach"}
	var rows []arrowtest.Row
	add := func(id, day string, scores ...any) {
		for i, s := range scores {
			r := arrowtest.Row{schema.ApplicantID: id, schema.ApplicantName: "Name " + id, schema.AssessedDate: day, schema.Assessor: "j.alvarez", schema.Criterion: order[i]}
			if s != nil {
				r[schema.Score] = s
			}
			rows = append(rows, r)
		}
	}
	add("A1", "2026-08-12", 3, 3, 2, 3, 2, 3, 2)   // 9+9+4+6+2+6+2 = 38: tier1 (36+)
	add("A2", "2026-08-20", 2, 2, 2, 2, 1, 1, 1)   // 6+6+4+4+1+2+1 = 24: probationary (18-26)
	add("A3", "2026-09-15", 3, 2, 3, 2, nil, 2, 1) // 9+6+6+4+4+1 = 30 with portfolio_fit not scored: incomplete
	add("A2", "2026-09-28", 3, 2, 2, 2, 1, 2, 1)   // re-assessed: 9+6+4+4+1+4+1 = 29: standard
	rows = append(rows, arrowtest.Row{schema.ApplicantID: "A1", schema.AssessedDate: "2026-08-12", schema.Criterion: "partner_swag", schema.Score: 3})
	rec := arrowtest.Record(t, alloc, schema.Applications, rows...)
	defer rec.Release()
	out, apps, err := Qualify(alloc, []arrow.Record{rec}, cfg.Intake, schema.Day(day(t, "2026-09-30")), "sco-test")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	want := []struct {
		id, day, band, missing, unknown string
		total                           string
	}{
		{"A1", "2026-08-12", "tier1_candidate", "", "partner_swag", "38"},
		{"A2", "2026-08-20", "probationary", "", "", "24"},
		{"A3", "2026-09-15", "incomplete", "portfolio_fit", "", "30"},
		{"A2", "2026-09-28", "standard", "", "", "29"},
	}
	got := arrowtest.Rows(out)
	if len(got) != len(want) || len(apps) != len(want) {
		t.Fatalf("%d rows, %d applicants, want %d: %v", len(got), len(apps), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g[schema.ApplicantID] != w.id || g[schema.AssessedDate] != w.day || g[schema.Band] != w.band || g[schema.Total] != w.total ||
			g[schema.MissingCriteria] != w.missing || g[schema.UnknownCriteria] != w.unknown || g[schema.Maximum] != "42" {
			t.Errorf("row %d is %v, want %+v", i, g, w)
		}
	}
	if g := got[2][schema.CriteriaPoints]; g != "market_alignment 3x3=9; technical_capability 2x3=6; positioning_discipline 3x2=6; lead_quality 2x2=4; portfolio_fit not scored; customer_success_focus 2x2=4; geographic_vertical_reach 1x1=1" {
		t.Errorf("criteria points %q", g)
	}
	if apps[0].Name != "Name A1" || apps[0].Assessor != "j.alvarez" {
		t.Errorf("applicant %+v lost its name or assessor", apps[0])
	}
}
