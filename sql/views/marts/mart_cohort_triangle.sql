-- The cohort triangle: join-quarter cohorts (rows) by quarters since joining
-- (columns), with activation, retention and pipeline per cell. A cohort that
-- joined before the deals data begin is marked before_data: its activation is
-- null (unknown, not zero), and so are its measures of quarters before the data.
-- Source: stg_cohort_metrics.
SELECT
  as_of_date,
  cohort AS join_quarter,
  period AS quarters_since_joining,
  partners,
  activation_rate,
  retention_rate,
  pipeline_usd,
  won_revenue_usd,
  avg_win_days,
  before_data
FROM `{{dataset}}.stg_cohort_metrics`
WHERE cohort_type = 'join_quarter'
