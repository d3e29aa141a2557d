// Package cohort groups partners into cohorts (by join quarter, maturity
// stage, vertical and capability) and measures each cohort per period since
// joining: partners, activation, time to first deal, activity and retention,
// pipeline, won revenue, win velocity and AE pull-through. The output is
// shaped for a triangle chart: one row per cohort and period, a period
// existing only once the cohort's partners have lived it. Pure columnar
// compute.
//
// Formulas and defaults: docs/methodology.md (Part II).
package cohort

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/schema"
)

// Inputs is the attribution ledger (attribution.Compute's Result.Ledger):
// partners, deals and each deal's credits under the configured model.
type Inputs struct {
	Attribution *attribution.Ledger
}

// Config holds the maturity stage rules and the triangle's extent.
type Config struct {
	// A partner is in activation once it has at least
	// ActivationRegisteredDeals (default 1) registered deals, and in
	// acceleration once, in addition, it won at least AccelerationWonDeals
	// (default 3) deals worth at least AccelerationWonUSD (default 0) in
	// the last AccelerationQuarters (default 4) quarters. Otherwise it is
	// in awareness.
	ActivationRegisteredDeals int     `yaml:"activation_registered_deals"`
	AccelerationWonDeals      int     `yaml:"acceleration_won_deals"`
	AccelerationWonUSD        float64 `yaml:"acceleration_won_usd"`
	AccelerationQuarters      int     `yaml:"acceleration_quarters"`
	// MaxPeriods caps the periods since joining reported (default 40: ten
	// years); older periods are left out of every cohort alike.
	MaxPeriods int `yaml:"max_periods"`
}

// Default is the documented default configuration.
func Default() Config {
	return Config{ActivationRegisteredDeals: 1, AccelerationWonDeals: 3, AccelerationQuarters: 4, MaxPeriods: 40}
}

// Validate checks the stage rules.
func (c Config) Validate() error {
	if c.ActivationRegisteredDeals < 1 || c.AccelerationWonDeals < 0 || c.AccelerationWonUSD < 0 || c.AccelerationQuarters < 1 || c.MaxPeriods < 0 {
		return fmt.Errorf("stage rules must be positive and max_periods not negative: %+v", c)
	}
	return nil
}

// Unknown is the cohort of partners whose vertical or capability is null.
const Unknown = "unknown"

// cell holds one partner's measures in one period since joining.
type cell struct {
	deals, pipe, won, wonRev, winDays, ae int64
}

// Compute returns cohort_metrics rows, by cohort type (schema.CohortTypes
// order), cohort (join quarters and other labels ascending, stages in stage
// order) and period.
func Compute(ctx context.Context, alloc memory.Allocator, in Inputs, cfg Config, asOf schema.Day, runID string) (arrow.Record, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("cohort: %w", err)
	}
	led := in.Attribution
	if led == nil {
		return nil, errors.New("cohort: no attribution ledger")
	}
	m, err := measure(ctx, led, cfg, asOf)
	if err != nil {
		return nil, err
	}
	b := schema.NewBuilder(alloc, schema.Get(schema.CohortMetrics))
	defer b.Release()
	out := newOut(b)
	P, K := led.Partners.Len(), m.periods
	for ct := range schema.CohortKind(len(schema.CohortTypes)) {
		labels, of := cohortsOf(ct, led, m.joinQ, m.stage)
		for ci, label := range labels {
			rows := make([]agg, K)
			for p := range P {
				if of[p] == ci {
					accumulate(rows, m.cells[m.off[p]:m.off[p+1]], m.observed[p], m.firstInData(p), m.joinQ[p], m.firstReg[p], led.Partners.Joined[p])
				}
			}
			for k := range K {
				if rows[k].partners > 0 {
					out.row(asOf, runID, ct, label, k, &rows[k])
				}
			}
		}
	}
	return b.NewRecord(), nil
}

// measures are every partner's cells by period since joining, and what
// places it in a cohort.
type measures struct {
	periods   int     // periods reported (MaxPeriods+1)
	dataStart int32   // the first quarter with deals: quarters before it are unknown, not empty
	cells     []cell  // partner p's observed periods: its period k is cells[off[p]+k], k < observed[p]
	off       []int   // per partner: where its cells start (only observed periods have one)
	observed  []int   // per partner: periods observed, 0 .. observed-1
	joinQ     []int32 // per partner: join quarter
	firstReg  []int32 // per partner: first registration date, NoDate = none
	stage     []schema.MaturityStage
}

