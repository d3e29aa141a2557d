package quality

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/partnerq/pqi/transforms/schema"
)

// windowResult is everything scored for one window.
type windowResult struct {
	w    schema.Window // the trailing window: counts, tier measures, the evidence columns
	dk   decay         // the history the components use, and each row's weight by age
	from int32         // where the evidence's history begins: its start, or the first deal created when the data begin later
	comp [schema.NumComponents]*est
	obs  [schema.NumComponents]*obs
	// scale: every component's shrunk value and interval on its own scale
	// are computed (natural). The previous window is compared by its
	// scores, and by its CSAT (linear, cheap) in the tier rules: its
	// yes/no components, three logistic terms per row, are left NaN.
	scale bool

	deals, closed, csatN, customers, contracts []int64
	csatSatisfied                              []int64   // responses in the window scoring 4 or 5
	closedW                                    []float64 // closed deals over the history, age-weighted: the evidence rule's count
	qualifiedDeals, wonDeals                   []int64
	wonRevenue                                 []float64 // won primary deals' amounts, in the window

	z, zVar [schema.NumComponents][]float64
	weights []float64 // effective: the configured weights re-weighted over the measured components
	wFrom   schema.Day

	compStatus [schema.NumComponents]schema.ComponentStatus // over the ecosystem
	compWhy    [schema.NumComponents]string                 // why not measured, in words
	configured []float64                                    // the weight set in force, as configured
	partial    bool                                         // a weight guardrail cannot hold: the data lack what it needs
	partialWhy string

	pillarZ, pillarVar [schema.NumPillars][]float64
	// borrowing strength across components (borrow.go): the joint prior,
	// the joint posterior's scores (nil without borrowing) and what reading
	// the components together adds to the composite
	joint             jointPrior
	zJoint, zJointVar [schema.NumComponents][]float64
	borrowed          []float64
	pillarW           [schema.NumPillars]float64 // effective weight of each pillar
	compZ, sVar       []float64
	pqiRaw            []float64
	pqi, pqiLow       []float64
	pqiHigh           []float64
	guard             []bool
	guardReason       []string
	scored            []bool
	evidence          []schema.EvidenceState
	evReason          []string

	churnRR, churnRRLow, churnRRHigh []float64
	direct                           model // churn model of direct customers
	directObs, directExp             float64
}

// decay weighs a row by the age of its date: 1 inside the trailing window,
// 2^(-days before the window / half-life) in the older history, 0 outside
// the history. Older evidence only ever adds to what the window holds.
type decay struct {
	hist   schema.Window
	recent int32     // first day of the trailing window: full weight from here
	rate   float64   // per day, ln 2 / half-life; 0 = every row in the history weighs 1
	days   []float64 // the weight of each day of the history, from its first (weight)
}

func newDecay(w schema.Window, h History) decay {
	d := decay{hist: schema.Day(w.End).Trailing(h.Quarters), recent: w.Start}
	if h.HalfLifeQuarters > 0 {
		d.rate = math.Ln2 / (h.HalfLifeQuarters * daysPerYear / 4)
	}
	if n := d.hist.End - d.hist.Start + 1; n > math.MaxInt16+1 {
		panic("quality: a history longer than 89 years")
	}
	d.days = make([]float64, d.hist.End-d.hist.Start+1)
	for k := range d.days {
		d.days[k] = d.weight(d.hist.Start + int32(k))
	}
	return d
}

// at is the weight of a row dated day: looked up, as every row of every
// component reads it (each component's rows are counted, then collected).
func (d decay) at(day int32) float64 {
	if !d.hist.Has(day) {
		return 0
	}
	return d.days[day-d.hist.Start]
}

// weight is the weight of a day of the history, computed.
func (d decay) weight(day int32) float64 {
	if d.rate == 0 || day >= d.recent {
		return 1
	}
	return math.Exp(-d.rate * float64(d.recent-day))
}

// exposure is a contract's time at risk in the history, in years, whether
// it churned there, and its decay weight: the age-weighted exposure over the
// plain one (the integral of the weight over the days at risk).
func (d decay) exposure(start, churn int32) (years float64, event bool, weight float64) {
	years, event = exposure(start, churn, d.hist)
	if years == 0 || d.rate == 0 {
		return years, event, 1
	}
	to := float64(d.hist.End + 1)
	if churn != schema.NoDate && float64(churn) < to {
		to = float64(churn)
	}
	from := float64(max(start, d.hist.Start))
	if to-from <= 0.5 { // the half day of a first-day churn
		return years, event, d.at(int32(from))
	}
	recent := float64(d.recent)
	full := math.Max(0, to-math.Max(from, recent)) // days in the window, weight 1
	var old float64                                // the older days' weighted length
	if from < recent {
		end := math.Min(to, recent)
		old = (math.Exp(-d.rate*(recent-end)) - math.Exp(-d.rate*(recent-from))) / d.rate
	}
	return years, event, math.Min(1, (full+old)/(to-from))
}

