package roi

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"

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

var costColumns = [schema.NumCostCategories]string{schema.CostEnablementUSD, schema.CostMDFUSD, schema.CostProgramUSD,
	schema.CostManagementUSD, schema.CostSupportUSD, schema.CostOtherUSD}

// segRow is one segment_roi row being summed.
type segRow struct {
	partners, invested             int64
	cost                           [schema.NumCostCategories]int64
	total, invest, pipe, attr, won int64
	lift, incr                     int64
	repLift, repIncr               []float64
}

func (e *estimator) records(alloc memory.Allocator, asOf int32, runID string) (*Result, error) {
	pr := e.partnerRecord(alloc, asOf, runID)
	sr := e.segmentRecord(alloc, asOf, runID)
	return &Result{PartnerROI: pr, SegmentROI: sr}, nil
}

func (e *estimator) partnerRecord(alloc memory.Allocator, asOf int32, runID string) arrow.Record {
	b := schema.NewBuilder(alloc, schema.Get(schema.PartnerROI))
	defer b.Release()
	var (
		asOfB, qsB, invStartB           = b.Date(schema.AsOfDate), b.Date(schema.QuarterStart), b.Date(schema.InvestmentStart)
		runB, pidB, qB                  = b.Str(schema.RunID), b.Str(schema.PartnerID), b.Str(schema.Quarter)
		segB, prevB, moveB              = b.Str(schema.TailSegment), b.Str(schema.PrevTailSegment), b.Str(schema.SegmentMove)
		grpB, invSegB, stateB           = b.Str(schema.ROIGroup), b.Str(schema.InvestmentSegment), b.Str(schema.ROIState)
		trailB, totalB, investB         = b.Money(schema.TrailingWonUSD), b.Money(schema.CostTotalUSD), b.Money(schema.InvestmentUSD)
		pipeB, attrB, wonB              = b.Money(schema.PipelineCreatedUSD), b.Money(schema.PipelineAttrUSD), b.Money(schema.WonRevenueUSD)
		baseB, expB, liftB, incrB       = b.Money(schema.BaselinePipeline), b.Money(schema.ExpectedPipeline), b.Money(schema.PipelineLiftUSD), b.Money(schema.IncrementalSpend)
		shareB, cumB, ehB, mhB          = b.Float(schema.RevenueShare), b.Float(schema.CumulativeShare), b.Float(schema.EnablementHours), b.Float(schema.ManagementHours)
		ppdB, mgB, roiB, loB, hiB       = b.Float(schema.PipelinePerDollar), b.Float(schema.MarketplaceGrowth), b.Float(schema.ROI), b.Float(schema.ROILow), b.Float(schema.ROIHigh)
		dcB, wdB, mkB, aeB, aerB, compB = b.Int(schema.DealsCreated), b.Int(schema.WonDeals), b.Int(schema.MarketplaceDeals), b.Int(schema.AEInvitedDeals), b.Int(schema.AERepeatInvites), b.Int(schema.ComparisonPartners)
		momB                            = b.Bool(schema.Momentum)
		costB                           [schema.NumCostCategories]*array.Decimal128Builder
	)
	for k := range schema.NumCostCategories {
		costB[k] = b.Money(costColumns[k])
	}
	labels := make([]string, e.nq)
	starts := make([]int32, e.nq)
	for i := range e.nq {
		labels[i] = schema.QuarterLabel(e.q0 + int32(i))
		starts[i] = schema.QuarterFirstDay(e.q0 + int32(i))
	}
	es := &e.est
	for p := range e.P {
		id := e.led.Partners.ID[p]
		for t := range e.nw {
			i := e.w0 + t
			k := p*e.nq + i
			if e.seg[k] == schema.NullEnum {
				continue // not yet joined
			}
			asOfB.Append(arrow.Date32(asOf))
			runB.Append(runID)
			pidB.Append(id)
			qsB.Append(arrow.Date32(starts[i]))
			qB.Append(labels[i])
			segB.Append(e.seg[k].String())
			if prev := e.seg[k-1]; prev == schema.NullEnum {
				prevB.AppendNull()
				moveB.Append(schema.MoveNew.String())
			} else {
				prevB.Append(prev.String())
				moveB.Append(schema.MoveBetween(prev, e.seg[k]).String())
			}
			appendCents(trailB, e.trailing[k])
			shareB.Append(e.revShare[k])
			cumB.Append(e.cumShare[k])
			var total int64
			for c := range schema.NumCostCategories {
				appendCents(costB[c], e.cost[c][k])
				total += e.cost[c][k]
			}
			appendCents(totalB, total)
			ehB.Append(float64(e.hours[0][k]) / 100)
			mhB.Append(float64(e.hours[1][k]) / 100)
			appendCents(investB, e.invest[k])
			dcB.Append(e.dealsCreated[k])
			appendCents(pipeB, e.pipeCreated[k])
			appendCents(attrB, e.pipeAttr[k])
			wdB.Append(e.wonDeals[k])
			appendCents(wonB, e.wonRev[k])
			schema.AppendFloat(ppdB, ratio(e.pipeCreated[k], e.invest[k]))
			mkB.Append(e.mkt[k])
			prevMkt := e.mkt[k-1]
			if prevMkt > 0 {
				mgB.Append(float64(e.mkt[k])/float64(prevMkt) - 1)
			} else {
				mgB.AppendNull()
			}
			aeB.Append(e.ae[k])
			aerB.Append(e.aeRepeat[k])
			momB.Append((e.mkt[k] > prevMkt && e.mkt[k] >= int64(e.cfg.MomentumMinDeals)) || e.aeRepeat[k] > 0)

			grpB.Append(e.group[p].String())
			r := p*e.nw + t
			if e.group[p] == schema.GroupInvested {
				invStartB.Append(arrow.Date32(starts[e.w0+int(e.t0[p])]))
				if s := es.invSeg[p]; s != schema.NullEnum {
					invSegB.Append(s.String())
				} else {
					invSegB.AppendNull()
				}
				compB.Append(e.comparisons[p])
			} else {
				invStartB.AppendNull()
				invSegB.AppendNull()
				compB.AppendNull()
			}
			appendOptCents(baseB, es.baseline[p])
			appendOptCents(expB, es.expected[r])
			appendOptCents(liftB, es.lift[r])
			appendOptCents(incrB, es.incr[r])
			if es.state[r] == schema.ROIEstimated {
				roiB.Append(es.roi[r])
				loB.Append(es.lo[r])
				hiB.Append(es.hi[r])
			} else {
				roiB.AppendNull()
				loB.AppendNull()
				hiB.AppendNull()
			}
			stateB.Append(es.state[r].String())
		}
	}
	return b.NewRecord()
}

