package quality

import (
	"math"

	"github.com/partnerq/pqi/transforms/schema"
)

// Case-mix design: one row of features per deal (or per response or
// contract, through the deal it is about).
const (
	fIntercept = iota
	fMidMarket
	fEnterprise
	fProducts // product_count - 1, capped at 9
	fDeveloping
	fNew
	fImplementation
	fTransformation
	fLogAmount // ln(1 + amount_usd) - 10, 0 when unknown
	fAmountUnknown
	fCaseMixUnknown // no deal, or a deal missing segment, product_count, maturity or scope
	nFeat
)

// features writes deal d's case-mix features into x (len nFeat); d < 0 is
// "no deal".
func (in *inputs) features(d int32, x []float64) {
	if d < 0 {
		clear(x)
		x[fIntercept] = 1
		x[fCaseMixUnknown] = 1
		return
	}
	mixFeatures(in.mixCode(d), x)
	if la := in.dLogAmt[d]; !math.IsNaN(la) {
		x[fLogAmount] = la - 10
	} else {
		x[fAmountUnknown] = 1
	}
}

// Deal case-mix codes: every combination of the categorical features
// (segment, product count, maturity, scope, each possibly unknown) has a
// code, so x beta is a table lookup plus the amount's terms.
const (
	nSegCodes   = 4  // schema.Segments, unknown last
	nProdCodes  = 11 // product_count 1..10+ as 0..9, unknown 10
	nMatCodes   = 4
	nScopeCodes = 4
	nMixCodes   = nSegCodes * nProdCodes * nMatCodes * nScopeCodes
)

// mixCodeOf is the case-mix code of a deal's segment, product count (0 =
// unknown), maturity and scope; unknown enums (NullEnum) take the last
// code of their part.
func mixCodeOf(seg schema.CustomerSegment, products int16, mat schema.Maturity, scope schema.Scope) int16 {
	code := func(v uint8, n int) int { return min(int(v), n-1) }
	prod := nProdCodes - 1
	if products >= 1 {
		prod = int(min(products-1, 9))
	}
	return int16(((code(uint8(seg), nSegCodes)*nProdCodes+prod)*nMatCodes+code(uint8(mat), nMatCodes))*nScopeCodes + code(uint8(scope), nScopeCodes))
}

// mixParts splits case-mix code c into its segment, product count,
// maturity and scope codes.
func mixParts(c int) (seg, prod, mat, scope int) {
	scope, c = c%nScopeCodes, c/nScopeCodes
	mat, c = c%nMatCodes, c/nMatCodes
	return c / nProdCodes, c % nProdCodes, mat, scope
}

// mixCode is deal d's case-mix code.
func (in *inputs) mixCode(d int32) int { return int(in.dMix[d]) }

// mixFeatures writes the features of case-mix code c, the amount's terms
// left at zero (the caller adds them). The one definition of the
// categorical case mix: features and the eta table both use it.
func mixFeatures(c int, x []float64) {
	clear(x)
	x[fIntercept] = 1
	seg, prod, mat, scope := mixParts(c)
	unknown := seg == nSegCodes-1 || prod == nProdCodes-1 || mat == nMatCodes-1 || scope == nScopeCodes-1
	switch schema.CustomerSegment(seg) {
	case schema.SegMidMarket:
		x[fMidMarket] = 1
	case schema.SegEnterprise:
		x[fEnterprise] = 1
	}
	if prod < nProdCodes-1 {
		x[fProducts] = float64(prod)
	}
	switch schema.Maturity(mat) {
	case schema.MaturityDeveloping:
		x[fDeveloping] = 1
	case schema.MaturityNew:
		x[fNew] = 1
	}
	switch schema.Scope(scope) {
	case schema.ScopeImplementation:
		x[fImplementation] = 1
	case schema.ScopeTransformation:
		x[fTransformation] = 1
	}
	if unknown {
		x[fCaseMixUnknown] = 1
	}
}

// etaTable is x beta of a fitted model for any row, without a float per
// row: the categorical part per case-mix code, the value of a row with no
// deal, and the amount's two coefficients. A row's value is computed when
// read (obs.eta), the same arithmetic every time.
type etaTable struct {
	tab            [nMixCodes]float64
	noDeal         float64
	bAmt, bUnknown float64
	codes          []int16   // every deal's case-mix code (inputs.dMix)
	logAmt         []float64 // every deal's ln(1+amount), NaN when unknown
	intercept      float64   // noMix: every row's value
	interceptOnly  bool
}

