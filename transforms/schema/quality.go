package schema

import "fmt"

// Scored tables of the Partner Quality Index.
const (
	PartnerQuality        = "partner_quality"
	Interventions         = "interventions"
	RegistrationConflicts = "registration_conflicts"
	Qualification         = "qualification"
)

// Component is one component of the PQI; each has the columns
// <component><suffix> for every suffix in ComponentSuffixes, in the order
// of Components.
type Component uint8

const (
	CompWinRate Component = iota
	CompCSAT
	CompTimeToValue
	CompChurnRate
	CompAttachRate
	CompLeadQuality
	CompRegistration
	CompAEPullThrough
	CompCertification
	CompCaseStudies
	CompMarketplace
	NumComponents = iota
)

// Components are the PQI components in column order.
var Components = Enumeration[Component]{
	"win_rate", "csat", "time_to_value", "churn_rate", "attach_rate",
	"lead_quality", "registration_discipline", "ae_pull_through",
	"certification_rate", "case_studies", "marketplace_activity",
}

func (c Component) String() string { return Components.Name(c) }

// ParseComponent reads a component name.
func ParseComponent(s string) (Component, bool) { return Components.Parse(s) }

// Pillar is one of the four pillars the components roll up into.
type Pillar uint8

const (
	PillarDelivery Pillar = iota
	PillarCommercial
	PillarDiscipline
	PillarCapability
	NumPillars = iota
)

// Pillars are the PQI pillars in column order.
var Pillars = Enumeration[Pillar]{"delivery_health", "commercial_execution", "pipeline_discipline", "capability_activity"}

func (p Pillar) String() string { return Pillars.Name(p) }

// PillarColumnSuffix ends a pillar score column's name.
const PillarColumnSuffix = "_pillar"

// Per-component column suffixes.
const (
	SufN        = "_n"
	SufObserved = "_observed"
	SufExpected = "_expected"
	SufRatio    = "_ratio"
	SufShrunk   = "_shrunk"
	SufLow      = "_low"
	SufHigh     = "_high"
	SufScore    = "_score"
	SufChange   = "_change"
	SufStatus   = "_status"
)

// ComponentSuffixes are the per-component columns, in order.
var ComponentSuffixes = []string{SufN, SufObserved, SufExpected, SufRatio, SufShrunk, SufLow, SufHigh, SufScore, SufChange}

// Healthy-target columns: per target component the raw value the target
// compares, the target and the result; per partner the count of targets
// met and checked.
const (
	SufTargetValue        = "_target_value"
	SufTarget             = "_target"
	SufTargetMet          = "_target_met"
	HealthyTargetsMet     = "healthy_targets_met"
	HealthyTargetsChecked = "healthy_targets_checked"
)

// Registration-conflict columns.
const (
	ConflictsAsFirst = "registration_conflicts_first"
	ConflictsAsLater = "registration_conflicts_later"
	FirstDealID      = "first_deal_id"
	FirstPartnerID   = "first_partner_id"
	FirstRegistered  = "first_registered_date"
	ProtectionDays   = "protection_days"
	ProtectedUntil   = "protected_until"
	DaysAfterFirst   = "days_after_first"

	Total           = "total"
	Maximum         = "maximum"
	Band            = "band"
	CriteriaPoints  = "criteria_points"
	MissingCriteria = "missing_criteria"
	UnknownCriteria = "unknown_criteria"
)

// HealthyTarget describes a program's healthy target for one component:
// whether the raw value must be below the target (lower is better) or
// above it, and what raw value it compares.
type HealthyTarget struct {
	Comp  Component
	Below bool
	Value string
}

// HealthyTargets are the components partner programs publish a healthy
// target for, in column order. Positioning accuracy, the eighth common
// target, has no input in the contract yet.
var HealthyTargets = []HealthyTarget{
	{CompWinRate, false, "win_rate_observed: won / (won + lost)"},
	{CompCSAT, false, "csat_observed: mean CSAT score 1-5"},
	{CompTimeToValue, true, "time_to_value_observed: days from close to first value (geometric mean)"},
	{CompChurnRate, true, "12-month churn of the partner's customers, 1 - exp(-churn_rate_observed) (the share churning within a year at the observed rate per customer-year)"},
	{CompAttachRate, false, "attach_rate_observed: share of deals with services attached"},
	{CompLeadQuality, false, "lead_quality_observed: share of leads that passed qualification"},
	{CompCertification, false, "certification_rate_observed: certified staff / total staff"},
}

