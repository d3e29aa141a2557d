package gen

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/partnerq/pqi/transforms/schema"
)

// Regions and verticals are free strings in the contract; these are the
// values the generator uses.
var (
	regions       = []string{"NA", "EMEA", "APAC", "LATAM"}
	regionWeights = []float64{0.45, 0.30, 0.15, 0.10}
	verticals     = []string{"healthcare", "financial_services", "manufacturing", "retail", "public_sector", "technology"}
	typeWeights   = []float64{0.25, 0.15, 0.25, 0.15, 0.12, 0.08}
	// capability weights (staffing, solution_builder, advisory) by partner type
	capWeights = [][]float64{
		schema.TypeSI:       {0.30, 0.60, 0.10},
		schema.TypeISV:      {0.05, 0.85, 0.10},
		schema.TypeReseller: {0.30, 0.55, 0.15},
		schema.TypeMSP:      {0.50, 0.40, 0.10},
		schema.TypeReferral: {0.30, 0.30, 0.40},
		schema.TypeAdvisory: {0.10, 0.10, 0.80},
	}
)

// The model's coefficients. Every outcome of a deal is driven by the primary
// partner's latent quality q (through the partner effects below) and by the
// deal's complexity k, a standardised score of four observed fields:
//
//	k = (seg + 0.4*(product_count-1) + maturity + scope - complexityMean) / complexitySD
//
// with seg smb=0 mid_market=1 enterprise=2, maturity mature=0 developing=1
// new=2, scope advisory=0 implementation=1 transformation=2. Because k is a
// function of observed columns, a complexity adjustment can recover it.
const (
	complexityMean = 3.5
	complexitySD   = 2.25

	// win: logit P(won | closed) = winBase + win_effect - winComplexity*k + winQualified*qualified
	winBase       = -0.9
	winComplexity = 0.8
	winQualified  = 0.4
	winDirect     = -0.2 // direct deals: added to winBase; no partner effect

	// csat: latent = csat_effect - csatComplexity*k + Logistic(0,1), cut at csatCuts into 1..5
	csatComplexity = 0.6
	csatResponse   = 0.4 // share of won deals that answer the survey
	csatNoDeal     = 0.1 // responses without a deal, per contract of the partner

	// time to first value (days) = ttvBase * exp(ttvComplexity*k) * ttv_multiplier * LogNormal(0, 0.35)
	ttvBase       = 35.0
	ttvComplexity = 0.3
	ttvMeasured   = 0.85 // share of won deals whose first value is recorded

	// churn: annual hazard = churnBase * exp(churnComplexity*k) * churn_multiplier
	churnBase       = 0.12
	churnComplexity = 0.35
	churnBadMult    = 3.5 // churn_multiplier of the "bad churn" partners

	// sales cycle (days) = cycleBase[segment] * exp(cycleComplexity*k) * LogNormal(0, 0.4)
	cycleComplexity = 0.25

	activitySigma   = 1.4  // activity weight = exp(activitySigma*z)
	directShare     = 0.30 // share of all deals with no partner
	reuseCustomer   = 0.2  // share of a partner's deals with an existing customer
	poacherShare    = 0.03 // share of partners that register other partners' customers
	poachRate       = 0.01 // share of qualified registrations a poacher registers again, 1-60 days later
	coPartnerOne    = 0.15 // share of partnered deals with one more partner
	coPartnerTwo    = 0.05 // ... with two more partners
	investShare     = 0.20 // share of eligible partners given an investment step-up
	comparisonShare = 0.20 // share of eligible partners in the comparison group
	responsiveShare = 0.60 // share of invested partners whose pipeline responds
	// extra spend per quarter = investSize * expected deals per quarter *
	// investDealUSD * LogNormal(0, 0.25), within [investMin, investMax]: the
	// step-up is sized to the partner's business
	investSize    = 0.06
	investDealUSD = 150000.0
	investMin     = 2000.0
	investMax     = 500000.0
)

var (
	csatCuts  = [4]float64{-3.0, -1.8, -0.6, 1.0}
	cycleBase = [3]float64{schema.SegEnterprise: 100, schema.SegMidMarket: 55, schema.SegSMB: 25}
	// deal amount: LogNormal(ln(amountMedian), amountSigma) by segment,
	// * (1 + 0.15*(product_count-1)) * scopeAmount[scope]
	amountMedian = [3]float64{schema.SegEnterprise: 220000, schema.SegMidMarket: 55000, schema.SegSMB: 12000}
	amountSigma  = [3]float64{schema.SegEnterprise: 0.8, schema.SegMidMarket: 0.7, schema.SegSMB: 0.7}
	scopeAmount  = [3]float64{schema.ScopeAdvisory: 0.8, schema.ScopeImplementation: 1.0, schema.ScopeTransformation: 1.4}
	tierCuts     = [3]float64{-0.22, 0.46, 1.13} // registered | silver | gold | platinum
	segOrder     = [3]float64{schema.SegSMB: 0, schema.SegMidMarket: 1, schema.SegEnterprise: 2}
	matOrder     = [3]float64{schema.MaturityMature: 0, schema.MaturityDeveloping: 1, schema.MaturityNew: 2}
	scopeOrder   = [3]float64{schema.ScopeAdvisory: 0, schema.ScopeImplementation: 1, schema.ScopeTransformation: 2}
)

