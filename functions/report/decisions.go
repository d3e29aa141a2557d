package report

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/transforms/schema"
)

// snapshotRow is a partner's scores in one snapshot, as a decision record
// is judged against them.
type snapshotRow struct {
	pqi, low, high float64
	rec, to        string // tier_recommendation, recommended_tier
	runID          string
}

// readDecisions reads the decision records: those decided in the as-of
// quarter and those whose review falls in it, each with the scores the deciders
// had (the latest snapshot on or before the decided date) and the scores
// now, and whether it went against that evidence (the rules of
// mart_decision_review; a test checks the two agree).
func (l *loader) readDecisions(ctx context.Context, d *board.Data) error {
	f, err := l.frame(ctx, schema.Decisions, []string{schema.DecisionID, schema.PartnerID, schema.DecisionKind, schema.DecidedDate,
		schema.Deciders, schema.DecisionText, schema.DecidedTier, schema.DecisionStat, schema.ReviewDate})
	if err != nil || f.Rows() == 0 {
		return err
	}
	id, partner, kind, deciders, text, tier, status := f.str[0], f.str[1], f.str[2], f.str[4], f.str[5], f.str[6], f.str[7]
	decided, review := f.num[3], f.num[8]
	q := l.cfg.AsOf.Quarter()
	snaps := map[int32]map[string]snapshotRow{}
	for i := range id {
		day := int32(decided[i])
		due := schema.Day(reviewDay(review[i], day)).Quarter() == q
		if schema.Day(day).Quarter() != q && !due {
			continue
		}
		k, ok := schema.DecisionKinds.Parse(kind[i])
		if !ok {
			return fmt.Errorf("decisions: %s has kind %q, not the contract's", id[i], kind[i])
		}
		r := board.DecisionRecord{ID: id[i], Partner: l.partner(partner[i]), Kind: k, Decided: schema.Day(day), Deciders: deciders[i],
			Decision: text[i], Status: status[i], ThisQuarter: schema.Day(day).Quarter() == q, ReviewDue: due,
			Then: math.NaN(), Now: math.NaN(), ThenLow: math.NaN(), ThenHigh: math.NaN()}
		if at, ok := l.snapshotBefore(schema.Day(day)); ok {
			if snaps[int32(at)] == nil {
				if snaps[int32(at)], err = l.snapshot(ctx, at); err != nil {
					return err
				}
			}
			if s, ok := snaps[int32(at)][partner[i]]; ok {
				r.SnapshotAsOf, r.Then, r.ThenLow, r.ThenHigh = at, s.pqi, s.low, s.high
				r.Against = againstEvidence(k, tier[i], s)
			}
		}
		if snaps[int32(l.cfg.AsOf)] == nil {
			if snaps[int32(l.cfg.AsOf)], err = l.snapshot(ctx, l.cfg.AsOf); err != nil {
				return err
			}
		}
		if s, ok := snaps[int32(l.cfg.AsOf)][partner[i]]; ok {
			r.Now = s.pqi
		}
		d.Decisions = append(d.Decisions, r)
	}
	sort.Slice(d.Decisions, func(a, b int) bool {
		x, y := d.Decisions[a], d.Decisions[b]
		if x.Decided != y.Decided {
			return x.Decided < y.Decided
		}
		return x.ID < y.ID
	})
	return nil
}

// reviewDay is when a decision is reviewed: its review date, or, without
// one, the decided date; it is due in that day's quarter.
func reviewDay(review float64, decided int32) int32 {
	if math.IsNaN(review) {
		return decided
	}
	return int32(review)
}

// snapshotBefore is the as-of date of the latest quarter end on or before
// day: the scores the deciders had (scored or not, read by snapshot).
func (l *loader) snapshotBefore(day schema.Day) (schema.Day, bool) {
	end := day
	if !day.IsQuarterEnd() {
		end = day.QuarterEndBefore()
	}
	return end, end <= l.cfg.AsOf
}

// snapshot reads each partner's scores of one as-of date (none: empty).
func (l *loader) snapshot(ctx context.Context, asOf schema.Day) (map[string]snapshotRow, error) {
	out := map[string]snapshotRow{}
	err := scan(ctx, l.w, schema.PartnerQuality, asOf, func(v *schema.View) error {
		id, pqi, lo, hi := v.Str(schema.PartnerID), v.Float(schema.PQI), v.Float(schema.PQILow), v.Float(schema.PQIHigh)
		rec, to, run := v.Str(schema.TierRecommendation), v.Str(schema.RecommendedTier), v.Str(schema.RunID)
		if v.Err() != nil {
			return nil
		}
		for i := 0; i < v.Rows(); i++ {
			out[id.Value(i)] = snapshotRow{pqi: pqi.Value(i), low: lo.Value(i), high: hi.Value(i), rec: rec.Value(i), to: to.Value(i), runID: run.Value(i)}
		}
		return nil
	})
	return out, err
}

// againstEvidence applies mart_decision_review's rules: a tier override
// above the tier the recommendation led to, an exit of a partner
// recommended for promotion or above expected beyond chance, a fund or
// incentive exception for a partner under exit review.
func againstEvidence(k schema.DecisionKindOf, decidedTier string, s snapshotRow) bool {
	switch k {
	case schema.DecisionTierOverride:
		dt, ok1 := schema.ProgramTiers.Parse(decidedTier)
		rt, ok2 := schema.ProgramTiers.Parse(s.to)
		return ok1 && ok2 && dt > rt
	case schema.DecisionExit:
		return s.rec == schema.RecPromote.String() || s.low > 50
	}
	return s.rec == schema.RecReviewExit.String()
}
