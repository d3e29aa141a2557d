package roi

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/transforms/schema"
)

// Config configures the ROI transform. Every default is explained in
// docs/methodology.md (Part II).
type Config struct {
	// Quarters is the analysis window: this many quarters ending with the
	// as-of quarter. Default 8.
	Quarters int `yaml:"quarters"`

	// Segmentation: partners ranked by attributed won revenue over the
	// trailing SegmentQuarters (default 4) quarters; those making the first
	// HeadShare (0.80) of it are head, the next TorsoShare (0.15) torso, the
	// rest (and every partner without revenue) long_tail.
	HeadShare       float64 `yaml:"head_share"`
	TorsoShare      float64 `yaml:"torso_share"`
	SegmentQuarters int     `yaml:"segment_quarters"`

	// InvestmentCategories are the cost categories counted as investment
	// (the denominator of the return). Default enablement, mdf, program,
	// partner_management: what finance decides to spend on a partner;
	// support and other follow volume.
	InvestmentCategories []string `yaml:"investment_categories"`

	// CommissionRates is the commission rate per program tier (e.g.
	// {registered: 0.125, platinum: 0.275}: the midpoints of the 10-15%
	// registered to 25-30% platinum that partner programs publish), used
	// only when cost_to_serve has no commission rows. The estimate, rate
	// x the partner's attributed won revenue under its current tier, fills
	// cost_commission_usd with commission_basis estimated and stays out
	// of cost_total_usd. Default none: no rate is assumed for a program
	// that has not stated its own, so commission is not_exported.
	CommissionRates map[string]float64 `yaml:"commission_rates" json:"commission_rates,omitempty"` // omitempty: nil and {} are the same settings, one digest

	// Step-up detection: a partner eligible for the comparison (joined at
	// least MinTenureDays, default 90, before the window) is invested from
	// the quarter t0 that best splits its investment into a lower and a
	// higher level, when the mean after t0 is at least 1+MinStepUpRatio
	// (default 1.5x) the mean before and higher by at least MinStepUpUSD
	// (default 1,000) per quarter. t0 leaves at least MinPreQuarters
	// (default 2) quarters before and MinPostQuarters (default 1) after.
	MinTenureDays   int     `yaml:"min_tenure_days"`
	MinStepUpRatio  float64 `yaml:"min_step_up_ratio"`
	MinStepUpUSD    float64 `yaml:"min_step_up_usd"`
	MinPreQuarters  int     `yaml:"min_pre_quarters"`
	MinPostQuarters int     `yaml:"min_post_quarters"`

	// MinComparison is the fewest comparison partners of the same program
	// tier the counterfactual is built from; below it every comparison
	// partner is used. Default 20.
	MinComparison int `yaml:"min_comparison"`
	// MinDeals is the fewest sourced deals (pre-period and post-period
	// together) a partner needs for its own estimate; below it the state is
	// insufficient_evidence. Default 10.
	MinDeals int `yaml:"min_deals"`

	// Bootstrap: Replicates (default 400) Poisson-bootstrap replicates seeded
	// with Seed (default 1); intervals are the central Level (default 0.90)
	// percentile interval.
	Replicates int     `yaml:"replicates"`
	Seed       uint64  `yaml:"seed"`
	Level      float64 `yaml:"level"`

	// MomentumMinDeals is the fewest marketplace deals a quarter needs for
	// marketplace growth to count as momentum. Default 2.
	MomentumMinDeals int `yaml:"momentum_min_deals"`
}

// Default is the documented default configuration.
func Default() Config {
	return Config{
		Quarters:             8,
		HeadShare:            0.80,
		TorsoShare:           0.15,
		SegmentQuarters:      4,
		InvestmentCategories: []string{"enablement", "mdf", "program", "partner_management"},
		MinTenureDays:        90,
		MinStepUpRatio:       0.5,
		MinStepUpUSD:         1000,
		MinPreQuarters:       2,
		MinPostQuarters:      1,
		MinComparison:        20,
		MinDeals:             10,
		Replicates:           400,
		Seed:                 1,
		Level:                0.90,
		MomentumMinDeals:     2,
	}
}

// Validate checks every setting.
func (c Config) Validate() error {
	if _, err := c.investment(); err != nil {
		return fmt.Errorf("roi: %w", err)
	}
	if _, err := c.rates(); err != nil {
		return fmt.Errorf("roi: %w", err)
	}
	return nil
}

// rates returns the commission rate of each program tier, NaN where none
// is configured.
func (c Config) rates() ([]float64, error) {
	r := make([]float64, len(schema.ProgramTiers))
	for i := range r {
		r[i] = math.NaN()
	}
	for name, v := range c.CommissionRates {
		t, ok := schema.ParseProgramTier(name)
		if !ok {
			return nil, fmt.Errorf("commission_rates: unknown program tier %q (tiers: %v)", name, schema.ProgramTiers)
		}
		if !(v >= 0 && v < 1) {
			return nil, fmt.Errorf("commission_rates: %s must be a share of revenue in [0, 1), e.g. 0.125 for 12.5%%, got %g", name, v)
		}
		r[t] = v
	}
	return r, nil
}

// investment checks the configuration and returns, per cost category,
// whether it counts as investment.
func (c Config) investment() ([]bool, error) {
	inv := make([]bool, schema.NumCostCategories)
	for _, s := range c.InvestmentCategories {
		cat, ok := schema.ParseCostCategory(s)
		if !ok {
			return nil, fmt.Errorf("unknown investment category %q (categories: %v)", s, schema.CostCategories)
		}
		inv[cat] = true
	}
	switch {
	case c.Quarters < 2 || c.Quarters > 100:
		return nil, fmt.Errorf("quarters must be between 2 and 100, got %d", c.Quarters)
	case c.HeadShare <= 0 || c.TorsoShare < 0 || c.HeadShare+c.TorsoShare > 1:
		return nil, fmt.Errorf("head_share (%g) and torso_share (%g) must be positive and sum to at most 1", c.HeadShare, c.TorsoShare)
	case c.SegmentQuarters < 1:
		return nil, fmt.Errorf("segment_quarters must be at least 1, got %d", c.SegmentQuarters)
	case c.MinPreQuarters < 1 || c.MinPostQuarters < 1 || c.MinPreQuarters+c.MinPostQuarters > c.Quarters:
		return nil, fmt.Errorf("min_pre_quarters (%d) and min_post_quarters (%d) must be at least 1 and fit in %d quarters", c.MinPreQuarters, c.MinPostQuarters, c.Quarters)
	case c.Replicates < 20:
		return nil, fmt.Errorf("replicates must be at least 20, got %d", c.Replicates)
	case c.Level <= 0 || c.Level >= 1:
		return nil, fmt.Errorf("level must be in (0, 1), got %g", c.Level)
	case c.MinStepUpRatio < 0 || c.MinStepUpUSD < 0 || c.MinComparison < 1 || c.MinDeals < 0 || c.MinTenureDays < 0:
		return nil, fmt.Errorf("step-up thresholds, min_comparison and min_deals must not be negative")
	}
	return inv, nil
}
