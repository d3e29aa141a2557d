package words

import (
	"math"
	"testing"
)

func TestMoneyAsPeopleWriteIt(t *testing.T) {
	for v, want := range map[float64]string{
		1.6e9: "$1.6B", 509.8e6: "$509.8M", 12_500: "$12.5k", 900: "$900", 0: "$0", math.Copysign(0, -1): "$0",
		-1.2e6: "−$1.2M", 999_960: "$1.0M", 999_949: "$999.9k", 1598.2e6: "$1.6B", math.NaN(): "not measured",
	} {
		if got := USD(v); got != want {
			t.Errorf("usd(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{1e3: "$1k", 2.5e6: "$2.5M", 1e8: "$100M"} {
		if got := USDTick(v); got != want {
			t.Errorf("usdTick(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{3.14: "+3.1", -0.04: "0.0", -2.25: "−2.2", 0: "0.0"} {
		if got := Signed(v, 1); got != want {
			t.Errorf("signed(%v) = %q, want %q", v, got, want)
		}
	}
	if got := Count(40000); got != "40,000" {
		t.Errorf("count(40000) = %q", got)
	}
}
