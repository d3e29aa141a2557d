package roi

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

func appendCents(b *array.Decimal128Builder, c int64) { b.Append(decimal128.FromI64(c)) }

// cents rounds USD to cents, half away from zero.
func cents(v float64) int64 { return int64(math.Round(v * 100)) }

func ratio(num, den int64) float64 {
	if den <= 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// costColumns are the cost columns by category; commission, last, is
// appended with its basis (see commissionAt).
var costColumns = [schema.NumCostCategories]string{schema.CostEnablementUSD, schema.CostMDFUSD, schema.CostProgramUSD,
	schema.CostManagementUSD, schema.CostSupportUSD, schema.CostOtherUSD, schema.CostCommissionUSD}

// segRow is one segment_roi row being summed.
type segRow struct {
	partners, invested             int64
	cost                           [schema.NumCostCategories]int64
	total, invest, pipe, attr, won int64
	lift, incr                     int64
	repLift, repIncr               []float64
	commission                     int64 // known commission (see commissionAt)
	commissionKnown                bool
}

func (e *estimator) records(alloc memory.Allocator, asOf schema.Day, runID string) (*Result, error) {
	sr := e.segmentRecord(alloc, asOf, runID)
	return &Result{SegmentROI: sr, e: e, alloc: alloc, asOf: asOf, runID: runID}, nil
}

// roiCols are partner_roi's column builders.
type roiCols struct {
	asOf, qStart, invStart          *array.Date32Builder
	run, pid, quarter               *array.StringBuilder
	seg, prev, move                 *array.StringBuilder
	group, invSeg, state            *array.StringBuilder
	trailing, total, invest         *array.Decimal128Builder
	pipe, attr, won                 *array.Decimal128Builder
	base, expected, lift, incr      *array.Decimal128Builder
	share, cum, enableH, manageH    *array.Float64Builder
	perDollar, mktGrowth, roi, lo   *array.Float64Builder
	hi                              *array.Float64Builder
	created, wonN, mkt, ae, aeAgain *array.Int64Builder
	comparisons                     *array.Int64Builder
	momentum                        *array.BooleanBuilder
	cost                            [schema.NumCostCategories]*array.Decimal128Builder
	basis                           *array.StringBuilder
}

func newROICols(b *schema.Builder) *roiCols {
	c := &roiCols{
		asOf: b.Date(schema.AsOfDate), qStart: b.Date(schema.QuarterStart), invStart: b.Date(schema.InvestmentStart),
		run: b.Str(schema.RunID), pid: b.Str(schema.PartnerID), quarter: b.Str(schema.Quarter),
		seg: b.Str(schema.TailSegment), prev: b.Str(schema.PrevTailSegment), move: b.Str(schema.SegmentMove),
		group: b.Str(schema.ROIGroup), invSeg: b.Str(schema.InvestmentSegment), state: b.Str(schema.ROIState),
		trailing: b.Money(schema.TrailingWonUSD), total: b.Money(schema.CostTotalUSD), invest: b.Money(schema.InvestmentUSD),
		pipe: b.Money(schema.PipelineCreatedUSD), attr: b.Money(schema.PipelineAttrUSD), won: b.Money(schema.WonRevenueUSD),
		base: b.Money(schema.BaselinePipeline), expected: b.Money(schema.ExpectedPipeline), lift: b.Money(schema.PipelineLiftUSD), incr: b.Money(schema.IncrementalSpend),
		share: b.Float(schema.RevenueShare), cum: b.Float(schema.CumulativeShare), enableH: b.Float(schema.EnablementHours), manageH: b.Float(schema.ManagementHours),
		perDollar: b.Float(schema.PipelinePerDollar), mktGrowth: b.Float(schema.MarketplaceGrowth), roi: b.Float(schema.ROI), lo: b.Float(schema.ROILow), hi: b.Float(schema.ROIHigh),
		created: b.Int(schema.DealsCreated), wonN: b.Int(schema.WonDeals), mkt: b.Int(schema.MarketplaceDeals), ae: b.Int(schema.AEInvitedDeals),
		aeAgain: b.Int(schema.AERepeatInvites), comparisons: b.Int(schema.ComparisonPartners),
		momentum: b.Bool(schema.Momentum), basis: b.Str(schema.CommissionBasis),
	}
	for k := range schema.NumCostCategories {
		c.cost[k] = b.Money(costColumns[k])
	}
	return c
}

// partnerRows is the number of partner_roi rows: every partner in every
// window quarter from the one it joined in.
func (e *estimator) partnerRows() int {
	n := 0
	for p := range e.P {
		for t := range e.nw {
			if e.seg[p*e.nq+e.w0+t] != schema.NullEnum {
				n++
			}
		}
	}
	return n
}

// partnerChunks emits partner_roi's rows by partner_id then quarter, in
// records of at most chunk rows, each reserved to its size: the table
// (about 500 bytes a row in Arrow, 130 MB at 40,000 partners) need never
// be whole in memory, nor grown by doubling. A record is emitted even when
// there are no rows.
func (e *estimator) partnerChunks(alloc memory.Allocator, asOf schema.Day, runID string, chunk int, emit func(arrow.Record) error) error {
	n := e.partnerRows()
	chunk = max(chunk, 1)
	labels := make([]string, e.nq)
	starts := make([]int32, e.nq)
	for i := range e.nq {
		labels[i] = schema.QuarterLabel(e.q0 + int32(i))
		starts[i] = schema.QuarterFirstDay(e.q0 + int32(i))
	}
	var (
		b    *schema.Builder
		c    *roiCols
		done int
	)
	open := func() {
		b = schema.NewBuilder(alloc, schema.Get(schema.PartnerROI))
		b.Reserve(min(chunk, n-done))
		c = newROICols(b)
	}
	flush := func() error {
		rec := b.NewRecord()
		b.Release()
		b = nil
		return emit(rec)
	}
	open()
	for p := range e.P {
		for t := range e.nw {
			i := e.w0 + t
			k := p*e.nq + i
			if e.seg[k] == schema.NullEnum {
				continue // not yet joined
			}
			if b == nil {
				open()
			}
			c.asOf.Append(arrow.Date32(asOf))
			c.run.Append(runID)
			c.pid.Append(e.led.Partners.ID[p])
			c.qStart.Append(arrow.Date32(starts[i]))
			c.quarter.Append(labels[i])
			e.appendActivity(c, k)
			e.appendReturn(c, p, t, starts)
			e.appendCommission(c, p, k)
			if done++; done%chunk == 0 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if b != nil { // rows since the last record, or none at all
		return flush()
	}
	return nil
}

// appendActivity appends grid cell k's segment, cost, pipeline, revenue
// and leading indicators.
func (e *estimator) appendActivity(c *roiCols, k int) {
	c.seg.Append(e.seg[k].String())
	if prev := e.seg[k-1]; prev == schema.NullEnum {
		c.prev.AppendNull()
		c.move.Append(schema.MoveNew.String())
	} else {
		c.prev.Append(prev.String())
		c.move.Append(schema.MoveBetween(prev, e.seg[k]).String())
	}
	appendCents(c.trailing, e.trailing[k])
	c.share.Append(e.revShare[k])
	c.cum.Append(e.cumShare[k])
	if e.costMeasured {
		var total int64
		for cat := range schema.CostCommission {
			appendCents(c.cost[cat], e.cost[cat][k])
			total += e.cost[cat][k]
		}
		appendCents(c.total, total+e.cost[schema.CostCommission][k])
		c.enableH.Append(float64(e.hours[0][k]) / 100)
		c.manageH.Append(float64(e.hours[1][k]) / 100)
		appendCents(c.invest, e.invest[k])
	} else {
		for cat := range schema.CostCommission {
			c.cost[cat].AppendNull()
		}
		for _, b := range []array.Builder{c.total, c.enableH, c.manageH, c.invest} {
			b.AppendNull()
		}
	}
	c.created.Append(e.dealsCreated[k])
	appendCents(c.pipe, e.pipeCreated[k])
	appendCents(c.attr, e.pipeAttr[k])
	c.wonN.Append(e.wonDeals[k])
	appendCents(c.won, e.wonRev[k])
	schema.AppendFloat(c.perDollar, ratio(e.pipeCreated[k], e.invest[k]))
	c.mkt.Append(e.mkt[k])
	prevMkt := e.mkt[k-1]
	if prevMkt > 0 {
		c.mktGrowth.Append(float64(e.mkt[k])/float64(prevMkt) - 1)
	} else {
		c.mktGrowth.AppendNull()
	}
	c.ae.Append(e.ae[k])
	c.aeAgain.Append(e.aeRepeat[k])
	c.momentum.Append((e.mkt[k] > prevMkt && e.mkt[k] >= int64(e.cfg.MomentumMinDeals)) || e.aeRepeat[k] > 0)
}

// appendReturn appends partner p's ROI group and, in window quarter t, its
// difference-in-differences estimate.
func (e *estimator) appendReturn(c *roiCols, p, t int, starts []int32) {
	es := &e.est
	c.group.Append(e.group[p].String())
	r := p*e.nw + t
	if e.group[p] == schema.GroupInvested {
		c.invStart.Append(arrow.Date32(starts[e.w0+int(e.t0[p])]))
		if s := es.invSeg[p]; s != schema.NullEnum {
			c.invSeg.Append(s.String())
		} else {
			c.invSeg.AppendNull()
		}
		c.comparisons.Append(e.comparisons[p])
	} else {
		c.invStart.AppendNull()
		c.invSeg.AppendNull()
		c.comparisons.AppendNull()
	}
	appendOptCents(c.base, es.baseline[p])
	appendOptCents(c.expected, es.expected[r])
	appendOptCents(c.lift, es.lift[r])
	appendOptCents(c.incr, es.incr[r])
	if es.state[r] == schema.ROIEstimated {
		c.roi.Append(es.roi[r])
		c.lo.Append(es.lo[r])
		c.hi.Append(es.hi[r])
	} else {
		c.roi.AppendNull()
		c.lo.AppendNull()
		c.hi.AppendNull()
	}
	state := es.state[r]
	if !e.costMeasured {
		state = schema.ROINotMeasured
	}
	c.state.Append(state.String())
}

// appendCommission appends partner p's commission in grid cell k and its
// basis: exported commission is in cost_total_usd, an estimate is not.
func (e *estimator) appendCommission(c *roiCols, p, k int) {
	v, basis, ok := e.commissionAt(p, k)
	if ok {
		appendCents(c.cost[schema.CostCommission], v)
	} else {
		c.cost[schema.CostCommission].AppendNull()
	}
	c.basis.Append(basis.String())
}

func appendOptCents(b *array.Decimal128Builder, v float64) {
	if math.IsNaN(v) {
		b.AppendNull()
		return
	}
	appendCents(b, cents(v))
}

func (e *estimator) segmentRecord(alloc memory.Allocator, asOf schema.Day, runID string) arrow.Record {
	rows := e.segmentRows()
	b := schema.NewBuilder(alloc, schema.Get(schema.SegmentROI))
	defer b.Release()
	buf := make([]float64, e.cfg.Replicates)
	for t, row := range rows {
		for s := range schema.Tail(schema.NumTails) {
			b.Date(schema.AsOfDate).Append(arrow.Date32(asOf))
			b.Str(schema.RunID).Append(runID)
			if t < e.nw {
				q := e.q0 + int32(e.w0+t)
				b.Str(schema.Quarter).Append(schema.QuarterLabel(q))
				b.Date(schema.QuarterStart).Append(arrow.Date32(schema.QuarterFirstDay(q)))
			} else {
				b.Str(schema.Quarter).Append(schema.WindowQuarter)
				b.Date(schema.QuarterStart).AppendNull()
			}
			b.Str(schema.TailSegment).Append(s.String())
			e.appendSegment(b, &row[s], buf)
		}
	}
	return b.NewRecord()
}

// segmentRows sums partner_roi into one row per window quarter and
// segment, then one per segment over the window (the last).
func (e *estimator) segmentRows() [][schema.NumTails]segRow {
	B := e.cfg.Replicates
	es := &e.est
	rows := make([][schema.NumTails]segRow, e.nw+1)
	for t := range rows {
		for s := range schema.NumTails {
			rows[t][s].repLift = make([]float64, B)
			rows[t][s].repIncr = make([]float64, B)
		}
	}
	for p := range e.P {
		for t := range e.nw {
			k := p*e.nq + e.w0 + t
			s := e.seg[k]
			if s == schema.NullEnum {
				continue
			}
			for _, x := range []*segRow{&rows[t][s], &rows[e.nw][s]} {
				x.partners++
				for c := range schema.NumCostCategories {
					x.cost[c] += e.cost[c][k]
					x.total += e.cost[c][k]
				}
				if v, _, ok := e.commissionAt(p, k); ok {
					x.commission += v
					x.commissionKnown = true
				}
				x.invest += e.invest[k]
				x.pipe += e.pipeCreated[k]
				x.attr += e.pipeAttr[k]
				x.won += e.wonRev[k]
			}
			r := p*e.nw + t
			if is := es.invSeg[p]; is != schema.NullEnum && !math.IsNaN(es.lift[r]) {
				for _, x := range []*segRow{&rows[t][is], &rows[e.nw][is]} {
					x.invested++
					x.lift += cents(es.lift[r])
					x.incr += cents(es.incr[r])
				}
			}
		}
	}
	for t := range e.nw {
		for s := range schema.NumTails {
			for b := range B {
				rows[t][s].repLift[b] = e.segRepLift[t][s][b]
				rows[t][s].repIncr[b] = e.segRepI[t][s][b]
				rows[e.nw][s].repLift[b] += e.segRepLift[t][s][b]
				rows[e.nw][s].repIncr[b] += e.segRepI[t][s][b]
			}
		}
	}
	return rows
}

// appendSegment appends a segment row's sums and its pooled marginal
// return with the bootstrap interval (buf is scratch, one per replicate).
func (e *estimator) appendSegment(b *schema.Builder, x *segRow, buf []float64) {
	es := &e.est
	b.Int(schema.PartnerQuarters).Append(x.partners)
	costCols := append(costColumns[:schema.CostCommission:schema.CostCommission], schema.CostTotalUSD, schema.InvestmentUSD, schema.PipelineLiftUSD, schema.IncrementalSpend)
	costs := append(x.cost[:schema.CostCommission:schema.CostCommission], x.total, x.invest, x.lift, x.incr)
	for i, col := range costCols {
		if e.costMeasured {
			appendCents(b.Money(col), costs[i])
		} else {
			b.Money(col).AppendNull()
		}
	}
	appendCents(b.Money(schema.PipelineCreatedUSD), x.pipe)
	appendCents(b.Money(schema.PipelineAttrUSD), x.attr)
	appendCents(b.Money(schema.WonRevenueUSD), x.won)
	schema.AppendFloat(b.Float(schema.AverageReturn), ratio(x.pipe, x.invest))
	b.Int(schema.InvestedPartnerQuarters).Append(x.invested)
	state := schema.ROINotInvested
	var lo, hi float64
	if x.invested > 0 {
		state = schema.ROIInsufficient
		if x.incr > 0 {
			var ok bool
			lo, hi, ok = interval(x.repLift, x.repIncr, buf, es.alphaLo, es.alphaHi, es.maxBad)
			if ok {
				state = schema.ROIEstimated
			}
		}
	}
	if !e.costMeasured {
		state = schema.ROINotMeasured
	}
	if state == schema.ROIEstimated {
		b.Float(schema.MarginalROI).Append(float64(x.lift) / float64(x.incr))
		b.Float(schema.MarginalROILow).Append(lo)
		b.Float(schema.MarginalROIHigh).Append(hi)
	} else {
		b.Float(schema.MarginalROI).AppendNull()
		b.Float(schema.MarginalROILow).AppendNull()
		b.Float(schema.MarginalROIHigh).AppendNull()
	}
	b.Str(schema.ROIState).Append(state.String())
	if x.commissionKnown {
		appendCents(b.Money(schema.CostCommissionUSD), x.commission)
	} else {
		b.Money(schema.CostCommissionUSD).AppendNull()
	}
	b.Str(schema.CommissionBasis).Append(e.commission.String())
}
