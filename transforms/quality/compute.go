// Package quality computes the Partner Quality Index: complexity-adjusted,
// empirically shrunk components, their composite with intervals, the
// explained quarter-on-quarter change, tier recommendations and
// interventions. It is pure columnar compute: Arrow records in, Arrow
// records out, no I/O. docs/methodology.md states every formula.
package quality

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Result is a scored as-of quarter.
type Result struct {
	PartnerQuality arrow.Record // schema.PartnerQuality, one row per partner in partner_id order
	Interventions  arrow.Record // schema.Interventions, by partner_id then trigger
	Conflicts      arrow.Record // schema.RegistrationConflicts, by customer_id, then date
	Partners       int
	Scored         int
	Insufficient   int      // too few closed deals
	Top            []Ranked // best scored partners, best first (up to 10)
	Flags          []Flag   // every intervention row

	Indistinguishable int             // enough evidence, but an interval too wide to place the partner
	Components        []ComponentLine // each component over the ecosystem, in the scored window
	Partial           bool            // a weight guardrail could not hold for lack of data
	Notes             []string        // what is missing and what it costs, in plain words
	Joint             string          // how the components borrowed strength from each other ("" = they did not)
}

// Ranked is one line of the leaderboard.
type Ranked struct {
	PartnerID, PeerGroup string
	PQI, Low, High       float64
	Rank, PeerRank       int
}

// Flag is one intervention.
type Flag struct {
	PartnerID, Trigger, Severity, Outlook, Evidence, Action string
}

// Release frees the records.
func (r *Result) Release() {
	if r.PartnerQuality != nil {
		r.PartnerQuality.Release()
	}
	if r.Interventions != nil {
		r.Interventions.Release()
	}
	if r.Conflicts != nil {
		r.Conflicts.Release()
	}
}

// Params identify the run being scored.
type Params struct {
	AsOf   schema.Day // as-of date
	RunID  string     // written to every row
	Config Config
}

// scored is the full computation before it becomes records.
type scored struct {
	in        *inputs
	cur, prev *windowResult
	order     []int32 // partners in partner_id order
	rank      []int64 // overall rank, 0 = none
	peerRank  []int64
	peerSize  []int64
	peer      []string
	change    []float64 // NaN when not both scored
	contrib   [schema.NumComponents][]float64
	guardChg  []float64
	borrowChg []float64
	top       []string
	tiers     *tierResult
	flags     []flagRow
	robust    *robust
	conflicts conflicts
}

// Compute scores every partner for p.AsOf from the snapshot.
func Compute(alloc memory.Allocator, snap *Snapshot, p Params) (*Result, error) {
	s, err := compute(snap, p)
	if err != nil {
		return nil, err
	}
	return s.result(alloc, p)
}

func compute(snap *Snapshot, p Params) (*scored, error) {
	snap.Seal()
	in := snap.in
	var err error
	if len(in.pID) == 0 {
		return nil, fmt.Errorf("no partners to score")
	}
	cfg := p.Config
	s := &scored{in: in}
	if s.cur, err = in.scoreWindow(int32(p.AsOf), cfg, true); err != nil {
		return nil, fmt.Errorf("scoring the window ending %s: %w", fmtDate(int32(p.AsOf)), err)
	}
	prevEnd := int32(p.AsOf.QuarterStart()) - 1
	if s.prev, err = in.scoreWindow(prevEnd, cfg, false); err != nil {
		return nil, fmt.Errorf("scoring the previous window ending %s: %w", fmtDate(prevEnd), err)
	}
	s.rankPartners()
	s.robust = s.rankRobustness(cfg)
	s.decompose()
	s.tiers = in.recommendTiers(s.cur, s.prev, cfg, p.AsOf)
	s.flags = in.interventions(s.cur, s.tiers, cfg, p.AsOf)
	s.conflicts = in.registrationConflicts(s.cur.w, cfg.Protection)
	return s, nil
}

