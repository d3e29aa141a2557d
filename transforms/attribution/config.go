package attribution

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/transforms/schema"
)

// Model is an attribution model.
type Model uint8

// The attribution models, side by side in the attribution table.
const (
	SourcedOnly  Model = iota // the sourcing partners split the deal (leading role when nobody sourced it)
	EqualSplit                // every partner on the deal gets 1/n
	RoleWeighted              // shares proportional to configured role weights
	Shapley                   // Shapley value of the role-capability (airport) game
	Primary6040               // the primary partner takes primary_share, the others split the rest
	NumModels    = 5
)

// ModelNames are the configuration names of the models, by Model.
var ModelNames = [NumModels]string{"sourced_only", "equal_split", "role_weighted", "shapley", "primary_60_40"}

func (m Model) String() string {
	if int(m) < NumModels {
		return ModelNames[m]
	}
	return fmt.Sprintf("model(%d)", uint8(m))
}

// ParseModel reads a model name.
func ParseModel(s string) (Model, error) {
	for i, n := range ModelNames {
		if n == s {
			return Model(i), nil
		}
	}
	return 0, fmt.Errorf("unknown attribution model %q (want one of sourced_only, equal_split, role_weighted, shapley, primary_60_40)", s)
}

// RoleWeights are the relative weights of the roles in role_weighted and
// shapley. Only ratios matter.
type RoleWeights struct {
	Sourced    float64 `yaml:"sourced"`
	Influenced float64 `yaml:"influenced"`
	CoSell     float64 `yaml:"co_sell"`
	Delivery   float64 `yaml:"delivery"`
}

// Config configures attribution.
type Config struct {
	// RoleWeights for role_weighted and shapley. Default sourced 4, co_sell
	// 2, influenced 1, delivery 1: originating a deal is worth twice
	// co-selling it and four times influencing or delivering it.
	RoleWeights RoleWeights `yaml:"role_weights"`
	// Model is the model downstream tables (partner_roi pipeline_attributed,
	// won revenue, segments; cohort_metrics) credit with. Default
	// role_weighted: explicit business weights finance can argue about.
	Model string `yaml:"model"`
	// PrimaryShare is primary_60_40's share for the primary partner (the
	// one with the leading role, as in sourced_only) when other partners
	// contributed too; they split the rest equally. Default 0.6: the
	// common channel rule that a split deal goes 60/40 to the primary
	// partner when both contributed.
	PrimaryShare float64 `yaml:"primary_share"`
}

// Default is the documented default configuration.
func Default() Config {
	return Config{
		RoleWeights:  RoleWeights{Sourced: 4, Influenced: 1, CoSell: 2, Delivery: 1},
		Model:        ModelNames[RoleWeighted],
		PrimaryShare: 0.6,
	}
}

// rule is what the models need from the configuration: the role weights
// by role (a role mask's bit r is role schema.DealRole(r)) and
// primary_60_40's primary share.
type rule struct {
	weights [schema.NumDealRoles]float64
	primary float64
}

// rule checks and returns the configuration's splitting rule.
func (c Config) rule() (rule, error) {
	w := [schema.NumDealRoles]float64{schema.RoleSourced: c.RoleWeights.Sourced, schema.RoleInfluenced: c.RoleWeights.Influenced,
		schema.RoleCoSell: c.RoleWeights.CoSell, schema.RoleDelivery: c.RoleWeights.Delivery}
	for r, v := range w {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return rule{}, fmt.Errorf("role weight of %s must be a non-negative number, got %g", schema.DealRole(r), v)
		}
	}
	if !(c.PrimaryShare > 0 && c.PrimaryShare <= 1) {
		return rule{}, fmt.Errorf("primary_share must be above 0 and at most 1 (0.6 is the 60/40 rule), got %g", c.PrimaryShare)
	}
	return rule{weights: w, primary: c.PrimaryShare}, nil
}

// Validate checks the model name and the role weights.
func (c Config) Validate() error {
	if _, err := c.rule(); err != nil {
		return fmt.Errorf("attribution: %w", err)
	}
	if _, err := ParseModel(c.Model); err != nil {
		return fmt.Errorf("attribution: %w", err)
	}
	return nil
}
