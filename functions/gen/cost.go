package gen

import (
	"math"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// Monthly cost to serve, by program tier (registered, silver, gold, platinum).
var (
	programFee    = [4]float64{150, 600, 1800, 4500}
	mgmtHours     = [4]float64{1, 4, 10, 24}
	enableHours   = [4]float64{0.3, 0.6, 1.2, 2}
	mdfChance     = [4]float64{0.1, 0.4, 0.7, 0.9}
	mdfBase       = [4]float64{400, 900, 2500, 6000}
	mgmtRate      = 85.0  // USD per partner-management hour
	enableRate    = 110.0 // USD per enablement hour
	investMDF     = 0.7   // share of the step-up spent as mdf, the rest as enablement
	costCategoryN = len(schema.CostCategories)
)

// partnerCost writes one row per month and category from the month the
// partner joined (or the window start) to the as-of month. Zero mdf and
// "other" months have no row. Invested partners get extra mdf and
// enablement from the step-up on.
func (g *generator) partnerCost(p *partner) {
	r := stream(g.cfg.Seed, streamCost, uint64(p.idx))
	from := schema.DateOf(max(p.joined, g.w.start))
	month := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	size := math.Min(5, math.Max(0.3, math.Exp(0.3*p.zAct)))
	months := float64(g.w.days()) / 30.44
	amounts := make([]float64, costCategoryN)
	hours := make([]float64, costCategoryN)
	s, c := g.costOut, g.ctc
	for ; schema.DaysOf(month) <= g.w.asOf; month = month.AddDate(0, 1, 0) {
		day := schema.DaysOf(month)
		t := p.tier
		clear(hours)
		amounts[costProgram] = programFee[t] * (0.9 + 0.2*r.Float64())
		hours[costPartnerManagement] = mgmtHours[t] * size * (0.6 + 0.8*r.Float64())
		amounts[costPartnerManagement] = hours[costPartnerManagement] * mgmtRate
		hours[costEnablement] = math.Sqrt(float64(p.totalStaff)+1) * enableHours[t] * (0.5 + r.Float64())
		amounts[costEnablement] = hours[costEnablement] * enableRate
		if u := r.Float64(); u < 0.2 {
			amounts[costEnablement] += 2500 * u // materials, events
		}
		amounts[costMDF] = 0
		if u, z := r.Float64(), r.NormFloat64(); u < mdfChance[t] {
			amounts[costMDF] = mdfBase[t] * size * math.Exp(0.5*z)
		}
		amounts[costSupport] = (40 + 25*p.lambda/months) * (0.7 + 0.6*r.Float64())
		amounts[costOther] = 0
		if u, v := r.Float64(), r.Float64(); u < 0.3 {
			amounts[costOther] = 50 + 750*v
		}
		if p.group == groupInvested && day >= p.investStart {
			extra := p.extraSpend / 3
			amounts[costMDF] += investMDF * extra
			amounts[costEnablement] += (1 - investMDF) * extra
			hours[costEnablement] += (1 - investMDF) * extra / enableRate
		}
		for k := range costCategoryN {
			cents := int64(math.Round(amounts[k] * 100))
			if cents == 0 && (k == costMDF || k == costOther) {
				continue
			}
			row := s.row()
			row[c.partner] = p.id
			row[c.period] = g.dates.str(day)
			row[c.category] = schema.CostCategories[k]
			row[c.amount] = money(cents)
			if k == costEnablement || k == costPartnerManagement {
				row[c.hours] = money(int64(math.Round(hours[k] * 100)))
			}
			s.put(row)
		}
	}
}
