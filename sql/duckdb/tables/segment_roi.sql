-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- partner_roi rolled up per long-tail segment and quarter (and over the window): cost, pipeline, revenue, and the marginal return on one more dollar of investment.
CREATE OR REPLACE VIEW segment_roi AS
SELECT
  as_of_date,
  run_id,
  quarter,
  quarter_start,
  tail_segment,
  partner_quarters,
  cost_enablement_usd,
  cost_mdf_usd,
  cost_program_usd,
  cost_partner_management_usd,
  cost_support_usd,
  cost_other_usd,
  cost_total_usd,
  investment_usd,
  pipeline_created_usd,
  pipeline_attributed_usd,
  won_revenue_usd,
  average_return,
  invested_partner_quarters,
  pipeline_lift_usd,
  incremental_spend_usd,
  marginal_roi,
  marginal_roi_low,
  marginal_roi_high,
  roi_state,
  cost_commission_usd,
  commission_basis
FROM read_parquet('segment_roi/*/*.parquet', union_by_name = true);
