package report

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/scorecard"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

// ScorecardsConfig is what one scorecards run writes: one PDF per partner
// scored as of AsOf.
type ScorecardsConfig struct {
	AsOf        schema.Day
	Company     string
	PageSize    pdf.Size
	Settings    *settings.Settings // nil: the configuration the score run recorded; given: must be the one it used
	CodeVersion string
	Workers     int // scorecards rendered at once; 0 = one per CPU
}

// ScorecardsDeps are what a scorecards run talks to. Put stores one
// scorecard, whole, under its name (ScorecardName): a folder or an S3
// prefix (bucket.Bucket's Put). It is called from several goroutines.
type ScorecardsDeps struct {
	warehouse.Deps
	Put func(ctx context.Context, name string, pdf []byte) error
}

// ScorecardsSummary is the outcome of a scorecards run.
type ScorecardsSummary struct {
	RunID    string
	AsOf     schema.Day
	Partners int
	Bytes    int64
	Duration time.Duration
}

// ScorecardName is where a partner's scorecard goes, relative to the
// output folder or prefix: one folder per partner, so a portal can share
// each partner its own ("P00012/scorecard-2026-Q3.pdf"). Characters a path
// or an S3 key would misread are replaced.
func ScorecardName(partnerID string, asOf schema.Day) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, partnerID)
	if safe == "." || safe == ".." {
		safe = "_"
	}
	return safe + "/scorecard-" + schema.QuarterLabel(asOf.Quarter()) + ".pdf"
}

// Scorecards writes every partner's scorecard for cfg.AsOf.
func Scorecards(ctx context.Context, cfg ScorecardsConfig, deps ScorecardsDeps) (ScorecardsSummary, error) {
	defaults(&deps.Deps, &cfg.Company)
	started := deps.Now()
	sum := ScorecardsSummary{AsOf: cfg.AsOf}
	l := &loader{cfg: Config{AsOf: cfg.AsOf, Settings: cfg.Settings, CodeVersion: cfg.CodeVersion}, w: deps.Warehouse, alloc: deps.Alloc}
	cards, err := l.cards(ctx)
	sum.RunID = runID(warehouse.JobScorecards, Config{AsOf: cfg.AsOf, CodeVersion: cfg.CodeVersion, Company: cfg.Company, PageSize: cfg.PageSize},
		l.configDigest(), l.digest())
	if err == nil {
		sum.Partners = len(cards)
		sum.Bytes, err = renderAll(ctx, cards, cfg, deps.Put)
	}
	finished := deps.Now()
	sum.Duration = finished.Sub(started)
	if err := warehouse.Finish(ctx, deps.Warehouse, warehouse.Run{
		RunID: sum.RunID, AsOf: cfg.AsOf, Job: warehouse.JobScorecards, StartedAt: started, FinishedAt: finished,
		CodeVersion: cfg.CodeVersion, ConfigDigest: l.configDigest(), Inputs: fmt.Sprintf(`[{"source":%q,"rows_read":%d}]`, schema.PartnerQuality, len(cards)),
	}, err); err != nil {
		return sum, err
	}
	deps.Log.Info("scorecards written", "run_id", sum.RunID, "as_of", cfg.AsOf.String(), "partners", sum.Partners, "bytes", sum.Bytes,
		"duration", sum.Duration.Round(time.Millisecond))
	return sum, nil
}

// renderAll renders the cards on a bounded number of workers, each
// scorecard written whole as soon as it is rendered; the first error stops
// the rest.
func renderAll(ctx context.Context, cards []scorecard.Card, cfg ScorecardsConfig, put func(context.Context, string, []byte) error) (int64, error) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total int64
	opts := scorecard.Options{Company: cfg.Company, PageSize: cfg.PageSize, Creator: "pqi " + cfg.CodeVersion}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b bytes.Buffer
			for i := range next {
				b.Reset()
				c := cards[i]
				err := scorecard.Render(&b, c, opts)
				if err == nil {
					err = put(ctx, ScorecardName(c.ID, c.AsOf), b.Bytes())
				}
				if err != nil {
					cancel(fmt.Errorf("scorecard of %s: %w", c.ID, err))
					continue
				}
				mu.Lock()
				total += int64(b.Len())
				mu.Unlock()
			}
		}()
	}
	for i := range cards {
		select {
		case next <- i:
			continue
		case <-ctx.Done():
		}
		break
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return total, err
	}
	return total, nil
}

