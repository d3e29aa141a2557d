package report

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

// scores is partner_quality as the report reads it.
type scores struct {
	l     *loader
	df    dataframe.DataFrame
	rows  int
	runID string
	// per component: partners measured from their own rows, and the
	// ecosystem's status (measured, or why not)
	measured [schema.NumComponents]int
	status   [schema.NumComponents]schema.ComponentStatus
	from     int32 // weights_effective_from
	strs     map[string][]string
	nums     map[string][]float64
}

// The headlines the trend compares with the previous quarter's scores.
const (
	headlinePQI    = "Ecosystem PQI (median)"
	headlineScored = "Partners scored"
)

// qualityColumns are the partner_quality columns the report reads.
func qualityColumns() []string {
	cols := []string{schema.RunID, schema.PartnerID, schema.PeerGroup, schema.ProgramTier, schema.EvidenceStatus,
		schema.TierRecommendation, schema.RecommendedTier, schema.TierReason,
		schema.PQI, schema.PQILow, schema.PQIHigh, schema.PeerRank, schema.PeerSize, schema.OverallRank,
		schema.PreviousPQI, schema.PQIChange, schema.GuardrailChange, schema.BorrowedChange, schema.WeightsFrom,
		schema.RankLow, schema.RankHigh, schema.RankDecileStay,
		schema.ComponentColumn(schema.CompWinRate, schema.SufN),
		schema.ComponentColumn(schema.CompWinRate, schema.SufObserved),
		schema.ComponentColumn(schema.CompWinRate, schema.SufExpected)}
	for c := range schema.Component(schema.NumComponents) {
		cols = append(cols, schema.ComponentColumn(c, schema.SufChange), schema.ComponentColumn(c, schema.SufStatus))
	}
	for _, h := range schema.HealthyTargets {
		cols = append(cols, schema.ComponentColumn(h.Comp, schema.SufTargetValue), schema.ComponentColumn(h.Comp, schema.SufTarget),
			schema.ComponentColumn(h.Comp, schema.SufTargetMet), schema.ComponentColumn(h.Comp, schema.SufScore))
	}
	return cols
}

// readQuality reads partner_quality; without it there is nothing to
// report.
func (l *loader) readQuality(ctx context.Context) (*scores, error) {
	f, err := collect(ctx, l.w, schema.PartnerQuality, l.cfg.AsOf, qualityColumns(), nil)
	if err != nil {
		return nil, err
	}
	s := &scores{l: l, rows: f.Rows()}
	if s.rows == 0 {
		return nil, fmt.Errorf("no scores as of %s in the warehouse; fix: run pqi score --as-of %s first",
			l.cfg.AsOf.String(), l.cfg.AsOf.String())
	}
	s.df = f.DataFrame()
	if err := s.df.Err; err != nil {
		return nil, fmt.Errorf("reading %s: %w", schema.PartnerQuality, err)
	}
	s.runID = s.str(schema.RunID)[0]
	s.from = int32(s.num(schema.WeightsFrom)[0])
	for c := range schema.Component(schema.NumComponents) {
		st := s.str(schema.ComponentColumn(c, schema.SufStatus))
		first, _ := schema.ComponentStatuses.Parse(st[0])
		s.status[c] = first
		for _, v := range st {
			if v == schema.Measured.String() {
				s.measured[c]++
			}
		}
		if s.measured[c] > 0 || first == schema.NoPartnerRows {
			s.status[c] = schema.Measured // measured in the ecosystem, if not for every partner
		}
	}
	return s, nil
}

// str and num are a column's values, converted from the frame once: the
// scorecards read every column once per partner.
func (s *scores) str(col string) []string {
	if v, ok := s.strs[col]; ok {
		return v
	}
	if s.strs == nil {
		s.strs = map[string][]string{}
	}
	s.strs[col] = s.df.Col(col).Records()
	return s.strs[col]
}

func (s *scores) num(col string) []float64 {
	if v, ok := s.nums[col]; ok {
		return v
	}
	if s.nums == nil {
		s.nums = map[string][]float64{}
	}
	s.nums[col] = s.df.Col(col).Float()
	return s.nums[col]
}