// measure walks the credits once, filling every partner's cells, its first
// registration and its maturity stage.
func measure(ctx context.Context, led *attribution.Ledger, cfg Config, asOf schema.Day) (*measures, error) {
	P := led.Partners.Len()
	last := asOf.Quarter()
	K := cfg.MaxPeriods + 1
	m := &measures{periods: K, off: make([]int, P+1), observed: make([]int, P), joinQ: make([]int32, P),
		firstReg: make([]int32, P), stage: make([]schema.MaturityStage, P)}
	for p := range P {
		m.firstReg[p] = schema.NoDate
		if led.Partners.Joined[p] == schema.NoDate { // no joined date: no period since joining to place it in
			continue
		}
		m.joinQ[p] = schema.Day(led.Partners.Joined[p]).Quarter()
		m.observed[p] = int(min(int64(K), max(0, int64(last-m.joinQ[p])+1)))
	}
	for p := range P {
		m.off[p+1] = m.off[p] + m.observed[p]
	}
	m.cells = make([]cell, m.off[P]) // a partner's periods since joining, not every period up to the cap
	m.dataStart = dataStart(&led.Deals, last)
	registered := make([]int64, P)
	recentWon := make([]int64, P)
	recentRev := make([]int64, P)
	d := &led.Deals
	accFrom := last - int32(cfg.AccelerationQuarters) + 1
	for i, c := range led.EachCredit() {
		if i%(1<<20) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		di, p := c.Deal, c.Partner
		if r := d.Registered[di]; r != schema.NoDate && r <= int32(asOf) {
			registered[p]++
			if m.firstReg[p] == schema.NoDate || r < m.firstReg[p] {
				m.firstReg[p] = r
			}
		}
		if k := int(schema.Day(d.Created[di]).Quarter() - m.joinQ[p]); k >= 0 && k < m.observed[p] {
			x := &m.cells[m.off[p]+k]
			x.deals++
			x.pipe += c.Attributed
			if d.AEInvited[di] {
				x.ae++
			}
		}
		if d.Status[di] == schema.StatusWon && d.Closed[di] != schema.NoDate {
			cq := schema.Day(d.Closed[di]).Quarter()
			if k := int(cq - m.joinQ[p]); k >= 0 && k < m.observed[p] {
				x := &m.cells[m.off[p]+k]
				x.won++
				x.wonRev += c.Attributed
				x.winDays += int64(d.Closed[di] - d.Created[di])
			}
			if cq >= accFrom && cq <= last {
				recentWon[p]++
				recentRev[p] += c.Attributed
			}
		}
	}
	for p := range P {
		switch {
		case registered[p] < int64(cfg.ActivationRegisteredDeals):
			m.stage[p] = schema.StageAwareness
		case recentWon[p] >= int64(cfg.AccelerationWonDeals) && float64(recentRev[p]) >= cfg.AccelerationWonUSD*100:
			m.stage[p] = schema.StageAcceleration
		default:
			m.stage[p] = schema.StageActivation
		}
	}
	return m, nil
}

// firstInData is partner p's first period inside the data: 0 when it
// joined since the data began.
func (m *measures) firstInData(p int) int {
	if m.dataStart <= m.joinQ[p] {
		return 0
	}
	return int(m.dataStart - m.joinQ[p])
}

// dataStart is the quarter the deals data begin: that of the earliest
// deal created (the exports are taken from a quarter's start), or last + 1
// math.MinInt32 when there is no deal, so that every quarter counts as
// observed and empty.
func dataStart(d *attribution.Deals, last int32) int32 {
	first := schema.NoDate
	for _, c := range d.Created {
		if c != schema.NoDate && (first == schema.NoDate || c < first) {
			first = c
		}
	}
	if first == schema.NoDate {
		return math.MinInt32
	}
	return min(schema.Day(first).Quarter(), last+1)
}

// agg sums a cohort's partners in one period. Partner-periods before the
// data begin count in partners only; activation counts only partners that
// joined since the data began (activationPartners), since it runs from the
// join quarter.
type agg struct {
	partners, activated, daysToFirst, active, retained, prevActive int64
	deals, pipe, won, wonRev, winDays, ae                          int64
	observed, activationPartners                                   int64
	beforeData                                                     bool
}

// accumulate adds one partner's periods 0..periods-1; first is its first
// period inside the data (0 when it joined since the data began).
func accumulate(rows []agg, cs []cell, periods, first int, joinQ, firstReg, joined int32) {
	activeBefore := false
	for k := range periods {
		a := &rows[k]
		x := &cs[k]
		a.partners++
		if first > 0 {
			a.beforeData = true // its activation, and periods before first, are unknown
		} else {
			a.activationPartners++
			if firstReg != schema.NoDate && schema.Day(firstReg).Quarter() <= joinQ+int32(k) {
				a.activated++
				a.daysToFirst += int64(max(0, firstReg-joined))
			}
		}
		if k < first {
			continue
		}
		a.observed++
		active := x.deals > 0
		if active {
			a.active++
		}
		if k > first && activeBefore {
			a.prevActive++
			if active {
				a.retained++
			}
		}
		activeBefore = active
		a.deals += x.deals
		a.pipe += x.pipe
		a.won += x.won
		a.wonRev += x.wonRev
		a.winDays += x.winDays
		a.ae += x.ae
	}
}