// etas sets o's x beta from mod; x is scratch (nFeat).
func (in *inputs) etas(o *obs, mod model, x []float64) {
	t := &etaTable{codes: in.dMix, logAmt: in.dLogAmt}
	for c := range t.tab {
		mixFeatures(c, x)
		t.tab[c] = mod.eta(x)
	}
	in.features(-1, x)
	t.noDeal = mod.eta(x)
	t.bAmt, t.bUnknown = mod.beta[fLogAmount], mod.beta[fAmountUnknown]
	o.etaT = t
}

// eta is x beta of row i (no partner effect).
func (o *obs) eta(i int32) float64 {
	t := o.etaT
	if t.interceptOnly {
		return t.intercept
	}
	d := o.deal[i]
	if d < 0 {
		return t.noDeal
	}
	if la := t.logAmt[d]; !math.IsNaN(la) {
		return t.tab[t.codes[d]] + t.bAmt*(la-10)
	}
	return t.tab[t.codes[d]] + t.bUnknown
}

// family of a component's outcome model.
const (
	famBinary  = iota // logistic: y successes of m trials
	famLinear         // normal: y continuous
	famPoisson        // Poisson: y events over exposure m
)

// obs are the rows behind one component in one window, grouped by
// partner: the rows of partner p are off[p] to off[p+1], in row order
// (the order the component's rows come in, rowFunc).
type obs struct {
	fam        int
	off        []int32   // CSR: partner p's rows are off[p]:off[p+1]
	deal       []int32   // deal the row's case mix comes from; -1 = none
	y          []float64 // outcome (yAt), unless y01
	y01        bool      // every outcome is 0 or 1: yes holds them, a byte a row
	yes        []int8
	m          []float64 // trials (binary) or exposure (Poisson); nil = 1
	dw         []float64 // decay weight of each row by its age (history, dec); nil = 1, or days
	days       []int16   // with wTab: row i's decay weight is wTab[days[i]], the weight of its day
	wTab       []float64 // the decay weight of each day of the history from wDay0 (decay.days)
	wDay0      int32
	noMix      bool      // no case mix: intercept only (partner-level rows)
	sample     []int32   // the fit's rows: every step-th in row order, at most fit_sample_max (sampleStep)
	smpPartner []int32   // the partner of each
	etaT       *etaTable // x beta of each row (no partner effect): eta(i)
	beta       []float64
	sigmaW     float64  // linear: within-partner residual SD
	dropped    []string // case-mix covariates left out of the model as leaking the outcome
	baseline   float64  // the component's ecosystem value, used when a partner has no rows; NaN without rows
}

// rowFunc calls add for every row of a component, in row order: partner
// p, deal d (-1 = none), outcome y, trials or exposure m, and a decay
// weight w (0 < w <= 1) by age, the weight of day (schema.NoDate: w is no
// day's weight).
type rowFunc func(add func(p, d int32, y, m, w float64, day int32))

// collect stores the rows each gives (fam, y01, wTab, wDay0 and noMix
// set), counts[p] of them for partner p (countRows), each placed at its
// partner's next slot: grouped by partner with row order kept within
// each, and no row's partner nor any permutation held. It picks the fit's
// sample (every step-th row in row order, at most sampleMax) and sums the
// ecosystem baseline in row order as they come.
func (o *obs) collect(counts []int32, sampleMax int, each rowFunc) {
	nP := len(counts)
	o.off = make([]int32, nP+1)
	for p, c := range counts {
		o.off[p+1] = o.off[p] + c
	}
	n := int(o.off[nP])
	o.deal = make([]int32, n)
	if o.y01 {
		o.yes = make([]int8, n)
	} else {
		o.y = make([]float64, n)
	}
	if o.wTab != nil {
		o.days = make([]int16, n)
	}
	step := sampleStep(n, sampleMax)
	o.sample = make([]int32, 0, n/step+1)
	o.smpPartner = make([]int32, 0, n/step+1)
	next := append([]int32(nil), o.off[:nP]...)
	var k int
	var sy, sm float64
	each(func(p, d int32, y, m, w float64, day int32) {
		i := next[p]
		next[p]++
		switch {
		case o.wTab != nil:
			o.days[i] = int16(day - o.wDay0)
			w = o.wTab[o.days[i]]
		case o.dw != nil || w != 1:
			if o.dw == nil {
				o.dw = ones(n)
			}
			o.dw[i] = w
		}
		o.deal[i] = d
		if o.y01 {
			o.yes[i] = int8(y)
			y = float64(o.yes[i])
		} else {
			o.y[i] = y
		}
		if o.m != nil || m != 1 {
			if o.m == nil {
				o.m = ones(n)
			}
			o.m[i] = m
		}
		sy += w * y
		sm += w * m
		if k%step == 0 {
			o.sample = append(o.sample, i)
			o.smpPartner = append(o.smpPartner, p)
		}
		k++
	})
	o.baseline = math.NaN()
	if sm > 0 {
		o.baseline = sy / sm
	}
}