// ComponentColumn names a per-component column, e.g. win_rate_observed.
func ComponentColumn(c Component, suffix string) string { return c.String() + suffix }

// PillarColumn names a pillar score column, e.g. delivery_health_pillar.
func PillarColumn(p Pillar) string { return p.String() + PillarColumnSuffix }

// partner_quality and interventions columns.
const (
	PeerGroup          = "peer_group"
	WindowStart        = "window_start"
	WindowEnd          = "window_end"
	EvDeals            = "deals"
	EvClosedDeals      = "closed_deals"
	EvCSATResponses    = "csat_responses"
	EvCustomers        = "customers"
	EvContracts        = "contracts"
	CompositeZ         = "composite_z"
	PQI                = "pqi"
	PQILow             = "pqi_low"
	PQIHigh            = "pqi_high"
	Guardrail          = "guardrail"
	GuardrailReason    = "guardrail_reason"
	EvidenceStatus     = "evidence_status"
	EvidenceReason     = "evidence_reason"
	PeerRank           = "peer_rank"
	PeerSize           = "peer_size"
	OverallRank        = "overall_rank"
	TierRecommendation = "tier_recommendation"
	RecommendedTier    = "recommended_tier"
	TierReason         = "tier_reason"
	NextTierGaps       = "next_tier_gaps"
	ChurnRRDirect      = "churn_rate_ratio_direct"
	ChurnRRLow         = "churn_rate_ratio_low"
	ChurnRRHigh        = "churn_rate_ratio_high"
	PreviousPQI        = "previous_pqi"
	PQIChange          = "pqi_change"
	GuardrailChange    = "guardrail_change"
	TopContributors    = "top_contributors"
	WeightsFrom        = "weights_effective_from"
	ConfigDigestCol    = "config_digest"
	MeasuredWeight     = "measured_weight"
	PQIPartial         = "pqi_partial"
	NotMeasured        = "components_not_measured"
	RankMedian         = "rank_median"
	RankLow            = "rank_low"
	RankHigh           = "rank_high"
	RankDecileStay     = "rank_decile_stay"
	EvWeightedClosed   = "weighted_closed_deals"
	BorrowedZ          = "borrowed_z"
	BorrowedChange     = "borrowed_change"

	Trigger        = "trigger"
	Severity       = "severity"
	Outlook        = "outlook"
	Evidence       = "evidence"
	Statistic      = "statistic"
	Threshold      = "threshold"
	FalseAlarmRate = "false_alarm_rate"
	Action         = "action"
)

// qualityTables are the scored tables of the Partner Quality Index:
// partner_quality and interventions.
func qualityTables() []Table {
	return []Table{partnerQuality(), interventions(), registrationConflicts(), qualification()}
}

var componentDesc = [NumComponents]string{
	CompWinRate:       "win rate of closed deals the partner is primary on (won / (won+lost))",
	CompCSAT:          "mean CSAT score (1-5) of responses about the partner",
	CompTimeToValue:   "days from close to first value of won deals (geometric mean; lower is better)",
	CompChurnRate:     "churn events per customer-year of the partner's customers (lower is better)",
	CompAttachRate:    "share of deals with partner services attached",
	CompLeadQuality:   "share of deals that passed qualification",
	CompRegistration:  "share of deals registered within the registration deadline of creation",
	CompAEPullThrough: "share of deals an account executive pulled the partner into",
	CompCertification: "certified staff / total staff (activity signal, capped weight)",
	CompCaseStudies:   "published case studies (activity signal, capped weight)",
	CompMarketplace:   "share of deals transacted through a marketplace (activity signal, capped weight)",
}