// countWindow counts what the trailing window holds per partner (deals,
// closed, qualified and won deals, won revenue, CSAT responses, contracts
// and customers exposed), the age-weighted closed deals of the history (the
// evidence rule's count), and fits the direct customers' churn baseline of
// the exit warning. The components' rows are collected one component at a
// time (obsOf), while it is fitted.
func (in *inputs) countWindow(cfg Config, r *windowResult) {
	w, dk := r.w, r.dk
	nP := len(in.pID)
	r.deals, r.closed, r.csatN, r.csatSatisfied = make([]int64, nP), make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.customers, r.contracts, r.qualifiedDeals = make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.wonRevenue, r.closedW, r.wonDeals = make([]float64, nP), make([]float64, nP), make([]int64, nP)
	for i, p := range in.dPrimary {
		if p < 0 {
			continue
		}
		if w.Has(in.dCreated[i]) {
			r.deals[p]++
			if in.dQual[i] == 1 {
				r.qualifiedDeals[p]++
			}
		}
		st, cl := in.dStatus[i], in.dClosed[i]
		if !st.Closed() {
			continue
		}
		if w.Has(cl) {
			r.closed[p]++
			if st == schema.StatusWon && !math.IsNaN(in.dLogAmt[i]) {
				r.wonRevenue[p] += math.Expm1(in.dLogAmt[i])
				r.wonDeals[p]++
			}
		}
		if wt := dk.at(cl); wt > 0 {
			r.closedW[p] += wt
		}
	}
	for i, p := range in.sPartner {
		if w.Has(in.sResponded[i]) {
			r.csatN[p]++
			if in.sScore[i] >= satisfiedScore {
				r.csatSatisfied[p]++
			}
		}
	}
	seen := make([]int32, in.nCust) // partner+1 that last counted the customer
	for i, p := range in.hPartner {
		if p < 0 {
			continue
		}
		if yrs, _, _ := dk.exposure(in.hStart[i], in.hChurn[i]); yrs == 0 {
			continue
		}
		if y, _ := exposure(in.hStart[i], in.hChurn[i], w); y == 0 {
			continue
		}
		r.contracts[p]++
		if seen[in.hCustomer[i]] != p+1 {
			seen[in.hCustomer[i]] = p + 1
			r.customers[p]++
		}
	}
	r.direct, r.directObs, r.directExp = model{}, 0, 0
	r.directFit(in, in.directChurn(dk, cfg), cfg)
}

// directChurn are the churn rows of direct customers' contracts: the
// baseline the exit warning compares partners' churn with (directFit).
func (in *inputs) directChurn(dk decay, cfg Config) *obs {
	each := func(add func(p, d int32, y, m, w float64, day int32)) {
		for i, p := range in.hPartner {
			if p >= 0 {
				continue
			}
			if yrs, ev, wt := dk.exposure(in.hStart[i], in.hChurn[i]); yrs != 0 {
				add(0, in.hDeal[i], b2f(ev), yrs, wt, schema.NoDate)
			}
		}
	}
	counts, _ := countRows(1, each)
	dir := &obs{fam: famPoisson}
	dir.collect(counts, cfg.FitSampleMax, each)
	dir.ensureM()
	return dir
}

// eachRow calls add for every row behind component c, in row order: every
// row of the history with its decay weight by age. Deal components take
// the primary-partnered deals: the deal flags of the deals created in the
// history, the registration of those old enough to have been registered,
// the win or loss of the deals closed there, and the time to first value
// of won deals mature enough to have reached it. The one definition of a
// component's rows: obsOf collects them and the status counts them.
func (in *inputs) eachRow(c schema.Component, cfg Config, r *windowResult, add func(p, d int32, y, m, w float64, day int32)) {
	dk := r.dk
	switch c {
	case schema.CompCSAT:
		for i, p := range in.sPartner {
			if wt := dk.at(in.sResponded[i]); wt > 0 {
				add(p, in.sDeal[i], in.sScore[i], 1, wt, in.sResponded[i])
			}
		}
	case schema.CompChurnRate:
		for i, p := range in.hPartner {
			if yrs, ev, wt := dk.exposure(in.hStart[i], in.hChurn[i]); yrs > 0 && p >= 0 {
				add(p, in.hDeal[i], b2f(ev), yrs, wt, schema.NoDate)
			}
		}
	case schema.CompCertification:
		for p, t := range in.pTotal {
			if c := in.pCert[p]; t > 0 && c != noInt {
				add(int32(p), -1, float64(min(c, t)), float64(t), 1, schema.NoDate)
			}
		}
	case schema.CompCaseStudies:
		for p, v := range in.pCase {
			if v != noInt {
				add(int32(p), -1, float64(v), 1, 1, schema.NoDate)
			}
		}
	default:
		in.eachDealRow(c, cfg, r, add)
	}
}

