package quality

import (
	"errors"
	"math"
)

// The regression models are small dense generalised linear models fitted by
// iteratively reweighted least squares (IRLS), each step solving the normal
// equations (X'WX + ridge I) b = X'Wz by Cholesky. X is row-major, n x p.

const (
	irlsMaxIter = 30
	irlsTol     = 1e-9
	ridge       = 1e-8 // keeps a column absent from the sample (all zeros) at b = 0
)

var errSingular = errors.New("normal equations are not positive definite")

// model is a fitted linear predictor.
type model struct {
	beta []float64
}

func (m model) eta(x []float64) float64 {
	s := 0.0
	for j, b := range m.beta {
		s += b * x[j]
	}
	return s
}

// solveNormal solves (A + ridge*I) b = r for symmetric positive definite A
// (p x p, row-major) by Cholesky; A and r are overwritten.
func solveNormal(a, r []float64, p int) ([]float64, error) {
	for i := 0; i < p; i++ {
		a[i*p+i] += ridge
	}
	for j := 0; j < p; j++ {
		s := a[j*p+j]
		for k := 0; k < j; k++ {
			s -= a[j*p+k] * a[j*p+k]
		}
		if s <= 0 {
			return nil, errSingular
		}
		d := math.Sqrt(s)
		a[j*p+j] = d
		for i := j + 1; i < p; i++ {
			t := a[i*p+j]
			for k := 0; k < j; k++ {
				t -= a[i*p+k] * a[j*p+k]
			}
			a[i*p+j] = t / d
		}
	}
	y := make([]float64, p)
	for i := 0; i < p; i++ {
		t := r[i]
		for k := 0; k < i; k++ {
			t -= a[i*p+k] * y[k]
		}
		y[i] = t / a[i*p+i]
	}
	b := make([]float64, p)
	for i := p - 1; i >= 0; i-- {
		t := y[i]
		for k := i + 1; k < p; k++ {
			t -= a[k*p+i] * b[k]
		}
		b[i] = t / a[i*p+i]
	}
	return b, nil
}

// weightedLS solves min sum w_i (z_i - x_i b)^2.
func weightedLS(x []float64, p int, z, w []float64) ([]float64, error) {
	n := len(z)
	a := make([]float64, p*p)
	r := make([]float64, p)
	for i := 0; i < n; i++ {
		xi := x[i*p : i*p+p]
		wi := w[i]
		if wi == 0 {
			continue
		}
		for j := 0; j < p; j++ {
			v := wi * xi[j]
			if v == 0 {
				continue
			}
			r[j] += v * z[i]
			row := a[j*p:]
			for k := 0; k <= j; k++ {
				row[k] += v * xi[k]
			}
		}
	}
	for j := 0; j < p; j++ {
		for k := 0; k < j; k++ {
			a[k*p+j] = a[j*p+k]
		}
	}
	return solveNormal(a, r, p)
}

// fitLinear fits y = x b + offset by least squares, row i weighted w[i].
func fitLinear(x []float64, p int, y, offset, w []float64) (model, error) {
	z := make([]float64, len(y))
	for i := range y {
		z[i] = y[i] - offset[i]
	}
	b, err := weightedLS(x, p, z, w)
	return model{b}, err
}

// fitLogistic fits y ~ Binomial(m, sigmoid(x b + offset)) by IRLS
// (Newton-Raphson).
func fitLogistic(x []float64, p int, y, offset, m, start []float64) (model, error) {
	b := make([]float64, p)
	copy(b, start)
	return irls(x, p, b, func(i int, lin float64) (w, z float64) {
		mu := sigmoid(lin + offset[i])
		v := math.Max(m[i]*mu*(1-mu), 1e-10)
		return v, lin + (y[i]-m[i]*mu)/v
	})
}

// fitPoisson fits log E[y] = x b + log(exposure) + offset by IRLS, from
// start (nil = the crude rate).
func fitPoisson(x []float64, p int, y, exposure, offset, start []float64) (model, error) {
	b := make([]float64, p)
	if start != nil {
		copy(b, start)
	} else {
		var sy, se float64
		for i := range y {
			sy += y[i]
			se += exposure[i] * math.Exp(offset[i])
		}
		if sy > 0 && se > 0 {
			b[0] = math.Log(sy / se) // the crude rate
		}
	}
	return irls(x, p, b, func(i int, lin float64) (w, z float64) {
		mu := math.Max(exposure[i]*math.Exp(lin+offset[i]), 1e-12)
		return mu, lin + (y[i]-mu)/mu
	})
}

// irls iterates weighted least squares from b: row i's weight and working
// response come from work(i, x_i b) each round, until b moves less than
// irlsTol or irlsMaxIter rounds.
func irls(x []float64, p int, b []float64, work func(i int, lin float64) (w, z float64)) (model, error) {
	n := len(x) / p
	z := make([]float64, n)
	w := make([]float64, n)
	for iter := 0; iter < irlsMaxIter; iter++ {
		for i := 0; i < n; i++ {
			w[i], z[i] = work(i, model{b}.eta(x[i*p:i*p+p]))
		}
		nb, err := weightedLS(x, p, z, w)
		if err != nil {
			return model{b}, err
		}
		d := maxAbsDiff(nb, b)
		b = nb
		if d < irlsTol {
			break
		}
	}
	return model{b}, nil
}

func maxAbsDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}