// fill writes the quality, movers, tiers and methodology data.
func (s *scores) fill(_ context.Context, d *board.Data) error {
	s.l.read(schema.PartnerQuality, s.rows)
	q := &d.Quality
	q.Partners = s.rows
	q.Level = s.l.settings.Quality.IntervalLevel
	ev, pqi, prev := s.str(schema.EvidenceStatus), s.num(schema.PQI), s.num(schema.PreviousPQI)
	var prevScored []float64
	for i, e := range ev {
		switch e {
		case schema.EvidenceScored.String():
			q.Scored++
			q.PQI = append(q.PQI, pqi[i])
		case schema.EvidenceInsufficient.String():
			q.Insufficient++
		case schema.EvidenceUnresolved.String():
			q.Indistinguishable++
		}
		if !math.IsNaN(prev[i]) {
			prevScored = append(prevScored, prev[i])
		}
	}
	d.Headlines = append(d.Headlines,
		board.Headline{Name: headlinePQI, Unit: board.Points, Now: median(q.PQI), Prev: median(prevScored), HigherIs: 1,
			Basis: fmt.Sprintf("median of the %d scored partners", q.Scored)},
		board.Headline{Name: headlineScored, Unit: board.Share, Now: float64(q.Scored) / float64(q.Partners),
			Prev: float64(len(prevScored)) / float64(q.Partners), HigherIs: 1,
			Basis: fmt.Sprintf("%d of %d partners, enough evidence to rank", q.Scored, q.Partners)})
	s.league(q)
	s.funnel(q)
	s.targets(q)
	s.movers(d)
	s.tiers(d)
	return s.method(d)
}

// league is the top and bottom ten scored partners by overall rank.
func (s *scores) league(q *board.Quality) {
	scored := s.df.Filter(dataframe.F{Colname: schema.EvidenceStatus, Comparator: series.Eq, Comparando: schema.EvidenceScored.String()})
	if scored.Err != nil || scored.Nrow() == 0 {
		return
	}
	scored = scored.Arrange(dataframe.Sort(schema.OverallRank), dataframe.Sort(schema.PartnerID))
	n := scored.Nrow()
	top := min(leagueSize, n)
	q.Top = s.ranked(scored, 0, top)
	if n > top {
		q.Bottom = s.ranked(scored, max(top, n-leagueSize), n)
	}
}

func (s *scores) ranked(df dataframe.DataFrame, from, to int) []board.Ranked {
	id, pg := df.Col(schema.PartnerID).Records(), df.Col(schema.PeerGroup).Records()
	pqi, lo, hi := df.Col(schema.PQI).Float(), df.Col(schema.PQILow).Float(), df.Col(schema.PQIHigh).Float()
	rank, pr, ps := df.Col(schema.OverallRank).Float(), df.Col(schema.PeerRank).Float(), df.Col(schema.PeerSize).Float()
	rec := df.Col(schema.TierRecommendation).Records()
	var out []board.Ranked
	for i := from; i < to; i++ {
		advice, _ := schema.ParseTierRecommendation(rec[i])
		out = append(out, board.Ranked{Partner: s.l.partner(id[i]), PeerGroup: pg[i], Advice: advice, Rank: int(rank[i]),
			PQI: pqi[i], Low: lo[i], High: hi[i], PeerRank: int(pr[i]), PeerSize: int(ps[i])})
	}
	return out
}

// funnel is every partner's win rate against its evidence: observed and
// expected wins over its closed deals.
func (s *scores) funnel(q *board.Quality) {
	q.Funnel.Outcome, q.Funnel.Events = "win rate", "wins"
	if s.status[schema.CompWinRate] != schema.Measured {
		return
	}
	id := s.str(schema.PartnerID)
	n := s.num(schema.ComponentColumn(schema.CompWinRate, schema.SufN))
	obs := s.num(schema.ComponentColumn(schema.CompWinRate, schema.SufObserved))
	exp := s.num(schema.ComponentColumn(schema.CompWinRate, schema.SufExpected))
	for i := range id {
		if n[i] > 0 && exp[i] > 0 && !math.IsNaN(obs[i]) {
			q.Funnel.Points = append(q.Funnel.Points, board.FunnelPoint{Partner: s.l.partner(id[i]), N: n[i], Expected: exp[i] * n[i], Observed: obs[i] * n[i]})
		}
	}
}

// targets is the ecosystem against each healthy target, for the
// components measured in it.
func (s *scores) targets(q *board.Quality) {
	for _, h := range schema.HealthyTargets {
		if s.status[h.Comp] != schema.Measured {
			continue
		}
		target := s.num(schema.ComponentColumn(h.Comp, schema.SufTarget))
		t := board.Target{Comp: h.Comp, Below: h.Below, Value: target[0]}
		value, score := s.num(schema.ComponentColumn(h.Comp, schema.SufTargetValue)), s.num(schema.ComponentColumn(h.Comp, schema.SufScore))
		var checked []float64
		for i, r := range s.str(schema.ComponentColumn(h.Comp, schema.SufTargetMet)) {
			switch r {
			case schema.TargetMet.String():
				t.Met++
			case schema.TargetMissed.String():
				if score[i] > 0 {
					t.MissedAbove++
				}
			default:
				continue
			}
			checked = append(checked, value[i])
		}
		t.Checked, t.Median = len(checked), median(checked)
		q.Targets = append(q.Targets, t)
	}
}