// rankPartners orders partners by id and ranks the scored ones by PQI,
// overall and within their peer group (partner_type).
func (s *scored) rankPartners() {
	in, r := s.in, s.cur
	nP := len(in.pID)
	s.order = make([]int32, nP)
	for i := range s.order {
		s.order[i] = int32(i)
	}
	sort.Slice(s.order, func(a, b int) bool { return in.pID[s.order[a]] < in.pID[s.order[b]] })
	s.peer = make([]string, nP)
	for p := range s.peer {
		s.peer[p] = in.pType[p].String()
		if s.peer[p] == "" {
			s.peer[p] = "unknown"
		}
	}
	var ranked []int32
	for _, p := range s.order {
		if r.scored[p] {
			ranked = append(ranked, p)
		}
	}
	sort.SliceStable(ranked, func(a, b int) bool { return r.pqi[ranked[a]] > r.pqi[ranked[b]] })
	s.rank, s.peerRank, s.peerSize = make([]int64, nP), make([]int64, nP), make([]int64, nP)
	size := map[string]int64{}
	for i, p := range ranked {
		s.rank[p] = int64(i + 1)
		size[s.peer[p]]++
		s.peerRank[p] = size[s.peer[p]]
	}
	for _, p := range ranked {
		s.peerSize[p] = size[s.peer[p]]
	}
}

// decompose splits pqi - previous_pqi into component contributions, the
// guardrail's part and borrowing's; they sum to the change
// (docs/methodology.md, "Explaining the change").
func (s *scored) decompose() {
	cur, prev := s.cur, s.prev
	nP := len(s.in.pID)
	s.change, s.guardChg, s.borrowChg, s.top = make([]float64, nP), make([]float64, nP), make([]float64, nP), make([]string, nP)
	for c := range s.contrib {
		s.contrib[c] = make([]float64, nP)
	}
	for p := 0; p < nP; p++ {
		if !cur.scored[p] || !prev.scored[p] {
			s.change[p], s.guardChg[p], s.borrowChg[p] = math.NaN(), math.NaN(), math.NaN()
			for c := range s.contrib {
				s.contrib[c][p] = math.NaN()
			}
			continue
		}
		var z1, z0, w1, w0 [schema.NumComponents]float64
		for c := range schema.Component(schema.NumComponents) {
			z1[c], z0[c], w1[c], w0[c] = cur.z[c][p], prev.z[c][p], cur.weights[c], prev.weights[c]
		}
		parts, guard, borrow := decomposeChange(z1[:], z0[:], w1[:], w0[:], cur.borrowed[p], prev.borrowed[p],
			cur.pqi[p]-cur.pqiRaw[p], prev.pqi[p]-prev.pqiRaw[p])
		for c := range parts {
			s.contrib[c][p] = parts[c]
		}
		s.guardChg[p], s.borrowChg[p] = guard, borrow
		s.change[p] = cur.pqi[p] - prev.pqi[p]
		s.top[p] = topContributors(parts, guard)
	}
}

// decomposeChange splits the change of 100*Phi(S) + g between two quarters,
// S = sum w_c z_c + b (b what borrowing strength adds) and g the
// guardrail's (non-positive) adjustment, into m*(w1_c z1_c - w0_c z0_c) per
// component, with m the secant slope of 100*Phi between S0 and S1, plus
// g1 - g0 for the guardrail and m*(b1 - b0) for borrowing.
func decomposeChange(z1, z0, w1, w0 []float64, b1, b0, g1, g0 float64) (parts []float64, guard, borrow float64) {
	s1, s0 := b1, b0
	for c := range z1 {
		s1 += w1[c] * z1[c]
		s0 += w0[c] * z0[c]
	}
	var m float64
	if math.Abs(s1-s0) > 1e-12 {
		m = 100 * (NormCDF(s1) - NormCDF(s0)) / (s1 - s0)
	} else {
		m = 100 * math.Exp(-s0*s0/2) / math.Sqrt(2*math.Pi)
	}
	parts = make([]float64, len(z1))
	for c := range z1 {
		parts[c] = m * (w1[c]*z1[c] - w0[c]*z0[c])
	}
	return parts, g1 - g0, m * (b1 - b0)
}

// topContributors names up to three largest contributions, largest first.
func topContributors(parts []float64, guard float64) string {
	type item struct {
		name string
		v    float64
	}
	var items []item
	for c, v := range parts {
		items = append(items, item{schema.Component(c).String(), v})
	}
	items = append(items, item{"guardrail", guard})
	sort.SliceStable(items, func(a, b int) bool { return math.Abs(items[a].v) > math.Abs(items[b].v) })
	var out []string
	for _, it := range items[:3] {
		if math.Abs(it.v) < 0.05 {
			break
		}
		out = append(out, fmt.Sprintf("%s %+.1f", it.name, it.v))
	}
	return strings.Join(out, "; ")
}