// countRows counts the rows each gives, partner by partner (nP partners),
// and in all: what collect needs first.
func countRows(nP int, each rowFunc) ([]int32, int) {
	counts, n := make([]int32, nP), 0
	each(func(p, _ int32, _, _, _ float64, _ int32) { counts[p]++; n++ })
	return counts, n
}

// ones is n ones: trials, exposures or weights all 1.
func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// ensureM gives every row its trials or exposure, 1 where none was set.
func (o *obs) ensureM() {
	if o.m == nil {
		o.m = ones(o.n())
	}
}

// n is the number of rows.
func (o *obs) n() int { return len(o.deal) }

// yAt is row i's outcome.
func (o *obs) yAt(i int) float64 {
	if o.y01 {
		return float64(o.yes[i])
	}
	return o.y[i]
}

func (o *obs) weight(i int) float64 {
	if o.m == nil {
		return 1
	}
	return o.m[i]
}

// dec is row i's decay weight.
func (o *obs) dec(i int) float64 {
	if o.days != nil {
		return o.wTab[o.days[i]]
	}
	if o.dw == nil {
		return 1
	}
	return o.dw[i]
}

// est is a component's per-partner estimate.
type est struct {
	n        []int64   // rows (or trials / staff) behind it
	wN       []float64 // the same, each weighted by its decay weight
	noise    []float64 // binary/Poisson: sampling variance of oSum - eSum with no partner effect
	obs      []float64 // observed value, NaN without rows
	exp      []float64 // expected value for the case mix
	shrunk   []float64
	low      []float64
	high     []float64
	theta    []float64 // posterior mean of the partner effect (link scale)
	thetaVar []float64 // its posterior variance
	tau2     float64   // between-partner variance of the effect
	oSum     []float64 // binary/Poisson: observed count; linear: sum of y
	eSum     []float64 // expected count; linear: sum of x beta
	raw      []float64 // the partner's unshrunk effect on the link scale (normal approximation)
	rawVar   []float64 // its sampling variance; 0 without rows
	widen    []float64 // interval widening for the uncertainty in tau2 (tau2.go)
}

func newEst(nP int) *est {
	e := &est{}
	for _, s := range []*[]float64{&e.obs, &e.exp, &e.shrunk, &e.low, &e.high, &e.theta, &e.thetaVar, &e.oSum, &e.eSum, &e.raw, &e.rawVar} {
		*s = make([]float64, nP)
	}
	e.n = make([]int64, nP)
	e.wN, e.noise = make([]float64, nP), make([]float64, nP)
	return e
}

// sampleStep is the step that keeps at most max of n rows: every
// ceil(n/max)-th in row order.
func sampleStep(n, most int) int {
	return max(1, (n+most-1)/most)
}

// estimate fits the component's case-mix model and shrinks every partner's
// effect (see docs/methodology.md, "Complexity adjustment" and "Shrinkage").
func (in *inputs) estimate(o *obs, nP int, cfg Config) (*est, error) {
	e := newEst(nP)
	sample, smpPartner := o.sample, o.smpPartner
	xs := make([]float64, len(sample)*nFeat)
	x := make([]float64, nFeat)
	for j, i := range sample {
		if o.noMix {
			xs[j*nFeat] = 1
		} else {
			in.features(o.deal[i], xs[j*nFeat:(j+1)*nFeat])
		}
	}
	o.dropped = dropCovariates(xs, in.leaking(o, sample, cfg.LeakageGuard))
	ys := make([]float64, len(sample))
	ms := make([]float64, len(sample))
	offs := make([]float64, len(sample))
	for j, i := range sample {
		ys[j] = o.yAt(int(i))
		ms[j] = o.weight(int(i))
		if o.fam != famLinear { // the decayed likelihood: each row's successes and trials (or events and exposure) times its weight
			ys[j] *= o.dec(int(i))
			ms[j] *= o.dec(int(i))
		}
	}
	for round := 0; round <= cfg.AdjustRounds; round++ {
		for j, p := range smpPartner {
			offs[j] = e.theta[p]
		}
		var mod model
		var err error
		switch o.fam {
		case famBinary:
			mod, err = fitLogistic(xs, nFeat, ys, offs, ms, o.beta)
		case famLinear:
			for j, i := range sample {
				ms[j] = o.dec(int(i))
			}
			mod, err = fitLinear(xs, nFeat, ys, offs, ms)
		case famPoisson:
			mod, err = fitPoisson(xs, nFeat, ys, ms, offs, o.beta)
		}
		if err != nil {
			return nil, err
		}
		o.beta = mod.beta
		if o.noMix {
			o.etaT = &etaTable{interceptOnly: true, intercept: mod.beta[fIntercept]}
		} else {
			in.etas(o, mod, x)
		}
		switch o.fam {
		case famBinary:
			shrinkBinary(o, e)
		case famLinear:
			shrinkLinear(o, e)
		case famPoisson:
			shrinkPoisson(o, e)
		}
	}
	e.tau2Widening()
	return e, nil
}

