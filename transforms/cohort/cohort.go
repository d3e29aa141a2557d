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
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"

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

func (c Config) validate() error {
	if c.ActivationRegisteredDeals < 1 || c.AccelerationWonDeals < 0 || c.AccelerationWonUSD < 0 || c.AccelerationQuarters < 1 || c.MaxPeriods < 0 {
		return fmt.Errorf("stage rules must be positive and max_periods not negative: %+v", c)
	}
	return nil
}

// Stage positions in schema.MaturityStage; cohort types in schema.CohortTypes
// (pinned by a test).
const (
	stageAwareness = iota
	stageActivation
	stageAcceleration
)

const (
	typeJoinQuarter = iota
	typeStage
	typeVertical
	typeCapability
)

// Unknown is the cohort of partners whose vertical or capability is null.
const Unknown = "unknown"

// cell holds one partner's measures in one period since joining.
type cell struct {
	deals, pipe, won, wonRev, winDays, ae int64
}

// Compute returns cohort_metrics rows, by cohort type (schema.CohortTypes
// order), cohort (join quarters and other labels ascending, stages in stage
// order) and period.
func Compute(ctx context.Context, alloc memory.Allocator, in Inputs, cfg Config, asOf int32, runID string) (arrow.Record, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("cohort: %w", err)
	}
	led := in.Attribution
	if led == nil {
		return nil, errors.New("cohort: no attribution ledger")
	}
	P := led.Partners.Len()
	last := attribution.QuarterOf(asOf)
	K := cfg.MaxPeriods + 1
	joinQ := make([]int32, P)
	periods := make([]int, P) // periods observed: 0 .. periods-1
	for p := range P {
		joinQ[p] = attribution.QuarterOf(led.Partners.Joined[p])
		periods[p] = int(min(int64(K), max(0, int64(last-joinQ[p])+1)))
	}
	cells := make([]cell, P*K)
	firstReg := make([]int32, P)
	for p := range firstReg {
		firstReg[p] = attribution.NoDate
	}
	registered := make([]int64, P)
	recentWon := make([]int64, P)
	recentRev := make([]int64, P)
	d, c := &led.Deals, &led.Credits
	accFrom := last - int32(cfg.AccelerationQuarters) + 1
	for i := range c.Len() {
		if i%(1<<20) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		di, p := c.Deal[i], c.Partner[i]
		if r := d.Registered[di]; r != attribution.NoDate && r <= asOf {
			registered[p]++
			if firstReg[p] == attribution.NoDate || r < firstReg[p] {
				firstReg[p] = r
			}
		}
		if k := int(attribution.QuarterOf(d.Created[di]) - joinQ[p]); k >= 0 && k < periods[p] {
			x := &cells[int(p)*K+k]
			x.deals++
			x.pipe += c.Attributed[i]
			if d.AEInvited[di] {
				x.ae++
			}
		}
		if d.Status[di] == attribution.StatusWon && d.Closed[di] != attribution.NoDate {
			cq := attribution.QuarterOf(d.Closed[di])
			if k := int(cq - joinQ[p]); k >= 0 && k < periods[p] {
				x := &cells[int(p)*K+k]
				x.won++
				x.wonRev += c.Attributed[i]
				x.winDays += int64(d.Closed[di] - d.Created[di])
			}
			if cq >= accFrom && cq <= last {
				recentWon[p]++
				recentRev[p] += c.Attributed[i]
			}
		}
	}
	stage := make([]int8, P)
	for p := range P {
		switch {
		case registered[p] < int64(cfg.ActivationRegisteredDeals):
			stage[p] = stageAwareness
		case recentWon[p] >= int64(cfg.AccelerationWonDeals) && float64(recentRev[p]) >= cfg.AccelerationWonUSD*100:
			stage[p] = stageAcceleration
		default:
			stage[p] = stageActivation
		}
	}

	t, _ := schema.Lookup(schema.CohortMetrics)
	b := array.NewRecordBuilder(alloc, t.StoredArrow())
	defer b.Release()
	out := newOut(b, t.StoredArrow())
	for ct := range schema.CohortTypes {
		labels, of := cohortsOf(ct, led, joinQ, stage)
		for ci, label := range labels {
			rows := make([]agg, K)
			for p := range P {
				if of[p] != ci {
					continue
				}
				accumulate(rows, cells[p*K:(p+1)*K], periods[p], joinQ[p], firstReg[p], led.Partners.Joined[p])
			}
			for k := range K {
				if rows[k].partners == 0 {
					continue
				}
				out.row(asOf, runID, ct, label, k, &rows[k])
			}
		}
	}
	return b.NewRecord(), nil
}

