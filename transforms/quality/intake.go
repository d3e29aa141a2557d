package quality

import (
	"fmt"
	"sort"
)

// Rubric is the intake qualification scorecard: each criterion is scored
// 0-3 by the partner team and multiplied by its weight (3, 2 or 1); the
// total falls into a band.
type Rubric struct {
	Criteria []Criterion `yaml:"criteria" json:"criteria"`
	Bands    Bands       `yaml:"bands" json:"bands"`
}

// Criterion is one line of the scorecard.
type Criterion struct {
	Name   string `yaml:"name" json:"name"`
	Weight int    `yaml:"weight" json:"weight"`
}

// Bands are the lowest totals of each band.
type Bands struct {
	Tier1        int `yaml:"tier1" json:"tier1"`
	Standard     int `yaml:"standard" json:"standard"`
	Probationary int `yaml:"probationary" json:"probationary"`
}

// Intake bands.
const (
	BandTier1        = "tier1_candidate"
	BandStandard     = "standard"
	BandProbationary = "probationary"
	BandDecline      = "decline"
)

// IntakeResult is a scored application.
type IntakeResult struct {
	Total, Max int
	Band       string
	Lines      []string // "criterion: score x weight = points", in rubric order
}

func (r Rubric) validate() error {
	if len(r.Criteria) == 0 {
		return fmt.Errorf("intake: no criteria")
	}
	seen := map[string]bool{}
	for _, c := range r.Criteria {
		if c.Name == "" || seen[c.Name] {
			return fmt.Errorf("intake: criterion names must be present and unique (%q)", c.Name)
		}
		seen[c.Name] = true
		if c.Weight < 1 || c.Weight > 3 {
			return fmt.Errorf("intake: criterion %s has weight %d; weights are 1, 2 or 3", c.Name, c.Weight)
		}
	}
	b := r.Bands
	if !(b.Tier1 > b.Standard && b.Standard > b.Probationary && b.Probationary > 0) {
		return fmt.Errorf("intake: bands must satisfy tier1 > standard > probationary > 0")
	}
	return nil
}

// Score applies the rubric to one partner's criterion scores (0-3 each).
// Every criterion of the rubric must be scored, and nothing else.
func (r Rubric) Score(scores map[string]int) (IntakeResult, error) {
	var res IntakeResult
	for _, c := range r.Criteria {
		s, ok := scores[c.Name]
		if !ok {
			return IntakeResult{}, fmt.Errorf("intake: criterion %s is not scored", c.Name)
		}
		if s < 0 || s > 3 {
			return IntakeResult{}, fmt.Errorf("intake: criterion %s scored %d; scores are 0-3", c.Name, s)
		}
		res.Total += s * c.Weight
		res.Max += 3 * c.Weight
		res.Lines = append(res.Lines, fmt.Sprintf("%s: %d x%d = %d", c.Name, s, c.Weight, s*c.Weight))
	}
	if len(scores) != len(r.Criteria) {
		var extra []string
		for name := range scores {
			if !r.has(name) {
				extra = append(extra, name)
			}
		}
		sort.Strings(extra)
		return IntakeResult{}, fmt.Errorf("intake: unknown criteria %v", extra)
	}
	switch {
	case res.Total >= r.Bands.Tier1:
		res.Band = BandTier1
	case res.Total >= r.Bands.Standard:
		res.Band = BandStandard
	case res.Total >= r.Bands.Probationary:
		res.Band = BandProbationary
	default:
		res.Band = BandDecline
	}
	return res, nil
}

func (r Rubric) has(name string) bool {
	for _, c := range r.Criteria {
		if c.Name == name {
			return true
		}
	}
	return false
}
