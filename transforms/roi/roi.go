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

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/schema"
)

// Inputs are the attribution ledger (attribution.Compute's Result.Ledger)
// and the cost_to_serve table as stored, as record batches.
type Inputs struct {
	Attribution *attribution.Ledger
	CostToServe []arrow.Record
}

// Result holds the partner_roi and segment_roi tables.
type Result struct {
	PartnerROI arrow.Record // rows in schema.Lookup(schema.PartnerROI).StoredArrow(), by partner_id then quarter
	SegmentROI arrow.Record // rows in schema.Lookup(schema.SegmentROI).StoredArrow(), by quarter (window last) then segment
}

// Release releases both records.
func (r *Result) Release() {
	if r == nil {
		return
	}
	for _, rec := range []*arrow.Record{&r.PartnerROI, &r.SegmentROI} {
		if *rec != nil {
			(*rec).Release()
			*rec = nil
		}
	}
}

// Segment positions in schema.TailSegments; ROI groups and states in
// schema.ROIGroups and schema.ROIStates (pinned by a test).
const (
	segHead = iota
	segTorso
	segTail
	numSegs
)

const (
	groupInvested = iota
	groupComparison
	groupNotEligible
)

const (
	stateNotInvested = iota
	statePre
	stateEstimated
	stateInsufficient
)

// cost categories in schema.CostCategories
const (
	catEnablement = 0
	catManagement = 3
	numCats       = 6
)

// Compute computes partner_roi and segment_roi for the window ending at
// asOf's quarter.
func Compute(ctx context.Context, alloc memory.Allocator, in Inputs, cfg Config, asOf int32, runID string) (*Result, error) {
	inv, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("roi: %w", err)
	}
	if in.Attribution == nil {
		return nil, errors.New("roi: no attribution ledger")
	}
	e := newEstimator(in.Attribution, cfg, inv, asOf)
	e.aggregateCredits()
	if err := e.aggregateCost(in.CostToServe); err != nil {
		return nil, fmt.Errorf("roi: loading cost to serve: %w", err)
	}
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
	inv   []bool
	P, nq int
	q0    int32 // first quarter of the grid
	w0    int   // grid index of the first window quarter
	nw    int   // window quarters
	joinQ []int32

	dealsCreated, pipeCreated, pipeAttr, wonDeals, wonRev, mkt, ae, aeRepeat []int64
	cost                                                                     [numCats][]int64
	hours                                                                    [2][]int64 // enablement, management, in cents of an hour
	invest                                                                   []int64

	// segmentation, at grid quarters w0-1 .. nq-1; seg -1 = no row
	seg                 []int8
	trailing            []int64
	revShare, cumShare  []float64
	group, t0           []int8 // per partner; t0 = window index of the step-up
	stratum             []int8
	est                 estimates
	segLift, segIncr    [][numSegs]int64 // per window quarter
	segCount            [][numSegs]int64
	segRepLift, segRepI [][numSegs][]float64 // per window quarter, replicates
	comparisons         []int64              // per partner
}

func newEstimator(led *attribution.Ledger, cfg Config, inv []bool, asOf int32) *estimator {
	last := attribution.QuarterOf(asOf)
	e := &estimator{led: led, cfg: cfg, inv: inv, P: led.Partners.Len(), nw: cfg.Quarters, w0: cfg.SegmentQuarters}
	e.nq = cfg.Quarters + cfg.SegmentQuarters
	e.q0 = last - int32(e.nq) + 1
	n := e.P * e.nq
	for _, a := range []*[]int64{&e.dealsCreated, &e.pipeCreated, &e.pipeAttr, &e.wonDeals, &e.wonRev, &e.mkt, &e.ae, &e.aeRepeat, &e.invest} {
		*a = make([]int64, n)
	}
	for k := range numCats {
		e.cost[k] = make([]int64, n)
	}
	e.hours[0], e.hours[1] = make([]int64, n), make([]int64, n)
	e.joinQ = make([]int32, e.P)
	for p, j := range led.Partners.Joined {
		e.joinQ[p] = attribution.QuarterOf(j)
	}
	return e
}

// cell is the grid index of partner p at absolute quarter q, or -1.
func (e *estimator) cell(p int32, q int32) int {
	i := q - e.q0
	if i < 0 || int(i) >= e.nq {
		return -1
	}
	return int(p)*e.nq + int(i)
}