// cohortsOf lists the cohorts of one type in output order and each
// partner's cohort index.
func cohortsOf(ct schema.CohortKind, led *attribution.Ledger, joinQ []int32, stage []schema.MaturityStage) ([]string, []int) {
	P := led.Partners.Len()
	of := make([]int, P)
	switch ct {
	case schema.CohortJoinQuarter:
		qs := slices.Clone(joinQ)
		slices.Sort(qs)
		qs = slices.Compact(qs)
		labels := make([]string, len(qs))
		for i, q := range qs {
			labels[i] = schema.QuarterLabel(q)
		}
		for p := range P {
			of[p], _ = slices.BinarySearch(qs, joinQ[p])
		}
		return labels, of
	case schema.CohortStage:
		for p := range P {
			of[p] = int(stage[p])
		}
		return schema.MaturityStages, of
	}
	name := make([]string, P)
	for p := range P {
		name[p] = Unknown
		if ct == schema.CohortVertical && led.Partners.Vertical[p] != "" {
			name[p] = led.Partners.Vertical[p]
		}
		if c := led.Partners.Capability[p]; ct == schema.CohortCapability && c != schema.NullEnum {
			name[p] = c.String()
		}
	}
	labels := slices.Clone(name)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	for p := range P {
		of[p], _ = slices.BinarySearch(labels, name[p])
	}
	return labels, of
}

// out appends cohort_metrics rows.
type out struct {
	beforeData                                  *array.BooleanBuilder
	actPartners                                 *array.Int64Builder
	asOf                                        *array.Date32Builder
	run, ctype, cohort                          *array.StringBuilder
	period, partners, activated, active, retain *array.Int64Builder
	deals, won, ae                              *array.Int64Builder
	actRate, days, retRate, winDays             *array.Float64Builder
	pipe, wonRev                                *array.Decimal128Builder
}

func newOut(b *schema.Builder) *out {
	return &out{
		asOf: b.Date(schema.AsOfDate), run: b.Str(schema.RunID), ctype: b.Str(schema.CohortType), cohort: b.Str(schema.Cohort),
		period: b.Int(schema.Period), partners: b.Int(schema.PartnerCount), activated: b.Int(schema.ActivatedPartners),
		active: b.Int(schema.ActivePartners), retain: b.Int(schema.RetainedPartners), deals: b.Int(schema.DealsCreated),
		won: b.Int(schema.WonDeals), ae: b.Int(schema.AEInvitedDeals),
		actRate: b.Float(schema.ActivationRate), days: b.Float(schema.AvgDaysToFirstDeal), retRate: b.Float(schema.RetentionRate), winDays: b.Float(schema.AvgWinDays),
		pipe: b.Money(schema.PipelineUSD), wonRev: b.Money(schema.WonRevenueUSD),
		beforeData: b.Bool(schema.BeforeData), actPartners: b.Int(schema.ActivationPartners),
	}
}

func optRatio(b *array.Float64Builder, num, den int64) {
	if den <= 0 {
		b.AppendNull()
		return
	}
	b.Append(float64(num) / float64(den))
}

// optInt appends v, or null when the period is before the data for
// every partner of the cell.
func optInt(b *array.Int64Builder, v int64, known bool) {
	if !known {
		b.AppendNull()
		return
	}
	b.Append(v)
}

func (o *out) row(asOf schema.Day, runID string, ct schema.CohortKind, label string, k int, a *agg) {
	known := a.observed > 0
	o.asOf.Append(arrow.Date32(asOf))
	o.run.Append(runID)
	o.ctype.Append(ct.String())
	o.cohort.Append(label)
	o.period.Append(int64(k))
	o.partners.Append(a.partners)
	o.activated.Append(a.activated)
	optRatio(o.actRate, a.activated, a.activationPartners)
	optRatio(o.days, a.daysToFirst, a.activated)
	optInt(o.active, a.active, known)
	optInt(o.retain, a.retained, known)
	optRatio(o.retRate, a.retained, a.prevActive)
	optInt(o.deals, a.deals, known)
	if known {
		o.pipe.Append(decimal128.FromI64(a.pipe))
		o.wonRev.Append(decimal128.FromI64(a.wonRev))
	} else {
		o.pipe.AppendNull()
		o.wonRev.AppendNull()
	}
	optInt(o.won, a.won, known)
	optRatio(o.winDays, a.winDays, a.won)
	optInt(o.ae, a.ae, known)
	o.beforeData.Append(a.beforeData)
	o.actPartners.Append(a.activationPartners)
}
