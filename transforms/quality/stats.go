package quality

import "math"

// NormCDF is the standard normal distribution function Phi.
func NormCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// normQuantile is the inverse of normCDF (Acklam's rational approximation,
// refined by one Halley step; error below 1e-12 on (0, 1)).
func normQuantile(p float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	a := [6]float64{-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00}
	b := [5]float64{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01}
	c := [6]float64{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00}
	d := [4]float64{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00}
	const lo = 0.02425
	var x float64
	switch {
	case p < lo:
		q := math.Sqrt(-2 * math.Log(p))
		x = (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	case p <= 1-lo:
		q := p - 0.5
		r := q * q
		x = (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r + a[5]) * q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r + 1)
	default:
		q := math.Sqrt(-2 * math.Log(1-p))
		x = -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	}
	e := NormCDF(x) - p
	u := e * math.Sqrt(2*math.Pi) * math.Exp(x*x/2)
	return x - u/(1+x*u/2)
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// regIncBeta is the regularised incomplete beta function I_x(a, b)
// (continued fraction, Numerical Recipes 6.4).
func regIncBeta(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	bt := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log(1-x))
	if x < (a+1)/(a+b+2) {
		return bt * betacf(a, b, x) / a
	}
	return 1 - bt*betacf(b, a, 1-x)/b
}

func betacf(a, b, x float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	// step is one modified-Lentz step with coefficient aa: it updates c and
	// d and returns the factor c*d.
	step := func(aa float64) float64 {
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		return d * c
	}
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		m2 := 2 * fm
		h *= step(fm * (b - fm) * x / ((qam + m2) * (a + m2)))
		del := step(-(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2)))
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return h
}

// betaQuantile inverts regIncBeta in x by bisection (to 1e-13).
func betaQuantile(p, a, b float64) float64 {
	lo, hi := 0.0, 1.0
	for i := 0; i < 60; i++ {
		mid := (lo + hi) / 2
		if regIncBeta(a, b, mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// regIncGamma is the regularised lower incomplete gamma function P(a, x).
func regIncGamma(a, x float64) float64 {
	if x <= 0 {
		return 0
	}
	lg, _ := math.Lgamma(a)
	if x < a+1 {
		sum, term := 1/a, 1/a
		for n := 1; n < 1000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-16 {
				break
			}
		}
		return sum * math.Exp(-x+a*math.Log(x)-lg)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 1000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return 1 - math.Exp(-x+a*math.Log(x)-lg)*h
}

// gammaQuantile is the p-quantile of Gamma(shape, rate): it inverts
// regIncGamma by Newton's method safeguarded by bisection.
func gammaQuantile(p, shape, rate float64) float64 {
	lo, hi := 0.0, math.Max(1, shape)
	for regIncGamma(shape, hi) < p {
		lo, hi = hi, hi*2
	}
	// Newton's method on P(shape, x) = p, whose derivative is the gamma
	// density, kept inside the bracket [lo, hi] (bisecting when a step
	// leaves it); a handful of steps instead of eighty bisections
	lg, _ := math.Lgamma(shape)
	x := (lo + hi) / 2
	for i := 0; i < 200; i++ {
		f := regIncGamma(shape, x) - p
		if f < 0 {
			lo = x
		} else {
			hi = x
		}
		next := (lo + hi) / 2
		if dens := math.Exp((shape-1)*math.Log(x) - x - lg); dens > 0 {
			if nx := x - f/dens; nx > lo && nx < hi {
				next = nx
			}
		}
		if math.Abs(next-x) <= 1e-14*x || hi-lo <= 1e-15*hi {
			x = next
			break
		}
		x = next
	}
	return x / rate
}

// rateRatioCI is the exact conditional (Clopper-Pearson) interval of a rate
// ratio: given x events over expected e in the group and y events over
// expected f in the baseline, x | x+y ~ Binomial(x+y, RR e / (RR e + f)).
// It returns the point estimate (x/e)/(y/f) and the two-sided interval of
// level 1-alpha. Without baseline events or group expectation it returns NaNs.
func rateRatioCI(x, e, y, f, alpha float64) (rr, lo, hi float64) {
	if e <= 0 || f <= 0 || y <= 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	rr = (x / e) / (y / f)
	n := x + y
	toRR := func(p float64) float64 { return p / (1 - p) * f / e }
	if x > 0 {
		lo = toRR(betaQuantile(alpha/2, x, n-x+1))
	}
	if x < n {
		hi = toRR(betaQuantile(1-alpha/2, x+1, n-x))
	} else {
		hi = math.Inf(1)
	}
	return rr, lo, hi
}

// binomPMF is P(X = o) for X ~ Binomial(n, q).
func binomPMF(o, n, q float64) float64 {
	a, _ := math.Lgamma(n + 1)
	b, _ := math.Lgamma(o + 1)
	c, _ := math.Lgamma(n - o + 1)
	return math.Exp(a - b - c + o*math.Log(q) + (n-o)*math.Log1p(-q))
}

// poissonPMF is P(X = o) for X ~ Poisson(e).
func poissonPMF(o, e float64) float64 {
	lg, _ := math.Lgamma(o + 1)
	return math.Exp(o*math.Log(e) - e - lg)
}
