package quality

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/partnerq/pqi/transforms/schema"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultConfigYAML returns the embedded default configuration file.
func DefaultConfigYAML() []byte { return bytes.Clone(defaultYAML) }

// Config is the scoring configuration (default.yaml documents each field).
type Config struct {
	WindowQuarters           int                `yaml:"window_quarters" json:"window_quarters"`
	History                  History            `yaml:"history" json:"history"`
	IntervalLevel            float64            `yaml:"interval_level" json:"interval_level"`
	FitSampleMax             int                `yaml:"fit_sample_max" json:"fit_sample_max"`
	AdjustRounds             int                `yaml:"adjust_rounds" json:"adjust_rounds"`
	BorrowStrength           bool               `yaml:"borrow_strength" json:"borrow_strength"`
	RegistrationDeadlineDays int                `yaml:"registration_deadline_days" json:"registration_deadline_days"`
	TTVMaturityDays          int                `yaml:"ttv_maturity_days" json:"ttv_maturity_days"`
	LeakageGuard             float64            `yaml:"leakage_guard" json:"leakage_guard"`
	WeightsBeforeEarliest    string             `yaml:"weights_before_earliest" json:"weights_before_earliest"`
	Evidence                 EvidenceRule       `yaml:"evidence" json:"evidence"`
	Guardrail                Guardrail          `yaml:"guardrail" json:"guardrail"`
	ActivityWeightCap        float64            `yaml:"activity_weight_cap" json:"activity_weight_cap"`
	LaggingWeightMin         float64            `yaml:"lagging_weight_min" json:"lagging_weight_min"`
	Weights                  []WeightSet        `yaml:"weights" json:"weights"`
	Tiers                    TierConfig         `yaml:"tiers" json:"tiers"`
	ExitWarning              ExitWarning        `yaml:"exit_warning" json:"exit_warning"`
	Interventions            CUSUMConfig        `yaml:"interventions" json:"interventions"`
	HealthyTargets           map[string]float64 `yaml:"healthy_targets" json:"healthy_targets"`
	Protection               Protection         `yaml:"registration_protection" json:"registration_protection"`
	Intake                   Rubric             `yaml:"intake" json:"intake"`
	Robustness               RobustnessConfig   `yaml:"robustness" json:"robustness"`
}

// History is how much older evidence the components use and how fast it
// fades: rows from the Quarters quarters ending with the as-of quarter; a
// row inside the trailing window weighs 1, an older one
// 2^(-age / HalfLifeQuarters), age in quarters before the window starts;
// HalfLifeQuarters 0 weighs every row 1.
type History struct {
	Quarters         int     `yaml:"quarters" json:"quarters"`
	HalfLifeQuarters float64 `yaml:"half_life_quarters" json:"half_life_quarters"`
}

// EvidenceRule is the minimum-evidence rule.
type EvidenceRule struct {
	MinClosedDeals      int     `yaml:"min_closed_deals" json:"min_closed_deals"`
	MaxPQIIntervalWidth float64 `yaml:"max_pqi_interval_width" json:"max_pqi_interval_width"`
}

// Guardrail is the non-compensatory delivery rule.
type Guardrail struct {
	DeliveryUpperZ float64 `yaml:"delivery_upper_z" json:"delivery_upper_z"`
	PQICap         float64 `yaml:"pqi_cap" json:"pqi_cap"`
}

// WeightSet is one effective-dated set of component weights.
type WeightSet struct {
	EffectiveFrom string             `yaml:"effective_from" json:"effective_from"`
	Components    map[string]float64 `yaml:"components" json:"components"`
}

