package quality

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestNormal(t *testing.T) {
	for _, c := range []struct{ p, x float64 }{{0.95, 1.6448536269514722}, {0.5, 0}, {0.025, -1.959963984540054}, {0.001, -3.090232306167813}} {
		if got := normQuantile(c.p); math.Abs(got-c.x) > 1e-9 {
			t.Errorf("normQuantile(%g) = %.12f, want %.12f", c.p, got, c.x)
		}
		if got := NormCDF(c.x); math.Abs(got-c.p) > 1e-12 {
			t.Errorf("normCDF(%g) = %g, want %g", c.x, got, c.p)
		}
	}
}

func TestGammaAndBetaQuantiles(t *testing.T) {
	// chi-square(2) = Gamma(1, 1/2): the 0.95 quantile is -2 ln 0.05
	if got, want := gammaQuantile(0.95, 1, 0.5), -2*math.Log(0.05); math.Abs(got-want) > 1e-9 {
		t.Errorf("gammaQuantile = %.12f, want %.12f", got, want)
	}
	// Gamma(3, 1): P(X <= x) = 1 - e^-x (1 + x + x^2/2)
	x := gammaQuantile(0.3, 3, 1)
	if got := 1 - math.Exp(-x)*(1+x+x*x/2); math.Abs(got-0.3) > 1e-10 {
		t.Errorf("Gamma(3) cdf at its 0.3 quantile = %g", got)
	}
	// the quantile inverts the cdf across shapes from sparse to plentiful
	for _, shape := range []float64{0.2, 0.5, 1, 3, 40, 900} {
		for _, p := range []float64{0.05, 0.5, 0.95} {
			if got := regIncGamma(shape, gammaQuantile(p, shape, 1)); math.Abs(got-p) > 1e-10 {
				t.Errorf("Gamma(%g) cdf at its %g quantile = %.12f", shape, p, got)
			}
		}
	}
	// Beta(2, 1): cdf x^2, so the 0.25 quantile is 0.5
	if got := betaQuantile(0.25, 2, 1); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("betaQuantile(0.25, 2, 1) = %g, want 0.5", got)
	}
}

func TestRateRatioCI(t *testing.T) {
	// 10 events where direct customers with the same case mix would show
	// 2.5, against 100 direct events over expected 100: RR = 4.
	rr, lo, hi := rateRatioCI(10, 2.5, 100, 100, 0.10)
	if math.Abs(rr-4) > 1e-12 {
		t.Fatalf("rate ratio %g, want 4", rr)
	}
	// exact conditional bounds: p = x/(x+y) Clopper-Pearson, RR = p/(1-p) * f/e
	pLo, pHi := betaQuantile(0.05, 10, 101), betaQuantile(0.95, 11, 100)
	if math.Abs(lo-pLo/(1-pLo)*40) > 1e-9 || math.Abs(hi-pHi/(1-pHi)*40) > 1e-9 {
		t.Fatalf("interval %g-%g", lo, hi)
	}
	if !(lo > 2 && lo < 4 && hi > 4 && hi < 8) {
		t.Fatalf("interval %g-%g implausible for 10 events on 2.5 expected", lo, hi)
	}
	// no events: lower bound 0
	if _, lo, _ := rateRatioCI(0, 2, 50, 50, 0.1); lo != 0 {
		t.Fatalf("lower bound with no events %g, want 0", lo)
	}
}

// TestCUSUMFalseAlarm checks the grid computation against a seeded
// simulation of the rule under the null.
func TestCUSUMFalseAlarm(t *testing.T) {
	k, h, n := 0.5, 3.0, 6
	got := cusumFalseAlarm(k, h, n)
	r := rand.New(rand.NewPCG(1, 2))
	const runs = 400000
	hits := 0
	for i := 0; i < runs; i++ {
		c := 0.0
		for j := 0; j < n; j++ {
			c = math.Max(0, c+r.NormFloat64()-k)
		}
		if c > h {
			hits++
		}
	}
	sim := float64(hits) / runs
	se := math.Sqrt(sim * (1 - sim) / runs)
	t.Logf("false-alarm rate k=%g h=%g over %d quarters: grid %.5f, simulation %.5f", k, h, n, got, sim)
	if math.Abs(got-sim) > 4*se+5e-4 {
		t.Fatalf("grid %.5f, simulation %.5f", got, sim)
	}
}

