-- Partner cohorts per period since joining. Source: scored table cohort_metrics.
CREATE OR REPLACE VIEW stg_cohort_metrics AS
SELECT
  as_of_date,
  cohort_type,
  cohort,
  period,
  partners,
  activation_partners,
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
  before_data,
  run_id
FROM cohort_metrics;