// agg sums a cohort's partners in one period.
type agg struct {
	partners, activated, daysToFirst, active, retained, prevActive int64
	deals, pipe, won, wonRev, winDays, ae                          int64
}

func accumulate(rows []agg, cs []cell, periods int, joinQ, firstReg, joined int32) {
	activeBefore := false
	for k := range periods {
		a := &rows[k]
		x := &cs[k]
		a.partners++
		if firstReg != attribution.NoDate && attribution.QuarterOf(firstReg) <= joinQ+int32(k) {
			a.activated++
			a.daysToFirst += int64(max(0, firstReg-joined))
		}
		active := x.deals > 0
		if active {
			a.active++
		}
		if k > 0 && activeBefore {
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
func cohortsOf(ct int, led *attribution.Ledger, joinQ []int32, stage []int8) ([]string, []int) {
	P := led.Partners.Len()
	of := make([]int, P)
	switch ct {
	case typeJoinQuarter:
		qs := slices.Clone(joinQ)
		slices.Sort(qs)
		qs = slices.Compact(qs)
		labels := make([]string, len(qs))
		for i, q := range qs {
			labels[i] = attribution.QuarterLabel(q)
		}
		for p := range P {
			of[p], _ = slices.BinarySearch(qs, joinQ[p])
		}
		return labels, of
	case typeStage:
		for p := range P {
			of[p] = int(stage[p])
		}
		return schema.MaturityStage, of
	}
	name := make([]string, P)
	for p := range P {
		name[p] = Unknown
		if ct == typeVertical && led.Partners.Vertical[p] != "" {
			name[p] = led.Partners.Vertical[p]
		}
		if ct == typeCapability && led.Partners.Capability[p] >= 0 {
			name[p] = schema.Capabilities[led.Partners.Capability[p]]
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
	asOf                                        *array.Date32Builder
	run, ctype, cohort                          *array.StringBuilder
	period, partners, activated, active, retain *array.Int64Builder
	deals, won, ae                              *array.Int64Builder
	actRate, days, retRate, winDays             *array.Float64Builder
	pipe, wonRev                                *array.Decimal128Builder
}

func newOut(b *array.RecordBuilder, sc *arrow.Schema) *out {
	f := func(n string) array.Builder { return b.Field(sc.FieldIndices(n)[0]) }
	i := func(n string) *array.Int64Builder { return f(n).(*array.Int64Builder) }
	fl := func(n string) *array.Float64Builder { return f(n).(*array.Float64Builder) }
	s := func(n string) *array.StringBuilder { return f(n).(*array.StringBuilder) }
	return &out{
		asOf: f(schema.AsOfDate).(*array.Date32Builder), run: s(schema.RunID), ctype: s(schema.CohortType), cohort: s(schema.Cohort),
		period: i(schema.Period), partners: i(schema.PartnerCount), activated: i(schema.ActivatedPartners),
		active: i(schema.ActivePartners), retain: i(schema.RetainedPartners), deals: i(schema.DealsCreated),
		won: i(schema.WonDeals), ae: i(schema.AEInvitedDeals),
		actRate: fl(schema.ActivationRate), days: fl(schema.AvgDaysToFirstDeal), retRate: fl(schema.RetentionRate), winDays: fl(schema.AvgWinDays),
		pipe: f(schema.PipelineUSD).(*array.Decimal128Builder), wonRev: f(schema.WonRevenueUSD).(*array.Decimal128Builder),
	}
}

func optRatio(b *array.Float64Builder, num, den int64) {
	if den <= 0 {
		b.AppendNull()
		return
	}
	b.Append(float64(num) / float64(den))
}

func (o *out) row(asOf int32, runID string, ct int, label string, k int, a *agg) {
	o.asOf.Append(arrow.Date32(asOf))
	o.run.Append(runID)
	o.ctype.Append(schema.CohortTypes[ct])
	o.cohort.Append(label)
	o.period.Append(int64(k))
	o.partners.Append(a.partners)
	o.activated.Append(a.activated)
	optRatio(o.actRate, a.activated, a.partners)
	optRatio(o.days, a.daysToFirst, a.activated)
	o.active.Append(a.active)
	o.retain.Append(a.retained)
	optRatio(o.retRate, a.retained, a.prevActive)
	o.deals.Append(a.deals)
	o.pipe.Append(decimal128.FromI64(a.pipe))
	o.won.Append(a.won)
	o.wonRev.Append(decimal128.FromI64(a.wonRev))
	optRatio(o.winDays, a.winDays, a.won)
	o.ae.Append(a.ae)
}
