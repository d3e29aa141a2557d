package schema

import "strings"

// Every enumeration of the contract is declared here once: a typed value is
// its position in the enumeration's list, the list gives the text stored in
// the tables, and the column definitions take their allowed values from the
// same list. Code compares typed values (schema.StatusWon), never positions
// or strings.

// Enumeration is the ordered values of one enumeration; the value of T at
// position i is Enumeration[i].
type Enumeration[T ~uint8] []string

// NullEnum marks a null (or unknown) enum value in columnar code: it is
// outside every enumeration, so Name gives "" and positions never reach it.
const NullEnum = 0xff

// Name is v's text, or "" when v is NullEnum or outside the list.
func (e Enumeration[T]) Name(v T) string {
	if int(v) < len(e) {
		return e[v]
	}
	return ""
}

// Parse returns the value whose text is s exactly.
func (e Enumeration[T]) Parse(s string) (T, bool) {
	for i, n := range e {
		if n == s {
			return T(i), true
		}
	}
	return NullEnum, false
}

// Len is the number of values.
func (e Enumeration[T]) Len() int { return len(e) }

// PartnerKind is partners.partner_type.
type PartnerKind uint8

const (
	TypeSI PartnerKind = iota
	TypeISV
	TypeReseller
	TypeMSP
	TypeReferral
	TypeAdvisory
)

// PartnerTypes are the partner types in order.
var PartnerTypes = Enumeration[PartnerKind]{"si", "isv", "reseller", "msp", "referral", "advisory"}

func (v PartnerKind) String() string { return PartnerTypes.Name(v) }

// Tier is partners.program_tier; tiers are ordered lowest first.
type Tier uint8

const (
	TierRegistered Tier = iota
	TierSilver
	TierGold
	TierPlatinum
)

// ProgramTiers are the program tiers, lowest first.
var ProgramTiers = Enumeration[Tier]{"registered", "silver", "gold", "platinum"}

func (v Tier) String() string { return ProgramTiers.Name(v) }

// ParseProgramTier reads a program tier.
func ParseProgramTier(s string) (Tier, bool) { return ProgramTiers.Parse(s) }

// JoinedSource is partners.joined_date_source.
type JoinedSource uint8

const (
	JoinedFromExport    JoinedSource = iota // the export gave joined_date
	JoinedFromFirstDeal                     // derived: the partner's earliest deal
)

// JoinedSources are the joined-date sources in order.
var JoinedSources = Enumeration[JoinedSource]{"export", "first_deal"}

func (v JoinedSource) String() string { return JoinedSources.Name(v) }

// PartnerCapability is partners.capability.
type PartnerCapability uint8

const (
	CapStaffing PartnerCapability = iota
	CapSolutionBuilder
	CapAdvisory
)

// Capabilities are the capabilities in order.
var Capabilities = Enumeration[PartnerCapability]{"staffing", "solution_builder", "advisory"}

func (v PartnerCapability) String() string { return Capabilities.Name(v) }

// DealStatus is deals.status.
type DealStatus uint8

const (
	StatusOpen DealStatus = iota
	StatusWon
	StatusLost
)

// DealStatuses are the deal statuses in order.
var DealStatuses = Enumeration[DealStatus]{"open", "won", "lost"}

func (v DealStatus) String() string { return DealStatuses.Name(v) }

// ParseDealStatus reads a deal status.
func ParseDealStatus(s string) (DealStatus, bool) { return DealStatuses.Parse(s) }

// Closed reports whether the deal is won or lost.
func (v DealStatus) Closed() bool { return v == StatusWon || v == StatusLost }

// CustomerSegment is deals.segment.
type CustomerSegment uint8

const (
	SegEnterprise CustomerSegment = iota
	SegMidMarket
	SegSMB
)

// Segments are the customer segments in order.
var Segments = Enumeration[CustomerSegment]{"enterprise", "mid_market", "smb"}

func (v CustomerSegment) String() string { return Segments.Name(v) }

// Maturity is deals.customer_maturity.
type Maturity uint8

const (
	MaturityNew Maturity = iota
	MaturityDeveloping
	MaturityMature
)

// CustomerMaturities are the customer maturities in order.
var CustomerMaturities = Enumeration[Maturity]{"new", "developing", "mature"}