// dlTau2 is the DerSimonian-Laird moment estimate of the between-partner
// variance of effects th with sampling variances s2 (rows with ok).
func dlTau2(th, s2 []float64, ok []bool) float64 {
	var w, wt, w2 float64
	k := 0
	for i := range th {
		if !ok[i] {
			continue
		}
		wi := 1 / s2[i]
		w += wi
		wt += wi * th[i]
		w2 += wi * wi
		k++
	}
	if k < 2 {
		return tau2Floor
	}
	mean := wt / w
	q := 0.0
	for i := range th {
		if ok[i] {
			d := th[i] - mean
			q += d * d / s2[i]
		}
	}
	t := (q - float64(k-1)) / (w - w2/w)
	return math.Max(t, tau2Floor)
}

// tau2Floor keeps the between-partner variance positive: a component
// without real differences then shrinks every partner to expected.
const tau2Floor = 1e-6

func shrinkBinary(o *obs, e *est) {
	nP := len(o.off) - 1
	for p := 0; p < nP; p++ {
		var n, wn, obsY, expY, v, info float64
		for i := o.off[p]; i < o.off[p+1]; i++ {
			m, w := o.weight(int(i)), o.dec(int(i))
			mu := sigmoid(o.eta(i))
			n += m
			wn += w * m
			obsY += w * o.yAt(int(i))
			expY += w * m * mu
			v += w * w * m * mu * (1 - mu)
			info += w * m * mu * (1 - mu)
		}
		e.n[p], e.wN[p], e.noise[p] = int64(math.Round(n)), wn, v
		e.oSum[p], e.eSum[p] = obsY, expY
		if info > 0 { // one Newton step from no effect: score over information
			e.raw[p], e.rawVar[p] = (obsY-expY)/info, v/(info*info)
		}
	}
	e.tau2 = binaryTau2(e)
	var u []float64 // exp(-eta) of the partner's rows
	for p := 0; p < nP; p++ {
		lo, hi := o.off[p], o.off[p+1]
		u = u[:0]
		for i := lo; i < hi; i++ {
			u = append(u, math.Exp(-o.eta(i)))
		}
		// posterior mode of theta under N(0, tau2) by Newton's method,
		// from the previous round's value; sigmoid(eta+th) is
		// 1/(1+exp(-eta)*exp(-th)), one exponential per row per round
		th := e.theta[p]
		var info float64
		for it := 0; it < 8; it++ {
			g, h := -th/e.tau2, 1/e.tau2
			v := math.Exp(-th)
			for i := lo; i < hi; i++ {
				m, w := o.weight(int(i)), o.dec(int(i))
				t := u[i-lo] * v
				mu := 1 / (1 + t)
				if t > math.MaxFloat64 || t != t { // overflow: the exact form
					mu = sigmoid(o.eta(i) + th)
				}
				g += w * (o.yAt(int(i)) - m*mu)
				h += w * m * mu * (1 - mu)
			}
			step := g / h
			th += step
			info = h
			if math.Abs(step) < 1e-10 {
				break
			}
		}
		e.theta[p], e.thetaVar[p] = th, 1/info
	}
}