// ROI groups in the truth file.
const (
	groupInvested   = "invested"
	groupComparison = "comparison"
)

// partner is everything the generator knows about one partner: its observed
// attributes and its hidden truth.
type partner struct {
	idx  int
	id   string
	name string

	ptype                 schema.PartnerKind
	tier                  schema.Tier
	capability            schema.PartnerCapability
	region                int
	vertical              int
	joined, activeStart   int32
	totalStaff, certStaff int
	caseStudies           int // -1 = null

	q          float64 // latent quality, N(0,1)
	zAct       float64 // latent activity
	weight     float64 // activity weight exp(activitySigma*zAct)
	propensity float64 // complexity propensity
	winEff     float64
	csatEff    float64
	churnMult  float64
	ttvMult    float64
	regDisc    float64
	qualLogit  float64
	aeLogit    float64
	attachLog  float64
	badChurn   bool
	market     bool // marketplace adopter
	lambda     float64

	group       string // "invested", "comparison" or ""
	investQ     int    // quarter index in the window the step-up starts
	investStart int32
	extraSpend  float64 // USD per quarter
	spendNoise  float64
	trueROI     float64
	responsive  bool

	extraDeals    int
	extraPipeline int64 // cents

	poacher bool // registers customers other partners registered first
	poached int  // its registrations inside another partner's protection

	wonByMonth map[int32]int64 // won cents of its own deals by close month (first day), for commission
}

// window is the generated period: Quarters quarters ending at the as-of date.
type window struct {
	start, asOf int32
	quarters    []int32 // first day of each quarter, plus the day after as-of
}

func (w window) days() int32 { return w.asOf - w.start + 1 }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func pick(r *rand.Rand, weights []float64) int {
	u := r.Float64()
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 40 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, r.Float64()
	for p > l {
		k++
		p *= r.Float64()
	}
	return k
}

// newPartner draws partner i's attributes and truth from its own stream;
// with equal, every partner's outcomes follow the same truth (equalise).
func newPartner(seed uint64, i int, w window, equal bool) *partner {
	r := stream(seed, streamPartner, uint64(i))
	p := &partner{idx: i, id: partnerID(i)}
	p.q = r.NormFloat64()
	p.zAct = 0.25*p.q + math.Sqrt(1-0.25*0.25)*r.NormFloat64()
	p.weight = math.Exp(activitySigma * p.zAct)

	// tenure: a tenth joined in the last two quarters, the rest over ~6 years
	var tenure float64
	if r.Float64() < 0.1 {
		tenure = 182 * r.Float64()
	} else {
		tenure = 6 * 365.25 * math.Pow(r.Float64(), 0.9)
	}
	p.joined = w.asOf - int32(tenure)
	ramp := int32(20 + 100*r.Float64())
	p.activeStart = max(w.start, p.joined+ramp)

	p.ptype = schema.PartnerKind(pick(r, typeWeights))
	p.capability = schema.PartnerCapability(pick(r, capWeights[p.ptype]))
	p.region = pick(r, regionWeights)
	p.vertical = r.IntN(len(verticals))
	p.name = partnerName(r, p.region)

	p.propensity = 0.6*p.q + 0.8*r.NormFloat64()
	p.winEff = 0.8*p.q + 0.2*r.NormFloat64()
	p.csatEff = 0.7*p.q + 0.2*r.NormFloat64()
	p.ttvMult = math.Exp(-0.25*p.q + 0.1*r.NormFloat64())
	p.badChurn = (p.q < -0.8 && r.Float64() < 0.25) || r.Float64() < 0.02
	p.churnMult = math.Exp(-0.35*p.q + 0.1*r.NormFloat64())
	if p.badChurn {
		p.churnMult = churnBadMult
	}
	p.regDisc = sigmoid(0.3 + 1.0*p.q + 0.4*r.NormFloat64())
	p.qualLogit = 0.2 + 0.7*p.q
	p.aeLogit = -1.2 + 0.5*p.q
	p.attachLog = -0.5 + 0.6*p.q
	p.market = r.Float64() < 0.3

	// tier reflects activity and tenure far more than quality
	zTen := (tenure/365.25 - 2.7) / 1.7
	ts := 0.55*p.zAct + 0.45*zTen + 0.05*p.q + 0.5*r.NormFloat64()
	for int(p.tier) < len(tierCuts) && ts >= tierCuts[p.tier] {
		p.tier++
	}
	p.totalStaff = int(math.Round(math.Exp(math.Log(18) + 0.6*p.zAct + 0.9*r.NormFloat64())))
	if r.Float64() < 0.01 {
		p.totalStaff = 0
	}
	share := sigmoid(-1.0 + 0.1*p.q + 0.35*float64(p.tier) + 0.8*r.NormFloat64())
	p.certStaff = int(math.Round(share * float64(p.totalStaff)))
	p.caseStudies = poisson(r, 0.3+1.2*float64(p.tier)+0.3*math.Max(0, math.Log(float64(p.totalStaff+1))-2))
	if r.Float64() < 0.15 {
		p.caseStudies = -1
	}

	p.plantReturn(r, w)
	if equal {
		p.equalise()
	}
	return p
}