func (v Maturity) String() string { return CustomerMaturities.Name(v) }

// Scope is deals.delivery_scope.
type Scope uint8

const (
	ScopeAdvisory Scope = iota
	ScopeImplementation
	ScopeTransformation
)

// DeliveryScopes are the delivery scopes in order.
var DeliveryScopes = Enumeration[Scope]{"advisory", "implementation", "transformation"}

func (v Scope) String() string { return DeliveryScopes.Name(v) }

// DealRole is deal_partners.role.
type DealRole uint8

const (
	RoleSourced DealRole = iota
	RoleInfluenced
	RoleCoSell
	RoleDelivery
	NumDealRoles = iota
)

// DealRoles are the roles in order (the order of attribution's roles column).
var DealRoles = Enumeration[DealRole]{"sourced", "influenced", "co_sell", "delivery"}

func (v DealRole) String() string { return DealRoles.Name(v) }

// ParseDealRole reads a role.
func ParseDealRole(s string) (DealRole, bool) { return DealRoles.Parse(s) }

// CostCategory is cost_to_serve.category.
type CostCategory uint8

const (
	CostEnablement CostCategory = iota
	CostMDF
	CostProgram
	CostPartnerManagement
	CostSupport
	CostOther
	CostCommission    // last: it came later, and partner_roi appends its column
	NumCostCategories = iota
)

// CostCategories are the cost categories in order (the order of
// partner_roi's cost columns).
var CostCategories = Enumeration[CostCategory]{"enablement", "mdf", "program", "partner_management", "support", "other", "commission"}

func (v CostCategory) String() string { return CostCategories.Name(v) }

// ParseCostCategory reads a cost category.
func ParseCostCategory(s string) (CostCategory, bool) { return CostCategories.Parse(s) }

// EvidenceState is partner_quality.evidence_status.
type EvidenceState uint8

const (
	EvidenceScored       EvidenceState = iota // ranked
	EvidenceInsufficient                      // too few closed deals to say anything
	EvidenceUnresolved                        // enough evidence, but the interval cannot place the partner
)

// EvidenceStatuses are the evidence states in order.
var EvidenceStatuses = Enumeration[EvidenceState]{"scored", "insufficient_evidence", "indistinguishable"}

func (v EvidenceState) String() string { return EvidenceStatuses.Name(v) }

// ComponentStatus says whether a PQI component was measured for a partner
// and, when not, why: the source was not exported, the column it needs is
// empty in every row, the window holds no rows of it for anyone, or none
// for this partner.
type ComponentStatus uint8

const (
	Measured ComponentStatus = iota
	NoExport
	NoColumn
	NoRows
	NoPartnerRows
)

// ComponentStatuses are the component states in order.
var ComponentStatuses = Enumeration[ComponentStatus]{"measured", "no_export", "no_column", "no_rows", "no_partner_rows"}

func (v ComponentStatus) String() string { return ComponentStatuses.Name(v) }

// ParseComponentStatus reads a component state.
func ParseComponentStatus(s string) (ComponentStatus, bool) { return ComponentStatuses.Parse(s) }

// TargetResult is partner_quality.<component>_target_met: a partner's raw
// value against a program's healthy target.
type TargetResult uint8

const (
	TargetMet TargetResult = iota
	TargetMissed
)

// TargetResults are the healthy-target results in order.
var TargetResults = Enumeration[TargetResult]{"met", "missed"}

func (v TargetResult) String() string { return TargetResults.Name(v) }

// IntakeBand is qualification.band: a prospective partner's band on the
// qualification rubric. An application with a criterion not scored is
// incomplete: the band needs every criterion.
type IntakeBand uint8

const (
	BandTier1 IntakeBand = iota
	BandStandard
	BandProbationary
	BandDecline
	BandIncomplete
)

// IntakeBands are the qualification bands in order.
var IntakeBands = Enumeration[IntakeBand]{"tier1_candidate", "standard", "probationary", "decline", "incomplete"}

func (v IntakeBand) String() string { return IntakeBands.Name(v) }

// TierAdvice is partner_quality.tier_recommendation.
type TierAdvice uint8

const (
	RecPromote TierAdvice = iota
	RecHold
	RecDemote
	RecReviewExit
	// RecAtRisk keeps the tier but says what the partner misses: a program
	// requirement (certified staff, case studies), or an outcome the PQI
	// cannot yet confirm (insufficient evidence).
	RecAtRisk
)

