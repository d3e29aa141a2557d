package quality

import (
	"testing"

	"github.com/partnerq/pqi/transforms/schema"
)

func day(t *testing.T, s string) int32 {
	t.Helper()
	d, err := schema.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return int32(d)
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// obsOfRows collects rows of partners partner (of nP) with outcomes y, no
// deal, no decay, one trial each.
func obsOfRows(fam, nP int, partner []int32, y []float64) *obs {
	o := &obs{fam: fam}
	counts := make([]int32, nP)
	for _, p := range partner {
		counts[p]++
	}
	o.collect(counts, 1<<30, func(add func(p, d int32, y, m, w float64, day int32)) {
		for i, p := range partner {
			add(p, -1, y[i], 1, 1, schema.NoDate)
		}
	})
	return o
}
