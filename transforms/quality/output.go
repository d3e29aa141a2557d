package quality

import (
	"fmt"
	"math"
	"sort"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

func sortByID(in *inputs, order []int32) {
	sort.Slice(order, func(a, b int) bool { return in.pID[order[a]] < in.pID[order[b]] })
}

// colData is one output column's values by output row; exactly one field is
// set. NaN floats, noInt ints, "" strings (when nullable) and noDate are null.
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
	sc := t.Arrow()
	b := array.NewRecordBuilder(alloc, sc)
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
			for i := 0; i < n; i++ {
				switch v := d.f(i); {
				case math.IsNaN(v) || math.IsInf(v, 0):
					bb.AppendNull()
				case v == 0:
					bb.Append(0) // never -0: it does not survive every engine (BigQuery reads it as 0)
				default:
					bb.Append(v)
				}
			}
		case *array.Int64Builder:
			for i := 0; i < n; i++ {
				if v := d.i(i); v == noInt && !c.Required {
					bb.AppendNull()
				} else {
					bb.Append(v)
				}
			}
		case *array.StringBuilder:
			for i := 0; i < n; i++ {
				if v := d.s(i); v == "" && !c.Required {
					bb.AppendNull()
				} else {
					bb.Append(v)
				}
			}
		case *array.BooleanBuilder:
			for i := 0; i < n; i++ {
				bb.Append(d.b(i))
			}
		case *array.Date32Builder:
			for i := 0; i < n; i++ {
				if v := d.d(i); v == noDate {
					bb.AppendNull()
				} else {
					bb.Append(arrow.Date32(v))
				}
			}
		default:
			return nil, fmt.Errorf("building %s: column %s has an unsupported type", t.Name, c.Name)
		}
	}
	return b.NewRecord(), nil
}

