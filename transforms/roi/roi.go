// Package roi sets cost to serve against pipeline per partner and quarter:
// cost by category, pipeline created (sourced) and attributed, won revenue,
// the long-tail segment (head, torso, long_tail) and its movement, leading
// indicators (marketplace velocity, AE pull-through), and the return on an
// investment step-up measured by difference in differences against the
// partner's own pre-period and a comparison group, with a seeded Poisson
// bootstrap interval. Segment roll-ups answer what one more dollar buys in
// the long tail compared with the head. Pure columnar compute.
//
// Formulas and defaults: docs/methodology.md (Part II).
package roi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/schema"
)

// Inputs are the attribution ledger and the cost_to_serve table summed
// over the ledger's partners (NewCosts; nil: no cost_to_serve rows).
type Inputs struct {
	Attribution *attribution.Ledger
	Costs       *Costs
}

// Result holds the segment_roi table and renders partner_roi.
type Result struct {
	SegmentROI arrow.Record // rows in schema.Get(schema.SegmentROI).StoredArrow(), by quarter (window last) then segment

	e     *estimator
	alloc memory.Allocator
	asOf  schema.Day
	runID string
}

// PartnerROI emits partner_roi's rows (schema.Get(schema.PartnerROI).
// StoredArrow()), by partner_id then quarter, in records of at most chunk
// rows, the first even when there are none; emit owns each record.
func (r *Result) PartnerROI(chunk int, emit func(arrow.Record) error) error {
	return r.e.partnerChunks(r.alloc, r.asOf, r.runID, chunk, emit)
}

// PartnerRecord is the whole partner_roi table in one record (for a
// reader that wants it at once; the job streams it: PartnerROI).
func (r *Result) PartnerRecord() arrow.Record {
	var rec arrow.Record
	r.PartnerROI(math.MaxInt, func(c arrow.Record) error { rec = c; return nil })
	return rec
}

// Release releases the segment_roi record.
func (r *Result) Release() {
	if r == nil {
		return
	}
	if r.SegmentROI != nil {
		r.SegmentROI.Release()
		r.SegmentROI = nil
	}
}

// Compute computes partner_roi and segment_roi for the window ending at
// asOf's quarter.
func Compute(ctx context.Context, alloc memory.Allocator, in Inputs, cfg Config, asOf schema.Day, runID string) (*Result, error) {
	rates, err := cfg.rates()
	if err != nil {
		return nil, fmt.Errorf("roi: %w", err)
	}
	if in.Attribution == nil {
		return nil, errors.New("roi: no attribution ledger")
	}
	costs := in.Costs
	if costs == nil {
		if costs, err = NewCosts(&in.Attribution.Partners, cfg, asOf); err != nil {
			return nil, err
		}
	}
	if costs.partners != &in.Attribution.Partners {
		return nil, errors.New("roi: the costs were summed over another ledger's partners")
	}
	e := newEstimator(in.Attribution, cfg, costs, asOf)
	e.aggregateCredits()
	e.estimateCommission(rates)
	e.segment()
	e.detect()
	if err := e.estimate(ctx); err != nil {
		return nil, fmt.Errorf("roi: %w", err)
	}
	res, err := e.records(alloc, asOf, runID)
	if err != nil {
		return nil, fmt.Errorf("roi: %w", err)
	}
	return res, nil
}

// estimator holds partner x quarter grids, flat at p*nq + (quarter - q0).
// Quarters q0 .. q0+nq-1 cover the window (the last cfg.Quarters) plus
// SegmentQuarters before it, so the quarter before the window has a
// segment too (for movement) over a full trailing window.
type estimator struct {
	led   *attribution.Ledger
	cfg   Config
	P, nq int
	q0    int32 // first quarter of the grid
	// costMeasured is false when cost_to_serve holds no rows: every cost,
	// investment and return is then unknown (null), not zero.
	costMeasured bool
	// commission is where cost_commission_usd comes from; when estimated,
	// commissionEst holds the estimate and rated says per partner whether
	// its tier has a rate (exported commission is cost[CostCommission]).
	commission    schema.CommissionSource
	commissionEst []int64
	rated         []bool
	w0            int // grid index of the first window quarter
	nw            int // window quarters
	joinQ         []int32

	dealsCreated, pipeCreated, pipeAttr, wonDeals, wonRev, mkt, ae, aeRepeat []int64
	cost                                                                     [schema.NumCostCategories][]int64
	hours                                                                    [2][]int64 // enablement, management, in cents of an hour
	invest                                                                   []int64

	// segmentation, at grid quarters w0-1 .. nq-1; seg NullEnum = no row
	seg                 []schema.Tail
	trailing            []int64
	revShare, cumShare  []float64
	group               []schema.ROIArm // per partner
	t0                  []int8          // per partner: window index of the step-up
	stratum             []int8
	est                 estimates
	segRepLift, segRepI [][schema.NumTails][]float64 // per window quarter, replicates
	comparisons         []int64                      // per partner
}