var suffixDesc = map[string]struct {
	kind Kind
	desc string
}{
	SufN:        {Int, "evidence: rows behind the component over the history (deals, responses, contracts, staff)"},
	SufObserved: {Float, "observed value over the history, each row weighted by its age (docs/methodology.md, \"History and decay\"); null without evidence"},
	SufExpected: {Float, "complexity-adjusted expected value for the partner's own case mix; null when the component is not measured in the ecosystem"},
	SufRatio:    {Float, "observed / expected; null without evidence"},
	SufShrunk:   {Float, "empirical-Bayes estimate, shrunk toward expected in proportion to evidence; null when not measured in the ecosystem"},
	SufLow:      {Float, "lower end of the 90% interval of the shrunk estimate; null when not measured in the ecosystem"},
	SufHigh:     {Float, "upper end of the 90% interval of the shrunk estimate; null when not measured in the ecosystem"},
	SufScore:    {Float, "standardised score: shrunk partner effect / between-partner SD, sign so that higher is better; null when not measured in the ecosystem"},
	SufChange:   {Float, "contribution to pqi_change (all contributions and guardrail_change sum to pqi_change)"},
}

// partnerQualityHead are partner_quality's first columns: who, when, the
// window and the evidence counts.
func partnerQualityHead() []Column {
	return []Column{
		{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date scored."},
		{Name: RunID, Kind: String, Required: true, Desc: "Score run that wrote the row."},
		{Name: PartnerID, Kind: String, Required: true, Desc: "Partner scored."},
		{Name: PartnerType, Kind: Enum, Enum: PartnerTypes, Desc: "Partner type (from partners)."},
		{Name: ProgramTier, Kind: Enum, Enum: ProgramTiers, Desc: "Current program tier (from partners)."},
		{Name: PeerGroup, Kind: String, Required: true, Desc: "Peer group ranks are computed within (partner_type; unknown when null)."},
		{Name: WindowStart, Kind: Date, Required: true, Desc: "First day of the trailing window."},
		{Name: WindowEnd, Kind: Date, Required: true, Desc: "Last day of the trailing window (the as-of date)."},
		{Name: EvDeals, Kind: Int, Required: true, Desc: "Deals created in the window with the partner as primary partner."},
		{Name: EvClosedDeals, Kind: Int, Required: true, Desc: "Deals closed (won or lost) in the window with the partner as primary partner."},
		{Name: EvCSATResponses, Kind: Int, Required: true, Desc: "CSAT responses about the partner in the window."},
		{Name: EvCustomers, Kind: Int, Required: true, Desc: "Distinct customers of the partner's deals created in the window."},
		{Name: EvContracts, Kind: Int, Required: true, Desc: "Customer contracts of the partner exposed in the window."},
	}
}

func partnerQuality() Table {
	cols := partnerQualityHead()
	for c := range Component(NumComponents) {
		for _, s := range ComponentSuffixes {
			sd := suffixDesc[s]
			cols = append(cols, Column{Name: ComponentColumn(c, s), Kind: sd.kind, Required: s == SufN,
				Desc: fmt.Sprintf("%s: %s.", componentDesc[c], sd.desc)})
		}
	}
	for p := range Pillar(NumPillars) {
		cols = append(cols, Column{Name: PillarColumn(p), Kind: Float, Min: f(0), Max: f(100),
			Desc: "Pillar score 0-100: 100*Phi(weighted mean of its components' scores); null when none of its components is measured."})
	}
	cols = append(cols,
		Column{Name: CompositeZ, Kind: Float, Required: true, Desc: "Weighted sum of component scores plus borrowed_z (before the guardrail)."},
		Column{Name: PQI, Kind: Float, Required: true, Min: f(0), Max: f(100), Desc: "Partner Quality Index 0-100 = 100*Phi(composite_z), capped by the guardrail; 50 = as expected for the case mix."},
		Column{Name: PQILow, Kind: Float, Required: true, Min: f(0), Max: f(100), Desc: "Lower end of the 90% interval of pqi."},
		Column{Name: PQIHigh, Kind: Float, Required: true, Min: f(0), Max: f(100), Desc: "Upper end of the 90% interval of pqi."},
		Column{Name: Guardrail, Kind: Bool, Required: true, Desc: "The delivery guardrail capped the PQI."},
		Column{Name: GuardrailReason, Kind: String, Desc: "Why the guardrail fired; null when it did not."},
		Column{Name: EvidenceStatus, Kind: Enum, Required: true, Enum: EvidenceStatuses, Desc: "scored (ranked); insufficient_evidence (too few closed deals to say anything); indistinguishable (enough deals, but the PQI interval is too wide to place the partner against its expectation). Only scored partners are ranked."},
		Column{Name: EvidenceReason, Kind: String, Desc: "Why the partner is not scored; null when scored."},
		Column{Name: PeerRank, Kind: Int, Desc: "Rank by pqi within the peer group (1 = best); null when not scored."},
		Column{Name: PeerSize, Kind: Int, Desc: "Scored partners in the peer group; null when not scored."},
		Column{Name: OverallRank, Kind: Int, Desc: "Rank by pqi among all scored partners; null when not scored."},
		Column{Name: TierRecommendation, Kind: Enum, Required: true, Enum: TierRecommendations, Desc: "promote, hold, demote, review_exit, or at_risk (the tier kept, a requirement missed: a program requirement, or an outcome the PQI cannot yet confirm)."},
		Column{Name: RecommendedTier, Kind: Enum, Enum: ProgramTiers, Desc: "Tier the recommendation leads to."},
		Column{Name: TierReason, Kind: String, Required: true, Desc: "Reasons for the recommendation, in plain words, and what would change it."},
		Column{Name: ChurnRRDirect, Kind: Float, Desc: "Churn of the partner's customers / churn of direct customers with the same case mix; null without contracts."},
		Column{Name: ChurnRRLow, Kind: Float, Desc: "Lower end of the exact 90% interval of churn_rate_ratio_direct (conditional binomial)."},
		Column{Name: ChurnRRHigh, Kind: Float, Desc: "Upper end of that interval."},
		Column{Name: PreviousPQI, Kind: Float, Desc: "PQI of the quarter before, computed from the same snapshot with the window ending a quarter earlier; null when not scored then."},
		Column{Name: PQIChange, Kind: Float, Desc: "pqi - previous_pqi; null when either is not scored."},
		Column{Name: GuardrailChange, Kind: Float, Desc: "Part of pqi_change due to the guardrail cap changing."},
		Column{Name: TopContributors, Kind: String, Desc: "Up to three components with the largest contributions to pqi_change, e.g. \"win_rate +3.1; csat -1.2\"."},
		Column{Name: WeightsFrom, Kind: Date, Required: true, Desc: "effective_from date of the weights used."},
		Column{Name: ConfigDigestCol, Kind: String, Required: true, Desc: "sha256 of the scoring configuration."},
		Column{Name: MeasuredWeight, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "Share of the PQI's weight on components measured for this partner (its own rows); the rest are at their expectation with the prior's full uncertainty."},
		Column{Name: PQIPartial, Kind: Bool, Required: true, Desc: "The data lack the components the weight guardrails need (activity cap, lagging minimum), so the PQI rests on less than the index promises; the run's notes say what is missing."},
		Column{Name: NotMeasured, Kind: String, Desc: "Components not measured for this partner and why, e.g. \"csat (no_export); time_to_value (no_partner_rows)\"; null when all are measured."},
	)
	for c := range Component(NumComponents) {
		cols = append(cols, Column{Name: ComponentColumn(c, SufStatus), Kind: Enum, Required: true, Enum: ComponentStatuses,
			Desc: fmt.Sprintf("%s: measured, or why not: no_export (the source was not exported), no_column (the column it needs is empty in every row), no_rows (no rows in the history for anyone), no_partner_rows (none for this partner).", componentDesc[c])})
	}
	cols = append(cols,
		Column{Name: RankMedian, Kind: Float, Min: f(1), Desc: "Median overall rank over the seeded draws of weights and normalisation (docs/methodology.md, \"Rank robustness\"); null when not scored."},
		Column{Name: RankLow, Kind: Int, Min: f(1), Desc: "Best end of the 90% interval of the overall rank over those draws (5th percentile); null when not scored."},
		Column{Name: RankHigh, Kind: Int, Min: f(1), Desc: "Worst end of that interval (95th percentile); null when not scored."},
		Column{Name: RankDecileStay, Kind: Float, Min: f(0), Max: f(1), Desc: "Share of the draws that keep the partner in the decile of its overall_rank; null when not scored."},
		Column{Name: EvWeightedClosed, Kind: Float, Required: true, Min: f(0), Desc: "Closed deals over the history, each weighted by its age (1 in the window, halving every half-life before it): the count the minimum-evidence rule compares."},
	)
	cols = append(cols, healthyTargetColumns()...)
	cols = append(cols,
		Column{Name: HealthyTargetsMet, Kind: Int, Required: true, Min: f(0), Desc: "Healthy targets met (unadjusted program targets, not the PQI)."},
		Column{Name: HealthyTargetsChecked, Kind: Int, Required: true, Min: f(0), Desc: "Healthy targets checked: those with a target and evidence for the partner."},
		Column{Name: ConflictsAsFirst, Kind: Int, Required: true, Min: f(0), Desc: "Registration conflicts in the window where the partner registered first: another partner registered the same customer inside its protection period (rows of registration_conflicts)."},
		Column{Name: ConflictsAsLater, Kind: Int, Required: true, Min: f(0), Desc: "Registration conflicts in the window where the partner registered later, inside another partner's protection period: the pattern of poaching deals, to review, not a verdict."},
		Column{Name: NextTierGaps, Kind: String, Desc: "What the next tier up needs that the partner lacks this quarter, requirement by requirement, e.g. \"gold: case studies 1 (needs 3)\"; null at the top tier. For the partner's scorecard: what is needed for the next level."},
		Column{Name: BorrowedZ, Kind: Float, Desc: "What reading the outcome and behaviour components together adds to composite_z: the sum over them of weight x (joint posterior score - own score), each component's own score being the _score column; 0 when borrow_strength is off or fewer than two such components vary (docs/methodology.md, \"Borrowing strength across components\"). Every run writes it; null only in snapshots scored before the column existed."},
		Column{Name: BorrowedChange, Kind: Float, Desc: "Part of pqi_change due to borrowed_z changing: the <component>_change columns, guardrail_change and this sum to pqi_change; null when either quarter is not scored."},
	)
	return Table{
		Name:    PartnerQuality,
		Desc:    "Partner Quality Index: one row per partner per as-of quarter, with every component observed, expected, shrunk, the PQI with its interval, rank, tier recommendation and the explained change (see docs/methodology.md).",
		Key:     []string{AsOfDate, PartnerID},
		Columns: cols,
	}
}

// healthyTargetColumns are each healthy target's value, target and
// result: unadjusted program targets, never the PQI.
func healthyTargetColumns() []Column {
	var cols []Column
	const unadjusted = "Unadjusted program target, not the PQI: "
	for _, h := range HealthyTargets {
		side := "above"
		if h.Below {
			side = "below"
		}
		name := h.Comp.String()
		cols = append(cols,
			Column{Name: ComponentColumn(h.Comp, SufTargetValue), Kind: Float, Desc: unadjusted + "the raw value " + name + "'s healthy target compares, " + h.Value + ", with no case-mix adjustment; null without evidence."},
			Column{Name: ComponentColumn(h.Comp, SufTarget), Kind: Float, Desc: unadjusted + "the healthy target (configuration healthy_targets." + name + "); healthy means a value " + side + " it. Null when the target is switched off."},
			Column{Name: ComponentColumn(h.Comp, SufTargetMet), Kind: Enum, Enum: TargetResults, Desc: unadjusted + "met when " + ComponentColumn(h.Comp, SufTargetValue) + " is " + side + " the target, else missed; null without evidence or target."},
		)
	}
	return cols
}

func registrationConflicts() Table {
	return Table{
		Name: RegistrationConflicts,
		Desc: "Registrations of one customer by a second partner inside the protection period of a first partner's qualified registration (first qualified registration wins), for review; one row per later registration in the window (see docs/methodology.md).",
		Key:  []string{AsOfDate, DealID},
		Columns: []Column{
			{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date scored."},
			{Name: RunID, Kind: String, Required: true, Desc: "Score run that wrote the row."},
			{Name: CustomerID, Kind: String, Required: true, Desc: "Customer both partners registered."},
			{Name: FirstDealID, Kind: String, Required: true, Desc: "The protecting registration: the earliest qualified registration of the customer by another partner whose protection period covers the later one."},
			{Name: FirstPartnerID, Kind: String, Required: true, Desc: "Partner that registered first (primary partner of first_deal_id): the registration that wins."},
			{Name: FirstRegistered, Kind: Date, Required: true, Desc: "Date of the first registration."},
			{Name: ProtectionDays, Kind: Int, Required: true, Min: f(1), Desc: "Protection period of the first registration in days, set by the first deal's amount (configuration registration_protection: 90 days, 180 from $100,000 by default; the shorter without an amount)."},
			{Name: ProtectedUntil, Kind: Date, Required: true, Desc: "Last day of the protection: first_registered_date + protection_days."},
			{Name: DealID, Kind: String, Required: true, Desc: "The later registration, inside the protection period."},
			{Name: PartnerID, Kind: String, Required: true, Desc: "Partner that registered later (primary partner of deal_id)."},
			{Name: RegisteredDate, Kind: Date, Required: true, Desc: "Date of the later registration."},
			{Name: DaysAfterFirst, Kind: Int, Required: true, Min: f(0), Desc: "registered_date - first_registered_date, in days."},
		},
	}
}

func qualification() Table {
	return Table{
		Name: Qualification,
		Desc: "Each application in applications scored against the intake rubric (configuration intake): total, maximum, band and the points per criterion (see docs/methodology.md, \"Intake qualification scorecard\").",
		Key:  []string{AsOfDate, ApplicantID, AssessedDate},
		Columns: []Column{
			{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date scored."},
			{Name: RunID, Kind: String, Required: true, Desc: "Score run that wrote the row."},
			{Name: ApplicantID, Kind: String, Required: true, Desc: "Prospective partner assessed."},
			{Name: ApplicantName, Kind: String, Desc: "The applicant's name (first non-empty of its rows)."},
			{Name: AssessedDate, Kind: Date, Required: true, Desc: "Date of the assessment."},
			{Name: Assessor, Kind: String, Desc: "Who assessed it (first non-empty of its rows)."},
			{Name: Total, Kind: Int, Required: true, Min: f(0), Desc: "Sum over the scored criteria of score x weight."},
			{Name: Maximum, Kind: Int, Required: true, Min: f(1), Desc: "The rubric's maximum: every criterion scored 3."},
			{Name: Band, Kind: Enum, Required: true, Enum: IntakeBands, Desc: "tier1_candidate (priority enablement, co-marketing, preferred pricing), standard, probationary (a short trial with close monitoring), decline; incomplete while a criterion is not scored."},
			{Name: CriteriaPoints, Kind: String, Required: true, Desc: "Points per rubric criterion in rubric order, e.g. \"market_alignment 3x3=9; portfolio_fit not scored\"."},
			{Name: MissingCriteria, Kind: String, Desc: "Rubric criteria not scored, comma-separated; null when complete."},
			{Name: UnknownCriteria, Kind: String, Desc: "Criteria in the rows that the rubric does not have (not counted), comma-separated; null when none."},
		},
	}
}

func interventions() Table {
	return Table{
		Name: Interventions,
		Desc: "Partners flagged for intervention: one row per partner and trigger (see docs/methodology.md).",
		Key:  []string{AsOfDate, PartnerID, Trigger},
		Columns: []Column{
			{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date scored."},
			{Name: RunID, Kind: String, Required: true, Desc: "Score run that wrote the row."},
			{Name: PartnerID, Kind: String, Required: true, Desc: "Partner flagged."},
			{Name: Trigger, Kind: Enum, Required: true, Enum: InterventionTriggers, Desc: "delivery_cusum (delivery worse than the partner's own level before), churn_vs_direct (exit warning), delivery_guardrail (failing delivery capped the PQI), pqi_low (the whole PQI interval below the PQI of the weakest low_share, default 30%, of scored partners)."},
			{Name: Severity, Kind: Enum, Required: true, Enum: Severities, Desc: "high, medium or low."},
			{Name: Outlook, Kind: Enum, Required: true, Enum: Outlooks, Desc: "not_yet (new, low evidence or improving) or not_ever (enough evidence, consistently poor)."},
			{Name: Evidence, Kind: String, Required: true, Desc: "The numbers behind the flag, in plain words."},
			{Name: Statistic, Kind: Float, Required: true, Desc: "Value of the rule's statistic (CUSUM, lower bound of the churn rate ratio, delivery pillar upper bound, or PQI upper bound)."},
			{Name: Threshold, Kind: Float, Required: true, Desc: "Threshold the statistic crossed."},
			{Name: FalseAlarmRate, Kind: Float, Desc: "Probability the rule flags a partner exactly at expectation (per as-of quarter)."},
			{Name: Action, Kind: String, Required: true, Desc: "Recommended action."},
		},
	}
}