func (s *scored) result(alloc memory.Allocator, p Params) (*Result, error) {
	in, cur, prev := s.in, s.cur, s.prev
	cfg := p.Config
	digest := cfg.Digest()
	ord := s.order
	P := func(i int) int { return int(ord[i]) }
	fl := func(v []float64) colData { return colData{f: func(i int) float64 { return v[P(i)] }} }
	it := func(v []int64) colData { return colData{i: func(i int) int64 { return v[P(i)] }} }
	src := map[string]colData{
		schema.AsOfDate:  {d: func(int) int32 { return p.AsOf }},
		schema.RunID:     {s: func(int) string { return p.RunID }},
		schema.PartnerID: {s: func(i int) string { return in.pID[P(i)] }},
		schema.PartnerType: {s: func(i int) string {
			if enumIndex(schema.PartnerTypes, in.pType[P(i)]) < 0 {
				return ""
			}
			return in.pType[P(i)]
		}},
		schema.ProgramTier: {s: func(i int) string {
			if t := in.pTier[P(i)]; t >= 0 {
				return schema.ProgramTiers[t]
			}
			return ""
		}},
		schema.PeerGroup:       {s: func(i int) string { return s.peer[P(i)] }},
		schema.WindowStart:     {d: func(int) int32 { return cur.w.start }},
		schema.WindowEnd:       {d: func(int) int32 { return cur.w.end }},
		schema.EvDeals:         it(cur.deals),
		schema.EvClosedDeals:   it(cur.closed),
		schema.EvCSATResponses: it(cur.csatN),
		schema.EvCustomers:     it(cur.customers),
		schema.EvContracts:     it(cur.contracts),
		schema.CompositeZ:      fl(cur.compZ),
		schema.PQI:             fl(cur.pqi),
		schema.PQILow:          fl(cur.pqiLow),
		schema.PQIHigh:         fl(cur.pqiHigh),
		schema.Guardrail:       {b: func(i int) bool { return cur.guard[P(i)] }},
		schema.GuardrailReason: {s: func(i int) string { return cur.guardReason[P(i)] }},
		schema.EvidenceStatus: {s: func(i int) string {
			if cur.scored[P(i)] {
				return schema.EvidenceStatuses[0]
			}
			return schema.EvidenceStatuses[1]
		}},
		schema.EvidenceReason:     {s: func(i int) string { return cur.evReason[P(i)] }},
		schema.PeerRank:           {i: func(i int) int64 { return rankOrNull(s.peerRank[P(i)]) }},
		schema.PeerSize:           {i: func(i int) int64 { return rankOrNull(s.peerSize[P(i)]) }},
		schema.OverallRank:        {i: func(i int) int64 { return rankOrNull(s.rank[P(i)]) }},
		schema.TierRecommendation: {s: func(i int) string { return schema.TierRecommendations[s.tiers.rec[P(i)]] }},
		schema.RecommendedTier: {s: func(i int) string {
			if t := s.tiers.target[P(i)]; t >= 0 {
				return schema.ProgramTiers[t]
			}
			return ""
		}},
		schema.TierReason:    {s: func(i int) string { return s.tiers.reason[P(i)] }},
		schema.ChurnRRDirect: fl(cur.churnRR),
		schema.ChurnRRLow:    fl(cur.churnRRLow),
		schema.ChurnRRHigh:   fl(cur.churnRRHigh),
		schema.PreviousPQI: {f: func(i int) float64 {
			if !prev.scored[P(i)] {
				return math.NaN()
			}
			return prev.pqi[P(i)]
		}},
		schema.PQIChange:       fl(s.change),
		schema.GuardrailChange: fl(s.guardChg),
		schema.TopContributors: {s: func(i int) string { return s.top[P(i)] }},
		schema.WeightsFrom:     {d: func(int) int32 { return cur.wFrom }},
		schema.ConfigDigestCol: {s: func(int) string { return digest }},
	}
	for c := 0; c < nComp; c++ {
		e := cur.comp[c]
		name := componentName(c)
		ratio := make([]float64, len(e.n))
		for q := range ratio {
			ratio[q] = math.NaN()
			if e.n[q] > 0 && e.exp[q] != 0 {
				ratio[q] = e.obs[q] / e.exp[q]
			}
		}
		src[schema.ComponentColumn(name, schema.SufN)] = it(e.n)
		src[schema.ComponentColumn(name, schema.SufObserved)] = fl(e.obs)
		src[schema.ComponentColumn(name, schema.SufExpected)] = fl(e.exp)
		src[schema.ComponentColumn(name, schema.SufRatio)] = fl(ratio)
		src[schema.ComponentColumn(name, schema.SufShrunk)] = fl(e.shrunk)
		src[schema.ComponentColumn(name, schema.SufLow)] = fl(e.low)
		src[schema.ComponentColumn(name, schema.SufHigh)] = fl(e.high)
		src[schema.ComponentColumn(name, schema.SufScore)] = fl(cur.z[c])
		src[schema.ComponentColumn(name, schema.SufChange)] = fl(s.contrib[c])
	}
	for k := 0; k < nPillar; k++ {
		k := k
		src[schema.PillarColumn(schema.Pillars[k])] = colData{f: func(i int) float64 { return cur.pillarScore(k, P(i)) }}
	}
	pqT, _ := schema.Lookup(schema.PartnerQuality)
	pq, err := buildRecord(alloc, pqT, len(ord), src)
	if err != nil {
		return nil, err
	}
	fs := s.flags
	iv := map[string]colData{
		schema.AsOfDate:       {d: func(int) int32 { return p.AsOf }},
		schema.RunID:          {s: func(int) string { return p.RunID }},
		schema.PartnerID:      {s: func(i int) string { return in.pID[fs[i].p] }},
		schema.Trigger:        {s: func(i int) string { return schema.InterventionTrigger[fs[i].trigger] }},
		schema.Severity:       {s: func(i int) string { return schema.Severities[fs[i].sev] }},
		schema.Outlook:        {s: func(i int) string { return schema.Outlooks[fs[i].out] }},
		schema.Evidence:       {s: func(i int) string { return fs[i].evidence }},
		schema.Statistic:      {f: func(i int) float64 { return fs[i].stat }},
		schema.Threshold:      {f: func(i int) float64 { return fs[i].thr }},
		schema.FalseAlarmRate: {f: func(i int) float64 { return fs[i].falseRte }},
		schema.Action:         {s: func(i int) string { return fs[i].action }},
	}
	ivT, _ := schema.Lookup(schema.Interventions)
	ivr, err := buildRecord(alloc, ivT, len(fs), iv)
	if err != nil {
		pq.Release()
		return nil, err
	}
	res := &Result{PartnerQuality: pq, Interventions: ivr, Partners: len(ord)}
	for _, q := range ord {
		if cur.scored[q] {
			res.Scored++
		} else {
			res.Insufficient++
		}
	}
	ranked := make([]int32, 0, len(ord))
	for _, q := range ord {
		if s.rank[q] > 0 {
			ranked = append(ranked, q)
		}
	}
	sort.Slice(ranked, func(a, b int) bool { return s.rank[ranked[a]] < s.rank[ranked[b]] })
	for _, q := range ranked[:min(10, len(ranked))] {
		res.Top = append(res.Top, Ranked{PartnerID: in.pID[q], PeerGroup: s.peer[q], PQI: cur.pqi[q], Low: cur.pqiLow[q], High: cur.pqiHigh[q],
			Rank: int(s.rank[q]), PeerRank: int(s.peerRank[q])})
	}
	for _, f := range fs {
		res.Flags = append(res.Flags, Flag{PartnerID: in.pID[f.p], Trigger: schema.InterventionTrigger[f.trigger],
			Severity: schema.Severities[f.sev], Outlook: schema.Outlooks[f.out], Evidence: f.evidence, Action: f.action})
	}
	return res, nil
}

func rankOrNull(v int64) int64 {
	if v == 0 {
		return noInt
	}
	return v
}
