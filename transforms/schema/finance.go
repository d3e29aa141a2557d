package schema

// Finance table names.
const (
	Attribution   = "attribution"
	PartnerROI    = "partner_roi"
	SegmentROI    = "segment_roi"
	CohortMetrics = "cohort_metrics"
)

// Finance column names (see docs/methodology.md (Part II) for every formula).
const (
	// attribution
	Roles              = "roles"
	PartnersOnDeal     = "partners_on_deal"
	SourcedOnlyShare   = "sourced_only_share"
	SourcedOnlyUSD     = "sourced_only_usd"
	EqualSplitShare    = "equal_split_share"
	EqualSplitUSD      = "equal_split_usd"
	RoleWeightedShare  = "role_weighted_share"
	RoleWeightedUSD    = "role_weighted_usd"
	ShapleyShare       = "shapley_share"
	ShapleyUSD         = "shapley_usd"
	Primary6040Share   = "primary_60_40_share"
	Primary6040USD     = "primary_60_40_usd"
	QuarterStart       = "quarter_start"
	Quarter            = "quarter"
	TailSegment        = "tail_segment"
	PrevTailSegment    = "prev_tail_segment"
	SegmentMove        = "segment_move"
	TrailingWonUSD     = "trailing_won_revenue_usd"
	RevenueShare       = "revenue_share"
	CumulativeShare    = "cumulative_share"
	CostEnablementUSD  = "cost_enablement_usd"
	CostMDFUSD         = "cost_mdf_usd"
	CostProgramUSD     = "cost_program_usd"
	CostManagementUSD  = "cost_partner_management_usd"
	CostSupportUSD     = "cost_support_usd"
	CostOtherUSD       = "cost_other_usd"
	CostCommissionUSD  = "cost_commission_usd"
	CommissionBasis    = "commission_basis"
	CostTotalUSD       = "cost_total_usd"
	EnablementHours    = "enablement_hours"
	ManagementHours    = "management_hours"
	InvestmentUSD      = "investment_usd"
	DealsCreated       = "deals_created"
	PipelineCreatedUSD = "pipeline_created_usd"
	PipelineAttrUSD    = "pipeline_attributed_usd"
	WonDeals           = "won_deals"
	WonRevenueUSD      = "won_revenue_usd"
	PipelinePerDollar  = "pipeline_per_dollar"
	MarketplaceDeals   = "marketplace_deals"
	MarketplaceGrowth  = "marketplace_growth"
	AEInvitedDeals     = "ae_invited_deals"
	AERepeatInvites    = "ae_repeat_invitations"
	Momentum           = "momentum"
	ROIGroup           = "roi_group"
	InvestmentStart    = "investment_start"
	InvestmentSegment  = "investment_segment"
	BaselinePipeline   = "baseline_pipeline_usd"
	ExpectedPipeline   = "expected_pipeline_usd"
	PipelineLiftUSD    = "pipeline_lift_usd"
	IncrementalSpend   = "incremental_spend_usd"
	ROI                = "roi"
	ROILow             = "roi_low"
	ROIHigh            = "roi_high"
	ROIState           = "roi_state"
	ComparisonPartners = "comparison_partners"

	// segment_roi
	PartnerQuarters         = "partner_quarters"
	InvestedPartnerQuarters = "invested_partner_quarters"
	AverageReturn           = "average_return"
	MarginalROI             = "marginal_roi"
	MarginalROILow          = "marginal_roi_low"
	MarginalROIHigh         = "marginal_roi_high"

	// cohort_metrics
	CohortType         = "cohort_type"
	BeforeData         = "before_data"
	ActivationPartners = "activation_partners"
	Cohort             = "cohort"
	Period             = "period"
	PartnerCount       = "partners"
	ActivatedPartners  = "activated_partners"
	ActivationRate     = "activation_rate"
	AvgDaysToFirstDeal = "avg_days_to_first_deal"
	ActivePartners     = "active_partners"
	RetainedPartners   = "retained_partners"
	RetentionRate      = "retention_rate"
	PipelineUSD        = "pipeline_usd"
	AvgWinDays         = "avg_win_days"
)

