package attribution

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

func partner(id string) arrowtest.Row {
	return arrowtest.Row{schema.PartnerID: id, schema.PartnerName: id, schema.JoinedDate: "2024-01-15"}
}

func deal(id, amount string) arrowtest.Row {
	r := arrowtest.Row{schema.DealID: id, schema.CustomerID: "C" + id, schema.CreatedDate: "2026-01-10", schema.Status: "open"}
	if amount != "" {
		r[schema.AmountUSD] = amount
	}
	return r
}

func dp(d, p, role string) arrowtest.Row {
	return arrowtest.Row{schema.DealID: d, schema.PartnerID: p, schema.Role: role}
}

// handInputs: D1 (100.00) and D5 (120.00) have PA sourced, PB influenced and
// PC co_sell + delivery; D2 (10.00) PA co_sell and PB delivery; D3 is
// direct; D4 has only PA and no amount.
func handInputs(t *testing.T) (Inputs, func()) {
	alloc := arrowtest.Alloc(t)
	p := arrowtest.Record(t, alloc, schema.Partners, partner("PC"), partner("PA"), partner("PB"))
	d := arrowtest.Record(t, alloc, schema.Deals, deal("D1", "100.00"), deal("D2", "10.00"), deal("D3", "50.00"), deal("D4", ""), deal("D5", "120.00"))
	x := arrowtest.Record(t, alloc, schema.DealPartners,
		dp("D1", "PC", "co_sell"), dp("D1", "PA", "sourced"), dp("D1", "PB", "influenced"), dp("D1", "PC", "delivery"),
		dp("D2", "PB", "delivery"), dp("D2", "PA", "co_sell"), dp("D4", "PA", "influenced"),
		dp("D5", "PA", "sourced"), dp("D5", "PB", "influenced"), dp("D5", "PC", "co_sell"))
	return Inputs{Partners: []arrow.Record{p}, Deals: []arrow.Record{d}, DealPartners: []arrow.Record{x}},
		func() { p.Release(); d.Release(); x.Release() }
}

type creditRow struct {
	deal, partner, roles string
	share                [NumModels]float64
	cents                [NumModels]int64 // -1 = null
}

func readCredits(t *testing.T, rec arrow.Record) []creditRow {
	col := func(n string) arrow.Array { return rec.Column(rec.Schema().FieldIndices(n)[0]) }
	shareCols := [NumModels]string{schema.SourcedOnlyShare, schema.EqualSplitShare, schema.RoleWeightedShare, schema.ShapleyShare, schema.Primary6040Share}
	usdCols := [NumModels]string{schema.SourcedOnlyUSD, schema.EqualSplitUSD, schema.RoleWeightedUSD, schema.ShapleyUSD, schema.Primary6040USD}
	var out []creditRow
	for i := 0; i < int(rec.NumRows()); i++ {
		r := creditRow{deal: col(schema.DealID).(*array.String).Value(i), partner: col(schema.PartnerID).(*array.String).Value(i),
			roles: col(schema.Roles).(*array.String).Value(i)}
		for m := range NumModels {
			r.share[m] = col(shareCols[m]).(*array.Float64).Value(i)
			u := col(usdCols[m]).(*array.Decimal128)
			r.cents[m] = -1
			if u.IsValid(i) {
				r.cents[m] = int64(u.Value(i).LowBits())
			}
		}
		out = append(out, r)
	}
	return out
}