// TierRecommendations are the tier recommendations in order.
var TierRecommendations = Enumeration[TierAdvice]{"promote", "hold", "demote", "review_exit", "at_risk"}

func (v TierAdvice) String() string { return TierRecommendations.Name(v) }

// ParseTierRecommendation reads a tier recommendation.
func ParseTierRecommendation(s string) (TierAdvice, bool) {
	return TierRecommendations.Parse(s)
}

// InterventionTrigger is interventions.trigger.
type InterventionTrigger uint8

const (
	TriggerDeliveryCUSUM InterventionTrigger = iota
	TriggerChurnVsDirect
	TriggerDeliveryGuardrail
	TriggerPQILow
)

// InterventionTriggers are the intervention triggers in order.
var InterventionTriggers = Enumeration[InterventionTrigger]{"delivery_cusum", "churn_vs_direct", "delivery_guardrail", "pqi_low"}

func (v InterventionTrigger) String() string { return InterventionTriggers.Name(v) }

// ParseInterventionTrigger reads a trigger.
func ParseInterventionTrigger(s string) (InterventionTrigger, bool) {
	return InterventionTriggers.Parse(s)
}

// SeverityLevel is interventions.severity.
type SeverityLevel uint8

const (
	SeverityHigh SeverityLevel = iota
	SeverityMedium
	SeverityLow
)

// Severities are the severities, highest first.
var Severities = Enumeration[SeverityLevel]{"high", "medium", "low"}

func (v SeverityLevel) String() string { return Severities.Name(v) }

// ParseSeverity reads a severity.
func ParseSeverity(s string) (SeverityLevel, bool) { return Severities.Parse(s) }

// FlagOutlook is interventions.outlook.
type FlagOutlook uint8

const (
	OutlookNotYet FlagOutlook = iota
	OutlookNotEver
)

// Outlooks are the outlooks in order.
var Outlooks = Enumeration[FlagOutlook]{"not_yet", "not_ever"}

func (v FlagOutlook) String() string { return Outlooks.Name(v) }

// ParseOutlook reads an outlook.
func ParseOutlook(s string) (FlagOutlook, bool) { return Outlooks.Parse(s) }

// Tail is partner_roi.tail_segment; segments are ordered head first.
type Tail uint8

const (
	TailHead Tail = iota
	TailTorso
	TailLong
	NumTails = iota
)

// TailSegments are the long-tail segments, head first.
var TailSegments = Enumeration[Tail]{"head", "torso", "long_tail"}

func (v Tail) String() string { return TailSegments.Name(v) }

// ParseTailSegment reads a long-tail segment.
func ParseTailSegment(s string) (Tail, bool) { return TailSegments.Parse(s) }

// Move is partner_roi.segment_move.
type Move uint8

const (
	MoveNew Move = iota
	MoveSame
	MoveUp
	MoveDown
)

// SegmentMoves are the segment moves in order.
var SegmentMoves = Enumeration[Move]{"new", "same", "up", "down"}

func (v Move) String() string { return SegmentMoves.Name(v) }

// ParseSegmentMove reads a segment move.
func ParseSegmentMove(s string) (Move, bool) { return SegmentMoves.Parse(s) }

// MoveBetween is the move from segment prev to cur (head is up).
func MoveBetween(prev, cur Tail) Move {
	switch {
	case cur < prev:
		return MoveUp
	case cur > prev:
		return MoveDown
	}
	return MoveSame
}

// ROIArm is partner_roi.roi_group.
type ROIArm uint8

const (
	GroupInvested ROIArm = iota
	GroupComparison
	GroupNotEligible
)

// ROIGroups are the ROI groups in order.
var ROIGroups = Enumeration[ROIArm]{"invested", "comparison", "not_eligible"}

func (v ROIArm) String() string { return ROIGroups.Name(v) }

// ROIStatus is the roi_state of partner_roi and segment_roi.
type ROIStatus uint8

const (
	ROINotInvested ROIStatus = iota
	ROIPrePeriod
	ROIEstimated
	ROIInsufficient
	ROINotMeasured // no cost_to_serve: spend, and so any return on it, is unknown
)

// CommissionSource is partner_roi.commission_basis: where a commission
// figure comes from.
type CommissionSource uint8

