// Package validity measures the PQI against the truth only the generator
// knows: it generates an ecosystem, ingests and scores it, and compares the
// scored tables with partner_truth.csv. The figures are the ones
// docs/methodology.md, "Validation", reports; scripts/validity prints them
// over several seeds and TestValidity holds the bars.
package validity

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

// Params are one generated ecosystem and the configuration it is scored with.
type Params struct {
	Partners int
	Seed     uint64
	DealsPer float64 // mean deals per partner over the two generated years
	Quality  quality.Config
	Dir      string // work directory (exports, truth, warehouse); must be empty or absent
	// Equal generates the null ecosystem: every partner's outcomes follow
	// the same truth, so every flag is a false alarm and the flagged share
	// measures each trigger's false-alarm rate against its stated one.
	Equal bool
}

// AsOf is the quarter every ecosystem is scored for.
var AsOf, _ = schema.ParseDay("2026-09-30")

// Coverage is one component's interval coverage.
type Coverage struct {
	Component string
	Partners  int     // partners with evidence compared
	Share     float64 // share whose true value is inside the 90% interval
}

// Trigger is one intervention trigger's flags against the truth.
type Trigger struct {
	Name              string
	Flagged           int
	Precision, Recall float64
	Stated            float64 // mean false_alarm_rate of its rows (NaN without rows)
}

// Figures are the measured properties of one scored ecosystem.
type Figures struct {
	Partners, Scored int
	Insufficient     int     // insufficient_evidence
	RhoScored        float64 // Spearman(PQI, true quality) over scored partners
	RhoAll           float64 // ... over all partners
	RhoCountsScored  float64 // the naive raw-count scorecard, scored partners
	RhoCountsAll     float64
	RhoObsScored     float64 // the same components observed (unadjusted, unshrunk)
	RhoObsAll        float64

	// low-evidence partners (closed deals in the bottom quarter of the
	// scored) among the PQI's top and bottom deciles, and their base share;
	// and among the top and bottom deciles of the truth (the scored ranked
	// by q): where evidence goes with quality, an honest ranking puts that
	// many there, luck puts more
	LowEvCut                         float64
	LowEvBase, LowEvTop, LowEvBottom float64
	LowEvTrueTop, LowEvTrueBottom    float64

	Coverage []Coverage
	Pooled   float64 // coverage over every compared component and partner

	// interventions: partners with any flag; precision = share of them
	// truly in the bottom 30%; recall = share of the true bottom 10% flagged
	Flagged, FlaggedInsufficient int
	Precision, Recall            float64
	Triggers                     []Trigger // the same per trigger, in the order schema.InterventionTriggers lists them

	Demote, DemoteInsufficient, AtRisk int // tier recommendations
}

// Measure generates, ingests and scores an ecosystem and compares it with
// its truth.
func Measure(ctx context.Context, p Params) (Figures, error) {
	out, truthDir, root := filepath.Join(p.Dir, "exports"), filepath.Join(p.Dir, "truth"), filepath.Join(p.Dir, "wh")
	if _, err := gen.Run(ctx, gen.Config{Partners: p.Partners, Seed: p.Seed, Quarters: 8, AsOf: AsOf.Time(),
		DealsPerPartner: p.DealsPer, Format: "csv", Out: out, TruthDir: truthDir, Equal: p.Equal}); err != nil {
		return Figures{}, err
	}
	alloc := memory.NewGoAllocator()
	wh, err := local.Open(root, alloc)
	if err != nil {
		return Figures{}, err
	}
	t := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { t = t.Add(time.Second); return t }
	if _, err := ingest.Run(ctx, ingest.Config{AsOf: AsOf, Exports: os.DirFS(out), ExportsName: out, CodeVersion: "validity"},
		ingest.Deps{Deps: warehouse.Deps{Warehouse: wh, Alloc: alloc, Now: now}}); err != nil {
		return Figures{}, err
	}
	if _, err := score.Run(ctx, score.Config{AsOf: AsOf, Quality: p.Quality, Finance: settings.DefaultFinance(), CodeVersion: "validity"},
		score.Deps{Warehouse: wh, Alloc: alloc, Now: now}); err != nil {
		return Figures{}, err
	}
	pq, err := readTable(ctx, wh, schema.PartnerQuality)
	if err != nil {
		return Figures{}, err
	}
	iv, err := readTable(ctx, wh, schema.Interventions)
	if err != nil {
		return Figures{}, err
	}
	truth, err := readTruth(filepath.Join(truthDir, "partner_truth.csv"))
	if err != nil {
		return Figures{}, err
	}
	return compare(pq, iv, truth, p.Quality), nil
}

// table is a scored table by column: numbers (null = NaN) and strings.
type table struct {
	num map[string][]float64
	str map[string][]string
}

func readTable(ctx context.Context, wh *local.Warehouse, name string) (table, error) {
	rr, err := wh.Read(ctx, name, AsOf)
	if err != nil {
		return table{}, err
	}
	defer rr.Release()
	num, str, err := arrowtest.Columns(rr)
	return table{num: num, str: str}, err
}