func TestHandComputedModels(t *testing.T) {
	in, release := handInputs(t)
	defer release()
	alloc := arrowtest.Alloc(t)
	res, err := compute(context.Background(), alloc, in, Default(), 20726, "r1")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	got := readCredits(t, res.Record)
	// weights sourced 4, co_sell 2, influenced 1, delivery 1; PC's weight on
	// D1 is its strongest role, co_sell (2).
	//   role_weighted D5: 12000 * 4/7, 1/7, 2/7 = 6857.14, 1714.29, 3428.57;
	//     floors sum to 11999, the cent goes to the largest remainder (PC).
	//   shapley D5 (airport game, sorted PB 1 < PC 2 < PA 4):
	//     PB 1/3; PC 1/3 + 1/2; PA 1/3 + 1/2 + 2; over 4: 1/12, 5/24, 17/24.
	//   equal D1: 3333.33 each, the spare cent to the first partner (PA).
	//   sourced_only D2: nobody sourced, the co_sell partner leads.
	//   shapley D2: PB 1/2, PA 1/2 + 1; over 2: 1/4, 3/4.
	//   primary_60_40 D1: PA sourced leads, 0.6; PB and PC split 0.4.
	//   primary_60_40 D2: nobody sourced, the co_sell partner PA leads.
	want := []creditRow{
		{"D1", "PA", "sourced", [5]float64{1, 1. / 3, 4. / 7, 17. / 24, .6}, [5]int64{10000, 3334, 5714, 7083, 6000}},
		{"D1", "PB", "influenced", [5]float64{0, 1. / 3, 1. / 7, 1. / 12, .2}, [5]int64{0, 3333, 1429, 833, 2000}},
		{"D1", "PC", "co_sell,delivery", [5]float64{0, 1. / 3, 2. / 7, 5. / 24, .2}, [5]int64{0, 3333, 2857, 2084, 2000}},
		{"D2", "PA", "co_sell", [5]float64{1, .5, 2. / 3, .75, .6}, [5]int64{1000, 500, 667, 750, 600}},
		{"D2", "PB", "delivery", [5]float64{0, .5, 1. / 3, .25, .4}, [5]int64{0, 500, 333, 250, 400}},
		{"D4", "PA", "influenced", [5]float64{1, 1, 1, 1, 1}, [5]int64{-1, -1, -1, -1, -1}},
		{"D5", "PA", "sourced", [5]float64{1, 1. / 3, 4. / 7, 17. / 24, .6}, [5]int64{12000, 4000, 6857, 8500, 7200}},
		{"D5", "PB", "influenced", [5]float64{0, 1. / 3, 1. / 7, 1. / 12, .2}, [5]int64{0, 4000, 1714, 1000, 2400}},
		{"D5", "PC", "co_sell", [5]float64{0, 1. / 3, 2. / 7, 5. / 24, .2}, [5]int64{0, 4000, 3429, 2500, 2400}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d (direct deal D3 must have none): %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.deal != w.deal || g.partner != w.partner || g.roles != w.roles {
			t.Errorf("row %d is %s/%s/%s, want %s/%s/%s", i, g.deal, g.partner, g.roles, w.deal, w.partner, w.roles)
		}
		for m := range NumModels {
			if math.Abs(g.share[m]-w.share[m]) > 1e-12 {
				t.Errorf("%s %s %s share %.6f, want %.6f", w.deal, w.partner, Model(m), g.share[m], w.share[m])
			}
			// D1 shapley: three equal remainders (.33); which partner gets
			// the cent depends on the last bit of float rounding, so only
			// the sum is pinned there
			if w.deal == "D1" && Model(m) == Shapley {
				continue
			}
			if g.cents[m] != w.cents[m] {
				t.Errorf("%s %s %s credit %d cents, want %d", w.deal, w.partner, Model(m), g.cents[m], w.cents[m])
			}
		}
	}
	var d1 int64
	for _, g := range got[:3] {
		d1 += g.cents[Shapley]
	}
	if d1 != 10000 {
		t.Errorf("D1 shapley credits sum to %d cents, want 10000", d1)
	}
	// the ledger's credits give the table's cents, row for row (null
	// amounts are 0 cents there), under sourced_only and the ledger's model
	led := res.Ledger
	n := 0
	for i, c := range led.EachCredit() {
		n++
		ws, wa := max(want[i].cents[SourcedOnly], 0), max(want[i].cents[led.Model], 0)
		if c.Sourced != ws || c.Attributed != wa {
			t.Errorf("ledger credit %d: sourced %d attributed (%s) %d, want %d and %d", i, c.Sourced, led.Model, c.Attributed, ws, wa)
		}
	}
	if n != 9 || led.Credits.Len() != 9 {
		t.Errorf("ledger has %d credits (%d yielded), want 9", led.Credits.Len(), n)
	}
}

// bruteShapley computes the Shapley value of v(S) = max weight in S over
// every ordering of the players.
func bruteShapley(w []float64) []float64 {
	n := len(w)
	phi := make([]float64, n)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	count := 0
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			count++
			cur := 0.0
			for _, i := range perm {
				if w[i] > cur {
					phi[i] += w[i] - cur
					cur = w[i]
				}
			}
			return
		}
		for i := k; i < n; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			rec(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	rec(0)
	top := 0.0
	for _, v := range w {
		top = math.Max(top, v)
	}
	for i := range phi {
		phi[i] /= float64(count) * top
	}
	return phi
}

func TestShapleyMatchesPermutations(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ru := rule{weights: [schema.NumDealRoles]float64{4, 1, 2, 1}, primary: 0.6}
	for trial := 0; trial < 200; trial++ {
		n := 1 + r.IntN(6)
		masks := make([]uint8, n)
		pw := make([]float64, n)
		for i := range masks {
			masks[i] = uint8(1 + r.IntN(15))
		}
		var out [NumModels][]float64
		for m := range out {
			out[m] = make([]float64, n)
		}
		shares(masks, &ru, &out, pw, make([]int, n))
		want := bruteShapley(pw)
		for i := range n {
			if math.Abs(out[Shapley][i]-want[i]) > 1e-12 {
				t.Fatalf("masks %v: shapley %v, permutations give %v", masks, out[Shapley], want)
			}
		}
		for m := range NumModels {
			s := 0.0
			for _, v := range out[m] {
				s += v
			}
			if math.Abs(s-1) > 1e-12 {
				t.Fatalf("masks %v: %s shares sum to %v", masks, Model(m), s)
			}
		}
	}
}

// TestPrimarySplit pins primary_60_40 where the rule is easy to get wrong:
// two partners sharing the leading role, every partner leading, and a
// configured split other than 60/40; and that a split outside (0, 1] is
// refused.
func TestPrimarySplit(t *testing.T) {
	sourced, co, infl := uint8(1)<<schema.RoleSourced, uint8(1)<<schema.RoleCoSell, uint8(1)<<schema.RoleInfluenced
	cases := []struct {
		primary float64
		masks   []uint8
		want    []float64
	}{
		{0.6, []uint8{sourced, infl}, []float64{.6, .4}},
		{0.6, []uint8{sourced, sourced, infl}, []float64{.3, .3, .4}},
		{0.6, []uint8{sourced | co, sourced}, []float64{.5, .5}},
		{0.6, []uint8{infl, co, infl, infl}, []float64{.4 / 3, .6, .4 / 3, .4 / 3}},
		{0.7, []uint8{co, infl}, []float64{.7, .3}},
		{0.6, []uint8{infl}, []float64{1}},
	}
	for _, c := range cases {
		ru := rule{weights: [schema.NumDealRoles]float64{4, 1, 2, 1}, primary: c.primary}
		n := len(c.masks)
		var out [NumModels][]float64
		for m := range out {
			out[m] = make([]float64, n)
		}
		shares(c.masks, &ru, &out, make([]float64, n), make([]int, n))
		for i := range n {
			if math.Abs(out[Primary6040][i]-c.want[i]) > 1e-12 {
				t.Errorf("primary %.1f, masks %v: shares %v, want %v", c.primary, c.masks, out[Primary6040], c.want)
				break
			}
		}
	}
	for _, bad := range []float64{0, -0.2, 1.5, math.NaN()} {
		cfg := Default()
		cfg.PrimaryShare = bad
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "primary_share") {
			t.Errorf("primary_share %g: got %v, want an error naming primary_share", bad, err)
		}
	}
}

func TestApportionSumsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 10000; trial++ {
		n := 1 + r.IntN(7)
		s := make([]float64, n)
		tot := 0.0
		for i := range s {
			s[i] = r.Float64()
			tot += s[i]
		}
		for i := range s {
			s[i] /= tot
		}
		amount := r.Int64N(1 << 40)
		out, rem := make([]int64, n), make([]float64, n)
		apportion(amount, s, out, rem)
		var sum int64
		for i, c := range out {
			sum += c
			if exact := float64(amount) * s[i]; math.Abs(float64(c)-exact) > 1.0001 {
				t.Fatalf("part %d is %d cents, exact %f", i, c, exact)
			}
		}
		if sum != amount {
			t.Fatalf("parts sum to %d, want %d", sum, amount)
		}
	}
}

// result is a whole attribution: the table as one record and the ledger.
type result struct {
	Record arrow.Record
	Ledger *Ledger
}

func (r *result) Release() { r.Record.Release() }

// compute is Start then Table in one chunk (attributiontest.Compute, which
// this package's own tests cannot import).
func compute(ctx context.Context, alloc memory.Allocator, in Inputs, cfg Config, asOf schema.Day, runID string) (*result, error) {
	p, err := Start(ctx, alloc, in, cfg, asOf)
	if err != nil {
		return nil, err
	}
	var rec arrow.Record
	if err := p.Table(runID, p.Ledger.Credits.Len(), func(r arrow.Record) error {
		rec = r
		return nil
	}); err != nil {
		return nil, err
	}
	return &result{Record: rec, Ledger: p.Ledger}, nil
}