// TierRequirement is what a program tier asks of a partner.
type TierRequirement struct {
	CertifiedStaff         float64 `yaml:"certified_staff" json:"certified_staff"`
	QualifiedOpportunities float64 `yaml:"qualified_opportunities" json:"qualified_opportunities"`
	CaseStudies            float64 `yaml:"case_studies" json:"case_studies"`
	CSAT                   float64 `yaml:"csat" json:"csat"` // the shrunk mean score (1-5); 0 = not required
	// CSATSatisfiedShare is the share of CSAT responses scoring 4 or 5 (the
	// usual "customer satisfaction" percentage); 0 = not required.
	CSATSatisfiedShare float64 `yaml:"csat_satisfied_share" json:"csat_satisfied_share"`
	// PositioningAccuracy is the share of reviewed demos that position the
	// product accurately. No input carries positioning reviews yet, so it
	// is never checked: the run's notes say so.
	PositioningAccuracy float64 `yaml:"positioning_accuracy" json:"positioning_accuracy"`
	WonRevenueUSD       float64 `yaml:"won_revenue_usd" json:"won_revenue_usd"`
}

// TierConfig holds the tier requirements and recommendation rules.
type TierConfig struct {
	Requirements     map[string]TierRequirement `yaml:"requirements" json:"requirements"`
	PromoteMinPQI    float64                    `yaml:"promote_min_pqi" json:"promote_min_pqi"`
	DemoteMargin     float64                    `yaml:"demote_margin" json:"demote_margin"`
	ReviewExitMaxPQI float64                    `yaml:"review_exit_max_pqi" json:"review_exit_max_pqi"`
}

// Protection is the registration protection period: a qualified
// registration protects its customer for Days, or LargeDays when the
// deal's amount is at least LargeDealUSD.
type Protection struct {
	Days         int     `yaml:"days" json:"days"`
	LargeDealUSD float64 `yaml:"large_deal_usd" json:"large_deal_usd"`
	LargeDays    int     `yaml:"large_days" json:"large_days"`
}

// ExitWarning is the churn-against-direct rule.
type ExitWarning struct {
	ChurnRateRatioLow float64 `yaml:"churn_rate_ratio_low" json:"churn_rate_ratio_low"`
}

// CUSUMConfig is the intervention rules: the delivery CUSUM over the last
// Quarters quarters against the partner's own level before them, its
// reference K and the in-control average run length ARL (quarters) its
// limit is derived from; and the quality floor: flag a scored partner whose
// PQI interval lies below the PQI of the LowShare weakest scored partners.
type CUSUMConfig struct {
	Quarters int     `yaml:"cusum_quarters" json:"cusum_quarters"`
	K        float64 `yaml:"cusum_k" json:"cusum_k"`
	ARL      float64 `yaml:"cusum_arl" json:"cusum_arl"`
	LowShare float64 `yaml:"low_share" json:"low_share"`
}

// DefaultConfig parses the embedded defaults.
func DefaultConfig() (Config, error) { return decodeConfig(Config{}, defaultYAML) }

// ParseConfig reads and validates a configuration file over the defaults:
// keys the file leaves out keep their default (a list, such as weights, is
// replaced whole; a map, such as tiers.requirements, is merged key by key).
func ParseConfig(b []byte) (Config, error) {
	def, err := DefaultConfig()
	if err != nil {
		return Config{}, err
	}
	return decodeConfig(def, b)
}