// plantReturn draws the planted return on spend: a randomised step-up
// among partners active before the window, with a comparison group drawn
// the same way. The draws are made for every partner, so the stream stays
// aligned whichever group it falls in.
func (p *partner) plantReturn(r *rand.Rand, w window) {
	nq := len(w.quarters) - 1
	u := r.Float64()
	iq := 2 + r.IntN(max(1, nq-3))
	spendNoise := math.Exp(0.25 * r.NormFloat64())
	resp := r.Float64() < responsiveShare
	roi := 2 + 6*r.Float64()
	if p.joined+90 <= w.start && nq >= 4 {
		switch {
		case u < investShare:
			p.group = groupInvested
			p.investQ = iq
			p.investStart = w.quarters[iq]
			p.spendNoise = spendNoise // sized in sizeInvestment, once lambda is known
			p.responsive = resp
			if resp {
				p.trueROI = math.Round(roi*100) / 100
			}
		case u < investShare+comparisonShare:
			p.group = groupComparison
		}
	}
}

// equalise gives the partner the truth of an average partner (q = 0, no
// partner-level noise) for every outcome, keeping its attributes, volume,
// case mix and tier: the null ecosystem in which any flag is a false alarm.
// The draws are made as usual first, so the stream stays aligned.
func (p *partner) equalise() {
	p.q = 0
	p.winEff, p.csatEff, p.ttvMult = 0, 0, 1
	p.badChurn, p.churnMult = false, 1
	p.regDisc = sigmoid(0.3)
	p.qualLogit, p.aeLogit, p.attachLog = 0.2, -1.2, -0.5
}

// sizeInvestment sets an invested partner's extra spend per quarter from its
// expected deal volume.
func (p *partner) sizeInvestment(w window) {
	if p.group != groupInvested {
		return
	}
	perQuarter := p.lambda / float64(len(w.quarters)-1)
	spend := investSize * perQuarter * investDealUSD * p.spendNoise
	p.extraSpend = math.Round(math.Min(investMax, math.Max(investMin, spend)))
}

// dealSpec is a deal before its outcome: when it was created and what it is.
type dealSpec struct {
	created  int32
	seg      schema.CustomerSegment
	mat      schema.Maturity
	scope    schema.Scope
	products int
	k        float64
	cents    int64
	extra    bool
	seq      int
}

// drawComplexity fills the deal's complexity fields and amount. prop is the
// partner's complexity propensity (0 for direct deals).
func drawComplexity(r *rand.Rand, prop float64, d *dealSpec) {
	x := 0.8*prop + r.NormFloat64()
	y := func() float64 { return 0.75*x + 0.66*r.NormFloat64() }
	switch v := y(); {
	case v < -0.35:
		d.seg = schema.SegSMB
	case v < 0.75:
		d.seg = schema.SegMidMarket
	default:
		d.seg = schema.SegEnterprise
	}
	d.products = min(6, max(1, int(math.Floor(2.5+1.1*y()))))
	switch v := y(); {
	case v < -0.45:
		d.mat = schema.MaturityMature
	case v < 0.55:
		d.mat = schema.MaturityDeveloping
	default:
		d.mat = schema.MaturityNew
	}
	switch v := y(); {
	case v < -0.6:
		d.scope = schema.ScopeAdvisory
	case v < 0.8:
		d.scope = schema.ScopeImplementation
	default:
		d.scope = schema.ScopeTransformation
	}
	d.k = complexity(d.seg, d.products, d.mat, d.scope)
	amt := math.Exp(math.Log(amountMedian[d.seg]) + amountSigma[d.seg]*r.NormFloat64())
	amt *= (1 + 0.15*float64(d.products-1)) * scopeAmount[d.scope]
	d.cents = int64(math.Round(amt * 100))
}

// complexity is the standardised complexity score k of a deal.
func complexity(seg schema.CustomerSegment, products int, mat schema.Maturity, scope schema.Scope) float64 {
	return (segOrder[seg] + 0.4*float64(products-1) + matOrder[mat] + scopeOrder[scope] - complexityMean) / complexitySD
}

// csatScore cuts the latent satisfaction into 1..5.
func csatScore(latent float64) int {
	s := 1
	for _, c := range csatCuts {
		if latent >= c {
			s++
		}
	}
	return s
}

// logistic draws from the standard logistic distribution.
func logistic(r *rand.Rand) float64 {
	u := r.Float64()
	for u == 0 {
		u = r.Float64()
	}
	return math.Log(u / (1 - u))
}

func sortSpecs(specs []dealSpec) {
	slices.SortStableFunc(specs, func(a, b dealSpec) int { return int(a.created - b.created) })
}
