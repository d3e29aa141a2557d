package gen

import (
	"math"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// Monthly cost to serve, by program tier (registered, silver, gold, platinum).
var (
	programFee  = [4]float64{150, 600, 1800, 4500}
	mgmtHours   = [4]float64{1, 4, 10, 24}
	enableHours = [4]float64{0.3, 0.6, 1.2, 2}
	mdfChance   = [4]float64{0.1, 0.4, 0.7, 0.9}
	mdfBase     = [4]float64{400, 900, 2500, 6000}
	mgmtRate    = 85.0  // USD per partner-management hour
	enableRate  = 110.0 // USD per enablement hour
	investMDF   = 0.7   // share of the step-up spent as mdf, the rest as enablement
	// commission on won revenue, the midpoints of the 10-15% (registered)
	// to 25-30% (platinum) partner programs publish
	commissionRate = [4]float64{0.125, 0.175, 0.225, 0.275}
)

// addWon records a won deal of p's for its commission.
func (p *partner) addWon(closed int32, cents int64) {
	if p.wonByMonth == nil {
		p.wonByMonth = map[int32]int64{}
	}
	t := schema.Day(closed).Time()
	p.wonByMonth[int32(schema.DayOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)))] += cents
}

// partnerCost writes one row per month and category from the month the
// partner joined (or the window start) to the as-of month. Zero mdf and
// "other" months have no row. Invested partners get extra mdf and
// enablement from the step-up on. Commission is the tier's rate on the
// month's won revenue of p's own deals (no row in a month without any); it
// draws nothing, so the other costs stay as they were.
func (g *generator) partnerCost(p *partner) {
	r := stream(g.cfg.Seed, streamCost, uint64(p.idx))
	from := schema.Day(max(p.joined, g.w.start)).Time()
	month := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	size := math.Min(5, math.Max(0.3, math.Exp(0.3*p.zAct)))
	months := float64(g.w.days()) / 30.44
	var amounts, hours [schema.NumCostCategories]float64
	s, c := g.costOut, g.ctc
	for ; int32(schema.DayOf(month)) <= g.w.asOf; month = month.AddDate(0, 1, 0) {
		day := int32(schema.DayOf(month))
		t := p.tier
		clear(hours[:])
		amounts[schema.CostProgram] = programFee[t] * (0.9 + 0.2*r.Float64())
		hours[schema.CostPartnerManagement] = mgmtHours[t] * size * (0.6 + 0.8*r.Float64())
		amounts[schema.CostPartnerManagement] = hours[schema.CostPartnerManagement] * mgmtRate
		hours[schema.CostEnablement] = math.Sqrt(float64(p.totalStaff)+1) * enableHours[t] * (0.5 + r.Float64())
		amounts[schema.CostEnablement] = hours[schema.CostEnablement] * enableRate
		if u := r.Float64(); u < 0.2 {
			amounts[schema.CostEnablement] += 2500 * u // materials, events
		}
		amounts[schema.CostMDF] = 0
		if u, z := r.Float64(), r.NormFloat64(); u < mdfChance[t] {
			amounts[schema.CostMDF] = mdfBase[t] * size * math.Exp(0.5*z)
		}
		amounts[schema.CostSupport] = (40 + 25*p.lambda/months) * (0.7 + 0.6*r.Float64())
		amounts[schema.CostOther] = 0
		if u, v := r.Float64(), r.Float64(); u < 0.3 {
			amounts[schema.CostOther] = 50 + 750*v
		}
		amounts[schema.CostCommission] = commissionRate[t] * float64(p.wonByMonth[day]) / 100
		if p.group == groupInvested && day >= p.investStart {
			extra := p.extraSpend / 3
			amounts[schema.CostMDF] += investMDF * extra
			amounts[schema.CostEnablement] += (1 - investMDF) * extra
			hours[schema.CostEnablement] += (1 - investMDF) * extra / enableRate
		}
		for k := range schema.CostCategory(schema.NumCostCategories) {
			cents := int64(math.Round(amounts[k] * 100))
			if cents == 0 && (k == schema.CostMDF || k == schema.CostOther || k == schema.CostCommission) {
				continue
			}
			row := s.row()
			row[c.partner] = p.id
			row[c.period] = g.dates.str(day)
			row[c.category] = k.String()
			row[c.amount] = money(cents)
			if k == schema.CostEnablement || k == schema.CostPartnerManagement {
				row[c.hours] = money(int64(math.Round(hours[k] * 100)))
			}
			s.put(row)
		}
	}
	p.wonByMonth = nil
}