func appendOptCents(b *array.Decimal128Builder, v float64) {
	if math.IsNaN(v) {
		b.AppendNull()
		return
	}
	appendCents(b, cents(v))
}

func (e *estimator) segmentRecord(alloc memory.Allocator, asOf int32, runID string) arrow.Record {
	B := e.cfg.Replicates
	es := &e.est
	rows := make([][schema.NumTails]segRow, e.nw+1) // window quarters, then the window
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

	b := schema.NewBuilder(alloc, schema.Get(schema.SegmentROI))
	defer b.Release()
	var costB [schema.NumCostCategories]*array.Decimal128Builder
	for k := range schema.NumCostCategories {
		costB[k] = b.Money(costColumns[k])
	}
	buf := make([]float64, B)
	for t, row := range rows {
		for s := range schema.NumTails {
			x := &row[s]
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
			b.Str(schema.TailSegment).Append(schema.Tail(s).String())
			b.Int(schema.PartnerQuarters).Append(x.partners)
			for c := range schema.NumCostCategories {
				appendCents(costB[c], x.cost[c])
			}
			appendCents(b.Money(schema.CostTotalUSD), x.total)
			appendCents(b.Money(schema.InvestmentUSD), x.invest)
			appendCents(b.Money(schema.PipelineCreatedUSD), x.pipe)
			appendCents(b.Money(schema.PipelineAttrUSD), x.attr)
			appendCents(b.Money(schema.WonRevenueUSD), x.won)
			schema.AppendFloat(b.Float(schema.AverageReturn), ratio(x.pipe, x.invest))
			b.Int(schema.InvestedPartnerQuarters).Append(x.invested)
			appendCents(b.Money(schema.PipelineLiftUSD), x.lift)
			appendCents(b.Money(schema.IncrementalSpend), x.incr)
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
		}
	}
	return b.NewRecord()
}
