package quality

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

// TestHealthyTargetsByHand checks every healthy-target comparison on the
// hand-made snapshot (raw values as TestComponentsByHand counts them),
// a target switched off, and the counts.
func TestHealthyTargetsByHand(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tables := small(t, alloc)
	defer release(tables)
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.History = History{Quarters: 4}
	cfg.HealthyTargets["attach_rate"] = 0 // switched off
	s := scoreSmall(t, tables, cfg)
	res, err := s.result(alloc, Params{AsOf: schema.Day(day(t, "2026-09-30")), RunID: "sco-test", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	rows := arrowtest.Rows(res.PartnerQuality)
	type want struct {
		value  float64 // NaN = null
		result string  // "" = null
	}
	churnP1 := 1 - math.Exp(-365.25/549) // one churn over 549 customer-days: 0.486 within a year
	wants := map[string]map[schema.Component]want{
		"P1": {
			schema.CompWinRate:       {0.5, "met"},        // 0.5 > 0.25
			schema.CompCSAT:          {3, "missed"},       // 3 <= 4.0
			schema.CompTimeToValue:   {20, "met"},         // 20 days < 90
			schema.CompChurnRate:     {churnP1, "missed"}, // 48.6% >= 10%
			schema.CompAttachRate:    {1.0 / 3, ""},       // target off
			schema.CompLeadQuality:   {2.0 / 3, "met"},    // 66.7% > 60%
			schema.CompCertification: {0.5, "missed"},     // 50% <= 80%
		},
		"P2": {
			schema.CompWinRate:       {1, "met"},
			schema.CompCSAT:          {5, "met"},
			schema.CompTimeToValue:   {10, "met"},
			schema.CompChurnRate:     {0, "met"}, // no churn in 153 days
			schema.CompAttachRate:    {1, ""},
			schema.CompLeadQuality:   {1, "met"},
			schema.CompCertification: {0, "missed"},
		},
	}
	counts := map[string][2]string{"P1": {"3", "6"}, "P2": {"5", "6"}}
	for _, r := range rows {
		id := r[schema.PartnerID]
		for c, w := range wants[id] {
			got, ok := r[schema.ComponentColumn(c, schema.SufTargetValue)]
			if !ok || math.Abs(parseF(t, got)-w.value) > 1e-12 {
				t.Errorf("%s %s target value %q, want %g", id, c, got, w.value)
			}
			if g := r[schema.ComponentColumn(c, schema.SufTargetMet)]; g != w.result {
				t.Errorf("%s %s target %q, want %q", id, c, g, w.result)
			}
		}
		if _, ok := r[schema.ComponentColumn(schema.CompAttachRate, schema.SufTarget)]; ok {
			t.Errorf("%s: a switched-off target must be null", id)
		}
		if r[schema.ComponentColumn(schema.CompTimeToValue, schema.SufTarget)] != "90" {
			t.Errorf("%s: time_to_value_target %q, want the default 90 days", id, r[schema.ComponentColumn(schema.CompTimeToValue, schema.SufTarget)])
		}
		if got := [2]string{r[schema.HealthyTargetsMet], r[schema.HealthyTargetsChecked]}; got != counts[id] {
			t.Errorf("%s: targets met/checked %v, want %v", id, got, counts[id])
		}
	}
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// TestTargetBoundaries: the targets are "over" and "under", so a value
// exactly at the target misses; no evidence is not a miss.
func TestTargetBoundaries(t *testing.T) {
	for _, h := range schema.HealthyTargets {
		def, _ := DefaultConfig()
		tv := def.HealthyTargets[h.Comp.String()]
		if tv <= 0 {
			t.Fatalf("%s has no default target", h.Comp)
		}
		if r, ok := targetResult(h, tv, tv); !ok || r != schema.TargetMissed {
			t.Errorf("%s exactly at its target %g: %v, want missed", h.Comp, tv, r)
		}
		better, worse := tv*1.01, tv*0.99
		if h.Below {
			better, worse = worse, better
		}
		if r, _ := targetResult(h, better, tv); r != schema.TargetMet {
			t.Errorf("%s at %g (target %g): %v, want met", h.Comp, better, tv, r)
		}
		if r, _ := targetResult(h, worse, tv); r != schema.TargetMissed {
			t.Errorf("%s at %g (target %g): %v, want missed", h.Comp, worse, tv, r)
		}
		if _, ok := targetResult(h, math.NaN(), tv); ok {
			t.Errorf("%s without evidence must not be checked", h.Comp)
		}
	}
}

func TestTargetConfigRejected(t *testing.T) {
	for yaml, want := range map[string]string{
		"healthy_targets: {registration_discipline: 0.8}": "has no healthy target",
		"healthy_targets: {csat: 6}":                      "from 0 (off) to 5",
		"healthy_targets: {win_rate: 25}":                 "a share, 0.25 for 25%",
		"healthy_targets: {time_to_value: -1}":            "days",
	} {
		if _, err := ParseConfig([]byte(yaml)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", yaml, err, want)
		}
	}
}