// eachDealRow is eachRow for the components of deals.
func (in *inputs) eachDealRow(c schema.Component, cfg Config, r *windowResult, add func(p, d int32, y, m, w float64, day int32)) {
	dk := r.dk
	flag := func(v []int8) {
		for i, p := range in.dPrimary {
			if p >= 0 && v[i] != noInt {
				if wt := dk.at(in.dCreated[i]); wt > 0 {
					add(p, int32(i), float64(v[i]), 1, wt, in.dCreated[i])
				}
			}
		}
	}
	switch c {
	case schema.CompLeadQuality:
		flag(in.dQual)
	case schema.CompAEPullThrough:
		flag(in.dAE)
	case schema.CompMarketplace:
		flag(in.dMarket)
	case schema.CompAttachRate:
		flag(in.dAttach)
	case schema.CompRegistration:
		regEnd := r.w.End - int32(cfg.RegistrationDeadlineDays)
		for i, p := range in.dPrimary {
			created := in.dCreated[i]
			if p < 0 || created > regEnd {
				continue
			}
			if wt := dk.at(created); wt > 0 {
				reg := in.dRegistered[i]
				ok := reg != schema.NoDate && reg-created <= int32(cfg.RegistrationDeadlineDays)
				add(p, int32(i), b2f(ok), 1, wt, created)
			}
		}
	case schema.CompWinRate:
		for i, p := range in.dPrimary {
			if st := in.dStatus[i]; p >= 0 && st.Closed() {
				if wt := dk.at(in.dClosed[i]); wt > 0 {
					add(p, int32(i), b2f(st == schema.StatusWon), 1, wt, in.dClosed[i])
				}
			}
		}
	case schema.CompTimeToValue:
		// the history shifted back by the maturity, so slow deals have had
		// time to reach value
		mature := int32(cfg.TTVMaturityDays)
		for i, p := range in.dPrimary {
			cl, fv := in.dClosed[i], in.dFirstValue[i]
			if p < 0 || in.dStatus[i] != schema.StatusWon || cl == schema.NoDate || fv == schema.NoDate || fv > r.w.End {
				continue
			}
			if wt := dk.at(cl + mature); wt > 0 {
				add(p, int32(i), math.Log(math.Max(1, float64(fv-cl))), 1, wt, cl+mature)
			}
		}
	}
}

// rowsOf are the rows behind component c, in row order (eachRow).
func (in *inputs) rowsOf(c schema.Component, cfg Config, r *windowResult) rowFunc {
	return func(add func(p, d int32, y, m, w float64, day int32)) { in.eachRow(c, cfg, r, add) }
}

// obsOf collects the rows behind component c, counts[p] of partner p.
func (in *inputs) obsOf(c schema.Component, counts []int32, cfg Config, r *windowResult) *obs {
	o := &obs{}
	switch c {
	case schema.CompCSAT, schema.CompTimeToValue:
		o.fam = famLinear
	case schema.CompChurnRate, schema.CompCaseStudies:
		o.fam = famPoisson
	}
	o.noMix = c == schema.CompCertification || c == schema.CompCaseStudies
	switch c {
	case schema.CompWinRate, schema.CompLeadQuality, schema.CompAEPullThrough, schema.CompMarketplace, schema.CompAttachRate, schema.CompRegistration:
		o.y01 = true // yes or no, one row per deal: a byte a row
	}
	switch c {
	case schema.CompChurnRate, schema.CompCertification, schema.CompCaseStudies:
	default: // weighted by a day's age: rows keep the day (two bytes), not the weight
		o.wTab, o.wDay0 = r.dk.days, r.dk.hist.Start
	}
	o.collect(counts, cfg.FitSampleMax, in.rowsOf(c, cfg, r))
	if o.fam == famPoisson || o.noMix {
		o.ensureM()
	}
	return o
}