// readTruth reads partner_truth.csv: column -> partner_id -> value (the
// numeric columns; true/false as 1/0).
func readTruth(path string) (map[string]map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]map[string]float64{}
	for _, r := range rows[1:] {
		for j, name := range rows[0] {
			v, err := strconv.ParseFloat(r[j], 64)
			switch {
			case r[j] == "true":
				v, err = 1, nil
			case r[j] == "false":
				v, err = 0, nil
			}
			if err != nil {
				continue
			}
			if out[name] == nil {
				out[name] = map[string]float64{}
			}
			out[name][r[0]] = v
		}
	}
	return out, nil
}

func compare(pq, iv table, truth map[string]map[string]float64, cfg quality.Config) Figures {
	ids := pq.str[schema.PartnerID]
	q := make([]float64, len(ids))
	for i, id := range ids {
		q[i] = truth["quality"][id]
	}
	pqi, status, closed := pq.num[schema.PQI], pq.str[schema.EvidenceStatus], pq.num[schema.EvClosedDeals]
	f := Figures{Partners: len(ids)}

	// the naive scorecard of today's tools: equal-weight z-scores of raw
	// pipeline (deals created), certification rate, case studies, CSAT
	// average and win rate; and, as an ablation, the PQI's own components
	// observed (unadjusted, unshrunk), same weights
	naive := make([]float64, len(ids))
	signs := map[schema.Component]float64{schema.CompTimeToValue: -1, schema.CompChurnRate: -1}
	for c := range schema.Component(schema.NumComponents) {
		z := zscores(pq.num[schema.ComponentColumn(c, schema.SufObserved)])
		s := 1.0
		if v, ok := signs[c]; ok {
			s = v
		}
		for i := range naive {
			naive[i] += cfg.Weights[0].Components[c.String()] * s * z[i]
		}
	}
	counts := make([]float64, len(ids))
	for _, col := range []string{schema.EvDeals, schema.ComponentColumn(schema.CompCertification, schema.SufObserved),
		schema.ComponentColumn(schema.CompCaseStudies, schema.SufObserved), schema.ComponentColumn(schema.CompCSAT, schema.SufObserved),
		schema.ComponentColumn(schema.CompWinRate, schema.SufObserved)} {
		z := zscores(pq.num[col])
		for i := range counts {
			counts[i] += z[i]
		}
	}
	var sq, sp, sn, sc, ev []float64
	for i := range ids {
		switch status[i] {
		case "scored":
			sq, sp, sn, sc = append(sq, q[i]), append(sp, pqi[i]), append(sn, naive[i]), append(sc, counts[i])
			ev = append(ev, closed[i])
		case "insufficient_evidence":
			f.Insufficient++
		}
	}
	f.Scored = len(sq)
	f.RhoScored, f.RhoAll = arrowtest.Spearman(sp, sq), arrowtest.Spearman(pqi, q)
	f.RhoObsScored, f.RhoObsAll = arrowtest.Spearman(sn, sq), arrowtest.Spearman(naive, q)
	f.RhoCountsScored, f.RhoCountsAll = arrowtest.Spearman(sc, sq), arrowtest.Spearman(counts, q)
	f.lowEvidence(sp, sq, ev)
	f.coverage(pq, ids, truth)
	f.interventions(iv, ids, status, q)
	for i, rec := range pq.str[schema.TierRecommendation] {
		switch rec {
		case "demote":
			f.Demote++
			if status[i] == "insufficient_evidence" {
				f.DemoteInsufficient++
			}
		case "at_risk":
			f.AtRisk++
		}
	}
	return f
}

// lowEvidence measures where the low-evidence scored partners land: the
// deciles of their PQI (pqi) and of their truth (q); ev their closed deals.
func (f *Figures) lowEvidence(pqi, q, ev []float64) {
	if len(ev) == 0 {
		return
	}
	s := append([]float64(nil), ev...)
	sort.Float64s(s)
	f.LowEvCut = s[int(0.25*float64(len(s)-1))]
	shares := func(by []float64) (base, top, bottom float64) {
		order := make([]int, len(by))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return by[order[a]] > by[order[b]] })
		low := func(is []int) float64 {
			n := 0
			for _, i := range is {
				if ev[i] <= f.LowEvCut {
					n++
				}
			}
			return float64(n) / float64(max(1, len(is)))
		}
		d := len(order) / 10
		return low(order), low(order[:d]), low(order[len(order)-d:])
	}
	f.LowEvBase, f.LowEvTop, f.LowEvBottom = shares(pqi)
	_, f.LowEvTrueTop, f.LowEvTrueBottom = shares(q)
}

