package quality

import (
	"math"
)

// covariate is one case-mix covariate: the design columns it owns and the
// level of a deal on it (a category, or for the amount: zero or unknown).
type covariate struct {
	name   string
	feats  []int
	levels int
	level  func(in *inputs, d int32) int
}

var covariates = []covariate{
	{"amount_usd", []int{fLogAmount, fAmountUnknown}, 2, func(in *inputs, d int32) int {
		if la := in.dLogAmt[d]; math.IsNaN(la) || la <= 0 {
			return 1 // zero or unknown
		}
		return 0
	}},
	{"segment", []int{fMidMarket, fEnterprise}, nSegCodes, func(in *inputs, d int32) int {
		seg, _, _, _ := mixParts(in.mixCode(d))
		return seg
	}},
	{"product_count", []int{fProducts}, nProdCodes, func(in *inputs, d int32) int {
		_, prod, _, _ := mixParts(in.mixCode(d))
		return prod
	}},
	{"customer_maturity", []int{fDeveloping, fNew}, nMatCodes, func(in *inputs, d int32) int {
		_, _, mat, _ := mixParts(in.mixCode(d))
		return mat
	}},
	{"delivery_scope", []int{fImplementation, fTransformation}, nScopeCodes, func(in *inputs, d int32) int {
		_, _, _, scope := mixParts(in.mixCode(d))
		return scope
	}},
	{"case mix unknown", []int{fCaseMixUnknown}, 2, func(in *inputs, d int32) int {
		return int(b2f(mixFeaturesUnknown(in.mixCode(d))))
	}},
}

// mixFeaturesUnknown reports whether case-mix code c has an unknown part.
func mixFeaturesUnknown(c int) bool {
	var x [nFeat]float64
	mixFeatures(c, x[:])
	return x[fCaseMixUnknown] == 1
}

// leaking lists the covariates that (nearly) decide a yes/no outcome by
// themselves over the sample rows: a level of the covariate whose share
// among the rows with outcome 1 and among those with outcome 0 differ by
// at least share, with leakMinRows rows of each outcome (docs/methodology.md,
// "Leakage guard"). The typical case
// is a CRM that zeroes the amount of every lost opportunity: adjusting win
// rate for the amount would then explain every partner's wins away. Only
// single-trial binary components are checked, on rows with a deal.
func (in *inputs) leaking(o *obs, sample []int32, share float64) []covariate {
	if o.fam != famBinary || o.noMix || o.m != nil || share >= 1 {
		return nil
	}
	var out []covariate
	for _, cv := range covariates {
		count := [2][]float64{make([]float64, cv.levels), make([]float64, cv.levels)}
		var n [2]float64
		for _, i := range sample {
			d := o.deal[i]
			if d < 0 {
				continue
			}
			y := 0
			if o.yAt(int(i)) > 0.5 {
				y = 1
			}
			count[y][cv.level(in, d)]++
			n[y]++
		}
		if n[0] < leakMinRows || n[1] < leakMinRows { // a few rows separate by chance
			continue
		}
		for l := range cv.levels {
			if math.Abs(count[1][l]/n[1]-count[0][l]/n[0]) >= share {
				out = append(out, cv)
				break
			}
		}
	}
	return out
}

// leakMinRows is the fewest rows of each outcome the leakage guard needs:
// on fewer, a covariate level separates the outcomes by chance.
const leakMinRows = 20

// dropCovariates removes the leaking covariates from the design rows xs
// (nFeat per row): with their columns zero the fit leaves their
// coefficients at 0, so they adjust nothing.
func dropCovariates(xs []float64, leak []covariate) []string {
	var names []string
	for _, cv := range leak {
		for j := 0; j < len(xs); j += nFeat {
			for _, f := range cv.feats {
				xs[j+f] = 0
			}
		}
		names = append(names, cv.name)
	}
	return names
}