// release drops the rows once the component is scored, keeping its fit
// (beta, sigmaW, dropped, baseline): only the components in flight hold
// rows.
func (o *obs) release() {
	o.deal, o.y, o.yes, o.m, o.dw, o.days, o.off, o.sample, o.smpPartner, o.etaT = nil, nil, nil, nil, nil, nil, nil, nil, nil, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// directFit fits the churn model of direct customers, the baseline of the
// churn rate ratio.
func (r *windowResult) directFit(in *inputs, dir *obs, cfg Config) {
	if dir.n() == 0 {
		return
	}
	sample := dir.sample
	xs := make([]float64, len(sample)*nFeat)
	ys, ms, offs := make([]float64, len(sample)), make([]float64, len(sample)), make([]float64, len(sample))
	for j, i := range sample {
		in.features(dir.deal[i], xs[j*nFeat:(j+1)*nFeat])
		ys[j], ms[j] = dir.yAt(int(i)), dir.m[i]
	}
	mod, err := fitPoisson(xs, nFeat, ys, ms, offs, nil)
	if err != nil {
		return
	}
	r.direct = mod
	x := make([]float64, nFeat)
	for i := range dir.n() {
		in.features(dir.deal[i], x)
		r.directObs += dir.yAt(i)
		r.directExp += dir.m[i] * math.Exp(mod.eta(x))
	}
}

// firstCreated is the earliest deal created: where the deals data begin.
func (in *inputs) firstCreated() (int32, bool) {
	if len(in.dCreated) == 0 {
		return 0, false
	}
	return slices.Min(in.dCreated), true
}

// scoreWindow computes every component, the composite and the evidence
// status for the window of cfg.WindowQuarters quarters ending on end.
func (in *inputs) scoreWindow(end int32, cfg Config, scale bool) (*windowResult, error) {
	r := &windowResult{w: schema.Day(end).Trailing(cfg.WindowQuarters), scale: scale}
	r.dk = newDecay(r.w, cfg.History)
	r.from = r.dk.hist.Start
	if first, ok := in.firstCreated(); ok && first > r.from && first <= end {
		r.from = first
	}
	var err error
	if r.configured, r.wFrom, err = cfg.weightsAt(schema.Day(end)); err != nil {
		return nil, err
	}
	in.countWindow(cfg, r)
	var measured [schema.NumComponents]bool
	var nRows [schema.NumComponents]int
	var counts [schema.NumComponents][]int32
	for c := range schema.Component(schema.NumComponents) {
		counts[c], nRows[c] = countRows(len(in.pID), in.rowsOf(c, cfg, r))
		r.compStatus[c], r.compWhy[c] = in.availability(c)
		if r.compStatus[c] == schema.Measured && nRows[c] == 0 {
			r.compStatus[c], r.compWhy[c] = schema.NoRows, fmt.Sprintf("no rows in the history %s to %s", fmtDate(r.dk.hist.Start), fmtDate(r.dk.hist.End))
		}
		measured[c] = r.compStatus[c] == schema.Measured
	}
	r.weights, r.partial, r.partialWhy = effectiveWeights(r.configured, measured, cfg)
	// The components are fitted a core's worth at a time, each collecting
	// its rows when it starts and dropping them when it is done, so the
	// rows in memory are those of the components in flight; the largest
	// go first, so that the last to finish are short and both cores stay
	// busy to the end. Each component's result is its own: the order
	// changes no figure.
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	errs := make([]error, schema.NumComponents)
	order := make([]schema.Component, 0, schema.NumComponents)
	for c := range schema.Component(schema.NumComponents) {
		order = append(order, c)
	}
	slices.SortStableFunc(order, func(a, b schema.Component) int { return nRows[b] - nRows[a] })
	for _, c := range order {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			errs[c] = in.scoreComponent(c, counts[c], measured[c], cfg, r)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	r.composite(in, cfg)
	return r, nil
}

// scoreComponent collects component c's rows (counts[p] of partner p),
// fits and shrinks it when measured, and keeps its fit; the churn component's rows also give the
// exit warning's statistic (churnVsDirect), measured or not.
func (in *inputs) scoreComponent(c schema.Component, counts []int32, measured bool, cfg Config, r *windowResult) error {
	nP := len(in.pID)
	o := in.obsOf(c, counts, cfg, r)
	defer o.release()
	r.obs[c] = o
	if !measured {
		r.comp[c] = unmeasured(nP)
	} else {
		e, err := in.estimate(o, nP, cfg)
		if err != nil {
			return fmt.Errorf("fitting %s: %w", c.String(), err)
		}
		r.comp[c] = e
		in.natural(c, o, e, cfg, r.scale)
	}
	if c == schema.CompChurnRate {
		r.churnVsDirect(in, cfg)
	}
	return nil
}