// movers are the largest rises and falls, each with its contributions.
func (s *scores) movers(d *board.Data) {
	moved := s.df.Filter(dataframe.F{Colname: schema.PQIChange, Comparator: series.CompFunc, Comparando: func(e series.Element) bool {
		return !e.IsNA() && e.Float() != 0
	}})
	if moved.Err != nil || moved.Nrow() == 0 {
		return
	}
	pick := func(order dataframe.Order, sign float64) []board.Mover {
		df := moved.Arrange(order, dataframe.Sort(schema.PartnerID))
		var out []board.Mover
		ch := df.Col(schema.PQIChange).Float()
		for i := 0; i < df.Nrow() && len(out) < maxMovers; i++ {
			if ch[i]*sign <= 0 {
				break
			}
			out = append(out, s.mover(df, i))
		}
		return out
	}
	d.Rises = pick(dataframe.RevSort(schema.PQIChange), 1)
	d.Falls = pick(dataframe.Sort(schema.PQIChange), -1)
}

func (s *scores) mover(df dataframe.DataFrame, i int) board.Mover {
	m := board.Mover{
		Partner: s.l.partner(df.Col(schema.PartnerID).Elem(i).String()),
		Prev:    df.Col(schema.PreviousPQI).Elem(i).Float(), Now: df.Col(schema.PQI).Elem(i).Float(),
		Diff: df.Col(schema.PQIChange).Elem(i).Float(),
	}
	for c := range schema.Component(schema.NumComponents) {
		if v := df.Col(schema.ComponentColumn(c, schema.SufChange)).Elem(i).Float(); !math.IsNaN(v) {
			m.Parts = append(m.Parts, board.Part{Label: c.String(), Value: v})
		}
	}
	if v := df.Col(schema.GuardrailChange).Elem(i).Float(); !math.IsNaN(v) {
		m.Parts = append(m.Parts, board.Part{Label: "delivery_guardrail", Value: v})
	}
	// what reading the components together moved (borrowed_change): with
	// it the parts add up to pqi_change
	if v := df.Col(schema.BorrowedChange).Elem(i).Float(); !math.IsNaN(v) {
		m.Parts = append(m.Parts, board.Part{Label: "components_read_together", Value: v})
	}
	return m
}

// tiers counts the recommendations and lists every one that asks for a
// decision or a watch (all but hold), with the revenue at stake.
func (s *scores) tiers(d *board.Data) {
	d.Tiers.Counts = make([]int, len(schema.TierRecommendations))
	id, rec, tier, to, why := s.str(schema.PartnerID), s.str(schema.TierRecommendation), s.str(schema.ProgramTier),
		s.str(schema.RecommendedTier), s.str(schema.TierReason)
	pqi, lo, hi := s.num(schema.PQI), s.num(schema.PQILow), s.num(schema.PQIHigh)
	for i, r := range rec {
		a, ok := schema.ParseTierRecommendation(r)
		if !ok {
			continue
		}
		d.Tiers.Counts[a]++
		if a == schema.RecHold {
			continue
		}
		d.Tiers.Lines = append(d.Tiers.Lines, board.TierLine{
			Partner: s.l.partner(id[i]), Advice: a, Current: orDash(tier[i]), To: to[i], Reason: why[i],
			PQI: pqi[i], Low: lo[i], High: hi[i], Revenue: s.l.revenue[id[i]],
		})
	}
}