func shrinkLinear(o *obs, e *est) {
	nP := len(o.off) - 1
	raw := make([]float64, nP)
	ok := make([]bool, nP)
	var ss float64
	var df int
	for p := 0; p < nP; p++ {
		lo, hi := o.off[p], o.off[p+1]
		var sy, se, wn float64
		for i := lo; i < hi; i++ {
			w := o.dec(int(i))
			sy += w * o.yAt(int(i))
			se += w * o.eta(i)
			wn += w
		}
		e.n[p], e.wN[p] = int64(hi-lo), wn
		e.oSum[p], e.eSum[p] = sy, se
		if hi == lo {
			raw[p] = math.NaN()
			continue
		}
		raw[p] = (sy - se) / wn
		ok[p] = true
		for i := lo; i < hi; i++ {
			d := o.yAt(int(i)) - o.eta(i) - raw[p]
			ss += d * d
		}
		df += int(hi-lo) - 1
	}
	sig2 := 1.0
	if df > 0 {
		sig2 = ss / float64(df)
	}
	o.sigmaW = math.Sqrt(sig2)
	s2 := make([]float64, nP)
	for p := 0; p < nP; p++ {
		if ok[p] {
			s2[p] = sig2 / e.wN[p]
		}
	}
	e.tau2 = dlTau2(raw, s2, ok)
	for p := 0; p < nP; p++ {
		if !ok[p] {
			e.theta[p], e.thetaVar[p] = 0, e.tau2
			continue
		}
		b := e.tau2 / (e.tau2 + s2[p])
		e.theta[p], e.thetaVar[p] = b*raw[p], b*s2[p]
		e.raw[p], e.rawVar[p] = raw[p], s2[p]
	}
}

func shrinkPoisson(o *obs, e *est) {
	nP := len(o.off) - 1
	for p := 0; p < nP; p++ {
		var obsY, expY, wn, v, vNull float64
		lo, hi := o.off[p], o.off[p+1]
		for i := lo; i < hi; i++ {
			w := o.dec(int(i))
			mu := o.weight(int(i)) * math.Exp(o.eta(i))
			obsY += w * o.yAt(int(i))
			expY += w * mu
			wn += w * o.weight(int(i))
			v += w * w * o.yAt(int(i))
			vNull += w * w * mu
		}
		e.n[p], e.wN[p], e.noise[p] = int64(hi-lo), wn, v
		e.oSum[p], e.eSum[p] = obsY, expY
		if expY > 0 { // the multiplier's excess O/E - 1, its variance with no effect
			e.raw[p], e.rawVar[p] = (obsY-expY)/expY, vNull/(expY*expY)
		}
	}
	e.tau2 = poissonTau2(e)
	a := 1 / e.tau2 // Gamma(a, a) prior on the multiplier: mean 1, variance tau2
	for p := 0; p < nP; p++ {
		shape, rate := e.oSum[p]+a, e.eSum[p]+a
		e.theta[p] = math.Log(shape / rate)
		e.thetaVar[p] = 1 / shape
	}
}

// binaryTau2 is the moment estimate of the between-partner variance of a
// binary component's effect on the logit scale: the excess of the
// observed-minus-expected counts over their sampling noise V_p (the sum of
// w^2 m p (1 - p) over the partner's rows, w the decay weight), as a
// variance of shares, sigma2 = sum_p [(O_p - E_p)^2 - V_p] / W_p / sum_p W_p
// with W_p the weighted trials, turned to the logit scale by the delta
// method, tau2 = sigma2 / (pbar (1 - pbar))^2.
func binaryTau2(e *est) float64 {
	var num, den, so float64
	for p := range e.n {
		n := e.wN[p]
		if n == 0 {
			continue
		}
		d := e.oSum[p] - e.eSum[p]
		num += (d*d - e.noise[p]) / n
		den += n
		so += e.oSum[p]
	}
	if den == 0 {
		return tau2Floor
	}
	pbar := so / den
	v := pbar * (1 - pbar)
	if v <= 0 {
		return tau2Floor
	}
	return math.Max(num/den/(v*v), tau2Floor)
}

// poissonTau2 is the moment estimate of the variance of the partners' rate
// multipliers (Gamma-Poisson): Var(O - E) = V + tau2 E^2 with V the
// sampling noise, estimated by the sum of w^2 y over the partner's rows (O
// without decay), so tau2 = sum_p [(O_p - E_p)^2 - V_p] / sum_p E_p^2.
func poissonTau2(e *est) float64 {
	var num, den float64
	for p := range e.n {
		if e.n[p] == 0 {
			continue
		}
		d := e.oSum[p] - e.eSum[p]
		num += d*d - e.noise[p]
		den += e.eSum[p] * e.eSum[p]
	}
	if den == 0 {
		return tau2Floor
	}
	return math.Max(num/den, tau2Floor)
}