// cardColumns are the partner_quality columns a scorecard reads beyond
// those the board reads.
func cardColumns() []string {
	cols := []string{schema.EvidenceReason, schema.NextTierGaps, schema.CompositeZ, schema.BorrowedZ, schema.EvWeightedClosed}
	for c := range schema.Component(schema.NumComponents) {
		for _, suf := range []string{schema.SufN, schema.SufObserved, schema.SufExpected, schema.SufLow, schema.SufHigh, schema.SufScore} {
			cols = append(cols, schema.ComponentColumn(c, suf))
		}
	}
	return cols
}

// cards reads what every partner's scorecard shows.
func (l *loader) cards(ctx context.Context) ([]scorecard.Card, error) {
	pq, err := l.readQuality(ctx)
	if err != nil {
		return nil, err
	}
	if err := l.readRuns(ctx, pq.runID); err != nil {
		return nil, err
	}
	if err := l.readNames(ctx); err != nil {
		return nil, err
	}
	extra, err := l.frame(ctx, schema.PartnerQuality, append([]string{schema.PartnerID}, cardColumns()...))
	if err != nil {
		return nil, err
	}
	flags, err := l.ownFlags(ctx)
	if err != nil {
		return nil, err
	}
	b, err := newCardBuilder(l, pq, extra)
	if err != nil {
		return nil, err
	}
	cards := make([]scorecard.Card, pq.rows)
	for i := range cards {
		cards[i] = b.card(i)
		cards[i].Flags = flags[cards[i].ID]
	}
	sort.Slice(cards, func(i, j int) bool { return cards[i].ID < cards[j].ID })
	return cards, nil
}

// ownFlags are each partner's interventions in words: the trigger and the
// first clause of its evidence.
func (l *loader) ownFlags(ctx context.Context) (map[string][]string, error) {
	f, err := l.frame(ctx, schema.Interventions, []string{schema.PartnerID, schema.Trigger, schema.Evidence})
	if err != nil || f.Rows() == 0 {
		return nil, err
	}
	id, trig, ev := f.str[0], f.str[1], f.str[2]
	out := map[string][]string{}
	for i := range id {
		t, ok := schema.ParseInterventionTrigger(trig[i])
		if !ok {
			return nil, fmt.Errorf("interventions: partner %s has trigger %q, not the contract's", id[i], trig[i])
		}
		first, _, _ := strings.Cut(ev[i], "; ")
		out[id[i]] = append(out[id[i]], words.Trigger(t)+": "+first)
	}
	return out, nil
}

// cardBuilder turns partner_quality rows into cards.
type cardBuilder struct {
	pq      *scores
	x       map[string][]float64 // extra numeric columns by name, in pq's row order
	xs      map[string][]string
	weights [schema.NumComponents]float64
	peers   map[string]scorecard.Peers
	targets map[schema.Component]schema.HealthyTarget
}

func newCardBuilder(l *loader, pq *scores, extra *frame) (*cardBuilder, error) {
	b := &cardBuilder{pq: pq, x: map[string][]float64{}, xs: map[string][]string{}, peers: map[string]scorecard.Peers{},
		targets: map[schema.Component]schema.HealthyTarget{}}
	for _, h := range schema.HealthyTargets {
		b.targets[h.Comp] = h
	}
	// extra was read in the table's order, as pq was
	for j, n := range extra.names {
		if extra.num[j] != nil {
			b.x[n] = extra.num[j]
		} else {
			b.xs[n] = extra.str[j]
		}
	}
	var measured [schema.NumComponents]bool
	for c := range schema.Component(schema.NumComponents) {
		measured[c] = pq.status[c] == schema.Measured
	}
	w, err := quality.WeightsInForce(l.settings.Quality, l.cfg.AsOf, measured)
	if err != nil {
		return nil, fmt.Errorf("the weights in force: %w", err)
	}
	copy(b.weights[:], w.InForce)
	// peer groups: the scored partners' PQI, median and quartiles
	groups := map[string][]float64{}
	ev, pg, pqi := pq.str(schema.EvidenceStatus), pq.str(schema.PeerGroup), pq.num(schema.PQI)
	for i := range ev {
		if ev[i] == schema.EvidenceScored.String() {
			groups[pg[i]] = append(groups[pg[i]], pqi[i])
		}
	}
	for g, v := range groups {
		sort.Float64s(v)
		b.peers[g] = scorecard.Peers{Scored: len(v), Median: median(v), Lower: quantile(v, 0.25), Upper: quantile(v, 0.75)}
	}
	return b, nil
}

