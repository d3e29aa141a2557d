package roi

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/schema"
)

// builders gives typed access to a record builder's fields by name.
type builders struct {
	b  *array.RecordBuilder
	sc *arrow.Schema
}

func newBuilders(alloc memory.Allocator, table string) builders {
	t, _ := schema.Lookup(table)
	sc := t.StoredArrow()
	return builders{array.NewRecordBuilder(alloc, sc), sc}
}

func (b builders) field(name string) array.Builder { return b.b.Field(b.sc.FieldIndices(name)[0]) }
func (b builders) str(name string) *array.StringBuilder {
	return b.field(name).(*array.StringBuilder)
}
func (b builders) date(name string) *array.Date32Builder { return b.field(name).(*array.Date32Builder) }
func (b builders) i64(name string) *array.Int64Builder   { return b.field(name).(*array.Int64Builder) }
func (b builders) f64(name string) *array.Float64Builder {
	return b.field(name).(*array.Float64Builder)
}
func (b builders) dec(name string) *array.Decimal128Builder {
	return b.field(name).(*array.Decimal128Builder)
}
func (b builders) boolean(name string) *array.BooleanBuilder {
	return b.field(name).(*array.BooleanBuilder)
}

func appendCents(b *array.Decimal128Builder, c int64) { b.Append(decimal128.FromI64(c)) }

// cents rounds USD to cents, half away from zero.
func cents(v float64) int64 { return int64(math.Round(v * 100)) }

func appendFloat(b *array.Float64Builder, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		b.AppendNull()
		return
	}
	if v == 0 {
		v = 0 // never -0: it does not survive every engine (BigQuery reads it as 0)
	}
	b.Append(v)
}

