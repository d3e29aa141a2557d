package quality

import (
	"fmt"
	"math"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

func sortByID(in *inputs, order []int32) {
	sort.Slice(order, func(a, b int) bool { return in.pID[order[a]] < in.pID[order[b]] })
}

// colData is one output column's values by output row; exactly one field is
// set. NaN floats, noInt ints, "" strings (when nullable) and schema.NoDate are null.
type colData struct {
	f   func(i int) float64
	i   func(i int) int64
	s   func(i int) string
	b   func(i int) bool
	d   func(i int) int32
	opt bool // strings: "" is null
}

// buildRecord fills a record of table t from the column sources.
func buildRecord(alloc memory.Allocator, t schema.Table, n int, src map[string]colData) (arrow.Record, error) {
	b := schema.NewBuilder(alloc, t)
	defer b.Release()
	for ci, c := range t.Columns {
		d, ok := src[c.Name]
		if !ok {
			return nil, fmt.Errorf("building %s: no values for column %s", t.Name, c.Name)
		}
		fb := b.Field(ci)
		fb.Reserve(n)
		switch bb := fb.(type) {
		case *array.Float64Builder:
			for i := range n {
				schema.AppendFloat(bb, d.f(i))
			}
		case *array.Int64Builder:
			for i := range n {
				if v := d.i(i); v == noInt && !c.Required {
					bb.AppendNull()
				} else {
					bb.Append(v)
				}
			}
		case *array.StringBuilder:
			for i := range n {
				if v := d.s(i); v == "" && !c.Required {
					bb.AppendNull()
				} else {
					bb.Append(v)
				}
			}
		case *array.BooleanBuilder:
			for i := range n {
				bb.Append(d.b(i))
			}
		case *array.Date32Builder:
			for i := range n {
				schema.AppendDate(bb, d.d(i))
			}
		default:
			return nil, fmt.Errorf("building %s: column %s has an unsupported type", t.Name, c.Name)
		}
	}
	return b.NewRecord(), nil
}

func (s *scored) result(alloc memory.Allocator, p Params) (*Result, error) {
	pq, err := buildRecord(alloc, schema.Get(schema.PartnerQuality), len(s.order), s.qualityColumns(p))
	if err != nil {
		return nil, err
	}
	ivr, err := buildRecord(alloc, schema.Get(schema.Interventions), len(s.flags), s.interventionColumns(p))
	if err != nil {
		pq.Release()
		return nil, err
	}
	rc, err := s.conflictRecord(alloc, p)
	if err != nil {
		pq.Release()
		ivr.Release()
		return nil, err
	}
	res := &Result{PartnerQuality: pq, Interventions: ivr, Conflicts: rc, Partners: len(s.order)}
	s.summarise(res, p)
	return res, nil
}

// qualityColumns are the partner_quality columns, by output row (partners
// in partner_id order).
func (s *scored) qualityColumns(p Params) map[string]colData {
	in, cur, prev := s.in, s.cur, s.prev
	digest := p.Config.Digest()
	ord := s.order
	P := func(i int) int { return int(ord[i]) }
	fl := func(v []float64) colData { return colData{f: func(i int) float64 { return v[P(i)] }} }
	it := func(v []int64) colData { return colData{i: func(i int) int64 { return v[P(i)] }} }
	src := map[string]colData{
		schema.AsOfDate:           {d: func(int) int32 { return int32(p.AsOf) }},
		schema.RunID:              {s: func(int) string { return p.RunID }},
		schema.PartnerID:          {s: func(i int) string { return in.pID[P(i)] }},
		schema.PartnerType:        {s: func(i int) string { return in.pType[P(i)].String() }},
		schema.ProgramTier:        {s: func(i int) string { return in.pTier[P(i)].String() }},
		schema.PeerGroup:          {s: func(i int) string { return s.peer[P(i)] }},
		schema.WindowStart:        {d: func(int) int32 { return cur.w.Start }},
		schema.WindowEnd:          {d: func(int) int32 { return cur.w.End }},
		schema.EvDeals:            it(cur.deals),
		schema.EvClosedDeals:      it(cur.closed),
		schema.EvCSATResponses:    it(cur.csatN),
		schema.EvCustomers:        it(cur.customers),
		schema.EvContracts:        it(cur.contracts),
		schema.CompositeZ:         fl(cur.compZ),
		schema.PQI:                fl(cur.pqi),
		schema.PQILow:             fl(cur.pqiLow),
		schema.PQIHigh:            fl(cur.pqiHigh),
		schema.Guardrail:          {b: func(i int) bool { return cur.guard[P(i)] }},
		schema.GuardrailReason:    {s: func(i int) string { return cur.guardReason[P(i)] }},
		schema.EvidenceStatus:     {s: func(i int) string { return cur.evidence[P(i)].String() }},
		schema.EvidenceReason:     {s: func(i int) string { return cur.evReason[P(i)] }},
		schema.PeerRank:           {i: func(i int) int64 { return rankOrNull(s.peerRank[P(i)]) }},
		schema.PeerSize:           {i: func(i int) int64 { return rankOrNull(s.peerSize[P(i)]) }},
		schema.OverallRank:        {i: func(i int) int64 { return rankOrNull(s.rank[P(i)]) }},
		schema.TierRecommendation: {s: func(i int) string { return s.tiers.rec[P(i)].String() }},
		schema.RecommendedTier:    {s: func(i int) string { return s.tiers.target[P(i)].String() }},
		schema.TierReason:         {s: func(i int) string { return s.tiers.reason[P(i)] }},
		schema.NextTierGaps:       {s: func(i int) string { return s.tiers.next[P(i)] }},
		schema.ChurnRRDirect:      fl(cur.churnRR),
		schema.ChurnRRLow:         fl(cur.churnRRLow),
		schema.ChurnRRHigh:        fl(cur.churnRRHigh),
		schema.PreviousPQI: {f: func(i int) float64 {
			if !prev.scored[P(i)] {
				return math.NaN()
			}
			return prev.pqi[P(i)]
		}},
		schema.PQIChange:        fl(s.change),
		schema.GuardrailChange:  fl(s.guardChg),
		schema.BorrowedZ:        fl(cur.borrowed),
		schema.BorrowedChange:   fl(s.borrowChg),
		schema.TopContributors:  {s: func(i int) string { return s.top[P(i)] }},
		schema.WeightsFrom:      {d: func(int) int32 { return int32(cur.wFrom) }},
		schema.ConfigDigestCol:  {s: func(int) string { return digest }},
		schema.MeasuredWeight:   {f: func(i int) float64 { return cur.measuredWeight(P(i)) }},
		schema.PQIPartial:       {b: func(int) bool { return cur.partial }},
		schema.NotMeasured:      {s: func(i int) string { return cur.notMeasured(P(i)) }},
		schema.RankMedian:       fl(s.robust.median),
		schema.RankLow:          {i: func(i int) int64 { return rankOrNull(s.robust.low[P(i)]) }},
		schema.RankHigh:         {i: func(i int) int64 { return rankOrNull(s.robust.high[P(i)]) }},
		schema.RankDecileStay:   fl(s.robust.stay),
		schema.EvWeightedClosed: fl(cur.closedW),
		schema.ConflictsAsFirst: it(s.conflicts.asFirst),
		schema.ConflictsAsLater: it(s.conflicts.later),
	}
	s.componentColumns(src, fl, it, P)
	for k := range schema.Pillar(schema.NumPillars) {
		src[schema.PillarColumn(k)] = colData{f: func(i int) float64 { return cur.pillarScore(k, P(i)) }}
	}
	s.targetColumns(src, p.Config.HealthyTargets, P)
	return src
}

// componentColumns adds every component's columns to src: evidence,
// observed, expected, their ratio, the shrunk estimate with its interval,
// the score (null unless measured), the contribution to the change and
// the status.
func (s *scored) componentColumns(src map[string]colData, fl func([]float64) colData, it func([]int64) colData, P func(int) int) {
	cur := s.cur
	for c := range schema.Component(schema.NumComponents) {
		e := cur.comp[c]
		ratio := make([]float64, len(e.n))
		for q := range ratio {
			ratio[q] = math.NaN()
			if e.n[q] > 0 && e.exp[q] != 0 {
				ratio[q] = e.obs[q] / e.exp[q]
			}
		}
		score := fl(cur.z[c])
		if cur.compStatus[c] != schema.Measured {
			score = colData{f: func(int) float64 { return math.NaN() }}
		}
		for suffix, v := range map[string]colData{
			schema.SufN: it(e.n), schema.SufObserved: fl(e.obs), schema.SufExpected: fl(e.exp), schema.SufRatio: fl(ratio),
			schema.SufShrunk: fl(e.shrunk), schema.SufLow: fl(e.low), schema.SufHigh: fl(e.high),
			schema.SufScore: score, schema.SufChange: fl(s.contrib[c]),
			schema.SufStatus: {s: func(i int) string { return cur.status(c, P(i)).String() }},
		} {
			src[schema.ComponentColumn(c, suffix)] = v
		}
	}
}

// targetColumns adds the healthy-target columns to src: per target the raw
// value, the target and the result, and per partner the counts.
func (s *scored) targetColumns(src map[string]colData, targets map[string]float64, P func(int) int) {
	cur := s.cur
	n := len(s.order)
	met, checked := make([]int64, n), make([]int64, n)
	for _, h := range schema.HealthyTargets {
		t := targets[h.Comp.String()]
		value := make([]float64, n)
		result := make([]string, n)
		for i := range n {
			value[i] = targetValue(h.Comp, cur.comp[h.Comp], P(i))
			if r, ok := targetResult(h, value[i], t); ok {
				result[i] = r.String()
				checked[i]++
				if r == schema.TargetMet {
					met[i]++
				}
			}
		}
		tv := t
		if !(t > 0) {
			tv = math.NaN()
		}
		src[schema.ComponentColumn(h.Comp, schema.SufTargetValue)] = colData{f: func(i int) float64 { return value[i] }}
		src[schema.ComponentColumn(h.Comp, schema.SufTarget)] = colData{f: func(int) float64 { return tv }}
		src[schema.ComponentColumn(h.Comp, schema.SufTargetMet)] = colData{s: func(i int) string { return result[i] }}
	}
	src[schema.HealthyTargetsMet] = colData{i: func(i int) int64 { return met[i] }}
	src[schema.HealthyTargetsChecked] = colData{i: func(i int) int64 { return checked[i] }}
}

// interventionColumns are the interventions columns, by flag.
func (s *scored) interventionColumns(p Params) map[string]colData {
	in, fs := s.in, s.flags
	return map[string]colData{
		schema.AsOfDate:       {d: func(int) int32 { return int32(p.AsOf) }},
		schema.RunID:          {s: func(int) string { return p.RunID }},
		schema.PartnerID:      {s: func(i int) string { return in.pID[fs[i].p] }},
		schema.Trigger:        {s: func(i int) string { return fs[i].trigger.String() }},
		schema.Severity:       {s: func(i int) string { return fs[i].sev.String() }},
		schema.Outlook:        {s: func(i int) string { return fs[i].out.String() }},
		schema.Evidence:       {s: func(i int) string { return fs[i].evidence }},
		schema.Statistic:      {f: func(i int) float64 { return fs[i].stat }},
		schema.Threshold:      {f: func(i int) float64 { return fs[i].thr }},
		schema.FalseAlarmRate: {f: func(i int) float64 { return fs[i].falseRte }},
		schema.Action:         {s: func(i int) string { return fs[i].action }},
	}
}

// summarise fills the counts, the leaderboard and the flags of res.
func (s *scored) summarise(res *Result, p Params) {
	in, cur := s.in, s.cur
	for _, q := range s.order {
		switch cur.evidence[q] {
		case schema.EvidenceScored:
			res.Scored++
		case schema.EvidenceUnresolved:
			res.Indistinguishable++
		default:
			res.Insufficient++
		}
	}
	res.Components = cur.components()
	res.Partial = cur.partial
	res.Notes = append(notes(res.Components, cur.partial, cur.partialWhy, p.Config.IntervalLevel), unchecked(p.Config.Tiers)...)
	if p.Config.BorrowStrength {
		res.Joint = cur.joint.words()
	}
	ranked := make([]int32, 0, len(s.order))
	for _, q := range s.order {
		if s.rank[q] > 0 {
			ranked = append(ranked, q)
		}
	}
	sort.Slice(ranked, func(a, b int) bool { return s.rank[ranked[a]] < s.rank[ranked[b]] })
	for _, q := range ranked[:min(10, len(ranked))] {
		res.Top = append(res.Top, Ranked{PartnerID: in.pID[q], PeerGroup: s.peer[q], PQI: cur.pqi[q], Low: cur.pqiLow[q], High: cur.pqiHigh[q],
			Rank: int(s.rank[q]), PeerRank: int(s.peerRank[q])})
	}
	for _, f := range s.flags {
		res.Flags = append(res.Flags, Flag{PartnerID: in.pID[f.p], Trigger: f.trigger.String(),
			Severity: f.sev.String(), Outlook: f.out.String(), Evidence: f.evidence, Action: f.action})
	}
}

func rankOrNull(v int64) int64 {
	if v == 0 {
		return noInt
	}
	return v
}