// card is row i's scorecard.
func (b *cardBuilder) card(i int) scorecard.Card {
	pq := b.pq
	str := func(col string) string { return pq.str(col)[i] }
	num := func(col string) float64 { return pq.num(col)[i] }
	id := str(schema.PartnerID)
	advice, _ := schema.ParseTierRecommendation(str(schema.TierRecommendation))
	c := scorecard.Card{
		AsOf: pq.l.cfg.AsOf, ID: id, Name: pq.l.names[id], PeerGroup: str(schema.PeerGroup), Tier: str(schema.ProgramTier),
		Scored: str(schema.EvidenceStatus) == schema.EvidenceScored.String(), EvidenceReason: b.xs[schema.EvidenceReason][i],
		Level: pq.l.settings.Quality.IntervalLevel, PQI: num(schema.PQI), Low: num(schema.PQILow), High: num(schema.PQIHigh),
		Previous: num(schema.PreviousPQI), Advice: advice, TierReason: str(schema.TierReason), NextTier: b.xs[schema.NextTierGaps][i],
	}
	if c.Scored {
		c.Peers = b.peers[c.PeerGroup]
		c.Peers.Rank = int(num(schema.PeerRank))
	} else {
		need := float64(pq.l.settings.Quality.Evidence.MinClosedDeals)
		c.ClosedNeeded = math.Max(0, need-b.x[schema.EvWeightedClosed][i])
	}
	z := b.x[schema.CompositeZ][i]
	c.TogetherMove = num(schema.BorrowedChange)
	// what reading the components together moves the PQI by: 100
	// Phi(composite_z) against 100 Phi(composite_z - borrowed_z); not said
	// when the guardrail capped the PQI
	if bz := b.x[schema.BorrowedZ][i]; c.Scored && !math.IsNaN(z) && !math.IsNaN(bz) && math.Abs(c.PQI-100*quality.NormCDF(z)) < 1e-9 {
		c.Together = 100 * (quality.NormCDF(z) - quality.NormCDF(z-bz))
	}
	for comp := range schema.Component(schema.NumComponents) {
		col := func(suf string) float64 { return b.x[schema.ComponentColumn(comp, suf)][i] }
		x := scorecard.Component{Component: comp, Measured: pq.str(schema.ComponentColumn(comp, schema.SufStatus))[i] == schema.Measured.String(),
			Observed: col(schema.SufObserved), Expected: col(schema.SufExpected), Target: math.NaN(), TargetValue: math.NaN()}
		if pq.status[comp] != schema.Measured {
			continue // not measured in the ecosystem: not in any score
		}
		lo, hi, score := col(schema.SufLow), col(schema.SufHigh), col(schema.SufScore)
		if x.Measured && (x.Expected < lo || x.Expected > hi) {
			x.Better = int(math.Copysign(1, score))
		}
		if h, ok := b.targets[comp]; ok {
			x.TargetBelow = h.Below
			x.Target = pq.num(schema.ComponentColumn(comp, schema.SufTarget))[i]
			x.TargetValue = pq.num(schema.ComponentColumn(comp, schema.SufTargetValue))[i]
			x.TargetMet = pq.str(schema.ComponentColumn(comp, schema.SufTargetMet))[i]
		}
		c.Components = append(c.Components, x)
		if v := pq.num(schema.ComponentColumn(comp, schema.SufChange))[i]; c.Scored && !math.IsNaN(v) {
			c.Moves = append(c.Moves, scorecard.Move{Component: comp, Value: v})
		}
		// a lever: the PQI gained if the component reached its
		// expectation (score 0): PQI = 100 Φ(composite_z), composite_z the
		// weighted sum of the component scores (docs/methodology.md)
		if x.Measured && score < 0 && !math.IsNaN(z) {
			gain := 100 * (quality.NormCDF(z-b.weights[comp]*score) - quality.NormCDF(z))
			if gain >= 0.5 {
				l := scorecard.Lever{Component: comp, Observed: x.Observed, Expected: x.Expected, Gain: gain}
				if !math.IsNaN(x.Target) {
					side := "over "
					if x.TargetBelow {
						side = "under "
					}
					l.Target = side + words.TargetValue(comp, x.Target)
				}
				c.Levers = append(c.Levers, l)
			}
		}
	}
	sort.SliceStable(c.Levers, func(a, b int) bool { return c.Levers[a].Gain > c.Levers[b].Gain })
	c.Levers = c.Levers[:min(len(c.Levers), 3)]
	sort.SliceStable(c.Moves, func(a, b int) bool { return math.Abs(c.Moves[a].Value) > math.Abs(c.Moves[b].Value) })
	c.Moves = c.Moves[:min(len(c.Moves), 4)]
	return c
}