func ratio(num, den int64) float64 {
	if den <= 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

var costColumns = [numCats]string{schema.CostEnablementUSD, schema.CostMDFUSD, schema.CostProgramUSD,
	schema.CostManagementUSD, schema.CostSupportUSD, schema.CostOtherUSD}

// segRow is one segment_roi row being summed.
type segRow struct {
	partners, invested             int64
	cost                           [numCats]int64
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
	b := newBuilders(alloc, schema.PartnerROI)
	defer b.b.Release()
	var (
		asOfB, qsB, invStartB           = b.date(schema.AsOfDate), b.date(schema.QuarterStart), b.date(schema.InvestmentStart)
		runB, pidB, qB                  = b.str(schema.RunID), b.str(schema.PartnerID), b.str(schema.Quarter)
		segB, prevB, moveB              = b.str(schema.TailSegment), b.str(schema.PrevTailSegment), b.str(schema.SegmentMove)
		grpB, invSegB, stateB           = b.str(schema.ROIGroup), b.str(schema.InvestmentSegment), b.str(schema.ROIState)
		trailB, totalB, investB         = b.dec(schema.TrailingWonUSD), b.dec(schema.CostTotalUSD), b.dec(schema.InvestmentUSD)
		pipeB, attrB, wonB              = b.dec(schema.PipelineCreatedUSD), b.dec(schema.PipelineAttrUSD), b.dec(schema.WonRevenueUSD)
		baseB, expB, liftB, incrB       = b.dec(schema.BaselinePipeline), b.dec(schema.ExpectedPipeline), b.dec(schema.PipelineLiftUSD), b.dec(schema.IncrementalSpend)
		shareB, cumB, ehB, mhB          = b.f64(schema.RevenueShare), b.f64(schema.CumulativeShare), b.f64(schema.EnablementHours), b.f64(schema.ManagementHours)
		ppdB, mgB, roiB, loB, hiB       = b.f64(schema.PipelinePerDollar), b.f64(schema.MarketplaceGrowth), b.f64(schema.ROI), b.f64(schema.ROILow), b.f64(schema.ROIHigh)
		dcB, wdB, mkB, aeB, aerB, compB = b.i64(schema.DealsCreated), b.i64(schema.WonDeals), b.i64(schema.MarketplaceDeals), b.i64(schema.AEInvitedDeals), b.i64(schema.AERepeatInvites), b.i64(schema.ComparisonPartners)
		momB                            = b.boolean(schema.Momentum)
		costB                           [numCats]*array.Decimal128Builder
	)
	for k := range numCats {
		costB[k] = b.dec(costColumns[k])
	}
	labels := make([]string, e.nq)
	starts := make([]int32, e.nq)
	for i := range e.nq {
		labels[i] = attribution.QuarterLabel(e.q0 + int32(i))
		starts[i] = attribution.QuarterStart(e.q0 + int32(i))
	}
	es := &e.est
	for p := range e.P {
		id := e.led.Partners.ID[p]
		for t := range e.nw {
			i := e.w0 + t
			k := p*e.nq + i
			if e.seg[k] < 0 {
				continue // not yet joined
			}
			asOfB.Append(arrow.Date32(asOf))
			runB.Append(runID)
			pidB.Append(id)
			qsB.Append(arrow.Date32(starts[i]))
			qB.Append(labels[i])
			segB.Append(schema.TailSegments[e.seg[k]])
			switch prev := e.seg[k-1]; {
			case prev < 0:
				prevB.AppendNull()
				moveB.Append(schema.SegmentMoves[0])
			default:
				prevB.Append(schema.TailSegments[prev])
				mv := 1 // same
				if e.seg[k] < prev {
					mv = 2 // up
				} else if e.seg[k] > prev {
					mv = 3 // down
				}
				moveB.Append(schema.SegmentMoves[mv])
			}
			appendCents(trailB, e.trailing[k])
			shareB.Append(e.revShare[k])
			cumB.Append(e.cumShare[k])
			var total int64
			for c := range numCats {
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
			appendFloat(ppdB, ratio(e.pipeCreated[k], e.invest[k]))
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

			grpB.Append(schema.ROIGroups[e.group[p]])
			r := p*e.nw + t
			if e.group[p] == groupInvested {
				invStartB.Append(arrow.Date32(starts[e.w0+int(e.t0[p])]))
				if s := es.invSeg[p]; s >= 0 {
					invSegB.Append(schema.TailSegments[s])
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
			if es.state[r] == stateEstimated {
				roiB.Append(es.roi[r])
				loB.Append(es.lo[r])
				hiB.Append(es.hi[r])
			} else {
				roiB.AppendNull()
				loB.AppendNull()
				hiB.AppendNull()
			}
			stateB.Append(schema.ROIStates[es.state[r]])
		}
	}
	return b.b.NewRecord()
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
	rows := make([][numSegs]segRow, e.nw+1) // window quarters, then the window
	for t := range rows {
		for s := range numSegs {
			rows[t][s].repLift = make([]float64, B)
			rows[t][s].repIncr = make([]float64, B)
		}
	}
	for p := range e.P {
		for t := range e.nw {
			k := p*e.nq + e.w0 + t
			s := e.seg[k]
			if s < 0 {
				continue
			}
			for _, x := range []*segRow{&rows[t][s], &rows[e.nw][s]} {
				x.partners++
				for c := range numCats {
					x.cost[c] += e.cost[c][k]
					x.total += e.cost[c][k]
				}
				x.invest += e.invest[k]
				x.pipe += e.pipeCreated[k]
				x.attr += e.pipeAttr[k]
				x.won += e.wonRev[k]
			}
			r := p*e.nw + t
			if is := es.invSeg[p]; is >= 0 && !math.IsNaN(es.lift[r]) {
				for _, x := range []*segRow{&rows[t][is], &rows[e.nw][is]} {
					x.invested++
					x.lift += cents(es.lift[r])
					x.incr += cents(es.incr[r])
				}
			}
		}
	}
	for t := range e.nw {
		for s := range numSegs {
			for b := range B {
				rows[t][s].repLift[b] = e.segRepLift[t][s][b]
				rows[t][s].repIncr[b] = e.segRepI[t][s][b]
				rows[e.nw][s].repLift[b] += e.segRepLift[t][s][b]
				rows[e.nw][s].repIncr[b] += e.segRepI[t][s][b]
			}
		}
	}

	b := newBuilders(alloc, schema.SegmentROI)
	defer b.b.Release()
	var costB [numCats]*array.Decimal128Builder
	for k := range numCats {
		costB[k] = b.dec(costColumns[k])
	}
	buf := make([]float64, B)
	for t, row := range rows {
		for s := range numSegs {
			x := &row[s]
			b.date(schema.AsOfDate).Append(arrow.Date32(asOf))
			b.str(schema.RunID).Append(runID)
			if t < e.nw {
				q := e.q0 + int32(e.w0+t)
				b.str(schema.Quarter).Append(attribution.QuarterLabel(q))
				b.date(schema.QuarterStart).Append(arrow.Date32(attribution.QuarterStart(q)))
			} else {
				b.str(schema.Quarter).Append(schema.WindowQuarter)
				b.date(schema.QuarterStart).AppendNull()
			}
			b.str(schema.TailSegment).Append(schema.TailSegments[s])
			b.i64(schema.PartnerQuarters).Append(x.partners)
			for c := range numCats {
				appendCents(costB[c], x.cost[c])
			}
			appendCents(b.dec(schema.CostTotalUSD), x.total)
			appendCents(b.dec(schema.InvestmentUSD), x.invest)
			appendCents(b.dec(schema.PipelineCreatedUSD), x.pipe)
			appendCents(b.dec(schema.PipelineAttrUSD), x.attr)
			appendCents(b.dec(schema.WonRevenueUSD), x.won)
			appendFloat(b.f64(schema.AverageReturn), ratio(x.pipe, x.invest))
			b.i64(schema.InvestedPartnerQuarters).Append(x.invested)
			appendCents(b.dec(schema.PipelineLiftUSD), x.lift)
			appendCents(b.dec(schema.IncrementalSpend), x.incr)
			state := stateNotInvested
			var lo, hi float64
			if x.invested > 0 {
				state = stateInsufficient
				if x.incr > 0 {
					var ok bool
					lo, hi, ok = interval(x.repLift, x.repIncr, buf, es.alphaLo, es.alphaHi, es.maxBad)
					if ok {
						state = stateEstimated
					}
				}
			}
			if state == stateEstimated {
				b.f64(schema.MarginalROI).Append(float64(x.lift) / float64(x.incr))
				b.f64(schema.MarginalROILow).Append(lo)
				b.f64(schema.MarginalROIHigh).Append(hi)
			} else {
				b.f64(schema.MarginalROI).AppendNull()
				b.f64(schema.MarginalROILow).AppendNull()
				b.f64(schema.MarginalROIHigh).AppendNull()
			}
			b.str(schema.ROIState).Append(schema.ROIStates[state])
		}
	}
	return b.b.NewRecord()
}