// method is the weights in force, the settings and what was measured.
func (s *scores) method(d *board.Data) error {
	var measured [schema.NumComponents]bool
	for c := range schema.Component(schema.NumComponents) {
		measured[c] = s.status[c] == schema.Measured
		line := board.ComponentLine{Component: c, Status: s.status[c], Partners: s.measured[c]}
		source, column := quality.Needs(c)
		switch s.status[c] {
		case schema.NoExport:
			line.Why = fmt.Sprintf("no %s export was scored", source)
		case schema.NoColumn:
			line.Why = fmt.Sprintf("%s is empty in every row of the %s export", column, source)
		case schema.NoRows:
			line.Why = fmt.Sprintf("no %s rows in the scored window", source)
		}
		d.DataQuality.Components = append(d.DataQuality.Components, line)
	}
	qc := s.l.settings.Quality
	w, err := quality.WeightsInForce(qc, s.l.cfg.AsOf, measured)
	if err != nil {
		return fmt.Errorf("the weights in force: %w", err)
	}
	m := &d.Method
	m.WeightsFrom, m.Partial = w.From.String(), w.Partial
	for c := range schema.Component(schema.NumComponents) {
		m.Weights = append(m.Weights, board.Weight{Component: c, Kind: w.Kinds[c], Configured: w.Configured[c], InForce: w.InForce[c]})
	}
	m.Robustness = s.robustness(qc.Robustness)
	// borrowing needs two outcome or behaviour components in the score
	joint := 0
	for c := range schema.Component(schema.NumComponents) {
		if w.InForce[c] > 0 && !quality.IsActivity(c) {
			joint++
		}
	}
	m.Borrow = qc.BorrowStrength && joint >= 2
	fin := s.l.settings.Finance
	m.Thresholds = board.Thresholds{LowShare: qc.Interventions.LowShare, PQICap: qc.Guardrail.PQICap,
		HeadShare: fin.ROI.HeadShare, TorsoShare: fin.ROI.TorsoShare}
	m.Settings = [][2]string{
		{"scoring window; history", fmt.Sprintf("%d quarters; %s", qc.WindowQuarters, historyWords(qc.History))},
		{"interval level", fmt.Sprintf("%.0f%%", 100*qc.IntervalLevel)},
		{"minimum closed deals to be scored", fmt.Sprintf("%d, weighted by age", qc.Evidence.MinClosedDeals)},
		{"widest PQI interval still ranked", fmt.Sprintf("%g points", qc.Evidence.MaxPQIIntervalWidth)},
		{"delivery guardrail", fmt.Sprintf("PQI capped at %g when the %.0f%% upper bound of the delivery pillar score on the partner's own delivery rows is below %g", qc.Guardrail.PQICap, 100*qc.IntervalLevel, qc.Guardrail.DeliveryUpperZ)},
		{"activity weight cap; lagging weight minimum", fmt.Sprintf("%.0f%%; %.0f%%", 100*qc.ActivityWeightCap, 100*qc.LaggingWeightMin)},
		{"components borrowing strength", borrowWords(qc.BorrowStrength, m.Borrow)},
		{"leakage guard", fmt.Sprintf("%g: a covariate with a value that much more common among one outcome than the other is left out of that outcome's model", qc.LeakageGuard)},
		{"attribution model for pipeline and revenue", fin.Attribution.Model},
	}
	return nil
}

// borrowWords says whether the components borrow strength from each other:
// on is the setting, can whether two outcome or behaviour components are
// in the score.
func borrowWords(on, can bool) string {
	switch {
	case !on:
		return "no: each component is estimated from its own rows"
	case !can:
		return "yes, but fewer than two outcome or behaviour components are measured: each is estimated from its own rows"
	}
	return "yes: outcome and behaviour components, in proportion to their between-partner correlations estimated each quarter; activity neither lends nor borrows"
}

// historyWords says what older rows count for: "12 quarters, a row's
// weight halving every 4 quarters before the window".
func historyWords(h quality.History) string {
	if h.HalfLifeQuarters == 0 {
		return fmt.Sprintf("%d quarters, every row weighing 1", h.Quarters)
	}
	return fmt.Sprintf("%d quarters, a row's weight halving every %g quarters before the window", h.Quarters, h.HalfLifeQuarters)
}

// robustness summarises the rank intervals of the scored partners.
func (s *scores) robustness(rc quality.RobustnessConfig) board.Robustness {
	out := board.Robustness{Draws: rc.Draws, Concentration: rc.Concentration}
	rank, lo, hi, stay := s.num(schema.OverallRank), s.num(schema.RankLow), s.num(schema.RankHigh), s.num(schema.RankDecileStay)
	var widths, top []float64
	stable := 0
	for i := range rank {
		if math.IsNaN(rank[i]) || math.IsNaN(lo[i]) || math.IsNaN(hi[i]) || math.IsNaN(stay[i]) {
			continue
		}
		widths = append(widths, hi[i]-lo[i])
		if rank[i] <= 10 {
			top = append(top, hi[i]-lo[i])
		}
		if stay[i] >= 0.8 {
			stable++
		}
	}
	if len(widths) == 0 {
		return out
	}
	out.Partners, out.MedianWidth, out.TopTenWidth = len(widths), median(widths), median(top)
	out.Stable = float64(stable) / float64(len(widths))
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// median of v, NaN when empty.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}
