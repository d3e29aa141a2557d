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
