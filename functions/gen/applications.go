package gen

import (
	"math"
	"strconv"

	"github.com/partnerq/pqi/transforms/schema"
)

// Applications: prospective partners assessed against the common
// 7-criterion qualification rubric, one row per application and criterion.
const (
	applicantsPer  = 40   // one applicant per this many partners (at least 4)
	applicantSkip  = 0.03 // share of criteria left unscored (not yet assessed)
	applicantNoise = 0.6  // criterion score = round(1.6 + 0.9 z + applicantNoise N(0,1)), clamped to 0-3
)

// rubricNotes are what an assessor writes for each criterion of the
// common rubric, by score (0 warning sign ... 3 good sign).
var rubricNotes = []struct {
	criterion string
	notes     [4]string
}{
	{"market_alignment", [4]string{"no pipeline in our segments", "some overlap with target segments", "half of book in target segments", "most pipeline in our ICP verticals"}},
	{"technical_capability", [4]string{"no certified staff, no references", "one certified engineer", "certified staff, no production reference", "certified architects, live deployments"}},
	{"positioning_discipline", [4]string{"demo overclaims core capabilities", "generic pitch", "demo reviewed: one overclaim", "demo reviewed: accurate throughout"}},
	{"lead_quality", [4]string{"referred leads rarely qualify", "a third of referred leads qualified", "half of referred leads qualified", "most referred leads passed qualification"}},
	{"portfolio_fit", [4]string{"resells a directly competing product", "resells a competing suite", "adjacent portfolio, minor overlap", "complementary portfolio, no competing product"}},
	{"customer_success_focus", [4]string{"no post-sale function", "project-only, no success function", "success manager on larger accounts", "dedicated CS team, QBRs with every client"}},
	{"geographic_vertical_reach", [4]string{"outside our regions", "one metro area", "one region", "a region plus a vertical we lack"}},
}

var assessors = []string{"j.alvarez", "m.okafor", "s.chen", "a.novak"}

// applications writes the applicants' assessments: half in the as-of
// quarter, half in the three quarters before; a latent applicant quality z
// drives every criterion.
func (g *generator) applications() {
	r := stream(g.cfg.Seed, streamApplications, 0)
	s := g.appOut
	n := max(4, len(g.partners)/applicantsPer)
	q := g.w.quarters
	last := q[len(q)-2] // first day of the as-of quarter
	first := q[max(0, len(q)-5)]
	for i := range n {
		z := r.NormFloat64()
		id := "APP-" + strconv.Itoa(1001+i)
		name := partnerName(r, r.IntN(4))
		from, to := first, last-1
		if i%2 == 0 || from > to {
			from, to = last, g.w.asOf
		}
		day := g.dates.str(from + int32(r.IntN(int(to-from+1))))
		who := assessors[r.IntN(len(assessors))]
		for _, c := range rubricNotes {
			row := s.row()
			row[s.col(schema.ApplicantID)] = id
			row[s.col(schema.ApplicantName)] = name
			row[s.col(schema.AssessedDate)] = day
			row[s.col(schema.Assessor)] = who
			row[s.col(schema.Criterion)] = c.criterion
			if u := r.Float64(); u >= applicantSkip {
				v := int(math.Max(0, math.Min(3, math.Round(1.6+0.9*z+applicantNoise*r.NormFloat64()))))
				row[s.col(schema.Score)] = strconv.Itoa(v)
				row[s.col(schema.EvidenceNote)] = c.notes[v]
			}
			s.put(row)
		}
	}
}