// coverage compares each component's 90% interval with the partner's true
// value where the generator knows it: shares (lead quality, registration,
// AE pull-through) directly; multipliers (churn, time to value) on the log
// scale against shrunk/expected, up to the one constant the case-mix
// baseline leaves free; marketplace activity for the partners whose true
// share is the same constant (not adopters), the constant-truth case.
func (f *Figures) coverage(pq table, ids []string, truth map[string]map[string]float64) {
	type cov struct {
		comp     schema.Component
		truthCol string
		relative bool
	}
	var hit, all int
	for _, c := range []cov{
		{schema.CompLeadQuality, "qualified_share", false},
		{schema.CompRegistration, "registration_discipline", false},
		{schema.CompAEPullThrough, "ae_invited_share", false},
		{schema.CompMarketplace, "", false},
		{schema.CompChurnRate, "churn_multiplier", true},
		{schema.CompTimeToValue, "ttv_multiplier", true},
	} {
		lo, hi := pq.num[schema.ComponentColumn(c.comp, schema.SufLow)], pq.num[schema.ComponentColumn(c.comp, schema.SufHigh)]
		sh, ex := pq.num[schema.ComponentColumn(c.comp, schema.SufShrunk)], pq.num[schema.ComponentColumn(c.comp, schema.SufExpected)]
		n := pq.num[schema.ComponentColumn(c.comp, schema.SufN)]
		value := func(id string) (float64, bool) {
			if c.comp == schema.CompMarketplace {
				return gen.MarketplaceShare, truth["marketplace_adopter"][id] == 0
			}
			v, ok := truth[c.truthCol][id]
			return v, ok
		}
		shift := 0.0
		if c.relative {
			var sw, s float64
			for i, id := range ids {
				if tv, ok := value(id); ok && n[i] > 0 {
					s += n[i] * (math.Log(tv) - math.Log(sh[i]/ex[i]))
					sw += n[i]
				}
			}
			shift = s / sw
		}
		h, a := 0, 0
		for i, id := range ids {
			tv, ok := value(id)
			if !ok || n[i] == 0 || math.IsNaN(lo[i]) {
				continue
			}
			l, u := lo[i], hi[i]
			if c.relative {
				tv = math.Log(tv) - shift
				l, u = math.Log(lo[i]/ex[i]), math.Log(hi[i]/ex[i])
			}
			a++
			if tv >= l && tv <= u {
				h++
			}
		}
		if a == 0 {
			continue
		}
		f.Coverage = append(f.Coverage, Coverage{Component: c.comp.String(), Partners: a, Share: float64(h) / float64(a)})
		hit, all = hit+h, all+a
	}
	if all > 0 {
		f.Pooled = float64(hit) / float64(all)
	}
}

func (f *Figures) interventions(iv table, ids, status []string, q []float64) {
	sorted := append([]float64(nil), q...)
	sort.Float64s(sorted)
	cut30, cut10 := sorted[int(0.3*float64(len(q)))], sorted[int(0.1*float64(len(q)))]
	st, truth := map[string]string{}, map[string]float64{}
	var bottom10 int
	for i, id := range ids {
		st[id], truth[id] = status[i], q[i]
		if q[i] < cut10 {
			bottom10++
		}
	}
	score := func(flagged map[string]bool) (n, insufficient int, precision, recall float64) {
		var inBottom30, caught int
		for id := range flagged {
			n++
			if st[id] == "insufficient_evidence" {
				insufficient++
			}
			if truth[id] < cut30 {
				inBottom30++
			}
			if truth[id] < cut10 {
				caught++
			}
		}
		if n > 0 {
			precision = float64(inBottom30) / float64(n)
		}
		if bottom10 > 0 {
			recall = float64(caught) / float64(bottom10)
		}
		return
	}
	all, by := map[string]bool{}, map[string]map[string]bool{}
	stated := map[string]float64{}
	for i, id := range iv.str[schema.PartnerID] {
		all[id] = true
		tr := iv.str[schema.Trigger][i]
		if by[tr] == nil {
			by[tr] = map[string]bool{}
		}
		by[tr][id] = true
		stated[tr] += iv.num[schema.FalseAlarmRate][i]
	}
	f.Flagged, f.FlaggedInsufficient, f.Precision, f.Recall = score(all)
	for _, name := range schema.InterventionTriggers {
		n, _, p, r := score(by[name])
		rate := math.NaN()
		if n > 0 {
			rate = stated[name] / float64(n)
		}
		f.Triggers = append(f.Triggers, Trigger{Name: name, Flagged: n, Precision: p, Recall: r, Stated: rate})
	}
}

// zscores standardises v across partners; missing (NaN) values become 0,
// the mean, as a naive scorecard would leave a blank.
func zscores(v []float64) []float64 {
	var s, ss float64
	n := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			ss += x * x
			n++
		}
	}
	out := make([]float64, len(v))
	if n < 2 {
		return out
	}
	m := s / float64(n)
	sd := math.Sqrt(ss/float64(n) - m*m)
	for i, x := range v {
		if !math.IsNaN(x) && sd > 0 {
			out[i] = (x - m) / sd
		}
	}
	return out
}