func decodeConfig(c Config, b []byte) (Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("reading the scoring configuration: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Digest is the sha256 of the configuration's canonical JSON form, so the
// same settings give the same digest whatever the file's layout.
func (c Config) Digest() string {
	b, _ := json.Marshal(c) // cannot fail: numbers, strings, slices and maps of them; maps marshal with sorted keys
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Validate checks every setting; the error names the setting and its
// allowed values.
func (c Config) Validate() error {
	if err := c.check(); err != nil {
		return fmt.Errorf("scoring configuration: %w", err)
	}
	return nil
}

func (c Config) check() error {
	switch {
	case c.WindowQuarters < 1 || c.WindowQuarters > 12:
		return fmt.Errorf("window_quarters must be 1..12, got %d", c.WindowQuarters)
	case c.History.Quarters < c.WindowQuarters || c.History.Quarters > 40:
		return fmt.Errorf("history.quarters must be window_quarters (%d) to 40, got %d", c.WindowQuarters, c.History.Quarters)
	case c.History.HalfLifeQuarters < 0 || math.IsNaN(c.History.HalfLifeQuarters) || math.IsInf(c.History.HalfLifeQuarters, 0):
		return fmt.Errorf("history.half_life_quarters must be 0 (no decay) or positive, got %g", c.History.HalfLifeQuarters)
	case c.IntervalLevel <= 0.5 || c.IntervalLevel >= 1:
		return fmt.Errorf("interval_level must be in (0.5, 1), got %g", c.IntervalLevel)
	case c.FitSampleMax < 1000:
		return fmt.Errorf("fit_sample_max must be at least 1000, got %d", c.FitSampleMax)
	case c.AdjustRounds < 0 || c.AdjustRounds > 10:
		return fmt.Errorf("adjust_rounds must be 0..10, got %d", c.AdjustRounds)
	case c.RegistrationDeadlineDays < 0:
		return errors.New("registration_deadline_days must not be negative")
	case c.TTVMaturityDays < 0:
		return errors.New("ttv_maturity_days must not be negative")
	case c.LeakageGuard <= 0.5 || c.LeakageGuard > 1:
		return fmt.Errorf("leakage_guard must be in (0.5, 1] (1 turns the guard off), got %g", c.LeakageGuard)
	case c.WeightsBeforeEarliest != beforeEarliestUse && c.WeightsBeforeEarliest != beforeEarliestError:
		return fmt.Errorf("weights_before_earliest must be %s or %s, got %q", beforeEarliestUse, beforeEarliestError, c.WeightsBeforeEarliest)
	case c.Evidence.MinClosedDeals < 0 || c.Evidence.MaxPQIIntervalWidth <= 0:
		return errors.New("evidence: min_closed_deals >= 0 and max_pqi_interval_width > 0 required")
	case c.Guardrail.PQICap <= 0 || c.Guardrail.PQICap > 100:
		return errors.New("guardrail.pqi_cap must be in (0, 100]")
	case c.ActivityWeightCap < 0 || c.ActivityWeightCap > 1 || c.LaggingWeightMin < 0 || c.LaggingWeightMin > 1:
		return errors.New("activity_weight_cap and lagging_weight_min must be in [0, 1]")
	case len(c.Weights) == 0:
		return errors.New("no weights")
	case c.Interventions.Quarters < 1 || c.Interventions.Quarters >= c.History.Quarters || !(c.Interventions.K >= 0 && c.Interventions.K <= 3):
		return fmt.Errorf("interventions: cusum_quarters 1 to history.quarters - 1 (%d) and cusum_k 0 to 3 required", c.History.Quarters-1)
	case !(c.Interventions.ARL >= 2 && c.Interventions.ARL <= 1e6):
		return fmt.Errorf("interventions.cusum_arl (quarters) must be 2 to 1000000, got %g", c.Interventions.ARL)
	case !(c.Interventions.LowShare > 0 && c.Interventions.LowShare <= 0.5):
		return fmt.Errorf("interventions.low_share must be above 0 and at most 0.5, got %g", c.Interventions.LowShare)
	}
	if rb := c.Robustness; rb.Draws < 0 || rb.Draws > 10000 || (rb.Draws > 0 && !(rb.Concentration > 0)) {
		return errors.New("robustness: draws 0..10000 and, with draws, concentration > 0 required")
	}
	if err := c.checkWeights(); err != nil {
		return err
	}
	if err := c.checkTiers(); err != nil {
		return err
	}
	if pr := c.Protection; pr.Days < 1 || pr.LargeDays < pr.Days || pr.LargeDays > 3650 || !(pr.LargeDealUSD > 0) {
		return fmt.Errorf("registration_protection: days at least 1, large_days from days (%d) to 3650 and large_deal_usd above 0 required, got %+v", pr.Days, pr)
	}
	if err := checkTargets(c.HealthyTargets); err != nil {
		return err
	}
	return c.Intake.validate()
}

// checkWeights checks each weight set: a known date, once; known
// components, none negative, summing to 1; activity within its cap and
// lagging outcomes above their minimum.
func (c Config) checkWeights() error {
	seen := map[string]bool{}
	for _, ws := range c.Weights {
		if _, err := schema.ParseDay(ws.EffectiveFrom); err != nil {
			return fmt.Errorf("weights effective_from: %w", err)
		}
		if seen[ws.EffectiveFrom] {
			return fmt.Errorf("two weight sets are effective from %s", ws.EffectiveFrom)
		}
		seen[ws.EffectiveFrom] = true
		var sum, act, lag float64
		for name, w := range ws.Components {
			comp, ok := schema.ParseComponent(name)
			if !ok {
				return fmt.Errorf("weights from %s: unknown component %q (known: %v)", ws.EffectiveFrom, name, schema.Components)
			}
			if w < 0 || math.IsNaN(w) {
				return fmt.Errorf("weights from %s: %s must not be negative", ws.EffectiveFrom, name)
			}
			sum += w
			switch componentKinds[comp] {
			case kindActivity:
				act += w
			case kindLagging:
				lag += w
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("weights from %s sum to %g, not 1", ws.EffectiveFrom, sum)
		}
		if act > c.ActivityWeightCap+1e-12 {
			return fmt.Errorf("weights from %s give activity signals %g, above activity_weight_cap %g: activity must never outweigh outcomes", ws.EffectiveFrom, act, c.ActivityWeightCap)
		}
		if lag < c.LaggingWeightMin-1e-12 {
			return fmt.Errorf("weights from %s give lagging outcomes %g, below lagging_weight_min %g", ws.EffectiveFrom, lag, c.LaggingWeightMin)
		}
	}
	return nil
}

// checkTiers checks the tier requirements: silver, gold or platinum, and
// shares from 0 to 1.
func (c Config) checkTiers() error {
	for name, req := range c.Tiers.Requirements {
		if t, ok := schema.ParseProgramTier(name); !ok || t == schema.TierRegistered {
			return fmt.Errorf("tiers: requirements for %q: use silver, gold or platinum", name)
		}
		for _, sh := range []struct {
			what string
			v    float64
		}{{"csat_satisfied_share", req.CSATSatisfiedShare}, {"positioning_accuracy", req.PositioningAccuracy}} {
			if sh.v < 0 || sh.v > 1 {
				return fmt.Errorf("tiers: %s %s is %g; it is a share, from 0 to 1 (0.9 for 90%%)", name, sh.what, sh.v)
			}
		}
	}
	return nil
}

// Values of weights_before_earliest.
const (
	beforeEarliestUse   = "earliest" // the earliest set applies to every earlier date
	beforeEarliestError = "error"    // a date before every set is an error
)

// weightsAt returns the weight set in force on day asOf, as a slice in
// component order, and its effective date.
func (c Config) weightsAt(asOf schema.Day) ([]float64, schema.Day, error) {
	sets := append([]WeightSet(nil), c.Weights...)
	sort.Slice(sets, func(i, j int) bool { return sets[i].EffectiveFrom < sets[j].EffectiveFrom })
	var pick *WeightSet
	var from schema.Day
	for i := range sets {
		d, _ := schema.ParseDay(sets[i].EffectiveFrom)
		if d <= asOf {
			pick, from = &sets[i], d
		}
	}
	if pick == nil {
		if c.WeightsBeforeEarliest == beforeEarliestError {
			return nil, 0, fmt.Errorf("no weight set is effective on %s (the earliest is effective from %s) and weights_before_earliest is %s; fix: add a weight set effective on or before %s, or set weights_before_earliest: %s",
				asOf.String(), sets[0].EffectiveFrom, beforeEarliestError, asOf.String(), beforeEarliestUse)
		}
		pick = &sets[0]
		from, _ = schema.ParseDay(sets[0].EffectiveFrom)
	}
	w := make([]float64, len(schema.Components))
	for name, v := range pick.Components {
		c, _ := schema.ParseComponent(name) // validate checked every name
		w[c] = v
	}
	return w, from, nil
}
