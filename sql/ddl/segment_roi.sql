-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.segment_roi` (
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date the scores are for."),
  run_id STRING NOT NULL OPTIONS(description = "Score run that computed the row (see the runs table)."),
  quarter STRING NOT NULL OPTIONS(description = "Quarter label (e.g. 2026-Q3), or \"window\" for the sum of every quarter."),
  quarter_start DATE OPTIONS(description = "First day of the quarter; null on window rows."),
  tail_segment STRING NOT NULL OPTIONS(description = "Long-tail segment."),
  partner_quarters INT64 NOT NULL OPTIONS(description = "partner_roi rows in the segment (per quarter: partners)."),
  cost_enablement_usd NUMERIC(18, 2) OPTIONS(description = "Enablement cost in the quarter. Null when no cost_to_serve was exported (cost is not measured)."),
  cost_mdf_usd NUMERIC(18, 2) OPTIONS(description = "Market development funds in the quarter. Null when no cost_to_serve was exported (cost is not measured)."),
  cost_program_usd NUMERIC(18, 2) OPTIONS(description = "Program cost in the quarter. Null when no cost_to_serve was exported (cost is not measured)."),
  cost_partner_management_usd NUMERIC(18, 2) OPTIONS(description = "Partner management cost in the quarter. Null when no cost_to_serve was exported (cost is not measured)."),
  cost_support_usd NUMERIC(18, 2) OPTIONS(description = "Support cost in the quarter. Null when no cost_to_serve was exported (cost is not measured)."),
  cost_other_usd NUMERIC(18, 2) OPTIONS(description = "Other cost in the quarter. Null when no cost_to_serve was exported (cost is not measured)."),
  cost_total_usd NUMERIC(18, 2) OPTIONS(description = "Cost to serve in the quarter, every exported category (commission included when exported, never an estimate). Null when no cost_to_serve was exported (cost is not measured)."),
  investment_usd NUMERIC(18, 2) OPTIONS(description = "Investment spend of the segment's partners; null when cost is not measured."),
  pipeline_created_usd NUMERIC(18, 2) NOT NULL OPTIONS(description = "Pipeline created by the segment's partners."),
  pipeline_attributed_usd NUMERIC(18, 2) NOT NULL OPTIONS(description = "Pipeline attributed to the segment's partners."),
  won_revenue_usd NUMERIC(18, 2) NOT NULL OPTIONS(description = "Attributed won revenue of the segment's partners."),
  average_return FLOAT64 OPTIONS(description = "pipeline_created_usd / investment_usd: average pipeline per dollar (not causal); null without investment."),
  invested_partner_quarters INT64 NOT NULL OPTIONS(description = "Post-step-up partner_roi rows with an estimate whose investment_segment is this segment."),
  pipeline_lift_usd NUMERIC(18, 2) OPTIONS(description = "Sum of their pipeline_lift_usd; null when cost is not measured."),
  incremental_spend_usd NUMERIC(18, 2) OPTIONS(description = "Sum of their incremental_spend_usd; null when cost is not measured."),
  marginal_roi FLOAT64 OPTIONS(description = "Pooled difference-in-differences return: pipeline_lift_usd / incremental_spend_usd, what one more dollar bought in this segment."),
  marginal_roi_low FLOAT64 OPTIONS(description = "Lower bound of the seeded bootstrap interval of marginal_roi."),
  marginal_roi_high FLOAT64 OPTIONS(description = "Upper bound of the seeded bootstrap interval of marginal_roi."),
  roi_state STRING NOT NULL OPTIONS(description = "estimated, insufficient_evidence, not_invested when no invested partner contributes, or not_measured (no cost_to_serve was exported)."),
  cost_commission_usd NUMERIC(18, 2) OPTIONS(description = "Commission in the quarter: the cost_to_serve commission rows when the export has any (then part of cost_total_usd), else the configured rate of the partner's current program tier x attributed won revenue, an estimate kept out of cost_total_usd; null when neither exists. Commission follows revenue: it is not investment."),
  commission_basis STRING NOT NULL OPTIONS(description = "Where cost_commission_usd comes from for the run (an estimate sums the partners whose tier has a rate): exported (cost_to_serve commission rows), estimated (finance.roi.commission_rates, no commission rows exported) or not_exported (neither: null).")
)
PARTITION BY as_of_date
CLUSTER BY quarter, tail_segment
OPTIONS(description = "partner_roi rolled up per long-tail segment and quarter (and over the window): cost, pipeline, revenue, and the marginal return on one more dollar of investment.", require_partition_filter = TRUE)
