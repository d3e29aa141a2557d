package scorecard

import (
	"bytes"
	"math"
	"testing"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

func testCard(scored bool) Card {
	nan := math.NaN()
	c := Card{AsOf: 20726, ID: "P-7", Name: "東京システム", PeerGroup: "reseller", Tier: "gold", Scored: scored, Level: 0.9,
		PQI: 61.2, Low: 52, High: 70.4, Previous: 58.1, Peers: Peers{Scored: 40, Median: 48, Lower: 35, Upper: 60, Rank: 9},
		Moves:      []Move{{schema.CompWinRate, 2.5}, {schema.CompCSAT, 0.6}},
		Components: []Component{{Component: schema.CompWinRate, Measured: true, Observed: 0.41, Expected: 0.36, Better: 1, Target: 0.25, TargetValue: 0.41, TargetMet: "met"}, {Component: schema.CompCSAT, Target: nan, TargetValue: nan}},
		Advice:     schema.RecHold, TierReason: "meets gold requirements", NextTier: "platinum: case studies 1 (needs 3)",
		Levers: []Lever{{Component: schema.CompRegistration, Observed: 0.41, Expected: 0.8, Gain: 3.2}},
	}
	if !scored {
		c.EvidenceReason, c.ClosedNeeded = "2.1 closed deals weighted by age since 2024-10-01 (2 in the window); at least 5 are needed", 2.9
	}
	return c
}

func TestScorecardsRenderTheSameBytes(t *testing.T) {
	for _, scored := range []bool{true, false} {
		var a, b bytes.Buffer
		if err := Render(&a, testCard(scored), Options{Company: "Acme", PageSize: pdf.Letter}); err != nil {
			t.Fatal(err)
		}
		if err := Render(&b, testCard(scored), Options{Company: "Acme", PageSize: pdf.Letter}); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("scored %v: not a PDF, or two renderings differ", scored)
		}
	}
}