func (e *estimator) aggregateCredits() {
	d, c := &e.led.Deals, &e.led.Credits
	firstAE := make([]int32, e.P) // quarter of the partner's first AE-invited deal
	firstDay := make([]int32, e.P)
	for p := range firstDay {
		firstDay[p] = math.MaxInt32
	}
	for i := range c.Len() {
		di, p := c.Deal[i], c.Partner[i]
		created := d.Created[di]
		if k := e.cell(p, attribution.QuarterOf(created)); k >= 0 {
			e.dealsCreated[k]++
			e.pipeCreated[k] += c.Sourced[i]
			e.pipeAttr[k] += c.Attributed[i]
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
		if d.Status[di] == attribution.StatusWon && d.Closed[di] != attribution.NoDate {
			if k := e.cell(p, attribution.QuarterOf(d.Closed[di])); k >= 0 {
				e.wonDeals[k]++
				e.wonRev[k] += c.Attributed[i]
			}
		}
	}
	for p := range e.P {
		firstAE[p] = math.MinInt32
		if firstDay[p] != math.MaxInt32 {
			firstAE[p] = attribution.QuarterOf(firstDay[p])
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

func (e *estimator) aggregateCost(recs []arrow.Record) error {
	for _, r := range recs {
		pc, err := col[*array.String](r, schema.PartnerID)
		if err != nil {
			return err
		}
		per, err := col[*array.Date32](r, schema.PeriodStart)
		if err != nil {
			return err
		}
		cat, err := col[*array.String](r, schema.Category)
		if err != nil {
			return err
		}
		amt, err := col[*array.Decimal128](r, schema.AmountUSD)
		if err != nil {
			return err
		}
		hrs, err := col[*array.Decimal128](r, schema.Hours)
		if err != nil {
			return err
		}
		for i := 0; i < pc.Len(); i++ {
			if pc.IsNull(i) || per.IsNull(i) || cat.IsNull(i) || amt.IsNull(i) {
				continue
			}
			p, ok := e.led.Partners.Lookup(pc.Value(i))
			if !ok {
				continue
			}
			k := e.cell(p, attribution.QuarterOf(int32(per.Value(i))))
			if k < 0 {
				continue
			}
			ci := slices.Index(schema.CostCategories, cat.Value(i))
			if ci < 0 {
				continue
			}
			v := int64(amt.Value(i).LowBits())
			e.cost[ci][k] += v
			if e.inv[ci] {
				e.invest[k] += v
			}
			if hrs.IsValid(i) {
				switch ci {
				case catEnablement:
					e.hours[0][k] += int64(hrs.Value(i).LowBits())
				case catManagement:
					e.hours[1][k] += int64(hrs.Value(i).LowBits())
				}
			}
		}
	}
	return nil
}

func col[T arrow.Array](rec arrow.Record, name string) (T, error) {
	var zero T
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return zero, fmt.Errorf("%s: no column %s", schema.CostToServe, name)
	}
	a, ok := rec.Column(idx[0]).(T)
	if !ok {
		return zero, fmt.Errorf("%s.%s is %s, not the contract's type", schema.CostToServe, name, rec.Column(idx[0]).DataType())
	}
	return a, nil
}

// segment ranks partners each quarter from the one before the window on.
func (e *estimator) segment() {
	n := e.P * e.nq
	e.seg = make([]int8, n)
	e.trailing = make([]int64, n)
	e.revShare = make([]float64, n)
	e.cumShare = make([]float64, n)
	for i := range e.seg {
		e.seg[i] = -1
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
			s := int8(segTail)
			switch {
			case T[p] == 0:
			case cum < e.cfg.HeadShare:
				s = segHead
			case cum < e.cfg.HeadShare+e.cfg.TorsoShare:
				s = segTorso
			}
			e.seg[k], e.trailing[k], e.revShare[k], e.cumShare[k] = s, T[p], share, cum
			before += T[p]
		}
	}
}

// detect finds each eligible partner's investment step-up.
func (e *estimator) detect() {
	e.group = make([]int8, e.P)
	e.t0 = make([]int8, e.P)
	e.stratum = make([]int8, e.P)
	windowStart := attribution.QuarterStart(e.q0 + int32(e.w0))
	s := make([]float64, e.nw)
	for p := range e.P {
		e.t0[p] = -1
		e.stratum[p] = e.led.Partners.Tier[p] + 1
		if int64(e.led.Partners.Joined[p])+int64(e.cfg.MinTenureDays) > int64(windowStart) {
			e.group[p] = groupNotEligible
			continue
		}
		e.group[p] = groupComparison
		for t := range e.nw {
			s[t] = float64(e.invest[p*e.nq+e.w0+t]) / 100
		}
		if t0, ok := stepUp(s, e.cfg); ok {
			e.group[p], e.t0[p] = groupInvested, int8(t0)
		}
	}
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
