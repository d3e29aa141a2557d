package quality

import (
	"fmt"
	"sort"

	"github.com/partnerq/pqi/transforms/schema"
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

// IntakeResult is a scored application.
type IntakeResult struct {
	Total, Max int
	Band       schema.IntakeBand
	Points     []int    // per criterion in rubric order: score x weight, -1 when not scored
	Missing    []string // criteria not scored, in rubric order
}

// Max is the rubric's highest total: every criterion scored 3.
func (r Rubric) Max() int {
	m := 0
	for _, c := range r.Criteria {
		m += 3 * c.Weight
	}
	return m
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
	if m := r.Max(); b.Tier1 > m {
		return fmt.Errorf("intake: band tier1 starts at %d points but the rubric's maximum is %d (%d criteria, each scored 0-3 times its weight): "+
			"no application could reach it; lower the bands or add criteria", b.Tier1, m, len(r.Criteria))
	}
	return nil
}

// Score applies the rubric to one application's criterion scores (0-3
// each). A criterion absent from scores is missing (the band is then
// incomplete); a score out of range or a criterion the rubric does not
// have is an error.
func (r Rubric) Score(scores map[string]int) (IntakeResult, error) {
	res := IntakeResult{Max: r.Max()}
	for _, c := range r.Criteria {
		s, ok := scores[c.Name]
		if !ok {
			res.Points = append(res.Points, -1)
			res.Missing = append(res.Missing, c.Name)
			continue
		}
		if s < 0 || s > 3 {
			return IntakeResult{}, fmt.Errorf("intake: criterion %s scored %d; scores are 0-3", c.Name, s)
		}
		res.Total += s * c.Weight
		res.Points = append(res.Points, s*c.Weight)
	}
	var extra []string
	for name := range scores {
		if !r.has(name) {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return IntakeResult{}, fmt.Errorf("intake: unknown criteria %v", extra)
	}
	res.Band = r.Band(res.Total)
	if len(res.Missing) > 0 {
		res.Band = schema.BandIncomplete
	}
	return res, nil
}

// Band is the band of a total.
func (r Rubric) Band(total int) schema.IntakeBand {
	switch {
	case total >= r.Bands.Tier1:
		return schema.BandTier1
	case total >= r.Bands.Standard:
		return schema.BandStandard
	case total >= r.Bands.Probationary:
		return schema.BandProbationary
	}
	return schema.BandDecline
}

// Reach is the highest total an incomplete application can still reach:
// its total with every missing criterion scored 3.
func (r Rubric) Reach(res IntakeResult) int {
	t := res.Total
	for i, c := range r.Criteria {
		if res.Points[i] < 0 {
			t += 3 * c.Weight
		}
	}
	return t
}

func (r Rubric) has(name string) bool {
	for _, c := range r.Criteria {
		if c.Name == name {
			return true
		}
	}
	return false
}
