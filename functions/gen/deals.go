package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/partnerq/pqi/transforms/schema"
)

// outcome is what happened to a deal.
type outcome struct {
	status                schema.DealStatus
	closed, registered    int32 // 0 = null
	firstValue            int32 // 0 = null
	qualified, ae, attach bool
	market                bool
}

// MarketplaceShare is the share of a partner's deals that go through the
// marketplace when it is not an adopter: the same for every such partner.
const MarketplaceShare = 0.03

// dealOutcome draws a deal's outcome from the model (see model.go). p is the
// primary partner, or g.direct for a deal with no partner.
func (g *generator) dealOutcome(r *rand.Rand, p *partner, d *dealSpec) outcome {
	var o outcome
	o.qualified = r.Float64() < sigmoid(p.qualLogit)
	o.ae = !d.extra && r.Float64() < sigmoid(p.aeLogit)
	o.attach = r.Float64() < sigmoid(p.attachLog+0.3*d.k)
	mshare := MarketplaceShare
	if p.market {
		mshare = 0.04 + 0.4*float64(d.created-g.w.start)/float64(g.w.days())
	}
	if p == g.direct {
		mshare = 0.05
	}
	o.market = r.Float64() < mshare

	cycle := cycleBase[d.seg] * math.Exp(cycleComplexity*d.k+0.4*r.NormFloat64())
	closed := d.created + int32(max(1, math.Round(cycle)))
	pwin := sigmoid(winBase + p.winEff - winComplexity*d.k + winQualified*b2f(o.qualified))
	won := r.Float64() < pwin
	ttv := ttvBase * math.Exp(ttvComplexity*d.k+0.35*r.NormFloat64()) * p.ttvMult
	measured := r.Float64() < ttvMeasured
	// registration: prompt (within 2 days, the 48-hour rule) with the
	// partner's discipline, else late for half the deals (never after the
	// close), else never
	if p != g.direct {
		switch u := r.Float64(); {
		case u < p.regDisc:
			o.registered = d.created + int32(r.IntN(3))
		case r.Float64() < 0.5:
			o.registered = d.created + 10 + int32(r.IntN(80))
		}
		if o.registered > g.w.asOf || (closed <= g.w.asOf && o.registered > closed) {
			o.registered = 0
		}
	}
	switch {
	case closed > g.w.asOf:
		o.status = schema.StatusOpen
	case won:
		o.status = schema.StatusWon
		o.closed = closed
		if fv := closed + int32(max(1, math.Round(ttv))); measured && fv <= g.w.asOf {
			o.firstValue = fv
		}
	default:
		o.status = schema.StatusLost
		o.closed = closed
	}
	return o
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// writeDeal fills and writes the deal row.
func (g *generator) writeDeal(id, customer string, d *dealSpec, o *outcome) {
	s, c := g.dealsOut, g.dc
	row := s.row()
	row[c.id] = id
	row[c.customer] = customer
	row[c.created] = g.dates.str(d.created)
	if o.closed != 0 {
		row[c.closed] = g.dates.str(o.closed)
	}
	row[c.status] = o.status.String()
	row[c.amount] = money(d.cents)
	row[c.segment] = d.seg.String()
	row[c.products] = strconv.Itoa(d.products)
	row[c.maturity] = d.mat.String()
	row[c.scope] = d.scope.String()
	row[c.qualified] = boolStr(o.qualified)
	if o.registered != 0 {
		row[c.registered] = g.dates.str(o.registered)
	}
	row[c.ae] = boolStr(o.ae)
	row[c.services] = boolStr(o.attach)
	if o.firstValue != 0 {
		row[c.firstValue] = g.dates.str(o.firstValue)
	}
	row[c.market] = boolStr(o.market)
	s.put(row)
	g.deals++
}

// writeContract writes the churn row of a won deal: its churn date is drawn
// from the hazard and left empty when it falls after the as-of date.
func (g *generator) writeContract(r *rand.Rand, p *partner, customer string, d *dealSpec, start int32) {
	h := churnBase * math.Exp(churnComplexity*d.k) * p.churnMult
	churn := start + int32(math.Ceil(r.ExpFloat64()/h*365.25))
	s, c := g.churnOut, g.chc
	row := s.row()
	row[c.customer] = customer
	if p != g.direct {
		row[c.partner] = p.id
	}
	row[c.start] = g.dates.str(start)
	if churn <= g.w.asOf {
		row[c.churn] = g.dates.str(churn)
	}
	row[c.arr] = money(d.cents)
	s.put(row)
}

func (g *generator) writeCSAT(id string, p *partner, customer, deal string, day int32, score int) {
	s, c := g.csatOut, g.cc
	row := s.row()
	row[c.id] = id
	row[c.partner] = p.id
	row[c.customer] = customer
	row[c.deal] = deal
	row[c.responded] = g.dates.str(day)
	row[c.score] = strconv.Itoa(score)
	s.put(row)
}

func (g *generator) writeRole(deal, partnerID string, role schema.DealRole) {
	s, c := g.dpOut, g.dpc
	row := s.row()
	row[c.deal] = deal
	row[c.partner] = partnerID
	row[c.role] = role.String()
	s.put(row)
}

type contract struct {
	customer int
	start    int32
}

// partnerDeals generates the deals a partner is the primary partner of, with
// their deal_partners, churn and csat rows.
func (g *generator) partnerDeals(p *partner) {
	r := stream(g.cfg.Seed, streamDeals, uint64(p.idx))
	pr := stream(g.cfg.Seed, streamPoach, uint64(p.idx))
	pr.Float64() // the draw that decided whether p poaches
	specs := g.dealSpecs(r, p)

	pnum := p.id[1:]
	var (
		customers int
		contracts []contract
		seen      = map[contract]bool{}
		chosen    []int
	)
	custID := func(c int) string { return fmt.Sprintf("C%s-%d", pnum, c) }
	for j := range specs {
		d := &specs[j]
		id := fmt.Sprintf("D%s-%d", pnum, j+1)
		o := g.dealOutcome(r, p, d)

		cust := 0
		if customers > 0 && r.Float64() < reuseCustomer {
			cust = 1 + r.IntN(customers)
			if o.status == schema.StatusWon && seen[contract{cust, o.closed}] {
				cust = 0
			}
		}
		if cust == 0 {
			customers++
			cust = customers
		}
		customer := custID(cust)
		g.writeDeal(id, customer, d, &o)
		if o.registered != 0 && o.qualified {
			g.poach(pr, p, customer, o.registered, id+"X")
		}

		// the primary partner's role, then co-partners (never sourced)
		g.writeRole(id, p.id, primaryRole(r, d, &o))
		if !d.extra {
			chosen = g.writeCoPartners(r, p, d, &o, id, chosen)
		}

		if o.status != schema.StatusWon {
			continue
		}
		seen[contract{cust, o.closed}] = true
		p.addWon(o.closed, d.cents)
		contracts = append(contracts, contract{cust, o.closed})
		g.writeContract(r, p, customer, d, o.closed)
		if r.Float64() < csatResponse {
			day := o.closed + 7 + int32(r.IntN(90))
			score := csatScore(p.csatEff - csatComplexity*d.k + logistic(r))
			if day <= g.w.asOf {
				g.writeCSAT(fmt.Sprintf("R%s-%d", pnum, j+1), p, customer, id, day, score)
			}
		}
	}

	// responses about the relationship, not a deal
	m := poisson(r, csatNoDeal*float64(len(contracts)))
	for j := 0; j < m; j++ {
		c := contracts[r.IntN(len(contracts))]
		day := c.start + int32(r.IntN(int(g.w.asOf-c.start+1)))
		score := csatScore(p.csatEff + logistic(r))
		g.writeCSAT(fmt.Sprintf("R%s-G%d", pnum, j+1), p, custID(c.customer), "", day, score)
	}
}

// dealSpecs draws when p's deals are created and how complex each is
// (with the extra deals of a partner whose spend has a planted return),
// in creation order.
func (g *generator) dealSpecs(r *rand.Rand, p *partner) []dealSpec {
	var specs []dealSpec
	if span := g.w.asOf - p.activeStart + 1; span > 0 {
		n := poisson(r, p.lambda)
		specs = make([]dealSpec, n, n+8)
		for j := range specs {
			specs[j].created = p.activeStart + int32(r.IntN(int(span)))
			drawComplexity(r, p.propensity, &specs[j])
		}
	}
	if p.trueROI > 0 {
		specs = g.extraDeals(r, p, specs)
	}
	sortSpecs(specs)
	return specs
}

// primaryRole draws the primary partner's role on a deal: sourced, or
// co-sell or influenced when the AE invited it (mostly co-sell), and now
// and then influenced otherwise.
func primaryRole(r *rand.Rand, d *dealSpec, o *outcome) schema.DealRole {
	switch {
	case o.ae && r.Float64() < 0.7:
		return schema.RoleCoSell
	case o.ae:
		return schema.RoleInfluenced
	case !d.extra && r.Float64() < 0.15:
		return schema.RoleInfluenced
	}
	return schema.RoleSourced
}

// poach, at poachRate, has a poaching partner register the customer of p's
// qualified registration again 1-60 days later, inside the protection
// period whatever the deal's size: the registration conflicts the score
// must find (truth: poacher, poached_registrations). The poacher sources
// the deal and its outcome follows the poacher's own effects. Draws come
// from p's poach stream, so the rest of the ecosystem is unchanged.
func (g *generator) poach(r *rand.Rand, p *partner, customer string, registered int32, id string) {
	if len(g.poachers) == 0 || r.Float64() >= poachRate {
		return
	}
	x := g.poachers[r.IntN(len(g.poachers))]
	d := dealSpec{created: registered + 1 + int32(r.IntN(60))}
	drawComplexity(r, x.propensity, &d)
	if x == p || d.created > g.w.asOf || x.activeStart > d.created {
		return
	}
	o := g.dealOutcome(r, x, &d)
	o.registered = d.created // the race to register
	g.writeDeal(id, customer, &d, &o)
	g.writeRole(id, x.id, schema.RoleSourced)
	x.poached++
}

// writeCoPartners draws the deal's co-partners (none, one or two, never
// sourced, active when the deal was created) and writes their roles. chosen
// is scratch, returned for reuse.
func (g *generator) writeCoPartners(r *rand.Rand, p *partner, d *dealSpec, o *outcome, id string, chosen []int) []int {
	more := 0
	switch u := r.Float64(); {
	case u < coPartnerTwo:
		more = 2
	case u < coPartnerTwo+coPartnerOne:
		more = 1
	}
	chosen = append(chosen[:0], p.idx)
	for k := 0; k < more; k++ {
		for try := 0; try < 8; try++ {
			c := g.pickPartner(r)
			if g.partners[c].activeStart > d.created || contains(chosen, c) {
				continue
			}
			chosen = append(chosen, c)
			crole := schema.RoleInfluenced
			switch u := r.Float64(); {
			case o.attach && u < 0.6:
				crole = schema.RoleDelivery
			case u < 0.8:
				crole = schema.RoleCoSell
			}
			g.writeRole(id, g.partners[c].id, crole)
			break
		}
	}
	return chosen
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// extraDeals adds the planted return on spend: in every quarter from the
// step-up on, sourced deals whose amounts sum exactly to true_roi x the
// quarter's extra spend.
func (g *generator) extraDeals(r *rand.Rand, p *partner, specs []dealSpec) []dealSpec {
	target := int64(math.Round(p.trueROI * p.extraSpend * 100))
	for qi := p.investQ; qi < len(g.w.quarters)-1; qi++ {
		from, to := g.w.quarters[qi], g.w.quarters[qi+1]
		first := len(specs)
		var sum int64
		for sum < target && len(specs)-first < 1000 {
			d := dealSpec{extra: true, created: from + int32(r.IntN(int(to-from)))}
			drawComplexity(r, p.propensity, &d)
			d.cents = max(d.cents, 1)
			sum += d.cents
			specs = append(specs, d)
		}
		// rescale so the quarter's extra pipeline is exactly the target
		var got int64
		for j := first; j < len(specs); j++ {
			specs[j].cents = max(1, int64(float64(specs[j].cents)*float64(target)/float64(sum)))
			got += specs[j].cents
		}
		specs[len(specs)-1].cents = max(1, specs[len(specs)-1].cents+target-got)
		p.extraDeals += len(specs) - first
		p.extraPipeline += target
	}
	return specs
}

// directDeals generates one chunk of deals with no partner: the baseline.
func (g *generator) directDeals(chunk, n int) {
	r := stream(g.cfg.Seed, streamDirect, uint64(chunk))
	for j := range n {
		seq := chunk*directChunk + j + 1
		d := dealSpec{created: g.w.start + int32(r.IntN(int(g.w.days())))}
		drawComplexity(r, 0, &d)
		o := g.dealOutcome(r, g.direct, &d)
		customer := fmt.Sprintf("CX%08d", seq)
		g.writeDeal(fmt.Sprintf("DX%08d", seq), customer, &d, &o)
		if o.status == schema.StatusWon {
			g.writeContract(r, g.direct, customer, &d, o.closed)
		}
	}
}