const (
	CommissionExported    CommissionSource = iota // cost_to_serve has commission rows
	CommissionEstimated                           // none: configured tier rate x attributed won revenue
	CommissionNotExported                         // none and no rate: unknown, null
)

// CommissionBases are the commission bases in order.
var CommissionBases = Enumeration[CommissionSource]{"exported", "estimated", "not_exported"}

func (v CommissionSource) String() string { return CommissionBases.Name(v) }

// ROIStates are the ROI states in order.
var ROIStates = Enumeration[ROIStatus]{"not_invested", "pre_period", "estimated", "insufficient_evidence", "not_measured"}

func (v ROIStatus) String() string { return ROIStates.Name(v) }

// CohortKind is cohort_metrics.cohort_type.
type CohortKind uint8

const (
	CohortJoinQuarter CohortKind = iota
	CohortStage
	CohortVertical
	CohortCapability
)

// CohortTypes are the cohort types in order.
var CohortTypes = Enumeration[CohortKind]{"join_quarter", "stage", "vertical", "capability"}

func (v CohortKind) String() string { return CohortTypes.Name(v) }

// MaturityStage is a partner's stage, a cohort of type stage.
type MaturityStage uint8

const (
	StageAwareness MaturityStage = iota
	StageActivation
	StageAcceleration
)

// MaturityStages are the stages in order.
var MaturityStages = Enumeration[MaturityStage]{"awareness", "activation", "acceleration"}

func (v MaturityStage) String() string { return MaturityStages.Name(v) }

// ReasonCode is quarantine.reason_code: why a row was rejected, stable so
// rejections can be counted and grouped (the reason column says it in
// words, with the row's values and the fix). reasonMeaning says what each
// means.
type ReasonCode uint8

const (
	ReasonUnreadable ReasonCode = iota
	ReasonMissingRequired
	ReasonNotADate
	ReasonNotANumber
	ReasonNotABoolean
	ReasonUnknownEnum
	ReasonOutOfRange
	ReasonStatusDateMismatch
	ReasonDateOrder
	ReasonFutureDate
	ReasonInconsistentCounts
	ReasonNotFirstOfMonth
	ReasonUnknownReference
	ReasonParentQuarantined
	ReasonDuplicateKey
)

// ReasonCodes are the reason codes in order.
var ReasonCodes = Enumeration[ReasonCode]{"unreadable_row", "missing_required", "not_a_date", "not_a_number", "not_a_boolean",
	"unknown_enum", "out_of_range", "status_date_mismatch", "date_order", "future_date", "inconsistent_counts",
	"not_first_of_month", "unknown_reference", "parent_quarantined", "duplicate_key"}

func (v ReasonCode) String() string { return ReasonCodes.Name(v) }

// reasonMeaning says what each reason code means, for the contract.
var reasonMeaning = [...]string{
	ReasonUnreadable: "the row could not be split into cells", ReasonMissingRequired: "a required value is empty",
	ReasonNotADate: "a date that does not parse", ReasonNotANumber: "an amount or count that does not parse",
	ReasonNotABoolean: "a yes/no that does not parse", ReasonUnknownEnum: "a value outside the column's values",
	ReasonOutOfRange: "a number below its minimum or above its maximum", ReasonStatusDateMismatch: "a date set or missing against the row's status",
	ReasonDateOrder: "two dates in the wrong order", ReasonFutureDate: "a date after the as-of date",
	ReasonInconsistentCounts: "counts that contradict each other", ReasonNotFirstOfMonth: "a monthly period not on the 1st",
	ReasonUnknownReference: "an id the referenced table does not have", ReasonParentQuarantined: "an id whose row in the referenced table was quarantined",
	ReasonDuplicateKey: "a key an earlier row already loaded",
}

func reasonMeanings() string {
	parts := make([]string, len(ReasonCodes))
	for i, n := range ReasonCodes {
		parts[i] = n + " (" + reasonMeaning[i] + ")"
	}
	return strings.Join(parts, ", ")
}

// ParseReasonCode reads a reason code.
func ParseReasonCode(s string) (ReasonCode, bool) { return ReasonCodes.Parse(s) }

// Meaning says in plain words what the reason code means.
func (v ReasonCode) Meaning() string { return reasonMeaning[v] }
