-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.cohort_metrics` (
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date the scores are for."),
  run_id STRING NOT NULL OPTIONS(description = "Score run that computed the row (see the runs table)."),
  cohort_type STRING NOT NULL OPTIONS(description = "How partners are grouped: join_quarter, stage (maturity), vertical or capability."),
  cohort STRING NOT NULL OPTIONS(description = "The group: a join quarter (2025-Q1), a stage (awareness, activation, acceleration), a vertical or a capability; \"unknown\" when null."),
  period INT64 NOT NULL OPTIONS(description = "Quarters since the partner's join quarter (0 = the join quarter): the triangle's column."),
  partners INT64 NOT NULL OPTIONS(description = "Cohort partners observed at this period (joined at least period quarters before the as-of quarter)."),
  activated_partners INT64 NOT NULL OPTIONS(description = "Of activation_partners, those with a registered deal by the end of the period."),
  activation_rate FLOAT64 OPTIONS(description = "activated_partners / activation_partners; null when none (the cohort joined before the deals data begin: unknown, not zero)."),
  avg_days_to_first_deal FLOAT64 OPTIONS(description = "Mean days from joined_date to the first registered deal, over the activated partners."),
  active_partners INT64 OPTIONS(description = "Partners on at least one deal created in the period; null when the period is before the deals data begin for every partner of the cell (so are the other per-period measures)."),
  retained_partners INT64 OPTIONS(description = "Partners active both in this period and the one before (both inside the data)."),
  retention_rate FLOAT64 OPTIONS(description = "retained_partners / active partners of the previous period (same members); null at period 0."),
  deals_created INT64 OPTIONS(description = "Partner-deals created in the period (a deal with two cohort partners counts twice)."),
  pipeline_usd NUMERIC(18, 2) OPTIONS(description = "Attributed pipeline (configured model) of deals created in the period."),
  won_deals INT64 OPTIONS(description = "Partner-deals won in the period."),
  won_revenue_usd NUMERIC(18, 2) OPTIONS(description = "Attributed won revenue of deals won in the period."),
  avg_win_days FLOAT64 OPTIONS(description = "Win velocity: mean days from created_date to closed_date of the deals won in the period."),
  ae_invited_deals INT64 OPTIONS(description = "AE-invited partner-deals created in the period."),
  before_data BOOL NOT NULL OPTIONS(description = "True when some of the cell's partners joined before the deals data begin (the quarter of the earliest deal): their activation, and their periods before the data, are unknown and left out of every measure."),
  activation_partners INT64 NOT NULL OPTIONS(description = "Partners of the cell whose activation is known: those that joined since the deals data began.")
)
PARTITION BY as_of_date
CLUSTER BY cohort_type, cohort, period
OPTIONS(description = "Partner cohorts (by join quarter, maturity stage, vertical, capability) per period since joining, shaped for a triangle chart.", require_partition_filter = TRUE)