// The churn step of the delivery CUSUM is a normal score: mean about 0 and
// variance at most 1 under Poisson(e) for any e (mean within 0.1), and
// (o - e)/sqrt(e) for a large e.
func TestPoissonScore(t *testing.T) {
	for _, e := range []float64{0.05, 0.3, 1, 4, 30} {
		var mean, sq, mass float64
		lg := 0.0
		for o := 0; o < 200; o++ {
			if o > 0 {
				lg += math.Log(float64(o))
			}
			pm := math.Exp(float64(o)*math.Log(e) - e - lg)
			if pm == 0 {
				continue
			}
			z := poissonScore(float64(o), e)
			mean += pm * z
			sq += pm * z * z
			mass += pm
		}
		v := sq - mean*mean
		t.Logf("e %.2f: mean %.3f, variance %.3f", e, mean, v)
		if math.Abs(mean) > 0.1 || v > 1.0001 || mass < 0.999999 {
			t.Errorf("e %.2f: mean %.3f, variance %.3f, want about 0 and at most 1", e, mean, v)
		}
	}
	if z, want := poissonScore(440, 400), 40/math.Sqrt(400); math.Abs(z-want) > 0.1 {
		t.Errorf("poissonScore(440, 400) = %.3f, want about %.3f", z, want)
	}
}

// TestCUSUMLimit checks the limit derived from a target in-control average
// run length against a seeded simulation of the rule under the null: the
// mean run length at that limit is within 5% of the target.
func TestCUSUMLimit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ k, arl float64 }{{0.5, 100}, {0.5, 370}, {1, 50}} {
		h := cusumLimit(c.k, c.arl)
		const runs = 20000
		var total float64
		for i := 0; i < runs; i++ {
			cs, n := 0.0, 0
			for cs <= h {
				cs = math.Max(0, cs+r.NormFloat64()-c.k)
				n++
			}
			total += float64(n)
		}
		mean := total / runs
		t.Logf("k %g, target ARL %g: h %.3f, simulated ARL %.1f", c.k, c.arl, h, mean)
		if math.Abs(mean/c.arl-1) > 0.05 {
			t.Errorf("k %g: limit %.3f gives a run length of %.1f, want %g within 5%%", c.k, h, mean, c.arl)
		}
	}
}

// The churn step against the partner's own baseline is a normal score of
// the quarter's share of churns: mean about 0 and variance at most 1 when
// the share is as expected, and clearly positive when the quarter's churns
// are twice its share.
func TestBinomScore(t *testing.T) {
	for _, c := range []struct{ n, q float64 }{{1, 0.2}, {4, 0.25}, {12, 0.2}, {60, 0.3}} {
		var mean, sq float64
		for o := 0.0; o <= c.n; o++ {
			pm := binomPMF(o, c.n, c.q)
			z := binomScore(o, c.n, c.q)
			mean += pm * z
			sq += pm * z * z
		}
		v := sq - mean*mean
		t.Logf("n %.0f, q %.2f: mean %.3f, variance %.3f", c.n, c.q, mean, v)
		if math.Abs(mean) > 0.1 || v > 1.0001 {
			t.Errorf("n %.0f, q %.2f: mean %.3f, variance %.3f, want about 0 and at most 1", c.n, c.q, mean, v)
		}
	}
	if z := binomScore(24, 60, 0.2); z < 3 {
		t.Errorf("24 of 60 churns where 20%% are expected scores %.2f, want above 3", z)
	}
	if z := binomScore(0, 0, 0.3); z != 0 {
		t.Errorf("no churns at all scores %.2f, want 0", z)
	}
}

// The step's one-pass table of count scores gives what binomScore and
// poissonScore give count by count, far tails included.
func TestCountNullMatchesScores(t *testing.T) {
	var c countNull
	for _, b := range []struct{ n, q float64 }{{1, 0.2}, {12, 0.2}, {60, 0.3}, {300, 0.02}} {
		c.fill(func(o float64) float64 { return binomPMF(o, b.n, b.q) }, int(b.n), 0)
		for o := 0.0; o <= b.n; o++ {
			if want := binomScore(o, b.n, b.q); math.Abs(c.z(int(o))-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("binomial n %g q %g, %g: %.9g, binomScore %.9g", b.n, b.q, o, c.z(int(o)), want)
			}
		}
	}
	for _, e := range []float64{0.05, 0.3, 4, 40} {
		top := int(math.Ceil(e + 12*math.Sqrt(e) + 12))
		c.fill(func(o float64) float64 { return poissonPMF(o, e) }, top, regIncGamma(float64(top)+1, e))
		for o := 0; o <= top; o++ {
			// below z = -7 poissonScore's lower tail, 1 - P(X >= o), has
			// cancelled to a few digits; the table sums it directly
			if want := poissonScore(float64(o), e); want > -7 && math.Abs(c.z(o)-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("Poisson e %g, %d: %.9g, poissonScore %.9g", e, o, c.z(o), want)
			}
		}
	}
	// one churn where 40 are expected: P(X < 1) + P(X = 1)/2 = e^-40 (1 + 20)
	if got, want := c.z(1), normQuantile(math.Exp(-40)*21); math.Abs(got-want) > 1e-6 {
		t.Errorf("Poisson e 40, 1: %.9g, want %.9g", got, want)
	}
}