func newEstimator(led *attribution.Ledger, cfg Config, costs *Costs, asOf schema.Day) *estimator {
	e := &estimator{led: led, cfg: cfg, P: led.Partners.Len(), nw: cfg.Quarters, w0: cfg.SegmentQuarters,
		commission: schema.CommissionNotExported}
	e.q0, e.nq = grid(cfg, asOf)
	n := e.P * e.nq
	for _, a := range []*[]int64{&e.dealsCreated, &e.pipeCreated, &e.pipeAttr, &e.wonDeals, &e.wonRev, &e.mkt, &e.ae, &e.aeRepeat} {
		*a = make([]int64, n)
	}
	e.cost, e.invest, e.hours, e.costMeasured = costs.cost, costs.invest, costs.hours, costs.measured
	if costs.exported {
		e.commission = schema.CommissionExported
	}
	e.joinQ = make([]int32, e.P)
	for p, j := range led.Partners.Joined {
		e.joinQ[p] = math.MinInt32 // joined date unknown: in every quarter's segments
		if j != schema.NoDate {
			e.joinQ[p] = schema.Day(j).Quarter()
		}
	}
	return e
}

// cell is the grid index of partner p at absolute quarter q, or -1.
func (e *estimator) cell(p int32, q int32) int { return cell(p, q, e.q0, e.nq) }

func (e *estimator) aggregateCredits() {
	d := &e.led.Deals
	firstAE := make([]int32, e.P) // quarter of the partner's first AE-invited deal
	firstDay := make([]int32, e.P)
	for p := range firstDay {
		firstDay[p] = math.MaxInt32
	}
	for _, c := range e.led.EachCredit() {
		di, p := c.Deal, c.Partner
		created := d.Created[di]
		if k := e.cell(p, schema.Day(created).Quarter()); k >= 0 {
			e.dealsCreated[k]++
			e.pipeCreated[k] += c.Sourced
			e.pipeAttr[k] += c.Attributed
			if d.Marketplace[di] {
				e.mkt[k]++
			}
			if d.AEInvited[di] {
				e.ae[k]++
			}
		}
		if d.AEInvited[di] && created < firstDay[p] {
			firstDay[p] = created
		}
		if d.Status[di] == schema.StatusWon && d.Closed[di] != schema.NoDate {
			if k := e.cell(p, schema.Day(d.Closed[di]).Quarter()); k >= 0 {
				e.wonDeals[k]++
				e.wonRev[k] += c.Attributed
			}
		}
	}
	for p := range e.P {
		firstAE[p] = math.MinInt32
		if firstDay[p] != math.MaxInt32 {
			firstAE[p] = schema.Day(firstDay[p]).Quarter()
		}
		for i := range e.nq {
			k := p*e.nq + i
			e.aeRepeat[k] = e.ae[k]
			if e.ae[k] > 0 && firstAE[p] == e.q0+int32(i) {
				e.aeRepeat[k]--
			}
		}
	}
}

// estimateCommission, when cost_to_serve exported no commission, fills
// commissionEst with each partner's tier rate x its attributed won
// revenue, for the partners whose tier has a rate (none: not_exported).
func (e *estimator) estimateCommission(rates []float64) {
	if e.commission == schema.CommissionExported || !slices.ContainsFunc(rates, func(r float64) bool { return !math.IsNaN(r) }) {
		return // exported, or no rate to estimate with: not_exported
	}
	e.rated = make([]bool, e.P)
	e.commissionEst = make([]int64, e.P*e.nq)
	for p, t := range e.led.Partners.Tier {
		if t == schema.NullEnum || math.IsNaN(rates[t]) {
			continue
		}
		e.rated[p] = true
		e.commission = schema.CommissionEstimated
		for i := range e.nq {
			k := p*e.nq + i
			e.commissionEst[k] = cents(rates[t] * float64(e.wonRev[k]) / 100)
		}
	}
}

