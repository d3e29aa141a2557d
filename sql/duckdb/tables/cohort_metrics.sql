-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Partner cohorts (by join quarter, maturity stage, vertical, capability) per period since joining, shaped for a triangle chart.
CREATE OR REPLACE VIEW cohort_metrics AS
SELECT
  as_of_date,
  run_id,
  cohort_type,
  cohort,
  period,
  partners,
  activated_partners,
  activation_rate,
  avg_days_to_first_deal,
  active_partners,
  retained_partners,
  retention_rate,
  deals_created,
  pipeline_usd,
  won_deals,
  won_revenue_usd,
  avg_win_days,
  ae_invited_deals,
  before_data,
  activation_partners
FROM read_parquet('cohort_metrics/*/*.parquet', union_by_name = true);
