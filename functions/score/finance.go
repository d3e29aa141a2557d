package score

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/transforms/cohort"
	"github.com/partnerq/pqi/transforms/roi"
	"github.com/partnerq/pqi/transforms/schema"
)

// SegmentLine is one long-tail segment over the whole window, for the
// finance summary: what was spent, what it bought, and what one more
// dollar buys there.
type SegmentLine struct {
	Segment                                string
	PartnerQuarters                        int64
	CostUSD, PipelineUSD, WonUSD           float64
	CommissionUSD                          float64 // NaN when unknown
	CommissionBasis                        string  // exported (in CostUSD), estimated (not) or not_exported
	MarginalROI, MarginalLow, MarginalHigh float64
	State                                  string
}

var nan = math.NaN()

// recordChunk is the number of rows of a large table (attribution,
// partner_roi) rendered at a time (half a row group of the local
// warehouse: the writer buffers row groups, so the file is the same
// whatever the chunk; a smaller chunk holds less).
const recordChunk = 1 << 16

// computeFinance takes the attribution job's result (every other finance
// table uses its credits), then runs ROI and cohorts, handing each table to
// the stager as soon as it exists and releasing it right after, to keep
// the peak memory of a 10M-deal run down. The attribution table, by far the
// largest, is rendered in chunks and written by the stager's stream while
// ROI and cohorts are computed. It returns the long-tail segment lines and
// notes on what the data lack.
func (j *job) computeFinance(ctx context.Context, st *stager) (_ []SegmentLine, notes []string, err error) {
	alloc, cfg, asOf, runID, log := j.deps.Alloc, j.cfg.Finance, j.cfg.AsOf, j.sum.RunID, j.log
	t0 := time.Now()
	pending, err := j.in.att.Wait()
	j.in.att = nil // the ledger is this function's: free once it returns, not at the end of the run
	log.Debug("attribution ready", "waited", time.Since(t0).Round(time.Millisecond))
	if err != nil {
		return nil, nil, fmt.Errorf("attribution: %w", err)
	}
	led := pending.Ledger
	att := st.stream(schema.Attribution, func(emit func(arrow.Record) error) error {
		return pending.Table(runID, recordChunk, emit)
	})
	defer func() {
		if _, werr := att.Wait(); werr != nil && err == nil {
			err = werr
		}
	}()
	if !j.in.costs.Measured() {
		notes = append(notes, "no cost_to_serve export: cost to serve, investment and every return on it are not measured (null; roi_state not_measured); pipeline and revenue are published")
	}
	if led.Credits.Len() == 0 {
		notes = append(notes, "no deal has a partner: attribution, pipeline and revenue per partner are empty")
	}
	r, err := roi.Compute(ctx, alloc, roi.Inputs{Attribution: led, Costs: j.in.costs}, cfg.ROI, asOf, runID)
	if err != nil {
		return nil, nil, fmt.Errorf("partner roi: %w", err)
	}
	defer r.Release()
	log.Debug("roi computed", "since_attribution", time.Since(t0).Round(time.Millisecond))
	segments, err := segmentLines(r.SegmentROI)
	if err != nil {
		return nil, nil, err
	}
	if err := st.writeAll(schema.PartnerROI, func(emit func(arrow.Record) error) error {
		return r.PartnerROI(recordChunk, emit)
	}); err != nil {
		return nil, nil, err
	}
	if err := st.write(schema.SegmentROI, r.SegmentROI); err != nil {
		return nil, nil, err
	}
	cohorts, err := cohort.Compute(ctx, alloc, cohort.Inputs{Attribution: led}, cfg.Cohort, asOf, runID)
	if err != nil {
		return nil, nil, fmt.Errorf("cohorts: %w", err)
	}
	defer cohorts.Release()
	log.Debug("cohorts computed", "since_attribution", time.Since(t0).Round(time.Millisecond))
	return segments, notes, st.write(schema.CohortMetrics, cohorts)
}

// segmentLines reads the window rows of segment_roi.
func segmentLines(rec arrow.Record) ([]SegmentLine, error) {
	v := schema.NewView(schema.SegmentROI, rec)
	quarter, seg, state := v.Str(schema.Quarter), v.Str(schema.TailSegment), v.Str(schema.ROIState)
	pq := v.Int(schema.PartnerQuarters)
	cost, pipe, won := v.Money(schema.CostTotalUSD), v.Money(schema.PipelineCreatedUSD), v.Money(schema.WonRevenueUSD)
	commission, basis := v.Money(schema.CostCommissionUSD), v.Str(schema.CommissionBasis)
	roi, lo, hi := v.Float(schema.MarginalROI), v.Float(schema.MarginalROILow), v.Float(schema.MarginalROIHigh)
	if err := v.Err(); err != nil {
		return nil, err
	}
	usd := func(a *array.Decimal128, i int) float64 {
		if a.IsNull(i) {
			return nan
		}
		return a.Value(i).ToFloat64(schema.MoneyScale)
	}
	float := func(a *array.Float64, i int) float64 {
		if a.IsNull(i) {
			return nan
		}
		return a.Value(i)
	}
	var out []SegmentLine
	for i := range v.Rows() {
		if quarter.Value(i) != schema.WindowQuarter {
			continue
		}
		out = append(out, SegmentLine{
			Segment: seg.Value(i), PartnerQuarters: pq.Value(i),
			CostUSD: usd(cost, i), PipelineUSD: usd(pipe, i), WonUSD: usd(won, i),
			CommissionUSD: usd(commission, i), CommissionBasis: basis.Value(i),
			MarginalROI: float(roi, i), MarginalLow: float(lo, i), MarginalHigh: float(hi, i),
			State: state.Value(i),
		})
	}
	return out, nil
}