// WindowQuarter is the quarter label of a segment_roi row summing every
// quarter of the window.
const WindowQuarter = "window"

// financeTables are the scored tables for finance and partner leaders:
// attribution, partner_roi, segment_roi and cohort_metrics.
func financeTables() []Table {
	return []Table{attribution(), partnerROI(), segmentROI(), cohortMetrics()}
}

func financeScored() []Column {
	return []Column{
		{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date the scores are for."},
		{Name: RunID, Kind: String, Required: true, Desc: "Score run that computed the row (see the runs table)."},
	}
}

func finMoney(name, desc string, required bool) Column {
	return Column{Name: name, Kind: Money, Required: required, Desc: desc}
}

func attribution() Table {
	cols := append(financeScored(),
		Column{Name: DealID, Kind: String, Required: true, Desc: "Deal credited."},
		Column{Name: PartnerID, Kind: String, Required: true, Desc: "Partner receiving credit."},
		Column{Name: Roles, Kind: String, Required: true, Desc: "The partner's roles on the deal, comma-separated in the order sourced, influenced, co_sell, delivery."},
		Column{Name: PartnersOnDeal, Kind: Int, Required: true, Min: f(1), Desc: "Distinct partners on the deal."},
		Column{Name: Status, Kind: Enum, Required: true, Enum: DealStatuses, Desc: "Deal status: open, won or lost."},
		Column{Name: CreatedDate, Kind: Date, Required: true, Desc: "Date the deal was created."},
		Column{Name: ClosedDate, Kind: Date, Desc: "Date the deal closed; null while open."},
		finMoney(AmountUSD, "Deal amount in USD (the whole deal); null when the deal has no amount.", false),
		Column{Name: SourcedOnlyShare, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "Share under sourced_only: the sourcing partners split the deal equally (the leading role when nobody sourced it)."},
		finMoney(SourcedOnlyUSD, "amount_usd x sourced_only share, in cents rounded by largest remainder so a deal's credits sum exactly to its amount.", false),
		Column{Name: EqualSplitShare, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "Share under equal_split: 1 / partners_on_deal."},
		finMoney(EqualSplitUSD, "amount_usd x equal_split share (largest-remainder cents).", false),
		Column{Name: RoleWeightedShare, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "Share under role_weighted: the partner's role weight over the deal's total (weights in configuration)."},
		finMoney(RoleWeightedUSD, "amount_usd x role_weighted share (largest-remainder cents).", false),
		Column{Name: ShapleyShare, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "Shapley value of the partner in the deal's role-capability game (value = strongest role weight present)."},
		finMoney(ShapleyUSD, "amount_usd x shapley share (largest-remainder cents).", false),
		Column{Name: Primary6040Share, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "Share under primary_60_40: the primary partner (the leading role, as in sourced_only) takes the configured primary share (default 0.6) and the other partners split the rest equally; 1 / partners_on_deal when every partner holds the leading role."},
		finMoney(Primary6040USD, "amount_usd x primary_60_40 share (largest-remainder cents).", false),
	)
	return Table{
		Name:    Attribution,
		Desc:    "Credit for every partnered deal among its partners under five models side by side; per model a deal's shares sum to 1 and its credited amounts to its amount. Direct deals have no rows.",
		Key:     []string{DealID, PartnerID},
		Columns: cols,
	}
}

func finCostCols() []Column {
	const none = " Null when no cost_to_serve was exported (cost is not measured)."
	return []Column{
		finMoney(CostEnablementUSD, "Enablement cost in the quarter."+none, false),
		finMoney(CostMDFUSD, "Market development funds in the quarter."+none, false),
		finMoney(CostProgramUSD, "Program cost in the quarter."+none, false),
		finMoney(CostManagementUSD, "Partner management cost in the quarter."+none, false),
		finMoney(CostSupportUSD, "Support cost in the quarter."+none, false),
		finMoney(CostOtherUSD, "Other cost in the quarter."+none, false),
		finMoney(CostTotalUSD, "Cost to serve in the quarter, every exported category (commission included when exported, never an estimate)."+none, false),
	}
}

// finCommission are the commission columns, appended after the columns
// that came before them (outputs grow, never reorder).
func finCommission(of string) []Column {
	return []Column{
		finMoney(CostCommissionUSD, "Commission in the quarter: the cost_to_serve commission rows when the export has any (then part of cost_total_usd), else the configured rate of the partner's current program tier x attributed won revenue, an estimate kept out of cost_total_usd; null when neither exists. Commission follows revenue: it is not investment.", false),
		{Name: CommissionBasis, Kind: Enum, Required: true, Enum: CommissionBases, Desc: "Where cost_commission_usd comes from for " + of + ": exported (cost_to_serve commission rows), estimated (finance.roi.commission_rates, no commission rows exported) or not_exported (neither: null)."},
	}
}

func partnerROI() Table {
	cols := append(financeScored(),
		Column{Name: PartnerID, Kind: String, Required: true, Desc: "Partner."},
		Column{Name: QuarterStart, Kind: Date, Required: true, Desc: "First day of the quarter."},
		Column{Name: Quarter, Kind: String, Required: true, Desc: "Quarter label, e.g. 2026-Q3."},
		Column{Name: TailSegment, Kind: Enum, Required: true, Enum: TailSegments, Desc: "head, torso or long_tail by the partner's share of trailing attributed won revenue this quarter."},
		Column{Name: PrevTailSegment, Kind: Enum, Enum: TailSegments, Desc: "Segment the quarter before; null when the partner had no row then."},
		Column{Name: SegmentMove, Kind: Enum, Required: true, Enum: SegmentMoves, Desc: "new, same, up (toward head) or down (toward long tail) from prev_tail_segment."},
		finMoney(TrailingWonUSD, "Attributed won revenue over the trailing segmentation window ending this quarter; what the segment ranks on.", true),
		Column{Name: RevenueShare, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "trailing_won_revenue_usd over all partners' total."},
		Column{Name: CumulativeShare, Kind: Float, Required: true, Min: f(0), Max: f(1), Desc: "Share of all partners ranked above this one (revenue descending, partner_id ascending); head while it is below the head threshold."},
	)
	cols = append(cols, finCostCols()...)
	cols = append(cols,
		Column{Name: EnablementHours, Kind: Float, Min: f(0), Desc: "Enablement hours in the quarter; null when cost is not measured."},
		Column{Name: ManagementHours, Kind: Float, Min: f(0), Desc: "Partner management hours in the quarter; null when cost is not measured."},
		finMoney(InvestmentUSD, "Spend counted as investment (configured categories; default enablement, mdf, program, partner_management); null when cost is not measured.", false),
		Column{Name: DealsCreated, Kind: Int, Required: true, Min: f(0), Desc: "Deals created in the quarter that the partner is on (any role)."},
		finMoney(PipelineCreatedUSD, "Pipeline created: sourced_only credit of deals created in the quarter.", true),
		finMoney(PipelineAttrUSD, "Pipeline attributed: credit under the configured model of deals created in the quarter (sourced and influenced).", true),
		Column{Name: WonDeals, Kind: Int, Required: true, Min: f(0), Desc: "Deals the partner is on that were won in the quarter."},
		finMoney(WonRevenueUSD, "Attributed won revenue (configured model) of deals closed won in the quarter.", true),
		Column{Name: PipelinePerDollar, Kind: Float, Desc: "pipeline_created_usd / investment_usd: an average, not a causal return; null without investment."},
		Column{Name: MarketplaceDeals, Kind: Int, Required: true, Min: f(0), Desc: "Deals created in the quarter via a marketplace."},
		Column{Name: MarketplaceGrowth, Kind: Float, Desc: "marketplace_deals over the previous quarter's, minus 1; null when the previous quarter had none."},
		Column{Name: AEInvitedDeals, Kind: Int, Required: true, Min: f(0), Desc: "Deals created in the quarter on which an account executive pulled the partner in."},
		Column{Name: AERepeatInvites, Kind: Int, Required: true, Min: f(0), Desc: "AE-invited deals in the quarter other than the partner's first ever: AEs coming back."},
		Column{Name: Momentum, Kind: Bool, Required: true, Desc: "Leading signal: marketplace deals grew, or AEs invited the partner again, this quarter."},
		Column{Name: ROIGroup, Kind: Enum, Required: true, Enum: ROIGroups, Desc: "invested (a spend step-up was detected), comparison (eligible, no step-up) or not_eligible (too little history)."},
		Column{Name: InvestmentStart, Kind: Date, Desc: "First day of the quarter the detected step-up starts; null unless invested."},
		Column{Name: InvestmentSegment, Kind: Enum, Enum: TailSegments, Desc: "The partner's segment the quarter before the step-up; the segment its lift is rolled up in."},
		finMoney(BaselinePipeline, "Own pre-period baseline: mean pipeline created per quarter before the step-up.", false),
		finMoney(ExpectedPipeline, "Counterfactual pipeline: baseline x the comparison group's growth from the pre-period to this quarter.", false),
		finMoney(PipelineLiftUSD, "pipeline_created_usd - expected_pipeline_usd, on quarters from the step-up on.", false),
		finMoney(IncrementalSpend, "investment_usd - the counterfactual investment (pre-period mean x comparison growth), from the step-up on.", false),
		Column{Name: ROI, Kind: Float, Desc: "Difference-in-differences return: cumulative pipeline lift / cumulative incremental spend from the step-up through this quarter."},
		Column{Name: ROILow, Kind: Float, Desc: "Lower bound of the seeded bootstrap interval of roi."},
		Column{Name: ROIHigh, Kind: Float, Desc: "Upper bound of the seeded bootstrap interval of roi."},
		Column{Name: ROIState, Kind: Enum, Required: true, Enum: ROIStates, Desc: "not_invested, pre_period, estimated, insufficient_evidence (the interval would be meaningless: roi and its bounds are null), or not_measured (no cost_to_serve was exported)."},
		Column{Name: ComparisonPartners, Kind: Int, Min: f(0), Desc: "Comparison partners the counterfactual is built from; null unless invested."},
	)
	cols = append(cols, finCommission("this partner")...)
	return Table{
		Name:    PartnerROI,
		Desc:    "Cost to serve versus pipeline per partner and quarter: cost by category, pipeline created and attributed, won revenue, long-tail segment and its movement, leading indicators, and the difference-in-differences return on the detected investment step-up with a bootstrap interval.",
		Key:     []string{PartnerID, QuarterStart},
		Columns: cols,
	}
}

func segmentROI() Table {
	cols := append(financeScored(),
		Column{Name: Quarter, Kind: String, Required: true, Desc: "Quarter label (e.g. 2026-Q3), or \"window\" for the sum of every quarter."},
		Column{Name: QuarterStart, Kind: Date, Desc: "First day of the quarter; null on window rows."},
		Column{Name: TailSegment, Kind: Enum, Required: true, Enum: TailSegments, Desc: "Long-tail segment."},
		Column{Name: PartnerQuarters, Kind: Int, Required: true, Min: f(0), Desc: "partner_roi rows in the segment (per quarter: partners)."},
	)
	cols = append(cols, finCostCols()...)
	cols = append(cols,
		finMoney(InvestmentUSD, "Investment spend of the segment's partners; null when cost is not measured.", false),
		finMoney(PipelineCreatedUSD, "Pipeline created by the segment's partners.", true),
		finMoney(PipelineAttrUSD, "Pipeline attributed to the segment's partners.", true),
		finMoney(WonRevenueUSD, "Attributed won revenue of the segment's partners.", true),
		Column{Name: AverageReturn, Kind: Float, Desc: "pipeline_created_usd / investment_usd: average pipeline per dollar (not causal); null without investment."},
		Column{Name: InvestedPartnerQuarters, Kind: Int, Required: true, Min: f(0), Desc: "Post-step-up partner_roi rows with an estimate whose investment_segment is this segment."},
		finMoney(PipelineLiftUSD, "Sum of their pipeline_lift_usd; null when cost is not measured.", false),
		finMoney(IncrementalSpend, "Sum of their incremental_spend_usd; null when cost is not measured.", false),
		Column{Name: MarginalROI, Kind: Float, Desc: "Pooled difference-in-differences return: pipeline_lift_usd / incremental_spend_usd, what one more dollar bought in this segment."},
		Column{Name: MarginalROILow, Kind: Float, Desc: "Lower bound of the seeded bootstrap interval of marginal_roi."},
		Column{Name: MarginalROIHigh, Kind: Float, Desc: "Upper bound of the seeded bootstrap interval of marginal_roi."},
		Column{Name: ROIState, Kind: Enum, Required: true, Enum: ROIStates, Desc: "estimated, insufficient_evidence, not_invested when no invested partner contributes, or not_measured (no cost_to_serve was exported)."},
	)
	cols = append(cols, finCommission("the run (an estimate sums the partners whose tier has a rate)")...)
	return Table{
		Name:    SegmentROI,
		Desc:    "partner_roi rolled up per long-tail segment and quarter (and over the window): cost, pipeline, revenue, and the marginal return on one more dollar of investment.",
		Key:     []string{Quarter, TailSegment},
		Columns: cols,
	}
}

func cohortMetrics() Table {
	cols := append(financeScored(),
		Column{Name: CohortType, Kind: Enum, Required: true, Enum: CohortTypes, Desc: "How partners are grouped: join_quarter, stage (maturity), vertical or capability."},
		Column{Name: Cohort, Kind: String, Required: true, Desc: "The group: a join quarter (2025-Q1), a stage (awareness, activation, acceleration), a vertical or a capability; \"unknown\" when null."},
		Column{Name: Period, Kind: Int, Required: true, Min: f(0), Desc: "Quarters since the partner's join quarter (0 = the join quarter): the triangle's column."},
		Column{Name: PartnerCount, Kind: Int, Required: true, Min: f(0), Desc: "Cohort partners observed at this period (joined at least period quarters before the as-of quarter)."},
		Column{Name: ActivatedPartners, Kind: Int, Required: true, Min: f(0), Desc: "Of activation_partners, those with a registered deal by the end of the period."},
		Column{Name: ActivationRate, Kind: Float, Desc: "activated_partners / activation_partners; null when none (the cohort joined before the deals data begin: unknown, not zero)."},
		Column{Name: AvgDaysToFirstDeal, Kind: Float, Desc: "Mean days from joined_date to the first registered deal, over the activated partners."},
		Column{Name: ActivePartners, Kind: Int, Min: f(0), Desc: "Partners on at least one deal created in the period; null when the period is before the deals data begin for every partner of the cell (so are the other per-period measures)."},
		Column{Name: RetainedPartners, Kind: Int, Min: f(0), Desc: "Partners active both in this period and the one before (both inside the data)."},
		Column{Name: RetentionRate, Kind: Float, Desc: "retained_partners / active partners of the previous period (same members); null at period 0."},
		Column{Name: DealsCreated, Kind: Int, Min: f(0), Desc: "Partner-deals created in the period (a deal with two cohort partners counts twice)."},
		finMoney(PipelineUSD, "Attributed pipeline (configured model) of deals created in the period.", false),
		Column{Name: WonDeals, Kind: Int, Min: f(0), Desc: "Partner-deals won in the period."},
		finMoney(WonRevenueUSD, "Attributed won revenue of deals won in the period.", false),
		Column{Name: AvgWinDays, Kind: Float, Desc: "Win velocity: mean days from created_date to closed_date of the deals won in the period."},
		Column{Name: AEInvitedDeals, Kind: Int, Min: f(0), Desc: "AE-invited partner-deals created in the period."},
		Column{Name: BeforeData, Kind: Bool, Required: true, Desc: "True when some of the cell's partners joined before the deals data begin (the quarter of the earliest deal): their activation, and their periods before the data, are unknown and left out of every measure."},
		Column{Name: ActivationPartners, Kind: Int, Required: true, Min: f(0), Desc: "Partners of the cell whose activation is known: those that joined since the deals data began."},
	)
	return Table{
		Name:    CohortMetrics,
		Desc:    "Partner cohorts (by join quarter, maturity stage, vertical, capability) per period since joining, shaped for a triangle chart.",
		Key:     []string{CohortType, Cohort, Period},
		Columns: cols,
	}
}