// commissionAt is partner p's commission in grid cell k and its basis;
// ok is false when it is unknown (null).
func (e *estimator) commissionAt(p, k int) (usdCents int64, basis schema.CommissionSource, ok bool) {
	switch {
	case e.commission == schema.CommissionExported:
		return e.cost[schema.CostCommission][k], schema.CommissionExported, true
	case e.commission == schema.CommissionEstimated && e.rated[p]:
		return e.commissionEst[k], schema.CommissionEstimated, true
	}
	return 0, schema.CommissionNotExported, false
}

// segment ranks partners each quarter from the one before the window on.
func (e *estimator) segment() {
	n := e.P * e.nq
	e.seg = make([]schema.Tail, n)
	e.trailing = make([]int64, n)
	e.revShare = make([]float64, n)
	e.cumShare = make([]float64, n)
	for i := range e.seg {
		e.seg[i] = schema.NullEnum
	}
	order := make([]int32, 0, e.P)
	T := make([]int64, e.P)
	for i := e.w0 - 1; i < e.nq; i++ {
		q := e.q0 + int32(i)
		order = order[:0]
		var total int64
		for p := range e.P {
			if e.joinQ[p] > q {
				continue
			}
			var t int64
			for u := max(0, i-e.cfg.SegmentQuarters+1); u <= i; u++ {
				t += e.wonRev[p*e.nq+u]
			}
			T[p] = t
			total += t
			order = append(order, int32(p))
		}
		slices.SortFunc(order, func(a, b int32) int {
			if T[a] != T[b] {
				if T[a] > T[b] {
					return -1
				}
				return 1
			}
			return int(a - b)
		})
		var before int64
		for _, p := range order {
			k := int(p)*e.nq + i
			cum := 0.0
			share := 0.0
			if total > 0 {
				cum = float64(before) / float64(total)
				share = float64(T[p]) / float64(total)
			}
			s := schema.TailLong
			switch {
			case T[p] == 0:
			case cum < e.cfg.HeadShare:
				s = schema.TailHead
			case cum < e.cfg.HeadShare+e.cfg.TorsoShare:
				s = schema.TailTorso
			}
			e.seg[k], e.trailing[k], e.revShare[k], e.cumShare[k] = s, T[p], share, cum
			before += T[p]
		}
	}
}

// detect finds each eligible partner's investment step-up.
func (e *estimator) detect() {
	e.group = make([]schema.ROIArm, e.P)
	e.t0 = make([]int8, e.P)
	e.stratum = make([]int8, e.P)
	windowStart := schema.QuarterFirstDay(e.q0 + int32(e.w0))
	s := make([]float64, e.nw)
	for p := range e.P {
		e.t0[p] = -1
		e.stratum[p] = tierStratum(e.led.Partners.Tier[p])
		if j := e.led.Partners.Joined[p]; j == schema.NoDate || int64(j)+int64(e.cfg.MinTenureDays) > int64(windowStart) {
			e.group[p] = schema.GroupNotEligible
			continue
		}
		e.group[p] = schema.GroupComparison
		for t := range e.nw {
			s[t] = float64(e.invest[p*e.nq+e.w0+t]) / 100
		}
		if t0, ok := stepUp(s, e.cfg); ok {
			e.group[p], e.t0[p] = schema.GroupInvested, int8(t0)
		}
	}
}

// tierStratum is the comparison stratum of a program tier: 0 when the tier
// is unknown, else the tier's position plus one.
func tierStratum(t schema.Tier) int8 {
	if t == schema.NullEnum {
		return 0
	}
	return int8(t) + 1
}

// stepUp returns the split t0 that maximises the standardised mean shift
// (post - pre) * sqrt(t0 * (n - t0) / n) and whether the shift is a step-up.
func stepUp(s []float64, cfg Config) (int, bool) {
	n := len(s)
	best, bestScore := -1, math.Inf(-1)
	var bestPre, bestPost float64
	for t0 := cfg.MinPreQuarters; t0 <= n-cfg.MinPostQuarters; t0++ {
		pre, post := mean(s[:t0]), mean(s[t0:])
		score := (post - pre) * math.Sqrt(float64(t0*(n-t0))/float64(n))
		if score > bestScore {
			best, bestScore, bestPre, bestPost = t0, score, pre, post
		}
	}
	if best < 0 {
		return -1, false
	}
	ok := bestPost >= bestPre*(1+cfg.MinStepUpRatio) && bestPost-bestPre >= cfg.MinStepUpUSD
	return best, ok
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
