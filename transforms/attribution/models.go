package attribution

import (
	"math"

	"github.com/partnerq/pqi/transforms/schema"
)

// leadOrder is the role priority of sourced_only when no partner sourced
// the deal: whoever brought it furthest leads.
var leadOrder = [schema.NumDealRoles]schema.DealRole{schema.RoleSourced, schema.RoleCoSell, schema.RoleInfluenced, schema.RoleDelivery}

// shares fills out[m][i] with partner i's share of one deal under every
// model. masks[i] is partner i's role mask; ru the role weights and the
// primary share. Each model's shares are non-negative and sum to 1 (up to
// float rounding).
func shares(masks []uint8, ru *rule, out *[NumModels][]float64, pw []float64, order []int) {
	w := &ru.weights
	n := len(masks)
	if n == 1 {
		for m := range NumModels {
			out[m][0] = 1
		}
		return
	}
	eq := 1 / float64(n)

	leadShares(masks, ru, out, eq)

	// a partner's weight is that of its strongest role on the deal
	var total, top float64
	for i, mk := range masks {
		out[EqualSplit][i] = eq
		v := 0.0
		for r := range schema.NumDealRoles {
			if mk&(1<<r) != 0 && w[r] > v {
				v = w[r]
			}
		}
		pw[i] = v
		total += v
		top = math.Max(top, v)
	}
	if total == 0 {
		for i := range n {
			out[RoleWeighted][i], out[Shapley][i] = eq, eq
		}
		return
	}
	for i := range n {
		out[RoleWeighted][i] = pw[i] / total
	}

	shapleyShares(pw, order, out, top)
}

// leadShares fills the sourced_only and primary_60_40 shares of one
// deal of n > 1 partners (eq = 1/n).
func leadShares(masks []uint8, ru *rule, out *[NumModels][]float64, eq float64) {
	n := len(masks)
	// sourced_only: the partners with the leading role present share
	// equally. primary_60_40: they share the primary part, the partners
	// without it split the rest (when every partner leads, 1/n each).
	for _, r := range leadOrder {
		k := 0
		for _, mk := range masks {
			if mk&(1<<r) != 0 {
				k++
			}
		}
		if k == 0 {
			continue
		}
		lead, rest := ru.primary/float64(k), 0.0
		if k == n {
			lead = eq
		} else {
			rest = (1 - ru.primary) / float64(n-k)
		}
		for i, mk := range masks {
			out[SourcedOnly][i], out[Primary6040][i] = 0, rest
			if mk&(1<<r) != 0 {
				out[SourcedOnly][i], out[Primary6040][i] = 1/float64(k), lead
			}
		}
		break
	}
}

// shapleyShares fills the Shapley shares of one deal from the partners'
// weights pw (top the largest; order is scratch space of len(pw)).
func shapleyShares(pw []float64, order []int, out *[NumModels][]float64, top float64) {
	n := len(pw)
	// Shapley value of v(S) = max weight in S / max weight overall: each
	// step up in capability is shared equally by the partners reaching it
	// (the airport game). Sorted ascending, the j-th smallest partner gets
	// sum over k <= j of (w_k - w_{k-1}) / (n - k).
	for i := range n {
		order[i] = i
	}
	for i := 1; i < n; i++ { // insertion sort: n is tiny
		for j := i; j > 0 && pw[order[j]] < pw[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	acc, prev := 0.0, 0.0
	for k, i := range order {
		acc += (pw[i] - prev) / float64(n-k)
		prev = pw[i]
		out[Shapley][i] = acc / top
	}
}

// apportion splits amount cents in proportion to shares, each part rounded
// down, then hands the remaining cents one each to the largest remainders
// (ties to the earlier position, i.e. the lower partner_id). The parts sum
// exactly to amount.
func apportion(amount int64, shares []float64, out []int64, rem []float64) {
	n := len(shares)
	if n == 1 {
		out[0] = amount
		return
	}
	var sum int64
	a := float64(amount)
	for i, s := range shares {
		raw := a * s
		b := math.Floor(raw)
		out[i] = int64(b)
		rem[i] = raw - b
		sum += out[i]
	}
	left := amount - sum
	for left > 0 {
		best := -1
		for i := range n {
			if rem[i] >= 0 && shares[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		if best < 0 { // more cents than parts: float drift on huge amounts
			for i := range n {
				rem[i] = shares[i]
			}
			continue
		}
		out[best]++
		rem[best] = -1
		left--
	}
	for left < 0 { // float overshoot: take back from the smallest remainders
		best := -1
		for i := range n {
			if out[i] > 0 && (best < 0 || rem[i] < rem[best]) {
				best = i
			}
		}
		out[best]--
		rem[best] = 2
		left++
	}
}
