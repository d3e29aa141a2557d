package schema

// Decisions is the optional input of decision records: tier overrides,
// fund and incentive exceptions, and exits, as the program decided them,
// so that later anyone can tell who decided what, on which evidence, and
// how it turned out (mart_decision_review).
const Decisions = "decisions"

// Decision record columns.
const (
	DecisionID   = "decision_id"
	DecisionKind = "kind"
	DecidedDate  = "decided_date"
	Deciders     = "deciders"
	Context      = "context"
	DecisionText = "decision"
	DecidedTier  = "decided_tier"
	DecisionStat = "status"
	ReviewDate   = "review_date"
)

// DecisionKindOf is decisions.kind.
type DecisionKindOf uint8

const (
	DecisionTierOverride DecisionKindOf = iota // a tier other than the recommendation's
	DecisionFundException
	DecisionIncentiveException
	DecisionExit
)

// DecisionKinds are the kinds of decision record.
var DecisionKinds = Enumeration[DecisionKindOf]{"tier_override", "fund_exception", "incentive_exception", "exit"}

func (v DecisionKindOf) String() string { return DecisionKinds.Name(v) }

// DecisionStatus is decisions.status.
type DecisionStatus uint8

const (
	DecisionProposed DecisionStatus = iota
	DecisionApproved
	DecisionRejected
	DecisionWithdrawn
)

// DecisionStatuses are the states of a decision record.
var DecisionStatuses = Enumeration[DecisionStatus]{"proposed", "approved", "rejected", "withdrawn"}

func (v DecisionStatus) String() string { return DecisionStatuses.Name(v) }

func decisions() Table {
	return Table{
		Name:  Decisions,
		Desc:  "Decision records: tier overrides, fund and incentive exceptions and exits, one row per decision, with who decided, on what context, and when to review it.",
		Input: true,
		Key:   []string{DecisionID},
		Known: DecidedDate,
		Columns: []Column{
			{Name: DecisionID, Kind: String, Required: true, Desc: "Decision identifier, unique."},
			{Name: PartnerID, Kind: String, Required: true, Ref: &Ref{Partners, PartnerID}, Desc: "Partner the decision is about."},
			{Name: DecisionKind, Kind: Enum, Required: true, Enum: DecisionKinds, Desc: "tier_override, fund_exception, incentive_exception or exit."},
			{Name: DecidedDate, Kind: Date, Required: true, Desc: "Date the decision was taken; it is linked to the latest scores on or before it."},
			{Name: Deciders, Kind: String, Required: true, Desc: "Who decided, e.g. \"a.novak; m.okafor\"."},
			{Name: Context, Kind: String, Desc: "The context and reasons the deciders gave."},
			{Name: DecisionText, Kind: String, Required: true, Desc: "What was decided, in words."},
			{Name: DecidedTier, Kind: Enum, Enum: ProgramTiers, Desc: "For a tier override, the tier decided; null otherwise."},
			{Name: DecisionStat, Kind: Enum, Required: true, Enum: DecisionStatuses, Desc: "proposed, approved, rejected or withdrawn."},
			{Name: ReviewDate, Kind: Date, Desc: "When the decision is to be reviewed against its outcome; null = at the next quarter."},
		},
		Checks: []Check{
			notAfterAsOf(DecidedDate),
			notBefore(ReviewDate, DecidedDate, "a decision is reviewed after it is taken; check both dates"),
			{
				Column: DecidedTier, Uses: []string{DecisionKind},
				Code: ReasonMissingRequired,
				Rule: "a tier override has no decided_tier",
				Fix:  "fill decided_tier with the tier the override sets",
				Fn: func(r Row) bool {
					k, _ := r.Str(DecisionKind)
					_, set := r.Str(DecidedTier)
					return k != DecisionTierOverride.String() || set
				},
			},
		},
	}
}
