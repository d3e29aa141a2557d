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

// obsOfRows collects rows of partners partner (of nP) with outcomes y, no
// deal, no decay, one trial each.
func obsOfRows(fam, nP int, partner []int32, y []float64) *obs {
	o := &obs{fam: fam}
	each := func(add func(p, d int32, y, m, w float64, day int32)) {
		for i, p := range partner {
			add(p, -1, y[i], 1, 1, schema.NoDate)
		}
	}
	counts, _ := countRows(nP, each)
	o.collect(counts, 1<<30, each)
	return o
}
